"""`writ users catalogue` and `writ users diversify`."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from writ.cli._checks import check_base_urls, check_input_file, check_number, check_output_file
from writ.cli._common import UserError, console, out, read_tasks
from writ.cli._model_opts import (CacheOpt, ExtraBodyOpt, MaxResponseOpt, MaxTokensOpt, PricesOpt, TimeoutOpt, TopPOpt,
                                  settings)
from writ.task import save_tasks
from writ.users.behaviours import BEHAVIOURS, BehaviourError
from writ.users.diversify import diversify, llm_rewrite

app = typer.Typer(help="Users: the behaviour catalogue and task diversification.", no_args_is_help=True)


@app.command("catalogue")
def catalogue(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the user behaviours: dimension, what they do, which tasks they apply to."""
    rows = [{"name": b.name, "dimension": b.dimension, "description": b.description, "applies_to": b.applies_to,
             "changes": b.changes} for b in BEHAVIOURS.values()]
    if as_json:
        print(json.dumps(rows, indent=1))
        return
    table = Table(title=f"{len(rows)} user behaviours")
    for col in ("name", "dimension", "description", "applies to", "changes the conversation by"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["name"], r["dimension"], r["description"], r["applies_to"], r["changes"])
    out.print(table)


@app.command("diversify")
def diversify_cmd(
    tasks_file: Annotated[Path, typer.Argument(help="A tasks file made by `writ tasks generate`.")],
    variants: Annotated[int, typer.Option("--variants", help="Variants per task.")] = 4,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    out_path: Annotated[Path, typer.Option("--out", "-o")] = Path("tasks.diverse.json"),
    behaviours: Annotated[Optional[str], typer.Option("--behaviours", help="Force one combination, comma-separated.")] = None,
    rewrite: Annotated[Optional[str], typer.Option("--rewrite", help="Rewrite utterances with a model, e.g. openai:MODEL.")] = None,
    base_url: Annotated[Optional[str], typer.Option("--base-url")] = None,
    temperature: Annotated[Optional[float], typer.Option(
        "--temperature", help="Sampling temperature of --rewrite (default 0.7).")] = None,
    top_p: TopPOpt = None,
    max_tokens: MaxTokensOpt = None,
    extra_body: ExtraBodyOpt = None,
    timeout: TimeoutOpt = None,
    max_response_bytes: MaxResponseOpt = None,
    cache: CacheOpt = None,
    prices: PricesOpt = None,
) -> None:
    """Turn each task into variants played by users with compatible behaviour combinations.

    The model options (--temperature ... --prices) apply to --rewrite; each request carries a seed
    derived from --seed, the variant and the utterance.
    """
    check_number("--variants", variants, least=1, bound="variants")
    check_input_file("TASKS_FILE", tasks_file, "tasks file")
    check_output_file("--out", out_path)
    if base_url is not None:
        check_base_urls("--base-url", [base_url])
    if out_path.resolve() == tasks_file.resolve():
        raise UserError(f"--out {out_path}: is the input tasks file; write the variants to another file")
    given = {"--temperature": temperature, "--top-p": top_p, "--max-tokens": max_tokens, "--extra-body": extra_body,
             "--timeout": timeout, "--max-response-bytes": max_response_bytes, "--cache": cache, "--prices": prices,
             "--base-url": base_url}
    if not rewrite and any(v is not None for v in given.values()):
        named = ", ".join(k for k, v in given.items() if v is not None)
        raise UserError(f"{named}: only with --rewrite (they set its model)")
    requests = settings(temperature=0.7 if temperature is None else temperature, top_p=top_p, max_tokens=max_tokens,
                        extra_body=extra_body, timeout=timeout, max_response_bytes=max_response_bytes, cache=cache,
                        prices=prices)
    tasks = read_tasks(tasks_file)
    names = [b.strip() for b in behaviours.split(",") if b.strip()] if behaviours else None
    try:
        result, report = diversify(tasks, variants=variants, seed=seed, behaviours=names)
    except BehaviourError as exc:
        raise UserError(str(exc)) from None
    if not result:
        reasons = "; ".join(f"{reason} x{count}" for reason, count in report.skipped.most_common(2)) or "no tasks"
        raise UserError(f"{tasks_file}: no variant could be made ({reasons}); nothing written")
    if rewrite:
        from writ.models import make_backend
        from writ.models.sampling import SamplingSettings

        sampling = SamplingSettings.from_json(requests.pop("sampling"))
        try:
            backend = make_backend(rewrite, base_url=base_url, **requests)
        except (ValueError, ImportError) as exc:
            raise UserError(str(exc)) from None
        result, kept = asyncio.run(_rewrite(result, backend, sampling, seed))
        console.print(f"LLM rewrite kept for {kept} utterances (the rest keep their template wording)")
    save_tasks(result, out_path)
    console.print(f"{report.variants} variants of {report.tasks} tasks -> {out_path}")
    for reason, count in report.skipped.items():
        console.print(f"[yellow]skipped {count}[/yellow]: {reason}")


async def _rewrite(tasks, backend, sampling, seed):
    try:
        return await llm_rewrite(tasks, backend, sampling=sampling, seed=seed)
    finally:
        close = getattr(backend, "aclose", None)
        if close is not None:
            await close()

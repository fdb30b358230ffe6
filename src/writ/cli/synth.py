"""`writ synth`: database -> tasks -> behaviour variants -> simulation -> verification -> export -> report.

With no LLM configured it runs offline (scripted teacher and user). Flags override the YAML config.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from writ.cli._checks import (
    check_base_urls,
    check_input_dir,
    check_input_file,
    check_number,
    check_output_dir,
    check_output_file,
)
from writ.cli._common import UserError, console
from writ.cli._model_opts import (
    CacheOpt,
    ExtraBodyOpt,
    MaxResponseOpt,
    MaxTokensOpt,
    PricesOpt,
    RetryTemperatureOpt,
    TemperatureOpt,
    TimeoutOpt,
    TopPOpt,
    settings,
)
from writ.cli._prompt import AgentPromptOpt, PolicyOpt
from writ.data import DataError
from writ.export import ExportError
from writ.redact import redact
from writ.report import ReportError
from writ.sim.actors import ActorSpecError
from writ.sim.runstore import RunStoreError
from writ.synth import ConfigError, load_config, run_synth
from writ.tasks.axes import RangeError
from writ.tasks.draft import DraftError
from writ.users.behaviours import BehaviourError


def synth(
    config: Annotated[Path | None, typer.Option("--config", "-c", help="A YAML config (see configs/).")] = None,
    domain: Annotated[list[str] | None, typer.Option("--domain", "-d", help="Domain(s); repeat for several.")] = None,
    n: Annotated[int | None, typer.Option("--n", help="Tasks per domain.")] = None,
    writes: Annotated[str | None, typer.Option("--writes", help="Writes per task, e.g. 1-5.")] = None,
    evidence: Annotated[str | None, typer.Option("--evidence", help="Evidence burden, e.g. 0-10.")] = None,
    variants: Annotated[int | None, typer.Option("--variants", help="Behaviour variants per task (0: none).")] = None,
    agent: Annotated[str | None,
                     typer.Option("--agent", help="scripted, openai:MODEL, guided:openai:MODEL, hf:PATH.")] = None,
    user: Annotated[str | None, typer.Option("--user", help="scripted or openai:MODEL.")] = None,
    base_url: Annotated[list[str] | None, typer.Option("--base-url", help="OpenAI-compatible endpoint(s).")] = None,
    concurrency: Annotated[int | None, typer.Option("--concurrency")] = None,
    attempts: Annotated[int | None, typer.Option("--attempts")] = None,
    formats: Annotated[list[str] | None,
                       typer.Option("--format", help="Export format(s): openai, trl, sharegpt, parquet.")] = None,
    tau2_data: Annotated[str | None, typer.Option("--tau2-data", help="Use a tau2-bench database.")] = None,
    data: Annotated[str | None, typer.Option("--data", help="Use a database written by `writ db generate`.")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="One seed for tasks, variants, actors and splits.")] = None,
    out: Annotated[str | None, typer.Option("--out", "-o", help="Job directory.")] = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress")] = True,
    executor: Annotated[str | None, typer.Option(
        "--executor", help="local or ray (shards generation and simulation; needs the ray extra).")] = None,
    address: Annotated[str | None, typer.Option("--address", help="Ray cluster: auto, ray://HOST:10001.")] = None,
    workers: Annotated[int | None,
                       typer.Option("--workers", help="Ray workers (default: one per cluster CPU).")] = None,
    realizer: Annotated[str | None, typer.Option("--realizer", help="openai:MODEL or hf:PATH rewrites the scripted "
                                                    "pair's words, guarded (fallbacks in the report).")] = None,
    outcomes: Annotated[str | None, typer.Option("--outcomes", help="Shares of tasks by outcome, e.g. "
                                                    "write=0.7,refuse=0.2,transfer=0.05,inform=0.05.")] = None,
    agent_prompt: AgentPromptOpt = None,
    policy: PolicyOpt = None,
    temperature: TemperatureOpt = None,
    top_p: TopPOpt = None,
    max_tokens: MaxTokensOpt = None,
    extra_body: ExtraBodyOpt = None,
    timeout: TimeoutOpt = None,
    retry_temperature: RetryTemperatureOpt = None,
    max_response_bytes: MaxResponseOpt = None,
    cache: CacheOpt = None,
    prices: PricesOpt = None,
    progress_every: Annotated[float | None, typer.Option(
        "--progress-every", help="When stderr is not a terminal: seconds between progress lines (default 30).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Start over even if --out holds a job of another config "
                                                        "(the old job is moved to OUT.replaced-<time>).")] = False,
) -> None:
    """Run the whole pipeline; rerun the same command to resume.

    The model flags (--temperature ... --max-response-bytes) set simulate.agent_params and
    simulate.user_params alike; a config file can set the two apart.
    """
    if config is not None:
        check_input_file("--config", config, "config file")
    for option, value, least, bound in (("--n", n, 1, "tasks"), ("--variants", variants, 0, "variants"),
                                        ("--concurrency", concurrency, 1, "concurrency"),
                                        ("--attempts", attempts, 1, "attempts"), ("--workers", workers, 1, "workers")):
        check_number(option, value, least=least, bound=bound)
    check_base_urls("--base-url", base_url)
    for option, folder in (("--tau2-data", tau2_data), ("--data", data)):
        if folder is not None:
            check_input_dir(option, Path(folder), "data directory")
    overrides = {
        "domains": domain, "out": out, "tasks.n": n, "tasks.writes": writes, "tasks.evidence": evidence,
        "users.variants": variants, "simulate.agent": agent, "simulate.user": user, "simulate.base_url": base_url,
        "simulate.concurrency": concurrency, "simulate.attempts": attempts, "export.formats": formats,
        "data.tau2_data": tau2_data, "data.data": data, "simulate.executor": executor, "simulate.address": address,
        "simulate.workers": workers, "agent_prompt": agent_prompt or None, "policy": policy or None,
        "simulate.realizer": realizer, "tasks.outcomes": outcomes,
    }
    if seed is not None:
        overrides.update({"tasks.seed": seed, "users.seed": seed, "simulate.seed": seed, "export.seed": seed})
    # every model flag checked as `simulate` checks it (nan/inf, an unusable --cache, a broken --prices)
    # before the config is built, so nothing is written on a bad one
    body = settings(temperature=temperature, top_p=top_p, max_tokens=max_tokens, retry_temperature=retry_temperature,
                    extra_body=extra_body, timeout=timeout, max_response_bytes=max_response_bytes, cache=cache,
                    prices=prices).get("extra_body")
    for key, value in (("temperature", temperature), ("top_p", top_p), ("max_tokens", max_tokens),
                       ("retry_temperature", retry_temperature), ("extra_body", body), ("timeout", timeout),
                       ("max_response_bytes", max_response_bytes)):
        overrides.update({f"simulate.agent_params.{key}": value, f"simulate.user_params.{key}": value})
    overrides.update({"simulate.cache": str(cache) if cache else None,
                      "simulate.prices": str(prices) if prices else None, "simulate.progress_every": progress_every})
    try:
        cfg = load_config(config, overrides)
        if cfg.simulate.executor != "ray" and (address is not None or workers is not None):
            raise UserError("--address and --workers apply to --executor ray only")
        check_output_dir("--out", Path(cfg.out))
        if cfg.simulate.cache:  # a config's cache path, checked like the flag before any stage runs
            check_output_file("simulate.cache", Path(cfg.simulate.cache))
        result = run_synth(cfg, progress=progress, force=force,
                           say=lambda line: console.print(redact(line), highlight=False, markup=False, soft_wrap=True))
    except (ConfigError, DataError, RangeError, DraftError, BehaviourError, ActorSpecError, RunStoreError, ExportError,
            ReportError, ValueError) as exc:
        raise UserError(str(exc)) from None
    made = f"{result.tasks} tasks, " if result.tasks else ""
    console.print(f"[bold]done[/bold] in {result.seconds:.1f}s: {made}{result.variants} variants, "
                  f"{result.kept} kept trajectories -> {result.out}", highlight=False, soft_wrap=True)

"""`writ users catalogue` and `writ users diversify`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from writ.cli._checks import check_input_file, check_number, check_output_file
from writ.cli._common import UserError, console, out, read_tasks
from writ.task import save_tasks
from writ.users.behaviours import BEHAVIOURS, BehaviourError
from writ.users.diversify import diversify

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
    behaviours: Annotated[str | None,
                          typer.Option("--behaviours", help="Force one combination, comma-separated.")] = None,
    rewrite: Annotated[str | None, typer.Option("--rewrite", hidden=True)] = None,
) -> None:
    """Turn each task into variants played by users with compatible behaviour combinations.

    To have a model word the conversations, give `--realizer openai:MODEL` to `writ simulate` or
    `writ synth`: it rewrites every turn of both sides, guarded by the information-flow checks.
    """
    check_number("--variants", variants, least=1, bound="variants")
    check_input_file("TASKS_FILE", tasks_file, "tasks file")
    check_output_file("--out", out_path)
    if rewrite is not None:
        raise UserError("--rewrite is replaced by --realizer MODEL on `writ simulate` and `writ synth`, which rewrites "
                        "every turn of both sides and keeps a rewrite only if it says the same values")
    if out_path.resolve() == tasks_file.resolve():
        raise UserError(f"--out {out_path}: is the input tasks file; write the variants to another file")
    tasks = read_tasks(tasks_file)
    names = [b.strip() for b in behaviours.split(",") if b.strip()] if behaviours else None
    try:
        result, report = diversify(tasks, variants=variants, seed=seed, behaviours=names)
    except BehaviourError as exc:
        raise UserError(str(exc)) from None
    if not result:
        reasons = "; ".join(f"{reason} x{count}" for reason, count in report.skipped.most_common(2)) or "no tasks"
        raise UserError(f"{tasks_file}: no variant could be made ({reasons}); nothing written")
    save_tasks(result, out_path)
    console.print(f"{report.variants} variants of {report.tasks} tasks -> {out_path}")
    for reason, count in report.skipped.items():
        console.print(f"[yellow]skipped {count}[/yellow]: {reason}")

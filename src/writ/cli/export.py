"""`writ export`: the kept episodes of one or more runs as fine-tuning data (OpenAI, TRL, ShareGPT, Parquet).

Bad items (a run of another writ version, a corrupt row, an episode whose task is missing) are
listed on stderr with their reason and the rest is exported; the exit code is 2 only when nothing
could be exported at all, or when ``--agent-prompt`` / ``--policy`` do not fit a domain of the runs
(then nothing is written).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from writ.cli._checks import check_number, check_output_dir
from writ.cli._common import UserError
from writ.cli._prompt import AgentPromptOpt, PolicyOpt, prompt_options
from writ.export import ExportError, export_run


def export(
    runs: Annotated[list[Path], typer.Argument(help="Run directories (each holds run.db).")],
    out: Annotated[Path, typer.Option("--out", "-o",
                                      help="Output directory (new or empty, or a previous export with --force).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="openai, trl, sharegpt or parquet.")] = "openai",
    val_fraction: Annotated[float,
                            typer.Option("--val-fraction", help="Share of task stems held out for validation.")] = 0.1,
    seed: Annotated[int,
                    typer.Option("--seed", help="Seed of the train/validation split and of --budget's selection.")] = 0,
    weights: Annotated[str, typer.Option("--weights",
                                         help="Per-turn weights on agent turns: all, last, writes or none.")] = "all",
    dedup: Annotated[bool, typer.Option("--dedup/--no-dedup", help="Drop exact duplicate trajectories.")] = True,
    max_rows_per_shard: Annotated[int, typer.Option("--max-rows-per-shard", help="Rows per Parquet shard.")] = 10_000,
    force: Annotated[bool, typer.Option("--force", help="Replace a previous export in --out.")] = False,
    budget: Annotated[int | None, typer.Option(
        "--budget", help="Export exactly this many trajectories (or all there are), balanced over writes x evidence, "
                         "behaviours, domains.")] = None,
    mix: Annotated[str | None, typer.Option(
        "--mix", help="How --budget is spread over writes x evidence cells: uniform, read-heavy, write-heavy, or a "
                      "table like '1x0=1,3x*=2'.")] = None,
    max_per_task: Annotated[int | None, typer.Option("--max-per-task", help="At most this many behaviour "
                                                        "variants of one task.")] = None,
    agent_prompt: AgentPromptOpt = None,
    policy: PolicyOpt = None,
) -> None:
    """Export verified trajectories as supervised fine-tuning data, with a dataset card and a manifest."""
    check_output_dir("--out", out)
    check_number("--val-fraction", val_fraction)
    check_number("--max-rows-per-shard", max_rows_per_shard, least=1, bound="shard_rows")
    for run in runs:
        if out.resolve() == run.resolve() or out.resolve() in run.resolve().parents:
            raise UserError(f"--out {out}: would hold the run {run} it exports; give another directory")
    if mix is not None and budget is None:
        raise UserError("--mix spreads a --budget over cells; give --budget too")
    prompt = prompt_options(agent_prompt, policy)  # checked against the runs' domains as they are read
    try:
        result = export_run(runs, out, fmt=fmt, val_fraction=val_fraction, seed=seed, weights=weights, dedup=dedup,
                            max_rows_per_shard=max_rows_per_shard, overwrite=force, budget=budget, mix=mix,
                            max_per_task=max_per_task, prompt=prompt)
    except ExportError as exc:
        raise UserError(str(exc)) from None
    for line in result.lines():
        typer.echo(line, err=True)

"""`writ replay`: replay each task's gold actions and write one JSON line per task."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from writ.atomic import open_atomic
from writ.cli._checks import check_input_file, check_number, check_output_file, check_task_domain
from writ.cli._common import DataOpt, DomainOpt, ScaleOpt, SeedOpt, Tau2DataOpt, UserError, console, load, read_tasks
from writ.replay import replay_tasks


def replay(
    domain: DomainOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the JSON lines.")] = Path("replay.jsonl"),
    tau2_data: Tau2DataOpt = None,
    data: DataOpt = None,
    tasks: Annotated[Path | None,
                     typer.Option("--tasks", help="A tasks file (default: the data directory's tasks.json).")] = None,
    sync: Annotated[bool, typer.Option("--sync/--no-sync", help="Sync user state after each call as in live runs "
                                                                "(tau2's gold replay does not).")] = False,
    seed: SeedOpt = 0,
    scale: ScaleOpt = 1.0,
) -> None:
    """Replay gold actions on a fresh copy of each task's initial state."""
    check_number("--scale", scale, above=0, bound="scale")
    check_output_file("--out", out)
    loaded = load(domain, tau2_data, data, seed, scale)
    if tasks is not None:
        check_input_file("--tasks", tasks, "tasks file")
    task_list = read_tasks(tasks) if tasks else loaded.tasks
    if not task_list:
        raise UserError("no tasks to replay: give --tasks FILE or a data directory with tasks.json")
    check_task_domain(task_list, loaded, str(tasks or "the data directory's tasks.json"))
    start = time.perf_counter()
    n_calls = n_errors = n_failed = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with open_atomic(out) as fh:
        for row in replay_tasks(loaded, task_list, sync=sync):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n_calls += len(row["outputs"])
            n_errors += sum(row["errors"])
            n_failed += "failure" in row
    elapsed = time.perf_counter() - start
    console.print(f"replayed {len(task_list)} {domain} tasks ({n_calls} calls, {n_errors} returned errors, "
                  f"{n_failed} could not start) in {elapsed:.2f}s -> {out}")

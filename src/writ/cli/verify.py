"""`writ verify`: run every verifier on the episodes of a run or of a trajectories file.

Prints the summary first, then the reasons for the first rejections (``--list``: every episode,
``--json``: one verdict per line and the summary last). Accepts a run directory (its episodes and
the tasks stored with them) or a JSON-lines file of episodes (each line an episode as writ stores
it: at least ``task_id``, ``messages`` and ``termination``) with ``--tasks``. A corrupt line, an
episode whose task is missing or an episode from another domain is reported with its reason and the
rest is verified; the exit code is non-zero only when nothing could be verified.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from writ.cli._checks import check_input_file
from writ.cli._common import DataOpt, Tau2DataOpt, UserError, out, read_tasks, user_errors
from writ.core import Episode
from writ.sim.sources import DataResolver
from writ.task import Task
from writ.verify import verify_episode


def _from_run(run: Path) -> tuple[Iterator[Episode], dict[str, Task]]:
    from writ.sim.runstore import RunStore, RunStoreError

    try:
        store = RunStore.read(run, check=True)
        tasks = {tid: Task.model_validate(row.task) for tid, row in store.tasks().items()}
    except (RunStoreError, OSError, ValueError) as exc:
        raise UserError(str(exc) if str(run) in str(exc) else f"{run}: {exc}") from None
    return _guarded(store.episodes()), tasks


def _guarded(episodes: Iterator[Episode]) -> Iterator[Episode]:
    """The run's episodes; a store found damaged half-way is one line, not a traceback."""
    from writ.sim.runstore import RunStoreError

    try:
        yield from episodes
    except RunStoreError as exc:
        raise UserError(str(exc)) from None


def _from_jsonl(path: Path, problems: list[str]) -> Iterator[Episode]:
    with path.open("rb") as probe:
        head = probe.read(4096)
    if b"\0" in head:
        raise UserError(f"{path}: not a JSON-lines file of episodes (binary data)")
    with path.open(encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                if not isinstance(raw, dict) or "messages" not in raw or "task_id" not in raw:
                    raise ValueError("needs task_id and messages")
                if not isinstance(raw["messages"], list) or not all(
                        isinstance(m, dict) and isinstance(m.get("role"), str) for m in raw["messages"]):
                    raise ValueError("messages must be a list of chat messages")
                if not isinstance(raw["task_id"], str):
                    raise ValueError("task_id must be a string")
                raw.setdefault("attempt", 0)
                raw.setdefault("domain", "")
                raw.setdefault("termination", raw.get("termination_reason", ""))
                yield Episode.from_json(raw)
            except (ValueError, TypeError) as exc:
                problems.append(f"line {n}: not an episode ({exc})")


SHOWN = 20  # rejected episodes (and skipped items) listed under the summary without --list


def _print_text(summary: dict[str, Any], failures: Counter, rows: list[dict[str, Any]], problems: list[str],
                list_all: bool) -> None:
    """The summary first, then why episodes were rejected (the first `SHOWN`, or every episode with --list)."""
    out.print(f"{summary['verified']} episodes verified: {summary['kept']} kept, {summary['rejected']} rejected"
              + (f" ({', '.join(f'{k} x{v}' for k, v in failures.most_common())})" if failures else "")
              + (f"; {len(problems)} skipped" if problems else ""), highlight=False)
    shown = rows if list_all else rows[:SHOWN]
    for row in shown:
        mark = "[green]kept[/green]    " if row["passed"] else "[red]rejected[/red]"
        out.print(f"{mark} {escape(row['task_id'])} #{row['attempt']}"
                  + ("" if row["passed"] else "  " + escape("; ".join(row["failures"]))), highlight=False)
    if len(shown) < len(rows):
        out.print(f"... and {len(rows) - len(shown)} more rejected (--list shows every episode, --json every verdict)",
                  highlight=False)
    for p in problems if list_all else problems[:SHOWN]:
        out.print(f"[yellow]skipped[/yellow] {escape(p)}", highlight=False)
    if not list_all and len(problems) > SHOWN:
        out.print(f"... and {len(problems) - SHOWN} more skipped (--list shows them all)", highlight=False)


def verify(
    source: Annotated[Path, typer.Argument(help="A run directory, or a JSON-lines file of episodes.")],
    tasks_file: Annotated[Path | None,
                          typer.Option("--tasks", help="Tasks file (needed for a JSON-lines source).")] = None,
    domain: Annotated[str | None, typer.Option("--domain", "-d", help="Domain of tasks that name none.")] = None,
    tau2_data: Tau2DataOpt = None,
    data: DataOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON verdict per episode and a summary.")] = False,
    list_all: Annotated[bool,
                        typer.Option("--list", help="List every episode, kept ones too, after the summary.")] = False,
) -> None:
    """Verify episodes: state, communication, grounding, protocol and user fidelity."""
    problems: list[str] = []
    if source.is_dir():
        episodes, tasks = _from_run(source)
        if tasks_file:
            check_input_file("--tasks", tasks_file, "tasks file")
            given = {t.id: t for t in read_tasks(tasks_file)}
            missing = [tid for tid in tasks if tid not in given]
            if missing:
                raise UserError(f"--tasks {tasks_file}: lacks {len(missing)} of the run's {len(tasks)} tasks "
                                f"(e.g. {missing[0]}); give the tasks file the run was made from, or leave --tasks "
                                "out to use the tasks stored in the run")
            tasks = given
    elif source.is_file():
        if tasks_file is None:
            raise UserError(f"{source}: a trajectories file needs --tasks FILE")
        check_input_file("--tasks", tasks_file, "tasks file")
        tasks = {t.id: t for t in read_tasks(tasks_file)}
        episodes = _from_jsonl(source, problems)
    else:
        raise UserError(f"{source}: no such run directory or file")
    resolver = DataResolver(domain, tau2_data, data)
    failures: Counter = Counter()
    verified = kept = 0
    rows: list[dict[str, Any]] = []
    for ep in episodes:
        task = tasks.get(ep.task_id) or tasks.get(ep.task_id.split("#")[0])
        if task is None:
            problems.append(f"{ep.task_id}: no such task in the tasks given")
            continue
        try:
            with user_errors():
                loaded = resolver(task)
        except UserError as exc:
            problems.append(f"{ep.task_id}: {exc}")
            continue
        verdict = verify_episode(ep, task, loaded)
        verified += 1
        kept += verdict.passed
        failures.update(f.split(":")[0] for f in verdict.failures)
        row = {"task_id": ep.task_id, "attempt": ep.attempt, **verdict.to_json()}
        if as_json:
            print(json.dumps(row))
        elif list_all or not verdict.passed:
            rows.append({"task_id": ep.task_id, "attempt": ep.attempt, "passed": verdict.passed,
                         "failures": verdict.failures})
    summary = {"verified": verified, "kept": kept, "rejected": verified - kept, "failures_by_verifier": dict(failures),
               "skipped": problems}
    if as_json:
        print(json.dumps({"summary": summary}))
    else:
        _print_text(summary, failures, rows, problems, list_all)
    if verified == 0:
        first = f" (first: {problems[0]})" if problems else ""
        raise UserError(f"{source}: no episode could be verified{first}")

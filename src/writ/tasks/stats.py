"""Statistics of a tasks file: the writes x evidence grid, outcomes, generators, write tools, behaviours.

Works on any tasks file; tasks without writ metadata (tau2's own) are placed on the grid by
counting their gold writes and the reads before each write.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from writ.task import Task

__all__ = ["report_path", "task_axes", "tasks_stats"]


def report_path(tasks_path: str | Path) -> Path:
    """Where `writ tasks generate` leaves its generation report, beside the tasks file."""
    path = Path(tasks_path)
    return path.with_name(path.stem + ".report.json")


def task_axes(task: Task, mutating: set[str] | None = None) -> tuple[int, int]:
    meta = task.writ or {}
    if "n_writes" in meta:
        return meta["n_writes"], meta.get("evidence", 0)
    writes, best, reads = 0, 0, 0
    for action in task.actions:
        if mutating is not None and action.name in mutating:
            writes += 1
            best, reads = max(best, reads), 0
        else:
            reads += 1
    return writes, best


def tasks_stats(tasks: list[Task], mutating: set[str] | None = None) -> dict[str, Any]:
    grid: Counter = Counter()
    generators: Counter = Counter()
    write_tools: Counter = Counter()
    behaviours: Counter = Counter()
    outcomes: Counter = Counter()
    evidence_chars: list[int] = []
    candidates: list[int] = []
    for task in tasks:
        writes, evidence = task_axes(task, mutating)
        grid[(writes, evidence)] += 1
        meta = task.writ or {}
        generators[meta.get("generator", "(none)")] += 1
        for write in meta.get("writes", []):
            write_tools[write["name"]] += 1
            evidence_chars.append(write.get("evidence_chars", 0))
            candidates.append(write.get("candidates", 1))
        if not meta.get("writes") and mutating is not None:
            write_tools.update(action.name for action in task.actions if action.name in mutating)
        behaviours.update(meta.get("behaviours", []))
        outcomes[meta.get("outcome") or ("write" if writes else "no write")] += 1
    writes_axis = sorted({writes for writes, _ in grid})
    evidence_axis = sorted({evidence for _, evidence in grid})
    return {
        "tasks": len(tasks),
        "grid": {f"{writes}x{evidence}": count for (writes, evidence), count in sorted(grid.items())},
        "writes_axis": writes_axis,
        "evidence_axis": evidence_axis,
        "generators": dict(generators.most_common()),
        "write_tools": dict(write_tools.most_common()),
        "behaviours": dict(behaviours.most_common()),
        "outcomes": dict(outcomes.most_common()),
        "mean_evidence_chars_per_write": round(sum(evidence_chars) / len(evidence_chars), 1) if evidence_chars else 0,
        "mean_candidates_per_write": round(sum(candidates) / len(candidates), 2) if candidates else 0,
    }


def load_report(tasks_path: str | Path) -> dict[str, Any] | None:
    path = report_path(tasks_path)
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return None

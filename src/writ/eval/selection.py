"""Which tasks an evaluation runs, and the trial copies the runner simulates.

Tasks come from a tasks file (writ's or tau2's) or from a tau2 data directory, optionally narrowed
to one of tau2's splits (``split_tasks.json`` beside the tasks). Every task must belong to the
evaluated domain: one that names another domain, or whose gold actions call tools the domain does
not have, is refused with a message that says which domain it looks like.

The runner stops a task at its first passing attempt, so trials are separate tasks: trial t of
task ``T`` is the copy ``T#t`` (content unchanged), and all of them run, concurrently.
"""

from __future__ import annotations

import json
from pathlib import Path

from writ.data import DomainData
from writ.domains import domain_names, get_domain
from writ.sim.sources import task_domain
from writ.task import Task

__all__ = ["SelectionError", "check_domain", "original_id", "owner_of", "select_split", "trial_copies", "trial_of"]

SEP = "#"


class SelectionError(ValueError):
    """Tasks that cannot be evaluated as asked; the message is one line for the user."""


def select_split(tasks: list[Task], split_file: Path, split: str) -> list[Task]:
    """The tasks of `split` (tau2's ``split_tasks.json``), in the split's order."""
    try:
        splits = json.loads(split_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SelectionError(f"--split {split}: no {split_file.name} at {split_file.parent}") from None
    except json.JSONDecodeError as exc:
        raise SelectionError(f"{split_file}: not valid JSON ({exc})") from None
    if not isinstance(splits, dict) or split not in splits:
        names = ", ".join(sorted(splits)) if isinstance(splits, dict) else "none"
        raise SelectionError(f"--split {split}: no such split in {split_file} (have: {names})")
    by_id = {t.id: t for t in tasks}
    chosen = [by_id[str(i)] for i in splits[split] if str(i) in by_id]
    if not chosen:
        usable = [name for name, ids in splits.items() if any(str(i) in by_id for i in ids)]
        raise SelectionError(f"--split {split}: none of its {len(splits[split])} task ids are in the tasks file "
                             f"(splits with tasks here: {', '.join(usable) or 'none'})")
    return chosen


def owner_of(tool_names: set[str]) -> str | None:
    """The one registered domain whose tools include every name, if any."""
    owners = []
    for name in domain_names():
        domain = get_domain(name)
        known = {t.name for side in ("agent", "user") for t in domain.tools(side)}
        if tool_names <= known:
            owners.append(name)
    return owners[0] if len(owners) == 1 else None


def check_domain(tasks: list[Task], data: DomainData, source: str) -> None:
    """Refuse tasks of another domain, naming it."""
    domain = data.domain.name
    named = [(t, task_domain(t)) for t in tasks]
    foreign = [(t, d) for t, d in named if d is not None and d != domain]
    if foreign:
        others = sorted({d for _, d in foreign})
        raise SelectionError(f"{source}: {len(foreign)} of {len(tasks)} tasks belong to domain "
                             f"{', '.join(others)}, not {domain} (first: {foreign[0][0].id}); "
                             f"pass --domain {others[0]}")
    known = {(t.side, t.name) for side in ("agent", "user") for t in data.domain.tools(side)}
    for task in tasks:
        unknown = {a.name for a in task.actions
                   if ("user" if a.requestor == "user" else "agent", a.name) not in known}
        if unknown:
            owner = owner_of({a.name for a in task.actions})
            hint = f"; they look like {owner} tasks (pass --domain {owner})" if owner else ""
            raise SelectionError(f"{source}: task {task.id} calls tools {domain} does not have "
                                 f"({', '.join(sorted(unknown))}){hint}")


def trial_copies(tasks: list[Task], trials: int) -> list[Task]:
    """Every task once per trial, trial-major (all first trials first), ids ``ID#trial``."""
    ids = [t.id for t in tasks]
    if len(set(ids)) != len(ids):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise SelectionError(f"duplicate task id {dup!r}")
    copies = []
    for trial in range(trials):
        for task in tasks:
            raw = task.model_dump(mode="json")
            raw["id"] = f"{task.id}{SEP}{trial}"
            copies.append(Task.model_validate(raw))
    return copies


def original_id(copy_id: str) -> str:
    return copy_id.rsplit(SEP, 1)[0] if SEP in copy_id else copy_id


def trial_of(copy_id: str) -> int:
    tail = copy_id.rsplit(SEP, 1)[-1] if SEP in copy_id else "0"
    return int(tail) if tail.isdigit() else 0


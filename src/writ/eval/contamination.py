"""Contamination: do evaluation tasks share a gold write set with the training data?

Training on a conversation that makes exactly the writes an evaluation task expects teaches the
answer, not the skill. The check compares `writ.tasks.write_set_key` of every evaluation task with
the keys of the training data, which may be:

* a tasks file (writ's or tau2's): the key of each task;
* a run directory (``run.db``): the key of each task it holds;
* a writ export (a directory with ``manifest.json``): the tasks of the runs it was exported from
  when they are still there, and in any case the writes its conversations actually made;
* a JSONL file of conversations: the writes they made.

Tasks that change nothing and need nothing said have a trivial key and are never reported.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from writ.data import DomainData
from writ.eval.conversation import ConversationError, canonical_messages, tool_calls
from writ.sim.runstore import RunStore, RunStoreError
from writ.task import Task, TaskFileError, load_tasks
from writ.tasks.validate import write_set_key

__all__ = ["ContaminationError", "check_contamination", "conversation_key", "training_keys"]


class ContaminationError(ValueError):
    """Training data that cannot be read; the message names the path."""


def conversation_key(messages: list[dict[str, Any]], data: DomainData) -> str | None:
    """The write-set key of what a conversation did (its successful writes), or None if it wrote nothing."""
    writes = sorted(json.dumps([c.requestor, c.name, c.arguments], sort_keys=True)
                    for c in tool_calls(messages)
                    if c.succeeded and c.arguments is not None and data.domain.is_write(c.name))
    return "|".join(writes) if writes else None


def _trivial(key: str) -> bool:
    return key.startswith("info:") and key in ("info:|null", "info:|{}")


def _task_keys(tasks: Iterable[Task], data: DomainData, origin: str, keys: dict[str, str]) -> None:
    for task in tasks:
        keys.setdefault(write_set_key(task, data), f"{origin}:{task.id}")


def _jsonl_keys(path: Path, data: DomainData, keys: dict[str, str]) -> int:
    n = 0
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                messages = canonical_messages(row.get("messages") if isinstance(row, dict) else None)
            except (json.JSONDecodeError, ConversationError):
                continue  # not a conversation row (e.g. a ShareGPT row): nothing to compare
            key = conversation_key(messages, data)
            if key:
                keys.setdefault(key, f"{path.name}:{row.get('task_id') or i}")
                n += 1
    return n


def _store_tasks(run_dir: Path) -> list[Task]:
    store = RunStore.read(run_dir)
    try:
        return [Task.model_validate(row.task) for row in store.tasks().values()]
    finally:
        store.close()


def training_keys(path: str | Path, data: DomainData) -> dict[str, str]:
    """key -> where it was found (``source:id``) for every write set of the training data."""
    path = Path(path)
    keys: dict[str, str] = {}
    if not path.exists():
        raise ContaminationError(f"--train-data {path}: no such file or directory")
    try:
        if path.is_file() and path.suffix == ".jsonl":
            _jsonl_keys(path, data, keys)
        elif path.is_file():
            _task_keys(load_tasks(path), data, path.name, keys)
        elif (path / "run.db").is_file():
            _task_keys(_store_tasks(path), data, path.name, keys)
        elif (path / "manifest.json").is_file():
            manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
            for run in manifest.get("runs") or []:
                run_dir = Path(str(run.get("path", "")))
                if (run_dir / "run.db").is_file():
                    _task_keys(_store_tasks(run_dir), data, run_dir.name, keys)
            for jsonl in sorted(path.glob("*.jsonl")):
                _jsonl_keys(jsonl, data, keys)
        else:
            raise ContaminationError(f"--train-data {path}: not a tasks file, a run directory (run.db), "
                                     "a writ export (manifest.json) or a JSONL file of conversations")
    except (TaskFileError, RunStoreError) as exc:
        raise ContaminationError(f"--train-data: {exc}") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise ContaminationError(f"--train-data {path}: cannot read ({exc})") from None
    return {k: v for k, v in keys.items() if not _trivial(k)}


def check_contamination(tasks: list[Task], data: DomainData, train: str | Path) -> dict[str, Any]:
    """``{"train_data", "shared": [{"task_id", "train"}], "message"}`` for the evaluation tasks."""
    keys = training_keys(train, data)
    shared = []
    for task in tasks:
        key = write_set_key(task, data)
        if not _trivial(key) and key in keys:
            shared.append({"task_id": task.id, "train": keys[key]})
    if shared:
        first = ", ".join(s["task_id"] for s in shared[:5]) + (" ..." if len(shared) > 5 else "")
        message = (f"{len(shared)} of {len(tasks)} evaluation tasks share a gold write set with the training data "
                   f"{train} ({first}); their results measure recall, not skill")
    else:
        message = f"no evaluation task shares a gold write set with the training data {train} ({len(keys)} write sets)"
    return {"train_data": str(train), "training_write_sets": len(keys), "shared": shared, "message": message}

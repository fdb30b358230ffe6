"""Replay a task's gold actions and record every result string and the final fingerprints.

This is how writ proves parity with tau2-bench: the same task, replayed by both, must give the
same result strings call by call and the same final state. It is also how a generated task proves
it is executable.

Gold actions run as tau2's evaluator runs them: on a fresh copy of the task's initial state and
without the per-call sync of live conversations (pass ``sync=True`` for the live behaviour; only
telecom differs).
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from writ.core import ToolCall
from writ.data import DomainData
from writ.task import Task

__all__ = ["replay_task", "replay_tasks"]


def replay_task(data: DomainData, task: Task, *, sync: bool = False) -> dict[str, Any]:
    env = data.environment(task)
    outputs: list[str] = []
    errors: list[bool] = []
    for action in task.actions:
        result = env.step(ToolCall(action.name, dict(action.arguments), requestor=action.requestor), sync=sync)
        outputs.append(result.content)
        errors.append(result.error)
    return {
        "task_id": task.id,
        "outputs": outputs,
        "errors": errors,
        "final_db_hash": env.fingerprint(),
        "final_user_db_hash": env.user_fingerprint(),
    }


def replay_tasks(data: DomainData, tasks: Iterable[Task], *, sync: bool = False) -> Iterator[dict[str, Any]]:
    for task in tasks:
        try:
            yield replay_task(data, task, sync=sync)
        except Exception as exc:  # a broken initial_state is reported per task, the rest goes on
            yield {"task_id": task.id, "outputs": [], "errors": [], "final_db_hash": None,
                   "final_user_db_hash": None, "failure": f"initial state could not be applied: {exc}"}

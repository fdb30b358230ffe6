"""The state verifier: did the conversation leave the database exactly as the gold solution does?

Only state-changing calls are replayed (reads cannot change state, and a read the agent skipped
does not matter if the writes are right), each as in a live conversation (with the domain's sync),
on a fresh copy of the task's initial state; the agent's and the user's databases are compared by
canonical fingerprint with the gold actions' replay.
"""

from __future__ import annotations

from writ.core import ToolCall
from writ.data import DomainData
from writ.replay import replay_task
from writ.task import Task
from writ.verify.base import Check, Context, fail, ok, parse_arguments, register, tool_calls_of

__all__ = ["gold_state", "replayed_state"]

_GOLD: dict[tuple[int, str, int], tuple[str, str | None]] = {}


def gold_state(data: DomainData, task: Task) -> tuple[str, str | None]:
    """Fingerprints after the gold actions (live semantics: sync after each call and at the end)."""
    key = (id(data.base), task.id, hash(tuple((a.name, repr(a.arguments)) for a in task.actions)))
    if key not in _GOLD:
        env = data.environment(task)
        for action in task.actions:
            env.step(ToolCall(action.name, dict(action.arguments), requestor=action.requestor))
        env.run_sync()
        _GOLD[key] = (env.fingerprint(), env.user_fingerprint())
    return _GOLD[key]


def replayed_state(ctx: Context) -> tuple[str, str | None]:
    env = ctx.data.environment(ctx.task)
    for _, call, requestor in tool_calls_of(ctx.messages):
        name = call.get("function", {}).get("name", "")
        if not ctx.is_write(name, requestor):
            continue
        arguments = parse_arguments(call)
        if arguments is not None:
            env.step(ToolCall(name, arguments, requestor=requestor))
    env.run_sync()
    return env.fingerprint(), env.user_fingerprint()


@register("state")
def state(ctx: Context) -> Check:
    gold_db, gold_user = gold_state(ctx.data, ctx.task)
    db, user = replayed_state(ctx)
    if db != gold_db:
        return fail("the agent database differs from the gold replay")
    if user != gold_user:
        return fail("the user database differs from the gold replay")
    return ok()


_ = replay_task  # the gold outputs themselves come from writ.replay; kept importable here

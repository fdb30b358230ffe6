"""The state verifier: did the conversation leave the database exactly as the gold solution does?

Only state-changing calls are replayed (reads cannot change state, and a read the agent skipped
does not matter if the writes are right), each as in a live conversation (with the domain's sync),
on a fresh copy of the task's initial state; the agent's and the user's databases are compared by
canonical fingerprint with the gold actions' replay.
"""

from __future__ import annotations

import json

from writ.core import Environment, ToolCall
from writ.data import DomainData
from writ.replay import replay_task
from writ.task import Task
from writ.verify.base import Check, Context, fail, ok, parse_arguments, register, tool_calls_of

__all__ = ["gold_environment", "gold_state", "replayed_environment", "replayed_state"]

_GOLD: dict[tuple[int, str, str], Environment] = {}


def gold_environment(data: DomainData, task: Task) -> Environment:
    """The environment after the gold actions (live semantics: sync after each call and at the end)."""
    # Keyed by what determines the gold state, not by task id: behaviour variants of one task
    # (different ids, same initial state and actions) share one replay.
    key = (id(data.base), json.dumps(task.initial_state, sort_keys=True, default=str),
           json.dumps([(a.requestor, a.name, a.arguments) for a in task.actions], sort_keys=True, default=str))
    if key not in _GOLD:
        env = data.environment(task)
        for action in task.actions:
            env.step(ToolCall(action.name, dict(action.arguments), requestor=action.requestor))
        env.run_sync()
        _GOLD[key] = env
    return _GOLD[key]


def gold_state(data: DomainData, task: Task) -> tuple[str, str | None]:
    """Fingerprints after the gold actions."""
    env = gold_environment(data, task)
    return env.fingerprint(), env.user_fingerprint()


def replayed_environment(ctx: Context) -> Environment:
    """A fresh copy of the initial state with only the episode's state-changing calls replayed."""
    env = ctx.data.environment(ctx.task)
    for _, call, requestor in tool_calls_of(ctx.messages):
        name = call.get("function", {}).get("name", "")
        if not ctx.is_write(name, requestor):
            continue
        arguments = parse_arguments(call)
        if arguments is not None:
            env.step(ToolCall(name, arguments, requestor=requestor))
    env.run_sync()
    return env


def replayed_state(ctx: Context) -> tuple[str, str | None]:
    env = replayed_environment(ctx)
    return env.fingerprint(), env.user_fingerprint()


@register("state")
def state(ctx: Context) -> Check:
    gold = gold_environment(ctx.data, ctx.task)
    env = replayed_environment(ctx)
    if not env.db.same_state(gold.db):
        return fail("the agent database differs from the gold replay")
    if (env.user_db is None) != (gold.user_db is None) or (
            env.user_db is not None and not env.user_db.same_state(gold.user_db)):
        return fail("the user database differs from the gold replay")
    return ok()


_ = replay_task  # the gold outputs themselves come from writ.replay; kept importable here

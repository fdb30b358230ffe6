"""The state verifier: did the conversation leave the database exactly as the gold solution does?

Only state-changing calls are replayed (reads cannot change state, and a read the agent skipped
does not matter if the writes are right), each as in a live conversation (with the domain's sync),
on a fresh copy of the task's initial state; the agent's and the user's databases are compared with
the gold replay (`writ.replay.replay_gold` with live semantics, ``sync=True``).
"""

from __future__ import annotations

from writ.core import Environment, ToolCall
from writ.data import DomainData
from writ.replay import replay_gold
from writ.task import Task
from writ.verify.base import Check, Context, fail, ok, parse_arguments, register, tool_calls_of

__all__ = ["gold_environment", "gold_state", "replayed_environment", "replayed_state"]


def gold_environment(data: DomainData, task: Task) -> Environment:
    """A private copy of the environment after the gold actions (live semantics); raises if the
    initial state cannot be applied."""
    return replay_gold(data, task, sync=True).final_environment()


def gold_state(data: DomainData, task: Task) -> tuple[str, str | None]:
    """Fingerprints after the gold actions (live semantics)."""
    gold = replay_gold(data, task, sync=True)
    if gold.error:
        raise ValueError(gold.error)
    return gold.db_hash, gold.user_db_hash


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
    gold = replay_gold(ctx.data, ctx.task, sync=True)
    if gold.error:
        return fail(f"the gold replay failed: {gold.error}")
    env = replayed_environment(ctx)
    if not env.db.same_state(gold.environment.db):
        return fail("the agent database differs from the gold replay")
    if (env.user_db is None) != (gold.environment.user_db is None) or (
            env.user_db is not None and not env.user_db.same_state(gold.environment.user_db)):
        return fail("the user database differs from the gold replay")
    return ok()

"""Validation by execution: a generated task is kept only if replaying it proves it is sound.

Checks, in order: every gold action succeeds on a fresh copy of the initial state and gives the
same text as when it was drafted; each write is allowed by the domain policy at the moment it
runs; the writes change the state; the generator's uniqueness checks still hold; and for
read-heavy tasks no identifier a write needs appears in what the user says or knows.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from writ.core import Environment, ToolCall
from writ.data import DomainData
from writ.replay import replay_gold
from writ.task import Action, Task

__all__ = ["PolicyCheck", "leaked_ids", "validate_task", "write_set_key"]

PolicyCheck = Callable[[Environment, Action], "str | None"]
LEAK_EVIDENCE_THRESHOLD = 3


def write_set_key(task: Task, data: DomainData) -> str:
    """Identity of a task's gold writes (or, for information tasks, of what must be said)."""
    writes = sorted(json.dumps([a.requestor, a.name, a.arguments], sort_keys=True) for a in task.actions
                    if data.domain.is_write(a.name))
    meta = task.writ or {}
    if writes and meta.get("outcome", "write") == "write":
        return "|".join(writes)
    if writes:  # bookkeeping writes (banking's verification record) say little: what was asked tells tasks apart
        return "|".join(writes) + "|" + json.dumps(meta.get("facts"), sort_keys=True)
    info = task.evaluation_criteria.communicate_info if task.evaluation_criteria else None
    return "info:" + "|".join(sorted(info or [])) + "|" + json.dumps((task.writ or {}).get("facts"), sort_keys=True)


def leaked_ids(task: Task) -> list[str]:
    """Identifiers the writes need that appear in the user's scenario text."""
    text = json.dumps(task.user_scenario, ensure_ascii=False)
    secrets = {s for w in (task.writ or {}).get("writes", []) for s in w.get("secret_ids", [])}
    return sorted(s for s in secrets if s and s in text)


def validate_task(data: DomainData, task: Task, *, expected_outputs: list[str] | None = None,
                  policy: PolicyCheck | None = None,
                  checks: list[Callable[[Environment], str | None]] = ()) -> str | None:
    """Return the reason the task is unsound, or None when it passes every check."""
    env = data.environment(task)
    before = (env.fingerprint(), env.user_fingerprint())
    n_writes = 0
    refusals = list((task.writ or {}).get("refusals") or [])

    def refused_here(i: int) -> str | None:
        for refusal in refusals:
            if refusal["after"] == i and policy is not None:
                would_be = Action(name=refusal["name"], arguments=dict(refusal["arguments"]))
                if policy(env, would_be) is None:
                    return f"outcome: a refused request would be allowed ({refusal['name']})"
        return None

    for i, action in enumerate(task.actions):
        problem = refused_here(i)
        if problem:
            return problem
        if data.domain.is_write(action.name, action.requestor):
            n_writes += 1
            if policy is not None:
                problem = policy(env, action)
                if problem:
                    return f"policy: {problem}"
        result = env.step(ToolCall(action.name, dict(action.arguments), requestor=action.requestor), sync=False)
        if result.error:
            return f"replay: a gold action fails ({i}: {action.name})"
        if expected_outputs is not None and result.content != expected_outputs[i]:
            return f"replay: a gold action differs from the draft ({i}: {action.name})"
    problem = refused_here(len(task.actions))
    if problem:
        return problem
    if n_writes and (env.fingerprint(), env.user_fingerprint()) == before:
        return "replay: the writes leave the state unchanged"
    assertions = (task.evaluation_criteria.env_assertions if task.evaluation_criteria else None) or []
    if assertions:
        # tau2 evaluates assertions on the conversation's environment, which syncs after every call
        live = replay_gold(data, task, sync=True).final_environment()
        for a in assertions:
            result = live.check_assertion(a, sync=False)
            if result.note:
                return f"assertion: an assertion could not be judged ({a.get('func_name')}: {result.note})"
            if not result.met:
                return f"assertion: an assertion does not hold after the gold actions ({a.get('func_name')})"
    for check in checks:
        problem = check(data.environment(task))
        if problem:
            return f"uniqueness: {problem}"
    if (task.writ or {}).get("evidence", 0) >= LEAK_EVIDENCE_THRESHOLD:
        leaks = leaked_ids(task)
        if leaks:
            return f"leak: the scenario names an identifier a write needs ({leaks[0]})"
    return None

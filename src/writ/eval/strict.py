"""The strict reward: the tau2-equal reward plus what tau2's judge lets through.

tau2's judge has known holes: in retail the basis is ``[DB, NL_ASSERTION]``, so what the agent
says is never checked; a write that changes nothing tau2 hashes (a wrong payment id on a bag
update that adds no paid bags) passes; a write the agent skipped scores 1.0 when the gold call
itself fails. The strict reward is 1 only when, beyond a tau2-equal reward of 1:

* ``gold_writes``: every gold write is matched by a call of the same side, name and arguments
  (all of them, compared as tau2 compares values), whether or not the basis has ACTION;
* ``communicate``: every ``communicate_info`` string was said, whether or not the basis has
  COMMUNICATE (tau2's substring rule);
* ``no_extra_writes``: every successful agent write is one of the gold writes (each gold write
  covers one call). Writes on the user's own device are the simulated user's doing and are left
  to the basis (telecom's env assertions);
* ``information_flow`` and ``protocol``: writ's verifiers (every value the agent used was said, read or
  derived;
  seen before it; the user's explicit confirmation before each agent write, one call per turn, no
  text beside a call, arguments that fit the schema, a clean end).

Components not evaluated in the tau2-equal reward (NL assertions without a judge) stay not
evaluated here: the strict reward is then "strict over what was evaluated" and marked so.
"""

from __future__ import annotations

from typing import Any

from writ.core import Episode
from writ.data import DomainData
from writ.eval.conversation import CallRecord, tool_calls
from writ.eval.reward import communicate_checks, is_success, normalize_arg
from writ.task import Action, Task
from writ.verify import verify_episode

__all__ = ["STRICT_CHECKS", "strict_reward"]

STRICT_CHECKS = ("tau2", "gold_writes", "communicate", "no_extra_writes", "information_flow", "protocol")


def _same_write(action: Action, call: CallRecord) -> bool:
    if action.name != call.name or action.requestor != call.requestor or call.arguments is None:
        return False
    return normalize_arg(call.arguments) == normalize_arg(dict(action.arguments))


def strict_reward(task: Task, data: DomainData, messages: list[dict[str, Any]], termination: str,
                  reward_info: dict[str, Any]) -> dict[str, Any]:
    """``{"reward", "checks": {name: {"passed", "reason"}}, "not_evaluated"}`` for one conversation."""
    checks: dict[str, dict[str, Any]] = {}
    tau2_ok = is_success(reward_info.get("reward"))
    checks["tau2"] = {"passed": tau2_ok, "reason": "" if tau2_ok else f"tau2-equal reward {reward_info.get('reward')}"}

    calls = tool_calls(messages)
    gold_writes = [a for a in task.actions if data.domain.is_write(a.name)]
    missing = [a for a in gold_writes if not any(_same_write(a, c) for c in calls)]
    checks["gold_writes"] = {"passed": not missing,
                             "reason": (f"gold write {missing[0].name}({missing[0].arguments}) never made"
                                        if missing else "")}

    infos = list(task.evaluation_criteria.communicate_info or []) if task.evaluation_criteria else []
    unsaid = [c["info"] for c in communicate_checks(infos, messages) if not c["met"]]
    checks["communicate"] = {"passed": not unsaid, "reason": f"never said {unsaid[0]!r}" if unsaid else ""}

    available = list(gold_writes)
    extra: CallRecord | None = None
    for call in calls:
        if call.requestor != "assistant" or not call.succeeded or not data.domain.is_write(call.name):
            continue
        match = next((a for a in available if _same_write(a, call)), None)
        if match is None:
            extra = extra or call
        else:
            available.remove(match)
    checks["no_extra_writes"] = {"passed": extra is None,
                                 "reason": f"{extra.name}({extra.arguments}) is not a gold write" if extra else ""}

    episode = Episode(task.id, 0, data.domain.name, messages=messages, termination=termination)
    verdict = verify_episode(episode, task, data, only=["information_flow", "protocol"])
    for name in ("information_flow", "protocol"):
        check = verdict.checks.get(name)
        checks[name] = {"passed": bool(check and check.passed), "reason": check.reason if check else "not run"}

    passed = all(c["passed"] for c in checks.values())
    return {"reward": 1.0 if passed else 0.0, "checks": checks,
            "not_evaluated": list((reward_info.get("info") or {}).get("not_evaluated") or [])}

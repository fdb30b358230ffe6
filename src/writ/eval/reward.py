"""The tau2-equal reward: one simulation scored the way tau2-bench's evaluator scores it.

Components, each computed whether or not the task's ``reward_basis`` names it (so reports can
show what tau2 lets through), multiplied over the basis only (a task without a basis gets tau2's
default ``["DB", "COMMUNICATE"]``):

* DB: replay the conversation's state-changing calls (agent's and user's) on a fresh copy of the
  task's initial state, each with the domain's sync as in a live call, sync once more at the end,
  and compare agent and user fingerprints with the gold replay of the task's actions, run as
  tau2's evaluator runs them: after the initial state, without per-call sync. A recorded result
  that differs from the replayed one ends the scoring with reward 0, as tau2's strict replay does
  (``strict_replay=False`` only notes it). A gold write that fails makes the gold state
  incomplete; a match is still 1.0 (tau2 reports it as not evaluated) and is flagged in ``info``.
* ENV_ASSERTION: each assertion run on the replayed environment equals its ``assert_value``.
* COMMUNICATE: every ``communicate_info`` string, lower-cased, is a substring of some assistant
  text lower-cased with commas removed (the string itself keeps its commas, as in tau2).
* ACTION: every gold action (reads included) is matched by a tool call of either side with the
  same name whose arguments equal the gold ones on ``compare_args``, or, without
  ``compare_args``, on the keys of the call itself; the requestor is not compared (tau2's rule).
* NL_ASSERTION: judged by a model (`writ.eval.judge`) when one is given; otherwise recorded as
  not evaluated, left out of the product and listed in ``info["not_evaluated"]``, never passed.

A simulation that did not end with the user's or the agent's stop (step limit, too many errors, a
model error, a crash) scores 0, as in tau2.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from writ.core import Environment, Termination, ToolCall
from writ.data import DomainData
from writ.eval.conversation import CallRecord, tool_calls
from writ.replay import replay_gold
from writ.task import Action, Task
from writ.verify.communicate import communicated

__all__ = ["COMPLETED", "DEFAULT_BASIS", "GoldState", "NLJudge", "ReplayDiverged", "action_checks", "action_matches",
           "communicate_checks", "gold_state", "is_success", "normalize_arg", "replay_predicted",
           "score_reward", "termination_of", "texts_of"]

DEFAULT_BASIS = ["DB", "COMMUNICATE"]
COMPLETED = {t.value for t in Termination if t.terminated}  # user stop, transfer, out of scope, agent stop

# (nl_assertions, messages) -> list of {"nl_assertion", "met", "justification"}
NLJudge = Callable[[list[str], list[dict[str, Any]]], Awaitable[list[dict[str, Any]]]]


def is_success(reward: float | None) -> bool:
    """tau2's success test: a reward within 1e-6 of 1."""
    return reward is not None and (1 - 1e-6) <= reward <= (1 + 1e-6)


def normalize_arg(value: Any) -> Any:
    """Argument values as tau2 compares them: a string holding JSON compares as its JSON value."""
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith(("{", "[")):
            try:
                return normalize_arg(json.loads(stripped))
            except json.JSONDecodeError:
                return value
        return value
    if isinstance(value, dict):
        return {k: normalize_arg(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize_arg(v) for v in value]
    return value


def texts_of(messages: list[dict[str, Any]], role: str = "assistant") -> list[str]:
    return [m["content"] for m in messages if m["role"] == role and isinstance(m.get("content"), str) and m["content"]]


# -- gold state -----------------------------------------------------------------------------------
@dataclass
class GoldState:
    db: str | None
    user_db: str | None
    failed_writes: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None


def gold_state(data: DomainData, task: Task) -> GoldState:
    """Fingerprints after the gold actions as tau2's evaluator runs them (`replay_gold`, no per-call sync)."""
    gold = replay_gold(data, task, sync=False)
    return GoldState(gold.db_hash, gold.user_db_hash, [dict(f) for f in gold.failed_writes], gold.error)


def _initial_env(data: DomainData, task: Task) -> Environment:
    """A fresh environment in the task's initial state, synced as tau2's set_state leaves it."""
    env = data.environment(task)
    env.run_sync()
    return env


def _parsed(text: str | None) -> Any:
    try:
        return json.loads(text) if text is not None else None
    except (TypeError, json.JSONDecodeError):
        return text


class ReplayDiverged(Exception):
    """A replayed state-changing call gave another result than the conversation recorded."""


def replay_predicted(data: DomainData, task: Task, calls: list[CallRecord], *, strict: bool = True,
                     notes: list[str] | None = None) -> Environment:
    """The environment after the conversation's state-changing calls, replayed as tau2 replays them."""
    env = _initial_env(data, task)
    for call in calls:
        if not data.domain.is_write(call.name):
            continue  # unknown tools and reads change nothing
        if call.arguments is None:
            if notes is not None:
                notes.append(f"{call.name}: arguments are not a JSON object; skipped")
            continue
        result = env.step(ToolCall(call.name, dict(call.arguments), call.id, call.requestor))
        if call.result is not None and _parsed(result.content) != _parsed(call.result):
            message = (f"replayed {call.name} (message {call.index}) returned {result.content[:200]!r}, "
                       f"the conversation recorded {call.result[:200]!r}")
            if strict:
                raise ReplayDiverged(message)
            if notes is not None:
                notes.append(message)
    env.run_sync()
    return env


# -- components -------------------------------------------------------------------------------------
def communicate_checks(infos: list[str], messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    texts = texts_of(messages)
    out = []
    for info in infos:
        met = communicated(info, texts)
        out.append({"info": info, "met": met,
                    "justification": f"Information '{info}' {'communicated' if met else 'not communicated'}."})
    return out


def action_matches(action: Action, call: CallRecord) -> bool:
    """tau2's ``Action.compare_with_tool_call``: name, then compare_args (or the call's own keys)."""
    if action.name != call.name or call.arguments is None:
        return False
    keys = list(call.arguments) if action.compare_args is None else action.compare_args
    if not keys:
        return True
    mine = {k: normalize_arg(v) for k, v in call.arguments.items() if k in keys}
    gold = {k: normalize_arg(v) for k, v in action.arguments.items() if k in keys}
    return mine == gold


def action_checks(actions: list[Action], calls: list[CallRecord]) -> list[dict[str, Any]]:
    out = []
    for action in actions:
        met = any(action_matches(action, call) for call in calls)
        out.append({"action": action.model_dump(mode="json"), "action_match": met,
                    "action_reward": 1.0 if met else 0.0})
    return out


def _env_assertions(env: Environment, assertions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for assertion in assertions:
        result = env.check_assertion(assertion)
        out.append({"env_assertion": assertion, "met": result.met, "reward": 1.0 if result.met else 0.0,
                    **({"note": result.note} if result.note else {})})
    return out


# -- the reward -------------------------------------------------------------------------------------
def termination_of(value: Any) -> str:
    """A termination reason in writ's spelling (tau2's values are the same words)."""
    return str(value or "").strip().lower().replace("-", "_")


async def score_reward(task: Task, data: DomainData, messages: list[dict[str, Any]], termination: str, *,
                       nl_judge: NLJudge | None = None, strict_replay: bool = True) -> dict[str, Any]:
    """tau2's ``reward_info`` for one conversation (canonical messages) that ended with `termination`."""
    termination = termination_of(termination)
    criteria = task.evaluation_criteria
    basis = (list(criteria.reward_basis) if criteria is not None and criteria.reward_basis is not None
             else list(DEFAULT_BASIS))
    info: dict[str, Any] = {"not_evaluated": []}
    empty = {"reward": 0.0, "db_check": None, "action_checks": None, "communicate_checks": None,
             "env_assertions": None, "nl_assertions": None, "reward_basis": basis, "reward_breakdown": {}}
    if termination not in COMPLETED:
        info["note"] = f"Simulation terminated prematurely. Termination reason: {termination or 'unknown'}"
        return {**empty, "info": info}
    if criteria is None:
        info["note"] = "No evaluation criteria"
        return {**empty, "reward": 1.0, "info": info}
    calls = tool_calls(messages)
    notes: list[str] = []

    # environment: DB and env assertions
    db_check: dict[str, Any]
    env_results: list[dict[str, Any]] = []
    if criteria.actions is None and criteria.env_assertions is None:
        db_check = {"db_match": True, "db_reward": 1.0}
        info["env"] = "No expected actions or env assertions"
    else:
        gold = gold_state(data, task)
        if gold.error:
            info["error"] = f"gold: {gold.error}"
            return {**empty, "info": info}
        try:
            env = replay_predicted(data, task, calls, strict=strict_replay, notes=notes)
        except ReplayDiverged as exc:
            info["error"] = f"replay diverged: {exc}"
            return {**empty, "info": info}
        match = env.fingerprint() == gold.db and env.user_fingerprint() == gold.user_db
        db_check = {"db_match": match, "db_reward": 1.0 if match else 0.0,
                    "agent_db_match": env.fingerprint() == gold.db,
                    "user_db_match": env.user_fingerprint() == gold.user_db}
        if gold.failed_writes:
            info["gold_replay_incomplete"] = True
            info["failed_mutating_actions"] = gold.failed_writes
        env_results = _env_assertions(env, list(criteria.env_assertions or []))

    actions = action_checks(list(criteria.actions or []), calls)
    communicate = communicate_checks(list(criteria.communicate_info or []), messages)

    nl_results: list[dict[str, Any]] | None = None
    nl_reward: float | None = None
    nl_needed = "NL_ASSERTION" in basis
    if not criteria.nl_assertions:
        nl_results, nl_reward = [], 1.0
    elif nl_judge is not None and nl_needed:
        try:
            nl_results = await nl_judge(list(criteria.nl_assertions), messages)
            nl_reward = 1.0 if nl_results and all(r.get("met") for r in nl_results) else 0.0
        except Exception as exc:  # a judge failure is "not evaluated", never a pass
            info["nl_error"] = f"{type(exc).__name__}: {exc}"[:300]

    components = {
        "DB": db_check["db_reward"],
        "ENV_ASSERTION": 1.0 if all(r["met"] for r in env_results) else 0.0,
        "COMMUNICATE": 1.0 if all(r["met"] for r in communicate) else 0.0,
        "ACTION": 1.0 if all(r["action_match"] for r in actions) else 0.0,
        "NL_ASSERTION": nl_reward,
    }
    reward, breakdown = 1.0, {}
    for name in basis:
        value = components.get(name)
        if name not in components:
            info.setdefault("unknown_basis", []).append(name)
            continue
        if value is None:
            info["not_evaluated"].append(name)
            continue
        breakdown[name] = value
        reward *= value
    if notes:
        info["replay_notes"] = notes
    return {"reward": reward, "db_check": db_check, "action_checks": actions, "communicate_checks": communicate,
            "env_assertions": env_results, "nl_assertions": nl_results, "reward_basis": basis,
            "reward_breakdown": breakdown, "info": info}

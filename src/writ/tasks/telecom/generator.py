"""The telecom task generator: phones and accounts fixed (or not) by following the support workflow.

A task is one customer, calling from the phone of one of their lines, with one request: a complaint
("no service", "mobile data down or slow", "MMS fails", or data then MMS) caused by faults the
task's `initial_state` injects (airplane mode, an unseated or locked SIM, a broken APN, roaming off
on the phone or on the line while abroad, mobile data off, the data allowance used up, Data Saver,
a 2G/3G preference, a poor VPN, no MMSC URL, Wi-Fi Calling with MMS over Wi-Fi, missing messaging
permissions, a suspended line), or an account request (reactivate a relative's suspended line, add
data, enable roaming abroad, how much data was used).

The gold actions are what the support workflow (`writ.tasks.telecom.workflow`) does when run on the
task itself (`writ.tasks.telecom.live`): the checks the customer is asked to run, the account
reads, and the fixes, each after the check that shows its fault. The two axes: writes = the fixes;
evidence = the checks and reads before a fix, set by what the customer says (a named setting or a
clue is checked first; a wrong suspicion costs a check that rules it out; nothing said means
walking the workflow), by where the faults sit in the workflow, and by how far down the account's
lines the customer's own line is. Designs are drawn (`sampling`) and run until one fits the cell.
"""

from __future__ import annotations

import random
from typing import Any

from writ.core import Environment
from writ.data import DomainData
from writ.task import Action
from writ.tasks.axes import Cell
from writ.tasks.draft import DraftError, TaskDraft
from writ.tasks.telecom import phrases as P
from writ.tasks.telecom import wording as W
from writ.tasks.telecom.faults import Plan, detect_faults, env_assertions, initial_state, live_assertions
from writ.tasks.telecom.frames import frames_of
from writ.tasks.telecom.live import LiveObserver, run_requests
from writ.tasks.telecom.policy import policy_violation
from writ.tasks.telecom.sampling import sample_plan

__all__ = ["GENERATOR", "TelecomGenerator"]

TRIES = {True: 60, False: 30}  # draws per task: single-write cells need more (few distinct write sets)
SUMMARY = {"sim_locked": "The SIM card is locked (PIN/PUK); the customer needs technical support to unlock it.",
           "contract_ended": "The line is suspended and its contract has ended, so the suspension cannot be lifted."}


def _expected(plan: Plan) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fault in plan.faults:
        if fault == "perms":
            out[fault] = sorted(plan.perms)
        elif fault == "mode":
            out[fault] = plan.mode_from
        elif fault in ("suspended", "family_suspended"):
            out[fault] = "Suspended"
        else:
            out[fault] = True
    if plan.sim_lock:
        out["sim_locked"] = f"locked_{plan.sim_lock}"
    return out


def _diagnosis_check(plan: Plan):
    expected = _expected(plan)

    def check(env: Environment) -> str | None:
        found = detect_faults(env, plan.account, plan.complaint, plan.family_line[0] if plan.family_line else "")
        if "perms" in found:
            found["perms"] = sorted(found["perms"])
        if found != expected:
            return f"the initial state shows faults {sorted(found)}, the task addresses {sorted(expected)}"
        return None

    return check


def _holds(env: Environment, assertions: list[dict[str, Any]]) -> bool:
    return all(env.check_assertion(a, sync=False).met for a in assertions)


class TelecomGenerator:
    domain = "telecom"

    def min_scale(self, n: int) -> float:
        """The generated-database scale that gives about two customers per task (4 customers per unit), so
        that tasks, each drawn independently, land on many different customers."""
        return n / 2

    def draft(self, data: DomainData, cell: Cell, rng: random.Random) -> TaskDraft:
        best: tuple[int, TaskDraft] | None = None
        for _ in range(TRIES[cell.writes == 1]):
            plan = sample_plan(rng, data, cell)
            if plan is None:
                continue
            try:
                draft = self._run(data, plan, rng)
            except DraftError:
                continue
            writes = len(draft.writes)
            if (writes != cell.writes) if cell.outcome == "write" else (writes or draft.outcome != cell.outcome):
                continue
            gap = abs(draft.evidence - cell.evidence)
            if best is None or gap < best[0]:
                best = (gap, draft)
            if gap == 0 and (cell.writes != 1 or rng.random() < 0.5):
                break
        if best is None:
            raise DraftError(f"no telecom request with {cell.writes} fixes ({cell.outcome}) fits this database")
        return best[1]

    def _run(self, data: DomainData, plan: Plan, rng: random.Random) -> TaskDraft:
        state = initial_state(plan)
        draft = TaskDraft(data, "telecom", rng, initial_state=state)
        problem = _diagnosis_check(plan)(draft.env)
        if problem:
            raise DraftError(f"setup does not produce the planned faults ({problem})")
        a = plan.account
        target = plan.family_line[0] if plan.family_line else a.line_id
        candidates = plan.family_line[2] if plan.family_line else a.k
        live = data.environment()
        live.apply_initial_state(state)
        obs = LiveObserver(draft, live, a.customer_id, a.phone, rng, [a.customer_id, target], candidates)
        requests = frames_of(rng, plan)
        stated = [({k: v for k, v in full.items() if k not in withhold}, full) for full, withhold in requests]

        def open_request(i: int) -> None:
            full, withhold = requests[i]
            said = {k: v for k, v in full.items() if k not in withhold}
            draft.request(P.render(rng, said, 1, also=i > 0), P.render(rng, full, 2, also=i > 0), frame=full,
                          withhold=withhold, phone_number=a.phone)
            if i == 0:
                obs.authenticate()

        outcomes = run_requests(obs, stated, open_request)
        for i, outcome in enumerate(outcomes):
            self._hold_back_only_what_is_asked(draft, rng, i, requests[i], outcome.facts.pop("_asked"))
        for outcome in outcomes:
            self._settle(draft, plan, outcome)
        problem = self._live_check(data, state, draft, plan)
        if problem:
            raise DraftError(f"live path fails ({problem})")
        self._describe(draft, plan, rng)
        draft.env_assertions = env_assertions(plan)
        if plan.complaint == "usage":
            draft.reward_basis = ["DB", "COMMUNICATE"]
        elif draft.outcome == "transfer":
            draft.reward_basis = ["ENV_ASSERTION", "ACTION"]
        else:
            draft.reward_basis = ["ENV_ASSERTION"]
        draft.check(_diagnosis_check(plan))
        return draft

    @staticmethod
    def _hold_back_only_what_is_asked(draft: TaskDraft, rng: random.Random, i: int, request: tuple, asked: list[str]):
        """A held-back detail the agent never needed (a bill that was paid after all, where the customer is
        when data only runs slow) is dropped from the frame: the customer keeps what it was asked for."""
        full, withhold = request
        unasked = [k for k in withhold if k not in asked and not (k == "country" and "abroad" in asked)]
        if not unasked:
            return
        frame = {k: v for k, v in full.items() if k not in unasked}
        req = draft.requests[i]
        req.frame, req.withhold = frame, [k for k in withhold if k not in unasked]
        req.instruction = P.render(rng, frame, 2, also=i > 0)

    @staticmethod
    def _settle(draft: TaskDraft, plan: Plan, outcome: Any) -> None:
        """Record how a request ended: the refusal or transfer the policy calls for, or what must be said."""
        expected = "transfer" if plan.sim_lock or (plan.contract_ended and plan.complaint == "service") else \
            "refuse" if plan.blocked or plan.refuel_gb > 2.0 else "inform" if plan.complaint == "usage" else "resolved"
        if outcome.kind != expected:
            raise DraftError(f"the workflow ends in {outcome.kind} ({outcome.topic}), the plan needs {expected}")
        if outcome.kind == "refuse":
            name, args = outcome.would_be
            draft.refuse(name, args, outcome.topic)
            draft.close_info_request()
        elif outcome.kind == "transfer":
            draft.transfer(SUMMARY.get(outcome.topic, "The issue could not be fixed by troubleshooting."))
            draft.actions[-1]["compare_args"] = []
            draft.close_info_request()
        elif outcome.kind == "inform":
            usage = outcome.facts["usage"]
            draft.communicate(str(usage["data_used_gb"]))
            draft.close_info_request()

    @staticmethod
    def _live_check(data: DomainData, state: dict[str, Any], draft: TaskDraft, plan: Plan) -> str | None:
        """On the live path (sync after every call) the gold ends as planned, and every write is needed."""
        checks = live_assertions(plan)
        actions = draft.actions
        write_ids = [i for i, act in enumerate(actions) if data.domain.is_write(act["name"], act["requestor"])]

        def run(skip: int | None) -> Environment:
            env = data.environment()
            env.apply_initial_state(state)
            for i, act in enumerate(actions):
                if i == skip or (skip is not None and i not in write_ids):
                    continue
                env.step(act["name"], dict(act["arguments"]), requestor=act["requestor"])
            return env

        if not _holds(run(None), checks):
            return "the gold actions do not end as planned on the live path"
        for i in write_ids:
            if _holds(run(i), checks):
                return f"write {i} ({actions[i]['name']}) is not needed"
        return None

    def _describe(self, draft: TaskDraft, plan: Plan, rng: random.Random) -> None:
        a = plan.account
        draft.facts["auth"] = {"method": "phone", "phone_number": a.phone}
        draft.facts["auth_action"] = 0
        draft.facts["name"] = a.name
        draft.known_info.append(f"You are {a.name} with phone number {a.phone}.")
        if plan.complaint == "line":
            draft.known_info.append(f"The line of your {plan.relation} on your account has the number "
                                    f"{plan.family_line[1]}.")
        elif plan.abroad:
            draft.known_info.append(f"You are currently abroad in {plan.country}.")
        else:
            draft.known_info.append(f"You are currently at home in {a.city}, {a.state}.")
        draft.unknown_info.append("You do not know your customer ID or the ID of your line.")
        if plan.complaint in ("service", "data", "mms", "data+mms"):
            if any(m == "diagnosed" for m in plan.modes.values()) or plan.sim_lock:
                draft.unknown_info.append("You do not know what is causing the problem.")
            draft.task_instructions.append(W.pick(rng, W.FOLLOW))
            for goal in ("service", "data", "mms"):
                if goal in plan.complaint.split("+") and not plan.blocked:
                    draft.task_instructions.append(W.pick(rng, W.GOALS[goal]))
            draft.task_instructions.append(W.GROUND)
        if plan.complaint == "line" and not plan.blocked:
            draft.task_instructions.append(W.pick(rng, W.GOALS["line"]).format(rel=plan.relation))
        if "usage" in plan.faults:
            draft.task_instructions.append(
                f"If the agent asks how much data to add, say {plan.refuel_gb:g} GB; you do not want to change "
                "your plan.")
        if "mode" in plan.faults and plan.complaint == "mms":
            draft.task_instructions.append(
                f"If the agent asks which network mode you want, choose {P.MODE_NAMES[plan.mode_to]}.")
        if not plan.paid:
            draft.task_instructions.append("You cannot pay the overdue bill today; if the agent offers a payment "
                                           "request, decline it.")
        if plan.blocked or plan.refuel_gb > 2.0:
            draft.task_instructions.append("If the agent explains that it cannot do what you ask, accept it.")
        modes = ", ".join(f"{f} ({plan.modes.get(f, '')})" for f in plan.faults)
        draft.purpose = f"Telecom {plan.complaint} request for {a.name} ({a.phone}): {modes or 'no fault'}" + (
            f"; red herrings {', '.join(plan.herrings)}" if plan.herrings else "") + "."
        draft.extra["telecom"] = {
            "complaint": plan.complaint, "abroad": plan.abroad, "faults": plan.faults,
            "modes": {f: plan.modes.get(f, "") for f in plan.faults}, "herrings": list(plan.herrings),
            "customer_id": a.customer_id, "line_id": a.line_id, "blocked": plan.blocked,
        }

    def policy_violation(self, env: Environment, action: Action) -> str | None:
        return policy_violation(env, action)


GENERATOR = TelecomGenerator()

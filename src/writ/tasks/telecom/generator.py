"""The telecom task generator: broken phones (and accounts) fixed by following the support workflow.

A task is one customer, calling from the phone of one of their lines, with one complaint ("no
service", "mobile data down or slow", "MMS fails", or data then MMS) caused by several faults that
the task's `initial_state` injects (airplane mode on, SIM unseated, APN broken, roaming off on the
phone or on the line while abroad, mobile data off, data allowance used up, Data Saver, a 2G/3G
network preference, a poor VPN, no MMSC URL, Wi-Fi Calling with MMS over Wi-Fi, missing messaging
permissions, a line still suspended after its overdue bill was paid). Every fault has one fix, so
the writes are the diagnosis; each is necessary (checked on a live replay).

The two axes: writes = the number of fixes (phone or account); evidence = the checks before a fix,
set by how the user describes each fault (*disclosed*: the user states the faulty setting, no check
needed; *hinted*: a clue that points to one check; *diagnosed*: nothing, so the agent walks the
workflow's checks up to it), by where the faults sit in the workflow, by how many line records the
agent reads to find the user's line, and by optional corroborating checks. Plans are sampled and
their evidence computed symbolically (`route`) until one matches the target cell.
"""

from __future__ import annotations

import random
from typing import Any

from writ.core import Environment, ToolCall
from writ.data import DomainData
from writ.task import Action
from writ.tasks.axes import Cell
from writ.tasks.draft import DraftError, TaskDraft
from writ.tasks.telecom import wording as W
from writ.tasks.telecom.faults import LAYERS, Plan, detect_faults, env_assertions, initial_state, live_assertions
from writ.tasks.telecom.policy import policy_violation
from writ.tasks.telecom.sampling import search

__all__ = ["GENERATOR", "TelecomGenerator"]

FAULT_LABELS = {
    "airplane": "airplane mode on", "sim": "SIM card unseated", "apn": "APN settings broken",
    "suspended": "line still suspended after its overdue bill was paid",
    "roaming_phone": "data roaming off on the phone", "roaming_line": "roaming disabled on the line",
    "data_off": "mobile data off", "usage": "data allowance used up", "saver": "Data Saver on",
    "mode": "old network mode preference", "vpn": "slow VPN connected", "mmsc": "MMSC URL missing",
    "wifi_calling": "Wi-Fi Calling with MMS over Wi-Fi", "perms": "messaging permissions missing",
    "family_suspended": "another line of the account suspended",
}


# -- wording -----------------------------------------------------------------------------------------
def _clue(rng: random.Random, plan: Plan, fault: str) -> tuple[str, str] | None:
    options = W.CLUES.get(fault, {}).get(plan.modes[fault])
    if not options:
        return None
    first, second = W.pick(rng, options)
    mode = W.MODE_NAMES.get(plan.mode_from, plan.mode_from)
    perm = " and ".join(W.PERM_NAMES[p] for p in plan.perms)
    if len(plan.perms) > 1:
        first, second = first.replace("permission", "permissions"), second.replace("permission", "permissions")
    return first.format(mode=mode, perm=perm), second.format(mode=mode, perm=perm)


def _report(rng: random.Random, plan: Plan, knob: str) -> tuple[str, str]:
    """What the user already saw on the phone: signal bars, or a speed test's verdict."""
    if knob == "signal_ok":
        return W.pick(rng, W.REPORTS["signal"])
    down = any(LAYERS[f] in ("service", "avail") for f in plan.faults)
    kind = ("data" if plan.complaint.startswith("data") else "mms") + ("_down" if down else "_up")
    return W.pick(rng, W.REPORTS[kind])


def _agent_texts(plan: Plan, faults: list[str]) -> tuple[str, str]:
    """(summary, findings) of the account-side fixes among `faults`."""
    a = plan.account
    summary, findings = [], []
    if "suspended" in faults:
        summary.append(f"lift the suspension of line {a.phone}")
        findings.append(f"Your line {a.phone} is still suspended, but your overdue bill is paid and the contract "
                        f"runs until {a.contract_end}, so I can reactivate it.")
    if "roaming_line" in faults:
        summary.append(f"enable international roaming on line {a.phone}, free of charge")
        findings.append(f"Roaming is disabled on your line {a.phone} on our side.")
    if "usage" in faults:
        cost = plan.refuel_gb * a.refuel_price
        summary.append(f"add {plan.refuel_gb} GB of data to line {a.phone} for ${cost:.2f}, charged to your next bill")
        used = round(a.limit_gb + a.refueled_gb + plan.overage_gb, 2)
        findings.append(f"Your line {a.phone} has used {used} GB against a {a.limit_gb} GB allowance"
                        + (f" plus {a.refueled_gb} GB already refueled" if a.refueled_gb else "")
                        + f" on the {a.plan_name}, so its data is cut off; refueling costs ${a.refuel_price:.2f} per GB.")
    if not findings and faults:
        findings.append("The checks show: " + "; ".join(FAULT_LABELS[f] for f in faults) + ".")
    return "; then ".join(summary), " ".join(findings)


def _requests(rng: random.Random, plan: Plan) -> list[dict[str, Any]]:
    """Per request: utterance, instruction, summary, findings, details."""
    out = []
    parts = [(0, "data" if plan.complaint == "data+mms" else plan.complaint)]
    if plan.complaint == "data+mms":
        parts.append((1, "mms_also"))
    if plan.complaint == "line":
        return [_family_request(rng, plan)]
    for index, kind in parts:
        mine = [f for f in plan.faults if plan.request_of(f) == index]
        if kind == "data":
            down = any(LAYERS[f] in ("service", "avail") for f in mine)
            kind = "data_down" if down else "data_slow"
        utterance, instruction = W.pick(rng, W.COMPLAINTS[kind])
        said, told = [utterance], [instruction]
        if index == 0 and plan.abroad:
            said.append(f"I'm travelling in {plan.country} at the moment.")
        if index == 0:
            for knob in ("signal_ok", "speed_known"):
                if plan.details.get(knob):
                    first, second = _report(rng, plan, knob)
                    said.append(first)
                    told.append(second)
        if "suspended" in mine:
            said.append("I had an overdue bill, but I paid it this morning.")
        for fault in mine:
            clue = _clue(rng, plan, fault)
            if clue:
                said.append(clue[0])
                told.append(clue[1])
        summary, findings = _agent_texts(plan, mine)
        details: dict[str, Any] = {"phone_number": plan.account.phone}
        if "usage" in mine:
            details["refuel_gb"] = plan.refuel_gb
        out.append({"utterance": " ".join(said), "instruction": " ".join(told), "summary": summary,
                    "findings": findings, "details": details})
    return out


def _family_request(rng: random.Random, plan: Plan) -> dict[str, Any]:
    a, (_, phone, _, presuspended), rel = plan.account, plan.family_line, plan.relation
    utterance, instruction = W.pick(rng, W.FAMILY)
    said = [utterance.format(rel=rel, phone=phone)]
    told = [instruction.format(rel=rel, phone=phone)]
    if presuspended:
        said.append("I don't know why it was suspended; as far as I know nothing is unpaid.")
        told.append("You do not know why it was suspended; as far as you know, no bill is unpaid.")
    else:
        said.append("There was an overdue bill on the account, but I paid it this morning.")
        told.append("There was an overdue bill on the account, which you paid this morning.")
    return {"utterance": " ".join(said), "instruction": " ".join(told),
            "summary": f"lift the suspension of line {phone}",
            "findings": f"The line {phone} is suspended, no bill on your account is unpaid, and its contract "
                        "has not ended, so I can reactivate it.",
            "details": {"phone_number": a.phone, "other_phone_number": phone}}


# -- checks --------------------------------------------------------------------------------------------
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
    return out


def _diagnosis_check(plan: Plan):
    expected = _expected(plan)

    def check(env: Environment) -> str | None:
        found = detect_faults(env, plan.account, plan.complaint, plan.family_line[0] if plan.family_line else "")
        if "perms" in found:
            found["perms"] = sorted(found["perms"])
        if found != expected:
            return f"the initial state shows faults {sorted(found)}, the fixes address {sorted(expected)}"
        return None

    return check


def _holds(env: Environment, assertions: list[dict[str, Any]]) -> bool:
    return all(env.check_assertion(a, sync=False).met for a in assertions)


def _live_check(data: DomainData, state: dict[str, Any], actions: list[dict[str, Any]], plan: Plan) -> str | None:
    """On the live path (sync after every call) the gold fixes the problem, and every write is needed."""
    checks = live_assertions(plan)

    def run(skip: int | None, writes_only: bool) -> Environment:
        env = data.environment()
        env.apply_initial_state(state)
        for i, act in enumerate(actions):
            if i == skip or (writes_only and i not in write_ids):
                continue
            env.step(ToolCall(act["name"], dict(act["arguments"]), requestor=act["requestor"]), sync=True)
        return env

    write_ids = [i for i, act in enumerate(actions) if data.domain.is_write(act["name"], act["requestor"])]
    if not _holds(run(None, False), checks):
        return "the gold actions do not fix the phone on the live path"
    for i in write_ids:
        if _holds(run(i, True), checks):
            return f"write {i} ({actions[i]['name']}) is not needed"
    return None


# -- the generator ---------------------------------------------------------------------------------
class TelecomGenerator:
    domain = "telecom"

    def draft(self, data: DomainData, cell: Cell, rng: random.Random) -> TaskDraft:
        if cell.writes == 0:
            raise DraftError("a troubleshooting task needs at least one fix (writes >= 1)")
        plan, calls = search(rng, data, cell)
        state = initial_state(plan)
        draft = TaskDraft(data, "telecom", rng, initial_state=state)
        problem = _diagnosis_check(plan)(draft.env)
        if problem:
            raise DraftError(f"setup does not produce the planned faults ({problem})")
        requests = _requests(rng, plan)
        a = plan.account
        target = plan.family_line[0] if plan.family_line else a.line_id
        secrets = [a.customer_id, target] + ([plan.bill_id] if plan.bill_id else [])
        current = -1
        after_resume = False
        for call in calls:
            if call.request != current:
                current = call.request
                r = requests[current]
                draft.request(r["utterance"], r["instruction"], summary=r["summary"], findings=r["findings"],
                              **r["details"])
            requestor = "user" if call.side == "user" else "assistant"
            ask = ""
            if call.side == "user":
                ask = W.ask_for(rng, call.name, call.arguments, "resume" if after_resume else "")
            if call.write:
                agent = call.side == "agent"
                draft.write(call.name, call.arguments, requestor=requestor, ask=ask,
                            candidates=(plan.family_line[2] if plan.family_line else a.k) if agent else 1, secret_ids=secrets[:2] if agent else [])
                after_resume = call.name == "resume_line"
            else:
                draft.read(call.name, call.arguments, requestor=requestor, ask=ask, evidence=call.role != "auth")
        if len(draft.writes) != cell.writes and plan.writes() != len(draft.writes):
            raise DraftError("route and plan disagree on the writes")
        problem = _live_check(data, state, draft.actions, plan)
        if problem:
            raise DraftError(f"live path fails ({problem})")
        self._describe(draft, plan, rng)
        draft.env_assertions = env_assertions(plan)
        draft.reward_basis = ["ENV_ASSERTION"]
        draft.check(_diagnosis_check(plan))
        return draft

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
        if "suspended" in plan.faults:
            draft.known_info.append("You had an overdue bill, which you paid this morning.")
        draft.unknown_info.append("You do not know your customer ID or the ID of your line.")
        if any(m == "diagnosed" for m in plan.modes.values()) and plan.complaint != "line":
            draft.unknown_info.append("You do not know what is causing the problem.")
        draft.task_instructions.append(W.pick(rng, W.FOLLOW))
        for goal in ("service", "data", "mms"):
            if goal in plan.complaint.split("+"):
                draft.task_instructions.append(W.pick(rng, W.GOALS[goal]))
        if plan.complaint == "line":
            draft.task_instructions.append(W.pick(rng, W.GOALS["line"]).format(rel=plan.relation))
        if plan.complaint not in ("service", "line"):
            amount = plan.refuel_gb if "usage" in plan.faults else rng.choice([1.0, 1.5, 2.0])
            draft.task_instructions.append(
                f"You are willing to refuel {amount} GB of data if necessary, but you do not want to change your mobile data plan.")
        if "suspended" in plan.faults or plan.complaint == "line":
            draft.task_instructions.append("If the agent asks you to pay a bill, you accept.")
        if plan.complaint != "line":
            draft.task_instructions.append(W.GROUND)
        modes = ", ".join(f"{FAULT_LABELS[f]} ({plan.modes[f]})" for f in plan.faults)
        draft.purpose = f"Telecom {plan.complaint} troubleshooting for {a.name} ({a.phone}): {modes}."
        draft.extra["telecom"] = {
            "complaint": plan.complaint, "abroad": plan.abroad, "faults": plan.faults,
            "modes": {f: plan.modes[f] for f in plan.faults}, "extras": sorted(plan.extras),
            "customer_id": a.customer_id, "line_id": a.line_id,
        }

    def policy_violation(self, env: Environment, action: Action) -> str | None:
        return policy_violation(env, action)


GENERATOR = TelecomGenerator()

"""A telecom plan's requests as the customer can state them: frames, and what the customer holds back.

Each request becomes a frame (see `writ.tasks.telecom.phrases` for how it is worded):

* a complaint: ``{"family": "data", "symptom": "down", "hints": ["sim"], "seen": {"signal": "ok"}}``,
  the settings the customer's words point to (the real faults they noticed or guessed, and the
  ones they wrongly suspect), what they already saw, where they are, what they say about a bill;
* an account request: a relative's suspended line (``phone``), data to add (``gb_amount``), roaming
  while abroad, how much data was used.

The customer holds back (``withhold``) what the policy makes the agent ask: how much data to add
when the allowance turns out to be used up, which network mode they want, whether they will pay an
overdue bill now, and (mostly) where they are and which line they mean. Those values sit in the
full frame, which only the customer and the generator's gold run see.
"""

from __future__ import annotations

import random
from typing import Any

from writ.tasks.telecom.faults import LAYERS, Plan

__all__ = ["Request", "frames_of"]

Request = tuple[dict[str, Any], list[str]]  # (full frame, withheld slots)


def _troubleshooting(rng: random.Random, plan: Plan, index: int, family: str) -> Request:
    mine = [fault for fault in plan.faults if plan.request_of(fault) == index]
    frame: dict[str, Any] = {"family": family}
    if family == "data":
        frame["symptom"] = "down" if any(LAYERS[fault] in ("service", "avail") for fault in mine) else "slow"
    hinted = [fault for fault in mine if plan.modes.get(fault) in ("disclosed", "hinted")]
    herrings = [suspect for suspect in plan.herrings
                if (1 if plan.complaint == "data+mms" and LAYERS.get(suspect) == "mms" else 0)
                == index]
    hints = sorted(set(hinted) | set(herrings), key=lambda suspect: list(LAYERS).index(suspect))
    if hints:
        frame["hints"] = hints
        frame["_hints"] = {suspect: plan.modes[suspect] if suspect in hinted else "herring" for suspect in hints}
    if "mode" in hinted:
        frame["_mode_from"] = plan.mode_from
    if "perms" in hinted:
        frame["_perms"] = list(plan.perms)
    withhold: list[str] = []
    if index == 0 and family != "service":
        seen = {}
        if plan.details.get("signal_ok"):
            seen["signal"] = "ok"
        if plan.details.get("speed_known"):
            down = any(LAYERS[fault] in ("service", "avail") for fault in plan.faults)
            seen["speed"] = "none" if down else ("slow" if family == "data" else "up")
        if seen:
            frame["seen"] = seen
    if family == "data":  # a speed test only measures mobile data off Wi-Fi: the agent must know
        frame["wifi"] = False
        if rng.random() < 0.65:
            withhold.append("wifi")
    if family != "service":
        frame["abroad"] = plan.abroad
        if plan.abroad:
            frame["country"] = plan.country
        says_where = any(hint.startswith("roaming") for hint in hints) or rng.random() < (0.2 if plan.abroad else 0.05)
        if not says_where or index > 0:
            withhold += ["abroad", "country"] if plan.abroad else ["abroad"]
    if "suspended" in mine:
        if "suspended" in hinted:
            frame["paid"] = plan.paid
        frame["pay"] = False
        withhold.append("pay")
    if family == "mms":
        frame["app"] = "messaging"
        withhold.append("app")
    if "usage" in mine:
        frame["gb_amount"] = plan.refuel_gb
        withhold.append("gb_amount")
    if "mode" in mine and family == "mms":
        frame["network_mode"] = plan.mode_to
        withhold.append("network_mode")
    return frame, withhold


def frames_of(rng: random.Random, plan: Plan) -> list[Request]:
    """The plan's requests in the order the customer will make them."""
    if plan.complaint == "data+mms":
        return [_troubleshooting(rng, plan, 0, "data"), _troubleshooting(rng, plan, 1, "mms")]
    if plan.complaint in ("service", "data", "mms"):
        return [_troubleshooting(rng, plan, 0, plan.complaint)]
    if plan.complaint == "line":
        _, phone, _, presuspended = plan.family_line
        frame = {"family": "line", "relation": plan.relation, "phone": phone,
                 "paid": None if presuspended else plan.paid, "pay": False}
        withhold = ["pay"] + (["phone"] if rng.random() < 0.7 else [])
        return [(frame, withhold)]
    if plan.complaint == "refuel":  # "could you add some data?": the agent asks how much (the policy's first step)
        return [({"family": "refuel", "gb_amount": plan.refuel_gb}, ["gb_amount"] if rng.random() < 0.6 else [])]
    if plan.complaint == "roaming":
        return [({"family": "roaming", "abroad": True, "country": plan.country}, [])]
    if plan.complaint == "usage":
        return [({"family": "usage"}, [])]
    raise ValueError(f"unknown complaint {plan.complaint!r}")

"""Sampling a telecom task design (`Plan`) for a target cell of the writes x evidence grid.

A plan is drawn at random (complaint, abroad or not, a fault set with exactly the cell's number of
fixes, how the user describes each fault, which optional checks the agent adds), its gold route is
computed symbolically, and the draw is kept when the route's hardest fix has the cell's evidence
(`search`). Draws are cheap (no environment is touched), so a few hundred are affordable per task.
"""

from __future__ import annotations

import itertools
import random
import weakref
from functools import lru_cache
from typing import Any

from writ.data import DomainData
from writ.tasks.axes import Cell
from writ.tasks.draft import DraftError
from writ.tasks.telecom import wording as W
from writ.tasks.telecom.faults import AGENT_FAULTS, FIX_WRITES, LAYERS, ORDER, REFUEL_CAP_GB, Account, Plan, accounts
from writ.tasks.telecom.route import Call, evidence_profile, route

__all__ = ["search"]

SEARCH_TRIES = 200
EXTRAS = ("wifi", "sim", "mode", "apps", "app_status", "bill")
_ACCOUNTS: "weakref.WeakKeyDictionary[Any, list[Account]]" = weakref.WeakKeyDictionary()


def _accounts(data: DomainData) -> list[Account]:
    found = _ACCOUNTS.get(data.base)
    if found is None:
        found = _ACCOUNTS[data.base] = accounts(data.base.store())
    return found


# -- sampling a plan for a cell ---------------------------------------------------------------------
def _pool(complaint: str, abroad: bool, account: Account) -> list[str]:
    pool = ["airplane", "sim", "apn"]
    if complaint == "service":
        return pool + (["suspended"] if account.suspend_ok else [])
    if abroad:
        pool += ["roaming_phone", "roaming_line"]
    pool += ["data_off"] + (["usage"] if account.usage_ok else [])
    if complaint in ("data", "data+mms"):
        pool += ["saver", "mode", "vpn"]
    if complaint == "mms":
        pool += ["mode"]
    if complaint in ("mms", "data+mms"):
        pool += ["mmsc", "wifi_calling", "perms"]
    return pool


def _faults(rng: random.Random, pool: list[str], writes: int, complaint: str) -> tuple[list[str], int] | None:
    """A random fault set with exactly `writes` fixes (and the number of missing permissions)."""
    order = list(pool)
    rng.shuffle(order)
    chosen: list[str] = []
    total, n_perms = 0, 0
    for fault in order:
        if total >= writes:
            break
        cost = FIX_WRITES.get(fault, 1)
        if fault == "perms":
            cost = n_perms = 2 if (writes - total >= 2 and rng.random() < 0.4) else 1
        if fault == "suspended" and writes > 3:
            continue
        if total + cost > writes:
            continue
        if fault in ("apn", "mmsc") and ({"apn", "mmsc"} & set(chosen)):
            continue
        if "suspended" in chosen and fault != "airplane" or fault == "suspended" and set(chosen) - {"airplane"}:
            continue
        chosen.append(fault)
        total += cost
    if total != writes:
        return None
    if complaint == "data+mms":
        mms = [f for f in chosen if LAYERS[f] == "mms"]
        if not mms or len(mms) == len(chosen):
            return None
    return [f for f in ORDER if f in chosen], n_perms


def _modes(rng: random.Random, faults: list[str], evidence: int) -> dict[str, str] | None:
    modes = {}
    p_diag = min(0.9, 0.3 + 0.06 * evidence)
    for fault in faults:
        agent = fault in AGENT_FAULTS
        if evidence == 0:
            if agent:
                return None
            modes[fault] = "disclosed"
        elif evidence == 1:
            modes[fault] = "hinted" if agent or rng.random() < 0.5 else "disclosed"
        else:
            r = rng.random()
            if r < p_diag:
                modes[fault] = "diagnosed"
            elif agent or r < p_diag + (1 - p_diag) / 2:
                modes[fault] = "hinted"
            else:
                modes[fault] = "disclosed"
    return modes


def _new_bill_id(rng: random.Random, data: DomainData) -> str:
    store = data.base.store()
    while True:
        bill_id = f"B{rng.randrange(1000000, 9999999)}"
        if not store.has("bills", bill_id):
            return bill_id


@lru_cache(maxsize=64)
def _amounts(room: float) -> tuple[list[float], list[float]]:
    """Refuel amounts up to `room` GB in 0.05 GB steps; round ones (halves, then tenths and quarters) likelier."""
    amounts = [round(i / 20, 2) for i in range(1, int(round(room * 20)) + 1)]
    weights = [4 if a * 2 == int(a * 2) else 2 if (a * 10 == int(a * 10) or a * 4 == int(a * 4)) else 1
               for a in amounts]
    return amounts, list(itertools.accumulate(weights))


def _refuel(rng: random.Random, account: Account) -> tuple[float, float]:
    """How much data the user wants and by how much they are over their allowance."""
    amounts, cumulative = _amounts(round(REFUEL_CAP_GB - account.refueled_gb, 2))
    amount = rng.choices(amounts, cum_weights=cumulative)[0]
    overage = round(max(0.01, min(amount - 0.01, amount * rng.uniform(0.1, 0.9))), 2)
    return amount, overage


# A single-fix task is one of few write sets (a user-side fix has no arguments): where the cell allows,
# favour the fixes whose arguments vary (the line, the refuel amount) so that distinct tasks last.
def _single_weight(fault: str, evidence: int) -> float:
    if fault == "family_suspended":
        return 2.0 if evidence >= 2 else 0.0
    if fault == "usage":
        return 10.0 if evidence >= 3 else 0.0
    if fault == "roaming_line":
        return 3.0 if evidence >= 1 else 0.0
    return 0.0 if evidence >= 3 else 1.0  # kept for the cells only they can fill


COMPLAINTS_OF = {
    "airplane": ["service", "data", "mms"], "sim": ["service", "data", "mms"], "apn": ["service", "data", "mms"],
    "suspended": ["service"], "roaming_phone": ["data", "mms"], "roaming_line": ["data", "mms"],
    "data_off": ["data", "mms"], "usage": ["data", "mms"], "saver": ["data"], "mode": ["data", "mms"],
    "vpn": ["data"], "mmsc": ["mms"], "wifi_calling": ["mms"], "perms": ["mms"], "family_suspended": ["line"],
}
RELATIONS = ["daughter", "son", "wife", "husband", "partner", "mother", "father"]


def _single(rng: random.Random, cell: Cell, accts: list[Account]) -> tuple[Account, str, bool, list[str], int] | None:
    options = [f for f in ORDER if f != "suspended" and _single_weight(f, cell.evidence) > 0]
    fault = rng.choices(options, [_single_weight(f, cell.evidence) for f in options])[0]
    if fault in ("usage", "family_suspended"):
        accts = [a for a in accts if (a.usage_ok if fault == "usage" else a.family)]
        if not accts:
            return None
    # Long evidence chains need lines far down the customer's list: keep those for the high cells.
    account = rng.choices(accts, [a.k ** 2 if cell.evidence >= 9 else 1 / a.k for a in accts])[0]
    if fault == "family_suspended":
        return account, "line", False, [fault], 1
    complaint = rng.choice(COMPLAINTS_OF[fault])
    abroad = fault.startswith("roaming") or rng.random() < 0.3
    return account, complaint, abroad, [fault], 1


def _sample(rng: random.Random, data: DomainData, cell: Cell, accts: list[Account]) -> Plan | None:
    if cell.writes == 1:
        single = _single(rng, cell, accts)
        if single is None:
            return None
        account, complaint, abroad, faults, n_perms = single
    else:
        account = accts[rng.randrange(len(accts))]
        kinds = [("data", 0.35), ("mms", 0.3 if cell.evidence < 10 else 0.6)]
        if cell.writes <= 4:
            kinds.append(("service", 0.2 if cell.evidence < 9 else 0.08))
        kinds.append(("data+mms", 0.15))
        complaint = rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
        abroad = complaint != "service" and rng.random() < 0.4
        pool = _pool(complaint, abroad, account)
        if cell.evidence == 0:
            pool = [f for f in pool if f not in AGENT_FAULTS]
        picked = _faults(rng, pool, cell.writes, complaint)
        if picked is None:
            return None
        faults, n_perms = picked
    modes = _modes(rng, faults, cell.evidence)
    if modes is None:
        return None
    if modes.get("suspended", "diagnosed") != "diagnosed" and modes.get("airplane") == "diagnosed":
        modes["suspended"] = "diagnosed"  # lifted first, the airplane fix's network search would make the reboot moot
    p_extra = min(0.95, 0.05 + 0.08 * cell.evidence)
    extras = frozenset(x for x in EXTRAS if rng.random() < p_extra)
    plan = Plan(account=account, complaint=complaint, abroad=abroad, faults=faults, modes=modes, extras=extras)
    if complaint == "line":
        plan.family_line = account.family[rng.randrange(len(account.family))]
        plan.relation = rng.choice(RELATIONS)
        if not plan.family_line[3]:
            plan.bill_id = _new_bill_id(rng, data)
    if complaint not in ("service", "line"):
        # What the user already saw on their own: full signal bars, or a speed test's verdict.
        p_report = 0.3 if cell.evidence < 8 else 0.05
        if not any(LAYERS[f] == "service" for f in faults) and rng.random() < p_report:
            plan.details["signal_ok"] = True
        if rng.random() < p_report:
            plan.details["speed_known"] = True
    if "mode" in faults:
        if complaint == "mms":
            plan.mode_to = rng.choices(["4g_5g_preferred", "4g_only", "3g_only"], [0.5, 0.35, 0.15])[0]
        else:
            plan.mode_from = rng.choice(["2g_only", "3g_only"])
    if "perms" in faults:
        perms = ["sms", "storage"]
        rng.shuffle(perms)
        plan.perms = tuple(perms[:n_perms])
    if "usage" in faults:
        plan.refuel_gb, plan.overage_gb = _refuel(rng, account)
    if "suspended" in faults:
        plan.bill_id = _new_bill_id(rng, data)
    plan.country = rng.choice(W.COUNTRIES) if abroad else ""
    return plan


def _write_key(calls: list[Call]) -> str:
    return "|".join(sorted(f"{c.side}:{c.name}:{sorted(c.arguments.items())}" for c in calls if c.write))


def search(rng: random.Random, data: DomainData, cell: Cell) -> tuple[Plan, list[Call]]:
    """A plan whose route has `cell.writes` fixes and a hardest-fix evidence of `cell.evidence`.

    Exact when possible, else the nearest. Single-fix tasks are few per database (a user-side fix
    has no arguments), so for them the choice is spread over the distinct write sets found: when
    the exact ones are only one or two write sets (likely used up by earlier tasks), half the time
    the choice also admits write sets one evidence step away.
    """
    accts = _accounts(data)
    if not accts:
        raise DraftError("no active line to call from (none whose number finds its customer)")
    found: dict[int, dict[str, tuple[Plan, list[Call]]]] = {}  # |gap| -> write set -> candidate
    for _ in range(SEARCH_TRIES):
        plan = _sample(rng, data, cell, accts)
        if plan is None:
            continue
        calls = route(plan)
        profile = evidence_profile(calls)
        if len(profile) != cell.writes:
            continue
        gap = abs(max(profile) - cell.evidence)
        found.setdefault(gap, {}).setdefault(_write_key(calls), (plan, calls))
        if cell.writes > 1 and 0 in found or len(found.get(0, ())) >= 4:
            break
    if not found:
        raise DraftError(f"no fault combination with {cell.writes} fixes fits this database")
    best = min(found)
    pool = dict(found[best])
    if cell.writes == 1 and (best > 0 or len(pool) < 3) and (best > 0 or rng.random() < 0.5):
        pool.update(found.get(best + 1, {}))
    keys = sorted(pool)
    return pool[keys[rng.randrange(len(keys))]]

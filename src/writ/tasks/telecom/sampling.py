"""Sampling a telecom task design (`Plan`) for a target cell: writes, evidence and outcome.

A plan is drawn at random: a customer (uniformly, so tasks spread over the whole customer base),
one of their lines, a request (a complaint about the phone, a suspended line of the family, data
to add, roaming, a question about usage), the faults behind it, what the customer says about each
(the setting named, a clue, nothing) and which settings the customer wrongly suspects. The
generator then runs the support workflow on it (`writ.tasks.telecom.live`) and measures the
evidence; `writ.tasks.telecom.generator` keeps the draw nearest to the cell.

Outcomes other than a write come from the policy: a SIM locked by its PIN or PUK, or a suspension
whose contract has ended, is escalated to a human (tau2's own two transfer tasks); a suspension
with an unpaid bill the customer will not pay now, a relative's line whose contract has ended, or
more data than the 2 GB refuel cap allows is refused; a question about data usage is answered.
"""

from __future__ import annotations

import random
import weakref
from typing import Any

from writ.data import DomainData
from writ.tasks.axes import Cell
from writ.tasks.draft import DraftError
from writ.tasks.telecom.faults import AGENT_FAULTS, FIX_WRITES, LAYERS, ORDER, REFUEL_CAP_GB, Account, Plan, accounts

__all__ = ["COUNTRIES", "customer_accounts", "sample_plan"]

COUNTRIES = ["France", "Japan", "Mexico", "Italy", "Canada", "Germany", "Spain", "Brazil", "Portugal", "Thailand",
             "Greece", "Ireland", "South Korea", "Australia"]
RELATIONS = ["daughter", "son", "wife", "husband", "partner", "mother", "father"]
_ACCOUNTS: weakref.WeakKeyDictionary[Any, dict[str, list[Account]]] = weakref.WeakKeyDictionary()


def customer_accounts(data: DomainData) -> dict[str, list[Account]]:
    """The callable lines of each customer (see `faults.accounts`), by customer id."""
    found = _ACCOUNTS.get(data.base)
    if found is None:
        found = {}
        for account in accounts(data.base.store()):
            found.setdefault(account.customer_id, []).append(account)
        _ACCOUNTS[data.base] = found
    return found


def _account(rng: random.Random, by_customer: dict[str, list[Account]], fits=lambda a: True,
             deep: bool = False) -> Account | None:
    """A customer drawn uniformly, then one of their lines that fits (`deep`: prefer lines far down the list)."""
    customers = [c for c, lines in by_customer.items() if any(fits(a) for a in lines)]
    if not customers:
        return None
    lines = [a for a in by_customer[customers[rng.randrange(len(customers))]] if fits(a)]
    return rng.choices(lines, [a.k ** 2 if deep else 1 for a in lines])[0]


# -- faults and how the customer describes them -------------------------------------------------------
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
    account = [f for f in order if f in ("usage", "roaming_line")]
    if account and rng.random() < 0.4:  # an account fix varies by line and amount: more distinct write sets
        order.remove(account[0])
        order.insert(0, account[0])
    chosen: list[str] = []
    total, n_perms = 0, 0
    for fault in order:
        if total >= writes:
            break
        cost = FIX_WRITES.get(fault, 1)
        if fault == "perms":
            cost = n_perms = 2 if (writes - total >= 2 and rng.random() < 0.4) else 1
        if total + cost > writes or (fault in ("apn", "mmsc") and {"apn", "mmsc"} & set(chosen)):
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


def _modes(rng: random.Random, faults: list[str], evidence: int) -> dict[str, str]:
    p_diag = min(0.9, 0.2 + 0.07 * evidence)
    modes = {}
    for fault in faults:
        r = rng.random()
        if r < p_diag:
            modes[fault] = "diagnosed"
        elif fault in AGENT_FAULTS or r < p_diag + (1 - p_diag) / 2:
            modes[fault] = "hinted"
        else:
            modes[fault] = "disclosed"
    return modes


def _herrings(rng: random.Random, plan: Plan, evidence: int) -> tuple[str, ...]:
    """Settings the customer wrongly suspects: each costs the agent a check that rules it out."""
    if plan.complaint in ("line", "refuel", "roaming", "usage"):
        return ()
    pool = [s for s in _pool(plan.complaint, plan.abroad, plan.account) if s not in plan.faults and s != "suspended"]
    wanted = rng.choices([0, 1, 2], [6, 3, 1] if evidence < 6 else [2, 3, 3])[0]
    rng.shuffle(pool)
    return tuple(sorted(pool[:wanted], key=ORDER.index))


def _new_bill_id(rng: random.Random, data: DomainData) -> str:
    store = data.base.store()
    while True:
        bill_id = f"B{rng.randrange(1000000, 9999999)}"
        if not store.has("bills", bill_id):
            return bill_id


def _refuel(rng: random.Random, account: Account) -> tuple[float, float]:
    """How much data the customer wants (mostly half-GB steps, as people buy data) and the overage."""
    room = round(REFUEL_CAP_GB - account.refueled_gb, 2)
    amounts = [a for a in (0.5, 1.0, 1.5, 2.0, 0.25, 0.75, 1.25) if a <= room + 1e-9] or [room]
    weights = [4 if a * 2 == int(a * 2) else 1 for a in amounts]
    amount = rng.choices(amounts, weights)[0]
    overage = round(max(0.01, min(amount - 0.01, amount * rng.uniform(0.1, 0.9))), 2)
    return amount, overage


# -- the request kinds -------------------------------------------------------------------------------------
WRITE_KINDS = {1: [("device", 1.0), ("usage", 3.0), ("roaming_line", 1.5), ("line", 1.5), ("refuel", 2.0),
                   ("roaming", 1.0)],
               2: [("trouble", 6.0), ("suspended", 1.0)]}
ZERO_KINDS = {"refuse": [("unpaid", 1.0), ("line_ended", 1.0), ("line_unpaid", 1.0), ("refuel_cap", 1.0)],
              "transfer": [("sim_locked", 1.0), ("contract_ended", 1.0)], "inform": [("usage_info", 1.0)]}


def _kind(rng: random.Random, cell: Cell) -> str:
    if cell.outcome != "write":
        table = ZERO_KINDS[cell.outcome]
    else:
        table = WRITE_KINDS[1] if cell.writes == 1 else WRITE_KINDS[2]
    return rng.choices([k for k, _ in table], [w for _, w in table])[0]


def sample_plan(rng: random.Random, data: DomainData, cell: Cell) -> Plan | None:
    """One random design for `cell` (None when the draw does not fit this database)."""
    by_customer = customer_accounts(data)
    if not by_customer:
        raise DraftError("no active line to call from (none whose number finds its customer)")
    kind = _kind(rng, cell)
    deep = cell.evidence >= 8
    plan = _design(rng, data, cell, kind, by_customer, deep)
    if plan is None:
        return None
    plan.herrings = _herrings(rng, plan, cell.evidence)
    if plan.complaint not in ("service", "line", "refuel", "roaming", "usage"):
        p_report = 0.3 if cell.evidence < 8 else 0.05
        if not any(LAYERS[f] == "service" for f in plan.faults) and rng.random() < p_report:
            plan.details["signal_ok"] = True
        if rng.random() < p_report:
            plan.details["speed_known"] = True
    if "mode" in plan.faults:
        if plan.complaint == "mms":
            plan.mode_to = rng.choices(["4g_5g_preferred", "4g_only", "3g_only"], [0.5, 0.35, 0.15])[0]
        else:
            plan.mode_from = rng.choice(["2g_only", "3g_only"])
    if "usage" in plan.faults and not plan.refuel_gb:
        plan.refuel_gb, plan.overage_gb = _refuel(rng, plan.account)
    if ("suspended" in plan.faults or "family_suspended" in plan.faults) and not (
            plan.family_line and plan.family_line[3]):
        plan.bill_id = _new_bill_id(rng, data)
    plan.country = rng.choice(COUNTRIES) if plan.abroad else ""
    return plan


def _design(rng: random.Random, data: DomainData, cell: Cell, kind: str, by_customer: dict[str, list[Account]],
            deep: bool) -> Plan | None:
    def pick(fits=lambda a: True) -> Account | None:
        return _account(rng, by_customer, fits, deep)

    if kind in ("line", "line_ended", "line_unpaid"):
        account = pick(lambda a: any(not f[3] for f in a.family) if kind != "line" else bool(a.family))
        if account is None:
            return None
        options = [f for f in account.family if kind == "line" or not f[3]]
        plan = Plan(account, "line", False, ["family_suspended"], {"family_suspended": "hinted"},
                    family_line=options[rng.randrange(len(options))], relation=rng.choice(RELATIONS))
        plan.contract_ended = kind == "line_ended"
        plan.paid = kind != "line_unpaid"
        return plan
    if kind in ("refuel", "refuel_cap", "usage_info"):
        account = pick(lambda a: a.usage_ok)
        if account is None:
            return None
        if kind == "usage_info":
            return Plan(account, "usage", False, [], {})
        plan = Plan(account, "refuel", False, ["usage"], {"usage": "disclosed"})
        plan.refuel_gb, plan.overage_gb = _refuel(rng, account)
        if kind == "refuel_cap":
            plan.refuel_gb = rng.choice([2.5, 3.0, 4.0, 5.0])
        return plan
    if kind == "roaming":
        account = pick()
        return Plan(account, "roaming", True, ["roaming_line"], {"roaming_line": "disclosed"})
    if kind in ("unpaid", "contract_ended"):
        account = pick(lambda a: a.suspend_ok)
        if account is None:
            return None
        plan = Plan(account, "service", False, ["suspended"], _modes(rng, ["suspended"], cell.evidence))
        plan.paid = kind != "unpaid"
        plan.contract_ended = kind == "contract_ended"
        return plan
    if kind == "sim_locked":
        return Plan(pick(), "service", False, [], {}, sim_lock=rng.choice(["pin", "puk"]))
    if kind in ("device", "usage", "roaming_line"):
        account = pick(lambda a: a.usage_ok) if kind == "usage" else pick()
        if account is None:
            return None
        if kind == "device":
            fault = rng.choice([f for f in ORDER if f not in AGENT_FAULTS and f not in ("apn", "mmsc")])
        else:
            fault = kind
        complaint = rng.choice({"airplane": ["service", "data", "mms"], "sim": ["service", "data", "mms"],
                                "saver": ["data"], "vpn": ["data"], "wifi_calling": ["mms"],
                                "perms": ["mms"]}.get(fault, ["data", "mms"]))
        abroad = fault.startswith("roaming") or rng.random() < 0.3
        n_perms = 1 if fault == "perms" else 0
        plan = Plan(account, complaint, abroad, [fault], _modes(rng, [fault], cell.evidence))
        plan.perms = tuple(rng.sample(["sms", "storage"], n_perms)) if n_perms else ()
        return plan
    account = pick()
    if kind == "suspended" and cell.writes in (2, 3):
        account = pick(lambda a: a.suspend_ok)
        if account is None:
            return None
        faults = ["airplane", "suspended"] if cell.writes == 3 else ["suspended"]
        return Plan(account, "service", False, faults, _modes(rng, faults, cell.evidence))
    kinds = [("data", 0.35), ("mms", 0.3 if cell.evidence < 10 else 0.6), ("data+mms", 0.15)]
    if cell.writes <= 4:
        kinds.append(("service", 0.2 if cell.evidence < 9 else 0.08))
    complaint = rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
    abroad = complaint != "service" and rng.random() < 0.4
    picked = _faults(rng, [f for f in _pool(complaint, abroad, account) if f != "suspended"], cell.writes, complaint)
    if picked is None:
        return None
    faults, n_perms = picked
    plan = Plan(account, complaint, abroad, faults, _modes(rng, faults, cell.evidence))
    if n_perms:
        plan.perms = tuple(rng.sample(["sms", "storage"], n_perms))
    return plan

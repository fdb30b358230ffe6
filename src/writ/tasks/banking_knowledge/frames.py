"""The requests a bank customer can make, read off the database: frames and what is held back.

Each family looks at one customer's records in the current state of the draft (so a request made
after another sees its effect) and proposes requests as *frames*: what the customer can say
(``{"family": "freeze_card", "account": "Green Account", "why": "misplaced"}``), the slots they
give only when asked (``withhold``), and the outcome the records make likely (``hope``: a write, a
refusal the documents require, an impossibility, a transfer, an answer). The procedure decides
the real outcome when the request is drafted; the hope only steers which requests a cell gets.

The families follow what tau2's 97 tasks ask for (cards lost, frozen, replaced; PINs; ATM limits;
paying a card from checking; moving money; contact details; an escalation the documents demand).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from writ.domains.banking_knowledge.clock import TODAY
from writ.domains.banking_knowledge.debit_cards import DEFAULT_ATM_LIMITS, _pin_problem
from writ.domains.banking_knowledge.schema import records
from writ.store import Store
from writ.tasks.banking_knowledge.records import amount

__all__ = ["Candidate", "candidates", "customer_accounts"]

WHY = ["misplaced", "travel", "suspicious", "budget"]
TEEN = "Light Green Account"
FINAL = ("DELIVERED", "CANCELLED")
STREETS = ["Market Street", "Commerce Drive", "Riverside Avenue", "Industrial Parkway", "Main Street",
           "Harbor Boulevard", "Union Square", "Maple Court"]
MAIL = ["gmail.com", "outlook.com", "proton.me", "yahoo.com", "fastmail.com", "icloud.com"]


@dataclass
class Candidate:
    family: str
    frame: dict[str, Any]
    withhold: list[str] = field(default_factory=list)
    hope: str = "write"
    touches: tuple[str, ...] = ()  # records the request is about (two requests never share one)


def customer_accounts(db: Store, uid: str) -> list[dict[str, Any]]:
    return [a for a in records(db, "accounts").values() if a.get("user_id") == uid]


def _cards(db: Store, account_id: str) -> list[dict[str, Any]]:
    """An account's cards, newest first, as the card listing orders them (by the issue date's text)."""
    cards = [c for c in records(db, "debit_cards").values() if c.get("account_id") == account_id]
    return sorted(cards, key=lambda c: c.get("issue_date") or c.get("created_date") or "", reverse=True)


def _current(db: Store, account_id: str) -> dict[str, Any] | None:
    return next((c for c in _cards(db, account_id) if c.get("status") != "CLOSED"), None)


def _age(opened: str) -> int:
    try:
        return (TODAY - datetime.strptime(opened, "%m/%d/%Y").date()).days
    except ValueError:
        return 10_000


def _named(rng: random.Random, pool: list[dict[str, Any]], label: str, record: dict[str, Any], p_say: float,
           p_hold: float) -> tuple[dict[str, Any], list[str], str]:
    """(frame part, withheld slots) naming `record` among `pool` by `label` when the customer would."""
    slot = {"level": "account", "card_type": "card"}[label]
    if len(pool) > 1:
        return {slot: record[label]}, ([slot] if rng.random() < p_hold else []), slot
    return ({slot: record[label]} if rng.random() < p_say else {}), [], slot


def _pin(rng: random.Random, user: dict[str, Any]) -> str:
    born = str(user.get("date_of_birth", ""))
    banned = {born[-4:], born[:2] + born[3:5]} if len(born) == 10 else set()
    while True:
        pin = f"{rng.randint(0, 9999):04d}"
        if not _pin_problem(pin) and pin not in banned and len(set(pin)) > 2:
            return pin


def _email(rng: random.Random, user: dict[str, Any]) -> str:
    first, _, last = str(user.get("name", "customer")).lower().partition(" ")
    clean = lambda s: "".join(ch for ch in s if ch.isalpha())  # noqa: E731
    while True:
        handle = rng.choice([f"{clean(first)}.{clean(last)}", f"{clean(first)[:1]}{clean(last)}",
                             f"{clean(last)}.{clean(first)}"])
        email = f"{handle}{rng.randint(10, 99)}@{rng.choice(MAIL)}"
        if email != user.get("email"):
            return email


def _new_address(rng: random.Random, user: dict[str, Any]) -> str:
    parts = str(user.get("address", "")).split(", ")
    tail = ", ".join(parts[1:]) if len(parts) > 1 else "Chicago, IL 60601"
    suite = rng.choice(["", f", Suite {rng.randint(100, 900)}", f", Apt {rng.randint(2, 40)}{rng.choice('ABC')}"])
    return f"{rng.randint(100, 9899)} {rng.choice(STREETS)}{suite}, {tail}"


def _debit(db: Store, uid: str, user: dict[str, Any], rng: random.Random) -> list[Candidate]:
    checking = [a for a in customer_accounts(db, uid) if a.get("class") == "checking" and a.get("status") == "OPEN"]
    if len({a.get("level") for a in checking}) != len(checking):
        return []  # two accounts of one tier: the customer could not say which
    out: list[Candidate] = []
    for account in checking:
        card = _current(db, account["account_id"])
        if card is None:
            continue
        status, touch = card.get("status"), (card["card_id"],)
        named, held, _ = _named(rng, checking, "level", account, 0.35, 0.3)

        def add(family: str, extra: dict[str, Any], withhold: list[str], hope: str = "write",
                named: dict[str, Any] = named, held: list[str] = held, touch: tuple[str, ...] = touch) -> None:
            out.append(Candidate(family, {"family": family, **named, **extra}, held + withhold, hope, touch))

        if status == "ACTIVE":
            why = rng.choice(WHY)
            add("freeze_card", {"why": why}, ["why"] if rng.random() < 0.6 else [])
            add("reset_pin", {"last4": card.get("last_4_digits", ""), "pin": _pin(rng, user)}, ["last4", "pin"])
            if not card.get("recurring_blocked"):
                add("recurring_block", {}, [])
            current = card.get("daily_atm_limit") or DEFAULT_ATM_LIMITS.get(str(account.get("level", "")).lower())
            if account.get("level") == TEEN:
                add("atm_limit", {"amount": rng.choice([200, 250, 300])}, ["amount"] if rng.random() < 0.4 else [],
                    "refuse")
            elif current and _age(account.get("date_opened", "")) < 60:
                add("atm_limit", {"amount": int(current) + 100}, [], "refuse")
            elif current:
                ceiling = int(int(current) * 1.5)
                steps = [x for x in range(int(current) + 50, ceiling + 1, 50)]
                if steps:
                    add("atm_limit", {"amount": rng.choice(steps)}, ["amount"] if rng.random() < 0.4 else [])
                add("atm_limit", {"amount": ceiling + rng.choice([50, 100, 250])}, [], "refuse")
        if status in ("ACTIVE", "PENDING"):
            reason = rng.choice(["lost", "stolen"])
            add("close_card", {"reason": reason}, ["reason"] if rng.random() < 0.4 else [])
        if status == "PENDING":
            add("freeze_card", {"why": rng.choice(WHY)}, [], "refuse")
        if status == "FROZEN":
            add("unfreeze_card", {}, [])
    return out


def _credit(db: Store, uid: str, user: dict[str, Any], rng: random.Random) -> list[Candidate]:
    cards = [c for c in records(db, "credit_card_accounts").values() if c.get("user_id") == uid]
    if len({c.get("card_type") for c in cards}) != len(cards):
        return []
    checking = [a for a in customer_accounts(db, uid) if a.get("class") == "checking" and a.get("status") == "OPEN"]
    orders = records(db, "credit_card_orders")
    bought: dict[str, set[str]] = {}
    for t in records(db, "credit_card_transaction_history").values():
        if t.get("user_id") == uid:
            bought.setdefault(str(t.get("merchant_name")), set()).add(str(t.get("credit_card_type")))
    out: list[Candidate] = []
    for card in cards:
        if card.get("status") == "CLOSED":
            continue
        named, held, _ = _named(rng, cards, "card_type", card, 0.6, 0.3)
        only_here = sorted(m for m, types in bought.items() if types == {card.get("card_type")})
        if len(cards) > 1 and only_here and rng.random() < 0.5:  # "the card I used at Costco"
            named, held = {"merchant": rng.choice(only_here)}, []
        touch = (card["account_id"],)

        def add(family: str, extra: dict[str, Any], withhold: list[str], hope: str = "write",
                named: dict[str, Any] = named, held: list[str] = held, touch: tuple[str, ...] = touch) -> None:
            out.append(Candidate(family, {"family": family, **named, **extra}, held + withhold, hope, touch))

        pending = any(o.get("credit_card_account_id") == card["account_id"] and str(o.get("status", "")).upper()
                      not in FINAL for o in orders.values())
        where = "profile" if rng.random() < 0.75 else _new_address(rng, user)
        frame = {"reason": rng.choice(["lost", "stolen", "damaged"]), "address": where,
                 "expedited": rng.random() < 0.5}
        withhold = [k for k, p in (("reason", 0.45), ("address", 0.6), ("expedited", 1.0)) if rng.random() < p]
        add("replace_credit", frame, withhold, "refuse" if pending else "write")
        owed = amount(card.get("current_balance", "0"))
        if owed > 1 and len({a.get("level") for a in checking}) == len(checking):
            for account in checking:
                funds = amount(account.get("current_holdings", "0"))
                acc, acc_held, _ = _named(rng, checking, "level", account, 0.3, 0.3)
                full = rng.random() < 0.45
                value = "full" if full else float(max(1, min(int(owed), rng.choice([50, 100, 150, 200, 250, 500]))))
                need = owed if full else float(value)
                hold = ["amount"] if rng.random() < 0.3 else []
                out.append(Candidate("pay_credit", {"family": "pay_credit", **named, **acc, "amount": value},
                                     held + acc_held + hold, "write" if need <= funds else "impossible",
                                     touch + (account["account_id"],)))
        add("card_info", {"what": rng.choice(["points", "balance"])}, [], "inform")
    if cards:
        out.append(Candidate("credit_bureau", {"family": "credit_bureau", "drop": rng.randint(80, 150)}, [],
                             "transfer", ("bureau",)))
    return out


def _money(db: Store, uid: str, rng: random.Random) -> list[Candidate]:
    accounts = [a for a in customer_accounts(db, uid) if a.get("status") == "OPEN"]
    if len(accounts) < 2 or len({a.get("level") for a in accounts}) != len(accounts):
        return []
    out = []
    for source in accounts:
        funds = amount(source.get("current_holdings", "0"))
        for destination in accounts:
            if destination is source:
                continue
            enough = funds >= 50
            value = float(rng.choice([x for x in (50, 100, 200, 250, 300, 500, 750, 1000) if x <= funds] or [50])) \
                if enough else round(funds + rng.choice([100, 250]), 0)
            frame = {"family": "transfer_funds", "source": source["level"], "destination": destination["level"],
                     "amount": value}
            out.append(Candidate("transfer_funds", frame, ["amount"] if rng.random() < 0.3 else [],
                                 "write" if enough else "impossible",
                                 (source["account_id"], destination["account_id"])))
    return out


def candidates(db: Store, uid: str, rng: random.Random) -> list[Candidate]:
    """Every request this customer could make now (see the module docstring)."""
    user = records(db, "users").get(uid) or {}
    out = _debit(db, uid, user, rng) + _credit(db, uid, user, rng) + _money(db, uid, rng)
    out.append(Candidate("change_email", {"family": "change_email", "email": _email(rng, user)},
                         ["email"] if rng.random() < 0.5 else [], "write", ("email",)))
    return out


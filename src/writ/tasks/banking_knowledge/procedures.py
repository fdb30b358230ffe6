"""The bank's procedures, one function per kind of request, over a `Desk` (see `desk`).

Each follows what the documents say: find the procedure (a search made of the customer's words),
find the records it needs (through the tools the documents name), check what the procedure
requires (a card's status, an account's age, the money available, an order already on its way),
ask for what only the customer can give, then write, or end in a refusal, a transfer or an
answer. Steps a document adds are taken only when the procedure document read says so (asking
why a card is frozen, checking pending orders before a replacement, asking about expedited
shipping), so the same function follows tau2's knowledge base and a generated one.

Every function returns an `End`; its ``facts`` are what was read and heard on the way, which the
teacher's words turn into sentences ("the freezing procedure says ...").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from writ.tasks.banking_knowledge.desk import Desk, End, Found, Write
from writ.tasks.banking_knowledge.lookups import (
    NotFound,
    balance,
    bank_accounts,
    cards_of,
    credit_accounts,
    current_card,
    need,
    open_checking,
    pick,
)
from writ.tasks.banking_knowledge.records import amount, parse_records

__all__ = ["PROCEDURES", "REPLACEMENT_REASONS", "atm_default", "run_procedure"]

REPLACEMENT_REASONS = ["lost", "stolen", "damaged"]
CLOSE_REASONS = ["lost", "stolen"]
FINAL_ORDER = ("DELIVERED", "CANCELLED")
TEEN = "Light Green Account"


def _today(desk: Desk) -> datetime:
    now = desk.get("get_current_time", {}, evidence=False)
    match = re.search(r"(\d{4})-(\d{2})-(\d{2})", now)
    return datetime(int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else datetime(2025, 11, 14)


def _notes(tool: Found, table: dict[str, str]) -> list[str]:
    """The note keys whose pattern the procedure document matches (what the agent passes on)."""
    return [key for key, pattern in table.items() if tool.says(pattern)]


def _refusal(kind: str, topic: str, tool: Found, args: dict[str, Any], facts: dict[str, Any]) -> End:
    would_be = Write(tool.name, args).call
    return End(kind, topic, facts, would_be=would_be)


# -- debit cards ----------------------------------------------------------------------------------------
def _debit_card(desk: Desk, facts: dict[str, Any]) -> dict[str, Any] | None:
    account = pick(desk, open_checking(bank_accounts(desk)), "account", "level")
    facts["account"] = {"level": account.get("level", ""), "account_id": account["account_id"],
                        "opened": account.get("date_opened", "")}
    card = current_card(cards_of(desk, account["account_id"]))
    if card is not None:
        facts["card"] = {"card_id": card["card_id"], "last4": card.get("card_number_last_4", ""),
                         "status": card.get("status", "")}
    return card


FREEZE_NOTES = {"declined": r"declined", "recurring": r"recurring", "unfreeze": r"unfr[eo]|undo"}


def freeze_card(desk: Desk, frame: dict[str, Any]) -> End:
    tool = need(desk.find_tool("freeze_debit_card", main=True))
    facts: dict[str, Any] = {"doc": tool.doc.title, "notes": _notes(tool, FREEZE_NOTES)}
    if tool.says(r"ask (the )?customer why"):
        facts["why"] = desk.ask("why")
    card = _debit_card(desk, facts)
    if card is None:
        return End("impossible", "no_card", facts)
    args = {"card_id": card["card_id"]}
    if card.get("status") != "ACTIVE":
        return _refusal("refuse", "not_active", tool, args, facts)
    desk.write(Write(tool.name, args, facts))
    return End("done", facts=facts)


def unfreeze_card(desk: Desk, frame: dict[str, Any]) -> End:
    tool = need(desk.find_tool("unfreeze_debit_card", main=True))
    facts: dict[str, Any] = {"doc": tool.doc.title, "notes": []}
    card = _debit_card(desk, facts)
    if card is None:
        return End("impossible", "no_card", facts)
    args = {"card_id": card["card_id"]}
    if card.get("status") != "FROZEN":
        return _refusal("refuse", "not_frozen", tool, args, facts)
    desk.write(Write(tool.name, args, facts))
    return End("done", facts=facts)


def close_card(desk: Desk, frame: dict[str, Any]) -> End:
    tool = need(desk.find_tool("close_debit_card", main=True))
    facts: dict[str, Any] = {"doc": tool.doc.title,
                             "notes": _notes(tool, {"permanent": r"cannot be (reactivated|reversed|reopened)|permanent",
                                                    "new_card": r"new card|replacement card"})}
    card = _debit_card(desk, facts)
    if card is None:
        return End("impossible", "no_card", facts)
    reason = desk.ask("reason", options=list(CLOSE_REASONS))
    facts["reason"] = reason
    args = {"card_id": card["card_id"], "reason": reason}
    if card.get("status") not in ("ACTIVE", "PENDING"):
        return _refusal("refuse", "not_open", tool, args, facts)
    if tool.says(r"pending transactions"):
        history = need(desk.find_tool("get_bank_account_transactions"), "transactions tool")
        text = desk.discover(history.name, {"account_id": facts["account"]["account_id"]})
        pending = [t for t in parse_records(text).get("bank_account_transaction_history", [])
                   if t.get("status", "").lower() in ("pending", "processing")]
        facts["pending"] = len(pending)
        if pending:
            return _refusal("refuse", "pending_transactions", tool, args, facts)
    desk.write(Write(tool.name, args, facts))
    return End("done", facts=facts)


def reset_pin(desk: Desk, frame: dict[str, Any]) -> End:
    tool = need(desk.find_tool("reset_debit_card_pin", main=True))
    facts: dict[str, Any] = {"doc": tool.doc.title, "notes": _notes(tool, {"immediate": r"immediately"})}
    card = _debit_card(desk, facts)
    if card is None:
        return End("impossible", "no_card", facts)
    if card.get("status") != "ACTIVE":
        return _refusal("refuse", "not_active", tool, {"card_id": card["card_id"]}, facts)
    last4 = str(desk.ask("last4"))
    pin = str(desk.ask("pin"))
    args = {"card_id": card["card_id"], "last_4_digits": last4, "new_pin": pin}
    desk.write(Write(tool.name, args, facts))
    return End("done", facts=facts)


def recurring_block(desk: Desk, frame: dict[str, Any]) -> End:
    tool = need(desk.find_tool("set_debit_card_recurring_block", main=True))
    facts: dict[str, Any] = {"doc": tool.doc.title,
                             "notes": _notes(tool, {"one_time": r"one-time|one time", "all": r"\ball recurring",
                                                    "merchant": r"merchant"})}
    card = _debit_card(desk, facts)
    if card is None:
        return End("impossible", "no_card", facts)
    args = {"card_id": card["card_id"], "block_recurring": True}
    if card.get("status") != "ACTIVE":
        return _refusal("refuse", "not_active", tool, args, facts)
    desk.write(Write(tool.name, args, facts))
    return End("done", facts=facts)


_LIMIT_LINE = re.compile(r"ATM[^\n$]{0,60}?limit[^\n$]{0,40}?\$([\d,]+)|limit[^\n$]{0,12}ATM[^\n$]{0,30}?\$([\d,]+)",
                         re.I)


def atm_default(docs: list, level: str) -> int | None:
    """The default daily ATM limit of an account tier, as a document read states it (or None)."""
    for doc in docs:
        in_title = level.lower() in doc.title.lower()
        for line in doc.content.splitlines():
            if not in_title and level.lower() not in line.lower():
                continue
            match = _LIMIT_LINE.search(line)
            if match:
                return int(float((match.group(1) or match.group(2)).replace(",", "")))
    return None


def atm_limit(desk: Desk, frame: dict[str, Any]) -> End:
    tool = need(desk.find_tool("request_temporary_debit_card_limit_increase", main=True))
    facts: dict[str, Any] = {"doc": tool.doc.title, "notes": _notes(tool, {"hours": r"24 hours"})}
    card = _debit_card(desk, facts)
    if card is None:
        return End("impossible", "no_card", facts)
    args = {"card_id": card["card_id"], "limit_type": "atm", "new_limit": int(frame.get("amount") or 0)}
    level = facts["account"]["level"]
    if card.get("status") != "ACTIVE":
        return _refusal("refuse", "not_active", tool, args, facts)
    if level == TEEN:
        return _refusal("refuse", "teen", tool, args, facts)
    opened = facts["account"]["opened"]
    if opened and tool.says(r"60 days"):
        age = (_today(desk) - datetime.strptime(opened, "%m/%d/%Y")).days
        facts["age"] = age
        if age < 60:
            return _refusal("refuse", "too_new", tool, args, facts)
    current = card.get("daily_atm_limit")
    if current is None:
        default = atm_default(desk.docs(), level)
        if default is None:
            desk.search(f"{level} daily ATM withdrawal limit")
            default = atm_default(desk.docs(), level)
        if default is None:
            raise NotFound(f"no document states the ATM limit of a {level}")
        current = default
        facts["default"] = True
    current = int(float(current))
    ceiling = int(current * 1.5)
    facts.update(current=current, ceiling=ceiling)
    wanted = int(float(desk.ask("amount", context={"current": current, "ceiling": ceiling})))
    facts["amount"] = wanted
    args["new_limit"] = wanted
    if wanted > ceiling:
        return _refusal("refuse", "over_ceiling", tool, args, facts)
    if wanted <= current:
        return End("inform", "within_limit", facts, values=[str(current)])
    desk.write(Write(tool.name, args, facts))
    return End("done", facts=facts)


# -- credit cards ----------------------------------------------------------------------------------------
def _credit_card(desk: Desk, facts: dict[str, Any], frame: dict[str, Any]) -> dict[str, str]:
    """The credit card the customer means: named, the only one, or the one a purchase they describe was on."""
    pool = credit_accounts(desk)
    merchant = frame.get("merchant")
    if merchant and len(pool) > 1 and not frame.get("card"):
        text = desk.get("get_credit_card_transactions_by_user", {"user_id": desk.user_id})
        used = {t.get("credit_card_type") for t in parse_records(text).get("credit_card_transaction_history", [])
                if t.get("merchant_name") == merchant}
        if len(used) == 1:
            pool = [c for c in pool if c.get("card_type") in used]
            facts["merchant"] = merchant
    card = pick(desk, pool, "card", "card_type")
    facts["credit"] = {"card_type": card.get("card_type", ""), "account_id": card["account_id"],
                       "balance": card.get("current_balance", ""), "points": card.get("reward_points", ""),
                       "status": card.get("status", "ACTIVE")}
    return card


def replace_credit(desk: Desk, frame: dict[str, Any]) -> End:
    tool = need(desk.find_tool("order_replacement_credit_card", main=True))
    facts: dict[str, Any] = {"doc": tool.doc.title,
                             "notes": _notes(tool, {"cancelled": r"cancel", "standard": r"7.10 business days"})}
    card = _credit_card(desk, facts, frame)
    args: dict[str, Any] = {"credit_card_account_id": card["account_id"], "user_id": desk.user_id}
    if card.get("status", "ACTIVE") == "CLOSED":
        return _refusal("refuse", "closed", tool, {**args, "shipping_address": "", "reason": "other"}, facts)
    if tool.says(r"get_pending_replacement_orders|never order twice"):
        check = need(desk.find_tool("get_pending_replacement_orders"), "pending orders tool")
        text = desk.discover(check.name, {"credit_card_account_id": card["account_id"]})
        open_orders = [o for o in parse_records(text).get("credit_card_orders", [])
                       if o.get("status", "").upper() not in FINAL_ORDER]
        if open_orders:
            facts["order"] = {"status": open_orders[0].get("status", ""), "date": open_orders[0].get("order_date", "")}
            would = {**args, "shipping_address": desk.profile.get("address", ""), "reason": "lost"}
            return _refusal("refuse", "pending_order", tool, would, facts)
    reason = desk.ask("reason", options=list(REPLACEMENT_REASONS))
    where = desk.ask("address", context={"on_file": desk.profile.get("address", "")})
    address = desk.profile.get("address", "") if where == "profile" else str(where)
    facts.update(reason=reason, address=address, on_file=where == "profile")
    args.update(shipping_address=address, reason=reason)
    if tool.says(r"expedited"):
        expedited = bool(desk.ask("expedited"))
        facts["expedited"] = expedited
        args["expedited_shipping"] = expedited
    desk.write(Write(tool.name, args, facts))
    return End("done", facts=facts)


def pay_credit(desk: Desk, frame: dict[str, Any]) -> End:
    tool = need(desk.find_tool("pay_credit_card_from_checking", main=True))
    facts: dict[str, Any] = {"doc": tool.doc.title, "notes": []}
    card = _credit_card(desk, facts, frame)
    account = pick(desk, open_checking(bank_accounts(desk)), "account", "level")
    facts["account"] = {"level": account.get("level", ""), "account_id": account["account_id"],
                        "balance": balance(account)}
    owed = amount(card.get("current_balance", "0"))
    wanted = desk.ask("amount", context={"owed": owed})
    value = owed if wanted == "full" else round(float(wanted), 2)
    facts.update(amount=value, owed=owed, full=wanted == "full")
    args = {"user_id": desk.user_id, "checking_account_id": account["account_id"],
            "credit_card_account_id": card["account_id"], "amount": value}
    if value <= 0:
        return End("inform", "nothing_owed", facts, values=[card.get("current_balance", "")])
    if value > facts["account"]["balance"]:
        return _refusal("impossible", "insufficient", tool, args, facts)
    if value > owed:
        return _refusal("impossible", "over_balance", tool, args, facts)
    desk.write(Write(tool.name, args, facts))
    return End("done", facts=facts)


def card_info(desk: Desk, frame: dict[str, Any]) -> End:
    facts: dict[str, Any] = {"what": frame.get("what", "points")}
    card = _credit_card(desk, facts, frame)
    value = card.get("reward_points" if facts["what"] == "points" else "current_balance", "")
    number = re.search(r"[\d,.]+", value)
    # what must be said, as the communication check compares it (commas of thousands dropped)
    return End("inform", facts["what"], facts, values=[(number.group(0) if number else value).replace(",", "")])


# -- bank accounts and the profile -------------------------------------------------------------------------
def change_email(desk: Desk, frame: dict[str, Any]) -> End:
    facts: dict[str, Any] = {"old": desk.profile.get("email", "")}
    email = str(desk.ask("email"))
    facts["email"] = email
    desk.write(Write("change_user_email", {"user_id": desk.user_id, "new_email": email}, facts, discoverable=False))
    return End("done", facts=facts)


def transfer_funds(desk: Desk, frame: dict[str, Any]) -> End:
    tool = need(desk.find_tool("transfer_funds_between_bank_accounts", main=True))
    facts: dict[str, Any] = {"doc": tool.doc.title, "notes": []}
    accounts = [a for a in bank_accounts(desk) if a.get("status") == "OPEN"]
    source = pick(desk, accounts, "source", "level")
    destination = pick(desk, [a for a in accounts if a is not source], "destination", "level")
    wanted = round(float(desk.ask("amount")), 2)
    facts.update(source={"level": source.get("level", ""), "balance": balance(source)},
                 destination={"level": destination.get("level", "")}, amount=wanted)
    args = {"source_account_id": source["account_id"], "destination_account_id": destination["account_id"],
            "amount": wanted}
    if wanted > balance(source):
        return _refusal("impossible", "insufficient", tool, args, facts)
    desk.write(Write(tool.name, args, facts))
    return End("done", facts=facts)


# -- escalations -----------------------------------------------------------------------------------------
def credit_bureau(desk: Desk, frame: dict[str, Any]) -> End:
    tool = need(desk.find_tool("emergency_credit_bureau_incident_transfer", main=True))
    facts: dict[str, Any] = {"doc": tool.doc.title}
    desk.discover(tool.name, {})
    summary = ("The customer reports a sudden credit score drop from a delinquency Rho-Bank reported in error; "
               "escalated under the 11/14 credit bureau reporting incident protocol.")
    return End("transfer", "credit_bureau", facts, summary=summary, reason="technical_system_error")


PROCEDURES: dict[str, Callable[[Desk, dict[str, Any]], End]] = {
    "freeze_card": freeze_card, "unfreeze_card": unfreeze_card, "close_card": close_card, "reset_pin": reset_pin,
    "recurring_block": recurring_block, "atm_limit": atm_limit, "replace_credit": replace_credit,
    "pay_credit": pay_credit, "card_info": card_info, "change_email": change_email,
    "transfer_funds": transfer_funds, "credit_bureau": credit_bureau,
}


def run_procedure(desk: Desk, frame: dict[str, Any]) -> End:
    """The request's procedure, after the verification record (once per conversation)."""
    desk.ensure_logged()
    return PROCEDURES[frame["family"]](desk, frame)


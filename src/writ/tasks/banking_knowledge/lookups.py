"""Finding the customer's accounts and cards the way the documents say, for every procedure.

Bank accounts come from the discoverable accounts tool (found through a document), credit card
accounts from the always-present ``get_credit_card_accounts_by_user``, debit cards from the
discoverable card listing of a checking account. Which record the customer means is decided from
what they said (the account's tier, the card's name); when that leaves more than one, the agent
asks. Every function runs over a `Desk`, so the generator and the teacher find the same records.
"""

from __future__ import annotations

from typing import Any

from writ.tasks.banking_knowledge.desk import Desk, Found
from writ.tasks.banking_knowledge.records import amount, json_records, parse_records

__all__ = ["NotFound", "balance", "bank_accounts", "cards_of", "credit_accounts", "current_card", "need",
           "open_checking", "pick"]


class NotFound(Exception):
    """No document names the tool the procedure needs, or no record fits what the customer said."""


def need(found: Found | None, what: str = "") -> Found:
    if found is None:
        raise NotFound(what or "no document names the tool")
    return found


def bank_accounts(desk: Desk) -> list[dict[str, str]]:
    """The customer's bank accounts (checking and savings), as the accounts tool prints them."""
    tool = need(desk.find_tool("get_all_user_accounts_by_user_id"), "accounts tool")
    text = desk.discover(tool.name, {"user_id": desk.user_id})
    return parse_records(text).get("accounts", [])


def credit_accounts(desk: Desk) -> list[dict[str, str]]:
    text = desk.get("get_credit_card_accounts_by_user", {"user_id": desk.user_id})
    return parse_records(text).get("credit_card_accounts", [])


def cards_of(desk: Desk, account_id: str) -> list[dict[str, Any]]:
    tool = need(desk.find_tool("get_debit_cards_by_account_id"), "debit card tool")
    return json_records(desk.discover(tool.name, {"account_id": account_id}))


def current_card(cards: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The card in use on an account: the newest one that is not closed (the listing is newest first)."""
    return next((c for c in cards if c.get("status") != "CLOSED"), None)


def pick(desk: Desk, pool: list[dict[str, str]], slot: str, label: str) -> dict[str, str]:
    """The record of `pool` the customer means: the only one, or the one whose `label` they name."""
    if not pool:
        raise NotFound(f"no record for {slot}")
    if len(pool) == 1:
        return pool[0]
    names = [r.get(label, "") for r in pool]
    value = desk.ask(slot, options=names)
    matches = [r for r in pool if r.get(label) == value]
    if len(matches) != 1:
        raise NotFound(f"{slot} {value!r} is not one of {names}")
    return matches[0]


def open_checking(accounts: list[dict[str, str]]) -> list[dict[str, str]]:
    return [a for a in accounts if a.get("class") == "checking" and a.get("status") == "OPEN"]


def balance(record: dict[str, str]) -> float:
    return amount(record.get("current_holdings", record.get("current_balance", "0")))

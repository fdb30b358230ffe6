"""A tiny banking database for tool tests (tau2's layout), and shortcuts to run calls on it."""

from __future__ import annotations

import json
from typing import Any

from writ.core import Environment, ToolCall
from writ.domains import get_domain

DOMAIN = get_domain("banking_knowledge")


def mini_db() -> dict[str, Any]:
    users = {"u1": {"name": "Ana Diaz", "user_id": "u1", "address": "1 Elm St, Austin, TX 78701",
                    "email": "ana@example.com", "phone_number": "512-555-0100", "date_of_birth": "01/02/1990"}}
    accounts = {
        "chk_u1": {"account_id": "chk_u1", "user_id": "u1", "class": "checking", "level": "Blue Account",
                   "date_opened": "01/10/2024", "status": "OPEN", "current_holdings": "500.00"},
        "chk_new": {"account_id": "chk_new", "user_id": "u1", "class": "checking", "level": "Blue Account",
                    "date_opened": "11/01/2025", "status": "OPEN", "current_holdings": "25.00"},
        "sav_u1": {"account_id": "sav_u1", "user_id": "u1", "class": "saving", "level": "Silver Account",
                   "date_opened": "03/03/2023", "status": "OPEN", "current_holdings": "1000"},
    }
    cards = {"dbc_1": {"card_id": "dbc_1", "account_id": "chk_u1", "user_id": "u1", "cardholder_name": "ANA DIAZ",
                       "last_4_digits": "4821", "cvv": "739", "status": "ACTIVE", "issue_date": "03/20/2024",
                       "expiration_date": "03/31/2028", "issue_reason": "new_account"},
             "dbc_2": {"card_id": "dbc_2", "account_id": "chk_u1", "user_id": "u1", "cardholder_name": "ANA DIAZ",
                       "last_4_digits": "1111", "cvv": "123", "status": "PENDING", "issue_date": "11/01/2025",
                       "expiration_date": "11/30/2029", "issue_reason": "lost"}}
    cc = {"cc_u1_gold": {"account_id": "cc_u1_gold", "user_id": "u1", "card_type": "Gold Rewards Card",
                         "date_of_account_open": "05/20/2024", "current_balance": "$842.15",
                         "credit_limit": "$4,000.00",
                         "reward_points": "2156 points"}}
    txns = {"txn_1": {"transaction_id": "txn_1", "user_id": "u1", "credit_card_type": "Gold Rewards Card",
                      "merchant_name": "Costco", "transaction_amount": "$100.00", "transaction_date": "10/02/2025",
                      "category": "Groceries", "status": "COMPLETED", "rewards_earned": "250 points"}}
    bank = {"btxn_a": {"transaction_id": "btxn_a", "account_id": "chk_u1", "date": "11/01/2025",
                       "description": "DEPOSIT", "amount": 500.0, "type": "direct_deposit", "status": "posted"},
            "btxn_b": {"transaction_id": "btxn_b", "account_id": "chk_u1", "date": "11/03/2025",
                       "description": "ATM WITHDRAWAL - RHO-BANK #1", "amount": -40.0, "type": "atm_withdrawal",
                       "status": "posted"},
            "btxn_c": {"transaction_id": "btxn_c", "account_id": "chk_u1", "date": "11/03/2025",
                       "description": "ATM FEE", "amount": -3.0, "type": "atm_fee", "status": "posted"}}
    frame = lambda data: {"data": data, "notes": "n"}  # noqa: E731
    return {"users": frame(users), "accounts": frame(accounts), "debit_cards": frame(cards),
            "credit_card_accounts": frame(cc), "credit_card_transaction_history": frame(txns),
            "bank_account_transaction_history": frame(bank)}


def env(db: dict[str, Any] | None = None, allow: list[str] | None = None) -> Environment:
    base = DOMAIN.base(db or mini_db())
    e = Environment(DOMAIN, base.store())
    e.db.scratch["banking.read_log_allowlist"] = list(allow or [])
    return e


def call(e: Environment, tool: str, requestor: str = "assistant", /, **arguments: Any) -> str:
    return e.step(ToolCall(tool, arguments, requestor=requestor)).content


def agent_tool(e: Environment, name: str, /, **arguments: Any) -> str:
    """Unlock an agent discoverable tool, then call it with `arguments` as a JSON text."""
    call(e, "unlock_discoverable_agent_tool", agent_tool_name=name)
    return call(e, "call_discoverable_agent_tool", agent_tool_name=name, arguments=json.dumps(arguments))


def table(e: Environment, name: str) -> dict[str, Any]:
    return e.db.dump()[name]["data"]

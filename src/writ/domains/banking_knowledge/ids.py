"""Deterministic record ids, derived from a call's arguments as tau2 derives them.

Ids must be the ones tau2 computes (a SHA-256 prefix of a seed string in a fixed format), or the
database after a write would differ from tau2's. Numbers enter seeds through their formatting
(``:.2f`` for amounts, ``str`` for floats elsewhere), so a caller's 100 and 100.0 agree only where
tau2 normalises them first.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

__all__ = [
    "account_flag_id", "agent_tool_id", "application_id", "card_order_id", "closure_reason_id", "debit_card_id",
    "debit_card_order_id", "digest", "dispute_id", "limit_request_id", "referral_id", "referral_link_id",
    "transaction_id", "user_tool_call_id", "user_tool_id", "verification_id",
]


def digest(seed: str, length: int = 16) -> str:
    """The first ``length`` hex characters of SHA-256(seed) (``length // 2`` bytes)."""
    return hashlib.sha256(seed.encode()).digest()[: length // 2].hex()


def transaction_id(user_id: str, card_type: str, merchant: str, amount: float, category: str) -> str:
    return "txn_" + digest(":".join(["transaction", user_id, card_type, merchant, f"{amount:.2f}", category]), 12)


def referral_id(referrer_id: str, account_type: str) -> str:
    return digest(":".join(["referral", referrer_id, account_type]), 16)


def application_id(card_type: str, name: str, income: float, subscription: Any) -> str:
    return digest(f"credit_card:{card_type}:{name}:{income}:{subscription}", 16)


def verification_id(user_id: str, time_verified: str) -> str:
    return f"{user_id}_" + time_verified.replace(" ", "_").replace(":", "").replace("-", "")


def user_tool_id(tool_name: str) -> str:
    return digest(f"user_discoverable_tool:{tool_name}", 16)


def user_tool_call_id(tool_name: str, arguments: dict[str, Any]) -> str:
    return digest(f"user_discoverable_tool_call:{tool_name}:{json.dumps(arguments, sort_keys=True)}", 16)


def agent_tool_id(tool_name: str) -> str:
    return digest(f"agent_discoverable_tool:{tool_name}", 16)


def dispute_id(user_id: str, transaction: str) -> str:
    return "dsp_" + digest(f"dispute:{user_id}:{transaction}", 12)


def referral_link_id(user_id: str, card_name: str) -> str:
    return digest(f"referral_link:{user_id}:{card_name}", 16)


def card_order_id(account_id: str, user_id: str, reason: str) -> str:
    return "ccord_" + digest(f"credit_card_order:{account_id}:{user_id}:{reason}", 12)


def closure_reason_id(account_id: str, user_id: str) -> str:
    return "clsr_" + digest(f"closure_reason:{account_id}:{user_id}", 12)


def account_flag_id(account_id: str, flag_type: str, expiration: str) -> str:
    return "ccflag_" + digest(f"account_flag:{account_id}:{flag_type}:{expiration}", 12)


def limit_request_id(account_id: str, user_id: str, amount: float) -> str:
    return "cli_" + digest(f"cli_request:{account_id}:{user_id}:{amount:.2f}", 12)


def debit_card_order_id(account_id: str, user_id: str, delivery: str) -> str:
    return "dcord_" + digest(f"debit_card_order:{account_id}:{user_id}:{delivery}", 12)


def debit_card_id(account_id: str, user_id: str, issue_date: str) -> str:
    return "dbc_" + digest(f"debit_card:{account_id}:{user_id}:{issue_date}", 12)

"""Money as the banking database writes it: numbers, or texts like ``"$2,850.00"`` and ``"2850.00"``.

Tools read balances with tau2's lenient parser and write them back as text; which of the two
spellings a tool writes (with or without the dollar sign) is part of the state a verifier
compares, so each tool keeps tau2's choice.
"""

from __future__ import annotations

from typing import Any

__all__ = ["account_balance", "parse_balance", "parse_money_text"]


def parse_balance(value: Any) -> float:
    """A number, or a text with optional ``$`` and thousands commas (other texts raise ValueError)."""
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        return float(value.replace("$", "").replace(",", ""))
    return 0.0


def account_balance(account: dict[str, Any]) -> float:
    """A bank account's balance: ``current_holdings``, else ``balance``, else 0."""
    return parse_balance(account.get("current_holdings", account.get("balance", 0)))


def parse_money_text(value: Any, default: float = 0.0) -> float:
    """``float(str(value))`` without ``$`` and commas; `default` when that fails."""
    try:
        return float(str(value).replace("$", "").replace(",", ""))
    except (TypeError, ValueError):
        return default

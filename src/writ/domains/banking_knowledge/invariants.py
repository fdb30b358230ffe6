"""What every banking database must satisfy (tau2's shipped one included), and every knowledge base.

Database: each record's id field equals its key; accounts, cards, transactions, payments and
referrals point at users and accounts that exist; debit cards belong to checking accounts of their
own user; money texts parse; dates are MM/DD/YYYY (payment dates may also be ISO, as four of
tau2's are). Knowledge base: ids are unique, every tool a document names exists, and every
discoverable tool (but tau2's placeholder) is named by some document, so each is reachable.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

__all__ = ["ID_FIELDS", "invariants", "kb_invariants", "tool_mentions"]

ID_FIELDS = {
    "users": "user_id", "accounts": "account_id", "debit_cards": "card_id", "referrals": "referral_id",
    "credit_card_applications": "application_id", "credit_card_transaction_history": "transaction_id",
    "bank_account_transaction_history": "transaction_id", "credit_card_accounts": "account_id",
    "transaction_disputes": "dispute_id", "credit_card_orders": "order_id", "debit_card_orders": "order_id",
    "credit_card_closure_reasons": "record_id", "credit_card_account_flags": "flag_id",
    "credit_limit_increase_requests": "request_id", "payment_history": "payment_id",
    "cash_back_disputes": "dispute_id", "debit_card_disputes": "dispute_id",
}
_MONEY = re.compile(r"^-?\$?-?[0-9][0-9,]*(\.[0-9]+)?$")
_TOOL = re.compile(r"\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b")


def _data(db: dict[str, Any], table: str) -> dict[str, Any]:
    return (db.get(table) or {}).get("data") or {}


def _date_ok(text: Any, iso_too: bool = False) -> bool:
    for layout in ("%m/%d/%Y",) + (("%Y-%m-%d",) if iso_too else ()):
        try:
            datetime.strptime(str(text), layout)
            return True
        except ValueError:
            continue
    return False


def invariants(db: dict[str, Any]) -> list[str]:
    """Human-readable violations (empty when consistent)."""
    out: list[str] = []
    for table, field in ID_FIELDS.items():
        for key, record in _data(db, table).items():
            if record.get(field) != key:
                out.append(f"{table}[{key}]: {field} is {record.get(field)!r}")
    users, accounts, cards = _data(db, "users"), _data(db, "accounts"), _data(db, "credit_card_accounts")
    for key, a in accounts.items():
        if a.get("user_id") not in users:
            out.append(f"accounts[{key}]: unknown user {a.get('user_id')!r}")
        if not _MONEY.match(str(a.get("current_holdings", "0"))):
            out.append(f"accounts[{key}]: current_holdings {a.get('current_holdings')!r} is not money")
        if "date_opened" in a and not _date_ok(a["date_opened"]):
            out.append(f"accounts[{key}]: date_opened {a['date_opened']!r} is not MM/DD/YYYY")
    for key, c in cards.items():
        if c.get("user_id") not in users:
            out.append(f"credit_card_accounts[{key}]: unknown user {c.get('user_id')!r}")
        if not _MONEY.match(str(c.get("current_balance", "$0.00"))):
            out.append(f"credit_card_accounts[{key}]: current_balance {c.get('current_balance')!r} is not money")
    for key, d in _data(db, "debit_cards").items():
        account = accounts.get(d.get("account_id"))
        if account is None:
            out.append(f"debit_cards[{key}]: unknown account {d.get('account_id')!r}")
        elif account.get("user_id") != d.get("user_id"):
            out.append(f"debit_cards[{key}]: its account belongs to {account.get('user_id')!r}")
        elif "checking" not in str(account.get("class", "")):
            out.append(f"debit_cards[{key}]: account {d.get('account_id')!r} is not a checking account")
    for key, t in _data(db, "credit_card_transaction_history").items():
        if t.get("user_id") not in users:
            out.append(f"credit_card_transaction_history[{key}]: unknown user {t.get('user_id')!r}")
        if not _date_ok(t.get("transaction_date")):
            out.append(f"credit_card_transaction_history[{key}]: date {t.get('transaction_date')!r}")
    for key, t in _data(db, "bank_account_transaction_history").items():
        if t.get("account_id") not in accounts:
            out.append(f"bank_account_transaction_history[{key}]: unknown account {t.get('account_id')!r}")
        if not isinstance(t.get("amount"), (int, float)):
            out.append(f"bank_account_transaction_history[{key}]: amount {t.get('amount')!r} is not a number")
    for key, p in _data(db, "payment_history").items():
        if p.get("credit_card_account_id") not in cards:
            out.append(f"payment_history[{key}]: unknown card account {p.get('credit_card_account_id')!r}")
        if not _date_ok(p.get("payment_date"), iso_too=True):
            out.append(f"payment_history[{key}]: payment_date {p.get('payment_date')!r}")
    for key, r in _data(db, "referrals").items():
        if r.get("referrer_id") not in users:
            out.append(f"referrals[{key}]: unknown referrer {r.get('referrer_id')!r}")
    return out


def tool_mentions(text: str, names: set[str]) -> set[str]:
    """The tool names of `names` that `text` mentions."""
    return {m for m in _TOOL.findall(text) if m in names}


def kb_invariants(documents: list[dict[str, Any]], discoverable: set[str], known: set[str]) -> list[str]:
    """Violations of a knowledge base: duplicate ids, tools named that do not exist, tools never named.

    `known` is every tool name a document may use (discoverable and always-present); a document
    "names a tool" when it contains a snake_case word ending in a four-digit suffix or in `known`.
    """
    out: list[str] = []
    seen: set[str] = set()
    named: set[str] = set()
    for doc in documents:
        if doc["id"] in seen:
            out.append(f"duplicate document id {doc['id']!r}")
        seen.add(doc["id"])
        for word in sorted(set(_TOOL.findall(doc["content"]))):
            if re.search(r"_\d{4}$", word) and word not in known:
                out.append(f"{doc['id']}: names unknown tool {word!r}")
            if word in known:
                named.add(word)
    for name in sorted(discoverable - named - {"example_agent_tool_0000"}):
        out.append(f"no document names the discoverable tool {name!r}")
    return out

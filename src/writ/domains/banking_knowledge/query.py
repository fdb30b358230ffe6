"""tau2's generic table query, as several banking tools print their results.

A query takes a JSON text of ``{field: value}`` equalities (tools build it by string formatting,
so a value with a quote in it breaks the JSON exactly as in tau2) and prints every match as
``N. Record ID: id`` followed by ``   field: value`` lines, values in Python's ``str`` form.
"""

from __future__ import annotations

import json
from typing import Any

from writ.domains.banking_knowledge.schema import records
from writ.store import Store

__all__ = ["QUERYABLE", "format_records", "query_table", "query_text"]

# The tables tau2's query helper knows, in the order it lists them in its "not found" error.
QUERYABLE = [
    "users", "accounts", "referrals", "credit_card_applications", "user_discoverable_tools",
    "user_discoverable_tool_calls", "agent_discoverable_tools", "task_config", "verification_history",
    "credit_card_transaction_history", "cash_back_disputes", "bank_account_transaction_history",
    "credit_card_accounts", "human_transfer_requests", "transaction_disputes", "credit_card_orders",
    "credit_card_closure_reasons", "credit_card_account_flags", "debit_cards", "debit_card_orders",
    "debit_card_disputes", "credit_limit_increase_requests", "payment_history",
]


_ORDERED = {"gt": lambda a, b: a > b, "gte": lambda a, b: a >= b, "lt": lambda a, b: a < b, "lte": lambda a, b: a <= b}


def _compare(op: str, actual: Any, expected: Any) -> bool:
    if op in _ORDERED:
        return _ORDERED[op](actual, expected)
    if op == "ne":
        return actual != expected
    if op == "contains":
        return expected in actual if actual is not None else False
    if op == "startswith":
        return str(actual).startswith(str(expected)) if actual is not None else False
    if op == "endswith":
        return str(actual).endswith(str(expected)) if actual is not None else False
    if op == "in":
        return actual in expected
    if op == "nin":
        return actual not in expected
    return actual == expected  # "eq", and any unknown operator


def _matches(value: dict[str, Any], constraints: dict[str, Any]) -> bool:
    """tau2's constraint rule: ``field`` or ``field__op``; a comparison that raises is a miss."""
    for key, expected in constraints.items():
        name, op = key.rsplit("__", 1) if "__" in key else (key, "eq")
        try:
            if not _compare(op, value.get(name), expected):
                return False
        except (TypeError, ValueError):
            return False
    return True


def format_records(table: str, found: list[tuple[str, dict[str, Any]]]) -> str:
    lines = [f"Found {len(found)} record(s) in '{table}':\n"]
    for i, (key, value) in enumerate(found, 1):
        lines.append(f"{i}. Record ID: {key}")
        lines.extend(f"   {field}: {item}" for field, item in value.items())
        lines.append("")
    return "\n".join(lines)


def query_table(db: Store, table: str, constraints: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(k, v) for k, v in records(db, table).items() if _matches(v, constraints)]


def query_text(db: Store, table: str, constraints_json: str) -> str:
    """The text tau2's ``query_database_tool`` returns."""
    if table not in QUERYABLE:
        return f"Error: Database '{table}' not found. Available: {QUERYABLE}"
    try:
        constraints = json.loads(constraints_json) if constraints_json else {}
    except json.JSONDecodeError as exc:
        return f"Error: Invalid JSON: {exc}"
    try:
        found = query_table(db, table, constraints)
    except Exception as exc:  # tau2 reports any failure of the query itself as text
        return f"Error querying database: {exc}"
    if not found:
        return f"No records found in '{table}'."
    return format_records(table, found)

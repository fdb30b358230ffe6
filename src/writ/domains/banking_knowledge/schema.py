"""The banking database: tau2's ``TransactionalDB``, 23 tables of ``{"data": {id: record}, "notes"}``.

Each table is one copy-on-write document in the `Store` (records are free-form dicts, as in tau2,
whose pydantic model types only the table frame). Tables missing from a ``db.json`` are created
empty, in the model's declaration order, because tau2's model fills them with defaults and they
take part in its database hash. The helpers below are the only way tools touch tables: reads
never copy, and the first write to a table in an episode copies it once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from writ.store import Shape, Store

__all__ = ["LAYOUT", "TABLES", "add", "edit_record", "has_table", "matching", "normalize_db", "record", "records",
           "update"]

# TransactionalDB's fields, in declaration order.
TABLES = [
    "users", "accounts", "debit_cards", "referrals", "credit_card_applications", "user_discoverable_tools",
    "user_discoverable_tool_calls", "verification_history", "credit_card_transaction_history", "cash_back_disputes",
    "bank_account_transaction_history", "credit_card_accounts", "agent_discoverable_tools", "task_config",
    "human_transfer_requests", "transaction_disputes", "credit_card_orders", "debit_card_orders",
    "credit_card_closure_reasons", "credit_card_account_flags", "credit_limit_increase_requests", "payment_history",
    "debit_card_disputes",
]
LAYOUT = {table: Shape("doc") for table in TABLES}


def normalize_db(raw: dict[str, Any]) -> dict[str, Any]:
    """Validate tau2's frame (each table ``{"data": {id: object}, "notes": str}``) and fill defaults."""
    unknown = [k for k in raw if k not in LAYOUT]
    if unknown:
        raise ValueError(f"unexpected table {unknown[0]!r} (TransactionalDB has {', '.join(TABLES)})")
    out: dict[str, Any] = {}
    for table in TABLES:
        frame = raw.get(table)
        if frame is None:
            out[table] = {"data": {}, "notes": ""}
            continue
        if not isinstance(frame, dict):
            raise ValueError(f"table {table!r} must be an object with 'data' and 'notes'")
        extra = [k for k in frame if k not in ("data", "notes")]
        if extra:
            raise ValueError(f"table {table!r}: unexpected key {extra[0]!r}")
        data = frame.get("data", {})
        if not isinstance(data, dict) or any(not isinstance(r, dict) for r in data.values()):
            raise ValueError(f"table {table!r}: 'data' must map ids to objects")
        notes = frame.get("notes", "")
        if not isinstance(notes, str):
            raise ValueError(f"table {table!r}: 'notes' must be a string")
        out[table] = {"data": dict(data), "notes": notes}
    return out


def has_table(name: str) -> bool:
    return name in LAYOUT


def records(db: Store, table: str) -> dict[str, Any]:
    """The table's records by id (read-only)."""
    return db.get(table)["data"]


def record(db: Store, table: str, key: str) -> dict[str, Any] | None:
    """One record (read-only), or None."""
    return db.get(table)["data"].get(key)


def edit_record(db: Store, table: str, key: str) -> dict[str, Any]:
    """A mutable copy-on-write record that must exist."""
    return db.edit(table)["data"][key]


def add(db: Store, table: str, key: str, value: dict[str, Any]) -> bool:
    """tau2's ``add_to_db``: False (nothing stored) for a table the model lacks or an existing id."""
    if not has_table(table):
        return False
    if key in records(db, table):
        return False
    db.edit(table)["data"][key] = value
    return True


def update(db: Store, table: str, key: str, changes: dict[str, Any]) -> bool:
    """tau2's ``update_record_in_db``: set fields of an existing record; False if it is missing."""
    if not has_table(table) or key not in records(db, table):
        return False
    target = edit_record(db, table, key)
    for field, value in changes.items():
        target[field] = value
    return True


def matching(db: Store, table: str, **equal: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """(id, record) pairs whose fields equal the given values, in table order."""
    for key, value in records(db, table).items():
        if all(value.get(f) == v for f, v in equal.items()):
            yield key, value

"""Agent-side lookups, result views and the one-time-charge helper of the telecom domain.

tau2 keeps every table as a list and finds a record by scanning for the first match; writ keys the
same lists by id (ids are unique, so "first match" and "the match" agree). A lookup with a non-string
key simply finds nothing, as tau2's equality scan would, instead of raising a hashing error.

Views: the store holds datetimes as ISO strings; tau2 prints a datetime inside a model dump with a
space (``"2025-01-15 10:30:00"``), so customer and device views rewrite those fields on a copy.
"""

from __future__ import annotations

import hashlib
import weakref
from typing import Any

from writ.core import ToolError
from writ.store import Store

__all__ = [
    "TODAY",
    "apply_one_time_charge",
    "bill_by_id",
    "bills_awaiting_payment",
    "customer_by_id",
    "customer_by_phone",
    "customer_view",
    "device_by_id",
    "device_view",
    "line_by_id",
    "line_by_phone",
    "plan_by_id",
    "target_line",
]

TODAY = "2025-02-25"  # tau2's fixed "today" for the telecom domain
# The draft bill that a one-time charge opens when the customer has none: next month's cycle.
NEXT_CYCLE = {"period_start": "2025-03-01", "period_end": "2025-03-31", "issue_date": "2025-03-01",
              "due_date": "2025-03-15"}


def _by_id(db: Store, table: str, key: Any, what: str) -> dict:
    """The record with this id, or tau2's "<What> with ID <id> not found" error."""
    record = db.get(table, key) if isinstance(key, str) else None
    if record is None:
        raise ToolError(f"{what} with ID {key} not found")
    return record


def customer_by_id(db: Store, customer_id: Any) -> dict:
    return _by_id(db, "customers", customer_id, "Customer")


def line_by_id(db: Store, line_id: Any) -> dict:
    return _by_id(db, "lines", line_id, "Line")


def plan_by_id(db: Store, plan_id: Any) -> dict:
    return _by_id(db, "plans", plan_id, "Plan")


def device_by_id(db: Store, device_id: Any) -> dict:
    return _by_id(db, "devices", device_id, "Device")


def bill_by_id(db: Store, bill_id: Any) -> dict:
    return _by_id(db, "bills", bill_id, "Bill")


class _PhoneIndex:
    """Where each phone number is first found in a loaded database (built once per `Base`).

    Sync looks the user's number up after every call, and a scan costs O(customers + lines). No
    tool changes a phone number or which lines a customer owns, so the loaded database's answer
    stays right in every episode; it is still re-checked against the episode's records and, if it
    does not hold (or the base has no answer), the lookup falls back to tau2's full scan.
    """

    def __init__(self, base: Any):
        lines = base.tables["lines"]
        self.line: dict[str, str] = {}
        for line_id, line in lines.items():
            self.line.setdefault(line["phone_number"], line_id)
        self.customer: dict[str, str | None] = {}  # None: the scan would raise first, so scan
        blocked = False
        for customer_id, customer in base.tables["customers"].items():
            self.customer.setdefault(customer["phone_number"], None if blocked else customer_id)
            for line_id in customer["line_ids"]:
                line = lines.get(line_id) if isinstance(line_id, str) else None
                if line is None:
                    blocked = True
                    break
                self.customer.setdefault(line["phone_number"], None if blocked else customer_id)


_INDEXES: weakref.WeakKeyDictionary[Any, _PhoneIndex] = weakref.WeakKeyDictionary()


def _index(db: Store) -> _PhoneIndex:
    index = _INDEXES.get(db.base)
    if index is None:
        index = _INDEXES[db.base] = _PhoneIndex(db.base)
    return index


def line_by_phone(db: Store, phone_number: Any) -> dict:
    if isinstance(phone_number, str):
        line_id = _index(db).line.get(phone_number)
        line = db.get("lines", line_id) if line_id is not None else None
        if line is not None and line["phone_number"] == phone_number:
            return line
    for line in db.values("lines"):
        if line["phone_number"] == phone_number:
            return line
    raise ToolError(f"Line with phone number {phone_number} not found")


def customer_by_phone(db: Store, phone_number: Any) -> dict:
    """The first customer whose own number, or the number of one of its lines, matches."""
    if isinstance(phone_number, str):
        customer_id = _index(db).customer.get(phone_number)
        customer = db.get("customers", customer_id) if customer_id is not None else None
        if customer is not None:
            if customer["phone_number"] == phone_number:
                return customer
            for line_id in customer["line_ids"]:
                if line_by_id(db, line_id)["phone_number"] == phone_number:
                    return customer
    for customer in db.values("customers"):  # tau2's scan
        if customer["phone_number"] == phone_number:
            return customer
        for line_id in customer["line_ids"]:
            if line_by_id(db, line_id)["phone_number"] == phone_number:
                return customer
    raise ToolError(f"Customer with phone number {phone_number} not found")


def target_line(db: Store, customer_id: Any, line_id: Any) -> dict:
    """The line, after checking that the customer exists and owns it (tau2's order of checks)."""
    customer = customer_by_id(db, customer_id)
    if line_id not in customer["line_ids"]:
        raise ToolError(f"Line {line_id} not found for customer {customer_id}")
    return line_by_id(db, line_id)


def bills_awaiting_payment(db: Store, customer: dict) -> list[dict]:
    out = []
    for bill_id in customer["bill_ids"]:
        bill = bill_by_id(db, bill_id)
        if bill["status"] == "Awaiting Payment":
            out.append(bill)
    return out


def _with_spaced_datetimes(record: dict, fields: tuple[str, ...]) -> dict:
    out = dict(record)
    for name in fields:
        value = out.get(name)
        if isinstance(value, str) and "T" in value:
            out[name] = value.replace("T", " ", 1)
    return out


def customer_view(record: dict) -> dict:
    """A customer as tau2 dumps it in a tool result (``created_at`` with a space)."""
    return _with_spaced_datetimes(record, ("created_at",))


def device_view(record: dict) -> dict:
    return _with_spaced_datetimes(record, ("activation_date", "last_esim_transfer_date"))


def draft_bill_id(db: Store, customer_id: str) -> str:
    """A new draft-bill id.

    Deviation from tau2: tau2 uses ``"B" + uuid4().hex[:8]`` (random). writ must be reproducible, so
    the 8 hex characters come from a hash of the customer id and the current number of bills (with a
    counter in the rare case of a collision). Only customers without a Draft bill reach this path;
    none of tau2's tasks does.
    """
    salt = 0
    while True:
        seed = f"{customer_id}:{db.count('bills')}:{salt}".encode()
        bill_id = "B" + hashlib.sha256(seed).hexdigest()[:8]
        if not db.has("bills", bill_id):
            return bill_id
        salt += 1


def apply_one_time_charge(db: Store, customer_id: str, amount: Any, description: str) -> None:
    """Add a charge (or a credit, if negative) to the customer's first Draft bill, opening one if needed."""
    customer = customer_by_id(db, customer_id)
    draft_id = None
    for bill_id in customer["bill_ids"]:
        if bill_by_id(db, bill_id)["status"] == "Draft":
            draft_id = bill_id
            break
    if draft_id is None:
        draft_id = draft_bill_id(db, customer_id)
        db.put("bills", draft_id, {
            "bill_id": draft_id, "customer_id": customer_id, "period_start": NEXT_CYCLE["period_start"],
            "period_end": NEXT_CYCLE["period_end"], "issue_date": NEXT_CYCLE["issue_date"], "total_due": 0.0,
            "due_date": NEXT_CYCLE["due_date"], "line_items": [], "status": "Draft",
        })
        db.edit("customers", customer_id)["bill_ids"].append(draft_id)
    item = {"description": description, "amount": float(amount), "date": TODAY,
            "item_type": "Credit" if amount < 0 else "Charge"}
    bill = db.edit("bills", draft_id)
    bill["line_items"].append(item)
    bill["total_due"] += amount

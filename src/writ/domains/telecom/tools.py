"""The telecom agent's tools (tau2's `TelecomTools`) and its task helpers, in tau2's order.

Results follow tau2's serialisation: records are returned as model dumps (numbers stay numbers), but
a plain dict built by a tool has its numbers and booleans turned into strings (`get_data_usage`,
`refuel_data`), while a record nested in such a dict (`suspend_line`'s ``line``) stays numeric.
Arguments arrive unvalidated: raw assignments keep the JSON type given (``set_data_usage`` with
``15`` stores the int 15), exactly as in tau2.
"""

from __future__ import annotations

from typing import Any

from writ.core import Toolbox, ToolError, ToolKind
from writ.domains.common import transfer_to_human_agents
from writ.domains.telecom.records import (
    TODAY,
    apply_one_time_charge,
    bill_by_id,
    bills_awaiting_payment,
    customer_by_id,
    customer_by_phone,
    customer_view,
    device_by_id,
    device_view,
    line_by_id,
    plan_by_id,
    target_line,
)
from writ.domains.telecom.schema import Bill, LineItem, plain
from writ.store import Store

__all__ = ["box"]

box = Toolbox(owner="TelecomTools", side="agent")

CYCLE_END_DATE = "2025-02-28"  # last day of the month of TODAY


def _text(value: Any) -> Any:
    """How tau2 renders a number or boolean that sits directly in a returned dict: as ``str()``."""
    if isinstance(value, (bool, int, float)):
        return str(value)
    return value


@box.read
def get_customer_by_phone(db: Store, phone_number: str) -> dict:
    """Look up a customer by a phone number: their main contact number or the number of one of their lines.

    Args:
        phone_number: The phone number to look for, e.g. "555-123-2002".

    Returns:
        The customer's record.
    """
    return customer_view(customer_by_phone(db, phone_number))


@box.read
def get_customer_by_id(db: Store, customer_id: str) -> dict:
    """Fetch a customer's record from their customer ID.

    Args:
        customer_id: The customer's unique ID, e.g. "C1001".

    Returns:
        The customer's record.
    """
    return customer_view(customer_by_id(db, customer_id))


@box.read
def get_customer_by_name(db: Store, full_name: str, dob: str) -> list:
    """Find customers by full name and date of birth. The name match ignores case; the date must match exactly.

    Args:
        full_name: The customer's full name.
        dob: The customer's date of birth, formatted YYYY-MM-DD.

    Returns:
        The matching customer records (possibly none).
    """
    return [customer_view(c) for c in db.values("customers")
            if c["full_name"].lower() == full_name.lower() and c["date_of_birth"] == dob]


@box.read
def get_details_by_id(db: Store, id: str) -> dict:
    """Fetch any record from its ID. The first letter tells the kind: L line, D device, B bill, C customer, P plan.

    Args:
        id: The ID of a line, device, bill, customer or plan.

    Returns:
        The record with that ID.
    """
    if id.startswith("L"):
        return line_by_id(db, id)
    if id.startswith("D"):
        return device_view(device_by_id(db, id))
    if id.startswith("B"):
        return bill_by_id(db, id)
    if id.startswith("C"):
        return customer_view(customer_by_id(db, id))
    if id.startswith("P"):
        return plan_by_id(db, id)
    raise ToolError(f"Unknown ID format or type: {id}")


@box.write
def suspend_line(db: Store, customer_id: str, line_id: str, reason: str) -> dict:
    """Suspend one of a customer's lines. Only an active line can be suspended; the suspension starts today.

    Args:
        customer_id: The ID of the customer who owns the line.
        line_id: The ID of the line to suspend.
        reason: Why the line is being suspended.

    Returns:
        A confirmation message and the updated line.
    """
    line = target_line(db, customer_id, line_id)
    if line["status"] != "Active":
        raise ToolError("Line must be active to suspend")
    line = db.edit("lines", line_id)
    line["status"] = "Suspended"
    line["suspension_start_date"] = TODAY
    return {"message": "Line suspended successfully. $5/month holding fee will apply.", "line": line}


@box.write
def resume_line(db: Store, customer_id: str, line_id: str) -> dict:
    """Reactivate a customer's line that is suspended or pending activation.

    Args:
        customer_id: The ID of the customer who owns the line.
        line_id: The ID of the line to resume.

    Returns:
        A confirmation message and the updated line.
    """
    line = target_line(db, customer_id, line_id)
    if line["status"] not in ("Suspended", "Pending Activation"):
        raise ToolError("Line must be suspended to resume")
    line = db.edit("lines", line_id)
    line["status"] = "Active"
    line["suspension_start_date"] = None
    return {"message": "Line resumed successfully", "line": line}


@box.read
def get_bills_for_customer(db: Store, customer_id: str, limit: int = 12) -> list:
    """List a customer's bills, newest issue date first.

    Args:
        customer_id: The ID of the customer.
        limit: The largest number of bills to return (default 12).

    Returns:
        The customer's bills, most recent first.
    """
    customer = customer_by_id(db, customer_id)
    bills = [bill_by_id(db, bill_id) for bill_id in customer["bill_ids"]]
    return sorted(bills, key=lambda bill: bill["issue_date"], reverse=True)[:limit]


@box.write
def send_payment_request(db: Store, customer_id: str, bill_id: str) -> str:
    """Ask the customer to pay one of their bills; the bill becomes "Awaiting Payment".

    A customer may have only one bill awaiting payment at a time. This tool does not look at the
    bill's current status (it would even re-request a paid bill), so check the bill first.

    Args:
        customer_id: The ID of the customer who owns the bill.
        bill_id: The ID of the bill to request payment for.

    Returns:
        A confirmation that the request was sent.
    """
    customer = customer_by_id(db, customer_id)
    if bills_awaiting_payment(db, customer):
        raise ToolError("A bill is already awaiting payment for this customer")
    if bill_id not in customer["bill_ids"]:
        raise ToolError(f"Bill {bill_id} not found for customer {customer_id}")
    bill_by_id(db, bill_id)
    db.edit("bills", bill_id)["status"] = "Awaiting Payment"
    return f"Payment request sent to the customer for bill {bill_id}"


@box.read
def get_data_usage(db: Store, customer_id: str, line_id: str) -> dict:
    """Show a line's data use in the current billing cycle, with its plan's limit, any refueled data and the cycle's end
    date.

    Args:
        customer_id: The ID of the customer who owns the line.
        line_id: The ID of the line.

    Returns:
        The line's usage figures for this cycle.
    """
    line = target_line(db, customer_id, line_id)
    plan = plan_by_id(db, line["plan_id"])
    return {
        "line_id": _text(line_id),
        "data_used_gb": _text(line["data_used_gb"]),
        "data_limit_gb": _text(plan["data_limit_gb"]),
        "data_refueling_gb": _text(line["data_refueling_gb"]),
        "cycle_end_date": CYCLE_END_DATE,
    }


@box.write
def enable_roaming(db: Store, customer_id: str, line_id: str) -> str:
    """Turn on international roaming for a customer's line (network side).

    Args:
        customer_id: The ID of the customer who owns the line.
        line_id: The ID of the line.

    Returns:
        Whether roaming was enabled now or already on.
    """
    return _set_roaming(db, customer_id, line_id, True)


@box.write
def disable_roaming(db: Store, customer_id: str, line_id: str) -> str:
    """Turn off international roaming for a customer's line (network side).

    Args:
        customer_id: The ID of the customer who owns the line.
        line_id: The ID of the line.

    Returns:
        Whether roaming was disabled now or already off.
    """
    return _set_roaming(db, customer_id, line_id, False)


def _set_roaming(db: Store, customer_id: str, line_id: str, on: bool) -> str:
    word = "enabled" if on else "disabled"
    if bool(target_line(db, customer_id, line_id)["roaming_enabled"]) == on:
        return f"Roaming was already {word}"
    db.edit("lines", line_id)["roaming_enabled"] = on
    return f"Roaming {word} successfully"


box.add(transfer_to_human_agents, ToolKind.GENERIC)


@box.write
def refuel_data(db: Store, customer_id: str, line_id: str, gb_amount: float) -> dict:
    """Add extra data to a line for the current cycle; the plan's per-GB refueling price is charged to the customer's
    next bill.

    Args:
        customer_id: The ID of the customer who owns the line.
        line_id: The ID of the line to refuel.
        gb_amount: How many gigabytes to add (must be positive).

    Returns:
        A confirmation with the line's new refueled total and the amount charged.
    """
    line = target_line(db, customer_id, line_id)
    if gb_amount <= 0:
        raise ToolError("Refuel amount must be positive")
    plan = plan_by_id(db, line["plan_id"])
    price = plan["data_refueling_price_per_gb"]
    charge = gb_amount * price
    line = db.edit("lines", line_id)
    line["data_refueling_gb"] += gb_amount  # raw addition, as in tau2 (before the charge can fail)
    apply_one_time_charge(db, customer_id, charge, f"Data refueling: {gb_amount} GB at ${price}/GB")
    return {
        "message": f"Successfully added {gb_amount} GB of data for line {line_id} for ${charge:.2f}",
        "new_data_refueling_gb": _text(line["data_refueling_gb"]),
        "charge": _text(charge),
    }


# -- helpers for task initialisation and evaluation (never offered to a model) -------------------

@box.helper
def get_available_plan_ids(db: Store) -> list:
    """The ids of every plan, in table order."""
    return list(db.keys("plans"))


@box.helper
def set_data_usage(db: Store, customer_id: str, line_id: str, data_used_gb: float) -> str:
    """Overwrite a line's data usage (raw value, no coercion)."""
    target_line(db, customer_id, line_id)
    db.edit("lines", line_id)["data_used_gb"] = data_used_gb
    return f"Data usage set to {data_used_gb} GB for line {line_id}"


@box.helper
def suspend_line_for_overdue_bill(db: Store, customer_id: str, line_id: str, new_bill_id: str,
                                  contract_ended: bool) -> str:
    """Create an overdue bill for last month's plan charge and suspend the line (task set-up).

    Difference from tau2: if ``new_bill_id`` already exists, tau2 appends a second bill with that id
    that no lookup can ever reach; writ keys bills by id, so it keeps the existing bill (lookups
    behave the same) and only adds the id to the customer's list and suspends the line.
    """
    line = line_by_id(db, line_id)
    if line["status"] != "Active":
        raise ToolError("Line must be active to suspend for unpaid bill")
    amount = plan_by_id(db, line["plan_id"])["price_per_month"]
    if amount <= 0:
        raise ToolError("Amount must be positive for overdue bill")
    customer = customer_by_id(db, customer_id)
    if any(bill_by_id(db, b)["status"] == "Overdue" for b in customer["bill_ids"]):
        raise ToolError("Customer already has an overdue bill")
    # Built through tau2's Bill model, so a bad id fails with its validation error before any change.
    bill = plain(Bill(
        bill_id=new_bill_id, customer_id=customer_id, period_start="2025-01-01", period_end="2025-01-31",
        issue_date="2025-01-01", total_due=0, due_date="2025-01-15", status="Overdue",
        line_items=[LineItem(description=f"Charge for line {line_id}", amount=amount, date=TODAY, item_type="Charge")],
    ).model_dump())
    bill["total_due"] += amount
    if not db.has("bills", new_bill_id):
        db.put("bills", new_bill_id, bill)
    db.edit("customers", customer_id)["bill_ids"].append(new_bill_id)
    line = db.edit("lines", line_id)
    line["status"] = "Suspended"
    line["suspension_start_date"] = TODAY
    if contract_ended:
        line["contract_end_date"] = "2025-01-31"
    return f"Line {line_id} suspended for unpaid bill {new_bill_id}. Contract ended: {contract_ended}"


@box.helper
def assert_data_refueling_amount(db: Store, customer_id: str, line_id: str, expected_amount: float) -> bool:
    """True when the line's refueled data equals ``expected_amount`` (within 1e-6)."""
    return abs(target_line(db, customer_id, line_id)["data_refueling_gb"] - expected_amount) < 1e-6


@box.helper
def assert_line_status(db: Store, customer_id: str, line_id: str, expected_status: str) -> bool:
    """True when the line's status equals ``expected_status`` (e.g. "Suspended")."""
    return target_line(db, customer_id, line_id)["status"] == expected_status


@box.helper
def assert_overdue_bill_exists(db: Store, customer_id: str, overdue_bill_id: str) -> bool:
    """True when the customer has the bill and it is overdue; raises otherwise."""
    customer = customer_by_id(db, customer_id)
    if overdue_bill_id not in customer["bill_ids"]:
        raise ToolError(f"Overdue bill {overdue_bill_id} not found")
    if bill_by_id(db, overdue_bill_id)["status"] != "Overdue":
        raise ToolError(f"Overdue bill {overdue_bill_id} is not overdue")
    return True


@box.helper
def assert_no_overdue_bill(db: Store, overdue_bill_id: str) -> bool:
    """True when the bill does not exist or has been paid."""
    try:
        bill = bill_by_id(db, overdue_bill_id)
    except ToolError:
        return True
    return bill["status"] == "Paid"

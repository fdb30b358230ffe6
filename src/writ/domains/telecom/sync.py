"""Agent database -> phone: tau2's `TelecomEnvironment.sync_tools`, run after every successful call.

It is the only channel from the carrier's records to the user's phone: whether the line is active,
whether the network allows roaming, whether the data allowance is used up, and pending payment
requests (a paid request marks its bill Paid and disappears). It never runs a network search, so a
resumed line shows no service until the user does something that searches (e.g. reboot).

Errors propagate like tau2's (``Line with phone number ... not found`` and friends); the
environment then reports them as the tool's error although the tool's change already happened.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from writ.domains.telecom.records import (
    bill_by_id,
    bills_awaiting_payment,
    customer_by_phone,
    line_by_phone,
    plan_by_id,
)

if TYPE_CHECKING:
    from writ.core import Environment

__all__ = ["sync"]


def sync(env: Environment) -> None:
    agent, user = env.db, env.user_db
    if user is None:
        return
    surroundings = user.get("surroundings")
    if surroundings is None:  # tau2 would fail on the missing attribute the same way
        raise AttributeError(f"'{user.name}' object has no attribute 'surroundings'")
    phone_number = surroundings["phone_number"]
    if phone_number is None:
        return
    line = line_by_phone(agent, phone_number)
    updates: dict = {
        "line_active": line["status"] == "Active",
        "roaming_allowed": bool(line["roaming_enabled"]),
    }
    plan = plan_by_id(agent, line["plan_id"])
    updates["mobile_data_usage_exceeded"] = line["data_used_gb"] >= plan["data_limit_gb"] + line["data_refueling_gb"]
    _update(user, surroundings, updates)

    request = user.get("surroundings")["payment_request"]
    if request is not None and request["paid"]:
        bill_by_id(agent, request["bill_id"])
        agent.edit("bills", request["bill_id"])["status"] = "Paid"
        user.edit("surroundings")["payment_request"] = None
    if user.get("surroundings")["payment_request"] is None:
        customer = customer_by_phone(agent, phone_number)
        awaiting = bills_awaiting_payment(agent, customer)
        if awaiting:
            bill = awaiting[0]
            user.edit("surroundings")["payment_request"] = {
                "bill_id": bill["bill_id"], "amount_due": float(bill["total_due"]), "paid": False,
            }


def _update(store, record: dict, updates: dict) -> None:
    """Write only what changed, so an unchanged phone stays shared with its base."""
    if any(record.get(k) != v or type(record.get(k)) is not type(v) for k, v in updates.items()):
        edited = store.edit("surroundings")
        edited.update(updates)

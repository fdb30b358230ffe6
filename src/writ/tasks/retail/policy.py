"""The retail policy (src/writ/domains/retail/policy.md) as a check on a write about to run.

`policy_violation(env, action)` returns why the write breaks the policy in the current state, or
None. Only what the policy states is checked; a call that the tool itself would reject is also
reported, so a gold action can never rely on an error.
"""

from __future__ import annotations

from typing import Any

from writ.core import Environment
from writ.domains.retail.lookups import CANCEL_REASONS

__all__ = ["policy_violation"]


def _user_method(db: Any, user_id: str, method_id: Any) -> dict | None:
    user = db.get("users", user_id)
    if user is None or not isinstance(method_id, str):
        return None
    return user["payment_methods"].get(method_id)


def _switch_problem(db: Any, order: dict, item_ids: Any, new_item_ids: Any, method_id: Any) -> str | None:
    """Shared rules of modifying pending items and exchanging delivered ones."""
    if not isinstance(item_ids, list) or not isinstance(new_item_ids, list) or not item_ids:
        return "item lists must be non-empty lists"
    if len(item_ids) != len(new_item_ids):
        return "each item needs exactly one replacement"
    held = [i["item_id"] for i in order["items"]]
    diff = 0.0
    for old_id, new_id in zip(item_ids, new_item_ids, strict=True):
        if item_ids.count(old_id) > held.count(old_id):
            return f"item {old_id} is not in the order"
        item = next(i for i in order["items"] if i["item_id"] == old_id)
        product = db.get("products", item["product_id"])
        variant = product["variants"].get(new_id) if product else None
        if variant is None:
            return f"item {new_id} is not a variant of the same product ({item['name']})"
        if new_id == old_id:
            return "an item must change to a variant with different options"
        if not variant["available"]:
            return f"item {new_id} is not available"
        diff += variant["price"] - item["price"]
    method = _user_method(db, order["user_id"], method_id)
    if method is None:
        return "the payment method is not one of the user's"
    if method["source"] == "gift_card" and method["balance"] < round(diff, 2):
        return "the gift card cannot cover the price difference"
    return None


def policy_violation(env: Environment, action: Any) -> str | None:
    db = env.db
    name = action.name
    args = dict(action.arguments)
    if name == "modify_user_address":
        return None if db.get("users", args.get("user_id")) is not None else "unknown user"
    order_id = args.get("order_id")
    order = db.get("orders", order_id) if isinstance(order_id, str) else None
    if order is None:
        return None if name not in _ORDER_WRITES else "unknown order"
    status = order["status"]
    if name == "cancel_pending_order":
        if status != "pending":
            return f"only a pending order can be cancelled (order is {status!r})"
        if args.get("reason") not in CANCEL_REASONS:
            return "the cancellation reason must be 'no longer needed' or 'ordered by mistake'"
        return None
    if name in ("modify_pending_order_address", "modify_pending_order_payment", "modify_pending_order_items"):
        if status != "pending":  # 'pending (item modified)' can no longer be changed (policy.md)
            return f"only a pending order can be changed (order is {status!r})"
        if name == "modify_pending_order_payment":
            history = order["payment_history"]
            method_id = args.get("payment_method_id")
            method = _user_method(db, order["user_id"], method_id)
            if method is None:
                return "the payment method is not one of the user's"
            if len(history) != 1 or history[0]["transaction_type"] != "payment":
                return "the order's payment can no longer be changed"
            if method_id == history[0]["payment_method_id"]:
                return "the new payment method must differ from the current one"
            if method["source"] == "gift_card" and method["balance"] < history[0]["amount"]:
                return "the gift card cannot cover the order total"
        if name == "modify_pending_order_items":
            return _switch_problem(db, order, args.get("item_ids"), args.get("new_item_ids"),
                                   args.get("payment_method_id"))
        return None
    if name in ("return_delivered_order_items", "exchange_delivered_order_items"):
        if status != "delivered":
            return f"only a delivered order can be returned or exchanged (order is {status!r})"
        if name == "exchange_delivered_order_items":
            return _switch_problem(db, order, args.get("item_ids"), args.get("new_item_ids"),
                                   args.get("payment_method_id"))
        method_id = args.get("payment_method_id")
        method = _user_method(db, order["user_id"], method_id)
        if method is None:
            return "the refund method is not one of the user's"
        if method["source"] != "gift_card" and method_id != order["payment_history"][0]["payment_method_id"]:
            return "a refund goes to the original payment method or a gift card"
        item_ids = args.get("item_ids")
        if not isinstance(item_ids, list) or not item_ids:
            return "no items to return"
        held = [i["item_id"] for i in order["items"]]
        for item_id in item_ids:
            if item_ids.count(item_id) > held.count(item_id):
                return f"item {item_id} is not in the order"
        return None
    return None


_ORDER_WRITES = ("cancel_pending_order", "modify_pending_order_address", "modify_pending_order_payment",
                 "modify_pending_order_items", "return_delivered_order_items", "exchange_delivered_order_items")

"""Retail's information-flow rules: what the customer must choose, and how amounts may be derived.

Choices (the policy makes them the customer's): the cancellation reason; the payment method of a
payment change, of a price difference and of a refund (named by id, by what it is, or as "the
original" when it is the order's original method); a shipping or default address (said, or named
as one on record and then read); that the list of items to modify or exchange is complete.
Amounts the agent may state without a `calculate` call: an order's total, the sum of some of one
order's items, the difference between a variant's price and the price of the item it replaces,
and a gift card's balance less an amount it pays.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from writ.dialogue.lexicon import ADDRESS_ON_RECORD, COMPLETE, ORIGINAL_PAYMENT, RETAIL_REASONS, said_any
from writ.verify.flow.walker import Flow, FlowRules

__all__ = ["RULES", "RetailRules"]

ADDRESS_KEYS = ("address1", "address2", "city", "state", "country", "zip")
PAYING_WRITES = ("modify_pending_order_payment", "modify_pending_order_items", "exchange_delivered_order_items",
                 "return_delivered_order_items")


def _reason(value: Any, flow: Flow, args: dict[str, Any]) -> str | None:
    cues = RETAIL_REASONS.get(str(value))
    if cues is None:
        return None  # not a reason the policy knows; the tool itself refuses it
    return None if said_any(flow.customer_text, cues) else "the customer never gave this reason"


def _methods(flow: Flow) -> dict[str, dict[str, Any]]:
    methods: dict[str, dict[str, Any]] = {}
    for _, _, record in flow.records:  # a user record, from a read or from a write that returns it
        if isinstance(record, dict) and isinstance(record.get("payment_methods"), dict):
            methods.update(record["payment_methods"])
    return methods


def _original(flow: Flow, order_id: str) -> str | None:
    for _name, _args, order in reversed(flow.records):
        if isinstance(order, dict) and order.get("order_id") == order_id and order.get("payment_history"):
            return order["payment_history"][0].get("payment_method_id")
    return None


def _payment(value: Any, flow: Flow, args: dict[str, Any]) -> str | None:
    text = flow.customer_text
    method_id = str(value)
    if method_id.lower() in text:
        return None
    if _original(flow, str(args.get("order_id", ""))) == method_id and said_any(text, ORIGINAL_PAYMENT):
        return None
    method = _methods(flow).get(method_id)
    if method is None:
        return "the customer never named this payment method, and no read shows what it is"
    source = method.get("source")
    if source == "paypal" and "paypal" in text:
        return None
    if source == "credit_card" and (str(method.get("last_four", "")) in text or
                                    str(method.get("brand", "")).lower() in text):
        return None
    if source == "gift_card" and "gift card" in text:
        return None
    return "the customer never chose this payment method"


def _address(value: Any, flow: Flow, args: dict[str, Any]) -> str | None:
    if value in ("", None) or flow.said(value):
        return None
    if said_any(flow.customer_text, ADDRESS_ON_RECORD) and flow.read(value):
        return None
    return "the customer never gave this address nor pointed to one on record"


def _complete(flow: Flow, args: dict[str, Any]) -> str | None:
    if said_any(flow.customer_text, COMPLETE):
        return None
    return "the customer never confirmed that the list of items is complete"


class RetailRules(FlowRules):
    choices = {
        "cancel_pending_order": {"reason": _reason},
        **{tool: {"payment_method_id": _payment} for tool in PAYING_WRITES},
        "modify_pending_order_address": {key: _address for key in ADDRESS_KEYS},
        "modify_user_address": {key: _address for key in ADDRESS_KEYS},
    }
    write_checks = {"modify_pending_order_items": _complete, "exchange_delivered_order_items": _complete}

    def amount(self, value: float, flow: Flow) -> str | None:
        orders = [o for _, _, o in flow.records if isinstance(o, dict) and "items" in o and "order_id" in o]
        for order in orders:
            prices = [round(float(i["price"]), 2) for i in order["items"]]
            if abs(sum(prices) - value) < 0.005:
                return "order total"
            if len(prices) <= 10:
                for size in range(2, min(4, len(prices)) + 1):
                    if any(abs(sum(c) - value) < 0.005 for c in combinations(prices, size)):
                        return "sum of items of one order"
        products = [p for _, _, p in flow.records if isinstance(p, dict) and "variants" in p]
        for product in products:
            pid = product.get("product_id")
            olds = [i["price"] for o in orders for i in o["items"] if i.get("product_id") == pid]
            for variant in product["variants"].values():
                if any(abs(abs(variant["price"] - old) - value) < 0.005 for old in olds):
                    return "price difference between a variant and the item it replaces"
        return None


RULES = RetailRules()

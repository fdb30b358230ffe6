"""Consistency checks of a retail database (generated or tau2's shipped one).

`invariants(db)` returns human-readable violations; an empty list means the database is
consistent. It accepts raw data (optional order fields may be absent) as well as normalized data.
tau2's shipped ``db.json`` satisfies every check; two checks are loosened for it: a cancelled order
may lack its ``cancel_reason`` (none of tau2's 102 cancelled orders has one) and may keep its
fulfillments (all of tau2's do). Money is compared with a tolerance of one cent.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from writ.domains.retail.schema import CANCEL_REASONS, ORDER_STATUSES

__all__ = ["invariants"]

TOLERANCE = 0.01
ORDER_ID = re.compile(r"#W\d{7}")
UNSHIPPED = {"pending", "pending (item modified)"}
SHIPPED = {"processed", "delivered", "return requested", "exchange requested"}
PAYMENT_SOURCES = {"credit_card", "gift_card", "paypal"}


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def invariants(db: dict[str, Any]) -> list[str]:
    """Every violated invariant of `db`, as a sentence naming the record (empty: consistent)."""
    problems: list[str] = []
    products, users, orders = db.get("products", {}), db.get("users", {}), db.get("orders", {})
    _check_products(products, problems)
    _check_users(users, orders, problems)
    tracking: Counter[str] = Counter()
    for order_id, order in orders.items():
        _check_order(order_id, order, products, users, tracking, problems)
    problems.extend(f"tracking id {t} is used {n} times" for t, n in tracking.items() if n > 1)
    return problems


def _check_products(products: dict, problems: list[str]) -> None:
    seen_items: dict[str, str] = {}
    all_items = {item_id for product in products.values() for item_id in product["variants"]}
    names = Counter(p.get("name") for p in products.values())
    problems.extend(f"product name {n!r} is used by {c} products" for n, c in names.items() if c > 1)
    for product_id, product in products.items():
        if product.get("product_id") != product_id:
            problems.append(f"product {product_id}: product_id field is {product.get('product_id')!r}")
        if product_id in all_items:
            problems.append(f"product {product_id}: id is also an item id")
        if not product["variants"]:
            problems.append(f"product {product_id}: no variants")
        for item_id, variant in product["variants"].items():
            if variant.get("item_id") != item_id:
                problems.append(f"product {product_id}: variant {item_id} has item_id {variant.get('item_id')!r}")
            if item_id in seen_items:
                problems.append(f"item {item_id} belongs to products {seen_items[item_id]} and {product_id}")
            seen_items[item_id] = product_id
            if not _number(variant.get("price")) or variant["price"] <= 0:
                problems.append(f"item {item_id}: bad price {variant.get('price')!r}")
            if not isinstance(variant.get("available"), bool):
                problems.append(f"item {item_id}: availability is not a bool")
            options = variant.get("options")
            if not isinstance(options, dict) or not all(isinstance(v, str) for v in options.values()):
                problems.append(f"item {item_id}: options must map names to strings")


def _check_users(users: dict, orders: dict, problems: list[str]) -> None:
    identities: Counter[tuple] = Counter()
    emails: Counter[str] = Counter()
    for user_id, user in users.items():
        if user.get("user_id") != user_id:
            problems.append(f"user {user_id}: user_id field is {user.get('user_id')!r}")
        name, address = user["name"], user["address"]
        identities[(name["first_name"].lower(), name["last_name"].lower(), address["zip"])] += 1
        emails[user["email"].lower()] += 1
        for method_id, method in user["payment_methods"].items():
            if method.get("id") != method_id:
                problems.append(f"user {user_id}: payment method {method_id} has id {method.get('id')!r}")
            source = method.get("source")
            if source not in PAYMENT_SOURCES:
                problems.append(f"user {user_id}: payment method {method_id} has source {source!r}")
            elif source == "gift_card" and (not _number(method.get("balance")) or method["balance"] < 0):
                problems.append(f"user {user_id}: gift card {method_id} has balance {method.get('balance')!r}")
            elif source == "credit_card" and not re.fullmatch(r"\d{4}", str(method.get("last_four"))):
                problems.append(f"user {user_id}: credit card {method_id} has last_four {method.get('last_four')!r}")
        listed = Counter(user["orders"])
        for order_id, n in listed.items():
            if n > 1:
                problems.append(f"user {user_id}: order {order_id} is listed {n} times")
            if order_id not in orders:
                problems.append(f"user {user_id}: lists unknown order {order_id}")
            elif orders[order_id].get("user_id") != user_id:
                problems.append(f"user {user_id}: lists order {order_id} of {orders[order_id].get('user_id')}")
    problems.extend(f"users share first name, last name and zip {key}" for key, n in identities.items() if n > 1)
    problems.extend(f"email {e} is used by {n} users" for e, n in emails.items() if n > 1)


def _check_order(order_id: str, order: dict, products: dict, users: dict, tracking: Counter,
                 problems: list[str]) -> None:
    where = f"order {order_id}"
    if order.get("order_id") != order_id:
        problems.append(f"{where}: order_id field is {order.get('order_id')!r}")
    if not ORDER_ID.fullmatch(order_id):
        problems.append(f"{where}: id is not '#W' and 7 digits")
    user = users.get(order.get("user_id"))
    if user is None:
        problems.append(f"{where}: unknown user {order.get('user_id')!r}")
        return
    if order_id not in user["orders"]:
        problems.append(f"{where}: missing from the orders of {user['user_id']}")
    status = order.get("status")
    if status not in ORDER_STATUSES:
        problems.append(f"{where}: unknown status {status!r}")
    items = order["items"]
    if not items:
        problems.append(f"{where}: no items")
    for item in items:
        product = products.get(item.get("product_id"))
        variant = product["variants"].get(item.get("item_id")) if product else None
        if variant is None:
            problems.append(f"{where}: item {item.get('item_id')} is not a variant of product {item.get('product_id')}")
        elif (item.get("name"), item.get("price"), item.get("options")) != (
                product["name"], variant["price"], variant["options"]):
            problems.append(f"{where}: item {item['item_id']} differs from the catalogue (name, price or options)")
    _check_payments(where, order, user, status, problems)
    _check_fulfillments(where, order, status, tracking, problems)
    _check_extras(where, order, user, products, status, problems)


def _check_payments(where: str, order: dict, user: dict, status: Any, problems: list[str]) -> None:
    history = order["payment_history"]
    if not history or history[0].get("transaction_type") != "payment":
        problems.append(f"{where}: payment history does not start with a payment")
    paid = refunded = 0.0
    for entry in history:
        if entry.get("payment_method_id") not in user["payment_methods"]:
            problems.append(f"{where}: payment method {entry.get('payment_method_id')} is not {user['user_id']}'s")
        kind = entry.get("transaction_type")
        if kind == "payment":
            paid += entry["amount"]
        elif kind == "refund":
            refunded += entry["amount"]
        else:
            problems.append(f"{where}: unknown transaction type {kind!r}")
    total = round(sum(item["price"] for item in order["items"]), 2)
    if status == "cancelled":
        if abs(paid - total) > TOLERANCE or abs(refunded - paid) > TOLERANCE:
            problems.append(
                f"{where}: cancelled with payments {paid:.2f} and refunds {refunded:.2f} for items of {total:.2f}")
    elif abs(paid - refunded - total) > TOLERANCE:
        problems.append(f"{where}: net payments {paid - refunded:.2f} differ from the item total {total:.2f}")


def _check_fulfillments(where: str, order: dict, status: Any, tracking: Counter, problems: list[str]) -> None:
    fulfillments = order["fulfillments"]
    if status in UNSHIPPED and fulfillments:
        problems.append(f"{where}: {status} but has fulfillments")
    if status in SHIPPED and not fulfillments:
        problems.append(f"{where}: {status} but has no fulfillment")
    if fulfillments:
        shipped = Counter(i for f in fulfillments for i in f["item_ids"])
        if shipped != Counter(item["item_id"] for item in order["items"]):
            problems.append(f"{where}: fulfillments do not cover exactly the ordered items")
        for fulfillment in fulfillments:
            if not fulfillment["tracking_id"]:
                problems.append(f"{where}: fulfillment without tracking id")
            tracking.update(fulfillment["tracking_id"])


def _check_extras(where: str, order: dict, user: dict, products: dict, status: Any, problems: list[str]) -> None:
    held = Counter(item["item_id"] for item in order["items"])
    reason = order.get("cancel_reason")
    # A reason requires a cancelled order; a cancelled order without one is accepted because every
    # cancelled order of tau2's shipped data lacks it (the generator always records one).
    if reason is not None and (status != "cancelled" or reason not in CANCEL_REASONS):
        problems.append(f"{where}: cancel_reason {reason!r} does not fit status {status!r}")
    exchange = [order.get(k) for k in ("exchange_items", "exchange_new_items", "exchange_payment_method_id",
                                       "exchange_price_difference")]
    if any(v is not None for v in exchange) != (status == "exchange requested") or (
            status == "exchange requested" and any(v is None for v in exchange)):
        problems.append(f"{where}: exchange fields do not fit status {status!r}")
    elif status == "exchange requested":
        old, new, method_id, diff = exchange
        if not old or len(old) != len(new) or Counter(old) - held:
            problems.append(f"{where}: exchange items are not items of the order, or counts differ")
        ordered = {item["product_id"] for item in order["items"]}
        prices = {}
        for pid in ordered:
            prices.update({i: v["price"] for i, v in products.get(pid, {"variants": {}})["variants"].items()})
        if any(i not in prices for i in new):
            problems.append(f"{where}: an exchange target is not a variant of an ordered product")
        else:
            old_price = {item["item_id"]: item["price"] for item in reversed(order["items"])}
            expected = sum(prices[i] for i in new) - sum(old_price.get(i, 0.0) for i in old)
            if abs(expected - diff) > TOLERANCE:
                problems.append(f"{where}: exchange price difference {diff} should be {expected:.2f}")
        if method_id not in user["payment_methods"]:
            problems.append(f"{where}: exchange payment method {method_id} is not the user's")
    returned, refund_to = order.get("return_items"), order.get("return_payment_method_id")
    if (returned is not None or refund_to is not None) != (status == "return requested") or (
            status == "return requested" and (returned is None or refund_to is None)):
        problems.append(f"{where}: return fields do not fit status {status!r}")
    elif status == "return requested":
        if not returned or Counter(returned) - held:
            problems.append(f"{where}: return items are not items of the order")
        method = user["payment_methods"].get(refund_to)
        original = order["payment_history"][0]["payment_method_id"] if order["payment_history"] else None
        if method is None or (method.get("source") != "gift_card" and refund_to != original):
            problems.append(f"{where}: refund goes to {refund_to}, neither the original method nor a gift card")

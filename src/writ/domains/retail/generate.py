"""A synthetic retail database of tau2's schema: products, users and their orders.

`generate(seed, scale)` is deterministic for a seed (one `random.Random(seed)`, no clock, no set
iteration) and returns data already in `normalize_db`'s layout. At scale 1.0 it has about 50
product types, 500 users and 1000 orders, like tau2's; users and orders grow with the scale,
product types with its square root (at least 20). Everything is internally consistent, as checked
by `invariants`: order items copy their catalogue variant, payments add up to the item prices,
payment methods belong to the order's user, each user lists exactly their orders, and the extra
fields of cancelled, exchanged, returned and modified orders follow what the tools would record.
"""

from __future__ import annotations

import itertools
import math
import random
from typing import Any

from writ.domains.retail.catalog import BRANDS, CITIES, FIRST_NAMES, LAST_NAMES, PRODUCT_TYPES, STREETS
from writ.domains.retail.invariants import invariants
from writ.domains.retail.schema import CANCEL_REASONS, OPTIONAL_ORDER_FIELDS

__all__ = ["generate", "invariants"]

STATUS_WEIGHTS = {
    "pending": 36,
    "processed": 11,
    "delivered": 35,
    "cancelled": 10,
    "return requested": 3,
    "exchange requested": 3,
    "pending (item modified)": 2,
}
SHIPPED = {"processed", "delivered", "return requested", "exchange requested"}


class _Ids:
    """Unique random digit strings (one namespace for every id of a database)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def new(self, prefix: str, digits: int) -> str:
        while True:
            value = f"{prefix}{self.rng.randint(10 ** (digits - 1), 10 ** digits - 1)}"
            if value not in self.used:
                self.used.add(value)
                return value


def generate(seed: int, scale: float = 1.0) -> tuple[dict[str, Any], None]:
    """A fresh retail database (and no user database) for `seed`, sized by `scale`."""
    if not scale > 0:
        raise ValueError("scale must be positive")
    rng = random.Random(seed)
    ids = _Ids(rng)
    n_products = min(len(PRODUCT_TYPES), max(20, round(50 * math.sqrt(scale))))
    n_users = max(1, round(500 * scale))
    n_orders = min(5 * n_users, max(n_users, round(1000 * scale)))
    products = _products(rng, ids, n_products)
    users = _users(rng, ids, n_users)
    orders = _orders(rng, ids, products, users, n_orders)
    return {"products": products, "users": users, "orders": orders}, None


# -- products ------------------------------------------------------------------------------------
def _products(rng: random.Random, ids: _Ids, count: int) -> dict[str, Any]:
    products: dict[str, Any] = {}
    for name, (low, high), options in rng.sample(PRODUCT_TYPES, count):
        product_id = ids.new("", 10)
        combos = list(itertools.product(*options.values()))
        picked = rng.sample(combos, min(len(combos), rng.randint(5, 20)))
        variants: dict[str, Any] = {}
        for combo in picked:
            item_id = ids.new("", 10)
            variants[item_id] = {
                "item_id": item_id,
                "options": dict(zip(options, combo, strict=True)),
                "available": rng.random() < 0.65,
                "price": round(rng.uniform(low, high), 2),
            }
        records = list(variants.values())
        while sum(v["available"] for v in records) < min(2, len(records)):
            rng.choice(records)["available"] = True  # every product keeps something to switch to
        products[product_id] = {"name": name, "product_id": product_id, "variants": variants}
    return products


# -- users ---------------------------------------------------------------------------------------
def _address(rng: random.Random, city: tuple[str, str, str] | None = None) -> dict[str, str]:
    name, state, prefix = city or rng.choice(CITIES)
    roll = rng.random()
    line2 = (f"Suite {rng.randint(100, 999)}" if roll < 0.7
             else f"Apt {rng.randint(1, 40)}{rng.choice('ABCD')}" if roll < 0.85 else "")
    return {
        "address1": f"{rng.randint(1, 999)} {rng.choice(STREETS)}",
        "address2": line2,
        "city": name,
        "country": "USA",
        "state": state,
        "zip": f"{prefix}{rng.randint(1, 99):02d}",
    }


def _payment_methods(rng: random.Random, ids: _Ids) -> dict[str, Any]:
    count = rng.choices([1, 2, 3, 4], weights=[60, 28, 9, 3])[0]
    methods: dict[str, Any] = {}
    for _ in range(count):
        has_paypal = any(m["source"] == "paypal" for m in methods.values())
        source = rng.choices(["credit_card", "gift_card", "paypal"], weights=[36, 34, 0 if has_paypal else 30])[0]
        method_id = ids.new(f"{source}_", 7)
        if source == "credit_card":
            brand = rng.choices([b for b, _ in BRANDS], weights=[w for _, w in BRANDS])[0]
            methods[method_id] = {"source": source, "id": method_id, "brand": brand,
                                  "last_four": f"{rng.randint(0, 9999):04d}"}
        elif source == "gift_card":
            balance = float(rng.randint(0, 150)) if rng.random() < 0.6 else round(rng.uniform(0, 250), 2)
            methods[method_id] = {"source": source, "id": method_id, "balance": balance}
        else:
            methods[method_id] = {"source": source, "id": method_id}
    return methods


def _users(rng: random.Random, ids: _Ids, count: int) -> dict[str, Any]:
    users: dict[str, Any] = {}
    identities: set[tuple[str, str, str]] = set()
    while len(users) < count:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        address = _address(rng)
        identity = (first.lower(), last.lower(), address["zip"])
        if identity in identities:  # name + zip must single out one user
            continue
        identities.add(identity)
        user_id = ids.new(f"{first.lower()}_{last.lower()}_", 4)
        email = ids.new(f"{first.lower()}.{last.lower()}", 4) + "@example.com"
        users[user_id] = {
            "user_id": user_id,
            "name": {"first_name": first, "last_name": last},
            "address": address,
            "email": email,
            "payment_methods": _payment_methods(rng, ids),
            "orders": [],
        }
    return users


# -- orders --------------------------------------------------------------------------------------
def _orders(rng: random.Random, ids: _Ids, products: dict, users: dict, count: int) -> dict[str, Any]:
    user_ids = list(users)
    per_user = dict.fromkeys(user_ids, 1)  # every user has 1 to 5 orders
    open_users = list(user_ids)
    for _ in range(count - len(user_ids)):
        user_id = rng.choice(open_users)
        per_user[user_id] += 1
        if per_user[user_id] == 5:
            open_users.remove(user_id)
    slots = [user_id for user_id in user_ids for _ in range(per_user[user_id])]
    rng.shuffle(slots)
    catalogue = list(products.values())
    old_addresses: dict[str, dict] = {}
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    orders: dict[str, Any] = {}
    for user_id in slots:
        user = users[user_id]
        order_id = ids.new("#W", 7)
        address = dict(user["address"])
        if rng.random() < 0.2:  # shipped to where the user lived before
            if user_id not in old_addresses:
                same_city = next(c for c in CITIES if c[0] == address["city"]) if rng.random() < 0.5 else None
                old_addresses[user_id] = _address(rng, same_city)
            address = dict(old_addresses[user_id])
        items = _items(rng, catalogue)
        method_id = rng.choice(list(user["payment_methods"]))
        order = {
            "order_id": order_id,
            "user_id": user_id,
            "address": address,
            "items": items,
            "status": rng.choices(statuses, weights=weights)[0],
            "fulfillments": [],
            "payment_history": [_payment("payment", _total(items), method_id)],
            **dict.fromkeys(OPTIONAL_ORDER_FIELDS),
        }
        _apply_status(rng, ids, order, products, user)
        orders[order_id] = order
        user["orders"].append(order_id)
    return orders


def _item(product: dict, variant: dict) -> dict[str, Any]:
    return {"name": product["name"], "product_id": product["product_id"], "item_id": variant["item_id"],
            "price": variant["price"], "options": dict(variant["options"])}


def _pick_variant(rng: random.Random, product: dict) -> dict:
    variants = list(product["variants"].values())
    available = [v for v in variants if v["available"]]
    return rng.choice(available if available and rng.random() < 0.8 else variants)


def _items(rng: random.Random, catalogue: list[dict]) -> list[dict]:
    items: list[dict] = []
    used: list[dict] = []  # products in the order, in order of appearance
    for _ in range(rng.randint(1, 5)):
        roll = rng.random()
        if items and roll < 0.03:  # the very same item twice
            twin = rng.choice(items)
            items.append(dict(twin, options=dict(twin["options"])))
            continue
        if used and roll < 0.12:  # another variant of a product already in the order
            product = rng.choice(used)
        else:
            product = rng.choice(catalogue)
            while product in used:  # catalogues have at least 20 products, orders at most 5 items
                product = rng.choice(catalogue)
            used.append(product)
        items.append(_item(product, _pick_variant(rng, product)))
    return items


def _total(items: list[dict]) -> float:
    return round(sum(item["price"] for item in items), 2)


def _payment(kind: str, amount: float, method_id: str) -> dict[str, Any]:
    return {"transaction_type": kind, "amount": float(amount), "payment_method_id": method_id}


def _alternatives(products: dict, item: dict) -> list[dict]:
    """Available variants of the item's product other than the item itself."""
    variants = products[item["product_id"]]["variants"].values()
    return [v for v in variants if v["available"] and v["item_id"] != item["item_id"]]


def _apply_status(rng: random.Random, ids: _Ids, order: dict, products: dict, user: dict) -> None:
    """Fill in what the order's status implies, downgrading it where it cannot be consistent."""
    items = order["items"]
    payment = order["payment_history"][0]
    status = order["status"]
    switchable = []
    if status in ("exchange requested", "pending (item modified)"):
        switchable = [i for i, item in enumerate(items) if _alternatives(products, item)]
        if not switchable:
            status = "delivered" if status == "exchange requested" else "pending"
    if status == "cancelled":
        order["cancel_reason"] = rng.choice(CANCEL_REASONS)
        order["payment_history"].append(_payment("refund", payment["amount"], payment["payment_method_id"]))
    elif status == "pending (item modified)":
        position = rng.choice(switchable)
        old = items[position]
        new = rng.choice(_alternatives(products, old))
        items[position] = _item(products[old["product_id"]], new)
        diff = new["price"] - old["price"]
        order["payment_history"].append(
            _payment("payment" if diff > 0 else "refund", round(abs(diff), 2),
                     rng.choice(list(user["payment_methods"])))
        )
    elif status == "return requested":
        chosen = rng.sample(items, rng.randint(1, len(items)))
        gift_cards = [m for m, v in user["payment_methods"].items() if v["source"] == "gift_card"]
        refund_to = rng.choice(gift_cards) if gift_cards and rng.random() < 0.4 else payment["payment_method_id"]
        order["return_items"] = sorted(item["item_id"] for item in chosen)
        order["return_payment_method_id"] = refund_to
    elif status == "exchange requested":
        positions = rng.sample(switchable, rng.randint(1, min(2, len(switchable))))
        new_ids = []
        diff = 0.0
        for position in positions:
            new = rng.choice(_alternatives(products, items[position]))
            new_ids.append(new["item_id"])
            diff += new["price"] - items[position]["price"]
        diff = round(diff, 2)
        methods = [m for m, v in user["payment_methods"].items() if v["source"] != "gift_card" or v["balance"] >= diff]
        if methods:
            order["exchange_items"] = sorted(items[p]["item_id"] for p in positions)
            order["exchange_new_items"] = sorted(new_ids)
            order["exchange_payment_method_id"] = rng.choice(methods)
            order["exchange_price_difference"] = diff
        else:
            status = "delivered"
    order["status"] = status
    if status in SHIPPED:
        order["fulfillments"] = _fulfillments(rng, ids, [item["item_id"] for item in items])


def _fulfillments(rng: random.Random, ids: _Ids, item_ids: list[str]) -> list[dict]:
    if len(item_ids) > 1 and rng.random() < 0.15:  # shipped in two parcels
        cut = rng.randint(1, len(item_ids) - 1)
        parts = [item_ids[:cut], item_ids[cut:]]
    else:
        parts = [item_ids]
    return [{"tracking_id": [ids.new("", 12)], "item_ids": part} for part in parts]

"""Resolving what the user describes into database identifiers, on the state as it is now.

Every description a retail task uses ("my pending order with the black Desk Lamp", "the cheapest
available variant with the same size", "my Visa card ending in 1234") is a small spec dict, and
each resolver below turns a spec into exactly one identifier or raises `Ambiguous`. Drafting uses
the resolvers to check that a description singles out its target; validation re-runs them on a
fresh replay (so a description that stops being unique is caught).

The user's view of an order's status is coarse: a 'pending (item modified)' order is still
"pending" to them and 'return/exchange requested' orders are still "received". Descriptions are
therefore checked for uniqueness against these coarse classes, while the action itself needs the
exact status its tool requires.
"""

from __future__ import annotations

from typing import Any

from writ.store import Store

__all__ = [
    "Ambiguous", "GAP", "find_items", "find_order", "find_pm", "find_variant", "find_cheaper_item",
    "order_total", "status_class", "user_orders",
]

GAP = 1.0  # the smallest price difference a superlative may rest on ("too close to tell apart")
RECEIVED = ("delivered", "exchange requested", "return requested")


class Ambiguous(Exception):
    """A description that matches no record, or more than one."""


def status_class(status: str) -> str:
    if status.startswith("pending"):
        return "pending"
    if status in RECEIVED:
        return "received"
    return status  # processed, cancelled


def order_total(order: dict) -> float:
    return round(sum(item["price"] for item in order["items"]), 2)


def user_orders(db: Store, user_id: str) -> list[tuple[str, dict]]:
    user = db.get("users", user_id)
    return [(oid, db.get("orders", oid)) for oid in user["orders"]]


def item_matches(item: dict, name: str, opts: dict[str, str]) -> bool:
    return item["name"] == name and all(item["options"].get(option) == value for option, value in opts.items())


def _has(order: dict, filters: list[tuple[str, dict]]) -> bool:
    return all(any(item_matches(item, name, options) for item in order["items"]) for name, options in filters)


def _unique(matches: list[str], what: str) -> str:
    if len(matches) != 1:
        raise Ambiguous(f"{len(matches)} orders match {what}")
    return matches[0]


def find_order(db: Store, user_id: str, spec: dict[str, Any]) -> str:
    """The order a spec designates (see the module docstring for the status classes)."""
    kind = spec["kind"]
    if kind == "id":
        return spec["id"]
    if kind == "hint":
        pool = [(oid, db.get("orders", oid)) for oid in spec["ids"]]
    else:
        pool = user_orders(db, user_id)
    cls = spec.get("cls")
    pool = [(oid, order) for oid, order in pool if cls is None or status_class(order["status"]) == cls]
    if kind in ("hint", "has"):
        return _unique([oid for oid, order in pool if _has(order, spec["has"])], "the items")
    if kind == "only":
        return _unique([oid for oid, _ in pool], "the status")
    if kind == "count":
        return _unique([oid for oid, order in pool if len(order["items"]) == spec["n"]], "the item count")
    if kind == "city":
        return _unique([oid for oid, order in pool if order["address"]["city"] == spec["city"]], "the city")
    if kind == "total":
        if len(pool) < 2:
            raise Ambiguous("fewer than two orders to compare")
        ranked = sorted(pool, key=lambda entry: order_total(entry[1]), reverse=spec["most"])
        if abs(order_total(ranked[0][1]) - order_total(ranked[1][1])) < GAP:
            raise Ambiguous("two order totals too close")
        return ranked[0][0]
    raise ValueError(f"unknown order spec {kind!r}")


def find_items(order: dict, spec: dict[str, Any]) -> list[str]:
    """Item ids of an order a spec designates: {"kind": "each", "filters": [...]}, "all", "all_except"."""
    items = order["items"]
    if spec["kind"] == "all":
        return [item["item_id"] for item in items]
    picked: list[str] = []
    for name, opts in spec["filters"]:
        hits = [item for item in items if item_matches(item, name, opts)]
        if len(hits) != 1:
            raise Ambiguous(f"{len(hits)} items match {name}")
        picked.append(hits[0]["item_id"])
    if spec["kind"] == "each":
        return picked
    if spec["kind"] == "all_except":
        rest = [item["item_id"] for item in items if item["item_id"] not in picked]
        if not rest:
            raise Ambiguous("nothing left")
        return rest
    raise ValueError(f"unknown item spec {spec['kind']!r}")


def find_cheaper_item(db: Store, user_id: str, spec: dict[str, Any]) -> tuple[str, str]:
    """(order id, item id) of the cheaper/dearer of the user's items of one product in a class."""
    pool = [(oid, item) for oid, order in user_orders(db, user_id) if status_class(order["status"]) == spec["cls"]
            for item in order["items"] if item["name"] == spec["name"]]
    if len(pool) < 2:
        raise Ambiguous("fewer than two such items")
    ranked = sorted(pool, key=lambda entry: entry[1]["price"], reverse=spec["most"])
    if abs(ranked[0][1]["price"] - ranked[1][1]["price"]) < GAP:
        raise Ambiguous("two item prices too close")
    return ranked[0][0], ranked[0][1]["item_id"]


def variant_pool(db: Store, item: dict, spec: dict[str, Any]) -> list[dict]:
    """Available variants other than the item itself that satisfy the spec's constraints."""
    variants = db.get("products", item["product_id"])["variants"].values()
    out = []
    for variant in variants:
        if not variant["available"] or variant["item_id"] == item["item_id"]:
            continue
        opts = variant["options"]
        if spec["kind"] == "opts":
            want = {**item["options"], **spec["set"]}
            if opts == want:
                out.append(variant)
        elif all(opts.get(option) == item["options"].get(option) for option in spec.get("keep", [])) and \
                all(opts.get(option) == val for option, val in spec.get("fix", {}).items()):
            out.append(variant)
    return out


def find_variant(db: Store, item: dict, spec: dict[str, Any]) -> str:
    """The new item id: {"kind": "opts", "set": {...}} or {"kind": "price", "most", "keep", "fix"}."""
    pool = variant_pool(db, item, spec)
    if spec["kind"] == "opts":
        if len(pool) != 1:
            raise Ambiguous(f"{len(pool)} variants have those options")
        return pool[0]["item_id"]
    if not pool:
        raise Ambiguous("no variant satisfies the constraints")
    ranked = sorted(pool, key=lambda variant: variant["price"], reverse=spec["most"])
    if len(ranked) > 1 and abs(ranked[0]["price"] - ranked[1]["price"]) < GAP:
        raise Ambiguous("two variant prices too close")
    return ranked[0]["item_id"]


def find_pm(db: Store, user_id: str, order: dict | None, spec: dict[str, Any]) -> str:
    """A payment method id: original, id, paypal, card (brand + last four), gift (the only one), gift_max."""
    kind = spec["kind"]
    if kind == "original":
        return order["payment_history"][0]["payment_method_id"]
    if kind == "id":
        return spec["id"]
    methods = list(db.get("users", user_id)["payment_methods"].values())
    if kind == "paypal":
        hits = [method for method in methods if method["source"] == "paypal"]
    elif kind == "card":
        hits = [method for method in methods if method["source"] == "credit_card" and method["brand"] == spec["brand"]
                and method["last_four"] == spec["last_four"]]
    elif kind == "gift":
        hits = [method for method in methods if method["source"] == "gift_card"]
    elif kind == "gift_max":
        cards = sorted((method for method in methods if method["source"] == "gift_card"),
                       key=lambda method: -method["balance"])
        if len(cards) < 2 or cards[0]["balance"] - cards[1]["balance"] < GAP:
            raise Ambiguous("gift card balances too close")
        hits = cards[:1]
    else:
        raise ValueError(f"unknown payment spec {kind!r}")
    if len(hits) != 1:
        raise Ambiguous(f"{len(hits)} payment methods match")
    return hits[0]["id"]

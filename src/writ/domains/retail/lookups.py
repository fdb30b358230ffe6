"""Record lookups and shared checks of the retail tools (tau2's private ``RetailTools`` helpers).

Lookups read through `Store.get` and return records that must not be mutated; their failures
are tool errors with tau2's texts. Membership tests use dicts and sets exactly where tau2 does,
so an unhashable argument (a list given as an id) fails with the same Python error.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from writ.core import ToolError
from writ.domains.retail.schema import UserAddress
from writ.store import Store

__all__ = [
    "CANCEL_REASONS",
    "check_counts",
    "first_item",
    "gift_card_for_update",
    "is_gift_card",
    "new_address",
    "order_of",
    "payment_method_of",
    "product_of",
    "user_of",
    "users_in_order",
    "variant_of",
]

CANCEL_REASONS = {"no longer needed", "ordered by mistake"}  # a set, as in tau2


def order_of(db: Store, order_id: Any) -> dict:
    order = db.get("orders", order_id)
    if order is None:
        raise ToolError("Order not found")
    return order


def user_of(db: Store, user_id: Any) -> dict:
    user = db.get("users", user_id)
    if user is None:
        raise ToolError("User not found")
    return user


def users_in_order(db: Store) -> Iterator[tuple[str, dict]]:
    """(user id, user) pairs in DB order; the same as ``db.items("users")``, about twice as fast."""
    return zip(db.keys("users"), db.values("users"), strict=True)


def product_of(db: Store, product_id: Any) -> dict:
    product = db.get("products", product_id)
    if product is None:
        raise ToolError("Product not found")
    return product


def variant_of(db: Store, product_id: Any, item_id: Any) -> dict:
    variants = product_of(db, product_id)["variants"]
    if item_id not in variants:
        raise ToolError("Variant not found")
    return variants[item_id]


def payment_method_of(db: Store, user_id: Any, payment_method_id: Any) -> dict:
    methods = user_of(db, user_id)["payment_methods"]
    if payment_method_id not in methods:
        raise ToolError("Payment method not found")
    return methods[payment_method_id]


def is_gift_card(method: dict) -> bool:
    # tau2 tests isinstance(method, GiftCard); a payment method's `source` literal decides its class.
    return method["source"] == "gift_card"


def gift_card_for_update(db: Store, user_id: str, payment_method_id: str) -> dict:
    """The user's payment-method record, made private (copy-on-write) for a balance change."""
    return db.edit("users", user_id)["payment_methods"][payment_method_id]


def check_counts(item_ids: Any, order: dict, message: str) -> None:
    """tau2's item count check: the first requested id (in request order) that is asked for more
    often than the order holds it fails with `message` (``{}`` stands for that id)."""
    held = [item["item_id"] for item in order["items"]]
    for item_id in item_ids:
        if item_ids.count(item_id) > held.count(item_id):
            raise ToolError(message.format(item_id))


def first_item(items: list, item_id: Any) -> dict:
    """The first order item with this item id (tau2 ignores later duplicates)."""
    item = next((item for item in items if item["item_id"] == item_id), None)
    if item is None:
        raise ToolError(f"Item {item_id} not found")
    return item


def new_address(address1: Any, address2: Any, city: Any, state: Any, country: Any, zip: Any) -> dict:
    """A new address record, validated like tau2's ``UserAddress(...)`` (strings only)."""
    if type(address1) is str and type(address2) is str and type(city) is str and type(state) is str \
            and type(country) is str and type(zip) is str:  # fast path: nothing to coerce or report
        return {"address1": address1, "address2": address2, "city": city,
                "country": country, "state": state, "zip": zip}
    model = UserAddress(address1=address1, address2=address2, city=city, state=state, country=country, zip=zip)
    return model.model_dump()

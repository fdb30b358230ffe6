"""The retail agent tools (tau2's ``RetailTools``), on plain dicts in a copy-on-write `Store`.

Every tool mirrors tau2-bench call by call: the same checks in the same order, the same error
texts, the same result layout and the same Python number semantics. Where tau2 behaves oddly the
oddity is reproduced on purpose and marked ``tau2 quirk`` (see TOOLS_SPEC.md §4 and §7.6).

Reads use `db.get` (never mutated); a write calls `db.edit` on just the records it changes, only
after its checks have passed, except where tau2 itself fails after a partial change.
"""

from __future__ import annotations

import json

from writ.core import Toolbox, ToolError, ToolKind
from writ.domains.common import calculate, transfer_to_human_agents
from writ.domains.retail.lookups import (
    CANCEL_REASONS,
    check_counts,
    first_item,
    gift_card_for_update,
    is_gift_card,
    new_address,
    order_of,
    payment_method_of,
    product_of,
    user_of,
    users_in_order,
    variant_of,
)
from writ.store import Store

__all__ = ["box"]  # plus one function per tool, registered on `box` in tau2's order

box = Toolbox(owner="RetailTools", side="agent")

# -- tools, in tau2's definition order -----------------------------------------------------------
box.add(calculate, ToolKind.GENERIC)


@box.write
def cancel_pending_order(db: Store, order_id: str, reason: str) -> dict:
    """Cancel an order that is still pending; processed or delivered orders cannot be cancelled.

    Before calling, tell the user what will be cancelled and get an explicit yes. The order becomes
    'cancelled' and its payments are refunded: right away to a gift card, otherwise within 5 to 7
    business days. Returns the updated order.

    Args:
        order_id: The order's id including its leading '#', e.g. '#W0000000'.
        reason: Why the order is cancelled: either 'no longer needed' or 'ordered by mistake'.
    """
    order = order_of(db, order_id)
    if order["status"] != "pending":
        raise ToolError("Non-pending order cannot be cancelled")
    if reason not in CANCEL_REASONS:
        raise ToolError("Invalid reason")
    refunds = []
    # tau2 quirk: every history entry is refunded, earlier refunds included, and the method is
    # looked up inside the loop, so a failed lookup keeps the gift-card credits already made.
    for payment in order["payment_history"]:
        method_id = payment["payment_method_id"]
        amount = payment["amount"]
        refunds.append({"transaction_type": "refund", "amount": float(amount), "payment_method_id": method_id})
        owner = user_of(db, order["user_id"])["user_id"]
        if is_gift_card(payment_method_of(db, owner, method_id)):
            card = gift_card_for_update(db, owner, method_id)
            card["balance"] = round(card["balance"] + amount, 2)
    order = db.edit("orders", order_id)
    order["status"] = "cancelled"
    order["cancel_reason"] = reason
    order["payment_history"].extend(refunds)
    return order


@box.write
def exchange_delivered_order_items(
    db: Store, order_id: str, item_ids: list[str], new_item_ids: list[str], payment_method_id: str
) -> dict:
    """Exchange items of a delivered order for other variants of the same products.

    A delivered order can be returned or exchanged only once, so collect every item first. Explain
    the exchange to the user and get an explicit yes before calling. Returns the updated order.

    Args:
        order_id: The order's id including its leading '#', e.g. '#W0000000'.
        item_ids: Ids of the ordered items to exchange, e.g. '1008292230'; an id may repeat.
        new_item_ids: Ids of the replacement items, position by position, each a variant of the same product as the item
            it replaces; an id may repeat.
        payment_method_id: The user's payment method that pays or receives the price difference, e.g.
            'gift_card_0000000' or 'credit_card_0000000' (see the user's or the order's details).
    """
    order = order_of(db, order_id)
    if order["status"] != "delivered":
        raise ToolError("Non-delivered order cannot be exchanged")
    check_counts(item_ids, order, "Number of {} not found.")
    if len(item_ids) != len(new_item_ids):
        raise ToolError("The number of items to be exchanged should match.")
    diff = 0
    for item_id, new_item_id in zip(item_ids, new_item_ids, strict=True):
        item = first_item(order["items"], item_id)
        variant = variant_of(db, item["product_id"], new_item_id)
        if not variant["available"]:
            raise ToolError(f"New item {new_item_id} not found or available")
        diff += variant["price"] - item["price"]
    diff = round(diff, 2)  # stays the int 0 when nothing is exchanged, as in tau2
    method = payment_method_of(db, order["user_id"], payment_method_id)
    if is_gift_card(method) and method["balance"] < diff:
        raise ToolError("Insufficient gift card balance to pay for the price difference")
    # No new payment entry and no balance change: the exchange is only requested.
    order = db.edit("orders", order_id)
    order["status"] = "exchange requested"
    order["exchange_items"] = sorted(item_ids)
    order["exchange_new_items"] = sorted(new_item_ids)
    order["exchange_payment_method_id"] = payment_method_id
    order["exchange_price_difference"] = diff
    return order


@box.read
def find_user_id_by_name_zip(db: Store, first_name: str, last_name: str, zip: str) -> str:
    """Look up a user id from first name, last name and zip code.

    Prefer the email lookup; use this one when the user cannot give an email or it finds nobody.
    Names match regardless of case; the zip must match exactly. Fails when nobody matches.

    Args:
        first_name: The customer's first name, e.g. 'John'.
        last_name: The customer's last name, e.g. 'Doe'.
        zip: The customer's zip code, e.g. '12345'.
    """
    first = last = None
    for user_id, user in users_in_order(db):
        name = user["name"]
        # Same evaluation order as tau2 (stored name first, then the argument), so a non-string
        # argument fails with Python's AttributeError exactly when tau2's would.
        stored_first = name["first_name"].lower()
        if first is None:
            first = first_name.lower()
        if stored_first != first:
            continue
        stored_last = name["last_name"].lower()
        if last is None:
            last = last_name.lower()
        if stored_last == last and user["address"]["zip"] == zip:
            return user_id
    raise ToolError("User not found")


@box.read
def find_user_id_by_email(db: Store, email: str) -> str:
    """Look up a user id from an email address (case does not matter). Fails when nobody matches.

    Args:
        email: The user's email address, e.g. 'something@example.com'.
    """
    wanted = None
    for user_id, user in users_in_order(db):
        stored = user["email"].lower()
        if wanted is None:
            wanted = email.lower()
        if stored == wanted:
            return user_id
    raise ToolError("User not found")


@box.read
def get_order_details(db: Store, order_id: str) -> dict:
    """Show an order: its status, items, shipping address, fulfillments and payments.

    Args:
        order_id: The order's id including its leading '#', e.g. '#W0000000'.
    """
    return order_of(db, order_id)


@box.read
def get_product_details(db: Store, product_id: str) -> dict:
    """Show a product type and all of its variant items with options, availability and price.

    Args:
        product_id: The product's id, e.g. '6086499569'. A product id is not an item id.
    """
    return product_of(db, product_id)


@box.read
def get_item_details(db: Store, item_id: str) -> dict:
    """Show one variant item: its options, whether it is available, and its price.

    Args:
        item_id: The item's id, e.g. '6086499569'. An item id is not a product id.
    """
    for product in db.values("products"):
        variants = product["variants"]
        if item_id in variants:
            return variants[item_id]
    raise ToolError("Item not found")


@box.read
def get_user_details(db: Store, user_id: str) -> dict:
    """Show a user's profile: name, address, email, payment methods and order ids.

    Args:
        user_id: The user's id, e.g. 'sara_doe_496'.
    """
    return user_of(db, user_id)


@box.read
def list_all_product_types(db: Store) -> str:
    """List every product type of the store (there are about 50) with its product id.

    Each product type comes in several variant items, each with its own item id and options.
    The answer is a JSON object from product name to product id, sorted by name.
    """
    # A later product with the same name overwrites an earlier one, as in tau2.
    names = {product["name"]: product["product_id"] for product in db.values("products")}
    return json.dumps(names, sort_keys=True)


@box.write
def modify_pending_order_address(
    db: Store, order_id: str, address1: str, address2: str, city: str, state: str, country: str, zip: str
) -> dict:
    """Change the shipping address of a pending order.

    Explain the change to the user and get an explicit yes before calling. Returns the updated order.

    Args:
        order_id: The order's id including its leading '#', e.g. '#W0000000'.
        address1: First address line, e.g. '123 Main St'.
        address2: Second address line, e.g. 'Apt 1', or an empty string.
        city: City, e.g. 'San Francisco'.
        state: State, e.g. 'CA'.
        country: Country, e.g. 'USA'.
        zip: Zip code, e.g. '12345'.
    """
    order = order_of(db, order_id)
    if "pending" not in order["status"]:  # substring check: 'pending (item modified)' passes
        raise ToolError("Non-pending order cannot be modified")
    address = new_address(address1, address2, city, state, country, zip)
    order = db.edit("orders", order_id)
    order["address"] = address
    return order




@box.write
def modify_pending_order_items(
    db: Store, order_id: str, item_ids: list[str], new_item_ids: list[str], payment_method_id: str
) -> dict:
    """Swap items of a pending order for other variants of the same products.

    This can be done only once per order (it leaves the order 'pending (item modified)', which can
    no longer be changed or cancelled), so collect every item first. Explain the change to the
    user and get an explicit yes before calling. Returns the updated order.

    Args:
        order_id: The order's id including its leading '#', e.g. '#W0000000'.
        item_ids: Ids of the ordered items to change, e.g. '1008292230'; an id may repeat.
        new_item_ids: Ids of the new items, position by position, each a variant of the same product as the item it
            replaces; an id may repeat.
        payment_method_id: The user's payment method that pays or receives the price difference, e.g.
            'gift_card_0000000' or 'credit_card_0000000' (see the user's or the order's details).
    """
    order = order_of(db, order_id)
    if order["status"] != "pending":  # exact match: 'pending (item modified)' is refused
        raise ToolError("Non-pending order cannot be modified")
    check_counts(item_ids, order, "{} not found")
    if len(item_ids) != len(new_item_ids):
        raise ToolError("The number of items to be exchanged should match")
    diff = 0
    variant = None
    for item_id, new_item_id in zip(item_ids, new_item_ids, strict=True):
        if item_id == new_item_id:
            raise ToolError("The new item id should be different from the old item id")
        item = first_item(order["items"], item_id)
        variant = variant_of(db, item["product_id"], new_item_id)
        if not variant["available"]:
            raise ToolError(f"New item {new_item_id} not found or available")
        diff += variant["price"] - item["price"]
    # tau2 quirk: the difference is NOT rounded here (unlike the exchange): the payment keeps the
    # raw float (e.g. 14.249999999999943) while the gift-card balance below is rounded.
    user_id = order["user_id"]
    method = payment_method_of(db, user_id, payment_method_id)
    if is_gift_card(method) and method["balance"] < diff:
        raise ToolError("Insufficient gift card balance to pay for the new item")
    order = db.edit("orders", order_id)
    order["payment_history"].append({
        "transaction_type": "payment" if diff > 0 else "refund",  # a zero difference is a refund
        "amount": float(abs(diff)),
        "payment_method_id": payment_method_id,
    })
    if is_gift_card(method):
        card = gift_card_for_update(db, user_id, payment_method_id)
        card["balance"] = round(card["balance"] - diff, 2)
    for item_id, new_item_id in zip(item_ids, new_item_ids, strict=True):
        # Earlier replacements in this loop are visible (tau2 searches the items as they are now).
        item = first_item(order["items"], item_id)
        item["item_id"] = new_item_id
        # tau2 quirk: every modified item takes the price and options of the LAST variant looked
        # up above, not of its own new variant (tau2 even shares the catalogue's options object;
        # a copy is stored here, which no tool can tell apart).
        item["price"] = variant["price"]
        item["options"] = dict(variant["options"])
    order["status"] = "pending (item modified)"
    return order


@box.write
def modify_pending_order_payment(db: Store, order_id: str, payment_method_id: str) -> dict:
    """Pay a pending order with a different payment method of the user.

    Explain the change to the user and get an explicit yes before calling. The new method is
    charged and the original one refunded (right away for a gift card, otherwise within 5 to 7
    business days). Returns the updated order.

    Args:
        order_id: The order's id including its leading '#', e.g. '#W0000000'.
        payment_method_id: The new payment method, e.g. 'gift_card_0000000' or 'credit_card_0000000' (see the user's or
            the order's details).
    """
    order = order_of(db, order_id)
    if "pending" not in order["status"]:  # substring check: 'pending (item modified)' passes
        raise ToolError("Non-pending order cannot be modified")
    user_id = order["user_id"]
    method = payment_method_of(db, user_id, payment_method_id)
    history = order["payment_history"]
    if len(history) != 1 or history[0]["transaction_type"] != "payment":
        raise ToolError("There should be exactly one payment for a pending order")
    old_method_id = history[0]["payment_method_id"]
    if old_method_id == payment_method_id:
        raise ToolError("The new payment method should be different from the current one")
    amount = history[0]["amount"]
    if is_gift_card(method) and method["balance"] < amount:
        raise ToolError("Insufficient gift card balance to pay for the order")
    order = db.edit("orders", order_id)
    order["payment_history"].extend([
        {"transaction_type": "payment", "amount": float(amount), "payment_method_id": payment_method_id},
        {"transaction_type": "refund", "amount": float(amount), "payment_method_id": old_method_id},
    ])
    if is_gift_card(method):
        card = gift_card_for_update(db, user_id, payment_method_id)
        card["balance"] = round(card["balance"] - amount, 2)
    # tau2 looks the original method up only now: if the user no longer has it, the call fails
    # after the order and the new gift card have already changed.
    if is_gift_card(payment_method_of(db, user_id, old_method_id)):
        card = gift_card_for_update(db, user_id, old_method_id)
        card["balance"] = round(card["balance"] + amount, 2)
    return order


@box.write
def modify_user_address(
    db: Store, user_id: str, address1: str, address2: str, city: str, state: str, country: str, zip: str
) -> dict:
    """Change a user's default address (existing orders keep theirs).

    Explain the change to the user and get an explicit yes before calling. Returns the updated user.

    Args:
        user_id: The user's id, e.g. 'sara_doe_496'.
        address1: First address line, e.g. '123 Main St'.
        address2: Second address line, e.g. 'Apt 1', or an empty string.
        city: City, e.g. 'San Francisco'.
        state: State, e.g. 'CA'.
        country: Country, e.g. 'USA'.
        zip: Zip code, e.g. '12345'.
    """
    user_of(db, user_id)
    address = new_address(address1, address2, city, state, country, zip)
    user = db.edit("users", user_id)
    user["address"] = address
    return user


@box.write
def return_delivered_order_items(db: Store, order_id: str, item_ids: list[str], payment_method_id: str) -> dict:
    """Request the return of items of a delivered order; the order becomes 'return requested'.

    Explain the return to the user and get an explicit yes before calling; the user then gets an
    email on how and where to send the items back. Returns the updated order.

    Args:
        order_id: The order's id including its leading '#', e.g. '#W0000000'.
        item_ids: Ids of the ordered items to return, e.g. '1008292230'; an id may repeat.
        payment_method_id: Where the refund goes: the order's original payment method or one of the user's gift cards,
            e.g. 'gift_card_0000000' or 'credit_card_0000000'.
    """
    order = order_of(db, order_id)
    if order["status"] != "delivered":
        raise ToolError("Non-delivered order cannot be returned")
    owner = user_of(db, order["user_id"])["user_id"]
    method = payment_method_of(db, owner, payment_method_id)
    if not is_gift_card(method) and payment_method_id != order["payment_history"][0]["payment_method_id"]:
        raise ToolError("Payment method should be the original payment method")
    check_counts(item_ids, order, "Some item not found")
    # Nothing is refunded yet and no balance changes: the return is only requested.
    order = db.edit("orders", order_id)
    order["status"] = "return requested"
    order["return_items"] = sorted(item_ids)
    order["return_payment_method_id"] = payment_method_id
    return order


box.add(transfer_to_human_agents, ToolKind.GENERIC)

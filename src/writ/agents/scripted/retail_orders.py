"""Which order the customer means, and what its status and payment allow: shared by the retail families.

`which_order` pins the order down from the customer's description (asking when several match) and
puts what pinned it into the step's `Said`, so the agent tells the customer how it found the order;
`status_refusal` words the policy's status rules; `payment_method` finds the method the customer
named. Wording choices come from `wording_rng`, stable for a request however often its step is
recomputed.
"""

from __future__ import annotations

import random
from typing import Any

from writ.agents.scripted import retail_words as R
from writ.agents.scripted.knowledge import Knowledge, NeedSlot, Request
from writ.agents.scripted.steps import Refuse, Said
from writ.dialogue.grammar import join_words, realize
from writ.tasks.retail.selectors import (
    Ambiguous,
    find_order,
    find_pm,
    status_class,
    user_orders,
)

__all__ = [
    "ADDRESS_KEYS",
    "REASONS",
    "RNG_SALT",
    "gift_balance",
    "matching_orders",
    "order_evidence",
    "order_total",
    "order_words",
    "order_words_into",
    "overview",
    "payment_method",
    "status_refusal",
    "which_order",
    "wording_rng",
]

REASONS = ["no longer needed", "ordered by mistake"]
ADDRESS_KEYS = ("address1", "address2", "city", "state", "country", "zip")
RNG_SALT = "retail-words"


def wording_rng(request: Request, what: str) -> random.Random:
    """Wording choices that stay the same when a step is recomputed (a step may be built many times)."""
    return random.Random(f"{RNG_SALT}/{request.seed}/{what}")


# -- which order --------------------------------------------------------------------------------------
def which_order(request: Request, k: Knowledge, said: Said) -> str:
    """The order the customer described; what pinned it down goes into `said`."""
    spec = request.value("order")
    uid = k.user_id
    try:
        oid = find_order(k, uid, spec)
    except Ambiguous:
        raise NeedSlot("order", matching_orders(k, uid, spec)) from None
    order_evidence(request, k, spec, oid, said)
    return oid


def matching_orders(k: Knowledge, uid: str, spec: dict[str, Any]) -> list[str]:
    pool = user_orders(k, uid) if spec.get("kind") != "hint" else [(o, k.get("orders", o)) for o in spec["ids"]]
    cls = spec.get("cls")
    return [oid for oid, o in pool if cls is None or status_class(o["status"]) == cls]


def overview(request: Request, k: Knowledge, said: Said) -> list[tuple[str, dict]]:
    """The customer's orders; listed for them unless they already heard this very list."""
    orders = user_orders(k, k.user_id)
    briefs = [R.order_brief(o, order) for o, order in orders]
    key = "orders:" + "|".join(briefs)
    if key not in k.said:
        said.add(lambda: R.orders_overview(wording_rng(request, "overview"), briefs), key)
    return orders


def order_evidence(request: Request, k: Knowledge, spec: dict[str, Any], oid: str, said: Said) -> None:
    if spec["kind"] == "total":  # the totals it states are computed (calculate) before any wording
        orders = user_orders(k, k.user_id)
        cls = spec.get("cls")
        for _, order in orders:
            if cls is None or status_class(order["status"]) == cls:
                order_total(k, order)
    if spec["kind"] not in ("id", "hint"):  # these words list the customer's orders: mark the list as told
        orders = user_orders(k, k.user_id)
        key = "orders:" + "|".join(R.order_brief(o, order) for o, order in orders)
        if key not in k.said and key not in said.keys:
            said.keys.append(key)
    said.add(lambda: order_words(request, k, spec, oid, Said()))


def order_words(request: Request, k: Knowledge, spec: dict[str, Any], oid: str, said: Said) -> str:
    """The words of `order_evidence` (run once the step is complete)."""
    order_words_into(request, k, spec, oid, said)
    return said.text


def order_words_into(request: Request, k: Knowledge, spec: dict[str, Any], oid: str, said: Said) -> None:
    rng = wording_rng(request, "order")
    kind = spec["kind"]
    if kind == "id":
        return
    if kind == "hint":
        a, b = spec["ids"]
        what = join_words(["the " + R.item_label({"name": n, "options": o, "item_id": ""}, False)
                           for n, o in spec["has"]])
        said.add(realize(rng, ["Of {a} and {b}, only {oid} contains {what}.",
                               "I checked both {a} and {b}: {oid} is the one [with|that has] {what}."],
                         a=a, b=b, oid=oid, what=what))
        return
    orders = overview(request, k, said)
    cls = spec.get("cls")
    noun = {"pending": "pending order", "received": "delivered order"}.get(cls or "", "order")
    if kind == "has":
        what = join_words(["the " + R.item_label({"name": n, "options": o, "item_id": ""}, False)
                           for n, o in spec["has"]])
        conclusion = realize(rng, ["The only {noun} with {what} is {oid}.",
                                   "{oid} is the [only|one] {noun} [containing|with] {what}.",
                                   "[So|That means|Which means] the {noun} [with|containing] {what} is {oid}.",
                                   "[Only|Just] {oid} [has|contains] {what}[ among your {noun}s|]."],
                             noun=noun, what=what, oid=oid)
    elif kind == "only":
        conclusion = realize(rng, ["{oid} is your only {noun}.", "Your only {noun} is {oid}.",
                                   "[So|That means] your one {noun} is {oid}.",
                                   "[There's|You have] just one {noun}: {oid}."],
                             noun=noun, oid=oid)
    elif kind == "count":
        n = spec["n"]
        count = "one item" if n == 1 else f"{n} items"
        conclusion = realize(rng, ["{oid} is the {noun} with {count}.", "The {noun} with {count} is {oid}.",
                                   "[So|That makes] {oid} the {noun} with {count}.",
                                   "[Counting the items|By item count], {oid} is the {noun} with {count}."],
                             noun=noun, count=count, oid=oid)
    elif kind == "city":
        conclusion = realize(rng, ["{oid} is the {noun} [shipping|going|sent] to {city}.",
                                   "The {noun} [to|for] {city} is {oid}.",
                                   "[By shipping address|Going by the address], {oid} is the {noun} for {city}.",
                                   "[Only|Just] {oid} [ships|goes] to {city}."], noun=noun, city=spec["city"], oid=oid)
    elif kind == "total":
        pool = [(o, order) for o, order in orders if cls is None or status_class(order["status"]) == cls]
        totals = [(o, order_total(k, order)) for o, order in pool]
        listing = join_words([f"{o} comes to {R.money(t)}" for o, t in totals])
        adj = "most expensive" if spec["most"] else "least expensive"
        conclusion = realize(rng, ["[Comparing|Adding up] your {noun}s: {listing}, so the {adj} is {oid}.",
                                   "Of your {noun}s, {listing}; {oid} is the {adj}."],
                             noun=noun, listing=listing, adj=adj, oid=oid)
    else:
        conclusion = f"That is order {oid}."
    said.add(conclusion)


def order_total(k: Knowledge, order: dict[str, Any]) -> float:
    prices = [i["price"] for i in order["items"]]
    if len(prices) == 1:
        return prices[0]
    return k.calc(" + ".join(f"{p}" for p in prices))


def status_refusal(family: str, oid: str, order: dict[str, Any], request: Request, said: Said) -> Refuse | None:
    status = order["status"]
    needed = "delivered" if family in ("exchange", "return") else "pending"
    if status == needed:
        return None
    rng = wording_rng(request, "status")
    verb = {"cancel": "cancelled", "address": "changed", "payment": "changed", "items": "modified",
            "exchange": "exchanged", "return": "returned"}[family]
    rule = "only pending orders can be " + verb if needed == "pending" else "only delivered orders can be " + verb
    extra = ""
    if needed == "pending" and status == "delivered":
        extra = " If you don't want the items, I can help you return or exchange them instead."
    elif needed == "pending" and status.startswith("pending ("):
        extra = " Its items were already modified once, so it can't be changed any further."
    elif needed == "delivered" and status.startswith("pending"):
        extra = " Since it hasn't shipped yet, I could cancel or modify it instead."
    text = realize(rng, ["[I'm sorry, but|Unfortunately,|I'm afraid] order {oid} is {status}, and {rule}.{extra}",
                         "I checked order {oid}: its status is {status}. [Our policy says|Under our policy,] {rule}, "
                         "so I can't do that.{extra}"], oid=oid, status=R.status_words(status), rule=rule, extra=extra)
    return Refuse(said.add(text).text, "policy", why=rule, mentions=said.keys)


# -- payment methods -------------------------------------------------------------------------------
def payment_method(request: Request, k: Knowledge, order: dict[str, Any] | None) -> tuple[str, dict[str, Any] | None]:
    spec = request.value("payment")
    uid = k.user_id
    if spec.get("kind") == "original":
        mid = order["payment_history"][0]["payment_method_id"]
    else:
        try:
            mid = find_pm(k, uid, order, spec)
        except Ambiguous:
            raise NeedSlot("payment") from None
    user = k.peek("users", uid) or {}
    return mid, (user.get("payment_methods") or {}).get(mid)


def gift_balance(k: Knowledge, mid: str) -> float:
    return k.get("users", k.user_id)["payment_methods"][mid]["balance"]

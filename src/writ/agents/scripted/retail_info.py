"""The retail information families: questions answered from what the agent reads, no write.

Tracking numbers, totals, counts, prices, availability and the cheapest total are stated with the
records that show them; a lost package is transferred, since no tool can trace one.
"""

from __future__ import annotations

from writ.agents.scripted import retail_words as R
from writ.agents.scripted.knowledge import Knowledge, Request
from writ.agents.scripted.retail_orders import overview, which_order, wording_rng
from writ.agents.scripted.steps import Inform, Refuse, Said, Step, Transfer
from writ.dialogue.grammar import join_words, realize
from writ.tasks.retail.selectors import (
    find_variant,
    status_class,
    user_orders,
)

__all__ = ["available", "cheapest_total", "count", "price", "total", "tracking", "trace"]


# -- information ---------------------------------------------------------------------------------
def tracking(request: Request, k: Knowledge) -> Step:
    said = Said()
    oid = which_order(request, k, said)
    order = k.get("orders", oid)
    ids = [t for f in order["fulfillments"] for t in f["tracking_id"]]
    if not ids:
        return Refuse(f"Order {oid} has not shipped yet, so there is no tracking number.", "impossible")
    text = realize(wording_rng(request, "info"), ["The tracking number [for|of] order {oid} is {ids}.",
                                                  "Order {oid} [can be tracked with|has the tracking number] {ids}."],
                   oid=oid, ids=join_words(ids))
    return Inform(said.add(text).text, ids, said.keys)


def total(request: Request, k: Knowledge) -> Step:
    said = Said()
    oid = which_order(request, k, said)
    order = k.get("orders", oid)
    amount = order["payment_history"][0]["amount"]
    text = realize(wording_rng(request, "info"), ["You paid {amount} for order {oid}.",
                                                  "The amount paid for order {oid} was {amount}."],
                   oid=oid, amount=R.money(amount))
    return Inform(said.add(text).text, [f"{amount:.2f}"], said.keys)


def count(request: Request, k: Knowledge) -> Step:
    cls = request.frame["cls"]
    said = Said()
    orders = user_orders(k, k.user_id)
    briefs = [R.order_brief(o, order) for o, order in orders]
    n = sum(1 for _, order in orders if status_class(order["status"]) == cls)
    what = {"pending": "still pending", "received": "already delivered"}[cls]
    rng = wording_rng(request, "info")
    said.add(R.orders_overview(rng, briefs), "orders:" + "|".join(briefs))  # the count rests on the list: always say it
    said.add(realize(rng, ["So {n} of them {verb} {what}.", "That makes {n} {noun} {what}."],
                     n=n, verb="is" if n == 1 else "are", noun="order" if n == 1 else "orders", what=what))
    return Inform(said.text, [str(n)], said.keys)


def price(request: Request, k: Knowledge) -> Step:
    name = request.frame["product"]
    catalog = k.get("catalog")
    pid = catalog.get(name)
    if pid is None:
        return Refuse(f"I'm sorry, we don't carry a product called {name}.", "impossible")
    product = k.get("products", pid)
    spec = request.frame.get("variant")
    rng = wording_rng(request, "info")
    if spec is not None:
        vid = find_variant(k, {"product_id": pid, "item_id": "", "options": {}}, spec)
        variant = product["variants"][vid]
        pool = sorted((v for v in product["variants"].values() if v["available"]), key=lambda v: v["price"])
        listing = "; ".join(f"{R.options_text(v['options'])} at {R.money(v['price'])}" for v in pool)
        adj = "most expensive" if spec["most"] else "cheapest"
        text = realize(rng, ["The available {name} variants are: {listing}. The {adj} is item {vid} at {price}."],
                       name=name, listing=listing, adj=adj, vid=vid, price=R.money(variant["price"]))
    else:
        wanted = request.frame["options"]
        hits = [v for v in product["variants"].values() if v["options"] == wanted]
        if not hits:
            return Refuse(f"I'm sorry, there is no {name} with {R.options_text(wanted)}.", "impossible")
        variant = hits[0]
        text = realize(rng, ["The {name} with {opts} (item {vid}) costs {price}[ right now|].",
                             "[I looked it up|I checked the catalog]: the {name} with {opts} is {price}."],
                       name=name, opts=R.options_text(wanted), vid=variant["item_id"], price=R.money(variant["price"]))
    return Inform(text, [f"{variant['price']:.2f}"])


def _scope(request: Request, k: Knowledge, said: Said) -> list[str]:
    if request.frame.get("order") is not None:
        return [which_order(request, k, said)]
    cls = request.frame.get("scope")
    cls = None if cls == "all" else cls
    orders = overview(request, k, said)
    return [o for o, order in orders if cls is None or status_class(order["status"]) == cls]


def available(request: Request, k: Knowledge) -> Step:
    said = Said()
    chosen = _scope(request, k, said)
    lines, n = [], 0
    for oid in chosen:
        for item in k.get("orders", oid)["items"]:
            variant = k.get("products", item["product_id"])["variants"].get(item["item_id"])
            ok = bool(variant and variant["available"])
            n += ok
            lines.append(f"{item['name']} ({'available' if ok else 'not available'})")
    text = realize(wording_rng(request, "info"), [
        "I checked each item in the catalog: {lines}. So {n} of them {verb} still available in the same options.",
        "[Item by item|Checking every item]: {lines}. That makes {n} still available exactly as ordered."],
        lines="; ".join(lines), n=n, verb="is" if n == 1 else "are")
    return Inform(said.add(text).text, [str(n)], said.keys)


def cheapest_total(request: Request, k: Knowledge) -> Step:
    said = Said()
    chosen = _scope(request, k, said)
    lows, lines = [], []
    for oid in chosen:
        for item in k.get("orders", oid)["items"]:
            product = k.get("products", item["product_id"])
            prices = [v["price"] for v in product["variants"].values() if v["available"]]
            if not prices:
                return Refuse(f"I'm sorry, the {item['name']} has no available variant, so there is no price to "
                              f"compare.", "impossible")
            lows.append(min(prices))
            lines.append(f"{item['name']} from {R.money(min(prices))}")
    amount = lows[0] if len(lows) == 1 else k.calc(" + ".join(f"{p}" for p in lows))
    text = realize(wording_rng(request, "info"), [
        "The cheapest available version of each item: {lines}. Together that comes to {amount}.",
        "[Taking|Using] each item's cheapest available price ({lines}), the total would be {amount}."],
        lines="; ".join(lines), amount=R.money(amount))
    return Inform(said.add(text).text, [f"{round(amount, 2):.2f}"], said.keys)


def trace(request: Request, k: Knowledge) -> Step:
    said = Said()
    oid = which_order(request, k, said)
    order = k.get("orders", oid)
    rng = wording_rng(request, "trace")
    if order["status"] != "delivered":
        return Inform(said.add(realize(rng, ["Order {oid} is {status}, so it hasn't been delivered yet; it should "
                                             "arrive once it ships."], oid=oid, status=order["status"])).text, [],
                      said.keys)
    summary = (f"The customer reports that order {oid} is marked delivered but never arrived and wants the shipment "
               f"traced; no tool can trace a package.")
    text = realize(rng, [
        "I can see that order {oid} is marked as delivered. I'm [not able|unable] to trace a shipment myself, so I'll "
        "transfer you to a human agent who can [look into it|open an investigation].",
        "[I'm sorry to hear that.|That's frustrating, I'm sorry.] Order {oid} shows as delivered, and tracing a "
        "package is outside what I can do here, so I'm going to transfer you to a human agent who can help.",
    ], oid=oid)
    return Transfer(summary, said.add(text).text)

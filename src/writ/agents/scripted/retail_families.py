"""The retail request families, one function each: frame + knowledge -> the next step.

Each function is written the way the policy reads: find the order the customer means, check its
status, collect what the customer must choose, check what the policy requires of it, then propose
the write with every detail and the evidence that pinned it down. A function may raise at any line
for a record it has not read yet (`NeedRead`), an amount to compute (`NeedCalc`) or a value to ask
for (`NeedSlot`); the teacher satisfies the need and calls it again.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from writ.agents.scripted import retail_words as R
from writ.agents.scripted.knowledge import Knowledge, NeedSlot, Request
from writ.agents.scripted.steps import Inform, Propose, Refuse, Said, Step, Transfer
from writ.core import ToolCall
from writ.dialogue.grammar import join_words, realize
from writ.tasks.retail.selectors import (
    Ambiguous,
    find_cheaper_item,
    find_items,
    find_order,
    find_pm,
    find_variant,
    item_matches,
    status_class,
    user_orders,
)

__all__ = ["FAMILIES", "done_text"]

REASONS = ["no longer needed", "ordered by mistake"]
ADDRESS_KEYS = ("address1", "address2", "city", "state", "country", "zip")
_RNG_SALT = "retail-words"


def _rng(request: Request, what: str) -> random.Random:
    """Wording choices that stay the same when a step is recomputed (a step may be built many times)."""
    return random.Random(f"{_RNG_SALT}/{request.seed}/{what}")


# -- which order --------------------------------------------------------------------------------------
def _order(request: Request, k: Knowledge, said: Said) -> str:
    """The order the customer described; what pinned it down goes into `said`."""
    spec = request.value("order")
    uid = k.user_id
    try:
        oid = find_order(k, uid, spec)
    except Ambiguous:
        raise NeedSlot("order", _matching(k, uid, spec)) from None
    _order_evidence(request, k, spec, oid, said)
    return oid


def _matching(k: Knowledge, uid: str, spec: dict[str, Any]) -> list[str]:
    pool = user_orders(k, uid) if spec.get("kind") != "hint" else [(o, k.get("orders", o)) for o in spec["ids"]]
    cls = spec.get("cls")
    return [oid for oid, o in pool if cls is None or status_class(o["status"]) == cls]


def _overview(request: Request, k: Knowledge, said: Said) -> list[tuple[str, dict]]:
    """The customer's orders; listed for them unless they already heard this very list."""
    orders = user_orders(k, k.user_id)
    briefs = [R.order_brief(o, order) for o, order in orders]
    key = "orders:" + "|".join(briefs)
    if key not in k.said:
        said.add(lambda: R.orders_overview(_rng(request, "overview"), briefs), key)
    return orders


def _order_evidence(request: Request, k: Knowledge, spec: dict[str, Any], oid: str, said: Said) -> None:
    if spec["kind"] == "total":  # the totals it states are computed (calculate) before any wording
        orders = user_orders(k, k.user_id)
        cls = spec.get("cls")
        for _, order in orders:
            if cls is None or status_class(order["status"]) == cls:
                _total(k, order)
    if spec["kind"] not in ("id", "hint"):  # these words list the customer's orders: mark the list as told
        orders = user_orders(k, k.user_id)
        key = "orders:" + "|".join(R.order_brief(o, order) for o, order in orders)
        if key not in k.said and key not in said.keys:
            said.keys.append(key)
    said.add(lambda: _order_words(request, k, spec, oid, Said()))


def _order_words(request: Request, k: Knowledge, spec: dict[str, Any], oid: str, said: Said) -> str:
    """The words of `_order_evidence` (run once the step is complete)."""
    _order_words_into(request, k, spec, oid, said)
    return said.text


def _order_words_into(request: Request, k: Knowledge, spec: dict[str, Any], oid: str, said: Said) -> None:
    rng = _rng(request, "order")
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
    orders = _overview(request, k, said)
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
        totals = [(o, _total(k, order)) for o, order in pool]
        listing = join_words([f"{o} comes to {R.money(t)}" for o, t in totals])
        adj = "most expensive" if spec["most"] else "least expensive"
        conclusion = realize(rng, ["[Comparing|Adding up] your {noun}s: {listing}, so the {adj} is {oid}.",
                                   "Of your {noun}s, {listing}; {oid} is the {adj}."],
                             noun=noun, listing=listing, adj=adj, oid=oid)
    else:
        conclusion = f"That is order {oid}."
    said.add(conclusion)


def _total(k: Knowledge, order: dict[str, Any]) -> float:
    prices = [i["price"] for i in order["items"]]
    if len(prices) == 1:
        return prices[0]
    return k.calc(" + ".join(f"{p}" for p in prices))


def _check_status(family: str, oid: str, order: dict[str, Any], request: Request, said: Said) -> Refuse | None:
    status = order["status"]
    needed = "delivered" if family in ("exchange", "return") else "pending"
    if status == needed:
        return None
    rng = _rng(request, "status")
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
def _payment(request: Request, k: Knowledge, order: dict[str, Any] | None) -> tuple[str, dict[str, Any] | None]:
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


def _gift_balance(k: Knowledge, mid: str) -> float:
    return k.get("users", k.user_id)["payment_methods"][mid]["balance"]


# -- the families ------------------------------------------------------------------------------------
def cancel(request: Request, k: Knowledge) -> Step:
    said = Said()
    oid = _order(request, k, said)
    order = k.get("orders", oid)
    refusal = _check_status("cancel", oid, order, request, said)
    if refusal:
        return refusal
    reason = request.value("reason", REASONS)
    if reason not in REASONS:
        return Refuse(realize(_rng(request, "reason"), [
            "I'm sorry, but I can only cancel an order for one of two reasons: 'no longer needed' or 'ordered by "
            "mistake'."]), "policy")
    paid = order["payment_history"][0]
    pm = paid["payment_method_id"]
    when = "right away, since it was paid by gift card" if pm.startswith("gift_card") else \
        "within 5 to 7 business days"
    items = R.items_label(order["items"], with_id=False)
    summary = realize(_rng(request, "summary"), [
        "[Here's what I'll do|To confirm|Here are the details]: cancel order {oid}, which has {items}, for the reason "
        "'{reason}'. The {amount} paid with {pm} [will be refunded|goes back] {when}.",
        "I'll cancel order {oid}, which has {items}, [giving|with] '{reason}' as the reason; the {amount} you paid "
        "with {pm} will be refunded {when}.",
    ], oid=oid, items=items, reason=reason, amount=R.money(paid["amount"]), pm=pm, when=when)
    return Propose(ToolCall("cancel_pending_order", {"order_id": oid, "reason": reason}), summary, said.text,
                   said.keys)


def address(request: Request, k: Knowledge) -> Step:
    said = Said()
    oid = _order(request, k, said)
    order = k.get("orders", oid)
    refusal = _check_status("address", oid, order, request, said)
    if refusal:
        return refusal
    new = request.value("address")
    if new.get("default"):
        new = k.get("users", k.user_id)["address"]
        said.add(realize(_rng(request, "default"), ["The default address on your profile is {line}.",
                                                     "Your profile's default address is {line}."],
                         line=R.address_line(new)))
    args = {"order_id": oid, **{key: new[key] for key in ADDRESS_KEYS}}
    summary = realize(_rng(request, "summary"), [
        "I'll change the shipping address of order {oid} to {line}.",
        "[The change|What I'll do]: the shipping address of order {oid} becomes {line} instead of {old}.",
    ], oid=oid, line=R.address_line(new), old=R.address_line(order["address"]))
    return Propose(ToolCall("modify_pending_order_address", args), summary, said.text, said.keys)


def payment(request: Request, k: Knowledge) -> Step:
    said = Said()
    oid = _order(request, k, said)
    order = k.get("orders", oid)
    refusal = _check_status("payment", oid, order, request, said)
    if refusal:
        return refusal
    history = order["payment_history"]
    if len(history) != 1 or history[0]["transaction_type"] != "payment":
        return Refuse(f"I'm sorry, the payment of order {oid} has already been changed, and it can only be changed "
                      f"while the order has its single original payment.", "policy")
    mid, method = _payment(request, k, order)
    old = history[0]["payment_method_id"]
    if mid == old:
        return Refuse(f"Order {oid} is already paid with {R.pm_label(method, mid)}, so there's nothing to change.",
                      "impossible")
    amount = history[0]["amount"]
    if mid.startswith("gift_card"):
        balance = _gift_balance(k, mid)
        if balance < amount:
            text = realize(_rng(request, "gift"), [
                "I'm sorry, your gift card {mid} has a balance of {balance}, which doesn't cover the {amount} of "
                "order {oid}, so I can't switch the payment to it.",
                "I checked your gift card {mid}: its balance is {balance}, less than the order's {amount}. A gift "
                "card can only pay for an order it fully covers, so that change isn't possible."],
                mid=mid, balance=R.money(balance), amount=R.money(amount), oid=oid)
            return Refuse(said.add(text).text, "impossible", why="a gift card must cover the whole order",
                          mentions=said.keys)
    user = k.peek("users", k.user_id) or {}
    method = (user.get("payment_methods") or {}).get(mid)
    summary = realize(_rng(request, "summary"), [
        "I'll switch the payment for order {oid} ({amount}) from {old} to {new}; {old} [will be|gets] refunded "
        "{when}.",
        "[To confirm|Here's the change|Just to be clear|To sum up|So, the change]: order {oid} will be paid with "
        "{new} instead of {old}, and the {amount} "
        "charged to {old} will be refunded {when}.",
    ], oid=oid, amount=R.money(amount), old=old, new=R.pm_label(method, mid),
        when="right away" if old.startswith("gift_card") else "within 5 to 7 business days")
    return Propose(ToolCall("modify_pending_order_payment", {"order_id": oid, "payment_method_id": mid}), summary,
                   said.text, said.keys)


def _switch(request: Request, k: Knowledge, family: str) -> Step:
    said = Said()
    oid = _order(request, k, said)
    order = k.get("orders", oid)
    refusal = _check_status(family, oid, order, request, said)
    if refusal:
        return refusal
    rng = _rng(request, "switch")
    olds, news, notes = [], [], []
    for switch in request.value("switches"):
        name, opts = switch["item"]
        hits = [i for i in order["items"] if item_matches(i, name, opts)]
        if len(hits) != 1:
            return Refuse(f"I'm sorry, I can't find exactly one {name} in order {oid}.", "impossible")
        item = hits[0]
        product = k.get("products", item["product_id"])
        try:
            new_id = find_variant(k, item, switch["variant"])
        except Ambiguous:
            wanted = R.options_text({**item["options"], **switch["variant"].get("set", {})})
            state = next((("out of stock" if not v["available"] else "") for v in product["variants"].values()
                          if switch["variant"].get("kind") == "opts" and v["options"] ==
                          {**item["options"], **switch["variant"]["set"]}), "not something we carry")
            text = realize(_rng(request, "stock"), [
                "I checked the {name} options: the one with {wanted} is {state}, so I can't make that change.",
                "I'm sorry, the {name} with {wanted} is {state} right now, so that exchange isn't possible."],
                name=name, wanted=wanted, state=state or "out of stock")
            return Refuse(said.add(text).text, "impossible", why="that variant is not available",
                          mentions=said.keys)
        variant = product["variants"][new_id]
        olds.append(item)
        news.append(variant)
        notes.append(_variant_note(rng, item, variant, product, switch["variant"]))
    listing = join_words([f"the {o['name']} ({R.options_text(o['options'])}, item {o['item_id']})"
                          for o in olds])
    verb = "modify" if family == "items" else "exchange"
    one = len(olds) == 1
    once = "[[The|This] change can only be made once per order|I can only do this once for the order|The order " \
           "can only be changed once|There's only one chance to change the order|After this, no further changes " \
           "are possible|Orders allow a single change like this|Only one such change is allowed per order][, so it's " \
           "worth checking|, so I want to be sure|, so let's get it right|]."
    ask_complete = realize(rng, [
        "[Before I go on|Just to be sure|One check first]: {be_low} {listing} [everything|all] you want to {verb} in "
        "order {oid}? " + once,
        "[Could you confirm|Can you confirm] that {listing} {be_low} the only {things} you want to "
        "{verb} in order {oid}? " + once,
        "Please confirm that {listing} {be_low} the only {things} you want to {verb} in order {oid}. " + once,
        once + " [So,|Just to confirm,] {be_low} {listing} the only {things} to {verb} in order {oid}?",
    ], listing=listing, verb=verb, oid=oid, be_low="is" if one else "are",
        things="item" if one else "items")
    for note in notes:
        said.add(note)  # (built eagerly above: every product it needs is read by now)
    if not request.has("complete"):
        raise NeedSlot("complete", question=f"{said.text} {ask_complete}".strip(), mentions=said.keys)
    mid, method = _payment(request, k, order)
    terms = [f"{v['price']}" for v in news] + [f"- {o['price']}" for o in olds]
    diff = k.calc(" + ".join(terms).replace("+ -", "-")) if len(terms) > 2 else \
        k.calc(f"{news[0]['price']} - {olds[0]['price']}")
    if mid.startswith("gift_card") and diff > 0 and _gift_balance(k, mid) < diff:
        return Refuse(f"I'm sorry, the gift card {mid} doesn't have enough balance to cover the "
                      f"{R.money(diff)} difference.", "impossible")
    changes = "; ".join(f"{o['name']} item {o['item_id']} to item {v['item_id']} ({R.options_text(v['options'])}, "
                        f"{R.money(v['price'])})" for o, v in zip(olds, news, strict=True))
    direction = "you pay" if diff > 0 else "you get back"
    summary = realize(rng, [
        "[Here are the details|To confirm|Just to be clear|So, the plan]: {verb} in order {oid}: {changes}. [The "
        "price difference is|That's a difference of|The difference comes to] {amount}, which {direction} via {pm}.",
        "[I'll|I'm going to|The plan is to] {verb} in order {oid}: {changes}; {direction} {amount} through {pm}.",
        "In order {oid}, I'll {verb}: {changes}. [You|So you] {direction_short} {amount}[, using| via| through] "
        "{pm}.",
    ], verb="modify the items" if family == "items" else "exchange the items", oid=oid, changes=changes,
        amount=R.money(abs(diff)), direction=direction, pm=R.pm_label(method, mid),
        direction_short="pay" if diff > 0 else "get back")
    tool = "modify_pending_order_items" if family == "items" else "exchange_delivered_order_items"
    args = {"order_id": oid, "item_ids": [o["item_id"] for o in olds], "new_item_ids": [v["item_id"] for v in news],
            "payment_method_id": mid}
    return Propose(ToolCall(tool, args), summary)


def _variant_note(rng: random.Random, item: dict, variant: dict, product: dict, spec: dict) -> str:
    if spec["kind"] == "opts":
        return realize(rng, ["The {name} with {opts} is item {vid} at {price}[, and it's available|].",
                             "[In the catalog,|Looking at the catalog,|For the {name},] [the one with {opts}|the "
                             "variant with {opts}] is item {vid}, [priced at|at|costing] {price}[ and in stock|].",
                             "[I found|There's] the {name} with {opts}: item {vid} at {price}."],
                       name=item["name"], opts=R.options_text(variant["options"]), vid=variant["item_id"],
                       price=R.money(variant["price"]))
    pool = [v for v in product["variants"].values() if v["available"] and v["item_id"] != item["item_id"]
            and all(v["options"].get(key) == item["options"].get(key) for key in spec.get("keep", []))
            and all(v["options"].get(key) == val for key, val in spec.get("fix", {}).items())]
    ranked = sorted(pool, key=lambda v: v["price"], reverse=spec["most"])
    adj = "most expensive" if spec["most"] else "cheapest"
    described = [f"item {v['item_id']} ({R.options_text(v['options'])}) at {R.money(v['price'])}" for v in ranked]
    if len(ranked) == 1:
        return realize(rng, ["Only one available {name} fits what you asked for: {only}.",
                             "[Of the {name} variants|Among the {name} options], [just|only] one [fits and is in "
                             "stock|is available and fits]: {only}.",
                             "[I checked the catalog:|Checking the catalog,] the one available {name} that fits is "
                             "{only}."], name=item["name"], only=described[0])
    shown = described[:3]
    rest = len(ranked) - len(shown)
    more = f", and {rest} more that cost {'less' if spec['most'] else 'more'}" if rest else ""
    return realize(rng, [
        "I compared the {n} available {name} variants that fit: {listing}{more}. The {adj} is item {vid}.",
        "For the {name}, {n} available variants fit; [from the top|ranked by price]: {listing}{more}. So the {adj} "
        "is item {vid}.",
        "[Comparing|Going through] the {name} [options|variants] in stock that fit ({n} of them): {listing}{more} "
        "— [item {vid} is the {adj}|the {adj} is item {vid}].",
        "[There are|I see] {n} available {name} variants that match: {listing}{more}. [That makes item {vid} the "
        "{adj}|Item {vid} comes out {adj}]."
    ], name=item["name"], listing="; ".join(shown), more=more, adj=adj, vid=variant["item_id"], n=len(ranked))


def items(request: Request, k: Knowledge) -> Step:
    return _switch(request, k, "items")


def exchange(request: Request, k: Knowledge) -> Step:
    return _switch(request, k, "exchange")


def return_items(request: Request, k: Knowledge) -> Step:
    rng = _rng(request, "return")
    said = Said()
    cheaper = request.frame.get("cheaper")
    if cheaper is not None:
        oid, item_id = find_cheaper_item(k, k.user_id, cheaper)
        pool = [(o, i) for o, order in user_orders(k, k.user_id) if status_class(order["status"]) == "received"
                for i in order["items"] if i["name"] == cheaper["name"]]
        listing = join_words([f"{i['item_id']} in {o} at {R.money(i['price'])}" for o, i in pool])
        adj = "more expensive" if cheaper["most"] else "cheaper"
        said.add(realize(rng, ["[I found|There are] {n} {name}s [among|in] your delivered orders: {listing}. The "
                               "{adj} one is item {iid} in order {oid}."],
                         n=len(pool), name=cheaper["name"], listing=listing, adj=adj, iid=item_id, oid=oid))
        order = k.get("orders", oid)
        ids = [item_id]
    else:
        oid = _order(request, k, said)
        order = k.get("orders", oid)
        ids = find_items(order, request.value("items"))
    refusal = _check_status("return", oid, order, request, said)
    if refusal:
        return refusal
    mid, method = _payment(request, k, order)
    original = order["payment_history"][0]["payment_method_id"]
    if mid != original and not mid.startswith("gift_card"):
        return Refuse("I'm sorry, a refund can only go to the order's original payment method or to a gift card, "
                      f"and {R.pm_label(method, mid)} is neither.", "policy")
    returned = [next(i for i in order["items"] if i["item_id"] == iid) for iid in ids]
    amount = returned[0]["price"] if len(returned) == 1 else k.calc(" + ".join(f"{i['price']}" for i in returned))
    summary = realize(rng, [
        "[To confirm|Here's the return|Just to be clear|To sum up]: return {items} from order {oid}, with the "
        "refund of {amount} going to {pm}. "
        "You'll get an email with instructions for sending the items back.",
        "I'll request the return of {items} from order {oid}; {amount} will be refunded to {pm}, and an email will "
        "explain how to send the items back.",
    ], items=R.items_label(returned), oid=oid, amount=R.money(amount), pm=R.pm_label(method, mid))
    return Propose(ToolCall("return_delivered_order_items", {"order_id": oid, "item_ids": ids,
                                                               "payment_method_id": mid}), summary, said.text,
                   said.keys)


def user_address(request: Request, k: Knowledge) -> Step:
    said = Said()
    if request.frame.get("from_order") is not None:
        spec = request.frame["from_order"]
        oid = find_order(k, k.user_id, spec)
        _order_evidence(request, k, spec, oid, said)
        new = k.get("orders", oid)["address"]
        said.add(f"It was shipped to {R.address_line(new)}.")
    else:
        new = request.value("address")
    args = {"user_id": k.user_id, **{key: new[key] for key in ADDRESS_KEYS}}
    summary = realize(_rng(request, "summary"), [
        "I'll update the default address on your profile to {line}.",
        "[To confirm|Here's the change|Just to be clear|To sum up|So, the change]: your default address becomes "
        "{line}.",
    ], line=R.address_line(new))
    return Propose(ToolCall("modify_user_address", args), summary, said.text, said.keys)


# -- information ---------------------------------------------------------------------------------
def tracking(request: Request, k: Knowledge) -> Step:
    said = Said()
    oid = _order(request, k, said)
    order = k.get("orders", oid)
    ids = [t for f in order["fulfillments"] for t in f["tracking_id"]]
    if not ids:
        return Refuse(f"Order {oid} has not shipped yet, so there is no tracking number.", "impossible")
    text = realize(_rng(request, "info"), ["The tracking number [for|of] order {oid} is {ids}.",
                                           "Order {oid} [can be tracked with|has the tracking number] {ids}."],
                   oid=oid, ids=join_words(ids))
    return Inform(said.add(text).text, ids, said.keys)


def total(request: Request, k: Knowledge) -> Step:
    said = Said()
    oid = _order(request, k, said)
    order = k.get("orders", oid)
    amount = order["payment_history"][0]["amount"]
    text = realize(_rng(request, "info"), ["You paid {amount} for order {oid}.",
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
    rng = _rng(request, "info")
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
    rng = _rng(request, "info")
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
        return [_order(request, k, said)]
    cls = request.frame.get("scope")
    cls = None if cls == "all" else cls
    orders = _overview(request, k, said)
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
    text = realize(_rng(request, "info"), [
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
    text = realize(_rng(request, "info"), [
        "The cheapest available version of each item: {lines}. Together that comes to {amount}.",
        "[Taking|Using] each item's cheapest available price ({lines}), the total would be {amount}."],
        lines="; ".join(lines), amount=R.money(amount))
    return Inform(said.add(text).text, [f"{round(amount, 2):.2f}"], said.keys)


def trace(request: Request, k: Knowledge) -> Step:
    said = Said()
    oid = _order(request, k, said)
    order = k.get("orders", oid)
    rng = _rng(request, "trace")
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


FAMILIES: dict[str, Callable[[Request, Knowledge], Step]] = {
    "cancel": cancel, "address": address, "payment": payment, "items": items, "exchange": exchange,
    "return": return_items, "user_address": user_address, "tracking": tracking, "total": total, "count": count,
    "price": price, "available": available, "cheapest_total": cheapest_total, "trace": trace,
}


_DONE = "[Done|All set|That's done|Finished|Perfect|Great news|Success|Okay, that worked]"
_WENT = "[The change went through|That went through|The system accepted it|It's done|Everything went through]"


def done_text(rng: random.Random, request: Request, call: ToolCall, k: Knowledge) -> str:
    """The outcome of a write, from its result (the order or profile the tool returned)."""
    args = call.arguments
    oid = args.get("order_id", "")
    order = k.peek("orders", oid) if oid else None
    status = (order or {}).get("status", "")
    family = request.family
    if family == "cancel":
        return realize(rng, [_DONE + ": order {oid} is now cancelled[ and the refund is on its way|].",
                             "Order {oid} has been cancelled[; its status now reads 'cancelled'|].",
                             _WENT + ": order {oid} [now shows as|is now] cancelled."], oid=oid)
    if family == "address":
        return realize(rng, [_DONE + ": order {oid} will now ship to the new address.",
                             "The shipping address of order {oid} has been updated[ to the new one|].",
                             _WENT + " — order {oid} [now ships|is now going] to the new address."], oid=oid)
    if family == "payment":
        return realize(rng, [_DONE + ": order {oid} is now paid with {pm}.",
                             "The payment method of order {oid} has been switched to {pm}.",
                             _WENT + ": {pm} now pays for order {oid}."], oid=oid, pm=args["payment_method_id"])
    if family in ("items", "exchange"):
        return realize(rng, [_DONE + ": order {oid} is now '{status}'.",
                             _WENT + "; order {oid} now shows '{status}'.",
                             "Order {oid} [now reads|has the status] '{status}'[, so the change is in|]."],
                       oid=oid, status=status)
    if family == "return":
        return realize(rng, [_DONE + ": the return for order {oid} is requested, and you'll receive an email with "
                             "the return instructions.",
                             "Order {oid} is now '{status}'; [watch for|look out for|you'll get] an email explaining "
                             "how to send the items back.",
                             _WENT + " — order {oid} shows '{status}', and [an email with the next steps|the return "
                             "instructions] [is on its way|will arrive by email]."], oid=oid, status=status)
    if family == "user_address":
        return realize(rng, [_DONE + ": your default address has been updated.",
                             "Your profile now has the new default address.",
                             _WENT + ": [the new address is now your default|your profile shows the new default "
                             "address]."])
    return "Done."

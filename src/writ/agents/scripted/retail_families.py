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

from writ.agents.scripted import retail_words as R
from writ.agents.scripted.knowledge import Knowledge, NeedSlot, Request
from writ.agents.scripted.retail_info import available, cheapest_total, count, price, total, trace, tracking
from writ.agents.scripted.retail_orders import (
    ADDRESS_KEYS,
    REASONS,
    gift_balance,
    order_evidence,
    payment_method,
    status_refusal,
    which_order,
    wording_rng,
)
from writ.agents.scripted.steps import Propose, Refuse, Said, Step
from writ.core import ToolCall
from writ.dialogue.grammar import join_words, realize
from writ.tasks.retail.selectors import (
    Ambiguous,
    find_cheaper_item,
    find_items,
    find_order,
    find_variant,
    item_matches,
    status_class,
    user_orders,
)

__all__ = ["FAMILIES", "done_text"]


# -- the families ------------------------------------------------------------------------------------
def cancel(request: Request, k: Knowledge) -> Step:
    said = Said()
    oid = which_order(request, k, said)
    order = k.get("orders", oid)
    refusal = status_refusal("cancel", oid, order, request, said)
    if refusal:
        return refusal
    reason = request.value("reason", REASONS)
    if reason not in REASONS:
        return Refuse(realize(wording_rng(request, "reason"), [
            "I'm sorry, but I can only cancel an order for one of two reasons: 'no longer needed' or 'ordered by "
            "mistake'."]), "policy")
    paid = order["payment_history"][0]
    pm = paid["payment_method_id"]
    when = "right away, since it was paid by gift card" if pm.startswith("gift_card") else \
        "within 5 to 7 business days"
    items = R.items_label(order["items"], with_id=False)
    summary = realize(wording_rng(request, "summary"), [
        "[Here's what I'll do|To confirm|Here are the details]: cancel order {oid}, which has {items}, for the reason "
        "'{reason}'. The {amount} paid with {pm} [will be refunded|goes back] {when}.",
        "I'll cancel order {oid}, which has {items}, [giving|with] '{reason}' as the reason; the {amount} you paid "
        "with {pm} will be refunded {when}.",
    ], oid=oid, items=items, reason=reason, amount=R.money(paid["amount"]), pm=pm, when=when)
    return Propose(ToolCall("cancel_pending_order", {"order_id": oid, "reason": reason}), summary, said.text,
                   said.keys)


def address(request: Request, k: Knowledge) -> Step:
    said = Said()
    oid = which_order(request, k, said)
    order = k.get("orders", oid)
    refusal = status_refusal("address", oid, order, request, said)
    if refusal:
        return refusal
    new = request.value("address")
    if new.get("default"):
        new = k.get("users", k.user_id)["address"]
        said.add(realize(wording_rng(request, "default"), ["The default address on your profile is {line}.",
                                                           "Your profile's default address is {line}."],
                         line=R.address_line(new)))
    args = {"order_id": oid, **{key: new[key] for key in ADDRESS_KEYS}}
    summary = realize(wording_rng(request, "summary"), [
        "I'll change the shipping address of order {oid} to {line}.",
        "[The change|What I'll do]: the shipping address of order {oid} becomes {line} instead of {old}.",
    ], oid=oid, line=R.address_line(new), old=R.address_line(order["address"]))
    return Propose(ToolCall("modify_pending_order_address", args), summary, said.text, said.keys)


def payment(request: Request, k: Knowledge) -> Step:
    said = Said()
    oid = which_order(request, k, said)
    order = k.get("orders", oid)
    refusal = status_refusal("payment", oid, order, request, said)
    if refusal:
        return refusal
    history = order["payment_history"]
    if len(history) != 1 or history[0]["transaction_type"] != "payment":
        return Refuse(f"I'm sorry, the payment of order {oid} has already been changed, and it can only be changed "
                      f"while the order has its single original payment.", "policy")
    mid, method = payment_method(request, k, order)
    old = history[0]["payment_method_id"]
    if mid == old:
        return Refuse(f"Order {oid} is already paid with {R.pm_label(method, mid)}, so there's nothing to change.",
                      "impossible")
    amount = history[0]["amount"]
    if mid.startswith("gift_card"):
        balance = gift_balance(k, mid)
        if balance < amount:
            text = realize(wording_rng(request, "gift"), [
                "I'm sorry, your gift card {mid} has a balance of {balance}, which doesn't cover the {amount} of "
                "order {oid}, so I can't switch the payment to it.",
                "I checked your gift card {mid}: its balance is {balance}, less than the order's {amount}. A gift "
                "card can only pay for an order it fully covers, so that change isn't possible."],
                mid=mid, balance=R.money(balance), amount=R.money(amount), oid=oid)
            return Refuse(said.add(text).text, "impossible", why="a gift card must cover the whole order",
                          mentions=said.keys)
    user = k.peek("users", k.user_id) or {}
    method = (user.get("payment_methods") or {}).get(mid)
    summary = realize(wording_rng(request, "summary"), [
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
    oid = which_order(request, k, said)
    order = k.get("orders", oid)
    refusal = status_refusal(family, oid, order, request, said)
    if refusal:
        return refusal
    rng = wording_rng(request, "switch")
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
            text = realize(wording_rng(request, "stock"), [
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
    mid, method = payment_method(request, k, order)
    terms = [f"{v['price']}" for v in news] + [f"- {o['price']}" for o in olds]
    diff = k.calc(" + ".join(terms).replace("+ -", "-")) if len(terms) > 2 else \
        k.calc(f"{news[0]['price']} - {olds[0]['price']}")
    if mid.startswith("gift_card") and diff > 0 and gift_balance(k, mid) < diff:
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
    rng = wording_rng(request, "return")
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
        oid = which_order(request, k, said)
        order = k.get("orders", oid)
        ids = find_items(order, request.value("items"))
    refusal = status_refusal("return", oid, order, request, said)
    if refusal:
        return refusal
    mid, method = payment_method(request, k, order)
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
        order_evidence(request, k, spec, oid, said)
        new = k.get("orders", oid)["address"]
        said.add(f"It was shipped to {R.address_line(new)}.")
    else:
        new = request.value("address")
    args = {"user_id": k.user_id, **{key: new[key] for key in ADDRESS_KEYS}}
    summary = realize(wording_rng(request, "summary"), [
        "I'll update the default address on your profile to {line}.",
        "[To confirm|Here's the change|Just to be clear|To sum up|So, the change]: your default address becomes "
        "{line}.",
    ], line=R.address_line(new))
    return Propose(ToolCall("modify_user_address", args), summary, said.text, said.keys)


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

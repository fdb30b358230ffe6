"""Retail requests whose policy-correct handling is "no": refusals, impossibilities, a transfer.

A real customer asks for things the policy forbids, and a model trained only on requests that can
be granted learns to say yes to everything. Each family here proposes a request the customer might
well make and records the write it asks for (`TaskDraft.refuse`), which validation proves the
policy forbids at that point; the agent must find the order, see why, and say so:

* cancel, or change the address of, an order that is already processed or delivered;
* return or exchange an order that has not been delivered yet;
* exchange an item for a variant that exists but is out of stock (impossible);
* pay an order with a gift card whose balance does not cover it (impossible);
* have a package traced that is marked delivered but never arrived: no tool can, so the policy's
  answer is a transfer to a human agent.

Each costs the reads that find the order (and the product or profile its check needs).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from writ.tasks.retail import wording as W
from writ.tasks.retail.context import Ctx, Op, Proposal
from writ.tasks.retail.families import new_address
from writ.tasks.retail.refs import Ref, merge, order_refs, prop_spec, user_read

__all__ = ["refusal_proposals", "transfer_proposals"]

ADDRESS_KEYS = ("address1", "address2", "city", "state", "country", "zip")


def _spec(ctx: Ctx, ref: Ref) -> dict[str, Any]:
    if ref.kind == "prop":
        ref.spec = prop_spec(ctx, ref.oid)
    return ref.spec


def _phrase(ctx: Ctx, ref: Ref) -> tuple[str, str]:
    v = ctx.rng.randrange(2)
    return W.order_phrase(ref.spec, True, v), W.order_phrase(ref.spec, False, v)


def _secret(ref: Ref) -> list[str]:
    return [] if ref.kind in ("id", "hint") else [ref.oid]


def _refusal(ctx: Ctx, family: str, ref: Ref, reads: list, frame: dict[str, Any], withhold: list[str],
             would_be: tuple[str, dict[str, Any]], why: str, instruction: str, topic: str = "policy") -> Op:
    """A request the agent must turn down. `withhold` names only details the agent needs before it can
    see that the answer is no (a refusal on the order's status needs none: the customer is never asked)."""
    return Op(family, reads, "", instruction, candidates=ref.candidates, known=ref.known, secret=_secret(ref),
              orders=(ref.oid,), frame=frame, withhold=withhold, refusal=(*would_be, why, topic))


# -- the order is past the point where this is allowed -------------------------------------------------
def _cancel_late(ctx: Ctx, ref: Ref) -> Op:
    spec = _spec(ctx, ref)
    reason = ctx.rng.choice(["no longer needed", "ordered by mistake"])
    _, o2 = _phrase(ctx, ref)
    status = ctx.order(ref.oid)["status"]
    return _refusal(ctx, "refuse_cancel", ref, ref.reads, {"family": "cancel", "order": spec, "reason": reason},
                    [], ("cancel_pending_order", {"order_id": ref.oid, "reason": reason}),
                    f"the order is already {status}",
                    f"You want to cancel {o2} because {W.reason_phrase(reason, False, ctx.rng)} (say '{reason}' if "
                    f"asked). If the agent explains it cannot be done, accept it.")


def _address_late(ctx: Ctx, ref: Ref) -> Op:
    spec = _spec(ctx, ref)
    address = {k: new_address(ctx)[k] for k in ADDRESS_KEYS}
    _, o2 = _phrase(ctx, ref)
    status = ctx.order(ref.oid)["status"]
    return _refusal(ctx, "refuse_address", ref, ref.reads, {"family": "address", "order": spec, "address": address},
                    [], ("modify_pending_order_address", {"order_id": ref.oid, **address}),
                    f"the order is already {status}",
                    f"You want {o2} shipped to {W.address_text(address)} instead. If the agent explains it cannot "
                    f"be done, accept it.")


def _return_early(ctx: Ctx, ref: Ref) -> Op:
    spec = _spec(ctx, ref)
    order = ctx.order(ref.oid)
    _, o2 = _phrase(ctx, ref)
    original = order["payment_history"][0]["payment_method_id"]
    frame = {"family": "return", "order": spec, "items": {"kind": "all"}, "payment": {"kind": "original"}}
    ids = [i["item_id"] for i in order["items"]]
    return _refusal(ctx, "refuse_return", ref, ref.reads, frame, [],
                    ("return_delivered_order_items", {"order_id": ref.oid, "item_ids": ids,
                                                      "payment_method_id": original}),
                    f"the order is {order['status']}, not delivered",
                    f"You want to return everything in {o2}, refunded to the original payment method. If the agent "
                    f"explains it cannot be done, accept it.")


# -- impossible: out of stock, not enough balance ------------------------------------------------------
def _stock_candidate(ctx: Ctx, oid: str) -> tuple[dict, dict, dict] | None:
    """(item, variant, changed options) of a delivered item whose wanted variant is out of stock."""
    order = ctx.order(oid)
    names = [i["name"] for i in order["items"]]
    for item in order["items"]:
        if names.count(item["name"]) != 1:
            continue
        product = ctx.db.get("products", item["product_id"])
        for variant in product["variants"].values():
            if variant["available"] or variant["item_id"] == item["item_id"]:
                continue
            changed = {k: v for k, v in variant["options"].items() if item["options"].get(k) != v}
            same = [v for v in product["variants"].values() if v["options"] == {**item["options"], **changed}]
            if changed and len(same) == 1:
                return item, variant, changed
    return None


def _out_of_stock(ctx: Ctx, ref: Ref) -> Op | None:
    order = ctx.order(ref.oid)
    found = _stock_candidate(ctx, ref.oid)
    if found is None:
        return None
    item, variant, changed = found
    ref.spec = prop_spec(ctx, ref.oid, [item["name"]]) if ref.kind == "prop" else ref.spec
    _, o2 = _phrase(ctx, ref)
    original = order["payment_history"][0]["payment_method_id"]
    vspec = {"kind": "opts", "set": changed}
    reads = merge(ref.reads, [("get_product_details", {"product_id": item["product_id"]}, True)])
    frame = {"family": "exchange", "order": ref.spec, "payment": {"kind": "original"},
             "switches": [{"item": [item["name"], {}], "variant": vspec, "_current": dict(item["options"])}]}
    wanted = W.variant_phrase(item["name"], vspec, item["options"])
    return _refusal(ctx, "impossible_exchange", ref, reads, frame, [],
                    ("exchange_delivered_order_items", {"order_id": ref.oid, "item_ids": [item["item_id"]],
                                                        "new_item_ids": [variant["item_id"]],
                                                        "payment_method_id": original}),
                    "that variant is out of stock",
                    f"You want to exchange the {item['name']} in {o2} for {wanted}, paying any difference with the "
                    f"original payment method. If it is not available, accept it.", "impossible")


def _gift_short(ctx: Ctx, ref: Ref) -> Op | None:
    order = ctx.order(ref.oid)
    history = order["payment_history"]
    methods = ctx.user()["payment_methods"]
    cards = [m for m in methods.values() if m["source"] == "gift_card"]
    if len(cards) != 1 or len(history) != 1 or cards[0]["id"] == history[0]["payment_method_id"]:
        return None
    if cards[0]["balance"] >= history[0]["amount"]:
        return None
    spec = _spec(ctx, ref)
    _, o2 = _phrase(ctx, ref)
    reads = merge(ref.reads, [user_read(ctx)])
    return _refusal(ctx, "impossible_payment", ref, reads,
                    {"family": "payment", "order": spec, "payment": {"kind": "gift"}}, [],
                    ("modify_pending_order_payment", {"order_id": ref.oid, "payment_method_id": cards[0]["id"]}),
                    "the gift card balance does not cover the order",
                    f"You want to pay for {o2} with your gift card instead. If the agent says the balance is not "
                    f"enough, accept it.", "impossible")


def refusal_proposals(ctx: Ctx) -> list[Proposal]:
    out: list[Proposal] = []
    for oid in ctx.user()["orders"]:
        if ctx.touched(oid):
            continue
        status = ctx.order(oid)["status"]
        for ref in order_refs(ctx, oid, item_level=False):
            if status in ("processed", "delivered"):
                out.append(Proposal("refuse_cancel", ctx.cost(ref.reads), partial(_cancel_late, ctx, ref), (oid,),
                                    write=False))
                out.append(Proposal("refuse_address", ctx.cost(ref.reads), partial(_address_late, ctx, ref), (oid,),
                                    write=False))
            if status in ("pending", "processed"):
                out.append(Proposal("refuse_return", ctx.cost(ref.reads), partial(_return_early, ctx, ref), (oid,),
                                    write=False))
            if status == "pending":
                reads = merge(ref.reads, [user_read(ctx)])
                out.append(Proposal("impossible_payment", ctx.cost(reads), partial(_maybe, _gift_short, ctx, ref),
                                    (oid,), write=False))
        found = _stock_candidate(ctx, oid) if status == "delivered" else None
        if found is not None:
            product_read = ("get_product_details", {"product_id": found[0]["product_id"]}, True)
            for ref in order_refs(ctx, oid, item_level=True):
                cost = ctx.cost(merge(ref.reads, [product_read]))
                out.append(Proposal("impossible_exchange", cost, partial(_maybe, _out_of_stock, ctx, ref), (oid,),
                                    write=False))
    return out


def _maybe(build, ctx: Ctx, ref: Ref) -> Op:
    from writ.tasks.retail.refs import Unfit

    op = build(ctx, ref)
    if op is None:
        raise Unfit("no such request fits this order")
    return op


# -- a transfer ----------------------------------------------------------------------------------------------
def _trace(ctx: Ctx, ref: Ref) -> Op:
    spec = _spec(ctx, ref)
    _, o2 = _phrase(ctx, ref)
    summary = (f"The customer reports that order {ref.oid} is marked delivered but never arrived and wants the "
               f"shipment traced; no tool can trace a package.")
    return Op("transfer", ref.reads, "", f"Your {o2.removeprefix('your ')} shows as delivered, but you never received "
              f"it. You want someone to find out what happened to the package. If the agent transfers you to a human "
              f"agent, that is fine.", candidates=ref.candidates, known=ref.known, secret=_secret(ref),
              orders=(ref.oid,), frame={"family": "trace", "order": spec}, transfer=summary)


def transfer_proposals(ctx: Ctx) -> list[Proposal]:
    out = []
    for oid in ctx.user()["orders"]:
        if ctx.order(oid)["status"] != "delivered" or ctx.touched(oid):
            continue
        for ref in order_refs(ctx, oid, item_level=False):
            out.append(Proposal("transfer", ctx.cost(ref.reads), partial(_trace, ctx, ref), (oid,), write=False))
    return out

"""Item switches: modify the items of a pending order, exchange the items of a delivered one.

Both swap some items of one order for other available variants of the same products, once per
order, with a payment method that pays or receives the difference. The request names each item
by its product and the new variant by its options ("the same Desk Lamp but in black") or by a
superlative over the product's variants ("the cheapest available Desk Lamp with the same
brightness"), so the agent reads one product per switched item; the payment method is the
order's original one (seen in the order), one the user describes (the profile is read), or, below
evidence 3, an id the user states.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from writ.tasks.retail import wording as W
from writ.tasks.retail.context import Ctx, Op, Proposal
from writ.tasks.retail.refs import (
    Ref,
    Unfit,
    acted_phrase,
    choose_variant,
    describe_pm,
    merge,
    order_refs,
    pm_text,
    prop_spec,
    ref_findings,
    user_read,
)
from writ.tasks.retail.selectors import find_items, find_order, find_pm, find_variant

__all__ = ["item_proposals"]


def _spec(ctx: Ctx, ref: Ref, prefer: list[str] = ()) -> dict[str, Any]:
    if ref.kind == "prop":
        ref.spec = prop_spec(ctx, ref.oid, prefer)
    return ref.spec


def _secret(ref: Ref) -> list[str]:
    return [] if ref.kind in ("id", "hint") else [ref.oid]


def _phrases(ref: Ref, v: int) -> tuple[str, str]:
    return W.order_phrase(ref.spec, True, v), W.order_phrase(ref.spec, False, v)


# -- modify items of a pending order / exchange items of a delivered one --------------------------------
def _switchable(ctx: Ctx, order: dict) -> list[dict]:
    names = [i["name"] for i in order["items"]]
    out = []
    for item in order["items"]:
        if names.count(item["name"]) != 1:
            continue
        variants = ctx.db.get("products", item["product_id"])["variants"].values()
        if any(v["available"] and v["item_id"] != item["item_id"] for v in variants):
            out.append(item)
    return out


def item_proposals(ctx: Ctx, family: str) -> list[Proposal]:
    status = "pending" if family == "items" else "delivered"
    out = []
    rng = ctx.rng
    for oid in ctx.user()["orders"]:
        order = ctx.order(oid)
        if order["status"] != status:
            continue
        items = _switchable(ctx, order)
        if not items:
            continue
        subsets = []
        for m in range(1, len(items) + 1):
            picked = sorted(rng.sample(range(len(items)), m))
            subsets.append([items[p] for p in picked])
        for ref in order_refs(ctx, oid, item_level=True):
            for sub in subsets:
                products = [("get_product_details", {"product_id": i["product_id"]}, True) for i in sub]
                for kind in ["original", "described"] + ([] if ctx.high else ["id"]):
                    reads = merge(ref.reads, products, [user_read(ctx)] if kind == "described" else [])
                    out.append(Proposal(family, ctx.cost(reads), partial(_item_op, ctx, family, ref, sub, kind, reads),
                                        (oid,)))
    return out


def _item_op(ctx: Ctx, family: str, ref: Ref, sub: list[dict], kind: str, reads: list) -> Op:
    rng, uid = ctx.rng, ctx.uid
    names = [i["name"] for i in sub]
    spec = _spec(ctx, ref, names)
    order = ctx.order(ref.oid)
    vspecs, new_ids, candidates, notes = [], [], ref.candidates, []
    diff = 0.0
    for item in sub:
        vspec, new_id, n = choose_variant(ctx, item)
        variant = ctx.db.get("products", item["product_id"])["variants"][new_id]
        vspecs.append(vspec)
        new_ids.append(new_id)
        candidates *= n
        diff += variant["price"] - item["price"]
        opts = ", ".join(f"{k} {v}" for k, v in variant["options"].items())
        notes.append((item, variant, f"{item['name']} (item {item['item_id']}) to item {new_id} "
                                     f"({opts}, ${W.money(variant['price'])})"))
    diff = round(diff, 2)
    methods = ctx.user()["payment_methods"]
    if kind == "original":
        if len(order["payment_history"]) != 1:  # after a payment change "the original" is ambiguous
            raise Unfit("the order's payment has changed")
        choices = [order["payment_history"][0]["payment_method_id"]]
    else:
        choices = list(methods)
        rng.shuffle(choices)
    pm_spec, mid = None, None
    for candidate in choices:
        m = methods.get(candidate)
        if m is None or (m["source"] == "gift_card" and m["balance"] < diff):
            continue
        spec_try = {"kind": "original"} if kind == "original" else \
            describe_pm(ctx, candidate) if kind == "described" else {"kind": "id", "id": candidate}
        if spec_try is not None:
            pm_spec, mid = spec_try, candidate
            break
    if pm_spec is None:
        raise Unfit("no payment method can cover the difference")
    if kind == "id" and methods[mid]["source"] == "gift_card":
        reads = merge(reads, [user_read(ctx, False)])  # the balance check
    v = rng.randrange(2)
    o1, o2 = _phrases(ref, v)
    changes = W.join([f"{acted_phrase(spec, i['name'])} to {W.variant_phrase(i['name'], vs, i['options'])}"
                      for i, vs in zip(sub, vspecs, strict=True)])
    p1, p2 = pm_text(ctx, pm_spec, mid, True), pm_text(ctx, pm_spec, mid, False)
    u, i = W.render(rng, family, {"order": o1, "changes": changes, "pm": p1},
                    {"order": o2, "changes": changes, "pm": p2})
    found = [f"{W.cap(W.variant_phrase(it['name'], vs, it['options']))} is item {var['item_id']} "
             f"at ${W.money(var['price'])}."
             for (it, var, _), vs in zip(notes, vspecs, strict=True)]
    findings = " ".join([ref_findings(ref)] + found).strip()
    if kind == "described":
        findings += f" Your {p2.removeprefix('your ')} is {mid}."
    direction = "you pay" if diff > 0 else "you get back"
    verb = "modify pending order" if family == "items" else "exchange in delivered order"
    summary = (f"{verb} {ref.oid}: " + "; ".join(n for _, _, n in notes)
               + f"; price difference: {direction} ${W.money(abs(diff))} via {mid}")
    tool = "modify_pending_order_items" if family == "items" else "exchange_delivered_order_items"
    args = {"order_id": ref.oid, "item_ids": [i["item_id"] for i in sub], "new_item_ids": new_ids,
            "payment_method_id": mid}
    filters = [(n, {}) for n in names]

    def resolve(db: Any) -> dict[str, Any]:
        oid = find_order(db, uid, spec)
        current = db.get("orders", oid)
        ids = find_items(current, {"kind": "each", "filters": filters})
        news = [find_variant(db, next(x for x in current["items"] if x["item_id"] == iid), vs)
                for iid, vs in zip(ids, vspecs, strict=True)]
        return {"order_id": oid, "item_ids": ids, "new_item_ids": news,
                "payment_method_id": find_pm(db, uid, current, pm_spec)}

    secret = _secret(ref) + args["item_ids"] + new_ids + ([mid] if kind != "id" else [])
    return Op(family, reads, u, i, call=(tool, args), candidates=candidates, secret=secret,
              known=ref.known + ([mid] if kind == "id" else []), summary=summary, findings=findings,
              details={"order": o1, "items": names, "payment": p1}, resolve=resolve, orders=(ref.oid,),
              frame={"family": family, "order": spec, "payment": pm_spec,
                     "switches": [{"item": [it["name"], {}], "variant": vs, "_current": dict(it["options"])}
                                  for it, vs in zip(sub, vspecs, strict=True)]},
              withhold=["payment"])

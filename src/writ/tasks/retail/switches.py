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

from writ.tasks.retail import wording
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


def _phrases(ref: Ref, phrasing: int) -> tuple[str, str]:
    return wording.order_phrase(ref.spec, True, phrasing), wording.order_phrase(ref.spec, False, phrasing)


# -- modify items of a pending order / exchange items of a delivered one --------------------------------
def _switchable(ctx: Ctx, order: dict) -> list[dict]:
    names = [item["name"] for item in order["items"]]
    out = []
    for item in order["items"]:
        if names.count(item["name"]) != 1:
            continue
        variants = ctx.db.get("products", item["product_id"])["variants"].values()
        if any(variant["available"] and variant["item_id"] != item["item_id"] for variant in variants):
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
        for size in range(1, len(items) + 1):
            picked = sorted(rng.sample(range(len(items)), size))
            subsets.append([items[index] for index in picked])
        for ref in order_refs(ctx, oid, item_level=True):
            for subset in subsets:
                products = [("get_product_details", {"product_id": item["product_id"]}, True) for item in subset]
                for kind in ["original", "described"] + ([] if ctx.high else ["id"]):
                    reads = merge(ref.reads, products, [user_read(ctx)] if kind == "described" else [])
                    out.append(Proposal(family, ctx.cost(reads),
                                        partial(_item_op, ctx, family, ref, subset, kind, reads), (oid,)))
    return out


def _item_op(ctx: Ctx, family: str, ref: Ref, switched: list[dict], kind: str, reads: list) -> Op:
    rng, uid = ctx.rng, ctx.uid
    names = [item["name"] for item in switched]
    spec = _spec(ctx, ref, names)
    order = ctx.order(ref.oid)
    variant_specs, new_ids, candidates, notes = [], [], ref.candidates, []
    diff = 0.0
    for item in switched:
        variant_spec, new_id, compared = choose_variant(ctx, item)
        variant = ctx.db.get("products", item["product_id"])["variants"][new_id]
        variant_specs.append(variant_spec)
        new_ids.append(new_id)
        candidates *= compared
        diff += variant["price"] - item["price"]
        opts = ", ".join(f"{option} {value}" for option, value in variant["options"].items())
        notes.append((item, variant, f"{item['name']} (item {item['item_id']}) to item {new_id} "
                                     f"({opts}, ${wording.money(variant['price'])})"))
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
        method = methods.get(candidate)
        if method is None or (method["source"] == "gift_card" and method["balance"] < diff):
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
    phrasing = rng.randrange(2)
    my_order, your_order = _phrases(ref, phrasing)
    changes = wording.join([f"{acted_phrase(spec, item['name'])} to "
                            f"{wording.variant_phrase(item['name'], wanted, item['options'])}"
                            for item, wanted in zip(switched, variant_specs, strict=True)])
    my_payment, your_payment = pm_text(ctx, pm_spec, mid, True), pm_text(ctx, pm_spec, mid, False)
    utterance, instruction = wording.render(rng, family, {"order": my_order, "changes": changes, "pm": my_payment},
                                            {"order": your_order, "changes": changes, "pm": your_payment})
    found = [f"{wording.cap(wording.variant_phrase(item['name'], wanted, item['options']))} "
             f"is item {variant['item_id']} "
             f"at ${wording.money(variant['price'])}."
             for (item, variant, _), wanted in zip(notes, variant_specs, strict=True)]
    findings = " ".join([ref_findings(ref)] + found).strip()
    if kind == "described":
        findings += f" Your {your_payment.removeprefix('your ')} is {mid}."
    direction = "you pay" if diff > 0 else "you get back"
    verb = "modify pending order" if family == "items" else "exchange in delivered order"
    summary = (f"{verb} {ref.oid}: " + "; ".join(note for _, _, note in notes)
               + f"; price difference: {direction} ${wording.money(abs(diff))} via {mid}")
    tool = "modify_pending_order_items" if family == "items" else "exchange_delivered_order_items"
    args = {"order_id": ref.oid, "item_ids": [item["item_id"] for item in switched], "new_item_ids": new_ids,
            "payment_method_id": mid}
    filters = [(name, {}) for name in names]

    def resolve(db: Any) -> dict[str, Any]:
        oid = find_order(db, uid, spec)
        current = db.get("orders", oid)
        ids = find_items(current, {"kind": "each", "filters": filters})
        news = [find_variant(db, next(item for item in current["items"] if item["item_id"] == iid), wanted)
                for iid, wanted in zip(ids, variant_specs, strict=True)]
        return {"order_id": oid, "item_ids": ids, "new_item_ids": news,
                "payment_method_id": find_pm(db, uid, current, pm_spec)}

    secret = _secret(ref) + args["item_ids"] + new_ids + ([mid] if kind != "id" else [])
    return Op(family, reads, utterance, instruction, call=(tool, args), candidates=candidates, secret=secret,
              known=ref.known + ([mid] if kind == "id" else []), summary=summary, findings=findings,
              details={"order": my_order, "items": names, "payment": my_payment}, resolve=resolve, orders=(ref.oid,),
              frame={"family": family, "order": spec, "payment": pm_spec,
                     "switches": [{"item": [item["name"], {}], "variant": wanted, "_current": dict(item["options"])}
                                  for item, wanted in zip(switched, variant_specs, strict=True)]},
              withhold=["payment"])

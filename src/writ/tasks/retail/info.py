"""Information requests: the agent reads, then tells the user values (tau2's communicate_info).

They change nothing but belong to the read-heavy axis: their reads are one evidence unit. Kinds:
the tracking number of an order, the amount paid for an order, how many of the user's orders are
in a status, the current price of a catalogue variant, and how many items of some orders can still
be bought in exactly the same version (profile + orders + one product read per product, which is
how the largest burdens are reached on databases whose users have few orders).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from writ.tasks.retail import wording as W
from writ.tasks.retail.context import Ctx, Op, Proposal
from writ.tasks.retail.refs import Ref, merge, order_read, order_refs, prop_spec, ref_findings, user_read
from writ.tasks.retail.selectors import Ambiguous, find_order, find_variant, status_class, user_orders

__all__ = ["info_proposals"]

CLASS_WORDS = {"pending": "still pending", "received": "already delivered"}


def _spec(ctx: Ctx, ref: Ref) -> dict[str, Any]:
    if ref.kind == "prop":
        ref.spec = prop_spec(ctx, ref.oid)
    return ref.spec


def _order_op(ctx: Ctx, family: str, ref: Ref, value_of) -> Op:
    rng, uid = ctx.rng, ctx.uid
    spec = _spec(ctx, ref)
    v = rng.randrange(2)
    o1, o2 = W.order_phrase(spec, True, v), W.order_phrase(spec, False, v)
    u, i = W.render(rng, family, {"order": o1}, {"order": o2})
    values = value_of(ctx.order(ref.oid))
    what = "the tracking number of" if family == "tracking" else "the amount paid for"
    findings = (ref_findings(ref) + f" {W.cap(what)} order {ref.oid} is {', '.join(values)}.").strip()
    return Op(family, ref.reads, u, i, communicate=values, candidates=ref.candidates, known=ref.known,
              findings=findings, details={"order": o1},
              resolve=lambda db: value_of(db.get("orders", find_order(db, uid, spec))),
              frame={"family": family, "order": spec})


def _tracking(order: dict) -> list[str]:
    return [t for f in order["fulfillments"] for t in f["tracking_id"]]


def _paid(order: dict) -> list[str]:
    return [W.money(order["payment_history"][0]["amount"])]


def order_info_proposals(ctx: Ctx) -> list[Proposal]:
    out = []
    for oid in ctx.user()["orders"]:
        order = ctx.order(oid)
        kinds = []
        if order["fulfillments"]:
            kinds.append(("tracking", _tracking))
        history = order["payment_history"]
        if len(history) == 1 and history[0]["transaction_type"] == "payment":
            kinds.append(("total", _paid))
        if not kinds:
            continue
        for ref in order_refs(ctx, oid, item_level=True):
            for family, fn in kinds:
                out.append(Proposal(family, ctx.cost(ref.reads), partial(_order_op, ctx, family, ref, fn), write=False))
    return out


# -- how many orders are in a status ---------------------------------------------------------------------
def _count_value(db: Any, uid: str, cls: str) -> list[str]:
    return [str(sum(1 for _, o in user_orders(db, uid) if status_class(o["status"]) == cls))]


def _count(ctx: Ctx, cls: str, reads: list) -> Op:
    rng, uid = ctx.rng, ctx.uid
    what = CLASS_WORDS[cls]
    u, i = W.render(rng, "count", {"what": what}, {"what": what})
    values = _count_value(ctx.db, uid, cls)
    k = len(ctx.user()["orders"])
    return Op("count", reads, u, i, communicate=values, candidates=k,
              findings=f"Of your {k} orders, {values[0]} {'is' if values[0] == '1' else 'are'} {what}.",
              resolve=lambda db: _count_value(db, uid, cls), frame={"family": "count", "cls": cls})


# -- the price of a catalogue variant ------------------------------------------------------------------------
def _price(ctx: Ctx, reads: list, product: dict) -> Op:
    rng = ctx.rng
    variants = list(product["variants"].values())
    name = product["name"]
    available = [v for v in variants if v["available"]]
    spec = None
    if len(available) >= 2 and rng.random() < 0.5:  # a superlative needs at least two candidates
        spec = {"kind": "price", "most": rng.random() < 0.3, "keep": [], "fix": {}}
        probe = {"product_id": product["product_id"], "item_id": "", "options": {}}
        try:
            chosen = ctx.db.get("products", product["product_id"])["variants"][find_variant(ctx.db, probe, spec)]
        except Ambiguous:
            spec = None
        else:
            text = f"the {'most expensive' if spec['most'] else 'cheapest'} available {name}"
    if spec is None:
        chosen = rng.choice(variants)
        text = f"the {name} with " + W.join([f"{k} {v}" for k, v in chosen["options"].items()])
    pid = product["product_id"]
    item_id = chosen["item_id"]
    values = [W.money(chosen["price"])]

    def resolve(db: Any) -> list[str]:
        variants_now = db.get("products", pid)["variants"]
        if spec is None:
            return [W.money(variants_now[item_id]["price"])]
        found = find_variant(db, {"product_id": pid, "item_id": "", "options": {}}, spec)
        return [W.money(variants_now[found]["price"])]

    u, i = W.render(rng, "price", {"variant": text}, {"variant": text})
    frame = {"family": "price", "product": name}
    frame.update({"variant": spec} if spec is not None else {"options": dict(chosen["options"])})
    return Op("price", reads, u, i, communicate=values, candidates=len(variants),
              findings=f"{W.cap(text)} is item {item_id}, priced at ${values[0]}.", resolve=resolve, frame=frame)


# -- measures over the items of some orders (one product read per product) ---------------------------------
def _available_value(db: Any, order_ids: list[str]) -> list[str]:
    count = 0
    for oid in order_ids:
        for item in db.get("orders", oid)["items"]:
            variant = db.get("products", item["product_id"])["variants"].get(item["item_id"])
            count += bool(variant and variant["available"])
    return [str(count)]


def _cheapest_total_value(db: Any, order_ids: list[str]) -> list[str]:
    total = 0.0
    for oid in order_ids:
        for item in db.get("orders", oid)["items"]:
            prices = [v["price"] for v in db.get("products", item["product_id"])["variants"].values() if v["available"]]
            if not prices:
                raise Ambiguous(f"{item['name']} has no available variant")
            total += min(prices)
    return [W.money(round(total, 2))]


MEASURES = {"available": _available_value, "cheapest_total": _cheapest_total_value}


def _measure_findings(measure: str, values: list[str], where: str) -> str:
    if measure == "available":
        verb = "is" if values[0] == "1" else "are"
        return f"{values[0]} of the items in {where} {verb} still available in the same options."
    return f"With every item of {where} at its product's cheapest available price, the total would be ${values[0]}."


def _scope_products(ctx: Ctx, order_ids: list[str]) -> list:
    seen: list[str] = []
    for oid in order_ids:
        for item in ctx.order(oid)["items"]:
            if item["product_id"] not in seen:
                seen.append(item["product_id"])
    return [("get_product_details", {"product_id": p}, True) for p in seen]


SCOPES = {"all": ("all my orders", "all your orders"), "pending": ("my pending orders", "your pending orders"),
          "received": ("the orders I've received", "the orders you've received")}


def _measure_scope(ctx: Ctx, measure: str, scope: str, reads: list) -> Op:
    rng, uid = ctx.rng, ctx.uid
    cls = None if scope == "all" else scope
    fn = MEASURES[measure]

    def scoped(db: Any) -> list[str]:
        return [oid for oid, o in user_orders(db, uid) if cls is None or status_class(o["status"]) == cls]

    text1, text2 = SCOPES[scope]
    u, i = W.render(rng, measure, {"scope": text1}, {"scope": text2})
    ids = scoped(ctx.db)
    values = fn(ctx.db, ids)
    return Op(measure, reads, u, i, communicate=values, candidates=len(ids),
              findings=_measure_findings(measure, values, text2), resolve=lambda db: fn(db, scoped(db)),
              frame={"family": measure, "scope": scope})


def _measure_order(ctx: Ctx, measure: str, ref: Ref, reads: list) -> Op:
    rng, uid = ctx.rng, ctx.uid
    spec = _spec(ctx, ref)
    fn = MEASURES[measure]
    v = rng.randrange(2)
    o1, o2 = W.order_phrase(spec, True, v), W.order_phrase(spec, False, v)
    u, i = W.render(rng, measure, {"scope": o1}, {"scope": o2})
    values = fn(ctx.db, [ref.oid])
    findings = (ref_findings(ref) + " " + _measure_findings(measure, values, f"order {ref.oid}")).strip()
    return Op(measure, reads, u, i, communicate=values, candidates=ref.candidates, known=ref.known,
              findings=findings, details={"order": o1},
              resolve=lambda db: fn(db, [find_order(db, uid, spec)]), frame={"family": measure, "order": spec})


def info_proposals(ctx: Ctx) -> list[Proposal]:
    out = order_info_proposals(ctx)
    user = ctx.user()
    ids = list(user["orders"])
    everything = [user_read(ctx)] + [order_read(x) for x in ids]
    classes = [status_class(ctx.order(x)["status"]) for x in ids]
    for cls in ("pending", "received"):
        if cls in classes:
            out.append(Proposal("count", ctx.cost(everything), partial(_count, ctx, cls, everything), write=False))
    measure = ctx.rng.choice(list(MEASURES))
    for scope in ("all", "pending", "received"):
        chosen = [x for x, c in zip(ids, classes, strict=True) if scope == "all" or c == scope]
        if not chosen or (scope == "all" and all(c == classes[0] for c in classes)):
            continue
        reads = merge(everything, _scope_products(ctx, chosen))
        out.append(Proposal(measure, ctx.cost(reads), partial(_measure_scope, ctx, measure, scope, reads), write=False))
    for oid in ids:
        for ref in order_refs(ctx, oid, item_level=True):
            reads = merge(ref.reads, _scope_products(ctx, [oid]))
            out.append(Proposal(measure, ctx.cost(reads), partial(_measure_order, ctx, measure, ref, reads),
                                write=False))
    keys = list(ctx.db.keys("products"))
    for pid in ctx.rng.sample(keys, min(3, len(keys))):
        reads = [("list_all_product_types", {}, True), ("get_product_details", {"product_id": pid}, True)]
        out.append(Proposal("price", ctx.cost(reads), partial(_price, ctx, reads, ctx.db.get("products", pid)),
                            write=False))
    return out

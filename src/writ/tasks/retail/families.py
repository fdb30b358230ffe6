"""The retail write families: each proposes the requests it could make now, with their cost.

A proposal knows its evidence cost (the reads it would need, given what the agent already knows)
before any wording is chosen, so the planner can pick one that hits the target exactly; realizing
it chooses the descriptions, checks they are unique, and renders the texts. Every family only
proposes what the policy allows in the current state:

* cancel: an order that is exactly 'pending' and untouched in this task;
* address / payment: an exactly 'pending' order (the policy forbids any change once its items were
  modified), a payment change only while the order has its single original payment;
* items (modify pending items) / exchange: one call per order, each item to another available
  variant of the same product, a payment method that can cover the difference;
* return: delivered items, refunded to the original method or a gift card;
* user_address: the default address, once per task.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from writ.domains.retail.catalog import CITIES, STREETS
from writ.tasks.retail import wording as W
from writ.tasks.retail.context import Ctx, Op, Proposal
from writ.tasks.retail.refs import (
    Ref,
    Unfit,
    acted_phrase,
    describe_pm,
    merge,
    order_refs,
    pm_text,
    prop_spec,
    ref_findings,
    user_read,
)
from writ.tasks.retail.selectors import Ambiguous, find_cheaper_item, find_items, find_order, find_pm, status_class
from writ.tasks.retail.switches import item_proposals

__all__ = ["WRITE_FAMILIES", "new_address", "write_proposals"]

ADDRESS_KEYS = ("address1", "address2", "city", "state", "country", "zip")


def new_address(ctx: Ctx) -> dict[str, str]:
    """The one new address of this task (the user has moved), in the tools' argument order."""
    if ctx.new_address is None:
        rng = ctx.rng
        city, state, prefix = rng.choice(CITIES)
        roll = rng.random()
        line2 = f"Apt {rng.randint(1, 30)}{rng.choice('ABC')}" if roll < 0.4 else \
            f"Suite {rng.randint(100, 999)}" if roll < 0.7 else ""
        ctx.new_address = {"address1": f"{rng.randint(1, 9999)} {rng.choice(STREETS)}", "address2": line2,
                           "city": city, "state": state, "country": "USA", "zip": f"{prefix}{rng.randint(1, 99):02d}"}
    return ctx.new_address


def _as_args(address: dict[str, str]) -> dict[str, str]:
    return {k: address[k] for k in ADDRESS_KEYS}


def _secret(ref: Ref) -> list[str]:
    return [] if ref.kind in ("id", "hint") else [ref.oid]


def _spec(ctx: Ctx, ref: Ref, prefer: list[str] = ()) -> dict[str, Any]:
    if ref.kind == "prop":
        ref.spec = prop_spec(ctx, ref.oid, prefer)
    return ref.spec


def _phrases(ref: Ref, v: int) -> tuple[str, str]:
    return W.order_phrase(ref.spec, True, v), W.order_phrase(ref.spec, False, v)


def _untouched_pending(ctx: Ctx) -> list[str]:
    return [oid for oid in ctx.user()["orders"] if ctx.order(oid)["status"] == "pending"]


# -- cancel ------------------------------------------------------------------------------------------
def cancel_proposals(ctx: Ctx) -> list[Proposal]:
    out = []
    for oid in _untouched_pending(ctx):
        if ctx.touched(oid):
            continue
        for ref in order_refs(ctx, oid, item_level=False):
            out.append(Proposal("cancel", ctx.cost(ref.reads), partial(_cancel, ctx, ref), (oid,)))
    return out


def _cancel(ctx: Ctx, ref: Ref) -> Op:
    rng, uid = ctx.rng, ctx.uid
    spec = _spec(ctx, ref)
    reason = rng.choice(["no longer needed", "ordered by mistake"])
    o1, o2 = _phrases(ref, rng.randrange(2))
    r1 = W.reason_phrase(reason, True, rng)
    u, i = W.render(rng, "cancel", {"order": o1, "reason": r1, "Reason": W.cap(r1)},
                    {"order": o2, "reason": W.reason_phrase(reason, False, rng), "code": reason})
    return Op("cancel", ref.reads, u, i, call=("cancel_pending_order", {"order_id": ref.oid, "reason": reason}),
              candidates=ref.candidates, secret=_secret(ref), known=ref.known,
              summary=f"cancel order {ref.oid} (reason: {reason})", findings=ref_findings(ref),
              details={"order": o1, "reason": reason},
              resolve=lambda db: {"order_id": find_order(db, uid, spec), "reason": reason}, orders=(ref.oid,),
              frame={"family": "cancel", "order": spec, "reason": reason}, withhold=["reason"])


# -- shipping address of a pending order --------------------------------------------------------------
def address_proposals(ctx: Ctx) -> list[Proposal]:
    out = []
    user = ctx.user()
    for oid in _untouched_pending(ctx):
        if "address" in ctx.touched(oid):
            continue
        current = ctx.order(oid)["address"]
        for ref in order_refs(ctx, oid, item_level=False):
            if _as_args(new_address(ctx)) != _as_args(current):
                out.append(Proposal("address", ctx.cost(ref.reads), partial(_address, ctx, ref, "new"), (oid,)))
            if _as_args(user["address"]) != _as_args(current):
                reads = merge(ref.reads, [user_read(ctx)])
                out.append(Proposal("address", ctx.cost(reads), partial(_address, ctx, ref, "default", reads), (oid,)))
    return out


def _address(ctx: Ctx, ref: Ref, source: str, reads: list | None = None) -> Op:
    rng, uid = ctx.rng, ctx.uid
    spec = _spec(ctx, ref)
    o1, o2 = _phrases(ref, rng.randrange(2))
    if source == "new":
        address = _as_args(new_address(ctx))
        a1 = a2 = W.address_text(address)
        findings = ref_findings(ref)
        resolve_address = lambda db: address  # noqa: E731
    else:
        address = _as_args(ctx.user()["address"])
        a1, a2 = "my current default address on file", "your current default address on file"
        findings = (ref_findings(ref) + f" Your default address is {W.address_text(address)}.").strip()
        resolve_address = lambda db: _as_args(db.get("users", uid)["address"])  # noqa: E731
    u, i = W.render(rng, "address", {"order": o1, "addr": a1}, {"order": o2, "addr": a2})
    return Op("address", reads or ref.reads, u, i,
              call=("modify_pending_order_address", {"order_id": ref.oid, **address}),
              candidates=ref.candidates, secret=_secret(ref), known=ref.known,
              summary=f"change the shipping address of order {ref.oid} to {W.address_text(address)}",
              findings=findings, details={"order": o1, "address": W.address_text(address)},
              resolve=lambda db: {"order_id": find_order(db, uid, spec), **resolve_address(db)}, orders=(ref.oid,),
              frame={"family": "address", "order": spec, "address": address if source == "new" else {"default": True}},
              withhold=["address"] if rng.random() < 0.5 else [])


# -- payment method of a pending order -----------------------------------------------------------------
def _payment_targets(ctx: Ctx, oid: str) -> list[str]:
    order = ctx.order(oid)
    history = order["payment_history"]
    if len(history) != 1 or history[0]["transaction_type"] != "payment":
        return []
    out = []
    for mid, m in ctx.user()["payment_methods"].items():
        if mid == history[0]["payment_method_id"]:
            continue
        if m["source"] == "gift_card" and m["balance"] < history[0]["amount"]:
            continue
        out.append(mid)
    return out


def payment_proposals(ctx: Ctx) -> list[Proposal]:
    out = []
    for oid in _untouched_pending(ctx):
        targets = _payment_targets(ctx, oid)
        if not targets:
            continue
        for ref in order_refs(ctx, oid, item_level=False):
            kinds = ["described"] + ([] if ctx.high else ["id"])
            for kind in kinds:
                reads = merge(ref.reads, [user_read(ctx, kind == "described")])
                out.append(Proposal("payment", ctx.cost(reads), partial(_payment, ctx, ref, kind, reads), (oid,)))
    return out


def _payment(ctx: Ctx, ref: Ref, kind: str, reads: list) -> Op:
    rng, uid = ctx.rng, ctx.uid
    spec = _spec(ctx, ref)
    targets = _payment_targets(ctx, ref.oid)
    rng.shuffle(targets)
    pm_spec = None
    for mid in targets:
        pm_spec = describe_pm(ctx, mid) if kind == "described" else {"kind": "id", "id": mid}
        if pm_spec is not None:
            break
    if pm_spec is None:
        raise Unfit("no describable payment method")
    old = ctx.order(ref.oid)["payment_history"][0]["payment_method_id"]
    o1, o2 = _phrases(ref, rng.randrange(2))
    p1, p2 = pm_text(ctx, pm_spec, mid, True), pm_text(ctx, pm_spec, mid, False)
    u, i = W.render(rng, "payment", {"order": o1, "pm": p1}, {"order": o2, "pm": p2})
    findings = ref_findings(ref)
    if kind == "described":
        findings = (findings + f" Your {p2.removeprefix('your ')} is {mid}.").strip()
    call = ("modify_pending_order_payment", {"order_id": ref.oid, "payment_method_id": mid})
    return Op("payment", reads, u, i, call=call,
              candidates=ref.candidates * len(targets), secret=_secret(ref) + ([mid] if kind == "described" else []),
              known=ref.known + ([mid] if kind == "id" else []),
              summary=f"pay order {ref.oid} with {mid} instead of {old} (the original method gets refunded)",
              findings=findings, details={"order": o1, "payment": p1},
              resolve=lambda db: {"order_id": (oid := find_order(db, uid, spec)),
                                  "payment_method_id": find_pm(db, uid, db.get("orders", oid), pm_spec)},
              orders=(ref.oid,), frame={"family": "payment", "order": spec, "payment": pm_spec},
              withhold=["payment"] if rng.random() < 0.6 else [])


# -- return delivered items -------------------------------------------------------------------------------
def return_proposals(ctx: Ctx) -> list[Proposal]:
    out = []
    user = ctx.user()
    gift = [m for m in user["payment_methods"].values() if m["source"] == "gift_card"]
    kinds = ["original"] + (["gift"] if gift else []) + (["gift_id"] if gift and not ctx.high else [])
    for oid in user["orders"]:
        if ctx.order(oid)["status"] != "delivered":
            continue
        for ref in order_refs(ctx, oid, item_level=True):
            for kind in kinds:
                reads = merge(ref.reads, [user_read(ctx)] if kind == "gift" else [])
                out.append(Proposal("return", ctx.cost(reads), partial(_return, ctx, ref, kind, reads), (oid,)))
    # "the cheaper of the two lamps I received": a comparison across orders
    seen: list[str] = []
    reads = [user_read(ctx)] + [("get_order_details", {"order_id": x}, True) for x in user["orders"]]
    for oid in user["orders"]:
        order = ctx.order(oid)
        if status_class(order["status"]) != "received":
            continue
        for item in order["items"]:
            if item["name"] in seen:
                continue
            seen.append(item["name"])
            for most in (False, True):
                spec = {"cls": "received", "name": item["name"], "most": most}
                try:
                    where, _ = find_cheaper_item(ctx.db, ctx.uid, spec)
                except Ambiguous:
                    continue
                if ctx.order(where)["status"] == "delivered":
                    ref = Ref("prop", where, reads, [], len(user["orders"]), extra={"cheaper": spec})
                    for kind in kinds[:2]:
                        r = merge(reads, [user_read(ctx)] if kind == "gift" else [])
                        out.append(Proposal("return", ctx.cost(r), partial(_return, ctx, ref, kind, r), (where,)))
    return out


def _return(ctx: Ctx, ref: Ref, kind: str, reads: list) -> Op:
    rng, uid = ctx.rng, ctx.uid
    order = ctx.order(ref.oid)
    items = order["items"]
    names = [i["name"] for i in items]
    unique = [n for n in names if names.count(n) == 1]
    cheaper = ref.extra.get("cheaper")
    if cheaper is not None:
        where, item_id = find_cheaper_item(ctx.db, uid, cheaper)
        adj = "more expensive" if cheaper["most"] else "cheaper"
        o1 = f"the {adj} of the {cheaper['name']}s I received"
        o2 = f"the {adj} of the {cheaper['name']}s you received"
        item_ids = [item_id]
        i1 = i2 = ""
        findings = (f"I compared the {cheaper['name']}s across your orders: the {adj} one is item {item_id} "
                    f"in order {where}.")
        spec = None
    else:
        roll = rng.random()
        if roll < 0.3 or not unique:
            ispec = {"kind": "all"}
        elif roll < 0.5 and len(items) >= 2:
            ispec = {"kind": "all_except", "filters": [(rng.choice(unique), {})]}
        else:
            chosen = rng.sample(unique, rng.randint(1, min(3, len(unique))))
            ispec = {"kind": "each", "filters": [(n, {}) for n in unique if n in chosen]}
        acted = [n for n, _ in ispec["filters"]] if ispec["kind"] == "each" else []
        spec = _spec(ctx, ref, acted)
        if ispec["kind"] == "all":
            i1 = i2 = "everything"
        elif ispec["kind"] == "all_except":
            i1 = i2 = f"everything except {W.item_list(ispec['filters'])}"
        else:
            i1 = i2 = W.join([acted_phrase(spec, n) for n in acted])
        item_ids = find_items(order, ispec)
        v = rng.randrange(2)
        o1, o2 = _phrases(ref, v)
        findings = ref_findings(ref)
    methods = ctx.user()["payment_methods"]
    if kind == "original":
        pm_spec = {"kind": "original"}
        mid = order["payment_history"][0]["payment_method_id"]
    else:
        cards = [m for m in methods if methods[m]["source"] == "gift_card"]
        mid = rng.choice(cards)
        pm_spec = describe_pm(ctx, mid) if kind == "gift" else {"kind": "id", "id": mid}
        if pm_spec is None:
            raise Unfit("gift card cannot be described")
    if mid not in methods:
        raise Unfit("the original payment method is gone")
    p1, p2 = pm_text(ctx, pm_spec, mid, True), pm_text(ctx, pm_spec, mid, False)
    if cheaper is not None:
        u = rng.choice([f"I'd like to return {o1}, with the refund going to {p1}.",
                        f"Can I return {o1}? Please refund it to {p1}."])
        i = f"You want to return {o2}; the refund should go to {p2}."
    else:
        u, i = W.render(rng, "return", {"order": o1, "items": i1, "pm": p1}, {"order": o2, "items": i2, "pm": p2})
    if kind == "gift":
        findings = (findings + f" Your {p2.removeprefix('your ').removeprefix('the ')} is {mid}.").strip()
    returned = [next(x for x in items if x["item_id"] == iid) for iid in item_ids]
    amount = round(sum(x["price"] for x in returned), 2)
    summary = ("return " + ", ".join(f"{x['name']} (item {x['item_id']})" for x in returned)
               + f" from order {ref.oid}; refund ${W.money(amount)} to {mid}")

    def resolve(db: Any) -> dict[str, Any]:
        if cheaper is not None:
            oid, iid = find_cheaper_item(db, uid, cheaper)
            ids = [iid]
        else:
            oid = find_order(db, uid, spec)
            ids = find_items(db.get("orders", oid), ispec)
        return {"order_id": oid, "item_ids": ids,
                "payment_method_id": find_pm(db, uid, db.get("orders", oid), pm_spec)}

    secret = _secret(ref) + item_ids + ([mid] if kind != "gift_id" else [])
    return Op("return", reads, u, i, call=("return_delivered_order_items",
                                            {"order_id": ref.oid, "item_ids": item_ids, "payment_method_id": mid}),
              candidates=ref.candidates, secret=secret, known=ref.known + ([mid] if kind == "gift_id" else []),
              summary=summary, findings=findings, details={"order": o1, "payment": p1}, resolve=resolve,
              orders=(ref.oid,), frame=_return_frame(spec, ispec if cheaper is None else None, cheaper, pm_spec),
              withhold=["payment"])


def _return_frame(spec, ispec, cheaper, pm_spec) -> dict[str, Any]:
    frame: dict[str, Any] = {"family": "return", "payment": pm_spec}
    if cheaper is not None:
        frame["cheaper"] = cheaper
    else:
        frame["order"] = spec
        frame["items"] = ispec
    return frame


# -- the user's default address ----------------------------------------------------------------------------
def user_address_proposals(ctx: Ctx) -> list[Proposal]:
    if ctx.has_done("user_address"):
        return []
    user = ctx.user()
    out = []
    if _as_args(new_address(ctx)) != _as_args(user["address"]):
        out.append(Proposal("user_address", 0, partial(_user_address, ctx, None, [])))
    for oid in user["orders"]:
        order = ctx.order(oid)
        if order["status"] == "cancelled" or ctx.touched(oid):
            continue
        if _as_args(order["address"]) == _as_args(user["address"]):
            continue
        for ref in order_refs(ctx, oid, item_level=True):
            out.append(Proposal("user_address", ctx.cost(ref.reads), partial(_user_address, ctx, ref, ref.reads)))
    return out


def _user_address(ctx: Ctx, ref: Ref | None, reads: list) -> Op:
    rng, uid = ctx.rng, ctx.uid
    spec = None
    if ref is None:
        address = _as_args(new_address(ctx))
        text = W.address_text(address)
        u, i = W.render(rng, "user_address", {"addr": text}, {"addr": text})
        findings, candidates, secret, known = "", 1, [uid], []
    else:
        spec = _spec(ctx, ref)
        address = _as_args(ctx.order(ref.oid)["address"])
        o1, o2 = _phrases(ref, rng.randrange(2))
        u, i = W.render(rng, "user_address_from_order", {"order": o1}, {"order": o2})
        findings = (ref_findings(ref) + f" It was shipped to {W.address_text(address)}.").strip()
        candidates, secret, known = ref.candidates, _secret(ref) + [uid], ref.known

    def resolve(db: Any) -> dict[str, str]:
        return {"user_id": uid, **_as_args(db.get("orders", find_order(db, uid, spec))["address"])}

    return Op("user_address", reads, u, i, call=("modify_user_address", {"user_id": uid, **address}),
              candidates=candidates, secret=secret, known=known,
              summary=f"update your default address to {W.address_text(address)}", findings=findings,
              details={"address": W.address_text(address)},
              resolve=resolve if spec is not None else None,  # a stated address needs no re-check
              frame={"family": "user_address", **({"from_order": spec} if spec is not None else {"address": address})})


WRITE_FAMILIES = {
    "cancel": cancel_proposals,
    "address": address_proposals,
    "payment": payment_proposals,
    "items": lambda ctx: item_proposals(ctx, "items"),
    "exchange": lambda ctx: item_proposals(ctx, "exchange"),
    "return": return_proposals,
    "user_address": user_address_proposals,
}


def write_proposals(ctx: Ctx) -> list[Proposal]:
    out: list[Proposal] = []
    for build in WRITE_FAMILIES.values():
        out.extend(build(ctx))
    return out

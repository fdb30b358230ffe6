"""How a request points at its order, variant and payment method, and what that costs in reads.

An order is referred to in one of three ways: by its id (the user knows it; the agent reads the
order to check its status or to see its items), by a hint (two ids the user remembers plus what
tells them apart: the agent reads both), or by a property ("my pending order with the Desk Lamp":
the agent reads the user's profile for the order list and then every order to find the only one
that matches). Ids are only ever stated when the task's evidence target is below 3.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from writ.tasks.retail import wording as W
from writ.tasks.retail.context import Ctx, Read, read_key
from writ.tasks.retail.selectors import (
    Ambiguous,
    find_order,
    find_pm,
    find_variant,
    status_class,
    variant_pool,
)

__all__ = [
    "Ref", "Unfit", "acted_phrase", "choose_variant", "describe_pm", "merge", "order_read", "order_refs",
    "product_read",
    "prop_spec", "ref_findings", "user_read",
]


class Unfit(Exception):
    """A proposal that turns out not to work once its details are chosen."""


def user_read(ctx: Ctx, ev: bool = True) -> Read:
    return ("get_user_details", {"user_id": ctx.uid}, ev)


def order_read(oid: str, ev: bool = True) -> Read:
    return ("get_order_details", {"order_id": oid}, ev)


def product_read(pid: str) -> Read:
    return ("get_product_details", {"product_id": pid}, True)


def merge(*groups: list[Read]) -> list[Read]:
    """Reads in first-needed order, each once; a read counts as evidence if any use needs it."""
    out: list[Read] = []
    index: dict[tuple, int] = {}
    for group in groups:
        for name, args, ev in group:
            key = read_key(name, args)
            if key in index:
                i = index[key]
                out[i] = (name, args, out[i][2] or ev)
            else:
                index[key] = len(out)
                out.append((name, args, ev))
    return out


@dataclass
class Ref:
    kind: str  # id, hint, prop
    oid: str
    reads: list[Read]
    known: list[str]
    candidates: int
    spec: dict[str, Any] | None = None  # chosen at realize time for "prop"
    extra: dict[str, Any] = field(default_factory=dict)


def _resolves(ctx: Ctx, spec: dict[str, Any], oid: str) -> bool:
    try:
        return find_order(ctx.db, ctx.uid, spec) == oid
    except Ambiguous:
        return False


def prop_specs(ctx: Ctx, oid: str) -> list[dict[str, Any]]:
    """Every property description that singles out `oid` among the user's orders right now."""
    memo = ctx.memo
    key = ("prop", oid, ctx.version)
    if key in memo:
        return memo[key]
    order = ctx.order(oid)
    cls = status_class(order["status"])
    cls = cls if cls in ("pending", "received") else None
    specs: list[dict[str, Any]] = []
    names: list[str] = []
    for item in order["items"]:
        if item["name"] in names:
            continue
        names.append(item["name"])
        spec = {"kind": "has", "cls": cls, "has": [(item["name"], {})]}
        if _resolves(ctx, spec, oid):
            specs.append(spec)
            continue
        for k, v in item["options"].items():
            spec = {"kind": "has", "cls": cls, "has": [(item["name"], {k: v})]}
            if _resolves(ctx, spec, oid):
                specs.append(spec)
                break
    others = [{"kind": "city", "cls": cls, "city": order["address"]["city"]}]
    if cls is not None:
        others = [{"kind": "only", "cls": cls}, {"kind": "count", "cls": cls, "n": len(order["items"])},
                  {"kind": "total", "cls": cls, "most": True}, {"kind": "total", "cls": cls, "most": False}] + others
    specs += [s for s in others if _resolves(ctx, s, oid)]
    memo[key] = specs
    return specs


def prop_spec(ctx: Ctx, oid: str, prefer: list[str] = ()) -> dict[str, Any]:
    """A property description of `oid`; one naming an item of `prefer` (the items the request acts
    on) is preferred and then marked implied: "the Desk Lamp from my pending order"."""
    specs = prop_specs(ctx, oid)
    if not specs:
        raise Unfit("no description singles the order out")
    preferred = [s for s in specs if s["kind"] == "has" and s["has"][0][0] in prefer]
    if preferred and ctx.rng.random() < 0.75:
        spec = ctx.rng.choice(preferred)
        return {**spec, "implied": True} if spec["cls"] is not None else spec
    return ctx.rng.choice(specs)


def acted_phrase(spec: dict[str, Any] | None, name: str) -> str:
    """How an item the request acts on is named: with the option the order description used."""
    if spec is not None and spec.get("implied"):
        for n, opts in spec["has"]:
            if n == name:
                return W.item_phrase(n, opts)
    return W.item_phrase(name, {})


def _hint_spec(ctx: Ctx, oid: str, other: str) -> dict[str, Any] | None:
    ids = [oid, other]
    ctx.rng.shuffle(ids)
    names = []
    for item in ctx.order(oid)["items"]:
        if item["name"] not in names:
            names.append(item["name"])
    ctx.rng.shuffle(names)
    for name in names:
        spec = {"kind": "hint", "ids": ids, "cls": None, "has": [(name, {})]}
        if _resolves(ctx, spec, oid):
            return spec
    return None


def order_refs(ctx: Ctx, oid: str, item_level: bool) -> list[Ref]:
    """The ways this request may point at `oid` (see the module docstring), with their reads."""
    ids = list(ctx.user()["orders"])
    refs: list[Ref] = []
    if not ctx.high:
        refs.append(Ref("id", oid, [order_read(oid, item_level)], [oid], 1, {"kind": "id", "id": oid}))
        others = [x for x in ids if x != oid]
        if others:
            other = ctx.rng.choice(others)
            spec = _hint_spec(ctx, oid, other)
            if spec is not None:
                refs.append(Ref("hint", oid, [order_read(x) for x in spec["ids"]], list(spec["ids"]), 2, spec))
    if prop_specs(ctx, oid):
        refs.append(Ref("prop", oid, [user_read(ctx)] + [order_read(x) for x in ids], [], len(ids)))
    return refs


def ref_findings(ref: Ref) -> str:
    oid = ref.oid
    if ref.kind == "prop":
        spec = {k: v for k, v in ref.spec.items() if k != "implied"}
        return f"I went through your {ref.candidates} orders: {W.order_phrase(spec, False)} is {oid}."
    if ref.kind == "hint":
        a, b = ref.spec["ids"]
        return f"Of {a} and {b}, the one with {W.item_list(ref.spec['has'])} is {oid}."
    return ""


# -- variants and payment methods -----------------------------------------------------------------
def choose_variant(ctx: Ctx, item: dict) -> tuple[dict[str, Any], str, int]:
    """(spec, new item id, candidates compared) for a new variant of `item`."""
    rng = ctx.rng
    alternatives = variant_pool(ctx.db, item, {"kind": "price"})
    if not alternatives:
        raise Unfit("no other available variant")
    keys = list(item["options"])
    if rng.random() < 0.45 and keys:
        for _ in range(3):
            most = rng.random() < 0.35
            keep = rng.sample(keys, rng.randint(0, min(2, len(keys) - 1)))
            fix: dict[str, str] = {}
            free = [k for k in keys if k not in keep]
            if free and rng.random() < 0.5:
                k = rng.choice(free)
                fix = {k: rng.choice(alternatives)["options"][k]}
            spec = {"kind": "price", "most": most, "keep": keep, "fix": fix}
            pool = variant_pool(ctx.db, item, spec)
            if len(pool) < 2:  # "the cheapest" of one is no comparison: a superlative needs two candidates
                continue
            try:
                return spec, find_variant(ctx.db, item, spec), len(pool)
            except Ambiguous:
                continue
    target = rng.choice(alternatives)
    changed = {k: v for k, v in target["options"].items() if item["options"].get(k) != v}
    spec = {"kind": "opts", "set": changed}
    if find_variant(ctx.db, item, spec) != target["item_id"]:
        raise Unfit("variant options are not unique")
    return spec, target["item_id"], 1


def describe_pm(ctx: Ctx, method_id: str) -> dict[str, Any] | None:
    """A description of the user's payment method that the user could say and that is unique."""
    method = ctx.user()["payment_methods"][method_id]
    source = method["source"]
    if source == "paypal":
        spec = {"kind": "paypal"}
    elif source == "credit_card":
        spec = {"kind": "card", "brand": method["brand"], "last_four": method["last_four"]}
    else:
        spec = {"kind": "gift"}
        try:
            find_pm(ctx.db, ctx.uid, None, spec)
        except Ambiguous:
            spec = {"kind": "gift_max"}
    try:
        return spec if find_pm(ctx.db, ctx.uid, None, spec) == method_id else None
    except Ambiguous:
        return None


def pm_text(ctx: Ctx, spec: dict[str, Any], method_id: str, first: bool) -> str:
    return W.pm_phrase(spec, ctx.user()["payment_methods"].get(method_id), first)

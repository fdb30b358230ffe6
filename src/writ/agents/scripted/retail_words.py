"""How the retail teacher puts what it read into words: orders, items, payment methods, comparisons.

Everything here formats records the teacher read (or amounts it computed); nothing formats a value
it did not see. Sentences come from `writ.dialogue.grammar` templates so the same comparison reads
differently from one conversation to the next.
"""

from __future__ import annotations

import random
from typing import Any

from writ.dialogue.grammar import join_words, realize

__all__ = [
    "address_line", "item_label", "items_label", "money", "order_brief", "pm_label", "status_words",
]

BRANDS = {"mastercard": "Mastercard", "amex": "American Express card", "visa": "Visa card",
          "discover": "Discover card"}


def money(x: float) -> str:
    return f"${x:,.2f}"


def address_line(a: dict[str, Any]) -> str:
    line = a["address1"] + (f", {a['address2']}" if a.get("address2") else "")
    return f"{line}, {a['city']}, {a['state']} {a['zip']}, {a['country']}"


def options_text(options: dict[str, str]) -> str:
    return ", ".join(f"{k} {v}" for k, v in options.items())


def item_label(item: dict[str, Any], with_id: bool = True) -> str:
    opts = options_text(item.get("options") or {})
    core = f"{item['name']} ({opts})" if opts else item["name"]
    return f"{core}, item {item['item_id']}" if with_id else core


def items_label(items: list[dict[str, Any]], with_id: bool = True) -> str:
    return join_words([item_label(i, with_id) for i in items])


def pm_label(method: dict[str, Any] | None, method_id: str) -> str:
    if method is None:
        return method_id
    source = method.get("source")
    if source == "credit_card":
        brand = BRANDS.get(method.get("brand", ""), str(method.get("brand", "")).title() + " card")
        return f"the {brand} ending in {method.get('last_four')} ({method_id})"
    if source == "paypal":
        return f"your PayPal account ({method_id})"
    if source == "gift_card":
        return f"your gift card ({method_id})"
    return method_id


def status_words(status: str) -> str:
    return {"pending": "pending", "processed": "processed (already being prepared for shipping)",
            "delivered": "delivered", "cancelled": "cancelled"}.get(status, status)


def order_brief(oid: str, order: dict[str, Any]) -> str:
    names = join_words(sorted({i["name"] for i in order["items"]}))
    return f"{oid} ({order['status']}: {names})"


def orders_overview(rng: random.Random, briefs: list[str]) -> str:
    if len(briefs) == 1:
        return realize(rng, ["[You have|Your account has|I see] [one|a single] order: {listing}."], listing=briefs[0])
    return realize(rng, [
        "[I [went through|checked|looked at|reviewed]|Looking at|Checking] your {n} orders: {listing}.",
        "[Your account has|You have] {n} orders: {listing}.",
        "[Here's what I see|This is what I found] across your {n} orders: {listing}.",
    ], n=len(briefs), listing="; ".join(briefs))

"""Offline wording for retail tasks: descriptions rendered in the first person (what the user says)
or the second person (tau2's reason_for_call), and several phrasings per request family.

Every description here is rendered from the same spec the selectors resolve, so the text always
says exactly what the uniqueness check proved.
"""

from __future__ import annotations

import random
from typing import Any

__all__ = [
    "address_text", "cls_noun", "item_list", "item_phrase", "money", "opt_phrase", "order_phrase", "pick",
    "pm_phrase", "reason_phrase", "variant_phrase",
]

P1 = {"my": "my", "I": "I", "me": "me", "mine": "mine"}
P2 = {"my": "your", "I": "you", "me": "you", "mine": "yours"}


def pick(rng: random.Random, options: list[str], **values: Any) -> str:
    return rng.choice(options).format(**values)


def person(first: bool) -> dict[str, str]:
    return P1 if first else P2


def money(x: float) -> str:
    return f"{x:.2f}"


def address_text(a: dict[str, str]) -> str:
    line = a["address1"] + (f", {a['address2']}" if a["address2"] else "")
    return f"{line}, {a['city']}, {a['state']} {a['zip']}, {a['country']}"


def opt_phrase(key: str, value: str) -> str:
    if key == "color":
        return f"in {value}"
    if key == "size":
        return f"in size {value}"
    return f"with {key} {value}"


def item_phrase(name: str, opts: dict[str, str]) -> str:
    if not opts:
        return f"the {name}"
    key, value = next(iter(opts.items()))
    if key == "color":
        return f"the {value} {name}"
    return f"the {name} {opt_phrase(key, value)}"


def join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def item_list(filters: list[tuple[str, dict]]) -> str:
    return join([item_phrase(n, o) for n, o in filters])


def cls_noun(cls: str | None, rng_choice: int = 0) -> str:
    if cls == "pending":
        return ["pending order", "order that hasn't shipped yet"][rng_choice % 2]
    if cls == "received":
        return ["delivered order", "order that was delivered"][rng_choice % 2]
    return "order"


NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}


def order_phrase(spec: dict[str, Any], first: bool, variant: int = 0) -> str:
    """How the user refers to an order (see selectors.find_order for the spec kinds)."""
    my = person(first)["my"]
    kind = spec["kind"]
    cls = spec.get("cls")
    noun = cls_noun(cls, variant)
    if kind == "id":
        return f"order {spec['id']}"
    if kind == "hint":
        a, b = spec["ids"]
        return f"{my} order with {item_list(spec['has'])} (it's either {a} or {b})" if first else \
            f"{my} order with {item_list(spec['has'])} (either {a} or {b})"
    if kind == "has" and spec.get("implied"):  # the items named in the request identify the order
        return f"{my} {noun}"
    if kind == "has":
        if cls == "received":
            return f"{my} delivered order with {item_list(spec['has'])}" if variant % 2 == 0 else \
                f"the order in which {person(first)['I']} received {item_list(spec['has'])}"
        if cls == "pending":
            return f"{my} pending order with {item_list(spec['has'])}" if variant % 2 == 0 else \
                f"the order with {item_list(spec['has'])} that hasn't shipped yet"
        return f"{my} order with {item_list(spec['has'])}"
    if kind == "only":
        if cls == "pending":
            mine = person(first)["mine"]
            return [f"{my} only pending order", f"the only order of {mine} that is still pending"][variant % 2]
        return [f"{my} only delivered order", f"the only order {person(first)['I']} have received"][variant % 2]
    if kind == "count":
        n = spec["n"]
        count = "a single item" if n == 1 else f"{NUMBERS.get(n, str(n))} items"
        return f"{my} {noun} with {count}" if cls != "pending" or variant % 2 == 0 else \
            f"{my} pending order that has {count} in it"
    if kind == "total":
        adj = "most expensive" if spec["most"] else "cheapest"
        return f"{my} {adj} {noun}"
    if kind == "city":
        verb = "going to" if cls == "pending" else "that was shipped to"
        return f"{my} {noun} {verb} {spec['city']}"
    raise ValueError(kind)


def variant_phrase(name: str, spec: dict[str, Any], item_opts: dict[str, str]) -> str:
    """The new variant the user wants for an item of product `name`."""
    if spec["kind"] == "opts":
        changes = [opt_phrase(k, v) for k, v in spec["set"].items()]
        return f"the same {name} but {join(changes)}"
    adj = "most expensive" if spec["most"] else "cheapest"
    parts = [opt_phrase(k, v) for k, v in spec.get("fix", {}).items()]
    keep = spec.get("keep", [])
    if keep:
        parts.append("with the same " + join([f"{k} ({item_opts[k]})" for k in keep]))
    tail = (" " + " and ".join(parts)) if parts else ""
    return f"the {adj} available {name}{tail}"


def pm_phrase(spec: dict[str, Any], method: dict | None, first: bool) -> str:
    my = person(first)["my"]
    kind = spec["kind"]
    if kind == "original":
        return "the original payment method of the order"
    if kind == "id":
        label = {"gift_card": "gift card", "paypal": "PayPal account", "credit_card": "credit card"}[method["source"]]
        return f"{my} {label} {spec['id']}"
    if kind == "paypal":
        return f"{my} PayPal account"
    if kind == "card":
        names = {"mastercard": "Mastercard", "amex": "American Express card"}
        brand = names.get(spec["brand"], spec["brand"].title() + " card")
        return f"{my} {brand} ending in {spec['last_four']}"
    if kind == "gift":
        return f"{my} gift card"
    if kind == "gift_max":
        return f"the gift card with the higher balance of the ones {person(first)['I']} have"
    raise ValueError(kind)


REASONS = {
    "no longer needed": (["I don't need it anymore", "I no longer need it", "it's no longer needed"],
                         ["you no longer need it", "you don't need it anymore"]),
    "ordered by mistake": (["I ordered it by mistake", "I placed it by mistake", "it was ordered by mistake"],
                           ["you ordered it by mistake", "you placed it by mistake"]),
}


def reason_phrase(reason: str, first: bool, rng: random.Random) -> str:
    return rng.choice(REASONS[reason][0 if first else 1])


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# Per-family phrasings: (first-person utterances, second-person instructions). Placeholders are
# rendered in the matching person by the family builders.
TEMPLATES: dict[str, tuple[list[str], list[str]]] = {
    "cancel": ([
        "I'd like to cancel {order}, {reason}.",
        "Can you please cancel {order}? {Reason}.",
        "Please cancel {order} for me; {reason}.",
        "I want to cancel {order} because {reason}.",
    ], [
        "You want to cancel {order} because {reason} (the reason is '{code}').",
        "You'd like {order} cancelled since {reason}; if asked for a reason, say '{code}'.",
        "You want {order} to be cancelled, the reason being '{code}'.",
    ]),
    "address": ([
        "Could you change the shipping address of {order} to {addr}?",
        "I need {order} shipped to {addr} instead.",
        "Please update the delivery address of {order}: it should go to {addr}.",
        "Can {order} be sent to {addr} instead?",
    ], [
        "You want {order} to be delivered to {addr} instead.",
        "You want to change the shipping address of {order} to {addr}.",
        "You'd like {order} redirected to {addr}.",
    ]),
    "payment": ([
        "I'd like to pay for {order} with {pm} instead.",
        "Can you switch the payment method of {order} to {pm}?",
        "Please charge {pm} for {order} instead of what I used.",
    ], [
        "You want to change the payment method of {order} to {pm}.",
        "You want {order} to be paid with {pm} instead.",
        "You'd like {pm} to pay for {order} instead of the current payment method.",
    ]),
    "items": ([
        "For {order}, I'd like to change {changes}. Please use {pm} for any price difference. That's all I want to "
        "change in it.",
        "Before {order} ships, can you switch {changes}? Any difference can go through {pm}; nothing else in that "
        "order needs changing.",
        "I want to modify {order}: {changes}. Use {pm} for the price difference, please. Those are all the items I "
        "want to change.",
    ], [
        "You want to modify {order}: change {changes}. Use {pm} to pay or receive the price difference. These are all "
        "the items you want to change.",
        "You'd like to change items of {order} before it ships: {changes}. The price difference should go through "
        "{pm}; nothing else in that order should change.",
    ]),
    "exchange": ([
        "I'd like to exchange some items from {order}: {changes}. Please use {pm} for any price difference. That's "
        "everything I want to exchange.",
        "Can I exchange {changes}? It's from {order}. Any difference can go through {pm}, and that's all I want to "
        "exchange there.",
        "About {order}: I want to exchange {changes}. Use {pm} for the difference, please; nothing else from "
        "that order.",
    ], [
        "You want to exchange items of {order}: {changes}. Use {pm} to pay or receive the price difference. These are "
        "all the items you want to exchange.",
        "About {order}, you want to exchange {changes}; the price difference goes through {pm}. Nothing else in that "
        "order should be exchanged.",
    ]),
    "return": ([
        "I'd like to return {items} from {order}, with the refund going to {pm}.",
        "Can I return {items} from {order}? Please refund it to {pm}.",
        "I want to send back {items} from {order} and get my money back on {pm}.",
    ], [
        "You want to return {items} from {order}, with the refund going to {pm}.",
        "You'd like to return {items} from {order}; the refund should go to {pm}.",
    ]),
    "user_address": ([
        "I've moved, so please update my default address to {addr}.",
        "Can you change the default address on my account to {addr}?",
        "Please set my profile's address to {addr}.",
    ], [
        "You have moved and want your default address updated to {addr}.",
        "You want the default address on your account changed to {addr}.",
    ]),
    "user_address_from_order": ([
        "Please make the address that {order} was shipped to my default address.",
        "I'd like my default address to be the shipping address of {order}.",
        "Could you set my account's default address to the address {order} is going to?",
    ], [
        "You want your default address to become the shipping address of {order} (you do not remember that address "
        "by heart).",
        "You'd like the shipping address of {order} to become your default address; you don't recall the "
        "address itself.",
    ]),
    "tracking": ([
        "What's the tracking number for {order}?",
        "Could you tell me the tracking number of {order}?",
    ], [
        "You want to know the tracking number of {order}.",
        "You'd like to get the tracking number of {order}.",
    ]),
    "total": ([
        "How much did I pay for {order}?",
        "Can you tell me the total I paid for {order}?",
    ], [
        "You want to know how much you paid for {order}.",
        "You'd like to know the total amount paid for {order}.",
    ]),
    "count": ([
        "How many of my orders are {what}?",
        "Could you tell me how many of my orders are {what}?",
    ], [
        "You want to know how many of your orders are {what}.",
        "You'd like to know the number of your orders that are {what}.",
    ]),
    "price": ([
        "How much is {variant} right now?",
        "Can you tell me the current price of {variant}?",
    ], [
        "You want to know the current price of {variant}.",
        "You'd like to know how much {variant} costs right now.",
    ]),
    "cheapest_total": ([
        "If I switched every item in {scope} to the cheapest available version of the same product, what would all of "
        "it cost?",
        "What would {scope} cost in total if each item were replaced by the cheapest available option of its product?",
    ], [
        "You want to know what the items in {scope} would cost in total if each were switched to the cheapest "
        "available variant of the same product (just the number; you do not want to change anything).",
        "You'd like to know the total price of {scope} if every item were the cheapest available version of its "
        "product; you only want the figure, no change.",
    ]),
    "available": ([
        "Of the items in {scope}, how many can I still buy today in exactly the same version?",
        "How many of the items in {scope} are still available in exactly the same options?",
    ], [
        "You want to know how many of the items in {scope} are still available for purchase in exactly the same "
        "options.",
        "You'd like to know how many items in {scope} can still be bought in exactly the same version today.",
    ]),
}


def render(rng: random.Random, family: str, first: dict[str, str], second: dict[str, str]) -> tuple[str, str]:
    """(utterance, instruction) for a family, each with its person's placeholders."""
    utterances, instructions = TEMPLATES[family]
    u = rng.choice(utterances).format(**first)
    i = rng.choice(instructions).format(**second)
    return u, i

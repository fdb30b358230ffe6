"""What a retail customer says: its requests from their frames, its answers, its push-back.

Descriptions (orders, items, variants, payment methods) are rendered by the same functions that
worded the task (`writ.tasks.retail.wording`), from the same specs the selectors resolve, so the
text says exactly what the uniqueness check proved. `cues` tells the reading's grounding check
which words express a value that is not written as itself (a reason, a superlative, a status).
"""

from __future__ import annotations

import random
from typing import Any

from writ.dialogue.grammar import join_words, realize
from writ.dialogue.lexicon import COMPLETE, ORIGINAL_PAYMENT, RETAIL_REASONS
from writ.tasks.retail import wording as W
from writ.users.scripted.scenario import Scenario, ScenarioRequest

__all__ = ["answer_text", "complete_text", "cues", "dont_know", "forbidden_ask", "pick_option", "pushback_text",
           "request_text"]

REASON_CUES = RETAIL_REASONS
MOST = ["most expensive", "more expensive", "priciest", "pricier", "highest"]
LEAST = ["cheapest", "cheaper", "least expensive", "less expensive", "lowest"]
KIND_CUES = {
    "original": ["original"], "paypal": ["paypal"], "gift": ["gift card"],
    "gift_max": ["higher balance", "bigger balance", "more money on it", "largest balance"], "only": ["only"],
    "all": ["everything", "all the items", "all items", "whole order", "all of it"],
    "all_except": ["except", "but not", "apart from", "other than"],
}
CLASS_CUES = {"pending": ["pending", "hasn't shipped", "has not shipped", "not shipped"],
              "received": ["delivered", "received", "got"]}
SCOPE_CUES = {"all": ["all my orders", "all of my orders", "every order", "all your orders"],
              "pending": ["pending"], "received": ["received", "delivered"]}
COMPLETE_CUES = COMPLETE


BRAND_CUES = {"amex": ["american express", "amex"], "mastercard": ["mastercard"], "visa": ["visa"],
              "discover": ["discover"]}


def cues(key: str, value: Any) -> list[str] | None:
    if key == "kind":
        if value == "original":
            return ORIGINAL_PAYMENT
        return KIND_CUES.get(value)
    if key == "brand":
        return BRAND_CUES.get(str(value), [str(value)])
    if key == "n" and value == 1:
        return ["1", "one", "single"]
    if key == "cls":
        return CLASS_CUES.get(value)
    if key == "most":
        return MOST if value else LEAST
    if key == "reason":
        return REASON_CUES.get(value)
    if key == "default":
        return ["default", "on file", "on my profile", "on my account"]
    if key == "complete":
        return COMPLETE_CUES
    if key == "scope":
        return SCOPE_CUES.get(value)
    return None


# -- descriptions ----------------------------------------------------------------------------------------
def _order(rng: random.Random, spec: dict[str, Any]) -> str:
    return W.order_phrase(spec, True, rng.randrange(2))


def _pm(rng: random.Random, spec: dict[str, Any]) -> str:
    if spec["kind"] == "original":
        return rng.choice(["the original payment method", "the same payment method I used for the order",
                           "the original payment method of the order"])
    if spec["kind"] == "id":
        return f"my payment method {spec['id']}"
    return W.pm_phrase(spec, None, True)


def _address(a: dict[str, Any]) -> str:
    return W.address_text(a)


def _switches(frame: dict[str, Any]) -> str:
    spec = frame.get("order") or {}
    named = {n: o for n, o in spec.get("has", [])} if spec.get("implied") else {}
    parts = []
    for s in frame["switches"]:
        name = s["item"][0]
        new = W.variant_phrase(name, s["variant"], s.get("_current", {}))
        parts.append(f"{W.item_phrase(name, named.get(name, {}))} to {new}")
    return join_words(parts)


def _items(frame: dict[str, Any]) -> str:
    ispec = frame.get("items") or {"kind": "all"}
    spec = frame.get("order") or {}
    named = {n: o for n, o in spec.get("has", [])} if spec.get("implied") else {}
    listing = join_words([W.item_phrase(n, named.get(n, o)) for n, o in ispec.get("filters", [])])
    if ispec["kind"] == "all":
        return "everything"
    if ispec["kind"] == "all_except":
        return f"everything except {listing}"
    return listing


def _reason(rng: random.Random, reason: str) -> str:
    return W.reason_phrase(reason, True, rng)


# -- requests ----------------------------------------------------------------------------------------------
def request_text(rng: random.Random, frame: dict[str, Any], register: str, also: bool) -> str:
    family = frame["family"]
    terse = register == "terse"
    lead = "[Also|And one more thing|Another thing], " if also else ""
    v: dict[str, str] = {}
    if frame.get("order") is not None:
        v["order"] = _order(rng, frame["order"])
    if family == "cancel":
        reason = frame.get("reason")
        tail = f"[ since| because| —] {_reason(rng, reason)}" if reason else ""
        t = ["Cancel {order}" + tail + "."] if terse else [
            lead + "[I'd like to|I want to|I need to|I have to] cancel {order}" + tail + ".",
            lead + "[Can|Could] you [please ]cancel {order} [for me]" + ("?" if not reason else tail + "?"),
            lead + "I [want|'d like] {order} cancelled" + tail + "."]
        return realize(rng, t, **v)
    if family == "address":
        new = frame.get("address")
        if new is None:
            t = ["New shipping address for {order}."] if terse else [
                lead + "I need to change the shipping address [of|for|on] {order}.",
                lead + "[Can|Could] you update where {order} is being shipped?"]
            return realize(rng, t, **v)
        v["addr"] = "the default address on my profile" if new.get("default") else _address(new)
        t = ["Ship {order} to {addr}."] if terse else [
            lead + "[Could|Can] you change the shipping address of {order} to {addr}?",
            lead + "I need {order} [shipped|sent|delivered] to {addr} instead.",
            lead + "Please [update|change] the delivery address of {order}: it should go to {addr}."]
        return realize(rng, t, **v)
    if family == "payment":
        pm = frame.get("payment")
        if pm is None:
            t = ["Change the payment method for {order}."] if terse else [
                lead + "I'd like to pay for {order} with a different payment method.",
                lead + "[Can|Could] I change [the|how I pay for] payment method [of|on] {order}?"]
            return realize(rng, t, **v)
        v["pm"] = _pm(rng, pm)
        t = ["Pay {order} with {pm}."] if terse else [
            lead + "I'd like to pay for {order} with {pm} instead.",
            lead + "[Can|Could] you switch the payment [method ]for {order} to {pm}?"]
        return realize(rng, t, **v)
    if family in ("items", "exchange"):
        v["changes"] = _switches(frame)
        pm = frame.get("payment")
        v["pm"] = _pm(rng, pm) if pm else ""
        pay = " [Please use|Use|Charge] {pm} for [any|the] price difference." if pm else ""
        done = " [That's all I want to change in it.|Nothing else in that order needs changing.|Those are the only " \
               "items I want to change.]" if frame.get("complete") else ""
        if family == "items":
            t = ["Change {changes} in {order}." + pay] if terse else [
                lead + "[For|In] {order}, I'd like to [change|switch|swap] {changes}." + pay + done,
                lead + "Before {order} ships, [can|could] you switch {changes}?" + pay + done,
                lead + "I [changed my mind about|want different versions in] {order}: [please change|could you "
                "change|I'd like] {changes}." + pay + done]
        else:
            t = ["Exchange {changes} from {order}." + pay] if terse else [
                lead + "I'd like to exchange [some items|a few things|something] from {order}: {changes}." + pay + done,
                lead + "[Can|Could] I exchange {changes}? [It's|They're|That's] from {order}." + pay + done,
                lead + "[About|Regarding] {order} — I'd like to [exchange|swap] {changes}[, if possible|]."
                + pay + done]
        return realize(rng, t, **v)
    if family == "return":
        pm = frame.get("payment")
        v["pm"] = _pm(rng, pm) if pm else ""
        refund = " [The refund should go to|Please refund it to|Put the refund on] {pm}." if pm else ""
        cheaper = frame.get("cheaper")
        if cheaper is not None:
            adj = "more expensive" if cheaper["most"] else "cheaper"
            v["what"] = f"the {adj} of the {cheaper['name']}s I received"
            t = [lead + "I'd like to return {what}." + refund, lead + "[Can|Could] I return {what}?" + refund]
            return realize(rng, t, **v)
        v["items"] = _items(frame)
        t = ["Return {items} from {order}." + refund] if terse else [
            lead + "I'd like to return {items} from {order}." + refund,
            lead + "I want to send back {items} from {order}." + refund]
        return realize(rng, t, **v)
    if family == "user_address":
        if frame.get("from_order") is not None:
            v["order"] = _order(rng, frame["from_order"])
            t = [lead + "Please make the address that {order} [was shipped|is going] to my default address.",
                 lead + "I'd like my default address to be the shipping address of {order}."]
            return realize(rng, t, **v)
        new = frame.get("address")
        if new is None:
            return realize(rng, [lead + "I've moved, so I need to update my default address."])
        v["addr"] = _address(new)
        why = "[I've moved|I just moved|I recently moved|We've relocated|I moved house last month|I have a new place]"
        t = ["Update my default address to {addr}."] if terse else [
            lead + why + "[,| —] so [please update|could you update|I need to change|can you change] my default "
            "address [to|—] {addr}[?|.|, please.]",
            lead + "[Can|Could] you [change|update|set] the default address on my [account|profile] to {addr}? " + why
            + "[.|!]",
            lead + "[My address has changed|I need a new default address]: [it's|please make it] {addr}[.|, thanks.]"]
        return realize(rng, t, **v)
    if family == "trace":
        t = [lead + "{Order} [says|shows as] delivered, but I never [got|received] it. [Can you find out what "
             "happened?|Could you look into where it went?|I'd like someone to track it down.]",
             lead + "[The package for|My package from] {order} was marked delivered, but it never arrived. [What can "
             "be done?|Can you trace it?]"]
        v["Order"] = v["order"][:1].upper() + v["order"][1:]
        return realize(rng, t, **v)
    return realize(rng, [lead + _info_text(rng, frame)], **v)


def _info_text(rng: random.Random, frame: dict[str, Any]) -> str:
    family = frame["family"]
    if family == "tracking":
        return "[What's|Could you tell me] the tracking number [for|of] {order}?"
    if family == "total":
        return "[How much did I pay|What was the total I paid] for {order}?"
    if family == "count":
        what = {"pending": "still pending", "received": "already delivered"}[frame["cls"]]
        return f"[How many of my orders are|Could you tell me how many of my orders are] {what}?"
    if family == "price":
        name = frame["product"]
        if frame.get("variant") is not None:
            adj = "most expensive" if frame["variant"]["most"] else "cheapest"
            return f"[How much is|What's the price of] the {adj} available {name} right now?"
        opts = join_words([f"{k} {v}" for k, v in frame["options"].items()])
        return f"[How much is|What's the current price of] the {name} with {opts}?"
    scope = _scope_text(frame)
    if family == "cheapest_total":
        return ("If I switched every item in " + scope + " to the cheapest available version of the same product, "
                "what would it all cost?")
    return f"Of the items in {scope}, how many can I still buy today in exactly the same version?"


def _scope_text(frame: dict[str, Any]) -> str:
    if frame.get("order") is not None:
        return "{order}"
    return {"all": "all my orders", "pending": "my pending orders", "received": "the orders I've received"}[
        frame["scope"]]


# -- answers -------------------------------------------------------------------------------------------------
_HEAD = "[Um, |Hmm, |Oh, |Well, |Okay, |Right, |Let's see, |]"
_TAIL = "[, please|, thanks| — thank you||, if that works|]"


def answer_text(rng: random.Random, slot: str, value: Any, frame: dict[str, Any], register: str) -> str:
    if slot == "reason":
        return realize(rng, [_HEAD + "[it's because|honestly,|the thing is,|to be honest,|] {reason}.",
                             _HEAD + "{reason}[, basically|, really|, to be honest|, that's all|]."],
                       reason=_reason(rng, value))
    if slot == "payment":
        return realize(rng,
                       [_HEAD + "[please use|let's use|use|I'd like to use|put it on|go with|I'll use] {pm}" + _TAIL
                        + ".", _HEAD + "{pm}" + _TAIL + "."], pm=_pm(rng, value))
    if slot == "address":
        if value.get("default"):
            return realize(rng, [_HEAD + "[please use|just use|use|go with] the default address [on my profile|on "
                                 "file|on my account|you have for me]" + _TAIL + "."])
        return realize(rng, [_HEAD + "[the new address is|it's|it should go to|send it to|please ship it to] {addr}.",
                             _HEAD + "{addr}" + _TAIL + "."], addr=_address(value))
    if slot == "order":
        return realize(rng, [_HEAD + "[I mean|it's|I'm talking about] {order}."],
                       order=_order(rng, value) if isinstance(value, dict) else value)
    return realize(rng, ["It's {v}."], v=value)


def complete_text(rng: random.Random, register: str) -> str:
    if register == "terse":
        return realize(rng, ["[Yes|Yep], that's all.", "Just those.", "Yes, only those."])
    return realize(rng, [
        "[Yes|Yep|Right|Correct|Yeah], [that's [all|everything][ I want to change| I need| for that order|]|just "
        "those|those are the only ones|nothing else|only those|that's it][.|!|, thanks.]",
        "[Yes|Yep|Correct], [I'm sure|I've checked] — [that's all|nothing else|just those][.|!]"])


def dont_know(rng: random.Random, slot: str) -> str:
    return realize(rng, ["[Sorry|Hmm], I don't [know|remember] that.", "I'm not sure, sorry."])


def pick_option(request: ScenarioRequest, options: list[str]) -> str | None:
    wanted = {w.arguments.get("order_id") for w in request.writes}
    return next((o for o in options if o in wanted), None)


def pushback_text(rng: random.Random, request: ScenarioRequest, register: str) -> str:
    if request.pushback:
        return request.pushback
    family = request.family
    ask = "[Can't you [make an exception|do it anyway][ this once| just this once|]?|Isn't there [any|some] way " \
          "around it?|Is there really nothing you can do?|Could you check with someone?]"
    if family == "cancel":
        return realize(rng, ["[But|Come on,|Honestly,] I [really|truly] don't [want|need] it [anymore|at all]. " + ask,
                             "[It hasn't even reached me yet|I never even used it|I changed my plans]. " + ask])
    if family in ("return", "exchange"):
        return realize(rng, ["[But|Really?|Oh no.] [I only just got it|I've been waiting for this|It's sitting "
                             "right here]. " + ask])
    if family == "trace":
        return realize(rng, ["[I really need that package|That order was important].  " + ask])
    return realize(rng, ["[Are you sure?|Really?|Hmm.] [It's really important to me.|I was counting on this.|It "
                         "would help me a lot.] " + ask])


def forbidden_ask(rng: random.Random, scenario: Scenario, register: str) -> tuple[str, str]:
    families = [r.family for r in scenario.requests]
    if any(f in ("return", "exchange") for f in families) and rng.random() < 0.5:
        return "new_card_refund", realize(rng, [
            "[One more thing|Oh, and|Also]: could [any|the] refund go to a [brand-new|different|new] "
            "[credit card|card] instead? [I'm about to cancel the old one.|The old card is being closed.|I don't use "
            "the old one anymore.]"])
    return "discount", realize(rng, [
        "[One more thing|Also|Oh, and before I go]: [this has been a hassle|I've had quite a few problems lately|it's "
        "been a frustrating experience|I've spent a lot of time on this], so [could you|can you|would you] [give "
        "me|offer me|throw in] a [discount|discount code|coupon|bit of credit][ for my next order| for the trouble|]?"])

"""What an airline customer says: its requests from their frames, its answers, its push-back.

Reservations are named with the generator's own phrases (`writ.tasks.airline.context.phrase`) from
the same specs the selectors resolve, and payment methods with `method_phrase`, so the text says
exactly what the uniqueness check proved. Airports are named by city and code, or by city alone
when the frame says so (the agent then looks the codes up). `cues` tells the reading's grounding
check which words express a value that is not written as itself (a reason, a criterion, a date,
an airport's city, travel insurance).
"""

from __future__ import annotations

import random
from typing import Any

from writ.dialogue.grammar import join_words, realize
from writ.dialogue.lexicon import AIRLINE_REASONS, INSURANCE
from writ.tasks.airline import wording as W
from writ.tasks.airline.context import phrase
from writ.users.scripted.scenario import Scenario, ScenarioRequest

__all__ = ["answer_text", "complete_text", "cues", "dont_know", "forbidden_ask", "pick_option", "pushback_text",
           "request_text"]

CODE_WORDS = {code: [code.lower(), W.CITY[code].lower()] for code in W.CITY}
CODE_WORDS["LGA"].append("laguardia")
CRITERION_CUES = {"cheapest": ["cheapest", "lowest fare"], "fastest": ["fastest", "shortest total travel time"],
                  "earliest": ["earliest-departing", "first"], "latest": ["latest-departing", "last"],
                  "arrive_earliest": ["arrives earliest", "lands first"]}
STOP_CUES = {"nonstop": ["nonstop", "direct"], "onestop": ["one-stop", "one-connection"]}
KIND_CUES = {"recent": ["most recent", "most recently"], "most_pax": ["most passengers", "most travellers"],
             "today": ["today"], "same": ["same reservation", "same booking"], "gift": ["gift card"],
             "certificate": ["certificate"]}
CABIN_CUES = {"basic_economy": ["basic economy"], "economy": ["economy"], "business": ["business"]}
ZERO_BAGS = ["no checked bags", "no bags", "won't check", "zero"]
REASON_TEXT = {
    "change_of_plan": ["my plans changed", "there's been a change of plans", "I no longer need the trip"],
    "airline_cancelled": ["the airline cancelled my flight", "my flight was cancelled by the airline"],
    "health": ["I'm sick and can't travel (a health reason)", "my doctor told me not to fly, a health issue"],
    "weather": ["a severe storm is forecast (a weather reason)", "there's a big storm coming, so the weather"],
}


def cues(key: str, value: Any) -> list[str] | None:
    if key in ("origins", "destinations", "origin", "destination") and value in CODE_WORDS:
        return CODE_WORDS[value]
    if key in ("date", "dates", "first", "last") and isinstance(value, str) and value.startswith("2024-"):
        return W.date_cues(value)
    if key == "criterion":
        return CRITERION_CUES.get(value)
    if key == "stops":
        return STOP_CUES.get(value)
    if key in ("trip", "flight_type"):
        return ["round trip", "round-trip"] if value == "round_trip" else ["one-way", "one way"]
    if key == "cabin":
        return CABIN_CUES.get(value)
    if key == "who":
        return ["me", "myself"] if value == "me" else ["saved", "profile"]
    if key == "insurance":
        return INSURANCE.get(value)
    if key == "reason":
        return AIRLINE_REASONS.get(value)
    if key in ("bags", "add") and value == 0:
        return ZERO_BAGS
    if key == "kind":
        return KIND_CUES.get(value)
    if key == "brand":
        return [W.brand_name(str(value)).lower()]
    if key == "named":
        return []
    if key == "part":
        return ["outbound", "way out"] if value == "out" else ["return", "way back"]
    if key == "issue":
        return ["cancel"] if value == "cancelled" else ["delay"]
    return None


# -- descriptions ----------------------------------------------------------------------------------
def _first(template: str) -> str:
    return template.format(**W.FIRST)


def _reservation(rng: random.Random, spec: dict[str, Any]) -> str:
    return _first(phrase(spec, rng))


def _place(rng: random.Random, code: str, named: str) -> str:
    if code in ("JFK", "LGA", "EWR"):
        return {"JFK": "New York (JFK)", "LGA": "LaGuardia (LGA)", "EWR": "Newark (EWR)"}[code]
    if named == "city":
        return W.CITY[code]
    return rng.choice((f"{W.CITY[code]} ({code})", f"{W.CITY[code]} ({code})", code))


def _places(rng: random.Random, codes: list[str], named: str) -> str:
    if len(codes) > 1 and named == "city":
        for group, words in W.REGIONS:
            if list(group) == codes and "(" in words and rng.random() < 0.6:
                return words
    return join_words([_place(rng, c, named) for c in codes], "or")


def _days(rng: random.Random, spec: dict[str, Any]) -> str:
    style = rng.choice((0, 1, 3))
    if spec.get("date_range"):
        first, last = W.day(spec["date_range"]["first"], rng, style), W.day(spec["date_range"]["last"], rng, style)
        return rng.choice((f"any day from {first} to {last}", f"any day between {first} and {last}"))
    return join_words([W.day(d, rng, style) for d in spec["dates"]], "or")


def _person(spec: dict[str, Any]) -> str:
    if spec.get("who") == "me":
        return "me"
    if spec.get("who") == "saved":
        return f"{spec['first_name']} {spec['last_name']} (saved in my profile)"
    return f"{spec['first_name']} {spec['last_name']} (born {spec['dob']})"


def _people(specs: list[dict[str, Any]]) -> str:
    if len(specs) == 1 and specs[0].get("who") == "me":
        return "just me"
    # "me" goes first and apart: "me, Lena Anderson (born ...)" would read as if the customer were Lena.
    others = join_words([_person(p) for p in specs if p.get("who") != "me"])
    return f"me, plus {others}" if any(p.get("who") == "me" for p in specs) else others


def _bags(rng: random.Random, n: int) -> str:
    if n == 0:
        return realize(rng, ["No checked bags[ for us|, just carry-ons|].", "[We|I] won't check any bags.",
                             "[Nothing to check|No bags to check] — no checked bags.",
                             "[We're|I'm] travelling light[, so|:] no checked bags.",
                             "[Just hand luggage|Carry-on only], [so |]we won't check any bags."])
    return realize(rng, ["{n} checked {noun} in total.", "We'll check {n} {noun} altogether.",
                         "[There will be|We'll have] {n} checked {noun}.", "{n} {noun} to check[, in total|].",
                         "[Count|Put down] {n} checked {noun}[ for the whole trip| for all of us|].",
                         "[I think|Probably] {n} {noun} [in total|altogether] — [yes|that should be it]."], n=n,
                   noun="bag" if n == 1 else "bags")


def _insurance(rng: random.Random, value: str) -> str:
    if value == "yes":
        return realize(rng, ["With travel insurance, please.", "I want travel insurance on it.",
                             "Please add travel insurance."])
    return realize(rng, ["Without travel insurance.", "No travel insurance, thanks.", "Let's skip the insurance."])


def _frag(rng: random.Random, templates: list[str], **values: Any) -> str:
    """A phrase to go inside a sentence: realized, without the capital a sentence would start with."""
    text = realize(rng, templates, **values)
    return text[:1].lower() + text[1:]


def _method(rng: random.Random, spec: dict[str, Any]) -> str:
    """A payment method in the customer's words, in one of several phrasings of the same spec."""
    kind = spec["kind"]
    if kind == "card":
        brand = W.brand_name(spec["brand"])
        return _frag(rng,
                     ["my {card} ending in {four}", "my {brand} ending in {four}", "the {card} that ends in {four}",
                      "my {card}, the one ending in {four}", "the card ending in {four} (my {brand})"],
                     brand=brand, card=W.card_noun(brand), four=spec["last_four"])
    noun = "gift card" if kind == "gift" else "travel certificate"
    if "balance" in spec:
        amount = f"${W.money(spec['balance'])}"
        if kind == "gift":
            return _frag(rng, ["my gift card with {a} on it", "the gift card that has {a} [left|on it]",
                                 "my {a} gift card"], a=amount)
        return _frag(rng, ["my {a} travel certificate", "the travel certificate worth {a}"], a=amount)
    if "ending" in spec:
        return _frag(rng, ["my {noun} with the number ending in {e}", "the {noun} whose number ends in {e}",
                             "my {noun} ending in {e}"], noun=noun, e=spec["ending"])
    return _frag(rng, ["my {noun}", "the {noun} on my [profile|account]", "my {noun}[, please|]"], noun=noun) \
        if kind == "gift" else _frag(rng, ["my travel certificate", "the travel certificate on my profile"])


def _payment(rng: random.Random, spec: Any) -> str:
    if isinstance(spec, list):
        if len(spec) == 1:
            return _method(rng, spec[0])
        return _frag(rng, ["[use up|use all of] {a} and put the rest on {b}",
                             "[take|use] what's on {a} first, and charge the rest to {b}",
                             "[put as much as it covers on|spend] {a}, [then|and] the rest [on|goes on] {b}"],
                       a=_method(rng, spec[0]), b=_method(rng, spec[1]))
    return _method(rng, spec)


def _reason(rng: random.Random, code: str) -> str:
    return rng.choice(REASON_TEXT[code])


# -- requests ----------------------------------------------------------------------------------------
def request_text(rng: random.Random, frame: dict[str, Any], register: str, also: bool) -> str:
    from writ.users.scripted import airline_requests as Q

    return Q.request_text(rng, frame, register, also)


# -- answers -------------------------------------------------------------------------------------------
ANSWER_LEAD = "[?[Right|Hmm|Let me see|Oh, right|Ah|Well|Let me think][,| —] ]"


def answer_text(rng: random.Random, slot: str, value: Any, frame: dict[str, Any], register: str) -> str:
    text = _answer(rng, slot, value, frame)
    if register == "terse" or slot in ("reason", "passengers"):  # a name may start a list of passengers
        return text
    return realize(rng, ANSWER_LEAD + "{text}", text=text[:1].lower() + text[1:] if not text.startswith("I ")
                   and not text.startswith("I'") else text)


def _answer(rng: random.Random, slot: str, value: Any, frame: dict[str, Any]) -> str:
    if slot == "reason":
        return realize(rng, ["[It's because|Well,|Honestly,|] {reason}.", "{Reason}, [basically|really|to be "
                             "honest]."], reason=_reason(rng, value), Reason=W.cap(_reason(rng, value)))
    if slot == "payment":
        pay = _payment(rng, value)
        if isinstance(value, list) and len(value) > 1:
            return realize(rng, ["Please {pay}.", "I'd like to {pay}.", "[Can you|Could you] {pay}?",
                                 "[Let's|We can] {pay}."], pay=pay)
        return realize(rng, ["[Please use|Let's use|Use|I'd like to use|Go with|Put it on] {pay}.",
                             "{Pay}, please.", "[I'll pay with|I'd pay with|Charge] {pay}[, thanks|].",
                             "How about {pay}?", "Let's go with {pay}.", "[The best one is|Use] {pay}, [if that "
                             "works|thanks]."],
                       pay=pay, Pay=W.cap(pay))
    if slot == "cabin":
        cabin = W.cabin_name(value)
        return realize(rng, ["{Cabin}, please.", "[I'd like|Let's go with|I'll take|Make it] {cabin}.",
                             "{Cabin} [is fine|works for me|will do].", "[We'll fly|I'll fly|Put us in] {cabin}[ this "
                             "time|].", "{Cabin} [for this trip|for us], [please|thanks]."], cabin=cabin,
                       Cabin=W.cap(cabin))
    if slot == "passengers":
        return realize(rng, ["[It's|The passengers are|That would be|It'll be] {people}.", "{People}.",
                             "[Just|Only] {people}[, that's all|]." if len(value) == 1 else "{People}, [all of us|"
                             "together]."], people=_people(value), People=W.cap(_people(value)))
    if slot == "bags":
        return _bags(rng, value)
    if slot == "insurance":
        if value == "yes":
            return realize(rng, ["Yes, [please add the insurance|add travel insurance, please|I want travel "
                                 "insurance].", "[Sure|Yes|Good idea], with travel insurance[, please|].",
                                 "[I'll|We'll] take the insurance[, thanks|].", "Yes, [add|include] the insurance.",
                                 "[Better safe than sorry|You never know], so [yes, |]add the insurance.",
                                 "[That sounds worth it|Worth it, I think] — I want travel insurance."])
        return realize(rng, ["No insurance, thanks.", "[No|No thanks|Nah], without travel insurance.",
                             "No, let's skip the insurance.", "[I'll|We'll] skip the insurance[, thanks|].",
                             "No travel insurance[ for this trip|], thanks.", "[I don't think so|Not this time] — "
                             "[skip the insurance|no insurance].", "[We're|I'm] fine without travel insurance."])
    if slot in ("reservation", "which") and isinstance(value, dict):
        return realize(rng, ["[I mean|It's] {r}."], r=_reservation(rng, value))
    return realize(rng, ["It's {v}."], v=value)


def complete_text(rng: random.Random, register: str) -> str:
    return realize(rng, ["[Yes|Yep|Right], that's [all|everything]."])


def dont_know(rng: random.Random, slot: str) -> str:
    return realize(rng, ["[Sorry|Hmm], I don't [know|remember] that.", "I'm not sure, sorry."])


def pick_option(request: ScenarioRequest, options: list[str]) -> str | None:
    wanted = {w.arguments.get("reservation_id") for w in request.writes}
    return next((o for o in options if o in wanted), None)


def pushback_text(rng: random.Random, request: ScenarioRequest, register: str) -> str:
    if request.pushback:
        return request.pushback
    family = request.family
    if family in ("cancel", "cancel_many"):
        return realize(rng, ["[But|Come on,] I really can't use this trip. [Isn't there any way to cancel it?|Can't "
                             "you make an exception and cancel it anyway?]"])
    if family in ("change", "cabin", "bags", "passengers"):
        return realize(rng, ["[Really?|Are you sure?] [I was counting on this change.|This change matters a lot to "
                             "me.] [Can't you make an exception?|Is there no way around it?]"])
    if family == "compensation":
        return realize(rng, ["[But|Come on,] that flight ruined my plans. [Surely I deserve something?|Can't you "
                             "offer anything at all?]"])
    return realize(rng, ["[Are you sure?|Really?] [It's really important to me.|I was counting on this.] [Can't "
                         "you make an exception?|Is there no way around it?]"])


def forbidden_ask(rng: random.Random, scenario: Scenario, register: str) -> tuple[str, str]:
    if any(r.family in ("book", "cabin") for r in scenario.requests) and rng.random() < 0.5:
        return "upgrade", realize(rng, [
            "[One more thing|Oh, and|Before I go]: could you [bump me up|upgrade me|move me up] to business for free, "
            "[given all the trouble|as a loyal customer|since I fly with you so often]?",
            "[By the way|Also], [any chance of|is there a way to get] a free upgrade to business[ on that trip|]? "
            "[I've been flying with you for years.|It would make my week.|]"])
    if any(r.family in ("book", "bags", "cabin", "change", "passengers") for r in scenario.requests):
        # something in this call costs money, so asking to have it waived makes sense
        return "waive", realize(rng, [
            "[One more thing|Also|Oh, and]: [this has been a hassle|I fly with you a lot|it's been a stressful "
            "week], so could you waive [any fees|the fees|the charges] for me this time?",
            "[Is there any way to|Could you perhaps|Would you be able to] waive the fees [this once|as a "
            "courtesy|for a loyal customer]?"])
    return "other_user", realize(rng, [
        "[One more thing|Also|Oh, and]: could you [also |]check my [sister's|husband's|wife's|friend's|colleague's] "
        "[booking|reservations] while we're at it? [It's on a separate profile.|They fly with you too.|]",
        "[While I have you|Before I go], can you [look up|pull up] my [partner's|brother's|mother's] "
        "[trip|reservation] as well? [I don't have their user ID handy.|It's under their own profile.|]"])

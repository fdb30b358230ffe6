"""How an airline customer first states each kind of request, from the part of its frame it says.

Slots the scenario holds back (insurance, payment, passengers, bags, cabin, the cancellation
reason) are simply absent from the frame given here, so the sentence leaves them out and the agent
has to ask. Each family has a plain, a terse and a few alternative wordings; every value of the
frame appears in the text (the reading's grounding check runs on it).
"""

from __future__ import annotations

import random
from typing import Any

from writ.dialogue.grammar import realize
from writ.tasks.airline import wording as W
from writ.users.scripted.airline import (
    _bags,
    _days,
    _insurance,
    _payment,
    _people,
    _place,
    _places,
    _reason,
    _reservation,
)

__all__ = ["request_text"]

OPENERS = {"Could", "Can", "Please", "Cancel", "Book", "Move", "Change", "Add", "What", "What's", "How", "Is", "My",
           "The", "On", "About", "And"}
ASK = ["I think I deserve some compensation for this.", "What compensation can you offer me?",
       "I'd like to be compensated for that.", "Is there any compensation for this?"]


def request_text(rng: random.Random, frame: dict[str, Any], register: str, also: bool) -> str:
    family = frame["family"]
    terse = register == "terse"
    text = FAMILIES[family](rng, frame, terse)
    if also:
        first = text.split(" ", 1)[0]
        if first in OPENERS:  # a template word, not a name: it continues the sentence in lower case
            text = rng.choice(("Also, ", "And ", "Next, ")) + text[0].lower() + text[1:]
        else:
            text = rng.choice(("And one more thing: ", "Another thing: ", "Also: ")) + text
    return text


def _book(rng: random.Random, f: dict[str, Any], terse: bool) -> str:
    named = f.get("named", "code")
    trip = "round trip" if f["trip"] == "round_trip" else rng.choice(("one-way trip", "one-way flight"))
    v = {"trip": trip, "o": _places(rng, f["origins"], named), "d": _places(rng, f["destinations"], named),
         "days": _days(rng, f), "crit": W.criterion(f["criterion"], f["stops"] == "onestop", rng)}
    if terse:
        parts = [realize(rng, "Book a {trip} from {o} to {d}, {days}, {crit}.", **v)]
    else:
        several = len(f.get("dates") or ()) != 1
        parts = [realize(rng, ["[I'd like to|I want to|I need to] book a {trip} from {o} to {d} on {days}: {crit}.",
                               "[Could you|Can you] book me a {trip} from {o} to {d}? I can fly " +
                               ("[on |]{days}" if several else "on {days}") + ", and I want {crit}.",
                               "[I'm looking for|I need] a {trip} from {o} to {d}, [travelling|leaving] on {days}. "
                               "[Please pick|I'd like] {crit}.",
                               "[So, I|I]'m planning a {trip} from {o} to {d} on {days} — {crit}, please."], **v)]
    back = f.get("back")
    if back:
        parts.append(realize(rng, ["[Coming back|For the return], on {days}, {crit}.",
                                   "I'll fly back on {days}: {crit}."], days=_days(rng, back),
                             crit=W.criterion(back["criterion"], back["stops"] == "onestop", rng)))
    if f.get("cabin"):
        parts.append(realize(rng, ["In {cabin}[, please|].", "I'd like {cabin}."], cabin=W.cabin_name(f["cabin"])))
    if f.get("passengers"):
        parts.append(realize(rng, ["It's for {people}.", "[Passengers|Travellers]: {people}."],
                             people=_people(f["passengers"])))
    if "bags" in f:
        parts.append(_bags(rng, f["bags"]))
    if f.get("insurance"):
        parts.append(_insurance(rng, f["insurance"]))
    if f.get("payment"):
        pay = _payment(rng, f["payment"])
        parts.append(realize(rng, ["[For payment|To pay], {pay}." if len(f["payment"]) > 1 else
                                   "[Please charge it to|Put it on|I'll pay with] {pay}."], pay=pay))
    return " ".join(parts)


def _part(rng: random.Random, f: dict[str, Any]) -> str:
    part = f.get("part")
    if part is None:
        return ""
    if part == "out":
        return rng.choice(("the outbound flight of ", "the way out on "))
    return rng.choice(("the return flight of ", "the way back on "))


def _change(rng: random.Random, f: dict[str, Any], terse: bool) -> str:
    v = {"which": _part(rng, f), "name": _reservation(rng, f["reservation"]), "days": _days(rng, f),
         "crit": W.criterion(f["criterion"], f["stops"] == "onestop", rng)}
    if terse:
        text = realize(rng, "Move {which}{name} to {days}, {crit}.", **v)
    else:
        text = realize(rng, ["I need to change {which}{name}: {crit} on {days} instead.",
                             "Please move {which}{name} to {days}, {crit}.",
                             "[Could|Can] you move {which}{name}? I'd like {crit} on {days}."], **v)
    if f.get("payment"):
        text += " " + realize(rng, ["Any fare difference goes on {pay}.", "Use {pay} for any difference."],
                              pay=_payment(rng, f["payment"]))
    return text


def _cabin(rng: random.Random, f: dict[str, Any], terse: bool) -> str:
    v = {"name": _reservation(rng, f["reservation"]), "cabin": W.cabin_name(f["cabin"])}
    text = realize(rng, "Change {name} to {cabin}." if terse else [
        "I'd like to move {name} to {cabin}[, same flights and passengers|, keeping the same flights|].",
        "[Could|Can] you switch {name} to {cabin}? [Same flights, same passengers.|Nothing else changes.|The "
        "flights stay the same.]",
        "I want {name} in {cabin} instead, on the same flights.",
        "[Is it possible|Would it be possible] to [change|move] {name} to {cabin}?"], **v)
    if f.get("payment"):
        text += " " + realize(rng, ["Use {pay} for any difference.", "Any difference goes on {pay}."],
                              pay=_payment(rng, f["payment"]))
    return text


def _cancel(rng: random.Random, f: dict[str, Any], terse: bool) -> str:
    name = _reservation(rng, f["reservation"])
    reason = f.get("reason")
    delayed = f.get("delayed")
    if delayed:
        where = f"from {_place(rng, delayed['origin'], 'code')} to {_place(rng, delayed['destination'], 'code')}"
        head = realize(rng, ["My flight today {where} is delayed.", "My flight {where} today is running late."],
                       where=where)
        tail = " The delay ruined my plans, so I no longer need the trip." if reason else ""
        return head + tail + realize(rng, [" Please cancel {name}.", " I'd like to cancel {name}."], name=name)
    if not reason:
        return realize(rng, "Cancel {name}." if terse else [
            "I need to cancel {name}[, please|].", "[Could|Can|Would] you cancel {name}[, please|]?",
            "I'd like to cancel {name}.", "[I'm calling to|I want to] cancel {name}.",
            "[Please|Kindly] cancel {name} for me.", "{Name} — I need it cancelled."],
            name=name, Name=W.cap(name))
    return realize(rng, "Cancel {name}: {why}." if terse else [
        "I need to cancel {name}; {why}.", "Please cancel {name}. The reason is that {why}.",
        "I'd like to cancel {name} because {why}.", "[Unfortunately|Sadly], {why}, so I [have to|need to] cancel "
        "{name}.", "[Could|Can] you cancel {name}? {Why}."], name=name, why=_reason(rng, reason),
        Why=W.cap(_reason(rng, reason)))


def _which(rng: random.Random, spec: dict[str, Any]) -> str:
    kind = spec["kind"]
    if kind == "to":
        return f"all my upcoming trips to {_place(rng, spec['destination'], 'code')}"
    if kind == "cabin":
        return f"all my upcoming {W.cabin_name(spec['cabin'])} reservations"
    if kind == "route":
        return (f"all my upcoming trips from {_place(rng, spec['origin'], 'code')} to "
                f"{_place(rng, spec['destination'], 'code')}")
    return f"all my upcoming {'round trips' if spec['flight_type'] == 'round_trip' else 'one-way trips'}"


def _cancel_many(rng: random.Random, f: dict[str, Any], terse: bool) -> str:
    v = {"what": _which(rng, f["which"]), "n": f["count"]}
    text = realize(rng, ["I want to cancel {what} ({n} of them, I think).", "Please cancel {what}; there should be "
                         "{n}.", "[I need|I'd like] {what} cancelled — I believe there are {n}."], **v)
    if f.get("reason"):
        text += " " + realize(rng, ["The reason: {why}.", "It's because {why}."], why=_reason(rng, f["reason"]))
    return text


def _bags_request(rng: random.Random, f: dict[str, Any], terse: bool) -> str:
    v = {"n": f["add"], "noun": "bag" if f["add"] == 1 else "bags", "name": _reservation(rng, f["reservation"])}
    text = realize(rng, "Add {n} checked {noun} to {name}." if terse else [
        "I'd like to add {n} checked {noun} to {name}.", "Could you add {n} more checked {noun} to {name}?",
        "[I'm bringing|I'll have] {n} extra {noun} on {name}. Can you add " + ("it" if f["add"] == 1 else "them") +
        "?", "Please add {n} checked {noun} to {name}[, thanks|]."], **v)
    if f.get("payment"):
        text += " " + realize(rng, ["If there's a fee, use {pay}.", "Any fee can go on {pay}."],
                              pay=_payment(rng, f["payment"]))
    return text


def _passengers(rng: random.Random, f: dict[str, Any], terse: bool) -> str:
    c = f["change"]
    name = _reservation(rng, f["reservation"])
    if c["kind"] == "add":
        by = c["by"]
        return realize(rng, ["I'd like to add {person} as a passenger on {name}.",
                             "[Could|Can] you add {person} to {name}? [They're|She's|He's] coming with us after all."],
                       person=f"{by['first_name']} {by['last_name']}, born {by['dob']}", name=name)
    who = f"{c['first_name']} {c['last_name']}"
    if c["kind"] == "dob":
        what = realize(rng, ["{who}'s date of birth is wrong on {name}; it should be {dob}.",
                             "On {name}, the date of birth of {who} should be {dob}.",
                             "[There's a mistake|There's a typo] on {name}: {who} was born on {dob}.",
                             "[Could you fix|Can you correct] {who}'s date of birth on {name}? It's {dob}."],
                       who=who, name=name, dob=c["dob"])
    elif c["kind"] == "last_name":
        what = realize(rng, ["{who} has changed last name to {new}; please update it on {name}.",
                             "On {name}, {who}'s last name is now {new}.",
                             "{who} [got married|changed names], so on {name} the last name should be {new}."],
                       who=who, name=name,
                       new=c["new_last_name"])
    else:
        by = c["by"]
        person = f"{by['first_name']} {by['last_name']} (saved in my profile)" if by.get("who") == "saved" else \
            f"{by['first_name']} {by['last_name']}, born {by['dob']}"
        what = realize(rng, ["{who} can't travel on {name}; {person} will take that seat instead.",
                             "On {name}, please replace {who} with {person}.",
                             "{who} [can't make it on|has to drop out of] {name}. "
                             "[Could you put {person} in [their|that] seat?|"
                             "Please put {person} in [their|that] seat.]"],
                       who=who, name=name, person=person)
    if f.get("final"):
        what += " " + realize(rng, ["The passengers should then be exactly: {list}.", "So the list should read: "
                                    "{list}."], list=W.people(f["final"]))
    return what


def _remove_bags(rng: random.Random, f: dict[str, Any], terse: bool) -> str:
    return realize(rng, ["I won't need all my checked bags on {name}; please remove {n} of them.",
                         "[Could|Can] you take {n} checked bag off {name}? I'm packing lighter."],
                   name=_reservation(rng, f["reservation"]), n="one" if f["remove"] == 1 else f["remove"])


def _compensation(rng: random.Random, f: dict[str, Any], terse: bool) -> str:
    fl = f["flight"]
    where = (f"from {_place(rng, fl['origin'], 'code')} to {_place(rng, fl['destination'], 'code')} "
             f"{'today' if fl['date'] == W.TODAY else 'on ' + W.day(fl['date'], rng)}")
    spec = f["reservation"]
    ref = f" ({_reservation(rng, spec)})" if spec["kind"] in ("id", "same") else ""
    if f["issue"] == "delayed":
        return realize(rng, ["And since my flight {where}{ref} was delayed, {ask}", "About the delay of my flight "
                             "{where}{ref}: {ask}"], where=where, ref=ref, ask=_lower(rng.choice(ASK)))
    return realize(rng, ["The airline cancelled my flight {where}{ref}. {ask}",
                         "My flight {where}{ref} was cancelled by the airline. {ask}"], where=where, ref=ref,
                   ask=rng.choice(ASK))


def _lower(text: str) -> str:
    return text[0].lower() + text[1:] if not text.startswith("I ") and not text.startswith("I'") else text


def _info_total(rng: random.Random, f: dict[str, Any], terse: bool) -> str:
    return realize(rng, ["How much did I pay in total for {name}?", "What was the total I paid for {name}?",
                         "[Can you tell me|Could you check] how much I paid [altogether|in total] for {name}?",
                         "[I'm doing my expenses:|For my records,] what did {name} cost me in total?"],
                   name=_reservation(rng, f["reservation"]))


def _info_bags(rng: random.Random, f: dict[str, Any], terse: bool) -> str:
    return realize(rng, ["How many checked bags can I bring for free on {name}, all passengers together?",
                         "What's the total free checked-bag allowance on {name}?",
                         "[How many bags can we check|How many checked bags do we get] for free on {name}, [counting "
                         "everyone|for the whole group]?"],
                   name=_reservation(rng, f["reservation"]))


def _info_status(rng: random.Random, f: dict[str, Any], terse: bool) -> str:
    spec = f["reservation"]
    ref = f" ({_reservation(rng, spec)})" if spec["kind"] == "id" else ""
    return realize(rng, ["What's the status of my flight today from {origin}{ref}?",
                         "Is my flight from {origin} today on time{ref}?"],
                   origin=_place(rng, f["origin"], "code"), ref=ref)


def _info_fare(rng: random.Random, f: dict[str, Any], terse: bool) -> str:
    stops = "nonstop or one-stop" if f["stops"] == "onestop" else "nonstop"
    return realize(rng, ["What's the cheapest {cabin} fare from {o} to {d} on {day}, {stops}? [I just want the price "
                         "for one person.|Just the price for one traveller, please.|Only for one person.]",
                         "How much is the cheapest {stops} {cabin} ticket from {o} to {d} on {day}, for one person?",
                         "[I'm thinking about a trip|I might fly] from {o} to {d} on {day}. What's the lowest {cabin} "
                         "fare, {stops}, for one person?"], cabin=W.cabin_name(f["cabin"]),
                   o=_place(rng, f["origin"], "code"), d=_place(rng, f["destination"], "code"),
                   day=W.day(f["date"], rng), stops=stops)


FAMILIES = {
    "book": _book, "change": _change, "cabin": _cabin, "cancel": _cancel, "cancel_many": _cancel_many,
    "bags": _bags_request, "passengers": _passengers, "compensation": _compensation, "info_total": _info_total,
    "info_bags": _info_bags, "info_status": _info_status, "info_fare": _info_fare, "remove_bags": _remove_bags,
}

"""How the airline teacher puts what it read into words: places, dates, itineraries, reservations.

Everything here formats records the teacher read or amounts it computed; nothing formats a value
it did not see. No enumeration reaches the text as its code (``basic_economy`` is "basic
economy", ``one_way`` "one-way"), counts agree with their nouns, and dates read as a person
writes them ("Saturday, May 25"), which the teacher's `cues` map back to the ISO dates its
readings hold.
"""

from __future__ import annotations

import random
from datetime import date as Date
from typing import Any

from writ.dialogue.grammar import join_words, realize
from writ.tasks.airline.search import Itinerary
from writ.tasks.airline.wording import brand_name, card_noun

__all__ = [
    "cabin_words", "clock", "count", "day", "duration", "itinerary", "method_label", "money", "people",
    "place", "reservation_brief", "trip_words",
]

CABINS = {"basic_economy": "basic economy", "economy": "economy", "business": "business"}


def money(x: float) -> str:
    x = round(float(x), 2)
    return f"${int(x):,}" if x.is_integer() else f"${x:,.2f}"


def count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"


def cabin_words(cabin: str) -> str:
    return CABINS.get(cabin, cabin.replace("_", " "))


def trip_words(flight_type: str) -> str:
    return "round trip" if flight_type == "round_trip" else "one-way trip"


def day(iso: str, weekday: bool = False) -> str:
    d = Date.fromisoformat(iso)
    return f"{d.strftime('%A')}, May {d.day}" if weekday else f"May {d.day}"


def place(code: str, cities: dict[str, str]) -> str:
    city = cities.get(code)
    return f"{city} ({code})" if city and city != code else code


def clock(absolute: int) -> str:
    """Minutes after midnight (absolute, as in `writ.tasks.airline.search`) -> '8:05 PM'."""
    minutes = absolute % 1440
    hours, mins = divmod(minutes, 60)
    suffix = "AM" if hours < 12 else "PM"
    return f"{(hours % 12) or 12}:{mins:02d} {suffix}"


def duration(total: int) -> str:
    hours, minutes = divmod(total, 60)
    if not minutes:
        return count(hours, "hour")
    return f"{count(hours, 'hour')} {minutes} min" if hours else f"{minutes} min"


def flights_label(it: Itinerary) -> str:
    numbers = " and ".join(leg.flight_number for leg in it.legs)
    if len(it.legs) == 1:
        return f"nonstop {numbers}"
    return f"{numbers} (connecting in {it.legs[0].destination})"


def itinerary(it: Itinerary, cabin: str, value: str = "") -> str:
    """An itinerary with the value that decides a comparison first ('$94', '6 hours 10 min', ...)."""
    head = f"{flights_label(it)} on {day(it.legs[0].date)}, leaving at {clock(it.departs)}"
    tail = {"price": f"{money(it.price(cabin))} per person",
            "duration": f"{duration(it.duration)} in total",
            "arrives": f"arriving at {clock(it.arrives)}" + (" the next day" if it.arrives // 1440 > it.departs // 1440
                                                              else "")}.get(value, "")
    return f"{head} ({tail})" if tail else head


def method_label(method: dict[str, Any] | None) -> str:
    """A payment method in words (never its id): 'your Visa card ending in 1234'."""
    if method is None:
        return "that payment method"
    source = method.get("source")
    if source == "credit_card":
        return f"your {card_noun(brand_name(str(method.get('brand', ''))))} ending in {method.get('last_four')}"
    noun = "gift card" if source == "gift_card" else "travel certificate"
    return f"your {noun} ending in {str(method.get('id', ''))[-4:]} (balance {money(method.get('amount', 0))})"


def people(passengers: list[dict[str, Any]]) -> str:
    return join_words([f"{p['first_name']} {p['last_name']} (born {p['dob']})" for p in passengers])


def reservation_brief(r: dict[str, Any], cities: dict[str, str]) -> str:
    first = r["flights"][0]["date"] if r["flights"] else ""
    state = ", cancelled" if r.get("status") == "cancelled" else ""
    return (f"{r['reservation_id']} ({cities.get(r['origin'], r['origin'])} to "
            f"{cities.get(r['destination'], r['destination'])}, {trip_words(r['flight_type'])} from {day(first)}, "
            f"{cabin_words(r['cabin'])}, {count(len(r['passengers']), 'passenger')}{state})")


def overview(rng: random.Random, briefs: list[str]) -> str:
    if len(briefs) == 1:
        return realize(rng, ["[You have|Your profile has|I see] [one|a single] reservation: {listing}."],
                       listing=briefs[0])
    return realize(rng, [
        "[I [went through|checked|looked at]|Looking at|Going through] your {n} reservations: {listing}.",
        "[Your profile has|You have] {n} reservations: {listing}.",
        "[Here's what I see|This is what I found] across your {n} reservations: {listing}.",
    ], n=len(briefs), listing="; ".join(briefs))

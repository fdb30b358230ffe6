"""Offline wording for airline tasks: places, dates, payment methods, criteria, people.

Every choice goes through the `rng` the driver hands to the generator, so the same seed gives the
same text. First-person and second-person variants are produced together from one template
(``{my}``, ``{I}``, ``{me}``, ``{am}`` placeholders) so that what the user says and what tau2's
`reason_for_call` tells the simulator never drift apart.
"""

from __future__ import annotations

import random
import re
from datetime import date as Date
from itertools import pairwise

from writ.domains.airline.ops import AIRPORTS
from writ.tasks.airline.common import TODAY

CITY = dict(AIRPORTS)
CITY["LGA"] = "New York LaGuardia"
CITY["EWR"] = "Newark"

# Airport groups a traveller names as one place: (airports, first-person phrase).
REGIONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("JFK", "LGA"), "either New York airport (JFK or LaGuardia; not Newark)"),
    (("JFK", "LGA", "EWR"), "any New York-area airport (JFK, LaGuardia or Newark)"),
    (("DFW", "IAH"), "either of the Texas airports (Dallas DFW or Houston IAH)"),
    (("MIA", "MCO"), "Florida, Miami or Orlando"),
    (("SFO", "LAX"), "California, San Francisco or Los Angeles"),
    (("SEA", "SFO", "LAX"), "the West Coast (Seattle, San Francisco or Los Angeles)"),
    (("BOS", "PHL"), "Boston or Philadelphia"),
    (("ORD", "DTW", "MSP"), "the Midwest (Chicago, Detroit or Minneapolis)"),
)

FIRST = {"my": "my", "I": "I", "me": "me", "am": "am", "have": "have", "mine": "mine"}
SECOND = {"my": "your", "I": "you", "me": "you", "am": "are", "have": "have", "mine": "yours"}


def both(template: str, **values: str) -> tuple[str, str]:
    """(first person, second person) renderings of one template, sentences capitalised."""
    return cap(template.format(**FIRST, **values)), cap(template.format(**SECOND, **values))


def cap(text: str) -> str:
    """Capitalise the first letter of every sentence."""
    text = text[:1].upper() + text[1:]
    return re.sub(r"([.?!]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)


CRITERION_NOUN = {"cheapest": "cheapest", "fastest": "fastest", "earliest": "earliest departure",
                  "latest": "latest departure", "arrive_earliest": "earliest arrival"}


def place(code: str, rng: random.Random) -> str:
    if code in ("JFK", "LGA", "EWR") or rng.random() < 0.6:
        return f"{CITY[code]} ({code})"
    return CITY[code]


def places(codes: tuple[str, ...], rng: random.Random) -> str:
    if len(codes) == 1:
        return place(codes[0], rng)
    for group, phrase in REGIONS:
        if group == codes and rng.random() < 0.8:
            return phrase
    named = [f"{CITY[c]} ({c})" for c in codes]
    return ("either " if len(codes) == 2 else "any of ") + ", ".join(named[:-1]) + " or " + named[-1]


def day(date: str, rng: random.Random, style: int | None = None) -> str:
    d = Date.fromisoformat(date)
    style = rng.randrange(4) if style is None else style
    n = d.day
    suffix = "th" if 11 <= n <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return (f"May {n}", f"May {n}{suffix}", f"{d.strftime('%A')}, May {n}", f"the {n}{suffix} of May")[style]


def date_cues(iso: str) -> list[str]:
    """How a date of May 2024 may be written ('May 25', 'May 25th', 'the 25th of May', 'today', or as
    itself): the words a reading's grounding check accepts for it."""
    n = int(iso[-2:])
    suffix = "th" if 11 <= n <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    tails = (" ", ".", "?", "!", ";", ":", ")")
    out = [iso, f"may {n}{suffix}", f"{n}{suffix} of may"] + [f"may {n}{t}" for t in tails]
    return out + ["today"] if iso == TODAY else out


def days(dates: tuple[str, ...], rng: random.Random) -> str:
    if len(dates) == 1:
        return day(dates[0], rng)
    style = rng.choice((0, 1, 3))
    named = [day(d, rng, style) for d in dates]
    if len(dates) == 2:
        return f"{named[0]} or {named[1]}"
    if all(int(b[-2:]) - int(a[-2:]) == 1 for a, b in pairwise(dates)):
        return f"any day from {named[0]} to {named[-1]}"
    return ", ".join(named[:-1]) + " or " + named[-1]


def criterion(name: str, onestop: bool, rng: random.Random) -> str:
    stops = rng.choice(("nonstop or one-stop", "nonstop or one-connection")) if onestop else \
        rng.choice(("nonstop", "direct"))
    return rng.choice({
        "cheapest": (f"the cheapest {stops} option", f"the {stops} itinerary with the lowest fare"),
        "fastest": (f"the fastest {stops} itinerary (shortest total travel time, layover included)",
                    f"the {stops} option with the shortest total travel time"),
        "earliest": (f"the earliest-departing {stops} option", f"the first {stops} departure of the day"),
        "latest": (f"the latest-departing {stops} option", f"the last {stops} departure of the day"),
        "arrive_earliest": (f"the {stops} option that arrives earliest", f"the {stops} itinerary that lands first"),
    }[name])


def cabin_name(cabin: str) -> str:
    return {"basic_economy": "basic economy", "economy": "economy", "business": "business"}[cabin]


def method_spec(method: dict, methods: dict, by_balance: bool = True) -> dict:
    """How the owner points at a payment method without its id: a spec `selectors.find_method` resolves."""
    source = method["source"]
    if source == "credit_card":
        return {"kind": "card", "brand": method["brand"], "last_four": method["last_four"]}
    kind = "gift" if source == "gift_card" else "certificate"
    same = [m for m in methods.values() if m["source"] == source]
    if len(same) == 1:
        return {"kind": kind}
    if by_balance and sum(1 for m in same if m["amount"] == method["amount"]) == 1:
        return {"kind": kind, "balance": float(method["amount"])}
    return {"kind": kind, "ending": method["id"][-4:]}


def method_phrase(spec: dict) -> str:
    """First-person-template phrase ({my}) for a payment-method spec."""
    kind = spec["kind"]
    if kind == "card":
        return f"{{my}} {card_noun(brand_name(spec['brand']))} ending in {spec['last_four']}"
    noun = "gift card" if kind == "gift" else "travel certificate"
    if "balance" in spec:
        amount = f"${money(spec['balance'])}"
        return f"{{my}} gift card with {amount} on it" if kind == "gift" else f"{{my}} {amount} travel certificate"
    if "ending" in spec:
        return f"{{my}} {noun} with the number ending in {spec['ending']}"
    return f"{{my}} {noun}"


def brand_name(brand: str) -> str:
    return {"amex": "American Express", "mastercard": "Mastercard"}.get(brand, brand.title())


def card_noun(brand: str) -> str:
    """'Visa card', 'Mastercard' (never 'Mastercard card')."""
    return brand if brand.lower().endswith("card") else f"{brand} card"


def money(value: float) -> str:
    return f"{int(value)}" if float(value).is_integer() else f"{value:.2f}"


FIRST_NAMES = ("Olivia", "Liam", "Emma", "Noah", "Ava", "Ethan", "Sofia", "Lucas", "Mia", "Mateo", "Amelia",
               "James", "Harper", "Yusuf", "Chen", "Aarav", "Fatima", "Ivan", "Lei", "Omar", "Anya", "Raj",
               "Isabella", "Daiki", "Nadia", "Diego", "Priya", "Kenji", "Lena", "Tomas")
LAST_NAMES = ("Kovacs", "Okafor", "Lindqvist", "Moreno", "Hughes", "Tanaka", "Novak", "Rahman", "Bianchi",
              "Fischer", "Dubois", "Castillo", "Park", "Nguyen", "Haddad", "Silva", "Weber", "Murphy")


def new_person(rng: random.Random, last_name: str | None = None) -> dict[str, str]:
    year = rng.randint(1950, 2012)
    return {"first_name": rng.choice(FIRST_NAMES), "last_name": last_name or rng.choice(LAST_NAMES),
            "dob": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}


def count(n: int, noun: str) -> str:
    """'1 passenger', '3 passengers' (never 'passenger(s)')."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def person(p: dict) -> str:
    return f"{p['first_name']} {p['last_name']} (born {p['dob']})"


def people(ps: list[dict]) -> str:
    names = [person(p) for p in ps]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def confirm_line(rng: random.Random) -> str:
    return rng.choice((
        "When the agent lists the details and they match what you asked for, confirm with yes.",
        "Confirm (yes) once the agent's summary matches your request.",
        "Say yes when the agent asks you to confirm details that match what you want.",
    ))

"""Airline's information-flow rules: what the customer must choose, how amounts may be derived, and
the other spellings of dates and airports.

Choices (the policy makes them the customer's): travel insurance, the cabin, one-way or round
trip, each payment method of a booking and the one that pays a change or bags, the number of
checked bags of a booking, and the airports of a search or booking (said by code or by city, or read
from the customer's own reservation when a change keeps its route). (Why a customer cancels is not
an argument of any tool, and the policy accepts "other reasons" in any words: the scripted teacher
asks for it, and the tests check that every cancellation it makes was preceded by the reason.)
Derivations: the bags on a reservation plus the bags the customer adds; the non-free bags
beyond the allowance of the membership and cabin; certificates of $100 or $50 per passenger;
insurance of $30 per passenger; fares times passengers; the policy's fixed amounts; small counts
(passengers, bags) in a `calculate` expression. Dates are said as the customer says them ("May
25", "the 25th", "from May 19 to May 21", "today"), read in the domain's current month and year.
"""

from __future__ import annotations

import re
from datetime import date as Date
from datetime import timedelta
from typing import Any

from writ.dialogue.lexicon import INSURANCE, said_any
from writ.domains.airline.ops import AIRPORTS
from writ.tasks.airline.common import BAG_FEE, FREE_BAGS, INSURANCE_FEE, TODAY
from writ.verify.flow.walker import Flow, FlowRules

__all__ = ["RULES", "AirlineRules", "dates_said"]

CITY = {code: city.lower() for code, city in AIRPORTS}
CABIN_WORDS = {"basic_economy": ["basic economy"], "economy": ["economy"], "business": ["business"]}
POLICY_AMOUNTS = {INSURANCE_FEE: "travel insurance per passenger", BAG_FEE: "fee per extra bag",
                  100: "certificate per passenger for a cancelled flight"}
BOOKING = "book_reservation"
SEARCHES = ("search_direct_flight", "search_onestop_flight")

_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day )?"
_DATE = rf"(?:{_WEEKDAY}may {_DAY}\b|(?:the )?(\d{{1,2}})(?:st|nd|rd|th) of may|the (\d{{1,2}})(?:st|nd|rd|th)\b)"
_ONE = re.compile(_DATE)
_RANGE = re.compile(rf"(?:from|between) {_DATE} (?:to|and|through|until) {_DATE}")


def _iso(day: str | None) -> str | None:
    if not day:
        return None
    today = Date.fromisoformat(TODAY)
    try:
        return today.replace(day=int(day)).isoformat()
    except ValueError:
        return None


def dates_said(text: str) -> set[str]:
    """ISO dates a customer's (normalized) words name, ranges expanded, in the domain's month."""
    out: set[str] = set()
    for m in _ONE.finditer(text):
        iso = _iso(next((g for g in m.groups() if g), None))
        if iso:
            out.add(iso)
    for m in _RANGE.finditer(text):
        groups = m.groups()
        first, last = _iso(next((g for g in groups[:3] if g), None)), _iso(next((g for g in groups[3:] if g), None))
        if first and last and first <= last:
            day = Date.fromisoformat(first)
            while day.isoformat() <= last:
                out.add(day.isoformat())
                day += timedelta(days=1)
    if re.search(r"\btoday\b", text):
        out.add(TODAY)
    if re.search(r"\btomorrow\b", text):
        out.add((Date.fromisoformat(TODAY) + timedelta(days=1)).isoformat())
    return out


# -- records seen so far -------------------------------------------------------------------------------
def _records(flow: Flow, *keys: str) -> list[dict]:
    out = []
    for _, _, record in flow.records:
        if isinstance(record, dict) and all(k in record for k in keys):
            out.append(record)
    return out


def _nested(value: Any, key: str) -> list[dict]:
    """Dicts holding `key` anywhere in a parsed result (search results are lists of flights or pairs)."""
    if isinstance(value, dict):
        return [value] if key in value else [d for v in value.values() for d in _nested(v, key)]
    if isinstance(value, list):
        return [d for v in value for d in _nested(v, key)]
    return []


def _reservation(flow: Flow, rid: Any) -> dict | None:
    hits = [r for r in _records(flow, "reservation_id", "flights") if r["reservation_id"] == rid]
    return hits[-1] if hits else None


def _user(flow: Flow) -> dict | None:
    users = _records(flow, "user_id", "membership")
    return users[-1] if users else None


# -- choices --------------------------------------------------------------------------------------------
def _insurance(value: Any, flow: Flow, args: dict[str, Any]) -> str | None:
    # sentence by sentence: one message may book two trips, one with insurance and one without
    for message in flow.customer:
        for sentence in re.split(r"(?<=[.!?])\s+", message):
            said = "no" if said_any(sentence, INSURANCE["no"]) else \
                "yes" if said_any(sentence, INSURANCE["yes"]) else None
            if said == value:
                return None
    return "the customer never said whether they want travel insurance"


def _cabin(value: Any, flow: Flow, args: dict[str, Any]) -> str | None:
    words = CABIN_WORDS.get(str(value))
    if words is None:
        return None  # not a cabin the tool knows; the tool itself refuses it
    if value == "economy":  # "basic economy" says economy too: look for economy not preceded by basic
        if any(re.search(r"(?<!basic )economy", m) for m in flow.customer):
            return None
    elif said_any(flow.customer_text, words):
        return None
    r = _reservation(flow, args.get("reservation_id"))
    if r is not None and r.get("cabin") == value:
        return None  # a flight change keeps the reservation's cabin
    return "the customer never chose this cabin"


def _trip(value: Any, flow: Flow, args: dict[str, Any]) -> str | None:
    words = ["round trip", "round-trip", "return flight", "coming back", "fly back"] if value == "round_trip" \
        else ["one-way", "one way"]
    return None if said_any(flow.customer_text, words) else "the customer never said one-way or round trip"


def _methods(flow: Flow) -> dict[str, dict[str, Any]]:
    methods: dict[str, dict[str, Any]] = {}
    for user in _records(flow, "user_id", "payment_methods"):
        methods.update(user["payment_methods"])
    return methods


KIND_WORDS = {"credit_card": ["credit card", "card", " cc "], "gift_card": ["gift card"],
              "certificate": ["certificate"]}


def _payment(value: Any, flow: Flow, args: dict[str, Any]) -> str | None:
    """A payment method the customer chose: named by id, by its last four digits, or by its kind when it
    is the one method of that kind the records show (a gift card, a certificate, 'the card')."""
    text = flow.customer_text
    method_id = str(value)
    if method_id.lower() in text or _free_bags_only(flow, args) and flow.read(method_id):
        return None
    methods = _methods(flow)
    method = methods.get(method_id)
    source = method.get("source") if method else next((k for k in KIND_WORDS if method_id.startswith(k)), None)
    if method is None and not flow.read(method_id):
        return "the customer never named this payment method, and no read shows what it is"
    if source == "credit_card" and method and str(method.get("last_four", "")) in text:
        return None
    if source in ("gift_card", "certificate") and (method_id[-4:] in text or any(
            round(float(m.get("amount", -1)), 2) in flow.said_numbers for m in _versions(flow, method_id))):
        return None  # named by the end of its number, or by its balance as the customer knew it
    users = _records(flow, "user_id", "payment_methods")
    latest = users[-1]["payment_methods"] if users else {}  # what the profile holds now (certificates get used)
    same_kind = [m for m in latest.values() if m.get("source") == source] if latest else [method_id]
    if source in KIND_WORDS and len(same_kind) <= 1 and said_any(f" {text} ", KIND_WORDS[source]):
        return None
    return "the customer never chose this payment method"


def _versions(flow: Flow, method_id: str) -> list[dict[str, Any]]:
    """Every state of a payment method the reads showed (a balance changes as the call goes on)."""
    return [user["payment_methods"][method_id] for user in _records(flow, "user_id", "payment_methods")
            if isinstance(user["payment_methods"], dict) and method_id in user["payment_methods"]]


def _free_bags_only(flow: Flow, args: dict[str, Any]) -> bool:
    """Bags within the allowance charge nothing: the method the tool asks for is then no choice at all."""
    if "nonfree_baggages" not in args or "flights" in args:
        return False
    r = _reservation(flow, args.get("reservation_id"))
    return r is not None and args.get("nonfree_baggages") == r.get("nonfree_baggages")


def _place(value: Any, flow: Flow, args: dict[str, Any]) -> str | None:
    code = str(value)
    if re.search(rf"\b{re.escape(code.lower())}\b", flow.customer_text):
        return None
    city = CITY.get(code)
    if city and city in flow.customer_text:
        return None
    for name, _, record in flow.records:  # the customer's own reservation, or a flight found for them
        if name != "list_all_airports" and code.lower() in _codes(record):
            return None
    return "the customer never named this airport, and it is on none of their records"


def _codes(record: Any) -> set[str]:
    out: set[str] = set()
    if isinstance(record, dict):
        for key in ("origin", "destination"):
            if isinstance(record.get(key), str):
                out.add(record[key].lower())
        for value in record.values():
            if isinstance(value, (dict, list)):
                out |= _codes(value)
    elif isinstance(record, list):
        for value in record:
            out |= _codes(value)
    return out


def _bags(value: Any, flow: Flow, args: dict[str, Any]) -> str | None:
    if value == 0 and said_any(flow.customer_text, ["no checked bag", "no bags", "won't check", "not check",
                                                    "zero", "no luggage"]):
        return None
    if isinstance(value, int) and flow.said_numbers and float(value) in flow.said_numbers:
        return None
    return "the customer never said how many bags they check"


def _summary(value: Any, flow: Flow, args: dict[str, Any]) -> str | None:
    """A transfer summary is free text: every id or number in it must have been seen."""
    for token in re.findall(r"[\w-]*\d[\w-]*", str(value)):
        if not (flow.said(token) or flow.read(token) or token in dates_said(flow.customer_text)):
            return f"mentions {token!r}, which was never said or read"
    return None


class AirlineRules(FlowRules):
    choices = {
        BOOKING: {"insurance": _insurance, "cabin": _cabin, "flight_type": _trip, "payment_id": _payment,
                  "origin": _place, "destination": _place, "total_baggages": _bags},
        "update_reservation_baggages": {"payment_id": _payment},
        "update_reservation_flights": {"payment_id": _payment, "cabin": _cabin},
        **{tool: {"origin": _place, "destination": _place} for tool in SEARCHES},
        "transfer_to_human_agents": {"summary": _summary},
    }
    free_text: dict[str, set[str]] = {}  # the transfer summary is checked: ids and numbers in it must be seen

    def spelled(self, value: str, flow: Flow) -> bool:
        if re.fullmatch(r"2024-\d\d-\d\d", value):
            return value in dates_said(flow.customer_text)
        city = CITY.get(value)
        return bool(city) and city in flow.customer_text

    def derive(self, tool: str, path: str, value: Any, flow: Flow, args: dict[str, Any]) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        if tool == "calculate":
            if value in POLICY_AMOUNTS or value == 50:
                return POLICY_AMOUNTS.get(value, "certificate per passenger for a delayed flight")
            if float(value).is_integer() and 1 <= value <= 9:
                return "a count of passengers or bags"
            return None
        if path == "total_baggages" and tool == "update_reservation_baggages":
            r = _reservation(flow, args.get("reservation_id"))
            if r is not None and (value - r["total_baggages"]) in flow.said_numbers:
                return "the bags on the reservation plus the bags the customer adds"
        if path == "nonfree_baggages":
            return self._nonfree(tool, value, flow, args)
        if tool == "send_certificate" and path == "amount":
            for r in _records(flow, "reservation_id", "passengers"):
                pax = len(r["passengers"])
                if value in (100 * pax, 50 * pax):
                    return "certificate amount per passenger times the passengers of a reservation"
        return None

    @staticmethod
    def _nonfree(tool: str, value: Any, flow: Flow, args: dict[str, Any]) -> str | None:
        user = _user(flow)
        if user is None:
            return None
        if tool == BOOKING:
            cabin, pax, old = args.get("cabin"), len(args.get("passengers") or []), 0
        else:
            r = _reservation(flow, args.get("reservation_id"))
            if r is None:
                return None
            cabin, pax, old = r["cabin"], len(r["passengers"]), r["nonfree_baggages"]
        free = FREE_BAGS.get(user["membership"], {}).get(cabin)
        total = args.get("total_baggages")
        if free is None or not isinstance(total, int):
            return None
        if value == max(old, total - free * pax):
            return "the bags beyond the free allowance of the membership and cabin"
        return None

    def amount(self, value: float, flow: Flow) -> str | None:
        if value in POLICY_AMOUNTS:
            return POLICY_AMOUNTS[value]
        for n in range(1, 6):
            if abs(value - INSURANCE_FEE * n) < 0.005:
                return "travel insurance per passenger times the passengers"
            if abs(value - 100 * n) < 0.005 or abs(value - 50 * n) < 0.005:
                return "a certificate or bag fee per passenger or bag"
        fares = {p for _, _, record in flow.records for flight in _nested(record, "prices")
                 for p in flight["prices"].values()}
        for name, _, record in flow.records:  # a connecting itinerary costs the fares of its two flights
            if name == "search_onestop_flight" and isinstance(record, list):
                for pair in record:
                    if isinstance(pair, list) and len(pair) == 2 and all(isinstance(f, dict) for f in pair):
                        for cabin, price in (pair[0].get("prices") or {}).items():
                            total = price + (pair[1].get("prices") or {}).get(cabin, 0)
                            if abs(value - total) < 0.005:
                                return "the fare of a connecting itinerary (its two flights' fares)"
                            fares.add(total)
        for fare in fares:
            for n in range(2, 6):
                if abs(value - fare * n) < 0.005:
                    return "a fare times the passengers"
        return None


RULES = AirlineRules()

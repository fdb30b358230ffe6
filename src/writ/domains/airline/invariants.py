"""Consistency checks of an airline database (tau2's shipped data and generated data alike).

`invariants(db)` returns human-readable violations; an empty list means consistent. Checked:
flights (keys, known airports, time formats, statuses consistent with the current time 2024-05-15
15:00, non-negative seats, basic_economy < economy < business fares), users (keys, payment method
ids and kinds, reservation lists pointing back), reservations (owner, segments that exist on real
dates with matching endpoints, a connected itinerary from origin to destination (and back for round
trips), dates in order, 1-5 passengers, bag counts, creation before now and before the first flight,
payments that exist in the owner's profile (a used certificate may be gone: it is consumed) and that
sum to the price: segments x passengers + insurance + bag fees; for a cancelled reservation the
original payments followed by their exact negation).

Segment prices are not compared with the flight's current fares: tau2's data keeps the price paid
at booking time, which differs from today's fare for 3,353 of its segments.

tau2's shipped data breaks exactly one invariant: flight HAT018 is "delayed" on 2024-05-11, four
days before the current date (tau2 changed that record from tau-bench's "landed").
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from writ.domains.airline.ops import AIRPORTS, BAG_FEE, INSURANCE_FEE, NOW

__all__ = ["TAU2_DATA_QUIRKS", "invariants"]

# The violations tau2's shipped database has, by their exact text: `writ check` lists them as
# warnings, so tau2's own data passes while any other violation still fails.
TAU2_DATA_QUIRKS = {
    "flight HAT018 2024-05-11: delayed on a day other than today":
        "tau2 quirk: tau2 changed this record from tau-bench's 'landed' and kept it four days before 'today'",
}

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\+1)?$")
_DATE = re.compile(r"^2024-\d\d-\d\d$")
_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")
_FIELDS = {
    "available": ("available_seats", "prices"),
    "landed": ("actual_departure_time_est", "actual_arrival_time_est"),
    "cancelled": (),
    "delayed": ("estimated_departure_time_est", "estimated_arrival_time_est"),
    "flying": ("actual_departure_time_est", "estimated_arrival_time_est"),
    "on time": ("estimated_departure_time_est", "estimated_arrival_time_est"),
}
_CODES = {code for code, _ in AIRPORTS}
_TODAY = NOW[:10]


def _flight_problems(number: str, flight: dict) -> list[str]:
    out = []
    if flight.get("flight_number") != number:
        out.append(f"flight {number}: key differs from flight_number {flight.get('flight_number')!r}")
    if flight["origin"] not in _CODES or flight["destination"] not in _CODES:
        out.append(f"flight {number}: unknown airport in {flight['origin']}->{flight['destination']}")
    if flight["origin"] == flight["destination"]:
        out.append(f"flight {number}: origin equals destination")
    for key in ("scheduled_departure_time_est", "scheduled_arrival_time_est"):
        if not _TIME.match(flight[key]) or (key.startswith("scheduled_dep") and "+" in flight[key]):
            out.append(f"flight {number}: bad {key} {flight[key]!r}")
    for date, info in flight["dates"].items():
        status = info.get("status")
        if not _DATE.match(date) or status not in _FIELDS:
            out.append(f"flight {number} {date}: bad date or status {status!r}")
            continue
        if tuple(k for k in info if k != "status") != _FIELDS[status]:
            out.append(f"flight {number} {date}: fields {list(info)} do not fit status {status!r}")
            continue
        if status == "available":
            if date <= _TODAY:
                out.append(f"flight {number} {date}: available on a date already reached")
            seats, prices = info["available_seats"], info["prices"]
            if any(v < 0 for v in seats.values()):
                out.append(f"flight {number} {date}: negative seats {seats}")
            if not 0 < prices["basic_economy"] < prices["economy"] < prices["business"]:
                out.append(f"flight {number} {date}: fares not ordered {prices}")
        elif status in ("landed", "cancelled") and date > _TODAY:
            out.append(f"flight {number} {date}: {status} in the future")
        elif status in ("flying", "delayed", "on time") and date != _TODAY:
            out.append(f"flight {number} {date}: {status} on a day other than today")
        for key in _FIELDS[status]:
            if key.endswith("_est") and not _STAMP.match(info[key]):
                out.append(f"flight {number} {date}: bad {key} {info[key]!r}")
    return out


def _chain_problems(rid: str, res: dict, flights: dict) -> list[str]:
    out = []
    segments = res["flights"]
    if not segments:
        return [f"reservation {rid}: no flights"]
    for seg in segments:
        flight = flights.get(seg["flight_number"])
        if flight is None:
            out.append(f"reservation {rid}: unknown flight {seg['flight_number']}")
            continue
        if (seg["origin"], seg["destination"]) != (flight["origin"], flight["destination"]):
            out.append(f"reservation {rid}: segment {seg['flight_number']} endpoints differ from the flight")
        if seg["date"] not in flight["dates"]:
            out.append(f"reservation {rid}: flight {seg['flight_number']} does not fly on {seg['date']}")
        if not isinstance(seg["price"], int) or seg["price"] <= 0:
            out.append(f"reservation {rid}: bad price {seg['price']!r}")
    stops = [segments[0]["origin"]] + [s["destination"] for s in segments]
    if any(a["destination"] != b["origin"] for a, b in pairwise(segments)):
        out.append(f"reservation {rid}: segments are not connected")
    if stops[0] != res["origin"]:
        out.append(f"reservation {rid}: first segment does not leave from {res['origin']}")
    if res["flight_type"] == "one_way" and stops[-1] != res["destination"]:
        out.append(f"reservation {rid}: one-way trip does not end at {res['destination']}")
    if res["flight_type"] == "round_trip" and (stops[-1] != res["origin"] or res["destination"] not in stops[1:-1]):
        out.append(f"reservation {rid}: round trip does not go to {res['destination']} and back")
    dates = [s["date"] for s in segments]
    if dates != sorted(dates):
        out.append(f"reservation {rid}: segment dates out of order")
    if not res["created_at"] <= NOW or res["created_at"][:10] > dates[0]:
        out.append(f"reservation {rid}: created_at {res['created_at']} not before now and the first flight")
    return out


def _payment_problems(rid: str, res: dict, user: dict | None) -> list[str]:
    out = []
    history = res["payment_history"]
    count = len(res["passengers"])
    expected = sum(s["price"] for s in res["flights"]) * count
    expected += INSURANCE_FEE * count if res["insurance"] == "yes" else 0
    expected += BAG_FEE * res["nonfree_baggages"]
    if res.get("status") == "cancelled":
        half = len(history) // 2
        paid, refunds = history[:half], history[half:]
        if len(history) % 2 or refunds != [{"payment_id": p["payment_id"], "amount": -p["amount"]} for p in paid]:
            out.append(f"reservation {rid}: cancelled but payments are not followed by their refunds")
        history = paid
    total = sum(p["amount"] for p in history)
    if total != expected:
        out.append(f"reservation {rid}: payments sum to {total}, price is {expected}")
    if user is not None:
        for p in history:
            if p["payment_id"] not in user["payment_methods"] and not p["payment_id"].startswith("certificate_"):
                out.append(f"reservation {rid}: payment method {p['payment_id']} not in the user's profile")
    return out


def invariants(db: dict[str, Any]) -> list[str]:
    """Human-readable violations of the airline invariants (empty when consistent)."""
    flights, users, reservations = db["flights"], db["users"], db["reservations"]
    out: list[str] = []
    for number, flight in flights.items():
        out += _flight_problems(number, flight)
    for uid, user in users.items():
        if user["user_id"] != uid:
            out.append(f"user {uid}: key differs from user_id {user['user_id']!r}")
        for pid, method in user["payment_methods"].items():
            if method["id"] != pid or not pid.startswith(method["source"] + "_"):
                out.append(f"user {uid}: payment method {pid} has id {method['id']!r} / source {method['source']!r}")
        if len(set(user["reservations"])) != len(user["reservations"]):
            out.append(f"user {uid}: duplicate reservation ids")
        for rid in user["reservations"]:
            res = reservations.get(rid)
            if res is None or res["user_id"] != uid:
                out.append(f"user {uid}: reservation {rid} missing or owned by someone else")
    for rid, res in reservations.items():
        user = users.get(res["user_id"])
        if res["reservation_id"] != rid:
            out.append(f"reservation {rid}: key differs from reservation_id {res['reservation_id']!r}")
        if user is None:
            out.append(f"reservation {rid}: unknown user {res['user_id']}")
        elif rid not in user["reservations"]:
            out.append(f"reservation {rid}: not listed by its user {res['user_id']}")
        if not 1 <= len(res["passengers"]) <= 5:
            out.append(f"reservation {rid}: {len(res['passengers'])} passengers")
        if not 0 <= res["nonfree_baggages"] <= res["total_baggages"]:
            out.append(f"reservation {rid}: bags {res['nonfree_baggages']} nonfree of {res['total_baggages']}")
        out += _chain_problems(rid, res, flights)
        out += _payment_problems(rid, res, user)
    return out

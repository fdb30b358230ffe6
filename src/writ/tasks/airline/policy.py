"""The airline policy as a check on one write about to run (`policy_violation`).

It encodes the rules of `policy.md` that the tools do not enforce: who may cancel, what may be
changed, how bookings may be paid, how many bags are free, and when a certificate is due. It
returns a one-line reason, or None when the write is allowed in the current state.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from writ.core import Environment
from writ.tasks.airline.common import (
    allowance,
    cancel_grounds,
    compensable,
    instance,
    is_active,
    is_flown,
    status,
    user_of,
    user_reservations,
)


def _path_problem(origin: str, destination: str, flight_type: str, legs: list[tuple[str, str]]) -> str | None:
    """legs: (origin, destination) per segment, in order."""
    if not legs:
        return "no flights"
    if legs[0][0] != origin:
        return "the first flight does not leave from the origin"
    for (_, arrive), (leave, _) in pairwise(legs):
        if arrive != leave:
            return "the flights are not connected"
    if flight_type == "one_way":
        return None if legs[-1][1] == destination else "a one-way trip must end at the destination"
    if legs[-1][1] != origin or destination not in [b for _, b in legs[:-1]]:
        return "a round trip must reach the destination and return to the origin"
    return None


def _legs(env: Environment, flights: list[Any]) -> list[tuple[str, str]] | None:
    out = []
    for f in flights:
        if not isinstance(f, dict):
            return None
        flight = env.db.get("flights", f.get("flight_number"))
        if flight is None:
            return None
        out.append((flight["origin"], flight["destination"]))
    return out


def _book(env: Environment, a: dict) -> str | None:
    user = user_of(env, a.get("user_id"))
    if user is None:
        return "unknown user"
    passengers = a.get("passengers") or []
    if not 1 <= len(passengers) <= 5:
        return "a reservation holds one to five passengers"
    legs = _legs(env, a.get("flights") or [])
    if legs is None:
        return "unknown flight"
    problem = _path_problem(a.get("origin"), a.get("destination"), a.get("flight_type"), legs)
    if problem:
        return problem
    counts = {"certificate": 0, "credit_card": 0, "gift_card": 0}
    seen = []
    for p in a.get("payment_methods") or []:
        method = user["payment_methods"].get(p.get("payment_id"))
        if method is None:
            return "payment method not in the user's profile"
        if p["payment_id"] in seen:
            return "a payment method listed twice"
        seen.append(p["payment_id"])
        counts[method["source"]] += 1
    if counts["certificate"] > 1 or counts["credit_card"] > 1 or counts["gift_card"] > 3:
        return "at most one certificate, one credit card and three gift cards per reservation"
    for f in a.get("flights") or []:
        flight = instance(env, f.get("flight_number"), f.get("date"))
        if flight is None or flight["status"] != "available":
            return f"flight {f.get('flight_number')} cannot be booked on {f.get('date')}"
        if flight["available_seats"].get(a.get("cabin"), 0) < len(passengers):
            return f"flight {f.get('flight_number')} has too few seats left"
    free = allowance(user["membership"], a.get("cabin"), len(passengers))
    if a.get("nonfree_baggages") != max(0, (a.get("total_baggages") or 0) - free):
        return f"non-free bags must be the bags beyond the free allowance ({free})"
    return None


def _reservation(env: Environment, a: dict) -> tuple[dict | None, str | None]:
    r = env.db.get("reservations", a.get("reservation_id"))
    if r is None:
        return None, "unknown reservation"
    if not is_active(r):
        return None, "the reservation is cancelled"
    return r, None


def _unflown(env: Environment, a: dict) -> tuple[dict | None, str | None]:
    """The active reservation an update targets, or why no update may touch it."""
    r, problem = _reservation(env, a)
    if problem is None and is_flown(env, r):
        problem = "part of the trip has been flown"
    return (None, problem) if problem else (r, None)


def _update_payment(env: Environment, r: dict, payment_id: Any) -> str | None:
    method = user_of(env, r["user_id"])["payment_methods"].get(payment_id)
    if method is None or method["source"] not in ("credit_card", "gift_card"):
        return "updates are paid with a gift card or credit card from the profile"
    return None


def _flights(env: Environment, a: dict) -> str | None:
    r, problem = _unflown(env, a)
    if problem:
        return problem
    new = [(f.get("flight_number"), f.get("date")) for f in a.get("flights") or [] if isinstance(f, dict)]
    old = [(s["flight_number"], s["date"]) for s in r["flights"]]
    if new != old:
        if r["cabin"] == "basic_economy":
            return "basic economy flights cannot be changed"
        legs = _legs(env, a.get("flights") or [])
        if legs is None:
            return "unknown flight"
        problem = _path_problem(r["origin"], r["destination"], r["flight_type"], legs)
        if problem:
            return f"origin, destination and trip type must stay the same ({problem})"
    for f in a.get("flights") or []:  # a segment that is re-priced must still be bookable, with seats
        kept = (f.get("flight_number"), f.get("date")) in old and a.get("cabin") == r["cabin"]
        flight = None if kept else instance(env, f.get("flight_number"), f.get("date"))
        if not kept and (flight is None or flight["status"] != "available"
                         or flight["available_seats"].get(a.get("cabin"), 0) < len(r["passengers"])):
            return f"flight {f.get('flight_number')} on {f.get('date')} has no seats left in that cabin"
    return _update_payment(env, r, a.get("payment_id"))


def _bags(env: Environment, a: dict) -> str | None:
    r, problem = _unflown(env, a)
    if problem:
        return problem
    total, nonfree = a.get("total_baggages"), a.get("nonfree_baggages")
    if not isinstance(total, int) or not isinstance(nonfree, int):
        return "bag counts must be integers"
    if total < r["total_baggages"] or nonfree < r["nonfree_baggages"]:
        return "checked bags cannot be removed"
    user = user_of(env, r["user_id"])
    expected = max(r["nonfree_baggages"], total - allowance(user["membership"], r["cabin"], len(r["passengers"])))
    if nonfree != expected:
        return f"non-free bags should be {expected}"
    return _update_payment(env, r, a.get("payment_id"))


def _passengers(env: Environment, a: dict) -> str | None:
    r, problem = _unflown(env, a)
    if problem:
        return problem
    if len(a.get("passengers") or []) != len(r["passengers"]):
        return "the number of passengers cannot change"
    return None


def _cancel(env: Environment, a: dict) -> str | None:
    r, problem = _unflown(env, a)
    if problem:
        return problem
    if not cancel_grounds(env, r):
        return "no ground for cancellation (not within 24h, not airline-cancelled, not business, no insurance)"
    return None


def _certificate(env: Environment, a: dict) -> str | None:
    user = user_of(env, a.get("user_id"))
    if user is None:
        return "unknown user"
    amount = a.get("amount")
    for r in user_reservations(env, a["user_id"]):
        if not compensable(user, r):
            continue
        pax = len(r["passengers"])
        statuses = [status(env, s["flight_number"], s["date"]) for s in r["flights"]]
        if "cancelled" in statuses and amount == 100 * pax:
            return None
        if "delayed" in statuses and amount == 50 * pax:
            return None
    return "no reservation of this user justifies a certificate of this amount"


CHECKS = {
    "book_reservation": _book,
    "cancel_reservation": _cancel,
    "update_reservation_flights": _flights,
    "update_reservation_baggages": _bags,
    "update_reservation_passengers": _passengers,
    "send_certificate": _certificate,
}


def policy_violation(env: Environment, action: Any) -> str | None:
    check = CHECKS.get(action.name)
    if check is None:
        return None
    return check(env, dict(action.arguments or {}))

"""Airline building blocks shared by the tools: constants, lookups, the flight search core and the
payment rule for reservation updates.

Everything here works on the plain-dict records of a `Store` and reproduces tau2's checks in
tau2's order; the texts of the errors raised are tau2's.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from typing import Any

from writ.core import ToolError
from writ.domains.airline.schema import Payment
from writ.store import Base, Store

__all__ = [
    "AIRPORTS",
    "BAG_FEE",
    "CERTIFICATE_IDS",
    "INSURANCE_FEE",
    "NOW",
    "RESERVATION_IDS",
    "as_models",
    "get_flight",
    "get_flight_instance",
    "get_reservation",
    "get_user",
    "make_payment",
    "new_reservation_id",
    "pay_for_update",
    "search_direct",
]

NOW = "2024-05-15T15:00:00"  # tau2's fixed current time: created_at of every new reservation
RESERVATION_IDS = ("HATHAT", "HATHAU", "HATHAV")  # tried in order; a failed booking consumes none
CERTIFICATE_IDS = ("certificate_3221322", "certificate_3221323", "certificate_3221324")
INSURANCE_FEE = 30  # per passenger
BAG_FEE = 50  # per non-free bag

AIRPORTS: tuple[tuple[str, str], ...] = (
    ("SFO", "San Francisco"),
    ("JFK", "New York"),
    ("LAX", "Los Angeles"),
    ("ORD", "Chicago"),
    ("DFW", "Dallas"),
    ("DEN", "Denver"),
    ("SEA", "Seattle"),
    ("ATL", "Atlanta"),
    ("MIA", "Miami"),
    ("BOS", "Boston"),
    ("PHX", "Phoenix"),
    ("IAH", "Houston"),
    ("LAS", "Las Vegas"),
    ("MCO", "Orlando"),
    ("EWR", "Newark"),
    ("CLT", "Charlotte"),
    ("MSP", "Minneapolis"),
    ("DTW", "Detroit"),
    ("PHL", "Philadelphia"),
    ("LGA", "LaGuardia"),
)


# -- lookups (tau2's helper errors) ------------------------------------------------------------
def get_user(db: Store, user_id: Any) -> dict:
    user = db.get("users", user_id)
    if user is None:
        raise ToolError(f"User {user_id} not found")
    return user


def get_reservation(db: Store, reservation_id: Any) -> dict:
    reservation = db.get("reservations", reservation_id)
    if reservation is None:
        raise ToolError(f"Reservation {reservation_id} not found")
    return reservation


def get_flight(db: Store, flight_number: Any) -> dict:
    flight = db.get("flights", flight_number)
    if flight is None:
        raise ToolError(f"Flight {flight_number} not found")
    return flight


def get_flight_instance(db: Store, flight_number: Any, date: Any) -> dict:
    dates = get_flight(db, flight_number)["dates"]
    if date not in dates:
        raise ToolError(f"Flight {flight_number} not found on date {date}")
    return dates[date]


def new_reservation_id(db: Store) -> str:
    for reservation_id in RESERVATION_IDS:
        if not db.has("reservations", reservation_id):
            return reservation_id
    raise ToolError("Too many reservations")


def as_models(items: Any, model: type) -> Any:
    """tau2's argument conversion: every element a dict -> model objects, else the raw value.

    Raw values then fail later exactly as they do in tau2 (attribute access on a `str`/`dict`,
    or the `Reservation` constructor rejecting them).
    """
    if all(isinstance(item, dict) for item in items):
        return [model(**item) for item in items]
    return items


def make_payment(payment_id: str, amount: Any) -> dict:
    """A `Payment` record; non-int amounts go through the model (coercion / validation error)."""
    if type(amount) is not int:
        return Payment(payment_id=payment_id, amount=amount).model_dump()
    return {"payment_id": payment_id, "amount": amount}


def pay_for_update(db: Store, user_id: str, payment_id: Any, price: Any) -> dict | None:
    """tau2's payment rule for the two update tools: checks, gift-card debit, optional payment.

    The gift card is debited before the `Payment` is built, so a price that is not a whole number
    fails validation after the debit (as in tau2).
    """
    methods = db.get("users", user_id)["payment_methods"]
    if payment_id not in methods:
        raise ToolError("Payment method not found")
    method = methods[payment_id]
    if method["source"] == "certificate":
        raise ToolError("Certificate cannot be used to update reservation")
    if method["source"] == "gift_card" and method["amount"] < price:
        raise ToolError("Gift card balance is not enough")
    if method["source"] == "gift_card":
        # A negative price (refund) credits the gift card.
        db.edit("users", user_id)["payment_methods"][payment_id]["amount"] -= price
    if price != 0:
        return make_payment(payment_id, price)
    return None


# -- search --------------------------------------------------------------------------------------
_ORIGIN_INDEX: weakref.WeakKeyDictionary[Base, dict[str, list[str]]] = weakref.WeakKeyDictionary()


def _by_origin(base: Base) -> dict[str, list[str]]:
    """Flight numbers per origin, in DB order. Tools never add flights or change their origin."""
    index = _ORIGIN_INDEX.get(base)
    if index is None:
        index = {}
        for number, flight in base.tables["flights"].items():
            index.setdefault(flight["origin"], []).append(number)
        _ORIGIN_INDEX[base] = index
    return index


def _candidates(db: Store, origin: Any) -> Iterator[dict]:
    if isinstance(origin, str) and db.count("flights") == len(db.base.tables["flights"]):
        get = db.get
        for number in _by_origin(db.base).get(origin, ()):
            yield get("flights", number)
    else:
        yield from db.values("flights")


def search_direct(db: Store, date: Any, origin: Any = None, destination: Any = None,
                  leave_after: str | None = None) -> list[dict]:
    """tau2's direct-flight search core: available flights on `date`, in DB order.

    `leave_after` is compared with the scheduled departure as a plain string (so a `+1` arrival
    such as ``"01:30:00+1"`` sorts between ``"01:30:00"`` and ``"01:30:01"``).
    """
    results = []
    for flight in _candidates(db, origin):
        if not (
            (origin is None or flight["origin"] == origin)
            and (destination is None or flight["destination"] == destination)
            and date in flight["dates"]
            and flight["dates"][date]["status"] == "available"
        ):
            continue
        if leave_after is not None and not flight["scheduled_departure_time_est"] >= leave_after:
            continue
        instance = flight["dates"][date]
        results.append({
            "flight_number": flight["flight_number"],
            "origin": flight["origin"],
            "destination": flight["destination"],
            "status": "available",
            "scheduled_departure_time_est": flight["scheduled_departure_time_est"],
            "scheduled_arrival_time_est": flight["scheduled_arrival_time_est"],
            "date": None,
            "available_seats": dict(instance["available_seats"]),
            "prices": dict(instance["prices"]),
        })
    return results

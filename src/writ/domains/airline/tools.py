"""The airline agent tools (tau2's `AirlineTools`), in tau2's definition order.

Each tool mirrors tau2's behaviour call for call: same checks in the same order, same error texts,
same dumps. Deliberate quirks of tau2 that are reproduced (so that replays give the same results
and the same final database) are marked "tau2 quirk" below.
"""

from __future__ import annotations

from typing import Any, Literal

from writ.core import Toolbox, ToolError, ToolKind
from writ.domains.airline.ops import (
    AIRPORTS,
    BAG_FEE,
    CERTIFICATE_IDS,
    INSURANCE_FEE,
    NOW,
    as_models,
    get_flight,
    get_flight_instance,
    get_reservation,
    get_user,
    make_payment,
    new_reservation_id,
    pay_for_update,
    search_direct,
)
from writ.domains.airline.schema import Certificate, FlightInfo, Passenger, Payment, Reservation
from writ.domains.common import calculate, transfer_to_human_agents
from writ.store import Store, clone

__all__ = ["box"]

box = Toolbox(owner="AirlineTools", side="agent")

Cabin = Literal["business", "economy", "basic_economy"]


def _record(item: Any) -> Any:
    """An argument element as stored: a converted model dumped, anything else copied raw."""
    return item.model_dump() if isinstance(item, Passenger) else clone(item)


@box.write
def book_reservation(
    db: Store,
    user_id: str,
    origin: str,
    destination: str,
    flight_type: Literal["round_trip", "one_way"],
    cabin: Cabin,
    flights: list[FlightInfo | dict],
    passengers: list[Passenger | dict],
    payment_methods: list[Payment | dict],
    total_baggages: int,
    nonfree_baggages: int,
    insurance: Literal["yes", "no"],
) -> dict:
    """Create a new reservation for a user.

    Args:
        user_id: The id of the user making the booking, such as 'sara_doe_496'.
        origin: IATA code of the trip's origin airport, such as 'SFO'.
        destination: IATA code of the trip's destination airport, such as 'JFK'.
        flight_type: Either 'one_way' or 'round_trip'.
        cabin: The cabin class for every flight: 'basic_economy', 'economy' or 'business'.
        flights: The flight segments to book, each an object with 'flight_number' and 'date' (YYYY-MM-DD), covering the
            outbound and, for round trips, the return segments.
        passengers: The travellers, each an object with 'first_name', 'last_name' and 'dob' (YYYY-MM-DD).
        payment_methods: How the total is paid, each an object with 'payment_id' (a method in the user's profile) and
            'amount'.
        total_baggages: The total number of checked bags.
        nonfree_baggages: How many of those bags are charged.
        insurance: Whether travel insurance is bought: 'yes' or 'no'.

    Returns:
        The new reservation.
    """
    flights = as_models(flights, FlightInfo)
    passengers = as_models(passengers, Passenger)
    payment_methods = as_models(payment_methods, Payment)
    user = get_user(db, user_id)
    reservation_id = new_reservation_id(db)
    # tau2 builds the Reservation model here: it validates flight_type/cabin/insurance and the
    # counts (coercing e.g. 2.0 -> 2) before any flight is looked at.
    reservation = Reservation(
        reservation_id=reservation_id, user_id=user_id, origin=origin, destination=destination,
        flight_type=flight_type, cabin=cabin, flights=[], passengers=passengers,
        payment_history=payment_methods, created_at=NOW, total_baggages=total_baggages,
        nonfree_baggages=nonfree_baggages, insurance=insurance,
    ).model_dump()
    count = len(passengers)
    total = 0
    used: list[tuple[str, str]] = []
    for info in flights:
        number = info.flight_number
        flight = get_flight(db, number)
        instance = get_flight_instance(db, number, info.date)
        if instance["status"] != "available":
            raise ToolError(f"Flight {number} not available on date {info.date}")
        if instance["available_seats"][cabin] < count:
            raise ToolError(f"Not enough seats on flight {number}")
        price = instance["prices"][cabin]
        reservation["flights"].append({
            "flight_number": number, "origin": flight["origin"], "destination": flight["destination"],
            "date": info.date, "price": price,
        })
        used.append((number, info.date))
        total += price * count
    if insurance == "yes":
        total += INSURANCE_FEE * count
    total += BAG_FEE * nonfree_baggages  # the raw argument, as in tau2 (2.0 makes the total a float)

    methods = user["payment_methods"]
    for payment in payment_methods:
        payment_id, amount = payment.payment_id, payment.amount
        if payment_id not in methods:
            raise ToolError(f"Payment method {payment_id} not found")
        method = methods[payment_id]
        # tau2 quirk: each payment is checked on its own, not cumulatively per method.
        if method["source"] in ("gift_card", "certificate") and method["amount"] < amount:
            raise ToolError(f"Not enough balance in payment method {payment_id}")
    paid = sum(payment.amount for payment in payment_methods)
    if paid != total:
        raise ToolError(f"Payment amount does not add up, total price is {total}, but paid {paid}")

    methods = db.edit("users", user_id)["payment_methods"]
    for payment in payment_methods:
        # tau2 quirk: a certificate is consumed whole; listing it twice fails with KeyError on the
        # second use, after the earlier deductions were applied.
        method = methods[payment.payment_id]
        if method["source"] == "gift_card":
            method["amount"] -= payment.amount
        elif method["source"] == "certificate":
            methods.pop(payment.payment_id)
    for number, date in used:  # once per occurrence in `flights`
        db.edit("flights", number)["dates"][date]["available_seats"][cabin] -= count
    db.put("reservations", reservation_id, reservation)
    db.edit("users", user_id)["reservations"].append(reservation_id)
    return reservation


box.add(calculate, ToolKind.GENERIC)


@box.write
def cancel_reservation(db: Store, reservation_id: str) -> dict:
    """Cancel an entire reservation; every payment is refunded to its original method.

    Args:
        reservation_id: The reservation id, such as 'ZFA04Y'.

    Returns:
        The updated reservation.
    """
    get_reservation(db, reservation_id)
    reservation = db.edit("reservations", reservation_id)
    history = reservation["payment_history"]
    # tau2 quirks: no check that it is already cancelled (a second cancel negates all 2n entries),
    # no gift card or certificate is credited back, and no seat is released.
    history.extend([make_payment(p["payment_id"], -p["amount"]) for p in history])
    reservation["status"] = "cancelled"
    return reservation


@box.read
def get_reservation_details(db: Store, reservation_id: str) -> dict:
    """Look up a reservation.

    Args:
        reservation_id: The reservation id, such as '8JX2WO'.

    Returns:
        The reservation.
    """
    return get_reservation(db, reservation_id)


@box.read
def get_user_details(db: Store, user_id: str) -> dict:
    """Look up a user's profile, including payment methods and reservation ids.

    Args:
        user_id: The user id, such as 'sara_doe_496'.

    Returns:
        The user.
    """
    return get_user(db, user_id)


@box.read
def list_all_airports(db: Store) -> list:
    """List every airport served, with its IATA code and city.

    Returns:
        The airports.
    """
    return [{"iata": iata, "city": city} for iata, city in AIRPORTS]


@box.read
def search_direct_flight(db: Store, origin: str, destination: str, date: str) -> list:
    """Find nonstop flights between two airports on a date that can still be booked.

    Args:
        origin: IATA code of the departure airport, such as 'JFK'.
        destination: IATA code of the arrival airport, such as 'LAX'.
        date: The travel date in YYYY-MM-DD format, such as '2024-01-01'.

    Returns:
        The matching flights with seats left and prices per cabin.
    """
    return search_direct(db, date=date, origin=origin, destination=destination)


@box.read
def search_onestop_flight(db: Store, origin: str, destination: str, date: str) -> list:
    """Find itineraries with exactly one connection between two airports, departing on a date.

    Args:
        origin: IATA code of the departure airport, such as 'JFK'.
        destination: IATA code of the final arrival airport, such as 'LAX'.
        date: The departure date in YYYY-MM-DD format, such as '2024-05-01'.

    Returns:
        Pairs of connecting flights [first leg, second leg].
    """
    results = []
    for first in search_direct(db, date=date, origin=origin):
        first["date"] = date
        if "+1" in first["scheduled_arrival_time_est"]:
            # tau2 quirk: the next day is built as "2024-05-" + unpadded day + 1, whatever the
            # input's month ("2024-05-05" -> "2024-05-6", which matches no flight date).
            date2 = f"2024-05-{int(date[-2:]) + 1}"
        else:
            date2 = date
        # The connection must leave at or after the first leg's raw arrival string.
        for second in search_direct(db, date=date2, origin=first["destination"], destination=destination,
                                    leave_after=first["scheduled_arrival_time_est"]):
            second["date"] = date2
            results.append([first, second])
    return results


@box.write
def send_certificate(db: Store, user_id: str, amount: int) -> str:
    """Give a user a travel certificate, e.g. as a goodwill gesture.

    Args:
        user_id: The user id, such as 'sara_doe_496'.
        amount: The certificate's value.

    Returns:
        A confirmation message.
    """
    user = get_user(db, user_id)
    for payment_id in CERTIFICATE_IDS:
        if payment_id not in user["payment_methods"]:
            if type(amount) in (int, float):
                value = float(amount)
            else:  # tau2 builds a Certificate model: "50" -> 50.0, None -> validation error
                value = Certificate(id=payment_id, amount=amount, source="certificate").amount
            db.edit("users", user_id)["payment_methods"][payment_id] = {
                "source": "certificate", "id": payment_id, "amount": value,
            }
            return f"Certificate {payment_id} added to user {user_id} with amount {amount}."
    raise ToolError("Too many certificates")


box.add(transfer_to_human_agents, ToolKind.GENERIC)


@box.write
def update_reservation_baggages(db: Store, reservation_id: str, total_baggages: int, nonfree_baggages: int,
                                payment_id: str) -> dict:
    """Change the checked-bag counts of a reservation, charging any added non-free bags.

    Args:
        reservation_id: The reservation id, such as 'ZFA04Y'.
        total_baggages: The new total number of checked bags.
        nonfree_baggages: The new number of charged bags.
        payment_id: The id of the payment method in the user's profile that pays for added bags, such as
            'credit_card_7815826'.

    Returns:
        The updated reservation.
    """
    reservation = get_reservation(db, reservation_id)
    user_id = reservation["user_id"]
    get_user(db, user_id)
    price = BAG_FEE * max(0, nonfree_baggages - reservation["nonfree_baggages"])
    payment = pay_for_update(db, user_id, payment_id, price)
    reservation = db.edit("reservations", reservation_id)
    if payment is not None:
        reservation["payment_history"].append(payment)
    # tau2 assigns the raw arguments: no coercion, no consistency or cancelled-status check.
    reservation["total_baggages"] = clone(total_baggages)
    reservation["nonfree_baggages"] = clone(nonfree_baggages)
    return reservation


@box.write
def update_reservation_flights(db: Store, reservation_id: str, cabin: Cabin, flights: list[FlightInfo | dict],
                               payment_id: str) -> dict:
    """Replace the flights and/or cabin of a reservation, charging or refunding the difference.

    Args:
        reservation_id: The reservation id, such as 'ZFA04Y'.
        cabin: The cabin class for all flights of the reservation.
        flights: The complete new itinerary, each segment an object with 'flight_number' and 'date'; segments that are
            kept must be listed too.
        payment_id: The id of the gift card or credit card in the user's profile that pays the difference or receives
            the refund, such as 'credit_card_7815826'.

    Returns:
        The updated reservation.
    """
    flights = as_models(flights, FlightInfo)
    reservation = get_reservation(db, reservation_id)
    user_id = reservation["user_id"]
    get_user(db, user_id)
    count = len(reservation["passengers"])
    current = reservation["flights"]
    total = 0
    segments = []
    for info in flights:
        kept = next((seg for seg in current if seg["flight_number"] == info.flight_number
                     and seg["date"] == info.date and cabin == reservation["cabin"]), None)
        if kept is not None:
            # tau2 quirk: a kept segment keeps its old price, unchecked (same cabin only).
            total += kept["price"] * count
            segments.append(kept)
            continue
        flight = get_flight(db, info.flight_number)
        instance = get_flight_instance(db, info.flight_number, info.date)
        if instance["status"] != "available":
            raise ToolError(f"Flight {info.flight_number} not available on date {info.date}")
        if instance["available_seats"][cabin] < count:  # an invalid cabin fails here: KeyError
            raise ToolError(f"Not enough seats on flight {info.flight_number}")
        segment = {"flight_number": info.flight_number, "origin": flight["origin"],
                   "destination": flight["destination"], "date": info.date, "price": instance["prices"][cabin]}
        total += segment["price"] * count
        segments.append(segment)
    total -= sum(seg["price"] for seg in current) * count
    payment = pay_for_update(db, user_id, payment_id, total)
    reservation = db.edit("reservations", reservation_id)
    if payment is not None:
        reservation["payment_history"].append(payment)
    # tau2 quirk: no seat is taken or released, and the cabin is assigned raw.
    reservation["flights"] = [clone(seg) for seg in segments]
    reservation["cabin"] = clone(cabin)
    return reservation


@box.write
def update_reservation_passengers(db: Store, reservation_id: str, passengers: list[Passenger | dict]) -> dict:
    """Replace the passenger details of a reservation; the number of passengers cannot change.

    Args:
        reservation_id: The reservation id, such as 'ZFA04Y'.
        passengers: The full new passenger list, each an object with 'first_name', 'last_name' and 'dob'.

    Returns:
        The updated reservation.
    """
    passengers = as_models(passengers, Passenger)
    reservation = get_reservation(db, reservation_id)
    if len(passengers) != len(reservation["passengers"]):
        raise ToolError("Number of passengers does not match")
    stored = [_record(p) for p in passengers] if isinstance(passengers, list) else clone(passengers)
    db.edit("reservations", reservation_id)["passengers"] = stored
    return db.get("reservations", reservation_id)


@box.read
def get_flight_status(db: Store, flight_number: str, date: str) -> str:
    """Get the status of a flight on a date.

    Args:
        flight_number: The flight number, such as 'HAT001'.
        date: The date in YYYY-MM-DD format, such as '2024-05-01'.

    Returns:
        The status: 'available', 'landed', 'cancelled', 'delayed', 'flying' or 'on time'.
    """
    return get_flight_instance(db, flight_number, date)["status"]

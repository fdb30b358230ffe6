"""The airline database schema (tau2's `FlightDB`), used at load time and for argument validation.

Field order is tau2's declaration order, which is the order of every dump the tools return (the
DB file stores flights `origin`-first, the model dumps `flight_number` first). Top-level keys are
forbidden beyond the three tables; nested records silently drop unknown keys, as in tau2.

After loading, tools work on plain dicts. The small argument models (`FlightInfo`, `Passenger`,
`Payment`, `Certificate`, `Reservation`) are used on the write path exactly where tau2 passes an
argument through a model constructor, so that coercions and the first line of validation errors
(`1 validation error for Passenger`, ...) are the same.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CabinClass",
    "Certificate",
    "CreditCard",
    "DirectFlight",
    "Flight",
    "FlightDB",
    "FlightInfo",
    "FlightType",
    "GiftCard",
    "Insurance",
    "Passenger",
    "Payment",
    "Reservation",
    "ReservationFlight",
    "User",
    "normalize_db",
]

CabinClass = Literal["business", "economy", "basic_economy"]
FlightType = Literal["round_trip", "one_way"]
Insurance = Literal["yes", "no"]
MembershipLevel = Literal["gold", "silver", "regular"]


# -- flights -----------------------------------------------------------------------------------
class FlightDateStatusAvailable(BaseModel):
    status: Literal["available"]
    available_seats: dict[CabinClass, int]
    prices: dict[CabinClass, int]


class FlightDateStatusLanded(BaseModel):
    status: Literal["landed"]
    actual_departure_time_est: str
    actual_arrival_time_est: str


class FlightDateStatusCancelled(BaseModel):
    status: Literal["cancelled"]


class FlightDateStatusDelayed(BaseModel):
    status: Literal["delayed"]
    estimated_departure_time_est: str
    estimated_arrival_time_est: str


class FlightDateStatusFlying(BaseModel):
    status: Literal["flying"]
    actual_departure_time_est: str
    estimated_arrival_time_est: str


class FlightDateStatusOnTime(BaseModel):
    status: Literal["on time"]
    estimated_departure_time_est: str
    estimated_arrival_time_est: str


FlightDateStatus = Annotated[
    FlightDateStatusAvailable | FlightDateStatusLanded | FlightDateStatusCancelled | FlightDateStatusDelayed
    | FlightDateStatusFlying | FlightDateStatusOnTime,
    Field(discriminator="status"),
]


class Flight(BaseModel):
    flight_number: str
    origin: str
    destination: str
    scheduled_departure_time_est: str
    scheduled_arrival_time_est: str
    dates: dict[str, FlightDateStatus]


class DirectFlight(BaseModel):
    """A search result (documentation of the dump layout; tools build these as plain dicts)."""

    flight_number: str
    origin: str
    destination: str
    status: Literal["available"] = "available"
    scheduled_departure_time_est: str
    scheduled_arrival_time_est: str
    date: str | None = None
    available_seats: dict[CabinClass, int]
    prices: dict[CabinClass, int]


# -- users ---------------------------------------------------------------------------------------
class Name(BaseModel):
    first_name: str
    last_name: str


class Address(BaseModel):
    address1: str
    address2: str | None = None
    city: str
    country: str
    state: str
    zip: str


class CreditCard(BaseModel):
    source: Literal["credit_card"]
    id: str
    brand: str
    last_four: str


class GiftCard(BaseModel):
    source: Literal["gift_card"]
    id: str
    amount: float


class Certificate(BaseModel):
    source: Literal["certificate"]
    id: str
    amount: float


PaymentMethod = Annotated[CreditCard | GiftCard | Certificate, Field(discriminator="source")]


class Passenger(BaseModel):
    first_name: str
    last_name: str
    dob: str


class User(BaseModel):
    user_id: str
    name: Name
    address: Address
    email: str
    dob: str
    payment_methods: dict[str, PaymentMethod]
    saved_passengers: list[Passenger]
    membership: MembershipLevel
    reservations: list[str]


# -- reservations --------------------------------------------------------------------------------
class FlightInfo(BaseModel):
    flight_number: str
    date: str


class ReservationFlight(BaseModel):
    flight_number: str
    origin: str
    destination: str
    date: str
    price: int


class Payment(BaseModel):
    payment_id: str
    amount: int


class Reservation(BaseModel):
    reservation_id: str
    user_id: str
    origin: str
    destination: str
    flight_type: FlightType
    cabin: CabinClass
    flights: list[ReservationFlight]
    passengers: list[Passenger]
    payment_history: list[Payment]
    created_at: str
    total_baggages: int
    nonfree_baggages: int
    insurance: Insurance
    status: Literal["cancelled"] | None = None


class FlightDB(BaseModel):
    model_config = ConfigDict(extra="forbid")

    flights: dict[str, Flight]
    users: dict[str, User]
    reservations: dict[str, Reservation]


def normalize_db(raw: dict) -> dict:
    """Validate a raw airline database and return it as plain JSON data in declaration order.

    Every optional field is present (`address2`, reservation `status` as null), gift-card and
    certificate amounts are floats, prices and seat counts ints.
    """
    return FlightDB.model_validate(raw).model_dump()

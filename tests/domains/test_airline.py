"""Tests of the airline domain: tau2 parity (tools, errors, quirks, gold replay) and the generator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from writ.core import Environment, ToolKind
from writ.domains import get_domain
from writ.domains.airline.invariants import invariants
from writ.domains.airline.schema import normalize_db
from writ.fingerprint import fingerprint
from writ.task import load_tasks

DOMAIN = get_domain("airline")
TAU2 = Path(__file__).resolve().parents[2] / ".." / "shared" / "tau2"
AIRLINE = TAU2 / "airline"

TOOL_ORDER = [
    ("book_reservation", ToolKind.WRITE),
    ("calculate", ToolKind.GENERIC),
    ("cancel_reservation", ToolKind.WRITE),
    ("get_reservation_details", ToolKind.READ),
    ("get_user_details", ToolKind.READ),
    ("list_all_airports", ToolKind.READ),
    ("search_direct_flight", ToolKind.READ),
    ("search_onestop_flight", ToolKind.READ),
    ("send_certificate", ToolKind.WRITE),
    ("transfer_to_human_agents", ToolKind.GENERIC),
    ("update_reservation_baggages", ToolKind.WRITE),
    ("update_reservation_flights", ToolKind.WRITE),
    ("update_reservation_passengers", ToolKind.WRITE),
    ("get_flight_status", ToolKind.READ),
]

# tau2 airline task 1, get_reservation_details Q69X3R (TOOL_OUTPUT_FORMAT.md).
LITERAL_Q69X3R = (
    '{"reservation_id": "Q69X3R", "user_id": "raj_sanchez_7340", "origin": "PHL", "destination": "LGA", '
    '"flight_type": "round_trip", "cabin": "economy", "flights": [{"flight_number": "HAT243", "origin": "PHL", '
    '"destination": "CLT", "date": "2024-05-20", "price": 166}, {"flight_number": "HAT024", "origin": "CLT", '
    '"destination": "LGA", "date": "2024-05-20", "price": 162}, {"flight_number": "HAT206", "origin": "LGA", '
    '"destination": "PHL", "date": "2024-05-23", "price": 102}], "passengers": [{"first_name": "Raj", '
    '"last_name": "Sanchez", "dob": "1965-09-13"}], "payment_history": [{"payment_id": "gift_card_3226531", '
    '"amount": 430}], "created_at": "2024-05-14T09:52:38", "total_baggages": 0, "nonfree_baggages": 0, '
    '"insurance": "no", "status": null}'
)


# -- builders --------------------------------------------------------------------------------------
def available(seats=(5, 3, 2), prices=(100, 200, 500)) -> dict:
    cabins = ("basic_economy", "economy", "business")
    return {"status": "available", "available_seats": dict(zip(cabins, seats, strict=True)),
            "prices": dict(zip(cabins, prices, strict=True))}


def flight(number, origin, destination, dep, arr, dates) -> dict:
    # tau2's file order (origin first); the model order puts flight_number first.
    return {"origin": origin, "destination": destination, "flight_number": number,
            "scheduled_departure_time_est": dep, "scheduled_arrival_time_est": arr, "dates": dates}


def small_db() -> dict:
    landed = {"status": "landed", "actual_departure_time_est": "2024-05-10T08:05:00",
              "actual_arrival_time_est": "2024-05-10T13:40:00"}
    flights = [
        flight("HAT001", "JFK", "LAX", "08:00:00", "13:30:00", {
            "2024-05-10": landed, "2024-05-14": {"status": "cancelled"},
            "2024-05-15": {"status": "flying", "actual_departure_time_est": "2024-05-15T08:10:00",
                           "estimated_arrival_time_est": "2024-05-15T13:45:00"},
            "2024-05-20": available(), "2024-05-21": available(seats=(5, 3, 1), prices=(110, 220, 550))}),
        flight("HAT002", "LAX", "JFK", "22:00:00", "06:00:00+1", {
            "2024-05-05": available(), "2024-05-09": available(), "2024-05-20": available(),
            "2024-05-21": available()}),
        flight("HAT003", "JFK", "ORD", "06:00:00", "08:00:00", {
            "2024-05-06": available(), "2024-05-20": available(), "2024-05-21": available(),
            "2024-05-16": {"status": "on time", "estimated_departure_time_est": "2024-05-16T06:00:00",
                           "estimated_arrival_time_est": "2024-05-16T08:00:00"}}),
        flight("HAT004", "ORD", "LAX", "08:00:00", "10:30:00", {"2024-05-20": available(prices=(90, 190, 490))}),
        flight("HAT005", "ORD", "LAX", "07:00:00", "09:30:00", {"2024-05-20": available()}),
        flight("HAT007", "JFK", "ORD", "07:00:00", "09:00:00", {
            "2024-05-10": available(), "2024-05-21": available(), "2024-05-6": available()}),
    ]
    user = {
        "user_id": "ada_lovelace_1000",
        "name": {"first_name": "Ada", "last_name": "Lovelace"},
        "address": {"address1": "1 Analytical Way", "city": "London", "country": "UK", "state": "LD", "zip": "00001"},
        "email": "ada@example.com", "dob": "1815-12-10",
        "payment_methods": {
            "credit_card_1": {"source": "credit_card", "brand": "visa", "last_four": "1234", "id": "credit_card_1"},
            "gift_card_1": {"source": "gift_card", "amount": 100, "id": "gift_card_1"},
            "certificate_1": {"source": "certificate", "amount": 150, "id": "certificate_1"},
        },
        "saved_passengers": [], "membership": "gold", "reservations": ["ABC123"],
    }
    reservation = {
        "reservation_id": "ABC123", "user_id": "ada_lovelace_1000", "origin": "JFK", "destination": "LAX",
        "flight_type": "one_way", "cabin": "economy",
        "flights": [{"origin": "JFK", "destination": "LAX", "flight_number": "HAT001", "date": "2024-05-20",
                     "price": 180}],
        "passengers": [{"first_name": "Ada", "last_name": "Lovelace", "dob": "1815-12-10"},
                       {"first_name": "Charles", "last_name": "Babbage", "dob": "1791-12-26"}],
        "payment_history": [{"payment_id": "credit_card_1", "amount": 360}],
        "created_at": "2024-05-01T10:00:00", "total_baggages": 0, "nonfree_baggages": 0, "insurance": "no",
    }
    return {"flights": {f["flight_number"]: f for f in flights}, "users": {user["user_id"]: user},
            "reservations": {"ABC123": reservation}}


SMALL_BASE = DOMAIN.base(small_db())


def env_small() -> Environment:
    return Environment(DOMAIN, SMALL_BASE.store())


def call(env: Environment, name: str, **arguments):
    return env.step(name, arguments)


def ok(env: Environment, name: str, **arguments):
    result = env.step(name, arguments)
    assert not result.error, result.content
    try:
        return json.loads(result.content)
    except json.JSONDecodeError:
        return result.content


def error(env: Environment, name: str, **arguments) -> str:
    result = env.step(name, arguments)
    assert result.error, result.content
    return result.content


def booking(**overrides) -> dict:
    arguments = {
        "user_id": "ada_lovelace_1000", "origin": "JFK", "destination": "LAX", "flight_type": "one_way",
        "cabin": "economy", "flights": [{"flight_number": "HAT001", "date": "2024-05-20"}],
        "passengers": [{"first_name": "Ada", "last_name": "Lovelace", "dob": "1815-12-10"}],
        "payment_methods": [{"payment_id": "credit_card_1", "amount": 200}],
        "total_baggages": 0, "nonfree_baggages": 0, "insurance": "no",
    }
    arguments.update(overrides)
    return arguments


@pytest.fixture(scope="module")
def tau2_base():
    if not (AIRLINE / "db.json").is_file():
        pytest.skip(f"tau2 airline data not found at {AIRLINE} (the workplace's shared/ folder)")
    return DOMAIN.base(json.loads((AIRLINE / "db.json").read_text(encoding="utf-8")))


# -- contract --------------------------------------------------------------------------------------
def test_tool_order_kinds_and_owner():
    assert [(t.name, t.kind) for t in DOMAIN.tools()] == TOOL_ORDER
    assert DOMAIN.agent.owner == "AirlineTools" and DOMAIN.db_name == "FlightDB"
    for tool in DOMAIN.tools():
        schema = tool.schema["function"]
        assert schema["description"] and schema["parameters"]["title"] == "parameters"
    book = DOMAIN.agent.tools["book_reservation"].schema["function"]["parameters"]
    assert book["required"] == list(booking())
    assert book["properties"]["cabin"]["enum"] == ["business", "economy", "basic_economy"]


def test_policy_is_own_words_with_the_rules():
    assert "2024-05-15 15:00:00 EST" in DOMAIN.policy
    assert "YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON." in DOMAIN.policy
    if (AIRLINE / "policy.md").is_file():
        assert DOMAIN.policy != (AIRLINE / "policy.md").read_text(encoding="utf-8")


def test_normalize_orders_fields_and_fills_defaults():
    db = SMALL_BASE.store().dump()
    assert list(db["flights"]["HAT001"])[:3] == ["flight_number", "origin", "destination"]
    user = db["users"]["ada_lovelace_1000"]
    assert user["address"]["address2"] is None and list(user["address"])[1] == "address2"
    assert list(user["payment_methods"]["credit_card_1"]) == ["source", "id", "brand", "last_four"]
    assert user["payment_methods"]["gift_card_1"] == {"source": "gift_card", "id": "gift_card_1", "amount": 100.0}
    assert db["reservations"]["ABC123"]["status"] is None
    assert (list(db["reservations"]["ABC123"]["flights"][0])
            == ["flight_number", "origin", "destination", "date", "price"])
    with pytest.raises(ValidationError):
        normalize_db({**small_db(), "extra": {}})


def test_argument_errors():
    env = env_small()
    assert error(env, "get_user_details", user="x") == (
        "Error: AirlineTools.get_user_details() got an unexpected keyword argument 'user'")
    assert error(env, "search_direct_flight", origin="JFK") == (
        "Error: AirlineTools.search_direct_flight() missing 2 required positional arguments: 'destination' and 'date'")
    assert error(env, "nope") == "Error: Tool 'nope' not found."


# -- reads -----------------------------------------------------------------------------------------
def test_lookup_errors_and_status():
    env = env_small()
    assert error(env, "get_user_details", user_id="zzz") == "Error: User zzz not found"
    assert error(env, "get_reservation_details", reservation_id="ZZZ") == "Error: Reservation ZZZ not found"
    assert (error(env, "get_flight_status", flight_number="HAT999", date="2024-05-20")
            == "Error: Flight HAT999 not found")
    assert error(env, "get_flight_status", flight_number="HAT001", date="2024-06-01") == (
        "Error: Flight HAT001 not found on date 2024-06-01")
    statuses = [call(env, "get_flight_status", flight_number="HAT001", date=d).content
                for d in ("2024-05-10", "2024-05-14", "2024-05-15", "2024-05-20")]
    assert statuses == ["landed", "cancelled", "flying", "available"]
    assert call(env, "get_flight_status", flight_number="HAT003", date="2024-05-16").content == "on time"


def test_list_all_airports():
    airports = ok(env_small(), "list_all_airports")
    assert len(airports) == 20 and airports[0] == {"iata": "SFO", "city": "San Francisco"}
    assert airports[-1] == {"iata": "LGA", "city": "LaGuardia"}
    assert [a["iata"] for a in airports][12:15] == ["LAS", "MCO", "EWR"]


def test_search_direct_dump_has_null_date():
    env = env_small()
    content = call(env, "search_direct_flight", origin="JFK", destination="LAX", date="2024-05-20").content
    assert content == (
        '[{"flight_number": "HAT001", "origin": "JFK", "destination": "LAX", "status": "available", '
        '"scheduled_departure_time_est": "08:00:00", "scheduled_arrival_time_est": "13:30:00", "date": null, '
        '"available_seats": {"basic_economy": 5, "economy": 3, "business": 2}, '
        '"prices": {"basic_economy": 100, "economy": 200, "business": 500}}]')
    assert ok(env, "search_direct_flight", origin="JFK", destination="LAX", date="2024-05-15") == []  # flying
    assert ok(env, "search_direct_flight", origin="XXX", destination="LAX", date="2024-05-20") == []


def test_search_onestop_leave_after_and_dates():
    env = env_small()
    pairs = ok(env, "search_onestop_flight", origin="JFK", destination="LAX", date="2024-05-20")
    # HAT004 leaves at 08:00:00 >= HAT003's arrival 08:00:00; HAT005 (07:00) is too early.
    assert [(a["flight_number"], b["flight_number"]) for a, b in pairs] == [("HAT003", "HAT004")]
    assert pairs[0][0]["date"] == "2024-05-20" and pairs[0][1]["date"] == "2024-05-20"
    assert list(pairs[0][0])[6] == "date"


def test_search_onestop_next_day_quirks():
    env = env_small()
    # HAT002 arrives 06:00:00+1: the second leg is searched on the next day, and only departures
    # whose time string is >= "06:00:00+1" qualify ("07:00:00" yes, "06:00:00" no).
    pairs = ok(env, "search_onestop_flight", origin="LAX", destination="ORD", date="2024-05-20")
    assert ([(a["flight_number"], b["flight_number"], b["date"]) for a, b in pairs]
            == [("HAT002", "HAT007", "2024-05-21")])
    # tau2 quirk: the next day is not zero-padded: 2024-05-05 -> "2024-05-6" (a key of HAT007 here).
    pairs = ok(env, "search_onestop_flight", origin="LAX", destination="ORD", date="2024-05-05")
    assert [(b["flight_number"], b["date"]) for _, b in pairs] == [("HAT007", "2024-05-6")]
    # 2024-05-09 -> "2024-05-10" (padded by accident of two digits).
    pairs = ok(env, "search_onestop_flight", origin="LAX", destination="ORD", date="2024-05-09")
    assert [(b["flight_number"], b["date"]) for _, b in pairs] == [("HAT007", "2024-05-10")]


# -- booking ---------------------------------------------------------------------------------------
def test_book_reservation_success_and_state():
    env = env_small()
    args = booking(passengers=[{"first_name": "A", "last_name": "B", "dob": "2000-01-01", "extra": 1}] * 2,
                   payment_methods=[{"payment_id": "gift_card_1", "amount": 100},
                                    {"payment_id": "certificate_1", "amount": 150},
                                    {"payment_id": "credit_card_1", "amount": 260.0}],
                   insurance="yes", nonfree_baggages=1, total_baggages=2.0)
    result = call(env, "book_reservation", **args)
    assert not result.error, result.content
    reservation = json.loads(result.content)
    assert result.content.startswith('{"reservation_id": "HATHAT", "user_id": "ada_lovelace_1000"')
    assert reservation["flights"] == [{"flight_number": "HAT001", "origin": "JFK", "destination": "LAX",
                                       "date": "2024-05-20", "price": 200}]
    assert reservation["passengers"] == [{"first_name": "A", "last_name": "B", "dob": "2000-01-01"}] * 2
    assert reservation["payment_history"][2] == {"payment_id": "credit_card_1", "amount": 260}
    assert reservation["created_at"] == "2024-05-15T15:00:00" and reservation["total_baggages"] == 2
    assert reservation["status"] is None
    user = ok(env, "get_user_details", user_id="ada_lovelace_1000")
    assert user["payment_methods"]["gift_card_1"]["amount"] == 0.0
    assert "certificate_1" not in user["payment_methods"]  # consumed whole
    assert user["reservations"] == ["ABC123", "HATHAT"]
    assert env.db.get("flights", "HAT001")["dates"]["2024-05-20"]["available_seats"]["economy"] == 1
    assert SMALL_BASE.tables["flights"]["HAT001"]["dates"]["2024-05-20"]["available_seats"]["economy"] == 3


def test_book_reservation_ids_run_out():
    env = env_small()
    ids = [ok(env, "book_reservation", **booking(flights=[], payment_methods=[]))["reservation_id"] for _ in range(3)]
    assert ids == ["HATHAT", "HATHAU", "HATHAV"]
    assert error(env, "book_reservation", **booking(flights=[], payment_methods=[])) == "Error: Too many reservations"


@pytest.mark.parametrize("overrides, expected", [
    ({"user_id": "nobody"}, "Error: User nobody not found"),
    ({"flights": [{"flight_number": "HAT999", "date": "2024-05-20"}]}, "Error: Flight HAT999 not found"),
    ({"flights": [{"flight_number": "HAT001", "date": "2024-06-20"}]},
     "Error: Flight HAT001 not found on date 2024-06-20"),
    ({"flights": [{"flight_number": "HAT001", "date": "2024-05-10"}]},
     "Error: Flight HAT001 not available on date 2024-05-10"),
    ({"cabin": "business", "passengers": [{"first_name": "A", "last_name": "B", "dob": "x"}] * 3},
     "Error: Not enough seats on flight HAT001"),
    ({"payment_methods": [{"payment_id": "credit_card_9", "amount": 200}]},
     "Error: Payment method credit_card_9 not found"),
    ({"payment_methods": [{"payment_id": "gift_card_1", "amount": 101}, {"payment_id": "credit_card_1", "amount": 99}]},
     "Error: Not enough balance in payment method gift_card_1"),
    ({"payment_methods": [{"payment_id": "credit_card_1", "amount": 100}]},
     "Error: Payment amount does not add up, total price is 200, but paid 100"),
    ({"insurance": "yes", "nonfree_baggages": 2.0},
     "Error: Payment amount does not add up, total price is 330.0, but paid 200"),
    ({"flights": ["HAT001"]}, "Error: 'str' object has no attribute 'flight_number'"),
    ({"flights": [{"flight_number": "HAT001", "date": "2024-05-20"}, "x"]},
     "Error: 'dict' object has no attribute 'flight_number'"),
])
def test_book_reservation_errors(overrides, expected):
    env = env_small()
    before = env.fingerprint()
    assert error(env, "book_reservation", **booking(**overrides)) == expected
    assert env.fingerprint() == before


@pytest.mark.parametrize("overrides, model", [
    ({"flights": [{"flight_number": "HAT001"}]}, "FlightInfo"),
    ({"passengers": [{"first_name": "A", "last_name": "B"}]}, "Passenger"),
    ({"payment_methods": [{"payment_id": "credit_card_1", "amount": 200.5}]}, "Payment"),
    ({"cabin": "first"}, "Reservation"),
    ({"insurance": True}, "Reservation"),
    ({"passengers": ["Ada"]}, "Reservation"),
])
def test_book_reservation_validation_errors(overrides, model):
    text = error(env_small(), "book_reservation", **booking(**overrides))
    assert text.startswith(f"Error: 1 validation error for {model}\n")


def test_book_duplicate_certificate_fails_after_partial_deduction():
    env = env_small()
    args = booking(payment_methods=[{"payment_id": "gift_card_1", "amount": 50},
                                    {"payment_id": "certificate_1", "amount": 75},
                                    {"payment_id": "certificate_1", "amount": 75}])
    assert error(env, "book_reservation", **args) == "Error: 'certificate_1'"
    methods = ok(env, "get_user_details", user_id="ada_lovelace_1000")["payment_methods"]
    assert methods["gift_card_1"]["amount"] == 50.0 and "certificate_1" not in methods
    assert not env.db.has("reservations", "HATHAT")


# -- cancel / certificates ------------------------------------------------------------------------
def test_cancel_appends_negations_without_refund_or_seats():
    env = env_small()
    first = ok(env, "cancel_reservation", reservation_id="ABC123")
    assert first["status"] == "cancelled"
    assert first["payment_history"] == [{"payment_id": "credit_card_1", "amount": 360},
                                        {"payment_id": "credit_card_1", "amount": -360}]
    second = ok(env, "cancel_reservation", reservation_id="ABC123")  # no already-cancelled check
    assert [p["amount"] for p in second["payment_history"]] == [360, -360, -360, 360]
    assert env.db.get("flights", "HAT001") is SMALL_BASE.tables["flights"]["HAT001"]  # no seat released
    assert error(env, "cancel_reservation", reservation_id="NOPE") == "Error: Reservation NOPE not found"


def test_send_certificate_texts_and_ids():
    env = env_small()
    assert call(env, "send_certificate", user_id="ada_lovelace_1000", amount=50).content == (
        "Certificate certificate_3221322 added to user ada_lovelace_1000 with amount 50.")
    assert call(env, "send_certificate", user_id="ada_lovelace_1000", amount=50.5).content.endswith("amount 50.5.")
    assert call(env, "send_certificate", user_id="ada_lovelace_1000", amount="25").content.endswith("amount 25.")
    methods = ok(env, "get_user_details", user_id="ada_lovelace_1000")["payment_methods"]
    assert methods["certificate_3221322"] == {"source": "certificate", "id": "certificate_3221322", "amount": 50.0}
    assert methods["certificate_3221324"]["amount"] == 25.0
    assert list(methods)[-1] == "certificate_3221324"
    assert error(env, "send_certificate", user_id="ada_lovelace_1000", amount=1) == "Error: Too many certificates"
    assert error(env, "send_certificate", user_id="nobody", amount=1) == "Error: User nobody not found"
    assert error(env_small(), "send_certificate", user_id="ada_lovelace_1000", amount=None).startswith(
        "Error: 1 validation error for Certificate")


# -- updates ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("payment_id, expected", [
    ("credit_card_9", "Error: Payment method not found"),
    ("certificate_1", "Error: Certificate cannot be used to update reservation"),
])
def test_update_payment_errors(payment_id, expected):
    env = env_small()
    assert error(env, "update_reservation_baggages", reservation_id="ABC123", total_baggages=0,
                 nonfree_baggages=0, payment_id=payment_id) == expected  # even when the price is 0
    assert error(env, "update_reservation_flights", reservation_id="ABC123", cabin="economy",
                 flights=[], payment_id=payment_id) == expected


def test_update_baggages_charges_and_assigns_raw():
    env = env_small()
    assert error(env, "update_reservation_baggages", reservation_id="ABC123", total_baggages=3,
                 nonfree_baggages=3, payment_id="gift_card_1") == "Error: Gift card balance is not enough"
    res = ok(env, "update_reservation_baggages", reservation_id="ABC123", total_baggages=2.0,
             nonfree_baggages=2, payment_id="gift_card_1")
    assert res["payment_history"][-1] == {"payment_id": "gift_card_1", "amount": 100}
    content = call(env, "get_reservation_details", reservation_id="ABC123").content
    assert '"total_baggages": 2.0, "nonfree_baggages": 2' in content  # raw, not coerced
    assert ok(env, "get_user_details", user_id="ada_lovelace_1000")["payment_methods"]["gift_card_1"]["amount"] == 0.0
    res = ok(env, "update_reservation_baggages", reservation_id="ABC123", total_baggages=1,
             nonfree_baggages=0, payment_id="credit_card_1")  # removing bags: price 0, no payment
    assert len(res["payment_history"]) == 2 and res["nonfree_baggages"] == 0
    assert error(env, "update_reservation_baggages", reservation_id="ABC123", total_baggages=1,
                 nonfree_baggages=1.01, payment_id="credit_card_1").startswith("Error: 1 validation error for Payment")


def test_update_flights_keeps_old_price_in_same_cabin():
    env = env_small()
    flights = [{"flight_number": "HAT001", "date": "2024-05-20"}, {"flight_number": "HAT002", "date": "2024-05-21"}]
    res = ok(env, "update_reservation_flights", reservation_id="ABC123", cabin="economy", flights=flights,
             payment_id="credit_card_1")
    assert [f["price"] for f in res["flights"]] == [180, 200]  # kept segment keeps 180, not today's 200
    assert res["payment_history"][-1] == {"payment_id": "credit_card_1", "amount": 400}
    assert res["origin"] == "JFK" and res["destination"] == "LAX"  # no consistency check
    assert env.db.get("flights", "HAT002") is SMALL_BASE.tables["flights"]["HAT002"]  # no seats taken


def test_update_flights_cabin_change_reprices_and_refunds_to_gift_card():
    env = env_small()
    res = ok(env, "update_reservation_flights", reservation_id="ABC123", cabin="basic_economy",
             flights=[{"flight_number": "HAT001", "date": "2024-05-20"}], payment_id="gift_card_1")
    assert res["cabin"] == "basic_economy" and res["flights"][0]["price"] == 100
    assert res["payment_history"][-1] == {"payment_id": "gift_card_1", "amount": -160}
    methods = ok(env, "get_user_details", user_id="ada_lovelace_1000")["payment_methods"]
    assert methods["gift_card_1"]["amount"] == 260.0  # a refund credits the gift card


def test_update_flights_errors():
    env = env_small()
    def upd(flights, cabin="economy"):
        return error(env, "update_reservation_flights", reservation_id="ABC123", cabin=cabin, flights=flights,
                     payment_id="credit_card_1")
    assert (upd([{"flight_number": "HAT001", "date": "2024-05-10"}])
            == "Error: Flight HAT001 not available on date 2024-05-10")
    assert upd([{"flight_number": "HAT001", "date": "2024-05-21"}], cabin="business") == (
        "Error: Not enough seats on flight HAT001")
    assert upd([{"flight_number": "HAT001", "date": "2024-05-21"}], cabin="first") == "Error: 'first'"
    assert upd([{"flight_number": "HAT001"}]).startswith("Error: 1 validation error for FlightInfo")
    assert upd([{"flight_number": "HAT009", "date": "2024-05-20"}]) == "Error: Flight HAT009 not found"
    assert error(env, "update_reservation_flights", reservation_id="NOPE", cabin="economy", flights=[],
                 payment_id="credit_card_1") == "Error: Reservation NOPE not found"


def test_update_passengers():
    env = env_small()
    two = [{"first_name": "X", "last_name": "Y", "dob": "2001-01-01"}] * 2
    assert error(env, "update_reservation_passengers", reservation_id="ABC123", passengers=two[:1]) == (
        "Error: Number of passengers does not match")
    assert error(env, "update_reservation_passengers", reservation_id="ABC123",
                 passengers=[{"first_name": "X"}]).startswith("Error: 2 validation errors for Passenger")
    assert ok(env, "update_reservation_passengers", reservation_id="ABC123", passengers=two)["passengers"] == two


# -- tau2 data -------------------------------------------------------------------------------------
def test_literal_example_task_1(tau2_base):
    env = Environment(DOMAIN, tau2_base.store())
    assert call(env, "get_reservation_details", reservation_id="Q69X3R").content == LITERAL_Q69X3R


def test_replay_every_gold_action(tau2_base):
    tasks = load_tasks(AIRLINE / "tasks.json")
    before = tau2_base.store().fingerprint()
    calls = errors = 0
    for task in tasks:
        env = Environment(DOMAIN, tau2_base.store()).apply_initial_state(task.initial_state)
        for action in task.actions:
            result = env.step(action.name, dict(action.arguments))
            calls += 1
            errors += result.error
        if task.id in ("17", "18", "23"):  # the reference fingerprint of a full dump is slow (3 MB)
            assert env.fingerprint() == fingerprint(env.db.dump())
    assert (len(tasks), calls, errors) == (50, 142, 0)
    assert tau2_base.store().fingerprint() == before == fingerprint(tau2_base.store().dump())


def test_fork_isolation(tau2_base):
    env = Environment(DOMAIN, tau2_base.store())
    ok(env, "cancel_reservation", reservation_id="Q69X3R")
    fork = env.fork()
    ok(fork, "send_certificate", user_id="raj_sanchez_7340", amount=100)
    assert "certificate_3221322" not in ok(env, "get_user_details", user_id="raj_sanchez_7340")["payment_methods"]
    assert tau2_base.tables["reservations"]["Q69X3R"]["status"] is None
    assert env.reset().fingerprint() == tau2_base.store().fingerprint()


def test_invariants_on_tau2_data():
    if not (AIRLINE / "db.json").is_file():
        pytest.skip(f"tau2 airline data not found at {AIRLINE}")
    raw = json.loads((AIRLINE / "db.json").read_text(encoding="utf-8"))
    # The one known exception: tau2 set HAT018 on 2024-05-11 to "delayed" (4 days before now).
    assert invariants(raw) == ["flight HAT018 2024-05-11: delayed on a day other than today"]

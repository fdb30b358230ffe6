"""Tests of the airline database generator: determinism, invariants, realism, and tools on its output."""

from __future__ import annotations

import json

import pytest

from tests.domains.test_airline import DOMAIN, booking, flight, ok  # noqa: F401 (fixtures and helpers)
from writ.core import Environment
from writ.domains.airline.generate import generate
from writ.domains.airline.invariants import invariants
from writ.domains.airline.schema import normalize_db


# -- generator -------------------------------------------------------------------------------------
def test_generator_is_deterministic_and_seed_dependent():
    a, user_a = generate(7, 0.3)
    b, _ = generate(7, 0.3)
    assert user_a is None
    assert json.dumps(a) == json.dumps(b)
    assert json.dumps(generate(8, 0.3)[0]) != json.dumps(a)


@pytest.mark.parametrize("seed", range(21))
def test_generator_invariants(seed):
    scale = (0.1, 0.5, 1.0, 2.0, 0.25, 1.5, 0.75)[seed % 7]
    db, _ = generate(seed, scale)
    assert invariants(db) == []
    assert len(db["reservations"]) == max(5, round(2000 * scale))
    assert len(db["users"]) == max(3, round(500 * scale))
    # Generated data is already in normal form, and fares of bookable dates are what was paid.
    assert json.dumps(normalize_db(db)) == json.dumps(db)
    for res in db["reservations"].values():
        for seg in res["flights"]:
            info = db["flights"][seg["flight_number"]]["dates"][seg["date"]]
            if info["status"] == "available":
                assert info["prices"][res["cabin"]] == seg["price"]


def test_generated_network_is_rich():
    db, _ = generate(3, 1.0)
    assert 250 <= len(db["flights"]) <= 350
    assert all(n.startswith("HAT") and len(n) == 6 for n in db["flights"])
    assert any("+1" in f["scheduled_arrival_time_est"] for f in db["flights"].values())
    statuses = {info["status"] for f in db["flights"].values() for info in f["dates"].values()}
    assert statuses == {"available", "landed", "cancelled", "flying", "on time", "delayed"}
    assert any(r["status"] == "cancelled" for r in db["reservations"].values())
    env = Environment(DOMAIN, DOMAIN.base(db).store())
    for origin, destination in (("JFK", "LAX"), ("LGA", "ORD"), ("SFO", "JFK")):
        direct = ok(env, "search_direct_flight", origin=origin, destination=destination, date="2024-05-25")
        assert len(direct) >= 2
        assert len({f["scheduled_arrival_time_est"] for f in direct}) == len(direct)
        assert ok(env, "search_onestop_flight", origin=origin, destination=destination, date="2024-05-25")
    airports = [a["iata"] for a in ok(env, "list_all_airports")]
    missing = [(o, d) for o in airports for d in airports if o != d
               and not ok(env, "search_direct_flight", origin=o, destination=d, date="2024-05-26")
               and not ok(env, "search_onestop_flight", origin=o, destination=d, date="2024-05-26")]
    assert len(missing) <= 10


def test_tools_work_on_generated_data():
    db, _ = generate(11, 0.2)
    env = Environment(DOMAIN, DOMAIN.base(db).store())
    user = next(u for u in db["users"].values() if u["reservations"]
                and any(m["source"] == "credit_card" for m in u["payment_methods"].values()))
    card = next(m["id"] for m in user["payment_methods"].values() if m["source"] == "credit_card")
    rid = next(r for r in user["reservations"] if db["reservations"][r]["status"] is None)
    res = ok(env, "get_reservation_details", reservation_id=rid)
    assert ok(env, "get_user_details", user_id=user["user_id"])["user_id"] == user["user_id"]
    found = ok(env, "search_direct_flight", origin="JFK", destination="LAX", date="2024-05-20")
    assert found and all(f["status"] == "available" for f in found)
    flight = next(f for f in found if f["available_seats"]["economy"] >= 1)
    booked = ok(env, "book_reservation", **booking(
        user_id=user["user_id"], flights=[{"flight_number": flight["flight_number"], "date": "2024-05-20"}],
        payment_methods=[{"payment_id": card, "amount": flight["prices"]["economy"]}]))
    assert booked["reservation_id"] == "HATHAT"
    ok(env, "update_reservation_baggages", reservation_id="HATHAT", total_baggages=1, nonfree_baggages=1,
       payment_id=card)
    assert ok(env, "cancel_reservation", reservation_id=res["reservation_id"])["status"] == "cancelled"
    assert invariants(env.db.dump()) == []

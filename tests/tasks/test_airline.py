"""The airline task generator: yield, grid coverage, soundness, secrecy, determinism, policy."""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from pathlib import Path

import pytest

from writ.data import load_data
from writ.replay import replay_task
from writ.task import Action
from writ.tasks import AxisRange, Cell, DraftError, generate_tasks, get_generator, leaked_ids, validate_task
from writ.tasks.airline.common import allowance, cancel_grounds, is_upcoming
from writ.tasks.airline.search import Itinerary, Leg, choose

TAU2 = (Path(__file__).resolve().parents[2] / ".." / "shared" / "tau2").resolve()
WRITES, EVIDENCE = AxisRange(1, 5), AxisRange(0, 12)


def tau2_dir() -> Path:
    if not (TAU2 / "airline" / "db.json").is_file():
        pytest.skip(f"tau2 airline data not found at {TAU2} (the workplace's shared/ folder)")
    return TAU2
_CACHE: dict[str, tuple] = {}


def _data(source: str):
    if source == "tau2":
        return load_data("airline", tau2_data=tau2_dir())
    return load_data("airline", seed=0, scale=1.0)


def _run(source: str, n: int = 500, seed: int = 0):
    key = f"{source}/{n}/{seed}"
    if key not in _CACHE:
        data = _data(source)
        start = time.perf_counter()
        tasks, report = generate_tasks(data, n, WRITES, EVIDENCE, seed=seed)
        _CACHE[key] = (data, tasks, report, time.perf_counter() - start)
    return _CACHE[key]


@pytest.mark.parametrize("source", ["tau2", "generated"])
def test_500_tasks_cover_the_grid(source):
    data, tasks, report, seconds = _run(source)
    print(f"\n{source}: {report.produced}/500 in {seconds:.1f}s ({report.produced / seconds:.1f} tasks/s), "
          f"attempts {report.attempts}, rejections {dict(report.rejections)}")
    assert report.produced >= 480
    writes = Counter(t.writ["n_writes"] for t in tasks)
    evidence = Counter(t.writ["evidence"] for t in tasks)
    assert set(range(1, 6)) <= set(writes)
    assert set(range(0, 11)) <= set(evidence)
    with_writes = [t for t in tasks if t.writ["target"]["outcome"] == "write"]
    on_target = sum((t.writ["n_writes"], t.writ["evidence"])
                    == (t.writ["target"]["writes"], t.writ["target"]["evidence"])
                    for t in with_writes)
    assert on_target >= 0.95 * len(with_writes)
    assert all(t.writ["n_writes"] == 0 for t in tasks if t.writ["target"]["outcome"] != "write")
    keys = {json.dumps([[a.name, a.arguments] for a in t.actions if a.name in _WRITE_NAMES], sort_keys=True)
            for t in with_writes}
    assert len(keys) >= 0.9 * len(with_writes)


_WRITE_NAMES = {"book_reservation", "cancel_reservation", "send_certificate", "update_reservation_baggages",
                "update_reservation_flights", "update_reservation_passengers"}


@pytest.mark.parametrize("source", ["tau2", "generated"])
def test_every_task_replays_and_keeps_secrets(source):
    data, tasks, _, _ = _run(source)
    for task in tasks:
        result = replay_task(data, task)
        assert not any(result["errors"]), (task.id, result["outputs"])
        if task.writ["evidence"] >= 3:
            assert not leaked_ids(task), task.id
        booked = [a for a in task.actions if a.name == "book_reservation"]
        assert len(booked) <= 3
        calls = [json.dumps([a.name, a.arguments], sort_keys=True) for a in task.actions if a.name in _WRITE_NAMES]
        assert len(calls) == len(set(calls)), task.id
        for write in task.writ["writes"]:
            if write["evidence"] >= 3:
                text = json.dumps(task.user_scenario)
                assert not [s for s in write["secret_ids"] if s in text], task.id


@pytest.mark.parametrize("source", ["tau2", "generated"])
def test_tasks_read_like_requests(source):
    data, tasks, _, _ = _run(source)
    families = Counter(f for t in tasks for f in t.writ.get("families", []))
    for family in ("book", "cancel", "bags", "passengers", "cabin", "change", "certificate", "info"):
        assert families[family] > 0, families
    openings = Counter(t.user_scenario["instructions"]["reason_for_call"][:40] for t in tasks)
    assert openings.most_common(1)[0][1] < 0.2 * len(tasks)
    for task in tasks:
        ins = task.user_scenario["instructions"]
        assert ins["known_info"].startswith("You are ")
        assert task.writ["facts"]["auth"]["method"] == "user_id"
        assert task.actions[task.writ["facts"]["auth_action"]].name == "get_user_details"
        assert "{" not in ins["reason_for_call"] and "}" not in ins["reason_for_call"]
        for request in task.writ["requests"]:
            assert request["utterance"] and request["instruction"]


def test_same_seed_same_file():
    data = load_data("airline", seed=0, scale=1.0)
    a, _ = generate_tasks(data, 120, WRITES, EVIDENCE, seed=7)
    b, _ = generate_tasks(data, 120, WRITES, EVIDENCE, seed=7)
    assert json.dumps([t.to_json() for t in a]) == json.dumps([t.to_json() for t in b])


def test_same_seed_same_file_across_processes():
    """No set or hash order leaks into the output: two interpreters with different hash seeds agree."""
    import os
    import subprocess
    import sys

    code = ("import json, hashlib; from writ.data import load_data; from writ.tasks import generate_tasks, AxisRange; "
            "t, _ = generate_tasks(load_data('airline', seed=0, scale=0.5), 40, AxisRange(1, 5), AxisRange(0, 12), "
            "seed=11); print(hashlib.sha256(json.dumps([x.to_json() for x in t]).encode()).hexdigest())")
    out = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env=dict(os.environ, PYTHONHASHSEED=seed)).stdout for seed in ("1", "2")]
    assert out[0] == out[1] and out[0]


def test_tau2_small_run_is_deterministic():
    data = _data("tau2")
    a, _ = generate_tasks(data, 100, WRITES, EVIDENCE, seed=3)
    b, _ = generate_tasks(data, 100, WRITES, EVIDENCE, seed=3)
    assert json.dumps([t.to_json() for t in a]) == json.dumps([t.to_json() for t in b])


def test_draft_validates_and_rechecks_uniqueness():
    data = load_data("airline", seed=0, scale=1.0)
    gen = get_generator("airline")
    built = 0
    for i in range(40):
        cell = Cell(1 + i % 5, (i * 7) % 13)
        try:
            draft = gen.draft(data, cell, random.Random(f"t/{i}"))
        except DraftError:
            continue
        task = draft.build(f"t{i}", seed=0, source=data.source)
        assert validate_task(data, task, expected_outputs=draft.outputs, policy=gen.policy_violation,
                             checks=draft.checks) is None
        assert task.writ["n_writes"] == cell.writes and task.writ["evidence"] == cell.evidence
        built += 1
    assert built >= 30


def _itin(number: str, departs: int, minutes: int, price: int, seats: int = 9) -> Itinerary:
    leg = Leg(number, "JFK", "SEA", "2024-05-25", departs, departs + minutes,
              (("basic_economy", seats), ("business", seats), ("economy", seats)),
              (("basic_economy", price // 2), ("business", price * 3), ("economy", price)))
    return Itinerary((leg,))


def test_choose_rejects_ties_and_full_flights():
    a, b, c = _itin("HAT001", 600, 300, 200), _itin("HAT002", 700, 400, 300), _itin("HAT003", 800, 310, 205)
    best, compared = choose([a, b], "fastest", "economy", 2)
    assert best is a and compared == 2
    with pytest.raises(DraftError):
        choose([a, b, c], "fastest", "economy", 2)  # 300 vs 310 minutes: too close to tell apart
    with pytest.raises(DraftError):
        choose([a, b, c], "cheapest", "economy", 2)  # $200 vs $205
    assert choose([a, b], "cheapest", "economy", 2)[0] is a
    with pytest.raises(DraftError):
        choose([_itin("HAT001", 600, 300, 200, seats=1), b], "cheapest", "economy", 2)
    with pytest.raises(DraftError):
        choose([a], "cheapest", "economy", 1)


# -- policy -------------------------------------------------------------------------------------
def _env():
    data = load_data("airline", seed=0, scale=1.0)
    return data, data.environment()


def _act(name, **arguments):
    return Action(name=name, arguments=arguments)


def test_policy_refuses_cancellation_without_grounds():
    data, env = _env()
    gen = get_generator("airline")
    refused = allowed = 0
    for r in env.db.values("reservations"):
        verdict = gen.policy_violation(env, _act("cancel_reservation", reservation_id=r["reservation_id"]))
        if cancel_grounds(env, r):
            assert verdict is None
            allowed += 1
        else:
            assert verdict
            refused += 1
    assert refused and allowed


def test_policy_checks_bags_flights_passengers_and_certificates():
    data, env = _env()
    gen = get_generator("airline")
    users = {u["user_id"]: u for u in env.db.values("users")}
    basic = next(r for r in env.db.values("reservations") if r["cabin"] == "basic_economy" and is_upcoming(env, r))
    user = users[basic["user_id"]]
    card = next((m["id"] for m in user["payment_methods"].values() if m["source"] == "credit_card"), None)
    same = [{"flight_number": s["flight_number"], "date": s["date"]} for s in basic["flights"]]
    other = [dict(same[0], date="2024-05-29")] + same[1:]
    assert "basic economy" in gen.policy_violation(env, _act(
        "update_reservation_flights", reservation_id=basic["reservation_id"], cabin="basic_economy", flights=other,
        payment_id=card))
    assert gen.policy_violation(env, _act(
        "update_reservation_flights", reservation_id=basic["reservation_id"], cabin="economy", flights=same,
        payment_id=card)) is None or card is None
    free = allowance(user["membership"], basic["cabin"], len(basic["passengers"]))
    total = basic["total_baggages"] + 2
    good = max(basic["nonfree_baggages"], total - free)
    assert gen.policy_violation(env, _act(
        "update_reservation_baggages", reservation_id=basic["reservation_id"], total_baggages=total,
        nonfree_baggages=good + 1, payment_id=card))
    assert gen.policy_violation(env, _act(
        "update_reservation_baggages", reservation_id=basic["reservation_id"], total_baggages=total - 3,
        nonfree_baggages=0, payment_id=card))
    assert gen.policy_violation(env, _act(
        "update_reservation_passengers", reservation_id=basic["reservation_id"],
        passengers=basic["passengers"] + [{"first_name": "A", "last_name": "B", "dob": "2000-01-01"}]))
    regular = next(u for u in users.values() if u["membership"] == "regular" and u["reservations"] and all(
        env.db.get("reservations", rid)["insurance"] == "no" and env.db.get("reservations", rid)["cabin"] != "business"
        for rid in u["reservations"]))
    assert gen.policy_violation(env, _act("send_certificate", user_id=regular["user_id"], amount=100))


def test_policy_checks_booking_payment_and_bags():
    data, env = _env()
    gen = get_generator("airline")
    user = next(u for u in env.db.values("users")
                if sum(m["source"] == "credit_card" for m in u["payment_methods"].values()) >= 2)
    cards = [m["id"] for m in user["payment_methods"].values() if m["source"] == "credit_card"]
    flight = next(f for f in env.db.values("flights") if f["dates"]["2024-05-20"]["status"] == "available")
    base = dict(user_id=user["user_id"], origin=flight["origin"], destination=flight["destination"],
                flight_type="one_way", cabin="economy", flights=[{"flight_number": flight["flight_number"],
                                                                  "date": "2024-05-20"}],
                passengers=[{"first_name": "A", "last_name": "B", "dob": "2000-01-01"}],
                payment_methods=[{"payment_id": cards[0], "amount": 100}], total_baggages=0, nonfree_baggages=0,
                insurance="no")
    assert gen.policy_violation(env, _act("book_reservation", **base)) is None
    two_cards = dict(base, payment_methods=[{"payment_id": c, "amount": 50} for c in cards[:2]])
    assert "credit card" in gen.policy_violation(env, _act("book_reservation", **two_cards))
    free = allowance(user["membership"], "economy", 1)
    too_few_paid = dict(base, total_baggages=free + 1, nonfree_baggages=0)
    assert gen.policy_violation(env, _act("book_reservation", **too_few_paid))
    wrong_way = dict(base, destination=flight["origin"])
    assert gen.policy_violation(env, _act("book_reservation", **wrong_way))

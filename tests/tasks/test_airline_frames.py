"""Airline tasks as the offline pair plays them: frames, withheld slots, outcomes, realism."""

from __future__ import annotations

from collections import Counter

import pytest

from writ.domains.airline.ops import RESERVATION_IDS
from writ.task import Action
from writ.tasks import generate_tasks, validate_task
from writ.tasks.airline.common import WRITE_TOOLS
from writ.tasks.airline.policy import policy_violation
from writ.tasks.airline.selectors import (
    Ambiguous,
    find_reservation,
    is_upcoming_record,
    user_reservations,
)

from .conftest import EVIDENCE, WRITES, load_source

_MIXED: dict[str, tuple] = {}


def five_hundred(domain: str, source: str):
    """(data, tasks, report, seconds): 500 tasks with the domain's default outcome mix, seed 0."""
    if source not in _MIXED:
        data = load_source(domain, source)
        tasks, report = generate_tasks(data, 500, WRITES, EVIDENCE, seed=0)
        _MIXED[source] = (data, tasks, report, 0.0)
    return _MIXED[source]

SOURCES = ["tau2", "generated"]
FAMILIES = {"book", "cabin", "change", "cancel", "cancel_many", "bags", "remove_bags", "passengers", "compensation",
            "info_total", "info_bags", "info_status", "info_fare"}


@pytest.mark.parametrize("source", SOURCES)
def test_every_request_has_a_frame_the_customer_can_state(source):
    _, tasks, _, _ = five_hundred("airline", source)
    families = Counter()
    for task in tasks:
        for request in task.writ["requests"]:
            frame = request["frame"]
            assert frame.get("family") in FAMILIES, (task.id, frame)
            assert set(request["withhold"]) <= set(frame), (task.id, request["withhold"], frame)
            assert request["outcome"] in ("write", "refuse", "transfer", "inform")
            families[frame["family"]] += 1
    assert {"book", "cancel", "bags", "passengers", "cabin", "change", "compensation"} <= set(families), families


@pytest.mark.parametrize("source", SOURCES)
def test_the_policy_makes_the_agent_ask(source):
    """Insurance and payment of bookings, and cancellation reasons, are mostly held back until asked."""
    _, tasks, _, _ = five_hundred("airline", source)
    held = Counter()
    books = cancels = 0
    for task in tasks:
        for request in task.writ["requests"]:
            family = request["frame"]["family"]
            books += family == "book"
            cancels += family == "cancel"
            held.update(f"{family}:{slot}" for slot in request["withhold"])
    assert held["book:insurance"] >= 0.6 * books and held["book:payment"] >= 0.5 * books
    assert held["cancel:reason"] >= 0.6 * cancels


@pytest.mark.parametrize("source", SOURCES)
def test_no_write_on_a_booking_made_in_the_same_task(source):
    _, tasks, _, _ = five_hundred("airline", source)
    new_ids = set(RESERVATION_IDS)  # the ids the booking tool gives new reservations, in order
    for task in tasks:
        if any(a.name == "book_reservation" for a in task.actions):
            writes = [a for a in task.actions if a.name in WRITE_TOOLS and a.name != "book_reservation"]
            assert not [a for a in writes if a.arguments.get("reservation_id") in new_ids], task.id


@pytest.mark.parametrize("source", SOURCES)
def test_superlatives_compare_at_least_two_different_candidates(source):
    data, tasks, _, _ = five_hundred("airline", source)
    seen = 0
    for task in tasks:
        specs = [r["frame"].get("reservation") for r in task.writ["requests"]]
        for spec in specs:
            if not spec or spec["kind"] not in ("recent", "most_pax"):
                continue
            seen += 1
            db = data.environment(task).db
            uid = task.writ["facts"]["auth"]["user_id"]
            records = user_reservations(db, uid)
            if spec["kind"] == "most_pax":
                records = [r for r in records if is_upcoming_record(r)]
                counts = sorted((len(r["passengers"]) for r in records), reverse=True)
                assert len(counts) >= 2 and counts[0] > counts[1], task.id
            else:
                assert len(records) >= 2, task.id
            find_reservation(db, uid, spec)  # unique on the initial state
    assert seen, "no superlative description was drawn"


@pytest.mark.parametrize("source", SOURCES)
def test_outcomes_mix_and_every_refusal_is_proven(source):
    data, tasks, _, _ = five_hundred("airline", source)
    outcomes = Counter(t.writ["outcome"] for t in tasks)
    assert outcomes["write"] < 0.75 * len(tasks), outcomes  # at least 25% end without a write
    assert outcomes["refuse"] and outcomes["transfer"] and outcomes["inform"], outcomes
    partial = sum(1 for t in tasks if t.writ["outcome"] == "write" and t.writ.get("refusals"))
    assert partial, "no task mixes a granted and a refused request"
    for task in tasks:
        if task.writ["outcome"] != "write":
            assert task.writ["n_writes"] == 0, task.id
        for request in task.writ["requests"]:
            if request["outcome"] == "transfer":
                assert request is task.writ["requests"][-1], task.id
                assert task.actions[-1].name == "transfer_to_human_agents", task.id
    for task in [t for t in tasks if t.writ.get("refusals")][:40]:
        assert validate_task(data, task, policy=policy_violation) is None, task.id


def test_a_refusal_that_the_policy_allows_is_rejected():
    data, tasks, _, _ = five_hundred("airline", "generated")
    task = next(t for t in tasks if any(r["name"] == "cancel_reservation" for r in t.writ.get("refusals", [])))
    meta = dict(task.writ)
    allowed = [dict(r, arguments={"reservation_id": "NOSUCH"}) for r in meta["refusals"]]
    assert validate_task(data, task, policy=policy_violation) is None
    problem = validate_task(data, task.model_copy(update={"writ": dict(meta, refusals=allowed)}),
                            policy=lambda env, action: None)
    assert problem and "would be allowed" in problem


def test_selectors_raise_on_ties_and_unknown_kinds():
    data, tasks, _, _ = five_hundred("airline", "generated")
    db = data.environment().db
    user = next(u for u in db.values("users") if len(u["reservations"]) >= 2)
    with pytest.raises(Ambiguous):
        find_reservation(db, user["user_id"], {"kind": "same"})
    with pytest.raises(ValueError):
        find_reservation(db, user["user_id"], {"kind": "nonsense"})
    assert policy_violation(data.environment(), Action(name="cancel_reservation",
                                                       arguments={"reservation_id": "NOSUCH"}))

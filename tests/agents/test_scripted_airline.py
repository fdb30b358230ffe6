"""The scripted teacher on airline tasks: kept conversations, grounded readings, questions, policy."""

from __future__ import annotations

import json
from collections import Counter

from tests.verify.airline_cases import airline_data, families, played
from writ.agents.scripted import (
    SKILLED_DOMAINS,
    Knowledge,
    NeedRead,
    NeedSlot,
    Propose,
    Refuse,
    Request,
    Transfer,
)
from writ.agents.scripted.airline import AirlineSkills
from writ.core import ToolCall
from writ.dialogue.acts import grounding_problems
from writ.users.scripted import airline as words
from writ.verify import verify_episode

WRITES = {"book_reservation", "cancel_reservation", "send_certificate", "update_reservation_baggages",
          "update_reservation_flights", "update_reservation_passengers"}


def test_airline_uses_the_new_pair():
    assert "airline" in SKILLED_DOMAINS


def test_every_episode_is_kept_and_every_reading_is_grounded():
    data = airline_data()
    skills = AirlineSkills()
    failures = []
    for task, episode in played():
        verdict = verify_episode(episode, task, data)
        if not verdict.passed:
            failures.append((task.id, verdict.failures))
        for m in episode.messages:
            reading = m.get("_reading")
            if reading and m.get("content"):
                cues = words.cues if m["role"] == "user" else skills.cues
                assert not grounding_problems(reading["acts"], m["content"], cues), (task.id, m["content"])
    assert len(failures) <= 0.05 * len(played()), failures[:3]


def test_the_agent_asks_and_outcomes_vary():
    data = airline_data()
    asked = 0
    outcomes = Counter()
    for task, episode in played():
        flow = verify_episode(episode, task, data).checks["information_flow"]
        asked += flow.details.get("questions", 0) > 0
        writes = [c for m in episode.messages for c in m.get("tool_calls") or [] if c["function"]["name"] in WRITES]
        outcomes["write" if writes else task.writ["outcome"]] += 1
    assert asked >= 0.6 * len(played()), asked
    assert outcomes["write"] < 0.8 * len(played()) and len(outcomes) >= 3, outcomes


def test_refusals_hold_and_transfers_end_the_call():
    for task, episode in played():
        outcome = task.writ["outcome"]
        writes = [c for m in episode.messages for c in m.get("tool_calls") or [] if c["function"]["name"] in WRITES]
        if outcome in ("refuse", "transfer", "inform"):
            assert not writes, task.id
        if outcome == "transfer":
            assert episode.termination == "transfer", task.id


def test_bookings_compare_candidates_before_proposing():
    seen = 0
    for task, episode in played():
        if "book" not in families(task):
            continue
        for i, m in enumerate(episode.messages):
            if m["role"] == "assistant" and any(c["function"]["name"] == "book_reservation"
                                                for c in m.get("tool_calls") or []):
                before = " ".join(x.get("content") or "" for x in episode.messages[:i] if x["role"] == "assistant")
                assert "itinerar" in before and ("$" in before or "leaving at" in before), task.id
                seen += 1
    assert seen


def _knowledge(skills: AirlineSkills) -> Knowledge:
    k = Knowledge(skills.read_for)
    k.user_id = "ann_lee_1"
    return k


def _absorb(skills: AirlineSkills, k: Knowledge, name: str, args: dict, value) -> None:
    skills.absorb(k, ToolCall(name, args), json.dumps(value) if not isinstance(value, str) else value, False)


def _reservation(rid: str = "ABC123", cabin: str = "economy", created: str = "2024-05-01T10:00:00", **over) -> dict:
    r = {"reservation_id": rid, "user_id": "ann_lee_1", "origin": "JFK", "destination": "SEA",
         "flight_type": "one_way", "cabin": cabin, "flights": [{"flight_number": "HAT001", "origin": "JFK",
                                                              "destination": "SEA", "date": "2024-05-20",
                                                              "price": 200}],
         "passengers": [{"first_name": "Ann", "last_name": "Lee", "dob": "1990-01-01"}],
         "payment_history": [{"payment_id": "credit_card_1", "amount": 200}], "created_at": created,
         "total_baggages": 0, "nonfree_baggages": 0, "insurance": "no", "status": None}
    r.update(over)
    return r


def test_reads_are_knowledge_tables_keyed_by_the_search():
    skills = AirlineSkills()
    k = _knowledge(skills)
    call = skills.read_for("direct", "JFK/SEA/2024-05-25")
    assert call == ToolCall("search_direct_flight", {"origin": "JFK", "destination": "SEA", "date": "2024-05-25"})
    _absorb(skills, k, call.name, call.arguments, [])
    assert k.get("direct", "JFK/SEA/2024-05-25") == []
    _absorb(skills, k, "get_flight_status", {"flight_number": "HAT001", "date": "2024-05-10"}, "landed")
    assert k.get("status", "HAT001/2024-05-10") == "landed"
    skills.absorb(k, ToolCall("get_reservation_details", {"reservation_id": "NOPE"}), "Error: not found", True)
    assert k.get("reservations", "NOPE") is None  # known missing: never read again


def test_cancellation_asks_the_reason_then_applies_the_policy():
    skills = AirlineSkills()
    k = _knowledge(skills)
    _absorb(skills, k, "get_reservation_details", {"reservation_id": "ABC123"}, _reservation())
    request = Request({"family": "cancel", "reservation": {"kind": "id", "id": "ABC123"}}, seed="t")
    try:
        skills.step(request, k)
        raise AssertionError("the reason was not asked for")
    except NeedSlot as need:
        assert need.slot == "reason" and "cancel" in need.question.lower()
    request.slots["reason"] = "change_of_plan"
    step = skills.step(request, k)
    assert isinstance(step, Refuse) and "24 hours" in step.text  # economy, old booking, no insurance
    business = Request({"family": "cancel", "reservation": {"kind": "id", "id": "ABC123"},
                        "reason": "change_of_plan"}, seed="t")
    _absorb(skills, k, "get_reservation_details", {"reservation_id": "ABC123"}, _reservation(cabin="business"))
    step = skills.step(business, k)
    assert isinstance(step, Propose) and step.call == ToolCall("cancel_reservation", {"reservation_id": "ABC123"})
    assert "business" in step.evidence and "$200" in step.summary


def test_a_partly_flown_trip_goes_to_a_human_and_basic_economy_keeps_its_flights():
    skills = AirlineSkills()
    k = _knowledge(skills)
    flown = _reservation(flights=[{"flight_number": "HAT001", "origin": "JFK", "destination": "SEA",
                                   "date": "2024-05-10", "price": 200}])
    _absorb(skills, k, "get_reservation_details", {"reservation_id": "ABC123"}, flown)
    request = Request({"family": "cancel", "reservation": {"kind": "id", "id": "ABC123"}, "reason": "health"},
                      seed="t")
    try:
        skills.step(request, k)
        raise AssertionError("the flown segment's status was not read")
    except NeedRead as need:
        assert need.call.name == "get_flight_status"
    _absorb(skills, k, "get_flight_status", {"flight_number": "HAT001", "date": "2024-05-10"}, "landed")
    step = skills.step(request, k)
    assert isinstance(step, Transfer) and "ABC123" in step.summary and step.text
    _absorb(skills, k, "get_reservation_details", {"reservation_id": "BAS111"},
            _reservation("BAS111", cabin="basic_economy"))
    change = Request({"family": "change", "reservation": {"kind": "id", "id": "BAS111"}, "dates": ["2024-05-21"],
                      "criterion": "cheapest", "stops": "nonstop"}, seed="t")
    step = skills.step(change, k)  # refused before any search is made
    assert isinstance(step, Refuse) and "basic economy" in step.text

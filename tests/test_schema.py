"""The one schema checker: real tool schemas, real arguments, JSON Schema's types (a bool is no integer)."""

from __future__ import annotations

import json

import pytest

from writ.core import Episode
from writ.data import load_data
from writ.domains import domain_names, get_domain
from writ.schema import argument_problem, schema_problem
from writ.task import Task
from writ.verify import verify_episode


@pytest.fixture(scope="module")
def airline():
    return get_domain("airline")


def _baggage_args(**changes):
    args = {"reservation_id": "ZFA04Y", "total_baggages": 2, "nonfree_baggages": 0, "payment_id": "gift_card_1"}
    return {**args, **changes}


def test_every_shipped_tool_schema_is_valid():
    for name in domain_names():
        domain = get_domain(name)
        for tool in domain.tools("agent") + domain.tools("user"):
            assert schema_problem(tool.schema) is None, (name, tool.name)


def test_schema_problems_are_named():
    assert schema_problem({"type": "function", "function": {"name": "f", "description": ""}}) == "f: empty description"
    bad = {"type": "function", "function": {"name": "f", "description": "d", "parameters": {
        "type": "object", "properties": {"x": {"title": "X"}}, "required": ["x"]}}}
    assert schema_problem(bad) == "f.x: no JSON type"
    bad["function"]["parameters"]["required"] = ["y"]
    assert schema_problem(bad) == "f: required 'y' is not a property"


def test_a_boolean_is_not_an_integer(airline):
    schema = airline.agent.tools["update_reservation_baggages"].schema
    assert argument_problem(schema, _baggage_args()) is None
    assert argument_problem(schema, _baggage_args(total_baggages=2.0)) is None  # JSON Schema: a whole number
    assert argument_problem(schema, _baggage_args(total_baggages=True)) == "argument 'total_baggages' should be integer"
    assert argument_problem(schema, _baggage_args(total_baggages=1.5)) == "argument 'total_baggages' should be integer"
    assert argument_problem(schema, _baggage_args(total_baggages="2")) == "argument 'total_baggages' should be integer"


def test_unknown_missing_enum_and_nested(airline):
    schema = airline.agent.tools["update_reservation_baggages"].schema
    assert argument_problem(schema, _baggage_args(bags=1)) == "unknown argument 'bags'"
    args = _baggage_args()
    del args["payment_id"]
    assert argument_problem(schema, args) == "missing argument 'payment_id'"
    book = airline.agent.tools["update_reservation_flights"].schema
    good = {"reservation_id": "ZFA04Y", "cabin": "economy", "payment_id": "gift_card_1",
            "flights": [{"flight_number": "HAT001", "date": "2024-05-20"}]}
    assert argument_problem(book, good) is None
    assert "should be one of" in argument_problem(book, {**good, "cabin": "first"})
    assert argument_problem(book, {**good, "flights": "HAT001"}) == "argument 'flights' should be array"
    assert argument_problem(book, {**good, "flights": ["HAT001"]}) == "argument 'flights'[0] should be object"


def test_the_protocol_verifier_uses_it():
    """An agent write whose integer argument is a boolean fails protocol, with the checker's reason."""
    data = load_data("airline", seed=0, scale=0.3)
    reservation = next(iter(data.base.store().values("reservations")))
    task = Task.model_validate({"id": "t", "user_scenario": {"instructions": "change my bags"},
                                "evaluation_criteria": {"actions": []}})
    args = _baggage_args(reservation_id=reservation["reservation_id"], total_baggages=True)
    messages = [
        {"role": "assistant", "content": "Shall I set your bags to 1?"},
        {"role": "user", "content": "Yes, please."},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {
            "name": "update_reservation_baggages", "arguments": json.dumps(args)}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "{}"},
        {"role": "assistant", "content": "Done."},
    ]
    episode = Episode("t", 0, "airline", messages, termination="user_stop")
    check = verify_episode(episode, task, data, only=["protocol"]).checks["protocol"]
    assert (not check.passed
            and check.reason == "message 2: update_reservation_baggages: argument 'total_baggages' should be integer")
    args["total_baggages"] = 1
    messages[2]["tool_calls"][0]["function"]["arguments"] = json.dumps(args)
    assert verify_episode(episode, task, data, only=["protocol"]).checks["protocol"].passed

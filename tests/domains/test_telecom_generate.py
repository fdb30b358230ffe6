"""Tests of the telecom database generator: determinism, invariants, and tools on its output."""

from __future__ import annotations

import json

import pytest

from tests.domains.test_telecom import DOMAIN, call, env, env_of, mini_db  # noqa: F401 (fixtures and helpers)
from writ.core import Environment
from writ.domains.telecom.generate import generate, invariants
from writ.domains.telecom.user_schema import default_user_db


# -- generator ------------------------------------------------------------------------------------
def test_generator_is_deterministic_and_seed_dependent():
    assert json.dumps(generate(7)) == json.dumps(generate(7))
    assert json.dumps(generate(7)[0]) != json.dumps(generate(8)[0])
    assert generate(7)[1] == default_user_db()


@pytest.mark.parametrize("scale", [0.1, 0.5, 1.0, 2.0])
def test_generator_invariants_hold(scale):
    for seed in range(21):
        db, user_db = generate(seed, scale)
        assert invariants(db) == [], (seed, scale)
        assert DOMAIN.normalize_db(db) == db  # already in normalized form
        assert DOMAIN.normalize_user_db(user_db) == user_db


def test_generator_sizes():
    small = generate(0, 1.0)[0]
    assert 3 <= len(small["customers"]) <= 5 and 5 <= len(small["plans"]) <= 8
    big = generate(0, 50.0)[0]
    assert len(big["customers"]) == 200 and len(big["lines"]) > 250
    assert invariants(big) == []
    assert len({ln["phone_number"] for ln in big["lines"]}) == len(big["lines"])
    statuses = {b["status"] for b in big["bills"]}
    assert {"Paid", "Issued", "Overdue", "Draft"} <= statuses
    limits = {p["plan_id"]: p["data_limit_gb"] for p in big["plans"]}
    over = [ln for ln in big["lines"] if ln["data_used_gb"] >= limits[ln["plan_id"]] + ln["data_refueling_gb"]]
    assert over and len(over) < len(big["lines"]) / 2


def test_invariants_catch_broken_references():
    db = DOMAIN.normalize_db(mini_db())
    assert invariants(db) == []
    db["lines"][0]["plan_id"] = "P9"
    db["bills"][1]["total_due"] = 1.0
    db["customers"][1]["bill_ids"].append("B1")
    problems = " | ".join(invariants(db))
    assert "unknown plan P9" in problems and "sum to 35.0" in problems and "also listed by C1" in problems


def test_tools_work_on_a_generated_db():
    db, user_db = generate(3, 2.0)
    env = Environment(DOMAIN, DOMAIN.base(db).store(), DOMAIN.user_base(user_db).store())
    customer = next(c for c in db["customers"] if c["line_ids"])
    line = next(ln for ln in db["lines"] if ln["line_id"] == customer["line_ids"][0])
    env.run("user", "set_user_info", {"name": customer["full_name"], "phone_number": line["phone_number"]})
    found = json.loads(call(env, "get_customer_by_phone", phone_number=line["phone_number"]))
    assert found["customer_id"] == customer["customer_id"] and " " in found["created_at"]
    bills = json.loads(call(env, "get_bills_for_customer", customer_id=customer["customer_id"]))
    assert [b["issue_date"] for b in bills] == sorted((b["issue_date"] for b in bills), reverse=True)
    usage = json.loads(call(env, "get_data_usage", customer_id=customer["customer_id"], line_id=line["line_id"]))
    assert usage["line_id"] == line["line_id"]
    refuel = env.step("refuel_data",
                      {"customer_id": customer["customer_id"], "line_id": line["line_id"], "gb_amount": 1.0})
    assert not refuel.error and "Successfully added 1.0 GB" in refuel.content
    assert invariants(env.db.dump()) == []
    assert not env.step("check_status_bar", {}, requestor="user").error


def test_phone_lookups_follow_the_episode_state(env):
    # The per-base phone index is only a shortcut: edited records are honoured, tau2's scan order kept.
    assert json.loads(call(env, "get_customer_by_phone", phone_number="555-100-0004"))["customer_id"] == "C2"
    env.db.edit("lines", "L4")["phone_number"] = "555-777-0000"
    assert call(env, "get_customer_by_phone", phone_number="555-100-0004") == \
        "Error: Customer with phone number 555-100-0004 not found"
    assert json.loads(call(env, "get_customer_by_phone", phone_number="555-777-0000"))["customer_id"] == "C2"
    env.run("user", "set_user_info", {"name": "Bo", "phone_number": "555-777-0000"})
    assert env.user_db.get("surroundings")["line_active"] is True


def test_dangling_line_reference_raises_like_tau2():
    db = mini_db()
    db["customers"][0]["line_ids"].append("L9")
    env = env_of(db)
    assert json.loads(call(env, "get_customer_by_phone", phone_number="555-100-0002"))["customer_id"] == "C1"
    assert call(env, "get_customer_by_phone", phone_number="555-000-0002") == "Error: Line with ID L9 not found"
    assert call(env, "get_customer_by_phone", phone_number="555-100-0004") == "Error: Line with ID L9 not found"

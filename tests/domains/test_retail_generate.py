"""Tests of the retail database generator: determinism, invariants, realism, and tools on its output."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter

import pytest

from tests.domains.test_retail import DOMAIN, RETAIL, call, call_json, env, env_of  # noqa: F401 (fixtures and helpers)
from writ.domains.retail.generate import generate, invariants


# -- generator -----------------------------------------------------------------------------------
@pytest.mark.parametrize("scale", [0.1, 0.5, 1.0, pytest.param(2.0, marks=pytest.mark.slow)])
def test_generated_databases_are_consistent(scale):
    for seed in range(21):
        db, user_db = generate(seed, scale)
        assert user_db is None
        assert invariants(db) == [], (seed, scale)


def test_generator_is_deterministic_and_seeded():
    first = json.dumps(generate(7, 0.5)[0])
    assert json.dumps(generate(7, 0.5)[0]) == first
    assert json.dumps(generate(8, 0.5)[0]) != first


def test_generator_does_not_depend_on_string_hashing():
    code = ("import hashlib, json; from writ.domains.retail.generate import generate; "
            "print(hashlib.sha256(json.dumps(generate(3, 0.2)[0]).encode()).hexdigest())")
    digests = set()
    for hash_seed in ("1", "2"):
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": hash_seed})
        digests.add(run.stdout.strip())
    assert len(digests) == 1


def test_generated_sizes_follow_the_scale():
    for scale, products, users, orders in [(1.0, 50, 500, 1000), (2.0, 71, 1000, 2000), (0.1, 20, 50, 100)]:
        db, _ = generate(1, scale)
        assert (len(db["products"]), len(db["users"]), len(db["orders"])) == (products, users, orders)
    with pytest.raises(ValueError):
        generate(1, 0)


def test_generated_data_is_varied_and_realistic():
    db, _ = generate(7, 1.0)
    users, orders, products = db["users"], db["orders"], db["products"]
    assert Counter(len(u["orders"]) for u in users.values()).keys() == {1, 2, 3, 4, 5}
    assert Counter(len(o["items"]) for o in orders.values()).keys() == {1, 2, 3, 4, 5}
    statuses = Counter(o["status"] for o in orders.values())
    assert set(statuses) == {"pending", "processed", "delivered", "cancelled", "return requested",
                             "exchange requested", "pending (item modified)"}
    assert statuses["pending"] > 250 and statuses["delivered"] > 250
    assert all(o["cancel_reason"] in ("no longer needed", "ordered by mistake")
               for o in orders.values() if o["status"] == "cancelled")
    assert all(re.fullmatch(r"[a-z]+_[a-z]+_\d{4}", u) for u in users)
    assert all(re.fullmatch(r"#W\d{7}", o) for o in orders)
    assert all(re.fullmatch(r"\d{5}", u["address"]["zip"]) for u in users.values())
    sources = Counter(m["source"] for u in users.values() for m in u["payment_methods"].values())
    assert min(sources.values()) > 100
    assert any(not v["available"] for p in products.values() for v in p["variants"].values())
    assert 5 <= min(len(p["variants"]) for p in products.values())
    assert {"T-Shirt", "Desk Lamp", "Water Bottle"} & {p["name"] for p in products.values()}
    # some users share a name (in different zip codes), some orders ship to an older address
    assert len({(u["name"]["first_name"], u["name"]["last_name"]) for u in users.values()}) < len(users)
    assert any(o["address"] != users[o["user_id"]]["address"] for o in orders.values())


def test_generated_database_loads_and_works_with_the_tools():
    db, _ = generate(11, 0.3)
    assert DOMAIN.normalize_db(db) == db
    assert json.dumps(DOMAIN.normalize_db(db)) == json.dumps(db)  # same key order too
    env = env_of(db)
    user = next(iter(db["users"].values()))
    assert call(env, "find_user_id_by_email", email=user["email"].upper()) == user["user_id"]
    assert call(env, "find_user_id_by_name_zip", first_name=user["name"]["first_name"],
                last_name=user["name"]["last_name"], zip=user["address"]["zip"]) == user["user_id"]
    assert len(json.loads(call(env, "list_all_product_types"))) == len(db["products"])
    pending = next(o for o in db["orders"].values() if o["status"] == "pending")
    delivered = next(o for o in db["orders"].values() if o["status"] == "delivered")
    call_json(env, "cancel_pending_order", order_id=pending["order_id"], reason="no longer needed")
    refund_to = delivered["payment_history"][0]["payment_method_id"]
    call_json(env, "return_delivered_order_items", order_id=delivered["order_id"],
              item_ids=[delivered["items"][0]["item_id"]], payment_method_id=refund_to)
    assert invariants(env.db.dump()) == []
    item = delivered["items"][0]
    other = next(v for v in db["products"][item["product_id"]]["variants"].values() if v["available"])
    fork = env.fork()
    order = call_json(env_of(db), "exchange_delivered_order_items", order_id=delivered["order_id"],
                      item_ids=[item["item_id"]], new_item_ids=[other["item_id"]], payment_method_id=refund_to)
    assert order["exchange_price_difference"] == round(other["price"] - item["price"], 2)
    assert fork.fingerprint() == env.fingerprint()


def test_invariants_hold_on_tau2_data_and_catch_violations():
    if (RETAIL / "db.json").exists():
        assert invariants(json.loads((RETAIL / "db.json").read_text())) == []
    db, _ = generate(5, 0.1)
    broken = json.loads(json.dumps(db))
    order_id, order = next(iter(broken["orders"].items()))
    user = broken["users"][order["user_id"]]
    order["payment_history"][0]["amount"] += 5
    order["items"][0]["price"] += 1
    user["orders"].remove(order_id)
    order["payment_history"][0]["payment_method_id"] = "paypal_0000000"
    second = list(broken["users"].values())[1]
    second["email"] = user["email"].upper()
    problems = "\n".join(invariants(broken))
    for needle in ("net payments", "differs from the catalogue", "missing from the orders", "is not " + user["user_id"],
                   f"email {user['email']} is used by 2 users"):
        assert needle in problems, needle

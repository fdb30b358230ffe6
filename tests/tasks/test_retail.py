"""Tests of the retail task generator (writ.tasks.retail): the TASKGEN_BRIEF guarantees on tau2's
database and on a generated one, the policy check, the selectors and the scripted end-to-end run."""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter

import pytest

from tests.tasks.conftest import EVIDENCE, WRITES, five_hundred, load_source
from writ.core import ToolCall
from writ.data import load_data
from writ.replay import replay_task
from writ.task import Action
from writ.tasks import Cell, generate_tasks, leaked_ids, write_set_key
from writ.tasks.retail import GENERATOR
from writ.tasks.retail.selectors import Ambiguous, find_order, find_variant

ID_PATTERN = re.compile(r"#W\d{7}|\b(?:gift_card|credit_card|paypal)_\d+\b|\b\d{10}\b")


@pytest.fixture(params=["tau2", "generated"])
def batch(request):
    return five_hundred("retail", request.param)


# -- the brief's guarantees ----------------------------------------------------------------------------
def test_produces_almost_all_and_covers_the_grid(batch):
    data, tasks, report, seconds = batch
    print(f"\n{data.source}: {len(tasks)}/500 in {seconds:.1f}s ({len(tasks) / seconds:.0f} tasks/s); "
          f"rejections {dict(report.rejections)}")
    assert len(tasks) >= 480, report.to_json()
    cells = Counter((t.writ["n_writes"], t.writ["evidence"]) for t in tasks)
    assert {w for w, _ in cells} == set(range(1, 6))
    assert set(range(0, 11)) <= {e for _, e in cells}
    assert len(cells) >= 60  # nearly every one of the 65 cells of the grid


def test_write_sets_are_distinct(batch):
    data, tasks, _, _ = batch
    keys = {write_set_key(t, data) for t in tasks}
    assert len(keys) >= 0.9 * len(tasks)


def test_every_task_replays_and_hits_its_target(batch):
    data, tasks, _, _ = batch
    for task in tasks:
        result = replay_task(data, task)
        assert not any(result["errors"]), task.id
        meta = task.writ
        assert meta["n_writes"] == meta["target"]["writes"]
        assert meta["evidence"] == meta["target"]["evidence"]
        assert meta["facts"]["auth_action"] == 0
        assert task.actions[0].name in ("find_user_id_by_email", "find_user_id_by_name_zip")


def test_no_identifier_leaks_when_evidence_is_high(batch):
    _, tasks, _, _ = batch
    for task in tasks:
        if task.writ["evidence"] < 3:
            continue
        assert leaked_ids(task) == [], task.id
        text = json.dumps(task.user_scenario) + json.dumps([r["utterance"] for r in task.writ["requests"]])
        assert not ID_PATTERN.search(text), (task.id, ID_PATTERN.search(text).group())


def test_families_and_information_requests_all_occur(batch):
    _, tasks, _, _ = batch
    tools = Counter(a.name for t in tasks for a in t.actions)
    for tool in ("cancel_pending_order", "modify_pending_order_items", "modify_pending_order_address",
                 "modify_pending_order_payment", "modify_user_address", "return_delivered_order_items",
                 "exchange_delivered_order_items"):
        assert tools[tool] >= 10, tool
    infos = [t for t in tasks if t.evaluation_criteria.communicate_info]
    assert len(infos) >= 25
    for task in infos:
        assert task.evaluation_criteria.reward_basis == ["DB", "COMMUNICATE"]
        said = " ".join(r["findings"] for r in task.writ["requests"])
        assert all(value in said for value in task.evaluation_criteria.communicate_info)


def test_same_seed_same_file():
    data = load_source("retail", "generated")
    runs = [generate_tasks(data, 120, WRITES, EVIDENCE, seed=7)[0] for _ in range(2)]
    assert json.dumps([t.to_json() for t in runs[0]]) == json.dumps([t.to_json() for t in runs[1]])
    other = generate_tasks(data, 120, WRITES, EVIDENCE, seed=8)[0]
    assert json.dumps([t.to_json() for t in other]) != json.dumps([t.to_json() for t in runs[0]])


def test_scripted_teacher_and_user_solve_the_tasks():
    from writ.sim import make_agent_factory, make_user_factory
    from writ.sim.orchestrator import run_episode

    data = load_source("retail", "generated")
    tasks, _ = generate_tasks(data, 60, WRITES, EVIDENCE, seed=3)
    agent, user = make_agent_factory("scripted"), make_user_factory("scripted")

    async def run_all():
        outcomes = []
        for task in tasks:
            episode = await run_episode(task, data.environment(task), agent(task, data, 0), user(task, data, 0))
            outcomes.append(episode.final_db_hash == replay_task(data, task)["final_db_hash"])
        return outcomes

    assert all(asyncio.run(run_all()))


def test_draft_errors_are_categories():
    data = load_source("retail", "generated")
    import random

    from writ.tasks.draft import DraftError
    try:
        GENERATOR.draft(data, Cell(5, 50), random.Random(0))
    except DraftError as exc:
        assert str(exc).startswith("no user can support the cell")
    else:
        pytest.fail("an impossible cell must be refused")


# -- the policy check ------------------------------------------------------------------------------------
def _orders(data, status):
    db = data.base.store()
    return [o for o in db.values("orders") if o["status"] == status]


def _violation(env, name, **arguments):
    return GENERATOR.policy_violation(env, Action(name=name, arguments=arguments))


def test_policy_rejects_what_the_policy_forbids():
    data = load_source("retail", "generated")
    env = data.environment()
    pending = _orders(data, "pending")[0]
    delivered = _orders(data, "delivered")[0]
    user = env.db.get("users", pending["user_id"])
    assert _violation(env, "cancel_pending_order", order_id=pending["order_id"], reason="no longer needed") is None
    assert _violation(env, "cancel_pending_order", order_id=pending["order_id"], reason="too expensive")
    assert _violation(env, "cancel_pending_order", order_id=delivered["order_id"], reason="no longer needed")
    assert _violation(env, "return_delivered_order_items", order_id=pending["order_id"],
                      item_ids=[pending["items"][0]["item_id"]],
                      payment_method_id=pending["payment_history"][0]["payment_method_id"])
    # a refund to a credit card that did not pay for the order
    owner = env.db.get("users", delivered["user_id"])
    original = delivered["payment_history"][0]["payment_method_id"]
    others = [m for m, v in owner["payment_methods"].items() if m != original and v["source"] != "gift_card"]
    if others:
        assert _violation(env, "return_delivered_order_items", order_id=delivered["order_id"],
                          item_ids=[delivered["items"][0]["item_id"]], payment_method_id=others[0])
    assert _violation(env, "return_delivered_order_items", order_id=delivered["order_id"],
                      item_ids=[delivered["items"][0]["item_id"]], payment_method_id=original) is None
    # the same payment method again
    assert _violation(env, "modify_pending_order_payment", order_id=pending["order_id"],
                      payment_method_id=pending["payment_history"][0]["payment_method_id"])
    assert _violation(env, "modify_user_address", user_id=user["user_id"], address1="1 A St", address2="",
                      city="X", state="CA", country="USA", zip="90001") is None


def test_policy_forbids_changes_after_an_item_modification():
    data = load_source("retail", "generated")
    env = data.environment()
    db = env.db
    for order in _orders(data, "pending"):
        item = order["items"][0]
        variants = db.get("products", item["product_id"])["variants"].values()
        new = next((v for v in variants if v["available"] and v["item_id"] != item["item_id"]), None)
        methods = db.get("users", order["user_id"])["payment_methods"]
        method = next((m for m, v in methods.items() if v["source"] != "gift_card"), None)
        if new and method:
            break
    else:
        pytest.skip("no suitable pending order")
    args = {"order_id": order["order_id"], "item_ids": [item["item_id"]], "new_item_ids": [new["item_id"]],
            "payment_method_id": method}
    assert _violation(env, "modify_pending_order_items", **args) is None
    assert not env.step(ToolCall("modify_pending_order_items", args)).error
    assert _violation(env, "modify_pending_order_items", **args)
    assert _violation(env, "cancel_pending_order", order_id=order["order_id"], reason="no longer needed")
    assert _violation(env, "modify_pending_order_address", order_id=order["order_id"], address1="1 A St",
                      address2="", city="X", state="CA", country="USA", zip="90001")
    # an exchange into another product, or into an unavailable variant, is refused too
    delivered = _orders(data, "delivered")[0]
    other_product = next(p for p in db.values("products") if p["product_id"] != delivered["items"][0]["product_id"])
    assert _violation(env, "exchange_delivered_order_items", order_id=delivered["order_id"],
                      item_ids=[delivered["items"][0]["item_id"]],
                      new_item_ids=[next(iter(other_product["variants"]))],
                      payment_method_id=delivered["payment_history"][0]["payment_method_id"])


# -- selectors -------------------------------------------------------------------------------------------
def test_selectors_refuse_ambiguity():
    data = load_source("retail", "generated")
    db = data.base.store()
    user = next(u for u in db.values("users") if len(u["orders"]) >= 2)
    with pytest.raises(Ambiguous):
        find_order(db, user["user_id"], {"kind": "has", "cls": None, "has": [("No Such Product", {})]})
    first = db.get("orders", user["orders"][0])
    item = first["items"][0]
    product = db.get("products", item["product_id"])
    same = {"kind": "opts", "set": {}}  # "the same variant" is not another variant
    with pytest.raises(Ambiguous):
        find_variant(db, item, same)
    prices = sorted(v["price"] for v in product["variants"].values()
                    if v["available"] and v["item_id"] != item["item_id"])
    cheapest = {"kind": "price", "most": False, "keep": [], "fix": {}}
    if len(prices) == 1 or (len(prices) > 1 and prices[1] - prices[0] >= 1.0):
        assert product["variants"][find_variant(db, item, cheapest)]["price"] == prices[0]
    elif prices:
        with pytest.raises(Ambiguous):  # too close to tell apart
            find_variant(db, item, cheapest)


def test_uniqueness_checks_are_registered_and_not_vacuous():
    import random

    data = load_source("retail", "generated")
    other = load_data("retail", seed=1, scale=1.0)
    for i in range(5):
        draft = GENERATOR.draft(data, Cell(3, 6), random.Random(f"checks/{i}"))
        stated = sum(1 for r in draft.requests if r.writes and not r.findings)  # e.g. a stated new address
        assert len(draft.checks) == len(draft.requests) - stated
        assert all(check(data.environment()) is None for check in draft.checks)
        # on another database the same descriptions designate nothing (or something else)
        assert all(check(other.environment()) is not None for check in draft.checks)

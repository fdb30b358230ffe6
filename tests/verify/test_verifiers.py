"""Every verifier must reject the episodes it exists to catch, and keep the scripted gold ones."""

from __future__ import annotations

import asyncio
import copy
import json
import random

import pytest

from writ.agents.scripted import ScriptedTeacher
from writ.data import load_data
from writ.sim.orchestrator import run_episode
from writ.tasks.draft import TaskDraft
from writ.users.scripted import ScriptedUser
from writ.verify import verify_episode


@pytest.fixture(scope="module")
def retail():
    return load_data("retail", seed=3, scale=0.3)


def _cancel_task(data, with_info: bool = False):
    """A two-request task built by hand: cancel a pending order, then change the user's address."""
    store = data.base.store()
    order = next(o for o in store.values("orders") if o["status"] == "pending")
    user = store.get("users", order["user_id"])
    draft = TaskDraft(data, "test.cancel", random.Random(0))
    draft.request("I'd like to cancel an order I just placed, it's " + order["order_id"] + ".",
                  "You want to cancel order " + order["order_id"] + ".",
                  summary=f"cancel order {order['order_id']} (reason: no longer needed)")
    draft.facts = {"auth": {"method": "email", "email": user["email"]}, "auth_action": 0,
                   "name": f"{user['name']['first_name']} {user['name']['last_name']}"}
    draft.read("find_user_id_by_email", {"email": user["email"]}, evidence=False)
    draft.read("get_order_details", {"order_id": order["order_id"]})
    draft.write("cancel_pending_order", {"order_id": order["order_id"], "reason": "no longer needed"})
    if with_info:
        total = sum(p["amount"] for p in order["payment_history"] if p["transaction_type"] == "payment")
        draft.request("How much had I paid for it?", "You want to know what you paid.",
                      findings=f"You had paid {total:.2f} for that order.")
        draft.communicate(f"{total:.2f}")
        draft.close_info_request()
    draft.request("Please also update my address to 12 Oak Street, Springfield, IL 62701, USA.",
                  "You want your default address changed.",
                  summary="update your default address to 12 Oak Street, Springfield, IL 62701, USA")
    draft.write("modify_user_address", {"user_id": user["user_id"], "address1": "12 Oak Street", "address2": "",
                                        "city": "Springfield", "state": "IL", "country": "USA", "zip": "62701"})
    return draft.build("t-cancel", seed=0, source=data.source)


def _episode(data, task):
    return asyncio.run(run_episode(task, data.environment(task), ScriptedTeacher(task, data.domain), ScriptedUser(task)))


def _failed(data, task, episode):
    verdict = verify_episode(episode, task, data)
    return {name for name, check in verdict.checks.items() if not check.passed}


def _writes(episode):
    return [(i, c) for i, m in enumerate(episode.messages) for c in m.get("tool_calls") or []
            if c["function"]["name"] in ("cancel_pending_order", "modify_user_address")]


def test_scripted_gold_episode_passes_every_verifier(retail):
    task = _cancel_task(retail, with_info=True)
    episode = _episode(retail, task)
    verdict = verify_episode(episode, task, retail)
    assert verdict.passed, verdict.failures


def test_wrong_argument_and_mutated_copy_fail_state(retail):
    task = _cancel_task(retail)
    episode = _episode(retail, task)
    bad = copy.deepcopy(episode)
    i, call = _writes(bad)[0]
    args = json.loads(call["function"]["arguments"])
    args["reason"] = "ordered by mistake"  # another valid value
    call["function"]["arguments"] = json.dumps(args)
    assert "state" in _failed(retail, task, bad)


def test_missing_and_extra_write_fail_state(retail):
    task = _cancel_task(retail)
    episode = _episode(retail, task)
    missing = copy.deepcopy(episode)
    i, call = _writes(missing)[1]
    call["function"]["name"] = "get_user_details"
    call["function"]["arguments"] = json.dumps({"user_id": json.loads(call["function"]["arguments"])["user_id"]})
    assert "state" in _failed(retail, task, missing)
    extra = copy.deepcopy(episode)
    i, call = _writes(extra)[1]
    extra.messages[i]["tool_calls"] = [call]
    other = next(o for o in retail.base.store().values("orders") if o["status"] == "pending"
                 and o["order_id"] not in json.dumps(task.actions[1].arguments))
    extra.messages.insert(i, {"role": "assistant", "content": None, "tool_calls": [
        {"id": "x1", "type": "function", "function": {"name": "cancel_pending_order", "arguments": json.dumps(
            {"order_id": other["order_id"], "reason": "no longer needed"})}}]})
    assert "state" in _failed(retail, task, extra)


def test_hallucinated_id_fails_grounding(retail):
    task = _cancel_task(retail)
    episode = _episode(retail, task)
    bad = copy.deepcopy(episode)
    order_id = task.actions[1].arguments["order_id"]
    for m in bad.messages:  # the user never said the id and no tool returned it before the write
        if m["role"] in ("user", "tool") and isinstance(m.get("content"), str):
            m["content"] = m["content"].replace(order_id, "#W0000000")
    assert "grounding" in _failed(retail, task, bad)


def test_write_without_confirmation_fails_protocol(retail):
    task = _cancel_task(retail)
    episode = _episode(retail, task)
    bad = copy.deepcopy(episode)
    i, _ = _writes(bad)[0]
    confirm = max(j for j in range(i) if bad.messages[j]["role"] == "user" and bad.messages[j].get("content"))
    bad.messages[confirm]["content"] = "Hmm, let me think about it."
    assert "protocol" in _failed(retail, task, bad)


def test_mixed_text_and_tool_call_fails_protocol(retail):
    task = _cancel_task(retail)
    bad = copy.deepcopy(_episode(retail, task))
    i, _ = _writes(bad)[0]
    bad.messages[i]["content"] = "Cancelling now."
    assert "protocol" in _failed(retail, task, bad)


def test_premature_stop_fails_fidelity(retail):
    task = _cancel_task(retail)
    episode = _episode(retail, task)
    bad = copy.deepcopy(episode)
    i, _ = _writes(bad)[1]
    bad.messages = bad.messages[:i] + [{"role": "user", "content": "Actually, bye. ###STOP###"}]
    failed = _failed(retail, task, bad)
    assert "user_fidelity" in failed and "state" in failed


def test_communicate_miss_fails_communication(retail):
    task = _cancel_task(retail, with_info=True)
    bad = copy.deepcopy(_episode(retail, task))
    value = task.evaluation_criteria.communicate_info[0]
    for m in bad.messages:
        if m["role"] == "assistant" and isinstance(m.get("content"), str):
            m["content"] = m["content"].replace(value, "some amount")
    assert "communication" in _failed(retail, task, bad)


def test_invented_fact_fails_fidelity(retail):
    task = _cancel_task(retail)
    bad = copy.deepcopy(_episode(retail, task))
    first_user = next(m for m in bad.messages if m["role"] == "user")
    first_user["content"] += " My other order is #W7777777."
    assert "user_fidelity" in _failed(retail, task, bad)

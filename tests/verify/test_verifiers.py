"""Every verifier must reject the episodes it exists to catch, and keep the scripted gold ones."""

from __future__ import annotations

import copy
import json

from writ.verify import verify_episode

from .conftest import cancel_task as _cancel_task
from .conftest import play


def _episode(data, task):
    return play(data, task)


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
    call["function"]["name"] = "get_user_details"  # a read in place of the last write
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


def test_hallucinated_id_fails_information_flow(retail):
    task = _cancel_task(retail)
    episode = _episode(retail, task)
    bad = copy.deepcopy(episode)
    order_id = task.actions[1].arguments["order_id"]
    for m in bad.messages:  # the user never said the id and no tool returned it before the write
        if m["role"] in ("user", "tool") and isinstance(m.get("content"), str):
            m["content"] = m["content"].replace(order_id, "#W0000000")
    assert "information_flow" in _failed(retail, task, bad)


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

"""Mutation tests of the information-flow, outcome and protocol rules: each rule has an episode that
must fail it and a near miss that must pass."""

from __future__ import annotations

import copy
import json

from writ.verify import verify_episode

from .conftest import NEW_ADDRESS, cancel_task, play


def _failed(data, task, episode) -> dict[str, str]:
    verdict = verify_episode(episode, task, data)
    return {name: check.reason for name, check in verdict.checks.items() if not check.passed}


def _calls(episode, name: str) -> list[tuple[int, dict]]:
    return [(i, c) for i, m in enumerate(episode.messages) for c in m.get("tool_calls") or []
            if c["function"]["name"] == name]


def _user_turn_with(episode, *needles: str) -> int:
    return next(i for i, m in enumerate(episode.messages) if m["role"] == "user" and m.get("content")
                and any(n in m["content"].lower() for n in needles))


def _kept(retail, **kw):
    task = cancel_task(retail, **kw)
    episode = play(retail, task)
    assert verify_episode(episode, task, retail).passed, verify_episode(episode, task, retail).failures
    return task, episode


def test_the_customer_is_asked_for_the_reason_and_says_it(retail):
    task, episode = _kept(retail)
    asked = [m for m in episode.messages if m["role"] == "assistant" and m.get("content")
             and "reason" in m["content"].lower() and "?" in m["content"]]
    assert asked, "the teacher never asked why the order is cancelled"
    assert _user_turn_with(episode, "no longer need", "don't need", "not needed")


def test_agent_proposed_reason_confirmed_with_yes_fails(retail):
    task, episode = _kept(retail)
    bad = copy.deepcopy(episode)
    i = _user_turn_with(bad, "no longer need", "don't need", "not needed")
    bad.messages[i]["content"] = "Sure."  # the agent's proposal still says 'no longer needed'; the customer never did
    failed = _failed(retail, task, bad)
    assert "reason" in failed.get("information_flow", ""), failed
    near = copy.deepcopy(episode)
    near.messages[i]["content"] = "Honestly, I just don't need it anymore."
    assert "information_flow" not in _failed(retail, task, near)


def test_value_never_said_fails(retail):
    task, episode = _kept(retail)
    bad = copy.deepcopy(episode)
    i, call = _calls(bad, "modify_user_address")[0]
    args = json.loads(call["function"]["arguments"])
    args["address1"] = "99 Elm Road"
    call["function"]["arguments"] = json.dumps(args)
    assert "99 Elm Road" in _failed(retail, task, bad).get("information_flow", "")
    near = copy.deepcopy(bad)  # the customer did say it: then only the state differs from the gold
    j = _user_turn_with(near, NEW_ADDRESS["address1"].lower())
    near.messages[j]["content"] = near.messages[j]["content"].replace(NEW_ADDRESS["address1"], "99 Elm Road")
    assert "information_flow" not in _failed(retail, task, near)


def test_read_before_its_request_fails(retail):
    task, episode = _kept(retail)
    oid = task.actions[1].arguments["order_id"]
    bad = copy.deepcopy(episode)
    early = {"role": "assistant", "content": None, "tool_calls": [{"id": "early", "type": "function", "function": {
        "name": "get_order_details", "arguments": json.dumps({"order_id": oid})}}]}
    result = {"role": "tool", "tool_call_id": "early", "name": "get_order_details",
              "content": retail.environment(task).step("get_order_details", {"order_id": oid}).content}
    bad.messages[1:1] = [early, result]  # before the customer said anything
    assert oid in _failed(retail, task, bad).get("information_flow", "")
    said = next(i for i, m in enumerate(episode.messages) if m["role"] == "user" and oid in (m.get("content") or ""))
    near = copy.deepcopy(episode)
    near.messages[said + 1:said + 1] = [early, result]  # right after the customer named the order
    reason = _failed(retail, task, near).get("information_flow", "")
    # allowed then; the teacher's own read is now the extra one
    assert "never said" not in reason and "re-read" in reason


def test_done_claim_before_the_write_fails(retail):
    task, episode = _kept(retail)
    i, _ = _calls(episode, "cancel_pending_order")[0]
    before = max(j for j in range(i) if episode.messages[j]["role"] == "assistant"
                 and episode.messages[j].get("content"))
    bad = copy.deepcopy(episode)
    bad.messages[before]["content"] = "Your order has been cancelled. " + bad.messages[before]["content"]
    assert "claims a change is done" in _failed(retail, task, bad).get("information_flow", "")
    near = copy.deepcopy(episode)
    near.messages[before]["content"] = "Nothing has been changed yet. " + near.messages[before]["content"]
    assert "information_flow" not in _failed(retail, task, near)


def test_invented_amount_fails_and_a_read_amount_passes(retail):
    task, episode = _kept(retail)
    last = max(i for i, m in enumerate(episode.messages) if m["role"] == "assistant" and m.get("content"))
    bad = copy.deepcopy(episode)
    bad.messages[last]["content"] += " You also have $1234.57 of store credit."
    assert "$1234.57" in _failed(retail, task, bad).get("information_flow", "")
    paid = task.actions[1]  # the order read: its payment amount was read
    order = json.loads(retail.environment(task).step("get_order_details", dict(paid.arguments)).content)
    near = copy.deepcopy(episode)
    near.messages[last]["content"] += f" You paid ${order['payment_history'][0]['amount']:.2f} for it."
    assert "information_flow" not in _failed(retail, task, near)


def test_calculate_with_an_unseen_number_fails(retail):
    task, episode = _kept(retail)
    i, _ = _calls(episode, "cancel_pending_order")[0]
    bad = copy.deepcopy(episode)
    calc = {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {
        "name": "calculate", "arguments": json.dumps({"expression": "917.31 * 2"})}}]}
    bad.messages[i:i] = [calc, {"role": "tool", "tool_call_id": "c1", "name": "calculate", "content": "1834.62"}]
    assert "917.31" in _failed(retail, task, bad).get("information_flow", "")


def test_rereading_an_unchanged_record_fails(retail):
    task, episode = _kept(retail)
    i, call = _calls(episode, "get_order_details")[0]
    result = episode.messages[i + 1]
    bad = copy.deepcopy(episode)
    again = copy.deepcopy(episode.messages[i])
    again["tool_calls"][0]["id"] = "again"
    bad.messages[i + 2:i + 2] = [again, {**result, "tool_call_id": "again"}]
    assert "re-read" in _failed(retail, task, bad).get("information_flow", "")
    w, _ = _calls(episode, "cancel_pending_order")[0]
    near = copy.deepcopy(episode)  # after the cancellation the order has changed: reading it again is fine
    changed = retail.environment(task)
    changed.step("cancel_pending_order", json.loads(episode.messages[w]["tool_calls"][0]["function"]["arguments"]))
    fresh = {**result, "tool_call_id": "again",
             "content": changed.step("get_order_details", json.loads(call["function"]["arguments"])).content}
    near.messages[w + 2:w + 2] = [again, fresh]
    assert "re-read" not in _failed(retail, task, near).get("information_flow", "")


def test_two_calls_unknown_tool_and_schema_mismatch_fail_protocol(retail):
    task, episode = _kept(retail)
    i, call = _calls(episode, "get_order_details")[0]
    two = copy.deepcopy(episode)
    two.messages[i]["tool_calls"].append(copy.deepcopy(call))
    assert "2 tool calls" in _failed(retail, task, two).get("protocol", "")
    unknown = copy.deepcopy(episode)
    unknown.messages[i]["tool_calls"][0]["function"]["name"] = "get_order_secrets"
    assert "unknown tool" in _failed(retail, task, unknown).get("protocol", "")
    schema = copy.deepcopy(episode)
    schema.messages[i]["tool_calls"][0]["function"]["arguments"] = json.dumps({"order_id": 12})
    assert "should be string" in _failed(retail, task, schema).get("protocol", "")
    assert "protocol" not in _failed(retail, task, episode)


def test_unclean_ending_fails_protocol(retail):
    task, episode = _kept(retail)
    bad = copy.deepcopy(episode)
    bad.termination = "max_steps"
    assert "did not end cleanly" in _failed(retail, task, bad).get("protocol", "")


def test_leaked_secret_id_fails_user_fidelity(retail):
    task, episode = _kept(retail)
    meta = dict(task.writ)
    secret = "#W7654321"
    meta["writes"] = [dict(w, secret_ids=[secret]) for w in meta["writes"]]
    leaky = task.model_copy(update={"writ": meta})
    bad = copy.deepcopy(episode)
    first = next(m for m in bad.messages if m["role"] == "user")
    first["content"] += f" It might be {secret}."
    assert "leaked" in _failed(retail, leaky, bad).get("user_fidelity", "")
    assert "user_fidelity" not in _failed(retail, leaky, episode)

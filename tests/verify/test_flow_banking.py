"""Mutation tests of banking's rules: a real conversation (scripted pair on a generated task) passes; a write
without a yes, a tool no search returned, and an account action before the identity check must fail."""

from __future__ import annotations

import asyncio
import copy
import json

import pytest

from writ.agents.scripted import scripted_teacher
from writ.core import Episode
from writ.data import load_data
from writ.sim.orchestrator import run_episode
from writ.tasks import AxisRange, generate_tasks
from writ.users.scripted import ScriptedUser
from writ.verify.base import verify_episode

_DATA = {}


def _data():
    if "d" not in _DATA:
        _DATA["d"] = load_data("banking_knowledge", seed=0, scale=1.0)
    return _DATA["d"]


def _inner_write(call: dict) -> bool:
    from writ.verify.flow import rules_for

    args = json.loads(call["function"]["arguments"])
    return call["function"]["name"] == "call_discoverable_agent_tool" and \
        rules_for("banking_knowledge").needs_yes("call_discoverable_agent_tool", args, True)


@pytest.fixture(scope="module")
def kept():
    data = _data()
    tasks, _ = generate_tasks(data, 12, AxisRange(1, 1), AxisRange(0, 6), seed=2, outcomes={"write": 1.0})
    for task in tasks:
        if not any(a.name == "call_discoverable_agent_tool" and a.arguments.get("agent_tool_name", "").startswith(
                ("order_replacement", "close_debit", "freeze_debit", "pay_credit")) for a in task.actions):
            continue
        episode = asyncio.run(run_episode(task, data.environment(task), scripted_teacher("banking_knowledge", seed=1),
                                          ScriptedUser(task, seed=1)))
        if verify_episode(episode, task, data).passed:
            return task, episode
    pytest.fail("no kept episode with a discoverable write among 12 generated tasks")


def _check(task, episode, messages, only):
    mutated = Episode.from_json({**episode.to_json(), "messages": messages})
    return verify_episode(mutated, task, _data(), only=[only]).checks[only]


def _write_index(messages) -> int:
    return next(i for i, m in enumerate(messages) if m["role"] == "assistant"
                and any(_inner_write(c) for c in m.get("tool_calls") or []))


def test_the_real_conversation_passes(kept):
    task, episode = kept
    for only in ("information_flow", "protocol"):
        assert _check(task, episode, episode.messages, only).passed


def test_a_write_without_a_yes_fails(kept):
    task, episode = kept
    messages = copy.deepcopy(episode.messages)
    i = _write_index(messages)
    yes = max(j for j in range(i) if messages[j]["role"] == "user")
    messages[yes]["content"] = "Hmm, let me think about it."
    check = _check(task, episode, messages, "protocol")
    assert not check.passed and "explicit confirmation" in check.reason


def test_unlocking_a_tool_no_search_returned_fails(kept):
    task, episode = kept
    messages = copy.deepcopy(episode.messages)
    searches = {c["id"] for m in messages if m["role"] == "assistant" for c in m.get("tool_calls") or []
                if c["function"]["name"] == "KB_search"}
    for m in messages:
        if m["role"] == "tool" and m.get("tool_call_id") in searches:
            m["content"] = "No relevant documents found."
    check = _check(task, episode, messages, "information_flow")
    assert not check.passed and "never named by a document" in check.reason


def test_an_account_action_before_the_identity_check_fails(kept):
    task, episode = kept
    messages = copy.deepcopy(episode.messages)
    logged = {c["id"] for m in messages if m["role"] == "assistant" for c in m.get("tool_calls") or []
              if c["function"]["name"] == "log_verification"}
    messages = [m for m in messages if not (m["role"] == "tool" and m.get("tool_call_id") in logged)
                and not (m["role"] == "assistant" and {c["id"] for c in m.get("tool_calls") or []} & logged)]
    check = _check(task, episode, messages, "information_flow")
    assert not check.passed and "identity was verified" in check.reason


def test_a_search_for_words_nobody_said_fails(kept):
    task, episode = kept
    messages = copy.deepcopy(episode.messages)
    call = next(c for m in messages if m["role"] == "assistant" for c in m.get("tool_calls") or []
                if c["function"]["name"] == "KB_search")
    call["function"]["arguments"] = json.dumps({"query": "zanzibar overdraft"})
    check = _check(task, episode, messages, "information_flow")
    assert not check.passed and "zanzibar" in check.reason

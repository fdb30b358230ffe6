"""Mutation tests of telecom's information-flow rules: each rule has a real conversation (scripted pair on a
generated task) that passes, a mutation that must fail it, and a near miss that must still pass."""

from __future__ import annotations

import asyncio
import copy
import json
import random
import re

import pytest

from writ.agents.scripted import scripted_teacher
from writ.core import Episode
from writ.data import load_data
from writ.sim.orchestrator import run_episode
from writ.tasks.telecom import GENERATOR
from writ.tasks.telecom.faults import Plan, accounts
from writ.users.scripted import ScriptedUser
from writ.verify.base import verify_episode
from writ.verify.flow.telecom import ACTION_QUESTION
from writ.verify.flow.walker import _asks_detail

_DATA = {}


def _data():
    if "d" not in _DATA:
        _DATA["d"] = load_data("telecom", seed=0, scale=2.0)
    return _DATA["d"]


def _conversation(**plan_fields):
    data = _data()
    account = next(a for a in accounts(data.base.store()) if a.usage_ok and a.suspend_ok and a.family)
    plan = Plan(account=account, **plan_fields)
    task = GENERATOR._run(data, plan, random.Random(3)).build("t", seed=0, source=data.source)

    async def go():
        return await run_episode(task, data.environment(task), scripted_teacher("telecom", seed=2),
                                 ScriptedUser(task, seed=1))

    return task, asyncio.run(go())


def _flow(task, episode, messages=None):
    if messages is not None:
        episode = Episode.from_json({**episode.to_json(), "messages": messages})
    return verify_episode(episode, task, _data(), only=["information_flow"]).checks["information_flow"]


@pytest.fixture(scope="module")
def refuel():
    return _conversation(complaint="data", abroad=False, faults=["usage"], modes={"usage": "diagnosed"},
                         refuel_gb=1.5, overage_gb=0.3)


@pytest.fixture(scope="module")
def roaming():
    return _conversation(complaint="roaming", abroad=True, faults=["roaming_line"],
                         modes={"roaming_line": "disclosed"}, country="Japan")


@pytest.fixture(scope="module")
def resume():
    data = _data()
    account = next(a for a in accounts(data.base.store()) if any(not f[3] for f in a.family))
    line = next(f for f in account.family if not f[3])
    return _conversation(complaint="line", abroad=False, faults=["family_suspended"],
                         modes={"family_suspended": "hinted"}, family_line=line, relation="son", bill_id="B9123456")


def _replace_user(messages, pattern, text):
    out = copy.deepcopy(messages)
    hits = [m for m in out if m["role"] == "user" and m.get("content") and re.search(pattern, m["content"], re.I)
            and not m.get("tool_calls")]
    assert hits, pattern
    for m in hits:
        m["content"] = text
    return out


def test_the_real_conversations_pass(refuel, roaming, resume):
    for task, episode in (refuel, roaming, resume):
        assert _flow(task, episode).passed, _flow(task, episode).reason


def test_refuel_amount_counts_only_in_the_customers_words(refuel):
    task, episode = refuel
    said = _replace_user(episode.messages, r"\d(\.\d+)? ?GB", "Whatever you think is best.")
    for m in said:  # the proposal's price is left out, so the choice rule itself is what fails
        if m["role"] == "assistant" and "per GB" in (m.get("content") or ""):
            m["content"] = re.sub(r"\$[\d.,]+", "the usual price", m["content"])
    check = _flow(task, episode, said)
    assert not check.passed and "never asked for this amount" in check.reason
    near = _replace_user(episode.messages, r"\d(\.\d+)? ?GB", "Let's do 1.5 GB then.")
    assert _flow(task, episode, near).passed  # the same amount, said in other words


def test_an_agent_proposed_amount_confirmed_with_yes_does_not_count(refuel):
    task, episode = refuel
    messages = _replace_user(episode.messages, r"\d(\.\d+)? ?GB", "How much do you suggest?")
    check = _flow(task, episode, messages)  # the agent's "1.5 GB ... proceed?" then "yes" is not a choice
    assert not check.passed


def test_an_invented_refuel_charge_is_caught(refuel):
    task, episode = refuel
    messages = copy.deepcopy(episode.messages)
    proposal = next(m for m in messages if m["role"] == "assistant" and "per GB" in (m.get("content") or "")
                    and ("charged" in m["content"] or "comes to" in m["content"]))
    charge = re.findall(r"\$[\d.]+", proposal["content"])[-1]
    proposal["content"] = proposal["content"].replace(charge, "$12.34")
    check = _flow(task, episode, messages)
    assert not check.passed and "12.34" in check.reason
    assert _flow(task, episode).passed  # the real charge: GB asked for times the price per GB, a named rule


def test_roaming_needs_the_customer_to_say_they_travel(roaming):
    task, episode = roaming
    messages = _replace_user(episode.messages, r"roaming", "Could you enable roaming on my line?")
    check = _flow(task, episode, messages)
    assert not check.passed and "travelling" in check.reason
    near = _replace_user(episode.messages, r"roaming", "I'm on a trip to Japan; please make sure roaming works.")
    assert _flow(task, episode, near).passed


def test_a_suspension_is_lifted_only_after_reading_paid_bills(resume):
    task, episode = resume
    messages = copy.deepcopy(episode.messages)
    i = next(i for i, m in enumerate(messages) if m["role"] == "assistant" and any(
        c["function"]["name"] == "get_bills_for_customer" for c in m.get("tool_calls") or []))
    unpaid = copy.deepcopy(messages)
    bills = json.loads(unpaid[i + 1]["content"])
    bills[0]["status"] = "Overdue"
    unpaid[i + 1]["content"] = json.dumps(bills)
    check = _flow(task, episode, unpaid)
    assert not check.passed and "unpaid" in check.reason
    skipped = messages[:i] + messages[i + 2:]  # the bills never read
    check = _flow(task, episode, skipped)
    assert not check.passed and "bills" in check.reason


def test_the_phone_screen_is_not_something_the_agent_read(refuel):
    """A value that only the customer's phone showed (its tool output) may not feed an agent call."""
    task, episode = refuel
    messages = copy.deepcopy(episode.messages)
    i = next(i for i, m in enumerate(messages) if m["role"] == "tool" and m.get("requestor") == "user")
    messages[i]["content"] += " Line L7777."
    call = {"id": "x1", "type": "function", "function": {"name": "get_details_by_id", "arguments": '{"id": "L7777"}'}}
    probe = [{"role": "assistant", "tool_calls": [call]}, {"role": "tool", "tool_call_id": "x1", "content": "Error"}]
    check = _flow(task, episode, messages[:i + 1] + probe + messages[i + 1:])
    assert not check.passed and "L7777" in check.reason
    said = [{"role": "user", "content": "The screen mentions line L7777, if that helps."}]
    assert _flow(task, episode, messages[:i + 1] + said + probe + messages[i + 1:]).passed


@pytest.mark.parametrize("text,counted", [
    ("Could you run a speed test and tell me the result?", 0),
    ("Can you look at the status bar at the top of your screen?", 0),
    ("Please turn airplane mode off. Could you check whether Wi-Fi Calling is on?", 0),
    ("How much data would you like to add?", 1),
    ("Are you at home right now, or travelling abroad?", 1),
    ("Which app are you sending the pictures from?", 1),
    ("What number does that line have?", 1),
    ("May I have your phone number?", 0),
])
def test_phone_actions_are_not_detail_questions(text, counted):
    assert _asks_detail(text, ACTION_QUESTION) == counted

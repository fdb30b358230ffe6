"""The airline customer's words: every request and answer says every value of its reading."""

from __future__ import annotations

import asyncio
import random
import re

import pytest

from tests.verify.airline_cases import airline_tasks, played
from writ.dialogue.acts import act, grounding_problems, public
from writ.users.scripted import ScriptedUser
from writ.users.scripted import airline as words
from writ.users.scripted.scenario import Scenario

REGISTERS = ("plain", "terse", "verbose", "polite")
DEBRIS = re.compile(r"\(s\)|->|\{|\}|\b[a-z]+_[a-z_]+\b|\bcard card\b|Mastercard card|\s[,.]")


def _requests():
    return [r for task in airline_tasks() for r in Scenario.of(task).requests]


@pytest.mark.parametrize("register", REGISTERS)
def test_every_request_is_said_in_full(register):
    for n, request in enumerate(_requests()):
        rng = random.Random(f"{register}/{n}")
        for also in (False, True):
            frame = request.say_frame()
            text = words.request_text(rng, frame, register, also)
            problems = grounding_problems([act("request", frame=public(frame))], text, words.cues)
            assert not problems, (text, problems)
            assert not DEBRIS.search(text), text


def test_every_withheld_slot_is_answered_in_words():
    answered = 0
    for n, request in enumerate(_requests()):
        for slot in request.withhold:
            value = request.frame[slot]
            for seed in range(4):
                text = words.answer_text(random.Random(f"{n}/{slot}/{seed}"), slot, value, request.frame, "plain")
                problems = grounding_problems([act("inform", slots={slot: value})], text, words.cues)
                assert not problems, (slot, value, text, problems)
                assert not DEBRIS.search(text), text
                answered += 1
    assert answered >= 50


def test_one_payment_method_is_named_in_several_ways():
    spec = {"kind": "card", "brand": "mastercard", "last_four": "1234"}
    said = {words.answer_text(random.Random(i), "payment", spec, {}, "plain") for i in range(40)}
    assert len(said) >= 8
    assert all("1234" in s and "mastercard" in s.lower() or "card ending in 1234" in s for s in said)
    assert not [s for s in said if "Mastercard card" in s or "please, please" in s.lower()]


def test_the_customer_confirms_only_what_it_asked_for():
    task, episode = next((t, e) for t, e in played() if any(r["frame"]["family"] == "book"
                                                             for r in t.writ["requests"]))
    user = ScriptedUser(task)
    request = user.sc.requests[[r.family for r in user.sc.requests].index("book")]
    write = request.writes[0]
    user.stated = [user.sc.requests.index(request)]
    good = {"tool": write.name, "arguments": {k: v for k, v in write.arguments.items()
                                              if k not in ("user_id", "payment_methods")}}
    user.confirms = 5  # past any behaviour that questions the first proposal
    assert user._confirm({"call": good}).reading["acts"][0]["act"] == "affirm"
    wrong = dict(good, arguments=dict(good["arguments"], cabin="business" if write.arguments["cabin"] != "business"
                                      else "economy"))
    assert user._confirm({"call": wrong}).reading["acts"][0]["act"] == "deny"


def test_a_request_with_several_writes_closes_after_the_last():
    task = next(t for t, _ in played() if t.writ["n_writes"] >= 2)
    meta = dict(task.writ)
    first = dict(meta["requests"][0], writes=[w["action"] for w in meta["writes"]])
    meta["requests"] = [first] + [dict(r, writes=[]) for r in meta["requests"][1:]]
    user = ScriptedUser(task.model_copy(update={"writ": meta}))
    user.stated = [0]
    done = {"role": "assistant", "content": "Done.", "_reading": {"acts": [act("done")]}}
    for _ in range(meta["n_writes"] - 1):
        asyncio.run(user.act([done]))
        assert 0 not in user.finished  # more writes of this request are still to come
    asyncio.run(user.act([done]))
    assert 0 in user.finished

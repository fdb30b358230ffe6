"""Each behaviour is realized by the scripted user, handled by the scripted teacher, and verified."""

from __future__ import annotations

import asyncio
import json

import pytest

from writ.agents.scripted import ScriptedTeacher
from writ.data import load_data
from writ.sim.orchestrator import run_episode
from writ.users.behaviours import BEHAVIOURS, BehaviourError, FORBIDDEN_ASKS, check_combination, styled
from writ.users.diversify import diversify, variant
from writ.users.scripted import ScriptedUser
from writ.verify import verify_episode
from tests.verify.test_verifiers import _cancel_task


@pytest.fixture(scope="module")
def retail():
    return load_data("retail", seed=3, scale=0.3)


@pytest.fixture(scope="module")
def task(retail):
    return _cancel_task(retail, with_info=True)


def play(data, task, names):
    v = variant(task, check_combination(names, task), 0)
    ep = asyncio.run(run_episode(v, data.environment(v), ScriptedTeacher(v, data.domain), ScriptedUser(v)))
    return v, ep


def user_texts(ep):
    return [m["content"] for m in ep.messages if m["role"] == "user" and m.get("content")]


@pytest.mark.parametrize("name", sorted(BEHAVIOURS))
def test_every_behaviour_yields_a_verified_episode(retail, task, name):
    v, ep = play(retail, task, [name])
    verdict = verify_episode(ep, v, retail)
    assert verdict.passed, (name, verdict.failures)


def test_one_at_a_time_never_mentions_a_later_request_early(retail, task):
    v, ep = play(retail, task, ["one_at_a_time"])
    first_write = next(i for i, m in enumerate(ep.messages) for c in m.get("tool_calls") or []
                       if c["function"]["name"] == "cancel_pending_order")
    before = " ".join(m["content"] for m in ep.messages[:first_write] if m["role"] == "user" and m.get("content"))
    assert "Oak Street" not in before and "paid" not in before
    assert any("Oak Street" in t for t in user_texts(ep))


def test_all_at_once_states_everything_first(retail, task):
    v, ep = play(retail, task, ["all_at_once"])
    first = user_texts(ep)[0]
    assert "cancel" in first and "Oak Street" in first


def test_misremembering_user_gives_wrong_detail_then_corrects(retail, task):
    v, ep = play(retail, task, ["misremembers"])
    auth_calls = [json.loads(c["function"]["arguments"]) for m in ep.messages for c in m.get("tool_calls") or []
                  if c["function"]["name"] == "find_user_id_by_email"]
    right = task.writ["facts"]["auth"]["email"]
    assert len(auth_calls) == 2 and auth_calls[0]["email"] != right and auth_calls[1]["email"] == right
    assert v.writ["behaviour_facts"]["wrong_auth"]["email"] == auth_calls[0]["email"]


def test_pushing_back_user_asks_the_forbidden_thing_and_is_refused_twice(retail, task):
    v, ep = play(retail, task, ["pushes_back"])
    asks = [a for a, _ in FORBIDDEN_ASKS["retail"]]
    texts = user_texts(ep)
    i = next(i for i, t in enumerate(texts) if any(a in t for a in asks))
    assert "?" in texts[i + 1]  # insists once
    agent = [m["content"] for m in ep.messages if m["role"] == "assistant" and m.get("content")]
    assert sum("sorry" in a.lower() for a in agent) >= 2


def test_changes_mind_declines_then_confirms_and_the_write_happens_once(retail, task):
    v, ep = play(retail, task, ["changes_mind"])
    texts = user_texts(ep)
    assert any(t.startswith("No, actually") for t in texts)
    cancels = [c for m in ep.messages for c in m.get("tool_calls") or [] if c["function"]["name"] == "cancel_pending_order"]
    assert len(cancels) == 1


def test_styles_never_touch_identifiers():
    import random

    text = "My order is #W1234567 and my email is a.b12@example.com, zip 12345. ###STOP###"
    for style in ("terse", "verbose", "impatient", "polite", "non_native", "typos"):
        out = styled(text, style, random.Random(1))
        for token in ("#W1234567", "a.b12@example.com", "12345", "###STOP###"):
            assert token in out, (style, out)


def test_bad_names_and_combinations_are_one_line_errors(task):
    with pytest.raises(BehaviourError, match="unknown behaviour 'shouty'"):
        check_combination(["shouty"])
    with pytest.raises(BehaviourError, match="both style behaviours"):
        check_combination(["terse", "verbose"])


def test_diversify_is_deterministic_covers_the_catalogue_and_shares_the_stem(task):
    a, report = diversify([task] * 8, variants=4, seed=0)
    b, _ = diversify([task] * 8, variants=4, seed=0)
    assert json.dumps([t.to_json() for t in a]) == json.dumps([t.to_json() for t in b])
    assert set(report.behaviours) == set(BEHAVIOURS)
    assert all(t.writ["variant_of"] == task.id and t.id.startswith(task.id) for t in a)
    forced, rep = diversify([task], behaviours=["terse", "misremembers"])
    assert forced[0].writ["behaviours"] == ["misremembers", "terse"] or set(forced[0].writ["behaviours"]) == {"terse", "misremembers"}


def test_llm_rewrite_keeps_only_rewrites_that_preserve_every_identifier(task):
    from writ.models import ScriptedBackend
    from writ.users.diversify import llm_rewrite

    variants, _ = diversify([task], variants=1, seed=0)
    original = [r["utterance"] for r in variants[0].writ["requests"]]
    order_id = task.actions[1].arguments["order_id"]
    good = f"Hey there, could you cancel {order_id} for me?"
    backend = ScriptedBackend([good, "What did that order cost me?", "Please change my address, thanks!"], cycle=False)
    rewritten, kept = asyncio.run(llm_rewrite(variants, backend))
    new = [r["utterance"] for r in rewritten[0].writ["requests"]]
    assert new[0] == good  # every identifier survived: kept
    assert new[1] == "What did that order cost me?"  # nothing to protect in the original
    assert new[2] == original[2]  # the rewrite lost the street number and zip: the template wording stays
    assert kept == 2

"""Each behaviour is realized by the scripted user, handled by the scripted teacher, and verified."""

from __future__ import annotations

import json

import pytest

from tests.verify.conftest import cancel_task
from tests.verify.conftest import play as play_task
from writ.dialogue.acts import acts_of
from writ.users.behaviours import BEHAVIOURS, HOLD_LINE, ORDER_LINES, BehaviourError, check_combination
from writ.users.diversify import diversify, variant
from writ.users.scripted.style import apply_style
from writ.verify import verify_episode


@pytest.fixture(scope="module")
def task(retail):
    return cancel_task(retail, with_info=True)


def play(data, task, names):
    v = variant(task, check_combination(names, task), 0)
    return v, play_task(data, v)


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
    acts = [(m["role"], a["act"]) for m in ep.messages for a in acts_of(m)]
    forbidden = acts.index(("user", "forbidden"))
    assert ("user", "insist") in acts[forbidden:] and ("user", "accept") in acts[forbidden:]
    assert sum(1 for role, a in acts[forbidden:] if (role, a) == ("assistant", "refuse")) == 2


def test_a_held_back_detail_is_asked_for_and_a_volunteer_gives_it_unprompted(retail, task):
    _, plain = play(retail, task, ["polite"])
    asked = [a.get("slot") for m in plain.messages for a in acts_of(m) if a["act"] == "ask_slot"]
    assert "reason" in asked
    v, forthcoming = play(retail, task, ["volunteers"])
    assert verify_episode(forthcoming, v, retail).passed
    first = user_texts(forthcoming)[0].lower()
    assert "need" in first or "mistake" in first  # the reason comes with the request
    assert not any(a["act"] == "ask_slot" and a.get("slot") == "reason" for m in forthcoming.messages
                   for a in acts_of(m))
    assert not HOLD_LINE.search(v.user_scenario["instructions"]["task_instructions"] or "")


def test_changes_mind_declines_then_confirms_and_the_write_happens_once(retail, task):
    v, ep = play(retail, task, ["changes_mind"])
    acts = [a["act"] for m in ep.messages if m["role"] == "user" for a in acts_of(m)]
    assert "deny" in acts and "reconsider" in acts
    cancels = [c for m in ep.messages for c in m.get("tool_calls") or []
               if c["function"]["name"] == "cancel_pending_order"]
    assert len(cancels) == 1


def test_styles_never_touch_identifiers():
    import random

    text = "My order is #W1234567 with the Desk Lamp and my email is a.b12@example.com, zip 12345."
    for style in ("terse", "verbose", "impatient", "polite", "non_native", "typos"):
        for seed in range(20):
            out = apply_style(text, style, random.Random(seed), seed % 3)
            for token in ("#W1234567", "a.b12@example.com", "12345", "Desk Lamp"):
                assert token in out, (style, out)


def test_no_contradicting_request_order_instructions(retail):
    from writ.tasks.axes import AxisRange
    from writ.tasks.generate import generate_tasks

    tasks, _ = generate_tasks(retail, 12, AxisRange(2, 3), AxisRange(0, 2), seed=1)
    variants, _ = diversify(tasks, variants=3, seed=1)
    for v in variants:
        text = v.user_scenario["instructions"]["task_instructions"] or ""
        lines = ORDER_LINES.findall(text)
        assert len(lines) <= 1, text  # the generator's line or the behaviour's, never both
        if "all_at_once" in v.writ["behaviours"]:
            assert not lines, text


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
    assert (forced[0].writ["behaviours"] == ["misremembers", "terse"]
            or set(forced[0].writ["behaviours"]) == {"terse", "misremembers"})

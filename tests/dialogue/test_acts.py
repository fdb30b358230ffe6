"""Readings are parses of their text: `grounding_problems` finds every value the text does not say."""

from __future__ import annotations

from writ.dialogue.acts import act, grounding_problems, mentions, public
from writ.users.scripted.retail import cues


def test_values_must_be_written():
    acts = [act("request", frame={"family": "cancel", "order": {"kind": "id", "id": "#W123"}})]
    assert grounding_problems(acts, "Please cancel order #W123.", cues) == []
    assert grounding_problems(acts, "Please cancel my order.", cues)


def test_enumerations_need_their_words():
    acts = [act("inform", slots={"reason": "ordered by mistake"})]
    assert grounding_problems(acts, "I ordered it by mistake.", cues) == []
    assert grounding_problems(acts, "I just don't want it.", cues)


def test_a_structural_kind_needs_no_words_but_a_meaningful_kind_does():
    has = [act("request", frame={"family": "cancel", "order": {"kind": "has", "has": [["Desk Lamp", {}]]}})]
    assert grounding_problems(has, "Cancel my order with the desk lamp.", cues) == []
    original = [act("inform", slots={"payment": {"kind": "original"}})]
    assert grounding_problems(original, "Use the original payment method.", cues) == []
    assert grounding_problems(original, "Use my card.", cues)


def test_numbers_in_any_spelling_and_booleans_need_cues():
    assert mentions("three items", 3) and mentions("3 items", 3) and mentions("$12.50", 12.5)
    assert not mentions("13 items", 3)
    assert grounding_problems([act("inform", slots={"insurance": True})], "Yes please.", None)


def test_public_drops_private_rendering_context():
    frame = {"family": "items", "switches": [{"item": ["Lamp", {}], "_current": {"color": "red"}}]}
    assert public(frame) == {"family": "items", "switches": [{"item": ["Lamp", {}]}]}

"""The realization grammar: alternatives, optional parts, values kept verbatim, tidy joins."""

from __future__ import annotations

import random

import pytest

from writ.dialogue.grammar import compile_template, fuse, join_words, realize


def test_alternatives_options_and_values():
    seen = {realize(random.Random(i), "[Hi|Hello][?, {name}]! Order {oid}.", name="Ann", oid="#W1") for i in range(60)}
    assert seen == {"Hi! Order #W1.", "Hello! Order #W1.", "Hi, Ann! Order #W1.", "Hello, Ann! Order #W1."}


def test_nested_alternatives_and_a_list_of_templates():
    seen = {realize(random.Random(i), ["[I'll [check|look]|let me look].", "One moment."]) for i in range(80)}
    assert seen == {"I'll check.", "I'll look.", "Let me look.", "One moment."}


def test_values_are_never_reparsed():
    assert realize(random.Random(0), "Item {x}.", x="[a|b] {y}") == "Item [a|b] {y}."


def test_tidy_fixes_the_debris_choices_leave():
    assert realize(random.Random(0), "Done [?x]  , thanks .") in ("Done, thanks.", "Done x, thanks.")
    assert realize(random.Random(0), "ok. next one") == "Ok. Next one"
    assert realize(random.Random(0), "Wait...") == "Wait..."


def test_unbalanced_templates_are_refused():
    with pytest.raises(ValueError):
        compile_template("[a|b")


def test_join_words():
    assert join_words(["a"]) == "a" and join_words(["a", "b"]) == "a and b"
    assert join_words(["a", "b", "c"], "or") == "a, b or c"


def test_fuse_joins_sentences_without_changing_content():
    text = "All set: order #W1 is now cancelled. Is there anything else? The Desk Lamp ships today. I checked."
    for i in range(50):
        fused = fuse(random.Random(i), text, 0.9)
        for value in ("#W1", "Desk Lamp", "I checked"):
            assert value in fused
        assert "— is there anything else?" in fused or "Is there anything else?" in fused
        assert ", and Is" not in fused and "— The " not in fused

"""The customer's persona styles: slips and asides that never change what the message means."""

from __future__ import annotations

import random

from writ.dialogue.lexicon import meaning_words
from writ.users.scripted.style import apply_style

TEXT = ("I'm planning a one-way trip from Chicago to Los Angeles on any day between May 16 and May 18, "
        "without travel insurance, and I no longer need my other booking.")


def test_typos_never_land_on_a_word_the_meaning_hangs_on():
    words = meaning_words()
    assert {"between", "without", "insurance", "need"} <= words
    slipped = 0
    for seed in range(200):
        out = apply_style(TEXT, "typos", random.Random(seed), 1)
        for word in ("between", "without", "travel insurance", "no longer need", "May 16", "May 18"):
            assert word in out, (seed, out)
        slipped += out != TEXT
    assert slipped > 20  # other words still get the occasional slip


def test_an_impatient_customer_greets_before_hurrying():
    for seed in range(100):
        out = apply_style("Hi, I need help with an order.", "impatient", random.Random(seed), 0)
        assert out.startswith("Hi, I need help"), out


def test_only_a_long_message_apologises_for_its_length():
    for seed in range(300):
        assert "long message" not in apply_style("Yes, go ahead.", "verbose", random.Random(seed), 3)
    long_text = " ".join(["I also want to mention one more detail about the order."] * 4)
    assert any("long message" in apply_style(long_text, "verbose", random.Random(seed), 3) for seed in range(300))

"""Words that express values which are not written as themselves, shared by speakers and verifiers.

A customer says "I ordered it by mistake", not "ordered by mistake"; "I'd like travel insurance",
not ``insurance: true``. The scripted customer words its choices with these phrases, its readings
are checked against them, and the information-flow verifier accepts a customer-chosen value only
when the customer's own words contain one of them. Keeping the lists in one place keeps the three
in agreement.
"""

from __future__ import annotations

import re

__all__ = [
    "AFFIRM", "ADDRESS_ON_RECORD", "COMPLETE", "DENY", "ORIGINAL_PAYMENT", "RETAIL_REASONS", "affirmative", "said_any",
]

RETAIL_REASONS = {
    "no longer needed": ["no longer need", "don't need", "do not need", "not needed", "no longer needed",
                         "don't want it anymore", "do not want it anymore"],
    "ordered by mistake": ["by mistake", "by accident", "mistakenly", "ordered it wrong"],
}

COMPLETE = ["that's all", "that's everything", "that is all", "that is everything", "only ones", "only one",
            "nothing else", "all of them", "just those", "just that", "just the", "those are all", "that's it",
            "only items", "only item", "those are the only", "only those", "just those"]

ORIGINAL_PAYMENT = ["original", "same payment", "same card", "same method", "i paid with", "used for the order",
                    "used to pay"]

ADDRESS_ON_RECORD = ["default", "on file", "on my profile", "on my account", "profile", "shipped to",
                     "going to", "address of", "that address", "same address"]

AFFIRM = ["yes", "yeah", "yep", "sure", "confirm", "confirmed", "i confirm", "go ahead", "go for it", "looks right",
          "all good", "please do", "proceed", "correct", "sounds good",
          "okay", "ok", "that's right", "that is right", "do it", "perfect", "that works", "that's fine",
          "that is fine", "absolutely", "of course", "right", "please go"]

DENY = ["no", "nope", "don't", "do not", "not yet", "wait", "hold on", "stop", "cancel that", "not right",
        "doesn't match", "not what i"]


_WORDS = re.compile(r"[a-z']+")


def affirmative(text: str) -> bool:
    """A clear yes: an affirmative phrase and no refusal or hesitation (a question is not a yes)."""
    low = " " + " ".join(_WORDS.findall(text.lower())) + " "
    if re.match(r"^\s*(no|nope|not)\b", low) or any(f" {d} " in low for d in DENY):
        return False
    return any(f" {a} " in low for a in AFFIRM)


def said_any(text: str, phrases: list[str]) -> bool:
    """Whether `text` (already lower-cased) contains one of `phrases`."""
    return any(p in text for p in phrases)

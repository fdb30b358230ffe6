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
    "AFFIRM", "ADDRESS_ON_RECORD", "AIRLINE_REASONS", "COMPLETE", "DENY", "INSURANCE", "ORIGINAL_PAYMENT",
    "RETAIL_REASONS", "TELECOM_ABROAD", "TELECOM_HOME", "affirmative", "meaning_words", "said_any",
]

RETAIL_REASONS = {
    "no longer needed": ["no longer need", "don't need", "do not need", "not needed", "no longer needed",
                         "don't want it anymore", "do not want it anymore"],
    "ordered by mistake": ["by mistake", "by accident", "mistakenly", "ordered it wrong"],
}

# Why an airline customer cancels (tau2's policy: change of plan, a flight the airline cancelled, other
# reasons; travel insurance covers health and weather).
AIRLINE_REASONS = {
    "change_of_plan": ["plans changed", "change of plan", "change in plans", "no longer need", "don't need the trip",
                       "can't make the trip", "plans have changed", "no longer want"],
    "airline_cancelled": ["airline cancelled", "cancelled by the airline", "you cancelled", "was cancelled"],
    "health": ["sick", "health", "medical", "doctor", "illness"],
    "weather": ["storm", "weather", "hurricane", "blizzard"],
}

# Whether an airline customer wants travel insurance on a new booking.
INSURANCE = {
    "yes": ["with travel insurance", "with insurance", "want travel insurance", "want the insurance", "want insurance",
            "add travel insurance", "add the insurance", "add insurance", "take the insurance", "take travel insurance",
            "include travel insurance", "include insurance", "include the insurance", "yes to the insurance",
            "yes to insurance", "insurance, please", "insurance please"],
    "no": ["without travel insurance", "without insurance", "no travel insurance", "no insurance",
           "don't want insurance", "don't want the insurance", "don't want travel insurance", "skip the insurance",
           "skip insurance", "no need for insurance", "do not want insurance", "do not want the insurance",
           "not interested in the insurance", "no thanks to the insurance"],
}

COMPLETE = ["that's all", "that's everything", "that is all", "that is everything", "only ones", "only one",
            "nothing else", "all of them", "just those", "just that", "just the", "those are all", "that's it",
            "only items", "only item", "those are the only", "only those", "just those"]

ORIGINAL_PAYMENT = ["original", "same payment", "same card", "same method", "i paid with", "used for the order",
                    "used to pay"]

ADDRESS_ON_RECORD = ["default", "on file", "on my profile", "on my account", "profile", "shipped to",
                     "going to", "address of", "that address", "same address"]

# A telecom customer saying where they are (roaming is enabled only for one who travels).
TELECOM_ABROAD = ["travelling", "traveling", "abroad", "visiting", "overseas", "trip", "just arrived"]
TELECOM_HOME = ["at home", "not travelling", "i'm home"]

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


def meaning_words() -> frozenset[str]:
    """Every word of the phrases above, and the words of a date range ("between May 16 and May 18"):
    the words a reader's understanding hangs on, which a typing slip must leave alone."""
    phrases: list[str] = []
    for table in (RETAIL_REASONS, AIRLINE_REASONS, INSURANCE):
        for values in table.values():
            phrases.extend(values)
    for values in (COMPLETE, ORIGINAL_PAYMENT, ADDRESS_ON_RECORD, TELECOM_ABROAD, TELECOM_HOME, AFFIRM, DENY):
        phrases.extend(values)
    words = {w for phrase in phrases for w in _WORDS.findall(phrase)}
    return frozenset(words | {"between", "from", "through", "until"})


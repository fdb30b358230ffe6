"""Dialogue acts: the structured reading a scripted speaker attaches to its own message.

The offline teacher and user do not parse each other's English. Each scripted message carries a
*reading*, a private annotation (``"_reading"`` on the message, never exported) that lists the
dialogue acts the text performs: ``{"acts": [{"act": "request", "frame": {...}}, ...]}``. A
reading is only a parse of its text, never a side channel: every value in it (an order id, a
product name, a reason, an amount) is written in the text, and `grounding_problems` proves it. The
tests run that proof over every message of generated conversations, so the teacher can act only on
what was said, exactly as an agent trained on the text would.

Acts a customer performs: greet, vague, request (a whole request `frame`), inform (answers to
questions, `slots`), auth (`slots` with identifying details), affirm, deny, ask (a question about
a proposal: `topic`), reconsider, forbidden (asks for something the policy forbids: `topic`),
insist, accept, done (nothing more to ask), bye, report (what the device shows: `slots`).

Acts an agent performs: greet, ask_request, ask_auth (`fields`), auth_failed, authenticated,
ask_slot (`slot`, `options`), ask_choice (`slot`, `options`), ask_complete, evidence, propose
(`call`), done (`call`), progress (`tool`: a write that is one step of a longer request), failed,
refuse (`topic`), transfer, inform (`values`), answer, anything_else, goodbye, ask_device (`action`,
`arguments`: something to do on the customer's own phone).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

__all__ = [
    "CueFn", "act", "acts_of", "public", "find_act", "grounding_problems", "has_act", "mentions", "normalize_text",
    "number_forms",
]

# (key, value) -> alternatives, one of which must be in the text; None: the value needs no words.
CueFn = Callable[[str, Any], "list[str] | None"]

# Keys whose values are structure, not content: they say how to read the act, not what was said.
STRUCTURAL = {"act", "kind", "family", "implied", "slot", "fields", "topic", "options_kind", "request"}


def public(value: Any) -> Any:
    """A frame without its private rendering context (keys starting with '_'), recursively."""
    if isinstance(value, dict):
        return {k: public(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [public(v) for v in value]
    return value


def act(name: str, **fields: Any) -> dict[str, Any]:
    return {"act": name, **fields}


def acts_of(message: dict[str, Any] | None) -> list[dict[str, Any]]:
    reading = (message or {}).get("_reading") or {}
    return list(reading.get("acts") or [])


def find_act(message: dict[str, Any] | None, *names: str) -> dict[str, Any] | None:
    return next((a for a in acts_of(message) if a["act"] in names), None)


def has_act(message: dict[str, Any] | None, *names: str) -> bool:
    return find_act(message, *names) is not None


_WS = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Lower case, commas dropped, whitespace collapsed: how values are looked for in text."""
    return _WS.sub(" ", text.lower().replace(",", "")).strip()


NUMBER_WORDS = {0: "zero", 1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
                9: "nine", 10: "ten", 11: "eleven", 12: "twelve"}


def number_forms(value: float | int) -> list[str]:
    """The spellings a number may take in text: 3, three, 3.0, 3.00 (and 1,234.50 via commas dropped)."""
    forms = []
    if float(value).is_integer():
        n = int(value)
        forms += [str(n), f"{n}.00", f"{n}.0"]
        if n in NUMBER_WORDS:
            forms.append(NUMBER_WORDS[n])
    else:
        forms += [f"{value:.2f}", str(value)]
    return forms


def mentions(text: str, value: Any) -> bool:
    """Whether `value` (a string or a number) is written in `text` (normalized)."""
    norm = normalize_text(text)
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return any(re.search(rf"(?<![\d.]){re.escape(f)}(?![\d])", norm) or
                   (f.isalpha() and re.search(rf"\b{f}\b", norm)) for f in number_forms(value))
    return normalize_text(str(value)) in norm


def _leaves(value: Any, key: str = "") -> Iterable[tuple[str, Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "kind" or k not in STRUCTURAL:  # a kind may need words ("the original payment method")
                yield from _leaves(v, k)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _leaves(v, key)
    elif value is not None and value != "":
        yield key, value


def grounding_problems(acts: list[dict[str, Any]], text: str, cues: CueFn | None = None) -> list[str]:
    """Values of the acts that the text does not say (empty: the reading is a faithful parse).

    A value is said when it is written in the text (numbers in any of `number_forms`), or when the
    domain's `cues` names words for it (an enumeration such as a cancellation reason, a boolean
    such as travel insurance, a superlative) and one of them is in the text.
    """
    problems = []
    norm = normalize_text(text)
    for a in acts:
        for key, value in _leaves(a):
            words = cues(key, value) if cues else None
            if key == "kind" and words is None:
                continue  # a structural kind ("has", "id"): its content is in the other values
            if words is not None:
                if words and not any(normalize_text(w) in norm for w in words):
                    problems.append(f"{a['act']}: {key}={value!r} (none of {words[:4]})")
                continue
            if isinstance(value, bool):
                problems.append(f"{a['act']}: {key}={value!r} has no words")
            elif not mentions(text, value):
                problems.append(f"{a['act']}: {key}={value!r}")
    return problems

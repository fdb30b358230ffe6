"""The behaviour catalogue: how simulated users deviate from one cooperative script.

Real users do not state complete, correct requests up front. Each behaviour here has a name, a
dimension (a variant takes at most one behaviour per dimension, so "terse" and "verbose" never
meet), a description, a rule for which tasks it applies to, an instruction that tells an LLM user
how to act it out, and a `persona` line. The scripted user realizes each one deterministically
(see `writ.users.scripted`); the scripted teacher copes with every one (see
`writ.agents.scripted`), so the offline pipeline yields verified conversations for all of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from writ.task import Task

__all__ = ["BEHAVIOURS", "Behaviour", "BehaviourError", "HOLD_LINE", "ORDER_LINES", "check_combination", "misremember"]


class BehaviourError(ValueError):
    """An unknown behaviour name or an incompatible combination; the message is one line."""


def _requests(task: Task) -> int:
    return len((task.writ or {}).get("requests") or [])


def _writes(task: Task) -> int:
    return int((task.writ or {}).get("n_writes") or 0)


def _auth(task: Task) -> str:
    return (((task.writ or {}).get("facts") or {}).get("auth") or {}).get("method", "")


def _always(task: Task) -> bool:
    return bool((task.writ or {}).get("requests"))


@dataclass(frozen=True)
class Behaviour:
    name: str
    dimension: str
    description: str
    applies_to: str  # in words, for the catalogue
    changes: str  # how the conversation changes
    instruction: str  # for an LLM user (second person)
    persona: str
    applies: Callable[[Task], bool]


def _b(name, dimension, description, applies_to, changes, instruction, persona, applies=_always) -> Behaviour:
    return Behaviour(name, dimension, description, applies_to, changes, instruction, persona, applies)


BEHAVIOURS: dict[str, Behaviour] = {b.name: b for b in [
    _b("all_at_once", "request_order", "States every request in the first message.",
       "tasks with at least two requests", "the agent must track several requests from one message",
       "In your first message, mention everything you need help with today.",
       "Organized and direct; likes to lay out everything at once.", lambda t: _requests(t) >= 2),
    _b("one_at_a_time", "request_order", "States one request; mentions the next only after the previous is done.",
       "tasks with at least two requests", "requests arrive one by one after each is completed",
       "Bring up your requests one at a time: only mention the next one after the agent has finished the previous one.",
       "Methodical; deals with one thing at a time.", lambda t: _requests(t) >= 2),
    _b("late_request", "request_order", "Says that is all, then remembers one more request.",
       "tasks with at least two requests", "the agent must re-open the conversation for a forgotten request",
       "Bring up your requests one at a time. Before your last request, first say that is everything, then "
       "immediately remember the last one ('oh wait, one more thing').", "A little scattered; remembers things late.",
       lambda t: _requests(t) >= 2),
    _b("answers_only", "disclosure", "Opens vaguely and reveals what it wants only when asked.",
       "any task", "the agent must ask what the user needs",
       "Start with only a vague greeting like 'I need some help'; say what you actually need only when the agent asks.",
       "Reserved; answers questions but volunteers little.", _always),
    _b("volunteers", "disclosure", "Gives every detail up front, even those the agent would ask for.",
       "tasks whose requests hold details back", "the agent must take the details from the request, not ask again",
       "In your requests, give every detail you know right away (the reason, the payment method, the address), "
       "without waiting to be asked.", "Forthcoming; says everything at once.",
       lambda t: any(r.get("withhold") for r in (t.writ or {}).get("requests") or [])),
    _b("asked_twice", "disclosure", "Hesitates to give identifying details until asked a second time.",
       "tasks with authentication", "the agent must explain why it needs the details and ask again",
       "The first time the agent asks for your identifying details, ask why it needs them instead of answering; "
       "give them when asked again.", "Privacy-conscious and a bit suspicious.", lambda t: bool(_auth(t))),
    _b("misremembers", "errors", "Gives a wrong identifying detail first and corrects it when nothing matches.",
       "tasks authenticated by zip, email, user id or phone", "a lookup fails and the agent must ask again",
       "The first time you give your identifying details, get one detail slightly wrong (a digit off); when the "
       "agent says it cannot find you, correct it.", "Forgetful with numbers.",
       lambda t: _auth(t) in ("name_zip", "email", "user_id", "phone")),
    _b("asks_before_confirming", "confirmation", "Asks a question about the action before confirming.",
       "tasks with writes", "the agent must answer, restate the details and ask again",
       "Before you confirm the first change, ask the agent whether anything else will change; confirm after it "
       "answers.",
       "Careful; wants to understand consequences.", lambda t: _writes(t) >= 1),
    _b("confirms_after_repeat", "confirmation", "Confirms only after the agent repeats the details.",
       "tasks with writes", "the agent must repeat the action details before the user says yes",
       "When the agent first asks you to confirm a change, ask it to repeat exactly what it will do; confirm after.",
       "Detail-oriented; double-checks everything.", lambda t: _writes(t) >= 1),
    _b("changes_mind", "changing_mind", "Declines a change at first, then changes its mind and asks for it after all.",
       "tasks with writes", "the agent must not act on the refusal, then re-confirm before acting",
       "When the agent first asks you to confirm a change, say no; then, after its reply, say you changed your "
       "mind and want it after all, and confirm when asked.", "Indecisive.", lambda t: _writes(t) >= 1),
    _b("pushes_back", "pushing_back", "Asks for something the policy forbids, insists once, then accepts the refusal.",
       "any task", "the agent must refuse twice, politely and per the policy",
       "At some point ask for something extra the agent is not allowed to give (a discount, a waiver, a free "
       "upgrade); insist once when refused, then accept it.", "Assertive; tries their luck.", _always),
    _b("terse", "style", "Very short messages.", "any task", "minimal wording",
       "Write very short messages, a few words each.", "Terse and busy.", _always),
    _b("verbose", "style", "Long, chatty messages with background detail.", "any task", "more text to parse",
       "Write long, chatty messages with some personal background (without inventing account facts).",
       "Chatty and friendly.", _always),
    _b("impatient", "style", "Pushes the agent to hurry.", "any task", "pressure on the agent",
       "Sound impatient: ask the agent to hurry up.", "Impatient; in a rush.", _always),
    _b("polite", "style", "Very polite and formal.", "any task", "formal register",
       "Be very polite and formal.", "Courteous and formal.", _always),
    _b("non_native", "style", "Non-native phrasing.", "any task", "unusual grammar",
       "Write in simple English with some non-native phrasing.", "Non-native English speaker.", _always),
    _b("typos", "style", "Makes typing mistakes (never in ids, numbers or emails).", "any task", "noisy text",
       "Make a few typos in ordinary words (never in ids, numbers or emails).", "Types fast on a phone.", _always),
]}

def misremember(auth: dict[str, Any]) -> dict[str, Any]:
    """The same identifying details with one plausible slip (a digit off), for `misremembers`."""
    wrong = dict(auth)
    for key in ("zip", "email", "user_id", "phone_number", "customer_id"):
        value = wrong.get(key)
        if isinstance(value, str) and re.search(r"\d", value):
            i = max(j for j, ch in enumerate(value) if ch.isdigit())
            if key == "phone_number" and re.fullmatch(r"\d{3}-\d{3}-\d{4}", value):
                i = 6  # the exchange, not the last digit: a family's lines often differ only in their last digits
            wrong[key] = value[:i] + str((int(value[i]) + 1) % 10) + value[i + 1:]
            return wrong
    return wrong


# What task generators may say about the order of requests; a request_order behaviour replaces it,
# so an LLM customer never reads two instructions that contradict each other.
ORDER_LINES = re.compile(r"(Bring up your requests one at a time[^.]*\.|Mention one request at a time[^.]*\.)\s*")
HOLD_LINE = re.compile(r"Do not volunteer the following until the agent asks for it: [^.]*\.\s*")


def check_combination(names: list[str], task: Task | None = None) -> list[Behaviour]:
    """Resolve names to behaviours; unknown names, two of one dimension, or (given a task) a
    behaviour that does not apply raise a one-line `BehaviourError`."""
    out, dims = [], {}
    for name in names:
        behaviour = BEHAVIOURS.get(name)
        if behaviour is None:
            raise BehaviourError(f"unknown behaviour {name!r} (known: {', '.join(BEHAVIOURS)})")
        if behaviour.dimension in dims:
            raise BehaviourError(
                f"{name!r} and {dims[behaviour.dimension]!r} are both {behaviour.dimension} behaviours")
        if task is not None and not behaviour.applies(task):
            raise BehaviourError(f"{name!r} does not apply to task {task.id} (it needs {behaviour.applies_to})")
        dims[behaviour.dimension] = name
        out.append(behaviour)
    return out

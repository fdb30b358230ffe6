"""The scripted user: a deterministic simulated customer that needs no LLM.

It knows only what its scenario says (the task's plan in the writ metadata: its requests, the
facts it knows, what it must do on its own device) and never invents anything else. It states its
requests as the scenario says, answers identity questions from its known facts, confirms actions,
performs device actions when asked (telecom) and reports what it sees, and ends the conversation
only after its last request has been handled.

How it behaves is a `UserBehaviour` (see `writ.users.behaviours`); the default is a cooperative
user who states one request at a time. Against the scripted teacher it reads the teacher's private
intent annotation; against any other agent it falls back to simple keyword understanding.
"""

from __future__ import annotations

import random
import re
from typing import Any

from writ.agents.base import Turn
from writ.agents.scripted import task_plan
from writ.core import ToolCall
from writ.task import Task

__all__ = ["ScriptedUser", "auth_sentence"]

_CONFIRM_Q = re.compile(r"(proceed|confirm|go ahead|shall i|should i|would you like me to)", re.I)
_AUTH_Q = re.compile(r"(zip|e-?mail|user ?id|phone number|full name|verify|customer id)", re.I)
_ELSE_Q = re.compile(r"(anything else|something else|help you with|else i can)", re.I)

YES = ["Yes, please go ahead.", "Yes, that's correct. Please proceed.", "Yes, go ahead.", "Sounds good, yes please.",
       "Yes, I confirm."]
THANKS_STOP = ["No, that's all. Thank you! ###STOP###", "That's everything, thanks for your help. ###STOP###",
               "Nothing else, thank you. Bye! ###STOP###"]
DEVICE_DONE = ["Okay, I did that. Here is what I see: {result}", "Done. It now says: {result}",
               "I've done it. The phone shows: {result}"]


def auth_sentence(auth: dict[str, Any], name: str = "") -> str:
    method = auth.get("method")
    if method == "name_zip":
        return f"Sure, my name is {auth['first_name']} {auth['last_name']} and my zip code is {auth['zip']}."
    if method == "email":
        return f"My email address is {auth['email']}."
    if method == "user_id":
        return f"My user ID is {auth['user_id']}."
    if method == "phone":
        return f"My phone number is {auth['phone_number']}." + (f" My name is {name}." if name else "")
    if method == "customer_id":
        return f"My customer ID is {auth['customer_id']}."
    return f"My name is {name}." if name else "I'm not sure what you need from me."


class ScriptedUser:
    """See the module docstring. One instance per episode."""

    name = "scripted"

    def __init__(self, task: Task, seed: int | str = 0, behaviour: Any = None):
        self.task = task
        self.rng = random.Random(f"{task.id}/{seed}/user")
        self.requests, self.facts = task_plan(task)
        self.behaviour = behaviour
        self.stated: list[int] = []  # request indices already told to the agent
        self.pending_device: int | None = None  # a device action done, result not yet reported
        self.unknown = 0  # agent messages in a row we could not place

    # -- conversation ----------------------------------------------------------------------------
    async def act(self, messages: list[dict[str, Any]]) -> Turn:
        if self.pending_device is not None:
            result = next((m for m in reversed(messages) if m["role"] == "tool"), {}).get("content", "")
            self.pending_device = None
            return Turn(self.rng.choice(DEVICE_DONE).format(result=_first_lines(result)), intent={"kind": "device_done"})
        last = next((m for m in reversed(messages) if m["role"] == "assistant"), {})
        intent = last.get("_intent") or self._guess_intent(last.get("content") or "")
        kind = intent.get("kind")
        if kind == "greet":
            return self._state_next()
        if kind == "ask_auth":
            values = {k: v for k, v in (self.facts.get("auth") or {}).items() if k != "method"}
            return Turn(auth_sentence(self.facts.get("auth") or {}, self.facts.get("name", "")),
                        intent={"kind": "auth", "values": values})
        if kind == "confirm":
            return Turn(self.rng.choice(YES), intent={"kind": "confirm", "answer": True})
        if kind == "user_action":
            action = self.task.actions[intent["action"]]
            self.pending_device = intent["action"]
            return Turn(tool_calls=[ToolCall(action.name, dict(action.arguments))])
        if kind in ("anything_else", "end"):
            return self._state_next()
        self.unknown += 1
        if self.unknown >= 2:  # the agent seems done with this request; move the conversation on
            self.unknown = 0
            return self._state_next()
        return Turn("Okay, thank you. What's next?", intent={"kind": "ack"})

    def _state_next(self) -> Turn:
        remaining = [r for r in range(len(self.requests)) if r not in self.stated]
        if not remaining:
            return Turn(self.rng.choice(THANKS_STOP), intent={"kind": "stop"})
        r = remaining[0]
        self.stated.append(r)
        text = self.requests[r].get("utterance") or self._fallback_request()
        return Turn(text, intent={"kind": "request", "requests": [r]})

    def _fallback_request(self) -> str:
        instructions = self.task.instructions
        reason = instructions.get("reason_for_call") or instructions.get("task_instructions") or "I need some help."
        return _to_first_person(str(reason))

    def _guess_intent(self, text: str) -> dict[str, Any]:
        """Understanding an agent that carries no annotations (an LLM agent)."""
        if not self.stated:
            return {"kind": "greet"}
        if _CONFIRM_Q.search(text) and "?" in text:
            return {"kind": "confirm"}
        if _AUTH_Q.search(text) and "?" in text:
            return {"kind": "ask_auth"}
        if _ELSE_Q.search(text):
            return {"kind": "anything_else"}
        return {"kind": "unknown"}


def _first_lines(text: str, limit: int = 240) -> str:
    text = text.replace("\n", "; ")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _to_first_person(text: str) -> str:
    """Turn a second-person scenario sentence into something the user can say."""
    swaps = [(r"\bYou're\b", "I'm"), (r"\byou're\b", "I'm"), (r"\bYou've\b", "I've"), (r"\byou've\b", "I've"),
             (r"\bYou'd\b", "I'd"), (r"\byou'd\b", "I'd"), (r"\bYou are\b", "I am"), (r"\byou are\b", "I am"),
             (r"\byourself\b", "myself"), (r"\bYour\b", "My"), (r"\byour\b", "my"),
             (r"\b(to|for|with|tell|told|give|gave|ask|asked) you\b", r"\1 me"), (r"\bYou\b", "I"), (r"\byou\b", "I")]
    for pattern, repl in swaps:
        text = re.sub(pattern, repl, text)
    return text

"""The scripted user: a deterministic simulated customer that needs no LLM.

It knows only what its scenario says (the task's plan in the writ metadata: its requests, the
facts it knows, what it must do on its own device) and never invents anything else. It states its
requests, answers identity questions from its known facts, confirms actions, performs device
actions when asked (telecom) and reports what it sees, and ends the conversation only after its
last request has been handled.

The task's behaviours (``writ["behaviours"]``, see `writ.users.behaviours`) change how it does
all that: all requests at once or one at a time, a vague opening, a misremembered detail, a
question before confirming, a change of mind, a forbidden request it insists on once, a style.
Against the scripted teacher it reads the teacher's private intent annotation; against any other
agent it falls back to simple keyword understanding.
"""

from __future__ import annotations

import random
import re
from typing import Any

from writ.core import ToolCall, Turn
from writ.agents.plan_teacher import task_plan
from writ.task import Task
from writ.users.behaviours import ACCEPTS, FORBIDDEN_ASKS, INSISTS, misremember, styled

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

    def __init__(self, task: Task, seed: int | str = 0):
        self.task = task
        self.rng = random.Random(f"{task.id}/{seed}/user")
        self.requests, self.facts = task_plan(task)
        self.behaviours = set((task.writ or {}).get("behaviours") or [])
        self.style = next((b for b in self.behaviours if b in ("terse", "verbose", "impatient", "polite", "non_native", "typos")), None)
        self.domain = (task.instructions.get("domain") or "")
        self.stated: list[int] = []  # request indices already told to the agent
        self.pending_device = False  # a device action done, result not yet reported
        self.unknown = 0  # agent messages in a row we could not place
        self.auth_answers = 0
        self.confirms = 0
        self.pushback = 0 if "pushes_back" in self.behaviours else -1  # -1: not this user
        self.said_all_done = False
        self.declined_once = False

    # -- conversation ----------------------------------------------------------------------------
    async def act(self, messages: list[dict[str, Any]]) -> Turn:
        if self.pending_device:
            result = next((m for m in reversed(messages) if m["role"] == "tool"), {}).get("content", "")
            self.pending_device = False
            return self._say(self.rng.choice(DEVICE_DONE).format(result=_first_lines(result)), {"kind": "device_done"})
        last = next((m for m in reversed(messages) if m["role"] == "assistant"), {})
        intent = last.get("_intent") or self._guess_intent(last.get("content") or "")
        kind = intent.get("kind")
        if self.pushback in (1, 2) and kind == "refuse":
            return self._push_back_more()
        if kind == "greet":
            if "answers_only" in self.behaviours:
                return self._say("Hi, I need some help with something.", {"kind": "vague"})
            return self._state_next()
        if kind == "ask_request":
            return self._state_next()
        if kind == "ask_auth":
            return self._authenticate()
        if kind == "confirm":
            return self._confirm()
        if kind == "declined" and "changes_mind" in self.behaviours:
            return self._say("Sorry, I changed my mind. Please go ahead with it after all.", {"kind": "reconsider"})
        if kind == "user_action":
            action = self.task.actions[intent["action"]]
            self.pending_device = True
            return Turn(tool_calls=[ToolCall(action.name, dict(action.arguments))])
        if kind in ("anything_else", "end"):
            if self.pushback == 0 and (len(self.stated) >= 1):
                self.pushback = 1
                ask, _ = self._forbidden()
                return self._say(ask, {"kind": "forbidden"})
            return self._state_next()
        self.unknown += 1
        if self.unknown >= 2:  # the agent seems done with this request; move the conversation on
            self.unknown = 0
            return self._state_next()
        return self._say("Okay, thank you. What's next?", {"kind": "ack"})

    # -- behaviours --------------------------------------------------------------------------------
    def _say(self, text: str, intent: dict[str, Any]) -> Turn:
        return Turn(styled(text, self.style, self.rng), intent=intent)

    def _forbidden(self) -> tuple[str, str]:
        options = FORBIDDEN_ASKS.get(self.domain) or FORBIDDEN_ASKS["retail"]
        return options[len(self.task.id) % len(options)]

    def _push_back_more(self) -> Turn:
        if self.pushback == 1:
            self.pushback = 2
            return self._say(self.rng.choice(INSISTS), {"kind": "insist"})
        self.pushback = 3
        nxt = self._state_next()
        text = self.rng.choice(ACCEPTS) + " " + (nxt.content or "")
        return Turn(text, intent={**(nxt.intent or {}), "accepted_refusal": True})

    def _authenticate(self) -> Turn:
        auth = self.facts.get("auth") or {}
        self.auth_answers += 1
        if "asked_twice" in self.behaviours and self.auth_answers == 1:
            return self._say("Why do you need that?", {"kind": "why"})
        first_real = self.auth_answers == (2 if "asked_twice" in self.behaviours else 1)
        if "misremembers" in self.behaviours and first_real:
            wrong = (self.task.writ or {}).get("behaviour_facts", {}).get("wrong_auth") or misremember(auth)
            values = {k: v for k, v in wrong.items() if k != "method"}
            return Turn(auth_sentence(wrong, self.facts.get("name", "")), intent={"kind": "auth", "values": values})
        values = {k: v for k, v in auth.items() if k != "method"}
        text = auth_sentence(auth, self.facts.get("name", ""))
        if "misremembers" in self.behaviours:
            text = "Sorry, my mistake. " + text
        return Turn(text, intent={"kind": "auth", "values": values})

    def _confirm(self) -> Turn:
        self.confirms += 1
        if self.confirms == 1 and "asks_before_confirming" in self.behaviours:
            return self._say("Before I say yes: will anything else on my account change?", {"kind": "question"})
        if self.confirms == 1 and "confirms_after_repeat" in self.behaviours:
            return self._say("Could you repeat exactly what you're going to do?", {"kind": "question"})
        if self.confirms == 1 and "changes_mind" in self.behaviours and not self.declined_once:
            self.declined_once = True
            return self._say("No, actually, don't do that.", {"kind": "confirm", "answer": False})
        return Turn(self.rng.choice(YES), intent={"kind": "confirm", "answer": True})

    def _state_next(self) -> Turn:
        remaining = [r for r in range(len(self.requests)) if r not in self.stated]
        if not remaining:
            return Turn(self.rng.choice(THANKS_STOP), intent={"kind": "stop"})
        if "all_at_once" in self.behaviours and not self.stated:
            self.stated.extend(remaining)
            texts = [self.requests[r].get("utterance") or self._fallback_request() for r in remaining]
            joined = texts[0] + "".join(f" Also, {t[:1].lower() + t[1:]}" for t in texts[1:])
            return self._say(joined, {"kind": "request", "requests": remaining})
        r = remaining[0]
        self.stated.append(r)
        text = self.requests[r].get("utterance") or self._fallback_request()
        if "late_request" in self.behaviours and len(remaining) == 1 and len(self.requests) >= 2:
            text = "No, I think that's everything... oh wait, actually, there is one more thing. " + text
        return self._say(text, {"kind": "request", "requests": [r]})

    def _fallback_request(self) -> str:
        instructions = self.task.instructions
        reason = instructions.get("reason_for_call") or instructions.get("task_instructions") or "I need some help."
        return _to_first_person(str(reason))

    def _guess_intent(self, text: str) -> dict[str, Any]:
        """Understanding an agent that carries no annotations (an LLM agent)."""
        if not self.stated and not self.auth_answers:
            return {"kind": "greet"}
        if _CONFIRM_Q.search(text) and "?" in text:
            return {"kind": "confirm"}
        if _AUTH_Q.search(text) and "?" in text:
            return {"kind": "ask_auth"}
        if _ELSE_Q.search(text):
            return {"kind": "anything_else"}
        if not self.stated and "?" in text:
            return {"kind": "ask_request"}
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

"""The scripted customer: plays its scenario, answers what it is asked, ends when it is done.

It states its requests (all at once, one at a time, or after a vague opening, as its behaviours
say), holding back the details its scenario marks as withheld until the agent asks for them; gives
its identifying details when asked (with a slip first if it misremembers); answers questions from
its scenario; confirms a proposal only when it matches what it wants (the gold write of the request
it is on); pushes back once on a refusal if that is its behaviour, then accepts; performs actions
on its own device when asked (telecom) and describes what it sees; thanks the agent when nothing is
left, and ends the conversation after the agent's goodbye.

Every message carries a reading (`writ.dialogue.acts`) whose values are written in its text. With an
agent that attaches no reading (an LLM) it recognises the agent's moves from the text instead.
"""

from __future__ import annotations

import importlib
import random
import re
from typing import Any

from writ.core import ToolCall, Turn
from writ.dialogue.acts import act, acts_of, grounding_problems, public
from writ.dialogue.grammar import fuse
from writ.task import Task
from writ.users.scripted import speech as S
from writ.users.scripted.scenario import Scenario
from writ.users.scripted.style import apply_style

__all__ = ["ScriptedUser", "guess_acts"]

_CONFIRM_Q = re.compile(r"(proceed|confirm|go ahead|shall i|should i|would you like me to)", re.I)
_AUTH_Q = re.compile(r"(zip|e-?mail|user ?id|phone number|full name|verify|customer id)", re.I)
_ELSE_Q = re.compile(r"(anything else|something else|else i can|anything more)", re.I)
_BYE = re.compile(r"\b(goodbye|have a (great|good|nice|lovely|wonderful) day|take care)\b", re.I)
_TRANSFER = re.compile(r"transferr?(ed|ing) (you )?to a human", re.I)


def guess_acts(text: str) -> list[dict[str, Any]]:
    """The agent's moves, recognised from text (for agents that attach no reading)."""
    if _TRANSFER.search(text):
        return [act("transfer")]
    if _CONFIRM_Q.search(text) and "?" in text:
        return [act("propose")]
    if _AUTH_Q.search(text) and "?" in text:
        return [act("ask_auth")]
    if _ELSE_Q.search(text):
        return [act("anything_else")]
    if _BYE.search(text):
        return [act("goodbye")]
    if "?" in text:
        return [act("ask_request")]
    return []


class ScriptedUser:
    """See the module docstring. One instance per episode."""

    name = "scripted"

    def __init__(self, task: Task, seed: int | str = 0):
        self.sc = Scenario.of(task)
        self.rng = random.Random(f"{task.id}/{seed}/user")
        self.words = importlib.import_module(f"writ.users.scripted.{self.sc.domain}")
        self.register = S.register_of(self.sc.style)
        self.stated: list[int] = []
        self.finished: set[int] = set()
        self.writes_done: dict[int, int] = {}
        self.auth_answers = 0
        self.confirms = 0
        self.declined_once = False
        self.pushed: set[int] = set()
        self.forbidden_done = not self.sc.has("pushes_back")
        self.forbidden_state = 0
        self.said_done = False
        self.turns = 0
        self.idle = 0  # agent messages in a row that carried no move the customer could place
        self.device_pending: list[ToolCall] = []

    @property
    def cues(self) -> Any:
        """The words that express the values of this customer's readings (for a realizer's guard)."""
        return self.words.cues

    # -- speaking ------------------------------------------------------------------------------
    def _turn(self, text: str, *acts: dict[str, Any]) -> Turn:
        # a goodbye keeps the persona's words but not its hurry ("that was quick! Let's be quick about it")
        style = None if self.sc.style == "impatient" and any(a.get("act") == "done" for a in acts) else self.sc.style
        styled = fuse(self.rng, apply_style(text, style, self.rng, self.turns), 0.5, (" \u2014 ", "; "), 0.5,
                      per_sentence=3)
        if styled != text and grounding_problems(list(acts), styled, self.words.cues):
            styled = text  # a style may never hide a value of the reading
        self.turns += 1
        return Turn(styled, reading={"acts": list(acts)})

    def _say(self, move: str, *acts: dict[str, Any], **values: Any) -> Turn:
        return self._turn(S.say(self.rng, move, self.register, **values), *acts)

    # -- the conversation ------------------------------------------------------------------------
    async def act(self, messages: list[dict[str, Any]]) -> Turn:
        if self.device_pending:
            return self._device(messages)
        last = next((m for m in reversed(messages) if m["role"] == "assistant"), {})
        acts = acts_of(last) or guess_acts(last.get("content") or "")
        names = [a["act"] for a in acts]
        if self.said_done or "goodbye" in names:
            return Turn("###STOP###", reading={"acts": [act("bye")]})
        if "transfer" in names:
            return Turn("###TRANSFER###", reading={"acts": [act("bye")]})
        if "transfer_notice" in names:
            return self._say("ack_next", act("ack"))
        for name in names:  # each outcome the agent reports closes the request it was working on
            current = self._current()
            if current is None:
                continue
            if name == "done":  # a request with several writes closes after the last of them
                self.writes_done[current] = self.writes_done.get(current, 0) + 1
                if self.writes_done[current] >= len(self.sc.requests[current].writes):
                    self.finished.add(current)
            elif name in ("inform", "failed"):
                self.finished.add(current)
        if "ask_device" in names:
            return self._do_device(next(a for a in acts if a["act"] == "ask_device"))
        if "ask_auth" in names or "auth_failed" in names:
            return self._authenticate()
        if "ask_slot" in names:
            return self._answer(next(a for a in acts if a["act"] == "ask_slot"))
        if "propose" in names:
            return self._confirm(next(a for a in acts if a["act"] == "propose"))
        if "declined" in names:
            if self.sc.has("changes_mind") and self.declined_once and self.confirms == 1:
                return self._say("reconsider", act("reconsider"))
        if "refuse" in names:
            return self._refused(next(a for a in acts if a["act"] == "refuse"))
        if "greet" in names and not self.stated:
            if self.sc.has("answers_only"):
                return self._say("vague", act("vague"))
            return self._state_next(opening=True)
        if "ask_request" in names or "anything_else" in names:
            return self._state_next()
        if "next" in names:
            return self._say("ack_next", act("ack"))
        if not names:  # a move it cannot place (an LLM agent): open, then wait a little, then give up
            self.idle += 1
            if not self.stated:
                return self._state_next(opening=True)
            if self.idle >= 3:
                return Turn("I'll try again another time, thanks. ###STOP###", reading={"acts": [act("bye")]})
        else:
            self.idle = 0
        return self._say("thanks", act("ack"))

    def _current(self) -> int | None:
        return next((i for i in self.stated if i not in self.finished), None)

    # -- requests ----------------------------------------------------------------------------------
    def _state_next(self, opening: bool = False) -> Turn:
        remaining = [i for i in range(len(self.sc.requests)) if i not in self.stated]
        if not remaining:
            if not self.forbidden_done and self.finished:
                return self._forbidden()
            self.said_done = True
            return self._say("done", act("done"))
        if self.sc.has("all_at_once") and not self.stated:
            batch = remaining
        else:
            batch = remaining[:1]
        texts, acts = [], []
        for n, i in enumerate(batch):
            request = self.sc.requests[i]
            texts.append(self.words.request_text(self.rng, request.say_frame(), self.register, n > 0))
            acts.append(act("request", frame=request.stated_frame()))
        self.stated.extend(batch)
        text = " ".join(texts)
        if self.sc.has("late_request") and len(remaining) == 1 and len(self.sc.requests) >= 2:
            text = S.say(self.rng, "late", self.register) + " " + text
        return self._turn(text, *acts)

    def _answer(self, asked: dict[str, Any]) -> Turn:
        slot = asked.get("slot", "")
        index = self._current()
        request = self.sc.requests[index] if index is not None else None
        if request is None:
            return self._say("thanks", act("ack"))
        if slot == "complete":
            text = self.words.complete_text(self.rng, self.register)
            return self._turn(text, act("inform", slots={"complete": True}))
        value = request.frame.get(slot)
        if value is None and slot == "order" and asked.get("options"):
            value = self.words.pick_option(request, asked["options"])
        if value is None:
            return self._turn(self.words.dont_know(self.rng, slot), act("inform", slots={}))
        text = self.words.answer_text(self.rng, slot, value, request.frame, self.register)
        return self._turn(text, act("inform", slots={slot: value}))

    def _confirm(self, proposal: dict[str, Any]) -> Turn:
        self.confirms += 1
        index = self._current()
        request = self.sc.requests[index] if index is not None else None
        if self.confirms == 1 and self.sc.has("asks_before_confirming"):
            return self._say("ask_effects", act("ask", topic="effects"))
        if self.confirms == 1 and self.sc.has("confirms_after_repeat"):
            return self._say("ask_repeat", act("ask", topic="repeat"))
        if self.confirms == 1 and self.sc.has("changes_mind") and not self.declined_once:
            self.declined_once = True
            return self._say("deny", act("deny"))
        call = proposal.get("call")
        if request is not None and call and request.writes and not _matches(call, request.writes):
            restated = self.words.request_text(self.rng, request.frame, self.register, False)
            return self._turn(S.say(self.rng, "not_that", self.register) + " " + restated,
                              act("deny"), act("request", frame=public(request.frame)))
        return self._say("affirm", act("affirm"))

    def _refused(self, refusal: dict[str, Any]) -> Turn:
        index = self._current()
        if refusal.get("topic") in ("forbidden", "discount") or self.forbidden_state in (1, 2):
            return self._forbidden_reply()
        if index is not None and self.sc.has("pushes_back") and index not in self.pushed \
                and refusal.get("topic") != "impossible":  # an argument can move a policy, not a stock level
            self.pushed.add(index)
            request = self.sc.requests[index]
            text = self.words.pushback_text(self.rng, request, self.register)
            return self._turn(text, act("insist", topic=request.family))
        if index is not None:
            self.finished.add(index)
        if self._current() is not None:  # requests already stated are still being handled: just accept
            return self._say("accept", act("accept"))
        nxt = self._state_next()
        head = S.say(self.rng, "accept", self.register)
        return Turn(head + " " + (nxt.content or ""), reading={"acts": [act("accept")] + acts_of(
            {"_reading": nxt.reading})})

    def _forbidden(self) -> Turn:
        self.forbidden_state = 1
        self.forbidden_done = True
        topic, text = self.words.forbidden_ask(self.rng, self.sc, self.register)
        return self._turn(text, act("forbidden", topic=topic))

    def _forbidden_reply(self) -> Turn:
        if self.forbidden_state == 1:
            self.forbidden_state = 2
            return self._say("insist", act("insist", topic="forbidden"))
        self.forbidden_state = 3
        nxt = self._state_next()
        head = S.say(self.rng, "accept", self.register)
        return Turn(head + " " + (nxt.content or ""), reading={"acts": [act("accept")] + acts_of(
            {"_reading": nxt.reading})})

    # -- identity -------------------------------------------------------------------------------------
    def _authenticate(self) -> Turn:
        self.auth_answers += 1
        if self.sc.has("asked_twice") and self.auth_answers == 1:
            return self._say("why_auth", act("ask", topic="why_auth"))
        first_real = self.auth_answers == (2 if self.sc.has("asked_twice") else 1)
        if self.sc.has("misremembers") and first_real and self.sc.wrong_auth:
            text, slots = S.auth_text(self.rng, self.sc.wrong_auth, self.sc.name, self.register)
            return self._turn(text, act("auth", slots=slots))
        sorry = self.sc.has("misremembers") and not first_real
        text, slots = S.auth_text(self.rng, self.sc.auth, self.sc.name, self.register, sorry=sorry)
        return self._turn(text, act("auth", slots=slots))

    # -- the customer's own device (telecom) ------------------------------------------------------------
    def _do_device(self, asked: dict[str, Any]) -> Turn:
        call = self.words.device_call(asked, self.sc)
        self.device_pending = [call]
        return Turn(tool_calls=[call])

    def _device(self, messages: list[dict[str, Any]]) -> Turn:
        self.device_pending = []
        result = next((m for m in reversed(messages) if m["role"] == "tool"), {}).get("content", "")
        text, slots = self.words.describe_device(self.rng, result, self.register)
        return self._turn(text, act("report", slots=slots))


def _matches(call: dict[str, Any], writes: list[ToolCall]) -> bool:
    """Whether a proposal is one of the writes the customer wants (on the arguments it states)."""
    stated = call.get("arguments") or {}
    return any(call.get("tool") == w.name and _same(stated, {k: w.arguments.get(k) for k in stated})
               for w in writes)


def _same(a: Any, b: Any) -> bool:
    """Whether stated value `a` agrees with wanted value `b` (a stated object may leave keys unsaid)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() <= b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(float(a) - float(b)) < 0.005
    return a == b

"""The scripted teacher: a dialogue policy over what has been said, for any domain with skills.

It reads no task. Its state is the conversation: requests, preferences and values enter it only
when a customer message states them (through the message's reading, whose values are proven to be
in the text), and facts only from tool results. Each turn it takes the first open request and asks
the domain's skill what that request needs; the skill answers with a read to make, an amount to
compute, a question for the customer, or a step (propose a write, refuse, inform, transfer). So the
teacher reads only for stated requests, asks for what the customer has not said, and says "done"
only after the write's result came back.

The conversation it holds: greet; authenticate with the details the customer gives (asking again
when they match nothing, explaining why when asked); work through the requests in the order they
were made; before each write list every detail (and what the evidence showed) and wait for an
explicit yes; report the outcome; ask whether there is anything else; say goodbye. The customer
ends the conversation.
"""

from __future__ import annotations

import json
import random
import re
from typing import Any

from writ.agents.scripted import speech
from writ.agents.scripted.knowledge import Knowledge, NeedCalc, NeedDevice, NeedRead, NeedSlot, Request
from writ.agents.scripted.steps import Inform, Propose, Refuse, Skills, Transfer
from writ.core import ToolCall, Turn
from writ.dialogue.acts import act, acts_of
from writ.dialogue.grammar import fuse

__all__ = ["ScriptedTeacher"]


# "Sure —" answers the customer, so it opens a message; after the teacher's own sentences it reads as if
# the teacher agreed with itself ("... holds 1 checked bag now. Sure — which card ...").
_MID_COURTESY = re.compile(r"(?<=[.!?] )(?:Sure|Noted|Of course|Certainly|Absolutely|Great|Alright|Okay)"
                           r"(?: —|,|\.|!) ([a-zA-Z])")


class ScriptedTeacher:
    """See the module docstring. One instance per episode."""

    name = "scripted"

    def __init__(self, skills: Skills, seed: int | str = 0, *, calculator: str | None = "calculate"):
        self.skills = skills
        self.seed = f"teacher/{skills.domain}/{seed}"
        self.rng = random.Random(self.seed)
        self.voice = self.rng.choice(speech.VOICES)
        self.k = Knowledge(skills.read_for)
        self.calculator = calculator
        self.requests: list[Request] = []
        self.cursor = 0
        self.greeted = False
        self.auth_values: dict[str, Any] = {}
        self.auth_tried: list[dict[str, Any]] = []
        self.auth_judged: dict[str, Any] = {}  # the details last found not to match (skills with `identity`)
        self.asked_auth = False
        self.name = "scripted"
        self.first_name = ""
        self.welcomed = False
        self.awaiting: tuple[str, Any] | None = None  # ("confirm", request), ("slot", (request, slot)), ...
        self.proposal: Propose | None = None
        self.proposal_continues = False
        self.prefix: list[str] = []
        self.prefix_acts: list[dict[str, Any]] = []
        self.refusal_why = ""  # the reason given for the last refusal, to hold the line with
        self.calls: dict[str, ToolCall] = {}
        self.results: list[tuple[ToolCall, str, bool]] = []
        self.said_anything_else = False
        self.closed = False
        self.refused_asks = 0
        self.device_call: ToolCall | None = None  # what the customer was asked to do on their phone

    @property
    def cues(self) -> Any:
        """The words that express the values of this teacher's readings (for a realizer's guard)."""
        return self.skills.cues

    # -- the turn ------------------------------------------------------------------------------
    async def act(self, messages: list[dict[str, Any]]) -> Turn:
        user_acts = self._ingest(messages)
        return self._decide(user_acts)

    def _ingest(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        new = messages[self.cursor:]
        self.cursor = len(messages)
        user_acts: list[dict[str, Any]] = []
        self.results = []
        for m in new:
            if m["role"] == "assistant":
                for call in m.get("tool_calls") or []:
                    fn = call.get("function", {})
                    self.calls[call.get("id", "")] = ToolCall(fn.get("name", ""),
                                                              json.loads(fn.get("arguments") or "{}"))
            elif m["role"] == "tool":
                call = self.calls.get(m.get("tool_call_id", ""))
                if call is not None:
                    content = m.get("content") or ""
                    error = content.startswith("Error")
                    self.skills.absorb(self.k, call, content, error)
                    if call.name == self.calculator and not error:
                        self.k.calcs[call.arguments.get("expression", "")] = float(content)
                    self.results.append((call, content, error))
            elif m["role"] == "user":
                user_acts.extend({**a, "_text": m.get("content") or ""} for a in acts_of(m))
        return user_acts

    def _say(self, text: str, *acts: dict[str, Any]) -> Turn:
        parts = self.prefix + [text]
        said = self.prefix_acts + list(acts)
        self.prefix, self.prefix_acts = [], []
        text = _MID_COURTESY.sub(lambda m: m.group(1).upper(), " ".join(p for p in parts if p))
        return Turn(fuse(self.rng, text, 0.4, p_question=0.7), reading={"acts": said})

    def _lead(self, text: str, *acts: dict[str, Any]) -> None:
        """Something to say at the start of the next message (the teacher may read first)."""
        self.prefix.append(text)
        self.prefix_acts.extend(acts)

    def _call(self, call: ToolCall) -> Turn:
        return Turn(tool_calls=[call])


    # -- deciding --------------------------------------------------------------------------------
    def _decide(self, acts: list[dict[str, Any]]) -> Turn:
        rng, voice = self.rng, self.voice
        if not self.greeted:
            self.greeted = True
            return self._say(speech.say(rng, "greet", voice), act("greet"))
        turn = self._after_results()
        if turn is not None:
            return turn
        if self.awaiting is not None and self.awaiting[0] == "transfer":
            step, self.awaiting = self.awaiting[1], None
            reason = {"reason": step.reason} if step.reason else {}
            return self._call(ToolCall("transfer_to_human_agents", {"summary": step.summary, **reason}))
        turn = self._hear(acts)
        if turn is not None:
            return turn
        if self.skills.needs_auth and self.k.user_id is None:
            return self._authenticate(acts)
        return self._work()

    def _after_results(self) -> Turn | None:
        for call, content, error in self.results:
            if call.name == "transfer_to_human_agents":
                return self._say(speech.say(self.rng, "transfer"), act("transfer"))
            if (self.proposal is not None and call.name == self.proposal.call.name
                    and self.awaiting == ("writing", None)):
                request = self._current()
                self.awaiting = None
                more = self.proposal.more
                self.proposal_continues = self.proposal.continues
                self.proposal = None
                if error:
                    request.status = "failed"
                    self._lead(speech.say(self.rng, "write_failed", error=content.removeprefix("Error: ")),
                               act("failed"))
                elif self.proposal_continues:  # one step of a longer request: it goes on
                    request.status = "open"
                    self._lead(self.skills.done_text(self.rng, request, call, self.k), act("progress", tool=call.name))
                    continue
                else:
                    request.status = "open" if more else "done"
                    self._lead(self.skills.done_text(self.rng, request, call, self.k), act("done", tool=call.name))
                if any(r.open for r in self.requests) and not (more and not error):
                    self._lead(speech.say(self.rng, "next", self.voice), act("next"))
        return None

    def _hear(self, acts: list[dict[str, Any]]) -> Turn | None:
        """Take in what the customer just said; answer at once what needs an answer."""
        rng, voice = self.rng, self.voice
        names = [a["act"] for a in acts]
        for a in acts:
            if a["act"] == "request":
                self.requests.append(Request(dict(a["frame"]), seed=f"{self.seed}/{len(self.requests)}",
                                             text=a.get("_text", "")))
            elif a["act"] == "auth":
                self.auth_values.update(a.get("slots") or {})
            elif a["act"] == "inform":
                self._inform(a.get("slots") or {})
            elif a["act"] == "report" and self.device_call is not None:  # what the customer's phone showed
                self.skills.absorb_report(self.k, self.device_call, a.get("slots") or {})
                self.device_call = None
        if "forbidden" in names:
            topic = next(a for a in acts if a["act"] == "forbidden").get("topic", "")
            self.refusal_why = self.skills.forbidden_reason(topic)
            return self._say(self.skills.forbidden_text(rng, topic), act("refuse", topic="forbidden"))
        if "insist" in names:
            return self._say(speech.say(rng, "refuse_again", voice, why=self.refusal_why or "the policy doesn't "
                                        "allow it"), act("refuse", topic="insist"))
        if self.awaiting is not None and self.awaiting[0] == "confirm":
            request = self.awaiting[1]
            if "affirm" in names:
                self.awaiting = ("writing", None)
                return self._call(self.proposal.call)
            if "ask" in names:
                summary = self.proposal.summary
                topic = next((a.get("topic") for a in acts if a["act"] == "ask"), "")
                # "Repeat that?" gets the proposal again; "will anything else change?" gets the answer first
                answer = "reconfirm" if topic == "repeat" else "restate"
                text = speech.say(rng, answer, voice, summary=summary) + " " + speech.say(rng, "ask_confirm", voice)
                return self._say(text, act("answer"), act("propose", call=_call_json(self.proposal)))
            if "deny" in names:
                request.status = "declined"
                self.awaiting = ("declined", request)
                return self._say(speech.say(rng, "declined", voice), act("declined"))
        if self.awaiting is not None and self.awaiting[0] == "declined":
            request = self.awaiting[1]
            self.awaiting = None
            if "reconsider" in names and self.proposal is not None:
                request.status = "proposed"
                self.awaiting = ("confirm", request)
                text = speech.say(rng, "reconfirm", voice, summary=self.proposal.summary) + " " + \
                    speech.say(rng, "ask_confirm", voice)
                return self._say(text, act("propose", call=_call_json(self.proposal)))
            self.proposal = None
        if ("done" in names or "bye" in names) and not any(r.open for r in self.requests):
            self.closed = True
            return self._say(speech.say(rng, "goodbye", voice, name=self.first_name), act("goodbye"))
        return None

    def _inform(self, slots: dict[str, Any]) -> None:
        target = None
        if self.awaiting is not None and self.awaiting[0] == "slot":
            target = self.awaiting[1][0]
        for request in ([target] if target else []) + [r for r in self.requests if r.open]:
            for slot, value in slots.items():
                if slot in request.asked or request is target:
                    request.slots.setdefault(slot, value)
            if request is target:
                break
        if self.awaiting is not None and self.awaiting[0] == "slot":
            self.awaiting = None

    # -- authentication ----------------------------------------------------------------------------
    def _authenticate(self, acts: list[dict[str, Any]]) -> Turn:
        rng, voice = self.rng, self.voice
        judge = getattr(self.skills, "identity", None)
        if judge is not None:  # the skill checks the details against a record it read (banking)
            verdict = judge(self.k, self.auth_values)
            if verdict == "verified":
                return self._work()
            if verdict == "mismatch" and self.auth_values != self.auth_judged:
                self.auth_judged = dict(self.auth_values)
                return self._say(speech.say(rng, "auth_failed", voice), act("auth_failed"))
        for call, _content, error in self.results:
            if self.skills.is_auth_call(call):
                if error:
                    return self._say(speech.say(rng, "auth_failed", voice), act("auth_failed"))
        call = self.skills.auth_call(self.auth_values)
        if call is not None and call.arguments not in self.auth_tried:
            self.auth_tried.append(dict(call.arguments))
            return self._call(call)
        if any(a["act"] == "ask" and a.get("topic") == "why_auth" for a in acts):
            question = self.skills.auth_question(rng, voice)
            return self._say(speech.say(rng, "why_auth", voice) + " " + _without_greeting(question),
                             act("ask_auth", fields=self.skills.auth_fields))
        self.asked_auth = True
        return self._say(self.skills.auth_question(rng, voice),
                         act("ask_auth", fields=self.skills.auth_fields))

    # -- working through the requests -------------------------------------------------------------
    def _current(self) -> Request | None:
        return next((r for r in self.requests if r.open), None)

    def _work(self) -> Turn:
        rng, voice = self.rng, self.voice
        if self.k.user_id is not None and not self.welcomed:
            self.welcomed = True
            self.first_name = self.skills.first_name(self.k)
            thanks = speech.say(rng, "thanks_name", voice, name=self.first_name) + " " if self.first_name else ""
            self.prefix.insert(0, thanks + speech.say(rng, "found_account", voice))
            self.prefix_acts.insert(0, act("authenticated"))
        request = self._current()
        if request is None:
            if not self.requests:
                return self._say(speech.say(rng, "ask_request", voice), act("ask_request"))
            return self._say(speech.say(rng, "anything_else", voice), act("anything_else"))
        try:
            step = self.skills.step(request, self.k)
        except NeedRead as need:
            return self._call(need.call)
        except NeedCalc as need:
            return self._call(ToolCall(self.calculator, {"expression": need.expression}))
        except NeedDevice as need:
            self.device_call = need.call
            self.k.said.update(need.mentions)
            return self._say(need.text, act("ask_device", action=need.call.name, arguments=dict(need.call.arguments)))
        except NeedSlot as need:
            request.asked.append(need.slot)
            self.awaiting = ("slot", (request, need.slot))
            question = need.question or self.skills.ask_slot(rng, voice, request, need, self.k)
            self.k.said.update(need.mentions)
            return self._say(question, act("ask_slot", slot=need.slot, options=list(need.options)))
        return self._take(request, step)

    def _take(self, request: Request, step: Any) -> Turn:
        rng, voice = self.rng, self.voice
        self.k.said.update(getattr(step, "mentions", []))
        more = any(r.open for r in self.requests if r is not request)
        if isinstance(step, Propose):
            self.proposal = step
            request.status = "proposed"
            self.awaiting = ("confirm", request)
            text = " ".join(x for x in (step.evidence, step.summary, speech.say(rng, "ask_confirm", voice)) if x)
            return self._say(text, act("propose", call=_call_json(step)))
        if isinstance(step, Transfer):  # say why first; the call comes once the customer has heard it
            request.status = "transferred"
            self.awaiting = ("transfer", step)
            return self._say(step.text, act("transfer_notice"))
        tail = (speech.say(rng, "next", voice), act("next")) if more else \
            (speech.say(rng, "anything_else", voice), act("anything_else"))
        if isinstance(step, Refuse):
            request.status = "refused"
            self.refusal_why = step.why
            return self._say(step.text + " " + tail[0], act("refuse", topic=step.topic), tail[1])
        if isinstance(step, Inform):
            request.status = "informed"
            return self._say(step.text + " " + tail[0], act("inform", values=list(step.values)), tail[1])
        raise TypeError(f"unknown step {step!r}")


def _call_json(step: Propose) -> dict[str, Any]:
    """A proposal as its text states it: the customer's own user id is implied, never read out, and
    values the text names in words are left to the step's `shown` arguments (and the tool to its
    `tool`, when the call goes through a dispatcher such as banking's discoverable tools)."""
    arguments = step.shown if step.shown is not None else step.call.arguments
    return {"tool": step.tool or step.call.name, "arguments": {k: v for k, v in arguments.items() if k != "user_id"}}


def _without_greeting(question: str) -> str:
    """The auth question minus its opening courtesy ("Sure. Could you ..."): after explaining why
    verification comes first, a second "Sure." reads as if the agent had not heard the customer."""
    head, sep, rest = question.partition(". ")
    if sep and len(head.split()) <= 6 and rest[:1].isupper():
        return rest
    return question

"""The telecom teacher's side of the support workflow: observations are what it was told and read.

The teacher runs `writ.tasks.telecom.workflow` (the same procedure that made the task's gold
actions) over this observer, from the start of the request every turn. It replays what already
happened in the conversation, in order, from the teacher's log (`Knowledge.facts["log"]`: what the
customer reported after each thing they were asked to do on the phone, and each account write),
and stops at the first thing that has not happened yet:

* a check or a fix on the phone the customer has not reported -> `NeedDevice` (the teacher asks);
* an account record not read -> `NeedRead`;
* a detail the customer has not given -> `NeedSlot` (the teacher asks);
* an account change not made -> `Ready(Propose(...))` (the teacher states it and waits for a yes).

The words of the next message say first what the latest answers showed (the workflow's notes not
yet told, see `Knowledge.said`), then what is needed. Replays are deterministic, so a note keeps
its key and is told once.
"""

from __future__ import annotations

import random
from typing import Any

from writ.agents.scripted import telecom_words as T
from writ.agents.scripted.knowledge import Knowledge, NeedDevice, NeedRead, NeedSlot, Request
from writ.agents.scripted.steps import Propose, Step
from writ.core import ToolCall
from writ.dialogue.grammar import realize
from writ.domains.telecom.user_tools import user_box
from writ.tasks.telecom.workflow import STEP_ORDER, Outcome, Stop, read_call, stale_after

__all__ = ["Ready", "TeacherObserver", "fresh_before"]

DEFAULTS = {"check_status_bar": {"airplane": False}}  # an icon the customer does not mention is not there
IMPLIED = ("customer_id", "line_id")  # the customer's own ids: a proposal names the line by its phone number


class Ready(Exception):
    """The workflow reached a step the teacher can take now (a proposal)."""

    def __init__(self, step: Step):
        super().__init__(type(step).__name__)
        self.step = step


class Diverged(Exception):
    """The conversation did something the workflow would not have (never expected from the scripted pair)."""


def _mutates(name: str) -> bool:
    tool = user_box.tools.get(name)
    return bool(tool and tool.mutates)


def fresh_before(log: list[tuple[str, ToolCall, Any]]) -> dict[str, dict[str, Any]]:
    """The phone checks still valid after `log`: those since the last change to phone or account."""
    fresh: dict[str, dict[str, Any]] = {}
    for kind, call, facts in log:
        if kind == "read":
            continue
        if kind == "device" and not _mutates(call.name):
            fresh[call.name + repr(sorted(call.arguments.items()))] = facts
        else:
            fresh.clear()
    return fresh


def _record_key(call: ToolCall) -> tuple[str, str] | None:
    """The (table, key) a read fills, as `workflow.read_call` names it."""
    args = call.arguments
    if call.name == "get_details_by_id":
        return {"L": "lines", "P": "plans", "B": "bill", "C": "customers"}.get(str(args.get("id", ""))[:1], "other"), \
            args.get("id", "")
    if call.name == "get_customer_by_phone":
        return None
    if call.name == "get_bills_for_customer":
        return "bills", args.get("customer_id", "")
    if call.name == "get_data_usage":
        return "usage", args.get("line_id", "")
    return None


class Records:
    """The account records as the teacher knew them at one point of the conversation."""

    def __init__(self, customer: tuple[str, Any] | None):
        self.known: dict[tuple[str, str], Any] = {}
        if customer is not None:
            self.known[("customers", customer[0])] = customer[1]

    def apply(self, kind: str, call: ToolCall, value: Any) -> None:
        if kind == "read":
            key = _record_key(call)
            if key is not None:
                self.known[key] = value
        elif kind == "write" and value is not None:
            for key in stale_after(call.name, call.arguments):
                self.known.pop(key, None)
            if isinstance(value, dict) and isinstance(value.get("line"), dict):
                self.known[("lines", call.arguments["line_id"])] = value["line"]
        elif kind == "device" and call.name == "make_payment":
            self.known = {k: v for k, v in self.known.items() if k[0] not in ("bills", "bill")}


class TeacherObserver:
    """A `workflow.Observer` over the teacher's knowledge (see the module docstring)."""

    def __init__(self, request: Request, k: Knowledge, frame: dict[str, Any], words: Any):
        self.k = k
        self.request = request
        self.frame = frame
        self.words = words
        self.customer_id = k.user_id or ""
        self.phone = k.facts.get("phone", "")
        log = k.facts.setdefault("log", [])
        start = k.facts.setdefault("starts", {}).setdefault(request.seed, len(log))
        self.prior = log[:start]
        self.events = log[start:]
        self.pos = 0
        customer = k.peek("customers", k.user_id) if k.user_id else None
        self.records = Records((k.user_id, customer) if customer is not None else None)
        for kind, call, value in self.prior:
            self.records.apply(kind, call, value)
        self.notes: list[tuple[str, dict[str, Any]]] = []

    def rng(self, what: str) -> random.Random:
        return random.Random(f"telecom-words/{self.request.seed}/{what}/{len(self.notes)}/{self.pos}")

    # -- what the latest answers showed -------------------------------------------------------------
    def note(self, finding: dict[str, Any]) -> None:
        self.notes.append((f"{self.request.seed}/note{len(self.notes)}", finding))

    def told(self) -> tuple[str, list[str]]:
        """Sentences about the notes not yet told, and their keys."""
        parts, keys = [], []
        for key, finding in self.notes:
            if key in self.k.said:
                continue
            keys.append(key)
            text = T.observation(random.Random(key), finding)
            if text:
                parts.append(text)
        return " ".join(parts), keys

    def _with_told(self, text: str) -> tuple[str, list[str]]:
        told, keys = self.told()
        return " ".join(x for x in (told, text) if x), keys

    # -- the observer ------------------------------------------------------------------------------
    def _next(self, kind: str, name: str, args: dict[str, Any]) -> Any:
        if self.pos < len(self.events):
            got, call, value = self.events[self.pos]
            if got != kind or call.name != name or call.arguments != args:
                raise Diverged(f"expected {kind} {name}, the log has {got} {call.name}")
            self.pos += 1
            self.records.apply(got, call, value)
            return value
        return _MISSING

    def device(self, name: str, args: dict[str, Any], finding: dict[str, Any]) -> dict[str, Any]:
        facts = self._next("device", name, args)
        if facts is not _MISSING:
            return {**DEFAULTS.get(name, {}), **facts}
        ask = T.ask_text(self.rng("ask"), name, args, finding.get("why", ""))
        if not self.events and not self.notes and self.frame.get("family") in ("service", "data", "mms"):
            hints = [h for h in STEP_ORDER if h in (self.frame.get("hints") or [])]
            ask = T.opener(self.rng("open"), self.frame, hints[0] if hints else None) + " " + ask
        text, keys = self._with_told(ask)
        raise NeedDevice(ToolCall(name, dict(args), requestor="user"), text, keys)

    def read(self, table: str, key: str) -> Any:
        if (table, key) in self.records.known:
            return self.records.known[(table, key)]
        name, args = read_call(table, key, self.customer_id)
        value = self._next("read", name, args)
        if value is not _MISSING:
            return value
        raise NeedRead(ToolCall(name, args))

    def write(self, name: str, args: dict[str, Any], finding: dict[str, Any]) -> Any:
        result = self._next("write", name, args)
        if result is not _MISSING:
            return result
        evidence, keys = self.told()
        recap = T.recap(self.rng("recap"), [note for key, note in self.notes if key in self.k.said],
                        [note for _, note in self.notes])
        evidence = " ".join(x for x in (evidence, recap) if x)
        summary = self.words.summary(self.rng("summary"), name, args, finding)
        shown = {k: v for k, v in args.items() if k not in IMPLIED}
        raise Ready(Propose(ToolCall(name, dict(args)), summary, evidence, keys, shown=shown, continues=True))

    def ask(self, slot: str, finding: dict[str, Any]) -> Any:
        if slot in self.frame:
            return self.frame[slot]
        if self.request.asked.count(slot) >= 2:  # asked twice, still no answer: a human has to take over
            raise Stop(Outcome("transfer", "no_answer", {"slot": slot}))
        question, options = self.words.question(self.rng("question"), slot, finding)
        text, keys = self._with_told(question)
        raise NeedSlot(slot, options, question=text, mentions=keys)

    def forget(self, table: str, key: str) -> None:
        """The records a customer's payment changed are dropped when the payment is reported."""

    def say(self, text: str) -> tuple[str, list[str]]:
        return self._with_told(text)


class _Missing:
    pass


_MISSING = _Missing()


def lead(rng: random.Random) -> str:
    """A short acknowledgement of a customer's report."""
    return realize(rng, ["[Thanks.|Thank you.|Got it.|Okay.|Thanks for checking.]"])

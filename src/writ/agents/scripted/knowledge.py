"""What the scripted teacher knows: records it read, values the customer said, sums it computed.

The teacher never sees the task. Everything it uses comes from here, and everything here came from
the conversation: tool results (parsed into records by the domain's skills), the structured
readings of customer messages (whose values are proven to be in the text), and `calculate` results.

A skill asks for a record with `get(table, key)`. When the teacher has not read it (or a write may
have changed it since), `get` raises `NeedRead` carrying the read call that would fetch it, and the
teacher makes that call instead of answering. Because the skills are pure functions of what is
known, re-running a skill after each result walks through exactly the reads the request needs, in
the order a careful agent would make them, and never re-reads a record it already holds. The same
object looks like a database to the domain's selectors (`get(table, key)`), so one description
resolver serves the task generator (over the real database) and the teacher (over what it read).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from writ.core import ToolCall

__all__ = ["Knowledge", "NeedCalc", "NeedDevice", "NeedRead", "NeedSlot", "Request"]


class NeedRead(Exception):
    """The skill needs a record the teacher has not read: make this call first."""

    def __init__(self, call: ToolCall):
        super().__init__(call.name)
        self.call = call


class NeedCalc(Exception):
    """The skill needs an amount computed with the domain's calculator tool."""

    def __init__(self, expression: str):
        super().__init__(expression)
        self.expression = expression


class NeedDevice(Exception):
    """The skill needs the customer to do something on their own phone (a check or a fix) and say
    what it shows; `text` asks for it (with what the last answers showed, `mentions` marking it told)."""

    def __init__(self, call: ToolCall, text: str, mentions: list[str] | None = None):
        super().__init__(call.name)
        self.call = call
        self.text = text
        self.mentions = mentions or []


class NeedSlot(Exception):
    """The skill needs a value only the customer can give: ask for it.

    `options` are the values the customer may choose from, when the policy lists them (the two
    cancellation reasons) or the records offer them (the matching orders).
    """

    def __init__(self, slot: str, options: list[Any] | None = None, question: str = "",
                 mentions: list[str] | None = None):
        super().__init__(slot)
        self.slot = slot
        self.options = options or []
        self.question = question  # the skill's own wording (it may carry the evidence gathered so far)
        self.mentions = mentions or []


@dataclass
class Request:
    """One thing the customer asked for, as the teacher understood it from what was said."""

    frame: dict[str, Any]
    status: str = "open"  # open, proposed, done, declined, refused, informed, transferred, failed
    slots: dict[str, Any] = field(default_factory=dict)  # values given in answers to questions
    asked: list[str] = field(default_factory=list)  # slots the teacher asked for
    seed: str = ""  # the teacher's per-request seed: wording stays stable when a step is recomputed
    text: str = ""  # the customer's message that made the request (banking searches with its words)

    @property
    def family(self) -> str:
        return self.frame.get("family", "")

    def value(self, slot: str, options: list[Any] | None = None) -> Any:
        """A customer-given value: from the request itself or a later answer, else ask for it."""
        if slot in self.slots:
            return self.slots[slot]
        if self.frame.get(slot) is not None:
            return self.frame[slot]
        raise NeedSlot(slot, options)

    def has(self, slot: str) -> bool:
        return slot in self.slots or self.frame.get(slot) is not None

    @property
    def open(self) -> bool:
        return self.status in ("open", "proposed")


class Knowledge:
    """Records read so far, keyed by (table, key), plus computed amounts (see module docstring)."""

    def __init__(self, read_for: Callable[[str, str], ToolCall]):
        self._read_for = read_for
        self.records: dict[tuple[str, str], Any] = {}
        self.stale: set[tuple[str, str]] = set()
        self.calcs: dict[str, float] = {}
        self.user_id: str | None = None
        self.facts: dict[str, Any] = {}  # domain facts learnt along the way (e.g. what a device shows)
        self.said: set[str] = set()  # keys of evidence already told to the customer (no need to repeat it)
        self.reads = 0

    # -- the database-like face the selectors use ---------------------------------------------
    def get(self, table: str, key: str | None = None) -> Any:
        index = (table, key or "")
        if index in self.records and index not in self.stale:
            return self.records[index]
        raise NeedRead(self._read_for(table, key or ""))

    def knows(self, table: str, key: str | None = None) -> bool:
        index = (table, key or "")
        return index in self.records and index not in self.stale

    def peek(self, table: str, key: str | None = None) -> Any:
        """A record as last read, even if stale (for wording only, never for decisions)."""
        return self.records.get((table, key or ""))

    def put(self, table: str, key: str, record: Any) -> None:
        self.records[(table, key)] = record
        self.stale.discard((table, key))

    def invalidate(self, table: str, key: str) -> None:
        if (table, key) in self.records:
            self.stale.add((table, key))

    # -- amounts ----------------------------------------------------------------------------------
    def calc(self, expression: str) -> float:
        if expression in self.calcs:
            return self.calcs[expression]
        raise NeedCalc(expression)

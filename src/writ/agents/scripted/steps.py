"""What a domain skill tells the teacher to do next for one request, once nothing is missing.

A skill is a pure function of the request (what the customer said) and the teacher's knowledge
(what it read). While something is missing it raises (`NeedRead`, `NeedCalc`, `NeedSlot` from
`writ.agents.scripted.knowledge`); once everything is known it returns one of these steps. Each
step carries its own wording, written from knowledge only, so what the teacher says can always be
traced to what it read or heard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from writ.agents.scripted.knowledge import Knowledge, Request
from writ.core import ToolCall

__all__ = ["Inform", "Propose", "Refuse", "Skills", "Step", "Transfer"]


@dataclass
class Propose:
    """A write, ready to be confirmed: `evidence` says what was compared, `summary` every detail.

    `shown` is the call's arguments as the text states them, when the text names a value in words
    rather than as itself (a payment method as "your Visa card ending in 1234"): the reading of the
    proposal holds only what its text says. `more` marks a write after which the same request
    needs another (cancelling each of several reservations, each confirmed on its own);
    `continues` one that is a step of a longer request whose end is not a write (an account fix in
    the middle of troubleshooting: the teacher reports it with a ``progress`` act and goes on).
    """

    call: ToolCall
    summary: str
    evidence: str = ""
    mentions: list[str] = field(default_factory=list)  # evidence keys this step tells (see Knowledge.said)
    shown: dict[str, Any] | None = None
    more: bool = False
    continues: bool = False
    tool: str = ""  # the tool as the text names it, when `call` goes through a dispatcher (banking)


@dataclass
class Refuse:
    """The policy (or the records) rule the request out; `text` says why, politely."""

    text: str
    topic: str = "policy"  # policy, impossible
    why: str = ""  # the rule in a clause ("only pending orders can be cancelled"), to hold the line with
    mentions: list[str] = field(default_factory=list)


@dataclass
class Inform:
    """An information request answered: `text` says the values (and how they were found)."""

    text: str
    values: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)


@dataclass
class Transfer:
    """The policy sends this request to a human agent; `summary` goes to the transfer tool."""

    summary: str
    text: str
    reason: str = ""  # the transfer tool's reason code, where it takes one (banking)


Step = Propose | Refuse | Inform | Transfer


class Skills(Protocol):
    """A domain's side of the teacher (see `writ.agents.scripted.retail` for one)."""

    domain: str
    needs_auth: bool

    def read_for(self, table: str, key: str) -> ToolCall: ...

    def auth_call(self, values: dict[str, Any]) -> ToolCall | None: ...

    def absorb(self, k: Knowledge, call: ToolCall, content: str, error: bool) -> None: ...

    def step(self, request: Request, k: Knowledge) -> Step: ...

    def done_text(self, rng: Any, request: Request, call: ToolCall, k: Knowledge) -> str: ...


class Said:
    """Evidence sentences for a step, and the keys that mark them as told (see `Knowledge.said`).

    A sentence added under a key the customer has already heard (`told`) is left out: the comparison
    said together with a question is not repeated in the proposal that follows the answer. A part
    may be a function that words it: a step is recomputed after every read, and most of those
    computations stop at a missing record, so wording is done only when the text is asked for.
    """

    def __init__(self, told: set[str] | None = None) -> None:
        self.parts: list[str | Callable[[], str]] = []
        self.keys: list[str] = []
        self.told = told if told is not None else set()

    def add(self, text: str | Callable[[], str], key: str = "") -> Said:
        if key and key in self.told:
            return self
        if text:
            self.parts.append(text)
        if key:
            self.keys.append(key)
        return self

    @property
    def text(self) -> str:
        return " ".join(t for t in (p() if callable(p) else p for p in self.parts) if t)

"""The conversation: a turn, the record of one episode, and what each side of it saw.

An episode is stored as OpenAI chat messages, so it can be exported for fine-tuning without
translation: assistant messages carry ``tool_calls`` with JSON-string arguments, tool messages a
``tool_call_id``. Messages of the user's own device (telecom) are kept in the same list, marked
with ``"requestor": "user"``; `agent_view` and `user_view` give what each side saw. Keys that
start with an underscore are private annotations (never exported, never shown to the agent).

The termination reason keeps "the task ended" (`terminated`) apart from "we ran out of steps or
patience" (`truncated`), as Gymnasium does.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

from writ.core.tools import ToolCall

__all__ = ["Episode", "Termination", "Turn", "agent_view", "public_message", "user_view"]


@dataclass
class Turn:
    content: str | None = None
    tool_calls: list[ToolCall] = field(default_factory=list)
    parse_errors: list[str] = field(default_factory=list)  # malformed calls to report back
    usage: dict[str, Any] | None = None
    latency_s: float = 0.0
    reading: dict[str, Any] | None = None  # private: the dialogue acts the text performs (writ.dialogue.acts)
    end: bool = False  # the agent ends the conversation with this message (tau2: a message with ###STOP###)


class Termination(str, Enum):
    USER_STOP = "user_stop"  # the user said ###STOP###
    TRANSFER = "transfer"  # the user said ###TRANSFER### (after the agent transferred)
    OUT_OF_SCOPE = "out_of_scope"  # the user said ###OUT-OF-SCOPE###
    AGENT_STOP = "agent_stop"  # the agent ended the conversation
    MAX_STEPS = "max_steps"
    TOO_MANY_ERRORS = "too_many_errors"
    AGENT_ERROR = "agent_error"  # the agent's model failed (dead endpoint, context, garbage)
    USER_ERROR = "user_error"  # the user simulator's model failed
    CRASH = "crash"  # a bug; recorded, never silently dropped

    @property
    def terminated(self) -> bool:
        return self in (Termination.USER_STOP, Termination.TRANSFER, Termination.OUT_OF_SCOPE, Termination.AGENT_STOP)

    @property
    def truncated(self) -> bool:
        return not self.terminated


@dataclass
class Episode:
    task_id: str
    attempt: int
    domain: str
    messages: list[dict[str, Any]] = field(default_factory=list)
    termination: str = ""
    error: str = ""
    turns: list[dict[str, Any]] = field(default_factory=list)  # per model call: actor, usage, latency
    tool_errors: int = 0
    final_db_hash: str | None = None
    final_user_db_hash: str | None = None
    gold_db_hash: str | None = None
    gold_user_db_hash: str | None = None
    passed: bool = False
    verdicts: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    agent: str = ""
    user: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    def usage(self) -> dict[str, float]:
        total = {"prompt_tokens": 0, "completion_tokens": 0, "reasoning_tokens": 0, "cost": 0.0}
        for turn in self.turns:
            for key in total:
                total[key] += turn.get("usage", {}).get(key, 0) or 0
        return total

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Episode:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def public_message(message: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in message.items() if not k.startswith("_") and k != "requestor"}


def _is_user_side(message: dict[str, Any]) -> bool:
    if message["role"] == "tool":
        return message.get("requestor") == "user"
    return message["role"] == "user" and bool(message.get("tool_calls"))


def agent_view(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the agent saw: everything but the user's own device calls and their results.

    Of a customer message the agent gets the text and, for the scripted teacher, the message's
    reading (a parse of that text, see `writ.dialogue.acts`); never any other private annotation.
    """
    out = []
    for m in messages:
        if m["role"] == "user":
            if m.get("content"):
                seen = {"role": "user", "content": m["content"]}
                if m.get("_reading"):
                    seen["_reading"] = m["_reading"]
                out.append(seen)
            continue
        if _is_user_side(m):
            continue
        out.append(m)
    return out


def user_view(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the user saw: the agent's words, its own words and device calls; not the agent's tools."""
    out = []
    for m in messages:
        if m["role"] == "tool" and m.get("requestor") != "user":
            continue
        if m["role"] == "assistant":
            if m.get("content"):
                out.append({"role": "assistant", "content": m["content"],
                            **{k: v for k, v in m.items() if k.startswith("_")}})
            continue
        out.append(m)
    return out

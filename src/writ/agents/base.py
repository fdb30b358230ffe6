"""What an agent and a user simulator are to the orchestrator: something that takes a turn.

Both sides share one shape: given the conversation as they see it, return a `Turn` (text, tool
calls, or both where allowed). Per-episode state lives in the object; a factory makes one per
episode. Private annotations (``intent``) let the scripted pair understand each other without
natural-language parsing; they are never exported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from writ.core import ToolCall

__all__ = ["Agent", "Turn", "UserSimulator", "ModelFailure"]


@dataclass
class Turn:
    content: str | None = None
    tool_calls: list[ToolCall] = field(default_factory=list)
    parse_errors: list[str] = field(default_factory=list)  # malformed calls to report back
    usage: dict[str, Any] | None = None
    latency_s: float = 0.0
    intent: dict[str, Any] | None = None  # private: what a scripted actor meant


class ModelFailure(Exception):
    """The actor's model failed for good (dead endpoint, context exceeded); ends the episode."""


class Agent(Protocol):
    name: str

    async def act(self, messages: list[dict[str, Any]]) -> Turn: ...


class UserSimulator(Protocol):
    name: str

    async def act(self, messages: list[dict[str, Any]]) -> Turn: ...

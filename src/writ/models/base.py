"""The one contract every model backend honours: chat messages in, a `ModelReply` out.

Agents and simulated users only ever see this module. A backend turns OpenAI-style chat messages
(assistant ``tool_calls`` with JSON-string arguments, ``tool`` messages with ``tool_call_id``) and
OpenAI tool schemas into a `ModelReply`. Two choices shape the reply:

* A tool call the model botched (malformed JSON, no name) is *not* an exception: it lands in
  ``parse_errors`` so the caller can show the model an error turn and let it recover, the way a
  real agent loop must.
* Everything that stops the call itself (dead server, retries exhausted, prompt too long, a reply
  that is not a chat completion) *is* an exception, typed, so the caller can record the episode as
  a failure of the infrastructure rather than of the model.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "BadResponse",
    "ContextLengthExceeded",
    "EndpointUnavailable",
    "ModelBackend",
    "ModelError",
    "ModelReply",
    "ParsedToolCall",
    "Usage",
    "is_transient",
]


class ModelError(Exception):
    """Base of every failure a backend raises; ``status_code`` is the HTTP status when known."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code


class EndpointUnavailable(ModelError):
    """No endpoint answered usefully: connection refused, dead server, or retries exhausted."""


# HTTP statuses that say nothing about the model: auth (a key the user fixes), a wrong path or a
# model not loaded yet, timeouts, conflicts, rate limits; and every 5xx.
TRANSIENT_STATUS = frozenset({401, 403, 404, 408, 409, 425, 429})


def is_transient(exc: BaseException) -> bool:
    """Whether `exc` lies outside the model, so the same request may succeed later (a rerun retries).

    A server that is down or timed out (`EndpointUnavailable`), a refused key, a rate limit or a
    5xx are transient; a context overflow or an answer that is not a chat completion is not.
    """
    if isinstance(exc, EndpointUnavailable):
        return True
    if isinstance(exc, ModelError) and not isinstance(exc, (ContextLengthExceeded, BadResponse)):
        status = exc.status_code
        return status is not None and (status in TRANSIENT_STATUS or status >= 500)
    return False


class ContextLengthExceeded(ModelError):
    """The prompt (plus the requested completion) does not fit the model's context window."""


class BadResponse(ModelError):
    """The server answered, but not with something that reads as a chat completion."""


@dataclass
class ParsedToolCall:
    """One tool call, arguments already decoded. ``raw_arguments`` keeps the model's exact text."""

    id: str
    name: str
    arguments: dict[str, Any]
    raw_arguments: str = ""

    def to_openai(self) -> dict[str, Any]:
        """The ``tool_calls`` entry of an OpenAI assistant message (arguments as a JSON string)."""
        raw = self.raw_arguments or json.dumps(self.arguments, ensure_ascii=False)
        return {"id": self.id, "type": "function", "function": {"name": self.name, "arguments": raw}}


@dataclass
class Usage:
    """What one call consumed. ``cost`` is USD; ``cached`` replies were free (served from cache)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    reasoning_tokens: int = 0
    cost: float = 0.0
    latency_s: float = 0.0
    cached: bool = False

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass
class ModelReply:
    """A backend's answer to one request.

    ``content`` is the assistant text with any successfully parsed in-text ``<tool_call>`` blocks
    removed; ``parse_errors`` holds one human-readable line per tool call that could not be used.
    """

    content: str | None = None
    tool_calls: list[ParsedToolCall] = field(default_factory=list)
    parse_errors: list[str] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    finish_reason: str | None = None
    model: str | None = None
    reasoning: str | None = None  # "reasoning_content" some servers return beside the answer
    request: dict[str, Any] = field(default_factory=dict)  # sampling sent (seed, temperature, ...)

    def to_message(self) -> dict[str, Any]:
        """The assistant message to append to the conversation (OpenAI chat format)."""
        msg: dict[str, Any] = {"role": "assistant", "content": self.content}
        if self.tool_calls:
            msg["tool_calls"] = [c.to_openai() for c in self.tool_calls]
        return msg

    def turn_usage(self) -> dict[str, Any]:
        """What an episode records of this reply's cost (see `writ.core.Episode.usage`), and under
        ``sampling`` how it was asked for (the orchestrator files that beside the usage)."""
        u = self.usage
        out: dict[str, Any] = {"prompt_tokens": u.prompt_tokens, "completion_tokens": u.completion_tokens,
                               "reasoning_tokens": u.reasoning_tokens, "cost": u.cost, "cached": u.cached}
        if self.request:
            out["sampling"] = dict(self.request)
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; `from_dict` reverses it (the cache stores replies this way)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelReply:
        return cls(
            content=data.get("content"),
            tool_calls=[ParsedToolCall(**c) for c in data.get("tool_calls") or []],
            parse_errors=list(data.get("parse_errors") or []),
            usage=Usage(**(data.get("usage") or {})),
            finish_reason=data.get("finish_reason"),
            model=data.get("model"),
            reasoning=data.get("reasoning"),
            request=dict(data.get("request") or {}),
        )


@runtime_checkable
class ModelBackend(Protocol):
    """Anything that can answer a chat. ``name`` identifies the model for usage and caching.

    ``params`` are sampling parameters in OpenAI spelling (``temperature``, ``top_p``,
    ``max_tokens``, ``seed``, ``stop``, ...); a backend ignores those it cannot honour.
    """

    name: str

    async def complete(
        self, messages: list[dict], tools: list[dict] | None = None, **params: Any
    ) -> ModelReply: ...

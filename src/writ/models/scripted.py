"""A backend that answers from a script: deterministic tests and fixed-delay benchmarks.

Agent and orchestration tests need a model whose every turn is known in advance, and throughput
benchmarks need one whose latency is known in advance; neither should need a GPU or a network.
`ScriptedBackend` plays its replies in order (cycling when ``cycle`` is set) after ``delay_s``.
Served over HTTP by `writ.models.server`, it is the "fake server" of ``bench/fake_server.py``.
"""

from __future__ import annotations

import asyncio
import copy
import json
import threading
from collections.abc import Sequence
from typing import Any

from writ.models.base import ModelError, ModelReply, Usage
from writ.models.toolparse import parse_openai_tool_calls
from writ.models.usage import UsageMeter

__all__ = ["ScriptedBackend"]


def _as_reply(item: str | dict | ModelReply, index: int) -> ModelReply:
    if isinstance(item, ModelReply):
        return copy.deepcopy(item)
    if isinstance(item, str):
        return ModelReply(content=item, finish_reason="stop")
    if isinstance(item, dict):  # an OpenAI assistant message
        calls, errors = parse_openai_tool_calls(item.get("tool_calls"), salt=f"script{index}")
        return ModelReply(
            content=item.get("content"),
            tool_calls=calls,
            parse_errors=errors,
            finish_reason="tool_calls" if calls else "stop",
        )
    raise TypeError(f"script entry #{index}: expected str, dict or ModelReply, got {type(item).__name__}")


class ScriptedBackend:
    """Plays ``replies`` in order. Token counts are rough (characters / 4) but never zero."""

    def __init__(
        self,
        replies: Sequence[str | dict | ModelReply] = ("OK",),
        *,
        delay_s: float = 0.0,
        cycle: bool = True,
        name: str = "scripted",
        meter: UsageMeter | None = None,
    ) -> None:
        if not replies:
            raise ValueError("a script needs at least one reply")
        self.replies = list(replies)
        self.delay_s = delay_s
        self.cycle = cycle
        self.name = name
        self.meter = meter
        self.calls = 0
        self.last_request: dict[str, Any] | None = None
        self._lock = threading.Lock()

    def cache_identity(self) -> dict[str, Any]:
        return {"kind": "scripted", "name": self.name, "replies": [str(r) for r in self.replies]}

    async def complete(self, messages: list[dict], tools: list[dict] | None = None, **params: Any) -> ModelReply:
        with self._lock:
            index = self.calls
            self.calls += 1
            self.last_request = {"messages": messages, "tools": tools, "params": params}
        if index >= len(self.replies) and not self.cycle:
            raise ModelError(f"{self.name}: script exhausted after {len(self.replies)} replies")
        if self.delay_s > 0:
            await asyncio.sleep(self.delay_s)
        reply = _as_reply(self.replies[index % len(self.replies)], index)
        prompt_chars = len(json.dumps(messages, default=str)) + len(json.dumps(tools or [], default=str))
        out_chars = len(reply.content or "") + sum(len(c.raw_arguments) + len(c.name) for c in reply.tool_calls)
        reply.usage = Usage(
            prompt_tokens=max(1, prompt_chars // 4),
            completion_tokens=max(1, out_chars // 4),
            latency_s=self.delay_s,
        )
        reply.model = reply.model or self.name
        if self.meter is not None:
            self.meter.record(self.name, reply.usage)
        return reply

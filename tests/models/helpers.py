"""Test helpers: a fault-injecting loopback server and canned bodies."""

from __future__ import annotations

from typing import Any

from writ.models.server import ChatServer

TOOLS = [{
    "type": "function",
    "function": {
        "name": "get_order",
        "description": "Look up an order by its id.",
        "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]},
    },
}]


class FaultyServer(ChatServer):
    """Answers the first requests with the scripted ``faults`` (status, body), then normally.

    ``raw`` (a dict) replaces every successful answer, to feed the client canned JSON.
    """

    def __init__(self, backend: Any, *, faults: list[tuple[int, dict]] | None = None, raw: dict | None = None,
                 **kw: Any) -> None:
        super().__init__(backend, **kw)
        self.faults = list(faults or [])
        self.raw = raw

    async def handle_chat(self, body: dict) -> tuple[int, dict]:
        if self.faults:
            return self.faults.pop(0)
        if self.raw is not None:
            return 200, self.raw
        return await super().handle_chat(body)


def error_body(message: str, code: str | None = None) -> dict:
    return {"error": {"message": message, "type": "error", "code": code}}


class RecordingServer(ChatServer):
    """Records every chat request body it receives (``bodies``), then answers as `ChatServer` does;
    ``delay_s`` holds each answer back (to trip a client's timeout)."""

    def __init__(self, backend: Any, *, delay_s: float = 0.0, **kw: Any) -> None:
        super().__init__(backend, **kw)
        self.bodies: list[dict] = []
        self.delay_s = delay_s

    async def handle_chat(self, body: dict) -> tuple[int, dict]:
        import asyncio

        self.bodies.append(body)
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        return await super().handle_chat(body)

    def sampling(self) -> list[dict]:
        """Each request body without its conversation: model, sampling parameters, extra fields."""
        return [{k: v for k, v in b.items() if k not in ("messages", "tools")} for b in self.bodies]

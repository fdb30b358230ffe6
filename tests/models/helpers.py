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

    def __init__(self, backend: Any, *, faults: list[tuple[int, dict]] | None = None, raw: dict | None = None, **kw: Any) -> None:
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

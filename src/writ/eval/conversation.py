"""Conversations as the scorer reads them: one canonical message list, whatever wrote it.

Three producers write conversations: writ's own episodes (OpenAI chat messages, user-device calls
marked ``"requestor": "user"``), OpenAI-format exports, and tau2-bench's results files (tool calls
as ``{"id", "name", "arguments": {...}, "requestor"}``, tool messages with ``id`` instead of
``tool_call_id``). `canonical_messages` turns any of them into writ's form, and `tool_calls`
pairs every call with its result, its requestor and its parsed arguments, which is all the
scorer needs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = ["CallRecord", "ConversationError", "canonical_messages", "tool_calls"]


class ConversationError(ValueError):
    """A conversation the scorer cannot read; the message says where and why."""


@dataclass
class CallRecord:
    """One tool call of a conversation, with its result (None when the conversation has none)."""

    index: int  # position of the calling message
    id: str
    name: str
    arguments: dict[str, Any] | None  # None: the arguments were not a JSON object
    requestor: str  # "assistant" or "user"
    result: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.result is not None and not self.result.startswith("Error")


def _arguments_text(raw: Any) -> str:
    if isinstance(raw, str):
        return raw
    return json.dumps(raw if raw is not None else {}, ensure_ascii=False)


def _canonical_call(call: Any, where: str) -> dict[str, Any]:
    if not isinstance(call, dict):
        raise ConversationError(f"{where}: a tool call is not an object")
    function = call.get("function") if isinstance(call.get("function"), dict) else call
    name = function.get("name")
    if not isinstance(name, str) or not name:
        raise ConversationError(f"{where}: a tool call has no name")
    return {"id": str(call.get("id") or ""), "type": "function",
            "function": {"name": name, "arguments": _arguments_text(function.get("arguments"))}}


def canonical_messages(messages: Any) -> list[dict[str, Any]]:
    """writ's message form from writ, OpenAI or tau2 messages; raises ConversationError."""
    if not isinstance(messages, list):
        raise ConversationError("messages is not a list")
    out: list[dict[str, Any]] = []
    requestor_of: dict[str, str] = {}
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or m.get("role") not in ("system", "assistant", "user", "tool"):
            raise ConversationError(f"message {i}: not a chat message with a known role")
        role = m["role"]
        if role == "system":
            continue  # the policy prompt: never part of what is scored
        content = m.get("content")
        if content is not None and not isinstance(content, str):
            content = json.dumps(content, ensure_ascii=False)
        if role == "tool":
            call_id = str(m.get("tool_call_id") or m.get("id") or "")
            msg = {"role": "tool", "tool_call_id": call_id, "content": content or ""}
            if m.get("name"):
                msg["name"] = m["name"]
            if m.get("requestor") == "user" or requestor_of.get(call_id) == "user":
                msg["requestor"] = "user"
            out.append(msg)
            continue
        msg = {"role": role, "content": content}
        calls = [_canonical_call(c, f"message {i}") for c in m.get("tool_calls") or []]
        if calls:
            msg["tool_calls"] = calls
            for c in calls:
                requestor_of[c["id"]] = "user" if role == "user" else "assistant"
        out.append(msg)
    return out


def _parse(raw: str) -> dict[str, Any] | None:
    try:
        value = json.loads(raw or "{}")
    except (TypeError, json.JSONDecodeError):
        return None
    return value if isinstance(value, dict) else None


def tool_calls(messages: list[dict[str, Any]]) -> list[CallRecord]:
    """Every tool call of a canonical conversation, in order, with its result where recorded."""
    calls: list[CallRecord] = []
    by_id: dict[str, CallRecord] = {}
    pending: list[CallRecord] = []  # calls without an id: matched to results in order
    for i, m in enumerate(messages):
        if m["role"] in ("assistant", "user"):
            for c in m.get("tool_calls") or []:
                record = CallRecord(i, c["id"], c["function"]["name"], _parse(c["function"]["arguments"]),
                                    "user" if m["role"] == "user" else "assistant")
                calls.append(record)
                if record.id and record.id not in by_id:
                    by_id[record.id] = record
                else:
                    pending.append(record)
        elif m["role"] == "tool":
            record = by_id.get(m.get("tool_call_id") or "")
            if record is None or record.result is not None:
                record = next((p for p in pending if p.result is None), None)
            if record is not None and record.result is None:
                record.result = m.get("content") or ""
    return calls

"""Tolerant tool-call parsing, shared by every backend.

Servers and small models disagree on how a tool call looks: ids go missing, arguments arrive as a
JSON string, as an object, double-encoded, or as broken JSON; some servers leave the call in the
text as ``<tool_call>{"name": ..., "arguments": {...}}</tool_call>`` (Hermes/Qwen style) and tiny
models sometimes answer with a bare ``{"name": ..., "arguments": ...}`` object. Everything usable
becomes a `ParsedToolCall`; everything else becomes one readable line in ``parse_errors`` that the
caller can hand back to the model. Model output is only ever read with ``json``: never evaluated.

Missing ids are derived from a hash of the request (the ``salt``), the call's position, name and
arguments, so the same reply always gets the same ids: reruns and cached replies stay identical.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from writ.models.base import ParsedToolCall

__all__ = ["call_id", "decode_arguments", "parse_openai_tool_calls", "parse_text_tool_calls"]

_BLOCK = re.compile(r"<tool_call>(.*?)(?:</tool_call>|$)", re.DOTALL)
_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.DOTALL)
_SNIPPET = 200


def call_id(salt: str, index: int, name: str, raw_arguments: str) -> str:
    """A deterministic OpenAI-looking id for a call the server left without one."""
    digest = hashlib.sha256(f"{salt}\x1f{index}\x1f{name}\x1f{raw_arguments}".encode()).hexdigest()
    return f"call_{digest[:24]}"


def _snippet(text: str) -> str:
    return repr(text if len(text) <= _SNIPPET else text[:_SNIPPET] + "...")


def decode_arguments(name: str, value: Any) -> tuple[dict[str, Any] | None, str, str | None]:
    """Decode one call's arguments: ``(arguments, raw_text, error)``; ``error`` is None on success.

    Accepts an object, a JSON string, a double-encoded JSON string, and empty/None (no arguments).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return {}, "{}", None
    if isinstance(value, dict):
        return value, json.dumps(value, ensure_ascii=False), None
    if not isinstance(value, str):
        return (None, json.dumps(value),
                f"tool call '{name}': arguments must be a JSON object, got {type(value).__name__}")
    raw = value
    try:
        decoded = json.loads(raw)
        if isinstance(decoded, str):  # double-encoded: "\"{\\\"a\\\": 1}\""
            decoded = json.loads(decoded)
    except json.JSONDecodeError as exc:
        return None, raw, (
            f"tool call '{name}': arguments are not valid JSON ({exc.msg} at line {exc.lineno} "
            f"column {exc.colno}): {_snippet(raw)}"
        )
    if not isinstance(decoded, dict):
        return None, raw, (f"tool call '{name}': arguments must be a JSON object, got {type(decoded).__name__}: "
                           f"{_snippet(raw)}")
    return decoded, raw, None


def _one_call(item: Any, index: int, salt: str) -> tuple[ParsedToolCall | None, str | None]:
    if not isinstance(item, dict):
        return None, f"tool call #{index}: expected an object, got {type(item).__name__}"
    fn = item.get("function") if isinstance(item.get("function"), dict) else item
    name = fn.get("name")
    if not isinstance(name, str) or not name.strip():
        return None, f"tool call #{index}: missing function name: {_snippet(json.dumps(item, default=str))}"
    name = name.strip()
    raw_args = fn["arguments"] if "arguments" in fn else fn.get("parameters")
    arguments, raw, error = decode_arguments(name, raw_args)
    if error is not None:
        return None, error
    cid = item.get("id")
    if not isinstance(cid, str) or not cid:
        cid = call_id(salt, index, name, raw)
    return ParsedToolCall(id=cid, name=name, arguments=arguments or {}, raw_arguments=raw), None


def parse_openai_tool_calls(
    raw_calls: list[Any] | None, *, salt: str = "", start_index: int = 0
) -> tuple[list[ParsedToolCall], list[str]]:
    """Parse the ``tool_calls`` list of an OpenAI assistant message (or a flat name/arguments list)."""
    calls: list[ParsedToolCall] = []
    errors: list[str] = []
    for i, item in enumerate(raw_calls or [], start=start_index):
        call, error = _one_call(item, i, salt)
        if call is not None:
            calls.append(call)
        if error is not None:
            errors.append(error)
    return calls, errors


def _json_values(payload: str) -> tuple[list[Any], str | None]:
    """Every JSON value in ``payload`` (models sometimes put several calls in one block)."""
    payload = payload.strip()
    fenced = _FENCE.match(payload)
    if fenced:
        payload = fenced.group(1)
    decoder = json.JSONDecoder()
    values: list[Any] = []
    pos = 0
    while pos < len(payload):
        while pos < len(payload) and payload[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(payload):
            break
        try:
            value, pos = decoder.raw_decode(payload, pos)
        except json.JSONDecodeError as exc:
            return values, f"{exc.msg} at line {exc.lineno} column {exc.colno}"
        values.extend(value if isinstance(value, list) else [value])
    return values, None


def parse_text_tool_calls(
    text: str | None, *, salt: str = "", tool_names: set[str] | None = None, start_index: int = 0
) -> tuple[str | None, list[ParsedToolCall], list[str]]:
    """Pull tool calls out of assistant text: ``(remaining_text, calls, errors)``.

    ``<tool_call>...</tool_call>`` blocks are always parsed (an unclosed final block too, as when a
    model runs out of tokens). Parsed blocks are cut from the text; a block that fails to parse
    stays in the text and yields an error. When no block is present and ``tool_names`` is given,
    a reply that is nothing but a JSON object ``{"name": <offered tool>, "arguments": {...}}`` is
    taken as a call as well: tiny models often answer that way.
    """
    if not text:
        return text, [], []
    calls: list[ParsedToolCall] = []
    errors: list[str] = []
    if "<tool_call>" in text:
        kept: list[str] = []
        last = 0
        for match in _BLOCK.finditer(text):
            kept.append(text[last : match.start()])
            last = match.end()
            values, error = _json_values(match.group(1))
            if error is not None or not values:
                why = error or "empty block"
                errors.append(f"could not parse <tool_call> block as JSON ({why}): {_snippet(match.group(1).strip())}")
                kept.append(match.group(0))
                continue
            for value in values:
                call, err = _one_call(value, start_index + len(calls) + len(errors), salt)
                if call is not None:
                    calls.append(call)
                if err is not None:
                    errors.append(err)
        kept.append(text[last:])
        rest = "".join(kept).strip()
        return (rest or None), calls, errors
    if tool_names:
        values, error = _json_values(text)
        if error is None and len(values) >= 1 and all(
            isinstance(v, dict) and v.get("name") in tool_names and ("arguments" in v or "parameters" in v)
            for v in values
        ):
            calls, errors = parse_openai_tool_calls(values, salt=salt, start_index=start_index)
            return None, calls, errors
    return text, calls, errors

"""The chat formats: one row per record, as each trainer expects it.

* ``openai`` -- OpenAI's fine-tuning format: ``{"messages": [...], "tools": [...]}``; assistant
  ``tool_calls`` carry JSON-*string* arguments, and an assistant turn that only calls tools has
  no ``content`` key at all (as in OpenAI's own tool-calling training example; ``null`` is not
  used anywhere); tool messages carry ``tool_call_id`` and ``content`` only. ``weight`` (0/1) on
  assistant messages is OpenAI's own per-message switch.
* ``trl`` -- what TRL's SFTTrainer passes to ``tokenizer.apply_chat_template(messages,
  tools=tools)``: ``tool_calls`` as ``{"type": "function", "function": {"name", "arguments":
  <object>}}``, tool messages with the tool's ``name``, ``tools`` as the JSON function schemas.
  Load it with `writ.export.load_trl` (see there why).
* ``sharegpt`` -- LLaMA-Factory's convention: ``conversations`` of ``{"from", "value"}`` with
  ``system``, ``human``, ``gpt``, ``function_call`` (``{"name", "arguments"}`` as JSON text, a
  list for parallel calls) and ``observation``, and ``tools`` as one JSON string of the function
  schemas. LLaMA-Factory drops any conversation whose turns do not alternate human/observation
  with gpt/function_call starting with a human turn, so the agent's opening greeting (spoken
  before the user says anything) is left out, consecutive user lines are joined, the results of
  parallel calls become one observation (joined the way LLaMA-Factory's own OpenAI converter joins
  them), text said in the same turn as a tool call is dropped (LLaMA-Factory keeps only the call;
  `ShareGPTStats` counts it), and trailing observations are cut.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from writ.export.records import TrainingRecord

__all__ = ["CHAT_FORMATS", "FormatError", "ShareGPTStats", "metadata", "openai_row", "sharegpt_row", "trl_row"]

OBSERVATION_JOINER = "\n</tool_response>\n<tool_response>\n"  # LLaMA-Factory's OpenAI converter


class FormatError(ValueError):
    """A record this format cannot represent; the message says why."""


def metadata(record: TrainingRecord) -> dict[str, Any]:
    """The scalar columns every format carries beside the conversation (trainers ignore them)."""
    return {"id": record.id, "task_id": record.task_id, "stem": record.stem, "domain": record.domain,
            "n_writes": record.n_writes, "evidence": record.evidence, "behaviours": ",".join(record.behaviours),
            "turns": record.turns, "tokens": record.tokens}


def _weighted(record: TrainingRecord, i: int, message: dict[str, Any]) -> dict[str, Any]:
    if i in record.weights:
        message["weight"] = record.weights[i]
    return message


def openai_messages(record: TrainingRecord) -> list[dict[str, Any]]:
    out = []
    for i, m in enumerate(record.messages):
        if m["role"] == "tool":
            out.append({"role": "tool", "tool_call_id": m["tool_call_id"], "content": m["content"]})
            continue
        message: dict[str, Any] = {"role": m["role"]}
        if m.get("content") is not None:
            message["content"] = m["content"]
        if m.get("tool_calls"):
            message["tool_calls"] = [{"id": c["id"], "type": "function", "function": dict(c["function"])}
                                     for c in m["tool_calls"]]
        out.append(_weighted(record, i, message))
    return out


def openai_row(record: TrainingRecord) -> dict[str, Any]:
    return {"messages": openai_messages(record), "tools": record.tools}


def trl_row(record: TrainingRecord) -> dict[str, Any]:
    messages = []
    for i, m in enumerate(record.messages):
        if m["role"] == "tool":
            messages.append({"role": "tool", "name": m.get("name") or _called(record, m["tool_call_id"]),
                             "content": m["content"]})
            continue
        message: dict[str, Any] = {"role": m["role"]}
        if m.get("content") is not None:
            message["content"] = m["content"]
        if m.get("tool_calls"):
            message["tool_calls"] = [
                {"type": "function", "function": {"name": c["function"]["name"],
                                                  "arguments": json.loads(c["function"]["arguments"])}}
                for c in m["tool_calls"]]
        messages.append(_weighted(record, i, message))
    return {"messages": messages, "tools": record.tools, **metadata(record)}


def _called(record: TrainingRecord, call_id: str) -> str:
    for m in record.messages:
        for c in m.get("tool_calls") or []:
            if c["id"] == call_id:
                return c["function"]["name"]
    return ""


@dataclass
class ShareGPTStats:
    """What the sharegpt conversion had to give up, counted for the manifest."""

    greetings_dropped: int = 0
    texts_dropped: int = 0  # assistant text said in the same turn as a tool call

    def to_json(self) -> dict[str, int]:
        return {"greetings_dropped": self.greetings_dropped, "texts_dropped": self.texts_dropped}


_ODD = ("human", "observation")
_EVEN = ("gpt", "function_call")


def sharegpt_row(record: TrainingRecord, stats: ShareGPTStats | None = None) -> dict[str, Any]:
    stats = stats if stats is not None else ShareGPTStats()
    system = record.messages[0]["content"]
    turns: list[dict[str, Any]] = []
    for i, m in enumerate(record.messages[1:], start=1):
        if m["role"] == "user":
            entry = {"from": "human", "value": m["content"]}
        elif m["role"] == "tool":
            entry = {"from": "observation", "value": m["content"]}
        elif m.get("tool_calls"):
            calls = [{"name": c["function"]["name"], "arguments": json.loads(c["function"]["arguments"])}
                     for c in m["tool_calls"]]
            stats.texts_dropped += bool(m.get("content"))
            entry = _weighted(record, i, {"from": "function_call",
                                          "value": json.dumps(calls[0] if len(calls) == 1 else calls,
                                                              ensure_ascii=False)})
        else:
            entry = _weighted(record, i, {"from": "gpt", "value": m["content"]})
        if turns and entry["from"] == turns[-1]["from"] and entry["from"] in _ODD:
            joiner = "\n" if entry["from"] == "human" else OBSERVATION_JOINER
            turns[-1]["value"] += joiner + entry["value"]
        else:
            turns.append(entry)
    if turns and turns[0]["from"] in _EVEN:
        turns.pop(0)
        stats.greetings_dropped += 1
    while turns and turns[-1]["from"] in _ODD:
        turns.pop()
    for k, turn in enumerate(turns):
        if turn["from"] not in (_ODD, _EVEN)[k % 2]:
            raise FormatError(f"sharegpt: turns do not alternate at #{k} ({turn['from']})")
    if not turns:
        raise FormatError("sharegpt: no agent turn after the first user message")
    functions = [t.get("function", t) for t in record.tools]
    return {"conversations": [{"from": "system", "value": system}] + turns,
            "tools": json.dumps(functions, ensure_ascii=False), **metadata(record)}


CHAT_FORMATS: dict[str, Callable[..., dict[str, Any]]] = {"openai": openai_row, "trl": trl_row,
                                                          "sharegpt": sharegpt_row}

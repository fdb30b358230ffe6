"""One training record per kept episode: what the agent saw, rebuilt for fine-tuning.

A record is the conversation *as the agent saw it* (`agent_view`: none of the user's own device
calls, no private ``_`` annotations, no ``requestor``), in OpenAI chat form, preceded by a system
message that is rebuilt by `writ.agents.setup.agent_setup` and followed by nothing the agent did not
say. The system message is never taken from the episode: a guided teacher's prompt carried the
gold plan as a hint, and a model trained on that hint would learn to expect it. Rebuilding it with
the function the plain LLM agent and ``writ eval`` use (the policy alone by default; an agent
prompt file's template around the policy with ``--agent-prompt``) makes every record look like what
a plain agent sees at evaluation time, tool schemas included.

The closing user lines after the agent's last turn (``###STOP###`` and friends) are dropped: no
trainer learns from them, and they are control tokens of the user simulator, not conversation.

Per-turn weights (``all``, ``last``, ``writes``) are decided here, once, so every format marks the
same turns: ``writes`` keeps the turns that call a write tool and, before each, the agent's last
text turn (the confirmation it asked for); the rest of the conversation stays as context.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from writ.agents.prompt import AgentSetup
from writ.agents.setup import PromptOptions, agent_setup
from writ.core import Episode, agent_view, public_message
from writ.data import DomainData
from writ.task import Task
from writ.tasks.stats import task_axes

__all__ = ["WEIGHT_MODES", "DomainContext", "RecordError", "TrainingRecord", "approx_tokens", "build_record",
           "conversation", "task_stem", "weights_for"]

WEIGHT_MODES = ("all", "last", "writes", "none")
_ROLES = {"system", "user", "assistant", "tool"}


class RecordError(ValueError):
    """An episode that cannot become a training record; the message says why, in one line."""


def approx_tokens(text: str) -> int:
    """A tokenizer-free estimate (characters / 4): stable across machines, good enough for budgets."""
    return math.ceil(len(text) / 4)


@dataclass(frozen=True)
class DomainContext:
    """What every record of one data source shares: system message, agent tool schemas, write tools."""

    domain: str
    system: str
    tools: list[dict[str, Any]]
    writes: frozenset[str]
    tools_text: str = ""  # the schemas as JSON, serialized once for token counts
    setup: AgentSetup | None = None  # where the system message and tools came from (card, manifest)

    @classmethod
    def of(cls, data: DomainData, prompt: PromptOptions | None = None) -> DomainContext:
        """The context of `data` under the export's prompt options; raises `PromptError` on a misfit."""
        setup = agent_setup(data, prompt)
        box = data.domain.agent
        return cls(data.domain.name, setup.system, setup.tools,
                   frozenset(name for name in box.tools if data.domain.is_write(name, "assistant")),
                   json.dumps(setup.tools, ensure_ascii=False), setup)


@dataclass
class TrainingRecord:
    """One trajectory ready for any format: canonical OpenAI messages plus metadata.

    `messages` hold JSON-string tool arguments (as the episode stored them); `weights` maps the
    index of each assistant message to 0/1 (empty for ``--weights none``).
    """

    id: str
    task_id: str
    attempt: int
    stem: str
    domain: str
    messages: list[dict[str, Any]]
    tools: list[dict[str, Any]]
    weights: dict[int, int] = field(default_factory=dict)
    n_writes: int = 0
    evidence: int = 0
    behaviours: list[str] = field(default_factory=list)
    turns: int = 0
    tokens: int = 0
    agent: str = ""
    run: str = ""
    setup: AgentSetup | None = field(default=None, compare=False, repr=False)  # for the card and manifest

    def key(self) -> str:
        """The dedup key: the agent-visible conversation, canonically serialized."""
        return json.dumps(self.messages, sort_keys=True, ensure_ascii=False)


def task_stem(task: Task) -> str:
    """The split unit: a task and all its behaviour variants share one stem."""
    return str((task.writ or {}).get("variant_of") or task.id)


def _clean(message: dict[str, Any]) -> dict[str, Any]:
    """A public message in canonical form: content a string or None, calls as OpenAI stores them."""
    if not isinstance(message, dict) or message.get("role") not in _ROLES:
        raise RecordError(f"malformed message: {json.dumps(message, default=str)[:80]}")
    public = public_message(message)
    role = public["role"]
    content = public.get("content")
    if content is not None and not isinstance(content, str):
        raise RecordError(f"{role} message content is not text")
    out: dict[str, Any] = {"role": role, "content": content}
    if role == "assistant" and public.get("tool_calls"):
        out["content"] = content or None  # a call without words has no text, not an empty one
        out["tool_calls"] = [_call(c) for c in public["tool_calls"]]
    elif role == "tool":
        if not public.get("tool_call_id"):
            raise RecordError("tool message without tool_call_id")
        out["tool_call_id"] = str(public["tool_call_id"])
        if public.get("name"):
            out["name"] = str(public["name"])
        out["content"] = content or ""
    elif content is None:
        out["content"] = ""
    return out


def _call(call: Any) -> dict[str, Any]:
    try:
        fn = call["function"]
        name, arguments = fn["name"], fn.get("arguments") or "{}"
        parsed = json.loads(arguments) if isinstance(arguments, str) else arguments
    except (KeyError, TypeError, json.JSONDecodeError):
        raise RecordError(f"malformed tool call: {json.dumps(call, default=str)[:80]}") from None
    if not isinstance(parsed, dict):
        raise RecordError(f"tool call {name}: arguments are not a JSON object")
    if not call.get("id"):
        raise RecordError(f"tool call {name} has no id")
    text = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
    return {"id": str(call["id"]), "type": "function", "function": {"name": str(name), "arguments": text}}


def _check_answers(messages: list[dict[str, Any]]) -> None:
    """Every call answered by a tool message before the agent speaks again, every answer asked for."""
    open_calls: dict[str, str] = {}
    for m in messages:
        if m["role"] == "tool":
            if m["tool_call_id"] not in open_calls:
                raise RecordError(f"tool answer {m['tool_call_id']} answers no open call")
            open_calls.pop(m["tool_call_id"])
            continue
        if open_calls:
            raise RecordError(f"tool call {next(iter(open_calls))} has no answer")
        for call in m.get("tool_calls") or []:
            open_calls[call["id"]] = call["function"]["name"]
    if open_calls:
        raise RecordError(f"tool call {next(iter(open_calls))} has no answer")


def conversation(episode: Episode) -> list[dict[str, Any]]:
    """The agent's view of an episode, cleaned, without system messages or closing user lines."""
    if not isinstance(episode.messages, list):
        raise RecordError("messages are not a list")
    if any(not isinstance(m, dict) for m in episode.messages):
        raise RecordError("malformed message (not an object)")
    try:
        seen = agent_view(episode.messages)
    except (KeyError, TypeError) as exc:
        raise RecordError(f"malformed message ({type(exc).__name__}: {exc})") from None
    messages = [_clean(m) for m in seen if m.get("role") != "system"]
    while messages and messages[-1]["role"] == "user":
        messages.pop()
    if not any(m["role"] == "assistant" for m in messages):
        raise RecordError("no assistant turn")
    _check_answers(messages)
    return messages


def weights_for(messages: list[dict[str, Any]], mode: str, writes: frozenset[str]) -> dict[int, int]:
    """assistant message index -> 0/1 for `mode` (see the module docstring); {} for ``none``."""
    if mode not in WEIGHT_MODES:
        raise ValueError(f"unknown weights mode {mode!r} (use {', '.join(WEIGHT_MODES)})")
    assistant = [i for i, m in enumerate(messages) if m["role"] == "assistant"]
    if mode == "none":
        return {}
    if mode == "all":
        return {i: 1 for i in assistant}
    if mode == "last":
        return {i: int(i == assistant[-1]) for i in assistant}
    chosen: set[int] = set()
    asked = None  # the agent's latest words to the user: the confirmation, when a write follows
    for i in assistant:
        calls = messages[i].get("tool_calls") or []
        if any(c["function"]["name"] in writes for c in calls):
            chosen.update([i] if asked is None else [i, asked])
        elif messages[i].get("content") and not calls:
            asked = i
    return {i: int(i in chosen) for i in assistant}


def _text(messages: list[dict[str, Any]], context: DomainContext) -> str:
    """Everything a model reads or writes in this record, for the token estimate."""
    parts = [context.tools_text or json.dumps(context.tools, ensure_ascii=False)]
    for m in messages:
        parts.append(m.get("content") or "")
        for c in m.get("tool_calls") or []:
            parts.append(c["function"]["name"] + c["function"]["arguments"])
    return "".join(parts)


def build_record(episode: Episode, task: Task, context: DomainContext, *, weights: str = "all",
                 record_id: str | None = None, run: str = "",
                 count_tokens: Callable[[str], int] = approx_tokens) -> TrainingRecord:
    """The training record of one kept episode; raises RecordError when it cannot be one."""
    messages = [{"role": "system", "content": context.system}] + conversation(episode)
    n_writes, evidence = task_axes(task, set(context.writes))
    behaviours = [str(b) for b in (task.writ or {}).get("behaviours") or []]
    record = TrainingRecord(
        id=record_id or f"{episode.task_id}#{episode.attempt}", task_id=episode.task_id, attempt=episode.attempt,
        stem=task_stem(task), domain=context.domain, messages=messages, tools=context.tools,
        weights=weights_for(messages, weights, context.writes), n_writes=int(n_writes), evidence=int(evidence),
        behaviours=behaviours, turns=sum(1 for m in messages if m["role"] == "assistant"),
        tokens=count_tokens(_text(messages, context)), agent=episode.agent, run=run, setup=context.setup)
    if weights != "none" and not any(record.weights.values()):
        raise RecordError(f"no turn to train on with --weights {weights}")
    return record

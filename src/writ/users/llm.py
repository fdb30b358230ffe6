"""The LLM user simulator: a model playing the customer described by the task's scenario.

The model is told, in writ's own words, how to play a customer convincingly: reveal information
only when it is needed, never invent facts its scenario does not give, follow its instructions,
and end with a stop token only when its goals are met (or clearly cannot be). In dual-control
domains it also holds the tools of its own device. Roles are mirrored for the model: the agent's
messages are its "user" turns and its own words are its "assistant" turns.
"""

from __future__ import annotations

import json
import time
from typing import Any

from writ.agents.setup import PromptOptions, agent_setup
from writ.core import ModelFailure, ToolCall, Turn
from writ.data import DomainData
from writ.models.base import ModelBackend, ModelError, is_transient
from writ.task import Task

__all__ = ["LLMUser", "user_system_prompt"]

GUIDELINES = (
    "You are playing a customer who contacts customer support. Stay in character for the whole conversation.\n"
    "- Your goal and everything you know are in <scenario> below. Use only that information. If the agent asks for "
    "something the scenario does not give you, say you do not know or do not have it; never make up names, numbers, "
    "ids, dates or items.\n"
    "- Share information a little at a time, only when it is relevant or the agent asks for it. Do not recite the "
    "whole scenario at once.\n"
    "- Write like a person: short, natural messages in your own words, one topic at a time. Do not repeat these "
    "instructions.\n"
    "- When the agent lists an action and asks you to confirm, check it against your goal: say yes only if it matches; "
    "otherwise explain what is wrong.\n"
    "- When all your goals are met, or the agent clearly cannot help further, end with the token ###STOP### on its "
    "own.\n"
    "- If you are transferred to a human agent, reply with ###TRANSFER###. If the scenario does not cover what is "
    "happening, reply with ###OUT-OF-SCOPE###."
)

DEVICE_GUIDELINES = (
    "- You have tools that act on your own phone. When the agent asks you to check or change something on your phone, "
    "call the matching tool, then tell the agent in plain words what you saw. Never claim a result you did not get "
    "from a tool."
)


def user_system_prompt(task: Task, with_tools: bool) -> str:
    instructions = task.instructions
    scenario = {k: v for k, v in instructions.items()
                if k in ("reason_for_call", "known_info", "unknown_info", "task_instructions") and v}
    persona = task.user_scenario.get("persona")
    parts = [GUIDELINES + ("\n" + DEVICE_GUIDELINES if with_tools else "")]
    if persona:
        parts.append(f"<persona>\n{persona}\n</persona>")
    parts.append("<scenario>\n" + json.dumps(scenario, indent=1, ensure_ascii=False) + "\n</scenario>")
    return "\n\n".join(parts)


def mirror(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The user's view with roles swapped for the model playing the user."""
    out = []
    for m in messages:
        if m["role"] == "assistant":
            out.append({"role": "user", "content": m.get("content") or ""})
        elif m["role"] == "user":
            msg: dict[str, Any] = {"role": "assistant", "content": m.get("content")}
            if m.get("tool_calls"):
                msg["tool_calls"] = m["tool_calls"]
            out.append(msg)
        elif m["role"] == "tool":
            out.append({"role": "tool", "tool_call_id": m["tool_call_id"], "content": m["content"]})
    return out


class LLMUser:
    """A simulated user whose turns come from a model backend."""

    def __init__(self, task: Task, data: DomainData, backend: ModelBackend, *, params: dict[str, Any] | None = None,
                 prompt: PromptOptions | None = None):
        self.task = task
        self.backend = backend
        self.name = backend.name
        # The device tools' schemas come from the same place as the agent's (an agent prompt
        # file's user_tools, when it has them), so both sides see one harness's descriptions.
        self.tools = agent_setup(data, prompt).user_tools
        self.system = user_system_prompt(task, bool(self.tools))
        self.params = params or {}

    async def act(self, messages: list[dict[str, Any]]) -> Turn:
        chat = [{"role": "system", "content": self.system}] + mirror(messages)
        start = time.perf_counter()
        try:
            reply = await self.backend.complete(chat, self.tools, **self.params)
        except ModelError as exc:
            raise ModelFailure(f"{type(exc).__name__}: {exc}", transient=is_transient(exc)) from exc
        calls = [ToolCall(c.name, c.arguments, c.id, requestor="user") for c in reply.tool_calls] if self.tools else []
        content = reply.content
        if not calls and not (content or "").strip():
            content = "Sorry, could you say that again?"  # an empty turn would stall the conversation
        return Turn(None if calls else content, calls, list(reply.parse_errors) if self.tools else [],
                    usage=reply.turn_usage(), latency_s=time.perf_counter() - start)

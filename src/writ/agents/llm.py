"""LLM agents: the plain agent (policy + tools) and the guided teacher that also sees the plan.

The plain agent is what a trained model will be at evaluation time: exactly the system message and
tool schemas the export writes, both from `writ.agents.setup.agent_setup` (by default the bare
policy and writ's schemas; with ``--agent-prompt`` another harness's template and schemas, e.g.
tau2-bench's). The guided agent additionally receives the task's gold plan as a private hint, which
raises a teacher model's yield of correct trajectories; the hint lives only in this process's
prompt and never enters the recorded conversation (the export rebuilds the system message with
`agent_setup`, which knows nothing of hints).
"""

from __future__ import annotations

import json
import time
from typing import Any

from writ.agents.setup import PromptOptions, agent_setup
from writ.core import ModelFailure, ToolCall, Turn, public_message
from writ.data import DomainData
from writ.models.base import ModelBackend, ModelError, is_transient
from writ.task import Task

__all__ = ["LLMAgent", "agent_system_prompt", "plan_hint"]

AGENT_INSTRUCTIONS = (
    "You are a customer service agent. Help the user by following the policy below exactly.\n"
    "On each turn do exactly one of two things: write a message to the user, or call a tool. Never do both in the same "
    "turn.\n"
    "Only use information that the user gave you or that a tool returned; never guess identifiers.\n"
    "Before any action that changes the database, list the action's details and get the user's explicit confirmation "
    "(yes)."
)


def agent_system_prompt(policy: str) -> str:
    return f"<instructions>\n{AGENT_INSTRUCTIONS}\n</instructions>\n<policy>\n{policy}\n</policy>"


def plan_hint(task: Task) -> str:
    """The gold plan as a compact hint for a guided teacher."""
    lines = []
    for i, action in enumerate(task.actions):
        who = "ask the user to run" if action.requestor == "user" else "call"
        lines.append(f"{i + 1}. {who} {action.name}({json.dumps(action.arguments, ensure_ascii=False)})")
    info = (task.evaluation_criteria.communicate_info if task.evaluation_criteria else None) or []
    if info:
        lines.append("Tell the user: " + "; ".join(info))
    return ("<hint>\nA correct resolution of this conversation performs these steps in order (authenticate first, "
            "confirm before each change, one tool call per turn):\n" + "\n".join(lines) + "\n</hint>")


class LLMAgent:
    """An agent whose turns come from a model backend."""

    def __init__(self, task: Task, data: DomainData, backend: ModelBackend, *, guided: bool = False,
                 params: dict[str, Any] | None = None, prompt: PromptOptions | None = None):
        self.task = task
        self.backend = backend
        self.name = ("guided:" if guided else "") + backend.name
        # The plain agent sees exactly the system message writ exports for training, so a model is
        # evaluated on the prompt it was trained on. The guided teacher's prompt is never exported,
        # so it gets the plan too (and, with writ's default bare policy, writ's instructions).
        setup = agent_setup(data, prompt, task)
        system = setup.system
        if guided:
            base = setup.system if setup.prompt is not None else agent_system_prompt(setup.policy)
            system = base + "\n" + plan_hint(task)
        self.system = system
        self.tools = setup.tools
        self.params = params or {}

    async def act(self, messages: list[dict[str, Any]]) -> Turn:
        if not messages:  # tau2's agents open with a fixed greeting; so do we
            return Turn("Hi! How can I help you today?")
        chat = [{"role": "system", "content": self.system}] + [public_message(m) for m in messages]
        start = time.perf_counter()
        try:
            reply = await self.backend.complete(chat, self.tools, **self.params)
        except ModelError as exc:
            raise ModelFailure(f"{type(exc).__name__}: {exc}", transient=is_transient(exc)) from exc
        calls = [ToolCall(c.name, c.arguments, c.id) for c in reply.tool_calls]
        content = reply.content if (reply.content or "").strip() or not calls else None
        return Turn(content, calls, list(reply.parse_errors), usage=reply.turn_usage(),
                    latency_s=time.perf_counter() - start)


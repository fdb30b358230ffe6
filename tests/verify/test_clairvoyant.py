"""A guided teacher whose hidden plan shows is rejected like any other agent (issue: faithful data).

A fake OpenAI-compatible server plays a clairvoyant agent: it knows the task's gold actions (as a
guided teacher's hint would tell it) and, as soon as the customer has spoken, makes the gold reads
and proposes the gold write with every value filled in, without asking for what the customer held
back. The conversation reaches the gold state, so a final-state check keeps it; the information-flow
verifier must reject every such episode, and say why.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from writ.models.base import ModelReply, ParsedToolCall
from writ.models.server import serve_in_thread
from writ.sim import make_agent_factory
from writ.sim.orchestrator import run_episode
from writ.users.scripted import ScriptedUser
from writ.verify import verify_episode

from .conftest import cancel_task


class Clairvoyant:
    """Replays a task's gold actions: reads at once, then each write after a one-line proposal."""

    name = "clairvoyant"

    def __init__(self, actions: list[Any], writes: set[str], ask_identity: bool):
        self.actions = actions
        self.writes = writes
        self.ask_identity = ask_identity  # a cannier variant: gets the email said before it acts

    async def complete(self, messages: list[dict], tools: list[dict] | None = None, **params: Any) -> ModelReply:
        calls = [c for m in messages if m["role"] == "assistant" for c in m.get("tool_calls") or []]
        if not any(m["role"] == "user" for m in messages):
            return ModelReply(content="Hello! How can I help you today?")
        if self.ask_identity and not any("@" in (m.get("content") or "") for m in messages if m["role"] == "user"):
            return ModelReply(content="Sure. What is the email address on your account?")
        done = len(calls)
        if done >= len(self.actions):
            return ModelReply(content="All set. Is there anything else I can help you with?")
        action = self.actions[done]
        last = messages[-1]
        proposed = last["role"] == "user" and any(m["role"] == "assistant" and "Shall I" in (m.get("content") or "")
                                                  for m in messages[-2:])
        if action.name in self.writes and not proposed:
            args = ", ".join(f"{k}={v}" for k, v in action.arguments.items())
            return ModelReply(content=f"I'll run {action.name} with {args}. Shall I proceed?")
        return ModelReply(tool_calls=[ParsedToolCall(f"c{done}", action.name, dict(action.arguments),
                                                     json.dumps(action.arguments))])


def test_every_clairvoyant_episode_is_rejected_with_the_reason(retail):
    writes = {t.name for t in retail.domain.tools() if t.mutates}
    reasons = []
    for seed in range(4):
        task = cancel_task(retail)
        with serve_in_thread(Clairvoyant(task.actions, writes, ask_identity=seed % 2 == 1)) as server:
            factory = make_agent_factory("guided:openai:clairvoyant", base_url=server.base_url)

            async def go(task=task, seed=seed, factory=factory):
                try:
                    agent = factory(task, retail, seed)
                    return await run_episode(task, retail.environment(task), agent, ScriptedUser(task, seed=seed))
                finally:
                    await factory.backend.aclose()

            episode = asyncio.run(go())
        assert episode.final_db_hash is not None
        verdict = verify_episode(episode, task, retail)
        assert not verdict.passed
        flow = verdict.checks["information_flow"]
        assert not flow.passed and flow.reason
        reasons.append(flow.reason)
    assert all("never" in r for r in reasons), reasons
    assert any("email" in r for r in reasons) and any("reason" in r for r in reasons), reasons

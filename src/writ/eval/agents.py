"""Agents an evaluation can name beside the simulation's own: the do-nothing baseline.

``--agent noop`` is the floor every model must beat: it greets, says it cannot help and ends the
conversation, never calling a tool. Its reward is the share of tasks that need neither a state
change nor anything said (plus whatever tau2's holes let through), which is worth knowing before
reading any other number.
"""

from __future__ import annotations

from typing import Any

from writ.core import Turn
from writ.data import DomainData
from writ.sim.actors import ActorFactory, make_agent_factory
from writ.task import Task

__all__ = ["DoNothingAgent", "agent_factory"]

GREETING = "Hi! How can I help you today?"
REFUSAL = "I'm sorry, but I can't help you with that. Goodbye."


class DoNothingAgent:
    """Greets, declines, ends the conversation; never calls a tool."""

    name = "noop"

    async def act(self, messages: list[dict[str, Any]]) -> Turn:
        if not any(m["role"] == "assistant" for m in messages):
            return Turn(GREETING)
        return Turn(REFUSAL, end=True)


def _noop(task: Task, data: DomainData, attempt: int) -> DoNothingAgent:
    return DoNothingAgent()  # module level, so the factory pickles (other processes can rebuild it)


def agent_factory(spec: str, *, seed: int = 0, prompt: Any = None, **model_options: Any) -> ActorFactory:
    """`writ.sim.actors.make_agent_factory` plus ``noop`` (which reads no prompt)."""
    if spec.strip() == "noop":
        return ActorFactory("noop", _noop, seed=seed)
    return make_agent_factory(spec, seed=seed, prompt=prompt, **model_options)

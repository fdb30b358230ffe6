"""Agents an evaluation can name beside the simulation's own: the do-nothing baseline.

``--agent noop`` is the floor every model must beat: it greets, says it cannot help and ends the
conversation, never calling a tool. Its reward is the share of tasks that need neither a state
change nor anything said (plus whatever tau2's holes let through), which is worth knowing before
reading any other number. It needs a customer who only opens the conversation (`OpeningUser`):
the floor does not depend on what the customer says next, and tau2's own tasks carry no frames
for the scripted customer to speak from.
"""

from __future__ import annotations

from typing import Any

from writ.core import Turn
from writ.data import DomainData
from writ.sim.actors import ActorFactory, make_agent_factory, make_user_factory
from writ.task import Task

__all__ = ["DoNothingAgent", "OpeningUser", "agent_factory", "user_factory"]

GREETING = "Hi! How can I help you today?"
REFUSAL = "I'm sorry, but I can't help you with that. Goodbye."


class DoNothingAgent:
    """Greets, declines, ends the conversation; never calls a tool."""

    name = "noop"

    async def act(self, messages: list[dict[str, Any]]) -> Turn:
        if not any(m["role"] == "assistant" for m in messages):
            return Turn(GREETING)
        return Turn(REFUSAL, end=True)


class OpeningUser:
    """States why they called (the task's reason for calling), then ends at the agent's next reply.

    The customer of the do-nothing floor: whatever the agent answers, the conversation is over.
    """

    name = "opening"

    def __init__(self, task: Task):
        reason = str(task.instructions.get("reason_for_call") or "").strip()
        self.opening = reason or "Hi, I need some help with my account."

    async def act(self, messages: list[dict[str, Any]]) -> Turn:
        if not any(m["role"] == "user" for m in messages):
            return Turn(self.opening)
        return Turn("###STOP###", end=True)


def _opening(task: Task, data: DomainData, attempt: int) -> OpeningUser:
    return OpeningUser(task)


def _noop(task: Task, data: DomainData, attempt: int) -> DoNothingAgent:
    return DoNothingAgent()  # module level, so the factory pickles (other processes can rebuild it)


def agent_factory(spec: str, *, seed: int = 0, prompt: Any = None, **model_options: Any) -> ActorFactory:
    """`writ.sim.actors.make_agent_factory` plus ``noop`` (which reads no prompt)."""
    if spec.strip() == "noop":
        return ActorFactory("noop", _noop, seed=seed)
    return make_agent_factory(spec, seed=seed, prompt=prompt, **model_options)


def user_factory(agent: str, user: str, *, seed: int = 0, prompt: Any = None, **model_options: Any) -> ActorFactory:
    """`writ.sim.actors.make_user_factory`, except that the do-nothing floor's scripted customer
    only opens the conversation (so the floor runs on any task set, tau2's own included)."""
    if agent.strip() == "noop" and user.strip() == "scripted":
        return ActorFactory("scripted", _opening, seed=seed)
    return make_user_factory(user, seed=seed, prompt=prompt, **model_options)

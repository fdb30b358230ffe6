"""What an agent and a user simulator are to the orchestrator: something that takes a turn.

Both sides share one shape: given the conversation as they see it (`agent_view` / `user_view`),
return a `Turn`. Per-episode state lives in the object; a factory makes one per episode. An agent
sees only the conversation: never the task, its plan or any private annotation of a message.
"""

from __future__ import annotations

from typing import Any, Protocol

from writ.core.conversation import Turn

__all__ = ["Agent", "ModelFailure", "UserSimulator"]


class ModelFailure(Exception):
    """The actor's model failed for good (dead endpoint, context exceeded); ends the episode.

    `transient` says the cause lies outside the model (server down, timeout, 429, 5xx, a refused
    key), so a rerun of the run should try the episode again (`writ.sim.failures`).
    """

    def __init__(self, message: str = "", *, transient: bool = False):
        super().__init__(message)
        self.transient = transient

    def __reduce__(self):  # keep `transient` across processes (Ray workers)
        return (_model_failure, (str(self), self.transient))


def _model_failure(message: str, transient: bool) -> ModelFailure:
    return ModelFailure(message, transient=transient)


class Agent(Protocol):
    name: str

    async def act(self, messages: list[dict[str, Any]]) -> Turn: ...


class UserSimulator(Protocol):
    name: str

    async def act(self, messages: list[dict[str, Any]]) -> Turn: ...

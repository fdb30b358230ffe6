"""One episode: the agent, the simulated user and the environment, in tau2-bench's turn protocol.

The agent speaks first. An agent turn is either a message to the user or tool calls (executed at
once, results appended, and the agent goes again); a user turn is a message, or, in dual-control
domains, tool calls on the user's own device. The user ends the conversation with ``###STOP###``,
``###TRANSFER###`` or ``###OUT-OF-SCOPE###``. Limits on steps and tool errors end runaway
episodes, recorded as truncations, never as completions. Nothing raised inside an actor escapes:
every failure becomes the episode's termination reason.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from writ.core import (
    Agent,
    Environment,
    Episode,
    ModelFailure,
    Termination,
    ToolCall,
    Turn,
    UserSimulator,
    agent_view,
    user_view,
)
from writ.task import Task

__all__ = ["Limits", "STOP_TOKENS", "run_episode"]

STOP_TOKENS = {
    "###STOP###": Termination.USER_STOP,
    "###TRANSFER###": Termination.TRANSFER,
    "###OUT-OF-SCOPE###": Termination.OUT_OF_SCOPE,
}


@dataclass(frozen=True)
class Limits:
    max_steps: int = 300  # messages of any role, tool results included
    max_errors: int = 10  # tool calls that returned an error


def _tool_call_message(call: ToolCall) -> dict[str, Any]:
    return {"id": call.id, "type": "function",
            "function": {"name": call.name, "arguments": json.dumps(call.arguments, ensure_ascii=False)}}


class _Episode:
    def __init__(self, task: Task, env: Environment, agent: Agent, user: UserSimulator, limits: Limits, attempt: int):
        self.env, self.agent, self.user, self.limits = env, agent, user, limits
        self.ep = Episode(task.id, attempt, env.domain.name, agent=agent.name, user=user.name)
        self.calls = 0

    def _record_turn(self, actor: str, turn: Turn) -> None:
        usage = dict(turn.usage or {})
        sampling = usage.pop("sampling", None)  # how the model was asked (seed, temperature): per turn
        record = {"actor": actor, "message": len(self.ep.messages), "usage": usage,
                  "latency_s": round(turn.latency_s, 4)}
        if sampling:
            record["sampling"] = sampling
        self.ep.turns.append(record)

    def _message(self, role: str, turn: Turn) -> dict[str, Any]:
        msg: dict[str, Any] = {"role": role, "content": turn.content}
        calls = []
        for call in turn.tool_calls:
            self.calls += 1
            call.id = call.id or f"call_{self.calls}"
            calls.append(_tool_call_message(call))
        for raw in turn.parse_errors:
            self.calls += 1
            calls.append({"id": f"call_{self.calls}", "type": "function",
                          "function": {"name": "invalid_tool_call", "arguments": json.dumps({"raw": raw[:500]})}})
        if calls:
            msg["tool_calls"] = calls
        if turn.reading:
            msg["_reading"] = turn.reading
        return msg

    def _execute(self, turn: Turn, requestor: str) -> None:
        msgs = self.ep.messages
        for call in turn.tool_calls:
            call.requestor = requestor
            result = self.env.step(call)
            tool_msg = {"role": "tool", "tool_call_id": call.id, "name": call.name, "content": result.content}
            if requestor == "user":
                tool_msg["requestor"] = "user"
            msgs.append(tool_msg)
            self.ep.tool_errors += result.error
        for i, problem in enumerate(turn.parse_errors):
            msgs.append({"role": "tool", "tool_call_id": self._parse_error_id(i, turn), "name": "invalid_tool_call",
                         "content": f"Error: the tool call could not be parsed: {problem[:300]}",
                         **({"requestor": "user"} if requestor == "user" else {})})
            self.ep.tool_errors += 1

    def _parse_error_id(self, i: int, turn: Turn) -> str:
        owner = next(m for m in reversed(self.ep.messages) if m.get("tool_calls"))
        return owner["tool_calls"][len(turn.tool_calls) + i]["id"]

    async def run(self) -> Episode:
        start = time.perf_counter()
        msgs = self.ep.messages
        speaker = "agent"
        termination: Termination | None = None
        while termination is None:
            if len(msgs) >= self.limits.max_steps:
                termination = Termination.MAX_STEPS
                break
            actor = self.agent if speaker == "agent" else self.user
            view = agent_view(msgs) if speaker == "agent" else user_view(msgs)
            try:
                turn = await actor.act(view)
            except ModelFailure as exc:
                termination = Termination.AGENT_ERROR if speaker == "agent" else Termination.USER_ERROR
                self.ep.error = str(exc)[:500]
                self.ep.meta["failure"] = "transient" if getattr(exc, "transient", False) else "permanent"
                break
            except Exception as exc:  # a bug in an actor must not take the run down with it
                termination = Termination.CRASH
                self.ep.error = f"{speaker}: {type(exc).__name__}: {exc}"[:500]
                break
            self._record_turn(speaker, turn)
            role = "assistant" if speaker == "agent" else "user"
            msgs.append(self._message(role, turn))
            if turn.tool_calls or turn.parse_errors:
                self._execute(turn, "assistant" if speaker == "agent" else "user")
                if self.ep.tool_errors >= self.limits.max_errors:
                    termination = Termination.TOO_MANY_ERRORS
                continue  # the same side goes again after seeing its results
            if speaker == "user":
                text = turn.content or ""
                termination = next((t for token, t in STOP_TOKENS.items() if token in text), None)
            elif turn.end or "###STOP###" in (turn.content or ""):
                termination = Termination.AGENT_STOP
            speaker = "user" if speaker == "agent" else "agent"
        self.ep.termination = termination.value
        for side, actor in (("agent", self.agent), ("user", self.user)):
            if hasattr(actor, "fallbacks"):  # an LLM realizer rewrote this side's turns (writ.dialogue.realizer)
                self.ep.meta[f"realized_{side}"] = actor.rewrites
                self.ep.meta["realization_fallbacks"] = self.ep.meta.get("realization_fallbacks", 0) + actor.fallbacks
        self.ep.final_db_hash = self.env.fingerprint()
        self.ep.final_user_db_hash = self.env.user_fingerprint()
        self.ep.seconds = round(time.perf_counter() - start, 4)
        return self.ep


async def run_episode(task: Task, env: Environment, agent: Agent, user: UserSimulator,
                      limits: Limits | None = None, attempt: int = 0) -> Episode:
    """Simulate one conversation for `task` on `env` (already in the task's initial state)."""
    return await _Episode(task, env, agent, user, limits or Limits(), attempt).run()

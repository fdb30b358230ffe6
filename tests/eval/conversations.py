"""Recorded conversations built from a task's gold actions, and mutations of them.

Each call is executed live (with sync) on the task's initial state as it is added, so the recorded
tool results are what an environment really answered; a mutated call records its own real result.
Writes are preceded by the agent's question and the user's yes (the policy's confirmation), and the
user's first message is the scenario itself (so everything the user knows is said).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from writ.core import ToolCall
from writ.data import DomainData
from writ.task import Action, Task


@dataclass
class Mutation:
    drop: int | None = None  # index of a gold action left out
    change: tuple[int, str, Any] | None = None  # (action index, argument, new value)
    extra: tuple[str, dict[str, Any]] | None = None  # an extra write made before the end
    communicate: bool = True
    termination: str = "user_stop"
    info_override: list[str] | None = None  # say these strings instead of the task's communicate_info


def is_write(data: DomainData, name: str) -> bool:
    return data.domain.is_write(name)


@dataclass
class _Builder:
    data: DomainData
    task: Task
    messages: list[dict[str, Any]] = field(default_factory=list)
    n: int = 0

    def __post_init__(self) -> None:
        self.env = self.data.environment(self.task)

    def say(self, role: str, text: str) -> None:
        self.messages.append({"role": role, "content": text})

    def call(self, name: str, arguments: dict[str, Any], requestor: str = "assistant") -> str:
        if requestor == "assistant" and is_write(self.data, name):
            self.say("assistant", f"I can {name.replace('_', ' ')} with {json.dumps(arguments)}. Shall I proceed?")
            self.say("user", "Yes, please proceed.")
        self.n += 1
        call_id = f"call_{self.n}"
        role = "user" if requestor == "user" else "assistant"
        self.messages.append({"role": role, "content": None, "tool_calls": [
            {"id": call_id, "type": "function", "function": {"name": name, "arguments": json.dumps(arguments)}}]})
        result = self.env.step(ToolCall(name, dict(arguments), call_id, requestor))
        tool = {"role": "tool", "tool_call_id": call_id, "name": name, "content": result.content}
        if requestor == "user":
            tool["requestor"] = "user"
        self.messages.append(tool)
        return result.content


def conversation(data: DomainData, task: Task, mutation: Mutation | None = None) -> dict[str, Any]:
    """A recorded conversation line (``task_id``, ``termination_reason``, ``messages``)."""
    m = mutation or Mutation()
    b = _Builder(data, task)
    b.say("assistant", "Hi! How can I help you today?")
    b.say("user", json.dumps(task.user_scenario, ensure_ascii=False))
    for i, action in enumerate(task.actions):
        if i == m.drop:
            continue
        arguments = dict(action.arguments)
        if m.change and m.change[0] == i:
            arguments[m.change[1]] = m.change[2]
        b.call(action.name, arguments, action.requestor)
    if m.extra:
        b.call(*m.extra)
    infos = m.info_override if m.info_override is not None else list(task.evaluation_criteria.communicate_info or [])
    if m.communicate and infos:
        b.say("assistant", "Here is what I found: " + "; ".join(infos) + ".")
    b.say("assistant", "Is there anything else I can help you with?")
    b.say("user", "No, that's all. Thanks! ###STOP###")
    return {"task_id": task.id, "termination_reason": m.termination, "messages": b.messages}


def write_indexes(data: DomainData, task: Task) -> list[int]:
    return [i for i, a in enumerate(task.actions) if a.requestor == "assistant" and is_write(data, a.name)]


def user_id_of(data: DomainData, task: Task) -> str:
    for action in task.actions:
        if "user_id" in action.arguments:
            return str(action.arguments["user_id"])
    return next(iter(data.environment(task).db.dump()["users"]))


def extra_write(data: DomainData, task: Task) -> tuple[str, dict[str, Any]]:
    """A write that succeeds on any task of the domain and that no gold contains."""
    user_id = user_id_of(data, task)
    if data.domain.name == "airline":
        return "send_certificate", {"user_id": user_id, "amount": 7}
    return "modify_user_address", {"user_id": user_id, "address1": "1 Nowhere Lane", "address2": "Suite 0",
                                   "city": "Springfield", "state": "ZZ", "country": "USA", "zip": "00000"}


def changed_value(action: Action) -> tuple[str, Any] | None:
    """An argument of a write and a different value for it (a string gets a suffix, a number +1)."""
    for key, value in action.arguments.items():
        if isinstance(value, str) and value:
            return key, value + "X"
    for key, value in action.arguments.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return key, value + 1
    return None

"""The mock domain's teacher skills: create a task, change a task's status, explain the tracker.

The mock domain exists to test the runtime, so its skills are small, but they follow the same rules as
every domain: values come from what the customer said (the user id, the title, the task id, the new
status), and every write is proposed with its details and confirmed before it runs. The customer's
own user list is read once to check the user exists.
"""

from __future__ import annotations

import json
import random
from typing import Any

from writ.agents.scripted.knowledge import Knowledge, NeedSlot, Request
from writ.agents.scripted.steps import Inform, Propose, Refuse, Step
from writ.core import ToolCall
from writ.dialogue.grammar import realize

__all__ = ["MockSkills"]


class MockSkills:
    domain = "mock"
    needs_auth = False
    auth_fields: list[str] = []

    def read_for(self, table: str, key: str) -> ToolCall:
        return ToolCall("get_users", {})

    def is_auth_call(self, call: ToolCall) -> bool:
        return False

    def auth_call(self, values: dict[str, Any]) -> ToolCall | None:
        return None

    def auth_question(self, rng: random.Random, voice: str) -> str:
        return "Who is this for?"

    def absorb(self, k: Knowledge, call: ToolCall, content: str, error: bool) -> None:
        if error or call.name != "get_users":
            return
        k.put("users", "", {u["user_id"]: u for u in json.loads(content)})

    def first_name(self, k: Knowledge) -> str:
        return ""

    def cues(self, key: str, value: Any) -> list[str] | None:
        if key == "tool":
            return {"create_task": ["creat", "new task", "add"],
                    "update_task_status": ["status", "mark"]}.get(value, [])
        return None

    def ask_slot(self, rng: random.Random, voice: str, request: Request, need: NeedSlot, k: Knowledge) -> str:
        return realize(rng, ["[What should the {slot} be?|Could you tell me the {slot}?]"],
                       slot=need.slot.replace("_", " "))

    def forbidden_reason(self, topic: str) -> str:
        return "that is outside what I can do here"

    def forbidden_text(self, rng: random.Random, topic: str) -> str:
        return "I'm sorry, that is outside what I can do here."

    def step(self, request: Request, k: Knowledge) -> Step:
        rng = random.Random(request.seed)
        if request.family == "create":
            user_id, title = request.value("user_id"), request.value("title")
            if user_id not in k.get("users"):
                return Refuse(f"I'm sorry, there is no user {user_id}.", "impossible", why="that user does not exist")
            summary = realize(rng, ["I'll create a task titled '{title}' for {user}.",
                                    "[Here's what I'll do|To confirm]: a new task '{title}' for {user}."],
                              title=title, user=user_id)
            return Propose(ToolCall("create_task", {"user_id": user_id, "title": title}), summary)
        if request.family == "status":
            task_id, status = request.value("task_id"), request.value("status")
            summary = realize(rng, ["I'll mark {task} as {status}.", "[To confirm|Here's the change|Just to be "
                                                                     "clear|To sum up|So, the change]: {task} becomes "
                                    "{status}."], task=task_id, status=status)
            return Propose(ToolCall("update_task_status", {"task_id": task_id, "status": status}), summary)
        return Inform(realize(rng, ["[Sure.|Happy to explain.] Each task has a title and a status, pending or "
                                    "completed, and belongs to a user; I can create tasks and change their status."]))

    def done_text(self, rng: random.Random, request: Request, call: ToolCall, k: Knowledge) -> str:
        if call.name == "create_task":
            return realize(rng, ["[Done|All set]: the task '{title}' is created.", "The task '{title}' has been "
                                 "created."], title=call.arguments["title"])
        return realize(rng, ["[Done|All set]: {task} is now {status}.", "{task} has been updated to {status}."],
                       task=call.arguments["task_id"], status=call.arguments["status"])

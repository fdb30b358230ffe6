"""The scripted teacher: a competent agent that needs no LLM.

It follows the task's plan (writ metadata) the way a careful human agent follows the policy:
greet; authenticate with the details the user actually gave (asking again when they match no
account); for each request, gather the evidence with the real read tools one call at a time,
explain what it found, list the action details and ask for explicit confirmation, execute the
write, report; ask the user to act on their own device where the fix is theirs (telecom); answer
information requests; and close. Wording varies with a per-episode seed.

The teacher is written as a generator (`_script`) that yields turns and resumes when the user has
answered, which keeps the conversation logic a straight read from top to bottom.
"""

from __future__ import annotations

import random
import re
from typing import Any, Iterator

from writ.agents import phrases as P
from writ.core import Domain, ToolCall, Turn
from writ.task import Task
from writ.users.behaviours import FORBIDDEN_ASKS

__all__ = ["ScriptedTeacher", "task_plan"]

_NO = re.compile(r"\b(no|nope|don't|do not|not now|cancel that|stop)\b", re.I)
_AGAIN = re.compile(r"(changed my mind|after all|go ahead)", re.I)


def task_plan(task: Task) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(requests, facts) from the writ metadata, or one request of all gold actions for tau2 tasks.

    Every gold action belongs to exactly one request: an action a generator ran before opening
    the request it serves (evidence gathered first, request declared later) goes to the request
    of the next action that is listed, so the teacher never skips a read the solution needs.
    """
    meta = task.writ or {}
    n = len(task.actions)
    requests = [dict(r) for r in meta.get("requests") or []]
    if not requests:
        return [{"actions": list(range(n)), "writes": [], "summary": "", "findings": "", "communicate": []}], \
            meta.get("facts") or {}
    owner: dict[int, int] = {}
    for r, request in enumerate(requests):
        for i in request.get("actions") or []:
            owner.setdefault(i, r)
    pending: list[int] = []
    for i in range(n):
        if i in owner:
            for j in pending:
                owner[j] = owner[i]
            pending = []
        else:
            pending.append(i)
    for j in pending:
        owner[j] = len(requests) - 1
    for r, request in enumerate(requests):
        request["actions"] = [i for i in range(n) if owner[i] == r]
    return requests, meta.get("facts") or {}


def describe_call(name: str, arguments: dict[str, Any]) -> str:
    args = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in arguments.items())
    return f"{name.replace('_', ' ')}" + (f" ({args})" if args else "")


class ScriptedTeacher:
    """See the module docstring. One instance per episode."""

    name = "scripted"

    def __init__(self, task: Task, domain: Domain, seed: int | str = 0):
        self.task = task
        self.domain = domain
        self.rng = random.Random(f"{task.id}/{seed}/teacher")
        self.requests, self.facts = task_plan(task)
        self.asks: dict[str, str] = (task.writ or {}).get("asks", {})
        self.view: list[dict[str, Any]] = []
        self._script_iter: Iterator[Turn] = self._script()

    async def act(self, messages: list[dict[str, Any]]) -> Turn:
        self.view = messages
        refusal = self._refusal()
        if refusal is not None:  # answered without advancing the script: it still awaits its answer
            return refusal
        return next(self._script_iter)

    def _refusal(self) -> Turn | None:
        """Refuse what the policy forbids (the user may insist; the answer stays no)."""
        intent = self._user_intent()
        if intent.get("kind") not in ("forbidden", "insist"):
            return None
        text = self._last("user").get("content") or ""
        reply = next((no for ask, no in FORBIDDEN_ASKS.get(self.domain.name, []) if ask[:25].lower() in text.lower()), None)
        if intent["kind"] == "insist" or reply is None:
            reply = P.pick(self.rng, P.REFUSE_AGAIN)
        return Turn(reply, intent={"kind": "refuse"})

    # -- what the teacher reads from the conversation ----------------------------------------------
    def _last(self, role: str) -> dict[str, Any]:
        return next((m for m in reversed(self.view) if m["role"] == role), {})

    def _user_intent(self) -> dict[str, Any]:
        return self._last("user").get("_intent") or {}

    def _last_result(self) -> dict[str, Any]:
        return self._last("tool")

    def _asked_question(self) -> bool:
        intent = self._user_intent()
        if intent:
            return intent.get("kind") == "question"
        text = self._last("user").get("content") or ""
        return "?" in text and not re.search(r"\b(yes|go ahead|proceed)\b", text, re.I)

    def _declined(self) -> bool:
        intent = self._user_intent()
        if "answer" in intent:
            return not intent["answer"]
        return bool(_NO.search(self._last("user").get("content") or ""))

    def _is_write(self, name: str) -> bool:
        tool = self.domain.agent.tools.get(name)
        return bool(tool and tool.mutates)

    # -- the conversation ------------------------------------------------------------------------
    def _script(self) -> Iterator[Turn]:
        actions = self.task.actions
        prefix = ""
        yield Turn(P.pick(self.rng, P.GREETINGS), intent={"kind": "greet"})
        auth = self.facts.get("auth") or {}
        auth_action = self.facts.get("auth_action")
        if auth_action is not None:
            method = auth.get("method", "user_id")
            question = P.pick(self.rng, P.AUTH_QUESTIONS.get(method, P.AUTH_QUESTIONS["user_id"]))
            for _ in range(5):
                yield Turn(question, intent={"kind": "ask_auth", "method": method})
                if self._user_intent().get("kind") == "why":
                    question = P.pick(self.rng, P.WHY_AUTH)
                    continue
                given = self._user_intent().get("values") or {}
                gold = actions[auth_action]
                arguments = {**gold.arguments, **{k: v for k, v in given.items() if k in gold.arguments}}
                yield Turn(tool_calls=[ToolCall(gold.name, arguments)])
                if not self._last_result().get("content", "").startswith("Error"):
                    break
                question = P.pick(self.rng, P.REAUTH)
            prefix = P.pick(self.rng, P.AUTHENTICATED, name=self.facts.get("name", "").split(" ")[0] or "there") + " "
        for _ in range(3):
            if self._user_asked_for(0):
                break
            yield Turn(prefix + P.pick(self.rng, P.ASK_REQUEST), intent={"kind": "ask_request"})
            prefix = ""

        for r, request in enumerate(self.requests):
            if r > 0 and not self._user_asked_for(r):
                yield Turn(prefix + P.pick(self.rng, P.ANYTHING_ELSE), intent={"kind": "anything_else", "next": r})
                prefix = ""
            elif r > 0:
                prefix += P.pick(self.rng, P.NEXT_REQUEST) + " "
            findings = (request.get("findings") or "").strip()
            writes = set(request.get("writes") or [])
            first_write = True
            for index in request.get("actions", []):
                if index == auth_action:
                    continue
                action = actions[index]
                if action.requestor == "user":
                    ask = self.asks.get(str(index)) or f"Could you please {describe_call(action.name, action.arguments)} on your phone?"
                    yield Turn(prefix + P.pick(self.rng, P.USER_ACTION, ask=ask), intent={"kind": "user_action", "action": index})
                    prefix = ""
                elif index in writes or self._is_write(action.name):
                    summary = request.get("summary") or describe_call(action.name, action.arguments)
                    lead = (findings + " ") if (findings and first_write) else ""
                    first_write = False
                    text = P.pick(self.rng, P.CONFIRM, findings=prefix + lead, summary=summary)
                    prefix = ""
                    confirmed = False
                    for _ in range(4):
                        yield Turn(text, intent={"kind": "confirm", "action": index, "request": r})
                        if self._asked_question():
                            text = P.pick(self.rng, P.RESTATE, summary=summary)
                            continue
                        if not self._declined():
                            confirmed = True
                            break
                        yield Turn(P.pick(self.rng, P.DECLINED), intent={"kind": "declined", "action": index})
                        if self._user_intent().get("kind") != "reconsider" and not _AGAIN.search(self._last("user").get("content") or ""):
                            break
                        text = P.pick(self.rng, P.RECONFIRM, summary=summary)
                    if not confirmed:
                        continue
                    yield Turn(tool_calls=[ToolCall(action.name, dict(action.arguments))])
                    if self._last_result().get("content", "").startswith("Error"):
                        prefix = "I'm sorry, the system rejected that change, so nothing was modified. "
                    else:
                        prefix = P.pick(self.rng, P.DONE, summary=summary) + " "
                else:
                    yield Turn(tool_calls=[ToolCall(action.name, dict(action.arguments))])
            if request.get("communicate") and not writes:
                text = P.pick(self.rng, P.INFORM, findings=findings or "; ".join(request["communicate"]))
                prefix = prefix + text + " "
        while True:
            yield Turn(prefix + P.pick(self.rng, P.ANYTHING_ELSE), intent={"kind": "anything_else", "next": None})
            prefix = ""
            yield Turn(P.pick(self.rng, P.GOODBYE), intent={"kind": "end"})

    def _user_asked_for(self, r: int) -> bool:
        """Whether the user already asked for request `r` (stated everything up front, or just now).

        A user that carries no annotations (an LLM) is assumed to have said what it wants.
        """
        if not any(m.get("_intent") for m in self.view if m["role"] == "user"):
            return True
        for m in self.view:
            intent = m.get("_intent") or {}
            if m["role"] == "user" and r in (intent.get("requests") or []):
                return True
        return False

"""What a simulated customer knows: its scenario, read from a writ task.

The customer (unlike the agent) may read the task: its requests in order, each as a *frame* (the
structured request it can state, see `writ.tasks.<domain>.frames`), the slots of each frame it
holds back until asked (``withhold``), what should come of it (``outcome``: a write, a refusal, an
answer, a transfer), the gold writes (to recognise a proposal that matches what it wants), its
identifying details, and its behaviours. It never says anything that is not in here or was not
said to it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from writ.core import ToolCall
from writ.dialogue.acts import public
from writ.task import Task

__all__ = ["Scenario", "ScenarioRequest"]


def _unwrapped(call: ToolCall) -> ToolCall:
    """A write as a proposal names it: a call through a dispatcher (banking's discoverable tools) as
    the inner tool and its arguments."""
    if call.name != "call_discoverable_agent_tool":
        return call
    try:
        inner = json.loads(call.arguments.get("arguments") or "{}")
    except json.JSONDecodeError:
        return call
    name = call.arguments.get("agent_tool_name")
    return ToolCall(name, inner, requestor=call.requestor) if name and isinstance(inner, dict) else call


@dataclass
class ScenarioRequest:
    frame: dict[str, Any]
    withhold: list[str] = field(default_factory=list)
    outcome: str = "write"  # write, refuse, inform, transfer
    writes: list[ToolCall] = field(default_factory=list)
    pushback: str = ""  # an argument tied to this request, for a customer who pushes back

    @property
    def family(self) -> str:
        return self.frame.get("family", "")

    def say_frame(self) -> dict[str, Any]:
        """The frame as first stated: without the slots the customer holds back (private context kept)."""
        return {k: v for k, v in self.frame.items() if k not in self.withhold}

    def stated_frame(self) -> dict[str, Any]:
        """What the first statement's reading holds: `say_frame` without private rendering context."""
        return public(self.say_frame())


@dataclass
class Scenario:
    domain: str
    requests: list[ScenarioRequest]
    auth: dict[str, Any]
    name: str
    behaviours: set[str]
    wrong_auth: dict[str, Any] | None = None
    device: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, task: Task) -> Scenario:
        meta = task.writ or {}
        actions = task.actions
        requests = []
        for r in meta.get("requests") or []:
            writes = [_unwrapped(ToolCall(actions[i].name, dict(actions[i].arguments), requestor=actions[i].requestor))
                      for i in r.get("writes") or [] if i < len(actions)]
            requests.append(ScenarioRequest(dict(r.get("frame") or {}), list(r.get("withhold") or []),
                                            r.get("outcome") or ("write" if writes else "inform"), writes,
                                            r.get("pushback") or ""))
        facts = meta.get("facts") or {}
        domain = (task.instructions.get("domain") or meta.get("domain") or "")
        behaviours = set(meta.get("behaviours") or [])
        if "volunteers" in behaviours:  # says everything up front: nothing is held back
            for request in requests:
                request.withhold = []
        return cls(domain, requests, dict(facts.get("auth") or {}), facts.get("name", ""), behaviours,
                   (meta.get("behaviour_facts") or {}).get("wrong_auth"), dict(meta.get("device") or {}))

    @property
    def first_name(self) -> str:
        return self.name.split(" ")[0] if self.name else ""

    def has(self, behaviour: str) -> bool:
        return behaviour in self.behaviours

    @property
    def style(self) -> str | None:
        return next((b for b in self.behaviours
                     if b in ("terse", "verbose", "impatient", "polite", "non_native", "typos")), None)

"""`TaskDraft`: how a domain generator writes a task, by executing it.

A generator never writes gold actions by hand. It *performs* the task on a live environment the
way a competent agent would: reads that gather evidence, then the write they justify. Every call
runs for real, so a draft cannot contain a call that fails, and the evidence accounting (which
reads a write depended on, how many candidates were compared, how many characters of tool output
were needed) is measured, not declared.

Alongside the tau2 task it builds, the draft records a structured plan in the task's ``writ``
metadata: the user's requests in order (what the user says, which gold actions serve each), the
facts the user knows (for authentication), and per-write evidence. Simulated users and the
scripted teacher read that plan; tau2-bench ignores it.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from writ.core import Environment, ToolCall
from writ.data import DomainData
from writ.task import Task

__all__ = ["DraftError", "TaskDraft", "WriteRecord"]


# How the customer's instructions name a detail held back (the frame's slot names are code words).
HELD_WORDS = {
    "address": "the new address", "payment": "which payment method to use", "reason": "your reason",
    "bags": "how many checked bags", "cabin": "which cabin", "insurance": "whether you want travel insurance",
    "passengers": "who is travelling", "abroad": "whether you are abroad", "app": "which messaging app you use",
    "country": "which country you are in", "gb_amount": "how much data to add", "network_mode": "which network "
    "mode you prefer", "pay": "whether you want to pay the bill now", "phone": "the phone number of the line",
    "wifi": "whether you are on Wi-Fi", "amount": "the amount", "card": "which card", "email": "the new email "
    "address", "last4": "the card's last four digits", "pin": "the new PIN", "expedited": "whether you want "
    "expedited shipping",
}


class DraftError(Exception):
    """The generator could not build this task; the message is the rejection reason."""


@dataclass
class WriteRecord:
    action: int  # index into the gold actions
    name: str
    evidence: list[int]  # indices of the reads that pin down this write's arguments
    candidates: int
    evidence_chars: int
    request: int
    secret_ids: list[str]
    requestor: str = "assistant"

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action, "name": self.name, "requestor": self.requestor, "evidence": len(self.evidence),
            "evidence_actions": self.evidence, "candidates": self.candidates,
            "evidence_chars": self.evidence_chars, "request": self.request, "secret_ids": self.secret_ids,
        }


@dataclass
class Request:
    """One thing the user asks for: a change (writes) or information (communicate)."""

    utterance: str  # first person, what the user says ("I'd like to cancel ...")
    instruction: str  # second person, for tau2's reason_for_call ("You want to cancel ...")
    actions: list[int] = field(default_factory=list)
    writes: list[int] = field(default_factory=list)
    communicate: list[str] = field(default_factory=list)
    summary: str = ""  # the action details the agent lists when asking for confirmation
    findings: str = ""  # what the agent tells the user the evidence showed, before confirming
    details: dict[str, Any] = field(default_factory=dict)  # values the user may be asked about
    frame: dict[str, Any] = field(default_factory=dict)  # the request as the customer can state it
    withhold: list[str] = field(default_factory=list)  # frame slots the customer gives only when asked
    outcome: str = "write"  # write, refuse, inform, transfer: what the policy-correct handling ends in
    pushback: str = ""  # the customer's argument against a refusal, tied to this request

    def to_json(self) -> dict[str, Any]:
        return {"utterance": self.utterance, "instruction": self.instruction, "actions": self.actions,
                "writes": self.writes, "communicate": self.communicate, "summary": self.summary,
                "findings": self.findings, "details": self.details, "frame": self.frame,
                "withhold": self.withhold, "outcome": self.outcome, "pushback": self.pushback}


class TaskDraft:
    """Executes and records one task under construction (see module docstring)."""

    def __init__(self, data: DomainData, generator: str, rng: random.Random,
                 initial_state: dict[str, Any] | None = None):
        self.data = data
        self.generator = generator
        self.rng = rng
        self.initial_state = initial_state
        self.env: Environment = data.environment()
        if initial_state:
            self.env.apply_initial_state(initial_state)
        self.actions: list[dict[str, Any]] = []
        self.outputs: list[str] = []
        self.writes: list[WriteRecord] = []
        self.requests: list[Request] = []
        self.facts: dict[str, Any] = {}
        self.known_info: list[str] = []
        self.unknown_info: list[str] = []
        self.task_instructions: list[str] = []
        self.communicate_info: list[str] = []
        self.env_assertions: list[dict[str, Any]] = []
        self.reward_basis: list[str] | None = None  # default: DB (+ COMMUNICATE when info is due)
        self.checks: list[Callable[[Environment], str | None]] = []
        self.extra: dict[str, Any] = {}
        self.purpose = ""
        self.asks: dict[int, str] = {}  # action index -> how the agent asks the user to do it
        self.refusals: list[dict[str, Any]] = []  # requests the policy forbids, proven at validation
        self._pending: list[int] = []

    # -- doing the task ---------------------------------------------------------------------------
    def request(self, utterance: str, instruction: str, summary: str = "", findings: str = "",
                frame: dict[str, Any] | None = None, withhold: list[str] | None = None, outcome: str = "write",
                **details: Any) -> Request:
        req = Request(utterance, instruction, summary=summary, findings=findings, details=details,
                      frame=frame or {}, withhold=list(withhold or []), outcome=outcome)
        self.requests.append(req)
        return req

    def _call(self, name: str, arguments: dict[str, Any], requestor: str, ask: str = "") -> str:
        result = self.env.step(ToolCall(name, arguments, requestor=requestor), sync=False)
        if result.error:
            raise DraftError(f"{name} failed while drafting: {result.content[:120]}")
        index = len(self.actions)
        self.actions.append({"action_id": f"{index}", "requestor": requestor, "name": name, "arguments": arguments})
        self.outputs.append(result.content)
        if ask:
            self.asks[index] = ask
        if self.requests:
            self.requests[-1].actions.append(index)
        return result.content

    def read(self, name: str, arguments: dict[str, Any], *, evidence: bool = True, requestor: str = "assistant",
             ask: str = "") -> Any:
        """Run a read; evidence reads count towards the next write's burden. Returns parsed JSON.

        `ask` (user-side calls only) is how the agent asks the user to perform it.
        """
        text = self._call(name, arguments, requestor, ask)
        if evidence:
            self._pending.append(len(self.actions) - 1)
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return text

    def write(self, name: str, arguments: dict[str, Any], *, candidates: int = 1,
              secret_ids: list[str] | tuple[str, ...] = (), requestor: str = "assistant", ask: str = "") -> Any:
        """Run a write; the evidence reads since the previous write become its evidence."""
        text = self._call(name, arguments, requestor, ask)
        index = len(self.actions) - 1
        evidence = list(self._pending)
        self._pending.clear()
        self.writes.append(WriteRecord(
            action=index, name=name, evidence=evidence, candidates=candidates,
            evidence_chars=sum(len(self.outputs[index]) for index in evidence),
            request=len(self.requests) - 1, secret_ids=list(secret_ids), requestor=requestor))
        if self.requests:
            self.requests[-1].writes.append(index)
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return text

    def communicate(self, value: str) -> None:
        """Information the agent must tell the user (tau2's communicate_info)."""
        self.communicate_info.append(value)
        if self.requests:
            self.requests[-1].communicate.append(value)

    def refuse(self, name: str, arguments: dict[str, Any], why: str, topic: str = "policy") -> None:
        """The current request ends in a refusal: it asks for ``name(arguments)``, which the policy
        forbids (or the records make impossible) at this point; validation proves it."""
        self.refusals.append({"after": len(self.actions), "request": len(self.requests) - 1, "name": name,
                              "arguments": arguments, "why": why, "topic": topic})
        if self.requests:
            self.requests[-1].outcome = "refuse"

    def transfer(self, summary: str) -> None:
        """The current request ends in a transfer to a human agent (the policy's only way out)."""
        self._call("transfer_to_human_agents", {"summary": summary}, "assistant")
        if self.requests:
            self.requests[-1].outcome = "transfer"

    def close_info_request(self, candidates: int = 1) -> None:
        """Account the pending reads of an information request as one evidence unit (no write)."""
        self.extra.setdefault("info_evidence", []).append(
            {"request": len(self.requests) - 1, "evidence": len(self._pending), "candidates": candidates,
             "evidence_chars": sum(len(self.outputs[index]) for index in self._pending)})
        self._pending.clear()

    def check(self, check: Callable[[Environment], str | None]) -> None:
        """A uniqueness or policy check re-run on a fresh copy of the initial state at validation."""
        self.checks.append(check)

    # -- the result --------------------------------------------------------------------------------
    @property
    def evidence(self) -> int:
        per = ([len(write.evidence) for write in self.writes]
               + [info["evidence"] for info in self.extra.get("info_evidence", [])])
        return max(per, default=0)

    @property
    def outcome(self) -> str:
        """How the policy-correct conversation ends: with writes, or else its first request's outcome."""
        if self.writes:
            return "write"
        return next((request.outcome for request in self.requests if request.outcome != "write"), "inform")

    def build(self, task_id: str, *, seed: int, source: str, reward_basis: list[str] | None = None) -> Task:
        held = sorted({HELD_WORDS.get(slot, slot.replace("_", " ")) for request in self.requests
                       for slot in request.withhold})
        hold_line = ([f"Do not volunteer the following until the agent asks for it: {', '.join(held)}."]
                     if held else [])
        instructions = {
            "domain": self.data.domain.name,
            "reason_for_call": " ".join(request.instruction for request in self.requests),
            "known_info": " ".join(self.known_info) or None,
            "unknown_info": " ".join(self.unknown_info) or None,
            "task_instructions": " ".join(self.task_instructions + hold_line) or None,
        }
        basis = reward_basis or self.reward_basis or (["DB", "COMMUNICATE"] if self.communicate_info else ["DB"])
        writ_meta = {
            "generator": self.generator,
            "seed": seed,
            "db_source": source,
            "n_writes": len(self.writes),
            "evidence": self.evidence,
            "evidence_total": sum(len(write.evidence) for write in self.writes),
            "writes": [write.to_json() for write in self.writes],
            "requests": [request.to_json() for request in self.requests],
            "facts": self.facts,
            "asks": {str(k): v for k, v in self.asks.items()},
            "outcome": self.outcome,
            **({"refusals": self.refusals} if self.refusals else {}),
            **self.extra,
        }
        return Task(
            id=task_id,
            description={"purpose": self.purpose or None, "relevant_policies": None, "notes": "generated by writ"},
            user_scenario={"persona": None, "instructions": instructions},
            initial_state=self.initial_state,
            evaluation_criteria={
                "actions": self.actions,
                "communicate_info": self.communicate_info,
                "nl_assertions": None,
                "reward_basis": basis,
                **({"env_assertions": self.env_assertions} if self.env_assertions else {}),
            },
            writ=writ_meta,
        )

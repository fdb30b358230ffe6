"""The generator's run of the support workflow: every check and fix recorded as a gold action.

`run_requests` plays the agent of `writ.tasks.telecom.workflow` against the task's own phone and
account, the way the conversation will: each call runs on an environment that syncs after every
call (what the customer and agent will see), and is recorded on the `TaskDraft` (tau2's gold, which
replays without per-call sync). Questions are answered from the customer's full frame, what the
customer holds back included. The result is the gold actions and their evidence, measured.
"""

from __future__ import annotations

import json
import random
from typing import Any

from writ.core import Environment, ToolCall
from writ.tasks.draft import DraftError, TaskDraft
from writ.tasks.telecom import wording
from writ.tasks.telecom.observe import read_output
from writ.tasks.telecom.workflow import Outcome, Workflow, read_call, stale_after

__all__ = ["CUSTOMER_FACTS", "LiveObserver", "run_requests"]

CUSTOMER_FACTS = ("abroad", "country", "wifi")  # what a customer says about themselves holds for every request


class LiveObserver:
    """A `workflow.Observer` over a draft (see the module docstring)."""

    def __init__(self, draft: TaskDraft, live: Environment, customer_id: str, phone: str, rng: random.Random,
                 secrets: list[str], candidates: int):
        self.draft = draft
        self.live = live
        self.customer_id = customer_id
        self.phone = phone
        self.rng = rng
        self.secrets = secrets
        self.candidates = candidates
        self.records: dict[tuple[str, str], Any] = {}
        self.frame: dict[str, Any] = {}
        self.asked: list[str] = []  # the details the agent had to ask for in the current request
        self.customer: dict[str, Any] = {}  # what the customer said about themselves (holds for every request)
        self.after_resume = False

    def _live(self, name: str, args: dict[str, Any], requestor: str) -> str:
        result = self.live.step(ToolCall(name, dict(args), requestor=requestor))
        if result.error:
            raise DraftError(f"{name} fails on the live phone ({result.content[:80]})")
        return result.content

    def authenticate(self) -> None:
        self._live("get_customer_by_phone", {"phone_number": self.phone}, "assistant")
        record = self.draft.read("get_customer_by_phone", {"phone_number": self.phone}, evidence=False)
        self.records[("customers", self.customer_id)] = record

    def device(self, name: str, args: dict[str, Any], finding: dict[str, Any]) -> dict[str, Any]:
        text = self._live(name, args, "user")
        ask = wording.ask_for(self.rng, name, args, "resume" if self.after_resume else "")
        if "fix" in finding:
            self.draft.write(name, args, requestor="user", ask=ask)
        else:
            self.draft.read(name, args, requestor="user", ask=ask)
        self.after_resume = False
        return read_output(text)[1]

    def read(self, table: str, key: str) -> Any:
        if (table, key) not in self.records:
            name, args = read_call(table, key, self.customer_id)
            self._live(name, args, "assistant")
            self.records[(table, key)] = self.draft.read(name, args)
        return self.records[(table, key)]

    def write(self, name: str, args: dict[str, Any], finding: dict[str, Any]) -> Any:
        text = self._live(name, args, "assistant")
        self.draft.write(name, args, candidates=self.candidates, secret_ids=self.secrets)
        for index in stale_after(name, args):
            self.records.pop(index, None)
        try:
            result = json.loads(text)
        except json.JSONDecodeError:
            return text
        if isinstance(result, dict) and isinstance(result.get("line"), dict):
            self.records[("lines", args["line_id"])] = result["line"]
        self.after_resume = name == "resume_line"
        return result

    def ask(self, slot: str, finding: dict[str, Any]) -> Any:
        if slot in self.customer:
            return self.customer[slot]
        if slot not in self.frame:
            raise DraftError(f"the customer cannot answer {slot!r}")
        self.asked.append(slot)
        if slot in CUSTOMER_FACTS:  # the answer holds for later requests too ("in Japan" comes with "abroad")
            said = [slot] + (["country"] if slot == "abroad" and self.frame.get("country") else [])
            self.customer.update({fact: self.frame[fact] for fact in said})
        return self.frame[slot]

    def forget(self, table: str, key: str) -> None:
        self.records.pop((table, key), None)

    def note(self, finding: dict[str, Any]) -> None:
        pass


def run_requests(obs: LiveObserver, requests: list[tuple[dict[str, Any], dict[str, Any]]],
                 open_request) -> list[Outcome]:
    """Run each (stated frame, full frame) in order; `open_request(i)` opens the draft's request first."""
    fresh: dict[str, dict[str, Any]] = {}
    outcomes = []
    for i, (stated, full) in enumerate(requests):
        open_request(i)
        obs.frame, obs.asked = full, []
        obs.customer.update({fact: stated[fact] for fact in CUSTOMER_FACTS if fact in stated})
        outcome = Workflow(obs, stated, fresh).run()
        outcome.facts["_asked"] = list(obs.asked)
        outcomes.append(outcome)
        if outcome.kind in ("refuse", "transfer", "inform"):
            break
    return outcomes

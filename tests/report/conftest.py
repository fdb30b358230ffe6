"""A small real run for the report: hand-built tasks, behaviour variants, scripted actors, verifiers.

Built once per session (about a second): three retail tasks on different cells of the writes x
evidence grid, each diversified into behaviour variants, plus one mock-domain task (a second
domain, no behaviours). The scripted agent is wrapped so that the run has every kind of outcome
the report must show:

* usage on every model call (tokens and cost grow with the conversation), as an LLM run has;
* ``sloppy`` tasks: the agent cancels with the wrong reason on attempt 0 (rejected by the
  ``state`` verifier, then kept on attempt 1), or on every attempt (never kept);
* ``flaky`` tasks: the agent's model is down on attempt 0 (termination ``agent_error``).
"""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path

import pytest

from writ.core import ModelFailure
from writ.data import load_data
from writ.sim import make_agent_factory as _agents
from writ.sim import make_user_factory as _users
from writ.sim import simulate
from writ.task import Task
from writ.tasks.draft import TaskDraft
from writ.users.diversify import diversify
from writ.verify import verify_episode

SLOPPY_ONCE = "r-cancel-v1"
SLOPPY_ALWAYS = "r-both-v0"
FLAKY = "r-deep-v2"


def _retail_task(data, task_id: str, *, address: bool, deep: bool = False, info: bool = False) -> Task:
    """Cancel a pending order (and optionally change the address): as tests/verify's `_cancel_task`."""
    store = data.base.store()
    pending = [o for o in store.values("orders") if o["status"] == "pending"]
    order = pending[sum(map(ord, task_id)) % len(pending)]
    user = store.get("users", order["user_id"])
    draft = TaskDraft(data, "test.report", random.Random(0))
    oid = order["order_id"]
    draft.request("", f"You want to cancel order {oid}.",
                  frame={"family": "cancel", "order": {"kind": "id", "id": oid}, "reason": "no longer needed"},
                  withhold=["reason"])
    draft.facts = {"auth": {"method": "email", "email": user["email"]}, "auth_action": 0,
                   "name": f"{user['name']['first_name']} {user['name']['last_name']}"}
    draft.read("find_user_id_by_email", {"email": user["email"]}, evidence=False)
    if deep:
        draft.read("get_user_details", {"user_id": user["user_id"]})
    draft.read("get_order_details", {"order_id": order["order_id"]})
    draft.write("cancel_pending_order", {"order_id": order["order_id"], "reason": "no longer needed"})
    if info:
        total = sum(p["amount"] for p in order["payment_history"] if p["transaction_type"] == "payment")
        draft.request("", "You want to know what you paid.", outcome="inform",
                      frame={"family": "total", "order": {"kind": "id", "id": oid}})
        draft.communicate(f"{total:.2f}")
        draft.close_info_request()
    if address:
        draft.request("", "You want your default address changed.",
                      frame={"family": "user_address", "address": {
                          "address1": "12 Oak Street", "address2": "", "city": "Springfield", "state": "IL",
                          "country": "USA", "zip": "62701"}})
        draft.write("modify_user_address", {"user_id": user["user_id"], "address1": "12 Oak Street", "address2": "",
                                            "city": "Springfield", "state": "IL", "country": "USA", "zip": "62701"})
    return draft.build(task_id, seed=0, source=data.source)


def _mock_task() -> Task:
    return Task.model_validate({
        "id": "m-create",
        "user_scenario": {"instructions": {"domain": "mock", "task_instructions": "Be brief.",
                                           "reason_for_call": "You want a new task called 'Report' for user_1."}},
        "evaluation_criteria": {"actions": [{"action_id": "a0", "name": "create_task",
                                             "arguments": {"user_id": "user_1", "title": "Report"}}],
                                "reward_basis": ["DB"]},
        "writ": {"db_source": "generated:seed=0,scale=1.0", "n_writes": 1, "evidence": 0, "generator": "test.mock",
                 "writes": [{"name": "create_task"}],
                 "requests": [{"frame": {"family": "create", "user_id": "user_1", "title": "Report"}, "writes": [0]}]},
    })


def _usage(messages: list, turn, scale: float) -> dict:
    prompt = int((300 + 60 * len(messages)) * scale)
    completion = 20 + len(turn.content or "") // 4 + 25 * len(turn.tool_calls)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "reasoning_tokens": 0,
            "cost": round(prompt * 5e-7 + completion * 2e-6, 8)}


class MeteredAgent:
    """The scripted teacher, reporting usage like a model, and sloppy or failing where told."""

    name = "scripted"

    def __init__(self, task: Task, data, attempt: int):
        self.inner = _agents("scripted")(task, data, attempt)
        self.sloppy = task.id == SLOPPY_ALWAYS or (task.id == SLOPPY_ONCE and attempt == 0)
        self.down = task.id == FLAKY and attempt == 0

    async def act(self, messages):
        if self.down and len(messages) > 3:
            raise ModelFailure("endpoint down: connection refused")
        turn = await self.inner.act(messages)
        for call in turn.tool_calls:
            if self.sloppy and call.name == "cancel_pending_order":
                call.arguments = {**call.arguments, "reason": "ordered by mistake"}
        turn.usage = _usage(messages, turn, 1.0)
        turn.latency_s = 0.2 + 0.01 * len(messages)  # a model that slows down as the conversation grows
        return turn


class MeteredUser:
    name = "scripted"

    def __init__(self, task: Task, data, attempt: int):
        self.inner = _users("scripted")(task, data, attempt)

    async def act(self, messages):
        turn = await self.inner.act(messages)
        turn.usage = _usage(messages, turn, 0.5)
        turn.latency_s = 0.05
        return turn


def _judge(episode, task, data):
    return verify_episode(episode, task, data).to_json()


def build_run(run_dir: Path) -> list[Task]:
    retail = load_data("retail", seed=3, scale=0.3)
    mock = load_data("mock")
    base = [_retail_task(retail, "r-cancel", address=False),
            _retail_task(retail, "r-both", address=True),
            _retail_task(retail, "r-deep", address=True, deep=True, info=True)]
    variants, _ = diversify(base, variants=3, seed=0)
    tasks = variants + [_mock_task()]
    asyncio.run(simulate(tasks, resolve_data=lambda t: mock if t.id.startswith("m-") else retail,
                         agent_factory=MeteredAgent, user_factory=MeteredUser, run_dir=run_dir, attempts=2,
                         judge=_judge, progress=False))
    (run_dir / "tasks.json").write_text(json.dumps([t.to_json() for t in tasks]), encoding="utf-8")
    return tasks


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "run"
    build_run(path)
    return path

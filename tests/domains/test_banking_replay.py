"""banking_knowledge on tau2's data: all 97 tasks replay (with exactly the errors their gold
actions carry), the conformance check passes, and recorded conversations rescore as tau2 would."""

from __future__ import annotations

import hashlib
from functools import cache

import pytest

from tests.conftest import tau2_dir
from writ.check import check_domain_data
from writ.data import DomainData, load_data
from writ.replay import replay_task, replay_tasks

# task id -> the error texts its gold actions produce in tau2 as well. task_051 submits the same
# credit limit increase twice (tau2 derives the request id from account, user and amount, so the
# second is refused; the task then approves it). task_083 files four debit card disputes without
# customer_max_liability_amount, a parameter tau2's tool requires: Python refuses the call, nothing
# is filed, and the gold database holds no dispute (an agent that files them fails the DB check).
EXPECTED_ERRORS = {
    "task_051": ["Error: A similar request may already exist."],
    "task_083": ["Error: Invalid arguments: KnowledgeTools.file_debit_card_transaction_dispute_6281() missing 1 "
                 "required positional argument: 'customer_max_liability_amount'"] * 4,
}


@cache
def data() -> DomainData:
    return load_data("banking_knowledge", tau2_data=tau2_dir())


@cache
def replays() -> dict[str, dict]:
    return {row["task_id"]: row for row in replay_tasks(data(), data().tasks)}


def test_all_97_tasks_replay_with_only_the_known_errors():
    rows = replays()
    assert len(rows) == 97 and not [r for r in rows.values() if "failure" in r]
    assert sum(len(r["outputs"]) for r in rows.values()) == 955
    assert not any(any(r["errors"]) for r in rows.values())  # nothing raised
    errors = {tid: [o for o in r["outputs"] if o.startswith("Error")] for tid, r in rows.items()}
    assert {tid: e for tid, e in errors.items() if e} == EXPECTED_ERRORS


def test_replay_is_deterministic_and_isolated():
    task = next(t for t in data().tasks if t.id == "task_087")
    first, second = replay_task(data(), task), replay_task(data(), task)
    assert first == second
    assert first["final_db_hash"] != data().environment(task).fingerprint()
    assert first["final_db_hash"] == first["final_user_db_hash"]  # one database for both sides


def test_final_states_from_first_principles():
    tasks = {t.id: t for t in data().tasks}
    env = data().environment(tasks["task_001"])
    for action in tasks["task_001"].actions:
        env.step(action.name, dict(action.arguments), requestor=action.requestor)
    key = hashlib.sha256(b"credit_card:Gold Rewards Card:Sarah Bosch:100000.0:True").digest()[:8].hex()
    assert env.db.dump()["credit_card_applications"]["data"][key] == {
        "application_id": key, "card_type": "Gold Rewards Card", "customer_name": "Sarah Bosch",
        "annual_income": 100000.0, "rho_bank_subscription": True, "status": "PENDING", "date": "11/14/2025"}
    assert replays()["task_001"]["final_db_hash"] == env.fingerprint()
    # task_026 runs with auto-resolved cash back disputes (its initial state) and logs the gold read tool
    dump = None
    env = data().environment(tasks["task_026"])
    for action in tasks["task_026"].actions:
        env.step(action.name, dict(action.arguments), requestor=action.requestor)
    dump = env.db.dump()
    assert {d["status"] for d in dump["cash_back_disputes"]["data"].values()} == {"RESOLVED"}
    assert [r["tool_name"] for r in dump["agent_discoverable_tools"]["data"].values()] == [
        "update_transaction_rewards_3847"]


def test_conformance_check_on_tau2_data():
    report = check_domain_data(data(), probes=150)
    assert report.ok, report.failed


@pytest.mark.parametrize("task_id", ["task_001", "task_026", "task_058", "task_087"])
def test_rescoring_gold_and_broken_conversations(task_id):
    from tests.eval.conftest import score_line
    from tests.eval.conversations import Mutation, conversation

    task = next(t for t in data().tasks if t.id == task_id)
    gold = score_line(task, data(), conversation(data(), task))
    assert gold["reward_info"]["reward"] == 1.0, gold["reward_info"]["info"]
    last_write = max(i for i, a in enumerate(task.actions)
                     if data().domain.agent.lookup(a.name) and data().domain.agent.lookup(a.name).mutates
                     or a.requestor == "user")
    broken = score_line(task, data(), conversation(data(), task, Mutation(drop=last_write)))
    assert broken["reward_info"]["reward"] == 0.0 and broken["reward_info"]["db_check"]["db_match"] is False

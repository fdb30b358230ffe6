"""Tasks whose right outcome is not a write: the mix, the refusal proof, and the kept conversations."""

from __future__ import annotations

import asyncio
import copy
import random

import pytest

from writ.data import load_data
from writ.sim import make_agent_factory, make_user_factory
from writ.sim.orchestrator import run_episode
from writ.tasks import AxisRange, generate_tasks
from writ.tasks.axes import DEFAULT_OUTCOMES, RangeError, parse_outcomes, target_cells
from writ.tasks.retail import GENERATOR
from writ.tasks.validate import validate_task
from writ.verify import verify_episode


@pytest.fixture(scope="module")
def mixed():
    data = load_data("retail", seed=0, scale=1.0)
    tasks, report = generate_tasks(data, 120, AxisRange(1, 4), AxisRange(0, 8), seed=11,
                                   outcomes={"write": 0.5, "refuse": 0.3, "transfer": 0.1, "inform": 0.1})
    return data, tasks, report


def test_parse_and_mix():
    assert parse_outcomes("write=3,refuse=1") == {"write": 0.75, "refuse": 0.25}
    assert parse_outcomes(None) is None
    for bad in ("write=x", "maybe=1", "write=-1", "write=0"):
        with pytest.raises(RangeError):
            parse_outcomes(bad)
    cells = target_cells(AxisRange(1, 3), AxisRange(0, 4), 400, random.Random(0),
                         outcomes={"write": 0.7, "refuse": 0.3})
    refused = [c for c in cells if c.outcome == "refuse"]
    assert 0.2 < len(refused) / 400 < 0.4 and all(c.writes == 0 for c in refused)
    plain = target_cells(AxisRange(1, 3), AxisRange(0, 4), 400, random.Random(0))
    assert ([c for c in cells if c.outcome == "write"]
            == [p for p, c in zip(plain, cells, strict=True) if c.outcome == "write"])


def test_the_mix_yields_every_outcome_each_with_no_write(mixed):
    data, tasks, report = mixed
    outcomes = {t.writ["outcome"] for t in tasks}
    assert {"write", "refuse", "transfer", "inform"} <= outcomes, report.to_json()
    for task in tasks:
        if task.writ["outcome"] != "write":
            assert task.writ["n_writes"] == 0
            assert not any(data.domain.is_write(a.name, a.requestor) for a in task.actions)
    assert report.outcomes == {"write": 0.5, "refuse": 0.3, "transfer": 0.1, "inform": 0.1}


def test_a_refusal_is_proven_and_a_wrong_one_is_rejected(mixed):
    data, tasks, _ = mixed
    refused = [t for t in tasks if t.writ.get("refusals")]
    assert refused
    for task in refused:
        assert validate_task(data, task, policy=GENERATOR.policy_violation) is None
    task = refused[0]
    meta = copy.deepcopy(task.writ)
    meta["refusals"][0]["name"] = "modify_user_address"  # a write the policy allows: the "refusal" is wrong
    meta["refusals"][0]["arguments"] = {"user_id": task.actions[0].arguments.get("user_id", "x")}
    wrong = task.model_copy(update={"writ": meta})
    assert "outcome" in (validate_task(data, wrong, policy=lambda env, action: None) or "")


def test_transfer_actions_do_not_compare_their_free_text(mixed):
    _, tasks, _ = mixed
    transfers = [a for t in tasks for a in t.actions if a.name == "transfer_to_human_agents"]
    assert transfers and all(a.compare_args == [] for a in transfers)


def test_every_outcome_is_kept_only_when_policy_correct(mixed):
    data, tasks, _ = mixed
    agent, user = make_agent_factory("scripted"), make_user_factory("scripted")
    kept = {}
    for task in [t for t in tasks if t.writ["outcome"] != "write"][:24]:
        episode = asyncio.run(run_episode(task, data.environment(task), agent(task, data, 0), user(task, data, 0)))
        verdict = verify_episode(episode, task, data)
        assert verdict.passed, (task.id, verdict.failures)
        kept[task.writ["outcome"]] = episode
    transfer = kept.get("transfer")
    if transfer is not None:
        assert transfer.termination == "transfer"


def test_default_mix_ends_without_a_write_in_at_least_a_tenth_of_retail_tasks():
    assert 1 - DEFAULT_OUTCOMES["retail"]["write"] >= 0.1
    data = load_data("retail", seed=0, scale=1.0)
    tasks, _ = generate_tasks(data, 100, AxisRange(1, 3), AxisRange(0, 6), seed=2)
    assert sum(t.writ["n_writes"] == 0 for t in tasks) >= 10

"""The one gold replay: both semantics, what it records, and a cache that can neither go stale nor grow."""

from __future__ import annotations

import gc
import weakref

import pytest

from tests.conftest import tau2_dir
from writ.core import ToolCall
from writ.data import DomainData, load_data
from writ.eval.reward import gold_state as eval_gold_state
from writ.replay import _CACHE, replay_gold, replay_task, replay_tasks
from writ.task import Task
from writ.verify.state import gold_state as verify_gold_state


def _task(task_id: str, actions: list[dict], initial_state: dict | None = None) -> Task:
    return Task.model_validate({"id": task_id, "initial_state": initial_state,
                                "evaluation_criteria": {"actions": actions}})


def _address_change(data: DomainData, user_index: int = 0, task_id: str = "t") -> Task:
    user_id = list(data.base.store().keys("users"))[user_index]
    return _task(task_id, [{"action_id": "0", "name": "modify_user_address", "arguments": {
        "user_id": user_id, "address1": "1 Main St", "address2": "", "city": "Austin", "state": "TX",
        "country": "USA", "zip": "78701"}}])


def _by_hand(data: DomainData, task: Task, sync: bool) -> tuple[str, str | None]:
    env = data.environment(task)
    env.run_sync()
    for action in task.actions:
        env.step(ToolCall(action.name, dict(action.arguments), requestor=action.requestor), sync=sync)
    return env.fingerprint(), env.user_fingerprint()


def test_both_semantics_on_tau2_telecom():
    """Without sync as tau2's evaluator, with sync as a live conversation; they differ on real tasks."""
    data = load_data("telecom", tau2_data=tau2_dir())
    differ = 0
    for task in data.tasks:
        evaluator, live = replay_gold(data, task), replay_gold(data, task, sync=True)
        assert (evaluator.db_hash, evaluator.user_db_hash) == _by_hand(data, task, sync=False)
        assert (live.db_hash, live.user_db_hash) == _by_hand(data, task, sync=True)
        assert (eval_gold_state(data, task).db, eval_gold_state(data, task).user_db) == _by_hand(data, task, False)
        assert verify_gold_state(data, task) == _by_hand(data, task, sync=True)
        differ += (evaluator.db_hash, evaluator.user_db_hash) != (live.db_hash, live.user_db_hash)
    assert differ, "no shipped telecom task tells the two semantics apart"


def test_results_failed_writes_and_a_broken_initial_state():
    data = load_data("retail", seed=0, scale=0.3)
    task = _task("t", [{"action_id": "0", "name": "get_order_details", "arguments": {"order_id": "#nope"}},
                       {"action_id": "1", "name": "cancel_pending_order",
                        "arguments": {"order_id": "#nope", "reason": "no longer needed"}}])
    gold = replay_gold(data, task)
    assert gold.errors == (True, True) and all(o.startswith("Error:") for o in gold.outputs)
    assert [f["action_id"] for f in gold.failed_writes] == ["1"]  # the failed read is no failed write
    assert replay_task(data, task)["outputs"] == list(gold.outputs)
    broken = _task("b", [], {"initialization_actions": [{"env_type": "assistant", "func_name": "no_such_helper"}]})
    assert "initial state could not be applied" in replay_gold(data, broken).error
    with pytest.raises(ValueError, match="initial state could not be applied"):
        replay_task(data, broken)
    rows = list(replay_tasks(data, [broken, task]))
    assert "failure" in rows[0] and rows[1]["errors"] == [True, True]
    assert eval_gold_state(data, broken).error
    with pytest.raises(ValueError, match="initial state could not be applied"):
        verify_gold_state(data, broken)


def test_variants_share_one_replay_and_a_copy_is_private():
    data = load_data("retail", seed=0, scale=0.3)
    first, variant = _address_change(data, 0, "t"), _address_change(data, 0, "t#variant")
    assert replay_gold(data, first) is replay_gold(data, variant)
    assert replay_gold(data, first) is not replay_gold(data, first, sync=True)
    copy = replay_gold(data, first).final_environment()
    copy.step("modify_user_address", {**first.actions[0].arguments, "city": "Elsewhere"})
    assert replay_gold(data, first).environment.fingerprint() == replay_gold(data, first).db_hash


def test_the_cache_is_bounded(monkeypatch):
    data = load_data("retail", seed=0, scale=0.3)
    monkeypatch.setattr(_CACHE, "size", 3)
    tasks = [_address_change(data, i, f"t{i}") for i in range(6)]
    for task in tasks:
        replay_gold(data, task)
    assert len(data.base.memo["gold_replays"]) == 3
    assert replay_gold(data, tasks[-1]) is replay_gold(data, tasks[-1])  # the newest stay


def test_the_cache_dies_with_its_database_and_never_answers_for_another():
    """No global table keyed by id(): a dropped database is freed, and a new one (whatever its id) replays anew."""
    task = None
    hashes: dict[str, set] = {"generated": set(), "tau2": set()}
    for source in ("generated", "tau2", "generated", "tau2"):
        data = load_data("retail", tau2_data=tau2_dir()) if source == "tau2" else load_data("retail", seed=0, scale=0.3)
        task = task or _address_change(data, 0)
        hashes[source].add(replay_gold(data, task).db_hash)
        assert replay_gold(data, task).db_hash == replay_gold(data, task, cache=False).db_hash
        if source == "tau2":  # loaded afresh each time (generated databases are shared on purpose)
            dead = weakref.ref(data.base)
            del data
            gc.collect()
            assert dead() is None, "the replay cache kept a dropped database alive"
    assert len(hashes["generated"]) == len(hashes["tau2"]) == 1 and hashes["generated"] != hashes["tau2"]


def test_a_different_user_database_is_not_served_from_the_cache():
    data = load_data("telecom", seed=0)
    dump = data.user_base.store().dump()
    other_user = data.domain.user_base({**dump, "surroundings": {**dump["surroundings"], "is_abroad": True}})
    twin = DomainData(data.domain, data.base, other_user, data.policy, data.source)
    task = _task("t", [])
    assert replay_gold(data, task).user_db_hash != replay_gold(twin, task).user_db_hash

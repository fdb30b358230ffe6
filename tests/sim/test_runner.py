"""The runner with scripted actors: passes, sequential attempts, failures recorded, resume, judges."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from tests.sim.conftest import mock_task, mock_tasks
from writ.core import ModelFailure, Turn
from writ.data import load_data
from writ.sim import DataResolver, Limits, RunStore, RunStoreError, simulate
from writ.sim import make_agent_factory as _agents
from writ.task import Task


def run(tasks, run_dir, agent, user, **options):
    options.setdefault("progress", False)
    return asyncio.run(simulate(tasks, resolve_data=DataResolver("mock"), agent_factory=agent, user_factory=user,
                                run_dir=run_dir, **options))


def outcomes(run_dir) -> dict:
    with RunStore.read(run_dir) as store:
        return {(e.task_id, e.attempt): (e.messages, e.termination, e.passed) for e in store.episodes()}


class Raising:
    """An agent whose model fails (ModelFailure) or whose code has a bug (anything else)."""

    name = "raising"

    def __init__(self, exc: Exception):
        self.exc = exc

    async def act(self, messages):
        raise self.exc


def test_scripted_pair_passes_every_task(tmp_path, scripted):
    tasks = mock_tasks(12)
    summary = run(tasks, tmp_path / "r", *scripted, concurrency=4)
    assert (summary.tasks, summary.kept, summary.failed, summary.pending) == (12, 12, 0, 0)
    assert summary.episodes == summary.new_episodes == 12 and summary.failures == {}
    with RunStore.read(tmp_path / "r") as store:
        stored = store.tasks()
        assert set(stored) == {t.id for t in tasks} and all(s.gold_db_hash for s in stored.values())
        episodes = list(store.episodes())
        assert all(e.attempt == 0 and e.passed and e.termination == "user_stop" for e in episodes)
        assert all(e.final_db_hash == e.gold_db_hash and e.verdicts["db"] for e in episodes)
        assert store.config["agent"] == {"spec": "scripted", "seed": 0} and store.config["attempts"] == 3
    # the write really happened, and a no-action task leaves the database as it was
    write = next(e for e in episodes if e.task_id.startswith("write"))
    ask = next(e for e in episodes if e.task_id.startswith("ask"))
    base = load_data("mock").environment().fingerprint()
    assert write.final_db_hash != base and ask.final_db_hash == base


def test_episodes_depend_only_on_task_and_attempt(tmp_path, scripted):
    tasks = mock_tasks(9)
    run(tasks, tmp_path / "a", *scripted, concurrency=1)
    run(list(reversed(tasks)), tmp_path / "b", *scripted, concurrency=5)
    assert outcomes(tmp_path / "a") == outcomes(tmp_path / "b")


def test_attempts_run_in_order_until_one_passes(tmp_path, scripted):
    def flaky(task, data, attempt):  # the model is down for the first attempt only
        return Raising(ModelFailure("endpoint down")) if attempt == 0 else _agents("scripted")(task, data, attempt)

    summary = run(mock_tasks(3), tmp_path, flaky, scripted[1])
    assert summary.kept == 3 and summary.episodes == 6 and summary.failures == {"agent_error": 3}
    with RunStore.read(tmp_path) as store:
        assert store.finished() == {t: {0: False, 1: True} for t in ("write-0000", "ask-0001", "status-0002")}
        first = store.episode("write-0000", 0)
        assert first.termination == "agent_error" and first.error == "endpoint down" and not first.passed


def test_a_crash_is_a_recorded_failure_and_the_run_goes_on(tmp_path, scripted):
    tasks = mock_tasks(4)

    def buggy(task, data, attempt):
        if task.id == "write-0000":
            return Raising(KeyError("oops"))
        if task.id == "ask-0001":
            raise RuntimeError("cannot build the agent")
        return scripted[0](task, data, attempt)

    summary = run(tasks, tmp_path, buggy, scripted[1], attempts=2)
    assert (summary.kept, summary.failed) == (2, 2) and summary.failures == {"crash": 4}
    with RunStore.read(tmp_path) as store:
        crash = store.episode("write-0000", 1)
        assert crash.termination == "crash" and crash.error == "agent: KeyError: 'oops'"
        assert store.episode("ask-0001", 0).error == "setup: RuntimeError: cannot build the agent"
        assert store.episode("status-0002", 0).passed


def test_limits_truncate_and_fail(tmp_path, scripted):
    summary = run(mock_tasks(3), tmp_path, *scripted, limits=Limits(max_steps=8), attempts=2)
    assert (summary.kept, summary.failed) == (1, 2)  # only the 6-message question fits in 8 messages
    assert summary.failures == {"max_steps": 4}


def test_custom_judges(tmp_path, scripted):
    async def strict(episode, task, data):
        await asyncio.sleep(0)
        return {"passed": episode.task_id.startswith("ask"), "why": "only questions"}

    summary = run(mock_tasks(3), tmp_path / "a", *scripted, judge=strict, attempts=1)
    assert summary.kept == 1 and summary.failures == {"user_stop rejected": 2}
    with RunStore.read(tmp_path / "a") as store:
        assert store.episode("ask-0001", 0).verdicts == {"passed": True, "why": "only questions"}

    def broken(episode, task, data):
        raise ZeroDivisionError("bad judge")

    summary = run(mock_tasks(2), tmp_path / "b", *scripted, judge=broken, attempts=1)
    assert summary.failures == {"crash": 2}
    with RunStore.read(tmp_path / "b") as store:
        assert store.episode("write-0000", 0).error == "judge: ZeroDivisionError: bad judge"


def test_resume_repeats_nothing_and_loses_nothing(tmp_path, scripted):
    tasks = mock_tasks(9)
    flaky_calls = []

    def flaky(task, data, attempt):
        flaky_calls.append((task.id, attempt))
        return Raising(ModelFailure("down")) if attempt == 0 else scripted[0](task, data, attempt)

    run(tasks, tmp_path / "full", flaky, scripted[1])
    reference = outcomes(tmp_path / "full")
    run(tasks, tmp_path / "cut", flaky, scripted[1])
    with sqlite3.connect(tmp_path / "cut" / "run.db") as db:  # as if killed with these in flight
        db.execute("DELETE FROM episodes WHERE attempt = 1 AND task_id LIKE 'write%'")
        db.execute("DELETE FROM episodes WHERE task_id = 'ask-0004'")
    flaky_calls.clear()
    summary = run(tasks, tmp_path / "cut", flaky, scripted[1])
    assert sorted(flaky_calls) == [("ask-0004", 0), ("ask-0004", 1), ("write-0000", 1), ("write-0003", 1),
                                   ("write-0006", 1)]
    assert summary.new_episodes == 5 and summary.resumed_episodes == 13
    assert outcomes(tmp_path / "cut") == reference
    flaky_calls.clear()
    assert run(tasks, tmp_path / "cut", flaky, scripted[1]).new_episodes == 0 and flaky_calls == []


def test_resume_needs_the_same_config(tmp_path, scripted):
    tasks = mock_tasks(3)
    run(tasks, tmp_path, *scripted)
    with pytest.raises(RunStoreError, match=r"n_tasks, tasks_sha256 differ \(n_tasks: 2 now, 3 there\)"):
        run(tasks[:2], tmp_path, *scripted)
    with pytest.raises(RunStoreError, match="attempts: 1 now, 3 there"):
        run(tasks, tmp_path, *scripted, attempts=1)
    assert run(tasks, tmp_path, *scripted, attempts=1, overwrite=True).new_episodes == 3


def test_a_task_whose_gold_cannot_replay_is_recorded(tmp_path, scripted):
    bad = Task.model_validate({**mock_task(0, "write").to_json(), "id": "bad",
                               "initial_state": {"initialization_actions": [{"func_name": "no_such_helper"}]}})
    summary = run([bad, mock_task(1, "ask")], tmp_path, *scripted, attempts=2)
    assert (summary.kept, summary.failed) == (1, 1)
    with RunStore.read(tmp_path) as store:
        assert "no_such_helper" in store.tasks()["bad"].gold_error
        assert [e.termination for e in store.episodes(task_id="bad")] == ["crash", "crash"]
        assert store.episode("bad", 0).error.startswith("setup: ToolError")


def test_bad_arguments(tmp_path, scripted):
    with pytest.raises(ValueError, match="duplicate task id 'write-0000'"):
        run([mock_task(0, "write")] * 2, tmp_path, *scripted)
    with pytest.raises(ValueError, match="at least 1"):
        run(mock_tasks(1), tmp_path, *scripted, attempts=0)


def test_concurrency_bounds_tasks_in_flight(tmp_path, scripted):
    live = {"now": 0, "peak": 0}

    class Slow:
        name = "slow"

        def __init__(self, inner):
            self.inner = inner

        async def act(self, messages):
            live["now"] += 1
            live["peak"] = max(live["peak"], live["now"])
            await asyncio.sleep(0.002)
            live["now"] -= 1
            return await self.inner.act(messages)

    summary = run(mock_tasks(20), tmp_path, lambda t, d, a: Slow(scripted[0](t, d, a)), scripted[1], concurrency=5)
    assert summary.kept == 20 and live["peak"] == 5


def test_usage_is_summed(tmp_path, scripted):
    class Paid:
        name = "paid"

        def __init__(self, inner):
            self.inner = inner

        async def act(self, messages):
            turn: Turn = await self.inner.act(messages)
            turn.usage = {"prompt_tokens": 100, "completion_tokens": 10, "cost": 0.001}
            return turn

    summary = run(mock_tasks(2), tmp_path, lambda t, d, a: Paid(scripted[0](t, d, a)), scripted[1])
    assert summary.prompt_tokens > 0 and summary.prompt_tokens == 10 * summary.completion_tokens
    assert summary.cost == pytest.approx(summary.completion_tokens / 10 * 0.001)

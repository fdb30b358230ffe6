"""The Ray executor on a real local cluster: same dataset as the local executor, and no episode lost
or stored twice when a worker process is killed mid-run or the driver is interrupted.

Ray tests share one light cluster (`ray_cluster` in conftest: 2 CPUs, no dashboard) and are skipped,
with the reason, where the ``[ray]`` extra is absent. The judges below run inside Ray workers; they
are sent by value (``register_pickle_by_value``) since workers cannot import this test module.
"""

from __future__ import annotations

import asyncio
import json
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.sim.conftest import mock_tasks, write_tasks_file
from writ.sim import (
    DataResolver,
    ExecutorError,
    RayExecutor,
    RunStore,
    hash_judge,
    make_agent_factory,
    make_executor,
    make_user_factory,
)
from writ.synth import load_config, run_synth


@pytest.fixture
def by_value(ray_cluster):
    import ray.cloudpickle

    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    yield
    ray.cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


class KillOnce:
    """Judges like `hash_judge`, but SIGKILLs its own (worker) process the first time it sees `task_id`."""

    config = "hash_judge"  # same run identity as the local comparison run

    def __init__(self, task_id: str, marker: Path):
        self.task_id, self.marker = task_id, marker

    def __call__(self, episode, task, data):
        if task.id == self.task_id and not self.marker.exists():
            self.marker.write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)
        return hash_judge(episode, task, data)


class Slow:
    """`hash_judge` after a short sleep, so a run lasts long enough to be interrupted."""

    config = "hash_judge"

    def __init__(self, seconds: float):
        self.seconds = seconds

    async def __call__(self, episode, task, data):
        await asyncio.sleep(self.seconds)
        return hash_judge(episode, task, data)


def stored(run_dir: Path) -> list[tuple]:
    with RunStore.read(run_dir) as store:
        rows = store.conn.execute("SELECT COUNT(*), COUNT(DISTINCT task_id || '#' || attempt) FROM episodes").fetchone()
        assert rows[0] == rows[1], "an episode was stored twice"
        return [(e.task_id, e.attempt, e.passed, e.termination, json.dumps(e.messages),
                 json.dumps(e.verdicts, sort_keys=True))
                for e in store.episodes()]


def all_cpus_free(seconds: float = 10.0) -> bool:
    import ray

    deadline = time.monotonic() + seconds
    while ray.available_resources().get("CPU", 0) < ray.cluster_resources().get("CPU", 0):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def sim(executor, tasks, run_dir: Path, judge=None, **kw):
    return executor.simulate(tasks, resolve_data=DataResolver("mock"),
                             agent_factory=make_agent_factory("scripted", seed=1),
                             user_factory=make_user_factory("scripted", seed=1), run_dir=run_dir, progress=False,
                             judge=judge or hash_judge, **kw)


# -- without a cluster -----------------------------------------------------------------------------
def test_factories_and_resolvers_cross_processes_by_spec():
    agent = pickle.loads(pickle.dumps(make_agent_factory("scripted", seed=7)))
    assert agent.spec == "scripted" and agent.config == {"spec": "scripted", "seed": 7}
    resolver = DataResolver("mock")
    resolver(mock_tasks(1)[0])
    assert resolver._cache and not pickle.loads(pickle.dumps(resolver))._cache  # the cache stays home


def test_executor_choice_errors_are_one_line():
    with pytest.raises(ExecutorError, match="local or ray"):
        make_executor("dask")
    with pytest.raises(ExecutorError, match="at least 1"):
        make_executor("ray", workers=0)
    proc = subprocess.run([sys.executable, "-m", "writ", "simulate", "x.json", "--run", "r", "--workers", "2"],
                          capture_output=True, text=True)
    assert (proc.returncode == 2
            and proc.stderr.strip() == "writ: error: --address and --workers apply to --executor ray only")


# -- on the cluster ----------------------------------------------------------------------------------
def test_synth_on_ray_gives_the_local_dataset_byte_for_byte(tmp_path, ray_cluster):
    """`writ synth --executor ray` (a second driver joining the cluster) against the local executor.

    Both jobs use the same --out (the local one is moved aside first): manifests name the run path.
    """
    job, local = tmp_path / "job", tmp_path / "local"
    overrides = {"domains": ["retail"], "tasks.n": 16, "users.variants": 2, "simulate.attempts": 2,
                 "export.formats": ["openai", "trl", "sharegpt"], "report": False}
    result = run_synth(load_config(None, {"out": str(job), **overrides}), progress=False, say=lambda s: None)
    job.rename(local)
    proc = subprocess.run([sys.executable, "-m", "writ", "synth", "--domain", "retail", "--n", "16", "--variants", "2",
                           "--attempts", "2", "--format", "openai", "--format", "trl", "--format", "sharegpt",
                           "--out", str(job), "--no-progress", "--executor", "ray", "--address", ray_cluster,
                           "--workers", "2"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert result.kept > 0 and f"{result.kept} kept trajectories" in " ".join((proc.stdout + proc.stderr).split())
    for name in ("tasks.retail.json", "tasks.diverse.json"):
        assert (job / name).read_bytes() == (local / name).read_bytes(), name
    reports = [json.loads((d / "tasks.retail.report.json").read_text()) for d in (local, job)]
    assert [{k: v for k, v in r.items() if k != "seconds"} for r in reports] == [
        {k: v for k, v in reports[0].items() if k != "seconds"}] * 2
    assert stored(job / "run") == stored(local / "run")
    with RunStore.read(job / "run") as store:
        assert store.sessions[-1]["executor"] == "ray" and store.sessions[-1]["workers"] == 2
    exported = sorted(p.relative_to(local) for p in (local / "export").rglob("*") if p.is_file())
    assert exported and exported == sorted(p.relative_to(job) for p in (job / "export").rglob("*") if p.is_file())
    for rel in exported:
        assert (job / rel).read_bytes() == (local / rel).read_bytes(), rel


def test_simulate_command_on_ray_equals_local_and_resumes_across_executors(tmp_path, ray_cluster):
    """`writ simulate --executor ray` fills the store the local command fills; the executor is not
    part of the run's identity, so the local command continues the Ray run (here: nothing left)."""
    tasks_file = write_tasks_file(tmp_path / "tasks.json", mock_tasks(24))

    def command(run: str, *extra: str) -> subprocess.CompletedProcess:
        proc = subprocess.run([sys.executable, "-m", "writ", "simulate", str(tasks_file), "--run", str(tmp_path / run),
                               "--no-progress", "--attempts", "2", *extra], capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr[-2000:]
        return proc

    on_ray = command("ray", "--executor", "ray", "--address", ray_cluster, "--workers", "2")
    assert "24 tasks" in on_ray.stderr
    command("local")
    assert stored(tmp_path / "ray") == stored(tmp_path / "local")
    assert "0 simulated now" in command("ray").stderr
    with RunStore.read(tmp_path / "ray") as store:
        assert [s.get("executor") for s in store.sessions] == ["ray", None]


def test_a_killed_worker_loses_only_its_in_flight_episodes(tmp_path, by_value):
    tasks = mock_tasks(60)
    marker = tmp_path / "killed"
    executor = RayExecutor(workers=2)
    summary = asyncio.run(sim(executor, tasks, tmp_path / "ray", KillOnce(tasks[20].id, marker), concurrency=6,
                              attempts=2))
    assert marker.exists() and int(marker.read_text()) != os.getpid()  # a worker process died, not this one
    assert executor.last_dispatch.deaths == 1
    local = asyncio.run(sim(make_executor("local"), tasks, tmp_path / "local", concurrency=6, attempts=2))
    assert stored(tmp_path / "ray") == stored(tmp_path / "local")  # nothing lost, nothing twice, same content
    assert (summary.kept, summary.failed, summary.episodes) == (local.kept, local.failed, local.episodes)


def test_an_interrupted_ray_run_resumes_like_a_local_one(tmp_path, by_value):
    tasks = mock_tasks(48)
    run_dir = tmp_path / "ray"

    async def interrupted() -> None:
        job = asyncio.create_task(sim(RayExecutor(workers=2), tasks, run_dir, Slow(0.05), concurrency=2, attempts=2))
        while not job.done():
            await asyncio.sleep(0.02)
            if (run_dir / "run.db").exists():
                with RunStore.read(run_dir) as store:
                    if store.counts()["episodes"] >= 8:
                        job.cancel()
                        break
        with pytest.raises(asyncio.CancelledError):
            await job

    asyncio.run(interrupted())
    assert all_cpus_free()  # the interrupted run's workers were ended, not left behind
    partial = len(stored(run_dir))
    assert 8 <= partial < len(tasks)
    resumed = asyncio.run(sim(RayExecutor(workers=2), tasks, run_dir, Slow(0.0), concurrency=4, attempts=2))
    assert resumed.resumed_episodes == partial and resumed.new_episodes + partial == resumed.episodes
    asyncio.run(sim(make_executor("local"), tasks, tmp_path / "local", Slow(0.0), concurrency=4, attempts=2))
    assert stored(run_dir) == stored(tmp_path / "local")


def test_without_streaming_as_through_ray_client_the_store_is_the_same(tmp_path, ray_cluster, monkeypatch):
    """Ray Client (``ray://``) cannot stream actor results: one call per task instead, same episodes."""
    import writ.sim.executor as executor_module

    monkeypatch.setattr(executor_module, "client_mode", lambda ray: True)
    tasks = mock_tasks(30)
    executor = RayExecutor(workers=2)
    asyncio.run(sim(executor, tasks, tmp_path / "ray", concurrency=4, attempts=2))
    assert executor.last_dispatch.stream is False
    asyncio.run(sim(make_executor("local"), tasks, tmp_path / "local", concurrency=4, attempts=2))
    assert stored(tmp_path / "ray") == stored(tmp_path / "local")


def test_an_unpicklable_judge_is_refused_in_one_line(tmp_path, ray_cluster):
    import threading

    lock = threading.Lock()

    def judge(episode, task, data):
        with lock:
            return True

    with pytest.raises(ExecutorError, match="cannot send the judge to Ray workers"):
        asyncio.run(sim(RayExecutor(workers=1), mock_tasks(3), tmp_path / "run", judge))

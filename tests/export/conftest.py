"""A small real run for the export tests, simulated once per session with the scripted actors.

It mixes what an export must handle: generated retail tasks with behaviour variants (several
tasks per stem), telecom tasks (the user's own device calls, which the agent never sees) and mock
tasks that name no ``db_source`` (their policy comes from the source the run config recorded).
A second run with the same config repeats every episode byte for byte, for dedup.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from tests.sim.conftest import mock_tasks
from writ.data import load_data
from writ.sim import DataResolver, RunStore, make_agent_factory, make_user_factory, simulate
from writ.task import Task
from writ.tasks import AxisRange, generate_tasks
from writ.users.diversify import diversify


def build_tasks() -> list[Task]:
    tasks: list[Task] = []
    for domain, n in (("retail", 3), ("telecom", 2)):
        data = load_data(domain, seed=3, scale=0.3)
        generated, _ = generate_tasks(data, n, AxisRange(1, 3), AxisRange(0, 3), seed=0)
        variants, _ = diversify(generated, variants=2, seed=0)
        tasks += generated + variants
    return tasks + mock_tasks(3, with_source=False)


def simulate_run(run_dir: Path, tasks: list[Task]) -> Path:
    asyncio.run(simulate(tasks, resolve_data=DataResolver("mock"), agent_factory=make_agent_factory("scripted"),
                         user_factory=make_user_factory("scripted"), run_dir=run_dir, progress=False))
    return run_dir


@pytest.fixture(scope="session")
def runs(tmp_path_factory) -> tuple[Path, Path]:
    """Two runs of the same tasks and config: identical kept episodes."""
    root = tmp_path_factory.mktemp("runs")
    tasks = build_tasks()
    a = simulate_run(root / "a", tasks)
    b = simulate_run(root / "b", tasks)
    with RunStore.read(a) as store:
        assert store.counts()["passed"] == len(tasks), "the scripted pair should keep every task"
    return a, b


@pytest.fixture
def run_copy(runs, tmp_path) -> Path:
    """A private copy of run a, for tests that damage it."""
    return Path(shutil.copytree(runs[0], tmp_path / "copy"))

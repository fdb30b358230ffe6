"""Shared pieces of the simulation tests: small mock-domain tasks built here, and actor factories.

The tasks run on the generated mock database (``load_data("mock")``, seed 0), so these tests need
neither tau2's data nor any other domain. Three kinds, chosen so a run has passes and failures:

* ``write``: create a task for user_1 (a confirmed write);
* ``status``: mark task_2 completed (another write);
* ``ask``: no gold action at all (a question the agent answers).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from writ.data import DomainData, load_data
from writ.sim import make_agent_factory, make_user_factory
from writ.task import Task

SOURCE = "generated:seed=0,scale=1.0"


def mock_task(i: int, kind: str, *, with_source: bool = True) -> Task:
    actions: list[dict[str, Any]] = []
    reason = "I have a quick question about how the task tracker works."
    frame: dict[str, Any] = {"family": "question"}
    if kind == "write":
        actions = [{"action_id": f"a{i}", "name": "create_task",
                    "arguments": {"user_id": "user_1", "title": f"Item {i}"}}]
        reason = f"You want a new task called 'Item {i}' for user_1."
        frame = {"family": "create", "user_id": "user_1", "title": f"Item {i}"}
    elif kind == "status":
        actions = [{"action_id": f"a{i}", "name": "update_task_status",
                    "arguments": {"task_id": "task_2", "status": "completed"}}]
        reason = "You want task_2 marked as completed."
        frame = {"family": "status", "task_id": "task_2", "status": "completed"}
    raw = {
        "id": f"{kind}-{i:04d}",
        "user_scenario": {"instructions": {"domain": "mock", "reason_for_call": reason,
                                           "task_instructions": "Be brief."}},
        "evaluation_criteria": {"actions": actions, "reward_basis": ["DB"]},
        "writ": {"requests": [{"frame": frame, "writes": [0] if actions else [],
                               "outcome": "write" if actions else "inform"}]},
    }
    if with_source:
        raw["writ"]["db_source"] = SOURCE
    return Task.model_validate(raw)


def mock_tasks(n: int, *, with_source: bool = True) -> list[Task]:
    kinds = ("write", "ask", "status")
    return [mock_task(i, kinds[i % 3], with_source=with_source) for i in range(n)]


def write_tasks_file(path: Path, tasks: list[Task]) -> Path:
    path.write_text(json.dumps([t.to_json() for t in tasks]), encoding="utf-8")
    return path


@pytest.fixture
def mock_data() -> DomainData:
    return load_data("mock")


@pytest.fixture
def scripted():
    return make_agent_factory("scripted"), make_user_factory("scripted")


@pytest.fixture(scope="session")
def ray_cluster():
    """A real local Ray cluster (head and two worker slots on this machine), shared by the Ray tests.

    Skipped where the ``[ray]`` extra is absent. Light on purpose: 2 CPUs, no dashboard. Yields
    the GCS address, which a second driver (a `writ` subprocess) joins with ``--address``.
    """
    ray = pytest.importorskip("ray", reason="the ray extra is not installed (pip install 'writ[ray]')")
    if ray.is_initialized():
        ray.shutdown()
    context = ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="warning")
    try:
        yield context.address_info["gcs_address"]
    finally:
        ray.shutdown()

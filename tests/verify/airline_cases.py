"""Airline tasks and the episodes the offline pair plays on them, made once per test session.

Shared by the airline tests of the teacher, the customer and the information-flow rules: a small
generated database, tasks from the real generator (default outcome mix), and one scripted episode
per task.
"""

from __future__ import annotations

import asyncio
from typing import Any

from writ.agents.scripted import scripted_teacher
from writ.data import load_data
from writ.sim.orchestrator import run_episode
from writ.tasks import AxisRange, generate_tasks
from writ.users.scripted import ScriptedUser

_CACHE: dict[str, Any] = {}


def airline_data():
    if "data" not in _CACHE:
        _CACHE["data"] = load_data("airline", seed=5, scale=0.6)
    return _CACHE["data"]


def airline_tasks(n: int = 70):
    key = f"tasks/{n}"
    if key not in _CACHE:
        _CACHE[key] = generate_tasks(airline_data(), n, AxisRange(1, 4), AxisRange(0, 8), seed=11)[0]
    return _CACHE[key]


def play(data, task, seed: int = 0):
    teacher = scripted_teacher(data.domain.name, seed=f"{task.id}/{seed}")
    return asyncio.run(run_episode(task, data.environment(task), teacher, ScriptedUser(task, seed=seed)))


def played(n: int = 70) -> list[tuple[Any, Any]]:
    """(task, episode) for every task, played once."""
    key = f"played/{n}"
    if key not in _CACHE:
        data = airline_data()
        _CACHE[key] = [(task, play(data, task)) for task in airline_tasks(n)]
    return _CACHE[key]


def families(task) -> list[str]:
    return [r["frame"].get("family") for r in task.writ["requests"]]


def find(predicate) -> tuple[Any, Any]:
    """The first (task, episode) the predicate accepts."""
    return next((t, e) for t, e in played() if predicate(t, e))

"""Shared pieces of the evaluation tests: tau2 data, generated tasks, recorded conversations."""

from __future__ import annotations

import asyncio
from functools import cache
from typing import Any

from tests.conftest import tau2_dir
from writ.data import DomainData, load_data
from writ.eval.conversation import canonical_messages
from writ.eval.judge import score_episode
from writ.task import Task
from writ.tasks import AxisRange, generate_tasks

GENERATED_DOMAINS = ("retail", "airline", "telecom")


@cache
def tau2_data(domain: str) -> DomainData:
    return load_data(domain, tau2_data=tau2_dir())


@cache
def generated(domain: str, n: int = 6) -> tuple[DomainData, tuple[Task, ...]]:
    """`n` writ-generated tasks of `domain` (writes 1-3, evidence 0-5) on the seed-0 database."""
    data = load_data(domain, seed=0)
    tasks, _ = generate_tasks(data, n, AxisRange(1, 3), AxisRange(0, 5), seed=0, outcomes={"write": 1.0})
    assert tasks, f"the {domain} generator produced no task"
    return data, tuple(tasks)


def score_line(task: Task, data: DomainData, line: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return asyncio.run(score_episode(task, data, canonical_messages(line["messages"]),
                                     line["termination_reason"], **kw))

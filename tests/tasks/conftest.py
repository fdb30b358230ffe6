"""Shared by the task-generator tests: 500 tasks per domain and database, generated once per session."""

from __future__ import annotations

import time

from tests.conftest import tau2_dir
from writ.data import load_data
from writ.tasks import AxisRange, generate_tasks

WRITES, EVIDENCE = AxisRange(1, 5), AxisRange(0, 12)
_CACHE: dict[tuple[str, str], tuple] = {}


def load_source(domain: str, source: str):
    """`source` is "tau2" (tau2's shipped database; skips with a reason when absent) or "generated"."""
    if source == "tau2":
        return load_data(domain, tau2_data=tau2_dir())
    return load_data(domain, seed=0, scale=1.0)


def five_hundred(domain: str, source: str):
    """(data, tasks, report, seconds) for 500 write tasks over writes 1-5 x evidence 0-12, seed 0 (the
    outcome mix, which adds tasks without writes, has tests of its own)."""
    key = (domain, source)
    if key not in _CACHE:
        data = load_source(domain, source)
        start = time.perf_counter()
        tasks, report = generate_tasks(data, 500, WRITES, EVIDENCE, seed=0, outcomes={"write": 1.0})
        _CACHE[key] = (data, tasks, report, time.perf_counter() - start)
    return _CACHE[key]

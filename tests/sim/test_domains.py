"""The scripted pair on real domains: writ's generated tasks all pass; tau2's own are refused.

The scripted teacher works each request out from what it is told and reads, and the scripted user
speaks from the task's frames, so every failure here is a disagreement between the live protocol
(per-call sync, confirmations, user device calls), the teacher's skills and the gold replay, i.e.
a bug in a domain, a task generator, a skill or the runner.
"""

from __future__ import annotations

import asyncio

import pytest

from writ.data import load_data
from writ.sim import DataResolver, RunStore, simulate

DOMAINS = ["mock", "retail", "airline", "telecom"]


def _failures(run_dir) -> list[str]:
    with RunStore.read(run_dir) as store:
        return [f"{e.task_id}: {e.termination} {e.verdicts} {e.error}" for e in store.episodes(passed=False)]


def test_tau2_tasks_are_refused_up_front(tau2):
    """tau2's own tasks carry no request frames; the scripted pair names that before anything runs."""
    from writ.sim import ActorSpecError, check_tasks

    for domain in DOMAINS:
        tasks = load_data(domain, tau2_data=tau2).tasks
        with pytest.raises(ActorSpecError,
                           match=rf"--agent scripted plays only writ-generated tasks.*{len(tasks)} of {len(tasks)}"):
            check_tasks("scripted", "scripted", tasks)
        check_tasks("openai:m", "openai:m", tasks)  # an LLM pair plays them


@pytest.mark.parametrize("domain", ["retail", "airline", "telecom"])
def test_generated_tasks_pass(domain, tmp_path, scripted):
    from writ.tasks import AxisRange, generate_tasks

    tasks, _ = generate_tasks(load_data(domain, seed=0), 24, AxisRange(1, 3), AxisRange(0, 6), seed=0)
    assert tasks, f"the {domain} generator produced no tasks"
    # the tasks carry their own domain and db_source: no command-line data needed
    summary = asyncio.run(simulate(tasks, resolve_data=DataResolver(), agent_factory=scripted[0],
                                   user_factory=scripted[1], run_dir=tmp_path, attempts=1, progress=False))
    assert summary.kept == len(tasks), _failures(tmp_path)[:5]

"""Language and behaviour quality of a run's kept conversations (figures, not a test).

    python bench/bench_quality.py RUN [RUN ...]      (a run directory or a synth job)

Prints per run: distinct agent and user sentences after masking names, ids, emails, numbers and
amounts; the share of agent sentences covered by the 15 most common openings; template debris;
calculate use; outcomes of the tasks; the share of conversations where the agent asked for a detail.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from writ.report.quality import quality
from writ.sim.runstore import RunStore


def run_quality(path: str) -> dict:
    job_run = Path(path) / "run"
    store = RunStore.read(job_run if (job_run / "run.db").is_file() else path)
    tasks = store.tasks()
    convs, outcomes, asked = [], [], []
    for ep in store.episodes(passed=True):
        convs.append(ep.messages)
        task = tasks.get(ep.task_id)
        meta = (task.task.get("writ") if task is not None and isinstance(task.task, dict) else None) or {}
        outcomes.append(meta.get("outcome", "write"))
        flow = ((ep.verdicts.get("checks") or {}).get("information_flow") or {}).get("details") or {}
        asked.append(int(flow.get("questions", 0)))
    return quality(convs, outcomes, asked)


if __name__ == "__main__":
    for path in sys.argv[1:]:
        q = run_quality(path)
        q.pop("top_openings")
        print(path, json.dumps(q, indent=1))

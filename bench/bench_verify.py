"""Verification throughput: every verifier on every episode of a run, episodes per second.

The target: verifying a 10,000-episode run takes less time than simulating 1% of it (100 episodes)
with an LLM. With a teacher that needs ~10 model calls of ~2 s per episode at concurrency 64, 100
episodes take ~30 s of wall time; the figure below says how long 10,000 verifications take.

    .venv/bin/python bench/bench_verify.py [RUN_DIR]   (default: a fresh offline retail run)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from writ.sim.runstore import RunStore
from writ.sim.sources import DataResolver
from writ.synth import load_config, run_synth
from writ.task import Task
from writ.verify import verify_episode


def main() -> None:
    if len(sys.argv) > 1:
        run = Path(sys.argv[1])
    else:
        out = Path(tempfile.mkdtemp()) / "job"
        cfg = load_config(None, {"out": str(out), "domains": ["retail"], "tasks.n": 200, "users.variants": 2,
                                 "report": False, "export.formats": ["openai"]})
        run_synth(cfg, progress=False, say=lambda line: None)
        run = out / "run"
    store = RunStore.read(run)
    tasks = {tid: Task.model_validate(row.task) for tid, row in store.tasks().items()}
    episodes = list(store.episodes())
    resolver = DataResolver()
    for ep in episodes[:5]:  # warm the database and gold caches outside the timing
        verify_episode(ep, tasks[ep.task_id], resolver(tasks[ep.task_id]))
    start = time.perf_counter()
    kept = sum(verify_episode(ep, tasks[ep.task_id], resolver(tasks[ep.task_id])).passed for ep in episodes)
    seconds = time.perf_counter() - start
    rate = len(episodes) / seconds
    print(f"{len(episodes)} episodes verified in {seconds:.2f}s: {rate:.0f} episodes/s ({kept} kept)")
    print(f"a 10,000-episode run: {10_000 / rate:.0f}s of verification on one core; "
          f"simulating 1% of it (100 episodes) with an LLM teacher at ~30 s is {30 / (10_000 / rate):.1f}x that")


if __name__ == "__main__":
    main()

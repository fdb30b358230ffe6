"""Export throughput: trajectories per second for each format on a synthetic run of ~2,000 episodes.

The run is built cheaply and realistically: writ's generated tasks for retail, airline and telecom
are simulated once with the scripted pair, then each kept episode is copied under new task ids
(as variants of its task, so the split groups them) with its first user line marked, so every
copy is a distinct trajectory that dedup keeps. Figures per format:

* ``collect``: reading the run store and building the records (shared by every format);
* ``export``: the whole `export_run` (collect, dedup, convert, split, write, card, manifest);
* trajectories/s and MB/s of output for the whole export.

    .venv/bin/python bench/bench_export.py --episodes 2000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

from writ.data import load_data
from writ.export import collect, export_run
from writ.sim import DataResolver, RunStore, StoredTask, make_agent_factory, make_user_factory, simulate
from writ.tasks import AxisRange, generate_tasks

DOMAINS = ("retail", "airline", "telecom")


def seed_run(run_dir: Path, per_domain: int) -> None:
    tasks = []
    for domain in DOMAINS:
        generated, _ = generate_tasks(load_data(domain, seed=0, scale=0.5), per_domain, AxisRange(1, 3),
                                      AxisRange(0, 4), seed=0)
        tasks += generated
    asyncio.run(simulate(tasks, resolve_data=DataResolver(), agent_factory=make_agent_factory("scripted"),
                         user_factory=make_user_factory("scripted"), run_dir=run_dir, progress=False))


def grow_run(seed_dir: Path, run_dir: Path, episodes: int) -> int:
    """Copy the seed run's kept episodes under new task ids until `episodes` are stored."""
    with RunStore.read(seed_dir) as seed:
        config, tasks, kept = seed.config, seed.tasks(), list(seed.episodes(passed=True))
    rows, copies = [], []
    for k in range(episodes):
        episode = kept[k % len(kept)]
        stored = tasks[episode.task_id]
        copy_id = f"{episode.task_id}-c{k}"
        task = json.loads(json.dumps(stored.task))
        task["id"] = copy_id
        task["writ"] = {**(task.get("writ") or {}), "variant_of": episode.task_id}
        rows.append(StoredTask(copy_id, task, stored.gold_db_hash, stored.gold_user_db_hash, None))
        clone = type(episode).from_json(json.loads(json.dumps(episode.to_json())))
        clone.task_id = copy_id
        first_user = next(m for m in clone.messages if m["role"] == "user" and m.get("content"))
        first_user["content"] += f" (ref {k})"
        copies.append(clone)
    with RunStore.open(run_dir, config) as store:  # one fsync'd commit per episode: fixture time, not timed
        store.add_tasks(rows)
        for clone in copies:
            store.add_episode(clone)
    return len(copies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=2000)
    parser.add_argument("--per-domain", type=int, default=30, help="generated tasks per domain for the seed run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        seed_run(root / "seed", args.per_domain)
        n = grow_run(root / "seed", root / "run", args.episodes)
        print(f"built a run of {n} episodes in {time.perf_counter() - start:.1f}s")
        start = time.perf_counter()
        records = collect([root / "run"]).records
        took = time.perf_counter() - start
        print(f"collect: {len(records)} records in {took:.2f}s ({len(records) / took:,.0f} trajectories/s)")
        print(f"{'format':10} {'seconds':>8} {'traj/s':>8} {'MB out':>8} {'MB/s':>7}")
        for fmt in ("openai", "trl", "sharegpt", "parquet"):
            out = root / f"out-{fmt}"
            start = time.perf_counter()
            result = export_run(root / "run", out, fmt=fmt, val_fraction=0.1)
            took = time.perf_counter() - start
            size = sum(f["bytes"] for f in result.manifest["files"]) / 1e6
            exported = result.manifest["counts"]["exported"]
            print(f"{fmt:10} {took:8.2f} {exported / took:8,.0f} {size:8.1f} {size / took:7.1f}")


if __name__ == "__main__":
    main()

"""Offline simulation throughput: scripted teacher x scripted user, episodes per second per domain.

Two figures per domain, so the store's cost is visible apart from the conversation's:

* ``episodes``: `run_episode` alone (fork, conversation, fingerprint), in one process;
* ``simulate``: the whole runner into a fresh run store (gold replay, judging, and one fsync'd
  SQLite commit per episode, ``synchronous=FULL``).

Tasks: writ's generated tasks for every domain with a task generator, on a generated database and,
where ``--tau2-data`` has the domain (default: the workplace's ``shared/tau2``), on tau2's database.
tau2's own tasks are not used: the scripted pair plays only tasks whose requests carry frames (what
the customer wants, in the customer's words); tau2's tasks are for evaluating an LLM agent.

    .venv/bin/python bench/bench_sim_offline.py --n 500
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from writ.data import DataError, DomainData, load_data
from writ.sim import make_agent_factory, make_user_factory, run_episode, simulate
from writ.task import Task

DEFAULT_TAU2 = Path(__file__).resolve().parents[2] / "shared" / "tau2"
DOMAINS = ("retail", "airline", "telecom", "banking_knowledge")


def generated_tasks(domain: str, n: int, tau2: Path | None) -> tuple[DomainData, list[Task]] | None:
    """`n` generated tasks on a generated database, or on tau2's when `tau2` is given (None if absent)."""
    from writ.tasks import AxisRange, generate_tasks

    try:
        data = load_data(domain, tau2_data=tau2) if tau2 is not None else load_data(domain, seed=0)
    except DataError:
        return None
    tasks, _ = generate_tasks(data, n, AxisRange(1, 3), AxisRange(0, 6), seed=0)
    return (data, tasks) if tasks else None


async def episodes_only(data: DomainData, tasks: list[Task]) -> tuple[float, float]:
    agent, user = make_agent_factory("scripted"), make_user_factory("scripted")
    start = time.perf_counter()
    passed = 0
    for task in tasks:
        ep = await run_episode(task, data.environment(task), agent(task, data, 0), user(task, data, 0))
        passed += ep.termination in ("user_stop", "agent_stop", "transfer", "out_of_scope")
    return len(tasks) / (time.perf_counter() - start), passed / len(tasks)


async def with_store(data: DomainData, tasks: list[Task], concurrency: int) -> tuple[float, float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        summary = await simulate(tasks, resolve_data=lambda t: data, agent_factory=make_agent_factory("scripted"),
                                 user_factory=make_user_factory("scripted"), run_dir=Path(tmp) / "run",
                                 concurrency=concurrency, attempts=1, progress=False)
    return summary.episodes_per_s, summary.kept / summary.tasks, summary.seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="tasks per domain and source")
    parser.add_argument("--tau2-data", type=Path, default=DEFAULT_TAU2)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    print(f"{'domain':17} {'tasks':14} {'n':>5} {'episodes/s':>11} {'simulate/s':>11} {'kept':>6} {'wall s':>7}")
    for domain in DOMAINS:
        for label, source in (("generated db", lambda d: generated_tasks(d, args.n, None)),
                              ("tau2 db", lambda d: generated_tasks(d, args.n, args.tau2_data))):
            try:  # domains and generators are written concurrently: report a broken one, go on
                found = source(domain)
                if found is None:
                    continue
                data, tasks = found
                rate, _ = asyncio.run(episodes_only(data, tasks))
                store_rate, kept, seconds = asyncio.run(with_store(data, tasks, args.concurrency))
            except Exception as exc:
                print(f"{domain:17} {label:14} failed: {type(exc).__name__}: {exc}")
                continue
            print(f"{domain:17} {label:14} {len(tasks):5d} {rate:11.0f} {store_rate:11.0f} {kept:6.0%} {seconds:7.2f}")


if __name__ == "__main__":
    main()

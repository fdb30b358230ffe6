"""Ray executor throughput: offline synthesis and a fixed-latency endpoint, against the local executor.

Two parts, each printed as a table:

* ``offline``: retail task generation (tasks/s) and simulation with the scripted teacher and
  user and every verifier (episodes/s), locally and on 1, 2 and 4 Ray workers of a local cluster
  on this machine. Rates are slopes, so fixed costs (starting workers, each worker loading its
  database) cancel out: run n and 3n tasks, ``(t(3n) - t(n)) / 2n`` per executor; Ray's overhead
  per episode is Ray's slope minus local's. Startup (workers ready) is printed apart, and so is
  the driver's CPU per episode (gold replay, receiving, committing: the single writer's ceiling).
* ``endpoint``: an LLM agent (``openai:fake``) on mock-domain tasks (small schemas, so the client's
  CPU is not what is measured) against ``bench/fake_server.py`` (a separate process answering
  every request after ``--delay-ms``), the scripted user, for total
  concurrency bounds of 8, 32 and 128 split across 1, 2 and 4 workers. The server's peak number of
  requests in flight shows whether the bound held across workers; requests/s against
  ``bound / delay`` shows what the bound buys. The agent's own per-endpoint limit is set to the
  bound (it is per process: with Ray each worker has its own, so the task bound is what binds).

    .venv/bin/python bench/bench_ray.py                 # both parts
    .venv/bin/python bench/bench_ray.py --part offline --n 400
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from writ.data import load_data
from writ.sim import DataResolver, Limits, LocalExecutor, RayExecutor, make_agent_factory, make_user_factory
from writ.task import Task
from writ.tasks import AxisRange
from writ.verify import verifier_judge

HERE = Path(__file__).resolve().parent
WORKERS = (1, 2, 4)


def executors(workers: tuple[int, ...] = WORKERS):
    yield "local", 0, LocalExecutor()
    for n in workers:
        yield "ray", n, RayExecutor(workers=n)


def simulate(executor, tasks: list[Task], agent, user, concurrency: int, judge=verifier_judge,
             limits: Limits = Limits(), domain: str = "retail") -> tuple[float, float, int, float]:
    """(wall seconds, worker startup seconds, episodes, this process's CPU seconds) of one fresh run."""
    with tempfile.TemporaryDirectory() as tmp:
        start, cpu = time.perf_counter(), time.process_time()
        summary = asyncio.run(executor.simulate(tasks, resolve_data=DataResolver(domain), agent_factory=agent,
                                                user_factory=user, run_dir=Path(tmp) / "run", concurrency=concurrency,
                                                attempts=1, limits=limits, judge=judge, progress=False))
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    dispatch = getattr(executor, "last_dispatch", None)
    return wall, getattr(dispatch, "startup_s", 0.0), summary.episodes, cpu


def _timed(call):
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def offline(n: int, concurrency: int) -> None:
    """Generation and simulation of n and 3n retail tasks per executor; rates are slopes (see docstring)."""
    data = load_data("retail", seed=0)
    writes, evidence = AxisRange(1, 3), AxisRange(0, 6)
    print(f"offline: retail, runs of {n} and {3 * n} tasks, scripted teacher and user, verify judge, "
          f"concurrency {concurrency}; rates from the difference of the two runs")
    print(f"{'executor':9} {'workers':>7} {'gen tasks/s':>11} {'sim ep/s':>8} {'ms/ep':>6} {'startup s':>9} "
          f"{'driver CPU ms/ep':>16} {'Ray overhead ms/ep':>18}")
    local_ms = None
    for name, workers, executor in executors():
        gen = [_timed(lambda k=k, executor=executor: executor.generate_tasks(data, k, writes, evidence, seed=0))
               for k in (n, 3 * n)]
        tasks = gen[1][1][0]
        agent, user = make_agent_factory("scripted"), make_user_factory("scripted")
        small, _, _, _ = simulate(executor, tasks[:n], agent, user, concurrency)
        big, startup, episodes, cpu = simulate(executor, tasks, agent, user, concurrency)
        ms = (big - small) / (episodes - n) * 1000
        local_ms = ms if local_ms is None else local_ms
        overhead = "" if name == "local" else f"{ms - local_ms:+18.2f}"
        print(f"{name:9} {workers or '':>7} {2 * n / (gen[1][0] - gen[0][0]):11.0f} {1000 / ms:8.0f} {ms:6.2f} "
              f"{startup:9.2f} {cpu / episodes * 1000:16.2f} {overhead}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(delay_ms: float) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, str(HERE / "fake_server.py"), "--port", str(port), "--delay-ms",
                             str(delay_ms)], stdout=subprocess.PIPE, text=True)
    proc.stdout.readline()  # "fake server at ..." once it listens
    return proc, f"http://127.0.0.1:{port}/v1"


def _stop(proc: subprocess.Popen) -> dict:
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=30)
    lines = [line for line in out.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


def mock_tasks(n: int) -> list[Task]:
    """One-write tasks on the mock domain: small tool schemas, so a request costs little CPU here."""
    return [Task.model_validate({
        "id": f"bench-{i:05d}",
        "user_scenario": {"instructions": {"domain": "mock", "task_instructions": "Be brief.",
                                           "reason_for_call": f"You want a new task called 'Item {i}' for user_1."}},
        "evaluation_criteria": {"actions": [{"action_id": "a0", "name": "create_task",
                                             "arguments": {"user_id": "user_1", "title": f"Item {i}"}}],
                                "reward_basis": ["DB"]},
        # the request's frame: what the scripted customer asks for, in its own words
        "writ": {"db_source": "generated:seed=0,scale=1.0",
                 "requests": [{"frame": {"family": "create", "user_id": "user_1", "title": f"Item {i}"},
                               "writes": [0], "outcome": "write"}]}}) for i in range(n)]


def endpoint(waves: int, delay_ms: float, bounds: tuple[int, ...]) -> None:
    print(f"\nendpoint: {waves} x bound mock tasks, agent openai:fake ({delay_ms:.0f} ms per request), scripted user; "
          "req/s over the run after startup")
    print(f"{'bound':>5} {'tasks':>5} {'executor':9} {'workers':>7} {'wall s':>7} {'startup s':>9} {'req/s':>7} "
          f"{'ideal req/s':>11} {'peak in flight':>14}")
    for bound in bounds:
        tasks = mock_tasks(waves * bound)
        for name, workers, executor in executors():
            proc, url = _serve(delay_ms)
            try:
                agent = make_agent_factory("openai:fake", base_url=url, concurrency=bound, retries=0)
                wall, startup, _, _ = simulate(executor, tasks, agent, make_user_factory("scripted"), bound, judge=None,
                                            limits=Limits(max_steps=12), domain="mock")
            finally:
                stats = _stop(proc)
            run_s = wall - startup
            print(f"{bound:5d} {len(tasks):5d} {name:9} {workers or '':>7} {wall:7.2f} {startup:9.2f} "
                  f"{stats.get('requests', 0) / run_s:7.0f} {bound / (delay_ms / 1000):11.0f} "
                  f"{stats.get('max_in_flight', 0):14d}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--part", choices=("offline", "endpoint", "both"), default="both")
    ap.add_argument("--n", type=int, default=300, help="offline: tasks in the smaller run (the larger has 3n)")
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--waves", type=int, default=6, help="endpoint: tasks per run, in multiples of the bound")
    ap.add_argument("--delay-ms", type=float, default=500.0)
    ap.add_argument("--bounds", type=int, nargs="+", default=[8, 32, 128])
    ap.add_argument("--cpus", type=int, default=os.cpu_count(), help="CPUs of the local Ray cluster")
    args = ap.parse_args()
    import ray

    ray.init(num_cpus=args.cpus, include_dashboard=False, log_to_driver=False, logging_level="warning")
    print(f"machine: {os.cpu_count()} cores; ray {ray.__version__}, local cluster with {args.cpus} CPUs")
    try:
        if args.part in ("offline", "both"):
            offline(args.n, args.concurrency)
        if args.part in ("endpoint", "both"):
            endpoint(args.waves, args.delay_ms, tuple(args.bounds))
    finally:
        ray.shutdown()


if __name__ == "__main__":
    main()

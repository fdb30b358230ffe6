"""LLM-path simulation throughput against a fixed-delay OpenAI-compatible server.

Every agent turn is a real HTTP call (openai client, writ's retries and per-endpoint limits) to
`bench/fake_server.py`, which answers after ``--delay-ms``. With a concurrency bound of C tasks in
flight and a delay of D seconds, at most C / D model calls per second are possible; the figure
that matters is how close writ gets to that bound, and what the engine itself costs per turn.

    .venv/bin/python bench/bench_sim_llm.py --delay-ms 200 --concurrency 8 64 256
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from writ.data import load_data
from writ.sim import make_agent_factory, make_user_factory, simulate
from writ.sim.actors import close_factories
from writ.tasks import AxisRange, generate_tasks

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(delay_ms: float) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(HERE / "fake_server.py"), "--port", str(port), "--delay-ms",
                             str(delay_ms)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    proc.stdout.readline()  # "fake server at ..."
    return proc, f"http://127.0.0.1:{port}/v1"


def run_once(tasks, data, url: str, concurrency: int, delay_s: float) -> dict:
    agent = make_agent_factory("openai:fake", base_url=url, concurrency=concurrency, retries=1, timeout=30)
    user = make_user_factory("scripted")
    with tempfile.TemporaryDirectory() as run_dir:
        cpu0, wall0 = time.process_time(), time.perf_counter()
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        async def go():
            try:
                return await simulate(tasks, resolve_data=lambda t: data, agent_factory=agent, user_factory=user,
                                      run_dir=run_dir, concurrency=concurrency, attempts=1, progress=False)
            finally:
                await close_factories(agent, user)

        summary = asyncio.run(go())
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0
        from writ.sim.runstore import RunStore

        store = RunStore.read(run_dir)
        episodes = list(store.episodes())
        calls = sum(1 for e in episodes for t in e.turns if t["actor"] == "agent" and t.get("usage"))
        turns = sum(len(e.turns) for e in episodes)
        store.close()
    bound_calls = concurrency / delay_s
    per_episode = calls / max(len(episodes), 1)
    return {
        "concurrency": concurrency, "episodes": len(episodes), "seconds": wall,
        "episodes_per_min": len(episodes) / wall * 60,
        "bound_episodes_per_min": bound_calls / per_episode * 60 if per_episode else 0.0,
        "calls_per_s": calls / wall, "bound_calls_per_s": bound_calls,
        "cpu_ms_per_turn": cpu / max(turns, 1) * 1000, "rss_kib_per_live_episode": rss / concurrency,
        "terminations": summary.lines()[-1] if summary.lines() else "",
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--delay-ms", type=float, default=200.0)
    ap.add_argument("--concurrency", type=int, nargs="+", default=[8, 64, 256])
    ap.add_argument("--episodes-per-slot", type=int, default=4, help="tasks per unit of concurrency")
    args = ap.parse_args()
    data = load_data("retail", seed=0, scale=0.5)
    most = max(args.concurrency) * args.episodes_per_slot
    pool, _ = generate_tasks(data, min(most, 400), AxisRange(1, 3), AxisRange(0, 4), seed=0)
    server, url = start_server(args.delay_ms)
    try:
        print(f"fixed-delay server {url}, delay {args.delay_ms:.0f} ms; agent openai:fake, user scripted")
        print(f"{'conc':>5} {'episodes':>8} {'ep/min':>9} {'bound':>9} {'ratio':>6} {'calls/s':>8} "
              f"{'bound':>7} {'cpu ms/turn':>11} {'KiB/live ep':>11}")
        for c in args.concurrency:
            n = c * args.episodes_per_slot
            tasks = [pool[i % len(pool)].model_copy(update={"id": f"{pool[i % len(pool)].id}#{i}"}) for i in range(n)]
            random.Random(0).shuffle(tasks)
            r = run_once(tasks, data, url, c, args.delay_ms / 1000)
            print(f"{c:>5} {r['episodes']:>8} {r['episodes_per_min']:>9.0f} {r['bound_episodes_per_min']:>9.0f} "
                  f"{r['calls_per_s'] / r['bound_calls_per_s']:>6.0%} {r['calls_per_s']:>8.1f} "
                  f"{r['bound_calls_per_s']:>7.0f} {r['cpu_ms_per_turn']:>11.2f} "
                  f"{r['rss_kib_per_live_episode']:>11.1f}")
    finally:
        server.terminate()


if __name__ == "__main__":
    main()

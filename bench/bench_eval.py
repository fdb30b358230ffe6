"""Evaluation throughput and scoring cost.

Two figures:

* ``throughput``: `writ.eval.evaluate` end to end (runner, run store, scoring, results files) with
  an LLM agent behind ``bench/fake_server.py`` (a fixed-delay OpenAI-compatible server) and the
  scripted user, at several concurrency levels: simulations/s, model calls/s and the peak number
  of requests the server saw in flight. Conversations are cut at ``--max-steps`` messages, so a
  simulation is a fixed number of model calls and the figure measures writ's overhead and
  concurrency, not a model;
* ``scoring``: milliseconds per simulation to score recorded conversations (tau2-equal reward
  alone, and with the strict reward), on the scripted teacher's conversations of writ-generated
  tasks and on gold conversations of tau2's tasks.

    .venv/bin/python bench/bench_eval.py --n 64 --delay-ms 50 --concurrency 1,8,32,64
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from fake_server import build_server  # noqa: E402

from writ.data import DataError, load_data  # noqa: E402
from writ.eval import EvalOptions, evaluate  # noqa: E402
from writ.eval.conversation import canonical_messages  # noqa: E402
from writ.eval.reward import score_reward  # noqa: E402
from writ.eval.strict import strict_reward  # noqa: E402
from writ.task import save_tasks  # noqa: E402

DEFAULT_TAU2 = HERE.parents[1] / "shared" / "tau2"


def generated(domain: str, n: int):
    from writ.tasks import AxisRange, generate_tasks

    data = load_data(domain, seed=0)
    tasks, _ = generate_tasks(data, n, AxisRange(1, 3), AxisRange(0, 6), seed=0)
    return data, tasks


async def throughput(tasks_path: Path, n: int, concurrency: int, delay_ms: float, max_steps: int) -> dict:
    server = build_server(delay_ms, "Let me check that for you.")
    url = await server.start()
    out = Path(tempfile.mkdtemp(prefix="bench-eval-"))
    try:
        start = time.perf_counter()
        outcome = await evaluate(EvalOptions("retail", out, tasks_file=tasks_path, agent="openai:fake", base_url=[url],
                                             concurrency=concurrency, max_steps=max_steps, progress=False))
        seconds = time.perf_counter() - start
    finally:
        await server.close()
    sims = outcome.results["simulations"]
    calls = sum(s["usage"]["agent"]["calls"] for s in sims)
    return {"concurrency": concurrency, "simulations": len(sims), "seconds": round(seconds, 2),
            "simulations_per_s": round(len(sims) / seconds, 2), "model_calls_per_s": round(calls / seconds, 1),
            "peak_in_flight": server.stats.get("max_in_flight"),
            "ideal_calls_per_s": round(concurrency * 1000 / delay_ms, 1)}


def scoring_cost(label: str, data, items: list[tuple]) -> dict:
    """items: (task, messages, termination); ms per simulation for tau2-equal and strict."""
    async def run(with_strict: bool) -> float:
        start = time.perf_counter()
        for task, messages, termination in items:
            info = await score_reward(task, data, messages, termination)
            if with_strict:
                strict_reward(task, data, messages, termination, info)
        return (time.perf_counter() - start) * 1000 / len(items)

    asyncio.run(run(True))  # warm the gold cache, as a run scores many trials of each task
    tau2 = statistics.median(asyncio.run(run(False)) for _ in range(3))
    both = statistics.median(asyncio.run(run(True)) for _ in range(3))
    return {"set": label, "simulations": len(items), "tau2_ms": round(tau2, 3), "tau2_and_strict_ms": round(both, 3)}


async def teacher_conversations(domain: str, n: int) -> tuple:
    from writ.sim import make_agent_factory, make_user_factory, run_episode

    data, tasks = generated(domain, n)
    agent, user = make_agent_factory("scripted"), make_user_factory("scripted")
    items = []
    for task in tasks:
        ep = await run_episode(task, data.environment(task), agent(task, data, 0), user(task, data, 0))
        items.append((task, canonical_messages(ep.messages), ep.termination))
    return data, items


def gold_conversations(domain: str, root: Path) -> tuple | None:
    sys.path.insert(0, str(HERE.parent / "tests" / "eval"))
    from conversations import conversation

    try:
        data = load_data(domain, tau2_data=root)
    except DataError:
        return None
    items = []
    for task in data.tasks:
        line = conversation(data, task)
        items.append((task, canonical_messages(line["messages"]), line["termination_reason"]))
    return data, items


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=64, help="tasks in the throughput run")
    ap.add_argument("--delay-ms", type=float, default=50.0)
    ap.add_argument("--concurrency", default="1,8,32,64")
    ap.add_argument("--max-steps", type=int, default=12)
    ap.add_argument("--tau2-data", type=Path, default=DEFAULT_TAU2)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    figures: dict = {"throughput": [], "scoring": []}
    _, tasks = generated("retail", args.n)
    tasks_path = Path(tempfile.mkdtemp(prefix="bench-eval-tasks-")) / "tasks.json"
    save_tasks(tasks, tasks_path)
    for c in (int(x) for x in args.concurrency.split(",")):
        row = asyncio.run(throughput(tasks_path, len(tasks), c, args.delay_ms, args.max_steps))
        figures["throughput"].append(row)
        if not args.json:
            print(f"throughput c={c:>3}: {row['simulations']} sims in {row['seconds']:>6.2f}s = "
                  f"{row['simulations_per_s']:>6.2f} sims/s, {row['model_calls_per_s']:>7.1f} calls/s "
                  f"(ideal {row['ideal_calls_per_s']}), peak in flight {row['peak_in_flight']}", flush=True)
    for domain in ("retail", "airline", "telecom"):
        data, items = asyncio.run(teacher_conversations(domain, 40))
        figures["scoring"].append(scoring_cost(f"{domain} generated (teacher)", data, items))
        gold = gold_conversations(domain, args.tau2_data)
        if gold:
            figures["scoring"].append(scoring_cost(f"{domain} tau2 (gold)", *gold))
    if args.json:
        print(json.dumps(figures, indent=1))
        return
    for row in figures["scoring"]:
        print(f"scoring {row['set']:<28} {row['simulations']:>4} sims: tau2-equal {row['tau2_ms']:>7.3f} ms/sim, "
              f"with strict {row['tau2_and_strict_ms']:>7.3f} ms/sim")


if __name__ == "__main__":
    main()

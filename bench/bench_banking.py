"""banking_knowledge benchmark: load time, replay of the 97 tasks, BM25 and grep latency, per-call
cost, fork and fingerprint. Prints figures only (tests never assert on time).

    .venv/bin/python bench/bench_banking.py [--tau2-data ../shared/tau2]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from writ.data import load_data
from writ.domains.banking_knowledge.knowledge import KnowledgeBase
from writ.replay import replay_tasks

QUERIES = ["close checking account early closure fee", "debit card dispute regulation e liability",
           "credit limit increase eligibility", "transfer to human agent reason code", "cash back rewards dispute",
           "activate replacement debit card", "business savings account requirements", "annual fee waiver retention"]
PATTERNS = ["open_bank_account_4821", "early closure", "fee|charge", "credit.*limit", "Regulation E", "velocity"]


def per_call_ms(fn, items, repeat: int = 15) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            fn(item)
        runs.append((time.perf_counter() - start) * 1000 / len(items))
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tau2-data", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "tau2"))
    args = parser.parse_args()

    start = time.perf_counter()
    data = load_data("banking_knowledge", tau2_data=args.tau2_data)
    load_s = time.perf_counter() - start
    kb: KnowledgeBase = data.base.attachments["kb"]
    start = time.perf_counter()
    kb.bm25  # noqa: B018  (builds the index)
    index_ms = (time.perf_counter() - start) * 1000
    print(f"load (db.json, 97 tasks, {len(kb)} documents, policy): {load_s * 1000:.0f} ms; BM25 index build "
          f"{index_ms:.0f} ms")

    for attempt in range(2):
        start = time.perf_counter()
        rows = list(replay_tasks(data, data.tasks))
        elapsed = time.perf_counter() - start
        calls = sum(len(r["outputs"]) for r in rows)
        print(f"replay {len(rows)} tasks ({calls} calls), run {attempt + 1}: {elapsed:.2f} s "
              f"({elapsed / len(rows) * 1000:.1f} ms/task, {elapsed / calls * 1e6:.0f} us/call)")

    env = data.environment()
    print(f"KB_search (BM25, top 10 of {len(kb)}): {per_call_ms(lambda q: kb.search(q), QUERIES):.2f} ms/query "
          f"(ranking only), {per_call_ms(lambda q: env.step('KB_search', {'query': q}), QUERIES):.2f} ms/call "
          f"(with the result text)")
    grep_env = load_data("banking_knowledge-grep_only", tau2_data=args.tau2_data).environment()
    print(f"grep over {len(kb)} documents: "
          f"{per_call_ms(lambda p: grep_env.step('grep', {'pattern': p}), PATTERNS):.2f} ms/call")

    task = next(t for t in data.tasks if t.id == "task_087")
    start = time.perf_counter()
    for _ in range(200):
        data.environment(task)
    build_ms = (time.perf_counter() - start) * 1000 / 200
    base_env = data.environment()
    start = time.perf_counter()
    for _ in range(2000):
        base_env.fork()
    fork_us = (time.perf_counter() - start) * 1e6 / 2000
    user_id = next(iter(base_env.db.get("users")["data"]))
    lookup = per_call_ms(lambda _: base_env.step("get_user_information_by_id", {"user_id": user_id}), range(500))
    written = data.environment()
    written.step("log_verification",
                 {"name": "A", "user_id": user_id, "address": "a", "email": "e", "phone_number": "p",
                  "date_of_birth": "d", "time_verified": "2025-11-14 03:40:00 EST"})
    start = time.perf_counter()
    for _ in range(50):
        written.fingerprint()
    print(f"environment with a task's initial state: {build_ms:.2f} ms; fork: {fork_us:.1f} us; "
          f"lookup call: {lookup * 1000:.0f} us; fingerprint: {(time.perf_counter() - start) * 1000 / 50:.2f} ms")


if __name__ == "__main__":
    main()

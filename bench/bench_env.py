"""Environment benchmark: load, per-call, fork, fingerprint, memory per episode, full replays.

Prints figures and ratios against tau2-bench's own environment as measured on this kind of
machine (issue text): ~200 us per tool call, 50 ms (retail) / 180 ms (airline) to build an
environment, 60-120 ms per database hash, 15-23 s to replay all 114 retail tasks.

    .venv/bin/python bench/bench_env.py [--tau2-data ../shared/tau2]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc
from pathlib import Path

from writ.data import _generated, load_data
from writ.fingerprint import fingerprint
from writ.replay import replay_task

TAU2_CALL_US = 200.0
TAU2_BUILD_MS = {"retail": 50.0, "airline": 180.0}
TAU2_HASH_MS = 90.0
TAU2_RETAIL_REPLAY_S = 15.0

# (read call, write call) per domain, with arguments filled from the loaded database
PROBES = {
    "retail": lambda s: (
        ("get_order_details", {"order_id": next(iter(s.keys("orders")))}),
        ("modify_user_address", {"user_id": next(iter(s.keys("users"))), "address1": "1 Main St", "address2": "",
                                 "city": "Austin", "state": "TX", "country": "USA", "zip": "78701"}),
    ),
    "airline": lambda s: (
        ("get_reservation_details", {"reservation_id": next(iter(s.keys("reservations")))}),
        ("update_reservation_passengers", {
            "reservation_id": next(iter(s.keys("reservations"))),
            "passengers": s.get("reservations", next(iter(s.keys("reservations"))))["passengers"]}),
    ),
}


def timeit(fn, repeat: int = 2000) -> float:
    """Median microseconds per call over `repeat` calls, in 10 batches."""
    batches = []
    per = max(1, repeat // 10)
    for _ in range(10):
        start = time.perf_counter()
        for _ in range(per):
            fn()
        batches.append((time.perf_counter() - start) / per * 1e6)
    return statistics.median(batches)


def bench_domain(name: str, data, label: str) -> dict:
    env = data.environment()
    read, write = PROBES[name](env.db)
    read_us = timeit(lambda: env.step(*read))
    write_us = timeit(lambda: env.step(*write))
    assert not env.step(*write).error, env.step(*write).content
    fork_us = timeit(lambda: env.fork(), 5000)
    env.fingerprint()  # warm the per-base canonical cache once
    fp_ms = timeit(env.fingerprint, 50) / 1000
    ref_ms = timeit(lambda: fingerprint(env.db.dump()), 5) / 1000
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    episodes = []
    for _ in range(1000):
        e = data.environment()
        e.step(*write)
        episodes.append(e)
    per_episode = (tracemalloc.get_traced_memory()[0] - before) / len(episodes)
    tracemalloc.stop()
    print(f"{label:28} read {read_us:6.1f} us ({TAU2_CALL_US / read_us:5.1f}x tau2)  write {write_us:6.1f} us "
          f"({TAU2_CALL_US / write_us:5.1f}x)  fork {fork_us:5.2f} us  fingerprint {fp_ms:6.2f} ms "
          f"(reference {ref_ms:6.1f} ms, {TAU2_HASH_MS / fp_ms:5.0f}x tau2)  memory/episode after 1 write "
          f"{per_episode / 1024:5.1f} KiB")
    return {"read_us": read_us, "write_us": write_us, "fork_us": fork_us, "fp_ms": fp_ms}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tau2-data", default=str(Path(__file__).resolve().parents[1] / ".." / "shared" / "tau2"))
    args = parser.parse_args()
    tau2 = Path(args.tau2_data)
    print("== load time (tau2 data, cold) ==")
    loaded = {}
    for name in ("retail", "airline", "telecom", "mock"):
        if not (tau2 / name).is_dir():
            print(f"{name}: no tau2 data at {tau2}")
            continue
        start = time.perf_counter()
        loaded[name] = load_data(name, tau2_data=tau2)
        ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        for _ in range(1000):
            loaded[name].environment()
        env_us = (time.perf_counter() - start) * 1000
        ref = f" (tau2 builds one in {TAU2_BUILD_MS[name]:.0f} ms: {TAU2_BUILD_MS[name] * 1000 / env_us:,.0f}x)" if name in TAU2_BUILD_MS else ""
        print(f"{name:8} load {ms:7.1f} ms once; then a fresh episode environment costs {env_us:.2f} us{ref}")

    print("\n== per call, fork, fingerprint, memory (tau2 data) ==")
    for name in ("retail", "airline"):
        if name in loaded:
            bench_domain(name, loaded[name], f"{name} (tau2)")

    print("\n== independence of database size (generated retail) ==")
    rows = []
    for scale in (0.5, 2.0, 8.0):
        data = _generated("retail", 0, scale)
        n = data.base.store().count("orders")
        rows.append(bench_domain("retail", data, f"retail x{scale} ({n} orders)"))
    print(f"read-call ratio largest/smallest DB: {rows[-1]['read_us'] / rows[0]['read_us']:.2f}; "
          f"fork ratio: {rows[-1]['fork_us'] / rows[0]['fork_us']:.2f} (1.0 = independent of size)")

    if "retail" in loaded:
        print("\n== replay all tau2 retail tasks (fresh environment and a hash each) ==")
        data = loaded["retail"]
        start = time.perf_counter()
        for task in data.tasks:
            replay_task(data, task)
        secs = time.perf_counter() - start
        print(f"{len(data.tasks)} tasks in {secs:.2f} s (target < 1.5 s; tau2 ~{TAU2_RETAIL_REPLAY_S:.0f}-23 s: "
              f"{TAU2_RETAIL_REPLAY_S / secs:.0f}x faster)")


if __name__ == "__main__":
    main()

"""Environment benchmark: load, per-call, fork, fingerprint, memory per episode, all tau2 retail replays.

Every figure comes from this machine, in this run. Where tau2-bench is importable (``import tau2``
works in this interpreter), the same operations are timed on tau2's own environment beside writ's
and the ratio is printed; where it is not, writ's figures are printed alone and the script says
that no comparison was measured. No tau2 figure is ever typed into this file.

Each probe comes in two labelled forms:

* ``best case``: the same record read again and again, the same record written again and again
  (after its first write the record is already in the episode's overlay, and a read of an
  unchanged record is served from a per-database memo);
* ``real use``: a different record on every call (each read serializes a record not read before,
  each write copies a record into a fresh episode's overlay), as thousands of episodes over many
  users do.

    .venv/bin/python bench/bench_env.py [--tau2-data ../shared/tau2]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from writ.data import _generated, load_data
from writ.fingerprint import fingerprint
from writ.replay import replay_gold

DEFAULT_TAU2 = Path(__file__).resolve().parents[2] / "shared" / "tau2"
ADDRESS = {"address1": "1 Main St", "address2": "", "city": "Austin", "state": "TX", "country": "USA", "zip": "78701"}


# -- the probes: (read call, write call) for record number i --------------------------------------
def _retail(store: Any) -> tuple[list, list]:
    orders, users = list(store.keys("orders")), list(store.keys("users"))
    reads = [("get_order_details", {"order_id": o}) for o in orders]
    writes = [("modify_user_address", {"user_id": u, **ADDRESS}) for u in users]
    return reads, writes


def _airline(store: Any) -> tuple[list, list]:
    reservations = list(store.keys("reservations"))
    reads = [("get_reservation_details", {"reservation_id": r}) for r in reservations]
    writes = [("update_reservation_passengers", {"reservation_id": r,
                                                 "passengers": store.get("reservations", r)["passengers"]})
              for r in reservations]
    return reads, writes


PROBES: dict[str, Callable[[Any], tuple[list, list]]] = {"retail": _retail, "airline": _airline}


# -- timing ------------------------------------------------------------------------------------------
def median_us(fn: Callable[[], Any], repeat: int = 2000) -> float:
    """Median microseconds per call over `repeat` calls, in 10 batches (the best case: one call repeated)."""
    batches = []
    per = max(1, repeat // 10)
    for _ in range(10):
        start = time.perf_counter()
        for _ in range(per):
            fn()
        batches.append((time.perf_counter() - start) / per * 1e6)
    return statistics.median(batches)


def each_once_us(fn: Callable[[Any], Any], items: list) -> float:
    """Mean microseconds per call when every call gets a different item (real use)."""
    start = time.perf_counter()
    for item in items:
        fn(item)
    return (time.perf_counter() - start) / max(len(items), 1) * 1e6


def bench_domain(name: str, data: Any, label: str) -> dict[str, float]:
    """writ's figures for one loaded database, best case and real use side by side."""
    reads, writes = PROBES[name](data.base.store())
    env = data.environment()
    best_read = median_us(lambda: env.step(*reads[0]))
    best_write = median_us(lambda: env.step(*writes[0]))
    assert not env.step(*writes[0]).error, env.step(*writes[0]).content
    # real use: every other record, each read once (only reads[0] was read, so none is memoized yet)
    spread = reads[1:2001]
    real_read = each_once_us(lambda call: env.step(*call), spread)
    real_write = each_once_us(lambda call: data.environment().step(*call), writes[:2000])
    fork_us = median_us(env.fork, 5000)
    env.fingerprint()  # warm the per-base canonical cache once
    fp_ms = median_us(env.fingerprint, 50) / 1000
    busy = data.environment()
    for call in writes[:20]:
        busy.step(*call)
    fp20_ms = median_us(busy.fingerprint, 50) / 1000
    ref_ms = median_us(lambda: fingerprint(env.db.dump()), 5) / 1000
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    episodes = []
    for call in (writes * (1000 // len(writes) + 1))[:1000]:
        episode = data.environment()
        episode.step(*call)
        episodes.append(episode)
    per_episode = (tracemalloc.get_traced_memory()[0] - before) / len(episodes)
    tracemalloc.stop()
    print(f"{label:30} read:  best case {best_read:6.1f} us   real use {real_read:6.1f} us ({len(spread)} records)")
    print(f"{'':30} write: best case {best_write:6.1f} us   real use {real_write:6.1f} us "
          f"(fresh episode + one write, {len(writes[:2000])} records)")
    print(f"{'':30} fork {fork_us:5.2f} us   fingerprint after 1 write {fp_ms:6.2f} ms, after 20 writes "
          f"{fp20_ms:6.2f} ms (reference full hash {ref_ms:6.1f} ms)   memory/episode after 1 write "
          f"{per_episode / 1024:5.1f} KiB")
    return {"read_us": best_read, "real_read_us": real_read, "write_us": best_write, "real_write_us": real_write,
            "fork_us": fork_us, "fp_ms": fp_ms}


# -- tau2-bench, where it is importable -------------------------------------------------------------
def tau2_available() -> str | None:
    """None when tau2-bench can be imported here, else why not."""
    try:
        import tau2  # noqa: F401
    except Exception as exc:  # not installed, or broken: either way nothing to compare with
        return f"{type(exc).__name__}: {exc}"
    return None


def bench_tau2(name: str, reads: list, writes: list, tasks: list) -> dict[str, float]:
    """tau2's own environment, timed with the same calls; raises if its API is not the one expected."""
    import importlib

    module = importlib.import_module(f"tau2.domains.{name}.environment")
    start = time.perf_counter()
    env = module.get_environment()
    build_ms = (time.perf_counter() - start) * 1000

    def call(env: Any, tool: str, arguments: dict) -> str:
        try:
            return env.to_json_str(env.make_tool_call(tool, requestor="assistant", **arguments))
        except Exception as exc:  # tau2 raises where writ returns "Error: ..."
            return f"Error: {exc}"

    best_read = median_us(lambda: call(env, *reads[0]), 500)
    real_read = each_once_us(lambda c: call(env, *c), reads[:500])
    best_write = median_us(lambda: call(env, *writes[0]), 500)
    real_write = each_once_us(lambda c: call(module.get_environment(), *c), writes[:20])
    hash_ms = median_us(env.get_db_hash, 10) / 1000
    out = {"build_ms": build_ms, "read_us": best_read, "real_read_us": real_read, "write_us": best_write,
           "real_write_us": real_write, "hash_ms": hash_ms}
    if tasks:
        start = time.perf_counter()
        for task in tasks:
            gold = module.get_environment()
            for action in task.actions:
                try:
                    gold.make_tool_call(action.name, requestor=action.requestor, **action.arguments)
                except Exception:  # tau2's evaluator swallows a failing gold action too
                    pass
            gold.get_db_hash()
        out["replay_s"] = time.perf_counter() - start
    return out


def compare(label: str, writ_value: float, tau2_value: float | None, unit: str) -> str:
    if tau2_value is None:
        return f"{label}: writ {writ_value:.2f} {unit}"
    return f"{label}: writ {writ_value:.2f} {unit}, tau2 {tau2_value:.2f} {unit} ({tau2_value / writ_value:.1f}x)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tau2-data", type=Path, default=DEFAULT_TAU2)
    args = parser.parse_args()
    tau2 = args.tau2_data
    missing = tau2_available()
    if missing:
        print(f"tau2-bench is not importable here ({missing}): writ's own figures only, no comparison measured.\n")
    else:
        print("tau2-bench is importable: each figure is measured on both, in this run, on this machine.\n")

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
        print(f"{name:8} load {ms:7.1f} ms once; then a fresh episode environment costs {env_us:.2f} us")

    print("\n== per call, fork, fingerprint, memory (tau2 data) ==")
    for name in ("retail", "airline"):
        if name not in loaded:
            continue
        mine = bench_domain(name, loaded[name], f"{name} (tau2 data)")
        if missing:
            continue
        reads, writes = PROBES[name](loaded[name].base.store())
        try:
            theirs = bench_tau2(name, reads, writes, [])
        except Exception as exc:
            print(f"  tau2-bench is importable but its environment API differs ({type(exc).__name__}: {exc}); "
                  f"no comparison measured")
            continue
        print(f"  tau2 builds an environment in {theirs['build_ms']:.1f} ms (writ forks one in microseconds)")
        for key, label in (("read_us", "read, best case"), ("real_read_us", "read, real use"),
                           ("write_us", "write, best case"), ("real_write_us", "write, real use (fresh env)")):
            print("  " + compare(label, mine[key], theirs[key], "us"))
        print("  " + compare("database hash", mine["fp_ms"], theirs["hash_ms"], "ms"))

    print("\n== independence of database size (generated retail) ==")
    rows = []
    for scale in (0.5, 2.0, 8.0):
        data = _generated("retail", 0, scale)
        n = data.base.store().count("orders")
        rows.append(bench_domain("retail", data, f"retail x{scale} ({n} orders)"))
    print(f"read-call ratio largest/smallest DB: best case {rows[-1]['read_us'] / rows[0]['read_us']:.2f}, "
          f"real use {rows[-1]['real_read_us'] / rows[0]['real_read_us']:.2f}; "
          f"fork ratio: {rows[-1]['fork_us'] / rows[0]['fork_us']:.2f} (1.0 = independent of size)")

    if "retail" in loaded:
        print("\n== replay all tau2 retail tasks (fresh environment and a hash each, no cache) ==")
        data = loaded["retail"]
        start = time.perf_counter()
        for task in data.tasks:
            replay_gold(data, task, cache=False)
        secs = time.perf_counter() - start
        theirs_s = None
        if not missing:
            try:
                theirs_s = bench_tau2("retail", *PROBES["retail"](data.base.store()), data.tasks)["replay_s"]
            except Exception as exc:
                print(f"tau2-bench's replay could not be timed ({type(exc).__name__}: {exc}); no comparison measured")
        print(compare(f"{len(data.tasks)} tasks", secs, theirs_s, "s"))


if __name__ == "__main__":
    main()

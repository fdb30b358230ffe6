"""Task generation throughput: tasks per second per domain, on tau2's database and a generated one.

The figure the task-generator tests used to assert (500 tasks over writes 1-5 x evidence 0-12 in
under a minute) is printed here instead, with what the generator rejected on the way.

    .venv/bin/python bench/bench_tasks.py [--n 500] [--tau2-data ../shared/tau2]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from writ.data import load_data
from writ.tasks import AxisRange, generate_tasks

DEFAULT_TAU2 = Path(__file__).resolve().parents[2] / "shared" / "tau2"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--tau2-data", type=Path, default=DEFAULT_TAU2)
    parser.add_argument("--domains", nargs="*", default=["retail", "airline", "telecom"])
    args = parser.parse_args()
    for domain in args.domains:
        sources = [("generated", lambda domain=domain: load_data(domain, seed=0, scale=1.0))]
        if (args.tau2_data / domain).is_dir():
            sources.insert(0, ("tau2", lambda domain=domain: load_data(domain, tau2_data=args.tau2_data)))
        for label, load in sources:
            data = load()
            start = time.perf_counter()
            tasks, report = generate_tasks(data, args.n, AxisRange(1, 5), AxisRange(0, 12), seed=0)
            seconds = time.perf_counter() - start
            print(f"{domain:8} {label:9} {len(tasks):4}/{args.n} tasks in {seconds:6.1f} s "
                  f"({len(tasks) / seconds:6.1f} tasks/s); rejections {dict(report.rejections)}")


if __name__ == "__main__":
    main()

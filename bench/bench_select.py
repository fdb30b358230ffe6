"""Budgeted selection speed: `writ.export.select` on synthetic metadata rows (no conversations).

Rows look like a large synthesis: tasks spread unevenly over writes 1-5 x evidence 0-12 (a few
cells nearly empty, so the spill runs), each with `--variants` behaviour variants (one or two of 16
behaviours), over three domains. Figures per setting: seconds to select, rows per
second, selected count, cells that spilled, and the spread (max - min) of per-cell counts over the
cells that could have given more (0 or 1 with the uniform mix).

    .venv/bin/python bench/bench_select.py --rows 100000
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter

from writ.export import Budget, Candidate, select

DOMAINS = ("retail", "airline", "telecom")


def synthetic_rows(n: int, variants: int, seed: int = 0) -> list[Candidate]:
    rng = random.Random(seed)
    names = [f"behaviour_{i:02d}" for i in range(16)]  # as many as writ's catalogue
    cells = [(w, e) for w in range(1, 6) for e in range(13)]
    density = {c: rng.choice([0.05, 1, 1, 2, 3]) for c in cells}  # some cells nearly empty
    rows: list[Candidate] = []
    task = 0
    while len(rows) < n:
        cell = rng.choices(cells, weights=[density[c] for c in cells])[0]
        domain = DOMAINS[task % len(DOMAINS)]
        stem = f"{domain}-{task:07d}"
        for v in range(variants):
            if len(rows) == n:
                break
            behaviours = tuple(sorted(rng.sample(names, rng.choice([1, 1, 2]))))
            rows.append(Candidate(f"{stem}-v{v}#0", f"{stem}-v{v}", stem, cell[0], cell[1], behaviours, domain))
        task += 1
    return rows


def spread(rows: list[Candidate], selection) -> int:
    counts = Counter(r.cell for r in rows if r.key in selection.keys)
    room = [counts[c] for c, fig in selection.cells.items() if fig["eligible"] > counts[c]]
    return max(room) - min(room) if room else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--variants", type=int, default=4)
    args = parser.parse_args()
    start = time.perf_counter()
    rows = synthetic_rows(args.rows, args.variants)
    print(f"{len(rows)} rows ({len({r.stem for r in rows})} tasks, {args.variants} variants each) built in "
          f"{time.perf_counter() - start:.2f}s")
    print(f"{'budget':>8} {'mix':>12} {'cap':>4} {'seconds':>8} {'rows/s':>10} {'selected':>9} {'spills':>7} "
          f"{'spread':>7}  (spread: <= 1 for uniform)")
    for budget, mix, cap in [(2_000, "uniform", 1), (2_000, "uniform", 2), (2_000, "read-heavy", 2),
                             (20_000, "uniform", 2), (20_000, "*x*=1,*x8-12=3", None), (None, "uniform", 1)]:
        start = time.perf_counter()
        selection = select(rows, Budget.of(budget, mix, cap, seed=0))
        seconds = time.perf_counter() - start
        print(f"{budget or 'all':>8} {mix:>12} {cap or '-':>4} {seconds:>8.2f} {len(rows) / seconds:>10,.0f} "
              f"{len(selection.keys):>9} {len(selection.spills):>7} {spread(rows, selection):>7}")


if __name__ == "__main__":
    main()

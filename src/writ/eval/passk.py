"""pass^k: the chance that k independent trials of a task all succeed, averaged over tasks.

For a task with c successes out of n trials the unbiased estimator is C(c, k) / C(n, k) (tau2-bench
and the tau-bench paper). Tasks with fewer than k recorded trials are left out of pass^k (their
count is reported), so a partial run never inflates or deflates it.

Confidence intervals come from a seeded percentile bootstrap over tasks: resample the tasks with
replacement, recompute the mean, take the 2.5th and 97.5th percentiles. The task is the unit that
varies between benchmarks; trials within a task are not independent draws of the benchmark.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from math import comb
from typing import Any

__all__ = ["Interval", "bootstrap_mean", "pass_hat_k", "pass_hat_ks", "task_pass_hat_k"]


def task_pass_hat_k(c: int, n: int, k: int) -> float:
    """C(c, k) / C(n, k) for one task: c successes in n trials."""
    if not 0 <= c <= n or not 1 <= k <= n:
        raise ValueError(f"need 0 <= c <= n and 1 <= k <= n (got c={c}, n={n}, k={k})")
    return comb(c, k) / comb(n, k)


@dataclass(frozen=True)
class Interval:
    value: float | None
    low: float | None
    high: float | None
    tasks: int  # tasks the value is averaged over

    def to_json(self) -> dict[str, float | int | None]:
        r = lambda x: None if x is None else round(x, 6)  # noqa: E731
        return {"value": r(self.value), "ci_low": r(self.low), "ci_high": r(self.high), "tasks": self.tasks}


def bootstrap_mean(values: Sequence[float], *, resamples: int = 1000, seed: int = 0,
                   level: float = 0.95) -> Interval:
    """The mean of `values` with a seeded percentile-bootstrap interval."""
    n = len(values)
    if n == 0:
        return Interval(None, None, None, 0)
    mean = sum(values) / n
    if n == 1 or min(values) == max(values):
        return Interval(mean, mean, mean, n)
    rng = random.Random(seed)
    means = sorted(sum(rng.choices(values, k=n)) / n for _ in range(resamples))
    tail = (1 - level) / 2
    low = means[int(tail * (resamples - 1))]
    high = means[int(round((1 - tail) * (resamples - 1)))]
    return Interval(mean, low, high, n)


def pass_hat_k(counts: Iterable[tuple[int, int]], k: int, **bootstrap: Any) -> Interval:
    """pass^k over tasks given (successes, trials) per task, with its bootstrap interval."""
    values = [task_pass_hat_k(c, n, k) for c, n in counts if n >= k]
    return bootstrap_mean(values, **bootstrap)


def pass_hat_ks(counts: Sequence[tuple[int, int]], max_k: int, **bootstrap: Any) -> dict[int, Interval]:
    return {k: pass_hat_k(counts, k, **bootstrap) for k in range(1, max_k + 1)}

"""The numbers of the report, computed from episode rows alone (no plotting, no HTML).

Every rate here is per episode: "pass rate" is kept episodes over all episodes of a group, the
honest price of a cell, since each failed attempt was paid for. "Yield" is the same over the run,
and "cost per kept trajectory" divides everything spent (rejected episodes included) by what was
kept, which is what a dataset really costs. Per task, the cost of obtaining its kept trajectory
is the sum over all its attempts.

Rejections are told apart the way they are fixed: an episode cut off or crashed is counted by its
termination (``max_steps``, ``agent_error``: fix the limits or the endpoint), a conversation that
ended but was rejected is counted by each verifier check it failed (``state``, ``grounding``: fix
the agent or the task), with its most common reasons and an episode to open (`RejectionTally`).

Model latency is read from each model call the episodes recorded (cache hits left out): per call
(is the server slow?) and summed per episode (how long does a conversation wait on models?).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from writ.report.load import EpisodeRow, RunView
from writ.sim.rejections import RejectionTally

__all__ = ["Group", "Headline", "Histogram", "RunStats", "compute_stats", "histogram"]


@dataclass(frozen=True)
class Group:
    """Episodes sharing one value of some property, and how many were kept."""

    label: str
    kept: int
    total: int

    @property
    def rejected(self) -> int:
        return self.total - self.kept

    @property
    def rate(self) -> float:
        return self.kept / self.total if self.total else 0.0


@dataclass(frozen=True)
class Headline:
    tasks: int
    tasks_kept: int
    episodes: int
    kept: int
    tokens: int
    reasoning_tokens: int
    cost: float
    active_seconds: float

    @property
    def rejected(self) -> int:
        return self.episodes - self.kept

    @property
    def yield_rate(self) -> float:
        return self.kept / self.episodes if self.episodes else 0.0

    @property
    def cost_per_kept(self) -> float | None:
        return self.cost / self.kept if self.kept else None

    @property
    def tokens_per_kept(self) -> float | None:
        """Every token spent (rejected episodes included) per kept trajectory: what one really costs."""
        return self.tokens / self.kept if self.kept else None

    @property
    def episodes_per_s(self) -> float | None:
        return self.episodes / self.active_seconds if self.active_seconds > 0 else None


@dataclass(frozen=True)
class Histogram:
    """Counts per bin; ``edges`` has one more entry than each series (bins are [lo, hi))."""

    edges: list[float]
    series: dict[str, list[int]]
    integer: bool = False

    @property
    def empty(self) -> bool:
        return not any(sum(v) for v in self.series.values())


@dataclass
class RunStats:
    headline: Headline
    grid: dict[tuple[int, int], Group]  # (n_writes, evidence) -> episodes of that cell
    off_grid: int  # episodes of tasks without writ axis metadata
    by_writes: list[Group]
    by_evidence: list[Group]
    by_behaviour: list[Group]
    by_domain: list[Group]
    by_generator: list[Group]
    turns: Histogram
    tokens: Histogram
    cost_per_kept_task: Histogram
    check_failures: Counter  # verifier check -> rejected completed episodes that failed it
    check_examples: dict[str, str]  # verifier check -> one reason it gave
    terminations: Counter  # termination -> rejected episodes ending so
    rejected_completed: int  # rejected episodes whose conversation ended on its own
    sizes: dict[str, dict[str, tuple[float, float, float] | None]]  # metric -> kept/rejected -> (median, mean, p90)
    rejections: RejectionTally = field(default_factory=RejectionTally)  # per verifier: reasons, an example
    latency: dict[str, tuple[float, float, float] | None] = field(default_factory=dict)  # per call / per episode
    model_calls: int = 0  # model calls with a latency (cache hits left out)

    @property
    def grid_axes(self) -> tuple[list[int], list[int]]:
        writes = sorted({w for w, _ in self.grid})
        evidence = sorted({e for _, e in self.grid})
        return writes, evidence


def _natural(label: str) -> tuple[int, float, str]:
    try:
        return 0, float(label), ""
    except ValueError:
        return 1, 0.0, label


def _groups(rows: Iterable[EpisodeRow], keys: Callable[[EpisodeRow], Iterable[str]], *,
            by_size: bool = False) -> list[Group]:
    kept: Counter = Counter()
    total: Counter = Counter()
    for row in rows:
        for key in keys(row):
            total[key] += 1
            kept[key] += row.passed
    labels = sorted(total, key=(lambda k: (-total[k], k)) if by_size else _natural)
    return [Group(k, kept[k], total[k]) for k in labels]


def histogram(values: dict[str, list[float]], *, bins: int = 20, integer: bool = False) -> Histogram:
    """Shared bins for several series; integer data of a small range gets one bin per value."""
    flat = [v for vs in values.values() for v in vs]
    if not flat:
        return Histogram([0.0, 1.0], {k: [0] for k in values}, integer)
    lo, hi = min(flat), max(flat)
    if integer:
        lo, hi = math.floor(lo), math.floor(hi)
        step = max(1, math.ceil((hi - lo + 1) / bins))
        edges = [float(lo + i * step) for i in range(math.ceil((hi - lo + 1) / step) + 1)]
    else:
        if hi <= lo:
            hi = lo + (abs(lo) or 1.0) * 0.1
        step = (hi - lo) / bins
        edges = [lo + i * step for i in range(bins + 1)]
    series = {}
    for name, vs in values.items():
        counts = [0] * (len(edges) - 1)
        for v in vs:
            i = min(int((v - edges[0]) // (edges[1] - edges[0])), len(counts) - 1)
            counts[max(i, 0)] += 1
        series[name] = counts
    return Histogram(edges, series, integer)


def _spread(values: list[float]) -> tuple[float, float, float] | None:
    """(median, mean, 90th percentile) of `values` (nearest rank), None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    n = len(ordered)
    median = (ordered[(n - 1) // 2] + ordered[n // 2]) / 2
    return median, sum(ordered) / n, ordered[min(n - 1, math.ceil(0.9 * n) - 1)]


SIZE_METRICS: dict[str, Callable[[EpisodeRow], float]] = {
    "turns": lambda r: r.turns, "tool calls": lambda r: r.tool_calls, "tokens": lambda r: r.tokens,
    "cost": lambda r: r.cost, "seconds": lambda r: r.seconds,
}


def _split(rows: list[EpisodeRow], value: Callable[[EpisodeRow], float]) -> dict[str, list[float]]:
    return {"kept": [value(r) for r in rows if r.passed], "rejected": [value(r) for r in rows if not r.passed]}


def compute_stats(view: RunView) -> RunStats:
    rows = view.rows
    kept_tasks = {r.task_id for r in rows if r.passed}
    headline = Headline(tasks=len(view.tasks), tasks_kept=len(kept_tasks), episodes=len(rows),
                        kept=sum(r.passed for r in rows), tokens=sum(r.tokens for r in rows),
                        reasoning_tokens=sum(r.reasoning_tokens for r in rows), cost=sum(r.cost for r in rows),
                        active_seconds=view.active_seconds)
    on_grid = [r for r in rows if r.n_writes is not None and r.evidence is not None]
    grid = {(int(g.label.split(",")[0]), int(g.label.split(",")[1])): g
            for g in _groups(on_grid, lambda r: [f"{r.n_writes},{r.evidence}"])}
    task_cost: dict[str, float] = defaultdict(float)
    for r in rows:
        task_cost[r.task_id] += r.cost
    check_failures: Counter = Counter()
    examples: dict[str, str] = {}
    terminations: Counter = Counter()
    rejected_completed = 0
    tally = RejectionTally()
    for r in rows:
        if r.passed:
            continue
        terminations[r.termination] += 1
        if r.completed:
            rejected_completed += 1
            check_failures.update(r.failed_checks or ("(no verdict)",))
            tally.add_failures(f"{r.task_id}#{r.attempt}", r.failures)
    calls = [x for r in rows for x in r.call_latencies]
    latency = {"per call": _spread(calls),
               "per episode": _spread([sum(r.call_latencies) for r in rows if r.call_latencies])}
    examples.update({v.verifier: v.example_reason for v in tally.ranked()})
    return RunStats(
        headline=headline, grid=grid, off_grid=len(rows) - len(on_grid),
        by_writes=_groups(on_grid, lambda r: [str(r.n_writes)]),
        by_evidence=_groups(on_grid, lambda r: [str(r.evidence)]),
        by_behaviour=_groups(rows, lambda r: r.behaviours or ("(none)",), by_size=True),
        by_domain=_groups(rows, lambda r: [r.domain], by_size=True),
        by_generator=_groups(rows, lambda r: [r.generator], by_size=True),
        turns=histogram(_split(rows, lambda r: r.turns), integer=True),
        tokens=histogram(_split(rows, lambda r: r.tokens)),
        cost_per_kept_task=histogram({"kept": [task_cost[t] for t in sorted(kept_tasks)]}),
        check_failures=check_failures, check_examples=examples, terminations=terminations,
        rejected_completed=rejected_completed,
        sizes={name: {side: _spread(values) for side, values in _split(rows, metric).items()}
               for name, metric in SIZE_METRICS.items()},
        rejections=tally, latency=latency, model_calls=len(calls),
    )

"""Budgeted, balanced selection: which kept trajectories to train on when the budget is fixed.

A large synthesis keeps more trajectories than a training budget allows (the published setting
trains on 2,000), and which ones are kept decides what the model learns. Selection works on light
metadata rows (`Candidate`: key, task, stem, the task's two axes, behaviours, domain), never on
whole conversations, so it costs the same whether the episodes are in memory or streamed.

The order of concerns, and how each is met:

1. **Exact size.** ``min(budget, eligible)`` rows, where eligible rows respect the cap of
   ``max_per_task`` variants per task stem (a task and its behaviour variants share a stem).
2. **The grid.** The budget is spread over the writes x evidence cells by the mix's weights
   (`writ.export.mix`): each cell's *share* is its weighted part of the budget, rounded by largest
   remainder. A cell with fewer trajectories than its share gives what it has, and every missing
   trajectory goes, one at a time, to a cell with room that is furthest below its weighted level
   ((count + 1) / weight), the *nearest* such cell on the grid first (L1 distance over writes and
   evidence; at equal distance, the one with the closer number of writes). With the uniform mix
   every cell that has enough trajectories therefore ends within one of every other, and a short
   cell's remainder lands next to it. The summary records each short cell and where its remainder
   went.
3. **Within a cell**, new task stems before second variants of a stem; then a row with the
   behaviour least represented so far (over the whole selection; ``(none)``, the cooperative
   user, counts as one), whose other behaviours are as rare as can be; then of the least
   represented domain; then by a seeded hash of the key.

Everything is a pure function of (the set of rows, the settings): rows are ordered by key first,
ties are broken by ``sha256(seed/key)``, so the same inputs give the same selection in any order.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from writ.export.mix import Cell, Mix, SelectionError, cell_key, parse_mix

__all__ = ["Budget", "Candidate", "Selection", "Spill", "allocate", "select", "selection_card"]

NO_BEHAVIOUR = "(none)"


@dataclass(frozen=True)
class Candidate:
    """What selection needs to know about one kept trajectory (no messages)."""

    key: str  # unique per exported trajectory (the record id)
    task_id: str
    stem: str  # the task a variant was made from; the unit of max_per_task and of the split
    n_writes: int
    evidence: int
    behaviours: tuple[str, ...] = ()
    domain: str = ""

    @property
    def cell(self) -> Cell:
        return (self.n_writes, self.evidence)

    @classmethod
    def of(cls, record: Any) -> Candidate:
        """From anything with a TrainingRecord's metadata fields (``id`` is the key)."""
        return cls(str(record.id), str(record.task_id), str(record.stem), int(record.n_writes), int(record.evidence),
                   tuple(str(b) for b in record.behaviours or ()), str(record.domain))


@dataclass(frozen=True)
class Budget:
    """The selection settings: size, cell weighting, variants per task, seed."""

    budget: int | None = None  # None: every eligible row (still capped by max_per_task)
    mix: Mix = field(default_factory=lambda: Mix("uniform"))
    max_per_task: int | None = None
    seed: int = 0

    @classmethod
    def of(cls, budget: int | None = None, mix: Any = None, max_per_task: int | None = None,
           seed: int = 0) -> Budget:
        """Checked settings; bad ones raise a one-line `SelectionError`."""
        for name, value in (("--budget", budget), ("--max-per-task", max_per_task)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise SelectionError(f"{name} must be a whole number of at least 1, got {value}")
        return cls(budget, parse_mix(mix), max_per_task, int(seed))

    @property
    def active(self) -> bool:
        return self.budget is not None or self.max_per_task is not None

    def to_json(self) -> dict[str, Any]:
        return {"budget": self.budget, "mix": self.mix.to_json(), "max_per_task": self.max_per_task,
                "seed": self.seed}


@dataclass
class Spill:
    """A cell short of its share, and the cells that took its remainder."""

    cell: Cell
    share: int
    available: int
    to: dict[Cell, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"cell": cell_key(self.cell), "share": self.share, "available": self.available,
                "to": {cell_key(c): n for c, n in sorted(self.to.items())}}


@dataclass
class Selection:
    """The chosen keys and the figures behind them (the manifest's ``selection``, the card's section)."""

    keys: set[str]
    settings: Budget
    candidates: int
    eligible: int  # rows left after the per-task cap
    cells: dict[Cell, dict[str, Any]]  # weight, share, available, eligible, selected
    spills: list[Spill]
    behaviours: dict[str, tuple[int, int]]  # available, selected
    domains: dict[str, tuple[int, int]]

    def to_json(self) -> dict[str, Any]:
        return {"settings": self.settings.to_json(), "candidates": self.candidates, "eligible": self.eligible,
                "selected": len(self.keys),
                "cells": {cell_key(c): v for c, v in sorted(self.cells.items())},
                "spills": [s.to_json() for s in self.spills],
                "behaviours": {b: {"available": a, "selected": s} for b, (a, s) in self.behaviours.items()},
                "domains": {d: {"available": a, "selected": s} for d, (a, s) in self.domains.items()}}


def _rank(seed: int, text: str) -> bytes:
    return hashlib.sha256(f"{seed}/{text}".encode()).digest()


def _largest_remainder(total: int, weights: dict[Cell, float], seed: int) -> dict[Cell, int]:
    mass = sum(weights.values())
    exact = {c: total * w / mass for c, w in weights.items()}
    out = {c: int(x) for c, x in exact.items()}
    order = sorted(weights, key=lambda c: (-(exact[c] - out[c]), _rank(seed, cell_key(c))))
    for c in order[:total - sum(out.values())]:
        out[c] += 1
    return out


def _receiver(counts: dict[Cell, int], capacity: dict[Cell, int], weights: dict[Cell, float],
              source: Cell | None, rank: dict[Cell, bytes]) -> Cell | None:
    """The cell that takes one more row: lowest weighted level, then nearest to `source`, then rank."""
    def key(c: Cell) -> tuple:
        w = weights.get(c, 0.0)
        level = (0, (counts[c] + 1) / w) if w > 0 else (1, counts[c])  # weight-0 cells only once all else is full
        near = (abs(c[0] - source[0]) + abs(c[1] - source[1]), abs(c[0] - source[0])) if source else (0, 0)
        return (*level, *near, rank[c])

    room = [c for c in capacity if counts[c] < capacity[c]]
    return min(room, key=key) if room else None


def allocate(total: int, weights: dict[Cell, float], capacity: dict[Cell, int],
             seed: int = 0) -> tuple[dict[Cell, int], dict[Cell, int], list[Spill]]:
    """(shares, counts, spills): how many rows each cell gets (see the module docstring).

    `total` must not exceed the sum of `capacity`; cells missing from `weights` weigh 0.
    """
    weights = {c: weights.get(c, 0.0) for c in capacity}
    shares = _largest_remainder(total, {c: w for c, w in weights.items() if w > 0}, seed)
    shares = {c: shares.get(c, 0) for c in capacity}
    counts = {c: min(shares[c], capacity[c]) for c in capacity}
    spills = [Spill(c, shares[c], capacity[c]) for c in sorted(capacity) if shares[c] > capacity[c]]
    rank = {c: _rank(seed, cell_key(c)) for c in capacity}
    missing = {id(s): s.share - s.available for s in spills}
    while any(missing.values()):  # round-robin over the short cells, so none takes the nearest room first
        for spill in spills:
            if not missing[id(spill)]:
                continue
            missing[id(spill)] -= 1
            cell = _receiver(counts, capacity, weights, spill.cell, rank)
            if cell is None:
                raise ValueError("allocate: total exceeds the capacity of all cells")
            counts[cell] += 1
            spill.to[cell] = spill.to.get(cell, 0) + 1
    return shares, counts, spills


def _behaviours(row: Candidate) -> tuple[str, ...]:
    return row.behaviours or (NO_BEHAVIOUR,)


class _Picker:
    """Chooses rows inside cells, keeping the cross-cell tallies (stems, behaviours, domains)."""

    def __init__(self, settings: Budget, rank: dict[str, bytes]):
        self.rank, self.cap, self.seed = rank, settings.max_per_task, settings.seed
        self.labels: dict[str, bytes] = {}  # behaviour and domain names -> seeded tie-break
        self.used: Counter = Counter()  # stem -> rows chosen
        self.behaviours: Counter = Counter()
        self.domains: Counter = Counter()
        self.chosen: set[str] = set()

    def room(self, rows: list[Candidate]) -> int:
        """How many of `rows` could still be chosen under the cap."""
        free: Counter = Counter(r.stem for r in rows if r.key not in self.chosen)
        if self.cap is None:
            return sum(free.values())
        return sum(min(n, max(0, self.cap - self.used[stem])) for stem, n in free.items())

    def _label(self, text: str) -> bytes:
        if text not in self.labels:
            self.labels[text] = _rank(self.seed, "label/" + text)
        return self.labels[text]

    def take(self, rows: list[Candidate], quota: int) -> int:
        """Choose up to `quota` of `rows`, new stems first; returns how many were chosen."""
        taken, depth = 0, 0
        while taken < quota and (self.cap is None or depth < self.cap):
            free = [r for r in rows if r.key not in self.chosen and self.used[r.stem] >= depth]
            if not free:
                break
            taken += self._pass([r for r in free if self.used[r.stem] == depth], quota - taken, depth)
            depth += 1
        return taken

    def _key(self, combo: tuple[str, ...]) -> tuple:
        """Lower is chosen first; it never decreases as tallies grow, which keeps the lazy heap exact."""
        counts = [self.behaviours[b] for b in combo]
        return (min(counts), sum(counts) / len(counts), self._label(",".join(combo)))

    def _pass(self, pool: list[Candidate], want: int, depth: int) -> int:
        """One row per stem at most: a row with the least represented behaviour (preferring companions
        as rare, so a rare behaviour does not drag a common one along), then domain, then rank.

        Rows wait in stacks per behaviour combination and domain, best-ranked on top. A heap holds
        each combination under the key it had when pushed; a popped one whose key has since grown
        is pushed back with the new key (keys only grow, so the first one popped unchanged is the
        true minimum).
        """
        stacks: dict[tuple[str, ...], dict[str, list[Candidate]]] = defaultdict(lambda: defaultdict(list))
        for row in sorted(pool, key=lambda r: self.rank[r.key], reverse=True):
            stacks[_behaviours(row)][row.domain].append(row)
        heap = [(self._key(combo), combo) for combo in stacks]
        heapq.heapify(heap)
        taken = 0
        while taken < want and heap:
            stored, combo = heapq.heappop(heap)
            current = self._key(combo)
            if current != stored:
                heapq.heappush(heap, (current, combo))
                continue
            row = self._head(stacks[combo], depth)
            if row is None:
                continue
            self.chosen.add(row.key)
            self.used[row.stem] += 1
            self.behaviours.update(combo)
            self.domains[row.domain] += 1
            taken += 1
            if stacks[combo]:
                heapq.heappush(heap, (self._key(combo), combo))
        return taken

    def _head(self, by_domain: dict[str, list[Candidate]], depth: int) -> Candidate | None:
        """Pop the best row of the least represented domain, dropping rows whose stem was just used."""
        while by_domain:
            domain = min(by_domain, key=lambda d: (self.domains[d], self._label(d)))
            rows = by_domain[domain]
            row = rows.pop()
            if not rows:
                del by_domain[domain]
            if self.used[row.stem] == depth:
                return row
        return None


def select(rows: Iterable[Candidate], settings: Budget) -> Selection:
    """The keys to export and the figures the card and manifest show; see the module docstring."""
    by_key = {r.key: r for r in rows}
    ordered = [by_key[k] for k in sorted(by_key)]
    by_cell: dict[Cell, list[Candidate]] = defaultdict(list)
    for row in ordered:
        by_cell[row.cell].append(row)
    picker = _Picker(settings, {k: _rank(settings.seed, k) for k in by_key})
    capacity = {c: picker.room(cell_rows) for c, cell_rows in sorted(by_cell.items())}
    eligible = sum(capacity.values())  # exact unless a stem has rows in several cells
    total = eligible if settings.budget is None else min(settings.budget, eligible)
    weights = settings.mix.weights(capacity)
    if total == eligible:  # everything eligible goes: no shares to fall short of
        shares, counts, spills = dict(capacity), dict(capacity), []
    else:
        shares, counts, spills = allocate(total, weights, capacity, settings.seed)
    for cell, n in counts.items():
        picker.take(by_cell[cell], n)
    spent: set[Cell] = set()
    while len(picker.chosen) < total:  # only when one stem has rows in several cells and the cap bit
        current = {c: sum(1 for r in rows if r.key in picker.chosen) for c, rows in by_cell.items()}
        room = {c: current[c] + (0 if c in spent else picker.room(rows)) for c, rows in by_cell.items()}
        cell = _receiver(current, room, weights, None, {c: _rank(settings.seed, cell_key(c)) for c in room})
        if cell is None:
            break
        if not picker.take(by_cell[cell], 1):
            spent.add(cell)
    return _summary(ordered, by_cell, picker.chosen, settings, weights, shares, capacity, spills)


def _summary(ordered: list[Candidate], by_cell: dict[Cell, list[Candidate]], chosen: set[str], settings: Budget,
             weights: dict[Cell, float], shares: dict[Cell, int], capacity: dict[Cell, int],
             spills: list[Spill]) -> Selection:
    cells = {c: {"weight": round(weights.get(c, 0.0), 4), "share": shares.get(c, 0), "available": len(rows),
                 "eligible": capacity[c], "selected": sum(1 for r in rows if r.key in chosen)}
             for c, rows in sorted(by_cell.items())}
    tallies: dict[str, dict[str, list[int]]] = {"behaviours": defaultdict(lambda: [0, 0]),
                                                "domains": defaultdict(lambda: [0, 0])}
    for row in ordered:
        picked = int(row.key in chosen)
        for b in _behaviours(row):
            tallies["behaviours"][b][0] += 1
            tallies["behaviours"][b][1] += picked
        tallies["domains"][row.domain][0] += 1
        tallies["domains"][row.domain][1] += picked
    ranked = {name: {k: (a, s) for k, (a, s) in sorted(t.items(), key=lambda kv: (-kv[1][1], kv[0]))}
              for name, t in tallies.items()}
    return Selection(set(chosen), settings, len(ordered), sum(capacity.values()), cells, spills, ranked["behaviours"],
                     ranked["domains"])


def selection_card(summary: dict[str, Any]) -> list[str]:
    """The dataset card's section on the selection (from `Selection.to_json`), as Markdown lines."""
    s = summary["settings"]
    mix = s["mix"] if isinstance(s["mix"], str) else ", ".join(f"{k}={v:g}" for k, v in s["mix"].items())
    lines = ["## Selection", "",
             (f"{summary['selected']} of {summary['candidates']} trajectories were selected before the split: budget "
              f"{s['budget'] if s['budget'] is not None else 'none (all)'}, mix `{mix}`, at most "
              f"{s['max_per_task'] if s['max_per_task'] is not None else 'any number of'} variant(s) per task "
              f"({summary['eligible']} eligible), seed {s['seed']}. The budget is spread over the writes x evidence "
              "cells by weight, then over user behaviours and domains within each cell."), ""]
    for spill in summary["spills"]:
        to = ", ".join(f"{c} (+{n})" for c, n in spill["to"].items())
        lines.append(f"- cell {spill['cell']} had {spill['available']} trajectories for a share of {spill['share']}; "
                     f"the remaining {spill['share'] - spill['available']} went to the cells furthest below "
                     f"their level, nearest first: {to}")
    if summary["spills"]:
        lines.append("")
    lines += ["| cell (writes x evidence) | weight | share | available | eligible | selected |",
              "|---|---|---|---|---|---|"]
    lines += [f"| {c} | {v['weight']:g} | {v['share']} | {v['available']} | {v['eligible']} | {v['selected']} |"
              for c, v in summary["cells"].items()]
    for name in ("behaviours", "domains"):
        lines += ["", f"| {name[:-1]} | available | selected |", "|---|---|---|"]
        lines += [f"| {k} | {v['available']} | {v['selected']} |" for k, v in summary[name].items()]
    return lines + [""]

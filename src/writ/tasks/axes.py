"""The two difficulty axes and how targets are sampled over them.

A task's difficulty is a cell of the grid *writes per task* x *evidence burden*. The evidence
burden of one write is the number of read calls in the gold solution needed to pin down its
arguments; a task's burden is that of its hardest write (the per-write values are recorded too).
Users ask for ranges ("1-5", "0-12"); the sampler spreads targets over the whole grid, not only
its corners, either as a shuffled round-robin over every cell (`grid`) or uniformly (`mix`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = ["AxisRange", "Cell", "parse_range", "target_cells"]


class RangeError(ValueError):
    pass


@dataclass(frozen=True)
class AxisRange:
    low: int
    high: int

    def __iter__(self):
        return iter(range(self.low, self.high + 1))

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.low <= value <= self.high

    def __str__(self) -> str:
        return f"{self.low}-{self.high}"


@dataclass(frozen=True)
class Cell:
    writes: int
    evidence: int


def parse_range(text: str, name: str, *, minimum: int = 0, maximum: int = 50) -> AxisRange:
    """Parse ``"3"`` or ``"1-5"``; impossible ranges raise a one-line `RangeError`."""
    parts = str(text).replace(" ", "").split("-")
    try:
        if len(parts) == 1:
            low = high = int(parts[0])
        elif len(parts) == 2:
            low, high = int(parts[0]), int(parts[1])
        else:
            raise ValueError
    except ValueError:
        raise RangeError(f"--{name} {text!r}: expected N or LOW-HIGH, e.g. 1-5") from None
    if low > high:
        raise RangeError(f"--{name} {text}: the range is empty ({low} > {high}); did you mean {high}-{low}?")
    if low < minimum or high > maximum:
        raise RangeError(f"--{name} {text}: must lie within {minimum}-{maximum}")
    return AxisRange(low, high)


def target_cells(writes: AxisRange, evidence: AxisRange, n: int, rng: random.Random, mode: str = "grid") -> list[Cell]:
    """`n` target cells: every cell equally often in `grid` mode, independent uniform draws in `mix`."""
    cells = [Cell(w, e) for w in writes for e in evidence]
    if mode == "mix":
        return [rng.choice(cells) for _ in range(n)]
    if mode != "grid":
        raise RangeError(f"unknown sampling mode {mode!r} (grid or mix)")
    out: list[Cell] = []
    while len(out) < n:
        block = list(cells)
        rng.shuffle(block)
        out.extend(block)
    return out[:n]

"""Cell weights for a budgeted export: how the budget is spread over the writes x evidence grid.

A *mix* gives every cell of the grid a weight; a cell's share of the budget is proportional to it.
Three named mixes cover the common cases, and a small table covers the rest:

* ``uniform``: every cell that has trajectories weighs the same;
* ``read-heavy``: weights rise linearly with the evidence burden, from 1 at the lowest burden
  present to 3 at the highest (writes ignored), so reading-to-decide is trained on most;
* ``write-heavy``: the same over writes per task;
* a table ``{"1x0": 1, "3x*": 2, "2-4x5-8": 0.5}`` (or inline ``"1x0=1,3x*=2"`` on the command
  line): each key is ``WRITESxEVIDENCE`` where either side is a number, a range ``LOW-HIGH`` or
  ``*``. A cell takes the weight of the *last* key that matches it (so ``{"*x*": 1, "5x*": 3}``
  reads "everything, with five-write tasks three times as much"); cells no key matches weigh 0.

Presets are relative to the cells present, so the same mix means the same thing for any run. A
table is checked against the cells present: a key that matches none of them is an error rather
than a silently ignored typo.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["MIXES", "Cell", "CellPattern", "Mix", "SelectionError", "cell_key", "parse_mix"]

MIXES = ("uniform", "read-heavy", "write-heavy")
Cell = tuple[int, int]  # (writes per task, evidence burden)
_SIDE = r"(\*|\d+|\d+-\d+)"
_PATTERN = re.compile(rf"^{_SIDE}x{_SIDE}$")
_TOP = 3.0  # a preset's weight at the far end of its axis (1 at the near end)


class SelectionError(ValueError):
    """Unusable selection settings (budget, mix, cap): the message is one line."""


def cell_key(cell: Cell) -> str:
    return f"{cell[0]}x{cell[1]}"


def _side(text: str, key: str) -> tuple[int, int] | None:
    if text == "*":
        return None
    low, _, high = text.partition("-")
    bounds = (int(low), int(high or low))
    if bounds[0] > bounds[1]:
        raise SelectionError(f"mix table: cell {key!r} has an empty range {text}")
    return bounds


@dataclass(frozen=True)
class CellPattern:
    """One key of a weight table: a cell, or a block of cells (ranges and ``*`` on either axis)."""

    text: str
    writes: tuple[int, int] | None
    evidence: tuple[int, int] | None

    @classmethod
    def parse(cls, key: Any) -> CellPattern:
        text = str(key).replace(" ", "").lower()
        match = _PATTERN.match(text)
        if not match:
            raise SelectionError(f"mix table: unknown cell {key!r} (use WRITESxEVIDENCE, e.g. 2x5, 1-3x*, *x0-2)")
        return cls(text, _side(match.group(1), text), _side(match.group(2), text))

    def matches(self, cell: Cell) -> bool:
        return all(bounds is None or bounds[0] <= value <= bounds[1]
                   for bounds, value in ((self.writes, cell[0]), (self.evidence, cell[1])))

    def overlaps(self, writes: tuple[int, int], evidence: tuple[int, int]) -> bool:
        """Whether any cell of the block writes x evidence (inclusive ranges) matches."""
        return all(bounds is None or (bounds[0] <= high and low <= bounds[1])
                   for bounds, (low, high) in ((self.writes, writes), (self.evidence, evidence)))


def _weight(value: Any, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(str(value))
        except ValueError:
            raise SelectionError(f"mix table: weight of {key!r} is not a number ({value!r})") from None
    if not math.isfinite(value) or value < 0:
        raise SelectionError(f"mix table: weight of {key!r} must be a finite number >= 0, got {value}")
    return float(value)


@dataclass(frozen=True)
class Mix:
    """A named mix or a weight table (in key order); `weights` turns it into per-cell weights."""

    name: str  # one of MIXES, or "table"
    table: tuple[tuple[CellPattern, float], ...] = ()

    def to_json(self) -> str | dict[str, float]:
        return {p.text: w for p, w in self.table} if self.name == "table" else self.name

    def __str__(self) -> str:
        return ",".join(f"{p.text}={w:g}" for p, w in self.table) if self.name == "table" else self.name

    def check_grid(self, writes: tuple[int, int], evidence: tuple[int, int]) -> None:
        """Before any work: every table key must name cells inside the configured grid."""
        for pattern, _ in self.table:
            if not pattern.overlaps(writes, evidence):
                raise SelectionError(f"mix table: cell {pattern.text!r} lies outside the grid writes "
                                     f"{writes[0]}-{writes[1]} x evidence {evidence[0]}-{evidence[1]}")

    def weights(self, cells: Iterable[Cell]) -> dict[Cell, float]:
        """cell -> weight for the cells present (those that have trajectories)."""
        cells = sorted(set(cells))
        if not cells:
            return {}
        if self.name == "uniform":
            return {c: 1.0 for c in cells}
        if self.name in ("read-heavy", "write-heavy"):
            axis = 1 if self.name == "read-heavy" else 0
            low, high = min(c[axis] for c in cells), max(c[axis] for c in cells)
            span = high - low
            return {c: 1.0 + (_TOP - 1.0) * ((c[axis] - low) / span if span else 0.0) for c in cells}
        out = {c: 0.0 for c in cells}
        for pattern, weight in self.table:
            hits = [c for c in cells if pattern.matches(c)]
            if not hits:
                raise SelectionError(
                    f"mix table: unknown cell {pattern.text!r}: no kept trajectory has it (they span writes "
                    f"{cells[0][0]}-{cells[-1][0]} x evidence {min(c[1] for c in cells)}-{max(c[1] for c in cells)})")
            for c in hits:
                out[c] = weight
        if not any(out.values()):
            raise SelectionError("mix table: every cell present weighs 0; give some cell a positive weight")
        return out


def _inline_table(text: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, sep, value = item.partition("=")
        if not sep:
            raise SelectionError(f"mix table: {item!r} is not CELL=WEIGHT")
        table[key.strip()] = value.strip()
    return table


def parse_mix(value: str | Mapping[str, Any] | Mix | None) -> Mix:
    """A mix from its name, a weight table (mapping), or an inline table ``"1x0=1,3x*=2"``."""
    if value is None:
        return Mix("uniform")
    if isinstance(value, Mix):
        return value
    if isinstance(value, str):
        name = value.strip().lower()
        if name in MIXES:
            return Mix(name)
        if "=" not in name:
            raise SelectionError(f"unknown mix {value!r} (use {', '.join(MIXES)} or a table such as '1x0=1,3x*=2')")
        value = _inline_table(name)
    if not isinstance(value, Mapping) or not value:
        raise SelectionError(f"mix must be one of {', '.join(MIXES)} or a non-empty table of cell weights")
    return Mix("table", tuple((CellPattern.parse(key), _weight(weight, str(key))) for key, weight in value.items()))

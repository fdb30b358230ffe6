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

__all__ = ["AxisRange", "Cell", "DEFAULT_OUTCOMES", "OUTCOMES", "parse_outcomes", "parse_range", "target_cells"]

OUTCOMES = ("write", "refuse", "transfer", "inform")
# Shares of tasks by how the policy-correct conversation ends, close to tau2-bench's own data (airline:
# 24 of 50 gold solutions have no write; retail: 10 of 114, rounded up so that at least one retail
# conversation in ten says no). A "write" task may still refuse one of its requests (partial
# success); the others have no write at all.
DEFAULT_OUTCOMES = {
    "retail": {"write": 0.83, "refuse": 0.08, "transfer": 0.03, "inform": 0.06},
    "airline": {"write": 0.56, "refuse": 0.24, "transfer": 0.06, "inform": 0.14},
    "telecom": {"write": 0.8, "refuse": 0.08, "transfer": 0.08, "inform": 0.04},  # tau2: 2 of 20 transfer
    "banking_knowledge": {"write": 0.8, "refuse": 0.1, "transfer": 0.05, "inform": 0.05},  # tau2: ~8 of 97 transfer
}  # a domain missing here has writes only until its generator drafts the other outcomes


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
    outcome: str = "write"  # how the policy-correct conversation ends; not "write" means no write at all


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


def parse_outcomes(value: str | dict[str, float] | None) -> dict[str, float] | None:
    """``"write=0.8,refuse=0.1,transfer=0.05,inform=0.05"`` (or a mapping) -> normalized shares."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        shares: dict[str, float] = {}
        for part in value.split(","):
            name, sep, number = part.partition("=")
            try:
                shares[name.strip()] = float(number)
            except ValueError:
                raise RangeError(
                    f"--outcomes {value!r}: expected NAME=SHARE pairs, e.g. write=0.8,refuse=0.2") from None
            if not sep:
                raise RangeError(f"--outcomes {value!r}: expected NAME=SHARE pairs, e.g. write=0.8,refuse=0.2")
    else:
        shares = {str(name): float(share) for name, share in dict(value).items()}
    unknown = [name for name in shares if name not in OUTCOMES]
    if unknown:
        raise RangeError(f"--outcomes: unknown outcome {unknown[0]!r} (known: {', '.join(OUTCOMES)})")
    if any(share < 0 or share != share for share in shares.values()) or sum(shares.values()) <= 0:
        raise RangeError("--outcomes: shares must be non-negative and not all zero")
    total = sum(shares.values())
    return {name: share / total for name, share in shares.items() if share > 0}


def target_cells(writes: AxisRange, evidence: AxisRange, n: int, rng: random.Random, mode: str = "grid",
                 outcomes: dict[str, float] | None = None) -> list[Cell]:
    """`n` target cells: every cell equally often in `grid` mode, independent uniform draws in `mix`.

    With `outcomes`, a share of the targets becomes tasks that end without a write (a refusal, a
    transfer, or information), at the same evidence level and with no writes; drawn from a generator
    of their own so the write cells are the same as without the mix.
    """
    cells = [Cell(writes_n, evidence_n) for writes_n in writes for evidence_n in evidence]
    if mode == "mix":
        out = [rng.choice(cells) for _ in range(n)]
    elif mode != "grid":
        raise RangeError(f"unknown sampling mode {mode!r} (grid or mix)")
    else:
        out = []
        while len(out) < n:
            block = list(cells)
            rng.shuffle(block)
            out.extend(block)
        out = out[:n]
    if not outcomes or set(outcomes) == {"write"}:
        return out
    names, weights = list(outcomes), list(outcomes.values())
    draw = random.Random(f"outcomes/{rng.random()}")
    mixed = []
    for cell in out:
        outcome = draw.choices(names, weights)[0]
        mixed.append(cell if outcome == "write" else Cell(0, cell.evidence, outcome))
    return mixed

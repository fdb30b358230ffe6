"""Deduplication and the train/validation split.

The split unit is the task *stem* (`task_stem`): a task's behaviour variants share their gold
solution, and the same task may be kept in several attempts or runs, so putting one of them in
validation and another in train would measure memorisation, not generalisation. Every record of a
stem goes to the same side.

Stems are ordered by ``sha256("seed/stem")`` and the first ``round(fraction * stems)`` of them
(at least one when the fraction is positive and there are two stems or more, never all) go to
validation. The order depends only on the seed and the stem itself, so the split is deterministic
for a seed and stable as a run grows: adding tasks moves a stem across only at the margin. The
fraction is one of stems, not of records (stems differ in their number of variants); the manifest
records both counts.

Deduplication drops trajectories whose agent-visible messages (system message included) are
identical to an earlier one's, keeping the first in run, task and attempt order.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from writ.export.records import TrainingRecord

__all__ = ["Split", "dedup", "split_records", "validation_stems"]


def dedup(records: list[TrainingRecord]) -> tuple[list[TrainingRecord], list[TrainingRecord]]:
    """(kept, dropped): exact duplicates of an earlier record's messages are dropped."""
    seen: set[bytes] = set()
    kept, dropped = [], []
    for record in records:
        digest = hashlib.sha256(record.key().encode("utf-8")).digest()
        if digest in seen:
            dropped.append(record)
        else:
            seen.add(digest)
            kept.append(record)
    return kept, dropped


def _rank(stem: str, seed: int) -> bytes:
    return hashlib.sha256(f"{seed}/{stem}".encode()).digest()


def validation_stems(stems: set[str], fraction: float, seed: int) -> set[str]:
    """The stems that go to validation: a pure function of (the set of stems, fraction, seed)."""
    if not 0 <= fraction < 1:
        raise ValueError(f"validation fraction must be in [0, 1), got {fraction}")
    if fraction == 0 or len(stems) < 2:
        return set()
    k = min(len(stems) - 1, max(1, round(fraction * len(stems))))
    return set(sorted(stems, key=lambda s: (_rank(s, seed), s))[:k])


@dataclass
class Split:
    train: list[TrainingRecord] = field(default_factory=list)
    validation: list[TrainingRecord] = field(default_factory=list)

    def items(self) -> list[tuple[str, list[TrainingRecord]]]:
        return [("train", self.train), ("validation", self.validation)]


def split_records(records: list[TrainingRecord], fraction: float, seed: int) -> Split:
    """Records by side; within a side, the input order (run, task, attempt) is kept."""
    held_out = validation_stems({r.stem for r in records}, fraction, seed)
    out = Split()
    for record in records:
        (out.validation if record.stem in held_out else out.train).append(record)
    return out

"""The task-generation driver: targets over the grid, drafting, validation, dedup, accounting.

Domain generators only know how to draft one task for a target cell. This driver owns everything
they share: spreading targets over the grid, seeding each attempt independently (so the same seed
gives the same file byte for byte, whatever was rejected), validating by execution, rejecting
duplicates of a gold write set, and counting every rejection by reason. It never loops forever:
each target gets a bounded number of attempts, and what could not be produced is reported.
"""

from __future__ import annotations

import importlib
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from writ.core import Environment
from writ.data import DomainData
from writ.task import Action, Task
from writ.tasks.axes import AxisRange, Cell, target_cells
from writ.tasks.draft import DraftError, TaskDraft
from writ.tasks.validate import validate_task, write_set_key

__all__ = ["GenerationReport", "TaskGenerator", "generate_tasks", "get_generator"]

GENERATOR_MODULES = {
    "airline": "writ.tasks.airline",
    "retail": "writ.tasks.retail",
    "telecom": "writ.tasks.telecom",
}


class TaskGenerator(Protocol):
    """What a domain's task generator provides (a module-level ``GENERATOR`` object)."""

    domain: str

    def draft(self, data: DomainData, cell: Cell, rng: random.Random) -> TaskDraft:
        """Draft one task aiming at `cell`; raise DraftError("short reason") when impossible."""

    def policy_violation(self, env: Environment, action: Action) -> str | None:
        """Why the write `action` breaks the domain policy in state `env` (None if allowed)."""


def get_generator(domain: str) -> TaskGenerator:
    if domain not in GENERATOR_MODULES:
        raise DraftError(f"no task generator for domain {domain!r} (have: {', '.join(GENERATOR_MODULES)})")
    return importlib.import_module(GENERATOR_MODULES[domain]).GENERATOR


@dataclass
class GenerationReport:
    domain: str
    requested: int
    writes: str
    evidence: str
    seed: int
    mode: str
    produced: int = 0
    attempts: int = 0
    rejections: Counter = field(default_factory=Counter)
    unfilled_cells: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def reject(self, reason: str) -> None:
        self.rejections[reason.split("(")[0].strip()] += 1

    def to_json(self) -> dict[str, Any]:
        return {
            "domain": self.domain, "requested": self.requested, "produced": self.produced,
            "writes": self.writes, "evidence": self.evidence, "seed": self.seed, "mode": self.mode,
            "attempts": self.attempts, "rejections": dict(self.rejections.most_common()),
            "unfilled_cells": {f"{c.writes}x{c.evidence}": n for c, n in self.unfilled_cells.items()},
            "seconds": round(self.seconds, 3),
        }


def generate_tasks(data: DomainData, n: int, writes: AxisRange, evidence: AxisRange, *, seed: int = 0,
                   mode: str = "grid", attempts_per_task: int = 12, id_prefix: str | None = None,
                   progress: Callable[[int, int], None] | None = None) -> tuple[list[Task], GenerationReport]:
    generator = get_generator(data.domain.name)
    report = GenerationReport(data.domain.name, n, str(writes), str(evidence), seed, mode)
    start = time.perf_counter()
    cells = target_cells(writes, evidence, n, random.Random(seed), mode)
    seen: set[str] = set()
    tasks: list[Task] = []
    prefix = id_prefix or f"writ-{data.domain.name}-s{seed}"
    for i, cell in enumerate(cells):
        for attempt in range(attempts_per_task):
            report.attempts += 1
            rng = random.Random(f"{seed}/{i}/{attempt}")
            try:
                draft = generator.draft(data, cell, rng)
            except DraftError as exc:
                report.reject(f"draft: {exc}")
                continue
            task = draft.build(f"{prefix}-{len(tasks):05d}", seed=seed, source=data.source)
            meta = task.writ or {}
            if meta["n_writes"] not in writes or meta["evidence"] not in evidence:
                report.reject("off-target: outside the requested ranges")
                continue
            problem = validate_task(data, task, expected_outputs=draft.outputs,
                                    policy=generator.policy_violation, checks=draft.checks)
            if problem:
                report.reject(problem)
                continue
            key = write_set_key(task, data)
            if key in seen:
                report.reject("duplicate: gold write set already used")
                continue
            seen.add(key)
            meta["target"] = {"writes": cell.writes, "evidence": cell.evidence}
            tasks.append(task)
            break
        else:
            report.unfilled_cells[cell] += 1
        if progress:
            progress(i + 1, n)
    report.produced = len(tasks)
    report.seconds = time.perf_counter() - start
    return tasks, report

"""The task-generation driver: targets over the grid, drafting, validation, dedup, accounting.

Domain generators only know how to draft one task for a target cell. This driver owns everything
they share: spreading targets over the grid, seeding each attempt independently (so the same seed
gives the same file byte for byte, whatever was rejected), validating by execution, rejecting
duplicates of a gold write set, and counting every rejection by reason. It never loops forever:
each target gets a bounded number of attempts, and what could not be produced is reported.

Tries (`attempt_target`) are independent of one another; `collect_targets` consumes them in
order. That split is what lets `writ.sim.ray_tasks` draft and validate on many workers and still
produce the file this module produces alone, byte for byte.
"""

from __future__ import annotations

import importlib
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from writ.core import Environment
from writ.data import DomainData
from writ.limits import limit
from writ.task import Action, Task
from writ.tasks.axes import DEFAULT_OUTCOMES, AxisRange, Cell, target_cells
from writ.tasks.draft import DraftError, TaskDraft
from writ.tasks.validate import validate_task, write_set_key

__all__ = ["GenerationReport", "TaskGenerator", "attempt_target", "collect_targets", "data_scale", "generate_tasks",
           "get_generator", "plan_targets"]

GENERATOR_MODULES = {
    "airline": "writ.tasks.airline",
    "retail": "writ.tasks.retail",
    "telecom": "writ.tasks.telecom",
    "banking_knowledge": "writ.tasks.banking_knowledge",
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


def data_scale(domain: str, n: int, scale: float) -> float:
    """The scale of a generated database for `n` tasks: at least what the domain's generator needs to
    spread its tasks over enough customers (telecom: about one per task; its scale-1 base has 4)."""
    try:
        generator = get_generator(domain)
    except DraftError:
        return scale
    minimum = getattr(generator, "min_scale", None)
    if minimum is None:
        return scale
    try:
        top = limit("scale")  # never past the size a user would have to ask for explicitly
    except ValueError:
        top = scale
    return max(scale, min(minimum(n), top))


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
    outcomes: dict[str, float] = field(default_factory=dict)

    def reject(self, reason: str) -> None:
        self.rejections[reason.split("(")[0].strip()] += 1

    def to_json(self) -> dict[str, Any]:
        return {
            "domain": self.domain, "requested": self.requested, "produced": self.produced,
            "writes": self.writes, "evidence": self.evidence, "seed": self.seed, "mode": self.mode,
            "attempts": self.attempts, "rejections": dict(self.rejections.most_common()),
            "unfilled_cells": {f"{c.writes}x{c.evidence}" + ("" if c.outcome == "write" else f" {c.outcome}"): n
                               for c, n in self.unfilled_cells.items()},
            "outcome_mix": {k: round(v, 3) for k, v in self.outcomes.items()},
            "seconds": round(self.seconds, 3),
        }


def attempt_target(generator: TaskGenerator, data: DomainData, cell: Cell, index: int, attempt: int, *,
                   seed: int, writes: AxisRange, evidence: AxisRange,
                   task_id: str) -> tuple[Task | None, str | None, str | None]:
    """One seeded try at target `index`: ``(task, None, write-set key)`` if sound, ``(None, reason, None)``.

    It depends on nothing but its arguments (the rng is seeded by ``seed/index/attempt``), so tries
    can run in any process and order; only the dedup against earlier targets is sequential. The
    task id is not part of any check, so a try made under a placeholder id may be renamed.
    """
    rng = random.Random(f"{seed}/{index}/{attempt}")
    try:
        draft = generator.draft(data, cell, rng)
    except DraftError as exc:
        return None, f"draft: {exc}", None
    except Exception as exc:  # a generator bug costs this try, never the whole run
        return None, f"generator error: {type(exc).__name__} ({exc})", None
    task = draft.build(task_id, seed=seed, source=data.source)
    meta = task.writ or {}
    on_writes = meta["n_writes"] == 0 if cell.outcome != "write" else meta["n_writes"] in writes
    if not on_writes or meta["evidence"] not in evidence:
        return None, "off-target: outside the requested ranges", None
    problem = validate_task(data, task, expected_outputs=draft.outputs,
                            policy=generator.policy_violation, checks=draft.checks)
    if problem:
        return None, problem, None
    return task, None, write_set_key(task, data)


# tries(index, cell, first_attempt, task_id) -> the tries of one target from first_attempt on, lazily
Tries = Callable[[int, Cell, int, str], Iterator[tuple[Task | None, str | None, str | None]]]


def collect_targets(cells: list[Cell], tries: Tries, report: GenerationReport, prefix: str,
                    progress: Callable[[int, int], None] | None = None) -> list[Task]:
    """Walk the targets in order, keeping each one's first sound try that is no duplicate.

    Where the tries come from (this process, or Ray workers) does not change the result: the
    dedup, the task ids and the accounting all happen here, in target order.
    """
    seen: set[str] = set()
    tasks: list[Task] = []
    for i, cell in enumerate(cells):
        task_id = f"{prefix}-{len(tasks):05d}"
        for task, reason, key in tries(i, cell, 0, task_id):
            report.attempts += 1
            if task is None:
                report.reject(reason or "unknown")
                continue
            if key in seen:
                report.reject("duplicate: gold write set already used")
                continue
            seen.add(key)
            if task.id != task_id:
                task = task.model_copy(update={"id": task_id})
            meta = task.writ or {}
            meta["target"] = {"writes": cell.writes, "evidence": cell.evidence, "outcome": cell.outcome}
            tasks.append(task)
            break
        else:
            report.unfilled_cells[cell] += 1
        if progress:
            progress(i + 1, report.requested)
    return tasks


def plan_targets(data: DomainData, n: int, writes: AxisRange, evidence: AxisRange, seed: int, mode: str,
                 outcomes: dict[str, float] | None = None) -> tuple[TaskGenerator, GenerationReport, list[Cell]]:
    """The generator, an empty report and the target cells of one `generate_tasks` call.

    `outcomes` None means the domain's default mix (`DEFAULT_OUTCOMES`); ``{"write": 1}`` turns it off.
    """
    generator = get_generator(data.domain.name)
    report = GenerationReport(data.domain.name, n, str(writes), str(evidence), seed, mode)
    mix = outcomes if outcomes is not None else DEFAULT_OUTCOMES.get(data.domain.name)
    report.outcomes = dict(mix or {"write": 1.0})
    return generator, report, target_cells(writes, evidence, n, random.Random(seed), mode, mix)


def generate_tasks(data: DomainData, n: int, writes: AxisRange, evidence: AxisRange, *, seed: int = 0,
                   mode: str = "grid", attempts_per_task: int = 12, id_prefix: str | None = None,
                   progress: Callable[[int, int], None] | None = None,
                   outcomes: dict[str, float] | None = None) -> tuple[list[Task], GenerationReport]:
    generator, report, cells = plan_targets(data, n, writes, evidence, seed, mode, outcomes)
    start = time.perf_counter()

    def tries(i: int, cell: Cell, first: int, task_id: str) -> Iterator[tuple[Task | None, str | None, str | None]]:
        for attempt in range(first, attempts_per_task):
            yield attempt_target(generator, data, cell, i, attempt, seed=seed, writes=writes, evidence=evidence,
                                 task_id=task_id)

    tasks = collect_targets(cells, tries, report, id_prefix or f"writ-{data.domain.name}-s{seed}", progress)
    report.produced = len(tasks)
    report.seconds = time.perf_counter() - start
    return tasks, report

"""Task generation on Ray: workers draft and validate, the driver dedups and numbers, in order.

`writ.tasks.generate` seeds every try by ``seed/target/attempt``, so a try is the same wherever
it runs; only the dedup against earlier targets (and the task ids, which count kept tasks) is
sequential. So workers (`TaskWorker`, one database each, loaded from the same source as the
driver's and checked against its fingerprint) make each target's tries up to its first sound
one, and the driver feeds them to the same `collect_targets` the local path uses. The file and
the report come out byte for byte as `generate_tasks` writes them alone.

A sound try that turns out to duplicate an earlier target's write set needs the target's later
tries; the driver makes those itself (duplicates are rare, and this keeps the order trivial).
Targets go out in chunks, a few chunks ahead of the one being consumed; a chunk whose worker died
is sent again to a fresh worker (a try has no side effects, so redoing it changes nothing).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from writ.data import DomainData, load_data
from writ.sim.ray_pool import ActorPool, ExecutorError, is_worker_death, task_error
from writ.sim.sources import parse_source
from writ.task import Task
from writ.tasks.axes import AxisRange, Cell
from writ.tasks.generate import GenerationReport, attempt_target, collect_targets, get_generator, plan_targets

__all__ = ["TaskWorker", "generate_tasks_ray"]

Outcome = tuple[Task | None, str | None, str | None]


def _fingerprint(data: DomainData) -> list[Any]:
    env = data.environment()
    return [env.fingerprint(), env.user_fingerprint()]


class TaskWorker:
    """One Ray actor with its own copy of the database; `tries` runs targets' tries in order."""

    def __init__(self, domain: str, source: str, fingerprint: list[Any], seed: int, writes: AxisRange,
                 evidence: AxisRange, attempts: int):
        self.data = load_data(domain, **parse_source(source))
        if _fingerprint(self.data) != fingerprint:
            raise ExecutorError(f"{domain}@{source}: this Ray worker's database differs from the driver's "
                                "(every node must see the same data)")
        self.generator = get_generator(domain)
        self.seed, self.writes, self.evidence, self.attempts = seed, writes, evidence, attempts

    def ready(self) -> str:
        from writ import __version__

        return __version__

    def tries(self, targets: list[tuple[int, Cell]]) -> list[list[Outcome]]:
        """Per target, its tries from the first up to the first sound one (or all, if none is)."""
        out = []
        for index, cell in targets:
            got: list[Outcome] = []
            for attempt in range(self.attempts):
                got.append(attempt_target(self.generator, self.data, cell, index, attempt, seed=self.seed,
                                          writes=self.writes, evidence=self.evidence, task_id="pending"))
                if got[-1][0] is not None:
                    break
            out.append(got)
        return out


class _Prefetch:
    """Chunks of targets sent ahead to the workers, fetched in target order, resent if a worker died."""

    def __init__(self, ray: Any, pool: ActorPool, cells: list[Cell], size: int, window: int):
        self.ray, self.pool, self.cells, self.size, self.window = ray, pool, cells, size, window
        self.n_chunks = (len(cells) + size - 1) // size
        self.sent: dict[int, tuple[int, Any, Any]] = {}  # chunk -> (slot, actor, ref)
        self.next = 0
        self.current: tuple[int, list[list[Outcome]]] | None = None

    def _send(self, chunk: int) -> None:
        slot = chunk % self.pool.workers
        actor = self.pool.actors[slot]
        targets = [(i, self.cells[i]) for i in range(chunk * self.size, min((chunk + 1) * self.size, len(self.cells)))]
        self.sent[chunk] = (slot, actor, actor.tries.remote(targets))

    def tries(self, index: int) -> list[Outcome]:
        chunk = index // self.size
        if self.current is None or self.current[0] != chunk:
            while self.next < min(self.n_chunks, chunk + self.window):
                self._send(self.next)
                self.next += 1
            while True:
                slot, actor, ref = self.sent.pop(chunk)
                try:
                    self.current = (chunk, self.ray.get(ref))
                    self.pool.progressed()
                    break
                except Exception as exc:
                    if not is_worker_death(self.ray, exc):
                        raise task_error(self.ray, exc) from None
                    self.pool.replace(slot, actor, exc)
                    self._send(chunk)
        return self.current[1][index - chunk * self.size]


def generate_tasks_ray(ray: Any, workers: int, data: DomainData, n: int, writes: AxisRange, evidence: AxisRange, *,
                       seed: int = 0, mode: str = "grid", attempts_per_task: int = 12, id_prefix: str | None = None,
                       progress: Callable[[int, int], None] | None = None,
                       cpus: float | None = None,
                       outcomes: dict[str, float] | None = None) -> tuple[list[Task], GenerationReport]:
    """`writ.tasks.generate_tasks` with the tries made by Ray workers; same arguments, same result."""
    generator, report, cells = plan_targets(data, n, writes, evidence, seed, mode, outcomes)
    start = time.perf_counter()
    workers = max(1, min(workers, len(cells)))
    pool = ActorPool(ray, TaskWorker, {
        "the domain": data.domain.name, "the data source": data.source, "the data fingerprint": _fingerprint(data),
        "the seed": seed, "writes": writes, "evidence": evidence, "attempts": attempts_per_task}, workers, cpus=cpus)
    try:
        try:
            pool.check_ready(ray.get([a.ready.remote() for a in pool.actors]))
        except ray.exceptions.RayError as exc:
            raise pool.startup_error(exc) from None
        size = max(1, min(32, len(cells) // (workers * 4)))
        fetch = _Prefetch(ray, pool, cells, size, window=2 * workers)

        def tries(i: int, cell: Cell, first: int, task_id: str) -> Iterator[Outcome]:
            made = fetch.tries(i)
            yield from made
            for attempt in range(first + len(made), attempts_per_task):  # after a duplicate only
                yield attempt_target(generator, data, cell, i, attempt, seed=seed, writes=writes, evidence=evidence,
                                     task_id=task_id)

        tasks = collect_targets(cells, tries, report, id_prefix or f"writ-{data.domain.name}-s{seed}", progress)
    finally:
        pool.close()
    report.produced = len(tasks)
    report.seconds = time.perf_counter() - start
    return tasks, report

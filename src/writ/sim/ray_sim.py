"""Simulation on Ray: workers run episodes, the driver keeps the only run store.

The split follows `writ.sim.runner`'s layers. Everything that decides *what* a run is stays in
the driver's `simulate` (config, gold replay, resume, summary); only the loop over pending tasks
is replaced (`RayDispatch`, the runner's ``dispatch``):

* a `SimWorker` actor holds its own database cache and rebuilds the agent and user factories
  from their specs (`ActorFactory` pickles as its recipe). It runs the runner's own
  `_Run.attempt`, so an episode is the same object the local runner would make for that
  ``(task, attempt)``: same seeds, same gold hashes, same judge (verification runs here, on the
  worker, which is how it shards);
* the driver ships whole tasks (all their remaining attempts, which stay sequential) in chunks,
  two chunks per worker so none waits for the next. A worker's concurrency is its share of
  ``--concurrency``, so the bound means the same as locally;
* each chunk is a Ray streaming call: an episode comes back the moment it is judged and is
  committed at once, so progress, the store and resume behave exactly as locally. Ray Client
  (``ray://``) cannot stream actor results; there each task is its own call and its episodes
  come back when it settles (so a death also loses the failed attempts of tasks in flight);
* when a worker dies, its chunks' tasks go back to the queue with what the driver has already
  committed, for a fresh worker. Only episodes that were in flight are lost, and they are
  simulated again; the store never holds one twice (the driver is its only writer and commits a
  ``(task, attempt)`` once). A task in flight through three worker deaths gets a ``crash``
  episode for that attempt instead of killing workers forever.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter, deque
from typing import Any

from writ.core import Episode, Termination
from writ.sim.actors import close_factories
from writ.sim.ray_pool import ActorPool, ExecutorError, is_worker_death, share, task_error
from writ.sim.runner import _Run
from writ.sim.runstore import StoredTask, canonical_config
from writ.task import Task

__all__ = ["RayDispatch", "SimWorker"]

_DONE = object()


class SimWorker:
    """One Ray actor (see module docstring); `run_tasks` streams episode JSON as each is judged.

    Episodes judged while the previous message was on its way go out together: one Ray message
    costs about a millisecond of CPU on each side, a scripted episode only a few.
    """

    def __init__(self, resolve_data: Any, agent_factory: Any, user_factory: Any, limits: Any, attempts: int,
                 judge: Any, concurrency: int, expected_data: dict[str, Any]):
        # the runner's own per-episode code, without its store and progress (the driver has those)
        self._run = _Run(None, resolve_data, {}, agent_factory, user_factory, limits, attempts,  # type: ignore[arg-type]
                         judge, None)  # type: ignore[arg-type]
        self._slots = asyncio.Semaphore(concurrency)
        self._expected = expected_data
        self._checked: set[str] = set()
        self._factories = (agent_factory, user_factory)

    async def ready(self) -> str:
        from writ import __version__

        return __version__

    async def close(self) -> None:
        await close_factories(*self._factories)

    def _data(self, task: Task) -> Any:
        """The task's database, refused if it is not the one the driver fingerprinted."""
        data = self._run.resolve(task)
        key = f"{data.domain.name}@{data.source}"
        if key not in self._checked:
            want = self._expected.get(key)
            env = data.environment()
            have = canonical_config({"db": env.fingerprint(), "user_db": env.user_fingerprint()})
            if want is not None and have != want:
                raise ExecutorError(f"{key}: this Ray worker's database differs from the driver's "
                                    "(every node must see the same data)")
            self._checked.add(key)
        return data

    async def _task(self, task: Task, gold: StoredTask, done: dict[int, bool], out: asyncio.Queue) -> None:
        async with self._slots:
            self._run.gold[task.id] = gold
            try:
                data = self._data(task)
                for attempt in range(self._run.attempts):
                    if attempt in done:
                        continue
                    episode = await self._run.attempt(task, data, attempt)
                    out.put_nowait(episode.to_json())
                    if episode.passed:
                        return
            finally:
                del self._run.gold[task.id]

    async def run_tasks(self, units: list[tuple[Task, StoredTask, dict[int, bool]]]):
        out: asyncio.Queue = asyncio.Queue()

        async def one(unit: tuple[Task, StoredTask, dict[int, bool]]) -> None:
            try:
                await self._task(*unit, out)
            except Exception as exc:  # not an episode failure (those are crash episodes): the data is wrong
                out.put_nowait(exc)
            finally:
                out.put_nowait(_DONE)

        running = [asyncio.create_task(one(u)) for u in units]
        try:
            finished = 0
            while finished < len(units):
                batch, items = [], [await out.get()]
                while not out.empty():  # whatever else is judged by now goes in the same message
                    items.append(out.get_nowait())
                for item in items:
                    if item is _DONE:
                        finished += 1
                    elif isinstance(item, Exception):
                        raise item
                    else:
                        batch.append(item)
                if batch:
                    yield batch
        finally:
            for job in running:
                job.cancel()

    async def run_all(self, units: list[tuple[Task, StoredTask, dict[int, bool]]]) -> list[dict[str, Any]]:
        """`run_tasks` in one answer, for Ray Client, which cannot stream actor results."""
        return [episode async for batch in self.run_tasks(units) for episode in batch]


class RayDispatch:
    """The runner's ``dispatch`` on Ray: ``await RayDispatch(ray, workers)(run, pending, concurrency)``.

    `stream` False (Ray Client) sends one task per call instead of streamed chunks.
    """

    def __init__(self, ray: Any, workers: int, *, cpus: float | None = None, depth: int = 2, max_deaths: int = 3,
                 stream: bool = True):
        self.ray, self.workers, self.cpus, self.depth, self.max_deaths = ray, workers, cpus, depth, max_deaths
        self.stream = stream
        self.deaths = 0  # worker deaths in the last call (reported by benchmarks and tests)
        self.startup_s = 0.0  # seconds from asking for workers to all of them ready, in the last call

    async def __call__(self, run: _Run, pending: list[tuple[Task, dict[int, bool]]], concurrency: int) -> None:
        if not pending:
            return
        workers = max(1, min(self.workers, len(pending)))
        per = share(concurrency, workers)
        expected = run.store.config.get("data") or {}
        started = time.perf_counter()
        pool = ActorPool(self.ray, SimWorker, {
            "the data resolver": run.resolve, "the agent factory": run.agent_factory,
            "the user factory": run.user_factory, "limits": run.limits, "attempts": run.attempts,
            "the judge": run.judge, "concurrency": per, "data fingerprints": expected}, workers, cpus=self.cpus)
        try:
            try:
                pool.check_ready(await asyncio.gather(*[a.ready.remote() for a in pool.actors]))
            except self.ray.exceptions.RayError as exc:
                raise pool.startup_error(exc) from None
            self.startup_s = time.perf_counter() - started
            feed = _Feed(self.ray, run, pool, pending, per, self.depth, self.max_deaths, self.stream)
            try:
                async with asyncio.TaskGroup() as group:
                    for slot in range(workers):
                        for _ in range(self.depth if self.stream else per + 1):
                            group.create_task(feed.feeder(slot))
            except ExceptionGroup as failed:  # the first real error, as itself (like the local runner)
                raise failed.exceptions[0] from None
        finally:
            self.deaths = pool.deaths
            await _close(pool)


async def _close(pool: ActorPool) -> None:
    """Let workers close their model clients (briefly), then end them."""
    try:
        await asyncio.wait_for(asyncio.gather(*[a.close.remote() for a in pool.actors], return_exceptions=True), 10)
    except (TimeoutError, asyncio.CancelledError):
        pass
    finally:
        pool.close()


class _Feed:
    """The driver's queue of tasks, its commits, and what happens to a dead worker's tasks."""

    def __init__(self, ray: Any, run: _Run, pool: ActorPool, pending: list[tuple[Task, dict[int, bool]]], per: int,
                 depth: int, max_deaths: int, stream: bool):
        self.ray, self.run, self.pool, self.per, self.depth, self.max_deaths = ray, run, pool, per, depth, max_deaths
        self.stream = stream
        self.queue: deque[Task] = deque(task for task, _ in pending)
        self.done = {task.id: dict(done) for task, done in pending}  # attempt -> passed, as committed
        self.deaths: Counter[str] = Counter()

    def _take(self) -> list[Task]:
        size = max(1, min(self.per, math.ceil(len(self.queue) / (self.pool.workers * self.depth))))
        if not self.stream:
            size = 1
        return [self.queue.popleft() for _ in range(min(size, len(self.queue)))]

    async def feeder(self, slot: int) -> None:
        while self.queue:
            chunk = self._take()
            actor = self.pool.actors[slot]
            try:
                units = [(t, self.run.gold[t.id], dict(self.done[t.id])) for t in chunk]
                if self.stream:
                    async for ref in actor.run_tasks.options(num_returns="streaming").remote(units):
                        self.commit([Episode.from_json(e) for e in await ref])
                else:
                    self.commit([Episode.from_json(e) for e in await actor.run_all.remote(units)])
            except Exception as exc:
                if not is_worker_death(self.ray, exc):
                    raise task_error(self.ray, exc) from None
                self.pool.replace(slot, actor, exc)
                self.requeue([t for t in chunk if not self.settled(t.id)], exc)

    def settled(self, task_id: str) -> bool:
        done = self.done[task_id]
        return any(done.values()) or len(done) >= self.run.attempts

    def commit(self, episodes: list[Episode]) -> None:
        """Store episodes that arrived together (each once, one transaction), then count them."""
        new = [e for e in episodes if e.attempt not in self.done[e.task_id]]  # never store one twice
        if not new:
            return
        self.run.store.add_episodes(new)
        self.pool.progressed()
        for episode in new:
            self.run.new += 1
            self.run.progress.episode(episode)
            self.done[episode.task_id][episode.attempt] = bool(episode.passed)
            if self.settled(episode.task_id):
                self.run.progress.task_settled(bool(episode.passed))

    def requeue(self, tasks: list[Task], exc: BaseException) -> None:
        """A dead worker's unsettled tasks go first in line; a task that keeps killing workers crashes."""
        again = []
        for task in tasks:
            self.deaths[task.id] += 1
            if self.deaths[task.id] >= self.max_deaths:
                self.deaths[task.id] = 0
                attempt = min(a for a in range(self.run.attempts) if a not in self.done[task.id])
                self.commit([self._lost(task, attempt, exc)])
                if self.settled(task.id):
                    continue
            again.append(task)
        self.queue.extendleft(reversed(again))

    def _lost(self, task: Task, attempt: int, exc: BaseException) -> Episode:
        gold = self.run.gold[task.id]
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        episode = Episode(task.id, attempt, self.run.resolve(task).domain.name, termination=Termination.CRASH.value,
                          error=f"worker: {self.max_deaths} Ray workers died with this task in flight "
                                f"(last: {reason})"[:500],
                          gold_db_hash=gold.gold_db_hash, gold_user_db_hash=gold.gold_user_db_hash)
        if gold.gold_error:
            episode.verdicts["gold_error"] = gold.gold_error
        return episode

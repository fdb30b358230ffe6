"""Many episodes: every task, up to `attempts` tries each, concurrently, resumable, into a run store.

The layers stay apart: `run_episode` simulates one conversation, this module decides which
conversations to have and keeps them, `RunStore` makes them durable. Per task:

1. the gold final state is computed once, by replaying the task's gold actions on its own
   database (`replay_task`), and stored with the task. The replay syncs after every call, as a
   live episode does (``sync=True``): tau2's evaluator replays gold without sync, which in telecom
   leaves the user's phone unsynced, so a perfect live episode would never match it (tau2 itself
   scores telecom by env assertions, not by hash);
2. attempts run one after another (attempt k+1 only when k failed), each on a fresh fork of the
   task's initial state, with actors the factories make for ``(task, data, attempt)``;
3. each episode is judged (`judge`, default `hash_judge`) and committed at once.

Up to `concurrency` tasks are in flight at a time (a fixed pool of worker coroutines, which bounds
memory however many tasks there are). Resuming is just running again: what the store holds is
never repeated, tasks already kept or out of attempts are skipped, an attempt that was in flight
when the process died is simulated again, and with seeded actors it comes out identical.

Nothing an actor, a factory or the judge raises stops the run: it becomes a failed episode with
termination ``crash`` and the error text. Only the store failing (disk full) stops it.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import json
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from writ.core import Agent, Episode, Termination, UserSimulator
from writ.data import DomainData
from writ.failpoints import failpoint
from writ.replay import replay_task
from writ.sim.orchestrator import Limits, run_episode
from writ.sim.progress import LiveProgress, RunSummary, failure_label
from writ.sim.rejections import tally_store
from writ.sim.runstore import RunStore, StoredTask
from writ.task import Task

__all__ = ["Judge", "hash_judge", "run_config", "simulate"]

Judge = Callable[[Episode, Task, DomainData], "bool | Mapping[str, Any] | Awaitable[bool | Mapping[str, Any]]"]
AgentFactory = Callable[[Task, DomainData, int], Agent]
UserFactory = Callable[[Task, DomainData, int], UserSimulator]
# dispatch(run, pending, concurrency): simulate the pending (task, finished attempts) into run.store
Dispatch = Callable[["_Run", "list[tuple[Task, dict[int, bool]]]", int], Awaitable[None]]


def hash_judge(episode: Episode, task: Task, data: DomainData) -> dict[str, bool]:
    """tau2's DB check: both final states equal the gold ones, and the conversation really ended."""
    db = episode.final_db_hash is not None and episode.final_db_hash == episode.gold_db_hash
    user_db = episode.final_user_db_hash == episode.gold_user_db_hash  # None == None: no user state
    completed = Termination(episode.termination).terminated
    return {"passed": db and user_db and completed, "db": db, "user_db": user_db, "completed": completed}


def _describe(obj: Any) -> Any:
    """How a factory or judge appears in the run config: its own config, its spec, or its name."""
    if obj is None:
        return None
    for attr in ("config", "spec"):
        value = getattr(obj, attr, None)
        if value is not None and not callable(value):
            return value
    return f"{getattr(obj, '__module__', '?')}.{getattr(obj, '__qualname__', type(obj).__qualname__)}"


def _tasks_hash(tasks: list[Task]) -> str:
    """SHA-256 of the tasks as one sorted JSON list, hashed one task at a time (never the whole text).

    The bytes hashed are exactly ``json.dumps(sorted task dicts, sort_keys=True)``, so the hash
    of a run made by an earlier writ still matches.
    """
    digest = hashlib.sha256(b"[")
    for i, task in enumerate(sorted(tasks, key=lambda t: t.id)):
        if i:
            digest.update(b", ")
        digest.update(json.dumps(task.to_json(), sort_keys=True, default=str).encode("utf-8"))
    digest.update(b"]")
    return digest.hexdigest()


def run_config(tasks: list[Task], datas: Mapping[str, DomainData], agent_factory: Any, user_factory: Any,
               attempts: int, limits: Limits, judge: Any, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Everything an episode's outcome depends on; a run resumes only under an equal config."""
    from writ import __version__

    data = {}
    for name, loaded in sorted(datas.items()):
        env = loaded.environment()
        data[name] = {"db": env.fingerprint(), "user_db": env.user_fingerprint()}
    return {
        "writ_version": __version__,
        "tasks_sha256": _tasks_hash(tasks),
        "n_tasks": len(tasks),
        "agent": _describe(agent_factory),
        "user": _describe(user_factory),
        "attempts": attempts,
        "limits": asdict(limits),
        "judge": _describe(judge) or "hash_judge",
        "gold": "replay_task(sync=True)",
        "data": data,
        **dict(extra or {}),
    }


def _crash(task: Task, data: DomainData | None, attempt: int, where: str, exc: BaseException) -> Episode:
    return Episode(task.id, attempt, data.domain.name if data else "", termination=Termination.CRASH.value,
                   error=f"{where}: {type(exc).__name__}: {exc}"[:500])


class _Run:
    def __init__(self, store: RunStore, resolve: Callable[[Task], DomainData], gold: dict[str, StoredTask],
                 agent_factory: AgentFactory, user_factory: UserFactory, limits: Limits, attempts: int,
                 judge: Judge | None, progress: LiveProgress):
        self.store, self.resolve, self.gold = store, resolve, gold
        self.agent_factory, self.user_factory = agent_factory, user_factory
        self.limits, self.attempts, self.judge, self.progress = limits, attempts, judge, progress
        self.new = 0

    async def attempt(self, task: Task, data: DomainData, attempt: int) -> Episode:
        start = time.perf_counter()
        try:
            env = data.environment(task)
            agent = self.agent_factory(task, data, attempt)
            user = self.user_factory(task, data, attempt)
        except Exception as exc:
            episode = _crash(task, data, attempt, "setup", exc)
        else:
            try:
                episode = await run_episode(task, env, agent, user, self.limits, attempt)
            except Exception as exc:  # run_episode catches actor failures; this is a bug of its own
                episode = _crash(task, data, attempt, "orchestrator", exc)
                episode.agent, episode.user = getattr(agent, "name", ""), getattr(user, "name", "")
        gold = self.gold[task.id]
        episode.gold_db_hash, episode.gold_user_db_hash = gold.gold_db_hash, gold.gold_user_db_hash
        if gold.gold_error:
            episode.verdicts["gold_error"] = gold.gold_error
        if episode.termination != Termination.CRASH.value:
            await self._judge(episode, task, data)
        episode.seconds = round(time.perf_counter() - start, 4)
        return episode

    async def _judge(self, episode: Episode, task: Task, data: DomainData) -> None:
        try:
            verdict = (self.judge or hash_judge)(episode, task, data)
            if inspect.isawaitable(verdict):
                verdict = await verdict
            if isinstance(verdict, Mapping):
                episode.verdicts.update(verdict)
                episode.passed = bool(verdict.get("passed"))
            else:
                episode.passed = bool(verdict)
        except Exception as exc:
            episode.passed = False
            episode.termination = Termination.CRASH.value
            episode.error = f"judge: {type(exc).__name__}: {exc}"[:500]

    async def task(self, task: Task, done: dict[int, bool]) -> None:
        data = self.resolve(task)
        for attempt in range(self.attempts):
            if attempt in done:  # committed by an earlier session: never repeated
                continue
            episode = await self.attempt(task, data, attempt)
            self.store.add_episode(episode)
            failpoint("simulate.episode")
            self.new += 1
            self.progress.episode(episode)
            if episode.passed:
                self.progress.task_settled(True)
                return
        self.progress.task_settled(False)

    async def workers(self, pending: list[tuple[Task, dict[int, bool]]], concurrency: int) -> None:
        queue = iter(pending)

        async def worker() -> None:
            for task, done in queue:  # one shared iterator: each task goes to exactly one worker
                await self.task(task, done)

        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(max(1, min(concurrency, len(pending)))):
                    group.create_task(worker())
        except ExceptionGroup as failed:  # only the store can fail here: report its error as itself
            raise failed.exceptions[0] from None


_GOLD_CHUNK = 256


def _gold_rows(tasks: Iterable[Task], resolve: Callable[[Task], DomainData]) -> list[StoredTask]:
    rows = []
    for task in tasks:
        try:
            gold = replay_task(resolve(task), task, sync=True)
            rows.append(StoredTask(task.id, task.to_json(), gold["final_db_hash"], gold["final_user_db_hash"], None))
        except Exception as exc:  # the task's initial state cannot be applied: its episodes will crash
            rows.append(StoredTask(task.id, task.to_json(), None, None, f"{type(exc).__name__}: {exc}"[:500]))
    return rows


def _settled(tasks: list[Task], finished: dict[str, dict[int, bool]], attempts: int) -> tuple[int, int]:
    """(kept, failed) tasks: a passed episode, or every attempt used without one."""
    kept = sum(1 for t in tasks if any(finished.get(t.id, {}).values()))
    failed = sum(1 for t in tasks if not any(finished.get(t.id, {}).values())
                 and len(finished.get(t.id, {})) >= attempts)
    return kept, failed


def _summary(store: RunStore, run_dir: Path, tasks: list[Task], attempts: int, new: int, resumed: int,
             seconds: float, unpriced: list[str]) -> RunSummary:
    counts = store.counts()
    kept, failed = _settled(tasks, store.finished(), attempts)
    failures: dict[str, int] = {}
    for termination, n in counts["failures"].items():
        label = failure_label(termination)
        failures[label] = failures.get(label, 0) + n
    tokens = counts["prompt_tokens"] + counts["completion_tokens"]
    rejections = tally_store(store.conn, [t.value for t in Termination if t.terminated]).to_json()
    return RunSummary(str(run_dir), len(tasks), kept, failed, len(tasks) - kept - failed, counts["episodes"], new,
                      resumed, failures, counts["prompt_tokens"], counts["completion_tokens"], counts["cost"],
                      round(seconds, 3), counts.get("errors", {}), rejections, unpriced if tokens else [])


async def simulate(tasks: Iterable[Task], *, resolve_data: Callable[[Task], DomainData], agent_factory: AgentFactory,
                   user_factory: UserFactory, run_dir: str | Path, concurrency: int = 64, attempts: int = 3,
                   limits: Limits = Limits(), judge: Judge | None = None, progress: bool = True,
                   config: Mapping[str, Any] | None = None, overwrite: bool = False,
                   info: Mapping[str, Any] | None = None, dispatch: Dispatch | None = None,
                   progress_every: float = 30.0, retry_transient: bool = True) -> RunSummary:
    """Simulate every task into ``run_dir/run.db``, resuming whatever an earlier call left there.

    `config` adds entries to the run's identity (the CLI adds the actor seed and data options);
    `info` is recorded per session but never compared (concurrency, endpoints, executor).
    `dispatch` runs the pending tasks instead of this process's worker pool (`writ.sim.executor`:
    Ray workers); everything around it (store, gold, resume, summary) stays here. With `overwrite`
    an existing run of any config is set aside and the run starts over (`RunStore.open`). With
    `retry_transient` (the default), episodes an earlier call lost to an outage (`writ.sim.failures`)
    are moved to the store's ``retired`` table and simulated again.
    `progress_every`: seconds between progress lines when stderr is not a terminal.
    Raises `RunStoreError` for a run directory of another config, `DataError` for a task whose
    database cannot be loaded, ValueError for duplicate task ids or bad arguments.
    """
    start = time.perf_counter()
    tasks = list(tasks)
    if attempts < 1 or concurrency < 1:
        raise ValueError(f"attempts and concurrency must be at least 1 (got {attempts}, {concurrency})")
    seen: set[str] = set()
    for task in tasks:
        if task.id in seen:
            raise ValueError(f"duplicate task id {task.id!r}: task ids must be unique within a run")
        seen.add(task.id)
    datas: dict[str, DomainData] = {}
    for task in tasks:  # resolve every source before anything runs: a bad one is an error now
        loaded = resolve_data(task)
        datas.setdefault(f"{loaded.domain.name}@{loaded.source}", loaded)
    identity = run_config(tasks, datas, agent_factory, user_factory, attempts, limits, judge, config)
    run_dir = Path(run_dir)
    store = RunStore.open(run_dir, identity, overwrite=overwrite,
                          info={"concurrency": concurrency, **dict(info or {})})
    try:
        known = store.task_ids()
        missing = [t for t in tasks if t.id not in known]
        for start_at in range(0, len(missing), _GOLD_CHUNK):  # a chunk at a time: no second copy of every task
            store.add_tasks(_gold_rows(missing[start_at:start_at + _GOLD_CHUNK], resolve_data))
        del known, missing
        stored = store.golds()
        retried = store.retire(store.retryable()) if retry_transient else 0
        finished = store.finished()
        resumed = sum(len(v) for v in finished.values())
        pending = [(t, finished.get(t.id, {})) for t in tasks
                   if not any(finished.get(t.id, {}).values()) and len(finished.get(t.id, {})) < attempts]
        kept, failed = _settled(tasks, finished, attempts)
        counts = store.counts() if resumed else {}
        before = {"kept": kept, "failed": failed, "episodes": resumed, "cost": counts.get("cost", 0.0),
                  "tokens": counts.get("prompt_tokens", 0) + counts.get("completion_tokens", 0)}
        live = LiveProgress(len(tasks), len(tasks) - len(pending), enabled=progress, every=progress_every,
                            before=before)
        run = _Run(store, resolve_data, stored, agent_factory, user_factory, limits, attempts, judge, live)
        with live:
            await (dispatch or _Run.workers)(run, pending, concurrency)
        unpriced = sorted({m for f in (agent_factory, user_factory) if (m := getattr(f, "unpriced", None))})
        summary = _summary(store, run_dir, tasks, attempts, run.new, resumed, time.perf_counter() - start, unpriced)
        summary.retried = retried
        summary.retryable = len({task_id for task_id, _ in store.retryable()})
        return summary
    finally:
        store.close()

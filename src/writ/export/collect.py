"""Reading the kept episodes of one or more run stores, one item at a time.

An export is often made from runs that took days, so one bad item must never cost the rest: a
run directory that is not a run store, or was written by another writ version (its messages may
follow other conventions), is skipped as a whole; a corrupt episode row, an episode whose task is
missing or unreadable, or whose data source cannot be loaded, is skipped alone. Every skip is a
`Skipped` item with a one-line reason, and the caller decides what "nothing left" means.

Rows are read and decoded here one by one, rather than through `RunStore.episodes`, because that
iterator stops at the first row it cannot decode. Records are produced one at a time
(`iter_records`), so an export holds one episode in memory, not the run. A store SQLite itself
cannot read (garbage in the middle of the file) is not an item to skip: it raises
`RunStoreDamaged`, because an export built from part of a run must never look complete.

Policy and tool schemas come from each task's own data source (``writ["db_source"]``), or, for
tasks that name none (tau2's), from the one source the run's config recorded for their domain;
`writ.agents.setup.agent_setup` turns them, with the export's prompt options (``--agent-prompt``,
``--policy``), into the system message and tools of every record. Prompt options that do not fit
a domain of the runs stop the whole collection (`PromptError`): a partial export made with the
wrong prompt would be worse than none.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from writ.agents.setup import PromptOptions
from writ.core import Episode
from writ.data import DataError, DomainData, load_data
from writ.export.records import DomainContext, RecordError, TrainingRecord, approx_tokens, build_record
from writ.sim.runstore import FORMAT, RunStore, RunStoreDamaged, RunStoreError, damaged
from writ.sim.sources import DataResolver, parse_source, task_domain
from writ.task import Task

__all__ = ["Collection", "RunInfo", "Skipped", "collect", "iter_records", "run_resolver"]

_UNUSED = ("turns", "verdicts", "meta")  # per-call usage and verdicts: not part of a training record


@dataclass(frozen=True)
class Skipped:
    """An item left out of the export: a run, or one episode of it (``RUN: TASK#ATTEMPT``)."""

    item: str
    reason: str

    def __str__(self) -> str:
        return f"{self.item}: {self.reason}"


@dataclass
class RunInfo:
    path: str
    config: dict[str, Any]
    kept: int = 0  # passed episodes read from this run (before records are built)


@dataclass
class Collection:
    records: list[TrainingRecord] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    runs: list[RunInfo] = field(default_factory=list)

    @property
    def kept_episodes(self) -> int:
        return sum(r.kept for r in self.runs)


def run_resolver(config: dict[str, Any], shared: DataResolver | None = None) -> Callable[[Task], DomainData]:
    """task -> DomainData: the task's own source, else the run config's source for its domain."""
    shared = shared or DataResolver()
    fallback: dict[str, list[str]] = {}
    for key in (config.get("data") or {}):
        domain, _, source = str(key).partition("@")
        fallback.setdefault(domain, []).append(source)
    cache: dict[tuple[str, str], DomainData] = {}

    def resolve(task: Task) -> DomainData:
        if (task.writ or {}).get("db_source"):
            return shared(task)
        domain = task_domain(task) or (next(iter(fallback)) if len(fallback) == 1 else None)
        sources = fallback.get(domain or "", [])
        if len(sources) != 1:
            raise DataError(f"names no db_source and the run config has {len(sources)} data sources for "
                            f"domain {domain or '(none)'}")
        if (domain, sources[0]) not in cache:
            cache[domain, sources[0]] = load_data(domain, **parse_source(sources[0]))
        return cache[domain, sources[0]]

    return resolve


def _rows(conn: sqlite3.Connection, sql: str) -> Iterator[dict[str, Any]]:
    cursor = conn.execute(sql)
    names = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def _episode(row: dict[str, Any]) -> Episode:
    for key in _UNUSED:
        row.pop(key, None)
    try:
        row["messages"] = json.loads(row["messages"])
    except (KeyError, TypeError, json.JSONDecodeError) as exc:
        raise RecordError(f"corrupt row: messages is not JSON ({exc})") from None
    row["passed"] = bool(row.get("passed"))
    try:
        return Episode.from_json(row)
    except TypeError as exc:
        raise RecordError(f"corrupt row ({exc})") from None


class _Tasks:
    """task_id -> Task, or the reason its row cannot be read; read on demand, not all at once.

    Episodes come in task order, so the one task last read is all that is kept in memory.
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._last: tuple[str, Task | str | None] | None = None

    def get(self, task_id: str) -> Task | str | None:
        if self._last is not None and self._last[0] == task_id:
            return self._last[1]
        row = self.conn.execute("SELECT task FROM tasks WHERE task_id = ?", (task_id,)).fetchone()
        value: Task | str | None = None
        if row is not None:
            try:
                value = Task.model_validate(json.loads(row[0]))
            except (TypeError, json.JSONDecodeError) as exc:
                value = f"its task row is corrupt ({type(exc).__name__})"
            except ValidationError as exc:
                value = f"its task row is invalid ({exc.errors()[0]['msg']})"
        self._last = (task_id, value)
        return value


def _meta(conn: sqlite3.Connection, key: str) -> Any:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row else None


def _store_problem(exc: RunStoreError, path: Path) -> str:
    """The store's own message without the path (the item names it) or advice meant for `simulate`."""
    text = str(exc)
    for prefix in (f"{path / 'run.db'}: ", f"{path}: "):
        text = text.removeprefix(prefix)
    return text.split("; pass --force")[0]


def _check_version(store: RunStore) -> str | None:
    from writ import __version__

    version = store.config.get("writ_version")
    if version != __version__:
        return f"created by writ {version}, this is writ {__version__}; export it with that version"
    if _meta(store.conn, "format") != FORMAT:
        return f"run store format {_meta(store.conn, 'format')} is not this writ's ({FORMAT})"
    return None


class _Collector:
    def __init__(self, weights: str, resolve: Callable[[dict[str, Any]], Callable[[Task], DomainData]] | None,
                 count_tokens: Callable[[str], int], prompt: PromptOptions | None, into: Collection):
        self.weights, self.count_tokens, self.prompt = weights, count_tokens, prompt
        self.shared = DataResolver()
        self.resolve = resolve or (lambda config: run_resolver(config, self.shared))
        self.contexts: dict[int, tuple[DomainData, DomainContext]] = {}
        self.domains: dict[str, Any] = {}
        self.out = into

    def context(self, resolve: Callable[[Task], DomainData], task: Task) -> DomainContext:
        data = resolve(task)
        held = self.contexts.get(id(data))
        if held is None:
            if self.prompt and data.domain.name not in self.domains:
                self.domains[data.domain.name] = data.domain
                self.prompt.check(self.domains.values(), complete=False)  # PromptError stops the collection
            held = self.contexts[id(data)] = (data, DomainContext.of(data, self.prompt))
        return held[1]

    def run(self, path: Path, prefix: str) -> Iterator[TrainingRecord]:
        label = str(path)
        try:
            store = RunStore.read(path, check=True)
        except RunStoreDamaged:
            raise
        except RunStoreError as exc:
            self.out.skipped.append(Skipped(label, _store_problem(exc, path)))
            return
        with store:
            try:
                problem = _check_version(store)
                if problem:
                    self.out.skipped.append(Skipped(label, problem))
                    return
                info = RunInfo(label, store.config)
                self.out.runs.append(info)
                tasks = _Tasks(store.conn)
                resolve = self.resolve(store.config)
                for row in _rows(store.conn, "SELECT * FROM episodes WHERE passed = 1 ORDER BY task_id, attempt"):
                    info.kept += 1
                    record = self.episode(label, prefix, row, tasks, resolve)
                    if record is not None:
                        yield record
            except sqlite3.DatabaseError as exc:
                raise damaged(store.path, exc) from None

    def episode(self, label: str, prefix: str, row: dict[str, Any], tasks: _Tasks,
                resolve: Callable[[Task], DomainData]) -> TrainingRecord | None:
        item = f"{label}: {row.get('task_id')}#{row.get('attempt')}"
        try:
            episode = _episode(row)
            task = tasks.get(episode.task_id)
            if task is None:
                raise RecordError("its task is missing from the run store")
            if isinstance(task, str):
                raise RecordError(task)
            try:
                context = self.context(resolve, task)
            except DataError as exc:
                raise RecordError(f"data source: {exc}") from None
            return build_record(episode, task, context, weights=self.weights, run=label,
                                record_id=f"{prefix}{episode.task_id}#{episode.attempt}",
                                count_tokens=self.count_tokens)
        except RecordError as exc:
            self.out.skipped.append(Skipped(item, str(exc)))
            return None


def iter_records(runs: Iterable[str | Path], into: Collection, *, weights: str = "all",
                 resolve: Callable[[dict[str, Any]], Callable[[Task], DomainData]] | None = None,
                 count_tokens: Callable[[str], int] = approx_tokens,
                 prompt: PromptOptions | None = None) -> Iterator[TrainingRecord]:
    """The training record of every kept episode of `runs`, one at a time, in run/task/attempt order.

    Skipped items and the runs read are added to `into` as they are met (its ``records`` stay
    empty). Raises `RunStoreDamaged` for a store that cannot be read to the end, `PromptError`
    when `prompt` does not fit a domain of the runs.
    """
    paths = [Path(p) for p in runs]
    collector = _Collector(weights, resolve, count_tokens, prompt, into)
    for i, path in enumerate(paths):
        yield from collector.run(path, f"r{i}:" if len(paths) > 1 else "")


def collect(runs: Iterable[str | Path], *, weights: str = "all",
            resolve: Callable[[dict[str, Any]], Callable[[Task], DomainData]] | None = None,
            count_tokens: Callable[[str], int] = approx_tokens, prompt: PromptOptions | None = None) -> Collection:
    """The training records of every kept episode of `runs` (all in memory), and every item skipped, with why.

    `resolve(config)` returns the task -> DomainData function for one run (default:
    `run_resolver`); `count_tokens` estimates the ``tokens`` column; `prompt` sets what the
    records' system message and tools are (`writ.agents.setup.agent_setup`). Raises `PromptError`
    when `prompt` does not fit a domain of the runs. `iter_records` is the same, one record at a time.
    """
    out = Collection()
    out.records.extend(iter_records(runs, out, weights=weights, resolve=resolve, count_tokens=count_tokens,
                                    prompt=prompt))
    return out

"""Reading a run for the report: one small row per episode, and the run's identity and timing.

A run of a long LLM campaign can hold hundreds of thousands of episodes whose messages weigh
gigabytes, while every figure of the report needs only a dozen numbers per episode. So the store
is read once, each episode is reduced at once to an `EpisodeRow` (its messages are dropped), tasks
are read one at a time when needed (`StoredTasks`), and only the handful of conversations the
viewer shows are read again in full (`RunView.episode`).

The report refuses, in one line, what it cannot describe faithfully: a directory without a run
store, a store of another layout, or a run written by another writ version (whose verdicts and
metadata may mean something else).
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from writ.core import Episode, Termination
from writ.report.quality import QualityTally
from writ.sim.rejections import failed_checks as check_failures
from writ.sim.runstore import FORMAT, RunStore, RunStoreError

__all__ = ["EpisodeRow", "ReportError", "RunView", "StoredTasks", "read_run", "failed_checks"]


class ReportError(ValueError):
    """A run the report cannot describe; the message is one line for the user."""


@dataclass(frozen=True)
class EpisodeRow:
    """What the figures need of one episode: outcome, task axes, size and price."""

    task_id: str
    attempt: int
    domain: str
    passed: bool
    termination: str
    n_writes: int | None  # None: the task carries no writ metadata (one of tau2's own)
    evidence: int | None
    behaviours: tuple[str, ...]
    generator: str
    turns: int  # user and agent messages (tool results not counted)
    tool_calls: int
    tokens: int  # prompt + completion (reasoning tokens are part of completion)
    reasoning_tokens: int
    cost: float
    seconds: float
    failed_checks: tuple[str, ...]  # names of the verifier checks that failed
    failures: tuple[tuple[str, str], ...] = ()  # (check, reason) of each failed check
    call_latencies: tuple[float, ...] = ()  # seconds of each model call (cache hits left out)

    @property
    def completed(self) -> bool:
        """The conversation ended on its own (not cut off, not crashed)."""
        try:
            return Termination(self.termination).terminated
        except ValueError:
            return False


@dataclass
class RunView:
    """A run as the report sees it; `store` stays open for `episode` until `close`."""

    run_dir: Path
    store: RunStore
    config: dict[str, Any]
    rows: list[EpisodeRow]
    tasks: StoredTasks  # task id -> task JSON, read from the store on demand
    active_seconds: float  # wall time during which the run's sessions were producing episodes
    created_at: str = ""
    sessions: int = 0
    gold_errors: dict[str, str] = field(default_factory=dict)
    quality: dict[str, Any] = field(default_factory=dict)  # writ.report.quality over the kept conversations

    def episode(self, task_id: str, attempt: int) -> Episode | None:
        return self.store.episode(task_id, attempt)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> RunView:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class StoredTasks:
    """The run's tasks as a read-only mapping that reads a task's JSON only when asked for it.

    A run of 100,000 tasks would otherwise hold every task in memory for the few the viewer shows.
    """

    def __init__(self, store: RunStore):
        self.store = store
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = self.store.conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0]
        return self._count

    def get(self, task_id: str, default: Any = None) -> Any:
        row = self.store.conn.execute("SELECT task FROM tasks WHERE task_id = ?", (task_id,)).fetchone()
        if row is None:
            return default
        try:
            return json.loads(row[0])
        except (TypeError, ValueError):
            return default

    def __getitem__(self, task_id: str) -> dict[str, Any]:
        value = self.get(task_id, _MISSING)
        if value is _MISSING:
            raise KeyError(task_id)
        return value

    def __contains__(self, task_id: object) -> bool:
        return self.store.conn.execute("SELECT 1 FROM tasks WHERE task_id = ?", (task_id,)).fetchone() is not None


_MISSING = object()


def _episode_rows(store: RunStore, tasks: StoredTasks) -> tuple[list[EpisodeRow], dict[str, Any]]:
    """One small row per episode, and the language figures of the kept ones (`writ.report.quality`);
    each episode's messages are dropped as soon as they are counted."""
    rows: list[EpisodeRow] = []
    tally = QualityTally()
    current: tuple[str, dict[str, Any]] | None = None
    for episode in store.episodes():  # in task order: each task's metadata is read once
        if current is None or current[0] != episode.task_id:
            current = (episode.task_id, (tasks.get(episode.task_id) or {}).get("writ") or {})
        rows.append(_row(episode, current[1]))
        if episode.passed:
            flow = ((episode.verdicts or {}).get("checks") or {}).get("information_flow") or {}
            tally.add(episode.messages, current[1].get("outcome"), (flow.get("details") or {}).get("questions"),
                      int((episode.meta or {}).get("realization_fallbacks", 0)))
    return rows, tally.result()


def failed_checks(verdicts: dict[str, Any]) -> tuple[str, ...]:
    """Failed check names, from `verify_episode`'s verdict or from `hash_judge`'s flat booleans."""
    return tuple(name for name, _ in check_failures(verdicts))


def _call_latencies(turns: list[dict[str, Any]]) -> tuple[float, ...]:
    """A turn with usage is a model call (scripted turns record none); a cache hit is not a model's latency."""
    return tuple(float(t.get("latency_s") or 0.0) for t in turns
                 if isinstance(t.get("usage"), dict) and t["usage"] and not t["usage"].get("cached"))


def _row(episode: Episode, meta: dict[str, Any]) -> EpisodeRow:
    usage = episode.usage()
    messages = episode.messages
    failures = tuple(check_failures(episode.verdicts or {})) if not episode.passed else ()
    return EpisodeRow(
        task_id=episode.task_id, attempt=episode.attempt, domain=episode.domain or "?", passed=bool(episode.passed),
        termination=episode.termination or "?",
        n_writes=meta.get("n_writes") if isinstance(meta.get("n_writes"), int) else None,
        evidence=meta.get("evidence") if isinstance(meta.get("evidence"), int) else None,
        behaviours=tuple(meta.get("behaviours") or ()), generator=str(meta.get("generator") or "(none)"),
        turns=sum(1 for m in messages if m.get("role") in ("user", "assistant")),
        tool_calls=sum(len(m.get("tool_calls") or ()) for m in messages),
        tokens=int(usage["prompt_tokens"] + usage["completion_tokens"]),
        reasoning_tokens=int(usage["reasoning_tokens"]), cost=float(usage["cost"]), seconds=float(episode.seconds),
        failed_checks=tuple(name for name, _ in failures), failures=failures,
        call_latencies=_call_latencies(episode.turns),
    )


def _parse_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def _active_seconds(store: RunStore) -> float:
    """Seconds the run spent producing episodes: per session, from its start to its last episode.

    Summing per session leaves out the hours between a crash and its resumption, so episodes/s
    reads as the speed of the simulator, not of the people restarting it.
    """
    starts = sorted(t for t in (_parse_time(s.get("started_at", "")) for s in store.sessions) if t)
    stamps = sorted(t for t in (_parse_time(r[0]) for r in store.conn.execute("SELECT created_at FROM episodes")) if t)
    if not starts or not stamps:
        return 0.0
    total = 0.0
    for i, start in enumerate(starts):
        last = bisect.bisect_left(stamps, starts[i + 1]) if i + 1 < len(starts) else len(stamps)
        if last > bisect.bisect_left(stamps, start):  # this session committed episodes
            total += (stamps[last - 1] - start).total_seconds()
    return total


def _store_format(store: RunStore) -> Any:
    row = store.conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    return json.loads(row[0]) if row else None


def read_run(run_dir: str | Path) -> RunView:
    """Open `run_dir` and reduce its episodes to rows; `ReportError` for anything it cannot describe."""
    from writ import __version__

    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise ReportError(f"{run_dir}: no such run directory")
    try:
        store = RunStore.read(run_dir, check=True)
    except RunStoreError as exc:
        raise ReportError(str(exc)) from None
    try:
        fmt = _store_format(store)
        if fmt != FORMAT:
            raise ReportError(f"{run_dir}: run store format {fmt} is not this writ's ({FORMAT}); "
                              "report it with the writ that wrote it")
        config = store.config
        version = config.get("writ_version")
        if version != __version__:
            raise ReportError(f"{run_dir}: written by writ {version}, this is writ {__version__}; "
                              "report it with the writ that wrote it")
        tasks = StoredTasks(store)
        rows, quality = _episode_rows(store, tasks)
        created = store.conn.execute("SELECT value FROM meta WHERE key = 'created_at'").fetchone()
        gold_errors = dict(store.conn.execute("SELECT task_id, gold_error FROM tasks WHERE gold_error IS NOT NULL "
                                              "AND gold_error != ''").fetchall())
        return RunView(run_dir=run_dir, store=store, config=config, rows=rows, tasks=tasks,
                       active_seconds=_active_seconds(store), created_at=json.loads(created[0]) if created else "",
                       sessions=len(store.sessions), gold_errors=gold_errors, quality=quality)
    except Exception as exc:
        store.close()
        if isinstance(exc, ReportError):
            raise
        if isinstance(exc, RunStoreError):
            raise ReportError(str(exc)) from None
        if isinstance(exc, (json.JSONDecodeError, KeyError)) or type(exc).__module__ == "sqlite3":
            raise ReportError(f"{run_dir}: unreadable run store ({type(exc).__name__}: {exc})") from None
        raise

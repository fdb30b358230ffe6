"""The run store: one SQLite file per run directory (``RUN/run.db``) that every later stage reads.

A simulation run can take days and cost real money, so the store is built around two promises:

* **a finished episode is never lost**: each episode is committed in its own transaction the
  moment it ends, and the database runs in WAL mode with ``synchronous=FULL``. WAL keeps the file
  consistent whatever happens to the process (``kill -9`` in the middle of a commit leaves the
  previous state), and FULL makes SQLite fsync the WAL at every commit, so a committed episode
  also survives a power cut or a kernel panic. ``synchronous=NORMAL`` would only survive process
  crashes: after a power cut the last commits could roll back and their (paid-for) episodes would
  be simulated again. One fsync per episode costs a few milliseconds, which is nothing against an
  LLM episode and still allows hundreds of scripted episodes per second;
* **a run is only ever continued with what started it**: the ``meta`` table holds the run's
  config (writ version, tasks hash, agent and user specs, seeds, limits, attempts, data
  fingerprints). `RunStore.open` refuses a directory whose config differs, with a one-line
  message, unless ``overwrite=True`` (the CLI's ``--force``): then the old store is kept aside as
  ``run.replaced-<UTC time>.db`` and the run starts over from nothing.

A lock file (``RUN/run.lock``, `fcntl.flock`) keeps two writers out of one directory; the kernel
releases it when a writer dies, so a killed run can be restarted at once. Readers (`RunStore.read`)
take no lock and may watch a run while it is written. A damaged file (garbage written into it) is
one `RunStoreDamaged` line naming it and how to salvage it (`writ.sim.storefile`), never half-read.

Nothing stored holds a secret: errors, verdicts and metadata go through `writ.redact`, and the
conversation itself loses any literal key value. Episodes a later run retries because they failed
on an outage (`writ.sim.failures`) move to the ``retired`` table, kept but no longer part of the run.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from writ.core import Episode
from writ.redact import MASK, redact, redact_json, secret_values
from writ.sim.storefile import (
    RunStoreDamaged,
    RunStoreError,
    check_integrity,
    connect,
    damaged,
    lock,
    read_meta,
    reading,
    set_aside,
)

__all__ = ["RunStore", "RunStoreDamaged", "RunStoreError", "StoredTask", "canonical_config", "damaged"]

FORMAT = 1  # the table layout below; bump when it changes

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tasks (
    task_id TEXT PRIMARY KEY,
    task TEXT NOT NULL,
    gold_db_hash TEXT,
    gold_user_db_hash TEXT,
    gold_error TEXT
);
CREATE TABLE IF NOT EXISTS episodes (
    task_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    domain TEXT NOT NULL,
    termination TEXT NOT NULL,
    passed INTEGER NOT NULL,
    error TEXT NOT NULL,
    messages TEXT NOT NULL,
    turns TEXT NOT NULL,
    verdicts TEXT NOT NULL,
    meta TEXT NOT NULL,
    tool_errors INTEGER NOT NULL,
    final_db_hash TEXT,
    final_user_db_hash TEXT,
    gold_db_hash TEXT,
    gold_user_db_hash TEXT,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    reasoning_tokens INTEGER NOT NULL,
    cost REAL NOT NULL,
    seconds REAL NOT NULL,
    agent TEXT NOT NULL,
    "user" TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (task_id, attempt)
);
CREATE TABLE IF NOT EXISTS retired AS SELECT * FROM episodes WHERE 0;
"""

_JSON_COLUMNS = ("messages", "turns", "verdicts", "meta")
_EPISODE_COLUMNS = (
    "task_id", "attempt", "domain", "termination", "passed", "error", "messages", "turns", "verdicts", "meta",
    "tool_errors", "final_db_hash", "final_user_db_hash", "gold_db_hash", "gold_user_db_hash", "prompt_tokens",
    "completion_tokens", "reasoning_tokens", "cost", "seconds", "agent", "user", "created_at",
)
_QUOTED = ", ".join(f'"{c}"' for c in _EPISODE_COLUMNS)
_INSERT = f"INSERT INTO episodes ({_QUOTED}) VALUES ({', '.join('?' for _ in _EPISODE_COLUMNS)})"


@dataclass(frozen=True)
class StoredTask:
    task_id: str
    task: dict[str, Any]
    gold_db_hash: str | None
    gold_user_db_hash: str | None
    gold_error: str | None


def canonical_config(config: dict[str, Any]) -> dict[str, Any]:
    """`config` as it reads back from JSON (tuples become lists, keys strings), for comparison."""
    return json.loads(json.dumps(config, sort_keys=True, default=str))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def meta_present(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone() is not None


def _difference(old: dict[str, Any], new: dict[str, Any]) -> str:
    """``"attempts, limits differ (attempts: 5 now, 3 there)"``: every differing key, the first in detail."""
    keys = [k for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
    if not keys:
        return "no difference"
    shown_old, shown_new = (json.dumps(v, sort_keys=True)[:60] for v in (old.get(keys[0]), new.get(keys[0])))
    return f"{', '.join(keys)} differ ({keys[0]}: {shown_new} now, {shown_old} there)"


class RunStore:
    """The episodes, tasks and config of one run. Writers come from `open`, readers from `read`."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lock_fd: int | None = None):
        self.path = path
        self.conn = conn
        self._lock_fd = lock_fd

    # -- opening -----------------------------------------------------------------------------------
    @classmethod
    def open(cls, run_dir: str | Path, config: dict[str, Any], *, overwrite: bool = False,
             info: dict[str, Any] | None = None) -> RunStore:
        """Create or resume the run in `run_dir` for `config`; refuse another config unless `overwrite`.

        `info` (concurrency, endpoints, command line) is recorded per session but never compared:
        it may change between a run and its resumption without changing any episode.
        """
        run_dir = Path(run_dir)
        if run_dir.exists() and not run_dir.is_dir():
            raise RunStoreError(f"{run_dir}: exists and is not a directory")
        run_dir.mkdir(parents=True, exist_ok=True)
        lock_fd = lock(run_dir)
        try:
            path = run_dir / "run.db"
            config = redact_json(canonical_config(config))
            if path.exists() and overwrite:
                set_aside(path)
            elif path.exists():
                meta = read_meta(path)
                if meta:  # (empty: created, then killed before its config was written; just go on)
                    _check_same(run_dir, meta, config)
            conn = connect(path)
            store = cls(path, conn, lock_fd)
            with reading(path):
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
                if not overwrite and meta_present(conn):
                    check_integrity(path, conn)
                conn.executescript(SCHEMA)
            with reading(path), store._transaction():
                now = _now()
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?)", (json.dumps(FORMAT),))
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('config', ?)", (json.dumps(config, sort_keys=True),))
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('created_at', ?)", (json.dumps(now),))
                sessions = store._meta("sessions") or []
                sessions.append({"started_at": now, "pid": os.getpid(), **redact_json(dict(info or {}))})
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('sessions', ?)", (json.dumps(sessions),))
            return store
        except BaseException:
            os.close(lock_fd)
            raise

    @classmethod
    def read(cls, run_dir: str | Path, *, check: bool = False) -> RunStore:
        """Open an existing run for reading, whatever its config (reports, exports, monitoring).

        With `check`, the whole file is checked first (`check_integrity`): exports and reports,
        which must not be built from half a store, ask for it.
        """
        run_dir = Path(run_dir)
        if run_dir.exists() and not run_dir.is_dir():
            raise RunStoreError(f"{run_dir}: not a run directory (a file)")
        path = run_dir / "run.db"
        if not path.is_file():
            raise RunStoreError(f"{run_dir}: no run store (run.db) here")
        read_meta(path, writing=False)
        store = cls(path, connect(path))
        if check:
            try:
                check_integrity(path, store.conn)
            except RunStoreError:
                store.close()
                raise
        return store

    def close(self) -> None:
        self.conn.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- meta ----------------------------------------------------------------------------------------
    def _meta(self, key: str) -> Any:
        with reading(self.path):
            row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    @property
    def config(self) -> dict[str, Any]:
        return self._meta("config") or {}

    @property
    def sessions(self) -> list[dict[str, Any]]:
        return self._meta("sessions") or []

    # -- writing -------------------------------------------------------------------------------------
    def _transaction(self):
        return _Transaction(self.conn)

    def add_tasks(self, rows: list[StoredTask]) -> None:
        """Record tasks and their gold hashes (tasks already stored are left as they are)."""
        with reading(self.path), self._transaction():
            self.conn.executemany(
                "INSERT OR IGNORE INTO tasks VALUES (?, ?, ?, ?, ?)",
                [(r.task_id, json.dumps(r.task, ensure_ascii=False), r.gold_db_hash, r.gold_user_db_hash, r.gold_error)
                 for r in rows])

    def add_episode(self, episode: Episode) -> None:
        """Commit one finished episode now (its own transaction; durable when this returns)."""
        row = _row(episode)
        with reading(self.path), self._transaction():
            self.conn.execute(_INSERT, row)

    def add_episodes(self, episodes: list[Episode]) -> None:
        """Commit episodes that finished together in one transaction (one fsync): all or none.

        The Ray driver receives episodes in batches; one commit per batch keeps its single writer
        from spending an fsync per episode, which would bound a scripted run at a few hundred
        episodes per second.
        """
        rows = [_row(e) for e in episodes]
        with reading(self.path), self._transaction():
            self.conn.executemany(_INSERT, rows)

    # -- reading -------------------------------------------------------------------------------------
    def tasks(self) -> dict[str, StoredTask]:
        with reading(self.path):
            rows = self.conn.execute("SELECT task_id, task, gold_db_hash, gold_user_db_hash, gold_error FROM tasks")
            return {r[0]: StoredTask(r[0], _json(self.path, r[1]), r[2], r[3], r[4]) for r in rows}

    def task_ids(self) -> set[str]:
        with reading(self.path):
            return {r[0] for r in self.conn.execute("SELECT task_id FROM tasks")}

    def golds(self) -> dict[str, StoredTask]:
        """Like `tasks`, without the task JSON (``task`` is empty): the gold hashes a run needs, in little memory."""
        with reading(self.path):
            rows = self.conn.execute("SELECT task_id, gold_db_hash, gold_user_db_hash, gold_error FROM tasks")
            return {r[0]: StoredTask(r[0], {}, r[1], r[2], r[3]) for r in rows}

    def finished(self) -> dict[str, dict[int, bool]]:
        """task_id -> {attempt: passed} for every committed episode."""
        out: dict[str, dict[int, bool]] = {}
        with reading(self.path):
            for task_id, attempt, passed in self.conn.execute("SELECT task_id, attempt, passed FROM episodes"):
                out.setdefault(task_id, {})[attempt] = bool(passed)
        return out

    def episodes(self, *, task_id: str | None = None, passed: bool | None = None) -> Iterator[Episode]:
        """Every stored episode (optionally of one task, or only passed/failed ones), in task order."""
        where, args = [], []
        if task_id is not None:
            where.append("task_id = ?")
            args.append(task_id)
        if passed is not None:
            where.append("passed = ?")
            args.append(int(passed))
        sql = f"SELECT {_QUOTED} FROM episodes"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY task_id, attempt"
        with reading(self.path):
            for row in self.conn.execute(sql, args):
                yield _episode(dict(zip(_EPISODE_COLUMNS, row, strict=True)), self.path)

    def retryable(self) -> list[tuple[str, int]]:
        """(task, attempt) of every transient failure of a task not yet kept (`writ.sim.failures`)."""
        from writ.sim.failures import TRANSIENT, failure_class

        with reading(self.path):
            rows = self.conn.execute(
                "SELECT task_id, attempt, termination, error, meta FROM episodes WHERE passed = 0 AND task_id NOT IN "
                "(SELECT task_id FROM episodes WHERE passed = 1) ORDER BY task_id, attempt").fetchall()
        return [(t, a) for t, a, termination, error, meta in rows
                if failure_class(termination, error, meta) == TRANSIENT]

    def retire(self, keys: list[tuple[str, int]]) -> int:
        """Move these episodes out of the run into the ``retired`` table (kept, never exported), at once."""
        if not keys:
            return 0
        columns = ", ".join(f'"{c}"' for c in _EPISODE_COLUMNS)
        with reading(self.path), self._transaction():
            for task_id, attempt in keys:
                self.conn.execute(f"INSERT INTO retired ({columns}) SELECT {columns} FROM episodes "
                                  "WHERE task_id = ? AND attempt = ?", (task_id, attempt))
                self.conn.execute("DELETE FROM episodes WHERE task_id = ? AND attempt = ?", (task_id, attempt))
        return len(keys)

    def episode(self, task_id: str, attempt: int) -> Episode | None:
        return next((e for e in self.episodes(task_id=task_id) if e.attempt == attempt), None)

    def best_per_task(self) -> dict[str, Episode]:
        """Per task, the passed episode if any (the first attempt that passed), else its last attempt."""
        best: dict[str, Episode] = {}
        for ep in self.episodes():
            held = best.get(ep.task_id)
            if held is None or (not held.passed and (ep.passed or ep.attempt > held.attempt)):
                best[ep.task_id] = ep
        return best

    def counts(self) -> dict[str, Any]:
        """Episode and task totals, token and cost sums, and failed episodes by termination."""
        with reading(self.path):
            return self._counts()

    def _counts(self) -> dict[str, Any]:
        c = self.conn
        episodes, passed, prompt, completion, reasoning, cost = c.execute(
            "SELECT COUNT(*), COALESCE(SUM(passed), 0), COALESCE(SUM(prompt_tokens), 0), "
            "COALESCE(SUM(completion_tokens), 0), COALESCE(SUM(reasoning_tokens), 0), COALESCE(SUM(cost), 0) "
            "FROM episodes").fetchone()
        tasks_seen, tasks_passed = c.execute(
            "SELECT COUNT(*), COALESCE(SUM(p), 0) FROM (SELECT MAX(passed) AS p FROM episodes GROUP BY task_id)"
        ).fetchone()
        failures = dict(c.execute("SELECT termination, COUNT(*) FROM episodes WHERE passed = 0 "
                                  "GROUP BY termination ORDER BY COUNT(*) DESC, termination").fetchall())
        errors = dict(c.execute("SELECT SUBSTR(error, 1, 200), COUNT(*) FROM episodes WHERE error != '' "
                                "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3").fetchall())
        has_retired = c.execute("SELECT 1 FROM sqlite_master WHERE name = 'retired'").fetchone() is not None
        retired = c.execute("SELECT COUNT(*) FROM retired").fetchone()[0] if has_retired else 0
        return {"tasks": c.execute("SELECT COUNT(*) FROM tasks").fetchone()[0], "tasks_seen": tasks_seen,
                "retired": retired,
                "tasks_passed": tasks_passed, "episodes": episodes, "passed": passed, "failed": episodes - passed,
                "prompt_tokens": prompt, "completion_tokens": completion, "reasoning_tokens": reasoning,
                "cost": round(cost, 6), "failures": failures, "errors": errors}


def _row(episode: Episode) -> list[Any]:
    """The stored row of an episode, secrets redacted (`writ.redact`): nothing stored holds a key."""
    secrets = secret_values()
    row = {c: getattr(episode, c) for c in _EPISODE_COLUMNS if c in Episode.__dataclass_fields__}
    row.update(episode.usage(), passed=int(bool(episode.passed)), created_at=_now())
    row["error"] = redact(row["error"], secrets)
    for key in _JSON_COLUMNS:  # the episode's own objects, serialized as they are (no deep copy)
        value = row[key] if key == "messages" else redact_json(row[key], secrets)
        text = json.dumps(value, ensure_ascii=False, default=str)
        if key == "messages":  # the conversation is training data: only literal key values go
            for secret in secrets:
                if json.dumps(secret)[1:-1] in text:
                    text = text.replace(json.dumps(secret)[1:-1], MASK)
        row[key] = text
    return [row[c] for c in _EPISODE_COLUMNS]


def _json(path: Path, text: str) -> Any:
    try:
        return json.loads(text)
    except (json.JSONDecodeError, TypeError, UnicodeDecodeError) as exc:
        raise damaged(path, sqlite3.DatabaseError(f"a stored row is not JSON: {exc}")) from None


def _episode(row: dict[str, Any], path: Path) -> Episode:
    for key in _JSON_COLUMNS:
        row[key] = _json(path, row[key])
    row["passed"] = bool(row["passed"])
    try:
        return Episode.from_json(row)
    except TypeError as exc:
        raise damaged(path, sqlite3.DatabaseError(f"a stored episode is malformed: {exc}")) from None


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception (the connection is in autocommit)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: Any, *rest: Any) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def _check_same(run_dir: Path, meta: dict[str, Any], config: dict[str, Any]) -> None:
    old = meta.get("config") or {}
    if meta.get("format") != FORMAT:
        raise RunStoreError(f"{run_dir}: run store format {meta.get('format')} is not this writ's ({FORMAT}); "
                            "pass --force to start over")
    if old.get("writ_version") != config.get("writ_version"):
        raise RunStoreError(f"{run_dir}: created by writ {old.get('writ_version')}, this is writ "
                            f"{config.get('writ_version')}; pass --force to start over")
    if old != config:
        raise RunStoreError(f"{run_dir}: holds a run of another config ({_difference(old, config)}); "
                            "resume needs the same config, or pass --force to start over")



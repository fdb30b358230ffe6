"""The file under a run store: opening it, locking its directory, checking it, setting it aside.

Everything here is about the SQLite file as a file, apart from what the store holds
(`writ.sim.runstore`): a store a crash or a disk fault damaged must be named in one line, with
what to do about it, never half-read (`damaged`, `check_integrity`); a second writer must be
refused at once (`lock`); a store replaced with ``--force`` is kept whole beside the new one
(`set_aside`).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["RunStoreDamaged", "RunStoreError", "check_integrity", "connect", "damaged", "lock", "read_meta",
           "reading", "set_aside"]


class RunStoreError(ValueError):
    """A run directory that cannot be used as asked; the message is one line for the user."""


class RunStoreDamaged(RunStoreError):
    """A run store SQLite cannot read (garbage written into it, a torn copy): never half-used."""


def damaged(path: Path, exc: BaseException) -> RunStoreError:
    """The one-line error for a store SQLite cannot read: which file, what is wrong, what to do."""
    text = str(exc) or type(exc).__name__
    if isinstance(exc, sqlite3.OperationalError) and any(
            k in text for k in ("locked", "disk is full", "unable to open", "readonly", "read-only", "disk I/O")):
        return RunStoreError(f"{path}: {text}")
    return RunStoreDamaged(
        f"{path}: the run store is damaged ({text}); salvage its episodes with "
        f"`sqlite3 {path} .recover | sqlite3 recovered.db` and use that file as run.db, "
        "or start over with --force (the damaged store is kept aside)")


@contextlib.contextmanager
def reading(path: Path) -> Iterator[None]:
    try:
        yield
    except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
        raise  # writ's own misuse (a duplicate key, a closed connection): not the file's fault
    except sqlite3.DatabaseError as exc:
        raise damaged(path, exc) from None


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=30.0, isolation_level=None)  # explicit transactions only
    conn.execute("PRAGMA busy_timeout = 30000")
    return conn


def read_meta(path: Path, *, writing: bool = True) -> dict[str, Any]:
    """The meta table of an existing store, or a RunStoreError naming what is wrong with the file.

    Only a command that writes the run can replace a bad store, so only its error says how.
    """
    try:
        conn = connect(path)
        try:
            if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
                return {}  # an empty file: created, then killed (or only looked at) before the schema
            rows = conn.execute("SELECT key, value FROM meta").fetchall()
        finally:
            conn.close()
        return {k: json.loads(v) for k, v in rows}
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            hint = "; pass --force to replace it (it is kept aside)" if writing else ""
            raise RunStoreError(f"{path}: not a writ run store ({exc}){hint}") from None
        raise damaged(path, exc) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        hint = "; pass --force to start over (the store is kept aside)" if writing else ""
        raise RunStoreError(f"{path}: its meta table is damaged ({exc}){hint}") from None


def check_integrity(path: Path, conn: sqlite3.Connection) -> None:
    """SQLite's structural check of every page (``PRAGMA quick_check``); `RunStoreError` if damaged.

    Reads the whole file once, so a store with garbage in the middle is refused before anything
    is built from it, rather than half-way through an export.
    """
    with reading(path):
        rows = conn.execute("PRAGMA quick_check(3)").fetchall()
    problems = [r[0] for r in rows if r and r[0] != "ok"]
    if problems:
        raise damaged(path, sqlite3.DatabaseError("; ".join(problems)[:200]))


def lock(run_dir: Path) -> int:
    fd = os.open(run_dir / "run.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except ImportError:  # no flock (Windows): run without the guard
        pass
    except OSError:
        os.close(fd)
        raise RunStoreError(f"{run_dir}: another writ process is writing this run") from None
    return fd


def set_aside(path: Path) -> None:
    """Keep the replaced store as one self-contained file next to the new one, then remove it."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    backup = path.with_name(f"run.replaced-{stamp}.db")
    n = 1
    while backup.exists():
        n += 1
        backup = path.with_name(f"run.replaced-{stamp}-{n}.db")
    try:
        conn = connect(path)
        try:
            conn.execute("VACUUM INTO ?", (str(backup),))  # a consistent copy, WAL contents included
        finally:
            conn.close()
    except sqlite3.DatabaseError:  # not a database at all: keep the bytes as they are
        os.replace(path, backup)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)

"""Writing files and folders so that a kill at any moment leaves either the old result or the new one.

Every stage of writ writes its output through this module: the bytes go to a temporary sibling
(``.NAME.tmp-PID``, same folder, so the same file system) that is flushed to disk and then renamed
over the target. ``rename`` is atomic on POSIX, so a reader (or the next run after a ``kill -9``)
sees the complete old file or the complete new one, never half of either.

A folder cannot be swapped in one system call, so `atomic_dir` builds the new folder beside the
target, moves the old one aside (``.NAME.old-PID``), renames the new one into place and only then
deletes the old one. A kill between the two renames leaves no target but a complete old folder
aside; `recover` (called before every write of the target, and by `atomic_dir` itself) puts it
back, and removes what dead writers left behind. So after any kill, the next run finds the old
folder or the new one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from writ.failpoints import failpoint

__all__ = ["atomic_dir", "atomic_write_bytes", "atomic_write_text", "open_atomic", "recover"]


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def _leftovers(target: Path, kind: str) -> list[tuple[Path, int]]:
    """``(path, pid)`` of the ``.NAME.<kind>-PID`` siblings of `target`."""
    prefix = f".{target.name}.{kind}-"
    found = []
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return []
    for entry in entries:
        if entry.name.startswith(prefix):
            try:
                found.append((entry, int(entry.name[len(prefix):])))
            except ValueError:
                continue
    return found


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def recover(target: str | Path) -> None:
    """Undo what a killed writer of `target` left: restore a folder set aside, drop its temporaries."""
    target = Path(target)
    for old, pid in _leftovers(target, "old"):
        if _pid_alive(pid):
            continue
        if not target.exists():
            os.replace(old, target)  # killed between the two renames: the old result comes back
        else:
            _remove(old)  # killed after the swap, before the clean-up
    for tmp, pid in _leftovers(target, "tmp"):
        if not _pid_alive(pid):
            _remove(tmp)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def open_atomic(path: str | Path, mode: str = "w", *, encoding: str | None = "utf-8") -> Iterator:
    """``with open_atomic(p) as f: f.write(...)``: `p` appears, complete, only when the block ends.

    An exception inside the block leaves `p` as it was. `mode` is ``"w"`` (text) or ``"wb"``.
    """
    path = Path(path)
    recover(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    kwargs = {"encoding": encoding, "newline": "\n"} if "b" not in mode else {}
    try:
        with open(tmp, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        failpoint(f"write:{path.name}")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    with open_atomic(path, "wb") as handle:
        handle.write(data)


def atomic_write_text(path: str | Path, text: str) -> None:
    with open_atomic(path, "w") as handle:
        handle.write(text)


@contextlib.contextmanager
def atomic_dir(target: str | Path) -> Iterator[Path]:
    """``with atomic_dir(out) as tmp:`` fill `tmp`; it replaces `out` (whatever was there) at the end.

    An exception inside the block removes `tmp` and leaves `out` untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    pid = os.getpid()
    tmp = target.with_name(f".{target.name}.tmp-{pid}")
    _remove(tmp)
    tmp.mkdir()
    try:
        yield tmp
    except BaseException:
        _remove(tmp)
        raise
    failpoint(f"dir:{target.name}")
    old = target.with_name(f".{target.name}.old-{pid}")
    if target.exists() or target.is_symlink():
        os.replace(target, old)
        failpoint(f"swap:{target.name}")
    os.replace(tmp, target)
    _fsync_dir(target.parent)
    _remove(old)

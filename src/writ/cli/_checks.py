"""Checks every command runs on its paths, numbers and URLs before it does any work.

A mistake in a path or a number should cost the user one line and no time: not a traceback after
ten minutes of task generation, and never a half-written output. Each check raises `UserError`
naming the option and the value; none of them creates, truncates or removes anything.

Upper bounds (``--n``, ``--scale``, ``--variants`` and the like) live in `writ.limits`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from pathlib import Path

from writ.cli._common import UserError
from writ.limits import LIMITS, limit, over_limit, url_problem
from writ.limits import number_text as _num

__all__ = [
    "LIMITS", "check_base_urls", "check_input_dir", "check_input_file", "check_number", "check_output_dir",
    "check_output_file", "check_port", "limit",
]


def check_number(option: str, value: float | int | None, *, least: float | None = None, above: float | None = None,
                 bound: str | None = None, most: float | None = None) -> None:
    """`value` is finite, >= `least` (or > `above`), <= `most` and within the named `bound`."""
    if value is None:
        return
    if isinstance(value, float) and not math.isfinite(value):
        raise UserError(f"{option} must be a finite number, got {value}")
    if least is not None and value < least:
        raise UserError(f"{option} must be at least {_num(least)}, got {_num(value)}")
    if above is not None and value <= above:
        bound_text = "positive" if above == 0 else f"greater than {_num(above)}"
        raise UserError(f"{option} must be {bound_text}, got {_num(value)}")
    if most is not None and value > most:
        raise UserError(f"{option} must be at most {_num(most)}, got {_num(value)}")
    if bound is not None:
        try:
            problem = over_limit(bound, value, option)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        if problem:
            raise UserError(problem)


def _nearest_existing(path: Path) -> Path:
    here = path.absolute()
    while not here.exists() and here != here.parent:
        here = here.parent
    return here


def _check_creatable(option: str, path: Path) -> None:
    """`path` (absent) could be created: its nearest existing ancestor is a writable directory."""
    parent = _nearest_existing(path.parent if path.parent != path else path)
    if not parent.is_dir():
        raise UserError(f"{option} {path}: {parent} is not a directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UserError(f"{option} {path}: cannot write in {parent} (permission denied or read-only)")
    if parent.absolute().parts[:2] in (("/", "proc"), ("/", "sys")):
        raise UserError(f"{option} {path}: {parent} does not hold ordinary files")


def check_output_file(option: str, path: Path) -> None:
    """`path` is a file writ may (over)write: not a directory, in a folder it can write."""
    if path.is_dir():
        raise UserError(f"{option} {path}: is a directory; give a file name (e.g. {path / 'out.json'})")
    if path.exists():
        if not path.is_file():
            raise UserError(f"{option} {path}: exists and is not a regular file")
        if not os.access(path.parent if str(path.parent) else Path("."), os.W_OK):
            raise UserError(f"{option} {path}: cannot write in {path.parent} (permission denied)")
        return
    _check_creatable(option, path)


def check_output_dir(option: str, path: Path, *, empty_unless: Iterable[str] | None = None,
                     what: str = "directory") -> None:
    """`path` is a directory writ may create or write into.

    With `empty_unless`, an existing directory must be empty or hold only those file names
    (what an earlier run of the same command wrote), so unrelated files are never mixed in.
    """
    if path.exists() and not path.is_dir():
        raise UserError(f"{option} {path}: exists and is not a directory")
    if path.is_dir():
        if not os.access(path, os.W_OK | os.X_OK):
            raise UserError(f"{option} {path}: cannot write in it (permission denied or read-only)")
        if empty_unless is not None:
            allowed = set(empty_unless)
            strangers = sorted(p.name for p in path.iterdir() if p.name not in allowed and not p.name.startswith("."))
            if strangers:
                raise UserError(f"{option} {path}: not empty (holds {strangers[0]}"
                                f"{f' and {len(strangers) - 1} more' if len(strangers) > 1 else ''}); "
                                f"give a new or empty {what}")
        return
    _check_creatable(option, path)


def check_input_file(option: str, path: Path, what: str = "file") -> None:
    """`path` is an existing, readable regular file."""
    if not path.exists():
        raise UserError(f"{option} {path}: no such {what}")
    if path.is_dir():
        raise UserError(f"{option} {path}: is a directory, not a {what}")
    if not os.access(path, os.R_OK):
        raise UserError(f"{option} {path}: cannot read it (permission denied)")


def check_input_dir(option: str, path: Path, what: str = "directory") -> None:
    if not path.exists():
        raise UserError(f"{option} {path}: no such {what}")
    if not path.is_dir():
        raise UserError(f"{option} {path}: is not a directory")


def check_base_urls(option: str, urls: Iterable[str] | None) -> None:
    """Each URL is ``http(s)://host[:port][/path]``, so a typo fails now, not after every retry."""
    for url in urls or ():
        problem = url_problem(url)
        if problem:
            raise UserError(f"{option} {_shown(url)}: {problem}")


def _shown(url: str) -> str:
    from writ.redact import redact_url

    return repr(redact_url(url))


def check_port(option: str, port: int) -> None:
    if not 1 <= port <= 65535:
        raise UserError(f"{option} must be a TCP port between 1 and 65535, got {port}")


def check_task_domain(tasks: list, loaded, where: str) -> None:
    """Every task belongs to `loaded`'s domain: it names no other domain and calls only its tools.

    Replaying or simulating another domain's tasks "works" (every call returns an error) and
    produces nothing of use, so it is refused up front.
    """
    from writ.sim.sources import task_domain

    domain = loaded.domain
    tools = set(domain.agent.tools) | (set(domain.user.tools) if domain.user is not None else set())
    for task in tasks:
        named = task_domain(task)
        if named and named != domain.name:
            raise UserError(f"{where}: task {task.id} is a {named} task, not {domain.name} (pass --domain {named})")
        unknown = next((a.name for a in task.actions if a.name not in tools), None)
        if unknown is not None:
            raise UserError(f"{where}: task {task.id} calls {unknown!r}, which domain {domain.name} does not have "
                            "(tasks of another domain?)")

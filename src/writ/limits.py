"""Upper bounds on the sizes a user asks for (and how to raise them), and what a usable endpoint URL is.

A typo such as ``--n 1000000000000000`` or ``--scale 1e6`` would otherwise grow memory until the
machine gives up, minutes later. The bounds are far above any real job (a synth job of 100,000
tasks per domain, a database 50 times tau2's), and each names the environment variable that raises
it (``WRIT_MAX_TASKS=5000000 writ synth ...``) for the user who really means it. The command line
and the synth config check the same bounds.
"""

from __future__ import annotations

import math
import os
from urllib.parse import urlsplit

__all__ = ["LIMITS", "limit", "number_text", "over_limit", "url_problem"]

# name -> (default bound, environment variable that raises it, unit for the message)
LIMITS: dict[str, tuple[float, str, str]] = {
    "tasks": (100_000, "WRIT_MAX_TASKS", "tasks"),
    "scale": (50.0, "WRIT_MAX_SCALE", "times tau2's database"),
    "variants": (64, "WRIT_MAX_VARIANTS", "variants per task"),
    "trials": (1_000, "WRIT_MAX_TRIALS", "trials per task"),
    "attempts": (1_000, "WRIT_MAX_ATTEMPTS", "attempts per task"),
    "concurrency": (100_000, "WRIT_MAX_CONCURRENCY", "in flight"),
    "steps": (100_000, "WRIT_MAX_STEPS", "messages per episode"),
    "samples": (10_000, "WRIT_MAX_SAMPLES", "conversations of each kind"),
    "workers": (10_000, "WRIT_MAX_WORKERS", "workers"),
    "shard_rows": (10_000_000, "WRIT_MAX_SHARD_ROWS", "rows per shard"),
}


def number_text(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def limit(kind: str) -> float:
    """The bound for `kind`, raised by its environment variable; ValueError for a bad variable."""
    default, env, _ = LIMITS[kind]
    raw = os.environ.get(env)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{env}={raw!r}: expected a number") from None
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{env}={raw!r}: expected a positive number")
    return value


def over_limit(kind: str, value: float | int, option: str) -> str | None:
    """The one-line message when `value` of `option` exceeds the bound for `kind`, else None."""
    try:
        top = limit(kind)
    except ValueError as exc:
        return str(exc)
    if value <= top:
        return None
    _, env, unit = LIMITS[kind]
    return (f"{option} {number_text(value)} is above writ's limit of {number_text(top)} {unit}; "
            f"set {env}={number_text(value)} if you really mean it")


def url_problem(url: str) -> str | None:
    """Why `url` cannot be a model endpoint (``http(s)://host[:port][/path]``), or None if it can.

    Checked before a run starts, so ``--base-url "not a url"`` fails in one line instead of
    spending every attempt of every episode on a request that can never be sent.
    """
    if not isinstance(url, str) or not url or any(c.isspace() for c in url):
        return "not an http(s) URL (e.g. http://localhost:8000/v1)"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not an http(s) URL (e.g. http://localhost:8000/v1)"
    if port == 0:
        return "port 0 is not a server port"
    return None

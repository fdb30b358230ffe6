"""A response cache so that a rerun pays nothing for what it already got.

Replies are stored in SQLite (WAL mode, so several processes and many tasks can read while one
writes) under the SHA-256 of the *full* request: the backend's identity (model, default sampling
parameters, ``extra_body``), the messages, the tools and every per-call parameter. Change any of
them and the key changes; nothing about the request is guessed.

What gets cached is a deliberate choice. A sampled reply (temperature > 0, no seed) is one draw
from a distribution, and writ *wants* that diversity across episodes; caching it would silently
replay the same draw for every rerun. So `CachedBackend` only caches requests that are meant to
be reproducible: temperature 0, or a fixed ``seed``. ``cache_all=True`` lifts the restriction for
those who want a rerun to be an exact replay whatever the sampling.

A hit comes back with ``usage.cached = True`` and ``cost = 0``; token counts are kept so the reply
still says how big it was.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from writ.models.base import ModelBackend, ModelReply
from writ.models.usage import UsageMeter

__all__ = ["CachedBackend", "ResponseCache", "is_reproducible", "request_key"]


def request_key(identity: Any, messages: list[dict], tools: list[dict] | None, params: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of everything that decides the reply."""
    payload = {"identity": identity, "messages": messages, "tools": tools or [], "params": params}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def is_reproducible(params: dict[str, Any]) -> bool:
    """Greedy (temperature 0) or seeded: the same request should give the same reply."""
    if params.get("seed") is not None:
        return True
    temperature = params.get("temperature")
    return temperature is not None and float(temperature) == 0.0


class ResponseCache:
    """A key -> `ModelReply` store in one SQLite file. Safe to share between threads and tasks."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30.0, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS replies ("
            " key TEXT PRIMARY KEY, model TEXT NOT NULL, reply TEXT NOT NULL, created REAL NOT NULL)"
        )

    def get(self, key: str) -> ModelReply | None:
        with self._lock:
            row = self._db.execute("SELECT reply FROM replies WHERE key = ?", (key,)).fetchone()
        return ModelReply.from_dict(json.loads(row[0])) if row else None

    def put(self, key: str, model: str, reply: ModelReply) -> None:
        blob = json.dumps(reply.to_dict(), ensure_ascii=False)
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO replies (key, model, reply, created) VALUES (?, ?, ?, ?)",
                (key, model, blob, time.time()),
            )

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM replies").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()


class CachedBackend:
    """Wraps any `ModelBackend`; serves reproducible requests from a `ResponseCache`.

    ``meter`` records only the hits: the wrapped backend records the calls it really makes, so
    passing the same meter to both counts every call exactly once.
    """

    def __init__(
        self,
        inner: ModelBackend,
        cache: ResponseCache | str | Path,
        *,
        cache_all: bool = False,
        meter: UsageMeter | None = None,
    ) -> None:
        self.inner = inner
        self.name = inner.name
        self.cache = cache if isinstance(cache, ResponseCache) else ResponseCache(cache)
        self.cache_all = cache_all
        self.meter = meter
        self.hits = 0
        self.misses = 0

    def _identity(self) -> Any:
        identity = getattr(self.inner, "cache_identity", None)
        return identity() if callable(identity) else {"name": self.inner.name}

    async def complete(self, messages: list[dict], tools: list[dict] | None = None, **params: Any) -> ModelReply:
        identity = self._identity()
        defaults = identity.get("params", {}) if isinstance(identity, dict) else {}
        if not (self.cache_all or is_reproducible({**defaults, **params})):
            return await self.inner.complete(messages, tools, **params)
        started = time.perf_counter()
        key = request_key(identity, messages, tools, params)
        cached = await asyncio.to_thread(self.cache.get, key)
        if cached is not None:
            self.hits += 1
            cached.usage.cached = True
            cached.usage.cost = 0.0
            cached.usage.latency_s = time.perf_counter() - started
            if self.meter is not None:
                self.meter.record(self.name, cached.usage)
            return cached
        self.misses += 1
        reply = await self.inner.complete(messages, tools, **params)
        await asyncio.to_thread(self.cache.put, key, self.name, reply)
        return reply

    def cache_identity(self) -> Any:
        return self._identity()

    async def aclose(self) -> None:
        close = getattr(self.inner, "aclose", None)
        if close is not None:
            await close()

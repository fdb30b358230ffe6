"""How the HTTP backend keeps trying: backoff with jitter, and a round-robin pool of endpoints.

Long synthesis runs hit every transient failure a serving stack has: 429s under load, a replica
restarting, a request stuck past its timeout. `RetryPolicy` spaces retries out exponentially with
jitter (so a thousand waiting tasks do not all come back in the same millisecond) and honours a
server's ``Retry-After``. `EndpointPool` spreads requests over several replicas of the same model
and benches one that just failed for ``cooldown_s`` so the next attempts go to a healthy one; when
every replica is benched it still tries the one that comes back soonest rather than giving up.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from dataclasses import dataclass, field

__all__ = ["Endpoint", "EndpointPool", "RetryPolicy"]


@dataclass
class RetryPolicy:
    """``retries`` extra attempts after the first; delays grow as ``base_s * 2**attempt`` up to
    ``max_s``, each drawn uniformly from the upper half of that step ("equal jitter")."""

    retries: int = 3
    base_s: float = 0.5
    max_s: float = 30.0
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        if self.retries < 0:
            raise ValueError(f"retries must be >= 0, got {self.retries}")

    @property
    def attempts(self) -> int:
        return self.retries + 1

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (0-based)."""
        step = min(self.max_s, self.base_s * (2**attempt))
        wait = step / 2 + self.rng.uniform(0, step / 2)
        if retry_after is not None and retry_after > 0:
            wait = max(wait, min(retry_after, self.max_s))
        return wait


@dataclass
class Endpoint:
    """One base URL and its health; ``benched_until`` is a `time.monotonic` deadline."""

    base_url: str
    benched_until: float = 0.0
    consecutive_failures: int = 0

    def healthy(self, now: float) -> bool:
        return now >= self.benched_until


class EndpointPool:
    """Round-robin over base URLs, skipping the benched ones."""

    def __init__(self, base_urls: list[str], *, cooldown_s: float = 5.0) -> None:
        if not base_urls:
            raise ValueError("at least one base URL is needed")
        self.endpoints = [Endpoint(u.rstrip("/")) for u in base_urls]
        self.cooldown_s = cooldown_s
        self._turn = itertools.count()
        self._lock = threading.Lock()

    def pick(self) -> Endpoint:
        now = time.monotonic()
        with self._lock:
            start = next(self._turn)
            n = len(self.endpoints)
            for k in range(n):
                ep = self.endpoints[(start + k) % n]
                if ep.healthy(now):
                    return ep
            return min(self.endpoints, key=lambda e: e.benched_until)

    def mark_failed(self, ep: Endpoint) -> None:
        with self._lock:
            ep.consecutive_failures += 1
            ep.benched_until = time.monotonic() + self.cooldown_s

    def mark_ok(self, ep: Endpoint) -> None:
        with self._lock:
            ep.consecutive_failures = 0
            ep.benched_until = 0.0

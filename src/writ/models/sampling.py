"""Sampling settings, and a seed for every request so that no retry repeats its failed attempt.

A task's attempts run one after another, the next only when the last one failed. If every attempt
sends the same requests, a server that decodes greedily (or honours a fixed seed) answers them
token for token as before, and each retry buys nothing. So every request carries a ``seed``
derived from (run seed, task, attempt, side, turn):

* the same episode replayed (a resumed run, an attempt that was in flight when the process died)
  sends the same seeds, so with a response cache it costs nothing and it comes out the same;
* the next attempt of a task sends other seeds, and when the configured temperature is 0 (or not
  set: many servers then decode greedily) it also samples at ``retry_temperature``, because a
  seed alone changes nothing under greedy decoding.

`SeededBackend` wraps a shared backend for one side of one episode and adds these parameters to
each call; what it sent is kept on the reply (`ModelReply.request`) and recorded per turn in the
episode, so every attempt says how it was sampled.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from writ.models.base import ModelBackend, ModelReply

__all__ = ["SAMPLING_KEYS", "SamplingSettings", "SeededBackend", "model_options", "request_seed"]

SAMPLING_KEYS = ("temperature", "top_p", "max_tokens", "seed")
_SEED_RANGE = 2**31 - 1  # vLLM, llama.cpp and torch all take a signed 32-bit seed


def request_seed(run_seed: int | str, task_id: str, attempt: int, side: str, turn: int) -> int:
    """A stable seed in [0, 2^31 - 1) for one request of one episode (the same inputs, the same seed)."""
    digest = hashlib.sha256(f"{run_seed}\x1f{task_id}\x1f{attempt}\x1f{side}\x1f{turn}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % _SEED_RANGE


@dataclass(frozen=True)
class SamplingSettings:
    """What a run asks of a model per request. ``None`` leaves a value to the server's default.

    ``retry_temperature`` is used from the second attempt of a task on when ``temperature`` is 0
    or unset (None: never); ``seed=False`` sends no seed (for the rare server that rejects one).
    """

    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    retry_temperature: float | None = 0.7
    seed: bool = True

    def __post_init__(self) -> None:
        for name in ("temperature", "retry_temperature"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 2:
                raise ValueError(f"{name} must be between 0 and 2, got {value}")
        if self.top_p is not None and not 0 < self.top_p <= 1:
            raise ValueError(f"top_p must be in (0, 1], got {self.top_p}")
        if self.max_tokens is not None and self.max_tokens < 1:
            raise ValueError(f"max_tokens must be at least 1, got {self.max_tokens}")

    @classmethod
    def from_json(cls, data: dict[str, Any] | SamplingSettings | None) -> SamplingSettings:
        if isinstance(data, SamplingSettings):
            return data
        known = {f.name for f in fields(cls)}
        unknown = set(data or {}) - known
        if unknown:
            raise ValueError(f"unknown sampling settings {sorted(unknown)}; known: {sorted(known)}")
        return cls(**(data or {}))

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def temperature_for(self, attempt: int) -> float | None:
        """The temperature of `attempt` (0-based): the configured one, or the retry one on a retry."""
        greedy = self.temperature is None or self.temperature == 0
        if attempt > 0 and greedy and self.retry_temperature is not None:
            return self.retry_temperature
        return self.temperature

    def params(self, attempt: int) -> dict[str, Any]:
        """The sampling parameters every request of `attempt` sends (the seed is added per request)."""
        values = {"temperature": self.temperature_for(attempt), "top_p": self.top_p, "max_tokens": self.max_tokens}
        return {k: v for k, v in values.items() if v is not None}


class SeededBackend:
    """One side of one episode talking to a shared backend: sampling settings and a seed per call.

    Parameters an actor passes itself win over the settings (an actor that knows better, such as a
    judge asking for temperature 0, keeps its choice).
    """

    def __init__(self, inner: ModelBackend, settings: SamplingSettings, *, run_seed: int | str, task_id: str,
                 attempt: int, side: str) -> None:
        self.inner = inner
        self.name = inner.name
        self.settings = settings
        self._key = (run_seed, task_id, attempt, side)
        self._base = settings.params(attempt)
        self.calls = 0

    def cache_identity(self) -> Any:
        identity = getattr(self.inner, "cache_identity", None)
        return identity() if callable(identity) else {"name": self.name}

    async def complete(self, messages: list[dict], tools: list[dict] | None = None, **params: Any) -> ModelReply:
        turn = self.calls
        self.calls += 1
        sent = dict(self._base)
        if self.settings.seed:
            sent["seed"] = request_seed(*self._key, turn)
        sent.update(params)
        reply = await self.inner.complete(messages, tools, **sent)
        reply.request = {k: sent[k] for k in SAMPLING_KEYS if sent.get(k) is not None}
        return reply


def model_options(*, temperature: float | None = None, top_p: float | None = None, max_tokens: int | None = None,
                  retry_temperature: float | None = None, extra_body: str | dict | None = None,
                  timeout: float | None = None, max_response_bytes: int | None = None,
                  cache: str | Path | None = None, prices: str | Path | None = None) -> dict[str, Any]:
    """The actor-factory options (`writ.sim.actors`) for what a person sets with flags or a config.

    Only what was given is returned, so every default stays where it is defined. `extra_body` may
    be a JSON object's text (a flag) or a mapping (a config); `prices` a YAML file, loaded here so
    that a broken one is reported before any work. A bad value raises ValueError naming it.
    """
    sampling = {k: v for k, v in (("temperature", temperature), ("top_p", top_p), ("max_tokens", max_tokens),
                                  ("retry_temperature", retry_temperature)) if v is not None}
    out: dict[str, Any] = {"sampling": SamplingSettings(**sampling).to_json()} if sampling else {}
    if isinstance(extra_body, str):
        try:
            extra_body = json.loads(extra_body)
        except json.JSONDecodeError as exc:
            raise ValueError(f"extra_body is not JSON ({exc.msg} at character {exc.pos})") from None
    if extra_body is not None:
        if not isinstance(extra_body, dict):
            raise ValueError(f"extra_body must be a JSON object, e.g. '{{\"top_k\": 20}}', got {extra_body!r}"[:200])
        out["extra_body"] = extra_body
    if timeout is not None:
        if timeout <= 0:
            raise ValueError(f"timeout must be positive (seconds), got {timeout}")
        out["timeout"] = float(timeout)
    if max_response_bytes is not None:
        if max_response_bytes < 1:
            raise ValueError(f"max_response_bytes must be positive, got {max_response_bytes}")
        out["max_response_bytes"] = int(max_response_bytes)
    if cache is not None:
        out["cache_path"] = str(cache)
    if prices is not None:
        from writ.models.usage import PriceTable

        try:
            out["prices"] = PriceTable.from_yaml(prices)
        except UnicodeDecodeError:
            raise ValueError(f"prices {prices}: not a price table (not UTF-8 text)") from None
    return out

"""Token and cost accounting: what a run consumed, per model and overall.

A synthesis run makes tens of thousands of calls across an agent model and a user model, so the
numbers that matter (calls, tokens, dollars, time spent waiting) are kept in one `UsageMeter` that
every backend records into. Prices are a user-editable table (USD per *million* tokens) because
they change often and local servers cost nothing: the ``default`` entry, 0 unless set, prices any
model not listed.

Cached replies count as calls (``cached_calls``) but add no tokens and no cost: the meter answers
"what did this run pay for", and a rerun that hits the cache paid for nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from writ.models.base import Usage

__all__ = ["ModelTotals", "Price", "PriceTable", "UsageMeter", "money"]


def money(value: float | None) -> str:
    """How a cost in US dollars reads everywhere (summaries, reports, charts, the progress bar).

    Cents from one dollar up; below it four decimals, because one token-priced call costs a
    fraction of a cent and "$0.00" would hide it; "–" when the cost is unknown.
    """
    if value is None:
        return "–"
    return f"${value:,.2f}" if abs(value) >= 1 else f"${value:.4f}"


@dataclass(frozen=True)
class Price:
    """USD per million prompt tokens and per million completion tokens (reasoning included)."""

    prompt: float = 0.0
    completion: float = 0.0

    @classmethod
    def parse(cls, value: Any) -> Price:
        """From ``Price``, ``{"prompt": x, "completion": y}``, ``[x, y]`` or a single number (both)."""
        if isinstance(value, Price):
            return value
        if isinstance(value, Mapping):
            unknown = set(value) - {"prompt", "completion", "input", "output"}
            if unknown:
                raise ValueError(f"unknown price fields {sorted(unknown)}; use 'prompt' and 'completion'")
            return cls(
                float(value.get("prompt", value.get("input", 0.0))),
                float(value.get("completion", value.get("output", 0.0))),
            )
        if isinstance(value, (list, tuple)) and len(value) == 2:
            return cls(float(value[0]), float(value[1]))
        if isinstance(value, (int, float)):
            return cls(float(value), float(value))
        raise ValueError(f"cannot read a price from {value!r}; use {{prompt: X, completion: Y}} in USD per 1M tokens")


class PriceTable:
    """Model name -> `Price`. Lookup tries the exact name, then the name after its last ``/``
    (``openai/gpt-4o-mini`` -> ``gpt-4o-mini``), then ``default``."""

    def __init__(self, prices: Mapping[str, Any] | None = None) -> None:
        self._prices: dict[str, Price] = {"default": Price()}
        for model, value in (prices or {}).items():
            self._prices[str(model)] = Price.parse(value)

    @classmethod
    def from_yaml(cls, path: str | Path) -> PriceTable:
        import yaml

        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise ValueError(f"{path}: cannot read the price file ({exc.strerror or exc})") from None
        except yaml.YAMLError:
            raise ValueError(f"{path}: the price file is not valid YAML") from None
        if not isinstance(data, Mapping):
            raise ValueError(f"{path}: a price file maps model names to {{prompt: X, completion: Y}}")  # noqa: TRY004
        try:
            return cls(data)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{path}: {exc}") from None

    @classmethod
    def load(cls, source: PriceTable | Mapping[str, Any] | str | Path | None) -> PriceTable:
        """Accept whatever a user or config passes: a table, a dict, a YAML path, or None (free)."""
        if isinstance(source, PriceTable):
            return source
        if source is None or isinstance(source, Mapping):
            return cls(source)
        return cls.from_yaml(source)

    def has(self, model: str) -> bool:
        return model in self._prices or model.rsplit("/", 1)[-1] in self._prices

    def knows(self, model: str) -> bool:
        """Whether a cost computed for `model` means anything: it is listed, or a nonzero default is set."""
        return self.has(model) or self._prices["default"] != Price()

    def price(self, model: str) -> Price:
        if model in self._prices:
            return self._prices[model]
        return self._prices.get(model.rsplit("/", 1)[-1], self._prices["default"])

    def cost(self, model: str, prompt_tokens: int, completion_tokens: int) -> float:
        p = self.price(model)
        return (prompt_tokens * p.prompt + completion_tokens * p.completion) / 1_000_000

    def to_dict(self) -> dict[str, dict[str, float]]:
        return {m: asdict(p) for m, p in self._prices.items()}


@dataclass
class ModelTotals:
    """Running sums for one model (or for all of them)."""

    calls: int = 0
    cached_calls: int = 0
    failures: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    reasoning_tokens: int = 0
    cost: float = 0.0
    latency_s: float = 0.0

    def add(self, usage: Usage) -> None:
        self.calls += 1
        if usage.cached:
            self.cached_calls += 1
            return
        self.prompt_tokens += usage.prompt_tokens
        self.completion_tokens += usage.completion_tokens
        self.reasoning_tokens += usage.reasoning_tokens
        self.cost += usage.cost
        self.latency_s += usage.latency_s

    @property
    def mean_latency_s(self) -> float:
        paid = self.calls - self.cached_calls
        return self.latency_s / paid if paid else 0.0


@dataclass
class UsageMeter:
    """Aggregates `Usage` per model and overall. Safe from threads and from many asyncio tasks
    (recording is a few additions under a `threading.Lock`, never awaited)."""

    _per_model: dict[str, ModelTotals] = field(default_factory=dict)
    _total: ModelTotals = field(default_factory=ModelTotals)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, model: str, usage: Usage) -> None:
        with self._lock:
            self._per_model.setdefault(model, ModelTotals()).add(usage)
            self._total.add(usage)

    def record_failure(self, model: str) -> None:
        with self._lock:
            self._per_model.setdefault(model, ModelTotals()).failures += 1
            self._total.failures += 1

    @property
    def total(self) -> ModelTotals:
        with self._lock:
            return ModelTotals(**asdict(self._total))

    def per_model(self) -> dict[str, ModelTotals]:
        with self._lock:
            return {m: ModelTotals(**asdict(t)) for m, t in self._per_model.items()}

    def summary(self) -> dict[str, Any]:
        """A JSON-ready snapshot: ``{"total": {...}, "models": {name: {...}}}``."""
        with self._lock:
            return {
                "total": asdict(self._total),
                "models": {m: asdict(t) for m, t in sorted(self._per_model.items())},
            }


async def metered(meter: UsageMeter | None, name: str, call: Any) -> Any:
    """Await a backend call, recording its usage (or its failure) on `meter` when there is one."""
    from writ.models.base import ModelError

    try:
        reply = await call
    except ModelError:
        if meter is not None:
            meter.record_failure(name)
        raise
    if meter is not None:
        meter.record(name, reply.usage)
    return reply

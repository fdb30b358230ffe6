"""Verifiers: small named functions that each judge one property of an episode.

A kept trajectory must be provably correct, and every rejection must say why. Each verifier
returns a `Check` (pass or fail, with a reason); `verify_episode` runs them all and an episode is
kept only if every one passes. Verifiers are registered in a plain dict, in the order they run,
so adding one is adding a function.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from writ.core import Episode
from writ.data import DomainData
from writ.task import Task

__all__ = ["Check", "Context", "VERIFIERS", "Verdict", "register", "verify_episode", "tool_calls_of", "texts"]


@dataclass
class Check:
    passed: bool
    reason: str = ""
    details: dict[str, Any] = field(default_factory=dict)  # what the verifier measured on the way

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"passed": self.passed, "reason": self.reason}
        if self.details:
            out["details"] = self.details
        return out


def ok() -> Check:
    return Check(True)


def fail(reason: str) -> Check:
    return Check(False, reason)


@dataclass
class Context:
    """Everything a verifier may look at, computed once per episode."""

    episode: Episode
    task: Task
    data: DomainData
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.episode.messages

    def is_write(self, name: str, requestor: str = "assistant") -> bool:
        """Whether a call of this side changes state (`Domain.is_write`)."""
        return self.data.domain.is_write(name, requestor)


@dataclass
class Verdict:
    checks: dict[str, Check]

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks.values())

    @property
    def failures(self) -> list[str]:
        return [f"{name}: {c.reason}" for name, c in self.checks.items() if not c.passed]

    def to_json(self) -> dict[str, Any]:
        return {"passed": self.passed, "checks": {k: v.to_json() for k, v in self.checks.items()}}


Verifier = Callable[[Context], Check]
VERIFIERS: dict[str, Verifier] = {}


def register(name: str) -> Callable[[Verifier], Verifier]:
    def decorate(fn: Verifier) -> Verifier:
        VERIFIERS[name] = fn
        return fn

    return decorate


def verify_episode(episode: Episode, task: Task, data: DomainData, only: list[str] | None = None) -> Verdict:
    """Run every registered verifier (or `only` these) on one episode."""
    import writ.verify.checks  # noqa: F401  (registers the verifiers)

    ctx = Context(episode, task, data)
    checks: dict[str, Check] = {}
    for name, fn in VERIFIERS.items():
        if only and name not in only:
            continue
        try:
            checks[name] = fn(ctx)
        except Exception as exc:  # a verifier bug rejects the episode, visibly
            checks[name] = fail(f"verifier error: {type(exc).__name__}: {exc}")
    return Verdict(checks)


def tool_calls_of(messages: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any], str]]:
    """(message index, tool call, requestor) for every tool call, in order."""
    out = []
    for i, m in enumerate(messages):
        for call in m.get("tool_calls") or []:
            out.append((i, call, "user" if m["role"] == "user" else "assistant"))
    return out


def parse_arguments(call: dict[str, Any]) -> dict[str, Any] | None:
    raw = call.get("function", {}).get("arguments")
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw or "{}")
    except (TypeError, json.JSONDecodeError):
        return None
    return value if isinstance(value, dict) else None


def texts(messages: list[dict[str, Any]], role: str) -> list[tuple[int, str]]:
    return [(i, m["content"]) for i, m in enumerate(messages)
            if m["role"] == role and isinstance(m.get("content"), str) and m["content"]]


_WS = re.compile(r"\s+")


def normalize(text: str) -> str:
    return _WS.sub(" ", text.lower().replace(",", "")).strip()


def verifier_judge(episode: Episode, task: Task, data: DomainData) -> dict[str, Any]:
    """The runner's judge: an episode is kept only if every verifier passes."""
    return verify_episode(episode, task, data).to_json()


verifier_judge.config = "writ.verify: " + ",".join([  # type: ignore[attr-defined]
    "state", "communication", "information_flow", "outcome", "protocol", "user_fidelity"])

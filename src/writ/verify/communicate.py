"""tau2-bench's communicate rule, once, for the verifiers and for `writ eval`.

A value the task says the agent must communicate counts as said when, lower-cased, it is a
substring of some assistant message lower-cased with its commas removed. The value keeps its own
commas (tau2's evaluator does not strip them), so "1,234.56" can never match: a quirk kept on
purpose, since data that passes this rule must pass tau2's.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["assistant_texts", "communicated"]


def assistant_texts(messages: Iterable[dict[str, Any]]) -> list[str]:
    return [m["content"] for m in messages
            if m.get("role") == "assistant" and isinstance(m.get("content"), str) and m["content"]]


def communicated(info: Any, texts: Iterable[str]) -> bool:
    needle = str(info).lower()
    return any(needle in t.lower().replace(",", "") for t in texts)

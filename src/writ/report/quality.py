"""Language and behaviour quality of a set of conversations, as a reader of the data would measure it.

A model trained on 2,000 conversations that repeat 40 sentences learns the sentences. These figures
show how varied the text is once the parts that vary by construction are masked (names and other
capitalised words after a sentence's start, emails, ids, numbers and amounts): the share of
distinct sentences per side, and how much of the agent's text the 15 most common sentence
openings cover. Beside them: template debris in agent text, how often the agent asked for a detail,
how often it used `calculate`, and how conversations ended (the outcome of their task).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

__all__ = ["QualityTally", "mask", "quality", "sentences"]

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_AMOUNT = re.compile(r"\$\s?\d[\d,]*(?:\.\d+)?")
_ID = re.compile(r"#?\b[\w-]*\d[\w-]*\b")
_CAPITAL = re.compile(r"(?<=[^.!?:]\s)(?!I\b|I'[a-z]+\b)[A-Z][\w'-]*(?:\s+(?!I\b)[A-Z][\w'-]*)*")
_SPLIT = re.compile(r"(?<=[.!?])\s+")
_SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
_DEBRIS = {"(s)": re.compile(r"\(s\)"), "->": re.compile(r"->"), "snake_case": _SNAKE}
_STOPS = ("###STOP###", "###TRANSFER###", "###OUT-OF-SCOPE###")


def mask(text: str) -> str:
    text = _EMAIL.sub("<email>", text)
    text = _AMOUNT.sub("<amount>", text)
    text = _ID.sub("<id>", text)
    text = _CAPITAL.sub("<name>", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def sentences(text: str) -> list[str]:
    for stop in _STOPS:
        text = text.replace(stop, "")
    return [s for s in (x.strip() for x in _SPLIT.split(text)) if s]


def _opening(sentence: str, words: int = 3) -> str:
    return " ".join(re.findall(r"[\w']+", sentence)[:words])


class QualityTally:
    """The figures of `quality`, gathered one conversation at a time (a report streams its run)."""

    def __init__(self) -> None:
        self.agent: Counter = Counter()
        self.user: Counter = Counter()
        self.openings: Counter = Counter()
        self.debris: Counter = Counter()
        self.outcomes: Counter = Counter()
        self.debris_messages = 0
        self.calc = 0
        self.convs = 0
        self.asked: list[int] = []
        self.fallbacks = 0

    def add(self, messages: list[dict[str, Any]], outcome: str | None = None, questions: int | None = None,
            fallbacks: int = 0) -> None:
        self.convs += 1
        self.fallbacks += fallbacks
        if outcome:
            self.outcomes[outcome] += 1
        if questions is not None:
            self.asked.append(questions)
        used_calc = False
        for m in messages:
            content = m.get("content") if isinstance(m.get("content"), str) else ""
            if m.get("role") == "assistant":
                for call in m.get("tool_calls") or []:
                    used_calc |= call.get("function", {}).get("name") == "calculate"
                if not content:
                    continue
                found = [name for name, rx in _DEBRIS.items() if rx.search(_EMAIL.sub("", content))]
                self.debris.update(found)
                self.debris_messages += bool(found)
                for s in sentences(content):
                    masked = mask(s)
                    self.agent[masked] += 1
                    self.openings[_opening(masked)] += 1
            elif m.get("role") == "user" and content and not m.get("tool_calls"):
                for s in sentences(content):
                    self.user[mask(s)] += 1
        self.calc += used_calc

    def result(self) -> dict[str, Any]:
        agent_total, user_total = sum(self.agent.values()), sum(self.user.values())
        top = self.openings.most_common(15)
        asked = self.asked
        return {
            "conversations": self.convs,
            "agent_sentences": agent_total,
            "agent_distinct_ratio": round(len(self.agent) / agent_total, 3) if agent_total else 0.0,
            "user_sentences": user_total,
            "user_distinct_ratio": round(len(self.user) / user_total, 3) if user_total else 0.0,
            "top15_openings_share": round(sum(n for _, n in top) / agent_total, 3) if agent_total else 0.0,
            "top_openings": [{"opening": o, "count": n} for o, n in top],
            "debris_messages": self.debris_messages,
            "debris": dict(self.debris),
            "calculate_share": round(self.calc / self.convs, 3) if self.convs else 0.0,
            "outcomes": dict(self.outcomes),
            "asked_detail_share": round(sum(1 for q in asked if q) / len(asked), 3) if asked else None,
            "questions_per_conversation": round(sum(asked) / len(asked), 2) if asked else None,
            "realization_fallbacks": self.fallbacks,
        }


def quality(conversations: Iterable[list[dict[str, Any]]], outcomes: Iterable[str] = (),
            questions: Iterable[int] = ()) -> dict[str, Any]:
    """Figures over conversations (lists of chat messages); `outcomes`/`questions` per conversation if known."""
    tally = QualityTally()
    outcomes, questions = list(outcomes), list(questions)
    for i, messages in enumerate(conversations):
        tally.add(messages, outcomes[i] if i < len(outcomes) else None, questions[i] if i < len(questions) else None)
    return tally.result()

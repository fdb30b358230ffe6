"""Assistant-only labels, built by rendering each conversation incrementally.

TRL's ``assistant_only_loss=True`` relies on ``{% generation %}`` markers in the chat template;
most templates (SmolLM2's, Qwen's) have none, and TRL then either refuses or trains on
everything. So the labels are built here, from the template itself, for any template:

1. the whole conversation is rendered once (with its tools) and tokenized with character offsets;
2. for each assistant turn ``i``, the conversation up to it is rendered with the generation prompt
   (``P_i``) and up to and including it without (``U_i``); the turn's own text, the tool-call text
   and the end-of-turn token included, is the character range ``[len(P_i), len(U_i))`` of the full
   render. Both renders must be prefixes of it; a template that renders earlier turns differently
   once more follow (some thinking templates) breaks that, and such a record is dropped and
   counted, never trained on with guessed labels;
3. a token is trained on when it starts inside the range of an assistant turn whose ``weight`` is
   not 0 (the export's per-turn weights: 0 = context only); every other token is -100.

Sequences longer than ``max_length`` are cut at the end of the last trained turn that fits
(policy ``turn``: the rest of the conversation is lost, but nothing is cut mid-turn) or dropped
(policy ``drop``); both are counted in `PrepStats`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["IGNORE", "Example", "PrepStats", "assistant_spans", "build_example", "prepare_rows"]

IGNORE = -100
_DROPPED = {"too_long": "dropped_too_long", "no_target": "dropped_no_target", "template": "dropped_template"}
_WHY = {"too_long": "no trained turn fits max_length", "no_target": "every assistant turn has weight 0",
        "template": "the chat template renders earlier turns differently once more follow (not prefix-stable)"}


class TemplateMismatch(ValueError):
    """The chat template does not render a conversation as the concatenation of its prefixes."""


@dataclass
class Example:
    """One tokenized training sequence: ids and labels of equal length (-100 = no loss)."""

    input_ids: list[int]
    labels: list[int]
    truncated: bool = False

    @property
    def trained_tokens(self) -> int:
        return sum(1 for label in self.labels if label != IGNORE)


@dataclass
class PrepStats:
    """What preparation did to the export's records; written to ``writ_train.json``."""

    records: int = 0
    kept: int = 0
    truncated: int = 0  # cut at a turn boundary to fit max_length
    dropped_too_long: int = 0  # nothing trained fits (policy turn) or too long at all (policy drop)
    dropped_no_target: int = 0  # every assistant turn has weight 0
    dropped_template: int = 0  # the template is not prefix-stable on this record
    tokens: int = 0
    trained_tokens: int = 0
    max_tokens: int = 0
    errors: list[str] = field(default_factory=list)  # the first few reasons, for the report

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        text = (f"{self.kept} of {self.records} records kept: {self.tokens} tokens, {self.trained_tokens} trained "
                f"(longest {self.max_tokens})")
        dropped = [f"{n} {what}" for n, what in ((self.truncated, "truncated at a turn boundary"),
                                                 (self.dropped_too_long, "dropped as too long"),
                                                 (self.dropped_no_target, "dropped with no trained turn"),
                                                 (self.dropped_template, "dropped (template not prefix-stable)")) if n]
        return [text] + ([", ".join(dropped)] if dropped else [])


def _clean(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages as a chat template should see them: no writ-only keys."""
    return [{k: v for k, v in m.items() if k != "weight"} for m in messages]


def assistant_spans(render: Any, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None
                    ) -> tuple[str, list[tuple[int, int, bool]]]:
    """The full render and ``(start, end, trained)`` character spans of every assistant turn.

    `render(messages, tools, add_generation_prompt)` returns the template's text. Raises
    `TemplateMismatch` when a prefix render is not a prefix of the full one.
    """
    clean = _clean(messages)
    full = render(clean, tools, False)
    spans = []
    for i, m in enumerate(messages):
        if m.get("role") != "assistant":
            continue
        before = render(clean[:i], tools, True)
        upto = full if i == len(messages) - 1 else render(clean[: i + 1], tools, False)
        if not full.startswith(before) or not full.startswith(upto) or len(upto) < len(before):
            raise TemplateMismatch(f"assistant turn {i} does not render as a prefix of the conversation")
        spans.append((len(before), len(upto), m.get("weight", 1) != 0))
    return full, spans


def _labels(ids: list[int], offsets: list[tuple[int, int]], spans: list[tuple[int, int, bool]]
            ) -> tuple[list[int], list[int]]:
    """Labels for `ids`, and the token index where each trained span ends (cut points)."""
    labels = [IGNORE] * len(ids)
    ends = []
    k = 0
    for start, end, trained in spans:
        while k < len(ids) and offsets[k][0] < start:
            k += 1
        while k < len(ids) and offsets[k][0] < end:
            if trained:
                labels[k] = ids[k]
            k += 1
        if trained:
            ends.append(k)
    return labels, ends


def build_example(tokenizer: Any, render: Any, messages: list[dict[str, Any]], tools: list[dict[str, Any]] | None,
                  max_length: int, truncation: str = "turn") -> tuple[Example | None, str]:
    """One record as an `Example`, or ``(None, reason)`` with reason ``too_long``, ``no_target`` or ``template``.

    The reason is ``""`` for a kept example (``"truncated"`` when it was cut to fit).
    """
    try:
        full, spans = assistant_spans(render, messages, tools)
    except TemplateMismatch:
        return None, "template"
    if not any(trained for _, _, trained in spans):
        return None, "no_target"
    enc = tokenizer(full, add_special_tokens=False, return_offsets_mapping=True)
    ids, offsets = list(enc["input_ids"]), [tuple(o) for o in enc["offset_mapping"]]
    labels, ends = _labels(ids, offsets, spans)
    if not ends or ends[-1] == 0:
        return None, "no_target"
    if len(ids) <= max_length:
        return Example(ids, labels), ""
    if truncation == "drop":
        return None, "too_long"
    fitting = [end for end in ends if end <= max_length]
    if not fitting:
        return None, "too_long"
    cut = fitting[-1]
    return Example(ids[:cut], labels[:cut], truncated=True), "truncated"


def prepare_rows(rows: Iterable[dict[str, Any]], tokenizer: Any, render: Any, max_length: int,
                 truncation: str = "turn", stats: PrepStats | None = None) -> tuple[list[Example], PrepStats]:
    """Every export row (``messages`` + ``tools``) as an `Example`; what was dropped is counted."""
    stats = stats if stats is not None else PrepStats()
    examples = []
    for row in rows:
        stats.records += 1
        example, reason = build_example(tokenizer, render, row["messages"], row.get("tools") or None,
                                        max_length, truncation)
        if example is None:
            field_name = _DROPPED[reason]
            setattr(stats, field_name, getattr(stats, field_name) + 1)
            if len(stats.errors) < 5:
                stats.errors.append(f"{row.get('id', stats.records - 1)}: {_WHY[reason]}")
            continue
        stats.kept += 1
        stats.truncated += example.truncated
        stats.tokens += len(example.input_ids)
        stats.trained_tokens += example.trained_tokens
        stats.max_tokens = max(stats.max_tokens, len(example.input_ids))
        examples.append(example)
    return examples, stats

"""A tiny realization grammar: one template says many sentences.

Two thousand conversations from one scripted teacher must not repeat the same twenty sentences, or
a model trained on them learns the template rather than the task. A template here packs its
alternatives inline, so variety multiplies instead of adding up:

* ``[a|b|c]`` picks one alternative (alternatives nest: ``[I'll [check|look]|let me look]``);
* ``[?text]`` keeps `text` about half of the time;
* ``{name}`` inserts a value given by the caller (values are inserted verbatim, never re-parsed,
  so an id or an amount is never altered by the grammar).

`realize` then tidies what the choices left behind (doubled spaces, a space before punctuation,
a lower-case sentence start), so no template debris reaches the data. Everything is driven by the
caller's `random.Random`, so a conversation is reproducible from its seed.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from typing import Any

__all__ = ["Node", "compile_template", "fuse", "join_words", "realize", "sentence_case", "tidy"]

# A compiled template: text, a value slot ("{name}"), a choice among alternatives, an optional part.
Node = str | tuple


def _parse(text: str, i: int, stop: str) -> tuple[list[Node], int]:
    """Parse until one of the characters in `stop` (at depth 0); returns (sequence, index)."""
    seq: list[Node] = []
    buf: list[str] = []
    while i < len(text):
        ch = text[i]
        if ch in stop:
            break
        if ch == "[":
            if buf:
                seq.append("".join(buf))
                buf = []
            # "[?x]" is optional; "[?|.]" is a choice between "?" and "."
            optional = text.startswith("[?", i) and i + 2 < len(text) and text[i + 2] not in "|]"
            i += 2 if optional else 1
            alternatives: list[list[Node]] = []
            while True:
                part, i = _parse(text, i, "|]")
                alternatives.append(part)
                if i >= len(text):
                    raise ValueError(f"unclosed '[' in template {text!r}")
                if text[i] == "]":
                    i += 1
                    break
                i += 1  # "|"
            seq.append(("opt", alternatives[0]) if optional else ("alt", alternatives))
            continue
        if ch == "{":
            end = text.index("}", i)
            if buf:
                seq.append("".join(buf))
                buf = []
            seq.append(("slot", text[i + 1:end]))
            i = end + 1
            continue
        buf.append(ch)
        i += 1
    if buf:
        seq.append("".join(buf))
    return seq, i


@lru_cache(maxsize=4096)
def compile_template(text: str) -> tuple[Node, ...]:
    seq, i = _parse(text, 0, "")
    if i != len(text):
        raise ValueError(f"unbalanced template {text!r}")
    return tuple(seq)


def _render(seq: Any, rng: random.Random, values: dict[str, Any], out: list[str]) -> None:
    for node in seq:
        if isinstance(node, str):
            out.append(node)
        elif node[0] == "slot":
            out.append(str(values[node[1]]))
        elif node[0] == "alt":
            _render(node[1][rng.randrange(len(node[1]))], rng, values, out)
        elif rng.random() < 0.5:  # optional
            _render(node[1], rng, values, out)


_SPACES = re.compile(r"[ \t]{2,}")
_BEFORE_PUNCT = re.compile(r" +([,.;:!?)])")
_DOUBLE_PUNCT = re.compile(r"([,;:])\s*([,.;:!?])")
_STARTS = re.compile(r"(^|[.!?]\s+)([a-z])(?![\w]*[\d_@#])")


def sentence_case(text: str) -> str:
    """Upper-case the first letter of every sentence (the grammar may start one with a lower-case word)."""
    return _STARTS.sub(lambda m: m.group(1) + m.group(2).upper(), text)


def tidy(text: str) -> str:
    text = _SPACES.sub(" ", text.strip())
    text = _BEFORE_PUNCT.sub(r"\1", text)
    text = _DOUBLE_PUNCT.sub(r"\2", text)
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text.replace(" ,", ",")).replace("?.", "?").replace("!.", "!")
    return sentence_case(text)


def realize(rng: random.Random, template: str | list[str], **values: Any) -> str:
    """One sentence (or several) from a template, or from one template of a list chosen at random."""
    if isinstance(template, list):
        template = template[rng.randrange(len(template))]
    out: list[str] = []
    _render(compile_template(template), rng, values, out)
    return tidy("".join(out))


def join_words(parts: list[str], last: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {last} " + parts[-1]


_BOUNDARY = re.compile(r"(?<=[a-z0-9)'])\. (?=[A-Z])")
_KEEP_CAPITAL = re.compile(r"^(I\b|I'|[A-Z][a-z]*[A-Z]|[A-Z]{2,}|#|[A-Z][\w'-]*\s+[A-Z][a-z])")
_STARTERS = {
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "your", "my", "our", "there", "here", "so",
    "and", "but", "of", "for", "to", "in", "on", "as", "at", "if", "then", "now", "next", "please", "could", "can",
    "would", "will", "shall", "may", "what", "which", "where", "when", "how", "is", "are", "do", "does", "did",
    "before", "after", "just", "only", "once", "let", "let's", "you", "you'll", "you're", "we", "we'll", "one",
    "all", "any", "anything", "nothing", "everything", "should", "want", "ok", "okay", "yes", "no", "thanks",
    "thank", "sure", "great", "got", "done", "here's", "that's", "there's", "it's", "watch", "both", "each",
    "either", "again", "also", "however", "unfortunately", "sorry", "good", "hi", "hello", "oh", "well", "wait"}


# A request to the reader ("Go ahead and reset ...") after ", and" reads as part of the statement before it.
_IMPERATIVES = {"go", "please", "let", "let's", "try", "turn", "tap", "open", "reset", "check", "restart", "toggle",
                "switch", "set", "make", "tell", "give", "send", "take", "pull", "look", "run", "reboot", "remove"}


def fuse(rng: random.Random, text: str, p: float = 0.35, joints: tuple[str, ...] = (" — ", "; ", ", and "),
         p_question: float = 0.6, per_sentence: int = 1) -> str:
    """Join some adjacent sentences into one, as people do in chat ("Done — anything else?").

    Only a full stop between two sentences is a candidate; the second sentence keeps its capital when
    it starts with "I", an acronym or an id. At most `per_sentence` joints go into one sentence (after
    a short one, "Sure." or "Thanks, Ann.", always): an agent's three joined clauses read as a
    run-on, a customer's quick chat does not. Content never changes, only how it is cut.
    """
    parts = _BOUNDARY.split(text)
    if len(parts) < 2:
        return text
    out = parts[0]
    joined = 0  # joints in the sentence being built: one is chat, three are a run-on
    for nxt in parts[1:]:
        last = re.split(r"[.!?]\s+", out)[-1]
        short = len(last.split()) <= 3  # "Sure." "Thanks, Ann." read better joined to what follows
        joints_here = (" \u2014 ", ", ") if short else joints
        question = re.split(r"(?<=[.!?])\s+", nxt, maxsplit=1)[0].rstrip().endswith("?")
        chance = 0.85 if short else (p_question if question else p)
        if joined >= per_sentence and not short:
            chance = 0.0
        if rng.random() < chance:
            joined += 1
            first_word = nxt.split(" ", 1)[0].strip(",;:!").lower()
            interjection = first_word in ("thanks", "thank", "sure", "great", "okay", "ok", "yes", "no", "hi",
                                          "hello", "sorry", "perfect", "alright", "got") \
                or nxt.lower().startswith("there we go")
            joint = " — " if question or interjection else rng.choice(joints_here)
            if joint == ", and " and (first_word in ("so", "which", "that", "and", "but", "then", "also", "i'm", "i")
                                      or first_word in _IMPERATIVES):
                joint = "; "  # "..., and which means" reads badly; a semicolon keeps the two apart
            if joint == "; " and (";" in last or ":" in last):
                joint = " \u2014 "  # a list or a clause already there: a second semicolon would blur it
            first = nxt.split(" ", 1)[0].strip(",;:").lower()
            keep = _KEEP_CAPITAL.match(nxt) and first not in _STARTERS
            head = nxt if keep else nxt[:1].lower() + nxt[1:]
            out = out + joint + head
        else:
            out = out + ". " + nxt
            joined = 0
    return out

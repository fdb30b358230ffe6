"""Reading banking tool results as an agent would: records, search hits, tool names in documents.

Banking tools answer in text: tau2's generic query prints ``N. Record ID: id`` blocks of ``field:
value`` lines, ``KB_search`` prints numbered documents (title, id, score, content), a few tools
print JSON. The task generator and the scripted teacher both read results through these parsers,
so the teacher knows exactly what the text says and nothing more (values stay the strings the
text shows: ``"5565.95"``, ``"$842.15"``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["Hit", "amount", "json_records", "parse_hits", "parse_records", "tool_names", "user_record"]

_FOUND = re.compile(r"^Found \d+ record\(s\) in '(\w+)':", re.M)
_RECORD = re.compile(r"^\d+\. Record ID: (.*)$")
_FIELD = re.compile(r"^   (\w+): (.*)$")
_HIT = re.compile(r"^(\d+)\. (.*)\n   ID: (\S+)\n   Score: ([\d.]+)\n   Content: ", re.M)
_TIMING = "\n\n[Timing:"
_TOOL = re.compile(r"\b([a-z][a-z_]*?_\d{4})\b")


def parse_records(text: str) -> dict[str, list[dict[str, str]]]:
    """Every ``Found N record(s) in 'table'`` listing of a result, as {table: [record, ...]}.

    A record carries its printed fields (strings) and ``_id`` (its Record ID).
    """
    out: dict[str, list[dict[str, str]]] = {}
    heads = list(_FOUND.finditer(text))
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
        rows: list[dict[str, str]] = []
        for line in text[head.end():end].splitlines():
            started = _RECORD.match(line)
            if started:
                rows.append({"_id": started.group(1).strip()})
                continue
            field = _FIELD.match(line)
            if field and rows:
                rows[-1][field.group(1)] = field.group(2)
        out.setdefault(head.group(1), []).extend(rows)
    return out


def user_record(text: str) -> list[dict[str, str]]:
    """The user profiles a ``get_user_information_by_*`` result shows."""
    return parse_records(text).get("users", [])


def json_records(text: str) -> list[dict[str, Any]]:
    """A JSON list result (debit cards), or nothing when the tool answered in words."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return []
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


@dataclass(frozen=True)
class Hit:
    """One document of a search result, as the result prints it."""

    id: str
    title: str
    content: str

    def tools(self) -> list[str]:
        return tool_names(self.content)


def parse_hits(text: str) -> list[Hit]:
    """The documents of a ``KB_search`` (or ``grep``) result, in rank order."""
    body = text.split(_TIMING, 1)[0]
    heads = list(_HIT.finditer(body))
    hits = []
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(body)
        hits.append(Hit(head.group(3), head.group(2), body[head.end():end].rstrip("\n")))
    return hits


def tool_names(text: str) -> list[str]:
    """Discoverable tool names a document mentions (``name_1234``), in order of first mention."""
    seen: list[str] = []
    for name in _TOOL.findall(text):
        if name not in seen:
            seen.append(name)
    return seen


def amount(value: Any) -> float:
    """A money text as printed (``"$2,850.00"``, ``"2850.00"``, ``"500"``) as a number; 0 when it is none."""
    try:
        return float(str(value).replace("$", "").replace(",", "").strip())
    except ValueError:
        return 0.0

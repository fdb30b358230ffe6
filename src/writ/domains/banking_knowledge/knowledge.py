"""The knowledge base the banking agent searches, and the two offline searches tau2 offers on it.

Documents are ``{"id", "title", "content"}`` files, kept in file-name order (tau2 indexes them in
that order, which decides ties). ``bm25`` ranks by Okapi BM25 over lower-cased whitespace tokens
of the content (k1 = 1.5, b = 0.75, negative idf floored at a quarter of the mean idf: rank_bm25's
``BM25Okapi``, which tau2 uses), with the same floating-point operations in the same order so that
scores and ties equal tau2's; ``grep`` counts regex matches (case-insensitive, an invalid pattern
searched literally). Indexes are built on first use and shared by every episode.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

__all__ = ["BM25", "Document", "KnowledgeBase"]

K1, B, EPSILON = 1.5, 0.75, 0.25


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    content: str

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title, "content": self.content}


class BM25:
    """Okapi BM25 over tokenised documents; `scores` returns one score per document, in order."""

    def __init__(self, corpus: list[list[str]]):
        self.size = len(corpus)
        self.lengths = [len(doc) for doc in corpus]
        self.avgdl = sum(self.lengths) / self.size
        self.postings: dict[str, list[tuple[int, int]]] = {}
        containing: dict[str, int] = {}  # word -> number of documents, in first-seen order
        for index, doc in enumerate(corpus):
            for word, count in Counter(doc).items():
                self.postings.setdefault(word, []).append((index, count))
                containing[word] = containing.get(word, 0) + 1
        self.idf: dict[str, float] = {}
        total, negative = 0.0, []
        for word, n in containing.items():
            value = math.log(self.size - n + 0.5) - math.log(n + 0.5)
            self.idf[word] = value
            total += value
            if value < 0:
                negative.append(word)
        floor = EPSILON * (total / len(self.idf)) if self.idf else 0.0
        for word in negative:
            self.idf[word] = floor
        self.norms = [(1 - B) + B * length / self.avgdl for length in self.lengths]

    def scores(self, query: list[str]) -> list[float]:
        out = [0.0] * self.size
        for word in query:
            idf = self.idf.get(word) or 0
            if not idf:
                continue
            for index, count in self.postings.get(word, ()):
                out[index] += idf * (count * (K1 + 1) / (count + K1 * self.norms[index]))
        return out


class KnowledgeBase:
    """Documents by id, in order, with lazily built search indexes."""

    def __init__(self, documents: Iterable[Document]):
        self.documents = list(documents)
        self.by_id = {d.id: d for d in self.documents}
        self._cache: dict[str, Any] = {}

    @classmethod
    def from_folder(cls, folder: Path) -> KnowledgeBase:
        if not folder.is_dir():
            raise ValueError(f"no knowledge base: {folder} is not a directory of document files")
        docs = []
        for path in sorted(folder.glob("*.json")):
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise ValueError(f"{path.name}: malformed JSON ({exc})") from None
            docs.append(cls._document(raw, path.name))
        if not docs:
            raise ValueError(f"no knowledge base: {folder} holds no *.json documents")
        return cls(docs)

    @classmethod
    def from_records(cls, raws: list[dict[str, Any]]) -> KnowledgeBase:
        return cls(cls._document(raw, f"document #{i}") for i, raw in enumerate(raws))

    @staticmethod
    def _document(raw: Any, where: str) -> Document:
        if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) for k in ("id", "title", "content")):
            raise ValueError(f"{where}: a document needs string 'id', 'title' and 'content'")
        return Document(raw["id"], raw["title"], raw["content"])

    def __len__(self) -> int:
        return len(self.documents)

    @cached_property
    def bm25(self) -> BM25:
        return BM25([d.content.lower().split() for d in self.documents])

    def search(self, query: str, top_k: int = 10) -> list[tuple[str, float]]:
        """BM25 ranking: the `top_k` best documents (zero scores included, as in tau2)."""
        if not query or not query.strip():
            return []
        scores = self.bm25.scores(query.lower().split())
        order = sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)[: min(top_k, len(scores))]
        return [(self.documents[i].id, float(scores[i])) for i in order]

    def grep(self, pattern: str, top_k: int = 10, case_sensitive: bool = False) -> list[tuple[str, float]]:
        """Documents ranked by their number of regex matches (content only)."""
        if not pattern.strip():
            return []
        flags = 0 if case_sensitive else re.IGNORECASE
        try:
            compiled = re.compile(pattern, flags)
        except re.error:
            compiled = re.compile(re.escape(pattern), flags)
        found = []
        for doc in self.documents:
            matches = compiled.findall(doc.content)
            if matches:
                found.append((doc.id, float(len(matches))))
        found.sort(key=lambda item: item[1], reverse=True)
        return found[:top_k]

    def full_text(self) -> str:
        """Every document as ``## title`` and content, separated by rules (the full_kb prompt)."""
        return "\n\n---\n\n".join(f"## {d.title}\n\n{d.content}" for d in self.documents)

    def select(self, refs: list[str]) -> list[Document]:
        """The documents named by title or id, in the given order; unknown names are skipped."""
        by_title = {d.title: d for d in self.documents}
        return [doc for ref in refs if (doc := by_title.get(ref) or self.by_id.get(ref)) is not None]

"""Dense retrieval for the embedding variants, through any OpenAI-compatible embeddings endpoint.

Never needed offline: only the ``*_embeddings*`` variants use it, and they refuse to load without
an endpoint. Configure it with ``writ --embeddings openai:MODEL --embeddings-base-url URL ...`` (or
``writ kb search ... --embeddings openai:MODEL --base-url URL``), or the environment variables
``WRIT_EMBEDDINGS`` and ``WRIT_EMBEDDINGS_BASE_URL``, which also reach worker processes. The API key
is ``OPENAI_API_KEY`` ("EMPTY" for local servers). Document vectors are computed once per
(endpoint, model, documents) and cached on disk (``WRIT_CACHE_DIR``, default ``~/.cache/writ``); a
query costs one request. Ranking is cosine similarity, as tau2's ``cosine`` retriever.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from writ.domains.banking_knowledge.knowledge import KnowledgeBase

__all__ = ["EmbeddingIndex", "EmbeddingsConfig", "configure", "current", "parse_spec"]

ENV_SPEC, ENV_URL = "WRIT_EMBEDDINGS", "WRIT_EMBEDDINGS_BASE_URL"
BATCH = 64


@dataclass(frozen=True)
class EmbeddingsConfig:
    model: str
    base_url: str | None = None

    @property
    def label(self) -> str:
        return f"openai:{self.model}" + (f" at {self.base_url}" if self.base_url else "")


def parse_spec(spec: str, base_url: str | None = None) -> EmbeddingsConfig:
    """``openai:MODEL`` (the only backend: any OpenAI-compatible endpoint) -> a config."""
    backend, sep, model = spec.partition(":")
    if not sep or backend != "openai" or not model.strip():
        raise ValueError(f"--embeddings {spec!r}: expected openai:MODEL (any OpenAI-compatible embeddings endpoint)")
    return EmbeddingsConfig(model.strip(), base_url or None)


def configure(spec: str | None, base_url: str | None = None) -> EmbeddingsConfig | None:
    """Set the process's embeddings endpoint (exported so worker processes see it too)."""
    if spec is None:
        return current()
    config = parse_spec(spec, base_url)
    os.environ[ENV_SPEC] = spec
    if base_url:
        os.environ[ENV_URL] = base_url
    return config


def current() -> EmbeddingsConfig | None:
    spec = os.environ.get(ENV_SPEC)
    return parse_spec(spec, os.environ.get(ENV_URL)) if spec else None


def _cache_dir() -> Path:
    return Path(os.environ.get("WRIT_CACHE_DIR") or Path.home() / ".cache" / "writ") / "embeddings"


def _normalised(vector: list[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vector))
    return [x / norm for x in vector] if norm else list(vector)


class EmbeddingIndex:
    """Document vectors of one knowledge base under one endpoint, and cosine search over them."""

    def __init__(self, kb: KnowledgeBase, config: EmbeddingsConfig):
        self.kb = kb
        self.config = config
        self._vectors: list[list[float]] | None = None

    def _client(self):
        from openai import OpenAI  # a core dependency; imported here so offline use never touches it

        return OpenAI(base_url=self.config.base_url, api_key=os.environ.get("OPENAI_API_KEY") or "EMPTY",
                      max_retries=2, timeout=60)

    def embed(self, texts: list[str]) -> list[list[float]]:
        client = self._client()
        out: list[list[float]] = []
        for start in range(0, len(texts), BATCH):
            reply = client.embeddings.create(model=self.config.model, input=texts[start:start + BATCH])
            rows = sorted(reply.data, key=lambda row: row.index)
            out.extend(list(row.embedding) for row in rows)
        if len(out) != len(texts):
            raise ValueError(f"the embeddings endpoint returned {len(out)} vectors for {len(texts)} texts")
        return out

    def _key(self) -> str:
        h = hashlib.sha256(f"{self.config.model}\n{self.config.base_url}\n".encode())
        for doc in self.kb.documents:
            h.update(doc.id.encode() + b"\0" + doc.content.encode() + b"\0")
        return h.hexdigest()[:32]

    @property
    def vectors(self) -> list[list[float]]:
        if self._vectors is None:
            path = _cache_dir() / f"{self._key()}.json"
            if path.is_file():
                self._vectors = json.loads(path.read_text(encoding="utf-8"))
            else:
                self._vectors = [_normalised(v) for v in self.embed([d.content for d in self.kb.documents])]
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(".tmp")
                tmp.write_text(json.dumps(self._vectors), encoding="utf-8")
                tmp.replace(path)
        return self._vectors

    def search(self, query: str, top_k: int = 10) -> list[tuple[str, float]]:
        if not query or not query.strip():
            return []
        vectors = self.vectors
        q = _normalised(self.embed([query])[0])
        scores = [sum(a * b for a, b in zip(q, v, strict=True)) for v in vectors]
        order = sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)[: min(top_k, len(scores))]
        return [(self.kb.documents[i].id, scores[i]) for i in order]

"""Retrieval variants: which search tools the agent has and which policy text it reads.

A variant is chosen by domain name: ``banking_knowledge`` is ``bm25``; ``banking_knowledge-<v>``
is variant ``v`` (``bm25``, ``bm25_grep``, ``grep_only``, ``no_knowledge``, ``full_kb``,
``golden_retrieval``, ``openai_embeddings``, ``openai_embeddings_grep``, ``qwen_embeddings``,
``qwen_embeddings_grep``). The agent's tool list is tau2's: ``KB_search`` first, then ``grep``,
then the base tools. The policy is built from a prompt template, with ``{{component:NAME}}``
replaced by ``components/NAME.md``, ``{{full_knowledge_base}}`` by every document and
``{{required_documents}}`` by the task's documents; the templates come from the data's
``prompts/`` folder (tau2's) or, for generated data, from writ's own in this package.

``KB_search`` prints tau2's result layout, including its timing line, whose figures writ fixes at
0 ms so that a result depends on the query and the documents only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from writ.core import Tool, Toolbox, ToolKind
from writ.domains.banking_knowledge import embeddings
from writ.domains.banking_knowledge.knowledge import KnowledgeBase
from writ.store import Store

__all__ = ["DEFAULT_VARIANT", "TOP_K", "VARIANTS", "Variant", "agent_box", "build_policy", "format_hits"]

TOP_K = 10
WRIT_PROMPTS = Path(__file__).parent / "prompts"
_COMPONENT = re.compile(r"\{\{component:(\w+)\}\}")
_FULL_KB = re.compile(r"\{\{full_knowledge_base\}\}")


@dataclass(frozen=True)
class Variant:
    name: str
    template: str  # the prompt template's file name, in tau2's prompts/ and in writ's
    search: str | None = None  # "bm25", "embeddings" or None: which KB_search the agent has
    grep: bool = False
    inline: str | None = None  # "full_kb" or "golden": documents written into the policy itself


VARIANTS = {v.name: v for v in [
    Variant("bm25", "classic_rag_bm25_no_grep.md", search="bm25"),
    Variant("bm25_grep", "classic_rag_bm25.md", search="bm25", grep=True),
    Variant("grep_only", "grep_only.md", grep=True),
    Variant("no_knowledge", "no_knowledge.md"),
    Variant("full_kb", "full_kb.md", inline="full_kb"),
    Variant("golden_retrieval", "required_docs.md", inline="golden"),
    Variant("openai_embeddings", "classic_rag_openai_no_grep.md", search="embeddings"),
    Variant("openai_embeddings_grep", "classic_rag_openai.md", search="embeddings", grep=True),
    Variant("qwen_embeddings", "classic_rag_qwen_no_grep.md", search="embeddings"),
    Variant("qwen_embeddings_grep", "classic_rag_qwen.md", search="embeddings", grep=True),
]}
DEFAULT_VARIANT = "bm25"


# -- search tools -----------------------------------------------------------------------------------
def format_hits(kb: KnowledgeBase, hits: list[tuple[str, float]]) -> str:
    """tau2's listing: ``N. title / ID / Score / Content`` per document."""
    return "\n".join(f"{i}. {kb.by_id[doc_id].title or 'Untitled'}\n   ID: {doc_id}\n   Score: {score:.4f}\n"
                     f"   Content: {kb.by_id[doc_id].content}\n" for i, (doc_id, score) in enumerate(hits, 1))


_TIMING = "\n\n[Timing: retrieval=0ms, reranking=0ms, total=0ms]"


def _knowledge(db: Store) -> KnowledgeBase:
    kb = db.base.attachments.get("kb")
    if kb is None:
        raise ValueError("no knowledge base is loaded with this database")
    return kb


def kb_search_bm25(db: Store, query: str) -> str:
    """Search the knowledge base for the documents that best match a query (keyword ranking).

    Args:
        query: What to look for, e.g. "close checking account early closure fee".
    """
    kb = _knowledge(db)
    hits = kb.search(query, TOP_K)
    return (format_hits(kb, hits) if hits else "No relevant documents found.") + _TIMING


def kb_search_dense(db: Store, query: str) -> str:
    """Search the knowledge base for the documents closest in meaning to a query.

    Args:
        query: What to look for, e.g. "how do I dispute a debit card charge".
    """
    kb = _knowledge(db)
    index = db.base.attachments.get("embedding_index")
    if index is None:
        raise ValueError("no embeddings endpoint is configured for this knowledge base")
    hits = index.search(query, TOP_K)
    return (format_hits(kb, hits) if hits else "No relevant documents found.") + _TIMING


def grep(db: Store, pattern: str) -> str:
    """Find the knowledge base documents matching a regular expression, most matches first.

    Args:
        pattern: A regular expression, e.g. 'credit.*card' or 'fee|charge' (case-insensitive).
    """
    kb = _knowledge(db)
    hits = kb.grep(pattern, TOP_K)
    return format_hits(kb, hits) if hits else f"No matches found for pattern: {pattern}"


def agent_box(variant: Variant, base: Toolbox) -> Toolbox:
    """The variant's agent tools: its search tools (tau2's mixin owners), then `base`'s tools."""
    box = Toolbox(owner=base.owner, side="agent")
    if variant.search:
        fn = kb_search_bm25 if variant.search == "bm25" else kb_search_dense
        box.tools["KB_search"] = Tool("KB_search", fn, ToolKind.READ, "agent", "KBSearchMixin")
    if variant.grep:
        box.tools["grep"] = Tool("grep", grep, ToolKind.READ, "agent", "GrepMixin")
    box.tools.update(base.tools)
    box.hidden = base.hidden
    box.helpers = base.helpers
    return box


# -- policy ------------------------------------------------------------------------------------------
def _template(prompts: Path, name: str) -> str:
    path = prompts / name
    if not path.is_file():
        raise ValueError(f"prompt template not found: {path}")
    text = path.read_text(encoding="utf-8")

    def component(match: re.Match) -> str:
        part = prompts / "components" / f"{match.group(1)}.md"
        if not part.is_file():
            raise ValueError(f"prompt component not found: {part}")
        return part.read_text(encoding="utf-8")

    return _COMPONENT.sub(component, text)


def build_policy(variant: Variant, kb: KnowledgeBase, prompts: Path | None,
                 required: list[str] | None = None) -> str:
    """The policy text of `variant` (for golden_retrieval, with the `required` documents inlined)."""
    text = _template(prompts or WRIT_PROMPTS, variant.template)
    if variant.inline == "full_kb" and _FULL_KB.search(text):
        text = _FULL_KB.sub(kb.full_text(), text)  # a re.sub replacement string, as tau2 does
    if variant.inline == "golden":
        docs = kb.select(required or [])
        inlined = "\n\n---\n\n".join(f"## {d.title}\n\n{d.content}" for d in docs) or "(No documents provided)"
        text = text.replace("{{required_documents}}", inlined)
    if not text.strip():
        raise ValueError(f"the policy of retrieval variant {variant.name!r} is empty")
    return text


def attach_index(variant: Variant, kb: KnowledgeBase) -> dict[str, Any]:
    """The attachments a variant's tools need beside the knowledge base (an embedding index)."""
    if variant.search != "embeddings":
        return {}
    config = embeddings.current()
    if config is None:
        raise ValueError(f"retrieval variant {variant.name!r} needs an embeddings endpoint: run writ with "
                         f"--embeddings openai:MODEL --embeddings-base-url URL (or set {embeddings.ENV_SPEC})")
    return {"embedding_index": embeddings.EmbeddingIndex(kb, config)}


def required_documents(task: Any) -> list[str]:
    """A task's ``required_documents`` (tau2 keeps them at the top level of the task)."""
    extra = getattr(task, "model_extra", None) or {}
    docs = extra.get("required_documents") or (getattr(task, "writ", None) or {}).get("required_documents") or []
    return [str(d) for d in docs]


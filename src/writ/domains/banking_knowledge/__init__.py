"""The banking_knowledge domain (tau2-bench's): a bank's customer service over a knowledge base.

The agent must find procedures in 698 documents before it acts, unlock and call the internal
("discoverable") tools the documents name, give the customer the tools they run themselves,
verify identity and log it, and transfer when the documents say so. The customer's tools act on
the same database as the agent's (tau2 hands both toolkits one database object). Time is frozen
at 11/14/2025 03:40 EST.

Retrieval variants are separate domain names (see `retrieval`): ``banking_knowledge`` searches
with BM25 (``KB_search``); ``banking_knowledge-grep_only``, ``-bm25_grep``, ``-full_kb``,
``-golden_retrieval``, ``-no_knowledge`` and the embedding variants change the search tools and
the policy. The knowledge base comes with the data: ``documents/`` (and tau2's ``prompts/``) next
to ``db.json``, or the documents `generate` writes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from writ.core import Domain
from writ.domains.banking_knowledge import (  # noqa: F401  (each module registers its discoverable tools)
    bank_accounts,
    credit_cards,
    debit_cards,
    debit_controls,
    disputes,
    escalation,
)
from writ.domains.banking_knowledge.discoverable import READ_LOG_KEY
from writ.domains.banking_knowledge.generate import generate
from writ.domains.banking_knowledge.invariants import invariants
from writ.domains.banking_knowledge.knowledge import KnowledgeBase
from writ.domains.banking_knowledge.retrieval import (
    DEFAULT_VARIANT,
    VARIANTS,
    WRIT_PROMPTS,
    agent_box,
    attach_index,
    build_policy,
    required_documents,
)
from writ.domains.banking_knowledge.schema import LAYOUT, normalize_db
from writ.domains.banking_knowledge.tools import box
from writ.domains.banking_knowledge.user_tools import user_box
from writ.store import Base

__all__ = ["DOMAIN", "VARIANTS", "variant"]

FOLDER = "banking_knowledge"


def read_log_allowlist(task: Any) -> list[str]:
    """Read-only discoverable tools the task's gold solution calls: their calls are logged too."""
    names = {str(a.arguments.get("agent_tool_name")) for a in getattr(task, "actions", [])
             if a.name == "call_discoverable_agent_tool" and a.arguments.get("agent_tool_name")}
    return sorted(names)


def _setup_env(env, task: Any) -> None:
    env.db.scratch[READ_LOG_KEY] = read_log_allowlist(task) if task is not None else []


def _attacher(name: str):
    chosen = VARIANTS[name]

    def attach(base: Base, source: Any) -> str:
        prompts = None
        if isinstance(source, Path):
            kb = KnowledgeBase.from_folder(source / "documents")
            prompts = source / "prompts" if (source / "prompts").is_dir() else None
        else:
            kb = KnowledgeBase.from_records(source.get("documents", []))
        base.attachments.update({"kb": kb, "prompts": prompts, "variant": name, **attach_index(chosen, kb)})
        return build_policy(chosen, kb, prompts)

    return attach


def _task_policy(name: str):
    chosen = VARIANTS[name]

    def policy_for(policy: str, base: Base, task: Any) -> str:
        if chosen.inline != "golden" or "kb" not in base.attachments:
            return policy
        return build_policy(chosen, base.attachments["kb"], base.attachments.get("prompts"),
                            required_documents(task))

    return policy_for


def _write_documents(base: Base, out: Any) -> list[Path]:
    kb: KnowledgeBase | None = base.attachments.get("kb")
    if kb is None:
        return []
    import json

    folder = Path(out) / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for doc in kb.documents:
        path = folder / f"{doc.id}.json"
        path.write_text(json.dumps(doc.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    return written


@cache
def variant(name: str) -> Domain:
    """The domain with retrieval variant `name` (see `retrieval.VARIANTS`)."""
    chosen = VARIANTS[name]
    full_name = FOLDER if name == DEFAULT_VARIANT else f"{FOLDER}-{name}"
    return Domain(
        name=full_name,
        agent=agent_box(chosen, box),
        layout=dict(LAYOUT),
        db_name="TransactionalDB",
        normalize_db=normalize_db,
        policy=(WRIT_PROMPTS / chosen.template).read_text(encoding="utf-8"),
        user=user_box,
        generate=generate,
        invariants=invariants,
        description=("Bank customer service over a 698-document knowledge base: discoverable tools, identity "
                     f"verification, disputes, cards and accounts (retrieval: {name})."),
        shared_db=True,
        setup_env=_setup_env,
        attach=_attacher(name),
        write_resources=_write_documents,
        task_policy=_task_policy(name),
        data_folder=FOLDER,
        extras={"retrieval": name},
    )


DOMAIN = variant(DEFAULT_VARIANT)

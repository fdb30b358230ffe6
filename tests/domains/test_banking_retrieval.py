"""banking_knowledge retrieval: BM25 (rank_bm25's Okapi formula), grep, result layout, variant
tools and policies (tau2's prompt templates), and the embedding variants against a local fake
OpenAI-compatible embeddings server."""

from __future__ import annotations

import json
import math
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import tau2_dir
from tests.domains.banking_helpers import mini_db
from writ.core import Environment
from writ.data import DataError, load_data
from writ.domains import get_domain
from writ.domains.banking_knowledge import embeddings
from writ.domains.banking_knowledge.knowledge import KnowledgeBase
from writ.domains.banking_knowledge.retrieval import VARIANTS, build_policy
from writ.task import Task

DOCS = [
    {"id": "doc_a", "title": "Card fees", "content": "The annual fee of the Gold card is waived the first year."},
    {"id": "doc_b", "title": "Closing", "content": "To close a checking account the balance must be zero. Close it."},
    {"id": "doc_c", "title": "Disputes", "content": "File a debit card dispute within 60 days of the statement."},
    {"id": "doc_d", "title": "", "content": "Gold gold GOLD: the Gold tier rewards."},
]


def reference_bm25(corpus: list[list[str]], query: list[str], k1: float = 1.5, b: float = 0.75) -> list[float]:
    """Okapi BM25 written out from the textbook formula, with rank_bm25's idf floor."""
    n = len(corpus)
    avgdl = sum(map(len, corpus)) / n
    df = {w: sum(w in doc for doc in corpus) for doc in corpus for w in doc}
    idf = {w: math.log(n - c + 0.5) - math.log(c + 0.5) for w, c in df.items()}
    floor = 0.25 * sum(idf.values()) / len(idf)
    idf = {w: (floor if v < 0 else v) for w, v in idf.items()}
    return [sum(idf.get(q, 0) * doc.count(q) * (k1 + 1) / (doc.count(q) + k1 * (1 - b + b * len(doc) / avgdl))
                for q in query) for doc in corpus]


def test_bm25_scores_and_ranking():
    kb = KnowledgeBase.from_records(DOCS)
    corpus = [d["content"].lower().split() for d in DOCS]
    for query in ["gold annual fee", "close checking account", "dispute", "the the", "nothing here"]:
        ours = kb.bm25.scores(query.lower().split())
        assert ours == pytest.approx(reference_bm25(corpus, query.lower().split()), abs=1e-12)
    assert kb.search("Close a checking account")[0][0] == "doc_b"
    assert [d for d, _ in kb.search("gold tier", top_k=2)] == ["doc_d", "doc_a"]
    # a word in exactly half the documents has idf 0 (Okapi): every score ties and file order decides
    assert kb.search("gold", top_k=2) == [("doc_a", 0.0), ("doc_b", 0.0)]
    assert [s for _, s in kb.search("zzz")] == [0.0] * 4  # zero scores still fill the top k, in file order
    assert kb.search("   ") == []


def test_grep_counts_matches_and_falls_back_to_literal():
    kb = KnowledgeBase.from_records(DOCS)
    assert kb.grep("gold") == [("doc_d", 4.0), ("doc_a", 1.0)]
    assert kb.grep("close|zero") == [("doc_b", 3.0)]
    assert kb.grep("Gold", case_sensitive=True) == [("doc_d", 2.0), ("doc_a", 1.0)]
    assert kb.grep("fee (") == []  # an invalid pattern is searched literally
    assert kb.grep("(first year") == []


def _env(variant: str, docs=DOCS) -> Environment:
    domain = get_domain(f"banking_knowledge-{variant}")
    base = domain.base(mini_db())
    domain.attach(base, {"documents": docs})
    return Environment(domain, base.store())


def test_result_layout_of_kb_search_and_grep():
    e = _env("bm25_grep")
    text = e.step("KB_search", {"query": "debit card dispute"}).content
    assert text.startswith("1. Disputes\n   ID: doc_c\n   Score: ")
    assert "\n   Content: File a debit card dispute within 60 days of the statement.\n\n2. " in text
    assert text.endswith("\n\n[Timing: retrieval=0ms, reranking=0ms, total=0ms]")
    assert e.step("KB_search", {"query": ""}).content == (
        "No relevant documents found.\n\n[Timing: retrieval=0ms, reranking=0ms, total=0ms]")
    assert e.step("grep", {"pattern": "GOLD"}).content.startswith("1. Untitled\n   ID: doc_d\n   Score: 4.0000\n")
    assert e.step("grep", {"pattern": "xyz"}).content == "No matches found for pattern: xyz"


def test_variant_tool_lists():
    names = lambda v: [t.name for t in get_domain(v).tools()][:3]  # noqa: E731
    assert names("banking_knowledge")[:2] == ["KB_search", "transfer_to_human_agents"]
    assert names("banking_knowledge-bm25_grep")[:2] == ["KB_search", "grep"]
    assert names("banking_knowledge-grep_only")[:2] == ["grep", "transfer_to_human_agents"]
    for v in ("full_kb", "golden_retrieval", "no_knowledge"):
        assert names(f"banking_knowledge-{v}")[0] == "transfer_to_human_agents"
    with pytest.raises(KeyError, match="banking_knowledge-grep_only"):
        get_domain("banking_knowledge-bogus")


def test_policies_from_tau2_prompts():
    root = tau2_dir() / "banking_knowledge"
    prompts = root / "prompts"
    data = load_data("banking_knowledge", tau2_data=tau2_dir())
    header = (prompts / "components" / "policy_header.md").read_text()
    extra = (prompts / "components" / "additional_instructions.md").read_text()
    expected = (prompts / "classic_rag_bm25_no_grep.md").read_text().replace(
        "{{component:policy_header}}", header).replace("{{component:additional_instructions}}", extra)
    assert data.policy == expected and len(data.base.attachments["kb"]) == 698
    full = load_data("banking_knowledge-full_kb", tau2_data=tau2_dir())
    kb = full.base.attachments["kb"]
    assert all(f"## {d.title}\n\n{d.content}" in full.policy for d in kb.documents[:50])
    assert "{{" not in full.policy
    golden = load_data("banking_knowledge-golden_retrieval", tau2_data=tau2_dir())
    task = golden.tasks[0]
    policy = golden.policy_for(task)
    first = kb.by_id[task.model_extra["required_documents"][0]]
    assert f"<required_documents>\n## {first.title}\n\n{first.content}" in policy
    assert "(No documents provided)" in golden.policy_for(Task(id="x"))
    assert data.policy_for(task) == data.policy


def test_writ_own_prompts_for_generated_data():
    data = load_data("banking_knowledge-grep_only", seed=0, scale=0.2)
    assert "`grep` tool" in data.policy and "{{" not in data.policy
    assert "Rho-Bank" in data.policy and "log_verification" in data.policy
    kb = data.base.attachments["kb"]
    assert build_policy(VARIANTS["full_kb"], kb, None).count("\n---\n") == len(kb) - 1


class _FakeEmbeddings(BaseHTTPRequestHandler):
    """An OpenAI-compatible /v1/embeddings: a text's vector counts a few keywords."""

    words = ["gold", "close", "dispute", "fee"]
    calls: list[int] = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        type(self).calls.append(len(texts))
        data = [{"object": "embedding", "index": i,
                 "embedding": [t.lower().count(w) + 0.01 for w in self.words]} for i, t in enumerate(texts)]
        payload = json.dumps({"object": "list", "data": data, "model": body["model"],
                              "usage": {"prompt_tokens": 1, "total_tokens": 1}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def embeddings_server(tmp_path, monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeEmbeddings)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("WRIT_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("OPENAI_API_KEY", "EMPTY")
    monkeypatch.delenv(embeddings.ENV_SPEC, raising=False)
    monkeypatch.delenv(embeddings.ENV_URL, raising=False)
    _FakeEmbeddings.calls = []
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def test_embedding_variant_needs_an_endpoint(monkeypatch):
    monkeypatch.delenv(embeddings.ENV_SPEC, raising=False)
    with pytest.raises(DataError, match="needs an embeddings endpoint"):
        load_data("banking_knowledge-openai_embeddings", seed=0, scale=0.2)
    with pytest.raises(ValueError, match="expected openai:MODEL"):
        embeddings.parse_spec("cohere:x")


def test_embedding_search_through_a_fake_server(embeddings_server, tmp_path):
    embeddings.configure("openai:fake-embed", embeddings_server)
    e = _env("openai_embeddings_grep")
    assert [t.name for t in e.tools()][:2] == ["KB_search", "grep"]
    text = e.step("KB_search", {"query": "how do I close it"}).content
    assert text.startswith("1. Closing\n   ID: doc_b\n   Score: ")
    assert _FakeEmbeddings.calls == [4, 1]  # the documents once, then the query
    assert len(list((tmp_path / "embeddings").glob("*.json"))) == 1
    e2 = _env("openai_embeddings")  # a second index of the same documents reads the disk cache
    assert e2.step("KB_search", {"query": "gold"}).content.startswith("1. Untitled\n   ID: doc_d")
    assert _FakeEmbeddings.calls == [4, 1, 1]


def test_dead_embeddings_server_is_an_error_text(monkeypatch, tmp_path):
    monkeypatch.setenv("WRIT_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("OPENAI_API_KEY", "EMPTY")
    embeddings.configure("openai:fake-embed", "http://127.0.0.1:9/v1")
    try:
        result = _env("openai_embeddings").step("KB_search", {"query": "gold"})
    finally:
        monkeypatch.delenv(embeddings.ENV_SPEC, raising=False)
        monkeypatch.delenv(embeddings.ENV_URL, raising=False)
    assert result.error and result.content.startswith("Error: ")

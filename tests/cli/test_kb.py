"""`writ kb` and the global embeddings options, as a user meets them (real subprocesses)."""

from __future__ import annotations

from tests.cli.test_cli import one_line_error, writ
from tests.conftest import tau2_dir


def test_search_prints_the_agents_tool_result():
    proc = writ("kb", "search", "debit card dispute regulation", "--tau2-data", str(tau2_dir()))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("1. ") and "\n   ID: doc_" in proc.stdout
    assert proc.stdout.rstrip().endswith("[Timing: retrieval=0ms, reranking=0ms, total=0ms]")
    assert "KB_search over 698 documents" in proc.stderr


def test_grep_variant_and_generated_data():
    proc = writ("kb", "search", "close_bank_account_7392", "--domain", "banking_knowledge-grep_only",
                "--seed", "1", "--scale", "0.2")
    assert proc.returncode == 0, proc.stderr
    assert "Internal: Closing a Bank Account" in proc.stdout.splitlines()[0]


def test_bad_input_is_one_line():
    assert "has no search tool" in one_line_error(
        writ("kb", "search", "x", "--domain", "banking_knowledge-full_kb", "--seed", "0", "--scale", "0.2"))
    assert "unknown domain 'banking_knowledge-nope'" in one_line_error(
        writ("kb", "search", "x", "--domain", "banking_knowledge-nope"))
    assert "expected openai:MODEL" in one_line_error(writ("--embeddings", "local", "domains"))
    assert "needs an embeddings endpoint" in one_line_error(
        writ("kb", "index", "--seed", "0", "--scale", "0.2"))
    assert "embedding the documents failed" in one_line_error(
        writ("kb", "index", "--seed", "0", "--scale", "0.2", "--embeddings", "openai:m",
             "--base-url", "http://127.0.0.1:9/v1"))

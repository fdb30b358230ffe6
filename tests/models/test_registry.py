import asyncio

import pytest

from writ.models import (
    CachedBackend,
    ModelBackend,
    OpenAICompatBackend,
    ScriptedBackend,
    UsageMeter,
    make_backend,
    parse_spec,
)


def test_parse_spec():
    assert parse_spec("openai:Qwen/Qwen3-8B") == ("openai", "Qwen/Qwen3-8B")
    assert parse_spec("hf:/models/x.gguf") == ("hf", "/models/x.gguf")
    for bad in ["gpt-4o", "openai:", "vllm:foo", "", ":x"]:
        with pytest.raises(ValueError, match="bad model spec"):
            parse_spec(bad)


def test_openai_spec_builds_configured_backend(monkeypatch):
    monkeypatch.setenv("MY_KEY", "sk-test")
    b = make_backend("openai:m", base_url=["http://127.0.0.1:1/v1", "http://127.0.0.1:2/v1"], api_key_env="MY_KEY",
                     concurrency=4, timeout=9, retries=1, extra_body={"top_k": 5}, prices={"m": [1, 2]})
    assert isinstance(b, OpenAICompatBackend)
    assert b.api_key == "sk-test" and b.concurrency == 4 and b.retry.retries == 1 and b.timeout == 9
    assert [e.base_url for e in b.pool.endpoints] == ["http://127.0.0.1:1/v1", "http://127.0.0.1:2/v1"]
    assert b.prices.cost("m", 10**6, 10**6) == 3.0 and b.extra_body == {"top_k": 5}
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    assert make_backend("openai:m", base_url="http://127.0.0.1:1/v1").api_key == "EMPTY"


def test_cache_wrapping_and_canned(tmp_path):
    meter = UsageMeter()
    b = make_backend("canned:hello", cache_path=tmp_path / "c.sqlite", cache_all=True, meter=meter)
    assert isinstance(b, CachedBackend) and isinstance(b.inner, ScriptedBackend)
    assert isinstance(b, ModelBackend) and isinstance(b.inner, ModelBackend)
    for _ in range(2):
        assert asyncio.run(b.complete([{"role": "user", "content": "x"}])).content == "hello"
    assert meter.total.calls == 2 and meter.total.cached_calls == 1


def test_hf_spec_errors(tmp_path):
    with pytest.raises((ValueError, ImportError)):
        make_backend(f"hf:{tmp_path / 'missing.gguf'}")
    with pytest.raises((ValueError, ImportError)):
        make_backend("hf:smollm2", base_url="http://127.0.0.1:1/v1")

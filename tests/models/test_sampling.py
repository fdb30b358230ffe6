"""Sampling settings and per-request seeds: what each request of an episode sends, and why retries differ."""

from __future__ import annotations

import asyncio

import pytest

from writ.models import CachedBackend, ScriptedBackend
from writ.models.sampling import SamplingSettings, SeededBackend, model_options, request_seed
from writ.models.usage import PriceTable

MSGS = [{"role": "user", "content": "hi"}]


def test_seeds_are_stable_and_differ_by_task_attempt_side_and_turn():
    base = request_seed(0, "t-1", 0, "agent", 0)
    assert base == request_seed(0, "t-1", 0, "agent", 0) and 0 <= base < 2**31 - 1
    others = {request_seed(1, "t-1", 0, "agent", 0), request_seed(0, "t-2", 0, "agent", 0),
              request_seed(0, "t-1", 1, "agent", 0), request_seed(0, "t-1", 0, "user", 0),
              request_seed(0, "t-1", 0, "agent", 1)}
    assert base not in others and len(others) == 5


def test_a_retry_samples_when_the_configured_temperature_is_greedy_or_unset():
    assert SamplingSettings(temperature=0.0).temperature_for(0) == 0.0
    assert SamplingSettings(temperature=0.0).temperature_for(1) == 0.7
    assert SamplingSettings().temperature_for(0) is None and SamplingSettings().temperature_for(2) == 0.7
    assert SamplingSettings(temperature=0.3).temperature_for(1) == 0.3  # already sampling: kept
    assert SamplingSettings(temperature=0.0, retry_temperature=None).temperature_for(1) == 0.0
    assert SamplingSettings(temperature=0, retry_temperature=1.1, max_tokens=9).params(1) == {
        "temperature": 1.1, "max_tokens": 9}


@pytest.mark.parametrize("bad, message", [({"temperature": -0.1}, "temperature must be between 0 and 2"),
                                          ({"top_p": 0}, "top_p must be in"), ({"max_tokens": 0}, "max_tokens must"),
                                          ({"retry_temperature": 3}, "retry_temperature must")])
def test_bad_settings_are_refused_in_one_line(bad, message):
    with pytest.raises(ValueError, match=message):
        SamplingSettings(**bad)
    with pytest.raises(ValueError, match="unknown sampling settings"):
        SamplingSettings.from_json({"temprature": 1})


def test_seeded_backend_sends_settings_and_a_seed_per_call_and_records_them():
    inner = ScriptedBackend(["a", "b"])
    seeded = SeededBackend(inner, SamplingSettings(temperature=0.0, top_p=0.9, max_tokens=64), run_seed=3,
                           task_id="t-1", attempt=1, side="agent")

    async def go():
        first = await seeded.complete(MSGS)
        sent_first = dict(inner.last_request["params"])
        second = await seeded.complete(MSGS, None, temperature=0.2)  # the actor's own choice wins
        return first, sent_first, second, dict(inner.last_request["params"])

    first, sent_first, second, sent_second = asyncio.run(go())
    assert sent_first == {"temperature": 0.7, "top_p": 0.9, "max_tokens": 64,
                          "seed": request_seed(3, "t-1", 1, "agent", 0)}
    assert sent_second["temperature"] == 0.2 and sent_second["seed"] == request_seed(3, "t-1", 1, "agent", 1)
    assert first.request == sent_first and second.request == sent_second
    assert first.turn_usage()["sampling"] == sent_first
    assert "seed" not in asyncio.run(SeededBackend(inner, SamplingSettings(seed=False), run_seed=0, task_id="t",
                                                   attempt=0, side="user").complete(MSGS)).request


def test_seeded_requests_are_cached_and_replayed_for_the_same_episode(tmp_path):
    inner = ScriptedBackend(["first", "second", "third"])
    cached = CachedBackend(inner, tmp_path / "cache.db")

    def episode(attempt: int) -> list[str]:
        seeded = SeededBackend(cached, SamplingSettings(temperature=0.8), run_seed=0, task_id="t", attempt=attempt,
                               side="agent")

        async def go():
            return [(await seeded.complete(MSGS)).content for _ in range(2)]

        return asyncio.run(go())

    assert episode(0) == ["first", "second"]
    assert episode(0) == ["first", "second"] and inner.calls == 2  # the same seeds: served from the cache
    assert episode(1) == ["third", "first"] and inner.calls == 4  # another attempt: other seeds, new calls


def test_model_options_keep_only_what_was_given_and_name_the_bad_value(tmp_path):
    assert model_options() == {}
    prices = tmp_path / "prices.yaml"
    prices.write_text("m: {prompt: 1.0, completion: 2.0}\n")
    opts = model_options(temperature=0.3, extra_body='{"top_k": 20}', timeout=5, cache=tmp_path / "c.db",
                         prices=prices, max_response_bytes=1000)
    assert opts["sampling"]["temperature"] == 0.3 and opts["sampling"]["retry_temperature"] == 0.7
    assert opts["extra_body"] == {"top_k": 20} and opts["timeout"] == 5.0 and opts["max_response_bytes"] == 1000
    assert opts["cache_path"].endswith("c.db") and isinstance(opts["prices"], PriceTable)
    assert opts["prices"].cost("m", 1_000_000, 1_000_000) == 3.0
    for kwargs, message in [({"extra_body": "{nope"}, "extra_body is not JSON"),
                            ({"extra_body": "[1]"}, "extra_body must be a JSON object"),
                            ({"timeout": 0}, "timeout must be positive"),
                            ({"prices": tmp_path / "missing.yaml"}, "cannot read the price file"),
                            ({"temperature": 5}, "temperature must be between")]:
        with pytest.raises(ValueError, match=message):
            model_options(**kwargs)
    (tmp_path / "bad.yaml").write_text("m: {prompt: cheap}\n")
    with pytest.raises(ValueError, match="bad.yaml"):
        model_options(prices=tmp_path / "bad.yaml")


def test_price_table_knows_listed_models_or_a_nonzero_default():
    assert not PriceTable().knows("m") and PriceTable({"m": 1}).knows("org/m")
    assert PriceTable({"default": {"prompt": 0.1, "completion": 0.1}}).knows("anything")

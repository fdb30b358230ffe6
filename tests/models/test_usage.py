import threading

import pytest

from writ.models import Price, PriceTable, Usage, UsageMeter


def test_price_table_lookup_and_default():
    table = PriceTable({"gpt-4o-mini": {"prompt": 0.15, "completion": 0.6}, "big": [3, 15]})
    assert table.cost("gpt-4o-mini", 1_000_000, 1_000_000) == pytest.approx(0.75)
    assert table.cost("openai/gpt-4o-mini", 2_000_000, 0) == pytest.approx(0.30)  # provider prefix stripped
    assert table.cost("big", 1000, 1000) == pytest.approx(0.018)
    assert table.cost("local-model", 10**9, 10**9) == 0.0  # default entry is free
    assert PriceTable({"default": 1.0}).cost("anything", 1_000_000, 0) == pytest.approx(1.0)


def test_price_table_from_yaml(tmp_path):
    path = tmp_path / "prices.yaml"
    path.write_text("default: {prompt: 0.1, completion: 0.2}\nqwen: {input: 1, output: 2}\n")
    table = PriceTable.load(str(path))
    assert table.price("qwen") == Price(1.0, 2.0)
    assert table.price("other") == Price(0.1, 0.2)


def test_bad_price_is_refused():
    with pytest.raises(ValueError, match="prompt"):
        PriceTable({"m": {"promt": 1}})
    with pytest.raises(ValueError):
        PriceTable({"m": "cheap"})


def test_meter_aggregates_per_model_and_overall():
    meter = UsageMeter()
    meter.record("a", Usage(prompt_tokens=10, completion_tokens=5, reasoning_tokens=2, cost=0.5, latency_s=1.0))
    meter.record("a", Usage(prompt_tokens=10, completion_tokens=5, cost=0.5, latency_s=3.0))
    meter.record("b", Usage(prompt_tokens=1, completion_tokens=1, cost=0.0, cached=True))
    meter.record_failure("b")
    per = meter.per_model()
    assert per["a"].calls == 2 and per["a"].prompt_tokens == 20 and per["a"].cost == pytest.approx(1.0)
    assert per["a"].mean_latency_s == pytest.approx(2.0) and per["a"].reasoning_tokens == 2
    assert per["b"].cached_calls == 1 and per["b"].prompt_tokens == 0 and per["b"].failures == 1
    total = meter.summary()["total"]
    assert total["calls"] == 3 and total["prompt_tokens"] == 20 and total["failures"] == 1


def test_meter_is_thread_safe():
    meter = UsageMeter()

    def work():
        for _ in range(2000):
            meter.record("m", Usage(prompt_tokens=1, completion_tokens=1, cost=0.001))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert meter.total.calls == 16000 and meter.total.prompt_tokens == 16000
    assert meter.total.cost == pytest.approx(16.0)

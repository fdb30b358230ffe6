"""Every format from a real run: what each trainer needs, nothing the agent did not see."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from writ.core import Episode
from writ.data import load_data
from writ.export import (
    DomainContext,
    ShareGPTStats,
    build_record,
    export_run,
    load_trl,
    openai_row,
    read_jsonl,
    sharegpt_row,
    trl_row,
)
from writ.task import Task

DOMAINS = {"retail": load_data("retail", seed=3, scale=0.3), "telecom": load_data("telecom", seed=3, scale=0.3),
           "mock": load_data("mock")}


def _export(runs, out, fmt, **options):
    options.setdefault("val_fraction", 0.3)
    return export_run(runs[0], out, fmt=fmt, **options)


def _jsonl_rows(out):
    return [row for name in ("train", "validation") if (out / f"{name}.jsonl").exists()
            for row in read_jsonl(out / f"{name}.jsonl")]


def _all_keys(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _all_keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from _all_keys(v)


def _has_null(value) -> bool:
    if value is None:
        return True
    if isinstance(value, dict):
        return any(_has_null(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_null(v) for v in value)
    return False


def test_openai_lines_are_fine_tuning_examples(runs, tmp_path):
    result = _export(runs, tmp_path / "o", "openai")
    rows = _jsonl_rows(tmp_path / "o")
    assert len(rows) == result.manifest["counts"]["exported"] == 18
    user_tools = {t.name for t in DOMAINS["telecom"].domain.tools("user")}
    for row in rows:
        assert set(row) == {"messages", "tools"}
        messages = row["messages"]
        system, rest = messages[0], messages[1:]
        domain = next(d for d, data in DOMAINS.items() if data.policy == system["content"])
        assert system == {"role": "system", "content": DOMAINS[domain].policy}
        assert row["tools"] == DOMAINS[domain].domain.agent.schemas()
        assert not _has_null(messages), "null is never used: tool-call turns omit content"
        assert not any(k.startswith("_") or k == "requestor" for k in _all_keys(messages))
        answered, open_calls = set(), []
        for m in rest:
            assert m["role"] in ("user", "assistant", "tool")
            if m["role"] == "tool":
                assert set(m) == {"role", "tool_call_id", "content"} and m["tool_call_id"] in open_calls
                answered.add(m["tool_call_id"])
            for call in m.get("tool_calls", []):
                assert m["role"] == "assistant" and call["type"] == "function" and call["id"]
                assert isinstance(json.loads(call["function"]["arguments"]), dict)
                assert call["function"]["name"] not in user_tools, "the user's device calls are not the agent's"
                open_calls.append(call["id"])
            if m["role"] == "assistant" and m.get("tool_calls"):
                assert "content" not in m
        assert set(open_calls) == answered, "every tool_call id has a tool answer"
        assert rest[-1]["role"] != "user" and "###" not in json.dumps(rest[-1])


def test_telecom_records_keep_the_users_words_not_their_device(runs, tmp_path):
    _export(runs, tmp_path / "o", "openai", val_fraction=0)
    telecom = [r for r in _jsonl_rows(tmp_path / "o") if r["messages"][0]["content"] == DOMAINS["telecom"].policy]
    assert telecom
    said = [m["content"] for r in telecom for m in r["messages"] if m["role"] == "user"]
    assert said
    for raw in ("Status Bar:", "Airplane Mode:", "Speed Test Result", "Cellular Signal", "\U0001F4F6"):
        assert not any(raw in text for text in said), raw  # the phone's output never pasted
    assert any(re.search(r"(signal|speed|done|airplane|sim|data)", text, re.I) for text in said)


def _template() -> str:
    """A small chat template with tool support, in the style of the common open models."""
    return (
        "{%- if tools %}<|tools|>\n{%- for t in tools %}{{ t | tojson }}\n{% endfor %}{%- endif %}"
        "{%- for m in messages %}<|{{ m.role }}|>"
        "{%- if m.content is defined and m.content is not none %}{{ m.content }}{% endif %}"
        "{%- if m.tool_calls is defined and m.tool_calls is not none %}{%- for c in m.tool_calls %}"
        "<call>{\"name\": {{ c.function.name | tojson }}, \"arguments\": {{ c.function.arguments | tojson }}}</call>"
        "{%- endfor %}{%- endif %}"
        "{%- if m.name is defined and m.name is not none %}<name>{{ m.name }}</name>{% endif %}\n"
        "{%- endfor %}"
    )


def _tokenizer():
    transformers = pytest.importorskip("transformers", reason="transformers is not installed (the hf extra)")
    tokenizers = pytest.importorskip("tokenizers", reason="tokenizers is not installed (comes with transformers)")
    core = tokenizers.Tokenizer(tokenizers.models.WordLevel({"<unk>": 0}, unk_token="<unk>"))
    return transformers.PreTrainedTokenizerFast(tokenizer_object=core, unk_token="<unk>")


def test_trl_loads_with_datasets_and_renders_without_spurious_nulls(runs, tmp_path):
    datasets = pytest.importorskip("datasets", reason="datasets is not installed (pip install 'writ[export]')")
    _export(runs, tmp_path / "t", "trl")
    original = read_jsonl(tmp_path / "t" / "train.jsonl")
    plain = datasets.load_dataset("json", data_files=str(tmp_path / "t" / "train.jsonl"), split="train")
    assert len(plain) == len(original)  # loadable as is; load_trl is what keeps it exact on every version
    tokenizer = _tokenizer()
    seen_calls = 0
    for json_feature in ([True, False] if hasattr(datasets, "Json") else [False]):
        loaded = load_trl(tmp_path / "t", split="train", json_feature=json_feature)
        assert len(loaded) == len(original)
        for row, raw in zip(loaded, original, strict=True):
            assert row["messages"] == raw["messages"] and row["tools"] == raw["tools"]
            rendered = tokenizer.apply_chat_template(row["messages"], tools=row["tools"], chat_template=_template(),
                                                     tokenize=False)
            expected = tokenizer.apply_chat_template(raw["messages"], tools=raw["tools"], chat_template=_template(),
                                                     tokenize=False)
            assert rendered == expected
            calls = re.findall(r"<call>(.*?)</call>", rendered)
            originals = [c for m in raw["messages"] for c in m.get("tool_calls", [])]
            assert len(calls) == len(originals)
            seen_calls += len(calls)
            for text, call in zip(calls, originals, strict=True):
                assert json.loads(text)["arguments"] == call["function"]["arguments"]
            assert rendered.count("null") == expected.count("null") == json.dumps(raw).count("null")
    assert seen_calls > 50
    for raw in original:  # arguments are objects, as TRL's tool-calling examples have them
        for m in raw["messages"]:
            for call in m.get("tool_calls", []):
                assert set(call) == {"type", "function"} and isinstance(call["function"]["arguments"], dict)
            if m["role"] == "tool":
                assert m["name"]


def test_trl_keeps_real_nulls_of_the_tool_schemas(runs, tmp_path):
    pytest.importorskip("datasets", reason="datasets is not installed (pip install 'writ[export]')")
    _export(runs, tmp_path / "t", "trl", val_fraction=0)
    mock_rows = [i for i, r in enumerate(read_jsonl(tmp_path / "t" / "train.jsonl")) if r["domain"] == "mock"]
    loaded = load_trl(tmp_path / "t")
    schema = next(t for t in loaded[mock_rows[0]]["tools"] if t["function"]["name"] == "create_task")
    assert schema["function"]["parameters"]["properties"]["description"]["default"] is None  # a real null, kept


def test_sharegpt_follows_llama_factory(runs, tmp_path):
    result = _export(runs, tmp_path / "s", "sharegpt")
    rows = _jsonl_rows(tmp_path / "s")
    assert result.manifest["sharegpt"]["greetings_dropped"] == len(rows)
    for row in rows:
        turns = row["conversations"]
        assert turns[0]["from"] == "system" and turns[0]["value"] in {d.policy for d in DOMAINS.values()}
        body = turns[1:]
        assert len(body) % 2 == 0 and body[0]["from"] == "human"
        for k, turn in enumerate(body):
            assert turn["from"] in (("human", "observation"), ("gpt", "function_call"))[k % 2]
            assert isinstance(turn["value"], str)
            if turn["from"] == "function_call":
                call = json.loads(turn["value"])
                assert set(call) == {"name", "arguments"} and isinstance(call["arguments"], dict)
        tools = json.loads(row["tools"])
        assert all({"name", "description", "parameters"} <= set(t) for t in tools)


def test_parquet_shards_and_card(runs, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is not installed (pip install 'writ[export]')")
    out = tmp_path / "p"
    result = _export(runs, out, "parquet", max_rows_per_shard=7)
    counts = result.manifest["counts"]
    for split in ("train", "validation"):
        shards = sorted((out / "data").glob(f"{split}-*.parquet"))
        n = len(shards)
        assert n == -(-counts[split] // 7) and n >= 1
        assert [s.name for s in shards] == [f"{split}-{i:05d}-of-{n:05d}.parquet" for i in range(n)]
        table = pq.read_table(shards[0])
        assert table.column_names == ["id", "task_id", "stem", "domain", "n_writes", "evidence", "behaviours",
                                      "turns", "tokens", "messages", "tools"]
        assert str(table.schema.field("n_writes").type) == "int64"
        assert sum(pq.read_table(s).num_rows for s in shards) == counts[split]
        row = table.slice(0, 1).to_pylist()[0]
        assert json.loads(row["messages"])[0]["role"] == "system" and json.loads(row["tools"])
    card = (out / "README.md").read_text()
    assert card.startswith("---\n")
    header = yaml.safe_load(card.split("---\n")[1])
    assert header["license"] == "mit" and header["task_categories"] == ["text-generation"]
    assert header["size_categories"] == ["n<1K"] and "tool-calling" in header["tags"]
    files = {f["split"]: f["path"] for f in header["configs"][0]["data_files"]}
    assert files == {"train": "data/train-*.parquet", "validation": "data/validation-*.parquet"}
    for heading in ("## Counts", "### Writes x evidence", "### User behaviours", "### Length per trajectory",
                    "## Loading", "## Generation config", '"spec": "scripted"'):
        assert heading in card
    assert "| retail |" in card and "| telecom |" in card


def test_trl_card_documents_load_trl(runs, tmp_path):
    _export(runs, tmp_path / "t", "trl")
    card = (tmp_path / "t" / "README.md").read_text()
    header = yaml.safe_load(card.split("---\n")[1])
    assert {f["path"] for f in header["configs"][0]["data_files"]} == {"train.jsonl", "validation.jsonl"}
    assert "load_trl" in card and "null" in card


def test_parallel_calls_and_text_with_a_call_in_every_format():
    """What LLM agents do and the scripted teacher never does: two calls in a turn, words with a call."""
    data = DOMAINS["mock"]
    call = lambda i, name, args: {"id": f"c{i}", "type": "function",  # noqa: E731
                                  "function": {"name": name, "arguments": json.dumps(args)}}
    messages = [
        {"role": "assistant", "content": "Hi! How can I help?"},
        {"role": "user", "content": "Show me task_1 and task_2, then add 'Item 9' for user_1."},
        {"role": "assistant", "content": None, "tool_calls": [call(1, "get_task", {"task_id": "task_1"}),
                                                              call(2, "get_task", {"task_id": "task_2"})]},
        {"role": "tool", "tool_call_id": "c1", "name": "get_task", "content": "{\"task_id\": \"task_1\"}"},
        {"role": "tool", "tool_call_id": "c2", "name": "get_task", "content": "{\"task_id\": \"task_2\"}"},
        {"role": "assistant", "content": "Both found. Shall I create 'Item 9' for user_1?"},
        {"role": "user", "content": "Yes."},
        {"role": "assistant", "content": "Creating it now.", "tool_calls": [
            call(3, "create_task", {"user_id": "user_1", "title": "Item 9", "description": None})]},
        {"role": "tool", "tool_call_id": "c3", "name": "create_task", "content": "{\"task_id\": \"task_9\"}"},
        {"role": "assistant", "content": "Done."},
        {"role": "user", "content": "Thanks! ###STOP###"},
    ]
    task = Task.model_validate({"id": "p-1", "user_scenario": {"instructions": {"domain": "mock"}}})
    record = build_record(Episode("p-1", 0, "mock", messages=messages), task, DomainContext.of(data),
                          weights="writes")
    assert record.turns == 5 and record.n_writes == 0 and record.weights == {1: 0, 3: 0, 6: 1, 8: 1, 10: 0}
    oa = openai_row(record)["messages"]
    assert oa[8]["content"] == "Creating it now." and len(oa[3]["tool_calls"]) == 2 and "content" not in oa[3]
    assert json.loads(oa[8]["tool_calls"][0]["function"]["arguments"])["description"] is None  # a real null
    trl = trl_row(record)["messages"]
    assert trl[3]["tool_calls"][1]["function"]["arguments"] == {"task_id": "task_2"}
    assert trl[8]["content"] == "Creating it now." and trl[8]["tool_calls"][0]["function"]["arguments"] == {
        "user_id": "user_1", "title": "Item 9", "description": None}
    stats = ShareGPTStats()
    turns = sharegpt_row(record, stats)["conversations"]
    assert [t["from"] for t in turns] == ["system", "human", "function_call", "observation", "gpt", "human",
                                          "function_call", "observation", "gpt"]
    assert [c["arguments"]["task_id"] for c in json.loads(turns[2]["value"])] == ["task_1", "task_2"]
    assert (turns[3]["value"]
            == "{\"task_id\": \"task_1\"}\n</tool_response>\n<tool_response>\n{\"task_id\": \"task_2\"}")
    assert stats.to_json() == {"greetings_dropped": 1, "texts_dropped": 1}

"""`writ synth` end to end, offline: the README's main job."""

from __future__ import annotations

import json

import pytest

from writ.synth import load_config, run_synth

TOOL_TEMPLATE = (
    "{% if tools %}<tools>{% for t in tools %}{{ t | tojson }}\n{% endfor %}</tools>\n{% endif %}"
    "{% for m in messages %}<|{{ m.role }}|>{% if m.content %}{{ m.content }}{% endif %}"
    "{% if m.tool_calls %}{% for c in m.tool_calls %}<call>{{ c.function.name }} {{ c.function.arguments | tojson }}</call>"
    "{% endfor %}{% endif %}\n{% endfor %}"
)


def _synth(tmp_path, name, **overrides):
    cfg = load_config(None, {"out": str(tmp_path / name), "domains": ["retail"], **overrides})
    return run_synth(cfg, progress=False, say=lambda line: None)


@pytest.mark.slow
def test_synth_retail_200_offline_loads_in_datasets_and_renders(tmp_path):
    result = _synth(tmp_path, "job", **{"tasks.n": 200})
    assert result.tasks == 200 and result.kept == 200
    assert (result.out / "report.html").is_file()
    datasets = pytest.importorskip("datasets", reason="the export extra (datasets) is not installed")
    from writ.export import load_trl

    train = load_trl(result.out / "export" / "trl", split="train")
    assert len(train) > 150
    row = train[0]
    assert row["messages"][0]["role"] == "system" and row["tools"]
    transformers = pytest.importorskip("transformers", reason="the hf extra (transformers) is not installed")
    from transformers.utils.chat_template_utils import render_jinja_template

    rendered, _ = render_jinja_template(conversations=[row["messages"]], tools=row["tools"], chat_template=TOOL_TEMPLATE)
    assert "<tools>" in rendered[0] and "<call>" in rendered[0]
    calls = [c.split("</call>")[0] for c in rendered[0].split("<call>")[1:]]
    assert calls and not any("null" in c for c in calls)  # no Arrow padding in arguments
    openai_rows = [json.loads(l) for l in (result.out / "export" / "openai" / "train.jsonl").read_text().splitlines()]
    assert all(r["messages"][0]["content"] for r in openai_rows)
    assert isinstance(datasets.load_dataset("json", data_files=str(result.out / "export" / "openai" / "train.jsonl"))["train"], object)


def test_same_seed_same_dataset_and_rerun_resumes(tmp_path):
    a = _synth(tmp_path, "a", **{"tasks.n": 12, "users.variants": 2})
    b = _synth(tmp_path, "b", **{"tasks.n": 12, "users.variants": 2})
    for fmt in ("openai", "trl"):
        for split in ("train.jsonl", "validation.jsonl"):
            assert (a.out / "export" / fmt / split).read_bytes() == (b.out / "export" / fmt / split).read_bytes()
    again = _synth(tmp_path, "a", **{"tasks.n": 12, "users.variants": 2})
    assert again.kept == a.kept and again.episodes == a.episodes


def test_example_configs_validate():
    from pathlib import Path

    configs = sorted((Path(__file__).resolve().parents[2] / "configs").glob("synth-*.yaml"))
    assert configs
    for path in configs:
        cfg = load_config(path)
        assert cfg.domains and cfg.tasks.n > 0

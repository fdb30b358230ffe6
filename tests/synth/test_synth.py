"""`writ synth` end to end, offline: the README's main job."""

from __future__ import annotations

import json

import pytest

from writ.synth import load_config, run_synth

TOOL_TEMPLATE = (
    "{% if tools %}<tools>{% for t in tools %}{{ t | tojson }}\n{% endfor %}</tools>\n{% endif %}"
    "{% for m in messages %}<|{{ m.role }}|>{% if m.content %}{{ m.content }}{% endif %}"
    "{% if m.tool_calls %}{% for c in m.tool_calls %}<call>{{ c.function.name }} {{ c.function.arguments | tojson "
    "}}</call>{% endfor %}{% endif %}\n{% endfor %}"
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
    pytest.importorskip("transformers", reason="the hf extra (transformers) is not installed")
    from transformers.utils.chat_template_utils import render_jinja_template

    rendered, _ = render_jinja_template(conversations=[row["messages"]], tools=row["tools"],
                                        chat_template=TOOL_TEMPLATE)
    assert "<tools>" in rendered[0] and "<call>" in rendered[0]
    calls = [c.split("</call>")[0] for c in rendered[0].split("<call>")[1:]]
    assert calls and not any("null" in c for c in calls)  # no Arrow padding in arguments
    openai_rows = [json.loads(line)
                   for line in (result.out / "export" / "openai" / "train.jsonl").read_text().splitlines()]
    assert all(r["messages"][0]["content"] for r in openai_rows)
    assert isinstance(datasets.load_dataset("json", data_files=str(result.out / "export" / "openai"
                                                                   / "train.jsonl"))["train"], object)


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


def test_model_params_per_side_in_the_config_and_flat_flags_for_both(tmp_path):
    from writ.synth import ConfigError

    cfg = load_config(None, {"simulate.agent_params.temperature": 0.2, "simulate.user_params.max_tokens": 32,
                             "simulate.cache": "c.db", "simulate.progress_every": 5})
    assert cfg.simulate.agent_params.temperature == 0.2 and cfg.simulate.agent_params.max_tokens is None
    assert cfg.simulate.user_params.max_tokens == 32 and cfg.simulate.progress_every == 5
    with pytest.raises(ConfigError, match=r"^flags: simulate.agent_params.temperature: .*less than or equal to 2"):
        load_config(None, {"simulate.agent_params.temperature": 9})
    with pytest.raises(ConfigError, match=r"simulate.user_params.temprature: Extra inputs are not permitted"):
        load_config(None, {"simulate.user_params.temprature": 0.1})


def test_synth_sends_the_configured_settings_and_flags_override_them(tmp_path, capsys):
    from tests.models.helpers import RecordingServer
    from writ.cli import main
    from writ.models import ScriptedBackend, serve_in_thread

    with serve_in_thread(ScriptedBackend(["OK, one moment."], name="m"), server_cls=RecordingServer) as server:
        config = tmp_path / "job.yaml"
        config.write_text(
            f"domains: [retail]\nout: {tmp_path / 'job'}\nreport: false\n"
            "tasks: {n: 2, writes: '1-1', evidence: '0-1'}\n"
            f"users: {{variants: 0}}\nexport: {{formats: [openai]}}\n"
            f"simulate:\n  agent: openai:m\n  base_url: {server.base_url}\n  attempts: 1\n  max_steps: 8\n"
            "  agent_params: {temperature: 0.25, max_tokens: 32, extra_body: {top_k: 5}}\n")
        try:  # the canned agent keeps nothing, so the export stage ends the job (exit 2): what matters is sent
            main(["synth", "--config", str(config), "--temperature", "0.4", "--no-progress"])
        except SystemExit:
            pass
        sent = server.sampling()
    assert sent and all(b["temperature"] == 0.4 and b["max_tokens"] == 32 and b["top_k"] == 5 for b in sent)
    assert len({b["seed"] for b in sent}) == len(sent)
    err = " ".join(capsys.readouterr().err.split())  # (rich wraps long lines when stderr is not a terminal)
    assert "simulate: rejected by state x" in err and "no price known for m" in err


def test_synth_refuses_a_scripted_teacher_with_an_llm_user(tmp_path, capsys):
    from writ.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["synth", "--domain", "retail", "--n", "2", "--user", "openai:m", "--out", str(tmp_path / "j")])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and err.startswith("writ: error: --agent scripted needs --user scripted")


def test_a_job_made_with_a_relative_tau2_folder_exports_from_anywhere(tmp_path, monkeypatch):
    """The run records absolute data folders: `writ export`/`verify` are often run from elsewhere."""
    from tests.conftest import tau2_dir
    from writ.cli import main

    tau2 = tau2_dir()
    monkeypatch.chdir(tau2.parent)
    _synth(tmp_path, "job", **{"tasks.n": 3, "data.tau2_data": tau2.name})
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        main(["export", str(tmp_path / "job" / "run"), "--format", "openai", "--out", str(tmp_path / "again")])
    assert exit_.value.code in (0, None)
    assert len((tmp_path / "again" / "train.jsonl").read_text().splitlines()) + len(
        (tmp_path / "again" / "validation.jsonl").read_text().splitlines()) == 3

"""`agent_prompt:` and `policy:` in a synth config: per domain, into every record, checked up front."""

from __future__ import annotations

import json

import pytest

from tests.agents.test_prompt import tau2_prompt
from tests.conftest import TAU2
from writ.agents.prompt import PromptError
from writ.export import read_jsonl
from writ.synth import load_config, run_synth


def test_a_config_maps_prompt_files_to_domains(tmp_path):
    prompts = {d: str(tau2_prompt(d)) for d in ("retail", "airline")}
    config = tmp_path / "job.yaml"
    config.write_text(f"""
domains: [retail, airline]
out: {tmp_path / 'job'}
data: {{scale: 0.3}}
agent_prompt: {json.dumps(prompts)}
policy: {{airline: {TAU2 / 'airline' / 'policy.md'}}}
tasks: {{n: 3, writes: 1-2, evidence: 0-2}}
users: {{variants: 0}}
export: {{formats: [trl]}}
report: false
""", encoding="utf-8")
    result = run_synth(load_config(config), progress=False, say=lambda line: None)
    assert result.kept >= 4
    rows = [r for split in ("train", "validation") if (result.out / "export" / "trl" / f"{split}.jsonl").is_file()
            for r in read_jsonl(result.out / "export" / "trl" / f"{split}.jsonl")]
    for domain in ("retail", "airline"):
        raw = json.loads(tau2_prompt(domain).read_text(encoding="utf-8"))
        mine = [r for r in rows if r["domain"] == domain]
        assert mine and all(r["tools"] == raw["agent_tools"] for r in mine)
        systems = {r["messages"][0]["content"] for r in mine}
        [system] = systems
        assert system.startswith(raw["system_prompt_template"].split("{policy}")[0])
    airline_policy = (TAU2 / "airline" / "policy.md").read_text(encoding="utf-8")
    assert all(airline_policy in r["messages"][0]["content"] for r in rows if r["domain"] == "airline")
    assert not any(airline_policy in r["messages"][0]["content"] for r in rows if r["domain"] == "retail")


def test_a_config_prompt_that_does_not_fit_stops_before_anything_is_written(tmp_path):
    cfg = load_config(None, {"out": str(tmp_path / "job"), "domains": ["retail", "telecom"],
                             "agent_prompt": str(tau2_prompt("retail"))})
    with pytest.raises(PromptError, match=r"names no domain, and this run has 2 \(retail, telecom\)"):
        run_synth(cfg, progress=False, say=lambda line: None)
    assert not (tmp_path / "job").exists()

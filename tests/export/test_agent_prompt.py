"""The issue's acceptance check: data made with tau2-bench's agent prompt files, through the CLI.

For retail, airline and telecom, `writ synth --tau2-data ../shared/tau2 --agent-prompt
<domain>/tau2_agent_prompt.json` (scripted teacher and user) must export records whose system
message is tau2's (the template filled with ``<domain>/policy.md``, byte for byte) and whose
``tools`` are the file's ``agent_tools``; every tool call in them, and every device call of the
telecom user, must fit the file's schemas. A prompt file that does not fit is refused in one line
with nothing written.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.agents.test_prompt import tau2_prompt, write_prompt
from tests.cli.test_cli import one_line_error
from tests.conftest import TAU2, tau2_dir
from writ.export import load_trl, read_jsonl
from writ.sim import RunStore


def writ(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "writ", *args], capture_output=True, text=True, timeout=600)


def tau2_system(domain: str, policy: Path | None = None) -> str:
    template = json.loads(tau2_prompt(domain).read_text(encoding="utf-8"))["system_prompt_template"]
    head, tail = template.split("{policy}")
    return head + (policy or TAU2 / domain / "policy.md").read_text(encoding="utf-8") + tail


def fits(call: dict[str, Any], schemas: dict[str, dict]) -> str | None:
    """Why a recorded call does not fit the file's schema of its tool (None if it does)."""
    name = call["function"]["name"]
    if name not in schemas:
        return f"{name}: not in the file"
    args = call["function"]["arguments"]
    args = json.loads(args) if isinstance(args, str) else args
    params = schemas[name]["function"]["parameters"]
    unknown = set(args) - set(params.get("properties", {}))
    missing = set(params.get("required", [])) - set(args)
    return f"{name}: unknown {sorted(unknown)}, missing {sorted(missing)}" if unknown or missing else None


def rows(folder: Path) -> list[dict[str, Any]]:
    return [row for split in ("train", "validation") if (folder / f"{split}.jsonl").is_file()
            for row in read_jsonl(folder / f"{split}.jsonl")]


@pytest.mark.parametrize("domain", ["retail", "airline", "telecom"])
def test_every_record_carries_tau2s_system_message_and_tools(domain, tmp_path):
    prompt_path = tau2_prompt(domain)
    prompt = json.loads(prompt_path.read_text(encoding="utf-8"))
    job = tmp_path / "job"
    proc = writ("synth", "--domain", domain, "--n", "8", "--variants", "1", "--tau2-data", str(tau2_dir()),
                "--agent-prompt", str(prompt_path), "--out", str(job), "--no-progress", "--seed", "1")
    assert proc.returncode == 0, proc.stderr
    system = tau2_system(domain)
    openai = rows(job / "export" / "openai")
    assert len(openai) >= 8, f"{domain}: only {len(openai)} records"
    tools_text = json.dumps(prompt["agent_tools"], ensure_ascii=False)
    schemas = {t["function"]["name"]: t for t in prompt["agent_tools"]}
    for row in openai:
        assert row["messages"][0] == {"role": "system", "content": system}
        assert json.dumps(row["tools"], ensure_ascii=False) == tools_text  # byte for byte, key order included
        for m in row["messages"]:
            for call in m.get("tool_calls") or []:
                assert fits(call, schemas) is None, fits(call, schemas)
    train = load_trl(job / "export" / "trl", split="train")
    assert (len(train)
            and all(r["messages"][0]["content"] == system and r["tools"] == prompt["agent_tools"] for r in train))

    manifest = json.loads((job / "export" / "openai" / "manifest.json").read_text())
    [setup] = manifest["agent_setups"]
    assert setup["system_prompt"]["sha256"] == hashlib.sha256(system.encode()).hexdigest()
    assert setup["tools"]["sha256"] == hashlib.sha256(tools_text.encode()).hexdigest()
    assert setup["agent_prompt_file"]["sha256"] == hashlib.sha256(prompt_path.read_bytes()).hexdigest()
    assert sum(setup["records"].values()) == len(openai)
    card = (job / "export" / "openai" / "README.md").read_text()
    assert setup["system_prompt"]["sha256"] in card and setup["tools"]["sha256"] in card

    if domain == "telecom":  # the user's own device calls never reach the export; they must fit too
        user_schemas = {t["function"]["name"]: t for t in prompt["user_tools"]}
        with RunStore.read(job / "run") as store:
            calls = [c for e in store.episodes(passed=True) for m in e.messages if m["role"] == "user"
                     for c in m.get("tool_calls") or []]
        assert calls and all(fits(c, user_schemas) is None for c in calls)


def test_tau2_policy_on_a_generated_database(tmp_path):
    prompt_path = tau2_prompt("retail")
    policy = TAU2 / "retail" / "policy.md"
    proc = writ("synth", "--domain", "retail", "--n", "4", "--variants", "0", "--agent-prompt", f"retail={prompt_path}",
                "--policy", str(policy), "--out", str(tmp_path / "job"), "--no-progress", "--format", "openai")
    assert proc.returncode == 0, proc.stderr
    records = rows(tmp_path / "job" / "export" / "openai")
    assert records and all(r["messages"][0]["content"] == tau2_system("retail", policy) for r in records)
    [setup] = json.loads((tmp_path / "job" / "export" / "openai" / "manifest.json").read_text())["agent_setups"]
    assert setup["policy"]["source"] == str(policy.resolve())


def test_export_writes_a_scripted_run_with_per_domain_prompts(runs, tmp_path):
    """The shared export run mixes retail, telecom and mock: the file fits retail only, so DOMAIN= is needed."""
    prompt_path = tau2_prompt("retail")
    out = tmp_path / "o"
    error = one_line_error(writ("export", str(runs[0]), "--out", str(out), "--agent-prompt", str(prompt_path)))
    assert "does not fit domain mock: agent tool create_task is missing" in error and not out.exists()
    proc = writ("export", str(runs[0]), "--out", str(out), "--format", "trl", "--agent-prompt", f"retail={prompt_path}")
    assert proc.returncode == 0, proc.stderr
    records = rows(out)
    by_domain: dict[str, list] = {}
    for r in records:
        by_domain.setdefault(r["domain"], []).append(r)
    tools = json.loads(prompt_path.read_text(encoding="utf-8"))["agent_tools"]
    assert all(r["tools"] == tools and r["messages"][0]["content"].startswith("<instructions>")
               for r in by_domain["retail"])
    assert all(r["tools"] != tools and not r["messages"][0]["content"].startswith("<instructions>")
               for d in ("telecom", "mock") for r in by_domain[d])
    setups = json.loads((out / "manifest.json").read_text())["agent_setups"]
    assert sorted(s["domain"] for s in setups) == ["mock", "retail", "telecom"]


@pytest.mark.parametrize("command", ["export", "synth"])
def test_a_prompt_that_does_not_fit_is_refused_and_nothing_is_written(runs, tmp_path, command):
    bad = write_prompt(tmp_path, "retail", lambda agent, user: agent.pop(0))
    out = tmp_path / "out"
    if command == "export":
        proc = writ("export", str(runs[0]), "--out", str(out), "--agent-prompt", f"retail={bad}")
    else:
        proc = writ("synth", "--domain", "retail", "--n", "2", "--out", str(out), "--agent-prompt", str(bad))
    error = one_line_error(proc)
    assert error.startswith("writ: error: ") and "does not fit domain retail: agent tool calculate is missing" in error
    assert not out.exists()

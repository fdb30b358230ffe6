"""The command line as a user meets it: real subprocesses, one-line errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import tau2_dir


def writ(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "writ", *args], capture_output=True, text=True, cwd=cwd, timeout=600)


def one_line_error(proc: subprocess.CompletedProcess, code: int = 2) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_domains_lists_every_domain():
    proc = writ("domains", "--json")
    assert proc.returncode == 0, proc.stderr
    rows = {r["name"]: r for r in json.loads(proc.stdout)}
    assert set(rows) == {"airline", "retail", "telecom", "mock", "banking_knowledge"}
    assert rows["banking_knowledge"]["agent_tools"]["unlock_discoverable_agent_tool"] == "generic"
    assert rows["retail"]["agent_tools"]["cancel_pending_order"] == "write"
    assert rows["telecom"]["user_tools"]["toggle_airplane_mode"] == "write"


def test_replay_tau2_retail_writes_one_line_per_task(tmp_path):
    tau2 = tau2_dir()
    out = tmp_path / "replay.jsonl"
    proc = writ("replay", "--domain", "retail", "--tau2-data", str(tau2), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 114
    assert all(len(r["outputs"]) == len(r["errors"]) for r in rows)
    assert all(len(r["final_db_hash"]) == 64 and r["final_user_db_hash"] is None for r in rows)


def test_db_generate_is_deterministic_and_loads_back(tmp_path):
    for d in ("a", "b"):
        proc = writ("db", "generate", "--domain", "retail", "--seed", "7", "--scale", "0.2", "--out", str(tmp_path / d))
        assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "a" / "db.json").read_bytes() == (tmp_path / "b" / "db.json").read_bytes()
    proc = writ("check", "--domain", "retail", "--data", str(tmp_path / "a"))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_check_every_domain_on_generated_data():
    proc = writ("check", "--scale", "0.2")
    assert proc.returncode == 0, proc.stdout
    assert "FAIL" not in proc.stdout


def test_tasks_generate_and_stats(tmp_path):
    out = tmp_path / "tasks.json"
    proc = writ("tasks", "generate", "--domain", "retail", "--n", "20", "--writes", "1-3", "--evidence", "0-6",
                "--out", str(out), "--scale", "0.3")
    assert proc.returncode == 0, proc.stderr
    again = tmp_path / "again.json"
    writ("tasks", "generate", "--domain", "retail", "--n", "20", "--writes", "1-3", "--evidence", "0-6",
         "--out", str(again), "--scale", "0.3")
    assert out.read_bytes() == again.read_bytes()
    stats = json.loads(writ("tasks", "stats", str(out), "--json").stdout)
    assert stats["tasks"] == 20 and stats["generation"]["produced"] == 20
    assert set(stats["writes_axis"]) <= {0, 1, 2, 3}  # 0: tasks whose right outcome has no write
    assert sum(stats["outcomes"].values()) == 20 and stats["outcomes"].get("write", 0) >= 14
    only = tmp_path / "writes.json"
    writ("tasks", "generate", "--domain", "retail", "--n", "20", "--writes", "1-3", "--evidence", "0-6",
         "--outcomes", "write=1", "--out", str(only), "--scale", "0.3")
    assert set(json.loads(writ("tasks", "stats", str(only), "--json").stdout)["writes_axis"]) <= {1, 2, 3}
    bad = writ("tasks", "generate", "--domain", "retail", "--outcomes", "write=1,maybe=2", "--out", str(only))
    assert bad.returncode == 2 and "unknown outcome 'maybe'" in bad.stderr


@pytest.mark.parametrize("args,needle", [
    (["tasks", "generate", "--domain", "retail", "--writes", "9-3"], "range is empty"),
    (["tasks", "generate", "--domain", "bakery"], "unknown domain 'bakery'"),
    (["replay", "--domain", "retail", "--tau2-data", "/nonexistent"], "/nonexistent: no such directory"),
    (["replay", "--domain", "retail", "--tasks", "/nonexistent.json"], "no such tasks file"),
    (["db", "generate", "--domain", "retail", "--scale", "-1", "--out", "x"], "--scale must be positive"),
    (["users", "diversify", "/nonexistent.json"], "no such tasks file"),
])
def test_bad_input_is_one_line_exit_2(args, needle, tmp_path):
    line = one_line_error(writ(*args, cwd=tmp_path))
    assert needle in line


def test_malformed_database_names_the_file(tmp_path):
    folder = tmp_path / "retail"
    folder.mkdir()
    (folder / "db.json").write_text('{"products": {}, "users": {"u": {"user_id": 3}}, "orders": {}}')
    line = one_line_error(writ("replay", "--domain", "retail", "--data", str(tmp_path), "--tasks", "x.json"))
    assert "db.json" in line and "schema violation" in line
    (folder / "db.json").write_text("{not json")
    line = one_line_error(writ("replay", "--domain", "retail", "--data", str(tmp_path), "--tasks", "x.json"))
    assert "db.json" in line and "malformed JSON" in line


def test_synth_config_errors_are_one_line(tmp_path):
    (tmp_path / "bad.yaml").write_text("tasks:\n  n: -3\n")
    line = one_line_error(writ("synth", "--config", str(tmp_path / "bad.yaml"), "--no-progress"))
    assert "tasks.n" in line
    (tmp_path / "typo.yaml").write_text("taskz: {}\n")
    line = one_line_error(writ("synth", "--config", str(tmp_path / "typo.yaml"), "--no-progress"))
    assert "taskz" in line


def test_check_on_tau2_data_exits_0_for_every_domain_and_prints_whole_lines():
    proc = writ("check", "--tau2-data", str(tau2_dir()))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "FAIL" not in proc.stdout
    warnings = [line for line in proc.stdout.splitlines() if line.startswith("warn")]
    assert len(warnings) == 1 and "HAT018" in warnings[0] and warnings[0].endswith("before 'today')")  # not folded
    for domain in ("airline", "retail", "telecom", "mock"):
        assert f"ok   {domain}: database invariants hold" in proc.stdout

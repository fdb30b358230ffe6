"""`writ verify` on a trajectories file: per-item reasons, the rest verified, exit codes."""

from __future__ import annotations

import copy
import json

from tests.cli.test_cli import writ
from tests.verify.conftest import cancel_task as _cancel_task
from tests.verify.conftest import play
from writ.data import load_data
from writ.task import save_tasks


def test_verify_trajectories_file_reports_bad_items_and_verifies_the_rest(tmp_path):
    data = load_data("retail", seed=3, scale=0.3)
    task = _cancel_task(data)
    task.writ["db_source"] = data.source
    episode = play(data, task)
    bad = copy.deepcopy(episode)
    bad.attempt = 1
    for m in bad.messages:
        for c in m.get("tool_calls") or []:
            if c["function"]["name"] == "cancel_pending_order":
                arguments = c["function"]["arguments"]
                c["function"]["arguments"] = arguments.replace("no longer needed", "ordered by mistake")
    orphan = copy.deepcopy(episode)
    orphan.task_id = "no-such-task"
    lines = [json.dumps(episode.to_json()), "{corrupt", json.dumps(bad.to_json()), json.dumps(orphan.to_json())]
    (tmp_path / "traj.jsonl").write_text("\n".join(lines) + "\n")
    save_tasks([task], tmp_path / "tasks.json")
    proc = writ("verify", str(tmp_path / "traj.jsonl"), "--tasks", str(tmp_path / "tasks.json"), "--json")
    assert proc.returncode == 0, proc.stderr
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    verdicts, summary = out[:-1], out[-1]["summary"]
    assert [v["passed"] for v in verdicts] == [True, False]
    assert verdicts[1]["checks"]["state"]["passed"] is False
    assert summary["verified"] == 2 and summary["kept"] == 1
    assert any("line 2" in s for s in summary["skipped"]) and any("no-such-task" in s for s in summary["skipped"])
    only_bad = tmp_path / "bad.jsonl"
    only_bad.write_text("{corrupt\n")
    proc = writ("verify", str(only_bad), "--tasks", str(tmp_path / "tasks.json"))
    assert proc.returncode == 2 and "writ: error: " in proc.stderr and "no episode could be verified" in proc.stderr


def test_verify_prints_the_summary_first_and_limits_the_episode_lines(tmp_path):
    data = load_data("retail", seed=3, scale=0.3)
    task = _cancel_task(data)
    task.writ["db_source"] = data.source
    episode = play(data, task)
    lines = [json.dumps(episode.to_json())]
    for attempt in range(1, 26):  # 25 rejected copies: the stop message is gone, so protocol fails
        bad = copy.deepcopy(episode)
        bad.attempt, bad.termination = attempt, "max_steps"
        lines.append(json.dumps(bad.to_json()))
    (tmp_path / "traj.jsonl").write_text("\n".join(lines) + "\n")
    save_tasks([task], tmp_path / "tasks.json")
    proc = writ("verify", str(tmp_path / "traj.jsonl"), "--tasks", str(tmp_path / "tasks.json"))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.splitlines()
    assert out[0].startswith("26 episodes verified: 1 kept, 25 rejected")
    assert sum(line.startswith("rejected") for line in out) == 20 and not any(line.startswith("kept") for line in out)
    assert out[-1].startswith("... and 5 more rejected")
    listed = writ("verify", str(tmp_path / "traj.jsonl"), "--tasks", str(tmp_path / "tasks.json"), "--list").stdout
    assert listed.splitlines()[0] == out[0] and listed.count("\nrejected") == 25 and listed.count("\nkept") == 1

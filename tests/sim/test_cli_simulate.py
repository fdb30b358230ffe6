"""`writ simulate`: one-line errors with exit code 2, and resuming after ``kill -9``."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.sim.conftest import mock_tasks, write_tasks_file
from writ.cli import main
from writ.sim import RunStore


def cli(*args: str) -> int:
    try:
        main(["simulate", *args])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_runs_and_prints_a_summary(tmp_path, capsys):
    tasks = write_tasks_file(tmp_path / "tasks.json", mock_tasks(6))
    assert cli(str(tasks), "--run", str(tmp_path / "r"), "--no-progress") == 0
    err = capsys.readouterr().err
    assert "6 tasks, 6 kept, 0 failed" in err and "ep/s" in err and "cost $0.0000" in err


def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys):
    tasks = write_tasks_file(tmp_path / "tasks.json", mock_tasks(3))
    bare = write_tasks_file(tmp_path / "bare.json", mock_tasks(3, with_source=False))
    (tmp_path / "bare.json").write_text((tmp_path / "bare.json").read_text().replace('"domain": "mock", ', ""))
    run = str(tmp_path / "r")
    cases = [
        ((str(tmp_path / "missing.json"), "--run", run), "no such tasks file"),
        ((str(tasks), "--run", run, "--agent", "gpt4"), "bad --agent spec 'gpt4'"),
        ((str(tasks), "--run", run, "--user", "guided:openai:m"), "guided: applies to the agent only"),
        ((str(tasks), "--run", run, "--attempts", "0"), "--attempts must be at least 1"),
        ((str(tasks), "--run", run, "--concurrency", "0"), "--concurrency must be at least 1"),
        ((str(tasks), "--run", run, "--tau2-data", "a", "--data", "b"), "either --tau2-data or --data"),
        ((str(bare), "--run", run), "names no domain; pass --domain"),
    ]
    for args, expected in cases:
        assert cli(*args, "--no-progress") == 2, args
        err = capsys.readouterr().err
        assert err.startswith("writ: error: ") and expected in err and err.count("\n") == 1, err
    assert cli(str(bare), "--run", run, "--domain", "mock", "--no-progress") == 0


def test_another_config_is_refused_unless_forced(tmp_path, capsys):
    tasks = str(write_tasks_file(tmp_path / "tasks.json", mock_tasks(3)))
    run = str(tmp_path / "r")
    assert cli(tasks, "--run", run, "--no-progress") == 0
    assert cli(tasks, "--run", run, "--no-progress") == 0  # the same config resumes (nothing left to do)
    capsys.readouterr()
    assert cli(tasks, "--run", run, "--max-steps", "6", "--no-progress") == 2
    err = capsys.readouterr().err
    assert "limits differ" in err and "--force" in err and err.count("\n") == 1
    assert cli(tasks, "--run", run, "--seed", "1", "--no-progress") == 2
    assert cli(tasks, "--run", run, "--max-steps", "6", "--force", "--no-progress") == 0
    with RunStore.read(run) as store:
        assert store.config["limits"]["max_steps"] == 6 and store.counts()["failed"] == 6


def _count(db) -> int:
    if not os.path.exists(db):  # (connecting would create an empty file under the running writ)
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM episodes").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def _outcomes(run_dir) -> dict:
    with RunStore.read(run_dir) as store:
        return {(e.task_id, e.attempt): (e.messages, e.termination, e.passed) for e in store.episodes()}


@pytest.mark.slow
def test_resume_after_kill_9_equals_an_uninterrupted_run(tmp_path):
    # 300 tasks under --max-steps 6: questions pass at once, writes fail three times -> 700 episodes
    tasks = write_tasks_file(tmp_path / "tasks.json", mock_tasks(300))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}

    def command(run_dir):
        return [sys.executable, "-m", "writ", "simulate", str(tasks), "--run", str(run_dir), "--max-steps", "6",
                "--concurrency", "8", "--no-progress"]

    cut = tmp_path / "cut"
    proc = subprocess.Popen(command(cut), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while _count(cut / "run.db") < 40:
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "no episodes committed within 60 s"
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    committed = _count(cut / "run.db")
    assert 40 <= committed < 700, "the run should have been killed midway"

    resumed = subprocess.run(command(cut), env=env, capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert f"700 ({committed} from before)" in resumed.stderr
    whole = subprocess.run(command(tmp_path / "whole"), env=env, capture_output=True, text=True, timeout=120)
    assert whole.returncode == 0, whole.stderr

    after, reference = _outcomes(cut), _outcomes(tmp_path / "whole")
    assert set(after) == set(reference) and len(reference) == 700
    assert after == reference

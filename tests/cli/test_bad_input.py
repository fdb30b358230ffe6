"""Bad input over every command: one line ``writ: error: ...``, exit 2, the culprit named, nothing written.

Each case runs the real command line in this process (`writ.cli.main`) inside a scratch folder
holding the usual suspects: a file where a folder is wanted, a non-empty folder, binary garbage,
a tasks file with a duplicate id, tasks of another domain, a finished run. After every case the
folder must hold exactly what it held before: a refused command writes nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from pathlib import Path

import pytest

from tests.sim.conftest import mock_tasks, write_tasks_file
from writ.cli import main
from writ.sim import DataResolver, make_agent_factory, make_user_factory, simulate


def run_cli(args: list[str]) -> int:
    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def snapshot(root: Path) -> dict[str, str]:
    out = {}
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        out[rel] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return out


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory) -> Path:
    run = tmp_path_factory.mktemp("finished") / "run"
    asyncio.run(simulate(mock_tasks(3), resolve_data=DataResolver("mock"), agent_factory=make_agent_factory("scripted"),
                         user_factory=make_user_factory("scripted"), run_dir=run, progress=False))
    return run


@pytest.fixture
def workspace(tmp_path, monkeypatch, finished_run) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("not a folder\n")
    (tmp_path / "adir").mkdir()
    (tmp_path / "adir" / "keep.txt").write_text("someone's file\n")
    (tmp_path / "garbage.bin").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "broken.json").write_text("[1, 2")
    (tmp_path / "object.json").write_text("{}")
    (tmp_path / "empty.json").write_text("[]")
    (tmp_path / "scalar.yaml").write_text("tasks: 5\n")
    tasks = mock_tasks(3)
    write_tasks_file(tmp_path / "tasks.json", tasks)
    write_tasks_file(tmp_path / "dup.json", tasks + [tasks[0]])
    bare = [t.model_copy(update={"writ": {**t.writ, "requests": [{k: v for k, v in r.items() if k != "frame"}
                                                                  for r in t.writ["requests"]]}}) for t in tasks]
    write_tasks_file(tmp_path / "bare.json", bare)  # tasks without frames, like tau2's own
    (tmp_path / "run").symlink_to(finished_run, target_is_directory=True)
    sim = tmp_path / "simrun"  # a `writ simulate` run directory (not a synth job)
    sim.mkdir()
    (sim / "run.db").write_bytes((finished_run / "run.db").read_bytes())
    return tmp_path


CASES = [
    # unwritable or wrong-kind outputs
    (["synth", "--domain", "mock", "--n", "3", "--out", "/proc/x"], "--out /proc/x"),
    (["synth", "--domain", "mock", "--n", "3", "--out", "afile"], "afile: exists and is not a directory"),
    (["synth", "--domain", "mock", "--n", "3", "--out", "adir"], "not a writ synth job"),
    (["synth", "--domain", "mock", "--n", "3", "--out", "simrun"], "holds a `writ simulate` run"),
    (["db", "generate", "--domain", "mock", "--out", "/proc/x"], "--out /proc/x"),
    (["db", "generate", "--domain", "mock", "--out", "afile"], "afile: exists and is not a directory"),
    (["db", "generate", "--domain", "mock", "--out", "adir"], "adir: not empty (holds keep.txt)"),
    (["tasks", "generate", "--domain", "retail", "--n", "2", "--out", "/proc/x"], "--out /proc/x"),
    (["tasks", "generate", "--domain", "retail", "--n", "2", "--out", "adir"], "adir: is a directory"),
    (["replay", "--domain", "mock", "--tasks", "tasks.json", "--out", "/proc/x"], "--out /proc/x"),
    (["replay", "--domain", "mock", "--tasks", "tasks.json", "--out", "adir"], "adir: is a directory"),
    (["users", "diversify", "tasks.json", "--out", "/proc/x"], "--out /proc/x"),
    (["users", "diversify", "tasks.json", "--out", "tasks.json"], "is the input tasks file"),
    (["simulate", "tasks.json", "--run", "/proc/x", "--no-progress"], "--run /proc/x"),
    (["simulate", "tasks.json", "--run", "afile", "--no-progress"], "afile: exists and is not a directory"),
    (["export", "run", "--out", "/proc/x"], "--out /proc/x"),
    (["export", "run", "--out", "afile"], "afile: exists and is not a directory"),
    (["export", "run", "--out", "adir"], "adir: not empty"),
    (["export", "run", "--out", "run"], "would hold the run"),
    (["report", "run", "--out", "/proc/x"], "--out /proc/x"),
    (["report", "run", "--out", "adir"], "adir: is a directory"),
    (["eval", "--domain", "mock", "--tasks", "tasks.json", "--out", "/proc/x", "--no-progress"], "--out /proc/x"),
    (["eval", "--domain", "mock", "--tasks", "tasks.json", "--out", "afile", "--no-progress"], "afile: exists"),
    (["eval", "score", "tasks.json", "--domain", "mock", "--out", "/proc/x"], "--out /proc/x"),
    # inputs that are folders, garbage or malformed
    (["synth", "--config", "adir"], "adir: is a directory"),
    (["synth", "--config", "garbage.bin"], "not UTF-8"),
    (["synth", "--config", "broken.json"], "not valid YAML"),
    (["synth", "--config", "scalar.yaml", "--n", "10", "--out", "job"], "tasks: expected a mapping of settings"),
    (["tasks", "stats", "adir"], "adir: is a directory"),
    (["tasks", "stats", "garbage.bin"], "garbage.bin: not a tasks file"),
    (["tasks", "stats", "broken.json"], "broken.json: not valid JSON"),
    (["tasks", "stats", "object.json"], "expected a JSON list of tasks"),
    (["users", "diversify", "garbage.bin", "--out", "v.json"], "garbage.bin: not a tasks file"),
    (["users", "diversify", "empty.json", "--out", "v.json"], "no variant could be made"),
    (["simulate", "dup.json", "--run", "r2", "--no-progress"], "task id 'write-0000' appears twice"),
    (["simulate", "garbage.bin", "--run", "r2", "--no-progress"], "garbage.bin: not a tasks file"),
    (["simulate", "adir", "--run", "r2", "--no-progress"], "adir: is a directory"),
    (["simulate", "empty.json", "--run", "r2", "--no-progress"], "empty.json: no tasks"),
    (["verify", "garbage.bin", "--tasks", "tasks.json"], "garbage.bin: not a JSON-lines file"),
    (["verify", "broken.json", "--tasks", "tasks.json"], "no episode could be verified"),
    (["verify", "run", "--tasks", "empty.json"], "--tasks empty.json: lacks 3 of the run's 3 tasks"),
    (["eval", "score", "garbage.bin", "--domain", "mock", "--tasks", "tasks.json"],
     "garbage.bin: not a conversations file"),
    (["eval", "score", "adir", "--domain", "mock"], "adir: is a directory"),
    (["report", "adir", "--out", "r.html"], "no run store"),
    # numbers: non-finite, out of range, above the bounds
    (["db", "generate", "--domain", "mock", "--out", "d", "--scale", "nan"], "--scale must be a finite number"),
    (["db", "generate", "--domain", "mock", "--out", "d", "--scale", "inf"], "--scale must be a finite number"),
    (["db", "generate", "--domain", "mock", "--out", "d", "--scale", "1e6"], "WRIT_MAX_SCALE"),
    (["db", "generate", "--domain", "mock", "--out", "d", "--scale", "0"], "--scale must be positive"),
    (["synth", "--domain", "mock", "--n", "1000000000000000", "--out", "job"], "WRIT_MAX_TASKS"),
    (["synth", "--domain", "mock", "--n", "0", "--out", "job"], "--n must be at least 1"),
    (["synth", "--domain", "mock", "--variants", "1000000000", "--out", "job"], "WRIT_MAX_VARIANTS"),
    (["synth", "--domain", "mock", "--concurrency", "0", "--out", "job"], "--concurrency must be at least 1"),
    (["tasks", "generate", "--domain", "retail", "--n", "1000000000000000"], "WRIT_MAX_TASKS"),
    (["tasks", "generate", "--domain", "retail", "--n", "2", "--scale", "nan"], "--scale must be a finite number"),
    (["users", "diversify", "tasks.json", "--variants", "1000000000"], "WRIT_MAX_VARIANTS"),
    (["users", "diversify", "tasks.json", "--variants", "0"], "--variants must be at least 1"),
    (["eval", "--domain", "mock", "--tasks", "tasks.json", "--limit", "-1", "--out", "ev"],
     "--limit must be at least 1"),
    (["eval", "--domain", "mock", "--tasks", "tasks.json", "--limit", "0", "--out", "ev"],
     "--limit must be at least 1"),
    (["eval", "--domain", "mock", "--tasks", "tasks.json", "--temperature", "nan", "--out", "ev"], "finite number"),
    (["export", "run", "--out", "e", "--val-fraction", "nan"], "--val-fraction must be a finite number"),
    (["report", "run", "--out", "r.html", "--samples", "-1"], "--samples must be at least 0"),
    (["serve", "--model", "canned:hi", "--port", "70000"], "--port must be between 0"),
    (["check", "--domain", "mock", "--scale", "nan"], "scale must be a positive number"),
    # inputs that cannot be right
    (["replay", "--domain", "retail", "--tasks", "tasks.json", "--out", "r.jsonl"], "is a mock task, not retail"),
    (["simulate", "tasks.json", "--run", "r2", "--agent", "openai:m", "--base-url", "not a url", "--no-progress"],
     "--base-url 'not a url': not an http(s) URL"),
    (["synth", "--domain", "mock", "--agent", "openai:m", "--base-url", "ftp://h", "--out", "job"], "not an http(s)"),
    (["eval", "--domain", "mock", "--tasks", "tasks.json", "--agent", "openai:m", "--base-url", "x", "--out", "ev"],
     "--base-url 'x'"),
    (["synth", "--domain", "mock", "--writes", "9-3", "--out", "job"], "the range is empty"),
    (["synth", "--domain", "mock", "--agent", "gpt4", "--out", "job"], "bad --agent spec 'gpt4'"),
    (["synth", "--domain", "bakery", "--out", "job"], "unknown domain 'bakery'"),
    (["synth", "--domain", "mock", "--tau2-data", "afile", "--out", "job"], "--tau2-data afile: is not a directory"),
    (["eval", "--domain", "mock", "--tasks", "tasks.json", "--out", "simrun", "--no-progress"],
     "holds a `writ simulate` run"),
    (["simulate", "tasks.json", "--run", "r2", "--timeout", "nan", "--no-progress"], "--timeout must be a finite"),
    (["simulate", "bare.json", "--run", "r2", "--no-progress"],
     "bare.json: --agent scripted plays only writ-generated tasks (requests with frames); 3 of 3"),
    (["eval", "--domain", "mock", "--tasks", "bare.json", "--out", "ev", "--no-progress"],
     "--agent scripted plays only writ-generated tasks"),
    (["simulate", "tasks.json", "--run", "r2", "--agent", "openai:m", "--cache", "/proc/x", "--no-progress"],
     "--cache /proc/x"),
    (["simulate", "tasks.json", "--run", "r2", "--agent", "openai:m", "--prices", "garbage.bin", "--no-progress"],
     "--prices garbage.bin: not a price table"),
    (["synth", "--domain", "mock", "--n", "3", "--cache", "/proc/x", "--out", "job"], "--cache /proc/x"),
    (["synth", "--domain", "mock", "--n", "3", "--cache", "adir", "--out", "job"], "--cache adir: is a directory"),
    (["synth", "--domain", "mock", "--n", "3", "--prices", "garbage.bin", "--out", "job"],
     "--prices garbage.bin: not a price table"),
    (["synth", "--domain", "mock", "--n", "3", "--timeout", "inf", "--out", "job"], "--timeout must be a finite"),
    (["eval", "--domain", "mock", "--tasks", "tasks.json", "--cache", "adir", "--out", "ev"], "--cache adir"),
    (["eval", "--domain", "mock", "--tasks", "tasks.json", "--timeout", "inf", "--out", "ev"], "--timeout must be"),
    (["eval", "--domain", "mock", "--tasks", "tasks.json", "--prices", "garbage.bin", "--out", "ev"],
     "--prices garbage.bin: not a price table"),
    (["export", "run", "--out", "e", "--budget", "0"], "--budget must be"),
    # the command line itself
    (["synth", "--n", "abc"], "Invalid value for '--n'"),
    (["synth", "--bogus"], "No such option: --bogus"),
    (["nocommand"], "No such command 'nocommand'"),
]


@pytest.mark.parametrize("args, needle", CASES, ids=[" ".join(a)[:60] for a, _ in CASES])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(workspace, capsys, args, needle):
    before = snapshot(workspace)
    code = run_cli(args)
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert code == 2, (code, captured.err)
    assert len(lines) == 1 and lines[0].startswith("writ: error: "), captured.err
    assert needle in lines[0], lines[0]
    assert snapshot(workspace) == before, "a refused command must not write anything"


def test_a_bound_is_raised_by_its_environment_variable(workspace, capsys, monkeypatch):
    assert run_cli(["users", "diversify", "tasks.json", "--variants", "80", "--out", "v.json"]) == 2
    assert "set WRIT_MAX_VARIANTS=80 if you really mean it" in capsys.readouterr().err
    monkeypatch.setenv("WRIT_MAX_VARIANTS", "100")
    assert run_cli(["users", "diversify", "tasks.json", "--variants", "80", "--out", "v.json"]) == 0  # past the bound
    monkeypatch.setenv("WRIT_MAX_VARIANTS", "lots")
    assert run_cli(["users", "diversify", "tasks.json", "--variants", "8"]) == 2
    assert "WRIT_MAX_VARIANTS='lots': expected a number" in capsys.readouterr().err


def test_an_unreadable_input_is_one_line(workspace, capsys):
    if os.geteuid() == 0:
        pytest.skip("root reads every file: permissions cannot be tested")
    (workspace / "locked.json").write_text("[]")
    (workspace / "locked.json").chmod(0)
    assert run_cli(["tasks", "stats", "locked.json"]) == 2
    assert "locked.json: cannot read it" in capsys.readouterr().err


def test_synth_refused_config_leaves_no_job_behind(workspace, capsys):
    assert run_cli(["synth", "--domain", "mock", "--evidence", "abc", "--out", "job"]) == 2
    assert not (workspace / "job").exists()
    assert json.loads((workspace / "tasks.json").read_text())  # the inputs are untouched too


def test_a_config_cache_path_is_checked_before_any_stage(workspace, capsys):
    (workspace / "job.yaml").write_text("domains: [mock]\ntasks: {n: 3}\nsimulate: {cache: adir}\n")
    assert run_cli(["synth", "--config", "job.yaml", "--out", "job"]) == 2
    assert "simulate.cache adir: is a directory" in capsys.readouterr().err
    assert not (workspace / "job").exists()


def test_a_reading_command_does_not_offer_force_on_a_garbage_store(workspace, capsys):
    (workspace / "bad").mkdir()
    (workspace / "bad" / "run.db").write_bytes(bytes(range(256)) * 40)
    for args in (["verify", "bad"], ["export", "bad", "--out", "e"], ["report", "bad", "--out", "r.html"]):
        assert run_cli(args) == 2
        err = capsys.readouterr().err
        assert "not a writ run store" in err and "--force" not in err, (args, err)


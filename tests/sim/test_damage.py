"""A run store with garbage written into its middle: every command says so in one line, naming the
file and what to do, and nothing is built from half of it (no partial export with exit 0)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from tests.sim.conftest import mock_tasks, write_tasks_file
from writ.cli import main


def cli(*args: str) -> int:
    try:
        main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.fixture(scope="module")
def healthy(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("damage")
    tasks = write_tasks_file(root / "tasks.json", mock_tasks(60))
    assert cli("simulate", str(tasks), "--run", str(root / "run"), "--no-progress") == 0
    return tasks, root / "run"


@pytest.fixture
def damaged(healthy, tmp_path) -> tuple[Path, Path]:
    tasks, run = healthy
    copy = Path(shutil.copytree(run, tmp_path / "run"))
    db = copy / "run.db"
    data = bytearray(db.read_bytes())
    assert len(data) > 16 * 4096, "the store should span many pages"
    rng = random.Random(7)
    middle = (len(data) // 2) // 4096 * 4096
    data[middle:middle + 3 * 4096] = bytes(rng.randrange(256) for _ in range(3 * 4096))
    db.write_bytes(bytes(data))
    return tasks, copy


def one_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("writ: error: ") and "Traceback" not in err, err
    return lines[0]


def test_every_reader_and_writer_names_the_damaged_file(damaged, tmp_path, capsys):
    tasks, run = damaged
    commands = [
        ("simulate", str(tasks), "--run", str(run), "--no-progress"),
        ("verify", str(run)),
        ("export", str(run), "--out", str(tmp_path / "export")),
        ("report", str(run), "--out", str(tmp_path / "report.html"), "--no-plots"),
    ]
    for command in commands:
        assert cli(*command) == 2, command
        line = one_line(capsys)
        assert f"{run / 'run.db'}: the run store is damaged" in line, (command, line)
        assert ".recover" in line and "--force" in line
    assert not (tmp_path / "export").exists(), "never a partial export"
    assert not (tmp_path / "report.html").exists()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert not leftovers, leftovers


def test_force_sets_the_damaged_store_aside_and_starts_over(damaged, capsys):
    tasks, run = damaged
    assert cli("simulate", str(tasks), "--run", str(run), "--force", "--no-progress") == 0
    assert "60 tasks, 60 kept, 0 failed" in capsys.readouterr().err
    assert any(p.name.startswith("run.replaced-") for p in run.iterdir())


def test_synth_with_a_damaged_store_names_it(tmp_path, capsys):
    config = tmp_path / "c.yaml"
    config.write_text("data: {scale: 0.3}\nexport: {formats: [openai]}\nreport: false\n")
    args = ["synth", "--config", str(config), "--domain", "retail", "--n", "40", "--variants", "0",
            "--out", str(tmp_path / "job"), "--no-progress"]
    assert cli(*args) == 0
    capsys.readouterr()
    db = tmp_path / "job" / "run" / "run.db"
    data = bytearray(db.read_bytes())
    middle = (len(data) // 2) // 4096 * 4096
    data[middle:middle + 2 * 4096] = b"\xa5" * (2 * 4096)
    db.write_bytes(bytes(data))
    stages = tmp_path / "job" / "stages.json"
    stages.write_text(stages.read_text().replace('"simulate"', '"simulate-was-here"'))  # not known complete
    assert cli(*args) == 2
    err = capsys.readouterr().err  # synth reports its finished stages, then the error, in one line
    assert "Traceback" not in err
    assert err.splitlines()[-1].startswith(f"writ: error: {db}: the run store is damaged")

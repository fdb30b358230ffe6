"""The synth job directory: a changed config is named before anything is overwritten, ``--force``
starts over keeping the old job aside, a damaged stage record names the file and what to do."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from writ.cli import main

ARGS = ["--domain", "retail", "--n", "4", "--variants", "0", "--no-progress"]


def synth(out: Path, *extra: str) -> int:
    config = out.parent / "scale.yaml"
    config.write_text("data: {scale: 0.3}\nexport: {formats: [openai]}\nreport: false\n")
    try:
        main(["synth", "--config", str(config), "--out", str(out), *ARGS, *extra])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def job(tmp_path, capsys) -> Path:
    out = tmp_path / "job"
    assert synth(out) == 0
    capsys.readouterr()
    return out


def one_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("writ: error: "), err
    return lines[0]


def test_a_changed_config_is_refused_naming_it_before_anything_is_overwritten(job, capsys):
    before = digests(job)
    assert synth(job, "--n", "5") == 2
    line = one_line(capsys)
    assert "tasks.n: 5 now, 4 there" in line and "--force" in line
    assert synth(job, "--seed", "3") == 2
    assert "seed" in one_line(capsys)
    assert digests(job) == before


def test_speed_settings_may_change_and_export_settings_only_redo_the_export(job, capsys):
    tasks = (job / "tasks.retail.json").read_bytes()
    assert synth(job, "--concurrency", "2") == 0
    assert "simulate: complete" in capsys.readouterr().err
    assert synth(job, "--format", "trl") == 0  # another export format: only that is made
    err = capsys.readouterr().err
    assert "export: trl ->" in err and "simulate: complete" in err
    assert (job / "export" / "trl" / "manifest.json").is_file()
    assert (job / "tasks.retail.json").read_bytes() == tasks


def test_force_starts_over_and_keeps_the_old_job_aside(job, capsys):
    old = digests(job)
    assert synth(job, "--n", "5", "--force") == 0
    err = capsys.readouterr().err
    assert "the old job was moved to" in err
    aside = [p for p in job.parent.iterdir() if p.name.startswith("job.replaced-")]
    assert len(aside) == 1 and digests(aside[0]) == old
    assert "5/5 retail tasks" in err


@pytest.mark.parametrize("content, reason", [(b"", "empty"), (b"\x00\xffgarbage", "not a stage record"),
                                             (b"[1, 2]", "not a stage record")])
def test_a_damaged_stage_record_names_the_file_and_what_to_do(job, capsys, content, reason):
    (job / "stages.json").write_bytes(content)
    assert synth(job) == 2
    line = one_line(capsys)
    assert "stages.json: damaged" in line and reason in line and "delete it and rerun" in line
    (job / "stages.json").unlink()  # what the message says to do: the job comes back as it was
    export = digests(job / "export" / "openai")
    assert synth(job) == 0
    assert digests(job / "export" / "openai") == export


def test_a_damaged_job_config_names_the_file(job, capsys):
    (job / "config.yaml").write_text("tasks: [unclosed\n")
    assert synth(job) == 2
    line = one_line(capsys)
    assert "config.yaml: damaged" in line and "--force" in line

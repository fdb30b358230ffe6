"""`writ train` errors: one line each, exit code 2, nothing heavy imported to say so."""

from __future__ import annotations

from pathlib import Path

import pytest

from writ.cli import main

RECIPE = str(Path(__file__).resolve().parents[2] / "configs" / "recipes" / "smollm2-135m-cpu.yaml")


def run(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    return exc.value.code, capsys.readouterr().err


def pretend_missing(monkeypatch, missing: list[str]) -> None:
    """Patch the check where each caller looks it up: the CLI imports it from `writ.train.model` when
    it runs, the trainer holds its own imported name (`writ.train.trainer.train_available`)."""
    import writ.train.model as model
    import writ.train.trainer as trainer

    monkeypatch.setattr(model, "train_available", lambda: list(missing))
    monkeypatch.setattr(trainer, "train_available", lambda: list(missing))


def test_missing_extra_is_one_line_naming_the_extra(monkeypatch, capsys, tmp_path):
    pretend_missing(monkeypatch, ["trl", "peft"])
    code, err = run(["train", "--recipe", RECIPE, "--data", str(tmp_path), "--out", str(tmp_path / "m")], capsys)
    assert code == 2 and err.count("\n") == 1
    assert "pip install 'writ[train]'" in err and "missing: trl, peft" in err


def test_bad_recipe_and_bad_data_are_user_errors(monkeypatch, capsys, tmp_path):
    pretend_missing(monkeypatch, [])  # the extra's presence must not decide what this test sees
    code, err = run(["train", "--recipe", str(tmp_path / "nope.yaml"), "--data", str(tmp_path), "--out",
                     str(tmp_path / "m")], capsys)
    assert code == 2 and "no such recipe" in err and err.count("\n") == 1
    code, err = run(["train", "--recipe", RECIPE, "--data", str(tmp_path), "--out", str(tmp_path / "m")], capsys)
    assert code == 2 and "no train.jsonl" in err and err.count("\n") == 1
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "x").write_text("keep me")
    code, err = run(["train", "--recipe", RECIPE, "--data", str(tmp_path), "--out", str(tmp_path / "m")], capsys)
    assert code == 2 and "not empty" in err and (tmp_path / "m" / "x").read_text() == "keep me"

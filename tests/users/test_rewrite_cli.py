"""`writ users diversify --rewrite`: the model options reach the server, with a seed per utterance."""

from __future__ import annotations

import pytest

from tests.models.helpers import RecordingServer
from tests.verify.test_verifiers import _cancel_task
from writ.cli import main
from writ.data import load_data
from writ.models import ScriptedBackend, serve_in_thread
from writ.task import load_tasks, save_tasks


def cli(*args: str) -> int:
    try:
        main(["users", "diversify", *args])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_rewrite_sends_the_settings_and_a_seed_per_utterance(tmp_path, capsys):
    tasks = tmp_path / "tasks.json"
    save_tasks([_cancel_task(load_data("retail", seed=3, scale=0.3), with_info=True)], tasks)
    out = tmp_path / "diverse.json"
    with serve_in_thread(ScriptedBackend(["Hi, a quick question."], name="m"), server_cls=RecordingServer) as server:
        args = [str(tasks), "--variants", "2", "--rewrite", "openai:m", "--base-url", server.base_url,
                "--max-tokens", "40", "--extra-body", '{"top_k": 3}', "--out", str(out)]
        assert cli(*args) == 0
        first = server.sampling()
        assert cli(*args, "--temperature", "0.2") == 0
        second = server.sampling()[len(first):]
    assert first and all(b["temperature"] == 0.7 and b["max_tokens"] == 40 and b["top_k"] == 3 for b in first)
    assert len({b["seed"] for b in first}) == len(first)  # every utterance of every variant: a seed of its own
    assert {b["temperature"] for b in second} == {0.2}
    assert sorted(b["seed"] for b in second) == sorted(b["seed"] for b in first)  # the same --seed, the same seeds
    assert len(load_tasks(out)) == 2


def test_model_options_without_rewrite_are_refused(tmp_path, capsys):
    tasks = tmp_path / "tasks.json"
    save_tasks([_cancel_task(load_data("retail", seed=3, scale=0.3), with_info=True)], tasks)
    assert cli(str(tasks), "--temperature", "0.2", "--out", str(tmp_path / "o.json")) == 2
    err = capsys.readouterr().err
    assert err.startswith("writ: error: --temperature: only with --rewrite") and err.count("\n") == 1


@pytest.mark.parametrize("flag, value, message", [("--temperature", "-1", "--temperature must be between"),
                                                  ("--extra-body", "nope", "--extra-body is not JSON")])
def test_bad_rewrite_options_are_one_line(tmp_path, capsys, flag, value, message):
    tasks = tmp_path / "tasks.json"
    save_tasks([_cancel_task(load_data("retail", seed=3, scale=0.3), with_info=True)], tasks)
    assert cli(str(tasks), "--rewrite", "openai:m", flag, value, "--out", str(tmp_path / "o.json")) == 2
    assert message in capsys.readouterr().err

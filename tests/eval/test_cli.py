"""`writ eval` (and `writ eval run`) and `writ eval score` on the command line."""

from __future__ import annotations

import json

import pytest

from tests.conftest import tau2_dir
from tests.eval.conftest import generated, tau2_data
from tests.eval.conversations import Mutation, conversation
from writ.cli import main
from writ.task import save_tasks


def cli(*args: str) -> int:
    try:
        main(["eval", *args])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_eval_without_a_subcommand_runs_the_evaluation(tmp_path, capsys):
    _, tasks = generated("retail")
    path = tmp_path / "tasks.json"
    save_tasks(list(tasks[:3]), path)
    assert cli("--domain", "retail", "--tasks", str(path), "--agent", "scripted", "--user", "scripted", "--trials", "2",
               "--out", str(tmp_path / "a"), "--no-progress") == 0
    captured = capsys.readouterr()
    assert "pass^2" in captured.out and "6 simulations run now" in captured.err
    assert (tmp_path / "a" / "summary.md").is_file() and (tmp_path / "a" / "results.html").is_file()
    # `writ eval run` is the same command; with the same options it resumes
    assert cli("run", "--domain", "retail", "--tasks", str(path), "--trials", "2", "--out", str(tmp_path / "a"),
               "--no-progress") == 0
    assert "0 simulations run now (6 from before)" in capsys.readouterr().err


def test_eval_errors_are_one_line_with_exit_2(tmp_path, capsys):
    assert cli("--domain", "airline", "--tau2-data", str(tau2_dir()), "--tasks",
               str(tau2_dir() / "retail" / "tasks.json"),
               "--out", str(tmp_path / "x")) == 2
    err = capsys.readouterr().err
    assert err.startswith("writ: error:") and "belong to domain retail" in err and err.count("\n") == 1
    assert cli("run", "--out", str(tmp_path / "x")) == 2
    assert "--domain is required" in capsys.readouterr().err
    assert cli("--domain", "retail", "--agent", "nonsense", "--tau2-data", str(tau2_dir()), "--out",
               str(tmp_path / "x")) == 2
    assert "bad --agent spec" in capsys.readouterr().err


def test_eval_alone_prints_help(capsys):
    assert cli() == 0
    out = capsys.readouterr().out
    assert "score" in out and "--domain" in out


def test_score_rescores_recorded_conversations(tmp_path, capsys):
    data = tau2_data("airline")
    task = next(t for t in data.tasks if t.evaluation_criteria.communicate_info)
    lines = [conversation(data, task), conversation(data, task, Mutation(communicate=False)),
             conversation(data, task, Mutation(termination="max_steps"))]
    path = tmp_path / "conversations.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\nnot json\n"
                    + json.dumps({"messages": []}) + "\n")
    assert cli("score", str(path), "--domain", "airline", "--tau2-data", str(tau2_dir())) == 0
    captured = capsys.readouterr()
    assert "skipped line 4" in captured.err and "skipped line 5: no task_id" in captured.err
    scores = json.loads((tmp_path / "conversations.scores" / "scores.json").read_text())
    assert [s["reward_info"]["reward"] for s in scores["simulations"]] == [1.0, 0.0, 0.0]
    assert [s["trial"] for s in scores["simulations"]] == [0, 1, 2]
    assert scores["simulations"][1]["reward_info"]["reward_breakdown"] == {"DB": 1.0, "COMMUNICATE": 0.0}
    assert scores["info"]["summary"]["airline"]["pass_hat_k"]["1"]["value"] == pytest.approx(1 / 3, abs=1e-6)
    # our own results file can be rescored too
    assert cli("score", str(tmp_path / "conversations.scores" / "scores.json"), "--domain", "airline",
               "--tau2-data", str(tau2_dir()), "--out", str(tmp_path / "again")) == 0
    again = json.loads((tmp_path / "again" / "scores.json").read_text())
    assert [s["reward_info"]["reward"] for s in again["simulations"]] == [1.0, 0.0, 0.0]


def test_score_of_another_domain_is_refused(tmp_path, capsys):
    data = tau2_data("retail")
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(conversation(data, data.tasks[0])) + "\n")
    assert cli("score", str(path), "--domain", "airline", "--tau2-data", str(tau2_dir())) == 2
    assert "wrong --domain" in capsys.readouterr().err

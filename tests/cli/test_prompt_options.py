"""``--agent-prompt`` / ``--policy`` on `writ simulate`: checked against the tasks' domains up front."""

from __future__ import annotations

from tests.agents.test_prompt import tau2_prompt
from tests.cli.test_cli import one_line_error, writ
from tests.sim.conftest import mock_tasks, write_tasks_file
from writ.agents.setup import PromptOptions
from writ.export.collect import Collection, RunInfo
from writ.export.export import _prompt_notes


def test_simulate_refuses_a_prompt_of_another_domain_and_writes_nothing(tmp_path):
    tasks = write_tasks_file(tmp_path / "tasks.json", mock_tasks(3))
    run = tmp_path / "run"
    error = one_line_error(writ("simulate", str(tasks), "--run", str(run), "--agent-prompt",
                                str(tau2_prompt("retail"))))
    assert "does not fit domain mock: agent tool create_task is missing" in error
    error = one_line_error(writ("simulate", str(tasks), "--run", str(run), "--policy", f"retail={tasks}"))
    assert "--policy retail=" in error and "this run has no retail tasks (its domains: mock)" in error
    assert not run.exists()


def test_simulate_with_a_policy_file_notes_that_the_scripted_teacher_reads_none(tmp_path):
    tasks = write_tasks_file(tmp_path / "tasks.json", mock_tasks(2))
    policy = tmp_path / "policy.md"
    policy.write_text("Be nice.\n", encoding="utf-8")
    proc = writ("simulate", str(tasks), "--run", str(tmp_path / "run"), "--policy", str(policy), "--no-progress")
    assert proc.returncode == 0, proc.stderr
    assert "note: the scripted teacher reads no prompt" in proc.stderr


def test_export_notes_a_run_whose_agent_saw_other_files(tmp_path):
    policy = tmp_path / "policy.md"
    policy.write_text("Be nice.\n", encoding="utf-8")
    options = PromptOptions.load(None, str(policy))
    shown = Collection(runs=[RunInfo("runs/llm", {"agent": {"spec": "openai:m", "prompt": options.identity()}})])
    assert _prompt_notes(shown, options) == []
    [note] = _prompt_notes(shown, None)
    assert note.startswith("runs/llm: its agent was shown other agent prompt/policy files")
    assert _prompt_notes(Collection(runs=[RunInfo("runs/s", {"agent": {"spec": "scripted"}})]), options) == []

"""Actor specs: scripted factories seeded by attempt, one-line errors for bad or unusable specs."""

from __future__ import annotations

import pytest

from tests.sim.conftest import mock_task
from writ.agents.scripted import ScriptedTeacher, scripted_teacher
from writ.sim import ActorSpecError, make_agent_factory, make_user_factory, parse_actor_spec
from writ.users.scripted import ScriptedUser


def test_scripted_factories(mock_data):
    task = mock_task(0, "write")
    agent, user = make_agent_factory("scripted"), make_user_factory("scripted", seed=7)
    a0, a1 = agent(task, mock_data, 0), agent(task, mock_data, 1)
    assert isinstance(a0, ScriptedTeacher) and a0 is not a1
    assert a0.rng.random() == scripted_teacher("mock", f"{task.id}/0").rng.random()
    assert a1.rng.random() != scripted_teacher("mock", f"{task.id}/0").rng.random()
    assert isinstance(user(task, mock_data, 2), ScriptedUser)
    assert agent.config == {"spec": "scripted", "seed": 0} and user.config["seed"] == 7


def test_parse_specs():
    assert parse_actor_spec("scripted", "agent") == ("scripted", None, False)
    assert parse_actor_spec("openai:Qwen/Qwen3-8B", "user") == ("llm", "openai:Qwen/Qwen3-8B", False)
    assert parse_actor_spec("guided:openai:m", "agent") == ("llm", "openai:m", True)
    assert parse_actor_spec("hf:/models/x", "agent") == ("llm", "hf:/models/x", False)


@pytest.mark.parametrize("spec", ["", "gpt-4o", "openai:", "anthropic:claude", "guided:scripted", "scripted:x"])
def test_bad_specs_are_one_line_value_errors(spec):
    with pytest.raises(ValueError) as err:
        make_agent_factory(spec)
    assert "\n" not in str(err.value) and "bad --agent spec" in str(err.value)


def test_guided_is_for_agents_only():
    with pytest.raises(ActorSpecError, match="guided: applies to the agent only"):
        make_user_factory("guided:openai:m")


def test_missing_extra_is_one_line(monkeypatch, tmp_path):
    import writ.models.hf_local as hf

    monkeypatch.setattr(hf, "hf_available", lambda: False)  # as if the hf extra were not installed
    with pytest.raises(ActorSpecError, match=r"^--user hf:.*pip install 'writ\[hf\]'") as err:
        make_user_factory(f"hf:{tmp_path}")
    assert "\n" not in str(err.value)


def test_backend_errors_are_one_line():
    with pytest.raises(ActorSpecError, match="no such model directory"):
        make_agent_factory("hf:/does/not/exist")

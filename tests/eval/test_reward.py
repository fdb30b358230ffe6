"""The tau2-equal reward's rules, one by one, on small conversations of the mock and tau2 domains."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from tests.eval.conftest import score_line, tau2_data
from tests.eval.conversations import conversation
from writ.data import load_data
from writ.eval.conversation import CallRecord, canonical_messages, tool_calls
from writ.eval.reward import action_matches, communicate_checks, score_reward
from writ.task import Action, Task


@pytest.fixture(scope="module")
def mock():
    return load_data("mock")


def task(actions: list[dict[str, Any]], **criteria: Any) -> Task:
    return Task.model_validate({"id": "t", "user_scenario": {"instructions": "x"},
                                "evaluation_criteria": {"actions": actions, **criteria}})


def call(name: str, arguments: dict[str, Any], requestor: str = "assistant") -> CallRecord:
    return CallRecord(0, "c", name, arguments, requestor)


def score(t: Task, data, messages, termination="user_stop", **kw):
    # the hand-written conversations below record no real tool results, so the replay is lenient
    return asyncio.run(score_reward(t, data, canonical_messages(messages), termination, strict_replay=False, **kw))


CREATE = {"user_id": "user_1", "title": "Write report"}


def create_messages(arguments=CREATE, say: str = "Done.") -> list[dict[str, Any]]:
    return [{"role": "assistant", "content": "Hi"}, {"role": "user", "content": "please"},
            {"role": "assistant", "content": None, "tool_calls": [
                {"id": "c1", "type": "function",
                 "function": {"name": "create_task", "arguments": json.dumps(arguments)}}]},
            {"role": "tool", "tool_call_id": "c1", "content": "ignored"}, {"role": "assistant", "content": say},
            {"role": "user", "content": "###STOP###"}]


def test_communicate_is_lowercase_substring_with_commas_removed_from_the_message_only():
    msgs = [{"role": "assistant", "content": "Your refund is $1,628.00, Sir"}, {"role": "user", "content": "1,234"}]
    checks = communicate_checks(["1628", "SIR", "1,628", "1234"], msgs)
    assert [c["met"] for c in checks] == [True, True, False, False]  # commas stay in the string; user text never counts


def test_action_matching_follows_tau2():
    gold = Action(name="create_task", arguments=CREATE)
    assert action_matches(gold, call("create_task", {"user_id": "user_1"}))  # compared on the call's own keys
    assert not action_matches(gold, call("create_task", {**CREATE, "description": "d"}))  # an extra key differs
    assert not action_matches(gold, call("create_task", {**CREATE, "title": "other"}))
    assert action_matches(gold, call("create_task", CREATE, requestor="user"))  # requestor is not compared
    assert action_matches(Action(name="create_task", arguments=CREATE, compare_args=[]), call("create_task", {"x": 1}))
    assert action_matches(Action(name="create_task", arguments=CREATE, compare_args=["user_id"]),
                          call("create_task", {**CREATE, "title": "other"}))
    assert action_matches(Action(name="f", arguments={"a": '{"x": 1, "y": 2}'}), call("f", {"a": {"y": 2, "x": 1}}))


def test_default_basis_is_db_and_communicate(mock):
    t = task([{"action_id": "a", "name": "create_task", "arguments": CREATE}], communicate_info=["report"])
    info = score(t, mock, create_messages(say="I created it."))
    assert info["reward_basis"] == ["DB", "COMMUNICATE"]
    assert info["reward_breakdown"] == {"DB": 1.0, "COMMUNICATE": 0.0} and info["reward"] == 0.0
    assert score(t, mock, create_messages(say="Your Report is ready."))["reward"] == 1.0


def test_action_basis_and_wrong_arguments(mock):
    t = task([{"action_id": "a", "name": "create_task", "arguments": CREATE}], reward_basis=["ACTION"])
    assert score(t, mock, create_messages())["reward"] == 1.0
    wrong = score(t, mock, create_messages({**CREATE, "title": "Other"}))
    assert wrong["reward"] == 0.0 and not wrong["action_checks"][0]["action_match"]


@pytest.mark.parametrize("termination,reward", [("user_stop", 1.0), ("agent_stop", 1.0), ("transfer", 1.0),
                                                ("out_of_scope", 1.0), ("max_steps", 0.0), ("too_many_errors", 0.0),
                                                ("agent_error", 0.0), ("user_error", 0.0), ("crash", 0.0), ("", 0.0)])
def test_only_a_stop_counts(mock, termination, reward):
    t = task([{"action_id": "a", "name": "create_task", "arguments": CREATE}], reward_basis=["DB"])
    assert score(t, mock, create_messages(), termination)["reward"] == reward


def test_empty_basis_and_no_criteria(mock):
    assert score(task([], reward_basis=[]), mock, create_messages())["reward"] == 1.0
    bare = Task.model_validate({"id": "b", "user_scenario": {}})
    assert score(bare, mock, create_messages())["reward"] == 1.0


def test_no_expected_actions_nor_assertions_pass_db(mock):
    t = Task.model_validate({"id": "n", "user_scenario": {}, "evaluation_criteria": {"reward_basis": ["DB"]}})
    assert score(t, mock, create_messages())["db_check"]["db_match"]  # tau2: nothing to compare against
    empty = task([], reward_basis=["DB"])  # actions == []: the state must stay as it was
    assert not score(empty, mock, create_messages())["db_check"]["db_match"]


def test_nl_assertions_are_never_silently_passed(mock):
    t = task([{"action_id": "a", "name": "create_task", "arguments": CREATE}], reward_basis=["DB", "NL_ASSERTION"],
             nl_assertions=["The agent was polite"])
    unjudged = score(t, mock, create_messages())
    assert unjudged["info"]["not_evaluated"] == ["NL_ASSERTION"] and unjudged["reward_breakdown"] == {"DB": 1.0}
    assert unjudged["nl_assertions"] is None

    async def no(assertions, messages):
        return [{"nl_assertion": a, "met": False, "justification": "rude"} for a in assertions]

    async def broken(assertions, messages):
        raise RuntimeError("judge down")

    assert score(t, mock, create_messages(), nl_judge=no)["reward"] == 0.0
    failed = score(t, mock, create_messages(), nl_judge=broken)
    assert failed["info"]["not_evaluated"] == ["NL_ASSERTION"] and "judge down" in failed["info"]["nl_error"]
    without = task([{"action_id": "a", "name": "create_task", "arguments": CREATE}],
                   reward_basis=["DB", "NL_ASSERTION"])
    assert score(without, mock, create_messages())["info"]["not_evaluated"] == []  # nothing to judge: 1.0, as tau2


def test_telecom_env_assertions_and_user_device_calls():
    data = tau2_data("telecom")
    for t in data.tasks[:6]:
        gold = score_line(t, data, conversation(data, t))["reward_info"]
        assert gold["reward"] == 1.0 and all(a["met"] for a in gold["env_assertions"]), t.id
        nothing = score_line(t, data,
                             {"task_id": t.id, "termination_reason": "user_stop", "messages": []})["reward_info"]
        assert nothing["reward"] == 0.0


def test_tau2_format_messages_are_read():
    messages = [{"role": "assistant", "content": None, "tool_calls": [
                    {"id": "x1", "name": "toggle_airplane_mode", "arguments": {}, "requestor": "user"}]},
                {"role": "tool", "id": "x1", "content": "ok", "requestor": "user"},
                {"role": "user", "content": None,
                 "tool_calls": [{"id": "x2", "name": "check_status_bar", "arguments": {}}]},
                {"role": "tool", "id": "x2", "content": "bars"}]
    canon = canonical_messages(messages)
    assert canon[1] == {"role": "tool", "tool_call_id": "x1", "content": "ok", "requestor": "user"}
    assert canon[3]["requestor"] == "user"  # its call came from the user's side
    calls = tool_calls(canon)
    assert [(c.name, c.requestor, c.result) for c in calls] == [("toggle_airplane_mode", "assistant", "ok"),
                                                                 ("check_status_bar", "user", "bars")]


def test_model_nl_judge_grades_each_assertion_and_renders_the_marker_without_it():
    from writ.eval.judge import ModelNLJudge
    from writ.eval.render import render_markdown
    from writ.eval.results import build_results, simulation_record
    from writ.models.scripted import ScriptedBackend

    data = tau2_data("retail")
    t = next(x for x in data.tasks
             if x.evaluation_criteria.nl_assertions and "NL_ASSERTION" in x.evaluation_criteria.reward_basis)
    line = conversation(data, t)
    assertions = t.evaluation_criteria.nl_assertions

    def judge(met: list[bool]) -> ModelNLJudge:
        graded = [{"expectedOutcome": a, "reasoning": "r", "metExpectation": m}
                  for a, m in zip(assertions, met, strict=True)]
        return ModelNLJudge(ScriptedBackend(["```json\n" + json.dumps({"results": graded}) + "\n```"]), "scripted")

    yes = score_line(t, data, line, nl_judge=judge([True] * len(assertions)))["reward_info"]
    assert yes["reward"] == 1.0 and yes["info"]["not_evaluated"] == [] and len(yes["nl_assertions"]) == len(assertions)
    no = score_line(t, data, line, nl_judge=judge([False] + [True] * (len(assertions) - 1)))["reward_info"]
    assert no["reward"] == 0.0 and no["reward_breakdown"]["NL_ASSERTION"] == 0.0

    unjudged = score_line(t, data, line)
    sim = simulation_record(t.id, 0, "retail", line["messages"], "user_stop", unjudged)
    md = render_markdown(build_results({"agent": "a", "user": "u", "num_tasks": 1, "num_trials": 1}, [t],
                                       [sim], data, 1))
    assert "1.000*" in md and "NL_ASSERTION not evaluated in 1 of 1 simulations" in md

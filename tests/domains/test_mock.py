"""Tests of the mock domain: tau2 parity (tools, errors, quirks, gold replay) and the generator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from writ.core import Environment, ToolKind
from writ.domains import get_domain
from writ.domains.mock.generate import generate, invariants
from writ.fingerprint import fingerprint

DOMAIN = get_domain("mock")
TAU2 = Path(__file__).resolve().parents[2] / ".." / "shared" / "tau2"
MOCK = TAU2 / "mock"


# -- builders ------------------------------------------------------------------------------------
def mini_db() -> dict:
    return {"tasks": {"task_1": {"task_id": "task_1", "title": "Test task", "description": "A test task",
                                 "status": "pending"}},
            "users": {"user_1": {"user_id": "user_1", "name": "Test User", "tasks": ["task_1"]}}}


def mini_user_db() -> dict:
    return {"notifications": {"notif_1": {"notification_id": "notif_1",
                                          "message": "Task 'Test task' has been assigned to you.",
                                          "status": "unread", "task_id": "task_1"}}}


def env_of(db: dict, user_db: dict) -> Environment:
    return Environment(DOMAIN, DOMAIN.base(db).store(), DOMAIN.user_base(user_db).store())


@pytest.fixture
def env() -> Environment:
    return env_of(mini_db(), mini_user_db())


@pytest.fixture(scope="module")
def shipped() -> Environment:
    if not (MOCK / "db.json").exists():
        pytest.skip(f"tau2 mock data not found at {MOCK}")
    return env_of(json.loads((MOCK / "db.json").read_text()), json.loads((MOCK / "user_db.json").read_text()))


@pytest.fixture(scope="module")
def tasks() -> list:
    if not (MOCK / "tasks.json").exists():
        pytest.skip(f"tau2 mock tasks not found at {MOCK}")
    return json.loads((MOCK / "tasks.json").read_text())


def call(env: Environment, name: str, requestor: str = "assistant", **arguments) -> str:
    return env.step(name, arguments, requestor=requestor).content


# -- wiring ---------------------------------------------------------------------------------------
def test_tools_in_tau2_order():
    assert [(t.name, t.kind) for t in DOMAIN.tools("agent")] == [
        ("create_task", ToolKind.WRITE), ("get_users", ToolKind.READ), ("update_task_status", ToolKind.WRITE),
        ("transfer_to_human_agents", ToolKind.GENERIC)]
    assert [(t.name, t.kind) for t in DOMAIN.tools("user")] == [
        ("check_notifications", ToolKind.READ), ("dismiss_notification", ToolKind.WRITE)]
    assert {t.owner for t in DOMAIN.tools("agent")} == {"MockTools"}
    assert {t.owner for t in DOMAIN.tools("user")} == {"MockUserTools"}
    assert (DOMAIN.db_name, DOMAIN.user_db_name) == ("MockDB", "MockUserDB")
    assert set(DOMAIN.agent.helpers) == {"assert_number_of_tasks", "assert_task_status"}
    assert set(DOMAIN.user.helpers) == {"add_notification", "assert_notification_status"}
    for tool in DOMAIN.tools("agent") + DOMAIN.tools("user"):
        assert tool.schema["function"]["description"]
    assert "human agent" in DOMAIN.policy


# -- tools ----------------------------------------------------------------------------------------
def test_create_get_update(env):
    assert call(env, "create_task", user_id="user_1", title="Important Meeting") == \
        '{"task_id": "task_2", "title": "Important Meeting", "description": null, "status": "pending"}'
    assert (json.loads(call(env, "get_users"))
            == [{"user_id": "user_1", "name": "Test User", "tasks": ["task_1", "task_2"]}])
    assert call(env, "update_task_status", task_id="task_2", status="completed") == \
        '{"task_id": "task_2", "title": "Important Meeting", "description": null, "status": "completed"}'
    assert env.run("agent", "assert_task_status", {"task_id": "task_2", "expected_status": "completed"}) is True
    assert env.run("agent", "assert_number_of_tasks", {"user_id": "user_1", "expected_number": 2}) is True
    assert call(env, "transfer_to_human_agents", summary="delete tasks") == "Transfer successful"


def test_errors(env):
    assert call(env, "create_task", user_id="nobody", title="x") == "Error: User nobody not found"
    assert call(env, "update_task_status", task_id="task_9", status="completed") == "Error: Task task_9 not found"
    assert call(env, "create_task", user_id="user_1") == \
        "Error: MockTools.create_task() missing 1 required positional argument: 'title'"
    assert call(env, "create_task", user_id="user_1", title=5).startswith("Error: 1 validation error for Task")
    assert call(env, "dismiss_notification", "user", notification_id="n9") == "Error: Notification n9 not found"
    assert call(env, "check_notifications") == "Error: Tool 'check_notifications' not found."
    assert call(env, "calculate", expression="1+1") == "Error: Tool 'calculate' not found."
    with pytest.raises(ValueError, match="^User u9 not found$"):
        env.run("agent", "assert_number_of_tasks", {"user_id": "u9", "expected_number": 0})
    with pytest.raises(ValueError, match="^Task t9 not found$"):
        env.run("agent", "assert_task_status", {"task_id": "t9", "expected_status": "pending"})
    with pytest.raises(ValueError, match="^Notification n9 not found$"):
        env.run("user", "assert_notification_status", {"notification_id": "n9", "expected_status": "read"})


def test_quirks_raw_status_and_overwriting_ids(env):
    # The status is stored raw, unvalidated.
    assert json.loads(call(env, "update_task_status", task_id="task_1", status="done"))["status"] == "done"
    # Ids are "task_<count + 1>": with a gap, a new task overwrites an existing one in place.
    db = mini_db()
    db["tasks"]["task_2"] = {"task_id": "task_2", "title": "Old", "description": None, "status": "completed"}
    del db["tasks"]["task_1"]
    db["users"]["user_1"]["tasks"] = ["task_2"]
    gap = env_of(db, mini_user_db())
    assert json.loads(call(gap, "create_task", user_id="user_1", title="New"))["task_id"] == "task_2"
    assert gap.db.get("tasks", "task_2")["title"] == "New" and gap.db.count("tasks") == 1
    assert gap.db.get("users", "user_1")["tasks"] == ["task_2", "task_2"]


def test_user_tools(env):
    assert call(env, "check_notifications", "user") == (
        '[{"notification_id": "notif_1", "message": "Task \'Test task\' has been assigned to you.", '
        '"status": "unread", "task_id": "task_1"}]')
    assert call(env, "dismiss_notification", "user", notification_id="notif_1") == "Notification notif_1 dismissed"
    assert env.run("user", "assert_notification_status", {"notification_id": "notif_1", "expected_status": "read"})
    env.run("user", "add_notification", {"notification_id": "notif_1", "message": "again"})
    assert env.user_db.get("notifications", "notif_1") == {"notification_id": "notif_1", "message": "again",
                                                           "status": "unread", "task_id": None}


def test_initialization_data_hands_the_agent_db_to_the_user(env):
    env.apply_initial_state({"initialization_data": {"agent_data": {"users": {"user_1": {"tasks": ["task_1"]}}}}})
    assert call(env, "check_notifications", "user") == "Error: 'MockDB' object has no attribute 'notifications'"
    assert env.user_fingerprint() == env.fingerprint()


# -- tau2's mock tasks ----------------------------------------------------------------------------
def test_gold_replay(shipped, tasks):
    base = (shipped.fingerprint(), shipped.user_fingerprint())
    outputs = {}
    for task in tasks:
        env = shipped.fork()
        env.apply_initial_state(task.get("initial_state"))
        for action in task["evaluation_criteria"].get("actions") or []:
            result = env.step(action["name"], action["arguments"], requestor=action.get("requestor", "assistant"))
            assert not result.error, (task["id"], result.content)
            outputs[task["id"]] = result.content
        assert env.fingerprint() == fingerprint(env.db.dump())
    assert len(tasks) == 10
    assert outputs["update_task_with_initialization_actions"] == \
        ('{"task_id": "task_2", "title": "Project Review", "description": "Review Q4 project status", "status": '
         '"completed"}')
    assert outputs["update_task_with_message_history"] == outputs["update_task_with_initialization_actions"]
    assert outputs["update_task_with_initialization_data"] == outputs["update_task_with_initialization_actions"]
    assert outputs["impossible_task_1"] == "Transfer successful"
    assert (shipped.fingerprint(), shipped.user_fingerprint()) == base


def test_env_assertions(shipped, tasks):
    results = {}
    for task in tasks:
        env = shipped.fork()
        env.apply_initial_state(task.get("initial_state"))
        for action in task["evaluation_criteria"].get("actions") or []:
            env.step(action["name"], action["arguments"])
        for check in task["evaluation_criteria"].get("env_assertions") or []:
            side = "user" if check["env_type"] == "user" else "agent"
            results[task["id"]] = (env.run(side, check["func_name"], check["arguments"])
                                   == check.get("assert_value", True))
    # The last two need actions the gold list does not contain (an update; a dismissal), so they fail in tau2 too.
    assert results == {"create_task_1_with_env_assertions": True, "update_task_with_history_and_env_assertions": False,
                       "update_task_with_user_tools": False}


# -- generator ------------------------------------------------------------------------------------
def test_generator():
    assert json.dumps(generate(1)) == json.dumps(generate(1))
    assert json.dumps(generate(1)) != json.dumps(generate(2))
    for scale in (0.1, 0.5, 1.0, 2.0):
        for seed in range(21):
            db, user_db = generate(seed, scale)
            assert invariants(db) == [], (seed, scale)
            assert DOMAIN.normalize_db(db) == db and DOMAIN.normalize_user_db(user_db) == user_db
            assert all(n["task_id"] in db["tasks"] for n in user_db["notifications"].values())
    db, user_db = generate(3, 50.0)
    assert len(db["users"]) >= 50 and invariants(db) == []
    env = env_of(db, user_db)
    user_id = next(iter(db["users"]))
    created = json.loads(call(env, "create_task", user_id=user_id, title="Fresh"))
    assert created["task_id"] == f"task_{len(db['tasks']) + 1}" and invariants(env.db.dump()) == []


def test_invariants_on_shipped_and_broken(shipped):
    assert invariants(shipped.db.dump()) == []
    broken = mini_db()
    broken["users"]["user_1"]["tasks"].append("task_7")
    assert invariants(broken) == ["user user_1: unknown task task_7"]

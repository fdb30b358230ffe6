"""Tests of the telecom task generator (writ.tasks.telecom): the TASKGEN_BRIEF guarantees on tau2's
database and on a generated one, the gold route and its evidence, the fault set-up, the policy check,
the live-path necessity of every fix and a scripted end-to-end run."""

from __future__ import annotations

import asyncio
import json
import random
from collections import Counter

import pytest

from writ.core import ToolCall
from writ.replay import replay_task
from writ.task import Action
from writ.tasks import Cell, DraftError, generate_tasks, leaked_ids, write_set_key
from writ.tasks.telecom import GENERATOR
from writ.tasks.telecom.faults import Plan, accounts, detect_faults, initial_state, live_assertions
from writ.tasks.telecom.route import evidence_profile, route

from tests.tasks.conftest import EVIDENCE, WRITES, five_hundred, load_source



@pytest.fixture(params=["tau2", "generated"])
def batch(request):
    return five_hundred("telecom", request.param)


def _holds(env, assertions) -> list[str]:
    failed = []
    for a in assertions:
        side = "user" if a["env_type"] == "user" else "agent"
        try:
            ok = env.run(side, a["func_name"], a["arguments"], sync=False) == a.get("assert_value", True)
        except Exception:
            ok = False
        if not ok:
            failed.append(a["func_name"])
    return failed


# -- the brief's guarantees ----------------------------------------------------------------------------
def test_produces_almost_all_and_covers_the_grid(batch):
    data, tasks, report, seconds = batch
    print(f"\n{data.source}: {len(tasks)}/500 in {seconds:.1f}s ({len(tasks) / seconds:.0f} tasks/s); "
          f"rejections {dict(report.rejections)}; unfilled {report.to_json()['unfilled_cells']}")
    assert len(tasks) >= 480, report.to_json()
    writes = Counter(t.writ["n_writes"] for t in tasks)
    evidence = Counter(t.writ["evidence"] for t in tasks)
    assert set(range(1, 6)) <= set(writes)
    assert set(range(0, 11)) <= set(evidence) and max(evidence) >= 10
    assert all(t.writ["n_writes"] in WRITES and t.writ["evidence"] in EVIDENCE for t in tasks)


def test_write_sets_are_distinct(batch):
    data, tasks, _, _ = batch
    keys = {write_set_key(t, data) for t in tasks}
    assert len(keys) >= 0.9 * len(tasks)


def test_every_task_replays_and_its_assertions_hold(batch):
    """Gold replay as tau2's evaluator runs it (no per-call sync), then one sync: the env assertions
    hold; on the live path (sync after every call) they hold too, and so does the service of a
    lifted suspension."""
    data, tasks, _, _ = batch
    for task in tasks:
        result = replay_task(data, task)
        assert not any(result["errors"]), task.id
        assert task.evaluation_criteria.reward_basis == ["ENV_ASSERTION"]
        assertions = task.evaluation_criteria.env_assertions
        assert assertions, task.id
        env = data.environment(task)
        for action in task.actions:
            env.step(ToolCall(action.name, dict(action.arguments), requestor=action.requestor), sync=False)
        env.run_sync()
        assert _holds(env, assertions) == [], task.id
        live = data.environment(task)
        for action in task.actions:
            live.step(ToolCall(action.name, dict(action.arguments), requestor=action.requestor))
        assert _holds(live, assertions) == [], task.id
        if "suspended" in task.writ["telecom"]["faults"]:
            assert live.user_db.get("device")["network_connection_status"] == "connected", task.id


def test_no_identifier_leaks_when_evidence_is_high(batch):
    _, tasks, _, _ = batch
    high = [t for t in tasks if t.writ["evidence"] >= 3]
    assert high and all(leaked_ids(t) == [] for t in high)
    for task in high:  # no customer, line or bill id anywhere in what the user says or knows
        text = json.dumps(task.user_scenario)
        meta = task.writ["telecom"]
        assert meta["customer_id"] not in text and meta["line_id"] not in text


def test_plan_metadata_authentication_and_asks(batch):
    _, tasks, _, _ = batch
    for task in tasks:
        meta = task.writ
        assert meta["facts"]["auth"]["method"] == "phone" and meta["facts"]["auth_action"] == 0
        first = task.actions[0]
        assert first.name == "get_customer_by_phone"
        assert first.arguments["phone_number"] == meta["facts"]["auth"]["phone_number"]
        for i, action in enumerate(task.actions):  # every phone-side call says how the agent asks for it
            assert (action.requestor == "user") == (str(i) in meta["asks"]), (task.id, i)
        assert all(r["utterance"] and r["instruction"] for r in meta["requests"])


def test_families_and_faults_all_occur(batch):
    _, tasks, _, _ = batch
    complaints = Counter(t.writ["telecom"]["complaint"] for t in tasks)
    faults = Counter(f for t in tasks for f in t.writ["telecom"]["faults"])
    modes = Counter(m for t in tasks for m in t.writ["telecom"]["modes"].values())
    assert set(complaints) == {"service", "data", "mms", "data+mms", "line"}
    assert set(faults) == {"airplane", "sim", "apn", "suspended", "roaming_phone", "roaming_line", "data_off",
                           "usage", "saver", "mode", "vpn", "mmsc", "wifi_calling", "perms", "family_suspended"}
    assert set(modes) == {"disclosed", "hinted", "diagnosed"}
    writers = Counter(a.requestor for t in tasks for w in t.writ["writes"] for a in [t.actions[w["action"]]])
    assert writers["user"] and writers["assistant"]  # fixes on the phone and on the account


def test_same_seed_same_file():
    data = load_source("telecom", "generated")
    first, _ = generate_tasks(data, 150, WRITES, EVIDENCE, seed=7)
    second, _ = generate_tasks(data, 150, WRITES, EVIDENCE, seed=7)
    assert json.dumps([t.to_json() for t in first]) == json.dumps([t.to_json() for t in second])


def test_scripted_teacher_and_user_fix_the_phone():
    """The live conversation (sync after every call) that follows the plan ends with the assertions true."""
    from writ.sim import make_agent_factory, make_user_factory
    from writ.sim.orchestrator import run_episode

    data = load_source("telecom", "generated")
    tasks, _ = generate_tasks(data, 60, WRITES, EVIDENCE, seed=3)
    agent, user = make_agent_factory("scripted"), make_user_factory("scripted")

    async def run_all():
        failures = []
        for task in tasks:
            env = data.environment(task)
            await run_episode(task, env, agent(task, data, 0), user(task, data, 0))
            if _holds(env, task.evaluation_criteria.env_assertions):
                failures.append(task.id)
        return failures

    assert asyncio.run(run_all()) == []


# -- the route and its evidence --------------------------------------------------------------------------
def _john(data, line_id="L1002"):
    return next(a for a in accounts(data.base.store()) if a.line_id == line_id)


def test_route_follows_the_workflow_and_counts_evidence():
    data = load_source("telecom", "tau2")
    account = _john(data)  # John Smith, 555-123-2002, second of his lines
    plan = Plan(account=account, complaint="data", abroad=True, faults=["roaming_line", "usage"],
                modes={"roaming_line": "diagnosed", "usage": "diagnosed"}, refuel_gb=1.5, overage_gb=0.4)
    calls = route(plan)
    assert [(c.name, c.arguments.get("id", "")) for c in calls] == [
        ("get_customer_by_phone", ""), ("run_speed_test", ""), ("check_status_bar", ""),
        ("check_network_status", ""), ("get_details_by_id", "L1001"), ("get_details_by_id", "L1002"),
        ("enable_roaming", ""), ("run_speed_test", ""), ("check_network_status", ""),
        ("get_data_usage", ""), ("get_details_by_id", "P1002"), ("refuel_data", ""), ("run_speed_test", "")]
    assert evidence_profile(calls) == [5, 4]
    # The user who names the faulty setting needs no check at all.
    told = Plan(account=account, complaint="data", abroad=False, faults=["data_off", "saver"],
                modes={"data_off": "disclosed", "saver": "disclosed"})
    assert evidence_profile(route(told)) == [0, 0]
    hinted = Plan(account=account, complaint="data", abroad=False, faults=["data_off", "saver"],
                  modes={"data_off": "hinted", "saver": "diagnosed"})
    names = [c.name for c in route(hinted)]
    assert names == ["get_customer_by_phone", "check_network_status", "toggle_data", "run_speed_test",
                     "check_data_restriction_status", "toggle_data_saver_mode", "run_speed_test"]


@pytest.mark.parametrize("fault,complaint", [
    ("airplane", "service"), ("sim", "service"), ("apn", "service"), ("suspended", "service"),
    ("roaming_phone", "data"), ("roaming_line", "mms"), ("data_off", "data"), ("usage", "mms"),
    ("saver", "data"), ("mode", "data"), ("vpn", "data"), ("mmsc", "mms"), ("wifi_calling", "mms"),
    ("perms", "mms"),
])
def test_each_fault_is_set_up_detected_and_fixed(fault, complaint):
    data = load_source("telecom", "generated")
    account = next(a for a in accounts(data.base.store())
                   if (a.usage_ok or fault != "usage") and (a.suspend_ok or fault != "suspended"))
    plan = Plan(account=account, complaint=complaint, abroad=fault.startswith("roaming"), faults=[fault],
                modes={fault: "diagnosed"}, perms=("storage",) if fault == "perms" else (), refuel_gb=1.0,
                overage_gb=0.3, bill_id="B9000001" if fault == "suspended" else "", country="Japan")
    state = initial_state(plan)
    env = data.environment()
    env.apply_initial_state(state)
    found = detect_faults(env, account, complaint)
    assert set(found) == {fault}
    for call in route(plan):
        requestor = "user" if call.side == "user" else "assistant"
        assert not env.step(call.name, call.arguments, requestor=requestor).error, call.name
    assert detect_faults(env, account, complaint) == {}
    assert _holds(env, live_assertions(plan)) == []


# -- the policy ---------------------------------------------------------------------------------------------
def _env_with(data, *actions):
    env = data.environment()
    env.apply_initial_state({"initialization_actions": [
        {"env_type": "user", "func_name": "set_user_info", "arguments": {"name": "John Smith", "phone_number": "555-123-2002"}},
        *actions]})
    return env


def _act(name, requestor="assistant", **arguments):
    return Action(name=name, requestor=requestor, arguments=arguments)


def test_policy_rejects_what_the_policy_forbids():
    data = load_source("telecom", "tau2")
    env = _env_with(data)
    line = {"customer_id": "C1001", "line_id": "L1002"}
    check = GENERATOR.policy_violation
    # Phone: fixes only repair.
    assert "already off" in check(env, _act("toggle_airplane_mode", "user"))
    assert "already on" in check(env, _act("toggle_data", "user"))
    assert check(env, _act("reseat_sim_card", "user"))
    assert check(env, _act("set_network_mode_preference", "user", mode="2g_only"))
    assert check(env, _act("connect_vpn", "user"))
    assert check(env, _act("grant_app_permission", "user", app_name="browser", permission="sms"))
    # Account: no refuel below the allowance, no roaming for a user at home, no suspending.
    assert "not used up" in check(env, _act("refuel_data", **line, gb_amount=1.0))
    assert "abroad" in check(env, _act("enable_roaming", **line))
    assert check(env, _act("suspend_line", **line, reason="x"))
    assert check(env, _act("disable_roaming", **line))
    assert check(env, _act("send_payment_request", customer_id="C1001", bill_id="B1002"))  # issued, not overdue
    # Refuel: only over the allowance, at most 2 GB, only the caller's own line.
    over = _env_with(data, {"env_type": "assistant", "func_name": "set_data_usage",
                            "arguments": {**line, "data_used_gb": 15.5}})
    assert check(over, _act("refuel_data", **line, gb_amount=2.0)) is None
    assert "outside" in check(over, _act("refuel_data", **line, gb_amount=2.5))
    assert "not the line" in check(over, _act("refuel_data", customer_id="C1001", line_id="L1001", gb_amount=1.0))
    # Roaming: enabled for a traveller whose line lacks it.
    abroad = _env_with(data, {"env_type": "user", "func_name": "set_user_location", "arguments": {"abroad": True}},
                       {"env_type": "assistant", "func_name": "disable_roaming", "arguments": line})
    assert check(abroad, _act("enable_roaming", **line)) is None
    assert check(abroad, _act("toggle_roaming", "user")) is None


def test_policy_lifts_a_suspension_only_when_paid_and_in_contract():
    data = load_source("telecom", "tau2")
    line = {"customer_id": "C1001", "line_id": "L1002"}
    suspend = {"env_type": "assistant", "func_name": "suspend_line_for_overdue_bill",
               "arguments": {**line, "new_bill_id": "B7777777", "contract_ended": False}}
    unpaid = _env_with(data, suspend)
    assert "unpaid" in GENERATOR.policy_violation(unpaid, _act("resume_line", **line))
    paid = _env_with(data, suspend,
                     {"env_type": "assistant", "func_name": "send_payment_request",
                      "arguments": {"customer_id": "C1001", "bill_id": "B7777777"}},
                     {"env_type": "user", "func_name": "make_payment", "arguments": {}})
    assert GENERATOR.policy_violation(paid, _act("resume_line", **line)) is None
    ended = _env_with(data, {**suspend, "arguments": {**suspend["arguments"], "contract_ended": True}},
                      {"env_type": "assistant", "func_name": "send_payment_request",
                       "arguments": {"customer_id": "C1001", "bill_id": "B7777777"}},
                      {"env_type": "user", "func_name": "make_payment", "arguments": {}})
    assert "contract" in GENERATOR.policy_violation(ended, _act("resume_line", **line))


# -- necessity and uniqueness ------------------------------------------------------------------------------
def _live_fails_without(data, task, skip: int) -> bool:
    env = data.environment(task)
    for i, action in enumerate(task.actions):
        if i != skip:
            env.step(ToolCall(action.name, dict(action.arguments), requestor=action.requestor))
    if "suspended" in task.writ["telecom"]["faults"] \
            and env.user_db.get("device")["network_connection_status"] != "connected":
        return True
    return bool(_holds(env, task.evaluation_criteria.env_assertions))


def test_every_fix_is_needed():
    """On the live path, dropping any one gold write leaves the problem unsolved."""
    data = load_source("telecom", "generated")
    tasks, _ = generate_tasks(data, 80, WRITES, EVIDENCE, seed=11)
    for task in tasks:
        for write in task.writ["writes"]:
            assert _live_fails_without(data, task, write["action"]), (task.id, write["name"])


def test_diagnosis_checks_are_registered_and_not_vacuous():
    """The registered check recomputes the faults from the initial state: it passes on the task's own
    state and fails on a phone that is broken differently."""
    data = load_source("telecom", "generated")
    drafts = []
    for i in range(60):
        try:
            drafts.append(GENERATOR.draft(data, Cell(3 + i % 3, i % 13), random.Random(f"nec/{i}")))
        except DraftError:
            pass
    assert len(drafts) >= 50
    for draft in drafts:
        task = draft.build("t", seed=0, source="test")
        assert draft.checks and all(check(data.environment(task)) is None for check in draft.checks)
        env = data.environment(task)
        env.run("user", "toggle_data_saver_mode", sync=False)  # adds (or removes) a Data Saver fault
        if draft.extra["telecom"]["complaint"] in ("data", "data+mms"):
            assert any(check(env) for check in draft.checks)


def test_draft_errors_are_categories():
    data = load_source("telecom", "generated")
    reasons = Counter()
    for i in range(200):
        try:
            GENERATOR.draft(data, Cell(1 + i % 5, i % 13), random.Random(i))
        except DraftError as exc:
            reasons[str(exc).split("(")[0].strip()] += 1
    assert sum(reasons.values()) <= 10, reasons

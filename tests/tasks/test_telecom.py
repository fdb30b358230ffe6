"""Tests of the telecom task generator (writ.tasks.telecom): tasks on tau2's database and a generated
one, gold actions made by the support workflow (diagnosis before every fix, no re-read of an
unchanged record), frames and withheld details, outcomes other than a write, the fault set-up, the
policy check and the live-path necessity of every fix."""

from __future__ import annotations

import json
import random
from collections import Counter

import pytest

from tests.conftest import tau2_dir
from tests.tasks.conftest import EVIDENCE, WRITES, load_source
from writ.core import ToolCall
from writ.data import load_data
from writ.dialogue.acts import act, grounding_problems, public
from writ.replay import replay_task
from writ.task import Action
from writ.tasks import Cell, DraftError, generate_tasks, leaked_ids, write_set_key
from writ.tasks.generate import data_scale
from writ.tasks.telecom import GENERATOR
from writ.tasks.telecom.faults import Plan, accounts, detect_faults, live_assertions
from writ.tasks.telecom.phrases import render
from writ.users.scripted import telecom as customer

_CACHE: dict[str, tuple] = {}
AGENT_WRITES = {"resume_line", "enable_roaming", "refuel_data", "send_payment_request", "suspend_line",
                "disable_roaming"}
MULTI_FACT = {"check_network_status", "check_status_bar"}  # one screen can show two faults
PART_OF_PREVIOUS = {("reset_apn_settings", "reboot_device"), ("resume_line", "reboot_device"),
                    ("grant_app_permission", "grant_app_permission")}


def _batch(source: str):
    """tau2's database (4 customers: 100 tasks) or a generated one sized for 150 tasks."""
    if source not in _CACHE:
        if source == "tau2":
            data, n = load_data("telecom", tau2_data=tau2_dir()), 100
        else:
            data, n = load_data("telecom", seed=0, scale=data_scale("telecom", 150, 1.0)), 150
        tasks, report = generate_tasks(data, n, WRITES, EVIDENCE, seed=0)
        _CACHE[source] = (data, tasks, report, n)
    return _CACHE[source]


@pytest.fixture(params=["tau2", "generated"])
def batch(request):
    return _batch(request.param)


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


# -- coverage ------------------------------------------------------------------------------------------
def test_produces_almost_all_and_covers_the_grid(batch):
    data, tasks, report, n = batch
    print(f"\n{data.source}: {len(tasks)}/{n}; rejections {dict(report.rejections)}")
    assert len(tasks) >= (0.95 if n == 150 else 0.8) * n, report.to_json()
    writes = Counter(t.writ["n_writes"] for t in tasks if t.writ["outcome"] == "write")
    evidence = Counter(t.writ["evidence"] for t in tasks)
    assert set(range(1, 6)) <= set(writes)
    assert set(range(1, 10)) <= set(evidence) and max(evidence) >= 10
    assert min(evidence) >= 1  # the agent always checks before it fixes: no fix without evidence
    outcomes = Counter(t.writ["outcome"] for t in tasks)
    assert {"write", "refuse", "transfer"} <= set(outcomes) and outcomes["write"] >= 0.6 * len(tasks)


def test_write_sets_are_distinct_and_customers_many(batch):
    data, tasks, _, n = batch
    keys = {write_set_key(t, data) for t in tasks}
    assert len(keys) == len(tasks)
    if n == 150:  # a generated database sized by data_scale: at least one customer per two tasks
        customers = {t.writ["telecom"]["customer_id"] for t in tasks}
        assert len(customers) >= len(tasks) / 2


def test_every_task_replays_and_its_assertions_hold(batch):
    """Gold replay as tau2's evaluator runs it (no per-call sync, one sync at the end), and the live path
    (sync after every call): the env assertions hold on both."""
    data, tasks, _, _ = batch
    for task in tasks:
        result = replay_task(data, task)
        assert not any(result["errors"]), task.id
        assertions = task.evaluation_criteria.env_assertions or []
        assert assertions or task.writ["outcome"] == "inform", task.id
        env = data.environment(task)
        for action in task.actions:
            env.step(ToolCall(action.name, dict(action.arguments), requestor=action.requestor), sync=False)
        env.run_sync()
        assert _holds(env, assertions) == [], task.id
        live = data.environment(task)
        for action in task.actions:
            live.step(ToolCall(action.name, dict(action.arguments), requestor=action.requestor))
        assert _holds(live, assertions) == [], task.id


def test_no_identifier_leaks_when_evidence_is_high(batch):
    _, tasks, _, _ = batch
    high = [t for t in tasks if t.writ["evidence"] >= 3]
    assert high and all(leaked_ids(t) == [] for t in high)
    for task in high:  # no customer or line id anywhere in what the user says or knows
        text = json.dumps(task.user_scenario)
        meta = task.writ["telecom"]
        assert meta["customer_id"] not in text and meta["line_id"] not in text


# -- how the gold actions are made --------------------------------------------------------------------------
def test_every_fix_follows_a_check_and_no_record_is_read_twice_unchanged(batch):
    data, tasks, _, _ = batch
    user_writes = {t.name for t in data.domain.tools("user") if t.mutates}
    for task in tasks:
        checked, last_fix, screen, seen = False, "", False, {}
        for action in task.actions:
            side = "user" if action.requestor == "user" else "agent"
            fix = action.name in (user_writes if side == "user" else AGENT_WRITES)
            key = (side, action.name, json.dumps(action.arguments, sort_keys=True))
            if fix:  # a second fix without a new check: the screen that showed the first showed this one too
                assert checked or (last_fix, action.name) in PART_OF_PREVIOUS or screen, (task.id, action.name)
                screen = screen and (checked or (last_fix, action.name) in PART_OF_PREVIOUS)
                checked, last_fix = False, action.name
                seen = {k: v for k, v in seen.items() if k[0] == "agent" and side == "user"}
                continue
            if action.name in ("get_customer_by_phone", "transfer_to_human_agents"):
                continue
            assert key not in seen, (task.id, action.name, "read again though nothing changed")
            seen[key] = True
            checked, screen = True, screen or action.name in MULTI_FACT


def test_metadata_frames_and_what_the_customer_holds_back(batch):
    _, tasks, _, _ = batch
    for task in tasks:
        meta = task.writ
        assert meta["facts"]["auth"]["method"] == "phone" and task.actions[0].name == "get_customer_by_phone"
        assert task.actions[0].arguments["phone_number"] == meta["facts"]["auth"]["phone_number"]
        for i, action in enumerate(task.actions):  # every phone-side call says how the agent asks for it
            assert (action.requestor == "user") == (str(i) in meta["asks"]), (task.id, i)
        for request in meta["requests"]:
            frame, withhold = request["frame"], request["withhold"]
            assert frame["family"] and request["utterance"] and request["instruction"]
            assert set(withhold) <= set(frame), (task.id, withhold)
            stated = {k: v for k, v in frame.items() if k not in withhold}
            problems = grounding_problems([act("request", frame=public(stated))], request["utterance"], customer.cues)
            assert problems == [], (task.id, problems, request["utterance"])
            if "gb_amount" in withhold:  # the policy makes the agent ask how much data to add
                assert " GB" not in request["utterance"]


def test_families_faults_and_outcomes_all_occur():
    data, tasks, _, _ = _batch("generated")
    complaints = Counter(t.writ["telecom"]["complaint"] for t in tasks)
    faults = Counter(f for t in tasks for f in t.writ["telecom"]["faults"])
    assert {"service", "data", "mms", "data+mms", "line", "refuel"} <= set(complaints)
    assert {"airplane", "sim", "apn", "suspended", "roaming_phone", "roaming_line", "data_off", "usage", "saver",
            "mode", "vpn", "mmsc", "wifi_calling", "perms", "family_suspended"} <= set(faults)
    assert any(t.writ["telecom"]["herrings"] for t in tasks)  # wrong suspicions the agent rules out
    writers = Counter(a.requestor for t in tasks for w in t.writ["writes"] for a in [t.actions[w["action"]]])
    assert writers["user"] and writers["assistant"]  # fixes on the phone and on the account
    refused = [t for t in tasks if t.writ["outcome"] == "refuse"]
    assert refused and all(t.writ["refusals"] and not t.writ["n_writes"] for t in refused)
    transferred = [t for t in tasks if t.writ["outcome"] == "transfer"]
    assert transferred and all(t.actions[-1].name == "transfer_to_human_agents" for t in transferred)


def test_same_seed_same_file():
    data = load_data("telecom", seed=0, scale=10)
    first, _ = generate_tasks(data, 40, WRITES, EVIDENCE, seed=7)
    second, _ = generate_tasks(data, 40, WRITES, EVIDENCE, seed=7)
    assert json.dumps([t.to_json() for t in first]) == json.dumps([t.to_json() for t in second])


def test_phrases_say_every_hint_in_both_persons():
    rng = random.Random(0)
    from writ.tasks.telecom.phrases import CUES, HINTS

    for step, pools in HINTS.items():
        for pool in pools:
            for _ in range(4):
                frame = {"family": "data", "symptom": "down", "hints": [step], "_hints": {step: pool},
                         "_mode_from": "2g_only", "_perms": ["sms"]}
                for person in (1, 2):
                    text = render(rng, frame, person).lower()
                    assert any(c in text for c in CUES["hints"][step]), (step, pool, text)
                    assert "{" not in text


# -- faults, policy, necessity ------------------------------------------------------------------------------
@pytest.mark.parametrize("fault,complaint", [
    ("airplane", "service"), ("sim", "service"), ("apn", "service"), ("suspended", "service"),
    ("roaming_phone", "data"), ("roaming_line", "mms"), ("data_off", "data"), ("usage", "mms"),
    ("saver", "data"), ("mode", "data"), ("vpn", "data"), ("mmsc", "mms"), ("wifi_calling", "mms"),
    ("perms", "mms"),
])
def test_each_fault_is_set_up_detected_and_fixed_by_the_workflow(fault, complaint):
    data = load_source("telecom", "generated")
    account = next(a for a in accounts(data.base.store())
                   if (a.usage_ok or fault != "usage") and (a.suspend_ok or fault != "suspended"))
    plan = Plan(account=account, complaint=complaint, abroad=fault.startswith("roaming"), faults=[fault],
                modes={fault: "diagnosed"}, perms=("storage",) if fault == "perms" else (), refuel_gb=1.0,
                overage_gb=0.3, bill_id="B9000001" if fault == "suspended" else "", country="Japan")
    draft = GENERATOR._run(data, plan, random.Random(1))
    task = draft.build("t", seed=0, source=data.source)
    env = data.environment(task)
    assert set(detect_faults(env, account, complaint)) == {fault}
    for action in task.actions:
        assert not env.step(action.name, dict(action.arguments), requestor=action.requestor).error, action.name
    assert detect_faults(env, account, complaint) == {}
    assert _holds(env, live_assertions(plan)) == []
    names = [a.name for a in task.actions]
    assert names[0] == "get_customer_by_phone" and len(draft.writes) >= 1


def _env_with(data, *actions):
    env = data.environment()
    env.apply_initial_state({"initialization_actions": [
        {"env_type": "user", "func_name": "set_user_info",
         "arguments": {"name": "John Smith", "phone_number": "555-123-2002"}},
        *actions]})
    return env


def _act(name, requestor="assistant", **arguments):
    return Action(name=name, requestor=requestor, arguments=arguments)


def test_policy_rejects_what_the_policy_forbids():
    data = load_source("telecom", "tau2")
    env = _env_with(data)
    line = {"customer_id": "C1001", "line_id": "L1002"}
    check = GENERATOR.policy_violation
    assert "already off" in check(env, _act("toggle_airplane_mode", "user"))
    assert "already on" in check(env, _act("toggle_data", "user"))
    assert check(env, _act("reseat_sim_card", "user"))
    assert check(env, _act("set_network_mode_preference", "user", mode="2g_only"))
    assert check(env, _act("connect_vpn", "user"))
    assert "not used up" in check(env, _act("refuel_data", **line, gb_amount=1.0))
    assert "abroad" in check(env, _act("enable_roaming", **line))
    assert check(env, _act("suspend_line", **line, reason="x"))
    over = _env_with(data, {"env_type": "assistant", "func_name": "set_data_usage",
                            "arguments": {**line, "data_used_gb": 15.5}})
    assert check(over, _act("refuel_data", **line, gb_amount=2.0)) is None
    assert "outside" in check(over, _act("refuel_data", **line, gb_amount=2.5))
    suspend = {"env_type": "assistant", "func_name": "suspend_line_for_overdue_bill",
               "arguments": {**line, "new_bill_id": "B7777777", "contract_ended": False}}
    assert "unpaid" in check(_env_with(data, suspend), _act("resume_line", **line))
    ended = _env_with(data, {**suspend, "arguments": {**suspend["arguments"], "contract_ended": True}})
    assert check(ended, _act("resume_line", **line))


def _live_fails_without(data, task, skip: int) -> bool:
    env = data.environment(task)
    for i, action in enumerate(task.actions):
        if i != skip:
            env.step(ToolCall(action.name, dict(action.arguments), requestor=action.requestor))
    if "suspended" in task.writ["telecom"]["faults"] \
            and env.user_db.get("device")["network_connection_status"] != "connected":
        return True
    return bool(_holds(env, task.evaluation_criteria.env_assertions or []))


def test_every_fix_is_needed():
    """On the live path, dropping any one gold write leaves the problem unsolved."""
    data, tasks, _, _ = _batch("generated")
    for task in tasks[:120]:
        for write in task.writ["writes"]:
            assert _live_fails_without(data, task, write["action"]), (task.id, write["name"])


def test_diagnosis_checks_are_registered_and_not_vacuous():
    data = load_source("telecom", "generated")
    drafts = []
    for i in range(40):
        try:
            drafts.append(GENERATOR.draft(data, Cell(3 + i % 3, 1 + i % 10), random.Random(f"nec/{i}")))
        except DraftError:
            pass
    assert len(drafts) >= 35
    for draft in drafts:
        task = draft.build("t", seed=0, source="test")
        assert draft.checks and all(check(data.environment(task)) is None for check in draft.checks)
        env = data.environment(task)
        env.run("user", "toggle_data_saver_mode", sync=False)  # adds (or removes) a Data Saver fault
        if draft.extra["telecom"]["complaint"] in ("data", "data+mms"):
            assert any(check(env) for check in draft.checks)


def test_draft_errors_are_rare_and_zero_write_cells_fill():
    data = load_source("telecom", "generated")
    reasons = Counter()
    for i in range(60):
        cell = Cell(1 + i % 5, i % 11) if i % 4 else Cell(0, 1 + i % 9, ("refuse", "transfer", "inform")[i % 3])
        try:
            draft = GENERATOR.draft(data, cell, random.Random(i))
        except DraftError as exc:
            reasons[str(exc).split("(")[0].strip()] += 1
            continue
        assert draft.outcome == cell.outcome and (len(draft.writes) == cell.writes)
    assert sum(reasons.values()) <= 3, reasons


@pytest.mark.parametrize("kind,outcome", [
    ("device", "resolved"), ("usage", "resolved"), ("roaming_line", "resolved"), ("line", "resolved"),
    ("refuel", "resolved"), ("roaming", "resolved"), ("trouble", "resolved"), ("suspended", "resolved"),
    ("unpaid", "refuse"), ("line_ended", "refuse"), ("line_unpaid", "refuse"), ("refuel_cap", "refuse"),
    ("sim_locked", "transfer"), ("contract_ended", "transfer"), ("usage_info", "inform"),
])
def test_every_request_kind_drafts_with_its_policy_outcome(kind, outcome):
    """Each kind of request the sampler draws becomes a sound task that ends as the policy says."""
    from writ.tasks.telecom.sampling import _design, customer_accounts

    data = load_data("telecom", seed=0, scale=10)
    writes = 2 if kind in ("trouble", "suspended") else 0 if outcome != "resolved" else 1
    cell = Cell(writes, 4, "write" if outcome == "resolved" else outcome)
    made = None
    for i in range(40):
        rng = random.Random(f"{kind}/{i}")
        plan = _design(rng, data, cell, kind, customer_accounts(data), False)
        if plan is None:
            continue
        if "usage" in plan.faults and not plan.refuel_gb:
            plan.refuel_gb, plan.overage_gb = 1.0, 0.2
        if ("suspended" in plan.faults or "family_suspended" in plan.faults) and not plan.bill_id \
                and not (plan.family_line and plan.family_line[3]):
            plan.bill_id = f"B88{i:05d}"
        plan.country = plan.country or ("Japan" if plan.abroad else "")
        try:
            made = GENERATOR._run(data, plan, rng)
        except DraftError:
            continue
        break
    assert made is not None, kind
    expected = {"resolved": "write"}.get(outcome, outcome)
    assert made.outcome == expected, (kind, made.outcome)

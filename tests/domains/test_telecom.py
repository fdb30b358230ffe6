"""Tests of the telecom domain: tau2 parity (tools, phone simulation, sync, errors, quirks, gold
replay of the 20 shipped tasks with and without per-call sync) and the generator."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from writ.core import Environment, ToolKind
from writ.domains import get_domain
from writ.domains.telecom.generate import invariants
from writ.domains.telecom.user_schema import default_user_db
from writ.fingerprint import fingerprint

DOMAIN = get_domain("telecom")
TAU2 = Path(__file__).resolve().parents[2] / ".." / "shared" / "tau2"
TELECOM = TAU2 / "telecom"

R, W, G = ToolKind.READ, ToolKind.WRITE, ToolKind.GENERIC
AGENT_TOOLS = [
    ("get_customer_by_phone", R), ("get_customer_by_id", R), ("get_customer_by_name", R), ("get_details_by_id", R),
    ("suspend_line", W), ("resume_line", W), ("get_bills_for_customer", R), ("send_payment_request", W),
    ("get_data_usage", R), ("enable_roaming", W), ("disable_roaming", W), ("transfer_to_human_agents", G),
    ("refuel_data", W),
]
USER_TOOLS = [
    ("check_status_bar", R), ("check_network_status", R), ("check_network_mode_preference", R),
    ("set_network_mode_preference", W), ("run_speed_test", R), ("toggle_airplane_mode", W), ("check_sim_status", R),
    ("reseat_sim_card", W), ("toggle_data", W), ("toggle_roaming", W), ("check_data_restriction_status", R),
    ("toggle_data_saver_mode", W), ("check_apn_settings", R), ("set_apn_settings", W), ("reset_apn_settings", W),
    ("check_wifi_status", R), ("toggle_wifi", W), ("check_wifi_calling_status", R), ("toggle_wifi_calling", W),
    ("check_vpn_status", R), ("connect_vpn", W), ("disconnect_vpn", W), ("check_installed_apps", R),
    ("check_app_status", R), ("check_app_permissions", R), ("grant_app_permission", W), ("can_send_mms", R),
    ("reboot_device", W), ("check_payment_request", R), ("make_payment", W),
]
SB_DEFAULT = "\U0001F4F6\u00B3 Good | 5G | \U0001F4F1 Data Enabled | \U0001F50B 80%"
SB_EXCELLENT = "\U0001F4F6\u2074 Excellent | 5G | \U0001F4F1 Data Enabled | \U0001F50B 80%"


# -- builders ------------------------------------------------------------------------------------
def _line(line_id, number, plan="P1", status="Active", **extra):
    return {"line_id": line_id, "phone_number": number, "status": status, "plan_id": plan, **extra}


def _bill(bill_id, customer, status, issue="2025-02-05", items=()):
    items = [{"description": d, "amount": a, "date": issue, "item_type": "Charge"} for d, a in items]
    month = issue[:8]
    return {"bill_id": bill_id, "customer_id": customer, "period_start": month + "01", "period_end": month + "28",
            "issue_date": issue, "total_due": sum(i["amount"] for i in items), "due_date": month + "19",
            "line_items": items, "status": status}


def mini_db() -> dict:
    """A small raw telecom DB (optional keys absent) for precondition and quirk tests."""
    address = {"street": "1 Elm St", "city": "Austin", "state": "TX", "zip_code": "73301"}
    return {
        "plans": [{"plan_id": "P1", "name": "Small", "data_limit_gb": 5.0, "price_per_month": 30.0,
                   "data_refueling_price_per_gb": 2.0},
                  {"plan_id": "P2", "name": "Free", "data_limit_gb": 1.0, "price_per_month": 0.0,
                   "data_refueling_price_per_gb": 1.0}],
        "customers": [
            {"customer_id": "C1", "full_name": "Ann Lee", "date_of_birth": "1990-01-02", "email": "a@x.com",
             "phone_number": "555-000-0001", "address": address, "account_status": "Active",
             "line_ids": ["L1", "L2", "L3"], "bill_ids": ["B1", "B2", "B3"], "created_at": "2024-05-06T07:08:09"},
            {"customer_id": "C2", "full_name": "ann lee", "date_of_birth": "1990-01-02", "email": "b@x.com",
             "phone_number": "555-000-0002", "address": address, "line_ids": ["L4"], "bill_ids": ["B4"]},
        ],
        "lines": [_line("L1", "555-100-0001", roaming_enabled=True, device_id="D1"),
                  _line("L2", "555-100-0002", status="Suspended", suspension_start_date="2025-02-01"),
                  _line("L3", "555-100-0003", plan="P2", status="Pending Activation"),
                  _line("L4", "555-100-0004", data_used_gb=4.0)],
        "bills": [_bill("B1", "C1", "Paid", "2025-01-05", [("Small - Line 1", 30.0)]),
                  _bill("B2", "C1", "Overdue", "2025-02-05", [("Small - Line 1", 30.0), ("Fee", 5.0)]),
                  _bill("B3", "C1", "Draft", "2025-03-01"),
                  _bill("B4", "C2", "Issued", "2025-02-05", [("Small - Line 4", 30.0)])],
        "devices": [{"device_id": "D1", "device_type": "phone", "model": "P", "is_esim_capable": True,
                     "activated": True, "activation_date": "2025-01-20T14:30:00"}],
    }


def env_of(db: dict, user_db: dict | None = None) -> Environment:
    user = DOMAIN.user_base(user_db if user_db is not None else {})
    return Environment(DOMAIN, DOMAIN.base(db).store(), user.store())


def call(env: Environment, name: str, requestor: str = "assistant", **arguments) -> str:
    return env.step(name, arguments, requestor=requestor).content


def user(env: Environment, name: str, **arguments) -> str:
    return call(env, name, "user", **arguments)


@pytest.fixture
def env() -> Environment:
    return env_of(mini_db())


@pytest.fixture
def phone_env() -> Environment:
    """The mini DB with the user holding line L4 of customer C2."""
    env = env_of(mini_db())
    env.run("user", "set_user_info", {"name": "Bo", "phone_number": "555-100-0004"})
    return env


@pytest.fixture(scope="module")
def shipped() -> Environment:
    if not (TELECOM / "db.toml").exists():
        pytest.skip(f"tau2 telecom data not found at {TELECOM}")
    db = tomllib.loads((TELECOM / "db.toml").read_text())
    user_db = tomllib.loads((TELECOM / "user_db.toml").read_text())
    return Environment(DOMAIN, DOMAIN.base(db).store(), DOMAIN.user_base(user_db).store())


@pytest.fixture(scope="module")
def tasks() -> list:
    if not (TELECOM / "tasks.json").exists():
        pytest.skip(f"tau2 telecom tasks not found at {TELECOM}")
    return json.loads((TELECOM / "tasks.json").read_text())


def john(shipped: Environment) -> Environment:
    env = shipped.fork()
    env.run("user", "set_user_info", {"name": "John Smith", "phone_number": "555-123-2002"})
    return env


# -- wiring, schema, loading ----------------------------------------------------------------------
def test_tools_in_tau2_order_with_kinds_and_owners():
    assert [(t.name, t.kind) for t in DOMAIN.tools("agent")] == AGENT_TOOLS
    assert [(t.name, t.kind) for t in DOMAIN.tools("user")] == USER_TOOLS
    assert {t.owner for t in DOMAIN.tools("agent")} == {"TelecomTools"}
    assert {t.owner for t in DOMAIN.tools("user")} == {"TelecomUserTools"}
    assert DOMAIN.db_name == "TelecomDB" and DOMAIN.user_db_name == "TelecomUserDB" and DOMAIN.sync is not None
    assert "calculate" not in DOMAIN.agent.tools


def test_schemas_describe_every_argument():
    for tool in DOMAIN.tools("agent") + DOMAIN.tools("user"):
        fn = tool.schema["function"]
        assert fn["description"], tool.name
        for name, prop in fn["parameters"]["properties"].items():
            assert prop.get("description"), (tool.name, name)
    refuel = DOMAIN.agent.tools["refuel_data"].schema["function"]["parameters"]
    assert refuel["required"] == ["customer_id", "line_id", "gb_amount"]
    assert refuel["properties"]["gb_amount"]["type"] == "number"
    assert DOMAIN.agent.tools["get_bills_for_customer"].schema["function"]["parameters"]["required"] == ["customer_id"]


def test_policy_covers_main_policy_and_manual():
    policy = DOMAIN.policy
    assert policy.startswith("<main_policy>") and "</tech_support_policy>" in policy
    assert "YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON." in policy
    for needle in ("2025-02-25 12:08:00 EST", "2 GB", "reboot", "4g_5g_preferred", "grant_app_permission",
                   "reset_apn_settings", "toggle_roaming", "disconnect_vpn", "\U0001F4F6\u2074 Excellent"):
        assert needle in policy, needle


def test_shipped_db_loads_in_declaration_order(shipped):
    dump = shipped.db.dump()
    assert list(dump) == ["plans", "customers", "lines", "bills", "devices"]  # the TOML order differs
    c1 = dump["customers"][0]
    assert list(c1) == ["customer_id", "full_name", "date_of_birth", "email", "phone_number", "address",
                        "account_status", "payment_methods", "line_ids", "bill_ids", "created_at",
                        "last_extension_date", "goodwill_credit_used_this_year"]
    assert c1["created_at"] == "2025-01-15T10:30:00" and c1["last_extension_date"] is None
    assert dump["lines"][0]["suspension_start_date"] is None and dump["devices"][0]["last_esim_transfer_date"] is None
    assert dump["bills"][2]["line_items"] == []
    assert invariants(dump) == []
    phone_state = shipped.user_db.dump()
    assert phone_state == default_user_db()  # user_db.toml spells out the model defaults
    assert (phone_state["surroundings"]["signal_strength"]
            == {"2G": "poor", "3G": "fair", "4G": "good", "5G": "excellent"})


def test_unknown_keys_are_rejected():
    bad = mini_db()
    bad["lines"][0]["colour"] = "red"
    with pytest.raises(Exception, match="Extra inputs are not permitted"):
        DOMAIN.base(bad)
    with pytest.raises(Exception, match="Extra inputs are not permitted"):
        DOMAIN.user_base({"device": {"foo": 1}})


def test_default_created_at_is_a_date(env):
    customer = json.loads(call(env, "get_customer_by_id", customer_id="C2"))
    assert customer["created_at"] == "2025-01-01"
    assert customer["account_status"] == "Pending Verification" and customer["goodwill_credit_used_this_year"] == 0.0


# -- agent tools: literal outputs -----------------------------------------------------------------
def test_refuel_data_literal(shipped):
    env = john(shipped)
    env.run("agent", "set_data_usage", {"customer_id": "C1001", "line_id": "L1002", "data_used_gb": 15.1})
    out = call(env, "refuel_data", customer_id="C1001", line_id="L1002", gb_amount=2.0)
    assert out == ('{"message": "Successfully added 2.0 GB of data for line L1002 for $4.00", '
                   '"new_data_refueling_gb": "2.0", "charge": "4.0"}')
    draft = json.loads(call(env, "get_details_by_id", id="B1003"))
    assert draft["total_due"] == 4.0
    assert draft["line_items"] == [{"description": "Data refueling: 2.0 GB at $2.0/GB", "amount": 4.0,
                                    "date": "2025-02-25", "item_type": "Charge"}]


def test_refuel_with_an_int_amount_prints_it_raw(shipped):
    env = shipped.fork()
    out = json.loads(call(env, "refuel_data", customer_id="C1001", line_id="L1002", gb_amount=2))
    assert out == {"message": "Successfully added 2 GB of data for line L1002 for $4.00",
                   "new_data_refueling_gb": "2.0", "charge": "4.0"}
    assert env.db.get("bills", "B1003")["line_items"][0]["description"] == "Data refueling: 2 GB at $2.0/GB"
    out = json.loads(call(env, "refuel_data", customer_id="C1001", line_id="L1003", gb_amount=0.1))
    assert out["charge"] == "0.5" and out["message"].endswith("for $0.50")


def test_get_data_usage_stringifies_numbers(shipped):
    assert json.loads(call(shipped.fork(), "get_data_usage", customer_id="C1001", line_id="L1002")) == {
        "line_id": "L1002", "data_used_gb": "8.7", "data_limit_gb": "15.0", "data_refueling_gb": "0.0",
        "cycle_end_date": "2025-02-28"}


def test_model_dumps_print_datetimes_with_a_space(shipped):
    env = shipped.fork()
    customer = call(env, "get_customer_by_phone", phone_number="555-123-2002")
    assert '"created_at": "2025-01-15 10:30:00"' in customer
    assert customer.startswith('{"customer_id": "C1001", "full_name": "John Smith"')
    device = json.loads(call(env, "get_details_by_id", id="D1002"))
    assert device["activation_date"] == "2025-02-15 11:45:00"
    assert device["last_esim_transfer_date"] == "2025-01-20 09:30:00"
    assert env.db.get("devices", "D1002")["activation_date"] == "2025-02-15T11:45:00"  # the store keeps ISO
    line = json.loads(call(env, "get_details_by_id", id="L1003"))
    assert line["suspension_start_date"] == "2025-02-01" and line["data_used_gb"] == 0.0
    assert json.loads(call(env, "get_details_by_id", id="P1003"))["data_refueling_price_per_gb"] == 0.1


def test_customer_lookups(shipped, env):
    assert (json.loads(call(shipped.fork(), "get_customer_by_phone", phone_number="555-123-2001"))["customer_id"]
            == "C1001")
    assert (json.loads(call(shipped.fork(), "get_customer_by_phone", phone_number="555-123-1002"))["customer_id"]
            == "C1002")
    found = json.loads(call(env, "get_customer_by_name", full_name="ANN LEE", dob="1990-01-02"))
    assert [c["customer_id"] for c in found] == ["C1", "C2"]
    assert call(env, "get_customer_by_name", full_name="Ann Lee", dob="1990-1-2") == "[]"


def test_bills_sorted_newest_first_with_limit(shipped):
    env = shipped.fork()
    bills = json.loads(call(env, "get_bills_for_customer", customer_id="C1001"))
    assert [b["bill_id"] for b in bills] == ["B1003", "B1002", "B1001"]
    assert ([b["bill_id"] for b in json.loads(call(env, "get_bills_for_customer", customer_id="C1001", limit=1))]
            == ["B1003"])
    assert ([b["bill_id"] for b in json.loads(call(env, "get_bills_for_customer", customer_id="C1001", limit=-1))]
            == ["B1003", "B1002"])


def test_suspend_and_resume(env):
    out = json.loads(call(env, "suspend_line", customer_id="C1", line_id="L1", reason="travel"))
    assert out["message"] == "Line suspended successfully. $5/month holding fee will apply."
    assert out["line"]["status"] == "Suspended" and out["line"]["suspension_start_date"] == "2025-02-25"
    assert out["line"]["data_used_gb"] == 0.0  # numbers inside a nested record stay numeric
    out = json.loads(call(env, "resume_line", customer_id="C1", line_id="L1"))
    assert out == {"message": "Line resumed successfully", "line": {**out["line"], "status": "Active",
                                                                     "suspension_start_date": None}}
    assert json.loads(call(env, "resume_line", customer_id="C1", line_id="L3"))["line"]["status"] == "Active"


def test_roaming_toggles(env):
    assert call(env, "enable_roaming", customer_id="C1", line_id="L1") == "Roaming was already enabled"
    assert call(env, "disable_roaming", customer_id="C1", line_id="L1") == "Roaming disabled successfully"
    assert call(env, "disable_roaming", customer_id="C1", line_id="L1") == "Roaming was already disabled"
    assert call(env, "enable_roaming", customer_id="C1", line_id="L1") == "Roaming enabled successfully"


def test_send_payment_request_even_for_a_paid_bill(env):
    # tau2 does not check the bill's status: a paid bill goes back to awaiting payment.
    assert call(env, "send_payment_request", customer_id="C1", bill_id="B1") == \
        "Payment request sent to the customer for bill B1"
    assert env.db.get("bills", "B1")["status"] == "Awaiting Payment"
    assert call(env, "send_payment_request", customer_id="C1", bill_id="B2") == \
        "Error: A bill is already awaiting payment for this customer"


def test_one_time_charge_opens_a_deterministic_draft_bill(env):
    first = env.fork()
    call(first, "refuel_data", customer_id="C2", line_id="L4", gb_amount=1.5)
    second = env.fork()
    call(second, "refuel_data", customer_id="C2", line_id="L4", gb_amount=1.5)
    new_id = first.db.get("customers", "C2")["bill_ids"][-1]
    assert new_id == second.db.get("customers", "C2")["bill_ids"][-1]  # no uuid4: reproducible
    assert len(new_id) == 9 and new_id.startswith("B") and int(new_id[1:], 16) >= 0
    bill = first.db.get("bills", new_id)
    assert (bill["period_start"], bill["period_end"], bill["issue_date"], bill["due_date"], bill["status"]) == \
        ("2025-03-01", "2025-03-31", "2025-03-01", "2025-03-15", "Draft")
    assert bill["total_due"] == 3.0 and bill["line_items"][0]["item_type"] == "Charge"
    assert list(first.db.keys("bills"))[-1] == new_id
    assert first.fingerprint() == second.fingerprint() == fingerprint(first.db.dump())


def test_set_data_usage_stores_the_raw_value(env):
    assert env.run("agent", "set_data_usage", {"customer_id": "C1", "line_id": "L1", "data_used_gb": 7}) == \
        "Data usage set to 7 GB for line L1"
    assert json.loads(call(env, "get_data_usage", customer_id="C1", line_id="L1"))["data_used_gb"] == "7"


# -- agent tools: precondition errors -------------------------------------------------------------
@pytest.mark.parametrize("name, args, expected", [
    ("get_customer_by_id", {"customer_id": "C9"}, "Customer with ID C9 not found"),
    ("get_customer_by_phone", {"phone_number": "555"}, "Customer with phone number 555 not found"),
    ("get_details_by_id", {"id": "L9"}, "Line with ID L9 not found"),
    ("get_details_by_id", {"id": "D9"}, "Device with ID D9 not found"),
    ("get_details_by_id", {"id": "B9"}, "Bill with ID B9 not found"),
    ("get_details_by_id", {"id": "C9"}, "Customer with ID C9 not found"),
    ("get_details_by_id", {"id": "P9"}, "Plan with ID P9 not found"),
    ("get_details_by_id", {"id": "x1"}, "Unknown ID format or type: x1"),
    ("get_details_by_id", {"id": 5}, "'int' object has no attribute 'startswith'"),
    ("suspend_line", {"customer_id": "C9", "line_id": "L1", "reason": "r"}, "Customer with ID C9 not found"),
    ("suspend_line", {"customer_id": "C1", "line_id": "L4", "reason": "r"}, "Line L4 not found for customer C1"),
    ("suspend_line", {"customer_id": "C1", "line_id": "L2", "reason": "r"}, "Line must be active to suspend"),
    ("resume_line", {"customer_id": "C1", "line_id": "L1"}, "Line must be suspended to resume"),
    ("get_bills_for_customer", {"customer_id": "C1", "limit": "3"},
     "slice indices must be integers or None or have an __index__ method"),
    ("send_payment_request", {"customer_id": "C1", "bill_id": "B4"}, "Bill B4 not found for customer C1"),
    ("send_payment_request", {"customer_id": "C9", "bill_id": "B4"}, "Customer with ID C9 not found"),
    ("get_data_usage", {"customer_id": "C1", "line_id": "L9"}, "Line L9 not found for customer C1"),
    ("enable_roaming", {"customer_id": "C2", "line_id": "L1"}, "Line L1 not found for customer C2"),
    ("refuel_data", {"customer_id": "C1", "line_id": "L1", "gb_amount": 0}, "Refuel amount must be positive"),
    ("refuel_data", {"customer_id": "C1", "line_id": "L1", "gb_amount": "2"},
     "'<=' not supported between instances of 'str' and 'int'"),
    ("get_customer_by_id", {},
     "TelecomTools.get_customer_by_id() missing 1 required positional argument: 'customer_id'"),
    ("suspend_line", {"customer_id": "C1"},
     "TelecomTools.suspend_line() missing 2 required positional arguments: 'line_id' and 'reason'"),
    ("get_customer_by_id", {"customer_id": "C1", "x": 1},
     "TelecomTools.get_customer_by_id() got an unexpected keyword argument 'x'"),
    ("toggle_data", {}, "Tool 'toggle_data' not found."),
    ("calculate", {"expression": "1+1"}, "Tool 'calculate' not found."),
])
def test_agent_errors(env, name, args, expected):
    before = env.fingerprint()
    result = env.step(name, args)
    assert result.error and result.content == f"Error: {expected}"
    assert env.fingerprint() == before


def test_user_side_errors(env):
    assert user(env, "get_customer_by_id", customer_id="C1") == "Error: Tool 'get_customer_by_id' not found."
    assert user(env, "check_app_status") == \
        "Error: TelecomUserTools.check_app_status() missing 1 required positional argument: 'app_name'"


def test_initialisation_helper_errors(env):
    run = env.run
    with pytest.raises(ValueError, match="^Line must be active to suspend for unpaid bill$"):
        run("agent", "suspend_line_for_overdue_bill",
            {"customer_id": "C1", "line_id": "L2", "new_bill_id": "BX", "contract_ended": False})
    with pytest.raises(ValueError, match="^Amount must be positive for overdue bill$"):
        e = env.fork()  # a free plan on an active line
        e.db.edit("lines", "L1")["plan_id"] = "P2"
        e.run("agent", "suspend_line_for_overdue_bill",
              {"customer_id": "C1", "line_id": "L1", "new_bill_id": "BX", "contract_ended": False})
    with pytest.raises(ValueError, match="^Customer already has an overdue bill$"):
        run("agent", "suspend_line_for_overdue_bill",
            {"customer_id": "C1", "line_id": "L1", "new_bill_id": "BX", "contract_ended": False})
    with pytest.raises(ValueError, match="^Overdue bill B9 not found$"):
        run("agent", "assert_overdue_bill_exists", {"customer_id": "C1", "overdue_bill_id": "B9"})
    with pytest.raises(ValueError, match="^Overdue bill B1 is not overdue$"):
        run("agent", "assert_overdue_bill_exists", {"customer_id": "C1", "overdue_bill_id": "B1"})
    assert run("agent", "assert_overdue_bill_exists", {"customer_id": "C1", "overdue_bill_id": "B2"}) is True
    assert run("agent", "assert_no_overdue_bill", {"overdue_bill_id": "B9"}) is True
    assert run("agent", "assert_no_overdue_bill", {"overdue_bill_id": "B2"}) is False
    assert run("agent", "assert_line_status", {"customer_id": "C1", "line_id": "L2", "expected_status": "Suspended"})
    with pytest.raises(ValueError, match="^'nope' is not a valid NetworkStatus$"):
        run("user", "assert_service_status", {"expected_status": "nope"})


def test_suspend_line_for_overdue_bill(env):
    out = env.run("agent", "suspend_line_for_overdue_bill",
                  {"customer_id": "C2", "line_id": "L4", "new_bill_id": "B77", "contract_ended": True})
    assert out == "Line L4 suspended for unpaid bill B77. Contract ended: True"
    bill = env.db.get("bills", "B77")
    assert bill == {"bill_id": "B77", "customer_id": "C2", "period_start": "2025-01-01", "period_end": "2025-01-31",
                    "issue_date": "2025-01-01", "total_due": 30.0, "due_date": "2025-01-15",
                    "line_items": [{"description": "Charge for line L4", "amount": 30.0, "date": "2025-02-25",
                                    "item_type": "Charge"}], "status": "Overdue"}
    line = env.db.get("lines", "L4")
    assert ((line["status"], line["suspension_start_date"], line["contract_end_date"])
            == ("Suspended", "2025-02-25", "2025-01-31"))
    assert env.db.get("customers", "C2")["bill_ids"] == ["B4", "B77"]
    with pytest.raises(Exception, match="^1 validation error for Bill"):
        e = env_of(mini_db())
        e.run("agent", "suspend_line_for_overdue_bill",
              {"customer_id": "C2", "line_id": "L4", "new_bill_id": 7, "contract_ended": False})


# -- tau2's 20 telecom tasks ----------------------------------------------------------------------
def _replay(shipped: Environment, task: dict, sync: bool) -> tuple[Environment, list]:
    env = shipped.fork()
    env.apply_initial_state(task["initial_state"])
    results = [env.step(a["name"], a["arguments"], requestor=a["requestor"], sync=sync)
               for a in task["evaluation_criteria"]["actions"]]
    return env, results


def _failed_assertions(env: Environment, task: dict) -> list[str]:
    failed = []
    for check in task["evaluation_criteria"]["env_assertions"]:
        side = "user" if check["env_type"] == "user" else "agent"
        if env.run(side, check["func_name"], check["arguments"], sync=False) != check.get("assert_value", True):
            failed.append(check["func_name"])
    return failed


# Replaying gold actions without per-call sync (tau2's evaluator) leaves the phone behind the agent
# DB in these tasks, so their env assertions only hold on the live (synced) path.
NO_SYNC_FAILURES = {
    "[mobile_data_issue]user_abroad_roaming_disabled_on[PERSONA:Easy]":
        ["assert_mobile_data_status", "assert_internet_speed"],
    "[mobile_data_issue]user_abroad_roaming_disabled_off[PERSONA:Hard]":
        ["assert_mobile_data_status", "assert_internet_speed"],
    "[mobile_data_issue]data_usage_exceeded[PERSONA:Easy]": ["assert_mobile_data_status", "assert_internet_speed"],
    "[service_issue]overdue_bill_suspension[PERSONA:Easy]": ["assert_service_status", "assert_no_overdue_bill"],
}


def test_gold_replay_live_path_all_assertions_hold(shipped, tasks):
    base_fp, base_user_fp = shipped.fingerprint(), shipped.user_fingerprint()
    calls = errors = 0
    for task in tasks:
        env, results = _replay(shipped, task, sync=True)
        calls += len(results)
        errors += sum(r.error for r in results)
        assert _failed_assertions(env, task) == [], task["id"]
        assert env.fingerprint() == fingerprint(env.db.dump())
        assert env.user_fingerprint() == fingerprint(env.user_db.dump())
    assert (len(tasks), calls, errors) == (20, 27, 0)
    assert (shipped.fingerprint(), shipped.user_fingerprint()) == (base_fp, base_user_fp)


def test_gold_replay_without_sync(shipped, tasks):
    failures = {}
    for task in tasks:
        env, results = _replay(shipped, task, sync=False)
        assert not any(r.error for r in results), task["id"]
        if failed := _failed_assertions(env, task):
            failures[task["id"]] = failed
        if task["id"].startswith("[service_issue]overdue_bill_suspension"):
            assert [r.content for r in results][1] == "You do not have a payment request."
    assert failures == NO_SYNC_FAILURES


def test_gold_outputs_match_tau2_literals(shipped, tasks):
    by_id = {t["id"]: t for t in tasks}
    _, results = _replay(shipped, by_id["[mobile_data_issue]data_usage_exceeded[PERSONA:Easy]"], sync=True)
    assert results[0].content == ('{"message": "Successfully added 2.0 GB of data for line L1002 for $4.00", '
                                  '"new_data_refueling_gb": "2.0", "charge": "4.0"}')
    _, results = _replay(shipped, by_id["[mobile_data_issue]bad_vpn[PERSONA:None]"], sync=True)
    assert results[0].content == f"VPN disconnected successfully.\nStatus Bar: {SB_DEFAULT}"
    _, results = _replay(shipped, by_id["[service_issue]break_apn_settings[PERSONA:None]"], sync=True)
    assert [r.content for r in results] == [
        "APN settings will reset at reboot.\nStatus Bar: \U0001F4F5 No Signal | \U0001F4F5 Data Disabled | "
        "\U0001F50B 80%",
        f"Resetting APN settings...\nRestarting network services...\nStatus Bar: {SB_EXCELLENT}"]

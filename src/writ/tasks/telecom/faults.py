"""The telecom faults a task can inject, how each is set up, detected and checked.

A telecom task is a phone (and account) broken on purpose by `initial_state` actions, as in tau2's
own telecom tasks. Each fault has exactly one remedy (one or two writes, on the phone or on the
account), so the diagnosis determines the gold writes. This module knows, per fault: which layer of
the troubleshooting workflow it belongs to, the initialisation actions that create it, how to see it
in an environment's state (`detect_faults`, the uniqueness re-check), and the env assertions that
hold once everything is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from writ.core import Environment
from writ.domains.telecom.records import TODAY

__all__ = [
    "AGENT_FAULTS", "Account", "FIX_WRITES", "LAYERS", "ORDER", "Plan", "USER_FAULTS", "accounts",
    "detect_faults", "env_assertions", "initial_state", "live_assertions", "relevant",
]

# Workflow order of every fault (Path 1 service, Path 2.1 availability, Path 2.2 speed, Path 3 MMS).
ORDER = ["airplane", "sim", "apn", "suspended", "roaming_phone", "roaming_line", "data_off", "usage",
         "saver", "mode", "vpn", "mmsc", "wifi_calling", "perms", "family_suspended"]
LAYERS = {
    "airplane": "service", "sim": "service", "apn": "service", "suspended": "service",
    "roaming_phone": "avail", "roaming_line": "avail", "data_off": "avail", "usage": "avail",
    "saver": "slow", "mode": "slow", "vpn": "slow",  # "mode" (2G) is also an MMS fault
    "mmsc": "mms", "wifi_calling": "mms", "perms": "mms",
    "family_suspended": "account",  # another line of the account is suspended (complaint "line")
}
AGENT_FAULTS = {"suspended", "roaming_line", "usage", "family_suspended"}
USER_FAULTS = [fault for fault in ORDER if fault not in AGENT_FAULTS]
FIX_WRITES = {"apn": 2, "mmsc": 2, "suspended": 2}  # others: 1 (perms: one per missing permission)
REFUEL_CAP_GB = 2.0  # the policy's "At most 2 GB can be refueled"
UNLIMITED_GB = 100.0  # plans at or above this allowance are never "used up" in a generated task


@dataclass(frozen=True)
class Account:
    """A customer and the line of the phone in the user's hand."""

    customer_id: str
    name: str
    phone: str
    line_id: str
    line_ids: tuple[str, ...]
    plan_id: str
    plan_name: str
    limit_gb: float
    refuel_price: float
    price_per_month: float
    used_gb: float
    refueled_gb: float
    roaming_enabled: bool
    contract_end: str | None
    city: str
    state: str
    usage_ok: bool  # a "data used up" fault fits (limited plan, room left under the refuel cap)
    suspend_ok: bool  # an overdue-bill suspension can be set up (and lifted under the policy)
    # Other lines of the customer whose suspension can be lifted: (line_id, phone, k, already suspended).
    family: tuple[tuple[str, str, int, bool], ...] = ()

    @property
    def lines_to_read(self) -> int:
        """How many line records the agent reads to find this line (in the customer's order)."""
        return self.line_ids.index(self.line_id) + 1


@dataclass
class Plan:
    """One drafted task's design: who, which complaint, which faults, what the customer says about them.

    `modes` says per fault how the customer's words point to it: *disclosed* (they name the faulty
    setting), *hinted* (a clue), *diagnosed* (nothing). `herrings` are settings the customer's words
    point to that turn out fine (the agent checks them first and rules them out). Whatever the
    customer says, the agent checks before it fixes.
    """

    account: Account
    complaint: str  # service, data, mms, data+mms, line, refuel, roaming, usage
    abroad: bool
    faults: list[str]  # in workflow order
    modes: dict[str, str]
    herrings: tuple[str, ...] = ()
    mode_from: str = "2g_only"  # the broken network mode
    mode_to: str = "4g_5g_preferred"  # the one the customer picks for MMS (data: always 4G/5G)
    perms: tuple[str, ...] = ()  # messaging permissions removed
    refuel_gb: float = 0.0  # how much data the customer wants
    overage_gb: float = 0.0
    bill_id: str = ""  # the overdue bill of a suspension
    country: str = ""
    family_line: tuple[str, str, int, bool] | None = None  # the other line of a "line" complaint
    relation: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    paid: bool = True  # the overdue bill behind a suspension was paid before the call
    contract_ended: bool = False  # the suspended line's contract is over (cannot be lifted)
    sim_lock: str = ""  # "pin" or "puk": a locked SIM, which only technical support can unlock

    def writes(self) -> int:
        return sum(len(self.perms) if fault == "perms" else FIX_WRITES.get(fault, 1) for fault in self.faults)

    def request_of(self, fault: str) -> int:
        return 1 if self.complaint == "data+mms" and LAYERS[fault] == "mms" else 0

    @property
    def blocked(self) -> bool:
        """The policy-correct handling ends without the fix (a refusal or a transfer)."""
        return bool(self.sim_lock) or self.contract_ended or not self.paid


def relevant(complaint: str) -> set[str]:
    """The faults a complaint's troubleshooting can find (and its assertions depend on)."""
    if complaint == "line":
        return {"family_suspended"}
    if complaint in ("refuel", "usage"):
        return {"usage"}
    if complaint == "roaming":
        return {"roaming_line"}
    base = {"airplane", "sim", "apn", "suspended"}
    if complaint == "service":
        return base
    base |= {"roaming_phone", "roaming_line", "data_off", "usage"}
    if complaint in ("data", "data+mms"):
        base |= {"saver", "mode", "vpn"}
    if complaint in ("mms", "data+mms"):
        base |= {"mode", "mmsc", "wifi_calling", "perms"}
    return base


def accounts(db) -> list[Account]:
    """Every active line whose number finds its own customer, with what each fault needs."""
    out = []
    for customer in db.values("customers"):
        if customer["account_status"] == "Closed":
            continue
        bills = [db.get("bills", bill_id) for bill_id in customer["bill_ids"] if db.has("bills", bill_id)]
        bills_clear = all(bill["status"] not in ("Overdue", "Awaiting Payment") for bill in bills)
        family = []
        for position, line_id in enumerate(customer["line_ids"], start=1):
            line = db.get("lines", line_id) if db.has("lines", line_id) else None
            if line is None or not bills_clear or not line["contract_end_date"] or line["contract_end_date"] <= TODAY:
                continue
            price = db.get("plans", line["plan_id"])["price_per_month"] if db.has("plans", line["plan_id"]) else 0
            if line["status"] == "Suspended" or (line["status"] == "Active" and price > 0):
                family.append((line_id, line["phone_number"], position, line["status"] == "Suspended"))
        for line_id in customer["line_ids"]:
            line = db.get("lines", line_id) if db.has("lines", line_id) else None
            if line is None or line["status"] != "Active":
                continue
            if _owner(db, line["phone_number"]) != customer["customer_id"]:
                continue
            plan = db.get("plans", line["plan_id"]) if db.has("plans", line["plan_id"]) else None
            if plan is None:
                continue
            limit, refueled, used = plan["data_limit_gb"], line["data_refueling_gb"], line["data_used_gb"]
            if used >= limit + refueled:  # already out of data: an unplanned fault
                continue
            contract = line["contract_end_date"]
            out.append(Account(
                customer_id=customer["customer_id"], name=customer["full_name"], phone=line["phone_number"],
                line_id=line_id, line_ids=tuple(customer["line_ids"]), plan_id=plan["plan_id"],
                plan_name=plan["name"], limit_gb=float(limit), refuel_price=float(plan["data_refueling_price_per_gb"]),
                price_per_month=float(plan["price_per_month"]), used_gb=float(used), refueled_gb=float(refueled),
                roaming_enabled=bool(line["roaming_enabled"]), contract_end=contract,
                city=customer["address"]["city"], state=customer["address"]["state"],
                usage_ok=limit < UNLIMITED_GB and refueled <= REFUEL_CAP_GB - 0.1,
                suspend_ok=bills_clear and plan["price_per_month"] > 0 and bool(contract) and contract > TODAY,
                family=tuple(member for member in family if member[0] != line_id),
            ))
    return out


def _owner(db, phone: str) -> str | None:
    """The customer `get_customer_by_phone` finds first (tau2's scan order)."""
    for customer in db.values("customers"):
        if customer["phone_number"] == phone:
            return customer["customer_id"]
        for line_id in customer["line_ids"]:
            if db.has("lines", line_id) and db.get("lines", line_id)["phone_number"] == phone:
                return customer["customer_id"]
    return None


def _action(env_type: str, func: str, **arguments: Any) -> dict[str, Any]:
    return {"env_type": env_type, "func_name": func, "arguments": arguments}


def initial_state(plan: Plan) -> dict[str, Any]:
    """tau2 initialisation actions that break the phone and account exactly as `plan` says."""
    account, faults = plan.account, set(plan.faults)
    acts = [_action("user", "set_user_info", name=account.name, phone_number=account.phone)]
    if plan.abroad:
        acts.append(_action("user", "set_user_location", abroad=True))
        if "roaming_line" in faults and account.roaming_enabled:
            acts.append(_action("assistant", "disable_roaming", customer_id=account.customer_id,
                                line_id=account.line_id))
        elif "roaming_line" not in faults and not account.roaming_enabled:
            acts.append(_action("assistant", "enable_roaming", customer_id=account.customer_id,
                                line_id=account.line_id))
    if "usage" in faults:
        used = round(account.limit_gb + account.refueled_gb + plan.overage_gb, 2)
        acts.append(_action("assistant", "set_data_usage", customer_id=account.customer_id, line_id=account.line_id,
                            data_used_gb=used))
    if "family_suspended" in faults and not plan.family_line[3]:
        acts += _suspension(plan, plan.family_line[0])
    if "suspended" in faults:
        acts += _suspension(plan, account.line_id)
    # Phone faults; airplane mode first because switching it on drops a VPN connection.
    if plan.sim_lock:
        acts.append(_action("user", "lock_sim_card", mode=plan.sim_lock))
    if "airplane" in faults:
        acts.append(_action("user", "turn_airplane_mode_on"))
    if "sim" in faults:
        acts.append(_action("user", "unseat_sim_card"))
    if "apn" in faults:
        acts.append(_action("user", "break_apn_settings"))
    if plan.abroad:
        acts.append(_action("user", "turn_roaming_off" if "roaming_phone" in faults else "turn_roaming_on"))
    if "data_off" in faults:
        acts.append(_action("user", "turn_data_off"))
    if "saver" in faults:
        acts.append(_action("user", "turn_data_saver_mode_on"))
    if "mode" in faults:
        acts.append(_action("user", "set_network_mode_preference", mode=plan.mode_from))
    if "wifi_calling" in faults:
        acts.append(_action("user", "set_wifi_calling", enabled=True, mms_over_wifi=True))
    for perm in plan.perms:
        acts.append(_action("user", "remove_app_permission", app_name="messaging", permission=perm))
    if "mmsc" in faults:
        acts.append(_action("user", "break_apn_mms_setting"))
    if "vpn" in faults:
        acts.append(_action("user", "break_vpn"))
    if "suspended" in faults:
        acts.append(_action("user", "simulate_network_search"))
    return {"initialization_data": None, "initialization_actions": acts, "message_history": None}


def _suspension(plan: Plan, line_id: str) -> list[dict[str, Any]]:
    """An overdue bill suspends the line; paid before the call (the line stays suspended) unless not."""
    account = plan.account
    acts = [_action("assistant", "suspend_line_for_overdue_bill", customer_id=account.customer_id, line_id=line_id,
                    new_bill_id=plan.bill_id, contract_ended=plan.contract_ended)]
    if plan.paid and not plan.contract_ended:
        acts += [_action("assistant", "send_payment_request", customer_id=account.customer_id, bill_id=plan.bill_id),
                 _action("user", "make_payment")]
    return acts


def detect_faults(env: Environment, account: Account, complaint: str, family_line: str = "") -> dict[str, Any]:
    """What is wrong in `env` for this user and complaint: fault -> detail (the perms missing, ...)."""
    if complaint == "line":
        other = env.db.get("lines", family_line)
        return {"family_suspended": other["status"]} if other["status"] != "Active" else {}
    device, surroundings = env.user_db.get("device"), env.user_db.get("surroundings")
    line = env.db.get("lines", account.line_id)
    plan = env.db.get("plans", line["plan_id"])
    apn = device["active_apn_settings"]
    found: dict[str, Any] = {}
    if device["airplane_mode"]:
        found["airplane"] = True
    if device["sim_card_missing"]:
        found["sim"] = True
    if device["sim_card_status"] != "active":
        found["sim_locked"] = device["sim_card_status"]
    if apn["apn_name"] == "broken":
        found["apn"] = True
    if line["status"] != "Active":
        found["suspended"] = line["status"]
    if surroundings["is_abroad"] and not device["roaming_enabled"]:
        found["roaming_phone"] = True
    if surroundings["is_abroad"] and not line["roaming_enabled"]:
        found["roaming_line"] = True
    if not device["data_enabled"]:
        found["data_off"] = True
    if line["data_used_gb"] >= plan["data_limit_gb"] + line["data_refueling_gb"]:
        found["usage"] = True
    if device["data_saver_mode"]:
        found["saver"] = True
    mode = device["network_mode_preference"]
    if mode in ("2g_only", "3g_only") and (mode == "2g_only" or complaint in ("data", "data+mms")):
        found["mode"] = mode
    if device["vpn_connected"] and (device["vpn_details"] or {}).get("server_performance") == "poor":
        found["vpn"] = True
    if apn["mmsc_url"] is None:
        found["mmsc"] = True
    if device["wifi_calling_enabled"] and device["wifi_calling_mms_over_wifi"]:
        found["wifi_calling"] = True
    messaging = device["app_statuses"].get("messaging")
    missing = [permission for permission in ("sms", "storage") if messaging is None
               or not messaging["permissions"][permission]]
    if missing:
        found["perms"] = missing
    keep = relevant(complaint) | {"sim_locked"}
    return {key: value for key, value in found.items() if key in keep}


def _assert(env_type: str, func: str, **arguments: Any) -> dict[str, Any]:
    return {"env_type": env_type, "func_name": func, "arguments": arguments, "assert_value": True,
            "message": None}


def live_assertions(plan: Plan) -> list[dict[str, Any]]:
    """What holds at the end of a live (synced) conversation that follows the gold actions."""
    account = plan.account
    if plan.blocked:
        return _blocked_assertions(plan)
    out = []
    if plan.complaint == "service":
        out.append(_assert("user", "assert_service_status", expected_status="connected"))
    if plan.complaint in ("data", "data+mms", "roaming"):
        out.append(_assert("user", "assert_mobile_data_status", expected_status=True))
    if plan.complaint in ("data", "data+mms"):
        out.append(_assert("user", "assert_internet_speed", expected_speed=200, expected_desc="excellent"))
    if plan.complaint in ("mms", "data+mms"):
        out.append(_assert("user", "assert_can_send_mms", expected_status=True))
    if "usage" in plan.faults:
        amount = plan.refuel_gb if plan.refuel_gb <= round(REFUEL_CAP_GB - account.refueled_gb, 2) else 0.0
        out.append(_assert("assistant", "assert_data_refueling_amount", customer_id=account.customer_id,
                           line_id=account.line_id, expected_amount=account.refueled_gb + amount))
    if "suspended" in plan.faults or "family_suspended" in plan.faults:
        line_id = plan.family_line[0] if plan.family_line else account.line_id
        out.append(_assert("assistant", "assert_line_status", customer_id=account.customer_id, line_id=line_id,
                           expected_status="Active"))
        if plan.bill_id:
            out.append(_assert("assistant", "assert_no_overdue_bill", overdue_bill_id=plan.bill_id))
    return out


def _blocked_assertions(plan: Plan) -> list[dict[str, Any]]:
    """A request the policy cannot grant: the line stays suspended, the phone without service."""
    account = plan.account
    out = []
    if plan.complaint == "service":
        out.append(_assert("user", "assert_service_status", expected_status="no_service"))
    if "suspended" in plan.faults or "family_suspended" in plan.faults:
        line_id = plan.family_line[0] if plan.family_line else account.line_id
        out.append(_assert("assistant", "assert_line_status", customer_id=account.customer_id, line_id=line_id,
                           expected_status="Suspended"))
    return out


def env_assertions(plan: Plan) -> list[dict[str, Any]]:
    """The task's assertions: those of the live path that also hold on tau2's gold replay.

    The gold replay runs without per-call sync and syncs once at the end. Everything holds there
    except service after a lifted suspension: the phone's last network search ran while the line
    still looked inactive, and sync never searches. So a suspension task asserts the account side
    and the phone settings instead (the live-path check in the generator covers the service).
    """
    live = live_assertions(plan)
    if "suspended" not in plan.faults or plan.blocked:
        return live
    out = [action for action in live if action["env_type"] == "assistant"]
    if "airplane" in plan.faults:
        out.append(_assert("user", "assert_airplane_mode_status", expected_status=False))
    return out

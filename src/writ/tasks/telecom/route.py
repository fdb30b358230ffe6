"""The gold troubleshooting route: which checks and fixes a policy-following agent performs, in order.

`route(plan)` walks the technical-support workflow of the telecom policy symbolically (the faults
are known, so every check's outcome is known) and returns the calls a competent agent makes:

1. identify the customer (`get_customer_by_phone`, the authentication read);
2. per user request, first the faults the user already described: a *disclosed* fault ("I can see
   the airplane icon") is fixed at once, a *hinted* one ("I dropped my phone this morning") after
   the one check it points to;
3. then, if the problem persists, the workflow: the symptom check of the complaint (status bar,
   speed test, can_send_mms), the checks of each step in the policy's order (rule-outs when the
   step's setting is fine), the fix when a step finds its fault, and the symptom check again after
   every fix (Path 1 service -> Path 2.1 data availability -> Path 2.2 speed -> Path 3 MMS).

A read repeated with no write in between is made once; the customer's line records are read once,
in the customer's order, up to the user's line. The evidence of a write is the number of reads since
the previous write, so the route fixes the task's evidence profile before anything is executed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from writ.tasks.telecom.faults import ORDER, Plan

__all__ = ["Call", "evidence_profile", "route"]


@dataclass
class Call:
    name: str
    arguments: dict[str, Any]
    side: str  # "user" (the phone) or "agent"
    write: bool
    request: int
    fault: str = ""  # the fault a write fixes, or the step a read checks
    role: str = ""  # auth, pin, rule, symptom, verify, extra, lookup, fix


SERVICE = ["airplane", "sim", "apn", "suspended"]
SLOW = ["saver", "mode", "vpn"]
MMS_STEPS = ["mode", "mmsc", "wifi_calling", "perms"]
_SERVICE, _SLOW, _MMS = frozenset(SERVICE), frozenset(SLOW), frozenset(MMS_STEPS)
_AVAIL = frozenset({"roaming_phone", "roaming_line", "data_off", "usage"})


class _Walker:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.a = plan.account
        self.calls: list[Call] = []
        self.since_write: set[tuple] = set()
        self.lines_known = False
        self.remaining: set[str] = set()
        self.request = 0
        self.context = "data"  # which path a "mode" check belongs to (data: preference, mms: network type)

    # -- emitting ---------------------------------------------------------------------------------
    def read(self, name: str, arguments: dict | None = None, side: str = "user", fault: str = "", role: str = "") -> None:
        arguments = arguments or {}
        key = (side, name, tuple(arguments.items()))
        if key in self.since_write:
            return
        self.since_write.add(key)
        self.calls.append(Call(name, arguments, side, False, self.request, fault, role))

    def write(self, name: str, arguments: dict | None = None, side: str = "user", fault: str = "") -> None:
        self.since_write.clear()
        self.calls.append(Call(name, arguments or {}, side, True, self.request, fault, "fix"))

    def lines(self) -> None:
        if self.lines_known:
            return
        self.lines_known = True
        for line_id in self.a.line_ids[: self.a.k]:
            self.read("get_details_by_id", {"id": line_id}, "agent", role="lookup")

    # -- the state, symbolically --------------------------------------------------------------------
    def service_ok(self) -> bool:
        return self.remaining.isdisjoint(_SERVICE)

    def data_ok(self) -> bool:
        return self.service_ok() and self.remaining.isdisjoint(_AVAIL)

    def fast(self) -> bool:
        return self.data_ok() and self.remaining.isdisjoint(_SLOW)

    def mms_ok(self) -> bool:
        return self.data_ok() and self.remaining.isdisjoint(_MMS)

    # -- one workflow step: its check, and its fix when the check finds the fault -----------------
    def check(self, fault: str, role: str = "rule") -> None:
        role = "pin" if fault in self.remaining or role == "pin" else role
        x, a = self.plan.extras, self.a
        if fault in ("airplane", "roaming_phone", "data_off"):
            self.read("check_network_status", fault=fault, role=role)
        elif fault == "sim":
            self.read("check_sim_status", fault=fault, role=role)
        elif fault in ("apn", "mmsc"):
            self.read("check_apn_settings", fault=fault, role=role)
        elif fault == "suspended":
            self.lines()
            self.read("get_bills_for_customer", {"customer_id": a.customer_id}, "agent", fault, role)
            if "bill" in x:
                self.read("get_details_by_id", {"id": self.plan.bill_id}, "agent", fault, "extra")
        elif fault == "roaming_line":
            self.lines()
        elif fault == "usage":
            self.lines()
            self.read("get_data_usage", {"customer_id": a.customer_id, "line_id": a.line_id}, "agent", fault, role)
            if fault in self.remaining or role == "pin":
                self.read("get_details_by_id", {"id": a.plan_id}, "agent", fault, role)
        elif fault == "saver":
            self.read("check_data_restriction_status", fault=fault, role=role)
        elif fault == "mode":
            if self.context == "mms":
                self.read("check_network_status", fault=fault, role=role)
                if "mode" in x:
                    self.read("check_network_mode_preference", fault=fault, role="extra")
            else:
                self.read("check_network_mode_preference", fault=fault, role=role)
        elif fault == "vpn":
            self.read("check_vpn_status", fault=fault, role=role)
        elif fault == "wifi_calling":
            self.read("check_wifi_calling_status", fault=fault, role=role)
        elif fault == "perms":
            if "apps" in x:
                self.read("check_installed_apps", fault=fault, role="extra")
            if "app_status" in x:
                self.read("check_app_status", {"app_name": "messaging"}, fault=fault, role="extra")
            self.read("check_app_permissions", {"app_name": "messaging"}, fault=fault, role=role)

    def fix(self, fault: str) -> None:
        a, p = self.a, self.plan
        self.remaining.discard(fault)
        account = {"customer_id": a.customer_id, "line_id": a.line_id}
        if fault == "airplane":
            self.write("toggle_airplane_mode", fault=fault)
        elif fault == "sim":
            self.write("reseat_sim_card", fault=fault)
        elif fault in ("apn", "mmsc"):
            self.write("reset_apn_settings", fault=fault)
            self.write("reboot_device", fault=fault)
        elif fault == "suspended":
            self.write("resume_line", account, "agent", fault)
            self.write("reboot_device", fault=fault)
        elif fault == "roaming_phone":
            self.write("toggle_roaming", fault=fault)
        elif fault == "roaming_line":
            self.write("enable_roaming", account, "agent", fault)
        elif fault == "data_off":
            self.write("toggle_data", fault=fault)
        elif fault == "usage":
            self.write("refuel_data", {**account, "gb_amount": p.refuel_gb}, "agent", fault)
        elif fault == "saver":
            self.write("toggle_data_saver_mode", fault=fault)
        elif fault == "mode":
            self.write("set_network_mode_preference", {"mode": p.mode_to}, fault=fault)
        elif fault == "vpn":
            self.write("disconnect_vpn", fault=fault)
        elif fault == "wifi_calling":
            self.write("toggle_wifi_calling", fault=fault)
        elif fault == "perms":
            for perm in p.perms:
                self.write("grant_app_permission", {"app_name": "messaging", "permission": perm}, fault=fault)

    # -- the workflow's paths ---------------------------------------------------------------------
    def service_path(self) -> None:
        """Path 1 (entered after a symptom check showed no service)."""
        for fault in SERVICE:
            self.check(fault)
            if fault in self.remaining:
                self.fix(fault)
                self.read("check_status_bar", role="verify")
                if self.service_ok():
                    return

    def service_symptom(self) -> None:
        """Does the phone have service? (a thorough agent also confirms the SIM)"""
        if self.plan.details.get("signal_ok") and self.request == 0:
            return  # the user said they have signal (only offered when no service fault exists)
        self.read("check_status_bar", role="symptom")
        if "sim" in self.plan.extras:
            self.read("check_sim_status", fault="sim", role="extra")

    def avail_path(self) -> None:
        """Path 2.1 (entered after a speed test found no connection)."""
        self.service_symptom()
        if not self.service_ok():
            self.service_path()
            self.read("run_speed_test", role="verify")
            if self.data_ok():
                return
        steps = (["roaming_phone", "roaming_line"] if self.plan.abroad else []) + ["data_off", "usage"]
        for fault in steps:
            self.check(fault)
            if fault in self.remaining:
                self.fix(fault)
                self.read("run_speed_test", role="verify")
                if self.data_ok():
                    return

    def slow_path(self) -> None:
        """Path 2.2 (a speed test answered below Excellent)."""
        self.context = "data"
        for fault in SLOW:
            self.check(fault)
            if fault in self.remaining:
                self.fix(fault)
                self.read("run_speed_test", role="verify")
                if self.fast():
                    return

    def calls_since_request_fix(self) -> bool:
        """Whether a fix was made in this request (what the user reported may be outdated then)."""
        return any(c.write and c.request == self.request for c in self.calls)

    def speed_symptom(self) -> None:
        if self.plan.details.get("speed_known") and self.request == 0 and not self.calls_since_request_fix():
            return
        self.read("run_speed_test", role="symptom")

    def data_complaint(self) -> None:
        self.speed_symptom()
        if "wifi" in self.plan.extras:
            self.read("check_wifi_status", role="extra")
        if not self.data_ok():
            self.avail_path()
        if not self.fast():
            self.slow_path()

    def mms_complaint(self, after_data: bool) -> None:
        self.read("can_send_mms", role="symptom")
        if not after_data:
            self.service_symptom()
            if not self.service_ok():
                self.service_path()
                self.read("can_send_mms", role="verify")
                if self.mms_ok():
                    return
            self.speed_symptom()
            if "wifi" in self.plan.extras:
                self.read("check_wifi_status", role="extra")
            if not self.data_ok():
                self.avail_path()
                self.read("can_send_mms", role="verify")
                if self.mms_ok():
                    return
        self.context = "mms"
        for fault in MMS_STEPS:
            self.check(fault)
            if fault in self.remaining:
                self.fix(fault)
                self.read("can_send_mms", role="verify")
                if self.mms_ok():
                    return

    # -- a request: what the user described first, then the workflow ------------------------------
    def family(self) -> None:
        """Lift the suspension of another line of the account: bills first, then find the line."""
        a, (line_id, _phone, k, _) = self.a, self.plan.family_line
        self.read("get_bills_for_customer", {"customer_id": a.customer_id}, "agent", "family_suspended", "pin")
        if "bill" in self.plan.extras and self.plan.bill_id:
            self.read("get_details_by_id", {"id": self.plan.bill_id}, "agent", "family_suspended", "extra")
        for other in a.line_ids[:k]:
            self.read("get_details_by_id", {"id": other}, "agent", "family_suspended", "lookup")
        self.write("resume_line", {"customer_id": a.customer_id, "line_id": line_id}, "agent", "family_suspended")

    def handle(self, request: int, kind: str, after_data: bool = False) -> None:
        self.request = request
        if kind == "line":
            self.family()
            return
        self.context = "mms" if kind == "mms" else "data"
        mine = [f for f in self.plan.faults if self.plan.request_of(f) == request]
        for fault in [f for f in ORDER if f in mine and self.plan.modes[f] != "diagnosed"]:
            if self.plan.modes[fault] == "hinted":
                self.check(fault, role="pin")
            self.fix(fault)
        self.remaining = {f for f in mine if self.plan.modes[f] == "diagnosed"}
        if not self.remaining:
            symptom = {"service": "check_status_bar", "data": "run_speed_test", "mms": "can_send_mms"}[kind]
            self.read(symptom, role="verify")
            return
        if kind == "service":
            self.read("check_status_bar", role="symptom")
            self.service_path()
        elif kind == "data":
            self.data_complaint()
        else:
            self.mms_complaint(after_data)


def route(plan: Plan) -> list[Call]:
    w = _Walker(plan)
    w.calls.append(Call("get_customer_by_phone", {"phone_number": plan.account.phone}, "agent", False, 0, role="auth"))
    if plan.complaint == "data+mms":
        w.handle(0, "data")
        w.handle(1, "mms", after_data=True)
    else:
        w.handle(0, plan.complaint)
    return w.calls


def evidence_profile(calls: list[Call]) -> list[int]:
    """The evidence of each write: the reads (authentication excluded) since the previous write."""
    out, pending = [], 0
    for call in calls:
        if call.write:
            out.append(pending)
            pending = 0
        elif call.role != "auth":
            pending += 1
    return out

"""What each step of the telecom support workflow checks, and how its fault is fixed.

`StepChecks` is the half of `writ.tasks.telecom.workflow.Workflow` that knows the steps one by one
(airplane mode, the SIM, the APN, a suspended line, roaming on the phone and on the line, mobile
data, the data allowance, Data Saver, the network mode, the VPN, the MMSC URL, Wi-Fi Calling, the
messaging app's permissions): which check shows the fault, which fix repairs it, and the account
actions the policy allows on the way (refuel with the customer's amount up to the 2 GB cap, lift a
suspension once every overdue bill is paid and within the contract, the overdue-bill payment). The
workflow decides when each step comes; this module decides what a step is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from writ.domains.telecom.records import TODAY

__all__ = ["Outcome", "PERMS", "REFUEL_CAP_GB", "STEP_ORDER", "StepChecks", "Stop", "UNPAID"]

STEP_ORDER = ["airplane", "sim", "apn", "suspended", "roaming_phone", "roaming_line", "data_off", "usage", "saver",
              "mode", "vpn", "mmsc", "wifi_calling", "perms"]
REFUEL_CAP_GB = 2.0
UNPAID = ("Overdue", "Awaiting Payment")
PERMS = ("storage", "sms")  # the manual's order


@dataclass
class Outcome:
    """How a request ends: resolved (fixed or done), inform, refuse or transfer, and why."""

    kind: str
    topic: str
    facts: dict[str, Any] = field(default_factory=dict)
    would_be: tuple[str, dict[str, Any]] | None = None  # the write a refusal declines


class Stop(Exception):
    """The request ends here (a refusal or a transfer found deep inside a path)."""

    def __init__(self, outcome: Outcome):
        super().__init__(outcome.topic)
        self.outcome = outcome


class StepChecks:
    """The checks and fixes of single steps; mixed into `Workflow`, whose observation helpers it uses."""

    def found(self, step: str) -> bool:
        if step in self.cleared:
            return False
        verdict, facts = self._check(step)
        if verdict is False:
            self.cleared.add(step)
        if verdict is not None:
            self.obs.note({"step": step, "found": verdict, "facts": facts})
        return bool(verdict)

    def _check(self, step: str) -> tuple[bool | None, dict[str, Any]]:
        """(is the fault there, the facts that tell); None: this state cannot tell (no network yet)."""
        if step == "airplane":
            bar = self.recent("check_status_bar")
            facts = bar if bar is not None else self.look("check_network_status")
            return facts["airplane"], facts
        if step == "sim":
            net = self.recent("check_network_status")
            sim = net["sim"] if net is not None else self.look("check_sim_status")["sim"]
            if sim.startswith("locked"):
                raise Stop(Outcome("transfer", "sim_locked", {"sim": sim}))
            return sim == "missing", {"sim": sim}
        if step in ("apn", "mmsc"):
            facts = self.look("check_apn_settings")
            return (facts["apn"] == "broken") if step == "apn" else not facts["mmsc"], facts
        if step in ("suspended", "roaming_line"):
            line = self.own_line()[1]
            verdict = line["status"] == "Suspended" if step == "suspended" else not line["roaming_enabled"]
            return verdict, {"line": line}
        if step in ("roaming_phone", "data_off"):
            facts = self.look("check_network_status")
            return not facts["roaming" if step == "roaming_phone" else "data"], facts
        if step == "usage":
            line_id, _ = self.own_line()
            usage = self.obs.read("usage", line_id)
            used = float(usage["data_used_gb"]) >= float(usage["data_limit_gb"]) + float(usage["data_refueling_gb"])
            return used, {"usage": usage}
        if step == "saver":
            facts = self.look("check_data_restriction_status")
            return facts["saver"], facts
        if step == "mode" and self.context == "mms":
            net = self.look("check_network_status")
            return (None if net["network"] == "none" else net["network"] == "2G"), {}
        if step == "mode":
            mode = self.look("check_network_mode_preference")["mode"]
            return mode in ("2g_only", "3g_only"), {"mode": mode}
        if step == "vpn":
            facts = self.look("check_vpn_status")
            return facts["vpn"] == "poor", facts
        if step == "wifi_calling":
            facts = self.look("check_wifi_calling_status")
            return facts["wifi_calling"], facts
        if step == "perms":
            granted = self.look("check_app_permissions", {"app_name": self.app()})["perms"]
            return any(permission not in granted for permission in PERMS), {"perms": granted}
        raise KeyError(step)

    # -- one step: its fix ---------------------------------------------------------------------------
    def repair(self, step: str) -> None:
        self.cleared.add(step)
        simple = {"airplane": "toggle_airplane_mode", "sim": "reseat_sim_card", "roaming_phone": "toggle_roaming",
                  "data_off": "toggle_data", "saver": "toggle_data_saver_mode", "vpn": "disconnect_vpn",
                  "wifi_calling": "toggle_wifi_calling"}
        if step in simple:
            self.change(simple[step], why=step)
        elif step in ("apn", "mmsc"):
            self.change("reset_apn_settings", why=step)
            self.change("reboot_device", why="apply_apn")
        elif step == "suspended":
            line_id, line = self.own_line()
            self.lift_suspension(line_id, line, own=True)
            self.change("reboot_device", why="after_resume")
        elif step == "roaming_line":
            line_id, _ = self.own_line()
            self.account_write("enable_roaming", self._line_args(line_id), {"why": "roaming_line",
                                                                             "phone": self.obs.phone})
        elif step == "usage":
            self.refuel(*self.own_line())
        elif step == "mode" and self.context == "mms":
            mode = self.obs.ask("network_mode", {"why": "mode_choice"})
            self.change("set_network_mode_preference", {"mode": mode}, why="mode")
        elif step == "mode":
            self.change("set_network_mode_preference", {"mode": "4g_5g_preferred"}, why="mode")
        elif step == "perms":
            granted = self.look("check_app_permissions", {"app_name": self.app()})["perms"]
            for perm in [permission for permission in PERMS if permission not in granted]:
                self.change("grant_app_permission", {"app_name": self.app(), "permission": perm}, why="perms")
        else:
            raise KeyError(step)

    def _line_args(self, line_id: str) -> dict[str, Any]:
        return {"customer_id": self.obs.customer_id, "line_id": line_id}

    # -- account actions -------------------------------------------------------------------------------
    def refuel(self, line_id: str, line: dict[str, Any], amount: float | None = None) -> None:
        usage = self.obs.read("usage", line_id)
        plan = self.obs.read("plans", line["plan_id"])
        room = round(REFUEL_CAP_GB - float(usage["data_refueling_gb"]), 2)
        facts = {"usage": usage, "plan": plan, "room": room, "phone": line["phone_number"]}
        if room <= 0:
            raise Stop(Outcome("refuse", "refuel_cap", facts, ("refuel_data", {**self._line_args(line_id),
                                                                               "gb_amount": 1.0})))
        if amount is None:
            amount = self.obs.ask("gb_amount", {"why": "refuel_amount", **facts})
        if amount > room:
            raise Stop(Outcome("refuse", "refuel_cap", {**facts, "amount": amount},
                               ("refuel_data", {**self._line_args(line_id), "gb_amount": amount})))
        self.account_write("refuel_data", {**self._line_args(line_id), "gb_amount": amount},
                           {"why": "refuel", **facts, "amount": amount})

    def lift_suspension(self, line_id: str, line: dict[str, Any], own: bool) -> None:
        """Resume a suspended line: every overdue bill paid first, and only within its contract."""
        bills = self.obs.read("bills", self.obs.customer_id)
        unpaid = [bill for bill in bills if bill["status"] in UNPAID]
        ended = not line.get("contract_end_date") or line["contract_end_date"] < TODAY
        facts = {"line": line, "phone": line["phone_number"], "bills": bills, "unpaid": unpaid, "own": own}
        args = self._line_args(line_id)
        if ended:
            if own:  # a troubleshooting dead end: the manual escalates it
                raise Stop(Outcome("transfer", "contract_ended", facts))
            raise Stop(Outcome("refuse", "contract_ended", facts, ("resume_line", args)))
        self.obs.note({"saw": "bills", "unpaid": unpaid, "line": line})
        for bill in unpaid:
            self.pay(bill, facts)
            bills = self.obs.read("bills", self.obs.customer_id)
            if any(current["status"] in UNPAID for current in bills if current["bill_id"] == bill["bill_id"]):
                raise Stop(Outcome("refuse", "unpaid", {**facts, "bill": bill}, ("resume_line", args)))
        self.account_write("resume_line", args, {"why": "resume", **facts, "bills": bills})

    def pay(self, bill: dict[str, Any], facts: dict[str, Any]) -> None:
        """The overdue-bill payment: the customer agrees, gets a payment request, and pays it on the phone."""
        args = self._line_args("")
        if not self.obs.ask("pay", {"why": "pay", "bill": bill, **facts}):
            raise Stop(Outcome("refuse", "unpaid", {**facts, "bill": bill},
                               ("resume_line", {**args, "line_id": facts["line"]["line_id"]})))
        if bill["status"] == "Overdue":
            self.account_write("send_payment_request", {"customer_id": args["customer_id"], "bill_id": bill["bill_id"]},
                               {"why": "payment_request", "bill": bill})
        self.look("check_payment_request", finding={"ask": "check_payment_request", "bill": bill})
        self.change("make_payment", why="pay")
        self.obs.forget("bills", self.obs.customer_id)

    # -- the troubleshooting paths (main policy and tech support guide, in their order) ----------------

    def visible(self, step: str) -> bool:
        """Whether a check made since the last change already shows this step's fault (no new check needed).

        Only checks count here, never a detail the customer may give later: the teacher replays this
        procedure from the start every turn, so a decision may not depend on what is learnt after it."""
        net, bar = self.recent("check_network_status"), self.recent("check_status_bar")
        if step == "airplane":
            return bool((net or {}).get("airplane") or (bar or {}).get("airplane"))
        if step == "sim":
            return (net or {}).get("sim") == "missing"
        if step == "data_off":
            return net is not None and not net["data"]
        if step == "mode" and self.context == "mms":
            return (net or {}).get("network") == "2G"
        return False

"""The telecom support workflow as one procedure, run by the task generator and by the scripted teacher.

A support agent decides each step from what it has learnt: what the customer said, what the
customer read off their phone, what the account records show. This module writes those decisions
once, over an `Observer` that supplies the observations:

* the task generator runs it on a live environment (`writ.tasks.telecom.live`), so the gold
  actions are exactly the checks and fixes this procedure makes;
* the scripted teacher runs it over what it knows (`writ.agents.scripted.telecom`): a check it has
  not heard the result of, a record it has not read, a detail the customer has not given, or a
  change the customer has not confirmed stops the run and becomes the teacher's next move.

So the teacher's conversation and the task's gold actions agree by construction, and every
decision rests on an observation made before it: no fix is prescribed before the check that shows
the fault (the policy's troubleshooting paths in order: service, then data availability, then
speed, then MMS), no record is read twice while unchanged, and the line is always found from the
customer's phone number. The phone checks and their facts come from `writ.tasks.telecom.observe`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from writ.domains.telecom.records import TODAY

__all__ = ["AVAIL", "MMS", "Outcome", "Observer", "REFUEL_CAP_GB", "SERVICE", "SLOW", "Workflow", "read_call",
           "stale_after"]

SERVICE = ["airplane", "sim", "apn", "suspended"]
AVAIL = ["roaming_phone", "roaming_line", "data_off", "usage"]
SLOW = ["saver", "mode", "vpn"]
MMS = ["mode", "mmsc", "wifi_calling", "perms"]
STEP_ORDER = ["airplane", "sim", "apn", "suspended", "roaming_phone", "roaming_line", "data_off", "usage", "saver",
              "mode", "vpn", "mmsc", "wifi_calling", "perms"]
REFUEL_CAP_GB = 2.0
UNPAID = ("Overdue", "Awaiting Payment")
PERMS = ("storage", "sms")  # the manual's order


class Observer(Protocol):
    """Where the workflow's observations come from (see the module docstring)."""

    customer_id: str
    phone: str

    def device(self, name: str, args: dict[str, Any], finding: dict[str, Any]) -> dict[str, Any]:
        """Have the customer run `name` on the phone; the facts they report (`observe.read_output`)."""

    def read(self, table: str, key: str) -> Any:
        """An account record (see `read_call`)."""

    def write(self, name: str, args: dict[str, Any], finding: dict[str, Any]) -> Any:
        """An account change, after telling the customer what was found and getting their yes."""

    def ask(self, slot: str, finding: dict[str, Any]) -> Any:
        """A detail only the customer can give (where they are, how much data, ...)."""

    def forget(self, table: str, key: str) -> None:
        """A record the customer's own action changed (a bill they paid)."""

    def note(self, finding: dict[str, Any]) -> None:
        """What an observation showed, for the words of the next message."""


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


def read_call(table: str, key: str, customer_id: str) -> tuple[str, dict[str, Any]]:
    """The read tool that fetches one record: lines, plans, devices and bills by id; a customer's bills; usage."""
    if table in ("lines", "plans", "bill", "customers"):
        return "get_details_by_id", {"id": key}
    if table == "bills":
        return "get_bills_for_customer", {"customer_id": key}
    if table == "usage":
        return "get_data_usage", {"customer_id": customer_id, "line_id": key}
    raise KeyError(table)


def stale_after(name: str, args: dict[str, Any]) -> list[tuple[str, str]]:
    """The records an account write changes (read again only after such a write)."""
    line, customer = args.get("line_id", ""), args.get("customer_id", "")
    if name in ("resume_line", "suspend_line", "enable_roaming", "disable_roaming"):
        return [("lines", line)]
    if name == "refuel_data":
        return [("lines", line), ("usage", line), ("bills", customer)]
    if name == "send_payment_request":
        return [("bills", customer), ("bill", args.get("bill_id", ""))]
    return []


class Workflow:
    """One request's handling. `fresh` carries the phone checks still valid from earlier requests."""

    def __init__(self, obs: Observer, frame: dict[str, Any], fresh: dict[str, dict[str, Any]] | None = None):
        self.obs = obs
        self.frame = frame
        self.fresh: dict[str, dict[str, Any]] = fresh if fresh is not None else {}
        self.seen = dict(frame.get("seen") or {})  # what the customer saw before calling: valid until a change
        self.cleared: set[str] = set()
        self.context = "data"

    # -- observations ------------------------------------------------------------------------------
    def look(self, name: str, args: dict[str, Any] | None = None, finding: dict[str, Any] | None = None) -> dict:
        key = name + repr(sorted((args or {}).items()))
        if key not in self.fresh:
            self.fresh[key] = self.obs.device(name, dict(args or {}), finding or {"ask": name})
        return self.fresh[key]

    def recent(self, name: str) -> dict[str, Any] | None:
        return self.fresh.get(name + "[]")

    def change(self, name: str, args: dict[str, Any] | None = None, why: str = "") -> dict[str, Any]:
        facts = self.obs.device(name, dict(args or {}), {"fix": name, "args": dict(args or {}), "why": why})
        self._changed()
        return facts

    def account_write(self, name: str, args: dict[str, Any], finding: dict[str, Any]) -> Any:
        result = self.obs.write(name, args, finding)
        self._changed()
        return result

    def _changed(self) -> None:
        self.fresh.clear()
        self.seen.clear()

    def symptom(self, name: str, saw: str) -> dict[str, Any]:
        """A symptom check (status bar, speed test, MMS); what it shows is told once, when it is new."""
        new = self.recent(name) is None
        facts = self.look(name)
        if new:
            self.obs.note({"saw": saw, **facts})
        return facts

    def signal(self) -> bool:
        if "signal" in self.seen:
            return self.seen["signal"] != "none"
        return self.symptom("check_status_bar", "status_bar")["signal"] != "none"

    def speed(self) -> str:
        if "speed" in self.seen:
            return self.seen["speed"]
        return self.symptom("run_speed_test", "speed")["speed"]

    def mms_ok(self) -> bool:
        return self.symptom("can_send_mms", "mms")["mms"]

    def solved(self, family: str) -> bool:
        if family == "service":
            return self.signal()
        if family == "data":
            return self.speed() == "excellent"
        return self.mms_ok()

    # -- the customer's line ------------------------------------------------------------------------
    def line_of(self, phone: str) -> tuple[str, dict[str, Any]] | None:
        """The customer's line with `phone`: lines read in the account's order until it turns up."""
        customer = self.obs.read("customers", self.obs.customer_id)
        for line_id in customer["line_ids"]:
            line = self.obs.read("lines", line_id)
            if line.get("phone_number") == phone:
                return line_id, line
        return None

    def own_line(self) -> tuple[str, dict[str, Any]]:
        found = self.line_of(self.obs.phone)
        if found is None:
            raise Stop(Outcome("transfer", "no_line", {"phone": self.obs.phone}))
        return found

    # -- one step: is its fault there? -----------------------------------------------------------
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
            return any(p not in granted for p in PERMS), {"perms": granted}
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
            for perm in [p for p in PERMS if p not in granted]:
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
        unpaid = [b for b in bills if b["status"] in UNPAID]
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
            if any(b["status"] in UNPAID for b in bills if b["bill_id"] == bill["bill_id"]):
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
    def hinted(self, family: str) -> bool:
        """What the customer's words point to is checked first, and a fault a check just showed is fixed at
        once (the agent does not walk past airplane mode it has seen on); True once that solved it."""
        pending = [s for s in STEP_ORDER if s in (self.frame.get("hints") or [])]
        while True:
            step = next((s for s in STEP_ORDER if s not in self.cleared and (s in pending or self.visible(s))), None)
            if step is None:
                return False
            if step in pending:
                pending.remove(step)
            if step in AVAIL[:2] and not self.abroad():
                continue
            if self.found(step):
                earlier = [s for s in STEP_ORDER[:STEP_ORDER.index(step)] if s not in self.cleared and self.visible(s)]
                for first in earlier:  # the same check showed an earlier fault: that one comes first
                    if self.found(first):
                        self.repair(first)
                self.repair(step)
                if self.solved(family):
                    return True

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

    def app(self) -> str:
        """The app the customer sends picture messages with (its name is what the phone checks take)."""
        if "app" in self.frame:
            return str(self.frame["app"])
        return str(self.obs.ask("app", {"why": "which_app"}))

    def abroad(self) -> bool:
        if "abroad" in self.frame:
            return bool(self.frame["abroad"])
        return bool(self.obs.ask("abroad", {"why": "abroad"}))

    def service_path(self) -> bool:
        for step in SERVICE:
            if self.found(step):
                self.repair(step)
                if self.signal():
                    return True
        return False

    def avail_path(self) -> None:
        if not self.signal():
            if not self.service_path():
                raise Stop(Outcome("transfer", "unsolved", {"what": "service"}))
            if self.speed() != "none":
                return
        steps = (AVAIL[:2] if self.abroad() else []) + AVAIL[2:]
        for step in steps:
            if self.found(step):
                self.repair(step)
                if self.speed() != "none":
                    return

    def slow_path(self) -> None:
        self.context = "data"
        for step in SLOW:
            if self.found(step):
                self.repair(step)
                if self.speed() == "excellent":
                    return

    def run(self) -> Outcome:
        try:
            return self._run()
        except Stop as stop:
            return stop.outcome

    def _run(self) -> Outcome:
        family = self.frame.get("family")
        if family in ("service", "data", "mms"):
            return self.troubleshoot(family)
        return ACCOUNT[family](self)

    def troubleshoot(self, family: str) -> Outcome:
        self.context = "mms" if family == "mms" else "data"
        if family == "mms":
            self.app()  # which app fails to send (the MMS checks are about that app)
        elif family == "data":
            if "wifi" not in self.frame:  # a speed test on Wi-Fi says nothing about mobile data
                self.obs.ask("wifi", {"why": "wifi"})
            if self.frame.get("symptom") == "down":
                self.abroad()  # roaming is a first suspect when data is down: where is the customer?
        if self.hinted(family):
            return Outcome("resolved", family)
        if family == "service":
            if not self.signal() and not self.service_path():
                raise Stop(Outcome("transfer", "unsolved", {"what": "service"}))
            return Outcome("resolved", "service")
        if family == "data":
            if self.speed() == "none":
                self.avail_path()
            if self.speed() not in ("none", "excellent"):
                self.slow_path()
            if self.speed() != "excellent":
                raise Stop(Outcome("transfer", "unsolved", {"what": "data"}))
            return Outcome("resolved", "data", {"speed": self.speed()})
        if self.mms_ok():
            return Outcome("resolved", "mms")
        speed = self.recent("run_speed_test") or ({"speed": self.seen["speed"]} if "speed" in self.seen else None)
        if speed is None or speed["speed"] == "none":
            if not self.signal():
                self.context = "data"
                if not self.service_path():
                    raise Stop(Outcome("transfer", "unsolved", {"what": "service"}))
                if self.mms_ok():
                    return Outcome("resolved", "mms")
            if self.speed() == "none":
                self.context = "data"
                self.avail_path()
                if self.mms_ok():
                    return Outcome("resolved", "mms")
        self.context = "mms"
        for step in MMS:
            if self.found(step):
                self.repair(step)
                if self.mms_ok():
                    return Outcome("resolved", "mms")
        raise Stop(Outcome("transfer", "unsolved", {"what": "mms"}))


# -- account requests (not troubleshooting) ---------------------------------------------------------------
def _line(w: Workflow) -> Outcome:
    """Reactivate another line of the account (a relative's), found by the number the customer gives."""
    phone = w.frame.get("phone") or w.obs.ask("phone", {"why": "which_line"})
    found = w.line_of(phone)
    if found is None:
        return Outcome("refuse", "no_such_line", {"phone": phone})
    line_id, line = found
    w.obs.note({"saw": "line", "line": line})
    if line["status"] != "Suspended":
        return Outcome("inform", "line_active", {"phone": phone, "line": line})
    w.lift_suspension(line_id, line, own=False)
    return Outcome("resolved", "line", {"phone": phone})


def _refuel(w: Workflow) -> Outcome:
    line_id, line = w.own_line()
    usage = w.obs.read("usage", line_id)
    used = float(usage["data_used_gb"]) >= float(usage["data_limit_gb"]) + float(usage["data_refueling_gb"])
    w.obs.note({"step": "usage", "found": used, "facts": {"usage": usage}})
    w.refuel(line_id, line, w.frame.get("gb_amount"))
    return Outcome("resolved", "refuel", {"usage": usage})


def _roaming(w: Workflow) -> Outcome:
    line_id, line = w.own_line()
    w.obs.note({"step": "roaming_line", "found": not line["roaming_enabled"], "facts": {"line": line}})
    if line["roaming_enabled"]:
        return Outcome("inform", "roaming_on", {"phone": line["phone_number"]})
    w.account_write("enable_roaming", w._line_args(line_id), {"why": "roaming_request", "phone": line["phone_number"]})
    return Outcome("resolved", "roaming", {"phone": line["phone_number"]})


def _usage(w: Workflow) -> Outcome:
    line_id, line = w.own_line()
    usage = w.obs.read("usage", line_id)
    return Outcome("inform", "usage", {"usage": usage, "phone": line["phone_number"]})


ACCOUNT = {"line": _line, "refuel": _refuel, "roaming": _roaming, "usage": _usage}

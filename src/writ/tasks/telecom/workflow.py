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

from typing import Any, Protocol

from writ.tasks.telecom.steps import REFUEL_CAP_GB, STEP_ORDER, Outcome, StepChecks, Stop

__all__ = ["AVAIL", "MMS", "Outcome", "Observer", "REFUEL_CAP_GB", "SERVICE", "SLOW", "STEP_ORDER", "Stop",
           "Workflow", "read_call", "stale_after"]

SERVICE = ["airplane", "sim", "apn", "suspended"]
AVAIL = ["roaming_phone", "roaming_line", "data_off", "usage"]
SLOW = ["saver", "mode", "vpn"]
MMS = ["mode", "mmsc", "wifi_calling", "perms"]


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


class Workflow(StepChecks):
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
    def hinted(self, family: str) -> bool:
        """What the customer's words point to is checked first, and a fault a check just showed is fixed at
        once (the agent does not walk past airplane mode it has seen on); True once that solved it."""
        pending = [candidate for candidate in STEP_ORDER if candidate in (self.frame.get("hints") or [])]
        while True:
            step = next((candidate for candidate in STEP_ORDER if candidate not in self.cleared
                         and (candidate in pending or self.visible(candidate))), None)
            if step is None:
                return False
            if step in pending:
                pending.remove(step)
            if step in AVAIL[:2] and not self.abroad():
                continue
            if self.found(step):
                earlier = [candidate for candidate in STEP_ORDER[:STEP_ORDER.index(step)]
                           if candidate not in self.cleared and self.visible(candidate)]
                for first in earlier:  # the same check showed an earlier fault: that one comes first
                    if self.found(first):
                        self.repair(first)
                self.repair(step)
                if self.solved(family):
                    return True

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
def _line(workflow: Workflow) -> Outcome:
    """Reactivate another line of the account (a relative's), found by the number the customer gives."""
    phone = workflow.frame.get("phone") or workflow.obs.ask("phone", {"why": "which_line"})
    found = workflow.line_of(phone)
    if found is None:
        return Outcome("refuse", "no_such_line", {"phone": phone})
    line_id, line = found
    workflow.obs.note({"saw": "line", "line": line})
    if line["status"] != "Suspended":
        return Outcome("inform", "line_active", {"phone": phone, "line": line})
    workflow.lift_suspension(line_id, line, own=False)
    return Outcome("resolved", "line", {"phone": phone})


def _refuel(workflow: Workflow) -> Outcome:
    line_id, line = workflow.own_line()
    usage = workflow.obs.read("usage", line_id)
    used = float(usage["data_used_gb"]) >= float(usage["data_limit_gb"]) + float(usage["data_refueling_gb"])
    workflow.obs.note({"step": "usage", "found": used, "facts": {"usage": usage}})
    workflow.refuel(line_id, line, workflow.frame.get("gb_amount"))
    return Outcome("resolved", "refuel", {"usage": usage})


def _roaming(workflow: Workflow) -> Outcome:
    line_id, line = workflow.own_line()
    workflow.obs.note({"step": "roaming_line", "found": not line["roaming_enabled"], "facts": {"line": line}})
    if line["roaming_enabled"]:
        return Outcome("inform", "roaming_on", {"phone": line["phone_number"]})
    workflow.account_write("enable_roaming", workflow._line_args(line_id),
                           {"why": "roaming_request", "phone": line["phone_number"]})
    return Outcome("resolved", "roaming", {"phone": line["phone_number"]})


def _usage(workflow: Workflow) -> Outcome:
    line_id, line = workflow.own_line()
    usage = workflow.obs.read("usage", line_id)
    return Outcome("inform", "usage", {"usage": usage, "phone": line["phone_number"]})


ACCOUNT = {"line": _line, "refuel": _refuel, "roaming": _roaming, "usage": _usage}

"""The telecom teacher's skills: tech support and account requests from what the customer reports.

The customer's phone is theirs: the teacher cannot read it, only ask the customer to run a check
or a fix and listen to what they say it shows (the ``report`` reading of their message, whose
facts are proven to be in its words). Account records it reads itself. Each turn it runs the
support workflow of `writ.tasks.telecom.workflow`, the procedure that also made the task's gold
actions, over what it knows (`writ.agents.scripted.telecom_observer`): the first thing not yet
known becomes its next move. So it diagnoses before every fix, finds the customer's line from the
phone number they gave, asks how much data to add and states the price before refuelling, and
says what it found before proposing an account change.
"""

from __future__ import annotations

import json
import random
from typing import Any

from writ.agents.scripted import telecom_words as T
from writ.agents.scripted.knowledge import Knowledge, Request
from writ.agents.scripted.steps import Step
from writ.agents.scripted.telecom_observer import Ready, TeacherObserver, fresh_before
from writ.agents.scripted.telecom_steps import conclude, done_text, summary
from writ.core import ToolCall
from writ.dialogue.grammar import realize
from writ.tasks.telecom.workflow import Outcome, Workflow, read_call, stale_after

__all__ = ["TelecomSkills"]

ACCOUNT_WRITES = ("resume_line", "suspend_line", "enable_roaming", "disable_roaming", "refuel_data",
                  "send_payment_request")
CUSTOMER_FACTS = ("abroad", "country", "wifi")  # what the customer said about themselves holds for every request
_ID_TABLES = {"L": "lines", "P": "plans", "B": "bill", "C": "customers", "D": "devices"}


class TelecomSkills:
    domain = "telecom"
    needs_auth = True
    auth_fields = ["phone_number"]

    def __init__(self) -> None:
        self.customer_id = ""

    # -- reading and remembering -----------------------------------------------------------------
    def read_for(self, table: str, key: str) -> ToolCall:
        name, args = read_call(table, key, self.customer_id)
        return ToolCall(name, args)

    def is_auth_call(self, call: ToolCall) -> bool:
        return call.name == "get_customer_by_phone"

    def auth_call(self, values: dict[str, Any]) -> ToolCall | None:
        if values.get("phone_number"):
            return ToolCall("get_customer_by_phone", {"phone_number": values["phone_number"]})
        return None

    def absorb(self, k: Knowledge, call: ToolCall, content: str, error: bool) -> None:
        try:
            value = json.loads(content)
        except json.JSONDecodeError:
            value = content
        if call.name in ACCOUNT_WRITES:
            k.facts.setdefault("log", []).append(("write", call, None if error else value))
        elif not error and not self.is_auth_call(call) and call.name != "transfer_to_human_agents":
            k.facts.setdefault("log", []).append(("read", call, value))
        if error:
            return
        if self.is_auth_call(call):
            k.user_id = self.customer_id = value["customer_id"]
            k.facts["phone"] = call.arguments["phone_number"]
            k.put("customers", value["customer_id"], value)
        elif call.name in ("get_details_by_id", "get_customer_by_id"):
            key = call.arguments.get("id") or call.arguments.get("customer_id", "")
            k.put(_ID_TABLES.get(key[:1], "other"), key, value)
        elif call.name == "get_bills_for_customer":
            k.put("bills", call.arguments["customer_id"], value)
        elif call.name == "get_data_usage":
            k.put("usage", call.arguments["line_id"], value)
        elif call.name in ACCOUNT_WRITES:
            for table, key in stale_after(call.name, call.arguments):
                k.invalidate(table, key)
            if isinstance(value, dict) and isinstance(value.get("line"), dict):
                k.put("lines", call.arguments["line_id"], value["line"])

    def absorb_report(self, k: Knowledge, call: ToolCall, facts: dict[str, Any]) -> None:
        """What the customer said their phone showed after doing `call`."""
        k.facts.setdefault("log", []).append(("device", call, dict(facts)))
        if call.name == "make_payment" and k.user_id:
            k.invalidate("bills", k.user_id)

    def first_name(self, k: Knowledge) -> str:
        customer = k.peek("customers", k.user_id) or {}
        return str(customer.get("full_name", "")).split(" ")[0]

    # -- questions ------------------------------------------------------------------------------------
    def auth_question(self, rng: random.Random, voice: str) -> str:
        return realize(rng, [
            "[I can help with that|Happy to help|Sure|Of course|Certainly|Glad to help|Absolutely|No problem|Thanks "
            "for reaching out|Let me help you with that]. [First|To start|Before anything else], [could you|"
            "can you] [give me|tell me] the phone number [of the line you're calling about|on your account], so I "
            "can find your account?",
            "[I'll be glad to help|Let's sort this out]. [To find your account|To look you up], [may I have|could I "
            "get] your phone number?",
        ])

    def ask_slot(self, rng: random.Random, voice: str, request: Request, need: Any, k: Knowledge) -> str:
        return self.question(rng, need.slot, {})[0]

    def question(self, rng: random.Random, slot: str, finding: dict[str, Any]) -> tuple[str, list[Any]]:
        """(the question for a detail only the customer can give, the options they may choose from)."""
        if slot == "abroad":
            return realize(rng, [
                "[Are you at home right now, or travelling abroad?|Where are you at the moment: at home, or travelling "
                "outside the country?|Quick question: are you abroad at the moment, or at home?]",
                "[Before we dig in|First|One thing first], [are you|could you tell me if you're] [in the country|at "
                "home] or [travelling abroad|on a trip outside the country] [right now|at the moment]?",
                "[Since data behaves differently abroad|Because roaming matters here], [may I ask|can I ask] where you "
                "are: at home, or travelling?"]), []
        if slot == "gb_amount":
            plan = finding.get("plan") or {}
            return realize(rng, [
                "I can add data to your line at {price} per GB, up to {room} GB [this cycle|in total]. [How much would "
                "you like to add?|How much data do you want?|How many GB should I add?]",
                "[To get you back online,|To restore your data,|The fix is to add data:] I can refuel the line[: it "
                "costs| at] {price} per GB, and up to {room} GB can be added. [How many GB would you like?|How much "
                "would you like?|What amount works for you?]",
                "[Refuelling|Adding data] costs {price} per GB on your plan, [with a maximum of|up to] {room} GB. "
                "[How much should I add?|How much data would you like?]"],
                price=T.money(plan.get("data_refueling_price_per_gb", 0)), room=T.gb(finding.get("room", 2))), []
        if slot == "network_mode":
            options = ["4g_5g_preferred", "4g_only", "3g_only"]
            return realize(rng, [
                "[Which setting would you like instead|What would you like to switch to]: 4G/5G preferred, 4G only, "
                "or 3G only? [The faster ones use a little more battery.|Newer networks are faster but use more "
                "battery.]"]), options
        if slot == "pay":
            bill = finding.get("bill") or {}
            return realize(rng, [
                "Bill {bill} for {amount} is overdue, and I can only lift the suspension once it's paid. Would you "
                "like to pay it now? I'd send a payment request to your phone.",
                "There's an overdue bill, {bill}, of {amount}; the suspension can be lifted only after it's paid. Do "
                "you want to pay it today?"], bill=bill.get("bill_id"), amount=T.money(bill.get("total_due", 0))), []
        if slot == "wifi":
            return realize(rng, ["[Are you on a Wi-Fi network at the moment?|Is your phone connected to Wi-Fi right "
                                 "now?|Quick check: are you on Wi-Fi at the moment?] [The speed tests only tell us "
                                 "something when you're off Wi-Fi.|I ask because Wi-Fi would hide the problem.|]"]), []
        if slot == "app":
            return realize(rng, ["[Which app are you sending the pictures from?|What app do you use to send the "
                                 "photos?|Which messaging app are you using for the picture messages?]"]), []
        if slot == "phone":
            return realize(rng, ["[What number does that line have?|Which number is that line?|What's the number of "
                                 "that line?] [I'll look it up on your account.|Then I can find it.|]"]), []
        return realize(rng, ["Could you tell me the {slot}?"], slot=slot.replace("_", " ")), []

    # -- what the teacher's readings say in words (see writ.dialogue.acts.grounding_problems) -------------
    def cues(self, key: str, value: Any) -> list[str] | None:
        if key in ("tool", "action"):
            return TOOL_WORDS.get(value, [])
        if key in ("mode", "options") and value in T.MODE_WORDS:
            return [T.MODE_WORDS[value]]
        if key == "permission":
            return [str(value)]
        return None

    # -- forbidden asks ----------------------------------------------------------------------------
    def forbidden_reason(self, topic: str) -> str:
        return FORBIDDEN.get(topic, FORBIDDEN["free_data"])[0]

    def forbidden_text(self, rng: random.Random, topic: str) -> str:
        why, alternative = FORBIDDEN.get(topic, FORBIDDEN["free_data"])
        alternative = realize(rng, alternative)
        return realize(rng, ["[I'm sorry, but|I'm afraid|Unfortunately,] {why}. {alternative}",
                             "[I understand why you'd ask|I see why you'd want that], but {why}. {alternative}"],
                       why=why, alternative=alternative)

    # -- the requests -------------------------------------------------------------------------------
    def step(self, request: Request, k: Knowledge) -> Step:
        customer = k.facts.setdefault("customer", {})
        for source in (request.frame, request.slots):
            customer.update({key: v for key, v in source.items() if key in CUSTOMER_FACTS})
        frame = {**customer, **request.frame, **request.slots}
        obs = TeacherObserver(request, k, frame, self)
        fresh = fresh_before(obs.prior)
        try:
            outcome = Workflow(obs, frame, fresh).run()
        except Ready as ready:
            return ready.step
        return self.conclude(obs, frame, outcome)

    def summary(self, rng: random.Random, name: str, args: dict[str, Any], finding: dict[str, Any]) -> str:
        return summary(rng, name, args, finding)

    def conclude(self, obs: TeacherObserver, frame: dict[str, Any], outcome: Outcome) -> Step:
        return conclude(obs, frame, outcome)

    def done_text(self, rng: random.Random, request: Request, call: ToolCall, k: Knowledge) -> str:
        return done_text(rng, call, k)


TOOL_WORDS = {
    "refuel_data": ["GB"], "enable_roaming": ["roaming"], "resume_line": ["suspension", "reactivat", "active"],
    "send_payment_request": ["payment request"],
    "check_status_bar": ["status bar", "top of your screen"], "check_network_status": ["network status"],
    "check_sim_status": ["SIM"], "check_apn_settings": ["APN"], "run_speed_test": ["speed test"],
    "check_data_restriction_status": ["Data Saver", "data restriction"],
    "check_network_mode_preference": ["network mode", "network type"], "check_vpn_status": ["VPN"],
    "check_wifi_calling_status": ["Wi-Fi Calling"], "check_app_permissions": ["permissions"],
    "can_send_mms": ["MMS", "picture message"], "check_payment_request": ["payment request"],
    "toggle_airplane_mode": ["airplane mode"], "reseat_sim_card": ["SIM"], "reset_apn_settings": ["APN"],
    "reboot_device": ["restart", "reboot",
                       "off and on"], "toggle_roaming": ["Data Roaming"], "toggle_data": ["mobile data"],
    "toggle_data_saver_mode": ["Data Saver"], "set_network_mode_preference": ["network mode", "network type"],
    "disconnect_vpn": ["VPN"], "toggle_wifi_calling": ["Wi-Fi Calling"], "grant_app_permission": ["permission",
                                                                                                   "access"],
    "make_payment": ["pay"],
}

FORBIDDEN = {
    "free_data": ("I can't add data for free; refuelled data is charged at the plan's price per GB",
                  "[I'm glad to help with the connection itself, though.|I can still help with anything on the "
                  "phone or the line.|If you need more data, I can refuel it at the usual price.]"),
    "waive_bill": ("I'm not able to waive or cancel a bill", "[I can help you pay an overdue bill if you'd like.|If a "
                   "bill is overdue, I can send you a payment request for it.|I'm happy to go through your bills with "
                   "you, though.]"),
    "skip_verification": ("I have to find your account by its phone number before I can look at or change anything",
                          "It only takes the phone number of your line."),
}

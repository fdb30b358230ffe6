"""The telecom teacher's closing words for each step: a proposal's details, a request's end, a write done.

A proposal states every detail the customer should check (the line by its number, the amount and
the price it comes to, free of charge for roaming); a request ends with what the last check showed
and, for a refusal or a transfer, why. Amounts are only ever ones the teacher read (a price per GB,
a bill's total) or that follow from them by a rule the information-flow verifier names (GB times
the price per GB).
"""

from __future__ import annotations

import random
from typing import Any

from writ.agents.scripted import telecom_words as T
from writ.agents.scripted.knowledge import Knowledge
from writ.agents.scripted.steps import Inform, Refuse, Step, Transfer
from writ.core import ToolCall
from writ.dialogue.grammar import realize
from writ.tasks.telecom.workflow import REFUEL_CAP_GB, Outcome

__all__ = ["conclude", "done_text", "summary"]


def summary(rng: random.Random, name: str, args: dict[str, Any], finding: dict[str, Any]) -> str:
    phone = finding.get("phone") or (finding.get("line") or {}).get("phone_number", "")
    if name == "refuel_data":
        price = float((finding.get("plan") or {}).get("data_refueling_price_per_gb", 0))
        amount = float(args["gb_amount"])
        return realize(rng, [
            "[Here's what I'll do|To confirm|So, to be clear]: add {gb} GB of data to your line {phone} at {price} per "
            "GB, so {charge} will be charged to your next bill.",
            "I'll refuel your line {phone} with {gb} GB; at {price} per GB that comes to {charge}, [added to|charged "
            "on] your next bill.",
            "[That would be|So that's] {gb} GB for your line {phone}: {gb} GB at {price} per GB [makes|comes to] "
            "{charge}, which [goes on|will appear on] your next bill."], gb=T.gb(amount), phone=phone,
                       price=T.money(price), charge=T.money(round(amount * price, 2)))
    if name == "enable_roaming":
        return realize(rng, ["I'll enable international roaming on [that line|your line {phone}], free of charge.",
                             "[The fix|What I'll do]: turn on roaming for [the line|your line {phone}] on our side; "
                             "there's no charge for it."], phone=phone)
    if name == "resume_line":
        return realize(rng, ["I'll lift the suspension of line {phone} so it's active again.",
                             "[To confirm|Here's the change|Just to be clear|To sum up|So, the change]: I'll "
                             "reactivate line {phone}."], phone=phone)
    if name == "send_payment_request":
        bill = finding.get("bill") or {}
        return realize(rng, ["I'll send a payment request for bill {bill} ({amount}) to your phone.",
                             "[To confirm|So]: a payment request for bill {bill}, {amount}, goes to your phone."],
                       bill=args["bill_id"], amount=T.money(bill.get("total_due", 0)))
    return f"I'll make that change ({name})."


def done_text(rng: random.Random, call: ToolCall, k: Knowledge) -> str:
    args = call.arguments
    if call.name == "refuel_data":
        return realize(rng, ["[Done|All set]: I've added {gb} GB of data to your line.",
                             "The {gb} GB has been added to your line."], gb=T.gb(args["gb_amount"]))
    if call.name == "enable_roaming":
        return realize(rng, ["[Done|All set]: roaming is now enabled on your line.",
                             "Roaming has been enabled on your line on our side."])
    if call.name == "resume_line":
        line = k.peek("lines", args["line_id"]) or {}
        return realize(rng, ["[Done|All set]: line {phone} is active again.",
                             "The suspension has been lifted; line {phone} is now active."],
                       phone=line.get("phone_number", ""))
    if call.name == "send_payment_request":
        return realize(rng, ["I've sent the payment request to your phone."])
    return "Done."


_RESOLVED = {
    "service": ["[Your phone has service again|Service is back|You're back on the network][,|;] [so calls and texts "
                "should work|calls and texts will go through again|you can call and text again].",
                "The phone is back on the network[, so you're all set|]."],
    "data": ["[Your mobile data is working normally again.|Mobile data is back to full speed.|Your data connection is "
             "back to normal.]", "That's the speed it should have, so the data problem is [solved|fixed].",
             "[So|Good:] mobile data is working [properly|at full speed] again."],
    "mms": ["[So you can send picture messages again.|That means picture messages work again.|So photos will go "
            "through by text again.]", "[That fixed it|That did it|There we go][:|,] [your photos can go out by text "
            "again|picture messages are back to normal]."],
    "refuel": ["Your data should work again right away.", "You're back online with the extra data.",
               "The extra data is on your line, so browsing should work again."],
    "roaming": ["Your data will work while you're abroad.", "You can use mobile data on your trip now.",
                "Data will work on your trip from now on."],
}
_REFUSE = {
    "refuel_cap": ("at most {cap} GB of data can be refuelled per cycle",
                   ["I'm sorry, but at most {cap} GB of data can be refuelled per cycle, and your line has {room} GB "
                    "of that left, so I can't add {amount} GB.",
                    "I'm afraid I can't add {amount} GB: the limit is {cap} GB of refuelled data per cycle, and {room} "
                    "GB of it is left for your line."]),
    "unpaid": ("a suspension can only be lifted once every overdue bill is paid",
               ["I understand. I'm sorry, but I can't lift the suspension while bill {bill} is unpaid: it can only be "
                "lifted once every overdue bill is paid.",
                "Understood. Unfortunately the suspension can't be lifted until bill {bill} is paid; you can call us "
                "again once it is."]),
    "contract_ended": ("a suspension can't be lifted once the line's contract has ended",
                       ["I'm sorry, but line {phone}'s contract ended on {end}, and a suspension can't be lifted once "
                        "the contract has ended, even with every bill paid.",
                        "Unfortunately I can't reactivate line {phone}: its contract ended on {end}, and the policy "
                        "doesn't allow lifting a suspension after that."]),
    "no_such_line": ("I can only act on lines of your account",
                     ["I'm sorry, I can't find a line with the number {phone} on your account."]),
}
_TRANSFER = {
    "sim_locked": ("SIM card locked by a {code} code; unlocking needs technical support.",
                   ["Your SIM card is locked with a {code} code. Unlocking it needs our technical support team, so "
                    "I'll transfer you to a human agent.",
                    "The SIM is {code}-locked, and that's something only technical support can unlock. Let me "
                    "transfer you to a human agent."]),
    "contract_ended": ("Line suspended and its contract has ended; the suspension cannot be lifted by the agent.",
                       ["Line {phone}'s contract ended on {end}, though, so I'm not able to lift the suspension "
                        "myself. I'll transfer you to a human agent who can help.",
                        "Since the contract of line {phone} ended on {end}, the suspension is beyond what I can "
                        "lift. I'm transferring you to a human agent."]),
    "unsolved": ("Troubleshooting did not fix the problem.",
                 ["I've gone through every fix I can make and the problem is still there, so I'll transfer you to a "
                  "human agent."]),
    "no_answer": ("Troubleshooting needs a detail the customer could not give.",
                  ["Without that detail I can't go on safely, so I'll transfer you to a human agent who can look "
                   "into it with you."]),
    "no_line": ("No line with the customer's number on the account.",
                ["I can't find a line with your number on the account, so I'll transfer you to a human agent."]),
}


def conclude(obs: Any, frame: dict[str, Any], outcome: Outcome) -> Step:
    rng = obs.rng("end")
    facts = outcome.facts
    line = facts.get("line") or {}
    values = {"phone": facts.get("phone") or line.get("phone_number", ""), "end": line.get("contract_end_date"),
              "cap": T.gb(REFUEL_CAP_GB), "room": T.gb(facts.get("room", 0)), "amount": T.gb(facts.get("amount", 0)),
              "bill": (facts.get("bill") or {}).get("bill_id"), "code": str(facts.get("sim",
                                                                                       "")).split("_")[-1].upper()}
    if outcome.kind == "resolved":
        text = realize(rng, _RESOLVED.get(outcome.topic, ["[That's done.|All done.]"]))
        if outcome.topic == "line":
            rel = frame.get("relation", "")
            text = realize(rng, ["[Please|Do] ask your {rel} to restart the phone so the line reconnects.",
                                 "Your {rel} should restart the phone to get service back."],
                           rel=rel or "family member")
        said, keys = obs.say(text)
        return Inform(said, [], keys)
    if outcome.kind == "inform":
        return _inform(obs, rng, outcome)
    if outcome.kind == "refuse":
        why, texts = _REFUSE[outcome.topic]
        said, keys = obs.say(realize(rng, texts, **values))
        return Refuse(said, "policy", why=why.format(**values), mentions=keys)
    summary_text, texts = _TRANSFER.get(outcome.topic, _TRANSFER["unsolved"])
    said, _ = obs.say(realize(rng, texts, **values))
    return Transfer(summary_text.format(**values), said)


def _inform(obs: Any, rng: random.Random, outcome: Outcome) -> Step:
    facts = outcome.facts
    if outcome.topic == "usage":
        usage = facts["usage"]
        refueled = float(usage.get("data_refueling_gb", 0) or 0)
        extra = f", plus {T.gb(refueled)} GB you added" if refueled else ""
        text = realize(rng, [
            "Your line {phone} has used {used} GB of its {limit} GB allowance this cycle{extra}; the cycle ends on "
            "{end}.", "So far this cycle you've used {used} GB out of {limit} GB{extra}. The cycle ends on {end}."],
            phone=facts["phone"], used=usage["data_used_gb"], limit=T.gb(usage["data_limit_gb"]), extra=extra,
            end=usage.get("cycle_end_date"))
        said, keys = obs.say(text)
        return Inform(said, [str(usage["data_used_gb"])], keys)
    if outcome.topic == "roaming_on":
        said, keys = obs.say(realize(rng, ["Roaming is already enabled on your line {phone}, so nothing needs "
                                           "changing."], phone=facts["phone"]))
        return Inform(said, [], keys)
    said, keys = obs.say(realize(rng, ["Line {phone} is active, so there's nothing to reactivate."],
                                 phone=facts.get("phone", "")))
    return Inform(said, [], keys)

"""Telecom's information-flow rules: what only the customer may choose, and how amounts are derived.

The customer's phone is theirs: what its checks show reaches the agent only through the customer's
words (the walker never counts a phone tool's output as read), so no agent argument may rest on a
phone screen the customer did not describe. Beyond the defaults:

* choice: the amount of data to refuel (``gb_amount``) counts only when the customer said it, as a
  number of GB, in their own words (the agent offering "1 GB?" and hearing yes does not count);
* before enabling roaming, the customer said they are travelling (roaming is for travellers);
* before lifting a suspension, the agent read the customer's bills, and none was left unpaid;
* amounts: a refuel's charge is the amount of data times the plan's price per GB, both seen.
"""

from __future__ import annotations

import re
from typing import Any

from writ.dialogue.lexicon import TELECOM_ABROAD, said_any
from writ.verify.flow.walker import Flow, FlowRules

__all__ = ["RULES", "TelecomRules"]

_GB = re.compile(r"(\d+(?:\.\d+)?)\s*(?:gb|gigs?|gigabytes?)\b")
UNPAID = ("Overdue", "Awaiting Payment")


def gb_said(flow: Flow) -> set[float]:
    """Amounts of data the customer named ("1.5 GB", "2 gigs")."""
    return {round(float(x), 2) for text in flow.customer for x in _GB.findall(text)}


def _gb_amount(value: Any, flow: Flow, args: dict[str, Any]) -> str | None:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None  # the schema check rejects it
    if round(float(value), 2) in gb_said(flow):
        return None
    return "the customer never asked for this amount of data"


def _abroad(flow: Flow, args: dict[str, Any]) -> str | None:
    if said_any(flow.customer_text, TELECOM_ABROAD):
        return None
    return "roaming enabled although the customer never said they are travelling"


def _bills_paid(flow: Flow, args: dict[str, Any]) -> str | None:
    bills = [result for _, _, result in flow.records
             if isinstance(result, list) and all(isinstance(b, dict) and "bill_id" in b for b in result)]
    if not bills:
        return "lifted a suspension without reading the customer's bills"
    unpaid = [b["bill_id"] for b in bills[-1] if b.get("status") in UNPAID]
    if unpaid:
        return f"lifted a suspension while bill {unpaid[0]} was unpaid (as last read)"
    return None


# A request to run a check or a fix on the phone ("could you run a speed test?"): not a question for a detail.
ACTION_QUESTION = re.compile(
    r"\b(speed test|status bar|network status|screen|sim|apn|data saver|data restriction|network mode|"
    r"network type|vpn|wi-fi calling|permissions?|picture message|mms|airplane mode|data roaming|mobile data|"
    r"restart|reboot|re-seat|phone off|payment requests?)\b", re.I)


class TelecomRules(FlowRules):
    action_question = ACTION_QUESTION
    choices = {"refuel_data": {"gb_amount": _gb_amount}}
    write_checks = {"enable_roaming": _abroad, "resume_line": _bills_paid}

    def amount(self, value: float, flow: Flow) -> str | None:
        prices = {round(float(r["data_refueling_price_per_gb"]), 2) for _, _, r in flow.records
                  if isinstance(r, dict) and "data_refueling_price_per_gb" in r}
        for amount in gb_said(flow):
            if any(abs(amount * price - value) <= 0.005 + 1e-9 for price in prices):  # a cent, rounded either way
                return "refuel charge: GB asked for times the plan's price per GB"
        return None


RULES = TelecomRules()

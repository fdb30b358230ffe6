"""The telecom policy as a check on one write about to run (`policy_violation`).

Phone-side fixes are allowed only when they repair the setting they touch (turning airplane mode
*off*, mobile data *on*, Data Saver *off*, a 2G/3G preference up to a newer one, ...). Account-side:
roaming is enabled (free) only for a user abroad whose line lacks it; data is refueled only on the
line of the user's number, only once its allowance is used up, and at most 2 GB; a suspension is
lifted only when no overdue bill is left and the contract has not ended; a payment request only for
an overdue bill. Suspending a line, disabling roaming and connecting a VPN are never fixes.
"""

from __future__ import annotations

from writ.core import Environment
from writ.domains.telecom.records import TODAY
from writ.task import Action
from writ.tasks.telecom.faults import REFUEL_CAP_GB

__all__ = ["policy_violation"]

NEWER = {"2g_only": {"3g_only", "4g_only", "4g_5g_preferred"}, "3g_only": {"4g_only", "4g_5g_preferred"}}


def _user_line(env: Environment, args: dict, own: bool = True) -> tuple[dict | None, str | None]:
    """The line a write targets, or why it is not a line of the customer (or not the user's own number)."""
    db = env.db
    customer_id, line_id = args.get("customer_id"), args.get("line_id")
    if not isinstance(line_id, str) or not db.has("lines", line_id):
        return None, f"unknown line {line_id}"
    if not isinstance(customer_id, str) or not db.has("customers", customer_id) \
            or line_id not in db.get("customers", customer_id)["line_ids"]:
        return None, f"line {line_id} does not belong to customer {customer_id}"
    line = db.get("lines", line_id)
    phone = env.user_db.get("surroundings")["phone_number"] if env.user_db is not None else None
    if own and phone is not None and line["phone_number"] != phone:
        return None, f"line {line_id} is not the line of the user's number {phone}"
    return line, None


def _phone(env: Environment, name: str, args: dict) -> str | None:
    d = env.user_db.get("device")
    s = env.user_db.get("surroundings")
    if name == "toggle_airplane_mode" and not d["airplane_mode"]:
        return "airplane mode is already off (toggling would turn it on)"
    if name == "reseat_sim_card" and not d["sim_card_missing"]:
        return "the SIM card is not missing"
    if name == "reset_apn_settings":
        apn = d["active_apn_settings"]
        if apn["apn_name"] != "broken" and apn["mmsc_url"] is not None:
            return "the APN settings are not wrong"
    if name == "toggle_roaming" and (d["roaming_enabled"] or not s["is_abroad"]):
        return "data roaming should only be switched on, and only for a user abroad"
    if name == "toggle_data" and d["data_enabled"]:
        return "mobile data is already on (toggling would turn it off)"
    if name == "toggle_data_saver_mode" and not d["data_saver_mode"]:
        return "Data Saver is already off"
    if name == "set_network_mode_preference":
        current = d["network_mode_preference"]
        if args.get("mode") not in NEWER.get(current, set()):
            return f"network mode {args.get('mode')} is not an upgrade of {current}"
    if name == "disconnect_vpn" and not d["vpn_connected"]:
        return "no VPN is connected"
    if name == "toggle_wifi_calling" and not d["wifi_calling_enabled"]:
        return "Wi-Fi Calling is already off"
    if name == "grant_app_permission":
        app = d["app_statuses"].get(args.get("app_name"))
        perm = str(args.get("permission", "")).lower()
        if args.get("app_name") != "messaging" or perm not in ("sms", "storage"):
            return "only the messaging app's sms and storage permissions are part of MMS troubleshooting"
        if app is not None and app["permissions"].get(perm):
            return f"the messaging app already has the {perm} permission"
    if name == "make_payment" and (s["payment_request"] is None or s["payment_request"]["paid"]):
        return "there is no open payment request"
    if name in ("connect_vpn", "toggle_wifi", "set_apn_settings"):
        return f"{name} is not a troubleshooting fix in this policy"
    return None


def _account(env: Environment, name: str, args: dict) -> str | None:
    db = env.db
    if name in ("suspend_line", "disable_roaming"):
        return f"{name} is not part of troubleshooting"
    if name == "enable_roaming":
        line, problem = _user_line(env, args)
        if problem:
            return problem
        if not env.user_db.get("surroundings")["is_abroad"]:
            return "roaming is enabled only for a user travelling abroad"
        if line["roaming_enabled"]:
            return "the line already has roaming enabled"
    if name == "refuel_data":
        line, problem = _user_line(env, args)
        if problem:
            return problem
        plan = db.get("plans", line["plan_id"])
        if line["data_used_gb"] < plan["data_limit_gb"] + line["data_refueling_gb"]:
            return "the line has not used up its data allowance"
        amount = args.get("gb_amount")
        if not isinstance(amount, (int, float)) or amount <= 0 or amount > REFUEL_CAP_GB:
            return f"refuel amount {amount} is outside (0, {REFUEL_CAP_GB}] GB"
        if line["data_refueling_gb"] + amount > REFUEL_CAP_GB + 1e-9:
            return f"the line would get more than {REFUEL_CAP_GB} GB of refueled data this cycle"
    if name == "resume_line":
        line, problem = _user_line(env, args, own=False)  # the account holder may ask for any of their lines
        if problem:
            return problem
        if line["status"] != "Suspended":
            return "the line is not suspended"
        if not line["contract_end_date"] or line["contract_end_date"] < TODAY:
            return "the line's contract has ended: the suspension cannot be lifted"
        customer = db.get("customers", args["customer_id"])
        for bill_id in customer["bill_ids"]:
            if db.has("bills", bill_id) and db.get("bills", bill_id)["status"] in ("Overdue", "Awaiting Payment"):
                return f"bill {bill_id} is still unpaid"
    if name == "send_payment_request":
        bill_id = args.get("bill_id")
        if (not isinstance(bill_id, str) or not db.has("bills", bill_id)
                or db.get("bills", bill_id)["status"] != "Overdue"):
            return f"bill {bill_id} is not overdue"
    return None


def policy_violation(env: Environment, action: Action) -> str | None:
    args = dict(action.arguments or {})
    if action.requestor == "user":
        return _phone(env, action.name, args)
    return _account(env, action.name, args)

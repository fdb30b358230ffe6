"""Discoverable agent tools that change an existing debit card: close, freeze and unfreeze, clear a
fraud alert or velocity block, reset or change the PIN, block recurring payments, raise a daily
limit for 24 hours; and the read that lists an account's cards.
"""

from __future__ import annotations

import json
from datetime import datetime

from writ.core import ToolKind
from writ.domains.banking_knowledge.clock import today_str
from writ.domains.banking_knowledge.debit_cards import DEFAULT_ATM_LIMITS, _pin_problem
from writ.domains.banking_knowledge.discoverable import discoverable
from writ.domains.banking_knowledge.schema import edit_record, records
from writ.domains.banking_knowledge.specs_agent import AGENT_SPECS
from writ.domains.banking_knowledge.tools import box
from writ.store import Store

__all__: list[str] = []

write = discoverable(box, AGENT_SPECS, ToolKind.WRITE)
read = discoverable(box, AGENT_SPECS, ToolKind.READ)


def _card(db: Store, card_id: str) -> dict | None:
    return records(db, "debit_cards").get(card_id) if card_id in records(db, "debit_cards") else None


@write
def close_debit_card_4721(db: Store, card_id: str, reason: str) -> str:
    """Close an active or pending debit card for good."""
    if not card_id or not reason:
        return "Error: Missing required parameters. Required: card_id, reason."
    reasons = ["lost", "stolen", "fraud_suspected", "damaged", "no_longer_needed", "account_closing"]
    if reason.lower() not in reasons:
        return f"Error: Invalid reason. Must be one of: {reasons}"
    reason = reason.lower()
    card = _card(db, card_id)
    if card is None:
        return f"Error: Debit card '{card_id}' not found."
    if card.get("status") not in ["ACTIVE", "PENDING"]:
        return (f"Error: Debit card '{card_id}' cannot be closed. Current status: {card.get('status')}. "
                f"Only ACTIVE or PENDING cards can be closed.")
    previous = card.get("status")
    card = edit_record(db, "debit_cards", card_id)
    card["status"] = "CLOSED"
    card["closed_date"] = today_str()
    card["closure_reason"] = reason
    parts = ["Debit Card Closed Successfully", f"Card ID: {card_id}", f"Previous Status: {previous}",
             "New Status: CLOSED", f"Closure Reason: {reason.replace('_', ' ').title()}",
             f"Closure Date: {today_str()}", ""]
    if reason in ["lost", "stolen", "fraud_suspected"]:
        parts.append("IMPORTANT: This card has been immediately deactivated for security.")
        parts.append("Any pending transactions may still be processed.")
        if reason == "fraud_suspected":
            parts.append("Please advise the customer to review recent transactions and file disputes for any "
                         "unauthorized charges.")
            parts.append("Also recommend changing their online banking password.")
    parts.append("")
    parts.append("Note: This card cannot be reactivated. If the customer needs a new card, they can order one "
                 "through the standard ordering process.")
    parts.append("Any recurring payments linked to this card will need to be updated with new payment information.")
    return "\n".join(parts)


@write
def freeze_debit_card_3892(db: Store, card_id: str) -> str:
    """Freeze an active debit card until it is unfrozen."""
    if not card_id:
        return "Error: Missing required parameter: card_id."
    card = _card(db, card_id)
    if card is None:
        return f"Error: Debit card '{card_id}' not found."
    if card.get("status") == "FROZEN":
        return f"Error: Debit card '{card_id}' is already frozen."
    if card.get("status") != "ACTIVE":
        return (f"Error: Debit card '{card_id}' cannot be frozen. Current status: {card.get('status')}. "
                f"Only ACTIVE cards can be frozen.")
    card = edit_record(db, "debit_cards", card_id)
    card["status"] = "FROZEN"
    card["frozen_date"] = today_str()
    return "\n".join([
        "Debit Card Frozen Successfully", f"Card ID: {card_id}", "Status: FROZEN", f"Frozen Date: {today_str()}", "",
        "While frozen:", "- All new purchase transactions will be declined",
        "- Recurring payments and subscriptions will be declined",
        "- Pending transactions already authorized may still process", "",
        "To unfreeze, the customer can call customer service or use the mobile app.",
        "If the card is confirmed lost or stolen, recommend closing the card permanently instead.",
    ])


@write
def unfreeze_debit_card_3893(db: Store, card_id: str) -> str:
    """Unfreeze a frozen debit card whose account is still open."""
    if not card_id:
        return "Error: Missing required parameter: card_id."
    card = _card(db, card_id)
    if card is None:
        return f"Error: Debit card '{card_id}' not found."
    if card.get("status") == "ACTIVE":
        return f"Error: Debit card '{card_id}' is already active."
    if card.get("status") != "FROZEN":
        return (f"Error: Debit card '{card_id}' cannot be unfrozen. Current status: {card.get('status')}. "
                f"Only FROZEN cards can be unfrozen.")
    account_id = card.get("account_id")
    accounts = records(db, "accounts")
    if account_id and account_id in accounts and accounts[account_id].get("status") != "OPEN":
        return f"Error: The linked checking account '{account_id}' is no longer open. Card cannot be unfrozen."
    card = edit_record(db, "debit_cards", card_id)
    card["status"] = "ACTIVE"
    card["unfrozen_date"] = today_str()
    return "\n".join(["Debit Card Unfrozen Successfully", f"Card ID: {card_id}", "Status: ACTIVE",
                      f"Unfrozen Date: {today_str()}", "", "The card is now active and ready to use immediately.",
                      "All transactions will process normally."])


@write
def clear_debit_card_fraud_alert_4892(db: Store, card_id: str, reason: str) -> str:
    """Clear a customer-verifiable fraud alert, or a velocity block."""
    if not card_id:
        return "Error: Missing required parameter: card_id."
    if not reason:
        return "Error: Missing required parameter: reason."
    reasons = ["customer_verified", "velocity_clear"]
    if reason not in reasons:
        return f"Error: Invalid reason '{reason}'. Must be one of: {', '.join(reasons)}"
    card = _card(db, card_id)
    if card is None:
        return f"Error: Debit card '{card_id}' not found."
    if reason == "velocity_clear":
        if not card.get("velocity_blocked", False):
            return f"Error: Debit card '{card_id}' does not have an active velocity block."
        card = edit_record(db, "debit_cards", card_id)
        card["velocity_blocked"] = False
        card["velocity_cleared_date"] = today_str()
        return "\n".join(["Velocity Block Cleared Successfully", f"Card ID: {card_id}", f"Cleared Date: {today_str()}",
                          "", "The card is now unblocked and ready for normal use.",
                          "The velocity monitoring will continue - if the same unusual patterns recur,",
                          "the card may be blocked again automatically."])
    if not card.get("fraud_alert_active", False):
        return f"Error: Debit card '{card_id}' does not have an active fraud alert."
    if card.get("alert_source") == "bank_initiated":
        return ("Error: BANK_INITIATED_ALERT - This fraud alert was initiated by the bank's fraud detection system and "
                "cannot be cleared by customer service agents. Please transfer the customer to the security team using "
                "transfer_to_human_agents.")
    card = edit_record(db, "debit_cards", card_id)
    card["fraud_alert_active"] = False
    card["alert_source"] = None
    card["fraud_alert_cleared_date"] = today_str()
    return "\n".join(["Fraud Alert Cleared Successfully", f"Card ID: {card_id}", f"Cleared Date: {today_str()}", "",
                      "The fraud alert has been removed from the card.", "All transactions will process normally.", "",
                      "Remind the customer to review recent transactions and report any unauthorized charges."])


@write
def reset_debit_card_pin_6284(db: Store, card_id: str, last_4_digits: str, new_pin: str) -> str:
    """Set a new PIN on an active card whose last four digits the customer confirms; unlocks the PIN."""
    if not all([card_id, last_4_digits, new_pin]):
        return "Error: Missing required parameters. Required: card_id, last_4_digits, new_pin."
    if not last_4_digits.isdigit() or len(last_4_digits) != 4:
        return "Error: Last 4 digits must be exactly 4 digits."
    problem = _pin_problem(new_pin)
    if problem:
        return f"Error: {problem}"
    card = _card(db, card_id)
    if card is None:
        return f"Error: Debit card '{card_id}' not found."
    if card.get("last_4_digits") != last_4_digits:
        return "Error: Card verification failed. The last 4 digits do not match our records."
    if card.get("status") != "ACTIVE":
        return (f"Error: Cannot reset PIN. Card status is {card.get('status')}. Only ACTIVE cards can have their "
                "PIN reset.")
    card = edit_record(db, "debit_cards", card_id)
    card["pin_last_changed"] = today_str()
    card["pin_locked"] = False
    card["pin_attempts_remaining"] = 3
    return "\n".join(["Debit Card PIN Reset Successfully", f"Card ID: {card_id}", f"PIN Changed: {today_str()}", "",
                      "The new PIN is effective immediately.", "Your card has been unlocked and is ready to use.",
                      "Customer can use the new PIN for ATM withdrawals and point-of-sale transactions.", "",
                      "Security reminder: Never share your PIN with anyone."])


@write
def change_debit_card_pin_6285(db: Store, card_id: str, current_pin: str, new_pin: str) -> str:
    """Change the PIN of an active card when the customer knows the current one."""
    if not all([card_id, current_pin, new_pin]):
        return "Error: Missing required parameters. Required: card_id, current_pin, new_pin."
    if not current_pin.isdigit() or len(current_pin) != 4:
        return "Error: Current PIN must be exactly 4 digits."
    problem = _pin_problem(new_pin)
    if problem:
        return f"Error: {problem}"
    if current_pin == new_pin:
        return "Error: New PIN must be different from current PIN."
    card = _card(db, card_id)
    if card is None:
        return f"Error: Debit card '{card_id}' not found."
    if card.get("status") != "ACTIVE":
        return (f"Error: Cannot change PIN. Card status is {card.get('status')}. Only ACTIVE cards can have their PIN "
                f"changed.")
    edit_record(db, "debit_cards", card_id)["pin_last_changed"] = today_str()
    return "\n".join(["Debit Card PIN Changed Successfully", f"Card ID: {card_id}", f"PIN Changed: {today_str()}", "",
                      "The new PIN is effective immediately.",
                      "Customer can use the new PIN for ATM withdrawals and point-of-sale transactions.", "",
                      "Security reminder: Never share your PIN with anyone."])


@read
def get_debit_cards_by_account_id_7823(db: Store, account_id: str) -> str:
    """An account's debit cards as JSON, most recently issued first."""
    if not account_id:
        return "Error: Missing required parameter 'account_id'."
    accounts = records(db, "accounts")
    if account_id not in accounts:
        return f"Error: Account '{account_id}' not found."
    if accounts[account_id].get("class", "").lower() not in ["checking", "business_checking"]:
        return (f"Error: Account '{account_id}' is not a checking account. Debit cards are only available for "
                f"checking accounts.")
    shown = []
    for card_id, card in records(db, "debit_cards").items():
        if card.get("account_id") != account_id:
            continue
        info = {"card_id": card_id}
        info.update(card)
        if "last_4_digits" in info and "card_number_last_4" not in info:
            info["card_number_last_4"] = info.pop("last_4_digits")
        if "issue_date" in info and "date_issued" not in info:
            info["date_issued"] = info.pop("issue_date")
        elif "created_date" in info and "date_issued" not in info:
            info["date_issued"] = info.pop("created_date")
        shown.append(info)
    if not shown:
        return f"No debit cards found for account '{account_id}'."
    shown.sort(key=lambda c: c.get("date_issued") or "", reverse=True)
    return json.dumps(shown, indent=2)


@write
def set_debit_card_recurring_block_7382(db: Store, card_id: str, block_recurring: bool) -> str:
    """Block (or allow again) every recurring charge on an active card."""
    if not card_id:
        return "Error: Missing required parameter: card_id"
    card = records(db, "debit_cards").get(card_id)
    if not card:
        return f"Error: Debit card '{card_id}' not found."
    status = card.get("status", "").upper()
    if status != "ACTIVE":
        return (f"Error: Cannot update recurring block settings for a card with status '{status}'. Card must be "
                f"ACTIVE.")
    edit_record(db, "debit_cards", card_id)["recurring_blocked"] = block_recurring
    if block_recurring:
        return (f"Recurring payments BLOCKED for debit card {card_id}.\nAll recurring/subscription charges will be "
                f"declined.\nOne-time purchases are not affected.\nThis change takes effect within 24 hours.")
    return (f"Recurring payments UNBLOCKED for debit card {card_id}.\nRecurring/subscription charges will now be "
            f"allowed.\nThis change takes effect within 24 hours.")


def _current_limit(card: dict, account: dict, limit_type: str) -> tuple[str | None, object, str, str]:
    """(error text or None, current limit, field, label) for a temporary increase."""
    if limit_type != "atm":
        return None, card.get("daily_purchase_limit"), "daily_purchase_limit", "Daily Purchase Limit"
    limit = card.get("daily_atm_limit")
    if limit is None:
        level = account.get("level", "").lower()
        if "light green" in level:
            return ("Error: Light Green Account (teen checking) cards have policy-based limits that cannot be "
                    "modified. The daily ATM withdrawal limit of $150 is fixed by account policy for safety reasons. "
                    "The customer may request the parent/guardian to withdraw cash from their own account if "
                    "needed."), None, "", ""
        limit = DEFAULT_ATM_LIMITS.get(level)
        if limit is None:
            return (f"Error: Could not determine the default ATM limit for account type '{account.get('level')}'. "
                    f"Please verify the account type."), None, "", ""
    return None, limit, "daily_atm_limit", "Daily ATM Withdrawal Limit"


@write
def request_temporary_debit_card_limit_increase_8374(db: Store, card_id: str, limit_type: str, new_limit: int) -> str:
    """Raise a card's daily ATM or purchase limit for 24 hours, up to 150% of the current one."""
    if not card_id:
        return "Error: Missing required parameter: card_id."
    if not limit_type:
        return "Error: Missing required parameter: limit_type."
    if limit_type not in ["atm", "purchase"]:
        return f"Error: Invalid limit_type '{limit_type}'. Must be 'atm' or 'purchase'."
    if new_limit is None:
        return "Error: Missing required parameter: new_limit."
    try:
        new_limit = float(new_limit)
    except (ValueError, TypeError):
        return f"Error: new_limit must be an integer, got '{new_limit}'."
    if not new_limit.is_integer():
        return f"Error: new_limit must be an integer, got '{new_limit}'."
    new_limit = int(new_limit)
    if new_limit <= 0:
        return "Error: new_limit must be a positive amount."
    card = _card(db, card_id)
    if card is None:
        return f"Error: Debit card '{card_id}' not found."
    if card.get("status") != "ACTIVE":
        return (f"Error: Debit card '{card_id}' is not active. Current status: {card.get('status')}. Only ACTIVE cards "
                f"can have limit increases.")
    account_id = card.get("account_id")
    accounts = records(db, "accounts")
    if not account_id or account_id not in accounts:
        return f"Error: Could not find linked account for debit card '{card_id}'."
    account = accounts[account_id]
    if account.get("status") != "OPEN":
        return (f"Error: The linked account '{account_id}' is not in good standing. Account status: "
                f"{account.get('status')}.")
    opened = account.get("date_opened")
    if opened:
        try:
            age = (datetime.strptime(today_str(), "%m/%d/%Y") - datetime.strptime(opened, "%m/%d/%Y")).days
            if age < 60:
                return (f"Error: Account must be at least 60 days old for a temporary limit increase. Account age: "
                        f"{age} days.")
        except ValueError:
            pass
    problem, current, field, label = _current_limit(card, account, limit_type)
    if problem:
        return problem
    if current is None:
        return (f"Error: The card does not have a {label.lower()} configured. This may be a restricted account type "
                f"where limits are set by account policy and cannot be modified.")
    ceiling = int(current * 1.5)
    if new_limit > ceiling:
        return (f"Error: Requested limit ${new_limit} exceeds the maximum allowed temporary increase. Maximum "
                f"temporary limit is ${ceiling} (150% of current ${current} limit).")
    if new_limit <= current:
        return f"Error: Requested limit ${new_limit} is not higher than the current limit of ${current}."
    card = edit_record(db, "debit_cards", card_id)
    card[field] = new_limit
    card[f"temporary_{limit_type}_limit_increase"] = True
    card[f"original_{limit_type}_limit"] = current
    card[f"temporary_{limit_type}_limit_expires"] = today_str()
    return "\n".join([
        f"Temporary {label} Increase Granted Successfully", f"Card ID: {card_id}", f"Previous Limit: ${current}",
        f"New Temporary Limit: ${new_limit}", f"Increase Amount: ${new_limit - current}", "", "Important Information:",
        "- This temporary increase expires in 24 hours", f"- After expiration, the limit will revert to ${current}",
        "- Only one temporary increase is allowed per 24-hour period", "",
        "Note: If the customer is at a third-party (non-Rho-Bank) ATM, that ATM may have its own",
        "per-transaction or daily limits that Rho-Bank cannot override. The customer may need to",
        "use a Rho-Bank ATM or make multiple smaller withdrawals at third-party ATMs.",
    ])

"""Discoverable agent tools for credit card accounts: rewards fixes, replacement, closure, statement
credits, account flags, payments from checking, and credit limit increases.

Each mirrors tau2's checks in order and its result text; the account lookups that go through the
generic query (rather than the table) are kept, because a malformed id then behaves as in tau2.
"""

from __future__ import annotations

import json

from writ.core import ToolKind
from writ.domains.banking_knowledge import ids
from writ.domains.banking_knowledge.clock import today_str
from writ.domains.banking_knowledge.discoverable import discoverable
from writ.domains.banking_knowledge.money import account_balance, parse_money_text
from writ.domains.banking_knowledge.query import query_text
from writ.domains.banking_knowledge.schema import add, edit_record, records, update
from writ.domains.banking_knowledge.specs_agent import AGENT_SPECS
from writ.domains.banking_knowledge.tools import box
from writ.store import Store

__all__: list[str] = []

write = discoverable(box, AGENT_SPECS, ToolKind.WRITE)
read = discoverable(box, AGENT_SPECS, ToolKind.READ)


def _missing_card(db: Store, account_id: str) -> bool:
    """tau2's existence test through the generic query (an id that breaks the JSON passes it)."""
    found = query_text(db, "credit_card_accounts", f'{{"account_id": "{account_id}"}}')
    return "No results found" in found or "No records found" in found


def history(db: Store, table: str, field: str, value: str, title: str, name: str, heading: str, empty: str) -> str:
    """The "<title> / Executed / <heading> / records or <empty>" report of tau2's history reads."""
    found = query_text(db, table, f'{{"{field}": "{value}"}}')
    parts = [title, "", f"Executed: {name}", heading]
    parts.append(found if "No records found" not in found and "No results found" not in found else empty)
    return "\n".join(parts)


@write
def update_transaction_rewards_3847(db: Store, transaction_id: str, new_rewards_earned: str) -> str:
    """Correct the rewards recorded on a credit card transaction."""
    if not transaction_id or not new_rewards_earned:
        return "Error: Missing required parameters."
    if not update(db, "credit_card_transaction_history", transaction_id, {"rewards_earned": new_rewards_earned}):
        return f"Error: Transaction '{transaction_id}' not found."
    shown = json.dumps({"transaction_id": transaction_id, "new_rewards_earned": new_rewards_earned}, indent=2)
    return (f"Transaction rewards updated successfully.\n\nExecuted: update_transaction_rewards_3847\n"
            f"Arguments: {shown}\nTransaction updated:\n  - Transaction ID: {transaction_id}\n"
            f"  - New Rewards: {new_rewards_earned}")


@write
def order_replacement_credit_card_7291(db: Store, credit_card_account_id: str, user_id: str, shipping_address: str,
                                       reason: str, expedited_shipping: bool = False) -> str:
    """Order a replacement card; the old card's account is closed at once."""
    if not credit_card_account_id or not user_id or not shipping_address or not reason:
        return "Error: Missing required parameters (credit_card_account_id, user_id, shipping_address, reason)."
    reasons = ["fraud_suspected", "lost", "stolen", "damaged", "expired", "other"]
    if reason not in reasons:
        return f"Error: Invalid reason. Must be one of: {reasons}"
    if _missing_card(db, credit_card_account_id):
        return f"Error: Credit card account '{credit_card_account_id}' not found."
    order_id = ids.card_order_id(credit_card_account_id, user_id, reason)
    today = today_str()
    entry = {"order_id": order_id, "credit_card_account_id": credit_card_account_id, "user_id": user_id,
             "shipping_address": shipping_address, "reason": reason, "expedited_shipping": expedited_shipping,
             "order_date": today, "status": "ORDERED", "old_card_cancelled": True}
    if not add(db, "credit_card_orders", order_id, entry):
        return "Error: Order may have already been placed for this card replacement."
    if credit_card_account_id in records(db, "credit_card_accounts"):
        card = edit_record(db, "credit_card_accounts", credit_card_account_id)
        card["status"] = "CLOSED"
        card["closed_date"] = today_str()
    method, delivery = ("Expedited", "2-3 business days") if expedited_shipping else ("Standard", "7-10 business days")
    return "\n".join([
        f"Order ID: {order_id}", f"Card Account: {credit_card_account_id}",
        f"Reason: {reason.replace('_', ' ').title()}", f"Shipping Address: {shipping_address}",
        f"Shipping Method: {method}", f"Expected Delivery: {delivery}", "",
        "The old card has been cancelled for security. The new card will have the same account number but a new "
        "card number and CVV.",
    ])


@read
def get_pending_replacement_orders_5765(db: Store, credit_card_account_id: str) -> str:
    """Replacement orders of a credit card account."""
    if not credit_card_account_id:
        return "Error: Missing required parameter: credit_card_account_id"
    return history(db, "credit_card_orders", "credit_card_account_id", credit_card_account_id,
                   "Pending replacement orders check completed.", "get_pending_replacement_orders_5765",
                   f"Replacement orders for credit card account {credit_card_account_id}:",
                   "\nNo pending replacement orders found for this credit card account.")


@write
def log_credit_card_closure_reason_4521(db: Store, credit_card_account_id: str, user_id: str,
                                        closure_reason: str) -> str:
    """Record why the customer wants to close a card (a retention step before closing)."""
    if not credit_card_account_id or not user_id or not closure_reason:
        return "Error: Missing required parameters."
    reasons = ["annual_fee", "not_using_card", "found_better_card", "unhappy_with_rewards", "simplifying_finances",
               "negative_experience", "other"]
    if closure_reason not in reasons:
        return f"Error: Invalid closure_reason. Must be one of: {reasons}"
    key = ids.closure_reason_id(credit_card_account_id, user_id)
    add(db, "credit_card_closure_reasons", key,
        {"record_id": key, "credit_card_account_id": credit_card_account_id, "user_id": user_id,
         "closure_reason": closure_reason, "logged_at": today_str(), "status": "LOGGED"})
    shown = json.dumps({"credit_card_account_id": credit_card_account_id, "user_id": user_id,
                        "closure_reason": closure_reason}, indent=2)
    return ("Closure reason logged successfully.\n\nExecuted: log_credit_card_closure_reason_4521\nArguments: "
            f"{shown}\nClosure reason '{closure_reason}' logged for account {credit_card_account_id}.")


@read
def get_closure_reason_history_8293(db: Store, credit_card_account_id: str) -> str:
    """Earlier closure attempts on a credit card account."""
    if not credit_card_account_id:
        return "Error: Missing required parameter: credit_card_account_id"
    return history(db, "credit_card_closure_reasons", "credit_card_account_id", credit_card_account_id,
                   "Closure reason history retrieved successfully.", "get_closure_reason_history_8293",
                   f"Closure reason history for credit card account {credit_card_account_id}:",
                   "\nNo closure reason records found for this credit card account.")


@write
def apply_statement_credit_8472(db: Store, user_id: str, credit_card_account_id: str, amount: float,
                                reason: str) -> str:
    """Credit a card account; recorded as a negative transaction."""
    if not user_id or not credit_card_account_id or amount is None or not reason:
        return "Error: Missing required parameters (user_id, credit_card_account_id, amount, reason)."
    try:
        amount = float(amount)
    except (ValueError, TypeError):
        return f"Error: Invalid amount '{amount}'. Must be a number."
    if amount <= 0:
        return "Error: Credit amount must be positive."
    reasons = ["goodwill_adjustment", "promotional_credit", "annual_fee_reversal", "late_fee_reversal",
               "interest_charge_reversal", "dispute_resolution", "price_match", "retention_offer", "error_correction",
               "other"]
    if reason not in reasons:
        return f"Error: Invalid reason. Must be one of: {reasons}"
    if _missing_card(db, credit_card_account_id):
        return f"Error: Credit card account '{credit_card_account_id}' not found."
    key = ids.transaction_id(user_id, "STATEMENT_CREDIT", reason, amount, "Statement Credit")
    today = today_str()
    entry = {"transaction_id": key, "user_id": user_id, "credit_card_account_id": credit_card_account_id,
             "credit_card_type": "N/A", "merchant_name": "Rho-Bank Statement Credit",
             "transaction_amount": f"-${amount:.2f}", "transaction_date": today, "category": "Statement Credit",
             "status": "COMPLETED", "rewards_earned": "0 points", "credit_reason": reason}
    if not add(db, "credit_card_transaction_history", key, entry):
        return f"Error: Failed to apply statement credit. Transaction ID '{key}' may already exist."
    return (f"Statement credit applied successfully.\n\nExecuted: apply_statement_credit_8472\n"
            f"  - Transaction ID: {key}\n  - User ID: {user_id}\n  - Account: {credit_card_account_id}\n"
            f"  - Credit Amount: ${amount:.2f}\n  - Reason: {reason.replace('_', ' ').title()}\n  - Date: {today}")


@write
def apply_credit_card_account_flag_6147(db: Store, credit_card_account_id: str, user_id: str, flag_type: str,
                                        expiration_date: str, reason: str) -> str:
    """Put a flag (fee waiver, promotional APR, rewards bonus) on a card account until a date."""
    if not credit_card_account_id or not user_id or not flag_type or not expiration_date or not reason:
        return ("Error: Missing required parameters (credit_card_account_id, user_id, flag_type, expiration_date, "
                "reason).")
    flags = ["annual_fee_waived", "promotional_apr", "rewards_bonus", "other"]
    if flag_type not in flags:
        return f"Error: Invalid flag_type. Must be one of: {flags}"
    reasons = ["retention_offer", "loyalty_benefit", "promotional", "error_correction", "other"]
    if reason not in reasons:
        return f"Error: Invalid reason. Must be one of: {reasons}"
    if _missing_card(db, credit_card_account_id):
        return f"Error: Credit card account '{credit_card_account_id}' not found."
    key = ids.account_flag_id(credit_card_account_id, flag_type, expiration_date)
    today = today_str()
    entry = {"flag_id": key, "credit_card_account_id": credit_card_account_id, "user_id": user_id,
             "flag_type": flag_type, "effective_date": today, "expiration_date": expiration_date, "reason": reason,
             "applied_at": today, "status": "ACTIVE"}
    if not add(db, "credit_card_account_flags", key, entry):
        return f"Error: Failed to apply account flag. Flag ID '{key}' may already exist."
    return (f"Account flag applied successfully!\n  - Flag ID: {key}\n  - Account: {credit_card_account_id}\n"
            f"  - User ID: {user_id}\n  - Flag Type: {flag_type.replace('_', ' ').title()}\n"
            f"  - Effective Date: {today}\n  - Expiration Date: {expiration_date}\n"
            f"  - Reason: {reason.replace('_', ' ').title()}")


@write
def close_credit_card_account_7834(db: Store, credit_card_account_id: str, user_id: str) -> str:
    """Close a credit card account for good."""
    if not credit_card_account_id or not user_id:
        return "Error: Missing required parameters (credit_card_account_id, user_id)."
    if _missing_card(db, credit_card_account_id):
        return f"Error: Credit card account '{credit_card_account_id}' not found."
    if not update(db, "credit_card_accounts", credit_card_account_id,
                  {"status": "CLOSED", "closed_date": today_str(), "closed_by": user_id}):
        return f"Error: Failed to close credit card account '{credit_card_account_id}'."
    shown = json.dumps({"credit_card_account_id": credit_card_account_id, "user_id": user_id}, indent=2)
    return (f"Credit card account closed successfully.\n\nExecuted: close_credit_card_account_7834\n"
            f"Arguments: {shown}\nAccount {credit_card_account_id} has been closed.")


@write
def pay_credit_card_from_checking_9182(db: Store, user_id: str, checking_account_id: str,
                                       credit_card_account_id: str, amount: float) -> str:
    """Move money from the customer's checking account onto their card balance."""
    if not user_id or not checking_account_id or not credit_card_account_id or amount is None:
        return ("Error: Missing required parameters (user_id, checking_account_id, credit_card_account_id, "
                "amount).")
    try:
        amount = float(amount)
        if amount <= 0:
            return "Error: Payment amount must be a positive number."
    except (ValueError, TypeError):
        return "Error: Invalid payment amount. Must be a positive number."
    accounts = records(db, "accounts")
    if checking_account_id not in accounts:
        return f"Error: Checking account '{checking_account_id}' not found."
    checking = accounts[checking_account_id]
    if checking.get("user_id") != user_id:
        return f"Error: Checking account '{checking_account_id}' does not belong to user '{user_id}'."
    if checking.get("class") != "checking":
        return f"Error: Account '{checking_account_id}' is not a checking account."
    balance = account_balance(checking)
    if amount > balance:
        return (f"Error: Insufficient funds in checking account. Available balance: ${balance:.2f}, "
                f"requested payment: ${amount:.2f}.")
    cards = records(db, "credit_card_accounts")
    if credit_card_account_id not in cards:
        return f"Error: Credit card account '{credit_card_account_id}' not found."
    if cards[credit_card_account_id].get("user_id") != user_id:
        return f"Error: Credit card account '{credit_card_account_id}' does not belong to user '{user_id}'."
    owed = parse_money_text(cards[credit_card_account_id].get("current_balance", "$0.00"))
    if amount > owed:
        return (f"Error: Payment amount (${amount:.2f}) exceeds credit card balance (${owed:.2f}). "
                f"Please specify an amount up to the outstanding balance.")
    new_checking, new_owed = balance - amount, owed - amount
    edit_record(db, "accounts", checking_account_id)["current_holdings"] = f"{new_checking:.2f}"
    edit_record(db, "credit_card_accounts", credit_card_account_id)["current_balance"] = f"${new_owed:.2f}"
    return (f"Payment processed successfully!\n  - Payment Amount: ${amount:.2f}\n"
            f"  - From Checking Account: {checking_account_id}\n  - To Credit Card Account: {credit_card_account_id}\n"
            f"  - New Checking Balance: ${new_checking:.2f}\n  - New Credit Card Balance: ${new_owed:.2f}\n"
            f"The payment has been applied immediately.")


@write
def submit_credit_limit_increase_request_7392(db: Store, credit_card_account_id: str, user_id: str,
                                              requested_increase_amount: int) -> str:
    """File a pending credit limit increase request (a whole number of dollars)."""
    if not credit_card_account_id or not user_id or requested_increase_amount is None:
        return "Error: Missing required parameters."
    try:
        requested_increase_amount = float(requested_increase_amount)
    except (TypeError, ValueError):
        return "Error: Invalid requested_increase_amount. Must be a whole number."
    if not requested_increase_amount.is_integer():
        return "Error: Invalid requested_increase_amount. Must be a whole number of dollars."
    requested = int(requested_increase_amount)
    if requested <= 0:
        return "Error: Requested increase amount must be positive."
    cards = records(db, "credit_card_accounts")
    if credit_card_account_id not in cards:
        return f"Error: Credit card account '{credit_card_account_id}' not found."
    if cards[credit_card_account_id].get("user_id") != user_id:
        return f"Error: Credit card account '{credit_card_account_id}' does not belong to user '{user_id}'."
    key = ids.limit_request_id(credit_card_account_id, user_id, requested)
    entry = {"request_id": key, "credit_card_account_id": credit_card_account_id, "user_id": user_id,
             "requested_increase_amount": requested, "submitted_at": today_str(), "status": "PENDING"}
    if not add(db, "credit_limit_increase_requests", key, entry):
        return "Error: A similar request may already exist."
    return (f"Credit limit increase request submitted successfully.\n\n"
            f"Executed: submit_credit_limit_increase_request_7392\n  - Request ID: {key}\n"
            f"  - Account: {credit_card_account_id}\n  - Requested Increase: ${requested:,}\n  - Status: PENDING")


@read
def get_credit_limit_increase_history_4829(db: Store, credit_card_account_id: str) -> str:
    """Earlier credit limit increase requests and decisions on an account."""
    if not credit_card_account_id:
        return "Error: Missing required parameter: credit_card_account_id"
    return history(db, "credit_limit_increase_requests", "credit_card_account_id", credit_card_account_id,
                   "Credit limit increase history retrieved.", "get_credit_limit_increase_history_4829",
                   f"Credit limit increase history for account {credit_card_account_id}:",
                   "\nNo credit limit increase requests found for this account.")


@read
def get_payment_history_6183(db: Store, credit_card_account_id: str, months: int) -> str:
    """The latest payments on a card account, newest first, with the on-time streak."""
    if not credit_card_account_id or months is None:
        return "Error: Missing required parameters (credit_card_account_id, months)."
    try:
        months = int(months)
        if months <= 0:
            return "Error: months must be a positive integer."
    except (ValueError, TypeError):
        return "Error: Invalid months value. Must be a positive integer."
    payments = [p for p in records(db, "payment_history").values()
                if p.get("credit_card_account_id") == credit_card_account_id]
    if not payments:
        return f"No payment history found for account '{credit_card_account_id}'."
    payments.sort(key=lambda p: p.get("payment_date") or "", reverse=True)
    payments = payments[:months]
    streak = 0
    for payment in payments:
        if payment.get("status") != "ON_TIME":
            break
        streak += 1
    parts = [f"Payment history for account '{credit_card_account_id}' (last {months} months):",
             f"Consecutive on-time payments: {streak}"]
    parts.extend(f"\n  - Payment Date: {p.get('payment_date')}\n    Amount: {p.get('amount')}\n"
                 f"    Status: {p.get('status')}" for p in payments)
    return "\n".join(parts)


def _blocks_increase(db: Store, credit_card_account_id: str, user_id: str, card: dict) -> bool:
    """tau2's eligibility for an approval: no open dispute, no replacement on its way, good standing."""
    if any(d.get("user_id") == user_id and d.get("status") in ["SUBMITTED", "UNDER_REVIEW", "PENDING"]
           for d in records(db, "transaction_disputes").values()):
        return True
    if any(o.get("credit_card_account_id") == credit_card_account_id and o.get("status") in
           ["PENDING", "PROCESSING", "SHIPPED"] for o in records(db, "credit_card_orders").values()):
        return True
    return card.get("account_status", "").upper() in ["PAST_DUE", "DELINQUENT", "COLLECTIONS", "CLOSED"]


@write
def approve_credit_limit_increase_5847(db: Store, credit_card_account_id: str, user_id: str,
                                       new_credit_limit: int) -> str:
    """Raise a card's credit limit to a new total, if the account is eligible."""
    if not credit_card_account_id or not user_id or new_credit_limit is None:
        return "Error: Missing required parameters."
    cards = records(db, "credit_card_accounts")
    if credit_card_account_id not in cards:
        return f"Error: Credit card account '{credit_card_account_id}' not found."
    card = cards[credit_card_account_id]
    if card.get("user_id") != user_id:
        return f"Error: Credit card account '{credit_card_account_id}' does not belong to user '{user_id}'."
    if _blocks_increase(db, credit_card_account_id, user_id, card):
        return "Error: Credit limit increase request cannot be approved at this time."
    current = parse_money_text(card.get("credit_limit", "$0.00"))
    try:
        new_limit = float(new_credit_limit)
    except (ValueError, TypeError):
        return f"Error: Invalid new_credit_limit '{new_credit_limit}'. Must be a number."
    edit_record(db, "credit_card_accounts", credit_card_account_id)["credit_limit"] = f"${new_limit:.2f}"
    today = today_str()
    key = ids.limit_request_id(credit_card_account_id, user_id, new_limit - current)
    add(db, "credit_limit_increase_requests", key,
        {"request_id": key, "credit_card_account_id": credit_card_account_id, "user_id": user_id,
         "previous_limit": f"${current:.2f}", "new_limit": f"${new_limit:.2f}",
         "increase_amount": f"${new_limit - current:.2f}", "decision_date": today, "status": "APPROVED"})
    return (f"Credit limit increase approved!\n  - Account: {credit_card_account_id}\n"
            f"  - Previous Limit: ${current:.2f}\n  - New Limit: ${new_limit:.2f}\n"
            f"  - Increase: ${new_limit - current:.2f}\n  - Effective Date: {today}\n"
            f"The customer will receive a confirmation email.")


@write
def deny_credit_limit_increase_5848(db: Store, credit_card_account_id: str, user_id: str, denial_reason: str) -> str:
    """Record a denied credit limit increase with its reason."""
    if not credit_card_account_id or not user_id or not denial_reason:
        return "Error: Missing required parameters."
    reasons = ["insufficient_account_age", "cooldown_period_active", "pending_disputes", "pending_replacement_card",
               "past_due_balance", "high_utilization", "insufficient_payment_history",
               "requested_amount_exceeds_limit", "other"]
    if denial_reason not in reasons:
        return f"Error: Invalid denial_reason. Must be one of: {', '.join(reasons)}"
    if credit_card_account_id not in records(db, "credit_card_accounts"):
        return f"Error: Credit card account '{credit_card_account_id}' not found."
    today = today_str()
    key = ids.limit_request_id(credit_card_account_id, user_id, 0.0)
    add(db, "credit_limit_increase_requests", key,
        {"request_id": key, "credit_card_account_id": credit_card_account_id, "user_id": user_id,
         "denial_reason": denial_reason, "decision_date": today, "status": "DENIED"})
    return (f"Credit limit increase request denied.\n  - Account: {credit_card_account_id}\n"
            f"  - Denial Reason: {denial_reason}\n  - Date: {today}\n"
            f"The customer will receive a notification explaining the denial.")

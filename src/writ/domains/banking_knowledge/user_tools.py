"""The customer's own tools (tau2's ``KnowledgeUserTools``), acting on the bank's database itself.

Always present: applying for a credit card, referring someone, submitting a card transaction,
asking for a human, and the two tools for discoverable user tools (list what the agent gave, call
one). Hidden: the four discoverable user tools, each refusing to run until the agent has given it
(a ``user_discoverable_tools`` record) and logging every call it accepts.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from writ.core import Toolbox, ToolKind
from writ.domains.banking_knowledge import ids
from writ.domains.banking_knowledge.clock import today_str
from writ.domains.banking_knowledge.discoverable import binding_error, discoverable, load_arguments, parameters
from writ.domains.banking_knowledge.money import parse_balance
from writ.domains.banking_knowledge.query import query_text
from writ.domains.banking_knowledge.schema import add, edit_record, records
from writ.domains.banking_knowledge.specs_user import USER_SPECS
from writ.store import Store

__all__ = ["CARD_TYPES", "REWARD_RATES", "user_box"]

user_box = Toolbox(owner="KnowledgeUserTools", side="user")
hidden = discoverable(user_box, USER_SPECS, ToolKind.WRITE)
hidden_read = discoverable(user_box, USER_SPECS, ToolKind.READ)

CARD_TYPES = [
    "Bronze Rewards Card", "Business Bronze Rewards Card", "Business Gold Rewards Card",
    "Business Platinum Rewards Card", "Business Silver Rewards Card", "Crypto-Cash Back", "Diamond Elite Card",
    "EcoCard", "Gold Rewards Card", "Green Rewards Card", "Platinum Rewards Card", "Silver Rewards Card",
    "Silver Zoom Card",
]
# Cash-back percentage per card and purchase category; "default" covers every other category.
REWARD_RATES: dict[str, dict[str, float]] = {
    "Bronze Rewards Card": {"default": 1.0},
    "Silver Rewards Card": {"Travel": 4.0, "Software": 4.0, "default": 1.0},
    "Gold Rewards Card": {"default": 2.5},
    "Platinum Rewards Card": {"default": 10.0},
    "Business Bronze Rewards Card": {"default": 1.0},
    "Business Silver Rewards Card": {"Travel": 10.0, "Software": 10.0, "default": 1.0},
    "Green Rewards Card": {"Sustainable": 3.0, "default": 1.0},
    "Business Gold Rewards Card": {"Operations": 2.5, "default": 1.0},
    "Business Platinum Rewards Card": {"Travel": 4.0, "Software": 4.0, "Media": 4.0, "default": 1.5},
    "Silver Zoom Card": {"Transportation": 3.0, "default": 1.0},
    "Diamond Elite Card": {"default": 5.0},
    "EcoCard": {"Green": 5.0, "default": 1.0},
    "Crypto-Cash Back": {"default": 2.0},
}


def _not_given(db: Store, name: str) -> str | None:
    if "No records found" in query_text(db, "user_discoverable_tools", f'{{"tool_name": "{name}"}}'):
        return (f"Error: Tool '{name}' has not been given to you by the agent. "
                f"The agent must first use `give_discoverable_user_tool` to give this tool to you.")
    return None


def _log_call(db: Store, name: str, arguments: dict[str, Any]) -> None:
    add(db, "user_discoverable_tool_calls", ids.user_tool_call_id(name, arguments),
        {"tool_name": name, "arguments": arguments, "called_at": today_str(), "status": "CALLED"})


def _executed(name: str, arguments: dict[str, Any]) -> str:
    return f"Executed: {name}\nArguments: {json.dumps(arguments, indent=2)}\n"


# -- always-present tools, in tau2's order -------------------------------------------------------
@user_box.write
def apply_for_credit_card(db: Store, card_type: str, customer_name: str, annual_income: float,
                          rho_bank_subscription: bool = False) -> str:
    """Apply for a Rho-Bank credit card.

    Args:
        card_type: The card's exact name, e.g. "Gold Rewards Card".
        customer_name: Your full legal name.
        annual_income: Your annual income in USD.
        rho_bank_subscription: Whether you have a Rho-Bank+ subscription.
    """
    if card_type not in CARD_TYPES:
        return f"Error: Invalid card_type '{card_type}'. Must be one of: {CARD_TYPES}"
    try:
        annual_income = float(annual_income)
    except (TypeError, ValueError):
        return "Error: Invalid annual_income. Must be a number."
    key = ids.application_id(card_type, customer_name, annual_income, rho_bank_subscription)
    entry = {"application_id": key, "card_type": card_type, "customer_name": customer_name,
             "annual_income": annual_income, "rho_bank_subscription": rho_bank_subscription, "status": "PENDING",
             "date": today_str()}
    if not add(db, "credit_card_applications", key, entry):
        return f"Failed to submit application: Record ID '{key}' may already exist."
    return ("Credit card application submitted:\nYour application has been successfully submitted. "
            "You will receive a decision within 5-7 business days via email.")


@user_box.write
def submit_referral(db: Store, user_id: str, account_type: str) -> str:
    """Refer someone to open a Rho-Bank account or card.

    Args:
        user_id: Your user id (the referrer).
        account_type: The account or card you refer them to.
    """
    key = ids.referral_id(user_id, account_type)
    today = today_str()
    entry = {"referral_id": key, "referrer_id": user_id, "referred_account_type": account_type,
             "referral_status": "NO_PROGRESS", "date": today}
    if not add(db, "referrals", key, entry):
        return f"Failed to submit referral: Record ID '{key}' may already exist."
    return (f"Referral request submitted successfully!\n  - Referral ID: {key}\n  - Referrer ID: {user_id}\n"
            f"  - Account Type: {account_type}\n  - Status: NO_PROGRESS\n  - Date: {today}\n\n"
            f"Share your referral ID with the person you're referring. "
            f"They will need to use this when applying for their account.")


@user_box.write
def call_discoverable_user_tool(db: Store, discoverable_tool_name: str, arguments: str = "{}") -> str:
    """Use a tool the agent gave you, with the arguments the agent told you.

    Args:
        discoverable_tool_name: The tool's name, e.g. "deposit_check_3847".
        arguments: Its arguments as a JSON object text, e.g. '{"account_id": "chk_123"}'.
    """
    tool = user_box.hidden.get(discoverable_tool_name)
    if tool is None:
        return f"Error: Unknown discoverable tool '{discoverable_tool_name}'."
    try:
        parsed = load_arguments(arguments)
    except ValueError as exc:
        return f"Error: Invalid JSON in arguments: {exc}"
    params = parameters(tool)
    for param in params:
        if param.default is param.empty and param.name not in parsed:
            return f"Error: Missing required parameter: {param.name}"
    accepted = {"self": None, **{p.name: None for p in params}}
    for key in parsed:
        if key not in accepted:
            return f"Error: Unexpected parameter: {key}"
    problem = binding_error(tool, parsed)
    if problem:
        return f"Error: Invalid arguments for tool '{discoverable_tool_name}': {problem}"
    try:
        return tool.fn(db, **parsed)
    except TypeError as exc:
        return f"Error: Invalid arguments for tool '{discoverable_tool_name}': {exc}"


@user_box.read
def list_discoverable_user_tools(db: Store) -> str:
    """The tools the agent has given you so far."""
    found = query_text(db, "user_discoverable_tools", "{}")
    if "No results found" in found:  # tau2 quirk: the query says "No records found", so this never fires
        return "No tools have been given to you yet by the agent."
    return f"Tools given to you by the agent:\n{found}"


@user_box.write
def request_human_agent_transfer(db: Store) -> str:
    """Ask to speak with a human agent; every request is recorded and numbered."""
    existing = query_text(db, "human_transfer_requests", "{}")
    if "No records found" in existing or "No results found" in existing:
        number = 1
    else:
        number = existing.count("request_id") + 1  # tau2 counts the field name in the printed records
    key = f"transfer_request_{number}"
    add(db, "human_transfer_requests", key,
        {"request_id": key, "request_number": number, "requested_at": today_str(), "status": "PENDING"})
    return f"Transfer request #{number} submitted.\nThe agent will process your request."


@user_box.write
def submit_transaction(db: Store, user_id: str, credit_card_type: str, merchant_name: str, amount: float,
                       category: str) -> str:
    """Make a purchase with one of your Rho-Bank credit cards.

    Args:
        user_id: Your user id.
        credit_card_type: The card used, e.g. "Gold Rewards Card".
        merchant_name: Where you bought.
        amount: The amount in USD, e.g. 127.43.
        category: The purchase category, e.g. "Groceries", "Dining", "Travel", "Software".
    """
    if credit_card_type not in REWARD_RATES:
        return f"Error: Unknown credit card type '{credit_card_type}'. Available types: {list(REWARD_RATES)}"
    try:
        amount = float(amount)
    except (TypeError, ValueError):
        return f"Error: Invalid amount '{amount}'. Must be a number."
    key = ids.transaction_id(user_id, credit_card_type, merchant_name, amount, category)
    today = today_str()
    rates = REWARD_RATES[credit_card_type]
    rate = rates.get(category, rates["default"])
    points = int(amount * rate)
    entry = {"transaction_id": key, "user_id": user_id, "credit_card_type": credit_card_type,
             "merchant_name": merchant_name, "transaction_amount": f"${amount:.2f}", "transaction_date": today,
             "category": category, "status": "COMPLETED", "rewards_earned": f"{points} points"}
    if not add(db, "credit_card_transaction_history", key, entry):
        return f"Failed to submit transaction: Record ID '{key}' may already exist."
    return (f"Transaction submitted successfully!\n  - Transaction ID: {key}\n  - User ID: {user_id}\n"
            f"  - Card Type: {credit_card_type}\n  - Merchant: {merchant_name}\n  - Amount: ${amount:.2f}\n"
            f"  - Category: {category}\n  - Date: {today}\n  - Rewards Earned: {points} points ({rate}% "
            "cashback rate)\n")


# -- discoverable user tools ---------------------------------------------------------------------
@hidden
def submit_cash_back_dispute_0589(db: Store, user_id: str, transaction_id: str) -> str:
    """Dispute the cash back of a transaction; auto-resolved when the task's config says so."""
    refused = _not_given(db, "submit_cash_back_dispute_0589")
    if refused:
        return refused
    arguments = {"user_id": user_id, "transaction_id": transaction_id}
    _log_call(db, "submit_cash_back_dispute_0589", arguments)
    key = ids.dispute_id(user_id, transaction_id)
    config = records(db, "task_config")
    auto = config.get("dispute_settings", {}).get("auto_resolve_disputes", False) if config else False
    entry = {"dispute_id": key, "user_id": user_id, "transaction_id": transaction_id, "submitted_at": today_str()}
    if auto:
        entry.update(status="RESOLVED", resolution="APPROVED")
        status = ("Status: RESOLVED - The dispute has been reviewed and approved. "
                  "The transaction rewards need to be updated.")
    else:
        entry["status"] = "SUBMITTED"
        status = "Status: SUBMITTED - Your dispute has been queued for review."
    stored = add(db, "cash_back_disputes", key, entry)
    text = ("Cash back dispute submitted successfully. Your case has been queued for review.\n\n"
            + _executed("submit_cash_back_dispute_0589", arguments))
    if stored:
        return text + f"Dispute ID: {key}\n{status}"
    return text + "Note: Dispute may have already been submitted for this transaction."


@hidden
def get_referral_link(db: Store, user_id: str, card_name: str) -> str:
    """Create a referral link for a card, recorded as a referral without progress."""
    refused = _not_given(db, "get_referral_link")
    if refused:
        return refused
    arguments = {"user_id": user_id, "card_name": card_name}
    _log_call(db, "get_referral_link", arguments)
    key = ids.referral_link_id(user_id, card_name)
    stored = add(db, "referrals", key, {"referral_id": key, "referrer_id": user_id, "referred_account_type": card_name,
                                        "referral_status": "NO_PROGRESS", "date": today_str()})
    text = ("Referral link generated successfully. Share this link with the person you want to refer.\n\n"
            + _executed("get_referral_link", arguments))
    if stored:
        return text + f"Referral ID: {key}\nReferral link: https://rhobank.com/refer/{key}"
    return text + "Note: A referral link for this card may have already been generated."


@hidden_read
def get_card_last_4_digits(db: Store, credit_card_account_id: str) -> str:
    """The last four digits of a credit card (derived from the account id, as in tau2)."""
    refused = _not_given(db, "get_card_last_4_digits")
    if refused:
        return refused
    arguments = {"credit_card_account_id": credit_card_account_id}
    _log_call(db, "get_card_last_4_digits", arguments)
    found = query_text(db, "credit_card_accounts", f'{{"account_id": "{credit_card_account_id}"}}')
    if "No results found" in found or "No records found" in found:
        return f"Error: Credit card account '{credit_card_account_id}' not found."
    digits = [c for c in hashlib.sha256(f"card_last4:{credit_card_account_id}".encode()).hexdigest() if c.isdigit()]
    last_4 = "".join(digits[:4]).ljust(4, "0")
    return ("Card information retrieved successfully.\n\n" + _executed("get_card_last_4_digits", arguments)
            + f"Last 4 digits of card: {last_4}")


@hidden
def deposit_check_3847(db: Store, account_id: str, check_amount: float) -> str:
    """Deposit a check by photo into a bank account."""
    refused = _not_given(db, "deposit_check_3847")
    if refused:
        return refused
    arguments = {"account_id": account_id, "check_amount": check_amount}
    _log_call(db, "deposit_check_3847", arguments)
    try:
        check_amount = float(check_amount)
    except (TypeError, ValueError):
        return f"Error: Invalid check amount '{check_amount}'. Must be a number."
    if check_amount <= 0:
        return "Error: Check amount must be positive."
    accounts = records(db, "accounts")
    if account_id not in accounts:
        return f"Error: Account '{account_id}' not found."
    if accounts[account_id].get("status") not in ("ACTIVE", "OPEN"):
        return f"Error: Account '{account_id}' is not active."
    account = accounts[account_id]
    balance = parse_balance(account.get("current_holdings", account.get("balance", 0)))
    new_balance = balance + check_amount
    edit_record(db, "accounts", account_id)["current_holdings"] = f"${new_balance:.2f}"
    return ("Check deposited successfully. Funds will be available according to your account's deposit policy.\n\n"
            + _executed("deposit_check_3847", arguments)
            + f"Check deposit processed!\n  - Account: {account_id}\n  - Check Amount: ${check_amount:.2f}\n"
            f"  - Previous Balance: ${balance:.2f}\n  - New Balance: ${new_balance:.2f}")

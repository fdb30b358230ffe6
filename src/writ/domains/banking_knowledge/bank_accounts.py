"""Discoverable agent tools for checking and savings accounts: open, close, list, transfer, credit,
interest discrepancy reports and transaction history.

Eligibility and fees follow tau2's rules, which are stricter than some documents suggest: a
personal savings account needs an open personal checking account at least 14 days old; a
business checking account needs no closed account and an open personal checking account; a
business savings account needs no negative balance and an open business checking account at least
30 days old; closing within a tier's early-closure window costs that tier's fee, and the balance
left after the fee must be exactly zero.
"""

from __future__ import annotations

from datetime import datetime

from writ.core import ToolKind
from writ.domains.banking_knowledge.clock import NOW, today_str
from writ.domains.banking_knowledge.discoverable import discoverable
from writ.domains.banking_knowledge.ids import digest
from writ.domains.banking_knowledge.money import account_balance, parse_balance
from writ.domains.banking_knowledge.query import format_records, query_table, query_text
from writ.domains.banking_knowledge.schema import add, edit_record, records
from writ.domains.banking_knowledge.specs_agent import AGENT_SPECS
from writ.domains.banking_knowledge.tools import box
from writ.store import Store

__all__ = ["CHECKING_EARLY_CLOSURE", "SAVINGS_EARLY_CLOSURE"]

write = discoverable(box, AGENT_SPECS, ToolKind.WRITE)
read = discoverable(box, AGENT_SPECS, ToolKind.READ)

# Account tier -> (fee in dollars, window in days after opening during which closing costs the fee).
CHECKING_EARLY_CLOSURE = {
    "Light Blue Account": (15, 30), "Light Green Account": (15, 30), "Green Fee-Free Account": (15, 30),
    "Blue Account": (25, 60), "Green Account": (25, 60), "Evergreen Account": (50, 90), "Bluest Account": (100, 180),
}
SAVINGS_EARLY_CLOSURE = {
    "Bronze Account": (20, 60), "Silver Account": (35, 90), "Silver Plus Account": (35, 90), "Gold Account": (75, 180),
    "Gold Plus Account": (75, 180), "Gold Years Account": (75, 180), "Platinum Account": (150, 270),
    "Platinum Plus Account": (150, 270), "Diamond Elite Account": (150, 270),
}
PERSONAL_CHECKING = ["checking", "personal_checking"]
LIVE = ["OPEN", "ACTIVE"]


def _age_days(account: dict) -> int:
    """Days since the account opened (MM/DD/YYYY), 0 when the date does not parse."""
    try:
        return (NOW - datetime.strptime(account.get("date_opened", ""), "%m/%d/%Y")).days
    except ValueError:
        return 0


def _kind(account: dict) -> str:
    # Accounts opened by the tool carry "account_type"; loaded ones carry "class".
    return account.get("account_type", account.get("class", ""))


def _eligible(account_type: str, owned: list[dict]) -> bool:
    if account_type == "savings":
        return any(_kind(a) in PERSONAL_CHECKING and a.get("status", "") in LIVE and _age_days(a) >= 14 for a in owned)
    if account_type == "business_checking":
        if any(a.get("status") == "CLOSED" for a in owned):
            return False
        return any(_kind(a) in PERSONAL_CHECKING and a.get("status", "") in LIVE for a in owned)
    if account_type == "business_savings":
        for a in owned:
            if parse_balance(a.get("current_holdings", a.get("balance", 0))) < 0:
                return False
        return any(_kind(a) == "business_checking" and a.get("status", "") in LIVE and _age_days(a) >= 30
                   for a in owned)
    return True


@write
def open_bank_account_4821(db: Store, user_id: str, account_type: str, account_class: str) -> str:
    """Open a checking, savings, business checking or business savings account with a zero balance."""
    if not user_id or not account_type or not account_class:
        return "Error: Missing required parameters."
    types = ["checking", "savings", "business_checking", "business_savings"]
    if account_type not in types:
        return f"Error: Invalid account_type. Must be one of: {types}"
    owned = [a for a in records(db, "accounts").values() if a.get("user_id") == user_id]
    if not _eligible(account_type, owned):
        return "Error: Account eligibility requirements not met."
    account_id = digest(f"account:{user_id}:{account_type}:{account_class}")
    today = today_str()
    entry = {"account_id": account_id, "user_id": user_id, "account_type": account_type,
             "account_class": account_class, "current_holdings": "0.00", "status": "OPEN", "date_opened": today}
    if not add(db, "accounts", account_id, entry):
        return f"Failed to open account: Account ID '{account_id}' may already exist."
    return (f"Bank account opened successfully!\n  - Account ID: {account_id}\n  - User ID: {user_id}\n"
            f"  - Account Type: {account_type}\n  - Account Class: {account_class}\n  - Status: OPEN\n"
            f"  - Initial Balance: $0.00\n  - Date Opened: {today}")


def _early_closure_fee(account: dict) -> tuple[float, bool]:
    """(fee due, whether the balance can pay it) for closing now."""
    tiers = {"checking": CHECKING_EARLY_CLOSURE, "savings": SAVINGS_EARLY_CLOSURE}.get(account.get("class", ""), {})
    config = tiers.get(account.get("level", ""))
    opened = account.get("date_opened", "")
    if not (config and opened):
        return 0.0, True
    fee, window = config
    try:
        age = (NOW - datetime.strptime(opened, "%m/%d/%Y")).days
    except ValueError:
        return 0.0, True
    if age >= window:
        return 0.0, True
    return fee, account_balance(account) >= fee


@write
def close_bank_account_7392(db: Store, account_id: str, reason: str = "Customer requested closure",
                            waive_early_closure_fee: bool = False) -> str:
    """Close a checking or savings account whose balance (after any early-closure fee) is zero."""
    if not account_id:
        return "Error: Missing required parameter (account_id)."
    accounts = records(db, "accounts")
    if account_id not in accounts:
        return f"Error: Account '{account_id}' not found."
    account = accounts[account_id]
    if account.get("status") == "CLOSED":
        return f"Error: Account '{account_id}' is already closed."
    balance = account_balance(account)
    fee = 0.0
    if not waive_early_closure_fee:
        fee, payable = _early_closure_fee(account)
        if not payable:
            return "Error: Account unable to be closed."
    if balance - fee != 0:
        return f"Error: Account balance must be $0.00 before closing. Current balance: ${balance:.2f}"
    today = today_str()
    account = edit_record(db, "accounts", account_id)
    account["status"] = "CLOSED"
    account["date_closed"] = today
    account["closure_reason"] = reason
    account["early_closure_fee_waived"] = waive_early_closure_fee
    return (f"Bank account closed successfully!\n  - Account ID: {account_id}\n"
            f"  - Account Type: {account.get('account_type', 'N/A')}\n"
            f"  - Account Class: {account.get('account_class', 'N/A')}\n  - Status: CLOSED\n  - Date Closed: {today}\n"
            f"  - Reason: {reason}\n  - Early Closure Fee Waived: {'Yes' if waive_early_closure_fee else 'No'}")


@read
def get_all_user_accounts_by_user_id_3847(db: Store, user_id: str) -> str:
    """A customer's bank accounts and credit card accounts."""
    if not user_id:
        return "Error: Missing required parameter: user_id"
    banks = query_text(db, "accounts", f'{{"user_id": "{user_id}"}}')
    cards = query_text(db, "credit_card_accounts", f'{{"user_id": "{user_id}"}}')
    parts = ["User accounts retrieved successfully.", "", "Executed: get_all_user_accounts_by_user_id_3847",
             f"Accounts for user {user_id}:", "", "Bank Accounts:"]
    parts.append(banks if "No records found" not in banks and "No results found" not in banks
                 else "  No bank accounts found.")
    parts.append("\nCredit Card Accounts:")
    parts.append(cards if "No records found" not in cards and "No results found" not in cards
                 else "  No credit card accounts found.")
    return "\n".join(parts)


@write
def transfer_funds_between_bank_accounts_7291(db: Store, source_account_id: str, destination_account_id: str,
                                              amount: float) -> str:
    """Move money between two open bank accounts."""
    if not source_account_id or not destination_account_id or amount is None:
        return "Error: Missing required parameters (source_account_id, destination_account_id, amount)."
    try:
        amount = float(amount)
    except (ValueError, TypeError):
        return f"Error: Invalid amount '{amount}'. Must be a number."
    if amount <= 0:
        return "Error: Transfer amount must be positive."
    if source_account_id == destination_account_id:
        return "Error: Source and destination accounts cannot be the same."
    accounts = records(db, "accounts")
    if source_account_id not in accounts:
        return f"Error: Source account '{source_account_id}' not found."
    if destination_account_id not in accounts:
        return f"Error: Destination account '{destination_account_id}' not found."
    if accounts[source_account_id].get("status") not in ("ACTIVE", "OPEN"):
        return f"Error: Source account '{source_account_id}' is not active."
    if accounts[destination_account_id].get("status") not in ("ACTIVE", "OPEN"):
        return f"Error: Destination account '{destination_account_id}' is not active."
    source_balance = account_balance(accounts[source_account_id])
    if source_balance < amount:
        return (f"Error: Insufficient funds. Source account balance is ${source_balance:.2f}, "
                f"but transfer amount is ${amount:.2f}.")
    destination_balance = account_balance(accounts[destination_account_id])
    new_source, new_destination = source_balance - amount, destination_balance + amount
    edit_record(db, "accounts", source_account_id)["current_holdings"] = f"${new_source:.2f}"
    edit_record(db, "accounts", destination_account_id)["current_holdings"] = f"${new_destination:.2f}"
    return (f"Transfer completed successfully!\n  - Amount: ${amount:.2f}\n"
            f"  - From: {source_account_id} (new balance: ${new_source:.2f})\n"
            f"  - To: {destination_account_id} (new balance: ${new_destination:.2f})")


def _credit(db: Store, account_id: str, amount: float, credit_type: str, *, kinds: tuple[str, ...],
            wrong_kind: str, seed: str, descriptions: dict[str, str], dollar_sign: bool) -> str:
    """The shared body of the checking and savings credits (tau2 writes them with and without ``$``)."""
    accounts = records(db, "accounts")
    if account_id not in accounts:
        return f"Error: Account '{account_id}' not found."
    account = accounts[account_id]
    if account.get("class", "").lower() not in kinds:
        return wrong_kind
    if account.get("status") not in ("ACTIVE", "OPEN"):
        return f"Error: Account '{account_id}' is not active."
    balance = account_balance(account)
    new_balance = balance + amount
    edit_record(db, "accounts", account_id)["current_holdings"] = f"{'$' if dollar_sign else ''}{new_balance:.2f}"
    today = today_str()
    key = "txn_" + digest(f"{seed}:{account_id}:{credit_type}:{amount}:{today}")
    db.edit("bank_account_transaction_history")["data"][key] = {
        "transaction_id": key, "account_id": account_id, "date": today, "description": descriptions[credit_type],
        "amount": amount, "type": credit_type, "status": "posted"}
    return (f"\nCredit applied successfully!\n  - Transaction ID: {key}\n  - Account: {account_id}\n"
            f"  - Credit Type: {credit_type}\n  - Amount: ${amount:.2f}\n  - Previous Balance: ${balance:.2f}\n"
            f"  - New Balance: ${new_balance:.2f}")


def _checked_amount(account_id: str, amount: float, credit_type: str, types: list[str]) -> tuple[float | None, str]:
    if not account_id or amount is None or not credit_type:
        return None, "Error: Missing required parameters."
    try:
        amount = float(amount)
    except (TypeError, ValueError):
        return None, "Error: Invalid credit amount. Must be a number."
    if amount <= 0:
        return None, "Error: Credit amount must be positive."
    if credit_type not in types:
        return None, f"Error: Invalid credit_type. Must be one of: {types}"
    return amount, ""


@write
def apply_checking_account_credit_5829(db: Store, account_id: str, amount: float, credit_type: str) -> str:
    """Credit a checking account for a missing rebate or a wrong fee."""
    value, problem = _checked_amount(account_id, amount, credit_type, ["rebate_credit", "fee_refund"])
    if value is None:
        return problem
    return _credit(db, account_id, value, credit_type, kinds=("checking",), seed="checking_credit",
                   wrong_kind=(f"Error: Account '{account_id}' is not a checking account. Credits can only be "
                               f"applied to checking accounts."),
                   descriptions={"rebate_credit": "REBATE CREDIT - CUSTOMER SERVICE",
                                 "fee_refund": "FEE REFUND - CUSTOMER SERVICE"}, dollar_sign=True)


@write
def apply_savings_account_credit_6831(db: Store, account_id: str, amount: float, credit_type: str) -> str:
    """Credit a savings account for an interest error, a wrong fee, or as goodwill."""
    value, problem = _checked_amount(account_id, amount, credit_type,
                                     ["interest_correction", "fee_refund", "goodwill_credit"])
    if value is None:
        return problem
    return _credit(db, account_id, value, credit_type, kinds=("saving", "savings"), seed="savings_credit",
                   wrong_kind=(f"Error: Account '{account_id}' is not a savings account. This tool only applies to "
                               f"savings accounts."),
                   descriptions={"interest_correction": "INTEREST CORRECTION - CUSTOMER SERVICE",
                                 "fee_refund": "FEE REFUND - CUSTOMER SERVICE",
                                 "goodwill_credit": "GOODWILL CREDIT - CUSTOMER SERVICE"}, dollar_sign=False)


@write
def submit_interest_discrepancy_report_7294(db: Store, account_id: str, user_id: str, expected_apy: float,
                                            actual_apy: float, amount_difference: float) -> str:
    """Report wrong interest for investigation (tau2's database has no table for it: nothing is stored)."""
    if not account_id or not user_id or expected_apy is None or actual_apy is None or amount_difference is None:
        return "Error: Missing required parameters."
    try:
        expected_apy, actual_apy, amount_difference = float(expected_apy), float(actual_apy), float(amount_difference)
    except (ValueError, TypeError):
        return "Error: expected_apy, actual_apy, and amount_difference must be numbers."
    account = records(db, "accounts").get(account_id)
    if account is None:
        return f"Error: Account '{account_id}' not found."
    user = records(db, "users").get(user_id)
    if user is None:
        return f"Error: User '{user_id}' not found."
    report_id = "IDR_" + digest(f"interest_report:{account_id}:{user_id}:{expected_apy}:{actual_apy}:{today_str()}")
    # tau2 adds the report to a table its database model lacks, which silently stores nothing.
    add(db, "interest_discrepancy_reports", report_id, {"report_id": report_id})
    level = account.get("level", "Unknown")
    return (f"\nInterest Discrepancy Report Submitted Successfully!\n  - Report ID: {report_id}\n"
            f"  - Account: {account_id} ({level})\n  - Customer: {user.get('name', 'Unknown')}\n"
            f"  - Expected APY: {expected_apy}%\n  - Actual APY: {actual_apy}%\n"
            f"  - APY Difference: {round(expected_apy - actual_apy, 4)}%\n"
            f"  - Amount Difference: ${amount_difference:.2f}\n  - Status: PENDING_REVIEW\n"
            f"\nThe backend team will investigate this discrepancy and ensure correct APY calculations are applied "
            f"going forward.")


def _posted_at(entry: dict) -> datetime:
    text = str(entry.get("date", ""))
    for layout in ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, layout)
        except ValueError:
            continue
    return datetime.min


@read
def get_bank_account_transactions_9173(db: Store, account_id: str) -> str:
    """A bank account's transactions, newest first (same-day ones keep their stored order)."""
    if not account_id:
        return "Error: Missing required parameter: account_id"
    if account_id not in records(db, "accounts"):
        return f"Error: Account '{account_id}' not found."
    found = query_table(db, "bank_account_transaction_history", {"account_id": account_id})
    found = sorted(found, key=lambda item: _posted_at(item[1]), reverse=True)
    parts = ["Bank account transactions retrieved successfully.", "", "Executed: get_bank_account_transactions_9173",
             f"Transactions for account {account_id}:"]
    parts.append(format_records("bank_account_transaction_history", found) if found
                 else "\nNo transactions found for this account.")
    return "\n".join(parts)

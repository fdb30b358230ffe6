"""Discoverable agent tools for disputes: filing credit card and debit card (Regulation E) disputes,
reading a user's dispute history, and ATM deposit images for deposit disputes.

tau2 validates every enumerated argument before it writes, and derives the dispute id from the
user and the transaction only, so a second dispute on the same transaction is refused.
"""

from __future__ import annotations

from writ.core import ToolKind
from writ.domains.banking_knowledge import ids
from writ.domains.banking_knowledge.clock import today_str
from writ.domains.banking_knowledge.credit_cards import history
from writ.domains.banking_knowledge.discoverable import discoverable
from writ.domains.banking_knowledge.schema import add, records
from writ.domains.banking_knowledge.specs_agent import AGENT_SPECS
from writ.domains.banking_knowledge.tools import box
from writ.store import Store

__all__: list[str] = []

write = discoverable(box, AGENT_SPECS, ToolKind.WRITE)
read = discoverable(box, AGENT_SPECS, ToolKind.READ)

CREDIT_REASONS = ["unauthorized_fraudulent_charge", "duplicate_charge", "incorrect_amount",
                  "goods_services_not_received", "goods_services_not_as_described",
                  "canceled_subscription_still_charging", "refund_never_processed"]
DEBIT_CATEGORIES = ["unauthorized_transaction", "atm_cash_discrepancy", "atm_deposit_not_credited", "duplicate_charge",
                    "incorrect_amount", "goods_services_not_received", "recurring_charge_after_cancellation",
                    "card_present_fraud", "card_not_present_fraud"]
DEBIT_TYPES = ["pin_purchase", "signature_purchase", "online_purchase", "atm_withdrawal", "atm_deposit",
               "recurring_payment", "person_to_person"]
PIN_STATES = ["yes_shared", "yes_observed", "no", "unknown"]
DEBIT_CARD_ACTIONS = ["keep_active", "freeze_pending_investigation", "close_and_reissue"]
FRAUD_CATEGORIES = ["unauthorized_transaction", "card_present_fraud", "card_not_present_fraud"]


def _title(code: str) -> str:
    return code.replace("_", " ").title()


@write
def file_credit_card_transaction_dispute_4829(
    db: Store, transaction_id: str, card_action: str, card_last_4_digits: str, full_name: str, user_id: str,
    phone: str, email: str, address: str, contacted_merchant: bool, purchase_date: str, issue_noticed_date: str,
    dispute_reason: str, resolution_requested: str, eligible_for_provisional_credit: bool,
    partial_refund_amount: float | None = None,
) -> str:
    """Open a dispute case for a credit card transaction."""
    if not transaction_id or not user_id:
        return "Error: Missing required parameters."
    actions = ["keep_active", "cancel_and_reissue"]
    if card_action not in actions:
        return f"Error: Invalid card_action. Must be one of: {actions}"
    if dispute_reason not in CREDIT_REASONS:
        return f"Error: Invalid dispute_reason. Must be one of: {CREDIT_REASONS}"
    resolutions = ["full_refund", "partial_refund"]
    if resolution_requested not in resolutions:
        return f"Error: Invalid resolution_requested. Must be one of: {resolutions}"
    if resolution_requested == "partial_refund" and partial_refund_amount is None:
        return "Error: partial_refund_amount is required when resolution_requested is 'partial_refund'."
    if partial_refund_amount is not None:
        try:
            partial_refund_amount = float(partial_refund_amount)
        except (ValueError, TypeError):
            return f"Error: Invalid partial_refund_amount '{partial_refund_amount}'. Must be a number."
    key = ids.dispute_id(user_id, transaction_id)
    entry = {
        "dispute_id": key, "transaction_id": transaction_id, "user_id": user_id, "card_action": card_action,
        "card_last_4_digits": card_last_4_digits, "full_name": full_name, "phone": phone, "email": email,
        "address": address, "contacted_merchant": contacted_merchant, "purchase_date": purchase_date,
        "issue_noticed_date": issue_noticed_date, "dispute_reason": dispute_reason,
        "resolution_requested": resolution_requested, "partial_refund_amount": partial_refund_amount,
        "eligible_for_provisional_credit": eligible_for_provisional_credit,
        "provisional_credit_given": eligible_for_provisional_credit, "submitted_at": today_str(), "status": "SUBMITTED",
    }
    if not add(db, "transaction_disputes", key, entry):
        return "Error: Dispute may have already been filed for this transaction."
    parts = ["Credit card transaction dispute filed successfully. A case has been opened and will be reviewed within "
             "10 business days.", "", "Executed: file_credit_card_transaction_dispute_4829", f"Dispute ID: {key}",
             f"Transaction: {transaction_id}", f"Reason: {_title(dispute_reason)}",
             f"Resolution Requested: {_title(resolution_requested)}"]
    if partial_refund_amount:
        parts.append(f"Partial Refund Amount: ${partial_refund_amount:.2f}")
    parts.append("Provisional Credit: ELIGIBLE - Credit will be applied within 2 business days."
                 if eligible_for_provisional_credit else "Provisional Credit: Not eligible at this time.")
    return "\n".join(parts)


@write
def file_debit_card_transaction_dispute_6281(
    db: Store, transaction_id: str, account_id: str, card_id: str, user_id: str, dispute_category: str,
    transaction_date: str, discovery_date: str, disputed_amount: float, transaction_type: str,
    card_in_possession: bool, pin_compromised: str, contacted_merchant: bool, police_report_filed: bool,
    written_statement_provided: bool, provisional_credit_eligible: bool, customer_max_liability_amount: float,
    card_action: str,
) -> str:
    """Open a Regulation E dispute case for a debit card transaction."""
    if not all([transaction_id, account_id, card_id, user_id, dispute_category, transaction_date, discovery_date,
                disputed_amount, transaction_type, pin_compromised, card_action]):
        return "Error: Missing required parameters."
    if customer_max_liability_amount is None:
        return "Error: customer_max_liability_amount is required."
    if card_in_possession is None or contacted_merchant is None or police_report_filed is None \
            or written_statement_provided is None:
        return ("Error: card_in_possession, contacted_merchant, police_report_filed, and written_statement_provided "
                "are required boolean fields.")
    if dispute_category not in DEBIT_CATEGORIES:
        return f"Error: Invalid dispute_category. Must be one of: {DEBIT_CATEGORIES}"
    if transaction_type not in DEBIT_TYPES:
        return f"Error: Invalid transaction_type. Must be one of: {DEBIT_TYPES}"
    if pin_compromised not in PIN_STATES:
        return f"Error: Invalid pin_compromised. Must be one of: {PIN_STATES}"
    if card_action not in DEBIT_CARD_ACTIONS:
        return f"Error: Invalid card_action. Must be one of: {DEBIT_CARD_ACTIONS}"
    try:
        disputed_amount = float(disputed_amount)
    except (ValueError, TypeError):
        return f"Error: Invalid disputed_amount '{disputed_amount}'. Must be a number."
    if disputed_amount <= 0:
        return "Error: disputed_amount must be a positive number."
    key = ids.dispute_id(user_id, transaction_id)
    fraud = dispute_category in FRAUD_CATEGORIES
    shared_pin = pin_compromised == "yes_shared"
    entry = {
        "dispute_id": key, "transaction_id": transaction_id, "account_id": account_id, "card_id": card_id,
        "user_id": user_id, "dispute_category": dispute_category, "transaction_date": transaction_date,
        "discovery_date": discovery_date, "disputed_amount": disputed_amount, "transaction_type": transaction_type,
        "card_in_possession": card_in_possession, "pin_compromised": pin_compromised,
        "contacted_merchant": contacted_merchant, "police_report_filed": police_report_filed,
        "written_statement_provided": written_statement_provided,
        "provisional_credit_eligible": provisional_credit_eligible,
        "provisional_credit_issued": provisional_credit_eligible,
        "provisional_credit_amount": disputed_amount if provisional_credit_eligible else None,
        "customer_max_liability_amount": customer_max_liability_amount, "card_action": card_action,
        "is_fraud_category": fraud, "pin_shared_voluntarily": shared_pin, "submitted_at": today_str(),
        "status": "OPEN",
    }
    if not add(db, "debit_card_disputes", key, entry):
        return "Error: Dispute may have already been filed for this transaction."
    parts = [f"Dispute ID: {key}", f"Transaction: {transaction_id}", f"Account: {account_id}",
             f"Category: {_title(dispute_category)}", f"Disputed Amount: ${disputed_amount:.2f}",
             f"Card Action: {_title(card_action)}"]
    if provisional_credit_eligible:
        parts.append(f"Provisional Credit: ISSUED - ${disputed_amount:.2f} credited within 10 business days per "
                     f"Regulation E.")
    else:
        parts.append("Provisional Credit: Not eligible - see Debit Card Provisional Credit Guidelines for details.")
    if shared_pin:
        parts.append("WARNING: Customer indicated PIN was shared voluntarily. This may affect liability determination.")
    if fraud and not police_report_filed and disputed_amount > 500:
        parts.append("RECOMMENDATION: For fraud disputes over $500, filing a police report is recommended.")
    return "\n".join(parts)


@read
def get_user_dispute_history_7291(db: Store, user_id: str) -> str:
    """A user's credit card transaction disputes."""
    if not user_id:
        return "Error: Missing required parameter: user_id"
    return history(db, "transaction_disputes", "user_id", user_id,
                   "User transaction dispute history retrieved successfully.", "get_user_dispute_history_7291",
                   f"Transaction dispute history for user {user_id}:", "\nNo transaction disputes found for this user.")


@read
def get_debit_dispute_status_7483(db: Store, user_id: str) -> str:
    """A user's debit card disputes."""
    if not user_id:
        return "Error: Missing required parameter: user_id"
    return history(db, "debit_card_disputes", "user_id", user_id,
                   "Debit card dispute history retrieved successfully.", "get_debit_dispute_status_7483",
                   f"Debit card dispute history for user {user_id}:", "\nNo debit card disputes found for this user.")


@read
def get_atm_deposit_images_8473(db: Store, transaction_id: str) -> str:
    """Images of an ATM deposit made at a Rho-Bank ATM (none are on file for the shipped data)."""
    if not transaction_id:
        return "Error: Missing required parameter: transaction_id"
    history_table = records(db, "bank_account_transaction_history")
    if transaction_id not in history_table:
        return f"Error: Transaction '{transaction_id}' not found."
    txn = history_table[transaction_id]
    if txn.get("type") != "atm_deposit":
        return (f"Error: Transaction '{transaction_id}' is not an ATM deposit. This tool only works for ATM deposit "
                f"transactions.")
    description = txn.get("description", "")
    if "RHO-BANK" not in description.upper() and "RHOBANK" not in description.upper():
        return (f"Error: Transaction '{transaction_id}' is from a third-party ATM. Deposit images are only available "
                f"for Rho-Bank ATM deposits. For third-party ATM disputes, a chargeback request must be submitted to "
                f"the ATM network.")
    # tau2 also hard-codes envelope scans for three test transaction ids that no shipped database or
    # task contains; every other deposit answers that no image is on file.
    return (f"ATM Deposit Image Retrieval Results\n=====================================\n"
            f"Transaction ID: {transaction_id}\nATM: {description}\nDeposit Date: {txn.get('date', 'Unknown')}\n"
            f"Amount Recorded: ${abs(txn.get('amount', 0)):.2f}\n\n--- IMAGE STATUS ---\n"
            f"Status: IMAGES NOT AVAILABLE\nReason: Deposit images for this transaction have either expired (older "
            f"than 90 days) or were not captured by the ATM system.\n\nFor deposits without available images, the "
            f"dispute will proceed based on customer statement and ATM journal records only. Investigation timeline "
            f"may be extended.\n")

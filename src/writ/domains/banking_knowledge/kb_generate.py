"""A seeded knowledge base for generated banks: product sheets, procedures and general answers.

Procedures name the discoverable tools (and say when the customer runs one themselves), and their
rules are the rules the tools enforce (early-closure fees, eligibility, default ATM limits,
activation by issue reason, the transfer reason codes), so a generated task's evidence can live
in documents as well as in the database. Product terms a tool never checks (APYs, annual fees,
delivery fees) vary with the seed. Every text here is writ's own.
"""

from __future__ import annotations

import random
from typing import Any

from writ.domains.banking_knowledge.bank_accounts import CHECKING_EARLY_CLOSURE, SAVINGS_EARLY_CLOSURE
from writ.domains.banking_knowledge.debit_cards import DEFAULT_ATM_LIMITS
from writ.domains.banking_knowledge.tools import REASONS
from writ.domains.banking_knowledge.user_tools import REWARD_RATES

__all__ = ["generate_documents"]


def _slug(text: str) -> str:
    return "_".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _procedures(fees: dict[str, int]) -> list[tuple[str, str, str]]:
    """(category, title, content) of every procedure document."""
    checking = "\n".join(f"- {tier}: ${fee} if closed within {days} days of opening"
                         for tier, (fee, days) in CHECKING_EARLY_CLOSURE.items())
    savings = "\n".join(f"- {tier}: ${fee} if closed within {days} days of opening"
                        for tier, (fee, days) in SAVINGS_EARLY_CLOSURE.items())
    atm = "\n".join(f"- {tier.title()}: ${limit}" for tier, limit in DEFAULT_ATM_LIMITS.items())
    reasons = "\n".join(f"- {r}" for r in REASONS)
    return [
        ("identity", "Internal: Verifying a Customer's Identity",
         "Verify a customer once per conversation before reading or changing their records.\n\n1. Find the customer "
         "with get_user_information_by_id, get_user_information_by_name or get_user_information_by_email.\n2. Ask for "
         "two of: date of birth, email, phone number, address. Both must match the record.\n3. Get the time with "
         "get_current_time and record the check with log_verification, passing the customer's full record.\n\nA name "
         "or a user id alone never verifies anyone."),
        ("bank_accounts", "Internal: Opening a Bank Account",
         "Verify the customer, confirm the exact account class (the product's full name, e.g. 'Blue Account'), then "
         "open it with open_bank_account_4821 (account_type checking, savings, business_checking or business_savings)."
         "\n\nEligibility:\n- Personal savings: the customer has an open personal checking account opened at least 14 "
         "days ago.\n- Business checking: no closed account, and an open personal checking account.\n- Business "
         "savings: no account with a negative balance, and an open business checking account at least 30 days old.\n"
         "New accounts open with a $0.00 balance."),
        ("bank_accounts", "Internal: Closing a Bank Account",
         "To close a checking account or a savings account, use close_bank_account_7392 once the balance is exactly "
         "$0.00 after any early closure fee. Move remaining money first with "
         "transfer_funds_between_bank_accounts_7291.\n\nEarly closure fee by checking account:"
         f"\n{checking}\n\nEarly-closure fees (savings):\n{savings}\n\nThe fee is taken from the balance; if the "
         "balance cannot cover it, the account cannot be closed. Waive the fee only when a document says so."),
        ("bank_accounts", "Internal: Reviewing Accounts and Transactions",
         "After verification, list every account of a customer with get_all_user_accounts_by_user_id_3847 and a bank "
         "account's transactions, newest first, with get_bank_account_transactions_9173. Debit cards of a checking "
         "account: get_debit_cards_by_account_id_7823."),
        ("bank_accounts", "Customer Self-Service: Mobile Check Deposit",
         "Customers deposit checks themselves in the mobile app. Give them deposit_check_3847 with "
         "give_discoverable_user_tool; they call it with the account id and the check amount. Funds follow the "
         "account's availability schedule."),
        ("bank_accounts", "Internal: Crediting a Checking Account",
         "When a rebate was missed or a fee charged in error, credit the checking account with "
         "apply_checking_account_credit_5829 (credit_type rebate_credit or fee_refund) for the exact amount."),
        ("savings_accounts", "Internal: Interest Discrepancies on Savings",
         "If the interest credited does not match the account's APY, report it with "
         "submit_interest_discrepancy_report_7294 (expected and actual APY in percent, and the dollar difference), "
         "then credit the difference with apply_savings_account_credit_6831 (credit_type interest_correction)."),
        ("debit_cards", "Internal: Ordering a Debit Card",
         "Order with order_debit_card_5739 for an open checking account with at least $25 and no active card or "
         "pending order.\n\nDelivery: STANDARD $0 (7-10 business days), EXPEDITED "
         f"${fees['expedited']} (3-5), RUSH ${fees['rush']} (1-2).\nDesign: CLASSIC $0, PREMIUM ${fees['premium']}, "
         f"CUSTOM ${fees['custom']}.\nFees are charged to the account."),
        ("debit_cards", "Internal: Activating a Debit Card",
         "Pick the activation tool by the card's issue_reason (see get_debit_cards_by_account_id_7823):\n- new_account "
         "or first_card: activate_debit_card_8291\n- lost, stolen or fraud: activate_debit_card_8292\n- expired, "
         "damaged, upgrade or bank_reissue: activate_debit_card_8293\nThe customer gives the last 4 digits, expiry, "
         "CVV and a new 4-digit PIN that is not sequential or one repeated digit."),
        ("debit_cards", "Internal: Lost, Stolen or Damaged Debit Cards",
         "A card the customer may find again: freeze it with freeze_debit_card_3892 (undo with "
         "unfreeze_debit_card_3893). A card that is lost for good, stolen or compromised: close it with "
         "close_debit_card_4721 (reason lost, stolen, fraud_suspected, damaged, no_longer_needed or account_closing), "
         "then offer a new card."),
        ("debit_cards", "Internal: Debit Card PINs",
         "Forgotten PIN: reset it with reset_debit_card_pin_6284 after the customer confirms the card's last 4 "
         "digits. Known PIN: change it with change_debit_card_pin_6285."),
        ("debit_cards", "Internal: Fraud Alerts and Velocity Blocks",
         "Once the customer confirms the flagged activity, clear a fraud alert with clear_debit_card_fraud_alert_4892 "
         "(reason customer_verified); clear a velocity block with reason velocity_clear. Alerts raised by the bank's "
         "own fraud system cannot be cleared here: transfer with reason fraud_or_security_concern."),
        ("debit_cards", "Internal: Temporary Debit Card Limit Increases",
         "Raise a daily limit for 24 hours with request_temporary_debit_card_limit_increase_8374 (limit_type atm or "
         "purchase), at most 150% of the current limit, for accounts open at least 60 days. Teen (Light Green) "
         f"limits are fixed. Default daily ATM limits:\n{atm}"),
        ("debit_cards", "Internal: Blocking Recurring Payments",
         "A customer who wants subscriptions declined on a card gets a recurring block with "
         "set_debit_card_recurring_block_7382; one-time purchases still go through."),
        ("disputes", "Internal: Debit Card Disputes",
         "Check earlier disputes with get_debit_dispute_status_7483, then file with "
         "file_debit_card_transaction_dispute_6281. Liability: reported within 2 business days, at most $50; within "
         "60 days, at most $500; later, unlimited (-1). Provisional credit needs a written statement. For an ATM "
         "deposit at a Rho-Bank ATM, review the images with get_atm_deposit_images_8473 first."),
        ("disputes", "Internal: Credit Card Transaction Disputes",
         "Check earlier disputes with get_user_dispute_history_7291 (one dispute per transaction), then file with "
         "file_credit_card_transaction_dispute_4829, with the card's last 4 digits (the customer can read them with "
         "get_card_last_4_digits, which you give them)."),
        ("disputes", "Internal: Cash Back Disputes",
         "When rewards on a purchase are wrong, give the customer submit_cash_back_dispute_0589. If the dispute is "
         "approved, correct the transaction with update_transaction_rewards_3847 (points = whole dollars x rate)."),
        ("credit_cards", "Internal: Replacing a Credit Card",
         "Check get_pending_replacement_orders_5765 first: never order twice. Order with "
         "order_replacement_credit_card_7291; the old card is cancelled at once."),
        ("credit_cards", "Internal: Credit Card Closure and Retention",
         "Look for earlier attempts with get_closure_reason_history_8293 and record the reason with "
         "log_credit_card_closure_reason_4521. If the reason is the annual fee, offer a one-year waiver with "
         "apply_credit_card_account_flag_6147 (flag annual_fee_waived, reason retention_offer). If the customer still "
         "wants to close, close with close_credit_card_account_7834."),
        ("credit_cards", "Internal: Statement Credits and Payments",
         "Goodwill or error credits go on the statement with apply_statement_credit_8472. A customer may pay a card "
         "from a Rho-Bank checking account with pay_credit_card_from_checking_9182, up to the card's balance."),
        ("credit_cards", "Internal: Credit Limit Increases",
         "Review get_credit_limit_increase_history_4829 (one request per 90 days) and get_payment_history_6183 (six "
         "on-time payments in a row), record the request with submit_credit_limit_increase_request_7392, then approve "
         "with approve_credit_limit_increase_5847 (the new total limit) or deny with deny_credit_limit_increase_5848."),
        ("credit_cards", "Customer Self-Service: Referral Links",
         "Customers refer friends from the app: give them get_referral_link, called with their user id and the card's "
         "name."),
        ("escalation", "Internal: Transferring to a Human Agent",
         "Use transfer_to_human_agents with the matching reason code:\n" + reasons + "\n\nThe first time a customer "
         "demands a human for a request you can handle, run initial_transfer_to_human_agent_0218 and tell them the "
         "lines are busy. When a frustrated customer has not yet described their issue, run "
         "initial_transfer_to_human_agent_1822 instead."),
        ("escalation", "Internal: Credit Bureau Reporting Incident of 11/14",
         "Customers affected by the 11/14 credit bureau reporting error are escalated with "
         "emergency_credit_bureau_incident_transfer_1114, then transferred with transfer_to_human_agents."),
    ]


def _products(rng: random.Random) -> list[tuple[str, str, str]]:
    docs = []
    for tier, (fee, days) in CHECKING_EARLY_CLOSURE.items():
        limit = DEFAULT_ATM_LIMITS.get(tier.lower(), 150 if "Light Green" in tier else 500)
        docs.append(("checking_accounts", tier,
                     f"{tier} is a personal checking account.\n\n- Monthly fee: ${rng.choice([0, 5, 10, 15, 25])}\n"
                     f"- Minimum opening deposit: ${rng.choice([25, 50, 100])}\n- Daily ATM limit: ${limit}\n"
                     f"- Early closure: ${fee} within {days} days of opening"))
    for tier, (fee, days) in SAVINGS_EARLY_CLOSURE.items():
        docs.append(("savings_accounts", tier,
                     f"{tier} is a personal savings account.\n\n- APY: "
                     f"{rng.choice([0.5, 1.25, 2.0, 2.5, 3.1, 3.75])}%\n- Interest is credited monthly.\n- Early "
                     f"closure: ${fee} within {days} days of opening"))
    for card, rates in REWARD_RATES.items():
        bonus = ", ".join(f"{rate}% on {cat}" for cat, rate in rates.items() if cat != "default")
        docs.append(("credit_cards", card,
                     f"{card} earns {rates['default']}% cash back on every purchase" + (f" ({bonus})" if bonus else "")
                     + f".\n\n- Annual fee: ${rng.choice([0, 0, 95, 150, 250])}\n- Purchase APR: "
                     f"{rng.choice([18.99, 21.49, 24.99])}%\n- Referral bonus: ${rng.choice([50, 100, 150])}"))
    return docs


FAQ = [
    ("Branch Hours", "Branches are open {a} AM to {b} PM on weekdays and until noon on Saturdays."),
    ("Wire Transfer Cutoff", "Domestic wires sent before {b}:00 PM Eastern arrive the same business day."),
    ("Mobile App Login", "Customers reset app passwords themselves; agents never ask for passwords."),
    ("ATM Network", "Rho-Bank ATMs are free; other networks may charge up to ${a}."),
    ("Bank Holidays", "Transfers requested on a bank holiday are processed the next business day."),
    ("Paper Statements", "Paper statements cost ${a} a month; electronic statements are free."),
]


def generate_documents(seed: int = 0, scale: float = 1.0) -> list[dict[str, Any]]:
    """The knowledge base for `seed`: products, procedures, and about ``12 * scale`` general answers."""
    rng = random.Random(seed * 7919 + 17)
    fees = {"expedited": rng.choice([10, 15, 20]), "rush": rng.choice([25, 30, 35]),
            "premium": rng.choice([5, 10]), "custom": rng.choice([15, 20])}
    entries = _products(rng) + _procedures(fees)
    for i in range(max(1, round(12 * scale))):
        title, text = FAQ[i % len(FAQ)]
        entries.append(("general", f"{title} ({i // len(FAQ) + 1})" if i >= len(FAQ) else title,
                        text.format(a=rng.randint(5, 9), b=rng.randint(3, 6))))
    counters: dict[str, int] = {}
    docs = []
    for category, title, content in entries:
        counters[category] = counters.get(category, 0) + 1
        doc_id = f"doc_{category}_{_slug(title)}_{counters[category]:03d}"
        docs.append({"id": doc_id, "title": title, "content": content})
    return sorted(docs, key=lambda d: d["id"])

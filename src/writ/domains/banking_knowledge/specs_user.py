"""What giving a user discoverable tool shows: tau2's description of each one, verbatim.

See `specs_agent` for why these texts are data rather than writ's own words: the agent reads the
description in the result of ``give_discoverable_user_tool``.
"""

from __future__ import annotations

__all__ = ["USER_SPECS"]

USER_SPECS: dict[str, str] = {
    "submit_cash_back_dispute_0589": """Submit a cash back dispute for a specific transaction.

Args:
    user_id (string): The user's unique identifier in the system
    transaction_id (string): The unique identifier for the transaction with incorrect cash back

Returns:
    Cash back dispute submitted successfully. Your case has been queued for review.""",
    "get_referral_link": """Generate a referral link for a specific credit card to share with friends or family.

Args:
    user_id (string): The user's unique identifier in the system (the referrer)
    card_name (string): The name of the credit card to create a referral for (e.g., 'Gold Rewards Card')

Returns:
    Referral link generated successfully. Share this link with the person you want to refer.""",
    "get_card_last_4_digits": """Look up the last 4 digits of a credit card number.

Args:
    credit_card_account_id (string): The credit card account ID to look up (e.g., 'cc_76ad9cc60e_gold')

Returns:
    Card information retrieved successfully.""",
    "deposit_check_3847": """Deposit a check into a checking or savings account. The user takes a photo of the check and submits it through their mobile banking app.

Args:
    account_id (string): The bank account ID to deposit the check into
    check_amount (number): The amount of the check in USD

Returns:
    Check deposited successfully. Funds will be available according to your account's deposit policy.""",
}

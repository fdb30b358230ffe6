"""banking_knowledge discoverable tools on accounts and cards: tau2's rules, ids, balances and texts."""

from __future__ import annotations

import hashlib

from tests.domains.banking_helpers import agent_tool, env, mini_db, table


def sha(text: str, n: int) -> str:
    return hashlib.sha256(text.encode()).digest()[: n // 2].hex()


def test_open_account_eligibility_and_id():
    e = env()
    assert agent_tool(e, "open_bank_account_4821", user_id="u1", account_type="gold", account_class="x") == (
        "Error: Invalid account_type. Must be one of: ['checking', 'savings', 'business_checking', 'business_savings']")
    # business savings needs a business checking account at least 30 days old
    assert agent_tool(e, "open_bank_account_4821", user_id="u1", account_type="business_savings",
                      account_class="Gold Saver Account") == "Error: Account eligibility requirements not met."
    opened = agent_tool(e, "open_bank_account_4821", user_id="u1", account_type="savings", account_class="Gold Account")
    key = sha("account:u1:savings:Gold Account", 16)
    assert opened.startswith(f"Bank account opened successfully!\n  - Account ID: {key}\n")
    assert table(e, "accounts")[key] == {"account_id": key, "user_id": "u1", "account_type": "savings",
                                         "account_class": "Gold Account", "current_holdings": "0.00", "status": "OPEN",
                                         "date_opened": "11/14/2025"}
    young = mini_db()
    young["accounts"]["data"]["chk_u1"]["date_opened"] = "11/05/2025"  # 9 days old; chk_new is 13
    assert agent_tool(env(young), "open_bank_account_4821", user_id="u1", account_type="savings",
                      account_class="Gold Account") == "Error: Account eligibility requirements not met."


def test_close_account_fee_window_and_zero_balance():
    e = env()
    # chk_new (Blue, 13 days old, $25): the $25 early-closure fee leaves exactly $0
    closed = agent_tool(e, "close_bank_account_7392", account_id="chk_new")
    assert closed.startswith("Bank account closed successfully!\n  - Account ID: chk_new\n  - Account Type: N/A")
    record = table(e, "accounts")["chk_new"]
    assert ((record["status"], record["date_closed"], record["early_closure_fee_waived"])
            == ("CLOSED", "11/14/2025", False))
    assert (agent_tool(e, "close_bank_account_7392", account_id="chk_new")
            == "Error: Account 'chk_new' is already closed.")
    assert agent_tool(e, "close_bank_account_7392", account_id="chk_u1") == (
        "Error: Account balance must be $0.00 before closing. Current balance: $500.00")


def test_transfer_and_credits_write_tau2s_spellings():
    e = env()
    assert agent_tool(e, "transfer_funds_between_bank_accounts_7291", source_account_id="chk_u1",
                      destination_account_id="sav_u1", amount=600) == (
        "Error: Insufficient funds. Source account balance is $500.00, but transfer amount is $600.00.")
    agent_tool(e, "transfer_funds_between_bank_accounts_7291", source_account_id="chk_u1",
               destination_account_id="sav_u1", amount=100)
    accounts = table(e, "accounts")
    assert (accounts["chk_u1"]["current_holdings"], accounts["sav_u1"]["current_holdings"]) == ("$400.00", "$1100.00")
    credited = agent_tool(e, "apply_savings_account_credit_6831", account_id="sav_u1", amount=5,
                          credit_type="interest_correction")
    key = "txn_" + sha("savings_credit:sav_u1:interest_correction:5.0:11/14/2025", 16)
    assert credited == (f"\nCredit applied successfully!\n  - Transaction ID: {key}\n  - Account: sav_u1\n"
                        f"  - Credit Type: interest_correction\n  - Amount: $5.00\n  - Previous Balance: $1100.00\n"
                        f"  - New Balance: $1105.00")
    assert table(e, "accounts")["sav_u1"]["current_holdings"] == "1105.00"  # savings credits drop the "$"
    assert agent_tool(e, "apply_checking_account_credit_5829", account_id="sav_u1", amount=5,
                      credit_type="fee_refund").startswith("Error: Account 'sav_u1' is not a checking account.")


def test_bank_transactions_newest_first_stable_on_ties():
    text = agent_tool(env(), "get_bank_account_transactions_9173", account_id="chk_u1")
    assert text.index("Record ID: btxn_b") < text.index("Record ID: btxn_c") < text.index("Record ID: btxn_a")
    assert "Found 3 record(s) in 'bank_account_transaction_history':" in text


def test_order_debit_card_ids_fees_and_limits():
    e = env()
    assert agent_tool(e, "order_debit_card_5739", account_id="chk_u1", user_id="u1", delivery_option="rush",
                      delivery_fee=25, card_design="classic", design_fee=0, shipping_address="1 Elm St") == (
        "Error: Account 'chk_u1' already has an active debit card. Maximum 1 active card per checking account.")
    richer = mini_db()
    richer["accounts"]["data"]["chk_new"]["current_holdings"] = "100.00"
    e = env(richer)
    text = agent_tool(e, "order_debit_card_5739", account_id="chk_new", user_id="u1", delivery_option="rush",
                      delivery_fee=25, card_design="premium", design_fee=10, shipping_address="1 Elm St")
    order_id = "dcord_" + sha("debit_card_order:chk_new:u1:RUSH", 12)
    card_id = "dbc_" + sha("debit_card:chk_new:u1:11/14/2025", 12)
    assert text.startswith(f"Debit Card Order Confirmed\nOrder ID: {order_id}\nCard ID: {card_id}\n")
    assert text.endswith("Total Fees: $35.00 (Delivery: $25.0, Design: $10.0) - CHARGED to account chk_new\n"
                         "New Account Balance: $65.00")
    card = table(e, "debit_cards")[card_id]
    assert (card["status"], card["issue_reason"], card["expiration_date"]) == ("PENDING", "new_account", "11/30/2029")
    fee = table(e, "bank_account_transaction_history")[f"btxn_dcfee_{order_id[-8:]}"]
    assert (fee["amount"], fee["description"]) == (-35.0, "DEBIT CARD ORDER FEE - Delivery $25.0, Design $10.0")
    assert table(e, "accounts")["chk_new"]["current_holdings"] == "65.00"


def test_activation_variant_by_issue_reason():
    e = env()
    args = dict(card_id="dbc_2", last_4_digits="1111", expiration_date="11/29", cvv="123", pin="4826")
    assert agent_tool(e, "activate_debit_card_8291", **args) == (
        "Error: Wrong activation tool. This card has issue_reason='lost'. Please use activate_debit_card_8292 "
        "instead of activate_debit_card_8291.")
    assert agent_tool(e, "activate_debit_card_8292", **{**args, "pin": "1234"}) == (
        "Error: PIN cannot be sequential (e.g., 1234). Please choose a more secure PIN.")
    text = agent_tool(e, "activate_debit_card_8292", **args)
    assert text.startswith("Replacement Debit Card Activation Successful\nCard ID: dbc_2\nReplacement Reason: Lost")
    assert text.endswith("Previous card(s) have been deactivated for security: dbc_1")
    cards = table(e, "debit_cards")
    assert (cards["dbc_2"]["status"], cards["dbc_1"]["status"]) == ("ACTIVE", "DEACTIVATED")
    assert cards["dbc_1"]["deactivation_reason"] == "Replacement card activated (lost)"


def test_card_controls():
    e = env()
    assert agent_tool(e, "unfreeze_debit_card_3893", card_id="dbc_1") == "Error: Debit card 'dbc_1' is already active."
    agent_tool(e, "freeze_debit_card_3892", card_id="dbc_1")
    assert agent_tool(e, "freeze_debit_card_3892", card_id="dbc_1") == "Error: Debit card 'dbc_1' is already frozen."
    agent_tool(e, "unfreeze_debit_card_3893", card_id="dbc_1")
    assert agent_tool(e, "reset_debit_card_pin_6284", card_id="dbc_1", last_4_digits="0000", new_pin="4826") == (
        "Error: Card verification failed. The last 4 digits do not match our records.")
    assert agent_tool(e, "close_debit_card_4721", card_id="dbc_1", reason="Stolen").startswith(
        "Debit Card Closed Successfully\nCard ID: dbc_1\nPrevious Status: ACTIVE\nNew Status: CLOSED\nClosure "
        "Reason: Stolen")
    assert table(e, "debit_cards")["dbc_1"]["closure_reason"] == "stolen"


def test_temporary_limit_defaults_and_ceiling():
    e = env()
    # no limit on the card: the Blue Account default ATM limit ($500) applies; 150% is the ceiling
    assert agent_tool(e, "request_temporary_debit_card_limit_increase_8374", card_id="dbc_1", limit_type="atm",
                      new_limit=800) == ("Error: Requested limit $800 exceeds the maximum allowed temporary increase. "
                                         "Maximum temporary limit is $750 (150% of current $500 limit).")
    assert agent_tool(e, "request_temporary_debit_card_limit_increase_8374", card_id="dbc_1", limit_type="atm",
                      new_limit=700.5) == "Error: new_limit must be an integer, got '700.5'."
    text = agent_tool(e, "request_temporary_debit_card_limit_increase_8374", card_id="dbc_1", limit_type="atm",
                      new_limit=700)
    assert "Previous Limit: $500\nNew Temporary Limit: $700\nIncrease Amount: $200" in text
    card = table(e, "debit_cards")["dbc_1"]
    assert (card["daily_atm_limit"], card["original_atm_limit"],
            card["temporary_atm_limit_increase"]) == (700, 500, True)
    assert agent_tool(e, "request_temporary_debit_card_limit_increase_8374", card_id="dbc_1", limit_type="purchase",
                      new_limit=10).startswith("Error: The card does not have a daily purchase limit configured.")

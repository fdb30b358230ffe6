"""banking_knowledge discoverable tools on credit cards and disputes: tau2's rules, ids and texts."""

from __future__ import annotations

import hashlib

from tests.domains.banking_helpers import agent_tool, env, table


def sha(text: str, n: int) -> str:
    return hashlib.sha256(text.encode()).digest()[: n // 2].hex()


def test_credit_limit_flow_ids_collide_as_in_tau2():
    e = env()
    key = "cli_" + sha("cli_request:cc_u1_gold:u1:1000.00", 12)
    assert agent_tool(e, "submit_credit_limit_increase_request_7392", credit_card_account_id="cc_u1_gold",
                      user_id="u1", requested_increase_amount=1000).endswith(
        f"  - Request ID: {key}\n  - Account: cc_u1_gold\n  - Requested Increase: $1,000\n  - Status: PENDING")
    assert table(e, "credit_limit_increase_requests")[key]["requested_increase_amount"] == 1000
    assert agent_tool(e, "submit_credit_limit_increase_request_7392", credit_card_account_id="cc_u1_gold",
                      user_id="u1", requested_increase_amount=1000) == "Error: A similar request may already exist."
    approved = agent_tool(e, "approve_credit_limit_increase_5847", credit_card_account_id="cc_u1_gold", user_id="u1",
                          new_credit_limit=5000)
    assert "Previous Limit: $4000.00\n  - New Limit: $5000.00\n  - Increase: $1000.00" in approved
    # the approval's id equals the request's (same increase), so tau2 stores no approval record
    assert table(e, "credit_limit_increase_requests")[key]["status"] == "PENDING"
    assert table(e, "credit_card_accounts")["cc_u1_gold"]["credit_limit"] == "$5000.00"


def test_approval_blocked_by_a_pending_replacement():
    e = env()
    agent_tool(e, "order_replacement_credit_card_7291", credit_card_account_id="cc_u1_gold", user_id="u1",
               shipping_address="1 Elm St", reason="damaged")
    card = table(e, "credit_card_accounts")["cc_u1_gold"]
    assert (card["status"], card["closed_date"]) == ("CLOSED", "11/14/2025")
    assert agent_tool(e, "get_pending_replacement_orders_5765", credit_card_account_id="cc_u1_gold").count(
        "Record ID: ccord_") == 1
    # the order is ORDERED, which tau2's eligibility check does not treat as pending
    assert agent_tool(e, "approve_credit_limit_increase_5847", credit_card_account_id="cc_u1_gold", user_id="u1",
                      new_credit_limit=4500).startswith("Credit limit increase approved!")


def test_statement_credit_and_payment():
    e = env()
    text = agent_tool(e, "apply_statement_credit_8472", user_id="u1", credit_card_account_id="cc_u1_gold", amount=25,
                      reason="annual_fee_reversal")
    key = "txn_" + sha("transaction:u1:STATEMENT_CREDIT:annual_fee_reversal:25.00:Statement Credit", 12)
    assert f"  - Transaction ID: {key}\n" in text and "  - Reason: Annual Fee Reversal\n" in text
    assert table(e, "credit_card_transaction_history")[key]["transaction_amount"] == "-$25.00"
    assert agent_tool(e, "pay_credit_card_from_checking_9182", user_id="u1", checking_account_id="chk_u1",
                      credit_card_account_id="cc_u1_gold", amount=900) == (
        "Error: Insufficient funds in checking account. Available balance: $500.00, requested payment: $900.00.")
    agent_tool(e, "pay_credit_card_from_checking_9182", user_id="u1", checking_account_id="chk_u1",
               credit_card_account_id="cc_u1_gold", amount=100)
    assert table(e, "accounts")["chk_u1"]["current_holdings"] == "400.00"
    assert table(e, "credit_card_accounts")["cc_u1_gold"]["current_balance"] == "$742.15"


def test_retention_flag_and_closure():
    e = env()
    flag = agent_tool(e, "apply_credit_card_account_flag_6147", credit_card_account_id="cc_u1_gold", user_id="u1",
                      flag_type="annual_fee_waived", expiration_date="11/14/2026", reason="retention_offer")
    key = "ccflag_" + sha("account_flag:cc_u1_gold:annual_fee_waived:11/14/2026", 12)
    assert flag.startswith(f"Account flag applied successfully!\n  - Flag ID: {key}\n")
    assert agent_tool(e, "close_credit_card_account_7834", credit_card_account_id="cc_nope", user_id="u1") == (
        "Error: Credit card account 'cc_nope' not found.")
    agent_tool(e, "close_credit_card_account_7834", credit_card_account_id="cc_u1_gold", user_id="u1")
    assert table(e, "credit_card_accounts")["cc_u1_gold"]["closed_by"] == "u1"


def test_credit_and_debit_disputes():
    e = env()
    args = dict(transaction_id="txn_1", card_action="keep_active", card_last_4_digits="1234", full_name="Ana Diaz",
                user_id="u1", phone="p", email="e", address="a", contacted_merchant=True, purchase_date="10/02/2025",
                issue_noticed_date="10/05/2025", dispute_reason="duplicate_charge",
                resolution_requested="partial_refund",
                eligible_for_provisional_credit=False)
    assert agent_tool(e, "file_credit_card_transaction_dispute_4829", **args) == (
        "Error: partial_refund_amount is required when resolution_requested is 'partial_refund'.")
    text = agent_tool(e, "file_credit_card_transaction_dispute_4829", **args, partial_refund_amount=40)
    key = "dsp_" + sha("dispute:u1:txn_1", 12)
    assert text.split("\n")[3:] == [f"Dispute ID: {key}", "Transaction: txn_1", "Reason: Duplicate Charge",
                                    "Resolution Requested: Partial Refund", "Partial Refund Amount: $40.00",
                                    "Provisional Credit: Not eligible at this time."]
    assert agent_tool(e, "file_credit_card_transaction_dispute_4829", **args, partial_refund_amount=40) == (
        "Error: Dispute may have already been filed for this transaction.")
    debit = dict(transaction_id="btxn_b", account_id="chk_u1", card_id="dbc_1", user_id="u1",
                 dispute_category="atm_cash_discrepancy", transaction_date="11/03/2025", discovery_date="11/03/2025",
                 disputed_amount=40, transaction_type="atm_withdrawal", card_in_possession=True, pin_compromised="no",
                 contacted_merchant=False, police_report_filed=False, written_statement_provided=True,
                 provisional_credit_eligible=True, card_action="keep_active")
    assert agent_tool(e, "file_debit_card_transaction_dispute_6281", **debit).startswith(
        "Error: Invalid arguments: KnowledgeTools.file_debit_card_transaction_dispute_6281() missing 1 required "
        "positional argument: 'customer_max_liability_amount'")
    text = agent_tool(e, "file_debit_card_transaction_dispute_6281", **debit, customer_max_liability_amount=0)
    assert "Provisional Credit: ISSUED - $40.00 credited within 10 business days per Regulation E." in text
    record = table(e, "debit_card_disputes")["dsp_" + sha("dispute:u1:btxn_b", 12)]
    assert (record["provisional_credit_amount"], record["is_fraud_category"], record["status"]) == (40.0, False, "OPEN")
    assert agent_tool(e, "get_debit_dispute_status_7483", user_id="u1").count("Record ID: dsp_") == 1


def test_interest_report_stores_nothing():
    e = env()
    before = e.fingerprint()
    text = agent_tool(e, "submit_interest_discrepancy_report_7294", account_id="sav_u1", user_id="u1",
                      expected_apy=2.775, actual_apy=2.5, amount_difference=3.1)
    assert "  - APY Difference: 0.275%\n" in text and "  - Customer: Ana Diaz\n" in text
    env_only_logged = {r["tool_name"] for r in table(e, "agent_discoverable_tools").values()}
    assert env_only_logged == {"submit_interest_discrepancy_report_7294"} and e.fingerprint() != before
    assert "interest_discrepancy_reports" not in e.db.dump()

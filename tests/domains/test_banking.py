"""banking_knowledge tools: tau2's results and error texts, the shared database, the fixed clock."""

from __future__ import annotations

import hashlib

import pytest

from tests.domains.banking_helpers import DOMAIN, agent_tool, call, env, mini_db, table
from writ.core import ToolKind
from writ.domains.banking_knowledge.schema import TABLES, normalize_db

R, W, G = ToolKind.READ, ToolKind.WRITE, ToolKind.GENERIC
AGENT_TOOLS = [
    ("KB_search", R), ("transfer_to_human_agents", G), ("get_current_time", R), ("get_user_information_by_id", R),
    ("get_user_information_by_name", R), ("get_user_information_by_email", R), ("change_user_email", W),
    ("get_referrals_by_user", R), ("get_credit_card_transactions_by_user", R), ("get_credit_card_accounts_by_user", R),
    ("log_verification", W), ("give_discoverable_user_tool", G), ("unlock_discoverable_agent_tool", G),
    ("call_discoverable_agent_tool", W), ("list_discoverable_agent_tools", R),
]
USER_TOOLS = [("apply_for_credit_card", W), ("submit_referral", W), ("call_discoverable_user_tool", W),
              ("list_discoverable_user_tools", R), ("request_human_agent_transfer", W), ("submit_transaction", W)]


def sha(text: str, n: int) -> str:
    return hashlib.sha256(text.encode()).digest()[: n // 2].hex()


def test_tool_lists_kinds_and_replay_mutation():
    assert [(t.name, t.kind) for t in DOMAIN.tools("agent")] == AGENT_TOOLS
    assert [(t.name, t.kind) for t in DOMAIN.tools("user")] == USER_TOOLS
    mutating = {t.name for t in DOMAIN.tools("agent") if t.mutates}
    # tau2 replays the generic unlock and give calls (mutates_state=True), never the transfer.
    assert mutating == {"change_user_email", "log_verification", "give_discoverable_user_tool",
                        "unlock_discoverable_agent_tool", "call_discoverable_agent_tool"}
    assert len(DOMAIN.agent.hidden) == 44 and len(DOMAIN.user.hidden) == 4
    assert not {t.name for t in DOMAIN.tools("agent")} & set(DOMAIN.agent.hidden)


def test_normalize_fills_tau2_tables_and_rejects_bad_frames():
    full = normalize_db({"users": {"data": {}, "notes": "x"}})
    assert list(full) == TABLES and full["task_config"] == {"data": {}, "notes": ""}
    with pytest.raises(ValueError, match="unexpected table 'bogus'"):
        normalize_db({"bogus": {"data": {}}})
    with pytest.raises(ValueError, match="'data' must map ids to objects"):
        normalize_db({"users": {"data": {"u": 3}}})


def test_lookups_print_records_as_tau2_query_does():
    e = env()
    assert call(e, "get_user_information_by_id", user_id="u1") == (
        "Found 1 record(s) in 'users':\n\n1. Record ID: u1\n   name: Ana Diaz\n   user_id: u1\n"
        "   address: 1 Elm St, Austin, TX 78701\n   email: ana@example.com\n   phone_number: 512-555-0100\n"
        "   date_of_birth: 01/02/1990\n")
    assert call(e, "get_user_information_by_name", customer_name="ana diaz") == "No records found in 'users'."
    # the constraint is JSON built by formatting: a quote breaks it, as in tau2
    assert call(e, "get_user_information_by_email", email='a"b').startswith("Error: Invalid JSON: Expecting")
    assert call(e, "get_credit_card_accounts_by_user", user_id="u1").count("Record ID") == 1
    assert call(e, "get_current_time") == "The current time is 2025-11-14 03:40:00 EST."


def test_errors_and_argument_texts():
    e = env()
    assert call(e, "change_user_email", user_id="nope", new_email="x@y.z") == "Error: User with ID 'nope' not found."
    assert call(e, "transfer_to_human_agents", summary="s", reason="bored").startswith(
        "Error: Invalid transfer reason 'bored'. Must be one of: fraud_or_security_concern, ")
    assert call(e, "transfer_to_human_agents", summary="s") == (
        "Transfer successful (reason: other). A human agent will assist you shortly.")
    result = e.step("transfer_to_human_agents", {})
    assert result.error and result.content == (
        "Error: KnowledgeTools.transfer_to_human_agents() missing 1 required positional argument: 'summary'")
    assert e.step("no_such_tool", {}).content == "Error: Tool 'no_such_tool' not found."


def test_log_verification_ids_and_duplicates():
    e = env()
    args = dict(name="Ana Diaz", user_id="u1", address="a", email="e", phone_number="p", date_of_birth="d",
                time_verified="2025-11-14 03:40:00 EST")
    assert call(e, "log_verification", **args) == (
        "Verification logged successfully.\n  - User: Ana Diaz (ID: u1)\n  - Verified at: 2025-11-14 03:40:00 EST")
    assert "u1_20251114_034000_EST" in table(e, "verification_history")
    assert call(e, "log_verification", **args) == "Failed to log verification: Record may already exist."


def test_unlock_call_and_logging_rules():
    e = env(allow=["get_all_user_accounts_by_user_id_3847"])
    assert call(e, "call_discoverable_agent_tool", agent_tool_name="freeze_debit_card_3892",
                arguments='{"card_id": "dbc_1"}') == (
        "Error: Tool 'freeze_debit_card_3892' has not been unlocked. You must first use "
        "`unlock_discoverable_agent_tool` to unlock this tool before calling it.")
    unlocked = call(e, "unlock_discoverable_agent_tool", agent_tool_name="freeze_debit_card_3892")
    assert unlocked == (
        "Tool unlocked: freeze_debit_card_3892\nDescription: Temporarily freeze a debit card. The card can be "
        "unfrozen later.\n\nTool: freeze_debit_card_3892\nDescription: Temporarily freeze a debit card. The card can "
        "be unfrozen later.\nParameters:\n  - card_id: string (required) - The debit card ID to freeze\n\nYou can now "
        "use this tool by calling `call_discoverable_agent_tool` with agent_tool_name='freeze_debit_card_3892' and "
        "the required arguments.")
    assert table(e, "agent_discoverable_tools") == {}  # unlocking writes nothing
    assert call(e, "call_discoverable_agent_tool", agent_tool_name="freeze_debit_card_3892",
                arguments='{"card_id": "dbc_1"}').startswith("Debit Card Frozen Successfully\nCard ID: dbc_1")
    log = table(e, "agent_discoverable_tools")
    assert log == {sha("agent_discoverable_tool:freeze_debit_card_3892", 16):
                   {"tool_name": "freeze_debit_card_3892", "status": "CALLED"}}
    # a read is logged only when the task's gold solution calls it
    agent_tool(e, "get_debit_cards_by_account_id_7823", account_id="chk_u1")
    agent_tool(e, "get_all_user_accounts_by_user_id_3847", user_id="u1")
    assert sorted(r["tool_name"] for r in table(e, "agent_discoverable_tools").values()) == [
        "freeze_debit_card_3892", "get_all_user_accounts_by_user_id_3847"]
    assert call(e, "list_discoverable_agent_tools").startswith(
        "Your called agent tools:\nFound 2 record(s) in 'agent_discoverable_tools':")


def test_call_argument_errors_are_tau2s():
    e = env()
    call(e, "unlock_discoverable_agent_tool", agent_tool_name="freeze_debit_card_3892")
    bad = lambda text: call(e, "call_discoverable_agent_tool", agent_tool_name="freeze_debit_card_3892",  # noqa: E731
                            arguments=text)
    assert bad("{oops").startswith("Error: Invalid JSON in arguments: Expecting property name")
    assert bad("{}") == ("Error: Invalid arguments: KnowledgeTools.freeze_debit_card_3892() missing 1 required "
                         "positional argument: 'card_id'")
    assert bad('{"card_id": "dbc_1", "x": 1}') == (
        "Error: Invalid arguments: KnowledgeTools.freeze_debit_card_3892() got an unexpected keyword argument 'x'")
    assert bad("[1]") == ("Error: Invalid arguments: KnowledgeTools.freeze_debit_card_3892() argument after ** must "
                          "be a mapping, not list")
    assert call(e, "unlock_discoverable_agent_tool", agent_tool_name="downgrade_credit_card_3847") == (
        "Error: Unknown agent tool 'downgrade_credit_card_3847'. This tool is not available.")
    # a dict where a JSON text belongs raises in tau2: the error flag is set
    result = e.step("call_discoverable_agent_tool", {"agent_tool_name": "freeze_debit_card_3892",
                                                     "arguments": {"card_id": "dbc_1"}})
    assert result.error and result.content == "Error: the JSON object must be str, bytes or bytearray, not dict"
    assert table(e, "agent_discoverable_tools") == {}  # no call ran


def test_hidden_tool_called_directly_runs_unlogged():
    e = env()
    assert call(e, "freeze_debit_card_3892", card_id="dbc_1").startswith("Debit Card Frozen Successfully")
    assert table(e, "debit_cards")["dbc_1"]["status"] == "FROZEN" and table(e, "agent_discoverable_tools") == {}


def test_give_and_user_discoverable_tools_share_the_database():
    e = env()
    refused = call(e, "call_discoverable_user_tool", "user", discoverable_tool_name="deposit_check_3847",
                   arguments='{"account_id": "chk_u1", "check_amount": 20}')
    assert refused == ("Error: Tool 'deposit_check_3847' has not been given to you by the agent. The agent must "
                       "first use `give_discoverable_user_tool` to give this tool to you.")
    assert call(e, "give_discoverable_user_tool", discoverable_tool_name="deposit_check_3847",
                arguments='{"account_id": "chk_u1", "bad": 1}') == "Error: Unexpected parameter: bad"
    assert call(e, "give_discoverable_user_tool", discoverable_tool_name="freeze_debit_card_3892") == (
        "Error: Unknown discoverable tool 'freeze_debit_card_3892'.")
    given = call(e, "give_discoverable_user_tool", discoverable_tool_name="deposit_check_3847",
                 arguments='{"account_id": "chk_u1"}')
    assert given.startswith("Tool given to user: deposit_check_3847\nDescription: Deposit a check into a checking or "
                            "savings account.") and 'Arguments: {\n  "account_id": "chk_u1"\n}' in given
    assert call(e, "call_discoverable_user_tool", "user", discoverable_tool_name="deposit_check_3847",
                arguments='{"account_id": "chk_u1"}') == "Error: Missing required parameter: check_amount"
    done = call(e, "call_discoverable_user_tool", "user", discoverable_tool_name="deposit_check_3847",
                arguments='{"account_id": "chk_u1", "check_amount": 20}')
    assert done.endswith("Check deposit processed!\n  - Account: chk_u1\n  - Check Amount: $20.00\n"
                         "  - Previous Balance: $500.00\n  - New Balance: $520.00")
    assert '"check_amount": 20.0' in done  # tau2 parses every JSON integer as a float
    assert table(e, "accounts")["chk_u1"]["current_holdings"] == "$520.00"
    (logged,) = table(e, "user_discoverable_tool_calls").values()
    assert logged == {"tool_name": "deposit_check_3847", "arguments": {"account_id": "chk_u1", "check_amount": 20.0},
                      "called_at": "11/14/2025", "status": "CALLED"}
    assert e.user_db is e.db and e.fingerprint() == e.user_fingerprint()


def test_user_tools():
    e = env()
    assert call(e, "apply_for_credit_card", "user", card_type="Gold", customer_name="A", annual_income=1).startswith(
        "Error: Invalid card_type 'Gold'. Must be one of: ['Bronze Rewards Card'")
    assert call(e, "apply_for_credit_card", "user", card_type="Gold Rewards Card", customer_name="Ana Diaz",
                annual_income=100000).startswith("Credit card application submitted:")
    key = sha("credit_card:Gold Rewards Card:Ana Diaz:100000.0:False", 16)
    assert table(e, "credit_card_applications")[key]["annual_income"] == 100000.0
    txn = call(e, "submit_transaction", "user", user_id="u1", credit_card_type="Silver Rewards Card",
               merchant_name="Delta", amount=200, category="Travel")
    assert "Rewards Earned: 800 points (4.0% cashback rate)" in txn
    assert call(e, "request_human_agent_transfer", "user") == (
        "Transfer request #1 submitted.\nThe agent will process your request.")
    assert call(e, "request_human_agent_transfer", "user").startswith("Transfer request #2 submitted.")
    assert call(e, "list_discoverable_user_tools", "user") == (
        "Tools given to you by the agent:\nNo records found in 'user_discoverable_tools'.")  # tau2 quirk


def test_initial_state_merges_into_the_shared_database():
    from writ.data import DomainData
    from writ.task import Task

    base = DOMAIN.base(mini_db())
    data = DomainData(DOMAIN, base, None, "p", "test")
    task = Task.model_validate({
        "id": "t", "initial_state": {"initialization_data": {"agent_data": {
            "task_config": {"data": {"dispute_settings": {"auto_resolve_disputes": True}}}}}},
        "evaluation_criteria": {"actions": [{"name": "call_discoverable_agent_tool",
                                             "arguments": {"agent_tool_name": "get_payment_history_6183"}}]}})
    e = data.environment(task)
    assert e.user_db is e.db and table(e, "task_config") == {"dispute_settings": {"auto_resolve_disputes": True}}
    assert e.db.scratch["banking.read_log_allowlist"] == ["get_payment_history_6183"]
    call(e, "give_discoverable_user_tool", discoverable_tool_name="submit_cash_back_dispute_0589")
    text = call(e, "call_discoverable_user_tool", "user", discoverable_tool_name="submit_cash_back_dispute_0589",
                arguments='{"user_id": "u1", "transaction_id": "txn_1"}')
    assert text.endswith("Status: RESOLVED - The dispute has been reviewed and approved. The transaction rewards need "
                         "to be updated.")
    assert data.environment(task).fingerprint() != e.fingerprint()  # episodes stay apart

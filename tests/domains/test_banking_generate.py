"""The banking database and knowledge-base generator: deterministic, consistent, and usable."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from writ.data import load_data, write_db_dir
from writ.domains import get_domain
from writ.domains.banking_knowledge.generate import generate
from writ.domains.banking_knowledge.invariants import invariants, kb_invariants
from writ.domains.banking_knowledge.money import parse_balance
from writ.domains.banking_knowledge.schema import TABLES, normalize_db
from writ.domains.banking_knowledge.user_tools import REWARD_RATES
from writ.replay import replay_task
from writ.task import Task

DOMAIN = get_domain("banking_knowledge")
DISCOVERABLE = set(DOMAIN.agent.hidden) | set(DOMAIN.user.hidden)
KNOWN = DISCOVERABLE | {t.name for side in ("agent", "user") for t in DOMAIN.tools(side)}


@pytest.mark.parametrize("seed,scale", [(0, 1.0), (1, 0.3), (7, 2.0)])
def test_deterministic_and_consistent(seed, scale):
    db, user_db, extras = generate(seed, scale)
    assert user_db is None and json.dumps(generate(seed, scale)) == json.dumps((db, user_db, extras))
    assert list(db) == TABLES and invariants(normalize_db(db)) == []
    assert kb_invariants(extras["documents"], DISCOVERABLE, KNOWN) == []
    assert len(db["users"]["data"]) == max(4, round(40 * scale))


def test_different_seeds_differ_and_scale_grows():
    assert json.dumps(generate(0, 0.5)) != json.dumps(generate(1, 0.5))
    small, large = generate(2, 0.25)[0], generate(2, 2.0)[0]
    assert (len(large["credit_card_transaction_history"]["data"])
            > 4 * len(small["credit_card_transaction_history"]["data"]))


def test_balances_and_rewards_follow_the_records():
    db = generate(3, 1.0)[0]
    sums = defaultdict(float)
    for t in db["bank_account_transaction_history"]["data"].values():
        sums[t["account_id"]] += t["amount"]
    for account_id, account in db["accounts"]["data"].items():
        assert parse_balance(account["current_holdings"]) == pytest.approx(sums[account_id], abs=0.01)
        assert parse_balance(account["current_holdings"]) >= 0
    for t in db["credit_card_transaction_history"]["data"].values():
        rates = REWARD_RATES[t["credit_card_type"]]
        amount = parse_balance(t["transaction_amount"])
        assert t["rewards_earned"] == f"{int(amount * rates.get(t['category'], rates['default']))} points"


def test_documents_state_the_rules_the_tools_enforce():
    docs = {d["title"]: d["content"] for d in generate(0, 1.0)[2]["documents"]}
    assert "- Blue Account: $25 if closed within 60 days of opening" in docs["Internal: Closing a Bank Account"]
    assert "activate_debit_card_8292" in docs["Internal: Activating a Debit Card"]
    assert "give the customer submit_cash_back_dispute_0589" in docs["Internal: Cash Back Disputes"]
    broken = [{"id": "d1", "title": "t", "content": "use teleport_money_9999"}]
    assert "d1: names unknown tool 'teleport_money_9999'" in kb_invariants(broken, DISCOVERABLE, KNOWN)


def test_written_directory_loads_back_and_runs_gold_style_actions(tmp_path):
    data = load_data("banking_knowledge", seed=5, scale=0.3)
    files = write_db_dir(data, tmp_path)
    assert (tmp_path / "documents").is_dir() and len(list((tmp_path / "documents").glob("*.json"))) == len(
        data.base.attachments["kb"]) and tmp_path / "db.json" in files
    again = load_data("banking_knowledge-bm25_grep", data=tmp_path)
    assert again.base.store().fingerprint() == data.base.store().fingerprint()
    user = next(iter(again.base.store().get("users")["data"].values()))
    checking = f"chk_{user['user_id']}"
    task = Task.model_validate({"id": "g", "evaluation_criteria": {"actions": [
        {"name": "unlock_discoverable_agent_tool",
         "arguments": {"agent_tool_name": "get_bank_account_transactions_9173"}},
        {"name": "call_discoverable_agent_tool", "arguments": {"agent_tool_name": "get_bank_account_transactions_9173",
                                                               "arguments": json.dumps({"account_id": checking})}},
        {"name": "KB_search", "arguments": {"query": "close a checking account early closure fee"}}]}})
    row = replay_task(again, task)
    assert row["outputs"][1].startswith("Bank account transactions retrieved successfully.")
    titles = [line.split(". ", 1)[1] for line in row["outputs"][2].split("\n") if line[:1].isdigit()]
    assert "Internal: Closing a Bank Account" in titles[:3] and len(titles) == 10

"""When the bank's documents forbid a write at the moment it would run.

Most rules live in the discoverable tools themselves (a card must be active to be frozen, a teen
card's ATM limit is fixed, an increase stops at 150% of the limit, money must be there): a write
is refused exactly when its tool, run on a copy of the state, answers with an error. A few rules
are the documents' alone and are checked here: a replacement is never ordered while another is on
its way, and a debit card is not closed while transactions on its account are still pending, nor
within 14 days of its issue unless it was lost, stolen or compromised.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from writ.core import Environment
from writ.domains.banking_knowledge.clock import TODAY
from writ.domains.banking_knowledge.schema import records
from writ.task import Action

__all__ = ["policy_violation"]

FINAL_ORDER = ("DELIVERED", "CANCELLED")
SECURITY_REASONS = ("lost", "stolen", "fraud_suspected")


def _document_rule(env: Environment, name: str, args: dict[str, Any]) -> str | None:
    db = env.db
    if name.startswith("order_replacement_credit_card"):
        for order in records(db, "credit_card_orders").values():
            if order.get("credit_card_account_id") == args.get("credit_card_account_id") and \
                    str(order.get("status", "")).upper() not in FINAL_ORDER:
                return "a replacement for this card is already on its way"
    if name.startswith("close_debit_card"):
        card = records(db, "debit_cards").get(str(args.get("card_id")), {})
        account = card.get("account_id")
        if any(t.get("account_id") == account and str(t.get("status", "")).lower() in ("pending", "processing")
               for t in records(db, "bank_account_transaction_history").values()):
            return "transactions on the card's account are still pending"
        issued = card.get("issue_date") or ""
        try:
            young = (TODAY - datetime.strptime(issued, "%m/%d/%Y").date()).days < 14
        except ValueError:
            young = False
        if young and args.get("reason") not in SECURITY_REASONS:
            return "the card is less than 14 days old"
    return None


def policy_violation(env: Environment, action: Action) -> str | None:
    """Why `action` breaks the bank's rules in the state of `env` (None when it is allowed)."""
    if action.name != "call_discoverable_agent_tool":
        return None
    name = str(action.arguments.get("agent_tool_name", ""))
    tool = env.domain.agent.hidden.get(name)
    if tool is None or not tool.mutates:
        return None
    try:
        args = json.loads(action.arguments.get("arguments") or "{}")
    except json.JSONDecodeError:
        return "the arguments are not JSON"
    rule = _document_rule(env, name, args)
    if rule:
        return rule
    try:
        result = tool.fn(env.fork().db, **args)
    except Exception as exc:  # a call the tool cannot even take is not allowed either
        return f"{type(exc).__name__}: {exc}"
    if isinstance(result, str) and result.startswith("Error"):
        return result.removeprefix("Error: ")[:200]
    return None

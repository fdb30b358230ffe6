"""Banking's information-flow rules: identity first, the procedure read before its tool, the customer's choices.

* Identity: no account is read or changed before a verification was logged, and the verification
  is logged only after the customer said two of the profile's details (date of birth, email,
  phone, address) that the name lookup returned.
* Documents first: a discoverable tool is unlocked, called or handed over only once a knowledge
  base search returned a document naming it (the agent cannot know the name otherwise).
* Searches are made of words the customer said, words read so far, or the agent's own plain words
  for what it looks for (`AGENT_WORDS`), never of a value the conversation did not contain.
* The arguments inside a discoverable call are checked like any other: each said, read, or one of
  the customer's choices (the reason a card is closed or replaced, expedited shipping, paying the
  full balance) in the customer's own words.
* Confirmation: only the calls that change the customer's accounts need an explicit yes (a
  discoverable tool that writes, the email change); unlocking a tool, reading through one, and the
  verification record are the agent's bookkeeping.
"""

from __future__ import annotations

import json
import re
from typing import Any

from writ.dialogue.acts import normalize_text
from writ.tasks.banking_knowledge.desk import AGENT_WORDS
from writ.tasks.banking_knowledge.wording import CUES
from writ.verify.flow.walker import Flow, FlowRules

__all__ = ["RULES", "BankingRules"]

ID_FIELDS = ("date_of_birth", "email", "phone_number", "address")
SEARCHES = ("KB_search", "grep")
ACCOUNT_TOOLS = ("get_credit_card_accounts_by_user", "get_credit_card_transactions_by_user", "get_referrals_by_user",
                 "get_user_information_by_id", "change_user_email")
# The customer's choices inside a discoverable call: the cue table of each argument.
INNER_CHOICES = {"reason": "reason", "expedited_shipping": "expedited"}
_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*")


def _hidden() -> dict[str, Any]:
    from writ.domains.banking_knowledge.tools import box

    return box.hidden


def _reason_code(value: Any, flow: Flow, args: dict[str, Any]) -> str | None:
    """A transfer's reason is the agent's classification, one of the codes the tool lists."""
    from writ.domains.banking_knowledge.tools import REASONS

    return None if value in REASONS else f"{value!r} is not one of the transfer tool's reason codes"


def _verified(flow: Flow) -> bool:
    return any(name == "log_verification" for name, _, _ in flow.records)


def _in_documents(name: str, flow: Flow) -> bool:
    return any(name in str(result) for tool, _, result in flow.records if tool in SEARCHES)


def _query(value: Any, flow: Flow, args: dict[str, Any]) -> str | None:
    read = " ".join(t for t in flow.read_text)
    for word in _WORD.findall(normalize_text(str(value).replace("|", " "))):
        if word in flow.customer_text or word in read or word in AGENT_WORDS:
            continue
        return f"searches for {word!r}, which the customer never said and nothing read contains"
    return None


def _account_action(value: Any, flow: Flow, args: dict[str, Any]) -> str | None:
    if not _verified(flow):
        return "an account is read or changed before the customer's identity was verified and logged"
    return None if flow.read(value) else "this user id was never read"


def _logged(value: Any, flow: Flow, args: dict[str, Any]) -> str | None:
    if not flow.read(value):
        return "this user id was never read"
    said = [f for f in ID_FIELDS if args.get(f) and normalize_text(str(args[f])) in flow.customer_text]
    if len(said) < 2:
        return "the verification is logged before the customer gave two matching details"
    return None


def _documented(value: Any, flow: Flow, args: dict[str, Any]) -> str | None:
    if not _in_documents(str(value), flow):
        return "this tool was never named by a document a search returned"
    return None


def _inner_value(tool: str, key: str, value: Any, flow: Flow) -> str | None:
    table = INNER_CHOICES.get(key)
    if table is not None:
        words = CUES[table].get(value)
        if words is None:
            return None
        return None if any(normalize_text(w) in flow.customer_text for w in words) else \
            f"{key}={value!r} is a choice the customer never made"
    if isinstance(value, bool):
        if tool.startswith("set_debit_card_recurring_block") and any(
                w in flow.customer_text for w in ("block", "recurring", "subscription")):
            return None
        return f"{key}={value!r} is a decision the customer never made"
    if isinstance(value, (int, float)):
        if flow.seen_number(value):
            return None
        return f"{key}={value!r} was never read or said"
    if value in (None, "") or flow.said(value) or flow.read(value):
        return None
    return f"{key}={value!r} was never said by the customer nor read from a tool"


def _inner(value: Any, flow: Flow, args: dict[str, Any]) -> str | None:
    name = str(args.get("agent_tool_name", ""))
    if not _verified(flow):
        return "an internal tool is called before the customer's identity was verified and logged"
    try:
        inner = json.loads(str(value) or "{}")
    except json.JSONDecodeError:
        return None  # the protocol verifier rejects arguments that are not JSON
    if not isinstance(inner, dict):
        return None
    for key, item in inner.items():
        problem = _inner_value(name, key, item, flow)
        if problem:
            return problem
    return None


class BankingRules(FlowRules):
    choices = {
        "KB_search": {"query": _query},
        "transfer_to_human_agents": {"reason": _reason_code},
        "grep": {"pattern": _query},
        "log_verification": {"user_id": _logged},
        "unlock_discoverable_agent_tool": {"agent_tool_name": _documented},
        "call_discoverable_agent_tool": {"agent_tool_name": _documented, "arguments": _inner},
        "give_discoverable_user_tool": {"discoverable_tool_name": _documented},
        **{tool: {"user_id": _account_action} for tool in ACCOUNT_TOOLS},
    }

    def needs_yes(self, name: str, arguments: dict[str, Any], mutates: bool) -> bool:
        if name == "call_discoverable_agent_tool":
            tool = _hidden().get(str(arguments.get("agent_tool_name", "")))
            return bool(tool and tool.mutates)
        if name in ("log_verification", "unlock_discoverable_agent_tool", "give_discoverable_user_tool"):
            return False
        return mutates

    def amount(self, value: float, flow: Flow) -> str | None:
        """A temporary ATM limit's ceiling: 150% of a limit read."""
        if any(abs(n * 1.5 - value) < 0.005 for n in flow.read_numbers | flow.said_numbers):
            return "150% of the daily limit read"
        return None


RULES = BankingRules()

"""The banking agent's always-present tools (tau2's ``KnowledgeTools``), in tau2's order.

Lookups print matching records the way tau2's generic query does; identity verification is
logged as a record; the last four tools are the discoverable-tool mechanism. Every failure is a
returned ``Error: ...`` text, as in tau2 (which raises only on malformed argument types), so these
tools almost never set a result's error flag. The retrieval tools of a variant (``KB_search``,
``grep``) are placed before these by `writ.domains.banking_knowledge.retrieval`.
"""

from __future__ import annotations

import json
from typing import Literal, get_args

from writ.core import Toolbox, ToolKind
from writ.domains.banking_knowledge import ids
from writ.domains.banking_knowledge.clock import CURRENT_TIME_TEXT
from writ.domains.banking_knowledge.discoverable import (
    READ_LOG_KEY,
    binding_error,
    describe,
    is_unlocked,
    load_arguments,
    parameters,
    parse_spec,
    unlock,
)
from writ.domains.banking_knowledge.query import query_text
from writ.domains.banking_knowledge.schema import add, update
from writ.domains.banking_knowledge.specs_agent import AGENT_SPECS
from writ.domains.banking_knowledge.specs_user import USER_SPECS
from writ.domains.banking_knowledge.user_tools import user_box
from writ.store import Store

__all__ = ["TransferReason", "box"]

box = Toolbox(owner="KnowledgeTools", side="agent")

TransferReason = Literal[
    "fraud_or_security_concern", "account_closure_request", "deceased_account_holder", "legal_or_regulatory_matter",
    "account_ownership_dispute", "complex_billing_dispute", "abusive_customer_behavior", "third_party_inquiry",
    "technical_system_error", "unconfirmed_external_communication", "customer_demands_after_unavailable_offer_refusal",
    "kb_search_unsuccessful_customer_requests_transfer", "specialized_department_required",
    "accessibility_or_special_needs", "customer_frustrated_demands_human", "supervisor_request_service_complaint",
    "customer_requests_human_no_specific_reason", "request_completed_customer_wants_human_followup", "other",
]
REASONS = list(get_args(TransferReason))


def _lookup(db: Store, table: str, field: str, value: object) -> str:
    # tau2 builds the constraint JSON by formatting the raw value into a string literal.
    return query_text(db, table, f'{{"{field}": "{value}"}}')


@box.generic
def transfer_to_human_agents(db: Store, summary: str, reason: TransferReason = "other") -> str:
    """Hand the conversation to a human agent, with a summary and the reason code.

    The knowledge base says which reason code applies to which situation; look it up before
    transferring.

    Args:
        summary: What the user needed and what was tried before the transfer.
        reason: The reason code for the transfer.
    """
    if reason not in REASONS:
        return f"Error: Invalid transfer reason '{reason}'. Must be one of: {', '.join(REASONS)}"
    return f"Transfer successful (reason: {reason}). A human agent will assist you shortly."


@box.read
def get_current_time(db: Store) -> str:
    """The current date and time, e.g. for the timestamp of a verification record."""
    return CURRENT_TIME_TEXT


@box.read
def get_user_information_by_id(db: Store, user_id: str) -> str:
    """A user's profile (name, date of birth, email, phone number, address) by user id.

    Args:
        user_id: The user's id.
    """
    return _lookup(db, "users", "user_id", user_id)


@box.read
def get_user_information_by_name(db: Store, customer_name: str) -> str:
    """A user's profile by full name (case sensitive).

    Args:
        customer_name: The user's full name.
    """
    return _lookup(db, "users", "name", customer_name)


@box.read
def get_user_information_by_email(db: Store, email: str) -> str:
    """A user's profile by email address.

    Args:
        email: The user's email address.
    """
    return _lookup(db, "users", "email", email)


@box.write
def change_user_email(db: Store, user_id: str, new_email: str) -> str:
    """Replace a user's email address.

    Args:
        user_id: The user whose email changes.
        new_email: The new email address.
    """
    if not update(db, "users", user_id, {"email": new_email}):
        return f"Error: User with ID '{user_id}' not found."
    return f"Email updated successfully.\n  - User ID: {user_id}\n  - New Email: {new_email}"


@box.read
def get_referrals_by_user(db: Store, user_id: str) -> str:
    """The referrals a user has made.

    Args:
        user_id: The referring user's id.
    """
    return _lookup(db, "referrals", "referrer_id", user_id)


@box.read
def get_credit_card_transactions_by_user(db: Store, user_id: str) -> str:
    """Every credit card transaction of a user.

    Args:
        user_id: The user's id.
    """
    return _lookup(db, "credit_card_transaction_history", "user_id", user_id)


@box.read
def get_credit_card_accounts_by_user(db: Store, user_id: str) -> str:
    """A user's credit card accounts: card type, opening date, balance and reward points.

    Args:
        user_id: The user's id.
    """
    return _lookup(db, "credit_card_accounts", "user_id", user_id)


@box.write
def log_verification(db: Store, name: str, user_id: str, address: str, email: str, phone_number: str,
                     date_of_birth: str, time_verified: str) -> str:
    """Record that a user's identity was verified (after two of: date of birth, email, phone, address).

    Args:
        name: The verified user's full name.
        user_id: The verified user's id.
        address: The verified user's address.
        email: The verified user's email.
        phone_number: The verified user's phone number.
        date_of_birth: The verified user's date of birth, MM/DD/YYYY.
        time_verified: When the verification happened, from get_current_time, e.g. "2025-11-14 03:40:00 EST".
    """
    key = ids.verification_id(user_id, time_verified)
    entry = {"name": name, "user_id": user_id, "address": address, "email": email, "phone_number": phone_number,
             "date_of_birth": date_of_birth, "time_verified": time_verified}
    if not add(db, "verification_history", key, entry):
        return "Failed to log verification: Record may already exist."
    return f"Verification logged successfully.\n  - User: {name} (ID: {user_id})\n  - Verified at: {time_verified}"


@box.register(ToolKind.GENERIC, mutates=True)
def give_discoverable_user_tool(db: Store, discoverable_tool_name: str, arguments: str = "{}") -> str:
    """Hand the user a tool the knowledge base says they run themselves (e.g. in their app).

    Args:
        discoverable_tool_name: The tool's exact name from the knowledge base.
        arguments: The tool's arguments as a JSON object text, e.g. '{"account_id": "chk_123"}'.
    """
    if not isinstance(discoverable_tool_name, str):
        raise TypeError(f"attribute name must be string, not '{type(discoverable_tool_name).__name__}'")
    if discoverable_tool_name not in USER_SPECS:
        return f"Error: Unknown discoverable tool '{discoverable_tool_name}'."
    try:
        given = load_arguments(arguments, numbers_as_float=False)
    except ValueError as exc:  # json.JSONDecodeError
        return f"Error: Invalid JSON in arguments: {exc}"
    accepted = {"self": None, **{p.name: None for p in parameters(user_box.hidden[discoverable_tool_name])}}
    for key in given:
        if key not in accepted:
            return f"Error: Unexpected parameter: {key}"
    spec = parse_spec(discoverable_tool_name, USER_SPECS[discoverable_tool_name])
    add(db, "user_discoverable_tools", ids.user_tool_id(discoverable_tool_name),
        {"tool_name": discoverable_tool_name, "status": "GIVEN"})
    shown = json.dumps(given, indent=2) if given else "(no arguments)"
    return (f"Tool given to user: {discoverable_tool_name}\nDescription: {spec.description}\nArguments: {shown}\n\n"
            f"The user can now execute this action by calling `call_discoverable_user_tool` "
            f"with discoverable_tool_name='{discoverable_tool_name}' and the same arguments.")


@box.register(ToolKind.GENERIC, mutates=True)
def unlock_discoverable_agent_tool(db: Store, agent_tool_name: str) -> str:
    """Unlock an internal tool the knowledge base names, and see its parameters.

    Args:
        agent_tool_name: The tool's exact name from the knowledge base, e.g. "calculate_apr_adjustment_7842".
    """
    if agent_tool_name not in box.hidden:
        return f"Error: Unknown agent tool '{agent_tool_name}'. This tool is not available."
    spec = parse_spec(agent_tool_name, AGENT_SPECS[agent_tool_name])
    unlock(db, agent_tool_name)
    return (f"Tool unlocked: {agent_tool_name}\nDescription: {spec.description}\n\n{describe(spec)}\n\n"
            f"You can now use this tool by calling `call_discoverable_agent_tool` with "
            f"agent_tool_name='{agent_tool_name}' and the required arguments.")


@box.write
def call_discoverable_agent_tool(db: Store, agent_tool_name: str, arguments: str = "{}") -> str:
    """Run an internal tool unlocked before.

    Args:
        agent_tool_name: The unlocked tool's name.
        arguments: Its arguments as a JSON object text, e.g. '{"user_id": "abc123"}'.
    """
    tool = box.hidden.get(agent_tool_name)
    if tool is None:
        return f"Error: Unknown agent tool '{agent_tool_name}'. This tool is not available."
    if not is_unlocked(db, agent_tool_name):
        return (f"Error: Tool '{agent_tool_name}' has not been unlocked. "
                f"You must first use `unlock_discoverable_agent_tool` to unlock this tool before calling it.")
    try:
        parsed = load_arguments(arguments)
    except ValueError as exc:
        return f"Error: Invalid JSON in arguments: {exc}"
    problem = binding_error(tool, parsed)
    if problem:
        return f"Error: Invalid arguments: {problem}"
    try:
        result = tool.fn(db, **parsed)
    except TypeError as exc:
        return f"Error: Invalid arguments: {exc}"
    # Only calls that change state, and reads the task's gold solution makes, are logged: extra
    # precautionary reads must not change the database a verifier compares.
    if tool.mutates or agent_tool_name in db.scratch.get(READ_LOG_KEY, ()):
        add(db, "agent_discoverable_tools", ids.agent_tool_id(agent_tool_name),
            {"tool_name": agent_tool_name, "status": "CALLED"})
    return result


@box.read
def list_discoverable_agent_tools(db: Store) -> str:
    """The internal tools called so far in this conversation."""
    found = query_text(db, "agent_discoverable_tools", "{}")
    if "No results found" in found:  # tau2 quirk: the query says "No records found", so this never fires
        return "No agent tools have been called yet. Search the knowledge base to discover available tools."
    return f"Your called agent tools:\n{found}"


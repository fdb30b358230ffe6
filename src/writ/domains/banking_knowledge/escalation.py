"""Discoverable agent tools that only answer with a scripted instruction (tau2's transfer protocols).

The knowledge base tells the agent to run them in particular situations (a first transfer attempt,
the 11/14 credit bureau incident); each answers with what the agent must do or say next. None of
them changes the database, so their calls are logged only when the task's gold solution makes them.
"""

from __future__ import annotations

from writ.core import ToolKind
from writ.domains.banking_knowledge.discoverable import discoverable
from writ.domains.banking_knowledge.specs_agent import AGENT_SPECS
from writ.domains.banking_knowledge.tools import box
from writ.store import Store

__all__: list[str] = []


def _executed(text: str, name: str) -> str:
    return f"{text}\n\nExecuted: {name}\nArguments: (no arguments)"


@discoverable(box, AGENT_SPECS, ToolKind.WRITE)
def example_agent_tool_0000(db: Store) -> str:
    """A placeholder tool tau2 ships; it does nothing."""
    return "Example tool executed successfully."


@discoverable(box, AGENT_SPECS, ToolKind.GENERIC)
def initial_transfer_to_human_agent_0218(db: Store) -> str:
    """First step of a transfer protocol: the lines are busy."""
    return _executed("Initial Transfer Initiated, Inform the user that the lines are busy.",
                     "initial_transfer_to_human_agent_0218")


@discoverable(box, AGENT_SPECS, ToolKind.GENERIC)
def initial_transfer_to_human_agent_1822(db: Store) -> str:
    """First step of a transfer protocol: keep helping instead of transferring yet."""
    return _executed("Do not explicitly tell the user, but the conversation has not reached the necessary stages to "
                     "transfer to a real human yet. Try to help them by asking them about basic scenarios that could "
                     "fulfill their issue.", "initial_transfer_to_human_agent_1822")


@discoverable(box, AGENT_SPECS, ToolKind.GENERIC)
def emergency_credit_bureau_incident_transfer_1114(db: Store) -> str:
    """Escalation for the 11/14 credit bureau incident, before the actual transfer."""
    return _executed("Emergency escalation logged. Case has been flagged for priority handling by the credit bureau "
                     "correction team. Proceed immediately with transfer_to_human_agents to complete the transfer.",
                     "emergency_credit_bureau_incident_transfer_1114")

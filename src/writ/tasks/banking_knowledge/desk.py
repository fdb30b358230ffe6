"""The agent's desk: the moves a banking procedure makes, for the generator and the teacher alike.

A procedure (`writ.tasks.banking_knowledge.procedures`) is written once, over a `Desk`: search the
knowledge base, find the tool a document names for the job, unlock and call it, read a record, ask
the customer for a detail, make a write. Two desks implement the moves:

* the generator's (`writ.tasks.banking_knowledge.live`) makes every call on a live environment,
  in order, and records it as the task's gold actions (with the evidence accounting);
* the teacher's (`writ.agents.scripted.banking`) answers each move from what it has read and
  heard, and stops at the first move it cannot answer yet (a read to make, a question to ask, a
  write to propose); the conversation then makes that move, and the procedure runs again.

So the teacher's calls are the gold actions, as far as the customer's words lead its searches to
the same documents. Tools are never known in advance: a procedure asks for a tool by its stem
(``freeze_debit_card``) and takes the full name (``freeze_debit_card_3892``) from a document a
search returned. The first search for a request is made of the customer's own words; when the
documents it returned do not name the tool, the agent searches in its own words for the kind of
record or procedure it needs (`AGENT_QUERIES`, never a value of the task).
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from writ.core import ToolCall
from writ.tasks.banking_knowledge.records import Hit, parse_hits

__all__ = ["AGENT_QUERIES", "Desk", "End", "Found", "STALE_AFTER", "Write", "call_key", "customer_query", "stem_of"]

# What the agent searches for, in its own words, when the documents it has read do not name a tool.
AGENT_QUERIES: dict[str, list[str]] = {
    "get_all_user_accounts_by_user_id": ["retrieve customer bank accounts information"],
    "get_debit_cards_by_account_id": ["debit card information for a checking account"],
    "get_bank_account_transactions": ["bank account transaction history"],
    "get_pending_replacement_orders": ["pending replacement card orders"],
    "freeze_debit_card": ["freeze debit card"],
    "unfreeze_debit_card": ["unfreeze debit card"],
    "close_debit_card": ["close debit card lost stolen"],
    "reset_debit_card_pin": ["reset debit card pin"],
    "set_debit_card_recurring_block": ["block recurring payments debit card"],
    "request_temporary_debit_card_limit_increase": ["temporary debit card limit increase"],
    "order_replacement_credit_card": ["order replacement credit card"],
    "pay_credit_card_from_checking": ["pay credit card balance from checking account"],
    "transfer_funds_between_bank_accounts": ["transfer funds between bank accounts"],
    "emergency_credit_bureau_incident_transfer": ["credit bureau reporting incident"],
}
# Words in the title of the document that is the procedure for a job (default: the job's verb).
TITLE_WORDS: dict[str, list[str]] = {
    "close_debit_card": ["clos", "cancel", "lost", "stolen"], "unfreeze_debit_card": ["unfreez", "lost"],
    "freeze_debit_card": ["freez", "lost"], "reset_debit_card_pin": ["pin"],
    "set_debit_card_recurring_block": ["recurring"], "order_replacement_credit_card": ["replac"],
    "request_temporary_debit_card_limit_increase": ["limit"], "pay_credit_card_from_checking": ["pay"],
    "transfer_funds_between_bank_accounts": ["transfer"], "emergency_credit_bureau_incident_transfer": ["bureau"],
}
# Words the agent may use in a search besides the customer's and what it has read (see the flow rules).
AGENT_WORDS = sorted({w for queries in AGENT_QUERIES.values() for q in queries for w in q.split()} |
                     {"daily", "atm", "withdrawal", "limit"})

# A write may change what these reads return: after it, their results are read again when needed.
STALE_AFTER: dict[str, tuple[str, ...]] = {
    "freeze_debit_card": ("get_debit_cards_by_account_id",),
    "unfreeze_debit_card": ("get_debit_cards_by_account_id",),
    "close_debit_card": ("get_debit_cards_by_account_id",),
    "reset_debit_card_pin": ("get_debit_cards_by_account_id",),
    "set_debit_card_recurring_block": ("get_debit_cards_by_account_id",),
    "request_temporary_debit_card_limit_increase": ("get_debit_cards_by_account_id",),
    "order_replacement_credit_card": ("get_all_user_accounts_by_user_id", "get_credit_card_accounts_by_user",
                                      "get_pending_replacement_orders"),
    "pay_credit_card_from_checking": ("get_all_user_accounts_by_user_id", "get_credit_card_accounts_by_user",
                                      "get_bank_account_transactions"),
    "transfer_funds_between_bank_accounts": ("get_all_user_accounts_by_user_id", "get_bank_account_transactions"),
    "change_user_email": ("get_user_information_by",),
}

_STOP = set("""a about above after again all also am an and any are as at be because been before being below
between both but by can could did do does doing don down during each few for from further get got had has have
having he her here hers him his how i if in into is it its itself just let like me might mine more most my
myself need needs no nor not now of off on once only or other our out over own please right same she should so
some still such than thank thanks that the their them then there these they this those through to too under
until up very want wanted was we well were what when where which while who why will with would you your yours
hi hello hey okay ok sure yes yeah also one thing another think know something really bit able i'd i'm i've
it's that's can't don't im ive id its thats cant dont lot way today tomorrow soon right away quite maybe
help hoping""".split())
_WORD = re.compile(r"[a-z][a-z'-]*")


def stem_of(name: str) -> str:
    """``freeze_debit_card_3892`` -> ``freeze_debit_card``."""
    return re.sub(r"_\d{4}$", "", name)


def customer_query(text: str, limit: int = 12) -> str:
    """A search query made of the customer's own words: the content words of what they said."""
    words: list[str] = []
    for word in _WORD.findall(text.lower()):
        word = word.strip("'-")
        if len(word) < 3 or word in _STOP or word in words:
            continue
        words.append(word)
    return " ".join(words[:limit])


def call_key(name: str, arguments: dict[str, Any]) -> str:
    return name + json.dumps(arguments, sort_keys=True)


@dataclass
class Write:
    """A write the procedure needs, with what was found on the way (for the agent's words)."""

    name: str  # the tool: a discoverable one (called through call_discoverable_agent_tool) or a base tool
    args: dict[str, Any]
    facts: dict[str, Any] = field(default_factory=dict)
    discoverable: bool = True

    @property
    def call(self) -> ToolCall:
        if self.discoverable:
            return ToolCall("call_discoverable_agent_tool",
                            {"agent_tool_name": self.name, "arguments": json.dumps(self.args)})
        return ToolCall(self.name, dict(self.args))


@dataclass
class End:
    """How a request ends: ``done`` (after its write), ``refuse``, ``impossible``, ``transfer``, ``inform``."""

    kind: str
    topic: str = ""
    facts: dict[str, Any] = field(default_factory=dict)
    would_be: ToolCall | None = None  # the write a refusal turns down
    values: list[str] = field(default_factory=list)  # what an answer must say
    summary: str = ""  # a transfer's note to the human agent
    reason: str = ""  # a transfer's reason code


@dataclass(frozen=True)
class Found:
    """A discoverable tool and the document that names it (the procedure the agent follows)."""

    name: str
    doc: Hit

    def says(self, pattern: str) -> bool:
        """Whether the procedure document says something (a case-insensitive regular expression)."""
        return re.search(pattern, self.doc.content, re.I) is not None


class Desk(ABC):
    """The moves of a procedure; see the module docstring."""

    def __init__(self, user_id: str, profile: dict[str, Any], words: str):
        self.user_id = user_id
        self.profile = profile  # the verified customer's record, as the lookup printed it
        self.words = words  # what the customer said when making the request

    # -- what a desk implements ------------------------------------------------------------------
    @abstractmethod
    def lookup(self, name: str, arguments: dict[str, Any]) -> str | None:
        """The result of this call if it was made and no write made it stale since."""

    @abstractmethod
    def fetch(self, name: str, arguments: dict[str, Any], evidence: bool) -> str:
        """Make a call that is not a write (the generator runs it; the teacher asks to make it)."""

    @abstractmethod
    def search_texts(self) -> list[str]:
        """The results of every search made so far, in order."""

    @abstractmethod
    def ask(self, slot: str, options: list[Any] | None = None, context: dict[str, Any] | None = None) -> Any:
        """A value only the customer can give."""

    @abstractmethod
    def commit(self, write: Write) -> str:
        """Make a write (the teacher first proposes it and waits for a yes); returns its result."""

    # -- shared moves ----------------------------------------------------------------------------
    def get(self, name: str, arguments: dict[str, Any], evidence: bool = True) -> str:
        found = self.lookup(name, arguments)
        return found if found is not None else self.fetch(name, arguments, evidence)

    def docs(self) -> list[Hit]:
        seen: dict[str, Hit] = {}
        for text in self.search_texts():
            for hit in parse_hits(text):
                seen.setdefault(hit.id, hit)
        return list(seen.values())

    def known_tool(self, stem: str, procedure: bool = False) -> Found | None:
        """The tool with this stem that the documents read so far name, with the document to follow.

        With `procedure`, only a document *about* the job counts: one whose first tool is this one,
        or whose title says the job (`TITLE_WORDS`); a dispute procedure that mentions ordering a
        replacement card in passing is not the replacement procedure. Among several, the one naming
        the tool most often (the first by id on a tie), so the choice does not depend on search order.
        """
        best: tuple[tuple[int, int, str], Found] | None = None
        for doc in self.docs():
            tools = doc.tools()
            name = next((t for t in tools if stem_of(t) == stem), None)
            if name is None:
                continue
            titled = any(w in doc.title.lower() for w in TITLE_WORDS.get(stem, [stem.split("_")[0][:5]]))
            if procedure and stem_of(tools[0]) != stem and not titled:
                continue
            rank = (-int(titled and procedure), -doc.content.count(name), doc.id)  # a title saying the job first
            if best is None or rank < best[0]:
                best = (rank, Found(name, doc))
        return best[1] if best else None

    def find_tool(self, stem: str, main: bool = False) -> Found | None:
        """The tool for a job, searching until a document names it (see the module docstring); for the
        request's main job, until a document about it does, else any document naming the tool."""
        found = self.known_tool(stem, procedure=main)
        if found is not None:
            return found
        queries = ([customer_query(self.words)] if main else []) + AGENT_QUERIES.get(stem, [])
        for query in queries:
            if not query or self.lookup("KB_search", {"query": query}) is not None:
                continue
            self.get("KB_search", {"query": query})
            found = self.known_tool(stem, procedure=main)
            if found is not None:
                return found
        return self.known_tool(stem) if main else None

    def search(self, query: str) -> list[Hit]:
        return parse_hits(self.get("KB_search", {"query": query}))

    def unlock(self, name: str) -> None:
        self.get("unlock_discoverable_agent_tool", {"agent_tool_name": name}, evidence=False)

    def discover(self, name: str, arguments: dict[str, Any]) -> str:
        """Unlock a discoverable read (once) and call it."""
        self.unlock(name)
        return self.get("call_discoverable_agent_tool", {"agent_tool_name": name, "arguments": json.dumps(arguments)})

    def write(self, write: Write) -> str:
        if write.discoverable:
            self.unlock(write.name)
        return self.commit(write)

    def ensure_logged(self) -> None:
        """The verification record the policy asks for, once per conversation (time from the clock tool)."""
        now = self.get("get_current_time", {}, evidence=False)
        match = re.search(r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \w+)", now)
        p = self.profile
        args = {"name": p.get("name", ""), "user_id": self.user_id, "address": p.get("address", ""),
                "email": p.get("email", ""), "phone_number": p.get("phone_number", ""),
                "date_of_birth": p.get("date_of_birth", ""), "time_verified": match.group(1) if match else now}
        self.get("log_verification", args, evidence=False)

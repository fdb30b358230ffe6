"""The generator's desk: each move of a procedure made on the draft's live environment.

Every call becomes a gold action. Searches and reads count as evidence for the next write (or the
request's end); unlocking a tool, the clock and the verification record do not (they fix no
argument). A result is reused until a write may have changed it (`STALE_AFTER`), exactly as the
teacher reuses what it has read, so both make the same calls. A tool that answers with an error
where the procedure expects success rejects the draft.
"""

from __future__ import annotations

import json
from typing import Any

from writ.tasks.banking_knowledge.desk import STALE_AFTER, Desk, Write, call_key, stem_of
from writ.tasks.draft import DraftError, TaskDraft

__all__ = ["LiveDesk", "Session"]

_ID_ARGS = ("card_id", "account_id", "checking_account_id", "credit_card_account_id", "source_account_id",
            "destination_account_id")


def _inner_stem(name: str, arguments: dict[str, Any]) -> str:
    if name == "call_discoverable_agent_tool":
        return stem_of(str(arguments.get("agent_tool_name", "")))
    return stem_of(name)


class Session:
    """What one draft's conversation has done so far: results by call, shared by its requests."""

    def __init__(self, draft: TaskDraft, user_id: str, profile: dict[str, Any]):
        self.draft = draft
        self.user_id = user_id
        self.profile = profile
        self.results: dict[str, tuple[str, str]] = {}  # call key -> (tool stem, result text)
        self.searches: list[str] = []

    def run(self, name: str, arguments: dict[str, Any], evidence: bool) -> str:
        self.draft.read(name, arguments, evidence=evidence)
        text = self.draft.outputs[-1]
        if text.startswith("Error"):
            raise DraftError(f"{_inner_stem(name, arguments)} failed while drafting: {text[:100]}")
        self.results[call_key(name, arguments)] = (_inner_stem(name, arguments), text)
        if name in ("KB_search", "grep"):
            self.searches.append(text)
        return text

    def written(self, write: Write, text: str) -> None:
        stale = STALE_AFTER.get(stem_of(write.name), ())
        for key in [k for k, (stem, _) in self.results.items() if any(stem.startswith(s) for s in stale)]:
            del self.results[key]


class LiveDesk(Desk):
    """One request's moves on the live draft (see the module docstring)."""

    def __init__(self, session: Session, frame: dict[str, Any], withhold: list[str], words: str):
        super().__init__(session.user_id, session.profile, words)
        self.session = session
        self.frame = frame
        self.withhold = withhold
        self.asked: list[str] = []
        self.writes: list[Write] = []

    def lookup(self, name: str, arguments: dict[str, Any]) -> str | None:
        found = self.session.results.get(call_key(name, arguments))
        return found[1] if found else None

    def fetch(self, name: str, arguments: dict[str, Any], evidence: bool) -> str:
        return self.session.run(name, arguments, evidence)

    def search_texts(self) -> list[str]:
        return list(self.session.searches)

    def ask(self, slot: str, options: list[Any] | None = None, context: dict[str, Any] | None = None) -> Any:
        if slot not in self.frame:
            raise DraftError(f"the request does not say its {slot}")
        if slot not in self.asked:
            self.asked.append(slot)
        return self.frame[slot]

    def commit(self, write: Write) -> str:
        call = write.call
        # ids of a few characters ("07") would be "found" inside any date or phone number
        secrets = [str(write.args[k]) for k in _ID_ARGS if len(str(write.args.get(k) or "")) >= 5]
        self.session.draft.write(call.name, call.arguments, secret_ids=secrets)
        text = self.session.draft.outputs[-1]
        if text.startswith(("Error", "Failed")):
            raise DraftError(f"{write.name} failed while drafting: {text[:100]}")
        self.session.written(write, text)
        self.writes.append(write)
        return text


def arguments_of(call_arguments: dict[str, Any]) -> dict[str, Any]:
    """The inner arguments of a call_discoverable_agent_tool call."""
    try:
        value = json.loads(call_arguments.get("arguments") or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}

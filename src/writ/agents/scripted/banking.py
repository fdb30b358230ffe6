"""The banking teacher's skills: the bank's procedures run over what the teacher has read and heard.

The procedures are the ones that drafted the task's gold actions (`writ.tasks.banking_knowledge.
procedures`), run here over a `TeacherDesk`: every move answers from the conversation so far (a
search result, a tool result, an answer the customer gave) or stops the procedure with the move to
make next: a call to make (`NeedRead`: a search made of the customer's words, unlocking a tool a
document named, a read through it), a question (`NeedSlot`), or a write to propose (`Ready`).
The teacher makes that move, and on the next turn the procedure runs again from the start, getting
one step further. So the teacher searches before it acts, calls only tools a document it read
names, passes only values it read or heard, and says what the document said before proposing.

Identity: the customer gives their full name and two of date of birth, email, phone and address;
the teacher looks the name up and compares (`identity`), then logs the verification as the
documents ask (the procedures' first move).
"""

from __future__ import annotations

import random
from typing import Any

from writ.agents.scripted import banking_questions as Q
from writ.agents.scripted import banking_words as W
from writ.agents.scripted import speech
from writ.agents.scripted.knowledge import Knowledge, NeedRead, NeedSlot, Request
from writ.agents.scripted.steps import Inform, Propose, Refuse, Step, Transfer
from writ.core import ToolCall
from writ.dialogue.grammar import realize
from writ.tasks.banking_knowledge.desk import STALE_AFTER, Desk, Write, call_key, stem_of
from writ.tasks.banking_knowledge.live import arguments_of
from writ.tasks.banking_knowledge.lookups import NotFound
from writ.tasks.banking_knowledge.procedures import run_procedure
from writ.tasks.banking_knowledge.records import user_record
from writ.tasks.banking_knowledge.wording import cues as frame_cues

__all__ = ["BankingSkills", "GrepBankingSkills", "TeacherDesk"]

ID_FIELDS = ("date_of_birth", "email", "phone_number", "address")
SEARCH_TOOLS = ("KB_search", "grep")
# The arguments a proposal's text states as themselves (ids are named in words: "the card ending in 4821").
SHOWN = ("reason", "new_limit", "shipping_address", "expedited_shipping", "amount", "new_email", "new_pin",
         "last_4_digits")
ARG_CUES = {"expedited_shipping": "expedited", "reason": "reason"}
# The words a proposal uses for the tool it names (the reading's grounding check looks for one).
TOOL_WORDS = {"freeze_debit_card": ["freeze"], "unfreeze_debit_card": ["unfreeze"], "close_debit_card": ["close"],
              "reset_debit_card_pin": ["PIN"], "set_debit_card_recurring_block": ["recurring"],
              "request_temporary_debit_card_limit_increase": ["limit"],
              "order_replacement_credit_card": ["replacement"], "pay_credit_card_from_checking": ["pay"],
              "transfer_funds_between_bank_accounts": ["move", "transfer"], "change_user_email": ["email"]}


class Ready(Exception):
    """Everything a write needs is known: propose it."""

    def __init__(self, write: Write):
        super().__init__(write.name)
        self.write = write


def _same(a: Any, b: Any) -> bool:
    return " ".join(str(a).lower().split()) == " ".join(str(b).lower().split())


def _inner(call: ToolCall) -> tuple[str, dict[str, Any]]:
    """(tool stem, arguments) of a call, looking through the discoverable-tool dispatcher."""
    if call.name == "call_discoverable_agent_tool":
        return stem_of(str(call.arguments.get("agent_tool_name", ""))), arguments_of(call.arguments)
    return stem_of(call.name), dict(call.arguments)


class TeacherDesk(Desk):
    """A procedure's moves answered from the teacher's knowledge (see the module docstring)."""

    def __init__(self, k: Knowledge, request: Request, search_tool: str, rng: random.Random):
        super().__init__(k.user_id or "", k.facts.get("profile", {}), request.text)
        self.k = k
        self.request = request
        self.search_tool = search_tool
        self.rng = rng

    def _as_made(self, name: str, arguments: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """A search as the run's retrieval tool takes it (grep takes an alternation of the words)."""
        if name == "KB_search" and self.search_tool == "grep":
            return "grep", {"pattern": "|".join(str(arguments.get("query", "")).split())}
        return name, arguments

    def lookup(self, name: str, arguments: dict[str, Any]) -> str | None:
        found = self.k.facts.setdefault("results", {}).get(call_key(*self._as_made(name, arguments)))
        return found[1] if found else None

    def fetch(self, name: str, arguments: dict[str, Any], evidence: bool) -> str:
        raise NeedRead(ToolCall(*self._as_made(name, arguments)))

    def search_texts(self) -> list[str]:
        return list(self.k.facts.get("searches", []))

    def ask(self, slot: str, options: list[Any] | None = None, context: dict[str, Any] | None = None) -> Any:
        if self.request.has(slot):
            return self.request.value(slot)
        raise NeedSlot(slot, options, question=Q.question(self.rng, slot, options or [], context or {}))

    def commit(self, write: Write) -> str:
        done = self.k.facts.get("written", {}).get(call_key(write.call.name, write.call.arguments))
        if done is not None:
            return done
        raise Ready(write)


class BankingSkills:
    domain = "banking_knowledge"
    needs_auth = True
    auth_fields = ["full_name", *ID_FIELDS]

    def __init__(self, search_tool: str = "KB_search"):
        self.search_tool = search_tool

    # -- reading and remembering -----------------------------------------------------------------
    def read_for(self, table: str, key: str) -> ToolCall:
        raise KeyError(table)  # banking's procedures ask for calls themselves (TeacherDesk.fetch)

    def is_auth_call(self, call: ToolCall) -> bool:
        return call.name == "get_user_information_by_name"

    def auth_call(self, values: dict[str, Any]) -> ToolCall | None:
        name = values.get("full_name")
        return ToolCall("get_user_information_by_name", {"customer_name": name}) if name else None

    def identity(self, k: Knowledge, values: dict[str, Any]) -> str | None:
        """"verified" when the name finds one profile and two details match it, "mismatch" when what
        was given does not match, None while the lookup or the details are still missing."""
        if k.user_id is not None:
            return "verified"
        name = values.get("full_name")
        found = k.facts.get("profiles", {}).get(name) if name else None
        given = [f for f in ID_FIELDS if values.get(f)]
        if found is None:
            return None
        if len(found) != 1:
            return "mismatch" if len(given) >= 2 else None
        profile = found[0]
        matches = [f for f in given if _same(values[f], profile.get(f, ""))]
        if len(matches) >= 2:
            k.user_id = profile.get("user_id") or profile["_id"]
            k.facts["profile"] = profile
            return "verified"
        return "mismatch" if len(given) >= 2 else None

    def absorb(self, k: Knowledge, call: ToolCall, content: str, error: bool) -> None:
        if self.is_auth_call(call):
            k.facts.setdefault("profiles", {})[call.arguments.get("customer_name")] = [] if error else \
                user_record(content)
            return
        stem, inner = _inner(call)
        if stem in STALE_AFTER or call.name == "change_user_email":
            if error:
                return
            k.facts.setdefault("written", {})[call_key(call.name, call.arguments)] = content
            k.facts["last_write"] = (stem, inner)
            stale = STALE_AFTER.get(stem, ())
            results = k.facts.setdefault("results", {})
            for key in [key for key, (s, _) in results.items() if any(s.startswith(x) for x in stale)]:
                del results[key]
            return
        k.facts.setdefault("results", {})[call_key(call.name, call.arguments)] = (stem, content)
        if call.name in SEARCH_TOOLS and not error:
            k.facts.setdefault("searches", []).append(content)

    def first_name(self, k: Knowledge) -> str:
        return str(k.facts.get("profile", {}).get("name", "")).split(" ")[0]

    # -- questions ------------------------------------------------------------------------------------
    def auth_question(self, rng: random.Random, voice: str) -> str:
        return Q.auth_question(rng)

    def ask_slot(self, rng: random.Random, voice: str, request: Request, need: Any, k: Knowledge) -> str:
        return Q.question(rng, need.slot, list(need.options), {})

    def cues(self, key: str, value: Any) -> list[str] | None:
        if key == "tool":
            return TOOL_WORDS.get(stem_of(str(value)), [])
        return frame_cues(ARG_CUES.get(key, key), value)

    def forbidden_reason(self, topic: str) -> str:
        return "I can only act on your accounts as our procedures allow"

    def forbidden_text(self, rng: random.Random, topic: str) -> str:
        templates = ["[I'm sorry, but|I'm afraid] that isn't something our procedures let me do.",
                     "[I understand why you'd ask|I see why you'd ask|I hear you], but [our procedures don't let me "
                     "do that|that's outside what I can do here].",
                     "That's [one thing|something] I [can't do|don't have the authority to do][, I'm afraid|, "
                     "sorry|]: our procedures don't allow it."]
        if topic == "waive_fee":
            templates += ["[Unfortunately|I'm sorry], [fee waivers|refunds of fees] aren't something I'm able to "
                          "grant[ here| from this desk|].",
                          "[I understand why you'd ask|I hear you], but I'm not able to waive or refund fees."]
        text = realize(rng, templates)
        return f"{text} {speech.say(rng, 'anything_else')}" if rng.random() < 0.5 else text

    # -- the requests -------------------------------------------------------------------------------
    def step(self, request: Request, k: Knowledge) -> Step:
        rng = random.Random(f"{request.seed}/{len(request.asked)}")
        desk = TeacherDesk(k, request, self.search_tool, rng)
        frame = {**request.frame, **request.slots}
        try:
            end = run_procedure(desk, frame)
        except Ready as ready:
            k.facts["proposed"] = ready.write.facts
            return self._propose(rng, request.family, ready.write)
        except NotFound:
            return Refuse(realize(rng, ["I'm sorry, I couldn't find what I need for this in our records or "
                                        "documents, so I can't do it from here.", "[Unfortunately|I'm sorry], "
                                        "[nothing in our records or documents|nothing I can find] [lets me|"
                                        "allows me to] do this, so I can't help with it from here."]), "impossible",
                          "I couldn't find it in our records")
        if end.kind in ("refuse", "impossible"):
            text, why = W.refusal(rng, end.topic, end.facts)
            lead = W.checked(rng, end.facts)
            return Refuse(f"{lead} {text}".strip(), "impossible" if end.kind == "impossible" else "policy", why)
        if end.kind == "transfer":
            return Transfer(end.summary, W.transfer_text(rng, end.topic, end.facts), end.reason)
        if end.kind == "inform":
            return Inform(W.inform_text(rng, end.topic, end.facts, end.values), list(end.values))
        return Inform(realize(rng, ["That's already taken care of."]))

    def _propose(self, rng: random.Random, family: str, write: Write) -> Propose:
        stem = stem_of(write.name)
        shown = {key: write.args[key] for key in SHOWN if key in write.args}
        said = W.evidence(rng, family, write.facts)
        return Propose(write.call, W.summary(rng, stem, write.args, write.facts), said, shown=shown,
                       tool=write.name)

    def done_text(self, rng: random.Random, request: Request, call: ToolCall, k: Knowledge) -> str:
        stem, inner = _inner(call)
        return W.done_text(rng, stem, {**k.facts.get("proposed", {}), "amount": inner.get("amount", 0)})


class GrepBankingSkills(BankingSkills):
    """The skills for the ``grep_only`` retrieval variant: searches are regular expressions."""

    def __init__(self) -> None:
        super().__init__("grep")

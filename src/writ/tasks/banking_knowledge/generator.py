"""The banking task generator: one verified customer, 1-4 requests, each carried out as the documents say.

A task is drafted by *doing* it on a live environment (`live.LiveDesk`) with the same procedures
the scripted teacher follows (`procedures`): find the customer by name (they verify with two of
date of birth, email, phone and address), log the verification, then for each request search the
knowledge base with the customer's words, read the records the documents' tools return, ask for
what the customer holds back, and write, refuse, transfer or answer.

The two axes: writes = the requests that end in a write; evidence = the searches and reads between
one write and the previous (what the agent had to look up to pin the write's arguments: the
procedure document, the tool that lists accounts and the document naming it, the cards of the
account, an ATM limit only a product sheet states, pending orders, the card's balance). Requests
made later find documents and records already read, so their burden is lower; the generator draws
customers and requests until one lands on the target cell (or as close as this database allows).
"""

from __future__ import annotations

import random
from typing import Any

from writ.core import Environment
from writ.data import DomainData
from writ.domains.banking_knowledge.schema import records
from writ.task import Action
from writ.tasks.axes import Cell
from writ.tasks.banking_knowledge.desk import End
from writ.tasks.banking_knowledge.frames import Candidate, candidates
from writ.tasks.banking_knowledge.live import LiveDesk, Session
from writ.tasks.banking_knowledge.lookups import NotFound
from writ.tasks.banking_knowledge.policy import policy_violation
from writ.tasks.banking_knowledge.procedures import run_procedure
from writ.tasks.banking_knowledge.records import user_record
from writ.tasks.banking_knowledge.wording import instruction, request_text
from writ.tasks.draft import DraftError, Request, TaskDraft

__all__ = ["GENERATOR", "BankingGenerator"]

TRIES = 14
PARTIAL_SUCCESS = 0.12  # write tasks that also carry one request the documents refuse
FAMILY_WEIGHTS = {"freeze_card": 1.0, "unfreeze_card": 1.0, "close_card": 1.0, "reset_pin": 1.0,
                  "recurring_block": 1.2, "atm_limit": 1.5, "replace_credit": 0.7, "pay_credit": 1.3,
                  "card_info": 1.0, "change_email": 0.35, "transfer_funds": 1.0, "credit_bureau": 1.0}
HOPES = {"write": ("write",), "refuse": ("refuse", "impossible"), "transfer": ("transfer",), "inform": ("inform",)}
ENDS = {"write": ("done",), "refuse": ("refuse", "impossible"), "transfer": ("transfer",), "inform": ("inform",)}
AUTH_PAIRS = [("date_of_birth", "phone_number"), ("date_of_birth", "email"), ("email", "phone_number"),
              ("phone_number", "address"), ("email", "address")]
PERSONAS = [
    "You are polite and keep your messages short.", "You are a little anxious about your money and want it sorted.",
    "You are friendly and chatty, but you stay on topic.", "You are busy and prefer brief answers.",
    "You are calm and patient.", "You are a private person and share only what the agent needs.",
]
FIELD_WORDS = {"date_of_birth": "date of birth", "email": "email", "phone_number": "phone number",
               "address": "address"}


def _eligible(data: DomainData) -> list[str]:
    users = records(data.environment().db, "users")
    names = [u.get("name") for u in users.values()]
    return [uid for uid, u in users.items()
            if all(u.get(k) for k in ("name", "email", "phone_number", "date_of_birth", "address"))
            and names.count(u.get("name")) == 1]


class BankingGenerator:
    domain = "banking_knowledge"

    def policy_violation(self, env: Environment, action: Action) -> str | None:
        return policy_violation(env, action)

    def draft(self, data: DomainData, cell: Cell, rng: random.Random) -> TaskDraft:
        users = _eligible(data)
        if not users:
            raise DraftError("no customer of this bank has a complete profile")
        best: tuple[int, TaskDraft] | None = None
        reason = "no attempt"
        for _ in range(TRIES):
            try:
                draft = self._run(data, rng.choice(users), cell, rng)
            except (DraftError, NotFound) as exc:
                reason = str(exc)
                continue
            gap = abs(draft.evidence - cell.evidence)
            if best is None or gap < best[0]:
                best = (gap, draft)
            if gap == 0:
                break
        if best is None:
            raise DraftError(reason)
        return best[1]

    # -- one customer ----------------------------------------------------------------------------
    def _run(self, data: DomainData, uid: str, cell: Cell, rng: random.Random) -> TaskDraft:
        draft = TaskDraft(data, "banking_knowledge", rng)
        user = records(draft.env.db, "users")[uid]
        found = user_record(draft.read("get_user_information_by_name", {"customer_name": user["name"]},
                                       evidence=False) or "")
        if len(found) != 1:
            raise DraftError("the customer's name does not find exactly one profile")
        session = Session(draft, uid, found[0])
        hopes = self._hopes(cell, rng)
        used: set[str] = set()
        families = []
        for i, hope in enumerate(hopes):
            pool = [c for c in candidates(draft.env.db, uid, rng)
                    if c.hope in HOPES[hope] and not set(c.touches) & used]
            if not pool:
                raise DraftError(f"no {hope} request fits this customer")
            chosen = self._choose(pool, families, rng)
            used |= set(chosen.touches)
            families.append(chosen.family)
            self._request(draft, session, chosen, hope, i, rng)
        if cell.outcome == "write" and len(draft.writes) != cell.writes:
            raise DraftError("the requests did not end in the planned writes")
        self._describe(draft, user, families, rng)
        return draft

    @staticmethod
    def _choose(pool: list[Candidate], done: list[str], rng: random.Random) -> Candidate:
        """A family first (a family already in the task is five times less likely), then one of its requests."""
        names = sorted({c.family for c in pool}, key=list(FAMILY_WEIGHTS).index)
        weights = [FAMILY_WEIGHTS.get(f, 1.0) * (0.2 if f in done else 1.0) for f in names]
        family = rng.choices(names, weights)[0]
        return rng.choice([c for c in pool if c.family == family])

    @staticmethod
    def _hopes(cell: Cell, rng: random.Random) -> list[str]:
        if cell.outcome != "write":
            return [cell.outcome]
        hopes = ["write"] * cell.writes
        if rng.random() < PARTIAL_SUCCESS:
            hopes.insert(rng.randrange(len(hopes) + 1), "refuse")
        return hopes

    def _request(self, draft: TaskDraft, session: Session, chosen: Candidate, hope: str, i: int,
                 rng: random.Random) -> None:
        said = {k: v for k, v in chosen.frame.items() if k not in chosen.withhold}
        words = request_text(rng, said, "plain", also=i > 0)
        request = draft.request(words, instruction(chosen.frame, chosen.withhold), frame=dict(chosen.frame),
                                withhold=list(chosen.withhold))
        desk = LiveDesk(session, chosen.frame, chosen.withhold, words)
        try:
            end = run_procedure(desk, chosen.frame)
        except NotFound as exc:
            raise DraftError(f"the procedure cannot be followed ({exc})") from None
        if end.kind not in ENDS[hope]:
            raise DraftError(f"a {chosen.family} request ended in {end.kind} ({end.topic}), not {hope}")
        self._settle(draft, request, end)
        unasked = [k for k in chosen.withhold if k not in desk.asked]
        if unasked:  # a detail the procedure never needed is not part of what the customer holds
            request.frame = {k: v for k, v in request.frame.items() if k not in unasked}
            request.withhold = [k for k in request.withhold if k not in unasked]
            request.instruction = instruction(request.frame, request.withhold)
        request.details = {"asked": list(desk.asked)}

    @staticmethod
    def _settle(draft: TaskDraft, request: Request, end: End) -> None:
        if end.kind in ("refuse", "impossible"):
            draft.refuse(end.would_be.name, dict(end.would_be.arguments), end.topic,
                         "impossible" if end.kind == "impossible" else "policy")
            draft.close_info_request()
        elif end.kind == "transfer":
            draft.read("transfer_to_human_agents", {"summary": end.summary, "reason": end.reason}, evidence=False)
            request.outcome = "transfer"
            draft.close_info_request()
        elif end.kind == "inform":
            for value in end.values:
                draft.communicate(value)
            request.outcome = "inform"
            draft.close_info_request()

    @staticmethod
    def _describe(draft: TaskDraft, user: dict[str, Any], families: list[str], rng: random.Random) -> None:
        pair = rng.choice(AUTH_PAIRS)
        auth = {"method": "identity", "full_name": user["name"], **{k: user[k] for k in pair}}
        draft.facts["auth"] = auth
        draft.facts["name"] = user["name"]
        if any(r.outcome != "write" for r in draft.requests):  # what was asked tells one refusal from another
            draft.facts["asked"] = [dict(r.frame) for r in draft.requests]
        details = ", ".join(f"your {FIELD_WORDS[k]} is {user[k]}" for k in pair)
        draft.known_info.append(f"You are {user['name']}; {details}.")
        draft.unknown_info.append("You do not know your user id or the ids of your accounts and cards.")
        draft.task_instructions.append(rng.choice(PERSONAS))
        if len(draft.requests) > 1:
            draft.task_instructions.append("Bring up your requests one at a time, in the order given.")
        draft.task_instructions.append("Confirm an action only when the details the agent lists match your request.")
        if any(r.outcome != "write" for r in draft.requests):
            draft.task_instructions.append("If the agent explains that something cannot be done, accept it.")
        kinds = ", ".join(families)
        draft.purpose = (f"Banking: {len(draft.writes)} write(s) for {user['name']} ({kinds}); hardest evidence "
                         f"burden {draft.evidence}.")
        draft.extra["families"] = families


GENERATOR = BankingGenerator()

"""The retail task generator: one user's requests, composed to hit a (writes, evidence) cell.

How a task is drafted (see TASKGEN_BRIEF.md for the contract):

1. pick a user whose orders can support the cell (enough pending/delivered orders for the number
   of writes; an order count that makes the evidence target reachable);
2. decide where the hardest request goes, then fill the request slots one at a time: every
   family proposes what it could do *now* (in the state left by the earlier requests) together
   with its exact evidence cost given what the agent already knows (`context.Ctx`), the planner
   picks a proposal of exactly the target burden for the hardest slot and at most the target for
   the others, and runs it on the draft's environment (reads, then the write);
3. below evidence 3 the user may know order ids (direct, or "either #W1 or #W2"); from 3 on, the
   user knows no identifier and describes everything, so the agent has to read the profile and
   the orders (and products) to pin each write down.

Several writes of one user interact: changes on the same order (address, then payment, then its
items), a default-address change with the orders redirected to the new address, cancellations and
returns that change what "my pending order with ..." designates for the requests after them (every
description is resolved, and re-checked at validation, in the state at the moment it is used).
"""

from __future__ import annotations

import random

from writ.core import Environment, ToolCall
from writ.data import DomainData
from writ.task import Action
from writ.tasks.axes import Cell
from writ.tasks.draft import DraftError, TaskDraft
from writ.tasks.retail.context import Ctx, Proposal, UserStats, user_stats
from writ.tasks.retail.families import write_proposals
from writ.tasks.retail.info import info_proposals
from writ.tasks.retail.outcomes import refusal_proposals, transfer_proposals
from writ.tasks.retail.policy import policy_violation
from writ.tasks.retail.refs import Unfit
from writ.tasks.retail.selectors import Ambiguous

__all__ = ["GENERATOR", "RetailGenerator"]

FAMILY_WEIGHTS = {"cancel": 1.0, "address": 0.9, "payment": 1.4, "items": 1.2, "exchange": 1.2, "return": 1.1,
                  "user_address": 0.2, "tracking": 1.0, "total": 1.0, "count": 0.8, "price": 0.8, "available": 1.0,
                  "cheapest_total": 1.0, "refuse_cancel": 1.0, "refuse_address": 0.7, "refuse_return": 0.8,
                  "impossible_exchange": 0.8, "impossible_payment": 1.0, "transfer": 1.0}
PARTIAL_SUCCESS = 0.12  # share of write tasks that also carry one request the policy refuses
PERSONAS = [
    "You are polite and keep your messages short.",
    "You are in a bit of a hurry and prefer brief answers.",
    "You are friendly and chatty, but you stay on topic.",
    "You are a private person and share only what the agent needs.",
    "You are calm and patient.",
]
RULES = [
    "Confirm an action only when the details the agent lists match what you asked for.",
    "Say yes when the agent lists the action details and they match your request.",
]
FALLBACK = [
    "If the agent says a request cannot be done, accept it and move on to your next request.",
    "If something turns out to be impossible, do not insist; go on with the rest.",
]


class _Retry(Exception):
    """This user cannot make the cell work; the message is the rejection category."""


def _capacity(stats: UserStats, evidence: int) -> int:
    """An upper bound on how many distinct writes the user supports at this evidence level."""
    multi = int(stats.methods >= 2)
    if evidence == 0:
        per_pending = 1 + multi  # address, payment (ids known)
        delivered = 0
    elif evidence == 1:
        per_pending, delivered = 1 + multi, stats.delivered
    else:
        per_pending, delivered = 2 + multi, stats.delivered  # + items
    return 1 + stats.pending * per_pending + delivered


def _fits(stats: UserStats, cell: Cell) -> bool:
    if _capacity(stats, cell.evidence) < cell.writes:
        return False
    if cell.evidence < 3:
        return True
    low = 1 + stats.order_count
    high = 1 + stats.order_count + max(stats.max_products, stats.all_products)
    return stats.order_count > 0 and low <= cell.evidence <= high


class RetailGenerator:
    domain = "retail"
    tries = 6

    def policy_violation(self, env: Environment, action: Action) -> str | None:
        return policy_violation(env, action)

    def draft(self, data: DomainData, cell: Cell, rng: random.Random) -> TaskDraft:
        pool = [stats for stats in user_stats(data) if _fits(stats, cell)]
        if not pool:
            raise DraftError(f"no user can support the cell ({cell.writes} writes, evidence {cell.evidence})")
        reason = "no attempt"
        for _ in range(self.tries):
            stats = rng.choice(pool)
            try:
                return self._draft(data, cell, rng, stats.user_id)
            except _Retry as exc:
                reason = str(exc)
        raise DraftError(reason)

    # -- one user ---------------------------------------------------------------------------------
    def _draft(self, data: DomainData, cell: Cell, rng: random.Random, uid: str) -> TaskDraft:
        draft = TaskDraft(data, "retail", rng)
        user = draft.env.db.get("users", uid)
        self._auth(draft, user, rng)
        target = cell.evidence
        ctx = Ctx(draft, uid, rng, target >= 3, target)
        if cell.writes == 0:  # no write: information, a refusal or a transfer carries the evidence
            pool = {"refuse": refusal_proposals, "transfer": transfer_proposals}.get(cell.outcome, info_proposals)
            props = pool(ctx)
            if props and not any(proposal.cost == target for proposal in props):
                # a refusal needs only finding the order, and no question is answered without a read:
                # the nearest burden this user allows stands in for the target (still within its range)
                target = min((proposal.cost for proposal in props), key=lambda cost: (abs(cost - target), cost))
            self._run(ctx, [proposal for proposal in props if proposal.cost == target],
                      f"no {cell.outcome} request reaches the evidence target")
            if draft.evidence != target:
                raise _Retry("evidence target missed")
            self._finish(draft, ctx, cell)
            return draft
        if target < 3:
            hardest_slot = rng.randrange(cell.writes)
        else:  # from 3 on the first order-reading request pays for reading the orders: it goes first
            hardest_slot = 1 if cell.writes > 1 and rng.random() < 0.15 else 0
        want_info = rng.random() < 0.2
        infos = 0
        while len(draft.writes) < cell.writes:
            if len(draft.actions) > 80:
                raise _Retry("planner stalled")
            reached = draft.evidence == target and (draft.writes or draft.extra.get("info_evidence"))
            slot = len(draft.writes)
            if not reached and slot == hardest_slot:
                props = [proposal for proposal in write_proposals(ctx) if proposal.cost == target]
                infos_exact = ([proposal for proposal in info_proposals(ctx) if proposal.cost == target]
                               if infos == 0 else [])
                if infos_exact and (not props or rng.random() < 0.1):
                    self._run(ctx, infos_exact, "no request reaches the evidence target")
                    infos += 1
                    continue
                self._run(ctx, props, "no request reaches the evidence target")
                continue
            if ctx.high and not reached and slot < hardest_slot:
                props = [proposal for proposal in write_proposals(ctx)
                         if proposal.cost == 0 and proposal.family == "user_address"]
                if not props:
                    hardest_slot = slot
                    continue
                self._run(ctx, props, "no request fits before the hardest one")
                continue
            if want_info and reached and infos == 0 and rng.random() < 0.5:
                props = [proposal for proposal in info_proposals(ctx) if proposal.cost <= target]
                if props:
                    self._run(ctx, props, "no information request fits")
                    infos += 1
                    continue
            props = [proposal for proposal in write_proposals(ctx) if proposal.cost <= target]
            self._run(ctx, props, f"not enough compatible requests (need {cell.writes})")
        if rng.random() < PARTIAL_SUCCESS:  # one more request, which the policy refuses
            try:
                self._run(ctx, [proposal for proposal in refusal_proposals(ctx) if proposal.cost <= target],
                          "no refusal fits")
            except _Retry:
                pass
        if draft.evidence != target:
            raise _Retry("evidence target missed")
        if ctx.high and ctx.known:
            raise _Retry("an identifier would be stated")
        self._finish(draft, ctx, cell)
        return draft

    def _run(self, ctx: Ctx, props: list[Proposal], reason: str) -> None:
        rng = ctx.rng
        touched = {oid for _, orders in ctx.done for oid in orders}
        while props:
            families: list[str] = []
            for proposal in props:
                if proposal.family not in families:
                    families.append(proposal.family)
            weights = [FAMILY_WEIGHTS[fam] * (2.0 if any(oid in touched for proposal in props if proposal.family == fam
                                                         for oid in proposal.orders) else 1.0)
                       for fam in families]
            family = rng.choices(families, weights=weights)[0]
            group = [proposal for proposal in props if proposal.family == family]
            chosen = rng.choice(group)
            try:
                op = chosen.realize()
            except (Unfit, Ambiguous):
                props = [proposal for proposal in props if proposal is not chosen]
                continue
            ctx.execute(op)
            return
        raise _Retry(reason)

    def _auth(self, draft: TaskDraft, user: dict, rng: random.Random) -> None:
        first, last = user["name"]["first_name"], user["name"]["last_name"]
        zip_code = user["address"]["zip"]
        method = "email" if rng.random() < 0.45 else "name_zip"
        if method == "name_zip":
            found = draft.env.step(ToolCall("find_user_id_by_name_zip",
                                            {"first_name": first, "last_name": last, "zip": zip_code}), sync=False)
            if found.content != user["user_id"]:
                method = "email"
        if method == "email":
            draft.facts["auth"] = {"method": "email", "email": user["email"]}
            draft.known_info.append(rng.choice([f"Your name is {first} {last} and your email is {user['email']}.",
                                                f"You are {first} {last}, email {user['email']}."]))
        else:
            draft.facts["auth"] = {"method": "name_zip", "first_name": first, "last_name": last, "zip": zip_code}
            draft.known_info.append(rng.choice([f"You are {first} {last} in zip code {zip_code}.",
                                                f"Your name is {first} {last} and your zip code is {zip_code}."]))
        draft.facts["name"] = f"{first} {last}"

    def _finish(self, draft: TaskDraft, ctx: Ctx, cell: Cell) -> None:
        rng = ctx.rng
        if draft.facts["auth"]["method"] == "name_zip":
            draft.unknown_info.append("You do not remember your email address.")
        if not ctx.known:
            draft.unknown_info.append(rng.choice(["You do not remember your order numbers.",
                                                  "You do not know any of your order ids."]))
        if ctx.high:
            draft.unknown_info.append("You do not know any item ids or payment method ids.")
        families = [fam for fam, _ in ctx.done]
        draft.task_instructions.append(rng.choice(PERSONAS))
        if len(draft.requests) > 1:
            draft.task_instructions.append(rng.choice([
                "Bring up your requests one at a time, in the order given.",
                "Mention one request at a time and move to the next once it is handled.",
            ]))
        draft.task_instructions.append(rng.choice(RULES))
        if any(family in ("items", "exchange") for family in families):
            draft.task_instructions.append(
                "When the agent asks, confirm that you have listed every item you want to change.")
        draft.task_instructions.append(rng.choice(FALLBACK))
        kinds = ", ".join(families)
        draft.purpose = (f"Retail: {len(draft.writes)} write(s) and {len(draft.requests) - len(draft.writes)} "
                         f"information request(s) ({kinds}); hardest evidence burden {draft.evidence}.")
        draft.extra["families"] = families


GENERATOR = RetailGenerator()

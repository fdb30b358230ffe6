"""Composing one airline task for a target cell (writes x evidence).

One user, several requests in a row, each valid when it happens. One request (the *main* one)
carries the target evidence exactly; the others (*fillers*) stay at or below it, so the task's
hardest write is the target. Options are recomputed after every request, because each write
changes what is possible next (a booking adds a reservation, a change makes bags apply to the new
itinerary, a cancellation removes a target).
"""

from __future__ import annotations

import json
import random
import weakref

from writ.data import DomainData
from writ.tasks.airline import book, change, extras, modify
from writ.tasks.airline import wording as W
from writ.tasks.airline.common import cancel_grounds, is_active, is_flown, is_upcoming
from writ.tasks.airline.context import Ctx, Option
from writ.tasks.airline.outcomes import refusal_options, transfer_options
from writ.tasks.axes import Cell
from writ.tasks.draft import DraftError, TaskDraft

FAMILIES = (book, modify, change, extras)
# how often each family is drawn when it has an option that fits (before option weights)
FAMILY_WEIGHT = {"book": 1.0, "cancel": 1.0, "cancel_many": 2.0, "bags": 1.0, "passengers": 0.8,
                 "cabin": 0.9, "change": 1.1, "certificate": 1.2, "info": 0.5}
# the request that carries the target evidence: bookings can reach any level, so they are damped
MAIN_WEIGHT = dict(FAMILY_WEIGHT, book=0.35, change=0.8)
OUTCOME_WEIGHT = {"refuse_cancel": 1.4, "refuse_change": 1.0, "refuse_bags": 0.8, "refuse_cabin": 0.9,
                  "refuse_passengers": 0.8, "refuse_certificate": 1.0, "transfer": 1.0, "info": 1.0}
PARTIAL_SUCCESS = 0.2  # share of write tasks that also carry one request the policy refuses
_PROFILES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def all_options(ctx: Ctx, cap: int) -> list[Option]:
    out: list[Option] = []
    for family in FAMILIES:
        out.extend(family.options(ctx, cap))
    return out


def pick(rng: random.Random, options: list[Option], weights: dict[str, float] = FAMILY_WEIGHT) -> Option:
    families = []
    for o in options:
        if o.family not in families:
            families.append(o.family)
    family = rng.choices(families, [weights.get(f, 1.0) for f in families])[0]
    pool = [o for o in options if o.family == family]
    return rng.choices(pool, [o.weight for o in pool])[0]


def profiles(data: DomainData, env) -> list[tuple[str, int, int, int, int]]:
    """(user id, reservations, upcoming, cancellable, partly flown and active) per user with a payment
    method, cached per base."""
    cached = _PROFILES.get(data.base)
    if cached is None:
        cached = []
        for uid, user in env.db.items("users"):
            if not user["payment_methods"]:
                continue
            rs = [env.db.get("reservations", rid) for rid in user["reservations"]]
            rs = [r for r in rs if r is not None]
            up = sum(1 for r in rs if is_upcoming(env, r))
            can = sum(1 for r in rs if cancel_grounds(env, r))
            flown = sum(1 for r in rs if is_active(r) and is_flown(env, r))
            cached.append((uid, len(rs), up, can, flown))
        _PROFILES[data.base] = cached
    return cached


def choose_user(data: DomainData, draft: TaskDraft, cell: Cell, rng: random.Random) -> str:
    users = profiles(data, draft.env)
    w, e = cell.writes, cell.evidence
    outcome = getattr(cell, "outcome", "write")
    if outcome != "write":  # a refusal or question needs reservations to be about; a transfer a flown trip
        pool = [p for p in users if p[1] >= 1 and (outcome != "transfer" or p[4] >= 1) and (e == 0 or p[1] <= e)]
        return rng.choice(pool or users)[0]
    if e == 0:
        pool = [p for p in users if p[2] + p[3] >= w + 1]
    elif e >= 2 and rng.random() < 0.75:
        pool = [p for p in users if max(1, e - 6) <= p[1] <= e and p[2] >= 1]
    elif w >= 3 and rng.random() < 0.5:
        pool = [p for p in users if p[2] >= 2]
    else:
        pool = list(users)
    if not pool:
        pool = list(users)
    return rng.choice(pool)[0]


def _run(ctx: Ctx, rng: random.Random, options: list[Option], failures: list[str],
         weights: dict[str, float] = FAMILY_WEIGHT) -> Option | None:
    """Run one of `options`; an option that fails before recording anything is dropped and retried."""
    options = list(options)
    while options:
        option = pick(rng, options, weights)
        marks = (len(ctx.draft.actions), len(ctx.draft.requests), len(ctx.draft.checks))
        try:
            option.run()
            ctx.draft.extra.setdefault("families", []).append(option.family)
            return option
        except DraftError as exc:
            if marks != (len(ctx.draft.actions), len(ctx.draft.requests), len(ctx.draft.checks)):
                raise
            failures.append(str(exc).split("(")[0].strip())
            options.remove(option)
    return None


def compose(data: DomainData, cell: Cell, rng: random.Random) -> TaskDraft:
    draft = TaskDraft(data, "airline", rng)
    outcome = getattr(cell, "outcome", "write")
    ctx = Ctx(draft, choose_user(data, draft, cell, rng))
    ctx.authenticate()
    if outcome == "write":
        _plan_writes(ctx, cell, rng)
        if rng.random() < PARTIAL_SUCCESS:  # one more request, which the policy refuses
            options = refusal_options(ctx, cell.evidence)
            if options:
                _run(ctx, rng, options, [], OUTCOME_WEIGHT)
        if len(draft.writes) != cell.writes or draft.evidence != cell.evidence:
            raise DraftError("plan did not reach the target")
    else:
        _plan_no_write(ctx, cell, outcome, rng)
    _finish(ctx, cell, rng)
    return draft


def _plan_no_write(ctx: Ctx, cell: Cell, outcome: str, rng: random.Random) -> None:
    """A task that ends without a write: a refusal, a transfer, or information, as close to the
    evidence target as the customer's reservations allow (finding a reservation costs what it costs)."""
    e = cell.evidence
    pool = {"refuse": refusal_options, "transfer": transfer_options}.get(outcome)
    options = pool(ctx, e) if pool else [o for o in extras.options(ctx, e) if o.writes == 0]
    if not options:  # nothing this cheap: the cheapest there is (finding a reservation costs what it costs)
        options = pool(ctx, 12) if pool else [o for o in extras.options(ctx, 12) if o.writes == 0]
        options = [o for o in options if o.evidence == min((x.evidence for x in options), default=0)]
    if not options:
        raise DraftError(f"no {outcome} request fits the plan (e={e})")
    best = max(o.evidence for o in options)
    failures: list[str] = []
    if _run(ctx, rng, [o for o in options if o.evidence == best], failures, OUTCOME_WEIGHT) is None:
        reason = max(failures, key=failures.count) if failures else "no option"
        raise DraftError(f"no {outcome} request fits the plan: {reason} (e={e})")
    if outcome == "refuse" and rng.random() < 0.3:  # then a question, answered after the "no"
        infos = [o for o in extras.options(ctx, best) if o.writes == 0]
        if infos:
            _run(ctx, rng, infos, [])
    if ctx.draft.writes:
        raise DraftError("a no-write task wrote")


def _plan_writes(ctx: Ctx, cell: Cell, rng: random.Random) -> None:
    draft = ctx.draft
    w, e = cell.writes, cell.evidence
    infos, want_info = 0, rng.random() < 0.2
    for _ in range(12):
        left = w - len(draft.writes)
        main_done = draft.evidence == e
        if left == 0 and main_done:
            break
        options = [o for o in all_options(ctx, e) if o.writes <= left and (o.writes > 0 or infos == 0)]
        mains = [] if main_done else [o for o in options if o.evidence == e]
        if left == 0:
            mains = [o for o in mains if o.writes == 0]
        room = left if main_done else left - 1
        fillers = [o for o in options if o.evidence <= e and 1 <= o.writes <= room]
        if want_info and infos == 0 and rng.random() < 0.4:
            fillers += [o for o in options if o.writes == 0 and o.evidence <= e]
        failures: list[str] = []
        choice = None
        if mains and (not fillers or rng.random() < 0.6):
            choice = _run(ctx, rng, mains, failures, MAIN_WEIGHT)
        if choice is None and fillers:
            choice = _run(ctx, rng, fillers, failures)
        if choice is None and mains:
            choice = _run(ctx, rng, mains, failures, MAIN_WEIGHT)
        if choice is None:
            reason = max(failures, key=failures.count) if failures else "no option"
            raise DraftError(f"no request fits the plan: {reason} (w={w}, e={e})")
        infos += choice.writes == 0


def _finish(ctx: Ctx, cell: Cell, rng: random.Random) -> None:
    draft = ctx.draft
    calls = [json.dumps([draft.actions[x.action]["name"], draft.actions[x.action]["arguments"]], sort_keys=True)
             for x in draft.writes]
    if len(set(calls)) != len(calls):
        raise DraftError("a write call is repeated")
    if "You do not remember your reservation ids." in draft.unknown_info and ctx.told:
        i = draft.unknown_info.index("You do not remember your reservation ids.")
        draft.unknown_info[i] = "You do not remember the ids of your other reservations."
    draft.task_instructions.insert(0, W.confirm_line(rng))
    draft.task_instructions.append(rng.choice((
        "Make your requests one at a time, in the order given; do not invent other details.",
        "Bring up your requests in order, one after the other.",
    )))
    families = []
    for write in draft.writes:
        if write.name not in families:
            families.append(write.name)
    what = ", ".join(families) or draft.outcome
    draft.purpose = f"Airline: {what} ({W.count(len(draft.writes), 'write')}, evidence {draft.evidence})."

"""What every airline request family of the teacher shares: finding the reservation the customer
means (and saying how it was found), the policy facts read from records, payment methods.

The reservation resolver is the task generator's own (`writ.tasks.airline.selectors`), run over
`Knowledge`: each record it touches that the teacher has not read becomes a read call, in the
order a careful agent reads them (the profile, then each reservation on it).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from writ.agents.scripted import airline_questions as Q
from writ.agents.scripted import airline_words as A
from writ.agents.scripted.knowledge import Knowledge, NeedSlot, Request
from writ.agents.scripted.steps import Refuse, Said, Step, Transfer
from writ.dialogue.grammar import join_words, realize
from writ.domains.airline.ops import AIRPORTS
from writ.tasks.airline.common import DAY_AGO, FREE_BAGS, TODAY
from writ.tasks.airline.selectors import (
    Ambiguous,
    find_method,
    find_reservation,
    is_upcoming_record,
    user_reservations,
)

__all__ = [
    "CITIES", "FLOWN", "ask", "booked_recently", "family", "flown", "free_bags", "method", "overview", "past_statuses",
    "refuse", "reservation", "rng_for", "status", "update_method",
]

CITIES = dict(AIRPORTS)
FLOWN = ("landed", "flying")


def family(fn: Callable[[Request, Knowledge, Said], Step]) -> Callable[[Request, Knowledge], Step]:
    """A request family: it gathers evidence into a `Said`; a refusal or a transfer it ends in says that
    evidence first (how the reservation was found, what the records show), like a proposal does."""
    def run(request: Request, k: Knowledge) -> Step:
        said = Said(k.said)
        step = fn(request, k, said)
        if isinstance(step, (Refuse, Transfer)) and said.text:
            step.text = f"{said.text} {step.text}"
            if isinstance(step, Refuse):
                step.mentions = list(step.mentions) + said.keys
        return step

    run.__name__ = fn.__name__
    run.__doc__ = fn.__doc__
    return run


def rng_for(request: Request, what: str) -> random.Random:
    """Wording choices that stay the same when a step is recomputed (a step may be built many times)."""
    return random.Random(f"airline-words/{request.seed}/{what}")


def refuse(request: Request, key: str, templates: list[str], why: str, topic: str = "policy", /,
           **values: Any) -> Refuse:
    """A refusal in one of `templates` (`why`, the rule in a clause, is what the teacher holds the line with)."""
    return Refuse(realize(rng_for(request, key), templates, **values), topic, why=why)


# -- which reservation --------------------------------------------------------------------------------
def reservation(request: Request, k: Knowledge, said: Said, slot: str = "reservation") -> str:
    """The reservation the customer described; what pinned it down goes into `said`."""
    spec = request.value(slot)
    uid = k.user_id
    try:
        rid = find_reservation(k, uid, spec, last=k.facts.get("last_reservation"))
    except Ambiguous:
        raise NeedSlot(slot, [r["reservation_id"] for r in user_reservations(k, uid)]) from None
    _evidence(request, k, spec, rid, said)
    k.facts["current_reservation"] = rid
    return rid


def overview(request: Request, k: Knowledge, said: Said) -> list[dict]:
    records = user_reservations(k, k.user_id)
    briefs = [A.reservation_brief(r, CITIES) for r in records]
    key = "reservations:" + "|".join(briefs)
    if key not in k.said:
        said.add(A.overview(rng_for(request, "overview"), briefs), key)
    return records


def _evidence(request: Request, k: Knowledge, spec: dict[str, Any], rid: str, said: Said) -> None:
    kind = spec["kind"]
    if kind in ("id", "same"):
        return
    records = overview(request, k, said)
    rng = rng_for(request, "which")
    if kind == "recent":
        ranked = sorted(records, key=lambda r: r["created_at"], reverse=True)
        said.add(realize(rng, ["The most recent booking is {a}, made on {when}; the one before it, {b}, was made on "
                               "{other}.", "{a} was booked last ({when}), after {b} ({other})."],
                         a=rid, when=_stamp(ranked[0]["created_at"]), b=ranked[1]["reservation_id"],
                         other=_stamp(ranked[1]["created_at"])), f"which/{request.seed}")
        return
    if kind == "most_pax":
        ranked = sorted((r for r in records if is_upcoming_record(r)), key=lambda r: len(r["passengers"]),
                        reverse=True)
        said.add(realize(rng, ["Of your upcoming trips, {a} has the most travellers ({n}); next is {b} with {m}.",
                               "{a} is the upcoming trip with the most passengers, {n}, ahead of {b} with {m}."],
                         a=rid, n=len(ranked[0]["passengers"]), b=ranked[1]["reservation_id"],
                         m=len(ranked[1]["passengers"])), f"which/{request.seed}")
        return
    what = {
        "route": lambda: f"upcoming trip from {A.place(spec['origin'], CITIES)} to "
                         f"{A.place(spec['destination'], CITIES)}",
        "to": lambda: f"upcoming trip to {A.place(spec['destination'], CITIES)}",
        "date": lambda: f"upcoming trip departing on {A.day(spec['date'])}",
        "route_date": lambda: (f"trip from {A.place(spec['origin'], CITIES)} to "
                               f"{A.place(spec['destination'], CITIES)} leaving on {A.day(spec['date'])}"),
        "cabin": lambda: f"upcoming {A.cabin_words(spec['cabin'])} reservation",
        "type": lambda: f"upcoming {A.trip_words(spec['flight_type'])}",
        "segment": lambda: (f"reservation with a flight from {A.place(spec['origin'], CITIES)} to "
                            f"{A.place(spec['destination'], CITIES)} on {A.day(spec['date'])}"),
        "today": lambda: "reservation with a flight today",
    }[kind]()
    said.add(realize(rng, ["The only {what} is {rid}.", "{rid} is your only {what}.",
                           "[Only one matches|Just one fits]: {rid} is the {what}."], what=what, rid=rid),
             f"which/{request.seed}")


def _stamp(created_at: str) -> str:
    return f"{A.day(created_at[:10])} at {created_at[11:16]}"


# -- asking -----------------------------------------------------------------------------------------------
def ask(request: Request, k: Knowledge, said: Said, slot: str, options: list[Any] | None = None) -> Any:
    """A value only the customer can give; if it was not said, ask for it, first telling what was found."""
    if request.has(slot):
        return request.value(slot)
    question = Q.question(rng_for(request, f"ask/{slot}"), request.family, slot, options)
    raise NeedSlot(slot, options, question=f"{said.text} {question}".strip(), mentions=list(said.keys))


# -- policy facts from records ------------------------------------------------------------------------
def status(k: Knowledge, flight_number: str, date: str) -> str:
    return k.get("status", f"{flight_number}/{date}")


def past_statuses(k: Knowledge, r: dict) -> dict[tuple[str, str], str]:
    """Statuses of the segments that are not in the future (has any been flown?)."""
    return {(s["flight_number"], s["date"]): status(k, s["flight_number"], s["date"])
            for s in r["flights"] if s["date"] <= TODAY}


def flown(k: Knowledge, r: dict) -> list[dict]:
    statuses = past_statuses(k, r)
    return [s for s in r["flights"] if statuses.get((s["flight_number"], s["date"])) in FLOWN]


def booked_recently(r: dict) -> bool:
    return r["created_at"] > DAY_AGO


def free_bags(membership: str, cabin: str) -> int:
    return FREE_BAGS[membership][cabin]


# -- payment methods ---------------------------------------------------------------------------------
def method(request: Request, k: Knowledge, spec: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    user = k.get("users", k.user_id)
    try:
        mid = find_method(user, spec)
    except Ambiguous:
        raise NeedSlot("payment") from None
    return mid, user["payment_methods"].get(mid) or {}


def update_method(request: Request, k: Knowledge, amount: float, said: Said) -> tuple[str, dict[str, Any]] | Refuse:
    """The credit card or gift card that pays (or receives) a change's difference, per the policy."""
    mid, chosen = method(request, k, ask(request, k, said, "payment"))
    if chosen.get("source") not in ("credit_card", "gift_card"):
        return refuse(request, "update-payment", [
            "I'm sorry, a change to a reservation can only be paid with a credit card or a gift card from your "
            "profile, not with {what}."], "changes are paid with a credit card or gift card",
            what=A.method_label(chosen))
    if chosen.get("source") == "gift_card" and amount > 0 and chosen.get("amount", 0) < amount:
        return refuse(request, "update-balance", [
            "I'm sorry, {what} doesn't cover the {amount} this change costs."], "the gift card balance is too low",
            "impossible", what=A.method_label(chosen), amount=A.money(amount))
    return mid, chosen


def listing(items: list[str]) -> str:
    return join_words(items)

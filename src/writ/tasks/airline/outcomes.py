"""Airline requests whose policy-correct handling is not a write: refusals, impossibilities, transfers.

tau2-bench's own airline tasks end without a write in about half of their gold solutions; a model
trained only on requests that can be granted learns to say yes to everything. Each family below
makes a request a real customer might make and records the write it asks for (`TaskDraft.refuse`),
which validation proves the policy forbids at that point:

* cancel a reservation that has no ground (booked over 24 hours ago, not business, no airline
  cancellation, no insurance covering the reason);
* change the flights of a basic economy reservation;
* add bags, change the cabin, passengers or flights of a trip already partly flown;
* add a passenger (the number of passengers never changes), or remove a checked bag;
* compensation for a cancelled flight when the customer is not eligible (regular member, no
  insurance, not business);
* impossible: a cabin change with no seats left in the new cabin;
* a transfer: cancelling a trip that is partly flown is for a human agent, by the policy.

Each costs the reads that find the reservation (and the searches an impossibility rests on).
"""

from __future__ import annotations

from writ.dialogue.grammar import realize
from writ.tasks.airline import wording as W
from writ.tasks.airline.common import (
    TODAY,
    cancel_grounds,
    cancelled_segments,
    compensable,
    instance,
    is_active,
    is_flown,
    is_upcoming,
)
from writ.tasks.airline.context import Ctx, Option
from writ.tasks.airline.modify import UPCOMING_KINDS, verify_status
from writ.tasks.draft import DraftError

__all__ = ["refusal_options", "transfer_options"]

FLOWN_KINDS = ("segment", "recent")
CABINS = ("basic_economy", "economy", "business")


def _close(ctx: Ctx, name: str, arguments: dict, why: str, pushback: str, topic: str = "policy",
           candidates: int = 1) -> None:
    ctx.draft.refuse(name, arguments, why, topic)
    ctx.draft.requests[-1].pushback = pushback
    ctx.draft.close_info_request(candidates)


def _payer(ctx: Ctx) -> str:
    options = ctx.methods("credit_card", "gift_card")
    if not options:
        raise DraftError("no card to name in the refused change")
    return options[0]["id"]


def _accept(line: str) -> str:
    return f"{line} If the agent explains that it cannot be done, accept it."


# -- the policy says no ------------------------------------------------------------------------------
def refuse_cancel(ctx: Ctx, rid: str, mode: str, desc: dict | None) -> None:
    rng = ctx.rng
    r = ctx.env.db.get("reservations", rid)
    code = "change_of_plan" if r["insurance"] == "yes" or rng.random() < 0.5 else rng.choice(("health", "weather"))
    name, spec = ctx.locate(rid, mode, desc, evidence=mode != "id")  # a named record only shows the policy
    verify_status(ctx, r, code)
    reason = {"change_of_plan": "{my} plans changed", "health": "{I} {am} sick and cannot travel",
              "weather": "a storm is forecast"}[code]
    ctx.request(_accept(f"{{I}} want to cancel {name} because {reason}."),
                frame={"family": "cancel", "reservation": spec, "reason": code},
                withhold=("reason",) if rng.random() < 0.7 else (), outcome="refuse")
    _close(ctx, "cancel_reservation", {"reservation_id": rid}, "the reservation does not qualify for cancellation",
           realize(rng, ["[But|Come on,] I really can't use this trip [anymore|now]. [Can't you refund it just this "
                         "once?|Isn't there any way to get my money back?|Could you make an exception?]",
                         "That seems [unfair|harsh]; I've flown with you for years. [Is there really no way to cancel "
                         "it?|Can't you cancel it anyway?]"]),
           candidates=ctx.compared(mode))
    ctx.done.add(("cancel", rid))


def refuse_change_basic(ctx: Ctx, rid: str, mode: str, desc: dict | None) -> None:
    rng = ctx.rng
    r = ctx.env.db.get("reservations", rid)
    seg = r["flights"][0]
    day = int(seg["date"][-2:])
    dates = tuple(f"2024-05-{d:02d}" for d in (day + 1, day + 2) if d <= 30 and f"2024-05-{d:02d}" > TODAY)
    if not dates:
        raise DraftError("no later date to ask for")
    dates = dates[:rng.choice((1, 2))]
    crit = rng.choice(("cheapest", "fastest"))
    name, spec = ctx.locate(rid, mode, desc)
    part = rng.choice(("out", "back")) if r["flight_type"] == "round_trip" else None
    frame = {"family": "change", "reservation": spec, "part": part, "dates": list(dates), "criterion": crit,
             "stops": "nonstop"}
    ctx.request(_accept(f"{{I}} need to move {name} to {W.days(dates, rng)}, {W.criterion(crit, False, rng)}."),
                frame=frame, outcome="refuse")
    moved = [{"flight_number": seg["flight_number"], "date": dates[0]}] + \
        [{"flight_number": s["flight_number"], "date": s["date"]} for s in r["flights"][1:]]
    _close(ctx, "update_reservation_flights", {"reservation_id": rid, "cabin": r["cabin"], "flights": moved,
                                               "payment_id": _payer(ctx)},
           "basic economy flights cannot be changed",
           realize(rng, ["[It's only|It's just] a date change, though. [Can't you make an exception?|Surely that's "
                         "possible?]", "I didn't know that when I booked. [Is there really nothing you can do?|Can't "
                         "you do it anyway?]"]),
           candidates=ctx.compared(mode))
    ctx.done.add(("change", rid))


def refuse_flown(ctx: Ctx, rid: str, mode: str, desc: dict | None, what: str) -> None:
    rng = ctx.rng
    r = ctx.env.db.get("reservations", rid)
    name, spec = ctx.locate(rid, mode, desc)
    for s in r["flights"]:
        if s["date"] <= TODAY:
            ctx.flight_status(s["flight_number"], s["date"])
    flights = [{"flight_number": s["flight_number"], "date": s["date"]} for s in r["flights"]]
    if what == "bags":
        added = rng.choice((1, 2))
        frame = {"family": "bags", "reservation": spec, "add": added}
        text = f"{{I}}'d like to add {W.count(added, 'checked bag')} to {name}."
        would = ("update_reservation_baggages", {"reservation_id": rid, "total_baggages": r["total_baggages"] + added,
                                                 "nonfree_baggages": r["nonfree_baggages"] + added,
                                                 "payment_id": _payer(ctx)})
    elif what == "cabin":
        new = rng.choice([c for c in CABINS if c != r["cabin"]])
        frame = {"family": "cabin", "reservation": spec, "cabin": new}
        text = f"{{I}}'d like to move {name} to {W.cabin_name(new)}."
        would = ("update_reservation_flights", {"reservation_id": rid, "cabin": new, "flights": flights,
                                                "payment_id": _payer(ctx)})
    else:
        p = r["passengers"][0]
        dob = f"{int(p['dob'][:4]) + rng.choice((-1, 1))}{p['dob'][4:]}"
        frame = {"family": "passengers", "reservation": spec,
                 "change": {"kind": "dob", "first_name": p["first_name"], "last_name": p["last_name"], "dob": dob}}
        text = f"On {name}, {p['first_name']} {p['last_name']}'s date of birth should be {dob}."
        new = [dict(x) for x in r["passengers"]]
        new[0] = dict(new[0], dob=dob)
        would = ("update_reservation_passengers", {"reservation_id": rid, "passengers": new})
    ctx.request(_accept(text), frame=frame, outcome="refuse")
    _close(ctx, *would, "part of the trip has already been flown",
           realize(rng, ["But the rest of the trip hasn't happened yet. [Can't you change just that part?|Surely "
                         "that part can still change?]", "[Really?|Seriously?] It's a small change. [Is there no way "
                         "around it?|Can't you make an exception?]"]), candidates=ctx.compared(mode))
    ctx.done.add((what, rid))


def refuse_add_passenger(ctx: Ctx, rid: str, mode: str, desc: dict | None) -> None:
    rng = ctx.rng
    r = ctx.env.db.get("reservations", rid)
    person = W.new_person(rng)
    name, spec = ctx.locate(rid, mode, desc)
    ctx.request(_accept(f"{{I}}'d like to add {W.person(person)} as a passenger on {name}."),
                frame={"family": "passengers", "reservation": spec, "change": {"kind": "add", "by": person}},
                outcome="refuse")
    new = [dict(p) for p in r["passengers"]] + [person]
    _close(ctx, "update_reservation_passengers", {"reservation_id": rid, "passengers": new},
           "the number of passengers cannot change",
           realize(rng, ["It's just one more seat on the same flights. [Surely that's possible?|Can't you just add "
                         "it?]", "[Can a supervisor add them, then?|Could someone else do it?|Isn't there any "
                         "way?]"]), candidates=ctx.compared(mode))
    ctx.done.add(("passengers", rid))


def refuse_remove_bags(ctx: Ctx, rid: str, mode: str, desc: dict | None) -> None:
    rng = ctx.rng
    r = ctx.env.db.get("reservations", rid)
    name, spec = ctx.locate(rid, mode, desc)
    ctx.request(_accept(f"{{I}} won't need all {{my}} checked bags on {name}; please remove one of them."),
                frame={"family": "remove_bags", "reservation": spec, "remove": 1}, outcome="refuse")
    total = r["total_baggages"] - 1
    _close(ctx, "update_reservation_baggages", {"reservation_id": rid, "total_baggages": total,
                                                "nonfree_baggages": min(r["nonfree_baggages"], total),
                                                "payment_id": _payer(ctx)},
           "checked bags cannot be removed",
           realize(rng, ["But I paid for a bag I won't use. [Can't you take it off?|Could you refund it at least?]",
                         "So I just [lose|keep paying for] that bag? [Is there no way to remove it?|That doesn't seem "
                         "right.]"]), candidates=ctx.compared(mode))
    ctx.done.add(("bags", rid))


def refuse_compensation(ctx: Ctx, rid: str, mode: str, desc: dict | None) -> None:
    rng = ctx.rng
    r = ctx.env.db.get("reservations", rid)
    cancelled = cancelled_segments(ctx.env, r)
    if desc is not None:  # the flight the customer names is the one that describes the reservation
        cancelled = [s for s in cancelled if (s["origin"], s["destination"], s["date"]) ==
                     (desc["origin"], desc["destination"], desc["date"])]
    if not cancelled:
        raise DraftError("the described flight was not cancelled")
    seg = rng.choice(cancelled)
    name, spec = ctx.locate(rid, mode, desc)
    ctx.flight_status(seg["flight_number"], seg["date"], evidence=True)
    flight = {"origin": seg["origin"], "destination": seg["destination"], "date": seg["date"]}
    ctx.request(_accept(f"The airline cancelled {{my}} flight from {W.place(seg['origin'], rng)} to "
                        f"{W.place(seg['destination'], rng)} on {W.day(seg['date'], rng)}. {{I}} want compensation."),
                frame={"family": "compensation", "issue": "cancelled", "reservation": spec, "flight": flight},
                outcome="refuse")
    _close(ctx, "send_certificate", {"user_id": ctx.uid, "amount": 100 * len(r["passengers"])},
           "no compensation without silver or gold status, insurance or business class",
           realize(rng, ["That's not fair, the cancellation wasn't my fault. [Surely you can offer something?|Can't "
                         "you give me anything?]", "So I get nothing at all for a cancelled flight? [Really?|That's "
                         "disappointing.]"]), candidates=ctx.compared(mode))
    ctx.done.add(("certificate", rid))


# -- the records make it impossible --------------------------------------------------------------------
def no_seats_cabin(ctx: Ctx, rid: str, mode: str, desc: dict | None, new: str) -> None:
    rng = ctx.rng
    r = ctx.env.db.get("reservations", rid)
    name, spec = ctx.locate(rid, mode, desc)
    queries = []
    for seg in r["flights"]:
        q = {"origin": seg["origin"], "destination": seg["destination"], "date": seg["date"]}
        if q not in queries:
            queries.append(q)
    for q in queries:  # the teacher reads each segment until one has no seats
        ctx.draft.read("search_direct_flight", q)
        short = [s for s in r["flights"] if (s["origin"], s["destination"], s["date"]) == tuple(q.values())
                 and instance(ctx.env, s["flight_number"], s["date"])["available_seats"][new] < len(r["passengers"])]
        if short:
            break
    ctx.request(_accept(f"{{I}}'d like to move {name} to {W.cabin_name(new)}."),
                frame={"family": "cabin", "reservation": spec, "cabin": new}, outcome="refuse")
    flights = [{"flight_number": s["flight_number"], "date": s["date"]} for s in r["flights"]]
    _close(ctx, "update_reservation_flights", {"reservation_id": rid, "cabin": new, "flights": flights,
                                               "payment_id": _payer(ctx)}, "no seats left in that cabin",
           realize(rng, ["Could you [check again|look once more]? Maybe a seat opened up.",
                         "Not even [one seat|a single seat]? [That's a shame.|Are you sure?]"]),
           "impossible", candidates=ctx.compared(mode))
    ctx.done.add(("cabin", rid))


def _cabin_short(ctx: Ctx, r: dict) -> list[str]:
    """Cabins the reservation could move to if a segment had the seats, but one does not."""
    out = []
    for new in CABINS:
        if new == r["cabin"]:
            continue
        seats = [instance(ctx.env, s["flight_number"], s["date"]) for s in r["flights"]]
        if all(i is not None and i["status"] == "available" for i in seats) and \
                any(i["available_seats"][new] < len(r["passengers"]) for i in seats):
            out.append(new)
    return out


# -- the policy sends it to a human ---------------------------------------------------------------------
def transfer_cancel_flown(ctx: Ctx, rid: str, mode: str, desc: dict | None) -> None:
    rng = ctx.rng
    r = ctx.env.db.get("reservations", rid)
    code = rng.choice(("change_of_plan", "health"))
    name, spec = ctx.locate(rid, mode, desc, evidence=mode != "id")
    verify_status(ctx, r, code)
    ctx.request(f"{{I}} want to cancel {name}; {'{my} plans changed' if code == 'change_of_plan' else '{I} {am} sick'}"
                ". If the agent transfers you to a human agent, that is fine.",
                frame={"family": "cancel", "reservation": spec, "reason": code},
                withhold=("reason",) if rng.random() < 0.6 else (), outcome="transfer")
    seg = next(s for s in r["flights"] if ctx.statuses.get((s["flight_number"], s["date"])) in ("landed", "flying"))
    ctx.draft.transfer(f"The customer ({ctx.uid}) wants to cancel reservation {rid}, but flight "
                       f"{seg['flight_number']} on {seg['date']} has already been flown; the policy sends partly "
                       "flown trips to a human agent.")
    ctx.draft.actions[-1]["compare_args"] = []  # the summary is free text: not compared
    ctx.draft.close_info_request(ctx.compared(mode))
    ctx.done.add(("cancel", rid))


# -- options ---------------------------------------------------------------------------------------------
def _kinds(ctx: Ctx, r: dict) -> tuple[str, ...]:
    return UPCOMING_KINDS if is_upcoming(ctx.env, r) else FLOWN_KINDS


def refusal_options(ctx: Ctx, cap: int) -> list[Option]:
    out: list[Option] = []
    user = ctx.user
    for r in ctx.reservations():
        rid = r["reservation_id"]
        if not is_active(r) or rid in ctx.written or rid in ctx.booked:
            continue
        flown, upcoming = is_flown(ctx.env, r), is_upcoming(ctx.env, r)

        def add(family: str, fn, kinds: tuple[str, ...], weight: float = 1.0, *extra, rid: str = rid) -> None:
            for mode, desc, cost in ctx.targets(rid, family, kinds, 0 if family == "cancel" else 1):
                if cost <= cap and mode != "known":
                    out.append(Option("refuse_" + family, cost, 0, lambda a=(rid, mode, desc) + extra: fn(ctx, *a),
                                      weight))

        if not flown and not cancel_grounds(ctx.env, r):
            add("cancel", refuse_cancel, _kinds(ctx, r), 1.4)
        if upcoming and r["cabin"] == "basic_economy" and r["origin"] != r["destination"]:
            add("change", refuse_change_basic, UPCOMING_KINDS, 1.0)
        if flown:
            for what in ("bags", "cabin", "passengers"):
                add(what, refuse_flown, FLOWN_KINDS, 0.4, what)
        if upcoming and len(r["passengers"]) < 5:
            add("passengers", refuse_add_passenger, UPCOMING_KINDS, 0.5)
        if upcoming and r["total_baggages"] >= 1:
            add("bags", refuse_remove_bags, UPCOMING_KINDS, 0.5)
        if not compensable(user, r) and cancelled_segments(ctx.env, r) and not _eligible_elsewhere(ctx, r):
            add("certificate", refuse_compensation, ("segment",), 1.0)
        if upcoming:
            for new in _cabin_short(ctx, r)[:1]:
                add("cabin", no_seats_cabin, UPCOMING_KINDS, 0.6, new)
    return out


def _eligible_elsewhere(ctx: Ctx, r: dict) -> bool:
    """Whether another reservation would justify the same certificate (the refusal would not hold)."""
    pax = len(r["passengers"])
    return any(compensable(ctx.user, o) and len(o["passengers"]) == pax and cancelled_segments(ctx.env, o)
               for o in ctx.reservations() if o["reservation_id"] != r["reservation_id"])


def transfer_options(ctx: Ctx, cap: int) -> list[Option]:
    out: list[Option] = []
    for r in ctx.reservations():
        rid = r["reservation_id"]
        if not is_active(r) or not is_flown(ctx.env, r) or rid in ctx.written:
            continue
        for mode, desc, cost in ctx.targets(rid, "cancel", FLOWN_KINDS, 0):
            if cost <= cap and mode != "known":
                out.append(Option("transfer", cost, 0, lambda a=(rid, mode, desc): transfer_cancel_flown(ctx, *a)))
    return out


"""Families that act on one existing reservation: cancel, add checked bags, update passengers.

A reservation is pointed at by its id (the agent reads it once: evidence 1 when its content fixes
the arguments, 0 when the read only verifies the policy), by a description over all the user's
reservations (one read per reservation), or as the reservation the agent just wrote (no read).
"""

from __future__ import annotations

from writ.tasks.airline import wording as W
from writ.tasks.airline.common import (
    BAG_FEE,
    TODAY,
    add_check,
    allowance,
    cancel_grounds,
    is_upcoming,
)
from writ.tasks.airline.context import Ctx, Option
from writ.tasks.airline.selectors import find_reservations
from writ.tasks.draft import DraftError

UPCOMING_KINDS = ("route", "to", "date", "route_date", "recent", "most_pax", "cabin", "type")
# ground of the cancellation -> (reason code, how the user says it), see writ.dialogue.lexicon.AIRLINE_REASONS
REASONS = {
    "recent": (("change_of_plan", "{my} plans changed"),
               ("change_of_plan", "{my} plans changed and {I} no longer need the trip")),
    "business": (("change_of_plan", "{my} plans changed"), ("change_of_plan", "{I} no longer need the trip")),
    "airline": (("airline_cancelled", "the airline cancelled one of the flights"),
                ("airline_cancelled", "the airline cancelled {my} flight")),
    "insurance": (("health", "{I} {am} sick and cannot travel (a health reason)"),
                  ("weather", "a severe storm is forecast and {I} cannot travel (a weather reason)")),
}


def verify_status(ctx: Ctx, r: dict, reason: str) -> None:
    """Policy reads, as the teacher makes them: the status of every segment that is not in the
    future (has any been flown?), and for a flight the customer says the airline cancelled, the
    statuses of later segments up to the first cancelled one."""
    found = False
    for seg in r["flights"]:
        if seg["date"] <= TODAY or (reason == "airline_cancelled" and not found):
            found = ctx.flight_status(seg["flight_number"], seg["date"]) == "cancelled" or found


def cancel(ctx: Ctx, rid: str, mode: str, desc: dict | None) -> None:
    rng = ctx.rng
    r = ctx.env.db.get("reservations", rid)
    ground = rng.choice(cancel_grounds(ctx.env, r))
    code, reason = rng.choice(REASONS[ground])
    name, spec = ctx.locate(rid, mode, desc, evidence=False)
    verify_status(ctx, r, code)
    text = rng.choice((f"{{I}} need to cancel {name}; the reason: {reason}.",
                       f"Please cancel {name}. The reason is that {reason}.",
                       f"{{I}}'d like to cancel {name} because {reason}."))
    ctx.request(text, frame={"family": "cancel", "reservation": spec, "reason": code},
                withhold=("reason",) if rng.random() < 0.85 else (),
                summary=f"cancel reservation {rid} (refund to the original payment methods)",
                findings=f"Reservation {rid} qualifies for cancellation ({ground}).", reason=W.both(reason)[0])
    ctx.instruct(W.both(f"If asked why you cancel, say that {reason}.")[1])
    ctx.draft.write("cancel_reservation", {"reservation_id": rid}, candidates=ctx.compared(mode),
                        secret_ids=ctx.rid_secret(rid))
    ctx.mark("cancel", rid)


def cancel_many(ctx: Ctx, desc: dict, rids: list[str]) -> None:
    rng = ctx.rng
    kind = desc["kind"]
    if kind == "to":
        what = f"all {{my}} upcoming trips to {W.place(desc['destination'], rng)}"
    elif kind == "cabin":
        what = f"all {{my}} upcoming {W.cabin_name(desc['cabin'])} reservations"
    elif kind == "route":
        what = f"all {{my}} upcoming trips from {W.place(desc['origin'], rng)} to {W.place(desc['destination'], rng)}"
    else:
        what = f"all {{my}} upcoming {'round trips' if desc['flight_type'] == 'round_trip' else 'one-way trips'}"
    code, reason = rng.choice(REASONS["business"])
    ctx.secret.update(rids)
    for other in list(ctx.user["reservations"]):
        ctx.draft.read("get_reservation_details", {"reservation_id": other})
    add_check(ctx.draft, "reservation set", lambda env: find_reservations(env.db, ctx.uid, desc), rids)
    ctx.unknown("You do not remember your reservation ids.")
    ctx.request(f"{{I}} want to cancel {what} ({len(rids)} of them, {{I}} think); {reason}.",
                frame={"family": "cancel_many", "which": dict(desc), "count": len(rids), "reason": code},
                withhold=("reason",) if rng.random() < 0.7 else (),
                summary="cancel reservations " + ", ".join(rids), reason=W.both(reason)[0],
                findings=f"{len(rids)} upcoming reservations match: {', '.join(rids)}; all may be cancelled.")
    ctx.instruct(W.both(f"If asked why you cancel, say that {reason}.")[1])
    for rid in rids:
        ctx.draft.write("cancel_reservation", {"reservation_id": rid}, candidates=ctx.k, secret_ids=[rid])
        ctx.mark("cancel", rid)


def bags(ctx: Ctx, rid: str, mode: str, desc: dict | None) -> None:
    rng = ctx.rng
    r = ctx.env.db.get("reservations", rid)
    pax = len(r["passengers"])
    added = rng.choice((1, 1, 2, 3))
    total = r["total_baggages"] + added
    free = allowance(ctx.user["membership"], r["cabin"], pax)
    nonfree = max(r["nonfree_baggages"], total - free)
    fee = BAG_FEE * (nonfree - r["nonfree_baggages"])
    payer = ctx.update_payer(fee)
    pay_words, pay_spec = ctx.pay(payer)
    name, spec = ctx.locate(rid, mode, desc)
    text = rng.choice((f"{{I}}'d like to add {added} checked bag{'s' if added > 1 else ''} to {name}.",
                       f"Could you add {added} more checked bag{'s' if added > 1 else ''} to {name}?"))
    text += f" If there is any fee, use {pay_words}."
    frame = {"family": "bags", "reservation": spec, "add": added, "payment": pay_spec}
    ctx.request(text, frame=frame, withhold=("payment",) if rng.random() < 0.6 else (),
                summary=f"reservation {rid}: total bags from {r['total_baggages']} to {total}, paid bags "
                f"from {r['nonfree_baggages']} to {nonfree} (fee ${fee}) charged to {payer['id']}",
                findings=f"{W.count(pax, 'passenger')} in {W.cabin_name(r['cabin'])} with "
                f"{ctx.user['membership']} status get {free} free bags; {total} bags means {nonfree} paid.",
                added_bags=added)
    secrets = [payer["id"]] + ctx.rid_secret(rid)
    ctx.draft.write("update_reservation_baggages", {"reservation_id": rid, "total_baggages": total,
                    "nonfree_baggages": nonfree, "payment_id": payer["id"]}, candidates=ctx.compared(mode),
                    secret_ids=secrets)
    ctx.mark("bags", rid)


def _new_passengers(ctx: Ctx, r: dict) -> tuple[list[dict], str, dict]:
    """(the new passenger list, how the user says the change, the frame's change spec)."""
    rng = ctx.rng
    old = [dict(p) for p in r["passengers"]]
    i = rng.randrange(len(old))
    names = [(p["first_name"], p["last_name"]) for p in old]
    if names.count(names[i]) > 1:
        raise DraftError("two passengers share a name")
    who = f"{old[i]['first_name']} {old[i]['last_name']}"
    me = ctx.user["name"]
    if (old[i]["first_name"], old[i]["last_name"]) == (me["first_name"], me["last_name"]):
        who = f"{who} ({{me}})"
    change: dict = {"first_name": old[i]["first_name"], "last_name": old[i]["last_name"]}
    new = [dict(p) for p in old]
    roll = rng.random()
    saved = [p for p in ctx.user["saved_passengers"] if p not in old
             and (p["first_name"], p["last_name"]) not in names]
    if roll < 0.3:
        new[i]["dob"] = f"{int(old[i]['dob'][:4]) + rng.choice((-1, 1))}{old[i]['dob'][4:]}"
        text = f"{who}'s date of birth is wrong; it should be {new[i]['dob']}"
        change.update(kind="dob", dob=new[i]["dob"])
    elif roll < 0.5:
        new[i]["last_name"] = rng.choice([n for n in W.LAST_NAMES if n != old[i]["last_name"]])
        text = f"{who} has changed last name to {new[i]['last_name']}; please update it"
        change.update(kind="last_name", new_last_name=new[i]["last_name"])
    elif roll < 0.75 and saved:
        pick = rng.choice(saved)
        new[i] = {"first_name": pick["first_name"], "last_name": pick["last_name"], "dob": pick["dob"]}
        text = f"{who} cannot travel; {pick['first_name']} {pick['last_name']} (saved in {{my}} profile) goes instead"
        change.update(kind="replace", by={"who": "saved", "first_name": pick["first_name"],
                                          "last_name": pick["last_name"]})
    else:
        new[i] = W.new_person(rng)
        if (new[i]["first_name"], new[i]["last_name"]) in names:
            raise DraftError("the new passenger has the name of another")
        text = f"{who} cannot travel; {W.person(new[i])} will take that seat"
        change.update(kind="replace", by=dict(new[i]))
    if new == old:
        raise DraftError("the passenger change changes nothing")
    return new, text, change


def passengers(ctx: Ctx, rid: str, mode: str, desc: dict | None, full: bool) -> None:
    rng = ctx.rng
    r = ctx.env.db.get("reservations", rid)
    new, change, spec_change = _new_passengers(ctx, r)
    name, spec = ctx.locate(rid, mode, desc, evidence=not full)
    frame = {"family": "passengers", "reservation": spec, "change": spec_change}
    if full:
        text = f"On {name}, {change}. The passengers should then be exactly: {W.people(new)}."
        frame["final"] = [dict(p) for p in new]
    else:
        text = rng.choice((f"On {name}, {change}.", f"A passenger change for {name}: {change}."))
    ctx.request(text, frame=frame, summary=f"reservation {rid}: passengers become {W.people(new)}",
                findings=f"Reservation {rid} has {W.count(len(new), 'passenger')}; the count stays the same.",
                passengers=new)
    ctx.draft.write("update_reservation_passengers", {"reservation_id": rid, "passengers": new},
                    candidates=ctx.compared(mode),
                    secret_ids=ctx.rid_secret(rid))
    ctx.mark("passengers", rid)


def options(ctx: Ctx, cap: int) -> list[Option]:
    out: list[Option] = []
    for r in ctx.reservations():
        rid = r["reservation_id"]
        grounds = cancel_grounds(ctx.env, r)
        upcoming = is_upcoming(ctx.env, r)
        if grounds and (upcoming or "airline" in grounds) and rid not in ctx.written:
            kinds = UPCOMING_KINDS if upcoming else ("segment", "recent")
            for mode, desc, cost in ctx.targets(rid, "cancel", kinds, 0):
                if cost <= cap:
                    out.append(Option("cancel", cost, 1, lambda a=(rid, mode, desc): cancel(ctx, *a)))
        if not upcoming:
            continue
        for mode, desc, cost in ctx.targets(rid, "bags", UPCOMING_KINDS, 1):
            if cost <= cap:
                out.append(Option("bags", cost, 1, lambda a=(rid, mode, desc): bags(ctx, *a)))
        for mode, desc, cost in ctx.targets(rid, "passengers", UPCOMING_KINDS, 1):
            if mode == "id" and cap >= 0:
                out.append(Option("passengers", 0, 1, lambda a=(rid, mode, desc): passengers(ctx, *a, True), 0.7))
            if cost <= cap:
                out.append(Option("passengers", cost, 1, lambda a=(rid, mode, desc): passengers(ctx, *a, False), 0.7))
    for kind in ("to", "cabin", "route", "type"):
        out.extend(_many(ctx, kind, cap))
    return out


_MANY_KEYS = {"to": ("destination",), "cabin": ("cabin",), "route": ("origin", "destination"), "type": ("flight_type",)}


def _many(ctx: Ctx, kind: str, cap: int) -> list[Option]:
    if ctx.k > cap or ctx.k < 2:
        return []
    ups = [r for r in ctx.reservations() if is_upcoming(ctx.env, r)]
    values = []
    for r in ups:
        value = {"to": (r["destination"],), "cabin": (r["cabin"],), "route": (r["origin"], r["destination"]),
                 "type": (r["flight_type"],)}[kind]
        if value not in values:
            values.append(value)
    out = []
    for value in values:
        desc = {"kind": kind, **dict(zip(_MANY_KEYS[kind], value, strict=True))}
        rids = find_reservations(ctx.env.db, ctx.uid, desc)
        if not 2 <= len(rids) <= 4:
            continue
        if any(("cancel", rid) in ctx.done or rid in ctx.told or rid in ctx.written or rid in ctx.booked
               for rid in rids):
            continue
        rs = [ctx.env.db.get("reservations", rid) for rid in rids]
        if kind in ("to", "route") and any(r["origin"] == r["destination"] for r in rs):
            continue
        if all(any(g in cancel_grounds(ctx.env, r) for g in ("business", "recent")) for r in rs):
            out.append(Option("cancel_many", ctx.k, len(rids), lambda d=desc, ids=rids: cancel_many(ctx, d, ids), 0.8))
    return out

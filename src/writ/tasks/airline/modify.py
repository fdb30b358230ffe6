"""Families that act on one existing reservation: cancel, add checked bags, update passengers.

A reservation is pointed at by its id (the agent reads it once: evidence 1 when its content fixes
the arguments, 0 when the read only verifies the policy), by a description over all the user's
reservations (one read per reservation), or as the reservation the agent just wrote (no read).
"""

from __future__ import annotations

from writ.tasks.airline import wording as W
from writ.tasks.airline.common import (
    BAG_FEE, TODAY, add_check, allowance, cancel_grounds, is_upcoming,
)
from writ.tasks.airline.context import Ctx, Desc, Option, select
from writ.tasks.draft import DraftError

UPCOMING_KINDS = ("route", "to", "date", "route_date", "recent", "most_pax", "cabin", "type")
REASONS = {
    "recent": ("{my} plans changed", "{my} plans changed and {I} no longer need the trip"),
    "business": ("{my} plans changed", "{I} no longer need the trip"),
    "airline": ("the airline cancelled one of the flights", "the airline cancelled {my} flight"),
    "insurance": ("{I} {am} sick and cannot travel (a health reason)",
                  "a severe storm is forecast and {I} cannot travel (a weather reason)"),
}


def _verify_status(ctx: Ctx, r: dict) -> None:
    """Policy reads: the status of segments that are not obviously in the future."""
    for seg in r["flights"]:
        if seg["date"] <= TODAY:
            ctx.draft.read("get_flight_status", {"flight_number": seg["flight_number"], "date": seg["date"]},
                           evidence=False)


def cancel(ctx: Ctx, rid: str, mode: str, desc: Desc | None) -> None:
    rng = ctx.rng
    r = ctx.env.db.get("reservations", rid)
    ground = rng.choice(cancel_grounds(ctx.env, r))
    reason = rng.choice(REASONS[ground])
    name = ctx.locate(rid, mode, desc, evidence=False)
    _verify_status(ctx, r)
    text = rng.choice((f"{{I}} need to cancel {name}; the reason: {reason}.",
                       f"Please cancel {name}. The reason is that {reason}.",
                       f"{{I}}'d like to cancel {name} because {reason}."))
    ctx.request(text, summary=f"cancel reservation {rid} (refund to the original payment methods)",
                findings=f"Reservation {rid} qualifies for cancellation ({ground}).", reason=W.both(reason)[0])
    ctx.instruct(W.both(f"If asked why you cancel, say that {reason}.")[1])
    ctx.draft.write("cancel_reservation", {"reservation_id": rid}, candidates=ctx.compared(mode),
                        secret_ids=ctx.rid_secret(rid))
    ctx.mark("cancel", rid)


def cancel_many(ctx: Ctx, desc: Desc, rids: list[str]) -> None:
    rng = ctx.rng
    p = desc.params
    if desc.kind == "to":
        what = f"all {{my}} upcoming trips to {W.place(p[0], rng)}"
    elif desc.kind == "cabin":
        what = f"all {{my}} upcoming {W.cabin_name(p[0])} reservations"
    elif desc.kind == "route":
        what = f"all {{my}} upcoming trips from {W.place(p[0], rng)} to {W.place(p[1], rng)}"
    else:
        what = f"all {{my}} upcoming {'round trips' if p[0] == 'round_trip' else 'one-way trips'}"
    reason = rng.choice(REASONS["business"])
    ctx.secret.update(rids)
    for other in list(ctx.user["reservations"]):
        ctx.draft.read("get_reservation_details", {"reservation_id": other})
    add_check(ctx.draft, "reservation set", lambda env: select(env, ctx.uid, desc), rids)
    ctx.unknown("You do not remember your reservation ids.")
    ctx.request(f"{{I}} want to cancel {what} ({len(rids)} of them, {{I}} think); {reason}.",
                summary="cancel reservations " + ", ".join(rids), reason=W.both(reason)[0],
                findings=f"{len(rids)} upcoming reservations match: {', '.join(rids)}; all may be cancelled.")
    ctx.instruct(W.both(f"If asked why you cancel, say that {reason}.")[1])
    for rid in rids:
        ctx.draft.write("cancel_reservation", {"reservation_id": rid}, candidates=ctx.k, secret_ids=[rid])
        ctx.mark("cancel", rid)


def bags(ctx: Ctx, rid: str, mode: str, desc: Desc | None) -> None:
    rng = ctx.rng
    r = ctx.env.db.get("reservations", rid)
    pax = len(r["passengers"])
    added = rng.choice((1, 1, 2, 3))
    total = r["total_baggages"] + added
    free = allowance(ctx.user["membership"], r["cabin"], pax)
    nonfree = max(r["nonfree_baggages"], total - free)
    fee = BAG_FEE * (nonfree - r["nonfree_baggages"])
    payer = ctx.update_payer(fee)
    name = ctx.locate(rid, mode, desc)
    text = rng.choice((f"{{I}}'d like to add {added} checked bag{'s' if added > 1 else ''} to {name}.",
                       f"Could you add {added} more checked bag{'s' if added > 1 else ''} to {name}?"))
    text += f" If there is any fee, use {ctx.pay_text(payer)}."
    ctx.request(text, summary=f"reservation {rid}: total bags {r['total_baggages']} -> {total}, paid bags "
                f"{r['nonfree_baggages']} -> {nonfree} (fee ${fee}) charged to {payer['id']}",
                findings=f"{pax} passenger(s) in {W.cabin_name(r['cabin'])} with {ctx.user['membership']} status "
                f"get {free} free bags; {total} bags means {nonfree} paid.", added_bags=added)
    secrets = [payer["id"]] + ctx.rid_secret(rid)
    ctx.draft.write("update_reservation_baggages", {"reservation_id": rid, "total_baggages": total,
                    "nonfree_baggages": nonfree, "payment_id": payer["id"]}, candidates=ctx.compared(mode),
                    secret_ids=secrets)
    ctx.mark("bags", rid)


def _new_passengers(ctx: Ctx, r: dict) -> tuple[list[dict], str]:
    rng = ctx.rng
    old = [dict(p) for p in r["passengers"]]
    i = rng.randrange(len(old))
    who = f"{old[i]['first_name']} {old[i]['last_name']}"
    me = ctx.user["name"]
    if (old[i]["first_name"], old[i]["last_name"]) == (me["first_name"], me["last_name"]):
        who = f"{who} ({{me}})"
    new = [dict(p) for p in old]
    roll = rng.random()
    saved = [p for p in ctx.user["saved_passengers"] if p not in old]
    if roll < 0.3:
        new[i]["dob"] = f"{int(old[i]['dob'][:4]) + rng.choice((-1, 1))}{old[i]['dob'][4:]}"
        text = f"{who}'s date of birth is wrong; it should be {new[i]['dob']}"
    elif roll < 0.5:
        new[i]["last_name"] = rng.choice([n for n in W.LAST_NAMES if n != old[i]["last_name"]])
        text = f"{who} has changed last name to {new[i]['last_name']}; please update it"
    elif roll < 0.75 and saved:
        pick = rng.choice(saved)
        new[i] = {"first_name": pick["first_name"], "last_name": pick["last_name"], "dob": pick["dob"]}
        text = f"{who} cannot travel; {pick['first_name']} {pick['last_name']} (saved in {{my}} profile) goes instead"
    else:
        new[i] = W.new_person(rng)
        text = f"{who} cannot travel; {W.person(new[i])} will take that seat"
    if new == old:
        raise DraftError("the passenger change changes nothing")
    return new, text


def passengers(ctx: Ctx, rid: str, mode: str, desc: Desc | None, full: bool) -> None:
    rng = ctx.rng
    r = ctx.env.db.get("reservations", rid)
    new, change = _new_passengers(ctx, r)
    name = ctx.locate(rid, mode, desc, evidence=not full)
    if full:
        text = f"On {name}, {change}. The passengers should then be exactly: {W.people(new)}."
    else:
        text = rng.choice((f"On {name}, {change}.", f"A passenger change for {name}: {change}."))
    ctx.request(text, summary=f"reservation {rid}: passengers -> {W.people(new)}",
                findings=f"Reservation {rid} has {len(new)} passenger(s); the count stays the same.",
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
        desc = Desc(kind, value)
        rids = select(ctx.env, ctx.uid, desc)
        if not 2 <= len(rids) <= 4:
            continue
        if any(("cancel", rid) in ctx.done or rid in ctx.told or rid in ctx.written for rid in rids):
            continue
        rs = [ctx.env.db.get("reservations", rid) for rid in rids]
        if kind in ("to", "route") and any(r["origin"] == r["destination"] for r in rs):
            continue
        if all(any(g in cancel_grounds(ctx.env, r) for g in ("business", "recent")) for r in rs):
            out.append(Option("cancel_many", ctx.k, len(rids), lambda d=desc, ids=rids: cancel_many(ctx, d, ids), 0.8))
    return out

"""Compensation certificates after complaints, and information requests (`communicate`).

Certificates follow the policy: only when the user asks, only for silver/gold members, insured
or business reservations; $100 per passenger for a cancelled flight (after checking its status);
$50 per passenger for a delayed flight once the reservation was cancelled at the user's request.
Information requests end with `close_info_request`; the values are tau2 communicate_info strings.
"""

from __future__ import annotations

from writ.tasks.airline import wording as W
from writ.tasks.airline.common import (
    TODAY,
    add_check,
    allowance,
    cancel_grounds,
    cancelled_segments,
    compensable,
    is_active,
    is_flown,
    is_upcoming,
    money_text,
    status,
)
from writ.tasks.airline.context import Ctx, Option
from writ.tasks.airline.modify import UPCOMING_KINDS
from writ.tasks.airline.search import Plan, choose, env_reader, run_plan
from writ.tasks.draft import DraftError

ASK = ("{I} think {I} deserve some compensation for this.", "What compensation can you offer {me}?",
       "{I}'d like to be compensated.")


def _flight(seg: dict) -> dict:
    return {"origin": seg["origin"], "destination": seg["destination"], "date": seg["date"]}


def certificate_cancelled(ctx: Ctx, rid: str, mode: str, desc: dict | None, then_cancel: bool) -> None:
    rng = ctx.rng
    r = ctx.env.db.get("reservations", rid)
    cancelled = cancelled_segments(ctx.env, r)
    if desc is not None:
        cancelled = [s for s in cancelled if _flight(s) == {k: desc[k] for k in ("origin", "destination", "date")}]
    seg = rng.choice(cancelled)
    pax = len(r["passengers"])
    name, spec = ctx.locate(rid, mode, desc)
    ctx.flight_status(seg["flight_number"], seg["date"], evidence=True)
    where = f"from {W.place(seg['origin'], rng)} to {W.place(seg['destination'], rng)} on {W.day(seg['date'], rng)}"
    text = (f"The airline cancelled {{my}} flight {where}" + (f" ({name})" if mode == "id" else "")
            + f". {rng.choice(ASK)}")
    ctx.request(text, frame={"family": "compensation", "issue": "cancelled", "reservation": spec,
                             "flight": _flight(seg)},
                summary=f"send a ${100 * pax} certificate to {ctx.uid} ({W.count(pax, 'passenger')} at $100 each)",
                findings=f"Flight {seg['flight_number']} on {seg['date']} was cancelled; reservation {rid} "
                f"has {W.count(pax, 'passenger')} and qualifies for compensation.")
    ctx.instruct("Ask for compensation explicitly; accept a travel certificate.")
    ctx.draft.write("send_certificate", {"user_id": ctx.uid, "amount": 100 * pax}, candidates=ctx.compared(mode))
    ctx.certificates.append(100 * pax)
    ctx.mark("certificate", rid)
    if then_cancel:
        ctx.request("And since the trip is ruined anyway, please cancel the whole reservation.",
                    frame={"family": "cancel", "reservation": {"kind": "same"}, "reason": "airline_cancelled"},
                    summary=f"cancel reservation {rid} (refund to the original payment methods)",
                    findings=f"Reservation {rid} qualifies for cancellation (airline).")
        ctx.draft.write("cancel_reservation", {"reservation_id": rid}, candidates=ctx.compared(mode),
                        secret_ids=ctx.rid_secret(rid))
        ctx.mark("cancel", rid)


def certificate_delayed(ctx: Ctx, rid: str, mode: str, desc: dict | None) -> None:
    rng = ctx.rng
    r = ctx.env.db.get("reservations", rid)
    seg = next(s for s in r["flights"] if status(ctx.env, s["flight_number"], s["date"]) == "delayed")
    pax = len(r["passengers"])
    name, spec = ctx.locate(rid, mode, desc)
    for other in r["flights"]:
        if other["date"] <= TODAY:
            ctx.flight_status(other["flight_number"], other["date"], evidence=other is seg)
    text = (f"{{my}} flight today from {W.place(seg['origin'], rng)} to {W.place(seg['destination'], rng)} is "
            f"delayed" + (f" ({name})" if mode == "id" else "") + ", and {I} no longer want the trip: please "
            "cancel the reservation (the delay changed {my} plans).")
    ctx.request(text, frame={"family": "cancel", "reservation": spec, "reason": "change_of_plan",
                             "delayed": _flight(seg)},
                withhold=("reason",) if rng.random() < 0.5 else (),
                summary=f"cancel reservation {rid} (refund to the original payment methods)",
                findings=f"Flight {seg['flight_number']} today is delayed; reservation {rid} can be cancelled "
                f"({', '.join(cancel_grounds(ctx.env, r))}).")
    ctx.instruct("Ask for compensation explicitly after the cancellation; accept a travel certificate.")
    ctx.draft.write("cancel_reservation", {"reservation_id": rid}, candidates=ctx.compared(mode),
                    secret_ids=ctx.rid_secret(rid))
    ctx.mark("cancel", rid)
    ctx.request(rng.choice(ASK), frame={"family": "compensation", "issue": "delayed", "reservation": {"kind": "same"},
                                        "flight": _flight(seg)},
                summary=f"send a ${50 * pax} certificate ({W.count(pax, 'passenger')} at $50 each)",
                findings=f"Reservation {rid} was cancelled after the delay and qualifies for compensation.")
    ctx.draft.write("send_certificate", {"user_id": ctx.uid, "amount": 50 * pax})
    ctx.certificates.append(50 * pax)


def _lead(ctx: Ctx) -> str:
    if not ctx.draft.requests:
        return ctx.rng.choice(("First, a question: ", "To start with, ", ""))
    return ctx.rng.choice(("Also, ", "One more question: ", "Next, "))


def info_total(ctx: Ctx, rid: str, mode: str, desc: dict | None) -> None:
    ctx.done.add(("info_total", rid))
    r = ctx.env.db.get("reservations", rid)
    name, spec = ctx.locate(rid, mode, desc)
    total = sum(p["amount"] for p in r["payment_history"])
    ctx.request(_lead(ctx) + ctx.rng.choice((f"how much did {{I}} pay in total for {name}?",
                                             f"what was the total {{I}} paid for {name}?")),
                frame={"family": "info_total", "reservation": spec}, outcome="inform",
                summary="", findings=f"The payments on {rid} add up to ${money_text(total)}.")
    ctx.draft.communicate(money_text(total))
    ctx.draft.close_info_request(1)


def info_bags(ctx: Ctx, rid: str, mode: str, desc: dict | None) -> None:
    ctx.done.add(("info_bags", rid))
    r = ctx.env.db.get("reservations", rid)
    name, spec = ctx.locate(rid, mode, desc)
    free = allowance(ctx.user["membership"], r["cabin"], len(r["passengers"]))
    ctx.request(_lead(ctx) + ctx.rng.choice((
        f"how many checked bags can {{I}} bring for free on {name}, all passengers together?",
        f"what is the total free checked-bag allowance on {name}?")),
                frame={"family": "info_bags", "reservation": spec}, outcome="inform",
                summary="", findings=f"{W.count(len(r['passengers']), 'passenger')} in {W.cabin_name(r['cabin'])} "
                f"with {ctx.user['membership']} status get {free} free bags.")
    ctx.draft.communicate(str(free))
    ctx.draft.close_info_request(1)


def info_status(ctx: Ctx, rid: str, mode: str, desc: dict | None) -> None:
    ctx.done.add(("info_status", rid))
    r = ctx.env.db.get("reservations", rid)
    seg = next(s for s in r["flights"] if s["date"] == TODAY)
    name, spec = ctx.locate(rid, mode, desc)
    if (seg["flight_number"], seg["date"]) in ctx.statuses:
        raise DraftError("the status was already read")
    value = ctx.flight_status(seg["flight_number"], seg["date"], evidence=True)
    ctx.request(_lead(ctx) + (f"what is the status of {{my}} flight today, on {name}?" if mode == "id" else
                              f"what is the status of {{my}} flight today from {W.place(seg['origin'], ctx.rng)}?"),
                frame={"family": "info_status", "reservation": spec, "origin": seg["origin"]}, outcome="inform",
                summary="", findings=f"Flight {seg['flight_number']} today is {value}.")
    ctx.draft.communicate(str(value))
    ctx.draft.close_info_request(1)


def info_fare(ctx: Ctx, size: int) -> None:
    rng = ctx.rng
    for _ in range(6):
        o, d = rng.sample(("ATL", "ORD", "DFW", "DEN", "JFK", "LAX", "SFO", "SEA", "MIA", "BOS", "LGA", "PHX"), 2)
        date = f"2024-05-{rng.randint(16, 29):02d}"
        cabin = rng.choice(("basic_economy", "economy", "business"))
        plan = Plan((o,), (d,), (date,), size == 2)
        try:
            best, compared = choose(run_plan(plan, env_reader(ctx.env)), "cheapest", cabin, 1)
        except DraftError:
            continue
        run_plan(plan, lambda n, a: ctx.draft.read(n, a))
        ctx.request(_lead(ctx) + f"what is the cheapest {W.cabin_name(cabin)} fare from "
                    f"{W.place(o, rng)} to {W.place(d, rng)} on {W.day(date, rng)}, "
                    f"{'nonstop or one-stop' if size == 2 else 'nonstop'}? {{I}} just want the price for one person.",
                    frame={"family": "info_fare", "origin": o, "destination": d, "date": date, "cabin": cabin,
                           "stops": "onestop" if size == 2 else "nonstop"}, outcome="inform",
                    summary="", findings=f"The cheapest is ${best.price(cabin)}.")
        add_check(ctx.draft, "fare",
                  lambda env, p=plan, c=cabin: choose(run_plan(p, env_reader(env)), "cheapest", c, 1)[0].price(c),
                  best.price(cabin))
        ctx.draft.communicate(str(best.price(cabin)))
        ctx.draft.close_info_request(compared)
        return
    raise DraftError("no fare question with a clear answer")


def options(ctx: Ctx, cap: int) -> list[Option]:
    out: list[Option] = []
    user = ctx.user
    for r in ctx.reservations():
        rid = r["reservation_id"]
        if not is_active(r):
            continue
        pax = len(r["passengers"])
        if len(ctx.certificates) < 3 and compensable(user, r) and ("certificate", rid) not in ctx.done:
            if cancelled_segments(ctx.env, r) and 100 * pax not in ctx.certificates:
                follow = bool(cancel_grounds(ctx.env, r)) and ("cancel", rid) not in ctx.done
                bad = [(s["origin"], s["destination"], s["date"]) for s in cancelled_segments(ctx.env, r)]
                for mode, desc, cost in ctx.targets(rid, "certificate", ("segment",), 1):
                    if cost + 1 <= cap and (desc is None or (desc["origin"], desc["destination"], desc["date"]) in bad):
                        out.append(Option("certificate", cost + 1, 1,
                                          lambda a=(rid, mode, desc, False): certificate_cancelled(ctx, *a), 1.5))
                        if follow:
                            out.append(Option("certificate", cost + 1, 2,
                                              lambda a=(rid, mode, desc, True): certificate_cancelled(ctx, *a)))
            delayed = any(status(ctx.env, s["flight_number"], s["date"]) == "delayed" for s in r["flights"])
            grounds = [g for g in cancel_grounds(ctx.env, r) if g in ("recent", "business")] or \
                [s for s in cancelled_segments(ctx.env, r) if s["date"] <= TODAY]
            if delayed and grounds and not is_flown(ctx.env, r) and ("cancel", rid) not in ctx.done \
                    and 50 * pax not in ctx.certificates:
                for mode, desc, cost in ctx.targets(rid, "certificate", ("today",), 1):
                    if cost + 1 <= cap:
                        out.append(Option("certificate", cost + 1, 2,
                                          lambda a=(rid, mode, desc): certificate_delayed(ctx, *a), 3.0))
        for mode, desc, cost in ctx.targets(rid, "info_total", UPCOMING_KINDS + ("segment",), 1):
            if 0 < cost <= cap and mode != "known":
                out.append(Option("info", cost, 0, lambda a=(rid, mode, desc): info_total(ctx, *a), 0.3))
        if is_upcoming(ctx.env, r):
            for mode, desc, cost in ctx.targets(rid, "info_bags", UPCOMING_KINDS, 1):
                if 0 < cost <= cap and mode != "known":
                    out.append(Option("info", cost, 0, lambda a=(rid, mode, desc): info_bags(ctx, *a), 0.3))
        if any(s["date"] == TODAY for s in r["flights"]):
            for mode, desc, cost in ctx.targets(rid, "info_status", ("today",), 1):
                if 0 < cost + 1 <= cap and mode != "known":
                    out.append(Option("info", cost + 1, 0, lambda a=(rid, mode, desc): info_status(ctx, *a), 0.5))
    for size in (1, 2):
        if size <= cap:
            out.append(Option("info", size, 0, lambda s=size: info_fare(ctx, s), 0.3))
    return out

"""Families that rewrite a reservation's itinerary: change cabin, change flights.

Both end in `update_reservation_flights`. A cabin change re-prices every segment, so the agent
searches each segment's route and date to quote the difference (one search per distinct segment,
as in tau2's own tasks). A flight change searches the new dates for the part of the trip that
moves (outbound or return), keeps the other part, and must not alter origin, destination or trip
type; basic economy reservations cannot change flights.
"""

from __future__ import annotations

from writ.tasks.airline import wording as W
from writ.tasks.airline.book import CRITERIA_ALL, dates_frame
from writ.tasks.airline.common import add_check, instance, is_upcoming, split_trip
from writ.tasks.airline.context import Ctx, Option
from writ.tasks.airline.modify import UPCOMING_KINDS
from writ.tasks.airline.search import (
    DATE_FREE,
    Plan,
    choose,
    env_reader,
    midnight,
    minutes_text,
    run_plan,
    time_text,
)
from writ.tasks.draft import DraftError

CABINS = ("basic_economy", "economy", "business")
SIZES = {1: [(1, False)], 2: [(2, False), (1, True)], 3: [(3, False)], 4: [(2, True)], 6: [(3, True)]}


def _segment_queries(r: dict) -> list[dict]:
    out = []
    for seg in r["flights"]:
        q = {"origin": seg["origin"], "destination": seg["destination"], "date": seg["date"]}
        if q not in out:
            out.append(q)
    return out


def cabin(ctx: Ctx, rid: str, mode: str, desc: dict | None, new: str) -> None:
    rng = ctx.rng
    r = ctx.env.db.get("reservations", rid)
    pax = len(r["passengers"])
    fares = []
    for seg in r["flights"]:
        inst = instance(ctx.env, seg["flight_number"], seg["date"])
        if inst is None or inst["status"] != "available" or inst["available_seats"][new] < pax:
            raise DraftError("no seats in the new cabin")
        fares.append(inst["prices"][new])
    diff = (sum(fares) - sum(seg["price"] for seg in r["flights"])) * pax
    payer = ctx.update_payer(diff)
    pay_words, pay_spec = ctx.pay(payer)
    name, spec = ctx.locate(rid, mode, desc)
    for q in _segment_queries(r):
        ctx.draft.read("search_direct_flight", q)
    up = CABINS.index(new) > CABINS.index(r["cabin"])
    verb = rng.choice(("upgrade", "move")) if up else rng.choice(("downgrade", "switch"))
    text = f"{{I}}'d like to {verb} {name} to {W.cabin_name(new)}, same flights and passengers."
    text += f" Use {pay_words} for {'the difference' if up else 'any refund or charge'}."
    flights = [{"flight_number": s["flight_number"], "date": s["date"]} for s in r["flights"]]
    frame = {"family": "cabin", "reservation": spec, "cabin": new, "payment": pay_spec}
    ctx.request(text, frame=frame, withhold=("payment",) if rng.random() < 0.65 else (),
                summary=f"reservation {rid}: cabin {W.cabin_name(r['cabin'])} to {W.cabin_name(new)} on the same "
                f"flights; difference ${diff} ({'charged to' if diff >= 0 else 'refunded to'} {payer['id']})",
                findings=f"At today's fares the {W.cabin_name(new)} cabin costs ${sum(fares)} per passenger "
                f"against ${sum(s['price'] for s in r['flights'])} paid.", cabin=W.cabin_name(new))
    secrets = [payer["id"]] + ctx.rid_secret(rid)
    if mode == "describe":
        secrets += [f["flight_number"] for f in flights]
    ctx.draft.write("update_reservation_flights", {"reservation_id": rid, "cabin": new, "flights": flights,
                                                   "payment_id": payer["id"]}, candidates=ctx.compared(mode),
                    secret_ids=secrets)
    ctx.mark("cabin", rid)


def _arrival_date(ctx: Ctx, seg: dict) -> str:
    flight = ctx.env.db.get("flights", seg["flight_number"])
    late = flight["scheduled_arrival_time_est"].endswith("+1")
    return f"2024-05-{int(seg['date'][-2:]) + (1 if late else 0):02d}"


def _window(ctx: Ctx, r: dict, part: str) -> tuple[str, str, list[dict], list[dict], str, str]:
    """(origin, destination, moving segments, kept segments, first allowed date, last allowed date)."""
    out, back = split_trip(r)
    if part == "out":
        last = f"2024-05-{int(back[0]['date'][-2:]) - 1:02d}" if back else "2024-05-30"
        return r["origin"], r["destination"], out, back, "2024-05-16", last
    first = f"2024-05-{int(_arrival_date(ctx, out[-1])[-2:]) + 1:02d}"
    return r["destination"], r["origin"], back, out, first, "2024-05-30"


def change(ctx: Ctx, rid: str, mode: str, desc: dict | None, part: str, size: int) -> None:
    rng = ctx.rng
    r = ctx.env.db.get("reservations", rid)
    pax, cab = len(r["passengers"]), r["cabin"]
    origin, dest, moving, kept, first, last = _window(ctx, r, part)
    if not moving or first > last:
        raise DraftError("no room to move that part of the trip")
    n, stop = rng.choice(SIZES[size])
    current = moving[0]["date"]
    pool = [f"2024-05-{d:02d}" for d in range(int(first[-2:]), int(last[-2:]) + 1)]
    found = None
    for _ in range(6):
        if n == 1 and current in pool and rng.random() < 0.5:
            dates = (current,)
        else:
            near = [d for d in pool if d != current and abs(int(d[-2:]) - int(current[-2:])) <= 4]
            if len(near) < n:
                raise DraftError("no dates to move the trip to")
            start = rng.randrange(len(near) - n + 1)
            dates = tuple(near[start:start + n])
        plan = Plan((origin,), (dest,), dates, stop)
        crit = rng.choice(DATE_FREE if n > 1 else CRITERIA_ALL)
        old_key = tuple((s["flight_number"], s["date"]) for s in moving)
        before = midnight(f"2024-05-{int(last[-2:]) + 1:02d}") if part == "out" and kept else None
        try:
            best, compared = choose(run_plan(plan, env_reader(ctx.env)), crit, cab, pax, before=before)
        except DraftError:
            continue
        if best.key == old_key:
            continue
        found = (plan, crit, best, compared, old_key, before)
        break
    if found is None:
        raise DraftError("no flight change with a clear winner")
    plan, crit, best, compared, old_key, before = found
    kept_infos = [{"flight_number": s["flight_number"], "date": s["date"]} for s in kept]
    flights = best.infos() + kept_infos if part == "out" else kept_infos + best.infos()
    diff = (best.price(cab) + sum(s["price"] for s in kept) - sum(s["price"] for s in r["flights"])) * pax
    payer = ctx.update_payer(diff)
    pay_words, pay_spec = ctx.pay(payer)
    name, spec = ctx.locate(rid, mode, desc)
    run_plan(plan, lambda name_, args: ctx.draft.read(name_, args))
    which = "" if r["flight_type"] == "one_way" else rng.choice(
        (f"the {'outbound' if part == 'out' else 'return'} flight of ",
         f"the {'way out' if part == 'out' else 'way back'} on "))
    when = f"the same day ({W.day(current, rng)})" if plan.dates == (current,) else W.days(plan.dates, rng)
    text = rng.choice((f"{{I}} need to change {which}{name}: {W.criterion(crit, stop, rng)} on {when} instead.",
                       f"Please move {which}{name} to {when}, {W.criterion(crit, stop, rng)}."))
    text += f" Any fare difference goes on {pay_words}."
    frame = {"family": "change", "reservation": spec, "part": part if r["flight_type"] == "round_trip" else None,
             **dates_frame(plan.dates), "criterion": crit, "stops": "onestop" if stop else "nonstop",
             "payment": pay_spec}
    ctx.request(text, frame=frame, withhold=("payment",) if rng.random() < 0.65 else (),
                summary=f"reservation {rid}: new flights " + ", ".join(f"{f['flight_number']} on {f['date']}"
                for f in flights) + f" in {W.cabin_name(cab)}; difference ${diff} via {payer['id']}",
                findings=f"Of {compared} options with seats, the {W.CRITERION_NOUN[crit]} is "
                f"{'+'.join(x.flight_number for x in best.legs)} on {best.legs[0].date} at {time_text(best.departs)} "
                f"({minutes_text(best.duration)}, ${best.price(cab)} per person).")
    ctx.unknown("You do not know flight numbers.")
    add_check(ctx.draft, "new flights", lambda env, p=plan, c=crit: choose(
        run_plan(p, env_reader(env)), c, cab, pax, before=before)[0].key, best.key)
    secrets = [payer["id"]] + [x.flight_number for x in best.legs] + ctx.rid_secret(rid)
    ctx.draft.write("update_reservation_flights", {"reservation_id": rid, "cabin": cab, "flights": flights,
                                                   "payment_id": payer["id"]}, candidates=compared, secret_ids=secrets)
    ctx.secret.update(x.flight_number for x in best.legs)
    ctx.mark("change", rid)


def options(ctx: Ctx, cap: int) -> list[Option]:
    out: list[Option] = []
    for r in ctx.reservations():
        if not is_upcoming(ctx.env, r):
            continue
        rid = r["reservation_id"]
        nq = len(_segment_queries(r))
        for mode, desc, cost in ctx.targets(rid, "cabin", UPCOMING_KINDS, 1):
            for new in CABINS:
                if new != r["cabin"] and cost + nq <= cap:
                    out.append(Option("cabin", cost + nq, 1, lambda a=(rid, mode, desc, new): cabin(ctx, *a), 0.6))
        if r["cabin"] == "basic_economy" or r["origin"] == r["destination"]:
            continue
        parts = ("out",) if r["flight_type"] == "one_way" else ("out", "back")
        for mode, desc, cost in ctx.targets(rid, "change", UPCOMING_KINDS, 1):
            for part in parts:
                for size in SIZES:
                    if cost + size <= cap:
                        out.append(Option("change", cost + size, 1,
                                          lambda a=(rid, mode, desc, part, size): change(ctx, *a), 0.5))
    return out

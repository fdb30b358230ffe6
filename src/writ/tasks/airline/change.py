"""Families that rewrite a reservation's itinerary: change cabin, change flights.

Both end in `update_reservation_flights`. A cabin change re-prices every segment, so the agent
searches each segment's route and date to quote the difference (one search per distinct segment,
as in tau2's own tasks). A flight change searches the new dates for the part of the trip that
moves (outbound or return), keeps the other part, and must not alter origin, destination or trip
type; basic economy reservations cannot change flights.
"""

from __future__ import annotations

from writ.tasks.airline import wording
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


def _segment_queries(reservation: dict) -> list[dict]:
    out = []
    for seg in reservation["flights"]:
        query = {"origin": seg["origin"], "destination": seg["destination"], "date": seg["date"]}
        if query not in out:
            out.append(query)
    return out


def cabin(ctx: Ctx, rid: str, mode: str, desc: dict | None, new: str) -> None:
    rng = ctx.rng
    reservation = ctx.env.db.get("reservations", rid)
    pax = len(reservation["passengers"])
    fares = []
    for seg in reservation["flights"]:
        inst = instance(ctx.env, seg["flight_number"], seg["date"])
        if inst is None or inst["status"] != "available" or inst["available_seats"][new] < pax:
            raise DraftError("no seats in the new cabin")
        fares.append(inst["prices"][new])
    diff = (sum(fares) - sum(seg["price"] for seg in reservation["flights"])) * pax
    payer = ctx.update_payer(diff)
    pay_words, pay_spec = ctx.pay(payer)
    name, spec = ctx.locate(rid, mode, desc)
    for query in _segment_queries(reservation):
        ctx.draft.read("search_direct_flight", query)
    upgrade = CABINS.index(new) > CABINS.index(reservation["cabin"])
    verb = rng.choice(("upgrade", "move")) if upgrade else rng.choice(("downgrade", "switch"))
    text = f"{{I}}'d like to {verb} {name} to {wording.cabin_name(new)}, same flights and passengers."
    text += f" Use {pay_words} for {'the difference' if upgrade else 'any refund or charge'}."
    flights = [{"flight_number": segment["flight_number"], "date": segment["date"]}
               for segment in reservation["flights"]]
    frame = {"family": "cabin", "reservation": spec, "cabin": new, "payment": pay_spec}
    ctx.request(text, frame=frame, withhold=("payment",) if rng.random() < 0.65 else (),
                summary=f"reservation {rid}: cabin {wording.cabin_name(reservation['cabin'])} to "
                f"{wording.cabin_name(new)} on the same flights; difference ${diff} "
                f"({'charged to' if diff >= 0 else 'refunded to'} {payer['id']})",
                findings=f"At today's fares the {wording.cabin_name(new)} cabin costs ${sum(fares)} per passenger "
                f"against ${sum(segment['price'] for segment in reservation['flights'])} paid.",
                cabin=wording.cabin_name(new))
    secrets = [payer["id"]] + ctx.rid_secret(rid)
    if mode == "describe":
        secrets += [flight["flight_number"] for flight in flights]
    ctx.draft.write("update_reservation_flights", {"reservation_id": rid, "cabin": new, "flights": flights,
                                                   "payment_id": payer["id"]}, candidates=ctx.compared(mode),
                    secret_ids=secrets)
    ctx.mark("cabin", rid)


def _arrival_date(ctx: Ctx, seg: dict) -> str:
    flight = ctx.env.db.get("flights", seg["flight_number"])
    late = flight["scheduled_arrival_time_est"].endswith("+1")
    return f"2024-05-{int(seg['date'][-2:]) + (1 if late else 0):02d}"


def _window(ctx: Ctx, reservation: dict, part: str) -> tuple[str, str, list[dict], list[dict], str, str]:
    """(origin, destination, moving segments, kept segments, first allowed date, last allowed date)."""
    out, back = split_trip(reservation)
    if part == "out":
        last = f"2024-05-{int(back[0]['date'][-2:]) - 1:02d}" if back else "2024-05-30"
        return reservation["origin"], reservation["destination"], out, back, "2024-05-16", last
    first = f"2024-05-{int(_arrival_date(ctx, out[-1])[-2:]) + 1:02d}"
    return reservation["destination"], reservation["origin"], back, out, first, "2024-05-30"


def change(ctx: Ctx, rid: str, mode: str, desc: dict | None, part: str, size: int) -> None:
    rng = ctx.rng
    reservation = ctx.env.db.get("reservations", rid)
    pax, current_cabin = len(reservation["passengers"]), reservation["cabin"]
    origin, dest, moving, kept, first, last = _window(ctx, reservation, part)
    if not moving or first > last:
        raise DraftError("no room to move that part of the trip")
    date_count, stop = rng.choice(SIZES[size])
    current = moving[0]["date"]
    pool = [f"2024-05-{date:02d}" for date in range(int(first[-2:]), int(last[-2:]) + 1)]
    found = None
    for _ in range(6):
        if date_count == 1 and current in pool and rng.random() < 0.5:
            dates = (current,)
        else:
            near = [date for date in pool if date != current and abs(int(date[-2:]) - int(current[-2:])) <= 4]
            if len(near) < date_count:
                raise DraftError("no dates to move the trip to")
            start = rng.randrange(len(near) - date_count + 1)
            dates = tuple(near[start:start + date_count])
        plan = Plan((origin,), (dest,), dates, stop)
        crit = rng.choice(DATE_FREE if date_count > 1 else CRITERIA_ALL)
        old_key = tuple((segment["flight_number"], segment["date"]) for segment in moving)
        before = midnight(f"2024-05-{int(last[-2:]) + 1:02d}") if part == "out" and kept else None
        try:
            best, compared = choose(run_plan(plan, env_reader(ctx.env)), crit, current_cabin, pax, before=before)
        except DraftError:
            continue
        if best.key == old_key:
            continue
        found = (plan, crit, best, compared, old_key, before)
        break
    if found is None:
        raise DraftError("no flight change with a clear winner")
    plan, crit, best, compared, old_key, before = found
    kept_infos = [{"flight_number": segment["flight_number"], "date": segment["date"]} for segment in kept]
    flights = best.infos() + kept_infos if part == "out" else kept_infos + best.infos()
    diff = (best.price(current_cabin) + sum(segment["price"] for segment in kept)
            - sum(segment["price"] for segment in reservation["flights"])) * pax
    payer = ctx.update_payer(diff)
    pay_words, pay_spec = ctx.pay(payer)
    name, spec = ctx.locate(rid, mode, desc)
    run_plan(plan, lambda name_, args: ctx.draft.read(name_, args))
    which = "" if reservation["flight_type"] == "one_way" else rng.choice(
        (f"the {'outbound' if part == 'out' else 'return'} flight of ",
         f"the {'way out' if part == 'out' else 'way back'} on "))
    when = f"the same day ({wording.day(current, rng)})" if plan.dates == (current,) else wording.days(plan.dates, rng)
    text = rng.choice((f"{{I}} need to change {which}{name}: {wording.criterion(crit, stop, rng)} on {when} instead.",
                       f"Please move {which}{name} to {when}, {wording.criterion(crit, stop, rng)}."))
    text += f" Any fare difference goes on {pay_words}."
    frame = {"family": "change", "reservation": spec,
             "part": part if reservation["flight_type"] == "round_trip" else None,
             **dates_frame(plan.dates), "criterion": crit, "stops": "onestop" if stop else "nonstop",
             "payment": pay_spec}
    ctx.request(text, frame=frame, withhold=("payment",) if rng.random() < 0.65 else (),
                summary=f"reservation {rid}: new flights "
                + ", ".join(f"{flight['flight_number']} on {flight['date']}" for flight in flights)
                + f" in {wording.cabin_name(current_cabin)}; difference ${diff} via {payer['id']}",
                findings=f"Of {compared} options with seats, the {wording.CRITERION_NOUN[crit]} is "
                f"{'+'.join(leg.flight_number for leg in best.legs)} on {best.legs[0].date} at "
                f"{time_text(best.departs)} ({minutes_text(best.duration)}, ${best.price(current_cabin)} per person).")
    ctx.unknown("You do not know flight numbers.")
    add_check(ctx.draft, "new flights", lambda env, bound_plan=plan, bound_criterion=crit: choose(
        run_plan(bound_plan, env_reader(env)), bound_criterion, current_cabin, pax, before=before)[0].key, best.key)
    secrets = [payer["id"]] + [leg.flight_number for leg in best.legs] + ctx.rid_secret(rid)
    ctx.draft.write("update_reservation_flights", {"reservation_id": rid, "cabin": current_cabin, "flights": flights,
                                                   "payment_id": payer["id"]}, candidates=compared, secret_ids=secrets)
    ctx.secret.update(leg.flight_number for leg in best.legs)
    ctx.mark("change", rid)


def options(ctx: Ctx, cap: int) -> list[Option]:
    out: list[Option] = []
    for reservation in ctx.reservations():
        if not is_upcoming(ctx.env, reservation):
            continue
        rid = reservation["reservation_id"]
        searches = len(_segment_queries(reservation))
        for mode, desc, cost in ctx.targets(rid, "cabin", UPCOMING_KINDS, 1):
            for new in CABINS:
                if new != reservation["cabin"] and cost + searches <= cap:
                    out.append(Option("cabin", cost + searches, 1,
                                      lambda bound=(rid, mode, desc, new): cabin(ctx, *bound), 0.6))
        if reservation["cabin"] == "basic_economy" or reservation["origin"] == reservation["destination"]:
            continue
        parts = ("out",) if reservation["flight_type"] == "one_way" else ("out", "back")
        for mode, desc, cost in ctx.targets(rid, "change", UPCOMING_KINDS, 1):
            for part in parts:
                for size in SIZES:
                    if cost + size <= cap:
                        out.append(Option("change", cost + size, 1,
                                          lambda bound=(rid, mode, desc, part, size): change(ctx, *bound), 0.5))
    return out

"""Booking family: find the one itinerary a description names (over several searches) and book it.

The evidence burden of a booking is the number of searches a competent agent needs: origins x
destinations x dates x (nonstop[, one-stop]) for the outbound trip, plus the return searches of a
round trip. Sizes 1-4, 6, 8, 9 and 12 come from one-way shapes; the others from round trips.
"""

from __future__ import annotations

from itertools import pairwise

from writ.tasks.airline import wording as W
from writ.tasks.airline.common import BAG_FEE, INSURANCE_FEE, add_check, allowance, money
from writ.tasks.airline.context import Ctx, Option
from writ.tasks.airline.search import (
    DATE_FREE,
    Plan,
    choose,
    date_of,
    env_reader,
    minutes_text,
    run_plan,
    time_text,
)
from writ.tasks.draft import DraftError

BOOK_DATES = [f"2024-05-{d:02d}" for d in range(16, 31)]
ALL_AIRPORTS = ("ATL", "BOS", "CLT", "DEN", "DFW", "DTW", "EWR", "IAH", "JFK", "LAS", "LAX", "LGA", "MCO",
                "MIA", "MSP", "ORD", "PHL", "PHX", "SEA", "SFO")
CRITERIA_ALL = ("cheapest", "fastest", "earliest", "latest", "arrive_earliest")


def shapes(size: int) -> list[tuple[int, int, int, bool]]:
    out = []
    for o in (1, 2, 3):
        for d in (1, 2, 3):
            for n in (1, 2, 3):
                for stop in (False, True):
                    if o * d <= 3 and o * d * n * (2 if stop else 1) == size:
                        out.append((o, d, n, stop))
    return out


def splits(size: int) -> list[tuple[int, int]]:
    return [(a, size - a) for a in range(1, size) if shapes(a) and [s for s in shapes(size - a) if s[0] == s[1] == 1]]


def _group(rng, n: int, exclude: tuple[str, ...]) -> tuple[str, ...]:
    regions = [g for g, _ in W.REGIONS if len(g) == n and not set(g) & set(exclude)]
    if n > 1 and regions and rng.random() < 0.9:
        return rng.choice(regions)
    pool = [a for a in ALL_AIRPORTS if a not in exclude]
    return tuple(rng.sample(pool, n))


def _dates(rng, n: int, first: str | None = None, last: str = "2024-05-28") -> tuple[str, ...]:
    pool = [d for d in BOOK_DATES if (first is None or d >= first) and d <= last]
    if len(pool) < n:
        raise DraftError("no dates left for the trip")
    start = rng.randrange(len(pool) - n + 1)
    step = 1 if rng.random() < 0.7 or len(pool) < 2 * n else 2
    picked = pool[start::step][:n]
    return tuple(picked) if len(picked) == n else tuple(pool[start:start + n])


def _next_day(date: str) -> str:
    return f"2024-05-{int(date[-2:]) + 1:02d}"


def find_trip(ctx: Ctx, shape, cabin: str, pax: int, origins=None, destinations=None, first_date=None,
              last_date="2024-05-28", tries: int = 8):
    """A concrete plan of `shape` whose description picks one itinerary (probed, not recorded)."""
    rng, env = ctx.rng, ctx.env
    o, d, n, stop = shape
    for _ in range(tries):
        orig = origins or _group(rng, o, ())
        dest = destinations or _group(rng, d, orig)
        plan = Plan(orig, dest, _dates(rng, n, first_date, last_date), stop)
        crit = rng.choice(DATE_FREE if n > 1 else CRITERIA_ALL)
        try:
            best, compared = choose(run_plan(plan, env_reader(env)), crit, cabin, pax)
        except DraftError:
            continue
        return plan, crit, best, compared
    raise DraftError("no itinerary search with a clear winner")


def _passengers(ctx: Ctx) -> tuple[list[dict], str, list[dict]]:
    """(passenger records, how the user lists them, the frame's passenger specs)."""
    rng, user = ctx.rng, ctx.user
    me = {"first_name": user["name"]["first_name"], "last_name": user["name"]["last_name"], "dob": user["dob"]}
    saved = list(user["saved_passengers"])
    roll = rng.random()
    if roll < 0.35 or not saved and roll < 0.5:
        return [me], rng.choice(("just {me}", "only {me}, travelling alone", "one passenger: {me}")), [{"who": "me"}]
    if roll < 0.7 and saved:
        extra = rng.sample(saved, rng.randint(1, min(2, len(saved))))
        if any((p["first_name"], p["last_name"]) == (me["first_name"], me["last_name"]) for p in extra):
            raise DraftError("a saved passenger has the user's own name")
        names = " and ".join(f"{p['first_name']} {p['last_name']}" for p in extra)
        specs = [{"who": "me"}] + [{"who": "saved", "first_name": p["first_name"], "last_name": p["last_name"]}
                                   for p in extra]
        return [me] + extra, f"{{me}} and {names} (saved in {{my}} profile)", specs
    others = [W.new_person(rng, user["name"]["last_name"] if rng.random() < 0.4 else None)
              for _ in range(rng.randint(1, 2))]
    specs = [dict(p) for p in others]
    if rng.random() < 0.3:
        return others, f"not {{me}}: the traveller{'s are' if len(others) > 1 else ' is'} {W.people(others)}", specs
    return [me] + others, f"{{me}} and {W.people(others)}", [{"who": "me"}] + specs


def pay_plan(ctx: Ctx, total: int) -> tuple[list[dict], str, list[dict]]:
    """Payments (certificate or gift card first, then a credit card), how the user asks for them,
    and the frame's specs: one method pays everything, or the first pays its whole balance and the
    credit card the rest."""
    rng = ctx.rng
    cards, gifts, certs = ctx.methods("credit_card"), ctx.methods("gift_card"), ctx.methods("certificate")
    plans = []
    for c in cards:
        plans.append(([(c, total)], "put it on {0}"))
    for g in gifts:
        if g["amount"] >= total:
            plans.append(([(g, total)], "pay it all with {0}"))
        elif cards and g["amount"] > 0 and ctx.balances.get(g["id"]) == g["amount"]:
            c = rng.choice(cards)
            plans.append(([(g, g["amount"]), (c, total - g["amount"])],
                          "use up the balance of {0} and charge the rest to {1}"))
    for e in certs:
        if e["amount"] >= total:
            plans.append(([(e, total)], "pay with {0} ({{I}} accept that the leftover is lost)"))
        elif cards:
            c = rng.choice(cards)
            plans.append(([(e, e["amount"]), (c, total - e["amount"])], "use {0} and charge the rest to {1}"))
    if not plans:
        raise DraftError("the user cannot pay for a booking")
    chosen, template = rng.choice(plans)
    payments = [{"payment_id": m["id"], "amount": money(a)} for m, a in chosen]
    if sum(p["amount"] for p in payments) != total:
        raise DraftError("payment split does not add up exactly")
    named = [ctx.pay(m) for m, _ in chosen]
    return payments, template.format(*(text for text, _ in named)), [spec for _, spec in named]


def dates_frame(dates: tuple[str, ...]) -> dict:
    """A run of three or more consecutive days is stated as a range; other dates one by one."""
    days = [int(d[-2:]) for d in dates]
    if len(dates) >= 3 and all(b - a == 1 for a, b in pairwise(days)):
        return {"date_range": {"first": dates[0], "last": dates[-1]}}
    return {"dates": list(dates)}


def _withheld(rng, shares: dict[str, float]) -> tuple[str, ...]:
    return tuple(slot for slot, share in shares.items() if rng.random() < share)


def book(ctx: Ctx, size: int) -> None:
    rng = ctx.rng
    round_trip = False
    one_way = shapes(size)
    two_way = splits(size)
    if two_way and (not one_way or rng.random() < 0.35):
        round_trip = True
        out_size, back_size = rng.choice(two_way)
    else:
        out_size, back_size = size, 0
    if not shapes(out_size):
        raise DraftError("no search shape of this size")
    cabin = rng.choice(("basic_economy", "economy", "economy", "business"))
    passengers, who, pax_specs = _passengers(ctx)
    pax = len(passengers)
    shape = rng.choice(shapes(out_size))
    last = "2024-05-26" if round_trip else "2024-05-28"
    plan, crit, best, compared = find_trip(ctx, shape, cabin, pax, last_date=last)
    legs = [best]
    back = None
    if round_trip:
        home_date = date_of(best.arrives)
        back_shape = rng.choice([s for s in shapes(back_size) if s[0] == s[1] == 1])
        back = find_trip(ctx, back_shape, cabin, pax, (best.destination,), (best.origin,),
                         first_date=_next_day(home_date), last_date="2024-05-30")
        legs.append(back[2])
    flights = [info for it in legs for info in it.infos()]
    bags = rng.choice((0, 0, 1, 2, pax, pax + 1))
    free = allowance(ctx.user["membership"], cabin, pax)
    nonfree = max(0, bags - free)
    insurance = rng.choice(("yes", "no"))
    total = sum(it.price(cabin) for it in legs) * pax + (INSURANCE_FEE * pax if insurance == "yes" else 0) \
        + BAG_FEE * nonfree
    payments, pay_words, pay_specs = pay_plan(ctx, total)
    if any(a["name"] == "book_reservation" and a["arguments"]["flights"] == flights
           and a["arguments"]["passengers"] == passengers for a in ctx.draft.actions):
        raise DraftError("the same booking again")
    named = "city" if rng.random() < 0.35 and not {"JFK", "LGA", "EWR"} & set(plan.origins + plan.destinations) \
        else "code"
    # the recorded reads, in the order an agent runs them
    if named == "city" and not ctx.airports_read:
        ctx.draft.read("list_all_airports", {}, evidence=False)
        ctx.airports_read = True
    run_plan(plan, lambda name, args: ctx.draft.read(name, args))
    if back:
        run_plan(back[0], lambda name, args: ctx.draft.read(name, args))
    args = {"user_id": ctx.uid, "origin": best.origin, "destination": best.destination,
            "flight_type": "round_trip" if round_trip else "one_way", "cabin": cabin, "flights": flights,
            "passengers": passengers, "payment_methods": payments, "total_baggages": bags,
            "nonfree_baggages": nonfree, "insurance": insurance}

    trip = "round trip" if round_trip else rng.choice(("one-way trip", "one-way flight"))
    text = (f"{{I}} want to book a {trip} in {W.cabin_name(cabin)} from {W.places(plan.origins, rng)} to "
            f"{W.places(plan.destinations, rng)} on {W.days(plan.dates, rng)}: {W.criterion(crit, plan.onestop, rng)}.")
    if back:
        text += (f" Coming back on {W.days(back[0].dates, rng)} to the same airport, "
                 f"{W.criterion(back[1], back[0].onestop, rng)}.")
    text += f" Passengers: {who}. "
    if bags == 0:
        text += rng.choice(("No checked bags", "{I} won't check any bags")) + ", "
    else:
        text += rng.choice((f"{{I}}'ll check {bags} bag{'s' if bags != 1 else ''} in total",
                            f"{bags} checked bag{'s' if bags != 1 else ''} altogether")) + ", "
    text += ("with" if insurance == "yes" else "without") + " travel insurance. "
    text += f"For payment, {pay_words}."
    summary = (f"book a {trip} from {args['origin']} to {args['destination']} in {W.cabin_name(cabin)}: "
               + ", ".join(f"{f['flight_number']} on {f['date']}" for f in flights)
               + f"; passengers {', '.join(p['first_name'] + ' ' + p['last_name'] for p in passengers)}; "
               f"{bags} checked bags ({nonfree} paid); {'with' if insurance == 'yes' else 'no'} insurance; total "
               f"${total} paid with " + ", ".join(f"{p['payment_id']} ${p['amount']}" for p in payments))
    findings = (f"Of the {compared} matching itineraries with seats, the {W.CRITERION_NOUN[crit]} is "
                f"{_itin_text(best, cabin)}.")
    if back:
        findings += (f" Coming back ({back[3]} options), the {W.CRITERION_NOUN[back[1]]} is "
                     f"{_itin_text(back[2], cabin)}.")
    frame = {"family": "book", "trip": args["flight_type"], "origins": list(plan.origins),
             "destinations": list(plan.destinations), **dates_frame(plan.dates), "criterion": crit,
             "stops": "onestop" if plan.onestop else "nonstop", "cabin": cabin, "passengers": pax_specs,
             "bags": bags, "insurance": insurance, "payment": pay_specs, "named": named}
    if back:
        frame["back"] = {**dates_frame(back[0].dates), "criterion": back[1],
                         "stops": "onestop" if back[0].onestop else "nonstop"}
    withhold = _withheld(rng, {"cabin": 0.2, "passengers": 0.35, "bags": 0.5, "insurance": 0.8, "payment": 0.7})
    ctx.request(text, frame=frame, withhold=withhold, summary=summary, findings=findings, cabin=W.cabin_name(cabin),
                passengers=passengers, total_baggages=bags, insurance=insurance, trip_type=trip)
    ctx.instruct(f"You {'want' if insurance == 'yes' else 'do not want'} travel insurance on the new booking; "
                 f"you have {bags} checked bag{'s' if bags != 1 else ''} in total.")
    ctx.unknown("You do not know flight numbers.")
    for it_plan, it_crit, it_best in ((plan, crit, best),) + (((back[0], back[1], back[2]),) if back else ()):
        add_check(ctx.draft, "itinerary",
                  lambda env, p=it_plan, c=it_crit: choose(run_plan(p, env_reader(env)), c, cabin, pax)[0].key,
                  it_best.key)
    result = ctx.draft.write("book_reservation", args, candidates=compared + (back[3] if back else 0),
                             secret_ids=[f["flight_number"] for f in flights] + [p["payment_id"] for p in payments])
    rid = result["reservation_id"]
    ctx.booked.append(rid)
    ctx.mark("book", rid)
    ctx.secret.update(f["flight_number"] for f in flights)


def _itin_text(it, cabin: str) -> str:
    return (f"{'+'.join(leg.flight_number for leg in it.legs)} from {it.origin} on {it.legs[0].date} departing "
            f"{time_text(it.departs)} ({minutes_text(it.duration)}, ${it.price(cabin)} per person)")


def options(ctx: Ctx, cap: int) -> list[Option]:
    if len(ctx.booked) >= 3 or not ctx.methods("credit_card", "gift_card"):
        return []
    return [Option("book", size, 1, lambda size=size: book(ctx, size), weight=1.0 / (1 + len(ctx.booked)))
            for size in range(1, min(cap, 12) + 1) if shapes(size) or splits(size)]

"""The airline request families that search for flights: book, change flights, change cabin, fares.

A search request names airports, dates, a criterion (cheapest, fastest, earliest, ...) and whether
one-stop itineraries count. The teacher runs the same searches the task generator proved
necessary (`writ.tasks.airline.search.Plan`, over `Knowledge`, one read per route and date), picks
the winner with the generator's own rule, and before proposing the write tells the customer what
it compared: how many itineraries, and the best few with the value that decides. Totals and
differences are computed with `calculate` and stated.
"""

from __future__ import annotations

import re
from datetime import date as Date
from datetime import timedelta
from typing import Any

from writ.agents.scripted import airline_words as A
from writ.agents.scripted.airline_common import (
    CITIES,
    ask,
    family,
    method,
    refuse,
    reservation,
    rng_for,
    update_method,
)
from writ.agents.scripted.airline_families import _flown_refusal, _inactive, _person
from writ.agents.scripted.knowledge import Knowledge, Request
from writ.agents.scripted.steps import Inform, Propose, Refuse, Said, Step
from writ.core import ToolCall
from writ.dialogue.grammar import join_words, realize
from writ.tasks.airline.common import BAG_FEE, FREE_BAGS, INSURANCE_FEE, split_trip
from writ.tasks.airline.search import (
    CRITERIA,
    Itinerary,
    Plan,
    choose,
    midnight,
    run_plan,
)
from writ.tasks.draft import DraftError

__all__ = ["book", "cabin", "change", "info_fare", "search_key"]

CABINS = ["basic_economy", "economy", "business"]
SEARCHES = {"search_direct_flight": "direct", "search_onestop_flight": "onestop"}
VALUE = {"cheapest": "price", "fastest": "duration", "earliest": "", "latest": "", "arrive_earliest": "arrives"}
NOUN = {"cheapest": "cheapest", "fastest": "fastest", "earliest": "earliest departure", "latest": "latest departure",
        "arrive_earliest": "earliest arrival"}


def search_key(args: dict[str, Any]) -> str:
    return f"{args['origin']}/{args['destination']}/{args['date']}"


def _reader(k: Knowledge):
    return lambda name, args: k.get(SEARCHES[name], search_key(args))


def dates_of(spec: dict[str, Any]) -> tuple[str, ...]:
    """The dates a request names: a list, or a range (first to last, every day)."""
    if spec.get("date_range"):
        first = Date.fromisoformat(spec["date_range"]["first"])
        last = Date.fromisoformat(spec["date_range"]["last"])
        return tuple((first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1))
    return tuple(spec.get("dates") or ())


def _compare(request: Request, what: str, plan: Plan, found: list[Itinerary], best: Itinerary, criterion: str,
             cabin: str, pax: int, before: int | None = None) -> str:
    """What was compared and why `best` wins: the count, and the best few with the deciding value."""
    key = CRITERIA[criterion][0]
    pool = [it for it in found if before is None or it.arrives <= before]
    fits = sorted((it for it in pool if it.fits(cabin, pax)), key=lambda it: (key(it, cabin), it.key))
    full = [it for it in pool if not it.fits(cabin, pax)]
    shown = [A.itinerary(it, cabin, VALUE[criterion]) for it in fits[:3]]
    rng = rng_for(request, f"compare/{what}")
    searches = A.count(plan.size, "search", "searches")
    seats = f"{A.count(pax, 'seat')} in {A.cabin_words(cabin)}"
    window = " that land before your return day" if before is not None else ""
    if len(fits) == 1:
        other = sorted(full, key=lambda it: (key(it, cabin), it.key))[0]
        return realize(rng, ["I ran {searches} and found {n} itineraries{window}, but only one has {seats}: {best}. "
                             "The other option, {other}, doesn't have enough seats.",
                             "[Of|Among] the {n} itineraries{window} from {searches}, only {best} still has {seats}; "
                             "{other} [is too full|has too few seats left]."],
                       searches=searches, n=len(pool), window=window, seats=seats, best=shown[0],
                       other=A.itinerary(other, cabin, VALUE[criterion]))
    rest = len(fits) - len(shown)
    more = f", and {A.count(rest, 'other')}" if rest else ""
    across = ("[Across|Over] {searches}, {n} itineraries{window} have {seats}; the best by {by} are "
              "{listing}{more}. The {noun} is {winner}." if plan.size > 1 else
              "[In|From] a single search, {n} itineraries{window} have {seats}; by {by}: {listing}{more}. The {noun} "
              "is {winner}.")
    return realize(rng, [
        "I ran {searches} and found {n} itineraries{window} with {seats}. [Ranked|Sorted] by {by}: {listing}{more}. "
        "So the {noun} is {winner}.",
        across,
        "[I ran|I did] {searches} [for you|]: {n} itineraries{window} have {seats}. [Here are the top "
        "ones|The leading options], by {by}: {listing}{more}. [So|That means] {winner} is the {noun}.",
        "[Comparing|Putting side by side] the {n} itineraries{window} with {seats} from {searches}, by {by}: "
        "{listing}{more}. {winner} [comes out as|is] the {noun}.",
    ], searches=searches, n=len(fits), window=window, seats=seats, by=_by(criterion), listing="; ".join(shown),
        more=more, noun=NOUN[criterion], winner=" connecting to ".join(leg.flight_number for leg in best.legs))


def _by(criterion: str) -> str:
    return {"cheapest": "price", "fastest": "total travel time", "earliest": "departure time",
            "latest": "departure time, latest first", "arrive_earliest": "arrival time"}[criterion]


def _pick(request: Request, k: Knowledge, plan: Plan, criterion: str, cabin: str, pax: int,
          before: int | None = None) -> tuple[list[Itinerary], Itinerary] | Refuse:
    found = run_plan(plan, _reader(k))
    pool = [it for it in found if before is None or it.arrives <= before]
    seats = f"{A.count(pax, 'seat')} in {A.cabin_words(cabin)}"
    if not pool:
        return refuse(request, "no-flights", [
            "I'm sorry, I searched {searches} and there are no flights that can still be booked for that trip."],
            "there are no flights for that trip", "impossible", searches=A.count(plan.size, "search", "searches"))
    if not any(it.fits(cabin, pax) for it in pool):
        return refuse(request, "no-seats", [
            "I'm sorry, I found {n} but none has {seats} left, so I can't book that."],
            "no itinerary has seats left", "impossible", n=A.count(len(pool), "itinerary", "itineraries"),
            seats=seats)
    try:
        best, _ = choose(found, criterion, cabin, pax, before=before)
    except DraftError:
        return refuse(request, "no-winner", [
            "I'm sorry, I couldn't find an itinerary that clearly fits: the best options are too close to tell "
            "apart."], "no itinerary fits", "impossible")
    return found, best


def _calc_amount(k: Knowledge, terms: list[str]) -> float:
    expression = " + ".join(terms)
    if len(terms) == 1 and all(ch.isdigit() or ch == "." for ch in expression):
        return float(expression)
    return k.calc(expression)


# -- booking ---------------------------------------------------------------------------------------
@family
def book(request: Request, k: Knowledge, said: Said) -> Step:
    frame = request.frame
    if frame.get("named") == "city":
        k.get("airports")  # which airport codes the cities the customer named have
    cabin_ = ask(request, k, said, "cabin", CABINS)
    people = [_person(k, p) for p in ask(request, k, said, "passengers")]
    if any(p is None for p in people):
        return refuse(request, "unsaved", ["I'm sorry, I can't find that traveller among the passengers saved in "
                                           "your profile."], "the traveller is not saved", "impossible")
    pax = len(people)
    if pax > 5:
        return refuse(request, "five", ["I'm sorry, one reservation can hold at most five passengers."],
                      "a reservation holds at most five passengers")
    plan = Plan(tuple(frame["origins"]), tuple(frame["destinations"]), dates_of(frame), frame["stops"] == "onestop")
    picked = _pick(request, k, plan, frame["criterion"], cabin_, pax)
    if isinstance(picked, Refuse):
        return picked
    found, best = picked
    said.add(_compare(request, "out", plan, found, best, frame["criterion"], cabin_, pax), f"compare/{request.seed}")
    legs = [best]
    back = frame.get("back")
    if frame["trip"] == "round_trip" and back:
        back_plan = Plan((best.destination,), (best.origin,), dates_of(back), back["stops"] == "onestop")
        picked = _pick(request, k, back_plan, back["criterion"], cabin_, pax)
        if isinstance(picked, Refuse):
            return picked
        found_back, best_back = picked
        back_text = _compare(request, "back", back_plan, found_back, best_back, back["criterion"], cabin_, pax)
        head = back_text if re.match(r"I\b|I'", back_text) else back_text[:1].lower() + back_text[1:]
        said.add("For the return, " + head, f"compare-back/{request.seed}")
        legs.append(best_back)
    user = k.get("users", k.user_id)
    bags = ask(request, k, said, "bags")
    free = FREE_BAGS[user["membership"]][cabin_] * pax
    nonfree = max(0, bags - free)
    insurance = ask(request, k, said, "insurance", ["yes", "no"])
    prices = [str(leg.fare(cabin_)) for it in legs for leg in it.legs]
    each = " + ".join(prices)
    terms = [f"({each}) * {pax}" if len(prices) > 1 and pax > 1 else f"{each} * {pax}" if pax > 1 else each]
    if insurance == "yes":
        terms.append(f"{INSURANCE_FEE} * {pax}" if pax > 1 else f"{INSURANCE_FEE}")
    if nonfree:
        terms.append(f"{BAG_FEE} * {nonfree}" if nonfree > 1 else f"{BAG_FEE}")
    total = _calc_amount(k, terms)
    payments = _payments(request, k, total, said)
    if isinstance(payments, Refuse):
        return payments
    flights = [leg.info() for it in legs for leg in it.legs]
    args = {"user_id": k.user_id, "origin": best.origin, "destination": best.destination,
            "flight_type": frame["trip"], "cabin": cabin_, "flights": flights, "passengers": people,
            "payment_methods": [{"payment_id": mid, "amount": amount} for mid, amount, _ in payments],
            "total_baggages": bags, "nonfree_baggages": nonfree, "insurance": insurance}
    shown = dict(args, payment_methods=[{"amount": amount} for _, amount, _ in payments])
    summary = _book_summary(request, args, legs, cabin_, pax, total, payments, insurance)
    return Propose(ToolCall("book_reservation", args), summary, said.text, said.keys, shown=shown)


def _payments(request: Request, k: Knowledge, total: float, said: Said) -> list[tuple[str, Any, dict]] | Refuse:
    specs = ask(request, k, said, "payment")
    chosen = [method(request, k, spec) for spec in specs]
    sources = [m.get("source") for _, m in chosen]
    if sources.count("certificate") > 1 or sources.count("credit_card") > 1 or sources.count("gift_card") > 3:
        return refuse(request, "pay-mix", ["I'm sorry, one reservation can use at most one travel certificate, one "
                                           "credit card and three gift cards."], "the payment mix is not allowed")
    if len(chosen) == 1:
        mid, m = chosen[0]
        if m.get("source") in ("gift_card", "certificate") and m.get("amount", 0) < total:
            return refuse(request, "pay-short", ["I'm sorry, {what} doesn't cover the total of {total}."],
                          "the balance is too low", "impossible", what=A.method_label(m), total=A.money(total))
        return [(mid, _num(total), m)]
    (first, m1), (second, m2) = chosen[0], chosen[1]
    balance = m1.get("amount", 0)
    rest = k.calc(f"{_num(total)} - {_num(balance)}")
    return [(first, _num(balance), m1), (second, _num(rest), m2)]


def _num(x: float) -> int | float:
    x = round(float(x), 2)
    return int(x) if x.is_integer() else x


def _book_summary(request: Request, args: dict, legs: list[Itinerary], cabin_: str, pax: int, total: float,
                  payments: list, insurance: str) -> str:
    rng = rng_for(request, "book")
    flights = join_words([f"{leg.flight_number} on {A.day(leg.date)}" for it in legs for leg in it.legs])
    bags, nonfree = args["total_baggages"], args["nonfree_baggages"]
    bag_text = "no checked bags" if not bags else \
        f"{A.count(bags, 'checked bag')}, " + ("all free" if not nonfree else f"{nonfree} of them paid")
    cover = "with travel insurance" if insurance == "yes" else "without travel insurance"
    pay = join_words([f"{A.money(amount)} on {A.method_label(m)}" for _, amount, m in payments])
    return realize(rng, [
        "[Here's the booking|To confirm the booking|Here's what I have for the booking]: a {trip} from {origin} to "
        "{dest} in {cabin} on {flights}, for {people}; {bags}; {cover}. The total is {total}, paid with {pay}.",
        "I'll book a {trip} from {origin} to {dest} in {cabin}: {flights}. The passengers are {people}. {Bags}, "
        "{cover}. [The total is|It comes to] {total} ({pay}).",
        "[So, to sum up the booking|Let me read the booking back]: {flights}, a {trip} from {origin} to {dest} in "
        "{cabin} for {people}, with {bags} and {cover}. [That comes to|The total is] {total}, "
        "[charged as|paid with] {pay}.",
    ], trip=A.trip_words(args["flight_type"]), origin=A.place(args["origin"], CITIES),
        dest=A.place(args["destination"], CITIES), cabin=A.cabin_words(cabin_), flights=flights,
        people=A.people(args["passengers"]), bags=bag_text, Bags=bag_text[0].upper() + bag_text[1:], cover=cover,
        total=A.money(total), pay=pay)


# -- changing the cabin ---------------------------------------------------------------------------
@family
def cabin(request: Request, k: Knowledge, said: Said) -> Step:
    rid = reservation(request, k, said)
    r = k.get("reservations", rid)
    problem = _inactive(request, rid, r) or _flown_refusal(request, k, rid, r, "change cabin")
    if problem:
        return problem
    new = ask(request, k, said, "cabin", CABINS)
    if new == r["cabin"]:
        return refuse(request, "same-cabin",
                      ["I'm afraid there's nothing to change: reservation {rid} is already in {cabin}."],
                      "nothing to change", "impossible", rid=rid, cabin=A.cabin_words(new))
    pax = len(r["passengers"])
    fares = []
    for seg in r["flights"]:
        results = k.get("direct", search_key(seg)) or []
        hit = next((f for f in results if f["flight_number"] == seg["flight_number"]), None)
        if hit is None or hit["available_seats"][new] < pax:
            return refuse(request, "no-seats", [
                "I'm sorry, flight {fn} on {day} doesn't have {seats} left in {cabin}, so the whole reservation "
                "can't move to that cabin."], "no seats in that cabin", "impossible", fn=seg["flight_number"],
                day=A.day(seg["date"]), seats=A.count(pax, "seat"), cabin=A.cabin_words(new))
        fares.append(hit["prices"][new])
    old = [s["price"] for s in r["flights"]]
    diff = k.calc(f"({' + '.join(map(str, fares))} - {' - '.join(map(str, old))}) * {pax}")
    choice = update_method(request, k, diff, said)
    if isinstance(choice, Refuse):
        return choice
    mid, chosen = choice
    rng = rng_for(request, "cabin")
    listing = "; ".join(f"{s['flight_number']} on {A.day(s['date'])}, {A.money(p)} now against {A.money(o)} paid"
                        for s, p, o in zip(r["flights"], fares, old, strict=True))
    said.add(realize(rng, ["Today's {cabin} fares on your flights: {listing}. For {pax}, the difference comes to "
                           "{diff}.", "I looked up each flight in {cabin}: {listing}; with {pax} that makes a "
                           "difference of {diff}.", "[In|For] {cabin}, [here are the current fares|this is what "
                           "your flights cost today]: {listing}. For {pax}, [that's|the difference is] {diff}."],
                     cabin=A.cabin_words(new), listing=listing,
                     pax=A.count(pax, "passenger"), diff=A.money(abs(diff))), f"fares/{request.seed}")
    money = f"you pay {A.money(diff)} with {A.method_label(chosen)}" if diff > 0 else \
        f"{A.money(-diff)} goes back to {A.method_label(chosen)}" if diff < 0 else "there's no difference to pay"
    flights = [{"flight_number": s["flight_number"], "date": s["date"]} for s in r["flights"]]
    summary = realize(rng, ["[To confirm|Here's the change|Just to be clear|To sum up|So, the change]: reservation "
                            "{rid} moves from {old} to {new} on the same "
                            "flights ({flights}); {money}.",
                            "[So|Then] reservation {rid} [would go|goes] from {old} to {new}, [keeping|on] the same "
                            "flights ({flights}), and {money}."], rid=rid, old=A.cabin_words(r["cabin"]),
                      new=A.cabin_words(new), money=money,
                      flights=join_words([f"{f['flight_number']} on {A.day(f['date'])}" for f in flights]))
    args = {"reservation_id": rid, "cabin": new, "flights": flights, "payment_id": mid}
    shown = {k_: v for k_, v in args.items() if k_ != "payment_id"}
    return Propose(ToolCall("update_reservation_flights", args), summary, said.text, said.keys, shown=shown)


# -- changing flights -------------------------------------------------------------------------------
@family
def change(request: Request, k: Knowledge, said: Said) -> Step:
    frame = request.frame
    rid = reservation(request, k, said)
    r = k.get("reservations", rid)
    problem = _inactive(request, rid, r)
    if problem:
        return problem
    if r["cabin"] == "basic_economy":
        return refuse(request, "basic", [
            "[I'm sorry, but|I'm afraid] reservation {rid} is in basic economy, and basic economy flights can't be "
            "changed. [The cabin can still be upgraded, though.|]"], "basic economy flights cannot be changed",
            rid=rid)
    problem = _flown_refusal(request, k, rid, r, "have its flights changed")
    if problem:
        return problem
    part = frame.get("part") or "out"
    out, back = split_trip(r)
    moving, kept = (out, back) if part == "out" else (back, out)
    origin, dest = (r["origin"], r["destination"]) if part == "out" else (r["destination"], r["origin"])
    plan = Plan((origin,), (dest,), dates_of(frame), frame["stops"] == "onestop")
    before = midnight(kept[0]["date"]) if part == "out" and kept else None
    pax, cab = len(r["passengers"]), r["cabin"]
    picked = _pick(request, k, plan, frame["criterion"], cab, pax, before=before)
    if isinstance(picked, Refuse):
        return picked
    found, best = picked
    said.add(_compare(request, "change", plan, found, best, frame["criterion"], cab, pax, before),
             f"compare/{request.seed}")
    kept_infos = [{"flight_number": s["flight_number"], "date": s["date"]} for s in kept]
    flights = best.infos() + kept_infos if part == "out" else kept_infos + best.infos()
    new_prices = [str(leg.fare(cab)) for leg in best.legs] + [str(s["price"]) for s in kept]
    old_prices = [str(s["price"]) for s in r["flights"]]
    diff = k.calc(f"({' + '.join(new_prices)} - {' - '.join(old_prices)}) * {pax}")
    choice = update_method(request, k, diff, said)
    if isinstance(choice, Refuse):
        return choice
    mid, chosen = choice
    money = f"you pay {A.money(diff)} with {A.method_label(chosen)}" if diff > 0 else \
        f"{A.money(-diff)} goes back to {A.method_label(chosen)}" if diff < 0 else "the fare stays the same"
    rng = rng_for(request, "change")
    summary = realize(rng, [
        "[To confirm|Here's the change|Just to be clear|To sum up|So, the change]: reservation {rid} will fly {new} "
        "instead of {old}{keep}, in {cabin}; {money}.",
        "I'll move reservation {rid} to {new} (replacing {old}){keep}, staying in {cabin}; {money}.",
        "[The change|What I'll do]: {old} [becomes|is replaced by] {new} on reservation {rid}{keep}, still in "
        "{cabin}, and {money}."],
        rid=rid, new=join_words([f"{leg.flight_number} on {A.day(leg.date)}" for leg in best.legs]),
        old=join_words([f"{s['flight_number']} on {A.day(s['date'])}" for s in moving]),
        keep="" if not kept else ", keeping " + join_words([f"{s['flight_number']} on {A.day(s['date'])}"
                                                           for s in kept]),
        cabin=A.cabin_words(cab), money=money)
    args = {"reservation_id": rid, "cabin": cab, "flights": flights, "payment_id": mid}
    shown = {k_: v for k_, v in args.items() if k_ != "payment_id"}
    return Propose(ToolCall("update_reservation_flights", args), summary, said.text, said.keys, shown=shown)


# -- a fare question -------------------------------------------------------------------------------
@family
def info_fare(request: Request, k: Knowledge, said: Said) -> Step:
    frame = request.frame
    plan = Plan((frame["origin"],), (frame["destination"],), (frame["date"],), frame["stops"] == "onestop")
    picked = _pick(request, k, plan, "cheapest", frame["cabin"], 1)
    if isinstance(picked, Refuse):
        return picked
    found, best = picked
    said.add(_compare(request, "fare", plan, found, best, "cheapest", frame["cabin"], 1))
    price = best.price(frame["cabin"])
    said.add(realize(rng_for(request, "fare"), ["The cheapest {cabin} fare is {price} per person.",
                                                "So the lowest {cabin} fare that day is {price}."],
                     cabin=A.cabin_words(frame["cabin"]), price=A.money(price)))
    return Inform(said.text, [str(price)])


def done_text(request: Request, call: ToolCall, k: Knowledge) -> Any:
    """(templates, values) said once the write went through; see `writ.agents.scripted.airline`."""
    if call.name == "book_reservation":
        rid = k.facts.get("booked", "")
        return ["[Done|All set|Great news]: [your booking is confirmed|the booking is confirmed|you're all booked], "
                "[reservation number|with reservation number|under reservation] {rid}.",
                "The booking went through[ successfully|]; your [new reservation|reservation number|confirmation "
                "number] is {rid}.",
                "[I've booked|I have booked] [the trip|your flights|it][ for you|]: reservation {rid}."], {"rid": rid}
    rid = call.arguments.get("reservation_id", "")
    return ["[Done|All set|That's done]: reservation {rid} [is updated|has been updated|now has the change].",
            "Reservation {rid} has been updated[ with the change|]; [the new details are in place|everything else "
            "stays as it was|].", "[I've updated|I have updated] reservation {rid}[ for you|]."], {"rid": rid}

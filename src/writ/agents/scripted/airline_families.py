"""The airline request families that change an existing reservation: cancel (one or several), add
or remove bags, change passengers. One function each: frame + knowledge -> step.

Each is written the way the policy reads: find the reservation the customer means, check that it
may be touched (active, nothing flown), collect what the customer must choose (the cancellation
reason, the payment method), check the policy's conditions on what was read, compute what the
customer must hear with `calculate`, then propose the write with every detail. A function may
raise at any line for a record not read yet, an amount to compute, or a value to ask for.
"""

from __future__ import annotations

from typing import Any

from writ.agents.scripted import airline_words as A
from writ.agents.scripted.airline_common import (
    CITIES,
    ask,
    booked_recently,
    family,
    flown,
    free_bags,
    overview,
    past_statuses,
    refuse,
    reservation,
    rng_for,
    status,
    update_method,
)
from writ.agents.scripted.knowledge import Knowledge, Request
from writ.agents.scripted.steps import Propose, Refuse, Said, Step, Transfer
from writ.core import ToolCall
from writ.dialogue.grammar import join_words, realize
from writ.tasks.airline.common import BAG_FEE
from writ.tasks.airline.selectors import find_reservations

__all__ = ["bags", "cancel", "cancel_many", "done_text", "passengers", "remove_bags"]

REASONS = ["change_of_plan", "airline_cancelled", "health", "weather"]
REASON_WORDS = {"change_of_plan": "a change of plans", "airline_cancelled": "a flight cancelled by the airline",
                "health": "a health reason", "weather": "a weather reason"}


def _inactive(request: Request, rid: str, r: dict | None) -> Refuse | None:
    if r is None:
        return refuse(request, "missing", ["I'm sorry, I couldn't find a reservation {rid}."], "there is no such "
                      "reservation", "impossible", rid=rid)
    if r.get("status") == "cancelled":
        return refuse(request, "cancelled", ["I'm sorry, reservation {rid} is already cancelled, so there's nothing "
                                             "more I can change on it."], "the reservation is already cancelled",
                      "impossible", rid=rid)
    return None


def _flown_refusal(request: Request, k: Knowledge, rid: str, r: dict, what: str) -> Refuse | None:
    done = flown(k, r)
    if not done:
        return None
    seg = done[0]
    return refuse(request, "flown", [
        "[I'm sorry, but|I'm afraid|Unfortunately,] flight {fn} on {day} of reservation {rid} [has already been flown|"
        "already took off], and a reservation with a flown flight can't {what}.",
        "I checked the flight statuses: {fn} on {day} shows as {st}. Once part of a trip has been flown, the "
        "reservation can't {what}, so [I can't do this|I'm not able to make that change].",
        "[Looking at|I checked] reservation {rid}: its flight {fn} on {day} shows as {st}. "
        "[I'm sorry, but|Unfortunately,] a trip that is partly flown can't {what}."],
        f"a reservation with a flown flight can't {what}",
        fn=seg["flight_number"], day=A.day(seg["date"]), rid=rid, what=what,
        st=status(k, seg["flight_number"], seg["date"]))


# -- cancellation ------------------------------------------------------------------------------------
def _ground(k: Knowledge, r: dict, reason: str) -> str | None:
    """The policy ground that allows cancelling `r` (reading statuses only when the reason needs it)."""
    if booked_recently(r):
        return "recent"
    if r["cabin"] == "business":
        return "business"
    statuses = past_statuses(k, r)
    if "cancelled" in statuses.values():
        return "airline"
    if reason == "airline_cancelled":
        for s in r["flights"]:
            if status(k, s["flight_number"], s["date"]) == "cancelled":
                return "airline"
    if r["insurance"] == "yes" and reason in ("health", "weather"):
        return "insurance"
    return None


def _ground_text(request: Request, k: Knowledge, r: dict, ground: str) -> str:
    rng = rng_for(request, "ground")
    if ground == "recent":
        return realize(rng, ["It was booked on {when}, less than 24 hours ago, so it can be cancelled.",
                             "Since it was booked within the last 24 hours ({when}), it qualifies for cancellation.",
                             "[Good news|The good news is]: it was booked {when}, under 24 hours ago, so a "
                             "cancellation is allowed."],
                       when=f"{A.day(r['created_at'][:10])} at {r['created_at'][11:16]}")
    if ground == "business":
        return realize(rng, ["It's a business-class reservation, and those can be cancelled.",
                             "As a business-class booking, it [can be cancelled|qualifies for cancellation].",
                             "[It's|The reservation is] in business class, which [allows|permits] a cancellation."])
    if ground == "airline":
        seg = next(s for s in r["flights"] if k.peek("status", f"{s['flight_number']}/{s['date']}") == "cancelled")
        return realize(rng, ["Flight {fn} on {day} shows as cancelled by the airline, so the reservation can be "
                             "cancelled.", "I can see that the airline cancelled flight {fn} on {day}, which allows "
                             "the cancellation.", "[I checked|Checking] the flights: {fn} on {day} was cancelled by "
                             "the airline, so [you're covered|the cancellation is allowed]."],
                       fn=seg["flight_number"], day=A.day(seg["date"]))
    return realize(rng, ["It has travel insurance, which covers cancelling for {why}.",
                         "Your travel insurance covers {why}, so it can be cancelled.",
                         "[Since|As] the reservation has travel insurance and this is {why}, [you're covered|the "
                         "cancellation is allowed]."],
                   why=REASON_WORDS[request.value("reason")])


def _no_ground(request: Request, r: dict, rid: str, reason: str) -> Refuse:
    facts = [f"it's in {A.cabin_words(r['cabin'])}", f"it was booked on {A.day(r['created_at'][:10])}, more than "
             "24 hours ago"]
    if reason == "airline_cancelled":
        facts.append("none of its flights was cancelled by the airline")
    if r["insurance"] == "yes":
        facts.append(f"its travel insurance covers health or weather reasons, not {REASON_WORDS[reason]}")
    else:
        facts.append("it has no travel insurance")
    why = "a reservation can only be cancelled within 24 hours of booking, in business class, after an airline " \
          "cancellation, or with travel insurance for a covered reason"
    return refuse(request, "no-ground", [
        "[I'm sorry, but|I'm afraid|Unfortunately,] I can't cancel reservation {rid}: {facts}. {Why}.",
        "I checked reservation {rid}: {facts}. [Under our policy|Our policy says|The rule is that] {why}, so I'm not "
        "able to cancel it.",
        "[I looked into it|I've gone through the details], and [I'm sorry|I'm afraid] reservation {rid} doesn't "
        "qualify for cancellation: {facts}. [The policy allows it only|A cancellation is possible only] {only}."],
        why, rid=rid, facts=join_words(facts), why=why, Why=why[0].upper() + why[1:],
        only="within 24 hours of booking, in business class, after an airline cancellation, or with insurance that "
             "covers the reason")


def _refund(k: Knowledge, r: dict) -> float:
    amounts = [p["amount"] for p in r["payment_history"]]
    return amounts[0] if len(amounts) == 1 else k.calc(" + ".join(f"{a}" for a in amounts))


@family
def cancel(request: Request, k: Knowledge, said: Said) -> Step:
    rid = reservation(request, k, said)
    r = k.get("reservations", rid)
    problem = _inactive(request, rid, r)
    if problem:
        return problem
    reason = ask(request, k, said, "reason", REASONS)
    if flown(k, r):
        seg = flown(k, r)[0]
        text = realize(rng_for(request, "transfer"), [
            "I checked the flights of reservation {rid}: {fn} on {day} has already been flown, and I can't cancel a "
            "trip that is partly flown myself. A human agent can look into it, so I'll transfer you now.",
            "Flight {fn} on {day} of reservation {rid} shows as {st}, so part of this trip has been flown. "
            "[Cancelling it is something only a human agent can handle|That cancellation has to go to a human "
            "agent]; I'm transferring you."], rid=rid, fn=seg["flight_number"], day=A.day(seg["date"]),
            st=status(k, seg["flight_number"], seg["date"]))
        return Transfer(f"The customer ({k.user_id}) wants to cancel reservation {rid}, but flight "
                        f"{seg['flight_number']} on {seg['date']} has already been flown; the policy sends "
                        "partly flown trips to a human agent.", text)
    ground = _ground(k, r, reason)
    if ground is None:
        return _no_ground(request, r, rid, reason)
    said.add(_ground_text(request, k, r, ground))
    refund = _refund(k, r)
    summary = realize(rng_for(request, "summary"), [
        "[Here's what I'll do|To confirm|So]: cancel reservation {rid} ({trip}). The {amount} [you paid|paid for it] "
        "[goes back|will be refunded] to the original payment [methods|method] within 5 to 7 business days.",
        "I'll cancel reservation {rid} ({trip}); the refund of {amount} [will reach|goes back to] your original "
        "payment [methods|method] in 5 to 7 business days.",
        "[The plan|What I'll do]: reservation {rid} ({trip}) gets cancelled, and {amount} [is refunded|goes back] to "
        "[the original payment methods|how you paid] within 5 to 7 business days."],
        rid=rid, trip=_trip(r), amount=A.money(refund))
    return Propose(ToolCall("cancel_reservation", {"reservation_id": rid}), summary, said.text, said.keys)


def _trip(r: dict) -> str:
    dates = join_words(sorted({A.day(s["date"]) for s in r["flights"]}))
    return (f"{A.place(r['origin'], CITIES)} to {A.place(r['destination'], CITIES)}, "
            f"{A.trip_words(r['flight_type'])} on {dates}")


@family
def cancel_many(request: Request, k: Knowledge, said: Said) -> Step:
    """Several reservations, one description: listed once, then cancelled one by one, each confirmed."""
    which = request.value("which")
    matches = find_reservations(k, k.user_id, which)
    first = k.facts.setdefault(f"many/{request.seed}", list(matches))  # the set as found, before any cancellation
    key = f"many/{request.seed}"
    if key not in k.said:
        overview(request, k, said)  # the list the count rests on
        said.add(realize(rng_for(request, "many"), ["{n} of them match: {ids}.", "That makes {n}: {ids}.",
                                                    "[The ones that match are|Matching that, I see] {ids}."],
                         n=len(matches), ids=join_words(matches)), key)
    reason = ask(request, k, said, "reason", REASONS)
    if not matches:
        return refuse(request, "none", ["I'm sorry, I don't see any upcoming reservation that matches, so there's "
                                        "nothing to cancel."], "no reservation matches", "impossible")
    rid = matches[0]
    r = k.get("reservations", rid)
    ground = _ground(k, r, reason)
    if ground is None:
        return _no_ground(request, r, rid, reason)
    said.add(_ground_text(request, k, r, ground), f"ground/{request.seed}/{ground}")
    refund = _refund(k, r)
    left = len(matches) - 1
    summary = realize(rng_for(request, f"summary/{rid}"), [
        "{Step}, reservation {rid} ({trip}): I'll cancel it, and the {amount} paid goes back to the original "
        "payment methods within 5 to 7 business days.{rest}",
        "{Step} up is reservation {rid} ({trip}); cancelling it refunds {amount} to the original payment methods "
        "within 5 to 7 business days.{rest}"],
        Step="First" if rid == first[0] else "Next", rid=rid, trip=_trip(r), amount=A.money(refund),
        rest=(" I'll ask you about the other one right after." if left == 1 else
              f" I'll ask you about the other {left} right after.") if left else "")
    return Propose(ToolCall("cancel_reservation", {"reservation_id": rid}), summary, said.text, said.keys,
                   more=left > 0)


# -- bags -----------------------------------------------------------------------------------------------
@family
def bags(request: Request, k: Knowledge, said: Said) -> Step:
    rid = reservation(request, k, said)
    r = k.get("reservations", rid)
    problem = _inactive(request, rid, r) or _flown_refusal(request, k, rid, r, "have bags added")
    if problem:
        return problem
    user = k.get("users", k.user_id)
    added = request.value("add")
    pax = len(r["passengers"])
    each = free_bags(user["membership"], r["cabin"])
    free = each * pax
    total = r["total_baggages"] + added
    nonfree = max(r["nonfree_baggages"], total - free)
    paid_new = nonfree - r["nonfree_baggages"]
    fee = 0 if paid_new == 0 else BAG_FEE if paid_new == 1 else k.calc(f"{BAG_FEE} * {paid_new}")
    rng = rng_for(request, "bags")
    now = A.count(r["total_baggages"], "checked bag") + (f" ({r['nonfree_baggages']} paid)"
                                                          if r["nonfree_baggages"] else "")
    said.add(realize(rng, [
        "As a {level} member [in|flying] {cabin}, each passenger [gets|has] {each} free[, so|;] with {pax} "
        "that's {free} free. The reservation [has|holds] {now} [now|at the moment|today].",
        "[Your allowance|The free allowance here] is {each} per passenger ({level} member, {cabin}), so {free} for "
        "{pax}. [Right now|Currently] the reservation has {now}.",
        "[I checked the allowance|Looking at the allowance]: {level} members in {cabin} get {each} per passenger, "
        "which makes {free} free for {pax}; the reservation [already has|has] {now}."],
        level=user["membership"], cabin=A.cabin_words(r["cabin"]), each=A.count(each, "checked bag"),
        pax=A.count(pax, "passenger"), free=free, now=now), f"allowance/{request.seed}")
    choice = update_method(request, k, fee, said)
    if isinstance(choice, Refuse):
        return choice
    mid, chosen = choice
    paid = "all free" if nonfree == 0 else f"{nonfree} of them paid"
    cost = realize(rng, ["The {extra} [costs|cost] {fee} ({each} each), [charged to|paid with] {pm}.",
                         "[That's|That comes to] {fee} for the {extra} ({each} each), on {pm}."],
                   extra=A.count(paid_new, "extra bag"), fee=A.money(fee), each=A.money(BAG_FEE),
                   pm=A.method_label(chosen)) if fee else \
        realize(rng, ["There's no fee[ for these|]; {pm} [stays on file for|is just recorded with] the change.",
                      "[No fee applies|They're within the allowance, so there's nothing to pay]; I'll [note|record] "
                      "{pm} on the change."], pm=A.method_label(chosen))
    summary = realize(rng, ["[To confirm|Here's the change|Just to be clear|To sum up|So, the change]: reservation "
                            "{rid} [goes to|will have] {total}, {paid}. "
                            "{cost}",
                            "With {added} more, reservation {rid} will have {total}, {paid}. {cost}"],
                      rid=rid, total=A.count(total, "checked bag"), paid=paid, cost=cost, added=added)
    args = {"reservation_id": rid, "total_baggages": total, "nonfree_baggages": nonfree, "payment_id": mid}
    shown = {k_: v for k_, v in args.items() if k_ != "payment_id"}
    return Propose(ToolCall("update_reservation_baggages", args), summary, said.text, said.keys, shown=shown)


@family
def remove_bags(request: Request, k: Knowledge, said: Said) -> Step:
    rid = reservation(request, k, said)
    r = k.get("reservations", rid)
    problem = _inactive(request, rid, r)
    if problem:
        return problem
    return refuse(request, "remove-bags", [
        "[I'm sorry, but|I'm afraid|Unfortunately,] checked bags can be added to a reservation but not removed, so "
        "reservation {rid} keeps its {bags}.",
        "I see {bags} on reservation {rid}. Under our policy bags can only be added, not removed, so I can't take "
        "one off.",
        "[I understand|I see what you mean], but I'm afraid [once a bag is on a reservation it stays|bags can't be "
        "taken off a reservation, only added]; reservation {rid} keeps {bags}."],
        "checked bags can be added but not removed",
        rid=rid,
        bags=A.count(r["total_baggages"], "checked bag"))


# -- passengers ----------------------------------------------------------------------------------------
def _person(k: Knowledge, spec: dict[str, Any]) -> dict[str, Any] | None:
    if spec.get("who") == "saved":
        user = k.get("users", k.user_id)
        return next(({"first_name": p["first_name"], "last_name": p["last_name"], "dob": p["dob"]}
                     for p in user["saved_passengers"]
                     if (p["first_name"], p["last_name"]) == (spec["first_name"], spec["last_name"])), None)
    if spec.get("who") == "me":
        user = k.get("users", k.user_id)
        return {"first_name": user["name"]["first_name"], "last_name": user["name"]["last_name"], "dob": user["dob"]}
    return {"first_name": spec["first_name"], "last_name": spec["last_name"], "dob": spec["dob"]}


@family
def passengers(request: Request, k: Knowledge, said: Said) -> Step:
    rid = reservation(request, k, said)
    r = k.get("reservations", rid)
    problem = _inactive(request, rid, r) or _flown_refusal(request, k, rid, r, "have its passengers changed")
    if problem:
        return problem
    old = [{"first_name": p["first_name"], "last_name": p["last_name"], "dob": p["dob"]} for p in r["passengers"]]
    final = request.frame.get("final")
    if final is not None:
        new = [dict(p) for p in final]
    else:
        change = request.value("change")
        hits = [i for i, p in enumerate(old) if (p["first_name"], p["last_name"]) ==
                (change.get("first_name"), change.get("last_name"))]
        if change["kind"] == "add":
            hits = [len(old)]
        if len(hits) != 1:
            return refuse(request, "nobody", ["I'm sorry, I don't see a passenger named {name} on reservation {rid}."],
                          "that passenger is not on the reservation", "impossible",
                          name=f"{change['first_name']} {change['last_name']}", rid=rid)
        new = [dict(p) for p in old]
        i = hits[0] if hits else -1
        if change["kind"] == "dob":
            new[i]["dob"] = change["dob"]
        elif change["kind"] == "last_name":
            new[i]["last_name"] = change["new_last_name"]
        else:
            person = _person(k, change["by"])
            if person is None:
                return refuse(request, "unsaved", ["I'm sorry, I can't find that traveller among the passengers saved "
                                                   "in your profile."], "the traveller is not saved", "impossible")
            if change["kind"] == "add":
                new.append(person)
            else:
                new[i] = person
    if len(new) != len(old):
        return refuse(request, "count", [
            "[I'm sorry, but|I'm afraid|Unfortunately,] the number of passengers on a reservation can't change: "
            "reservation {rid} has {n}, and not even a human agent can add or remove one. [A new booking would be "
            "needed for another traveller.|Another traveller would need a booking of their own.]",
            "I checked reservation {rid}: it has {n}. Passenger details can be updated, but [I'm not able to|I'm "
            "afraid no one can] change how many passengers a reservation has."],
            "the number of passengers cannot change",
            rid=rid, n=A.count(len(old), "passenger"))
    said.add(realize(rng_for(request, "pax"), ["Reservation {rid} has {n}: {now}.", "Right now reservation {rid} "
                                               "lists {n}: {now}."], rid=rid, now=A.people(old),
                     n=A.count(len(old), "passenger")))
    summary = realize(rng_for(request, "summary"), [
        "I'll update the passengers of reservation {rid} to: {new}.",
        "[To confirm|Here's the change|Just to be clear|To sum up|So, the change]: reservation {rid} will list "
        "these passengers: {new}."], rid=rid,
        new=A.people(new))
    return Propose(ToolCall("update_reservation_passengers", {"reservation_id": rid, "passengers": new}), summary,
                   said.text, said.keys)


DONE = "[Done|All set|That's done|Finished|There we go]"


def done_text(request: Request, call: ToolCall, k: Knowledge) -> Any:
    """(templates, values) said once the write went through; see `writ.agents.scripted.airline`."""
    rid = call.arguments.get("reservation_id", "")
    if call.name == "cancel_reservation":
        return [DONE + ": reservation {rid} [is cancelled|has been cancelled|is now cancelled][, and the refund is on "
                "its way|]." , "Reservation {rid} has been cancelled; [the refund is on its way|you'll see the refund "
                "in 5 to 7 business days|the money goes back to the original payment methods].",
                "[I've cancelled|I have cancelled] reservation {rid}[ for you|]."], {"rid": rid}
    if call.name == "update_reservation_baggages":
        return [DONE + ": reservation {rid} [now has|shows] {n}.",
                "The bags [are added|have been added]; reservation {rid} [now shows|lists] {n}.",
                "[I've added the bags|I have added the bags][ to reservation {rid}|]: {n} in total now."],\
            {"rid": rid, "n": A.count(call.arguments["total_baggages"], "checked bag")}
    if call.name == "update_reservation_passengers":
        return [DONE + ": the passenger details on reservation {rid} [are updated|have been updated].",
                "Reservation {rid} [now lists|has been updated with] the new passenger details.",
                "[I've updated|I have updated] the passengers on reservation {rid}."], {"rid": rid}
    if call.name == "send_certificate":
        return [DONE + ": a {amount} travel certificate [is now|has been added] [in|to] your profile.",
                "The {amount} certificate has been added to your profile[; you can use it on a future booking|].",
                "[I've sent|I have sent] you a {amount} travel certificate[; it's in your profile now|]."],\
            {"amount": A.money(call.arguments["amount"])}
    return ["Done."], {}

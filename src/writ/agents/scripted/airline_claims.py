"""The airline requests about what happened or what a reservation holds: compensation for a
cancelled or delayed flight, the total paid, the free bag allowance, today's flight status.

Compensation follows the policy to the letter: only when the customer asks, only after the flight's
status is checked, only for silver or gold members, insured or business reservations, $100 per
passenger for a cancelled flight and $50 for a delayed one once the reservation was changed or
cancelled. The answers to questions state the values and how they were found.
"""

from __future__ import annotations

from writ.agents.scripted import airline_words as A
from writ.agents.scripted.airline_common import (
    family,
    free_bags,
    refuse,
    reservation,
    rng_for,
    status,
)
from writ.agents.scripted.airline_families import _inactive, _refund
from writ.agents.scripted.knowledge import Knowledge, Request
from writ.agents.scripted.steps import Inform, Propose, Said, Step
from writ.core import ToolCall
from writ.dialogue.grammar import join_words, realize
from writ.tasks.airline.common import TODAY

__all__ = ["compensation", "info_bags", "info_status", "info_total"]


# -- compensation -----------------------------------------------------------------------------------------
@family
def compensation(request: Request, k: Knowledge, said: Said) -> Step:
    rid = reservation(request, k, said)
    r = k.get("reservations", rid)
    if r is None:
        return _inactive(request, rid, r)
    issue = request.value("issue")
    flight = request.value("flight")
    seg = next((s for s in r["flights"] if (s["origin"], s["destination"], s["date"]) ==
                (flight["origin"], flight["destination"], flight["date"])), None)
    if seg is None:
        return refuse(request, "no-flight", ["I'm sorry, reservation {rid} has no flight on that route and date."],
                      "the reservation has no such flight", "impossible", rid=rid)
    found = status(k, seg["flight_number"], seg["date"])
    rng = rng_for(request, "comp")
    if found != issue:
        return refuse(request, "facts", [
            "I checked flight {fn} on {day}: it shows as {found}, not {issue}, so I can't offer compensation for it."],
            f"the flight was not {issue}", fn=seg["flight_number"], day=A.day(seg["date"]), found=found, issue=issue)
    if issue == "delayed" and r.get("status") != "cancelled":
        return refuse(request, "delay-first", [
            "I'm sorry, for a delayed flight compensation can only follow a change or cancellation of the "
            "reservation."],
            "compensation for a delay comes after a change or cancellation")
    user = k.get("users", k.user_id)
    grounds = [g for g, ok in ((f"your {user['membership']} membership", user["membership"] in ("silver", "gold")),
                               ("the travel insurance on the reservation", r["insurance"] == "yes"),
                               ("the business cabin", r["cabin"] == "business")) if ok]
    if not grounds:
        return refuse(request, "not-eligible", [
            "I'm sorry, compensation is only possible for silver or gold members, for reservations with travel "
            "insurance, or in business class, and reservation {rid} is {cabin} without insurance on a regular "
            "membership.",
            "I [checked|looked into it]: the flight [was indeed cancelled|did get cancelled], [but|however] "
            "reservation {rid} is in {cabin} without travel insurance, and your membership is regular. [I'm "
            "sorry, but|Unfortunately,] compensation [is only offered|only applies] to silver or gold members, "
            "insured trips or business class."],
            "compensation needs silver or gold status, travel insurance or business class",
            rid=rid, cabin=A.cabin_words(r["cabin"]))
    pax = len(r["passengers"])
    each = 100 if issue == "cancelled" else 50
    amount = each if pax == 1 else k.calc(f"{each} * {pax}")
    said.add(realize(rng, [
        "Flight {fn} on {day} shows as {issue}. Because of {why}, you qualify for a travel certificate of {each} per "
        "passenger; reservation {rid} has {pax}.",
        "I confirmed that flight {fn} on {day} was {issue}, and {why} makes you eligible for a certificate of {each} "
        "for each of the {pax} on reservation {rid}.",
        "[I'm sorry about the trouble.|Sorry for the disruption.] [I checked|I looked up] flight {fn} on {day}: it "
        "[was|is listed as] {issue}. With {why}, the policy [offers|allows] a certificate of {each} per passenger, "
        "and reservation {rid} has {pax}."],
        fn=seg["flight_number"], day=A.day(seg["date"]), issue=issue,
        why=join_words(grounds), each=A.money(each), rid=rid,
        pax=A.count(pax, "passenger")))
    summary = realize(rng, ["I'll send you a travel certificate for {amount} as a gesture of goodwill.",
                            "[To confirm|Here's what I'll do]: a {amount} travel certificate goes to your profile.",
                            "[That makes|So that's] {amount} in total, as a travel certificate [added to your "
                            "profile|you can use on a future booking]."],
                      amount=A.money(amount))
    return Propose(ToolCall("send_certificate", {"user_id": k.user_id, "amount": int(amount)}), summary, said.text,
                   said.keys)


# -- questions about a reservation ------------------------------------------------------------------------
@family
def info_total(request: Request, k: Knowledge, said: Said) -> Step:
    rid = reservation(request, k, said)
    r = k.get("reservations", rid)
    if r is None:
        return _inactive(request, rid, r)
    total = _refund(k, r)
    parts = [f"{A.money(p['amount'])}" for p in r["payment_history"]]
    forms = [  # one payment is the total itself: "payments ($364) add up to $364" would say it twice
        "You paid {total} [in total |]for reservation {rid}[, in a single payment|].",
        "Reservation {rid} shows a single payment of {total}, so that's the total.",
        "The total paid for reservation {rid} is {total}."] if len(parts) == 1 else [
        "The payments on reservation {rid} ({parts}) add up to {total}.",
        "You paid {total} in total for reservation {rid} ({parts}).",
        "Reservation {rid} shows [payments|charges] of {parts}, {total} [in total|altogether].",
        "I see [payments|charges] of {parts} on reservation {rid}, {total} [in total|altogether]."]
    text = realize(rng_for(request, "info"), forms, rid=rid, parts=join_words(parts), total=A.money(total))
    value = f"{int(total)}" if float(total).is_integer() else f"{total:.2f}"
    return Inform(said.add(text).text, [value], said.keys)


@family
def info_bags(request: Request, k: Knowledge, said: Said) -> Step:
    rid = reservation(request, k, said)
    r = k.get("reservations", rid)
    if r is None:
        return _inactive(request, rid, r)
    user = k.get("users", k.user_id)
    pax = len(r["passengers"])
    each = free_bags(user["membership"], r["cabin"])
    text = realize(rng_for(request, "info"), [
        "As a {level} member flying {cabin}, each passenger gets {each}; with {pax} on reservation {rid}, that's "
        "{free} in total.",
        "Reservation {rid} is in {cabin} with {pax}, and your {level} status gives {each} each, so {free} "
        "altogether.",
        "[The allowance|Your free allowance] [on|for] reservation {rid}: {each} per passenger ({level} member, "
        "{cabin}), and with {pax} that [makes|comes to] {free}."], level=user["membership"],
        cabin=A.cabin_words(r["cabin"]), each=A.count(each, "free checked bag"), pax=A.count(pax, "passenger"),
        rid=rid, free=A.count(each * pax, "free checked bag"))
    return Inform(said.add(text).text, [str(each * pax)], said.keys)


@family
def info_status(request: Request, k: Knowledge, said: Said) -> Step:
    rid = reservation(request, k, said)
    r = k.get("reservations", rid)
    if r is None:
        return _inactive(request, rid, r)
    today = [s for s in r["flights"] if s["date"] == TODAY]
    origin = request.frame.get("origin")
    seg = next((s for s in today if origin is None or s["origin"] == origin), today[0] if today else None)
    if seg is None:
        return refuse(request, "no-today", ["I'm sorry, reservation {rid} has no flight today."], "no flight today",
                      "impossible", rid=rid)
    found = status(k, seg["flight_number"], seg["date"])
    text = realize(rng_for(request, "info"), ["Flight {fn} today is {found}.",
                                              "Your flight today, {fn}, is {found}[ at the moment|].",
                                              "[I just checked|I looked it up|Checking now]: {fn} [shows as|is] "
                                              "{found}[ today|]."],
                   fn=seg["flight_number"], found=found)
    return Inform(said.add(text).text, [found], said.keys)

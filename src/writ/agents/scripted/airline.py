"""The airline teacher's skills: how each kind of request is carried out from what was said and read.

A request arrives as the frame the customer's message stated (see `writ.tasks.airline`): which
reservation (by id, or by something the customer remembers about it), what to book (airports,
dates, a criterion, cabin, passengers, bags, insurance, payment), what to change, why to cancel.
Reservations are resolved with the generator's own selectors over `Knowledge` (one read per
record the description needs); flight searches are knowledge tables keyed by the search itself
(``("direct", "JFK/SEA/2024-05-25")``); flight statuses by flight and date. The policy checks
(cancellation grounds, basic economy, flown trips, bag allowance, payment rules, compensation)
run on what was read, and what the customer must choose is asked for when it was not said.
"""

from __future__ import annotations

import json
import random
from typing import Any

from writ.agents.scripted import airline_families as F
from writ.agents.scripted import airline_trips as T
from writ.agents.scripted.knowledge import Knowledge, NeedSlot, Request
from writ.agents.scripted.steps import Step
from writ.core import ToolCall
from writ.dialogue.grammar import join_words, realize
from writ.dialogue.lexicon import AIRLINE_REASONS
from writ.tasks.airline.wording import date_cues

__all__ = ["AirlineSkills"]

FAMILIES = {
    "book": T.book, "cabin": T.cabin, "change": T.change, "info_fare": T.info_fare, "cancel": F.cancel,
    "cancel_many": F.cancel_many, "bags": F.bags, "passengers": F.passengers, "compensation": F.compensation,
    "info_total": F.info_total, "info_bags": F.info_bags, "info_status": F.info_status, "remove_bags": F.remove_bags,
}
WRITES_WITH_RESERVATION = ("cancel_reservation", "update_reservation_baggages", "update_reservation_flights",
                           "update_reservation_passengers")
TABLES = {"search_direct_flight": "direct", "search_onestop_flight": "onestop"}


class AirlineSkills:
    domain = "airline"
    needs_auth = True
    auth_fields = ["user_id"]

    # -- reading and remembering -----------------------------------------------------------------
    def read_for(self, table: str, key: str) -> ToolCall:
        if table == "users":
            return ToolCall("get_user_details", {"user_id": key})
        if table == "reservations":
            return ToolCall("get_reservation_details", {"reservation_id": key})
        if table in ("direct", "onestop"):
            origin, destination, date = key.split("/")
            name = "search_direct_flight" if table == "direct" else "search_onestop_flight"
            return ToolCall(name, {"origin": origin, "destination": destination, "date": date})
        if table == "status":
            flight_number, date = key.split("/")
            return ToolCall("get_flight_status", {"flight_number": flight_number, "date": date})
        if table == "airports":
            return ToolCall("list_all_airports", {})
        raise KeyError(table)

    def is_auth_call(self, call: ToolCall) -> bool:
        return call.name == "get_user_details"

    def auth_call(self, values: dict[str, Any]) -> ToolCall | None:
        if values.get("user_id"):
            return ToolCall("get_user_details", {"user_id": values["user_id"]})
        return None

    def absorb(self, k: Knowledge, call: ToolCall, content: str, error: bool) -> None:
        args = call.arguments
        index = self._index(call)
        if error:
            if index is not None:
                k.put(*index, None)  # a record that does not exist: known, and never read again
            return
        try:
            value = json.loads(content)
        except json.JSONDecodeError:
            value = content.strip()
        if call.name == "get_user_details":
            if k.user_id is None:
                k.user_id = value["user_id"]
            k.put("users", value["user_id"], value)
        elif index is not None:
            k.put(*index, value)
        elif call.name == "book_reservation":
            k.put("reservations", value["reservation_id"], value)
            k.facts["booked"] = value["reservation_id"]
            user = k.peek("users", k.user_id)
            if user is not None and value["reservation_id"] not in user["reservations"]:
                user["reservations"].append(value["reservation_id"])  # the new booking is the customer's
            if any(not str(p.get("payment_id", "")).startswith("credit_card") for p in args.get("payment_methods", [])):
                k.invalidate("users", k.user_id)  # a gift card or certificate balance changed
        elif call.name in WRITES_WITH_RESERVATION:
            k.put("reservations", value["reservation_id"], value)
            k.facts["last_reservation"] = value["reservation_id"]
            if str(args.get("payment_id", "")).startswith("gift_card"):
                k.invalidate("users", k.user_id)
        elif call.name == "send_certificate":
            k.invalidate("users", k.user_id)
            k.facts["last_reservation"] = k.facts.get("current_reservation")

    @staticmethod
    def _index(call: ToolCall) -> tuple[str, str] | None:
        args = call.arguments
        if call.name == "get_reservation_details":
            return "reservations", str(args.get("reservation_id", ""))
        if call.name in TABLES:
            return TABLES[call.name], T.search_key(args)
        if call.name == "get_flight_status":
            return "status", f"{args.get('flight_number')}/{args.get('date')}"
        if call.name == "list_all_airports":
            return "airports", ""
        return None

    def first_name(self, k: Knowledge) -> str:
        user = k.peek("users", k.user_id)
        return user["name"]["first_name"] if user else ""

    # -- questions ---------------------------------------------------------------------------------
    def auth_question(self, rng: random.Random, voice: str, again: bool) -> str:
        return realize(rng, [
            "[I can help with that|Happy to help|Sure|Of course]. [First|Before we start|To get started], [could you|"
            "can you|would you] [give me|share|tell me] your user ID so I can pull up your profile?",
            "[I'll be glad to help|I can look into that]. [To find your profile|For security|To verify your "
            "identity], [may I have|could I get|please share] your user ID?",
        ])

    def ask_slot(self, rng: random.Random, voice: str, request: Request, need: NeedSlot, k: Knowledge) -> str:
        slot, family = need.slot, request.family
        lead = "[?[Got it.|Okay.|Alright.|Sure.|Understood.|Thanks.|Thank you.|Noted.|Great.] ]"
        if slot == "reason":
            return realize(rng, [
                lead + "[Before I go ahead|One more thing|Before I check what the policy allows|First], [may I ask|"
                "could you tell me|can you let me know|would you mind telling me] why you [want|need|'d like] to "
                "cancel? [For example|Say|It could be] a change of plans, a flight the airline cancelled, or a "
                "[health or weather reason|reason such as health or weather].",
                lead + "[What's the reason for the cancellation|Why are you cancelling|What's behind the "
                "cancellation]: a change of plans, a flight the airline cancelled, or something else[ such as a "
                "health or weather reason|, like health or the weather]?",
                lead + "[The policy asks me to record|I need to note|I have to ask] why you're cancelling. Is it a "
                "change of plans, a flight the airline cancelled, or [another reason, such as health or "
                "weather|something like health or the weather]?",
            ])
        if slot == "payment":
            if family == "book":
                return realize(rng, [
                    lead + "[How would you like to pay|How will you be paying|What would you like to pay with]? "
                    "[It has to be|You can use|I can take] [a payment method|any method] [saved in|already on] your "
                    "profile: [at most|up to] one travel certificate, one credit card and three gift cards.",
                    lead + "[Which payment method|What] would you like to use for [the booking|this booking|the "
                    "tickets]? [It must be|It has to be|Only methods] [saved in|on] your profile [count|qualify] "
                    "(up to one certificate, one credit card and three gift cards).",
                    lead + "[Last thing|Now|Next]: [payment|how to pay]. [Which of the methods in your profile|"
                    "Which saved payment method] should I [charge|use]? [A booking can use|You can combine] up to one "
                    "certificate, one credit card and three gift cards.",
                ])
            what = "[any fee|the bag fee, if there is one|any charge]" if family == "bags" else \
                "the fare difference[ (to pay it, or to receive a refund)| — whether you pay or get money back|]"
            return realize(rng, [
                lead + "Which [credit card or gift card|card] [from|in|on] your profile should I use for " + what + "?",
                lead + "[To settle|For|To cover] " + what + ", which credit card or gift card [on your profile|you "
                "have saved] would you like to use?",
                lead + "[I'll need|I need] a credit card or gift card from your profile for " + what +
                ". [Which one should I use|Which would you like]?",
            ])
        if slot == "cabin":
            return realize(rng, [
                lead + "[Which cabin would you like|What cabin class do you want|Which class should I book]: basic "
                "economy, economy or business?",
                lead + "[In which cabin|In what class] should I [search|look]: basic economy, economy or business?",
                lead + "[Do you have a cabin in mind|What's your preferred cabin]? [The options are|We have] basic "
                "economy, economy and business.",
            ])
        if slot == "passengers":
            return realize(rng, [
                lead + "Who will be [travelling|flying]? I need [each passenger's|every traveller's] first and last "
                "name and date of birth[ (up to five passengers)| — five people at most|].",
                lead + "[Could you give me|Please tell me|May I have] the passengers: the full name and date of "
                "birth of each traveller[, five at most|]?",
                lead + "[Who's travelling|Who is going]? [For each person|For every passenger] I'll need a first "
                "name, last name and date of birth.",
            ])
        if slot == "bags":
            return realize(rng, [
                lead + "How many checked bags will you [bring|have|check] [in total|altogether|for the whole "
                "group]?",
                lead + "[And|Also|Next], how many bags will you check [altogether|in total]?",
                lead + "[Will you be checking any bags|Are you checking bags]? If so, how many in total?",
            ])
        if slot == "insurance":
            return realize(rng, [
                lead + "Would you like travel insurance? It [costs|is] {fee} per passenger and [gives a full refund|"
                "lets you get your money back] if you have to cancel for health or weather reasons.",
                lead + "[Do you want|Shall we add|Would you like to add|Should I include] travel insurance? It's "
                "{fee} per passenger and [covers|protects you when] cancelling for health or weather reasons.",
                lead + "[One question about|About] travel insurance: [it's|it costs] {fee} per passenger and "
                "refunds the trip if you must cancel for health or weather reasons. [Would you like it|Do you want "
                "to add it|Shall I include it]?",
            ], fee="$30")
        if slot in ("reservation", "which"):
            if need.options:
                return realize(rng, ["[I see|You have|Your profile lists] these reservations: {ids}. [Which one do "
                                     "you mean|Which of them is it]?"], ids=join_words(need.options, "and"))
            return realize(rng, ["[Which reservation is this about?|Which reservation do you mean?|Which booking "
                                 "is it?]"])
        return realize(rng, ["Could you tell me the {slot}?"], slot=slot.replace("_", " "))

    # -- what the teacher's readings say in words (see writ.dialogue.acts.grounding_problems) ----------
    def cues(self, key: str, value: Any) -> list[str] | None:
        if key == "tool":
            return TOOL_WORDS.get(value, [])
        if key in ("cabin", "options") and value in CABIN_WORDS:
            return [CABIN_WORDS[value]]
        if key == "options" and value in AIRLINE_REASONS:
            return REASON_OPTIONS[value]
        if key == "options" and value in ("yes", "no"):
            return []
        if key == "flight_type":
            return ["round trip"] if value == "round_trip" else ["one-way"]
        if key == "insurance":
            return ["with travel insurance"] if value == "yes" else ["without travel insurance"]
        if key == "date" and isinstance(value, str):
            return date_cues(value)
        if key in ("total_baggages", "nonfree_baggages") and value == 0:
            return ["no checked bags", "all free", " 0 ", "no paid", "none of them"]
        return None

    # -- forbidden asks ----------------------------------------------------------------------------
    def forbidden_reason(self, topic: str) -> str:
        return realize(random.Random(topic), FORBIDDEN.get(topic, FORBIDDEN["waive"])[0])

    def forbidden_text(self, rng: random.Random, topic: str) -> str:
        why, alternative = FORBIDDEN.get(topic, FORBIDDEN["waive"])
        return realize(rng, ["[I'm sorry|I'm afraid|Unfortunately|I apologize], {why}. {alternative}",
                             "[I understand why you'd ask|I see why you'd want that|I hear you|That's a fair "
                             "question], but {why}. {alternative}",
                             "{alternative} [That said|But|However], {why}[, I'm afraid|]."],
                       why=realize(rng, why), alternative=realize(rng, alternative))

    # -- the requests -------------------------------------------------------------------------------
    def step(self, request: Request, k: Knowledge) -> Step:
        return FAMILIES[request.family](request, k)

    def done_text(self, rng: random.Random, request: Request, call: ToolCall, k: Knowledge) -> str:
        if call.name in ("book_reservation", "update_reservation_flights"):
            templates, values = T.done_text(request, call, k)
        else:
            templates, values = F.done_text(request, call, k)
        return realize(rng, templates, **values)


CABIN_WORDS = {"basic_economy": "basic economy", "economy": "economy", "business": "business"}
REASON_OPTIONS = {"change_of_plan": ["change of plan"], "airline_cancelled": ["airline cancelled"],
                  "health": ["health"], "weather": ["weather"]}
TOOL_WORDS = {
    "book_reservation": ["book"], "cancel_reservation": ["cancel"], "update_reservation_baggages": ["bag"],
    "update_reservation_flights": ["updated", "reservation"], "update_reservation_passengers": ["passenger"],
    "send_certificate": ["certificate"],
}
FORBIDDEN = {
    "upgrade": ("[I can't|I'm not able to|I have no way to] upgrade a cabin for free[; a cabin change is "
                "paid at today's fares|: cabin changes are charged at the current fares|]",
                "[I'm happy to|I can gladly|I'd be glad to] [quote|price out|look up] a paid upgrade[ if you'd like| "
                "if that helps|]."),
    "waive": ("[I'm not able to|I can't|I have no way to] waive fees or offer anything the policy doesn't "
              "[provide for|cover|allow]",
              "[I can help with your reservations themselves, though.|Everything else about your trips I'm glad to "
              "help with.|I'm still happy to help with your bookings.]"),
    "other_user": ("I can only help with the profile of the person I'm speaking with",
                   "If that person contacts us themselves, we'll gladly help."),
}

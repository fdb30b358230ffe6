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

from writ.agents.scripted import airline_claims as C
from writ.agents.scripted import airline_families as F
from writ.agents.scripted import airline_questions as Q
from writ.agents.scripted import airline_trips as T
from writ.agents.scripted.knowledge import Knowledge, NeedSlot, Request
from writ.agents.scripted.steps import Step
from writ.core import ToolCall
from writ.dialogue.grammar import realize
from writ.dialogue.lexicon import AIRLINE_REASONS
from writ.tasks.airline.wording import date_cues

__all__ = ["AirlineSkills"]

FAMILIES = {
    "book": T.book, "cabin": T.cabin, "change": T.change, "info_fare": T.info_fare, "cancel": F.cancel,
    "cancel_many": F.cancel_many, "bags": F.bags, "passengers": F.passengers, "compensation": C.compensation,
    "info_total": C.info_total, "info_bags": C.info_bags, "info_status": C.info_status, "remove_bags": F.remove_bags,
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
            before = k.peek("reservations", value["reservation_id"]) or {}
            k.put("reservations", value["reservation_id"], value)
            k.facts["last_reservation"] = value["reservation_id"]
            charged = len(value.get("payment_history", [])) > len(before.get("payment_history", []))
            if charged and str(args.get("payment_id", "")).startswith("gift_card"):
                k.invalidate("users", k.user_id)  # the gift card's balance moved
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
    def auth_question(self, rng: random.Random, voice: str) -> str:
        return realize(rng, [
            "[I can help with that|Happy to help|Sure|Of course|Certainly|Glad to help|Absolutely|No problem|Thanks "
            "for reaching out|Let me help you with that]. [First|Before we start|To get started], [could you|"
            "can you|would you] [give me|share|tell me] your user ID so I can pull up your profile?",
            "[I'll be glad to help|I can look into that]. [To find your profile|For security|To verify your "
            "identity], [may I have|could I get] your user ID?",
            "[I'll be glad to help|I can look into that]. [To find your profile|For security|To verify your "
            "identity], please share your user ID.",
        ])

    def ask_slot(self, rng: random.Random, voice: str, request: Request, need: NeedSlot, k: Knowledge) -> str:
        return Q.question(rng, request.family, need.slot, need.options)

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
        return realize(rng, ["[I'm sorry, but|I'm afraid|Unfortunately,|I apologize, but] {why}. {alternative}",
                             "[I understand why you'd ask|I see why you'd want that|I hear you|That's a fair "
                             "question], but {why}. {alternative}"],
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

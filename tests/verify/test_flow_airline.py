"""Mutation tests of airline's information-flow rules: for each rule an episode that must fail it and a
near miss that must pass (the customer's choices, airport and date spellings, named derivations)."""

from __future__ import annotations

import copy
import json
import re

import pytest

from writ.dialogue.lexicon import AIRLINE_REASONS, INSURANCE
from writ.verify import verify_episode
from writ.verify.flow.airline import RULES, dates_said
from writ.verify.flow.walker import Flow

from .airline_cases import airline_data, families, find, played


def _failed(task, episode) -> dict[str, str]:
    verdict = verify_episode(episode, task, airline_data())
    return {name: check.reason for name, check in verdict.checks.items() if not check.passed}


def _flow_reason(task, episode) -> str:
    return _failed(task, episode).get("information_flow", "")


def _user_turns(episode, predicate) -> list[int]:
    return [i for i, m in enumerate(episode.messages) if m["role"] == "user" and m.get("content")
            and not m.get("tool_calls") and predicate(m["content"].lower())]


def _withheld(task, family: str, slot: str) -> bool:
    return any(r["frame"]["family"] == family and slot in r["withhold"] for r in task.writ["requests"])


def _booking(task) -> dict:
    return next(r["frame"] for r in task.writ["requests"] if r["frame"]["family"] == "book")


def _kept(task, episode):
    assert verify_episode(episode, task, airline_data()).passed, task.id


# -- the customer's choices ------------------------------------------------------------------------------
def test_insurance_must_be_the_customers_own_words():
    task, episode = find(lambda t, e: _withheld(t, "book", "insurance") and "book" in families(t)
                         and verify_episode(e, t, airline_data()).passed)
    value = _booking(task)["insurance"]
    i = _user_turns(episode, lambda text: any(c in text for c in INSURANCE[value]))[0]
    bad = copy.deepcopy(episode)
    bad.messages[i]["content"] = "Sure."
    assert "insurance" in _flow_reason(task, bad)
    near = copy.deepcopy(episode)
    near.messages[i]["content"] = "Yes, add travel insurance." if value == "yes" else "No insurance for me, thanks."
    assert "information_flow" not in _failed(task, near)
    # one message for two bookings, one with insurance and one without: each choice was said
    both = copy.deepcopy(episode)
    both.messages[i]["content"] = "For the first trip, no travel insurance. For this one, I want travel insurance."
    assert "information_flow" not in _failed(task, both)
    opposite = copy.deepcopy(episode)
    opposite.messages[i]["content"] = ("No travel insurance, thanks." if value == "yes"
                                       else "Yes, I want travel insurance.")
    assert "insurance" in _flow_reason(task, opposite)


def test_a_payment_method_the_customer_never_named_fails():
    def card_asked(t, e):
        for r in t.writ["requests"]:
            pay = r["frame"].get("payment")
            specs = pay if isinstance(pay, list) else [pay] if pay else []
            if "payment" in r["withhold"] and len(specs) == 1 and specs[0]["kind"] == "card":
                return verify_episode(e, t, airline_data()).passed
        return False

    task, episode = find(card_asked)
    spec = next(r["frame"]["payment"] for r in task.writ["requests"] if "payment" in r["withhold"])
    four = (spec[0] if isinstance(spec, list) else spec)["last_four"]
    i = _user_turns(episode, lambda text: four in text)[0]
    bad = copy.deepcopy(episode)
    bad.messages[i]["content"] = "Whatever you think is best."
    assert "payment" in _flow_reason(task, bad)
    near = copy.deepcopy(episode)  # the card named by its last four digits alone is enough
    near.messages[i]["content"] = f"The one ending in {four}."
    assert "payment" not in _flow_reason(task, near)


def test_a_cabin_the_customer_never_chose_fails():
    task, episode = find(lambda t, e: "book" in families(t) and _booking(t)["cabin"] == "business"
                         and verify_episode(e, t, airline_data()).passed)
    turns = _user_turns(episode, lambda text: "business" in text)
    bad = copy.deepcopy(episode)
    for i in turns:
        bad.messages[i]["content"] = re.sub("(?i)business", "the nicest class", bad.messages[i]["content"])
    assert "cabin" in _flow_reason(task, bad)
    near = copy.deepcopy(bad)
    near.messages[turns[0]]["content"] += " I mean BUSINESS, of course."
    assert "cabin" not in _flow_reason(task, near)


def test_every_kept_cancellation_follows_the_customers_reason():
    """Why a customer cancels is no tool argument (the flow rules cannot check it, and the policy takes
    'other reasons' in any words), so the teacher asks and this checks that every cancellation it made
    came after the customer's own reason."""
    cues = [c for words in AIRLINE_REASONS.values() for c in words]
    checked = 0
    for task, episode in played():
        heard = ""
        for m in episode.messages:
            if m["role"] == "user" and m.get("content"):
                heard += " " + m["content"].lower()
            for c in m.get("tool_calls") or []:
                if c["function"]["name"] == "cancel_reservation":
                    assert any(cue in heard for cue in cues), task.id
                    checked += 1
    assert checked


# -- spellings: airports and dates -------------------------------------------------------------------
def _single_code_booking(t, e) -> bool:
    if "book" not in families(t) or not verify_episode(e, t, airline_data()).passed:
        return False
    f = _booking(t)
    return f["named"] == "code" and len(f["origins"]) == 1 and f["origins"][0] not in ("JFK", "LGA", "EWR") \
        and f["origins"][0] not in f["destinations"]


def test_an_airport_said_by_city_counts_and_one_never_named_fails():
    from writ.domains.airline.ops import AIRPORTS

    task, episode = find(_single_code_booking)
    code = _booking(task)["origins"][0]
    city = dict(AIRPORTS)[code]
    turns = _user_turns(episode, lambda text: code.lower() in text or city.lower() in text)
    near = copy.deepcopy(episode)
    for i in turns:
        near.messages[i]["content"] = near.messages[i]["content"].replace(f" ({code})", "").replace(code, city)
    assert "information_flow" not in _failed(task, near)  # the city alone names it
    bad = copy.deepcopy(near)
    for i in turns:
        bad.messages[i]["content"] = bad.messages[i]["content"].replace(city, "my home town")
    assert code in _flow_reason(task, bad) and "airport" in _flow_reason(task, bad)


def test_a_date_the_customer_never_said_fails_and_the_25th_counts():
    def one_date(t, e):
        return _single_code_booking(t, e) and len(_booking(t).get("dates") or []) == 1

    task, episode = find(one_date)
    day = int(_booking(task)["dates"][0][-2:])
    spelled = re.compile(rf"(?:\w+day, )?May {day}(?:st|nd|rd|th)?\b|(?:the )?{day}(?:st|nd|rd|th) of May")
    turns = [i for i, m in enumerate(episode.messages)
             if m["role"] == "user" and spelled.search(m.get("content") or "")]
    assert turns
    other = 29 if day != 29 else 28
    bad = copy.deepcopy(episode)
    for i in turns:
        bad.messages[i]["content"] = spelled.sub(f"May {other}", bad.messages[i]["content"])
    assert "date" in _flow_reason(task, bad)
    near = copy.deepcopy(episode)
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    for i in turns:
        near.messages[i]["content"] = spelled.sub(f"the {day}{suffix}", near.messages[i]["content"])
    assert "information_flow" not in _failed(task, near)


@pytest.mark.parametrize("text,dates", [
    ("on may 25 please", {"2024-05-25"}), ("the 25th works", {"2024-05-25"}), ("friday may 24 or the 26th of may",
                                                                                {"2024-05-24", "2024-05-26"}),
    ("any day from may 19 to may 21", {"2024-05-19", "2024-05-20", "2024-05-21"}),
    ("between the 27th of may and the 29th of may", {"2024-05-27", "2024-05-28", "2024-05-29"}),
    ("my flight today", {"2024-05-15"}), ("in may sometime", set()), ("may 32", set()),
])
def test_dates_said(text, dates):
    assert dates_said(text) == dates


# -- named derivations --------------------------------------------------------------------------------------
def _flow(*records) -> Flow:
    flow = Flow()
    for name, args, record in records:
        flow.records.append((name, args, record))
    return flow


def test_bag_rules_derive_totals_and_non_free_bags():
    user = {"user_id": "u", "membership": "silver", "payment_methods": {}}
    r = {"reservation_id": "R1", "flights": [], "cabin": "economy", "passengers": [{}, {}], "total_baggages": 3,
         "nonfree_baggages": 0}
    flow = _flow(("get_user_details", {}, user), ("get_reservation_details", {}, r))
    flow.said_numbers.add(3.0)  # "I'd like to add 3 bags"
    args = {"reservation_id": "R1", "total_baggages": 6, "nonfree_baggages": 2}
    assert RULES.derive("update_reservation_baggages", "total_baggages", 6, flow, args)
    assert RULES.derive("update_reservation_baggages", "total_baggages", 7, flow, args) is None
    assert RULES.derive("update_reservation_baggages", "nonfree_baggages", 2, flow, args)  # 6 - 2 x 2 free
    assert RULES.derive("update_reservation_baggages", "nonfree_baggages", 1, flow, args) is None
    book = {"cabin": "business", "passengers": [{}], "total_baggages": 5}
    assert RULES.derive("book_reservation", "nonfree_baggages", 2, flow, book)  # silver business: 3 free
    assert RULES.derive("book_reservation", "nonfree_baggages", 3, flow, book) is None


def test_certificates_calculations_and_stated_amounts_follow_named_rules():
    r = {"reservation_id": "R1", "flights": [], "passengers": [{}, {}, {}]}
    flow = _flow(("get_reservation_details", {}, r),
                 ("search_direct_flight", {}, [{"prices": {"economy": 188}}]),
                 ("search_onestop_flight", {}, [[{"prices": {"economy": 100}}, {"prices": {"economy": 45}}]]))
    assert RULES.derive("send_certificate", "amount", 300, flow, {}) and RULES.derive("send_certificate", "amount",
                                                                                      150, flow, {})
    assert RULES.derive("send_certificate", "amount", 250, flow, {}) is None
    assert (RULES.derive("calculate", "expression", 30, flow, {})
            and RULES.derive("calculate", "expression", 4, flow, {}))
    assert RULES.derive("calculate", "expression", 31.5, flow, {}) is None
    assert RULES.amount(60, flow) and RULES.amount(376, flow) and RULES.amount(145, flow)  # 30x2, 188x2, 100+45
    assert RULES.amount(4321.99, flow) is None


def test_an_invented_certificate_amount_fails_in_a_conversation():
    task, episode = find(lambda t, e: any(c["function"]["name"] == "send_certificate" for m in e.messages
                                          for c in m.get("tool_calls") or []) and verify_episode(
        e, t, airline_data()).passed)
    bad = copy.deepcopy(episode)
    call = next(c for m in bad.messages for c in m.get("tool_calls") or []
                if c["function"]["name"] == "send_certificate")
    args = json.loads(call["function"]["arguments"])
    args["amount"] = 987
    call["function"]["arguments"] = json.dumps(args)
    assert "amount=987" in _flow_reason(task, bad)


def test_a_transfer_summary_may_only_mention_what_was_seen():
    task, episode = find(lambda t, e: e.termination == "transfer" and verify_episode(e, t, airline_data()).passed)
    call = next(c for m in episode.messages for c in m.get("tool_calls") or []
                if c["function"]["name"] == "transfer_to_human_agents")
    summary = json.loads(call["function"]["arguments"])["summary"]
    bad = copy.deepcopy(episode)
    target = next(c for m in bad.messages for c in m.get("tool_calls") or []
                  if c["function"]["name"] == "transfer_to_human_agents")
    target["function"]["arguments"] = json.dumps({"summary": summary + " See also reservation QQ9ZZ9."})
    assert "QQ9ZZ9" in _flow_reason(task, bad)
    near = copy.deepcopy(episode)
    target = next(c for m in near.messages for c in m.get("tool_calls") or []
                  if c["function"]["name"] == "transfer_to_human_agents")
    target["function"]["arguments"] = json.dumps({"summary": "The customer asks a human agent to handle it."})
    assert "information_flow" not in _failed(task, near)


def test_every_kept_booking_states_its_choices_before_the_write():
    """Customer-chosen values of every write were said by the customer (insurance, cabin, payment)."""
    checked = 0
    for task, episode in played():
        if not verify_episode(episode, task, airline_data()).passed:
            continue
        heard = ""
        for m in episode.messages:
            if m["role"] == "user" and m.get("content"):
                heard += " " + m["content"].lower()
            for c in m.get("tool_calls") or []:
                if c["function"]["name"] == "book_reservation":
                    args = json.loads(c["function"]["arguments"])
                    assert any(w in heard for w in INSURANCE[args["insurance"]]), task.id
                    assert args["cabin"].replace("_", " ") in heard, task.id
                    checked += 1
    assert checked

"""The telecom customer's words: every phone screen described (not pasted) with its facts grounded in the
words, answers grounded, the asked phone action performed as asked."""

from __future__ import annotations

import random

import pytest

from writ.data import load_data
from writ.dialogue.acts import act, grounding_problems
from writ.tasks.telecom.observe import read_output
from writ.users.scripted import Scenario
from writ.users.scripted import telecom as customer

CHECKS = ["check_status_bar", "check_network_status", "check_sim_status", "check_apn_settings", "run_speed_test",
          "check_data_restriction_status", "check_network_mode_preference", "check_vpn_status",
          "check_wifi_calling_status", "check_app_permissions", "can_send_mms", "check_payment_request"]
BREAKS = [[], ["turn_airplane_mode_on"], ["unseat_sim_card"], ["break_apn_settings"], ["turn_data_off"],
          ["turn_data_saver_mode_on"], ["break_apn_mms_setting"], ["break_vpn"], [("lock_sim_card", {"mode": "pin"})],
          [("set_network_mode_preference", {"mode": "2g_only"})], [("set_wifi_calling", {"enabled": True})],
          [("remove_app_permission", {"app_name": "messaging", "permission": "sms"})]]
FIXES = ["toggle_airplane_mode", "reseat_sim_card", "reset_apn_settings", "reboot_device", "toggle_data",
         "toggle_data_saver_mode", "disconnect_vpn", "toggle_wifi_calling"]


def _outputs():
    data = load_data("telecom", seed=0, scale=1.0)
    phone = next(iter(data.base.store().values("lines")))["phone_number"]
    for breaks in BREAKS:
        env = data.environment()
        env.run("user", "set_user_info", {"name": "A B", "phone_number": phone})
        for item in breaks:
            name, args = item if isinstance(item, tuple) else (item, {})
            env.run("user", name, args)
        for name in CHECKS + FIXES:
            args = {"app_name": "messaging"} if name == "check_app_permissions" else {}
            yield name, env.fork().step(name, args, requestor="user").content if hasattr(env, "fork") else \
                env.step(name, args, requestor="user").content


@pytest.mark.parametrize("register", ["plain", "terse"])
def test_every_screen_is_described_with_grounded_facts(register):
    rng = random.Random(0)
    seen_kinds = set()
    for name, output in _outputs():
        kind, facts = read_output(output)
        assert kind != "other", (name, output)
        seen_kinds.add(kind)
        for _ in range(3):
            text, slots = customer.describe_device(rng, output, register)
            assert grounding_problems([act("report", slots=slots)], text, customer.cues) == [], (name, text, slots)
            for raw in ("Status Bar:", "Airplane Mode:", "Speed Test Result", "Cellular", "\U0001F4F6", "{", "_"):
                assert raw not in text, (name, text)
            assert all(facts.get(k) == v for k, v in slots.items())  # the words carry the screen's facts
    assert {"status_bar", "network", "sim", "apn", "speed", "saver", "mode", "vpn", "wifi_calling", "perms", "mms",
            "payment_request", "done"} <= seen_kinds


@pytest.mark.parametrize("slot,value,frame", [
    ("abroad", True, {"country": "Japan"}), ("abroad", False, {}), ("gb_amount", 1.5, {}), ("gb_amount", 2.0, {}),
    ("network_mode", "4g_only", {}), ("network_mode", "4g_5g_preferred", {}), ("pay", False, {}), ("pay", True, {}),
    ("app", "messaging", {}), ("phone", "555-123-2002", {}), ("wifi", False, {}),
])
def test_answers_say_the_value(slot, value, frame):
    rng = random.Random(1)
    for _ in range(6):
        text = customer.answer_text(rng, slot, value, frame, "plain")
        assert grounding_problems([act("inform", slots={slot: value})], text, customer.cues) == [], text
        if slot == "abroad" and value:
            assert "Japan" in text


def test_the_asked_action_is_the_one_performed():
    call = customer.device_call({"act": "ask_device", "action": "grant_app_permission",
                                 "arguments": {"app_name": "messaging", "permission": "storage"}},
                                Scenario("telecom", [], {}, "", set()))
    assert (call.name, call.arguments, call.requestor) == ("grant_app_permission",
                                                           {"app_name": "messaging", "permission": "storage"}, "user")


def test_pushback_and_forbidden_asks_are_tied_to_the_request():
    from writ.users.scripted.scenario import ScenarioRequest

    rng = random.Random(2)
    line = ScenarioRequest({"family": "line", "relation": "son"})
    assert "son" in customer.pushback_text(rng, line, "plain")
    topic, text = customer.forbidden_ask(rng, Scenario("telecom", [], {}, "", set()), "plain")
    assert topic in ("free_data", "waive_bill") and text

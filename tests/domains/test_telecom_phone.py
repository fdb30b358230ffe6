"""Tests of telecom's phone simulation (network search, speed test, MMS, status bar, user tools,
initialisation helpers) and of the sync that carries agent-side changes to the phone."""

from __future__ import annotations

import pytest

from tests.domains.test_telecom import SB_DEFAULT, SB_EXCELLENT, call, env, john, shipped, user  # noqa: F401 (fixtures)
from writ.domains.telecom import phone
from writ.domains.telecom.user_schema import default_user_db
from writ.fingerprint import fingerprint


# -- the phone simulation -------------------------------------------------------------------------
def test_status_bar_examples():
    device = default_user_db()["device"]
    assert phone.status_bar(device) == SB_DEFAULT
    assert phone.status_bar({**device, "airplane_mode": True}) == "\u2708\uFE0F Airplane Mode | \U0001F50B 80%"
    no_signal = {**device, "network_signal_strength": "none", "network_technology_connected": "none"}
    assert phone.status_bar(no_signal) == "\U0001F4F5 No Signal | \U0001F4F5 Data Disabled | \U0001F50B 80%"
    full = {**device, "data_saver_mode": True, "wifi_enabled": True, "wifi_connected": True, "wifi_ssid": "Home",
            "vpn_connected": True, "network_signal_strength": "poor", "network_technology_connected": "2G"}
    assert phone.status_bar(full) == ("\U0001F4F6\u00B9 Poor | 2G | \U0001F4F1 Data Enabled | \U0001F53D Data Saver | "
                                      "\U0001F4E1 Connected to Home | \U0001F512 VPN Connected | \U0001F50B 80%")
    assert "\U0001F4E1 Enabled" in phone.status_bar({**full, "wifi_ssid": ""})
    assert phone.status_bar({**device, "network_signal_strength": "fair", "data_enabled": False}) == \
        "\U0001F4F6\u00B2 Fair | 5G | \U0001F4F5 Data Disabled | \U0001F50B 80%"


@pytest.mark.parametrize("tech, signal, vpn_poor, saver, expected", [
    ("5G", "excellent", False, False, (275.0, "Excellent")),
    ("5G", "good", False, False, (220.0, "Excellent")),
    ("4G", "good", False, False, (44.0, "Good")),
    ("3G", "fair", False, False, (1.5, "Poor")),
    ("2G", "poor", False, False, (0.05, "Very Poor")),
    ("5G", "good", True, False, (22.0, "Fair")),
    ("5G", "excellent", False, True, (55.0, "Good")),
])
def test_speed_test_figures(tech, signal, vpn_poor, saver, expected):
    user_db = default_user_db()
    device = {**user_db["device"], "network_technology_connected": tech, "network_signal_strength": signal,
              "data_saver_mode": saver}
    if vpn_poor:
        device.update(vpn_connected=True,
                      vpn_details={"server_address": None, "protocol": None, "server_performance": "poor"})
    assert phone.speed_test(device, user_db["surroundings"]) == expected


def test_initial_phone_is_good_until_the_first_search(shipped):
    env = john(shipped)
    assert user(env, "run_speed_test") == ("Speed Test Result: 220.00 Mbps (Excellent). Connection is very fast.")
    assert user(env, "check_status_bar") == f"Status Bar: {SB_DEFAULT}"
    assert user(env, "toggle_data") == ("Mobile Data is now OFF.\nStatus Bar: \U0001F4F6\u2074 Excellent | 5G | "
                                        "\U0001F4F5 Data Disabled | \U0001F50B 80%")
    assert user(env, "run_speed_test") == "Speed test failed: No Connection."
    assert user(env, "toggle_data") == f"Mobile Data is now ON.\nStatus Bar: {SB_EXCELLENT}"
    assert user(env, "run_speed_test") == "Speed Test Result: 275.00 Mbps (Excellent). Connection is very fast."


def test_network_status_and_reads(shipped):
    env = john(shipped)
    assert user(env, "check_network_status") == "\n".join([
        "Airplane Mode: OFF", "SIM Card Status: active", "Cellular Connection: connected", "Cellular Signal: good",
        "Cellular Network Type: 5G", "Mobile Data Enabled: Yes", "Data Roaming Enabled: No", "Wi-Fi Radio: OFF",
        "Wi-Fi Connected: No"])
    assert user(env, "check_network_mode_preference") == "Network Mode Preference: 4g_5g_preferred"
    assert user(env, "check_sim_status") == "Your SIM card is active and working."
    assert user(env, "check_data_restriction_status") == "Data Saver mode is OFF."
    assert user(env, "check_apn_settings") == ("Current APN Name: internet\nMMSC URL (for picture messages): "
                                               "http://mms.carrier.com/mms/wapenc\n(These are technical settings, "
                                               "usually best left unchanged.)")
    assert user(env, "check_wifi_status") == "Wi-Fi is turned OFF."
    assert user(env, "check_wifi_calling_status") == "Wi-Fi Calling is currently turned OFF."
    assert user(env, "check_vpn_status") == "VPN is turned OFF."
    assert user(env, "check_installed_apps") == "The following apps are installed on the phone: messaging, browser"
    assert user(env, "check_app_status", app_name="messaging") == \
        "Status for App: messaging\n - Permissions Granted:\n   - sms\n   - storage\n   - phone"
    assert user(env, "check_app_status", app_name="x") == "App 'x' not found on this phone."
    assert (user(env, "check_app_permissions", app_name="browser")
            == "App 'browser' has permission for: storage, network.")
    assert user(env, "can_send_mms") == "Your messaging app can send MMS messages."
    assert user(env, "check_payment_request") == "No payment request has been made."
    assert user(env, "make_payment") == "You do not have a payment request."


def test_phone_writes(shipped):
    env = john(shipped)
    assert (user(env, "toggle_airplane_mode")
            == "Airplane Mode is now ON.\nStatus Bar: \u2708\uFE0F Airplane Mode | \U0001F50B 80%")
    assert user(env, "toggle_wifi") == ("Cannot change Wi-Fi settings while Airplane Mode is ON.\nStatus Bar: "
                                        "\u2708\uFE0F Airplane Mode | \U0001F50B 80%")
    assert (user(env, "check_network_status").splitlines()[2:4]
            == ["Cellular Connection: no_service", "Cellular Signal: none"])
    user(env, "toggle_airplane_mode")
    assert user(env, "toggle_wifi") == f"Wi-Fi is now ON.\nStatus Bar: {SB_EXCELLENT}"
    assert user(env, "check_wifi_status") == "Wi-Fi is ON but not connected to any network."
    assert user(env, "toggle_wifi_calling").startswith("Wi-Fi Calling is now ON.\nStatus Bar: ")
    assert user(env, "toggle_data_saver_mode").endswith(
        "| \U0001F4F1 Data Enabled | \U0001F53D Data Saver | \U0001F50B 80%")
    assert user(env, "check_data_restriction_status") == "Data Saver mode is ON (limits data usage)."
    assert user(env, "toggle_roaming").startswith("Data Roaming is now ON.")
    assert user(env, "set_network_mode_preference", mode="3g_only") == \
        ("Preferred Network Mode set to: 3g_only\nStatus Bar: \U0001F4F6\u00B2 Fair | 3G | \U0001F4F1 Data Enabled | "
         "\U0001F53D Data Saver | \U0001F50B 80%")
    assert user(env, "reset_apn_settings").startswith("APN settings will reset at reboot.\nStatus Bar: ")
    assert user(env, "reboot_device").startswith(
        "Resetting APN settings...\nRestarting network services...\nStatus Bar: ")
    assert user(env, "reboot_device").startswith("Restarting network services...\nStatus Bar: ")


def test_phone_quirky_results(shipped):
    env = john(shipped)
    bad = user(env, "set_network_mode_preference", mode="5g_only")
    assert bad == ("Failed to set network mode: '5g_only' is not a valid option. Please use one of: 4g_5g_preferred, "
                   f"4g_only, 3g_only, 2g_only\nStatus Bar: {SB_DEFAULT}")
    assert not env.step("set_network_mode_preference", {"mode": "5g_only"}, requestor="user").error
    # A non-string is stored raw, the search falls back to 4G and the call fails after the change.
    result = env.step("set_network_mode_preference", {"mode": 5}, requestor="user")
    assert result.error and result.content == "Error: 'int' object has no attribute 'value'"
    assert env.user_db.get("device")["network_mode_preference"] == 5
    assert env.user_db.get("device")["network_technology_connected"] == "4G"
    assert user(env, "check_network_mode_preference") == "Error: 'int' object has no attribute 'value'"
    # Returned "Error." texts are results, not tool errors.
    result = env.step("grant_app_permission", {"app_name": "messaging", "permission": "Camera"}, requestor="user")
    assert not result.error and result.content.startswith(
        "Error. Permission 'camera' not tracked for app 'messaging', available permissions: "
        "['sms', 'storage', 'phone', 'network']\nStatus Bar: ")
    assert user(env, "grant_app_permission", app_name="x", permission="sms").startswith(
        "Error. App 'x' not found. Cannot grant permission.\nStatus Bar: ")
    assert user(env, "grant_app_permission", app_name="browser", permission="SMS").startswith(
        "Success. Permission 'sms' granted to app 'browser'.")
    assert user(env, "disconnect_vpn").startswith("No active VPN connection to disconnect.\nStatus Bar: ")


def test_set_apn_settings(shipped):
    env = john(shipped)
    out = user(env, "set_apn_settings", apn_settings={"apn_name": "broken"})
    assert out == ("APN settings set to: broken\nStatus Bar: \U0001F4F5 No Signal | \U0001F4F5 Data Disabled | "
                   "\U0001F50B 80%")
    apn = env.user_db.get("device")["active_apn_settings"]
    assert apn == {"apn_name": "broken", "reset_at_reboot": False, "mms_apn": "mms",
                   "mmsc_url": "http://mms.carrier.com/mms/wapenc", "mms_proxy": None, "mms_port": None}
    result = env.step("set_apn_settings", {"apn_settings": {"apn_name": "internet", "colour": 1}}, requestor="user")
    assert result.error and result.content.startswith("Error: 1 validation error for APNSettings")
    assert env.user_db.get("device")["active_apn_settings"]["apn_name"] == "broken"  # unchanged
    assert user(env, "set_apn_settings", apn_settings={}).startswith(
        "APN settings set to: internet\nStatus Bar: \U0001F4F6\u2074")


def test_vpn_status_repr_and_per_environment_shared_details(shipped):
    env = john(shipped)
    assert user(env, "connect_vpn") == ("VPN connected successfully.\nStatus Bar: \U0001F4F6\u00B3 Good | 5G | "
                                        "\U0001F4F1 Data Enabled | \U0001F512 VPN Connected | \U0001F50B 80%")
    assert user(env, "connect_vpn") == "VPN already connected."
    assert user(env, "check_vpn_status") == ("VPN is ON and connected. Details: {'server_address': '192.168.1.1', "
                                             "'protocol': 'OpenVPN', 'server_performance': "
                                             "<PerformanceLevel.EXCELLENT: 'excellent'>}")
    # tau2 shares one details object per process and break_vpn degrades it; writ keeps it per environment.
    broken = john(shipped)
    broken.run("user", "break_vpn")
    assert "<PerformanceLevel.POOR: 'poor'>" in user(broken, "check_vpn_status")
    assert user(broken, "run_speed_test").startswith("Speed Test Result: 22.00 Mbps (Fair).")
    user(broken, "disconnect_vpn")
    assert user(broken, "run_speed_test").startswith("Speed Test Result: 220.00 Mbps (Excellent).")
    user(broken, "connect_vpn")  # same environment: the shared details are still poor
    assert "<PerformanceLevel.POOR: 'poor'>" in user(broken, "check_vpn_status")
    fork = broken.fork()  # a fork continues the same environment history
    user(fork, "disconnect_vpn")
    user(fork, "connect_vpn")
    assert "POOR" in user(fork, "check_vpn_status")
    fresh = john(shipped)  # other environments start like a fresh tau2 process
    user(fresh, "connect_vpn")
    assert "EXCELLENT" in user(fresh, "check_vpn_status")
    assert "EXCELLENT" in user(env, "check_vpn_status")
    assert broken.user_db.dump()["device"]["vpn_details"]["server_performance"] == "poor"
    assert broken.user_fingerprint() == fingerprint(broken.user_db.dump())
    broken.reset()
    user(broken, "connect_vpn")
    assert "EXCELLENT" in user(broken, "check_vpn_status")


def test_airplane_mode_drops_vpn_and_wifi(shipped):
    env = john(shipped)
    user(env, "connect_vpn")
    user(env, "toggle_wifi")
    env.user_db.edit("device").update(wifi_connected=True, wifi_ssid="Cafe", wifi_signal_strength="good")
    assert "\U0001F4E1 Connected to Cafe" in user(env, "check_status_bar")
    assert user(env, "check_network_status").endswith("Wi-Fi Connected: Yes\nConnected Wi-Fi Network: Cafe")
    user(env, "toggle_airplane_mode")
    device = env.user_db.get("device")
    assert (device["vpn_connected"], device["vpn_details"], device["wifi_connected"], device["wifi_ssid"],
            device["wifi_enabled"]) == (False, None, False, None, True)


def test_initialisation_helpers(shipped):
    env = john(shipped)
    run = env.run
    run("user", "lock_sim_card", {"mode": "puk"})
    assert user(env, "check_sim_status") == "The SIM card is locked with a PUK code."
    assert user(env, "reseat_sim_card").endswith("\U0001F4F5 No Signal | \U0001F4F5 Data Disabled | \U0001F50B 80%")
    env = john(shipped)
    env.run("user", "unseat_sim_card")
    assert user(env, "check_sim_status") == "No SIM card detected in the phone."
    assert env.run("user", "assert_service_status", {"expected_status": "no_service"}) is True
    env.run("user", "break_apn_mms_setting")
    assert user(env, "check_apn_settings").splitlines()[1] == "MMSC URL (for picture messages): Not Set"
    assert env.run("user", "set_wifi_calling", {"enabled": True, "mms_over_wifi": True}) == \
        "Wi-Fi Calling is now ON.\nMMS over Wi-Fi is now ON."
    assert env.run("user", "remove_app_permission", {"app_name": "messaging", "permission": "SMS"}) == \
        (True, "Permission 'sms' removed from app 'messaging'.")
    assert env.run("user", "remove_app_permission", {"app_name": "nope", "permission": "sms"}) == \
        (False, "App 'nope' not found. Cannot remove permission.")
    assert env.run("user", "turn_data_saver_mode_on") == "Data Saver Mode is now ON."
    assert env.run("user", "turn_data_saver_mode_on") == "Data Saver Mode is now ON."
    assert env.run("user", "assert_mobile_data_saver_mode_status", {"expected_status": True})
    assert env.run("user", "turn_airplane_mode_off") == "Airplane Mode is now OFF."
    assert env.run("user", "assert_airplane_mode_status", {"expected_status": False})
    assert env.run("user", "turn_data_on") == "Data connection restored."
    assert env.run("user", "assert_internet_speed", {"expected_speed": 0, "expected_desc": "No Connection"})
    assert env.run("user", "assert_internet_not_excellent")
    assert env.run("user", "assert_can_send_mms", {"expected_status": False})


# -- sync -----------------------------------------------------------------------------------------
def test_sync_mirrors_the_line_and_settles_payments(shipped):
    env = john(shipped)
    env.run("agent", "suspend_line_for_overdue_bill",
            {"customer_id": "C1001", "line_id": "L1002", "new_bill_id": "B1234321", "contract_ended": False})
    env.run("user", "simulate_network_search")
    assert env.user_db.get("surroundings")["line_active"] is False
    assert (user(env, "check_status_bar")
            == "Status Bar: \U0001F4F5 No Signal | \U0001F4F5 Data Disabled | \U0001F50B 80%")
    assert call(env, "send_payment_request", customer_id="C1001", bill_id="B1234321") == \
        "Payment request sent to the customer for bill B1234321"
    assert user(env, "check_payment_request") == "You have a payment request for bill B1234321 of 65.0 USD."
    assert user(env, "make_payment") == "Payment of 65.0 USD has been made for bill B1234321."
    assert env.db.get("bills", "B1234321")["status"] == "Paid"
    assert env.user_db.get("surroundings")["payment_request"] is None
    call(env, "resume_line", customer_id="C1001", line_id="L1002")
    # sync never searches: the phone shows no service until something searches.
    assert env.user_db.get("surroundings")["line_active"] is True
    assert env.user_db.get("device")["network_connection_status"] == "no_service"
    assert user(env, "reboot_device") == f"Restarting network services...\nStatus Bar: {SB_EXCELLENT}"


def test_sync_data_and_roaming_flags(shipped):
    env = john(shipped)
    env.run("user", "set_user_location", {"abroad": True})
    assert env.user_db.get("surroundings")["roaming_allowed"] is True
    user(env, "toggle_roaming")
    assert user(env, "run_speed_test").startswith("Speed Test Result: 275.00")
    call(env, "disable_roaming", customer_id="C1001", line_id="L1002")
    assert user(env, "run_speed_test") == "Speed test failed: No Connection."
    env.run("agent", "set_data_usage", {"customer_id": "C1001", "line_id": "L1002", "data_used_gb": 15.0})
    assert env.user_db.get("surroundings")["mobile_data_usage_exceeded"] is True  # used >= limit + refuel
    call(env, "refuel_data", customer_id="C1001", line_id="L1002", gb_amount=0.5)
    assert env.user_db.get("surroundings")["mobile_data_usage_exceeded"] is False


def test_sync_failure_is_reported_after_the_change(env):
    env.user_db.edit("surroundings")["phone_number"] = "555-999-9999"
    result = env.step("enable_roaming", {"customer_id": "C1", "line_id": "L1"})
    assert result.content == "Error: Line with phone number 555-999-9999 not found"
    result = env.step("disable_roaming", {"customer_id": "C1", "line_id": "L1"})
    assert result.error and env.db.get("lines", "L1")["roaming_enabled"] is False  # the change happened
    assert not env.step("disable_roaming", {"customer_id": "C1", "line_id": "L1"}, sync=False).error


def test_no_sync_without_a_user_phone(env):
    assert env.user_db.get("surroundings")["phone_number"] is None
    call(env, "suspend_line", customer_id="C1", line_id="L1", reason="x")
    assert env.user_db.get("surroundings")["line_active"] is True

"""The simulated phone: network search, mobile data, speed test, MMS and the status bar.

Pure functions over the plain ``device`` and ``surroundings`` dicts of the user database; the ones
that change the phone take the *edited* device record (see `Store.edit`). They reproduce tau2's
`TelecomUserTools` core logic step by step, including its order of overrides in the network search.

The shared VPN object (tau2 quirk, TOOLS_SPEC §7.7): tau2's `connect_vpn` attaches one class-level
details object to the phone and `break_vpn` degrades that very object to "poor", so inside one
Python process every later connection is poor too. writ keeps that shared object *per environment*:
an environment starts like a fresh tau2 process (excellent); once `break_vpn` ran in it (or in the
environment it was forked from), later `connect_vpn` calls in it attach poor details, as tau2's
would in that process. Other environments are never affected. The flag lives in a hidden overlay
entry of the user store (carried by `fork`, dropped by `reset`, outside dumps and fingerprints).
"""

from __future__ import annotations

from typing import Any

from writ.store import Store

__all__ = [
    "apn_attr",
    "can_send_mms",
    "default_vpn_details",
    "degrade_shared_vpn",
    "mobile_data_working",
    "network_search",
    "sim_status",
    "speed_test",
    "status_bar",
]

NO_SIGNAL = "\U0001F4F5 No Signal"
SIGNAL_TEXT = {
    "none": NO_SIGNAL,
    "poor": "\U0001F4F6\u00B9 Poor",
    "fair": "\U0001F4F6\u00B2 Fair",
    "good": "\U0001F4F6\u00B3 Good",
    "excellent": "\U0001F4F6\u2074 Excellent",
}
AIRPLANE = "\u2708\uFE0F Airplane Mode"
DATA_ENABLED = "\U0001F4F1 Data Enabled"
DATA_SAVER = "\U0001F53D Data Saver"
DATA_DISABLED = "\U0001F4F5 Data Disabled"
WIFI = "\U0001F4E1"
VPN = "\U0001F512 VPN Connected"
BATTERY = "\U0001F50B"

TECH_SPEED = {"2G": (0.1, 0.4), "3G": (1.0, 5.0), "4G": (10.0, 100.0), "5G": (50.0, 500.0), "none": (0.0, 0.0)}
SIGNAL_FACTOR = {"poor": 0.2, "fair": 0.5, "good": 0.8, "excellent": 1.0, "none": 0.0}
MODE_TECH = {"4g_only": "4G", "3g_only": "3G", "2g_only": "2G"}


def apn_attr(apn: Any, name: str) -> Any:
    """``apn.name`` with Python's error when the APN slot holds a raw non-record value."""
    if isinstance(apn, dict):
        return apn[name]
    raise AttributeError(f"'{type(apn).__name__}' object has no attribute '{name}'")


def sim_status(device: dict) -> str:
    return "missing" if device["sim_card_missing"] else device["sim_card_status"]


def _no_service(device: dict) -> None:
    device["network_connection_status"] = "no_service"
    device["network_technology_connected"] = "none"
    device["network_signal_strength"] = "none"


def network_search(device: dict, surroundings: dict) -> None:
    """Recompute connection status, technology and signal (mutates the edited `device`)."""
    signals = surroundings["signal_strength"]
    if sim_status(device) == "active":
        device["network_connection_status"] = "connected"
        pref = device["network_mode_preference"]
        if pref == "4g_5g_preferred":
            five_g = signals.get("5G", "none")
            if five_g == "none":
                tech, signal = "4G", signals.get("4G", "none")
            else:
                tech, signal = "5G", five_g
        else:  # an unknown (raw) preference falls back to 4G, as in tau2
            tech = MODE_TECH.get(pref, "4G") if isinstance(pref, str) else "4G"
            signal = signals.get(tech, "none")
        device["network_technology_connected"] = tech
        device["network_signal_strength"] = signal
    else:
        _no_service(device)
    if device["airplane_mode"]:
        _no_service(device)
    if apn_attr(device["active_apn_settings"], "apn_name") == "broken":
        _no_service(device)
    if not surroundings["line_active"]:
        _no_service(device)


def mobile_data_working(device: dict, surroundings: dict) -> bool:
    if device["airplane_mode"] or device["network_signal_strength"] == "none":
        return False
    if device["network_connection_status"] == "no_service":
        return False
    if surroundings["is_abroad"] and (not device["roaming_enabled"] or not surroundings["roaming_allowed"]):
        return False
    if not device["data_enabled"]:
        return False
    if surroundings["mobile_data_usage_exceeded"]:
        return False
    return True


def speed_test(device: dict, surroundings: dict) -> tuple[float | None, str]:
    """(speed in Mbps rounded to 2 places, description) or (None, "No Connection")."""
    if not mobile_data_working(device, surroundings):
        return None, "No Connection"
    details = device["vpn_details"]
    if device["vpn_connected"] and details and details["server_performance"] == "poor":
        factor = 0.1
    else:
        factor = 1.0
    if device["data_saver_mode"]:
        factor *= 0.2
    low, high = TECH_SPEED.get(device["network_technology_connected"], (0.0, 0.0))
    signal = SIGNAL_FACTOR.get(device["network_signal_strength"], 0.0)
    speed = round((low + high) / 2.0 * signal * factor, 2)
    if speed < 1:
        desc = "Very Poor"
    elif speed < 5:
        desc = "Poor"
    elif speed < 25:
        desc = "Fair"
    elif speed < 100:
        desc = "Good"
    else:
        desc = "Excellent"
    return speed, desc


def can_send_mms(device: dict, surroundings: dict) -> bool:
    if not mobile_data_working(device, surroundings):
        return False
    if device["network_technology_connected"] == "2G":
        return False
    if device["wifi_calling_enabled"] and device["wifi_calling_mms_over_wifi"]:
        return False
    if apn_attr(device["active_apn_settings"], "mmsc_url") is None:
        return False
    app = device["app_statuses"].get("messaging")
    if app is None:
        return False
    return bool(app["permissions"]["storage"] and app["permissions"]["sms"])


def status_bar(device: dict) -> str:
    parts = []
    if device["airplane_mode"]:
        parts.append(AIRPLANE)
    else:
        parts.append(SIGNAL_TEXT.get(device["network_signal_strength"], NO_SIGNAL))
        tech = device["network_technology_connected"]
        if tech != "none":
            parts.append(tech)
        if device["data_enabled"] and tech != "none":
            parts.append(DATA_ENABLED)
            if device["data_saver_mode"]:
                parts.append(DATA_SAVER)
        else:
            parts.append(DATA_DISABLED)
    if device["wifi_enabled"] and device["wifi_connected"]:
        ssid = device["wifi_ssid"]
        parts.append(f"{WIFI} Connected to {ssid}" if ssid else f"{WIFI} Enabled")
    if device["vpn_connected"]:
        parts.append(VPN)
    parts.append(f"{BATTERY} {device['battery_level']}%")
    return " | ".join(parts)


# -- the per-environment "shared" VPN details (see the module docstring) --------------------------

_SHARED_VPN = "telecom_vpn_degraded"  # key in the store's per-episode scratch (never dumped or fingerprinted)


def default_vpn_details(db: Store) -> dict:
    """The details `connect_vpn` attaches: excellent, or poor once `break_vpn` ran here."""
    degraded = bool(db.scratch.get(_SHARED_VPN))
    return {"server_address": "192.168.1.1", "protocol": "OpenVPN",
            "server_performance": "poor" if degraded else "excellent"}


def degrade_shared_vpn(db: Store) -> None:
    db.scratch[_SHARED_VPN] = True


PERFORMANCE_NAMES = {"unknown": "UNKNOWN", "poor": "POOR", "fair": "FAIR", "good": "GOOD", "excellent": "EXCELLENT"}


def vpn_details_repr(details: dict) -> str:
    """Python's repr of tau2's details dump: a dict whose performance is a `PerformanceLevel` member."""
    items = []
    for key, value in details.items():
        if key == "server_performance" and value in PERFORMANCE_NAMES:
            text = f"<PerformanceLevel.{PERFORMANCE_NAMES[value]}: {value!r}>"
        else:
            text = repr(value)
        items.append(f"{key!r}: {text}")
    return "{" + ", ".join(items) + "}"

"""The telecom user's phone tools (tau2's `TelecomUserTools`), in tau2's definition order.

These run on the user database (``device`` and ``surroundings``). Many return the action's outcome
followed by ``"\\nStatus Bar: ..."``. Texts that read like errors but are *returned* (e.g.
``grant_app_permission``'s ``Error. ...``) are ordinary results, as in tau2.
"""

from __future__ import annotations

from typing import Any

from writ.core import Toolbox
from writ.domains.telecom import phone
from writ.domains.telecom.schema import plain
from writ.domains.telecom.switches import (
    flip_airplane,
    flip_data,
    flip_data_saver,
    flip_roaming,
    flip_wifi_calling,
)
from writ.domains.telecom.switches import (
    search as _search,
)
from writ.domains.telecom.user_schema import NETWORK_MODES, APNSettings, default_apn
from writ.store import Store

__all__ = ["user_box"]

user_box = Toolbox(owner="TelecomUserTools", side="user")

SPEED_ADVICE = {
    "Very Poor": "Connection is very slow. Basic web browsing might be difficult.",
    "Poor": "Connection is slow. Web browsing may be sluggish, streaming difficult.",
    "Fair": "Connection is okay for web browsing and some standard definition streaming.",
    "Good": "Connection is good for most activities, including HD streaming.",
    "Excellent": "Connection is very fast.",
}
SIM_TEXT = {
    "active": "Your SIM card is active and working.",
    "missing": "No SIM card detected in the phone.",
    "locked_pin": "The SIM card is locked with a PIN code.",
    "locked_puk": "The SIM card is locked with a PUK code.",
}
PERMISSIONS = ["sms", "storage", "phone", "network"]


def _with_bar(text: str, device: dict) -> str:
    return f"{text}\nStatus Bar: {phone.status_bar(device)}"


def _on_off(flag: Any) -> str:
    return "ON" if flag else "OFF"


@user_box.read
def check_status_bar(db: Store) -> str:
    """Read the icons at the top of your phone's screen: signal bars, network type, mobile data and data saver, Wi-Fi,
    VPN, airplane mode and battery."""
    return f"Status Bar: {phone.status_bar(db.get('device'))}"


@user_box.read
def check_network_status(db: Store) -> str:
    """Show how your phone is connected: airplane mode, SIM, cellular connection, signal and network type, mobile data,
    data roaming and Wi-Fi."""
    d = db.get("device")
    lines = [
        f"Airplane Mode: {_on_off(d['airplane_mode'])}",
        f"SIM Card Status: {phone.sim_status(d)}",
        f"Cellular Connection: {d['network_connection_status']}",
        f"Cellular Signal: {d['network_signal_strength']}",
        f"Cellular Network Type: {d['network_technology_connected']}",
        f"Mobile Data Enabled: {'Yes' if d['data_enabled'] else 'No'}",
        f"Data Roaming Enabled: {'Yes' if d['roaming_enabled'] else 'No'}",
        f"Wi-Fi Radio: {_on_off(d['wifi_enabled'])}",
        f"Wi-Fi Connected: {'Yes' if d['wifi_connected'] else 'No'}",
    ]
    if d["wifi_connected"]:
        lines.append(f"Connected Wi-Fi Network: {d['wifi_ssid']}")
    return "\n".join(lines)


def _mode_value(mode: Any) -> str:
    if isinstance(mode, str):
        return mode
    raise AttributeError(f"'{type(mode).__name__}' object has no attribute 'value'")


@user_box.read
def check_network_mode_preference(db: Store) -> str:
    """Show which kind of cellular network (5G/4G, 4G, 3G or 2G) your phone prefers."""
    return f"Network Mode Preference: {_mode_value(db.get('device')['network_mode_preference'])}"


@user_box.write
def set_network_mode_preference(db: Store, mode: str) -> str:
    """Choose which kind of cellular network your phone prefers. Faster generations (5G, 4G) give faster data but can
    use more battery.

    Args:
        mode: One of "4g_5g_preferred", "4g_only", "3g_only", "2g_only".
    """
    if isinstance(mode, str) and mode not in NETWORK_MODES:
        return _with_bar(f"Failed to set network mode: '{mode}' is not a valid option. Please use one of: "
                         f"{', '.join(NETWORK_MODES)}", db.get("device"))
    # A non-string is stored raw and then fails on `.value`, leaving the change in place (tau2 quirk).
    device = db.edit("device")
    device["network_mode_preference"] = mode
    _search(db, device)
    return _with_bar(f"Preferred Network Mode set to: {_mode_value(mode)}", device)


@user_box.read
def run_speed_test(db: Store) -> str:
    """Measure your mobile internet download speed and say what it is good enough for."""
    speed, desc = phone.speed_test(db.get("device"), db.get("surroundings"))
    if speed is None:
        return f"Speed test failed: {desc}."
    return f"Speed Test Result: {speed:.2f} Mbps ({desc}). {SPEED_ADVICE[desc]}"


@user_box.write
def toggle_airplane_mode(db: Store) -> str:
    """Switch Airplane Mode on or off. While on, every radio (cellular, Wi-Fi, Bluetooth) is off."""
    return _with_bar(f"Airplane Mode is now {_on_off(flip_airplane(db))}.", db.get("device"))


@user_box.read
def check_sim_status(db: Store) -> str:
    """Check whether your SIM card works: active, missing, or locked by a PIN or PUK code."""
    return SIM_TEXT[phone.sim_status(db.get("device"))]


@user_box.write
def reseat_sim_card(db: Store) -> str:
    """Take the SIM card out and put it back in, which can fix a SIM that is not recognised."""
    device = db.edit("device")
    device["sim_card_missing"] = False
    _search(db, device)
    return _with_bar("SIM card re-seated successfully.", device)


@user_box.write
def toggle_data(db: Store) -> str:
    """Switch mobile data on or off, i.e. whether the phone may use the cellular network for internet."""
    return _with_bar(f"Mobile Data is now {_on_off(flip_data(db))}.", db.get("device"))


@user_box.write
def toggle_roaming(db: Store) -> str:
    """Switch Data Roaming on or off. When on, the phone may use data on networks outside your carrier's area, e.g.
    abroad."""
    return _with_bar(f"Data Roaming is now {_on_off(flip_roaming(db))}.", db.get("device"))


@user_box.read
def check_data_restriction_status(db: Store) -> str:
    """Check whether a data-limiting feature (Data Saver mode) is on."""
    if db.get("device")["data_saver_mode"]:
        return "Data Saver mode is ON (limits data usage)."
    return "Data Saver mode is OFF."


@user_box.write
def toggle_data_saver_mode(db: Store) -> str:
    """Switch Data Saver mode on or off. It cuts data use but can slow your connection."""
    return _with_bar(f"Data Saver Mode is now {_on_off(flip_data_saver(db))}.", db.get("device"))


@user_box.read
def check_apn_settings(db: Store) -> str:
    """Show the APN (carrier access point) settings: the APN name and the MMSC URL used for picture messages."""
    apn = db.get("device")["active_apn_settings"]
    if not isinstance(apn, dict):  # tau2 first copies the settings object
        raise AttributeError(f"'{type(apn).__name__}' object has no attribute 'model_copy'")
    name = phone.apn_attr(apn, "apn_name") or "Not Set"
    url = phone.apn_attr(apn, "mmsc_url") or "Not Set"
    return (f"Current APN Name: {name}\nMMSC URL (for picture messages): {url}\n"
            "(These are technical settings, usually best left unchanged.)")


@user_box.write
def set_apn_settings(db: Store, apn_settings: dict) -> str:
    """Replace the phone's APN settings.

    Args:
        apn_settings: The new settings: apn_name ("internet" or "broken"), reset_at_reboot, mms_apn, mmsc_url,
            mms_proxy, mms_port. Omitted fields take their defaults.
    """
    if isinstance(apn_settings, dict):
        apn_settings = plain(APNSettings(**apn_settings).model_dump())
    device = db.edit("device")
    device["active_apn_settings"] = apn_settings  # a non-object is stored raw, then fails (tau2 quirk)
    text = f"APN settings set to: {phone.apn_attr(apn_settings, 'apn_name')}"
    _search(db, device)
    return _with_bar(text, device)


@user_box.write
def reset_apn_settings(db: Store) -> str:
    """Restore the default APN settings. The reset takes effect at the next reboot."""
    device = db.edit("device")
    apn = device["active_apn_settings"]
    if not isinstance(apn, dict):
        phone.apn_attr(apn, "reset_at_reboot")  # raises as tau2's attribute assignment would
    apn["reset_at_reboot"] = True
    _search(db, device)
    return _with_bar("APN settings will reset at reboot.", device)


@user_box.read
def check_wifi_status(db: Store) -> str:
    """Check Wi-Fi: whether it is on, which network it is connected to, and the signal strength."""
    d = db.get("device")
    if not d["wifi_enabled"]:
        return "Wi-Fi is turned OFF."
    if d["wifi_connected"]:
        return f"Wi-Fi is ON and connected to '{d['wifi_ssid']}'. Signal strength: {d['wifi_signal_strength']}."
    return "Wi-Fi is ON but not connected to any network."


@user_box.write
def toggle_wifi(db: Store) -> str:
    """Switch the Wi-Fi radio on or off (not possible while Airplane Mode is on)."""
    if db.get("device")["airplane_mode"]:
        return _with_bar("Cannot change Wi-Fi settings while Airplane Mode is ON.", db.get("device"))
    device = db.edit("device")
    device["wifi_enabled"] = not device["wifi_enabled"]
    if not device["wifi_enabled"]:
        device["wifi_connected"], device["wifi_ssid"], device["wifi_signal_strength"] = False, None, "none"
    return _with_bar(f"Wi-Fi is now {_on_off(device['wifi_enabled'])}.", device)


@user_box.read
def check_wifi_calling_status(db: Store) -> str:
    """Check whether Wi-Fi Calling (calls over Wi-Fi instead of the cellular network) is on."""
    return f"Wi-Fi Calling is currently turned {_on_off(db.get('device')['wifi_calling_enabled'])}."


@user_box.write
def toggle_wifi_calling(db: Store) -> str:
    """Switch Wi-Fi Calling on or off. It lets you call over Wi-Fi, which helps where cellular signal is weak."""
    return _with_bar(f"Wi-Fi Calling is now {_on_off(flip_wifi_calling(db))}.", db.get("device"))


@user_box.read
def check_vpn_status(db: Store) -> str:
    """Check whether a VPN is set up and connected, with the connection's details when available."""
    d = db.get("device")
    if d["vpn_connected"]:
        details = d["vpn_details"]
        if details:
            return f"VPN is ON and connected. Details: {phone.vpn_details_repr(details)}"
        return "VPN is ON and connected (no specific details available)."
    if d["vpn_enabled_setting"]:
        return "VPN is turned ON in settings, but currently not connected."
    return "VPN is turned OFF."


@user_box.write
def connect_vpn(db: Store) -> str:
    """Connect to your VPN."""
    if db.get("device")["vpn_connected"]:
        return "VPN already connected."
    device = db.edit("device")
    device["vpn_connected"] = True
    device["vpn_details"] = phone.default_vpn_details(db)
    return _with_bar("VPN connected successfully.", device)


@user_box.write
def disconnect_vpn(db: Store) -> str:
    """Disconnect the active VPN connection, so traffic no longer goes through the VPN server."""
    if not db.get("device")["vpn_connected"]:
        return _with_bar("No active VPN connection to disconnect.", db.get("device"))
    device = db.edit("device")
    device["vpn_connected"], device["vpn_details"] = False, None
    return _with_bar("VPN disconnected successfully.", device)


@user_box.read
def check_installed_apps(db: Store) -> str:
    """List the apps installed on the phone."""
    return f"The following apps are installed on the phone: {', '.join(db.get('device')['app_statuses'])}"


def _granted(app: dict) -> list[str]:
    return [name.replace("_", " ").lower() for name, allowed in app["permissions"].items() if allowed]


@user_box.read
def check_app_status(db: Store, app_name: str) -> str:
    """Show an app's status, including the permissions it has been granted.

    Args:
        app_name: The app's name, e.g. "messaging".
    """
    app = db.get("device")["app_statuses"].get(app_name)
    if app is None:
        return f"App '{app_name}' not found on this phone."
    lines = [f"Status for App: {app_name}"]
    granted = _granted(app)
    if not granted:
        lines.append(" - Permissions: None granted.")
    else:
        lines.append(" - Permissions Granted:")
        lines.extend(f"   - {perm}" for perm in granted)
    return "\n".join(lines)


@user_box.read
def check_app_permissions(db: Store, app_name: str) -> str:
    """List the permissions (sms, storage, phone, network) an app currently has.

    Args:
        app_name: The app's name, e.g. "messaging".
    """
    app = db.get("device")["app_statuses"].get(app_name)
    if app is None:
        return f"App '{app_name}' not found on this phone."
    granted = _granted(app)
    if not granted:
        return f"App '{app_name}' currently has no permissions granted."
    return f"App '{app_name}' has permission for: {', '.join(granted)}."


@user_box.write
def grant_app_permission(db: Store, app_name: str, permission: str) -> str:
    """Give an app a permission it needs, such as storage or sms.

    Args:
        app_name: The app's name, e.g. "messaging".
        permission: The permission to grant, in lowercase: "sms", "storage", "phone" or "network".
    """
    app = db.get("device")["app_statuses"].get(app_name)
    permission = permission.lower()
    if app is None:
        return _with_bar(f"Error. App '{app_name}' not found. Cannot grant permission.", db.get("device"))
    available = list(app["permissions"])
    if permission not in available:
        return _with_bar(f"Error. Permission '{permission}' not tracked for app '{app_name}', "
                         f"available permissions: {available}", db.get("device"))
    device = db.edit("device")
    device["app_statuses"][app_name]["permissions"][permission] = True
    return _with_bar(f"Success. Permission '{permission}' granted to app '{app_name}'.", device)


@user_box.read
def can_send_mms(db: Store) -> str:
    """Check whether the messaging app can currently send MMS (picture/video) messages."""
    if phone.can_send_mms(db.get("device"), db.get("surroundings")):
        return "Your messaging app can send MMS messages."
    return "Your messaging app cannot send MMS messages."


@user_box.write
def reboot_device(db: Store) -> str:
    """Restart the phone, which refreshes its services and connections and applies a pending APN reset."""
    device = db.edit("device")
    lines = []
    if phone.apn_attr(device["active_apn_settings"], "reset_at_reboot"):
        lines.append("Resetting APN settings...")
        device["active_apn_settings"] = default_apn()
    lines.append("Restarting network services...")
    device["network_connection_status"] = "searching"
    _search(db, device)
    return _with_bar("\n".join(lines), device)


@user_box.read
def check_payment_request(db: Store) -> str:
    """Check whether the agent has sent you a request to pay a bill."""
    request = db.get("surroundings")["payment_request"]
    if request is None:
        return "No payment request has been made."
    return f"You have a payment request for bill {request['bill_id']} of {request['amount_due']} USD."


@user_box.write
def make_payment(db: Store) -> str:
    """Pay the bill the agent has sent you a payment request for."""
    if db.get("surroundings")["payment_request"] is None:
        return "You do not have a payment request."
    request = db.edit("surroundings")["payment_request"]
    request["paid"] = True
    return f"Payment of {request['amount_due']} USD has been made for bill {request['bill_id']}."

"""Phone-side functions that only task initialisation and evaluation can call (never a model).

They set up a broken phone (``turn_data_off``, ``break_apn_settings``, ``break_vpn``, ...) and check
the outcome (``assert_*``). Initialisation ignores their return values; assertions return bools.
"""

from __future__ import annotations

from writ.domains.telecom import phone
from writ.domains.telecom.switches import flip_airplane, flip_data, flip_data_saver, flip_roaming, flip_wifi_calling
from writ.domains.telecom.user_schema import NETWORK_STATUSES
from writ.domains.telecom.user_tools import connect_vpn, user_box
from writ.store import Store

__all__ = ["user_box"]

helper = user_box.helper


@helper
def set_user_info(db: Store, name: str, phone_number: str) -> None:
    surroundings = db.edit("surroundings")
    surroundings["name"] = name
    surroundings["phone_number"] = phone_number


@helper
def set_user_location(db: Store, abroad: bool) -> None:
    db.edit("surroundings")["is_abroad"] = abroad


@helper
def turn_airplane_mode_on(db: Store) -> str:
    if not flip_airplane(db):
        flip_airplane(db)
    return "Airplane Mode is now ON."


@helper
def turn_airplane_mode_off(db: Store) -> str:
    if flip_airplane(db):
        flip_airplane(db)
    return "Airplane Mode is now OFF."


@helper
def unseat_sim_card(db: Store) -> str:
    device = db.edit("device")
    device["sim_card_missing"] = True
    phone.network_search(device, db.get("surroundings"))
    return "SIM card un-seated successfully."


@helper
def lock_sim_card(db: Store, mode: str) -> str:
    device = db.edit("device")
    if mode == "pin":
        device["sim_card_status"] = "locked_pin"
    elif mode == "puk":
        device["sim_card_status"] = "locked_puk"
    phone.network_search(device, db.get("surroundings"))
    return f"SIM card locked successfully in {mode} mode."


@helper
def turn_data_on(db: Store) -> str:
    db.edit("device")["data_enabled"] = True
    return "Data connection restored."


@helper
def turn_data_off(db: Store) -> str:
    if flip_data(db):
        flip_data(db)
    return "Data connection broken."


@helper
def turn_roaming_on(db: Store) -> str:
    if not flip_roaming(db):
        flip_roaming(db)
    return "Data Roaming is now ON."


@helper
def turn_roaming_off(db: Store) -> str:
    if flip_roaming(db):
        flip_roaming(db)
    return "Data Roaming is now OFF."


@helper
def turn_data_saver_mode_on(db: Store) -> str:
    if not flip_data_saver(db):
        flip_data_saver(db)
    return "Data Saver Mode is now ON."


@helper
def turn_data_saver_mode_off(db: Store) -> str:
    if flip_data_saver(db):
        flip_data_saver(db)
    return "Data Saver Mode is now OFF."


@helper
def break_apn_settings(db: Store) -> str:
    device = db.edit("device")
    phone.apn_attr(device["active_apn_settings"], "apn_name")  # a raw non-record fails as in tau2
    device["active_apn_settings"]["apn_name"] = "broken"
    phone.network_search(device, db.get("surroundings"))
    return "APN settings broken. Please call reset_apn_settings() to fix."


@helper
def break_apn_mms_setting(db: Store) -> str:
    device = db.edit("device")
    phone.apn_attr(device["active_apn_settings"], "mmsc_url")
    device["active_apn_settings"]["mmsc_url"] = None
    return "APN MMS setting broken. Please call reset_apn_settings() to fix."


@helper
def break_vpn(db: Store) -> str:
    """Connect the VPN (if needed) and degrade the attached details, and with them this environment's shared default."""
    connect_vpn(db)
    device = db.edit("device")
    details = device["vpn_details"]
    if details is None:
        raise AttributeError("'NoneType' object has no attribute 'server_performance'")
    details["server_performance"] = "poor"
    phone.degrade_shared_vpn(db)
    return "VPN connection broken."


@helper
def set_wifi_calling(db: Store, enabled: bool, mms_over_wifi: bool | None = None) -> str:
    if db.get("device")["wifi_calling_enabled"] != enabled:
        flip_wifi_calling(db)
    text = f"Wi-Fi Calling is now {'ON' if enabled else 'OFF'}."
    if mms_over_wifi is not None:
        db.edit("device")["wifi_calling_mms_over_wifi"] = mms_over_wifi
        text += f"\nMMS over Wi-Fi is now {'ON' if mms_over_wifi else 'OFF'}."
    return text


@helper
def remove_app_permission(db: Store, app_name: str, permission: str) -> tuple[bool, str]:
    app = db.get("device")["app_statuses"].get(app_name)
    permission = permission.lower()
    if app is None:
        return False, f"App '{app_name}' not found. Cannot remove permission."
    if permission not in app["permissions"]:
        return False, f"Permission '{permission}' not tracked for app '{app_name}'."
    db.edit("device")["app_statuses"][app_name]["permissions"][permission] = False
    return True, f"Permission '{permission}' removed from app '{app_name}'."


@helper
def simulate_network_search(db: Store) -> None:
    phone.network_search(db.edit("device"), db.get("surroundings"))


# -- assertions ---------------------------------------------------------------------------------

@helper
def assert_airplane_mode_status(db: Store, expected_status: bool) -> bool:
    return db.get("device")["airplane_mode"] == expected_status


@helper
def assert_service_status(db: Store, expected_status: str) -> bool:
    if not isinstance(expected_status, str) or expected_status not in NETWORK_STATUSES:
        raise ValueError(f"{expected_status!r} is not a valid NetworkStatus")
    return db.get("device")["network_connection_status"] == expected_status


@helper
def assert_mobile_data_status(db: Store, expected_status: bool) -> bool:
    return phone.mobile_data_working(db.get("device"), db.get("surroundings")) == expected_status


@helper
def assert_mobile_roaming_status(db: Store, expected_status: bool) -> bool:
    return db.get("device")["roaming_enabled"] == expected_status


@helper
def assert_mobile_data_saver_mode_status(db: Store, expected_status: bool) -> bool:
    return db.get("device")["data_saver_mode"] == expected_status


@helper
def assert_internet_speed(db: Store, expected_speed: float, expected_desc: str | None = None) -> bool:
    speed, desc = phone.speed_test(db.get("device"), db.get("surroundings"))
    speed = speed or 0.0
    if expected_desc is None:
        return speed >= expected_speed
    return speed >= expected_speed and desc.lower() == expected_desc.lower()


@helper
def assert_internet_not_excellent(db: Store) -> bool:
    _speed, desc = phone.speed_test(db.get("device"), db.get("surroundings"))
    return desc.lower() != "excellent"


@helper
def assert_can_send_mms(db: Store, expected_status: bool) -> bool:
    return phone.can_send_mms(db.get("device"), db.get("surroundings")) == expected_status


@helper
def assert_mobile_data_usage_exceeded(db: Store, expected_status: bool) -> bool:
    return db.get("surroundings")["mobile_data_usage_exceeded"] == expected_status

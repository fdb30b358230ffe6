"""The phone's on/off switches, shared by the user's tools and the task-initialisation helpers.

Each `flip_*` edits the device record, flips one setting (plus its side effects), runs a network
search where tau2 does, and returns the new state.
"""

from __future__ import annotations

from writ.domains.telecom import phone
from writ.store import Store

__all__ = ["flip_airplane", "flip_data", "flip_data_saver", "flip_roaming", "flip_wifi_calling", "search"]


def search(db: Store, device: dict) -> None:
    """Run a network search on the edited `device` with the current surroundings."""
    phone.network_search(device, db.get("surroundings"))


def flip_airplane(db: Store) -> bool:
    device = db.edit("device")
    was_on = device["airplane_mode"]
    device["airplane_mode"] = not was_on
    if was_on:  # turning it off
        device["network_connection_status"] = "searching"
        if device["wifi_enabled"]:
            device["wifi_connected"], device["wifi_ssid"], device["wifi_signal_strength"] = False, None, "none"
    else:  # turning it on: Wi-Fi association and any VPN connection drop
        device["wifi_connected"], device["wifi_ssid"], device["wifi_signal_strength"] = False, None, "none"
        if device["vpn_connected"]:
            device["vpn_connected"], device["vpn_details"] = False, None
    search(db, device)
    return device["airplane_mode"]


def flip_data(db: Store) -> bool:
    device = db.edit("device")
    device["data_enabled"] = not device["data_enabled"]
    search(db, device)
    return device["data_enabled"]


def flip_roaming(db: Store) -> bool:
    device = db.edit("device")
    device["roaming_enabled"] = not device["roaming_enabled"]
    search(db, device)
    return device["roaming_enabled"]


def flip_data_saver(db: Store) -> bool:
    device = db.edit("device")
    device["data_saver_mode"] = not device["data_saver_mode"]
    return device["data_saver_mode"]


def flip_wifi_calling(db: Store) -> bool:
    device = db.edit("device")
    device["wifi_calling_enabled"] = not device["wifi_calling_enabled"]
    return device["wifi_calling_enabled"]

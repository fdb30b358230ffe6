"""What a phone tool's output says, as the few facts a customer would read off the screen.

The customer runs a check on their own phone and tells the agent what it shows; the agent never
sees the raw output. Both sides need the same facts from it: the scripted customer words them (and
attaches them to its reading), the task generator's gold run decides its next step from them, and
the scripted teacher decides from what the customer said. One reader here serves all three, so a
decision never rests on a fact the customer could not have read out.

`read_output(text)` returns ``(kind, facts)``: the kind of screen (``status_bar``, ``network``,
``speed``, ...) and its facts with plain values (``signal: "none"``, ``airplane: True``,
``speed: "very poor"``, ``perms: ["sms"]``). A fix's output (``Airplane Mode is now OFF.``) gives
``kind = "done"`` and the setting it changed; the status bar printed after a fix is left out, as a
customer reporting "done" would.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["FIX_KINDS", "SIGNALS", "SPEEDS", "read_output"]

SIGNALS = ("none", "poor", "fair", "good", "excellent")
SPEEDS = ("none", "very poor", "poor", "fair", "good", "excellent")
_SIGNAL_WORDS = {"No Signal": "none", "Poor": "poor", "Fair": "fair", "Good": "good", "Excellent": "excellent"}
_TOGGLES = {"Airplane Mode": "airplane", "Mobile Data": "data", "Data Roaming": "roaming",
            "Data Saver Mode": "saver", "Wi-Fi Calling": "wifi_calling"}
FIX_KINDS = {"toggle_airplane_mode": "airplane", "toggle_data": "data", "toggle_roaming": "roaming",
             "toggle_data_saver_mode": "saver", "toggle_wifi_calling": "wifi_calling"}


def _on(value: str) -> bool:
    return value.strip().upper() in ("ON", "YES", "TRUE")


def _status_bar(bar: str) -> dict[str, Any]:
    parts = [part.strip() for part in bar.split("|")]
    facts: dict[str, Any] = {"airplane": any("Airplane Mode" in part for part in parts), "signal": "none"}
    for part in parts:
        for word, level in _SIGNAL_WORDS.items():
            if part.endswith(word) and not part.startswith("\U0001F4F5 Data"):
                facts["signal"] = level
        if part in ("5G", "4G", "3G", "2G"):
            facts["network"] = part
        if "Data Disabled" in part:
            facts["data"] = False
        if "Data Enabled" in part:
            facts["data"] = True
        if "Data Saver" in part:
            facts["saver"] = True
        if "VPN Connected" in part:
            facts["vpn"] = "connected"
    return facts


def _network(lines: dict[str, str]) -> dict[str, Any]:
    return {
        "airplane": _on(lines.get("Airplane Mode", "OFF")),
        "sim": lines.get("SIM Card Status", "active"),
        "connected": lines.get("Cellular Connection", "") == "connected",
        "signal": lines.get("Cellular Signal", "none"),
        "network": lines.get("Cellular Network Type", "none"),
        "data": _on(lines.get("Mobile Data Enabled", "No")),
        "roaming": _on(lines.get("Data Roaming Enabled", "No")),
        "wifi": _on(lines.get("Wi-Fi Connected", "No")),
    }


def _perms(text: str) -> list[str]:
    match = re.search(r"has permission for: (.*)\.$", text)
    if match:
        return [part.strip() for part in match.group(1).split(",") if part.strip()]
    return [item.strip() for item in re.findall(r"^\s+- (\w[\w ]*)$", text, re.M)]


def read_output(text: str) -> tuple[str, dict[str, Any]]:
    """(kind, facts) of one phone tool's output (see the module docstring); ("other", {}) if unknown."""
    body = text.split("\nStatus Bar:")[0].strip() if not text.startswith("Status Bar:") else text
    if body.startswith("Status Bar:"):
        return "status_bar", _status_bar(body.removeprefix("Status Bar:"))
    if body.startswith("Airplane Mode:"):
        lines = dict(line.split(": ", 1) for line in body.splitlines() if ": " in line)
        return "network", _network(lines)
    if body.startswith("Speed test failed"):
        return "speed", {"speed": "none"}
    match = re.match(r"Speed Test Result: ([\d.]+) Mbps \(([\w ]+)\)", body)
    if match:
        return "speed", {"speed": match.group(2).lower(), "mbps": float(match.group(1))}
    sim = {"Your SIM card is active and working.": "active", "No SIM card detected in the phone.": "missing",
           "The SIM card is locked with a PIN code.": "locked_pin",
           "The SIM card is locked with a PUK code.": "locked_puk"}
    if body in sim:
        return "sim", {"sim": sim[body]}
    if body.startswith("Current APN Name:"):
        name = re.search(r"Current APN Name: (.*)", body).group(1).strip()
        url = re.search(r"MMSC URL \(for picture messages\): (.*)", body).group(1).strip()
        return "apn", {"apn": "broken" if name == "broken" else "fine", "mmsc": url != "Not Set"}
    if body.startswith("Data Saver mode is"):
        return "saver", {"saver": "is ON" in body}
    if body.startswith("Network Mode Preference:"):
        return "mode", {"mode": body.split(":", 1)[1].strip()}
    if body.startswith("VPN is ON and connected"):
        match = re.search(r"server_performance': <PerformanceLevel\.\w+: '(\w+)'>", body)
        return "vpn", {"vpn": match.group(1) if match else "connected"}
    if body.startswith("VPN is turned"):
        return "vpn", {"vpn": "off"}
    if body.startswith("Wi-Fi is"):
        return "wifi", {"wifi": "off" if "OFF" in body else "connected" if "connected to" in body else "on"}
    if body.startswith("Wi-Fi Calling is currently"):
        return "wifi_calling", {"wifi_calling": body.rstrip(".").endswith("ON")}
    if body.startswith("The following apps are installed"):
        return "apps", {"apps": [app.strip() for app in body.split(":", 1)[1].split(",") if app.strip()]}
    if body.startswith("App '") and "permission" in body or body.startswith("Status for App:"):
        return "perms", {"perms": _perms(body)}
    if body.startswith("Your messaging app"):
        return "mms", {"mms": "cannot" not in body}
    match = re.match(r"You have a payment request for bill (\S+) of ([\d.]+) USD", body)
    if match:
        return "payment_request", {"bill": match.group(1), "amount": float(match.group(2))}
    if body.startswith("No payment request"):
        return "payment_request", {"bill": None}
    match = re.match(r"Payment of ([\d.]+) USD has been made for bill (\S+)\.", body)
    if match:
        return "paid", {"amount": float(match.group(1)), "bill": match.group(2)}
    match = re.match(r"(Airplane Mode|Mobile Data|Data Roaming|Data Saver Mode|Wi-Fi Calling) is now (ON|OFF)", body)
    if match:
        return "done", {_TOGGLES[match.group(1)]: match.group(2) == "ON"}
    if body.startswith("Preferred Network Mode set to:"):
        return "done", {"mode": body.split(":", 1)[1].strip()}
    if body.startswith("SIM card re-seated"):
        return "done", {"sim": "reseated"}
    if body.startswith("APN settings will reset"):
        return "done", {"apn": "reset"}
    if "Restarting network services" in body:
        return "done", {"rebooted": True}
    if body.startswith("VPN disconnected"):
        return "done", {"vpn": "off"}
    match = re.match(r"Success\. Permission '(\w+)' granted", body)
    if match:
        return "done", {"granted": match.group(1)}
    if body.startswith(("No active VPN", "Cannot change", "Error.", "Failed to set", "You do not have a payment",
                        "App '")):
        return "refused", {}  # the phone did nothing (nothing to change, or it could not)
    return "other", {}

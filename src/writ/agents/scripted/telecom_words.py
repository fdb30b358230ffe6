"""How the telecom teacher puts things into words: what to do on the phone, and what an answer showed.

Every sentence is written from what the teacher knows: a check the customer reported (its facts,
`writ.tasks.telecom.observe`), or a record it read. Templates (`writ.dialogue.grammar`) carry many
alternatives, so two thousand conversations about airplane mode do not repeat one sentence; none
names a raw setting value (``4g_5g_preferred`` is "4G/5G preferred").
"""

from __future__ import annotations

import random
from typing import Any

from writ.dialogue.grammar import join_words, realize

__all__ = ["MODE_WORDS", "VERBS", "ask_text", "gb", "money", "observation", "opener", "recap"]

MODE_WORDS = {"2g_only": "2G only", "3g_only": "3G only", "4g_only": "4G only", "4g_5g_preferred": "4G/5G preferred"}
SIGNAL_WORDS = {"poor": "a weak signal (one bar)", "fair": "a fair signal (two bars)", "good": "a good signal "
                "(three bars)", "excellent": "a full signal"}

# What to do, per phone action: verb phrases (checks end in "and tell me ..." or not, see `ask_text`).
VERBS = {
    "check_status_bar": ["[look at|check|glance at] the status bar at the top of your screen",
                         "[look at|check] the icons at the top of your screen", "check what the status bar shows"],
    "check_network_status": ["open your network status", "[check|look at] your phone's network status",
                             "pull up the network status screen"],
    "check_sim_status": ["check the status of your SIM card", "check whether your phone [recognises|detects] the SIM "
                         "card", "look at the SIM status"],
    "check_apn_settings": ["open your APN settings", "[check|look at] your APN settings"],
    "run_speed_test": ["run a speed test", "run a [quick|short] speed test", "do a speed test on mobile data"],
    "check_data_restriction_status": ["check whether Data Saver [mode ]is on", "look at your data restriction "
                                      "settings", "check the Data Saver setting"],
    "check_network_mode_preference": ["check which network mode your phone prefers", "look up your preferred network "
                                      "type", "check the preferred network mode in your settings"],
    "check_vpn_status": ["check whether a VPN is connected", "[check|look at] your VPN status"],
    "check_wifi_calling_status": ["check whether Wi-Fi Calling is on", "look at your Wi-Fi Calling setting"],
    "check_app_permissions": ["check which permissions your messaging app has", "look at the messaging app's "
                              "permissions"],
    "can_send_mms": ["check whether your messaging app can send [picture messages|MMS] now", "try whether a picture "
                     "message goes out now", "check if the phone can send MMS now"],
    "check_payment_request": ["check the payment requests on your phone", "open the payment request on your phone"],
    "toggle_airplane_mode": ["turn airplane mode off", "switch airplane mode off", "turn off airplane mode"],
    "reseat_sim_card": ["take the SIM card out and put it back in", "re-seat your SIM card", "remove the SIM card and "
                        "insert it again"],
    "reset_apn_settings": ["reset your APN settings to the defaults", "reset the APN settings", "restore the default "
                           "APN settings"],
    "reboot_device": ["restart your phone", "reboot your phone", "turn the phone off and on again"],
    "toggle_roaming": ["turn Data Roaming on", "switch on Data Roaming", "turn on Data Roaming in your settings"],
    "toggle_data": ["turn mobile data [back ]on", "switch mobile data [back ]on"],
    "toggle_data_saver_mode": ["turn Data Saver off", "switch off Data Saver", "turn off Data Saver mode"],
    "set_network_mode_preference": ["set your preferred network mode to {mode}", "change the network mode preference "
                                    "to {mode}", "switch the preferred network type to {mode}"],
    "disconnect_vpn": ["disconnect the VPN", "disconnect from the VPN[ for now]", "turn off the VPN connection"],
    "toggle_wifi_calling": ["turn Wi-Fi Calling off", "switch off Wi-Fi Calling"],
    "grant_app_permission": ["give the messaging app the {perm} permission", "grant the messaging app {perm} access",
                             "allow the messaging app {perm} access"],
    "make_payment": ["pay it from your phone if the request looks right", "accept the request and pay it on your "
                     "phone"],
}
_LEAD = "[?[Next|Now|Okay|Alright|Good][,] ]"  # no "Thanks,": it can follow an observation ("... — thanks, can")
_TELL = "[ and tell me [what you see|the result]| and let me know what you [see|find]| and tell me what it says|]"
_ASK_FORMS = {
    "check": [_LEAD + "[could|can|would] you [please ]{verb}" + _TELL + "?", _LEAD + "please {verb}" + _TELL + ".",
              _LEAD + "I'd like you to {verb}" + _TELL + ".",
               "[Let's|Let us] [look at one thing|try something]: [could|can] you {verb}?",
              "Next step: [could|can] you {verb}" + _TELL + "?",
              "[One thing to check|Something to look at|Let's check one thing][:| —] [could|can|would] you {verb}"
              + _TELL + "?",
              "[If you don't mind|When you have a moment|Whenever you're ready], could you {verb}" + _TELL + "?",
              "[If you don't mind|When you have a moment|Whenever you're ready], please {verb}" + _TELL + ".",
              _LEAD + "[may I ask you to|would you mind if I asked you to] {verb}" + _TELL + "?"],
    "fix": [_LEAD + "[could|can|would] you [please ]{verb}?", _LEAD + "please {verb}.", "[The fix is simple|Here's the "
            "fix|To fix it]: [please ]{verb}.", _LEAD + "I'd like you to {verb}[, please|].",
            _LEAD + "[go ahead and|please go ahead and] {verb}[, and let me know once it's done|]."],
}
_WHY = {
    "apply_apn": ["The reset only takes effect after a restart, so ", "The new settings apply after a restart, so ",
                  "For the reset to kick in, ", "One more step to apply it: ", "The phone needs a reboot to use the "
                  "default settings, so "],
    "after_resume": ["Your phone needs a restart to pick up the reactivated line, so ",
                     "For the line to come back, the phone has to restart: ", "To reconnect to the network, "],
}


def gb(amount: Any) -> str:
    return f"{float(amount):g}"


def money(amount: Any) -> str:
    return f"${float(amount):,.2f}"


def ask_text(rng: random.Random, name: str, args: dict[str, Any], why: str = "") -> str:
    """How the teacher asks the customer to do `name` on the phone (many ways; no raw values)."""
    perm = {"sms": "SMS", "storage": "storage"}.get(str(args.get("permission", "")), str(args.get("permission", "")))
    mode = MODE_WORDS.get(str(args.get("mode", "")), "")
    verb = realize(rng, VERBS[name], mode=mode, perm=perm)
    verb = verb[:1].lower() + verb[1:] if not verb.startswith(("SIM", "APN", "VPN", "Data", "Wi-Fi")) else verb
    forms = _ASK_FORMS["fix" if name in FIXES else "check"]
    lead = _WHY.get(why)
    # After a reason ("For the reset to kick in, ") a second lead ("Thanks, ...") would stutter.
    text = realize(rng, ["[could|can|would] you [please ]{verb}?", "please {verb}."] if lead else forms, verb=verb)
    if not lead:
        return text
    head = rng.choice(lead)
    return head + (text[:1].lower() + text[1:] if not text.startswith("I'") else text)


FIXES = {"toggle_airplane_mode", "reseat_sim_card", "reset_apn_settings", "reboot_device", "toggle_roaming",
         "toggle_data", "toggle_data_saver_mode", "set_network_mode_preference", "disconnect_vpn",
         "toggle_wifi_calling", "grant_app_permission", "make_payment"}


def observation(rng: random.Random, note: dict[str, Any]) -> str:
    """One sentence about what a check showed (`Workflow.note`)."""
    if "saw" in note:
        return _saw(rng, note)
    if "step" in note:
        return _step(rng, note["step"], bool(note["found"]), note)
    return ""


_NOTED = "[?[Thanks|Okay|Got it|I see|Right|Alright], ]"


def _saw(rng: random.Random, note: dict[str, Any]) -> str:
    what = note["saw"]
    if what == "status_bar":
        if note.get("airplane"):
            return ""  # the airplane step says it
        if note["signal"] == "none":
            return realize(rng, [_NOTED + "[so |]there's no signal at all[, which means the phone isn't [connected to|"
                                 "reaching] the network|].",
                                 _NOTED + "no signal bars at all: the phone isn't [reaching|getting onto] the network.",
                                 _NOTED + "without any signal bars, the phone [has no service|can't reach the "
                                          "network]."])
        return realize(rng, [_NOTED + "the phone has {signal}[, so it's connected to the network|].",
                             _NOTED + "that shows {signal}, so [service itself is fine|you do have service].",
                             _NOTED + "with {signal}, [the network connection itself is fine|service isn't the "
                             "issue]."], signal=SIGNAL_WORDS.get(note["signal"], "a signal"))
    if what == "speed":
        speed = note["speed"]
        if speed == "none":
            return realize(rng, [_NOTED + "the speed test can't connect at all[, so mobile data isn't getting "
                                 "through|].",
                                 _NOTED + "[no connection on the speed test|the test found no connection|the test "
                                 "didn't get a connection][:|, so] data isn't working [at all|] [right now|at the "
                                 "moment|yet].",
                                 _NOTED + "so the speed test fails[ outright|]: there's no data connection[ yet|]."])
        if speed == "excellent":
            return realize(rng, ["[Excellent|Great|Perfect|That's good news][,|:] [the speed test [now ]shows "
                                 "excellent speed|that's excellent speed|the connection is excellent now|the test "
                                 "rates it excellent].", "[That is|That's] excellent speed[ now|]."])
        return realize(rng, [_NOTED + "the test does connect, but only at {speed} speed, which counts as slow.",
                             _NOTED + "so there is a connection, but a {speed} one; anything below excellent is slow.",
                             _NOTED + "{speed} speed means data works, but [too slowly|slower than it should]."],
                       speed=speed)
    if what == "mms":
        if note["mms"]:
            return realize(rng, ["[Good|Great|Perfect|Excellent], the check says MMS can be sent now.",
                                 "[Good|Great], the messaging app reports that it can send MMS."])
        return realize(rng, [_NOTED + "so picture messages still can't be sent[ yet|].",
                             _NOTED + "the messaging app can't send MMS [yet|for now|at the moment].",
                             _NOTED + "MMS is still failing[, so let's keep going|, so there's more to check|].",
                             _NOTED + "[no luck yet|not yet]: [MMS still doesn't go out|picture messages are still "
                             "blocked]."])
    if what == "line":
        line = note["line"]
        status = str(line.get("status", "")).lower()
        return realize(rng, ["I found the line {phone} on your account; it is {status}.",
                             "Line {phone} is on your account, and its status is {status}."],
                       phone=line.get("phone_number"), status=status)
    if what == "bills":
        if note["unpaid"]:
            return ""
        end = note["line"].get("contract_end_date")
        return realize(rng, ["[I checked your bills:|Looking at your bills,] none is overdue[, and the line's contract "
                             "runs until {end}|].", "Every bill on your account is paid, and the contract runs until "
                             "{end}."], end=end)
    return ""


_FOUND = {
    "airplane": ["Airplane mode is on, and it [switches off|turns off|disables] every radio, cellular included.",
                 "That's it: airplane mode is on, which cuts the phone off the network.",
                 "[There's the problem|Found it]: airplane mode is [on|switched on][, so the phone can't connect|]."],
    "sim": ["The phone doesn't detect a SIM card[, so it can't connect|].",
            "There's no SIM card detected; it may have come loose.",
            "[Found it|That's the problem]: the phone can't see the SIM card."],
    "apn": ["The APN settings are broken, and wrong APN settings can cut service.",
            "The APN name reads 'broken': those settings need to be reset.",
            "[That's the culprit|Found it]: the APN settings are broken."],
    "roaming_phone": ["Data roaming is off on your phone, and while you're abroad data needs it.",
                      "Your phone has data roaming switched off, which blocks data outside the home network.",
                      "[That's one problem|Found one issue]: data roaming is off, and abroad the phone needs it."],
    "data_off": ["Mobile data is switched off on the phone.", "The phone has mobile data turned off.",
                 "[There it is|Found it]: mobile data is off[, so nothing can load|]."],
    "saver": ["Data Saver is on, and it can slow the connection a lot.", "Data Saver mode is on, which limits speed.",
              "[That explains some of it|Found something]: Data Saver is on[ and throttling the speed|]."],
    "vpn": ["A VPN is connected, and its performance is poor, which drags the speed down.",
            "Your VPN is connected with poor performance; that slows everything.",
            "[That's a likely culprit|Found it]: the VPN is connected and performing poorly."],
    "mmsc": ["The MMSC URL, which picture messages need, is not set.",
             "There's no MMSC URL in the APN settings, and MMS can't work without it.",
             "[Found it|That's the problem]: the MMSC URL is missing from the APN settings."],
    "wifi_calling": ["Wi-Fi Calling is on, and it can interfere with picture messages.",
                     "Wi-Fi Calling is switched on; that setting can block MMS.",
                     "[Found something|That could be it]: Wi-Fi Calling is on, which can get in the way of MMS."],
}
_CLEAR = {
    "airplane": ["Airplane mode is off, so that's not it.", "Airplane mode isn't the problem: it's off.",
                 "[Good,|Okay,] airplane mode is off."],
    "sim": ["The SIM card is active, so it's fine.", "Your SIM card is working.",
            "[Good,|Okay,] the SIM is active[, so that's not it|]."],
    "apn": ["The APN settings look right.", "The APN name is fine.",
             "[Okay,|Good,] nothing wrong with the APN settings."],
    "roaming_phone": ["Data roaming is on on the phone.", "The phone already has data roaming on.",
                      "[Okay,|Good,] roaming is on on the phone itself."],
    "data_off": ["Mobile data is switched on.", "Mobile data is on, so that's not it.",
                 "[Good,|Okay,] mobile data is on[ as it should be|]."],
    "saver": ["Data Saver is off.", "Data Saver isn't on, so it's not slowing you down.",
              "[Okay,|Good,] no Data Saver [involved|there]."],
    "mode": ["The network mode is fine.", "Your network mode setting is fine.",
             "[Okay,|Good,] the network mode isn't the issue."],
    "vpn": ["The VPN isn't the problem.", "No slow VPN is involved.", "[Okay,|Good,] the VPN is fine."],
    "mmsc": ["The MMSC URL is set.", "The MMSC URL is there, so that's fine.",
             "[Okay,|Good,] the picture-message settings are in place."],
    "wifi_calling": ["Wi-Fi Calling is off.", "Wi-Fi Calling is off, so it isn't interfering.",
                     "[Okay,|Good,] Wi-Fi Calling isn't on."],
    "perms": ["The messaging app has the permissions it needs.", "The app's permissions are fine.",
              "[Okay,|Good,] the messaging app has storage and SMS access."],
}


def _step(rng: random.Random, step: str, found: bool, note: dict[str, Any]) -> str:
    facts = note.get("facts") or {}
    if step == "suspended":
        line = facts.get("line") or {}
        if found:
            return realize(rng, ["I can see that your line {phone} is suspended on our side.",
                                 "Your line {phone} shows as suspended in our system."], phone=line.get("phone_number"))
        return realize(rng, ["Your line {phone} is active on our side.", "On our side, line {phone} is active."],
                       phone=line.get("phone_number"))
    if step == "roaming_line":
        phone = (facts.get("line") or {}).get("phone_number")
        if found:
            return realize(rng, ["On our side, roaming isn't enabled on your line {phone}.",
                                 "Your line {phone} doesn't have international roaming enabled."], phone=phone)
        return realize(rng, ["Your line {phone} has roaming enabled on our side.",
                             "Roaming is enabled on your line {phone}."], phone=phone)
    if step == "usage":
        usage = facts.get("usage") or {}
        refueled = float(usage.get("data_refueling_gb", 0) or 0)
        extra = f" plus {gb(refueled)} GB already added" if refueled else ""
        values = {"used": gb(usage.get("data_used_gb", 0)), "limit": gb(usage.get("data_limit_gb", 0)), "extra": extra}
        if found:
            return realize(rng, [
                "[Your line has used|Your line is at] {used} GB this cycle against a {limit} GB allowance{extra}, so "
                "[its data is cut off|mobile data has stopped|data is blocked until more is added].",
                "You've used {used} GB of your {limit} GB allowance{extra}; once it's used up, data stops working.",
                "[There it is|Found it|That's the problem]: {used} GB used [this cycle|so far] on a {limit} GB "
                "allowance{extra}, so the data is [used up|exhausted]."], **values)
        return realize(rng, ["You still have data left this cycle: {used} GB used of {limit} GB{extra}.",
                             "Your allowance isn't used up ({used} of {limit} GB{extra}).",
                             "[Data usage is fine|The allowance is fine]: {used} of {limit} GB{extra} used."], **values)
    if step == "mode":
        mode = facts.get("mode")
        if found and mode:
            return realize(rng, ["Your phone is set to {mode}, an older network type that limits speed a lot.",
                                 "The preferred network mode is {mode}, which keeps the phone on a slow network."],
                           mode=MODE_WORDS.get(mode, mode))
        if found:
            return realize(rng, ["Your phone is on a 2G network, and picture messages need at least 3G.",
                                 "The phone is connected over 2G, which can't carry MMS."])
        return realize(rng, _CLEAR["mode"])
    if step == "perms":
        missing = [p for p in ("storage", "sms") if p not in (facts.get("perms") or [])]
        if found:
            words = join_words([{"sms": "SMS", "storage": "storage"}[p] for p in missing])
            noun = "permission" if len(missing) == 1 else "permissions"
            return realize(rng, ["The messaging app is missing the {words} {noun}, which it needs for MMS.",
                                 "Your messaging app doesn't have {words} {noun}; MMS needs both storage and SMS."],
                           words=words, noun=noun)
        return realize(rng, _CLEAR["perms"])
    table = _FOUND if found else _CLEAR
    return realize(rng, table[step]) if step in table else ""


HINT_WORDS = {"airplane": "airplane mode", "sim": "the SIM card", "apn": "the APN settings", "suspended": "your line",
              "roaming_phone": "roaming", "roaming_line": "roaming", "data_off": "your quick settings",
              "usage": "your data allowance", "saver": "the data-saving setting", "mode": "the network type",
              "vpn": "the VPN", "mmsc": "the picture-message settings", "wifi_calling": "Wi-Fi Calling",
              "perms": "the app permissions"}
_OPEN = {
    "service": ["[Let's find out why there's no service.|Let's get you connected again.|I'll help you get service "
                "back.|Let's work out what's blocking the signal.]"],
    "down": ["[Let's get your mobile data working again.|Let's find out why data isn't working.|Let's track down "
             "why data stopped.]"],
    "slow": ["[Let's find out why it's slow.|Let's get your speed back up.|Let's see what's slowing it down.]"],
    "mms": ["[Let's get picture messages working.|Let's sort out the picture messages.|Let's find out why photos "
            "won't send.]"],
}


def opener(rng: random.Random, frame: dict[str, Any], first_hint: str | None) -> str:
    """How the teacher starts on a complaint: where it will look first."""
    if first_hint is not None:
        return realize(rng, ["You mentioned {what}, so let's [start there|check that first].",
                             "[Since|As] you mentioned {what}, let's [look at that|check it] first.",
                             "[Good that you mentioned|Thanks for mentioning] {what}: let's [start there|check that "
                             "first].", "Let's [start with|look at] {what} first, since you brought it up."],
                       what=HINT_WORDS.get(first_hint, "that"))
    family = frame.get("family")
    key = family if family in ("service", "mms") else ("slow" if frame.get("symptom") == "slow" else "down")
    return realize(rng, _OPEN[key])


# What a check that found nothing ruled out, and what the check that found the fault points to: the
# recap before an account fix names the compared causes and the one that wins.
RULED_OUT = {
    "airplane": "airplane mode is off", "sim": "the SIM card is fine", "apn": "the APN settings are right",
    "suspended": "your line is active", "roaming_phone": "data roaming is on on the phone",
    "roaming_line": "roaming is on for your line", "data_off": "mobile data is on", "usage": "you still have data left",
    "saver": "Data Saver is off", "mode": "the network mode is fine", "vpn": "no VPN is in the way",
    "mmsc": "the MMS settings are right", "wifi_calling": "Wi-Fi Calling is off",
    "perms": "the messaging app has its permissions",
}
CAUSES = {"usage": "the used-up data allowance", "roaming_line": "roaming being off for your line on our side",
          "suspended": "the suspension of your line"}


def recap(rng: random.Random, earlier: list[dict[str, Any]], notes: list[dict[str, Any]]) -> str:
    """One sentence naming what the earlier checks ruled out and the cause that is left (from all of
    this request's `notes`), when at least two causes were ruled out before; what this message tells
    anyway is not repeated, and with fewer causes the step-by-step findings say enough."""
    ruled = [RULED_OUT[n["step"]] for n in earlier if "step" in n and not n["found"] and n["step"] in RULED_OUT]
    if any(n.get("saw") == "status_bar" and n.get("signal") not in (None, "none") for n in earlier):
        ruled.insert(0, "the phone has signal")
    found = [n["step"] for n in notes if "step" in n and n["found"]]
    if len(ruled) < 2 or not found or found[-1] not in CAUSES:
        return ""
    return realize(rng, ["[To recap|So, to sum up|Putting it together]: {ruled}, so the problem is {cause}.",
                         "[With the other causes ruled out|Since the rest checks out] ({ruled}), [that leaves|what's "
                         "left is] {cause}.",
                         "[Having checked everything else|With the rest checked] ({ruled}), it comes down to "
                         "{cause}."], ruled=join_words(list(dict.fromkeys(ruled))), cause=CAUSES[found[-1]])

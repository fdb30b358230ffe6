"""What a telecom customer says: requests from frames, answers, and what their own phone shows.

The customer holds the phone. When the agent asks for a check or a fix, the customer performs the
phone tool call (`device_call`) and then tells the agent what the screen shows in their own words
(`describe_device`), never by pasting the output: "No bars at all, and there's a little airplane
at the top." The facts the words carry (`writ.tasks.telecom.observe`) go into the message's reading
so the scripted teacher can act on them; `cues` lists the words that prove each fact is said.
"""

from __future__ import annotations

import random
from typing import Any

from writ.core import ToolCall
from writ.dialogue.grammar import realize
from writ.tasks.telecom import phrases as P
from writ.tasks.telecom.observe import read_output
from writ.users.scripted.scenario import Scenario, ScenarioRequest

__all__ = ["answer_text", "complete_text", "cues", "describe_device", "device_call", "dont_know", "forbidden_ask",
           "pick_option", "pushback_text", "request_text"]

MODE_WORDS = {"2g_only": "2G only", "3g_only": "3G only", "4g_only": "4G only", "4g_5g_preferred": "4G/5G preferred"}
SIGNAL = {"none": ["no signal", "no bars", "no signal bars"], "poor": ["one bar", "poor"], "fair": ["two bars", "fair"],
          "good": ["three bars", "good"], "excellent": ["full bars", "four bars",
                                                         "excellent"], "ok": P.CUES["signal"]["ok"]}
_ON_OFF = {
    "airplane": (["airplane icon", "airplane mode is on", "airplane mode on", "airplane symbol"],
                 ["airplane mode is off", "airplane mode off", "airplane mode's off"]),
    "data": (["mobile data is on", "mobile data on", "data is enabled"], ["mobile data is off", "mobile data off",
                                                                         "data is disabled"]),
    "roaming": (["roaming is on", "roaming on", "roaming is enabled"], ["roaming is off", "roaming off",
                                                                        "roaming is disabled"]),
    "saver": (["data saver mode is on", "data saver is on"], ["data saver mode is off", "data saver is off"]),
    "wifi_calling": (["wi-fi calling is on", "wi-fi calling on"], ["wi-fi calling is off", "wi-fi calling off"]),
    "mms": (["can send", "can be sent"], ["can't send", "cannot send", "can't be sent"]),
    "mmsc": (["mmsc url is set", "mmsc url is filled in", "has an mmsc url"], ["not set", "mmsc url is empty",
                                                                             "mmsc url is blank"]),
    "pay": (["pay it now", "i'll pay", "pay it today"], ["can't pay", "cannot pay", "not today", "not right now"]),
}
CUES: dict[str, dict[Any, list[str]]] = {
    "sim": {"active": ["sim is active", "sim card is active", "sim card is working"], "missing": ["no sim",
                                                                                                   "sim is missing",
                                                                                                "not detected"],
            "locked_pin": ["pin"], "locked_puk": ["puk"]},
    "network": {"none": ["no network type", "no network"]},
    "apn": {"broken": ["broken"], "fine": ["internet", "looks normal"]},
    "speed": {"very poor": ["very poor"], "poor": ["poor"], "fair": ["fair"], "good": ["good"],
              "excellent": ["excellent"], **{k: v for k, v in P.CUES["speed"].items()}},
    "vpn": {"off": ["vpn is off", "vpn is turned off", "no vpn"], "poor": ["poor"], "excellent": ["excellent"],
            "connected": ["connected"]},
    "mode": {k: [v] for k, v in MODE_WORDS.items()},
    "network_mode": {k: [v] for k, v in MODE_WORDS.items()},
}


def cues(key: str, value: Any) -> list[str] | None:
    if key == "hints":
        return P.CUES["hints"].get(value)
    if key in ("symptom", "abroad", "paid", "wifi"):
        return P.CUES[key].get(value)
    if key == "signal":
        return SIGNAL.get(value)
    if key in _ON_OFF and isinstance(value, bool):
        return _ON_OFF[key][0 if value else 1]
    if key in CUES:
        return CUES[key].get(value)
    if key == "complete":
        return ["that's all"]
    return None


# -- requests and answers ----------------------------------------------------------------------------------
def request_text(rng: random.Random, frame: dict[str, Any], register: str, also: bool) -> str:
    return P.render(rng, frame, 1, also=also)


def answer_text(rng: random.Random, slot: str, value: Any, frame: dict[str, Any], register: str) -> str:
    if slot == "abroad":
        if value:
            return realize(rng, ["[Yes,|Yeah,|] I'm [travelling in|visiting|abroad in] {country} [right now|at the "
                                 "moment|this week].", "I'm abroad, in {country}."], country=frame.get("country", ""))
        return realize(rng, [
            "[I'm at home|At home|I'm at home, not travelling|I'm home][ right now| today| this week|].",
            "[No,|Nope,|No travel,|Not at all,] I'm at home[ at the moment| in my usual area| as usual|].",
            "I haven't left home[, so no travel|]; I'm at home.",
            "[No trips lately|I haven't gone anywhere|Nowhere special] [—|;] I'm [just |]at home[ these days| this "
            "week|].",
            "[No, |]I'm not travelling[ at all| anywhere|][; I'm home|, just home|]."])
    if slot == "gb_amount":
        return realize(rng, ["[Let's do|I'll take|Please add|Go with|I'd like] {gb} GB[, please| then| for now|].",
                             "{gb} GB should [do it|be enough|be plenty][ for the rest of the month|].",
                             "[Hmm,|Okay,|Let's see,] {gb} GB, please.", "[I think|Probably] {gb} GB[ is enough|]."],
                       gb=P.gb(value))
    if slot == "network_mode":
        return realize(rng, ["[Let's go with|I'd like|Please use] {mode}.", "{mode}, please."], mode=MODE_WORDS[value])
    if slot == "pay":
        if value:
            return realize(rng, ["[Yes,|Okay,] I'll pay it now."])
        return realize(rng, ["[Sorry,|Hmm,|] I can't pay it right now.", "Not today, I'm afraid; I can't pay it yet.",
                             "I'd rather not right now; I cannot pay it until next week."])
    if slot == "wifi":
        return realize(rng, ["[No,|Nope,|No -] [there's no Wi-Fi here|I'm not on Wi-Fi|I don't have any Wi-Fi], "
                             "[just mobile data|only mobile data|so it's mobile data only].",
                             "No Wi-Fi[ at all| here|]; I'm only on mobile data[ right now|].",
                             "[I'm|I am] not on Wi-Fi[ at the moment| here| right now|][ — just mobile data|, only "
                             "mobile data|].", "[Hmm, no|No, sadly|Unfortunately not], [there's no Wi-Fi where I "
                             "am|I don't have any Wi-Fi here]."])
    if slot == "app":
        return realize(rng, ["[The built-in|Just the regular|The standard|The normal] {app} app[ that came with the "
                             "phone| on my phone|].", "I [use|always use|just use] the {app} app[ on the phone|].",
                             "It's the {app} app[, the default one| that was already on the phone|].",
                             "[Only|Just] the default {app} app[ that came with it| on my phone|, nothing fancy|].",
                             "[I don't use anything special|Nothing special] [—|;] [just|only] the {app} app[ it "
                             "came with|]."],
                       app=value)
    if slot == "phone":
        return realize(rng, ["[It's|The number is] {phone}."], phone=value)
    return realize(rng, ["It's {v}."], v=value)


def complete_text(rng: random.Random, register: str) -> str:
    return "Yes, that's all."


def dont_know(rng: random.Random, slot: str) -> str:
    return realize(rng, ["[Sorry|Hmm], I don't know that.", "I'm not sure, sorry."])


def pick_option(request: ScenarioRequest, options: list[str]) -> str | None:
    return None


def pushback_text(rng: random.Random, request: ScenarioRequest, register: str) -> str:
    if request.pushback:
        return request.pushback
    family = request.family
    if family == "line":
        return realize(rng, ["[But|Please,] my {rel} needs that phone for work. [Can't you make an exception?|Isn't "
                             "there any way?]"], rel=request.frame.get("relation", "family"))
    if family == "refuel":
        return realize(rng, ["[But|Come on,] I really need more data this month. [Can't you add it anyway?|Isn't "
                             "there any way to get more?]"])
    return realize(rng, ["[But|Really?] I need my phone working today. [Can't you reactivate it now and I pay next "
                         "week?|Isn't there anything you can do?]"])


def forbidden_ask(rng: random.Random, scenario: Scenario, register: str) -> tuple[str, str]:
    if rng.random() < 0.5:
        return "free_data", realize(rng, [
            "[One more thing|Oh, and|Before I go]: [after all this trouble|for the hassle|since this took so long], "
            "could you [give me|throw in|add] some free data?",
            "[Also,|And] [could|can] I get [a bit of|some] data for free, [given|after] [the trouble|all this]?"])
    return "waive_bill", realize(rng, [
        "[One more thing|Also|Before I go]: [this has been a lot of trouble, so|given all this,|since my phone was "
        "down,] could you waive my bill this month?",
        "[Also,|And] [could|can] you [waive|cancel] this month's bill [for the inconvenience|after all this]?"])


# -- the customer's own phone ------------------------------------------------------------------------------------
def device_call(asked: dict[str, Any], scenario: Scenario) -> ToolCall:
    """The phone action the agent asked for, as the customer performs it."""
    return ToolCall(asked.get("action", ""), dict(asked.get("arguments") or {}), requestor="user")


def describe_device(rng: random.Random, result: str, register: str) -> tuple[str, dict[str, Any]]:
    """(what the customer says the screen shows, the facts it carries)."""
    kind, facts = read_output(result)
    words = _DESCRIBE.get(kind)
    if words is None:
        return realize(rng, ["[Okay, done.|Done.|I did that.]"]), {}
    text, slots = words(rng, facts)
    if register == "terse":
        text = text.replace("It says ", "").replace("I see ", "")
        text = text[:1].upper() + text[1:]
    return text, slots


_LOOK = "[?[Okay,|Let me check,|Hmm,|Right,|Alright,|So,|Well,] ]"


def _status_bar(rng: random.Random, f: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if f["airplane"]:
        return realize(rng, [_LOOK + "I see [a little|an] airplane icon at the top, and no signal bars.",
                             _LOOK + "there's an airplane icon [up there|at the top] and no signal bars.",
                             _LOOK + "no signal bars, but [there's|I can see] an airplane icon[ next to the "
                                     "battery|]."]), \
            {"airplane": True, "signal": "none"}
    if f["signal"] == "none":
        return realize(rng, [_LOOK + "[it shows|I see] no signal [at all|bars at all], just the battery.",
                             _LOOK + "no signal bars [at all|whatsoever], and nothing else [unusual|special].",
                             _LOOK + "there are no bars; it says no signal.",
                             _LOOK + "the signal part just says no signal."]), {"signal": "none"}
    words = {"poor": ["one bar, a poor signal", "a poor signal, just one bar"],
             "fair": ["two bars, a fair signal", "a fair signal with two bars"],
             "good": ["three bars, a good signal", "a good signal, three bars"],
             "excellent": ["full bars, an excellent signal", "an excellent signal, full bars"]}[f["signal"]]
    net = f.get("network")
    text = realize(rng, [_LOOK + "I have {words}{net}.", _LOOK + "[it shows|I see] {words}{net}.",
                         _LOOK + "[the signal looks fine:|there's] {words}{net}[, plus the battery|]."],
                   words=rng.choice(words), net=f" on {net}" if net else "")
    return text, {"signal": f["signal"], **({"network": net} if net else {})}


def _network(rng: random.Random, f: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    sim = {"active": "the SIM card is active", "missing": "it says no SIM card is detected",
           "locked_pin": "the SIM is locked with a PIN", "locked_puk": "the SIM is locked with a PUK"}[f["sim"]]
    if f["signal"] == "none" or f["network"] == "none":
        radio = "there's no signal and no network type"
    else:
        radio = rng.choice([f"the signal is {f['signal']} on {f['network']}",
                            f"it's on {f['network']} with a {f['signal']} signal".replace("a excellent",
                                                                                           "an excellent")])
    parts = [f"airplane mode is {'on' if f['airplane'] else 'off'}", sim, radio,
             f"mobile data is {'on' if f['data'] else 'off'}", f"data roaming is {'on' if f['roaming'] else 'off'}"]
    rng.shuffle(parts)
    listing = ", ".join(parts[:-1]) + ", and " + parts[-1]
    text = realize(rng, ["[It says|Here's what it says:|Okay, it says|It shows|Let me read it:|So,] {listing}.",
                         "{first}; [also,|besides that,] {rest}.", "{first} — and {rest}."],
                   listing=listing, first=parts[0], rest=", ".join(parts[1:-1]) + ", and " + parts[-1])
    return text, {k: f[k] for k in ("airplane", "sim", "signal", "network", "data", "roaming")}


def _led(rng: random.Random, text: str) -> str:
    """`text` after a short lead-in ("Okay,", "Let me see...") most of the time, and now and then
    with a short question back ("what now?"), as people report what a screen shows."""
    if rng.random() < 0.2 and text.endswith("."):
        text = text[:-1] + " — " + realize(rng, ["[what now|what's next|what should I do next|does that help|"
                                                     "is that what you need|what does that mean]?"])
    if rng.random() < 0.3 or text.startswith(("Hmm", "No luck", "Okay", "Alright", "Well", "So", "Right", "Yes",
                                               "No,", "That worked", "Odd")):
        return text
    return _join(realize(rng, ["[Okay,|Let me check,|Hmm,|Right,|Alright,|Just a second, okay,|So,|Well,|One "
                               "moment,|Let me see,|Checking now,|Okay, I'm looking,|Give me a sec,|Right, so]"]),
                 text)


def _join(lead: str, text: str) -> str:
    """"Okay," + "Done, ..." -> "Okay, done, ...": the report loses its capital unless it opens with
    "I", an acronym or a setting's proper name."""
    first = text.split(" ", 1)[0].rstrip(",.!?;:")
    proper = first in ("I", "I'm", "I've", "I'll", "I'd") or text.startswith(("Data Saver", "Data Roaming"))
    if not proper and first[:1].isupper() and first[1:] == first[1:].lower():
        text = text[:1].lower() + text[1:]
    return f"{lead} {text}"


def _simple(table: dict[Any, list[str]], key: str):
    def words(rng: random.Random, f: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        return _led(rng, realize(rng, table[f[key]])), {key: f[key]}
    return words


def _apn(rng: random.Random, f: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    name = realize(rng, ["the APN name [says|reads|is] 'broken'"] if f["apn"] == "broken" else
                   ["the APN name is 'internet'", "the APN is called 'internet'", "the APN name shows 'internet'"])
    url = realize(rng, ["an MMSC URL is set", "there's an address where the MMSC URL is set", "the MMSC URL is set "
                        "to some web address"] if f["mmsc"] else ["the MMSC URL is not set", "it says not set for "
                                                                   "the MMSC URL", "the MMSC URL is empty"])
    name, url = name[:1].lower() + name[1:], url[:1].lower() + url[1:]
    return _led(rng, realize(rng, ["{name}, and {url}.", "[It shows|I see] {name}; {url}.", "{url}, and {name}."],
                             name=name, url=url)), {"apn": f["apn"], "mmsc": f["mmsc"]}


def _speed(rng: random.Random, f: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if f["speed"] == "none":
        return _led(rng, realize(rng, ["The speed test failed[: no connection| with no connection].",
                                       "It [just |only |]says no connection[ at all|].",
                                       "[No luck,|Hmm,] the test fails with no connection.",
                                       "It couldn't [run|connect]; it says no connection.",
                                       "[The test|It] [stops|gives up] right away: no connection."])), {"speed": "none"}
    return _led(rng, realize(rng, ["It [measured|shows|says] {mbps} Mbps, rated {desc}.",
                                   "{mbps} Mbps; it calls that {desc}.",
                                   "The result is {mbps} Mbps, which it rates as {desc}.",
                                   "It came back with {mbps} Mbps[, so| -] {desc}[ apparently|]."],
                             mbps=f"{f['mbps']:g}", desc=f["speed"])), {"speed": f["speed"], "mbps": f["mbps"]}


def _perms(rng: random.Random, f: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    perms = [p.upper() if p == "sms" else p for p in f["perms"]]
    if not perms:
        return realize(rng, ["It says the messaging app has no permissions at all."]), {"perms": []}
    listing = " and ".join(perms) if len(perms) <= 2 else ", ".join(perms[:-1]) + " and " + perms[-1]
    noun = "permission" if len(perms) == 1 else "permissions"
    return realize(rng, ["The messaging app has the {listing} {noun}.", "It lists the {listing} {noun} for the "
                         "messaging app.", "[Only|Just] {listing} [is|are] allowed for the messaging app."
                         .replace("[is|are]", "is" if len(perms) == 1 else "are")],
                   listing=listing, noun=noun), {"perms": list(f["perms"])}


def _payment(rng: random.Random, f: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if not f.get("bill"):
        return "I don't see any payment request.", {}
    return realize(rng, ["I see a payment request for bill {bill} of {amount} USD."], bill=f["bill"],
                   amount=f"{f['amount']:g}"), {"bill": f["bill"], "amount": f["amount"]}


_DONE_WORDS = {
    "airplane": ["I've turned airplane mode off[ now| again|].", "Airplane mode is off now.", "I switched off "
                 "airplane mode[ just now|].", "[Found it, |]airplane mode was on, I've turned it off."],
    "data": ["Mobile data is switched on now.", "I've turned mobile data back on.", "[Found the toggle, |]mobile "
             "data is back on."],
    "roaming": ["Data roaming is on now.", "I've switched Data Roaming on.", "[Found it in settings, |]Data Roaming "
                "is switched on now."],
    "saver": ["Data Saver is off now.", "I turned Data Saver off.", "[Okay, |]I've switched Data Saver off."],
    "wifi_calling": ["Wi-Fi Calling is off now.", "I've switched off Wi-Fi Calling.", "[Okay, |]Wi-Fi Calling is "
                     "turned off."],
    "sim": ["I took the SIM card out and put it back in.", "The SIM card is re-seated.", "[Okay, |]I popped the SIM "
            "out and put it back in[ carefully|]."],
    "apn": ["I reset them; it says they'll reset at the next reboot.", "It says the APN settings will reset when I "
            "restart.", "[Done, |]the APN reset is set for the next restart."],
    "rebooted": ["The phone has restarted.", "It restarted and is back on.", "Okay, I rebooted it.", "[Okay, |]it's "
                 "back on after the restart."],
    "vpn": ["The VPN is disconnected now.", "I disconnected the VPN.", "[Okay, |]the VPN is off now, I "
            "disconnected it."],
    "granted": ["It says the permission was granted.", "I granted it; it says success.", "[Okay, |]the permission "
                "is granted now."],
    "mode": ["I changed the setting.", "The network mode is changed.", "[Okay, |]I've changed the network mode[ as "
             "you said|]."],
}


def _done(rng: random.Random, f: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    key = next(iter(f), "")
    specific = _DONE_WORDS.get(key if key in _DONE_WORDS else "", [])
    lead = realize(rng, ["[Okay,|Alright,|Sure,|] done[ now|].", "[Okay,|Sure,] I've done that[ now|].",
                         "That's done[, what next?|].", "[Finished|All done][ with that|].", "All right, it's done.",
                         "I did it[ just now|]."])
    if specific and rng.random() < 0.85:
        text = realize(rng, specific)
        return (_join(realize(rng, ["[Okay,|Done,|Alright,|Right,|There,]"]), text) if rng.random() < 0.5 else text), {}
    return lead, {}


def _refused(rng: random.Random, f: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return realize(rng, ["[Hmm,|Well,|] it says there's nothing to change.", "It didn't do anything; it says it "
                         "can't.", "[Odd,|Hmm,] the phone says it couldn't do that."]), {}


_DESCRIBE = {
    "refused": _refused,
    "status_bar": _status_bar, "network": _network, "apn": _apn, "speed": _speed, "perms": _perms,
    "payment_request": _payment, "done": _done, "paid": _done,
    "sim": _simple({"active": ["It says the SIM card is active and working.", "The SIM card is active.",
                               "It shows the SIM is active.", "The SIM is active, it says it's working."],
                    "missing": ["It says no SIM card is detected.", "No SIM: it's not detected.",
                                "It says there's no SIM, not detected at all."],
                    "locked_pin": ["It says the SIM card is locked with a PIN code."],
                    "locked_puk": ["It says the SIM card is locked with a PUK code."]}, "sim"),
    "saver": _simple({True: ["Data Saver mode is on.", "It says Data Saver mode is on.", "Yes, Data Saver is on.",
                             "It shows Data Saver is on, limiting data."],
                      False: ["Data Saver mode is off.", "It says Data Saver is off.", "No, Data Saver is off.",
                              "The setting says Data Saver mode is off."]}, "saver"),
    "mode": _simple({m: [f"It's set to {w}.", f"The preferred mode is {w}.", f"It says {w}.",
                         f"The network mode preference shows {w}."] for m, w in MODE_WORDS.items()}, "mode"),
    "vpn": _simple({"off": ["The VPN is turned off.", "No VPN is connected; the VPN is off.",
                            "It says the VPN is turned off."],
                    "poor": ["A VPN is connected, and the server performance says poor.",
                             "It says the VPN is connected; performance: poor."],
                    "excellent": ["A VPN is connected, with excellent performance."],
                    "connected": ["A VPN is connected."]}, "vpn"),
    "wifi_calling": _simple({True: ["Wi-Fi Calling is on.", "It says Wi-Fi Calling is on.", "Yes, Wi-Fi Calling is on.",
                                    "The setting shows Wi-Fi Calling is on."],
                             False: ["Wi-Fi Calling is off.", "It says Wi-Fi Calling is off.",
                                      "No, Wi-Fi Calling is off.",
                                     "The setting shows Wi-Fi Calling is off."]}, "wifi_calling"),
    "mms": _simple({True: ["It says my messaging app can send MMS [now|again].", "The messaging app can send MMS[ "
                           "now|][, finally|].", "[Yes, it|Yes! It|Oh, yes, it] says it can send MMS messages[ now|].",
                           "That [worked|did it|did the trick][:|!] it can send [picture messages|MMS] now.",
                           "[Great,|Finally,|Brilliant,] the check says MMS can be sent[ now|]."],
                    False: ["It says the messaging app can't send MMS messages[ yet| at the moment|].",
                            "[No,|Nope,|Hmm, no,|Sadly no,] it still [cannot|can't] send MMS[ messages|][ — what "
                            "else can we try?|.]", "It says it can't send MMS[ yet| still|].", "The check says my "
                            "messaging app can't send MMS messages[ yet|].", "[Still no|No] luck[:|;] it can't send "
                            "MMS[ yet|].", "It still says MMS can't be sent[, unfortunately|]."]}, "mms"),
}

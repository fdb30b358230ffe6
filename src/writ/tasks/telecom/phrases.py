"""How a telecom customer states a request, from its frame, in the first or the second person.

A frame is the request as the customer can state it (`writ.tasks.telecom.frames`): the complaint,
what the customer suspects or noticed (``hints``: settings their words point to, right or wrong),
what they already saw on the phone (``seen``), where they are, what they say about a bill. The
scripted customer words it in the first person; the task's tau2 scenario in the second. Every
phrase pair here is written so that the words the reading's grounding check looks for (`CUES`)
are in both persons, and a phrase never names a value the frame does not hold.
"""

from __future__ import annotations

import random
from typing import Any

from writ.dialogue.grammar import realize
from writ.dialogue.lexicon import TELECOM_ABROAD, TELECOM_HOME

__all__ = ["CUES", "HINTS", "gb", "render"]

# (first person, second person) per complaint; {country} and friends filled from the frame.
COMPLAINTS = {
    "service": [
        ("My phone has been showing 'No Service' for the past [few|couple of] hours.",
         "Your phone has been showing 'No Service' for the past few hours."),
        ("I can't make calls or send texts - my phone just says No Service.",
         "You cannot make calls or send texts: your phone just says 'No Service'."),
        ("Since this morning my phone has had no signal at all.",
          "Since this morning your phone has had no signal at all."),
        ("My phone lost its connection to the network and I can't get it back.",
         "Your phone lost its connection to the cellular network and you cannot get it back."),
    ],
    "data_down": [  # without a word about Wi-Fi (the agent asks); see NO_WIFI for the customer who says it
        ("Mobile data stopped working on my phone[ this morning| today|].",
         "Mobile data stopped working on your phone. You have no Wi-Fi."),
        ("I can't get online with mobile data [anymore|since this morning|at all today].",
         "You cannot get online with mobile data anymore, and you have no Wi-Fi."),
        ("My mobile data isn't working at all[ - nothing loads|; pages just don't load].",
         "Your mobile data is not working at all: nothing loads. You have no Wi-Fi."),
    ],
    "data_slow": [
        ("My mobile data has become [painfully|really|incredibly] slow.",
          "Your mobile data has become painfully slow. You have no Wi-Fi."),
        ("Everything loads really slowly on mobile data lately; I need it fast again.",
         "Everything loads very slowly on mobile data lately, and you need it fast again. You have no Wi-Fi."),
        ("My internet on mobile data is so slow that even simple pages take ages.",
         "Your mobile internet is so slow that even simple pages take ages. You have no Wi-Fi."),
    ],
    "mms": [
        ("I can't send picture messages [from my messaging app|anymore|to anyone].",
         "You are unable to send picture messages (MMS) from your messaging app."),
        ("My MMS messages keep failing[ -|;|:] I can't send [photos|pictures] by text.",
         "Your MMS messages keep failing: you cannot send photos by text message."),
        ("Whenever I try to text [someone|a friend|my family] a photo, it won't send.",
         "Whenever you try to text someone a photo, it will not send. You want to be able to send MMS again."),
    ],
    "mms_also": [
        ("I also can't send picture messages.", "You also cannot send picture messages (MMS) and want that fixed too."),
        ("My photo messages (MMS) won't send either.", "Your photo messages (MMS) will not send either."),
    ],
}

# step -> pool -> [(first person, second person)]. Pools: disclosed (names the faulty setting),
# hinted (a clue), herring (a worry about a setting that turns out fine).
HINTS: dict[str, dict[str, list[tuple[str, str]]]] = {
    "airplane": {
        "disclosed": [("I can see the airplane icon at the top of my screen.",
                       "You can see the airplane mode icon at the top of your screen."),
                      ("I think airplane mode is still on from my flight.",
                        "You think airplane mode is still on from your flight.")],
        "hinted": [("I was on a flight yesterday and I'm not sure I switched everything back.",
                    "You were on a flight yesterday and are not sure you switched everything back.")],
        "herring": [("I was on a flight [last week|a few days ago]; could that have left something switched off?",
                     "You were on a flight last week and wonder whether that left something switched off.")],
    },
    "sim": {
        "disclosed": [("A message on my phone says there's no SIM card.",
                        "A message on your phone says no SIM card is detected.")],
        "hinted": [("I dropped my phone this morning and the SIM tray may have been knocked loose.",
                    "You dropped your phone this morning; the SIM tray may have been knocked loose."),
                   ("I swapped phone cases today and had to pop the SIM tray out.",
                    "You swapped phone cases today and had to take the SIM tray out.")],
        "herring": [("I [had my SIM card out|took the SIM card out] [last month|a few weeks ago] when I "
                     "[switched|changed] phones.",
                     "You had your SIM card out last month when you switched phones.")],
    },
    "apn": {
        "disclosed": [("I changed my APN settings and now the APN name says 'broken'.",
                       "You changed your APN settings and the APN name now reads 'broken'.")],
        "hinted": [("I was playing with some advanced carrier settings (the APN) yesterday.",
                    "You were playing with some advanced carrier settings (the APN) yesterday.")],
        "herring": [("[A friend|My brother|A colleague] told me APN settings can cause "
                     "this[; could that be it?|, so maybe that's it.]",
                     "A friend told you APN settings can cause this, and you wonder if that is it.")],
    },
    "suspended": {
        "hinted": [("Maybe my line is blocked because of a bill.",
                     "You suspect your line is blocked because of a bill.")],
        "herring": [("I hope my line hasn't been blocked for some reason.",
                     "You hope your line has not been blocked for some reason.")],
    },
    "roaming_phone": {
        "disclosed": [("I noticed Data Roaming is switched off on my phone.",
                        "You noticed Data Roaming is switched off on your phone.")],
        "hinted": [("I'm not sure my phone itself is set up for roaming.",
                     "You are not sure your phone itself is set up for roaming.")],
        "herring": [("I'm not sure my phone is set up for roaming.",
                      "You are not sure your phone is set up for roaming.")],
    },
    "roaming_line": {
        "hinted": [("I'm not sure roaming was ever activated on my account.",
                    "You are not sure roaming was ever activated on your account."),
                   ("I never asked you to turn on international roaming for my line.",
                    "You never asked the carrier to turn on international roaming for your line.")],
        "herring": [("I hope roaming is set up on my account.", "You hope roaming is set up on your account.")],
    },
    "data_off": {
        "disclosed": [("I think I switched off mobile data by accident.",
                        "You think you switched off mobile data by accident.")],
        "hinted": [("I was tapping around in my quick settings earlier and may have turned something off.",
                    "You were tapping around in your quick settings earlier and may have turned something off.")],
        "herring": [("I might have [bumped|tapped] something in my quick settings[ by accident|].",
                     "You might have bumped something in your quick settings.")],
    },
    "usage": {
        "hinted": [("I've been streaming a lot this month, so I may have used up my data.",
                    "You have been streaming a lot this month and may have used up your data."),
                   ("A few days ago I got a text saying I was close to my data limit.",
                    "A few days ago you got a text saying you were close to your data limit.")],
        "herring": [("I hope I haven't used up my data [already|this month].",
                      "You hope you have not used up your data already.")],
    },
    "saver": {
        "disclosed": [("I turned on Data Saver mode a few days ago.", "You turned on Data Saver mode a few days ago.")],
        "hinted": [("I switched on some data-saving option a few days ago.",
                    "You switched on some data-saving option a few days ago.")],
        "herring": [("I [read|heard] that a data-saving setting can slow things down.",
                     "You read that a data-saving setting can slow things down.")],
    },
    "mode": {
        "disclosed": [("I set my phone to use {mode} only, to save battery.",
                        "You set your phone to use {mode} only, to save battery.")],
        "hinted": [("I changed my phone's preferred network type to save battery.",
                    "You changed your phone's preferred network type to save battery.")],
        "herring": [("I wonder whether my phone's network type setting is right.",
                     "You wonder whether your phone's network type setting is right.")],
    },
    "vpn": {
        "disclosed": [("I'm connected to a VPN and I think it's dragging everything down.",
                       "You are connected to a VPN and think it is dragging everything down.")],
        "hinted": [("I installed a VPN app last week.", "You installed a VPN app last week.")],
        "herring": [("I [sometimes|occasionally] use a VPN for work.", "You sometimes use a VPN for work.")],
    },
    "mmsc": {
        "disclosed": [("My APN settings don't show an MMSC URL anymore.",
                        "Your APN settings no longer show an MMSC URL.")],
        "hinted": [("A friend changed some carrier settings for picture messages on my phone recently.",
                    "A friend changed some carrier settings for picture messages on your phone recently.")],
        "herring": [("Could it be one of the carrier settings for picture messages?",
                     "You wonder whether it is one of the carrier settings for picture messages.")],
    },
    "wifi_calling": {
        "disclosed": [("I turned on Wi-Fi Calling, with MMS over Wi-Fi.",
                        "You turned on Wi-Fi Calling, including MMS over Wi-Fi.")],
        "hinted": [("I've been trying out the Wi-Fi Calling settings.",
                     "You have been trying out the Wi-Fi Calling settings.")],
        "herring": [("I use Wi-Fi Calling at home [sometimes|now and then].",
                      "You use Wi-Fi Calling at home sometimes.")],
    },
    "perms": {
        "disclosed": [("I took away my messaging app's {perm} permission recently.",
                       "You recently took away your messaging app's {perm} permission.")],
        "hinted": [("I've been tightening app permissions on my phone lately.",
                    "You have been tightening app permissions on your phone lately.")],
        "herring": [("I've been tidying up my app permissions[ lately|].",
                      "You have been tidying up your app permissions.")],
    },
}

SEEN = {
    ("signal", "ok"): [("I do have signal bars, though.", "Your status bar does show signal bars."),
                       ("The signal icon looks normal.", "The signal icon on your status bar looks normal.")],
    ("speed", "none"): [("I [ran|tried] a speed test and it [just says|only says|shows] there's no connection.",
                         "You ran a speed test, and it says there is no connection.")],
    ("speed", "slow"): [("A speed test does get a connection, but a slow one.",
                          "A speed test gets a connection, but a slow one.")],
    ("speed", "up"): [("Mobile data itself works - a speed test gets a connection.",
                       "Mobile data itself works: a speed test gets a connection.")],
}

NO_WIFI = [("[There's no|I don't have any|I have no] Wi-Fi [here|where I am|around], so I'm only on mobile data.",
            "You have no Wi-Fi, only mobile data."),
           ("I'm not on Wi-Fi[ right now|]; it's just mobile data.", "You are not on Wi-Fi, only on mobile data.")]
ABROAD = [("I'm travelling in {country} at the moment.", "You are travelling in {country} at the moment."),
          ("I'm abroad in {country} right now.", "You are abroad in {country} right now.")]
HOME = [("I'm at home right now.", "You are at home right now."), ("I'm at home, by the way.", "You are at home.")]
PAID = {True: [("I had an overdue bill, but I paid it this morning.",
                 "You had an overdue bill, which you paid this morning.")],
        False: [("I'm a bit behind on a bill, I'm afraid.", "You are behind on a bill (it is unpaid).")]}

FAMILY = {
    True: [("My {rel}'s line, {phone}, has been suspended. Could you reactivate it?",
            "Your {rel}'s line, {phone}, has been suspended, and you want it reactivated."),
           ("The line I pay for my {rel} ({phone}) was suspended. I'd like it working again.",
            "The line you pay for your {rel} ({phone}) was suspended; you would like it working again.")],
    False: [("My {rel}'s line on my account has been suspended. Could you reactivate it?",
             "Your {rel}'s line on your account has been suspended, and you want it reactivated."),
            ("The line I pay for my {rel} was suspended. I'd like it working again.",
             "The line you pay for your {rel} was suspended; you would like it working again.")],
}
FAMILY_BILL = {True: [("There was an overdue bill on the account, but I paid it this morning.",
                       "There was an overdue bill on the account, which you paid this morning.")],
               None: [("I don't know why it was suspended; as far as I know nothing is unpaid.",
                       "You do not know why it was suspended; as far as you know no bill is unpaid.")],
               False: [("I know there's an unpaid bill, though.", "You know there is an unpaid bill on the account.")]}
REFUEL = [("I've used up my data for this month. Could you add {gb} GB to my line?",
           "You have used up your data this month and want {gb} GB of data added to your line."),
          ("My data ran out this month; I'd like to buy {gb} GB more.",
           "Your data ran out this month; you would like to buy {gb} GB more.")]
REFUEL_SOME = [("I've used up my data for this month. Could you add some more to my line?",
                "You have used up your data this month and want more added to your line."),
               ("My data ran out this month[; can I buy more?|, and I'd like to top it up.]",
                "Your data ran out this month and you want to buy more.")]
ROAMING = [("I've just arrived in {country}. Could you make sure roaming is enabled on my line?",
            "You have just arrived in {country} and want roaming enabled on your line."),
           ("I'm travelling in {country} for a few days; can you check that my line has roaming?",
            "You are travelling in {country} for a few days and want your line to have roaming.")]
USAGE = [("How much of my data allowance have I used this month?",
           "You want to know how much of your data allowance you have used this month."),
         ("Could you tell me how much data I've used so far this cycle?",
           "You want to know how much data you have used so far this cycle.")]

MODE_NAMES = {"2g_only": "2G", "3g_only": "3G", "4g_only": "4G only", "4g_5g_preferred": "4G/5G preferred"}
MODE_CHOICES = {"2g_only": "2G only", "3g_only": "3G only", "4g_only": "4G only", "4g_5g_preferred": "4G/5G preferred"}
PERM_NAMES = {"sms": "SMS", "storage": "storage"}

# The words that show a frame value was said (see `writ.dialogue.acts.grounding_problems`).
CUES: dict[str, dict[Any, list[str]]] = {
    "hints": {"airplane": ["airplane", "flight"], "sim": ["sim"], "apn": ["apn"], "suspended": ["blocked"],
              "roaming_phone": ["roaming"], "roaming_line": ["roaming"],
              "data_off": ["switched off mobile data", "quick settings"], "usage": ["used up my data", "data limit",
                                                                                   "used up your data"],
              "saver": ["data saver", "data-saving"], "mode": ["network type", "only, to save battery"],
              "vpn": ["vpn"], "mmsc": ["mmsc", "picture messages"], "wifi_calling": ["wi-fi calling"],
              "perms": ["permission"]},
    "symptom": {"down": ["isn't working", "stopped working", "can't get online", "not working", "cannot get online"],
                "slow": ["slow"]},
    "signal": {"ok": ["signal bars", "signal icon looks normal"]},
    "speed": {"none": ["no connection"], "slow": ["slow one"], "up": ["gets a connection"]},
    "abroad": {True: TELECOM_ABROAD, False: TELECOM_HOME},
    "paid": {True: ["paid it"], False: ["behind on", "unpaid", "haven't paid", "not paid"]},
    "wifi": {False: ["no wi-fi", "not on wi-fi", "no wifi", "don't have any wi-fi", "just mobile data",
                     "only mobile data", "only on mobile data"]},
}


def _pick(rng: random.Random, pairs: list[tuple[str, str]], person: int, **values: Any) -> str:
    """One phrase of the pair list, realized (phrases carry inline alternatives, `writ.dialogue.grammar`)."""
    return realize(rng, pairs[rng.randrange(len(pairs))][0 if person == 1 else 1], **values)


def _hint_text(rng: random.Random, step: str, pool: str, person: int, frame: dict[str, Any]) -> str:
    options = HINTS[step].get(pool) or HINTS[step]["hinted"]
    perms = frame.get("_perms") or []
    perm = " and ".join(PERM_NAMES[p] for p in perms)
    text = _pick(rng, options, person, mode=MODE_NAMES.get(frame.get("_mode_from", ""), "2G"), perm=perm)
    return text.replace("permission", "permissions") if len(perms) > 1 else text


def render(rng: random.Random, frame: dict[str, Any], person: int = 1, also: bool = False) -> str:
    """The request in words: first person (the customer) or second (the tau2 scenario)."""
    family = frame["family"]
    parts: list[str] = []
    if family in ("service", "data", "mms"):
        kind = {"service": "service", "mms": "mms_also" if also else "mms"}.get(family) or \
            ("data_slow" if frame.get("symptom") == "slow" else "data_down")
        parts.append(_pick(rng, COMPLAINTS[kind], person))
        if frame.get("wifi") is False:
            parts.append(_pick(rng, NO_WIFI, person))
        if frame.get("abroad") and frame.get("country"):
            parts.append(_pick(rng, ABROAD, person, country=frame["country"]))
        elif frame.get("abroad") is False:
            parts.append(_pick(rng, HOME, person))
        for key, value in (frame.get("seen") or {}).items():
            parts.append(_pick(rng, SEEN[(key, value)], person))
        if "paid" in frame:
            parts.append(_pick(rng, PAID[frame["paid"]], person))
        pools = frame.get("_hints") or {}
        for step in frame.get("hints") or []:
            parts.append(_hint_text(rng, step, pools.get(step, "hinted"), person, frame))
        parts += _volunteered(rng, frame, person)
    elif family == "line":
        parts.append(_pick(rng, FAMILY[bool(frame.get("phone"))], person, rel=frame["relation"],
                           phone=frame.get("phone", "")))
        parts.append(_pick(rng, FAMILY_BILL[frame.get("paid")], person))
        parts += _volunteered(rng, frame, person)
    elif family == "refuel":
        if frame.get("gb_amount") is None:
            parts.append(_pick(rng, REFUEL_SOME, person))
        else:
            parts.append(_pick(rng, REFUEL, person, gb=gb(frame["gb_amount"])))
    elif family == "roaming":
        parts.append(_pick(rng, ROAMING, person, country=frame["country"]))
    elif family == "usage":
        parts.append(_pick(rng, USAGE, person))
    text = " ".join(parts)
    if also and person == 1 and family != "mms":
        head = realize(rng, ["[Also|And one more thing|Another thing],"])
        first = text.split(" ", 1)[0]
        keep = first == "I" or first.startswith("I'")
        text = f"{head} {text if keep else text[:1].lower() + text[1:]}"
    return text


# Details the agent would ask for, when the customer gives them up front (first person, second person).
OFFERED = {
    "app": [("I send them from the {app} app.", "You send them from the {app} app."),
            ("I use the {app} app for that.", "You use the {app} app for that.")],
    "gb_amount": [("If I've run out of data, I'd add {gb} GB.", "If you have run out of data, you would add {gb} GB."),
                  ("I'm happy to buy {gb} GB of data if that's the problem.",
                   "You are willing to buy {gb} GB of data if that is the problem.")],
    "network_mode": [("If a network setting has to change, I'd like {mode}.",
                      "If a network setting has to change, you would like {mode}.")],
    "pay": {True: [("I can pay any overdue bill right away; I'll pay it today.",
                     "You will pay any overdue bill today.")],
            False: [("I can't pay any bill right now, though.", "You cannot pay any bill right now.")]},
}


def _volunteered(rng: random.Random, frame: dict[str, Any], person: int) -> list[str]:
    out = []
    if frame.get("app"):
        out.append(_pick(rng, OFFERED["app"], person, app=frame["app"]))
    if frame.get("gb_amount") is not None and frame["family"] != "refuel":
        out.append(_pick(rng, OFFERED["gb_amount"], person, gb=gb(frame["gb_amount"])))
    if frame.get("network_mode"):
        out.append(_pick(rng, OFFERED["network_mode"], person, mode=MODE_CHOICES[frame["network_mode"]]))
    if frame.get("pay") is not None:
        out.append(_pick(rng, OFFERED["pay"][bool(frame["pay"])], person))
    return out


def gb(amount: float) -> str:
    return f"{amount:g}"

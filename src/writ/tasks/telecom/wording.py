"""Offline wording of telecom tasks: what the user says, what they know, how the agent asks.

Every template comes in several phrasings picked with the draft's `rng`. Clues come in pairs
(first person for the user's utterance, second person for tau2's scenario text).
"""

from __future__ import annotations

import random

__all__ = ["ASKS", "CLUES", "COMPLAINTS", "COUNTRIES", "GOALS", "ask_for", "pick"]


def pick(rng: random.Random, options):
    return options[rng.randrange(len(options))]


COUNTRIES = ["France", "Japan", "Mexico", "Italy", "Canada", "Germany", "Spain", "Brazil", "Portugal",
             "Thailand", "Greece", "Ireland", "South Korea", "Australia"]

# complaint kind -> [(utterance, reason_for_call)]
COMPLAINTS = {
    "service": [
        ("My phone has been showing 'No Service' for the past few hours.",
         "Your phone has been showing 'No Service' for the past few hours."),
        ("I can't make calls or send texts - my phone just says No Service.",
         "You cannot make calls or send texts: your phone just says 'No Service'."),
        ("Since this morning my phone has had no signal at all.",
         "Since this morning your phone has had no signal at all."),
        ("My phone lost its connection to the network and I can't get it back.",
         "Your phone lost its connection to the cellular network and you cannot get it back."),
    ],
    "data_down": [
        ("My mobile data isn't working at all - nothing loads unless I'm on Wi-Fi, and I don't have Wi-Fi here.",
         "Your mobile data is not working at all: nothing loads, and you do not have access to Wi-Fi."),
        ("Mobile data stopped working on my phone. I need the internet and there's no Wi-Fi around.",
         "Mobile data stopped working on your phone. You need internet access and there is no Wi-Fi around."),
        ("I can't get online with mobile data anymore.",
         "You cannot get online with mobile data anymore, and you have no Wi-Fi."),
    ],
    "data_slow": [
        ("My mobile data has become painfully slow.",
         "Your mobile data has become painfully slow. You do not have access to Wi-Fi."),
        ("Everything loads really slowly on mobile data lately; I need it fast again.",
         "Everything loads very slowly on mobile data lately, and you need it fast again. You have no Wi-Fi."),
        ("My internet on mobile data crawls - even simple pages take ages.",
         "Your mobile internet crawls: even simple pages take ages. You do not have access to Wi-Fi."),
    ],
    "mms": [
        ("I can't send picture messages from my messaging app.",
         "You are unable to send picture messages (MMS) from your messaging app."),
        ("My MMS messages keep failing - I can't send photos by text.",
         "Your MMS messages keep failing: you cannot send photos by text message."),
        ("Whenever I try to text someone a photo, it won't send.",
         "Whenever you try to text someone a photo, it will not send. You want to be able to send MMS again."),
    ],
    "mms_also": [
        ("Also, I can't send picture messages either.",
         "Once that is fixed, you also want to be able to send picture messages (MMS) again."),
        ("One more thing: my photo messages (MMS) won't send.",
         "You also cannot send photo messages (MMS) and want that fixed too."),
    ],
}

# fault -> mode -> [(first person, second person)]; {mode} {perm} are filled in.
CLUES = {
    "airplane": {
        "disclosed": [("I can see the airplane icon at the top of my screen.",
                       "You can see the airplane mode icon on your status bar."),
                      ("I think airplane mode is still on from my flight.",
                       "You think airplane mode is still on from your last flight.")],
        "hinted": [("I was on a flight yesterday and I'm not sure I switched everything back.",
                    "You were on a flight yesterday and are not sure you switched everything back.")],
    },
    "sim": {
        "disclosed": [("A message on my phone says there's no SIM card.",
                       "A message on your phone says that no SIM card is detected.")],
        "hinted": [("I dropped my phone this morning and the SIM tray may have been knocked loose.",
                    "You dropped your phone this morning; the SIM tray may have been knocked loose."),
                   ("I swapped phone cases today and had to pop the SIM tray out.",
                    "You swapped phone cases today and had to take the SIM tray out.")],
    },
    "apn": {
        "disclosed": [("I changed my APN settings and now the APN name says 'broken'.",
                       "You changed your APN settings and the APN name now reads 'broken'.")],
        "hinted": [("I was playing with some advanced carrier settings (the APN) yesterday.",
                    "You were playing with some advanced carrier settings (the APN) yesterday.")],
    },
    "suspended": {
        "hinted": [("Maybe my line is still blocked because of that bill.",
                    "You suspect your line is still blocked because of that bill.")],
    },
    "roaming_phone": {
        "disclosed": [("I noticed Data Roaming is switched off on my phone.",
                       "You noticed that Data Roaming is switched off on your phone.")],
        "hinted": [("I'm not sure my phone itself is set up for roaming.",
                    "You are not sure your phone itself is set up for roaming.")],
    },
    "roaming_line": {
        "hinted": [("I'm not sure roaming was ever activated on my account.",
                    "You are not sure roaming was ever activated on your account."),
                   ("I never asked you to turn on international roaming for my line.",
                    "You never asked the carrier to turn on international roaming for your line.")],
    },
    "data_off": {
        "disclosed": [("I think I switched off mobile data by accident.",
                       "You think you switched off mobile data by accident."),
                      ("My status bar says data is disabled.",
                       "Your status bar says mobile data is disabled.")],
        "hinted": [("I was tapping around in my quick settings earlier and may have turned something off.",
                    "You were tapping around in your quick settings earlier and may have turned something off.")],
    },
    "usage": {
        "hinted": [("I've been streaming a lot this month, so I may have used up my data.",
                    "You have been streaming a lot this month and may have used up your data allowance."),
                   ("I got a text saying I was close to my data limit a few days ago.",
                    "A few days ago you got a text saying you were close to your data limit.")],
    },
    "saver": {
        "disclosed": [("I turned on Data Saver mode a few days ago.",
                       "You turned on Data Saver mode a few days ago.")],
        "hinted": [("I switched on some data-saving option a few days ago.",
                    "You switched on some data-saving option a few days ago.")],
    },
    "mode": {
        "disclosed": [("I set my phone to use {mode} only, to save battery.",
                       "You set your phone to use {mode} only, to save battery.")],
        "hinted": [("I changed my phone's preferred network type to save battery.",
                    "You changed your phone's preferred network type to save battery.")],
    },
    "vpn": {
        "disclosed": [("I'm connected to a VPN and I think it's dragging everything down.",
                       "You are connected to a VPN and think it is dragging everything down.")],
        "hinted": [("I installed a VPN app last week.", "You installed a VPN app last week.")],
    },
    "mmsc": {
        "disclosed": [("My APN settings don't show an MMSC URL anymore.",
                       "Your APN settings no longer show an MMSC URL.")],
        "hinted": [("A friend changed some carrier settings on my phone recently.",
                    "A friend changed some carrier settings on your phone recently.")],
    },
    "wifi_calling": {
        "disclosed": [("I turned on Wi-Fi Calling, with MMS over Wi-Fi.",
                       "You turned on Wi-Fi Calling, including MMS over Wi-Fi.")],
        "hinted": [("I've been trying out the Wi-Fi Calling settings.",
                    "You have been trying out the Wi-Fi Calling settings.")],
    },
    "perms": {
        "disclosed": [("I took away my messaging app's {perm} permission recently.",
                       "You recently took away your messaging app's {perm} permission.")],
        "hinted": [("I've been tightening app permissions on my phone lately.",
                    "You have been tightening app permissions on your phone lately.")],
    },
}

# What the user already checked on their own (lets the agent skip that check).
REPORTS = {
    "signal": [("I do have signal bars, though.", "Your status bar does show signal bars."),
               ("The signal icon looks normal.", "The signal icon on your status bar looks normal.")],
    "data_down": [("I ran a speed test and it just says there's no connection.",
                   "You ran a speed test, and it just says there is no connection.")],
    "data_up": [("A speed test does get a connection, but a slow one.",
                 "A speed test does get a connection, but a slow one.")],
    "mms_down": [("Mobile data isn't working either - a speed test says no connection.",
                  "Mobile data is not working either: a speed test says there is no connection.")],
    "mms_up": [("Mobile data itself works - a speed test gets a connection.",
                "Mobile data itself works: a speed test gets a connection.")],
}

FAMILY = [
    ("My {rel}'s line on my account, {phone}, has been suspended. Could you reactivate it?",
     "Your {rel}'s line on your account, {phone}, has been suspended, and you want it reactivated."),
    ("The line I pay for my {rel}, {phone}, was suspended. I'd like it working again.",
     "The line you pay for your {rel}, {phone}, was suspended; you would like it working again."),
]

GOALS = {
    "line": ["You consider the request done once the agent confirms the line is active again; you will tell your {rel} to restart their phone.",
             "You want the line active again; you will pass on any instructions for your {rel}'s phone."],
    "service": ["You will consider the issue resolved when your status bar shows that you have signal.",
                "The issue is solved for you only once your phone has service again (signal on the status bar)."],
    "data": ["You absolutely want excellent internet speed on your phone; you will not accept poor, fair or good speed. "
             "You consider the issue resolved only when a speed test returns excellent speed.",
             "You want mobile data back at full speed: only a speed test result of 'Excellent' counts as fixed for you."],
    "mms": ["You consider the issue resolved once your phone reports that it can send MMS messages.",
            "You want to be able to send an MMS again; check with your phone before calling it fixed."],
}

FOLLOW = [
    "If the agent suggests actions that don't immediately fix the issue, follow their guidance but express mild frustration after the first unsuccessful attempt.",
    "Follow the agent's instructions step by step, even if a step does not fix the problem right away.",
    "Do what the agent asks on your phone, one step at a time; if something does not help, say so and keep going.",
]
GROUND = ("Whenever the agent asks about your phone, ground your answer in the result of the matching phone tool "
          "call; never make up what your phone shows. If a tool's result does not include updated status "
          "information, you may need another tool call to see it.")

# tool -> [how the agent asks the user to do it]
ASKS = {
    "check_status_bar": ["Could you check your status bar and tell me what it shows?",
                         "Please look at the icons at the top of your screen - what do you see?",
                         "What does your status bar show right now?"],
    "check_network_status": ["Could you check your phone's network status and read me the details?",
                             "Please open your network status (airplane mode, SIM, mobile data, roaming) and tell me what it says.",
                             "Can you check your network status for me?"],
    "check_sim_status": ["Could you check the status of your SIM card?",
                         "Please check whether your phone recognises the SIM card."],
    "check_apn_settings": ["Could you check your APN settings and tell me the APN name and MMSC URL?",
                           "Please open your APN settings and read me what they show."],
    "run_speed_test": ["Could you run a speed test and tell me the result?",
                       "Please run a quick speed test on mobile data.",
                       "Can you run a speed test now?"],
    "check_wifi_status": ["Could you check whether your phone is on Wi-Fi?",
                          "Please check your Wi-Fi status, so we know the test ran over mobile data."],
    "check_data_restriction_status": ["Could you check whether Data Saver or another data restriction is on?",
                                      "Please check your data restriction settings."],
    "check_network_mode_preference": ["Could you check which network mode your phone prefers?",
                                      "Please check your preferred network type (5G, 4G, 3G or 2G)."],
    "check_vpn_status": ["Are you using a VPN? Could you check your VPN status?",
                         "Please check whether a VPN is connected on your phone."],
    "can_send_mms": ["Could you check whether your messaging app can send MMS right now?",
                     "Please check if your phone can send picture messages now."],
    "check_wifi_calling_status": ["Could you check whether Wi-Fi Calling is on?",
                                  "Please check your Wi-Fi Calling setting."],
    "check_installed_apps": ["Could you check which apps are installed on your phone?",
                             "Please list the apps installed on your phone, so I know the messaging app's name."],
    "check_app_status": ["Could you open the messaging app's status page and tell me what it shows?",
                         "Please check the status of your messaging app."],
    "check_app_permissions": ["Could you check which permissions your messaging app has?",
                              "Please look at the messaging app's permissions and tell me which are granted."],
    "toggle_airplane_mode": ["Please turn airplane mode off.", "Could you switch airplane mode off?"],
    "reseat_sim_card": ["Please take your SIM card out and put it back in.",
                        "Could you re-seat your SIM card - remove it and insert it again?"],
    "reset_apn_settings": ["Please reset your APN settings to the defaults.",
                           "Could you reset the APN settings to their default values?"],
    "reboot_device": ["Now please restart your phone so the change takes effect.",
                      "Please reboot your phone now."],
    "reboot_after_resume": ["Please restart your phone so it reconnects to the network.",
                            "Your line is active again - please reboot your phone so service comes back."],
    "toggle_roaming": ["Please turn Data Roaming on.", "Could you switch on Data Roaming in your settings?"],
    "toggle_data": ["Please turn mobile data back on.", "Could you switch mobile data on?"],
    "toggle_data_saver_mode": ["Please turn Data Saver mode off.", "Could you switch off Data Saver?"],
    "set_network_mode_preference": ["Please set your preferred network mode to {mode}.",
                                    "Could you change the network mode preference to {mode}?"],
    "disconnect_vpn": ["Please disconnect your VPN.", "Could you disconnect from the VPN for now?"],
    "toggle_wifi_calling": ["Please turn Wi-Fi Calling off.", "Could you switch off Wi-Fi Calling?"],
    "grant_app_permission": ["Please give the messaging app the {perm} permission.",
                             "Could you grant the messaging app {perm} access?"],
}

PERM_NAMES = {"sms": "SMS", "storage": "storage"}
MODE_NAMES = {"2g_only": "2G", "3g_only": "3G", "4g_only": "4G only", "4g_5g_preferred": "4G/5G preferred"}


def ask_for(rng: random.Random, name: str, arguments: dict, role: str = "") -> str:
    key = "reboot_after_resume" if name == "reboot_device" and role == "resume" else name
    text = pick(rng, ASKS[key])
    return text.format(mode=MODE_NAMES.get(arguments.get("mode", ""), arguments.get("mode", "")),
                       perm=PERM_NAMES.get(arguments.get("permission", ""), arguments.get("permission", "")))

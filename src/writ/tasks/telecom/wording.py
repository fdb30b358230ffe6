"""Offline wording of telecom tasks for tau2's scenario: the customer's goals, how to follow the agent,
and how the agent asks for each phone action (the task's ``asks``). What the customer says about a
request is in `writ.tasks.telecom.phrases`.
"""

from __future__ import annotations

import random

__all__ = ["ASKS", "FOLLOW", "GOALS", "GROUND", "ask_for", "pick"]


def pick(rng: random.Random, options):
    return options[rng.randrange(len(options))]


GOALS = {
    "line": ["You consider the request done once the agent confirms the line is active again; you will tell your {rel} "
             "to restart their phone.",
             "You want the line active again; you will pass on any instructions for your {rel}'s phone."],
    "service": ["You will consider the issue resolved when your status bar shows that you have signal.",
                "The issue is solved for you only once your phone has service again (signal on the status bar)."],
    "data": ["You absolutely want excellent internet speed on your phone; you will not accept poor, fair or "
             "good speed. You consider the issue resolved only when a speed test returns excellent speed.",
             "You want mobile data back at full speed: only a speed test result of 'Excellent' counts as fixed "
             "for you."],
    "mms": ["You consider the issue resolved once your phone reports that it can send MMS messages.",
            "You want to be able to send an MMS again; check with your phone before calling it fixed."],
}

FOLLOW = [
    "If the agent suggests actions that don't immediately fix the issue, follow their guidance but express mild "
    "frustration after the first unsuccessful attempt.",
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
                             "Please open your network status (airplane mode, SIM, mobile data, roaming) and tell me "
                             "what it says.",
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
    "check_payment_request": ["Could you check your payment requests on your phone?"],
    "make_payment": ["If you accept the payment request, please pay it from your phone."],
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

"""How the scripted teacher says the moves every domain shares, in many ways.

Each entry is a list of `writ.dialogue.grammar` templates; one template with a few inline choices
already says dozens of different sentences, so two thousand conversations do not read alike. A
teacher keeps one *voice* for a whole conversation (warm, crisp or formal): the voice decides the
register of its openings, thanks and closings, the way one human agent would keep theirs.

Templates take only values the teacher knows from the conversation ({name} is the first name it
read from the customer's profile or heard from them).
"""

from __future__ import annotations

import random

from writ.dialogue.grammar import realize

__all__ = ["VOICES", "say"]

VOICES = ("warm", "crisp", "formal")

_GREET = {
    "warm": ["[Hi|Hello|Hey there|Hi there]! [Thanks for reaching out|Thanks for getting in touch|Good to hear "
             "from you|Welcome]. [How can I help [you ]today?|What can I do for you today?|What brings you in "
             "today?|What can I help you with?]"],
    "crisp": ["[Hello|Hi]. [How can I help?|What do you need help with today?|What can I do for you?|How can I "
              "help you today?]"],
    "formal": ["[Good day|Hello|Greetings], and [thank you for contacting us|welcome to customer support|thank "
               "you for getting in touch]. [How may I assist you [today]?|How may I help you?|What may I do for "
               "you today?]"],
}

_ASK_REQUEST = [
    "[What can I [help you with|do for you][ today]?|How can I help you today?|What would you like me to look "
    "into?|What do you need [help with|taken care of][ today]?|Tell me what you need and I'll [take a look|look "
    "into it].]",
]

_THANKS_NAME = {
    "warm": ["[Thanks|Thank you|Great, thanks|Perfect, thank you], {name}[!|.]",
             "[Got it|Lovely|Wonderful], {name}. [Thank you|Thanks]."],
    "crisp": ["[Thanks|Thank you], {name}.", "[Got it|Okay], {name}."],
    "formal": ["Thank you, {name}.", "[Thank you very much|Much appreciated], {name}."],
}

_FOUND_ACCOUNT = [
    "[I've found|I found|I have located|I've pulled up|I can see] your [account|profile][ now].",
    "[Your account is verified|You're verified|Your identity is confirmed|That matches our records].",
]

_WHY_AUTH = [
    "[I understand the concern|That's a fair question|I understand]. [We verify every customer before [looking "
    "at|changing] an account|The policy requires me to confirm your identity first|I can only access an account "
    "once I know it belongs to you], [so your details stay protected|to keep your account safe|so nobody else "
    "can make changes to it].",
]

_AUTH_FAILED = [
    "[I'm sorry|Sorry|Hmm], [I couldn't find|I wasn't able to find|there's no|I can't locate] an account "
    "[with|matching] those details. [Could you double-check them for me?|Would you mind checking them once "
    "more?|Could you verify them and try again?]",
    "[That didn't match|Those details don't match] [any account|anything] [on our side|in our system|I can find]. "
    "[Could you [check|confirm] them again?|Would you try once more?]",
]

_ASK_CONFIRM = {
    "warm": ["[Shall I go ahead?|Would you like me to go ahead?|Do you want me to proceed?|Should I go ahead with "
             "that?|Is that okay with you?|Can I go ahead with that?]"],
    "crisp": ["[Proceed?|Shall I proceed?|Can you confirm, and I'll [go ahead|do it]?|Do you confirm?|Go ahead?|"
              "Okay to proceed?]"],
    "formal": ["[May I proceed?|Do I have your confirmation to proceed?|Could you please confirm that you would "
               "like me to proceed?|Would you like me to proceed with this?|Shall I proceed with this change?]"],
}

_DECLINED = [
    "[Understood|No problem|Okay|Alright|Of course]. [I won't make that change|I'll leave it as it is|I haven't "
    "changed anything]. [Let me know if you [change your mind|want to go ahead later]|Just say so if you'd "
    "like to go ahead after all].",
]

_ANYTHING_ELSE = [
    "[Is there anything else I can help [you ]with[ today]?|Can I help with anything else?|Is there anything "
    "more I can do for you?|Anything else I can [do for you|take care of][ today]?|What else can I do for you?]",
]

_GOODBYE = {
    "warm": ["[You're welcome|My pleasure|Happy to help|Glad I could help][?, {name}][!|.] [Have a [great|lovely|"
             "wonderful] day[!|.]|Take care[!|.]|Enjoy the rest of your day[!|.]]"],
    "crisp": ["[You're welcome|Glad to help][?, {name}]. [Goodbye.|Take care.|Have a good day.]"],
    "formal": ["[You are welcome|It was my pleasure][?, {name}]. [Thank you for contacting us, and have a good "
               "day.|Have a pleasant day.|Goodbye, and thank you for your patience.]"],
}

_RESTATE = [
    "[To be clear|To answer your question|Good question]: [only what I listed will change|nothing besides what "
    "I described will change|the change is limited to what I described]. {summary}",
]

_RECONFIRM = [
    "[No problem|Sure|Of course]. [Here it is again|Once more, the details]: {summary}",
]

_REFUSE_AGAIN = [
    "[I understand[ your frustration|]|I hear you|I'm sorry], but [I can't make an exception|the policy doesn't "
    "allow it|I'm not able to do that], {why}.",
    "[I'm sorry|I really am sorry|I wish I could help with that], but {why}, [so the answer has to stay no|so I "
    "can't do it|and that isn't something I can override].",
]

_NEXT = [
    "[Now, [about|regarding|on to] your other request.|Next, [your other request|the other thing you mentioned]."
    "|Let's [turn to|move on to] your other request.|As for your next request:]",
]

_TRANSFER = ["YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON."]

_WRITE_FAILED = [
    "[I'm sorry|Unfortunately], the system [rejected|didn't accept] that change: {error} Nothing was "
    "[changed|modified].",
]

_ASK_AGAIN = [
    "[Sorry, I didn't catch that|I'm not sure I followed|Could you clarify]. {question}",
]

TABLES = {
    "greet": _GREET, "ask_request": _ASK_REQUEST, "thanks_name": _THANKS_NAME, "found_account": _FOUND_ACCOUNT,
    "why_auth": _WHY_AUTH, "auth_failed": _AUTH_FAILED, "ask_confirm": _ASK_CONFIRM, "declined": _DECLINED,
    "anything_else": _ANYTHING_ELSE, "goodbye": _GOODBYE, "restate": _RESTATE, "reconfirm": _RECONFIRM,
    "refuse_again": _REFUSE_AGAIN, "next": _NEXT, "transfer": _TRANSFER, "write_failed": _WRITE_FAILED,
    "ask_again": _ASK_AGAIN,
}


def say(rng: random.Random, move: str, voice: str = "warm", **values: str) -> str:
    table = TABLES[move]
    templates = table.get(voice) or table["warm"] if isinstance(table, dict) else table
    if values.get("name") == "":  # a customer we have not identified: no name, no dangling comma
        templates = [t.replace("[?, {name}]", "").replace(", {name}", "") for t in templates]
    return realize(rng, templates, **values)

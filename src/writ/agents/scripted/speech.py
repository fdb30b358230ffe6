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
    "warm": ["[Hi|Hello|Hey there|Hi there|Good morning|Hello there]! [Thanks for reaching out|Thanks for getting in "
             "touch|Good to hear from you|Welcome|Thanks for contacting us|Glad you reached out][!|.] [How can I "
             "help [you ]today?|What can I do for you today?|What brings you in today?|What can I help you with?|"
             "What can I help with today?|How can I make your day easier?]"],
    "crisp": ["[Hello|Hi|Hi there][.|!] [How can I help?|What do you need help with today?|What can I do for "
              "you?|How can I help you today?|What can I help with?|What's up?|What do you need?]"],
    "formal": ["[Good day|Hello|Greetings|Good afternoon], and [thank you for contacting us|welcome to customer "
               "support|thank you for getting in touch|welcome]. [How may I assist you[ today]?|How may I help "
               "you?|What may I do for you today?|How can I be of help?|In what way may I assist you?]"],
}

_ASK_REQUEST = [
    "[So, |Alright, |Now, |Okay, |][what can I [help you with|do for you|look into for you][ today|]?|how can I "
    "help[ you| you today|]?|what would you like me to [look into|help with|take care of]?|what do you need [help "
    "with|taken care of|sorted out][ today|]?|tell me what you need and I'll [take a look|look into it|get "
    "started].]",
]

_THANKS_NAME = {
    "warm": ["[Thanks|Thank you|Great, thanks|Perfect, thank you|Wonderful, thanks|Thanks so much], {name}[!|.]",
             "[Got it|Lovely|Wonderful|Great|Perfect], {name}[.|!] [Thank you|Thanks|Much appreciated]."],
    "crisp": ["[Thanks|Thank you|Got it|Okay], {name}.", "[Thanks|Great], {name}."],
    "formal": ["[Thank you|Thank you very much|Much appreciated|I appreciate it], {name}."],
}

_FOUND_ACCOUNT = [
    "[I've found|I found|I have located|I've pulled up|I can see|I've got] your [account|profile|records][ now| "
    "here|].",
    "[Your account is verified|You're verified|Your identity is confirmed|That matches our records|Everything "
    "checks out|You're all verified][.|!]",
]

_WHY_AUTH = [
    "[I understand the concern|That's a fair question|I understand|Good question|I get it]. [We verify every "
    "customer before [looking at|changing|discussing] an account|The policy requires me to confirm your identity "
    "first|I can only access an account once I know it belongs to you|Verification comes first for every "
    "request], [so your details stay protected|to keep your account safe|so nobody else can make changes to "
    "it|which protects you].",
]

_AUTH_FAILED = [
    "[I'm sorry|Sorry|Hmm|Unfortunately], [I couldn't find|I wasn't able to find|I can't locate|I don't see] an "
    "account [with|matching|under] those details. [Could you double-check them [for me|please]?|"
    "Would you mind checking them once more?|Could you verify them and try again?|Could you take another look "
    "at them?]",
    "[That didn't match|Those details don't match] [any account|anything|an account] [on our side|in our "
    "system|I can find|here]. [Could you [check|confirm] them again?|Would you try once more?|Could you re-check "
    "them for me?]",
    "Nothing came up for those details [on our side|in our system|here]. [Could you [check|confirm] them "
    "again?|Would you try once more?]",
]

_ASK_CONFIRM = {
    "warm": ["[Shall I go ahead?|Would you like me to go ahead?|Do you want me to proceed?|Should I go ahead with "
             "that?|Is that okay with you?|Can I go ahead with that?|Does that sound right to you?|Want me to go "
             "ahead?|Is it okay if I go ahead?|Should I go ahead and do that?]"],
    "crisp": ["[Proceed?|Shall I proceed?|Can you confirm, and I'll [go ahead|do it]?|Do you confirm?|Go ahead?|"
              "Okay to proceed?|Confirm?|Good to go?|Shall I do it?|Yes to proceed?]"],
    "formal": ["[May I proceed?|Do I have your confirmation to proceed?|Could you please confirm that you would "
               "like me to proceed?|Would you like me to proceed with this?|Shall I proceed with that?|"
               "May I have your confirmation?|Would you like me to carry this out?]"],
}

_DECLINED = [
    "[Understood|No problem|Okay|Alright|Of course|Sure|That's fine]. [I won't make that change|I'll leave it as "
    "it is|I haven't changed anything|Nothing has been changed|I'll hold off][ for now|]. [Let me know if you "
    "[change your mind|want to go ahead later|reconsider]|Just say so if you'd like to go ahead after all|If you "
    "want it later, just tell me].",
]

_ANYTHING_ELSE = [
    "[Is there|Would there be] [anything|something] else I [can|could] [help you with|do for you|assist you "
    "with|take care of|look into][ today| while we're at it| at the moment|]?",
    "[What else can I do for you|Anything else I can [do for you|take care of|help with]|Can I help with anything "
    "else|Is there more I can help with|Can I do anything else for you|How else can I help][ today| at the "
    "moment| while I have you|]?",
    "[Anything else on your list|Was there anything else[ you needed|]|Do you need help with anything else|Can I "
    "look into anything else for you|Before I let you go, is there anything else][ today|]?",
    "[Does that cover everything|Have we covered everything|Is that everything] [for today|you needed|you "
    "wanted to sort out][, or is there more|]?",
]

_GOODBYE = {
    "warm": ["[You're welcome|My pleasure|Happy to help|Glad I could help|Anytime][?, {name}][!|.] [Have a "
             "[great|lovely|wonderful|good] [day|afternoon|evening|week][!|.]|Take care[!|.]|Enjoy the rest of your "
             "day[!|.]|All the best[!|.]]"],
    "crisp": ["[You're welcome|Glad to help|No problem][?, {name}]. [Goodbye.|Take care.|Have a good day.|Bye "
              "for now.|All the best.]"],
    "formal": ["[You are welcome|It was my pleasure|It has been a pleasure][?, {name}]. [Thank you for contacting "
               "us, and have a good day.|Have a pleasant day.|Goodbye, and thank you for your patience.|Wishing "
               "you a good day.]"],
}

_RESTATE = [
    "[To be clear|To answer your question|Good question|Fair question|To put your mind at rest]: [only what I "
    "listed will change|nothing besides what I described will change|the change is limited to what I "
    "described|nothing else on your account is touched]. {summary}",
]

_RECONFIRM = [
    "[No problem|Sure|Of course|Certainly|Happy to]. [Here it is again|Once more, the details|Here are the "
    "details again|Let me go over it again]: {summary}",
]

_REFUSE_AGAIN = [
    "[I understand[ your frustration|]|I hear you|I'm sorry|I really do understand], but [I can't make an "
    "exception|the policy doesn't allow it|I'm not able to do that|my hands are tied here]: {why}.",
    "[I'm sorry|I really am sorry|I wish I could help with that|I know it's not what you hoped to hear], but "
    "{why}, [so the answer has to stay no|so I can't do it|and that isn't something I can override|so I'm not "
    "able to change that].",
]

_NEXT = [
    "[Now, [about|regarding|on to] your [other|next] request.|Next, [your other request|the other thing you "
    "mentioned].|Let's [turn to|move on to] your [other|next] request.|On to the next thing you asked "
    "about.|Now for the other thing you mentioned.]",
]

_TRANSFER = ["YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON."]

_WRITE_FAILED = [
    "[I'm sorry|Unfortunately|I apologize], the system [rejected|didn't accept|refused] that change: {error} "
    "Nothing was [changed|modified].",
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

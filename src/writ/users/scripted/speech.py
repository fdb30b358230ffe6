"""How the scripted customer says the moves every domain shares (yes, no, thanks, who I am, ...).

Each move has templates per register: ``plain`` for most customers, ``terse`` (a few words),
``verbose`` (chatty, with context that does not invent facts) and ``polite`` (formal). A customer
keeps its register for the whole conversation. Values (names, emails, ids) are inserted verbatim.
"""

from __future__ import annotations

import random
from typing import Any

from writ.dialogue.grammar import realize

__all__ = ["auth_text", "register_of", "say"]

MOVES: dict[str, dict[str, list[str]]] = {
    "affirm": {
        "plain": ["[Yes|Yeah|Yep|Yes, that's right|That's right|Correct|Yes, correct], [please go ahead|go ahead|"
                  "please do|do it|that works|go for it|please proceed][, thanks|, thank you| — thanks|]!",
                  "[Sounds good|That's fine|Perfect|Great|Looks right|That looks correct|All good], [go ahead|please "
                  "proceed|yes|do it|you can go ahead][, thanks| — thank you|, please|]."],
        "terse": ["[Yes|Yep|Ok|Sure], [go ahead|do it|proceed].", "[Yes|Yep], [please|go].", "Confirmed."],
        "verbose": ["[Yes, that's exactly it|Yes, that all looks right to me|Yes, that's what I had in mind|That "
                    "matches what I wanted], [so please go ahead|go right ahead|please do that for me|so yes, "
                    "proceed]. [Thanks for checking with me.|I appreciate you double-checking.|Thank you for being "
                    "so thorough.|]"],
        "polite": ["[Yes|Yes, that is correct|That is right], [kindly proceed|please go ahead|I would appreciate "
                   "that|you may proceed]. [Thank you.|Thank you very much.|Many thanks.|]"],
    },
    "deny": {
        "plain": ["[No|Actually, no|Hmm, no|Wait, no], [don't do that|please don't go ahead|let's not do that|hold "
                  "off on that][ for now| yet| just yet|].", "[Wait|Hold on|Hang on], [no|actually no]. [Don't make "
                  "that change.|Please don't do that.|Let's not do that yet.]"],
        "terse": ["No. Don't.", "No, not now.", "No, hold off."],
        "polite": ["[I'm sorry|Apologies|Pardon me], but [please do not proceed|I would rather you did not do that|"
                   "please hold off] [for now|just yet|]."],
    },
    "reconsider": {
        "plain": ["[Sorry|Actually|You know what|On second thought], I've changed my mind[, sorry|]. [Please go "
                  "ahead with it after all.|Go ahead and do it.|Let's do it after all.|Please make the change.]"],
        "terse": ["Changed my mind. Do it.", "Actually, go ahead."],
        "polite": ["My apologies, I have reconsidered. [Please go ahead with it after all.|Kindly proceed after "
                   "all.]"],
    },
    "done": {
        "plain": ["[No|Nope|Nothing else|No, thanks], [that's all|that's everything|that covers it|I'm all set|"
                  "that's it][ for today| for now|] — [thanks[ for your help| so much| a lot| "
                  "for sorting it out|]|thank you[ so much| for your time| for the help|]|I appreciate it|have a good "
                  "one|that was quick][!|.]"],
        "terse": ["No, that's all. Thanks.", "Nothing else. Thanks.", "That's it. Thanks."],
        "verbose": ["[No, I think that's everything|That's everything I needed|No, that covers it all|I think "
                    "we're done][ for today| for now|]. [Thank you so much for your help|You've been really "
                    "helpful|Thanks for being so patient with me|You made this easy]!"],
        "polite": ["[No, that will be all|That is everything|I believe that is all], thank you [very much|kindly|so "
                   "much] for your [help|assistance|time]."],
    },
    "ack_next": {
        "plain": ["[Sure|Okay|Sounds good|Great|Alright|Perfect|Fine], [go ahead|thanks|go on|I'm listening|let's "
                  "do it|carry on|I'm with you][, please| then|].", "[Okay|Alright|Sure|Right], thank you[ for that| "
                  "for explaining|]."],
        "terse": ["Ok.", "Sure.", "Go on."],
        "polite": ["[Certainly|Of course|Please do], thank you."],
    },
    "thanks": {
        "plain": ["[Thanks|Thank you|Great, thanks|Perfect, thank you|Good to know, thanks|Okay, thanks|Ah, thank "
                  "you|Got it, thanks][ for checking| for looking that up| for that| for finding that| so much|]"
                  "[.|!]"],
        "terse": ["Thanks.", "Ok, thanks.", "Got it."],
        "polite": ["Thank you very much[ for checking| for looking into it|]."],
    },
    "accept": {
        "plain": ["[Okay|Alright|Fine|Oh well|Hm, okay|Ah, okay], I [understand|get it|see][ then|, thanks|] — "
                  "[that's a shame, but okay|thanks for explaining|no worries|I'll live with it|fair "
                  "enough|makes sense|it is what it is][ then|, I guess|].", "[I see|Got it|Understood|Right|Oh, I "
                  "see] — [that's a shame, but okay|okay then|fair enough|thanks anyway|that makes sense|no "
                  "problem][, thanks|, I suppose|]."],
        "terse": ["Ok. Understood.", "Fine.", "Understood."],
        "polite": ["I understand; thank you for explaining.", "I see. Thank you for clarifying that."],
    },
    "insist": {
        "plain": ["[Are you sure|Are you certain|Is it really true|So you're telling me] there's nothing you can "
                  "do[ about it| for me| at all| here|]?", "[Really|Seriously|Oh, come on|Hm, really|Wait, really] — "
                  "[can't you make an exception[ just this once| for me| this one time|]|isn't there some way[ around "
                  "it|]|is there nothing [at all |]you can do|couldn't you [check again|ask someone]]?", "[Come on|"
                  "Please|Look], I've been a [loyal |good |]customer for [years|a long time|ages] — [isn't there any "
                  "way|can't you bend the rules a little|surely something can be done|can't you help me out "
                  "here][ this time|]?"],
        "terse": ["Really? No exception?", "No way at all?"],
        "polite": ["I understand, but is there truly no way to make an exception in this case?"],
    },
    "why_auth": {
        "plain": ["[Why do you need that[ exactly| for this|]|What do you need that for[ exactly|]|Why do you need "
                  "my details[ exactly| for this|]]?",
                  "[Is that really necessary|Do you really need that|Is that needed][ for this| before you can help| "
                  "just for this|]?", "[Hm, |Sorry, |Wait, |]what's that for?"],
        "terse": ["Why?", "What for?"],
        "polite": ["May I ask why you need that information?"],
    },
    "ask_effects": {
        "plain": ["[Before I say yes|Before I confirm|One question first|Quick question before you do it|Wait, "
                  "before that]: [will anything else on my account change|does this change anything else|is that "
                  "the only thing that will change|what else will this affect|does it touch anything else|will "
                  "anything else be different afterwards]?"],
        "terse": ["Anything else change?"],
        "polite": ["Before I confirm, could you tell me whether anything else will change?"],
    },
    "ask_repeat": {
        "plain": ["[Sorry, |Hold on, |Wait, |Just to be sure, |]["
                  "could you repeat exactly what you're going to do|can you go over that again|can you say once more "
                  "what exactly will happen|what exactly will you do|what's the change again|can you run me through "
                  "that again][, please|]?"],
        "terse": ["Repeat that?", "Say that again?"],
        "polite": ["Would you mind repeating exactly what you will do?"],
    },
    "vague": {
        "plain": ["[Hi|Hello|Hey], I need [some help|help with something|a hand][ with my account|].",
                  "[Hi there|Hello|Hey]. I have [a problem|a question|something I need sorted out|an issue]."],
        "terse": ["Need help.", "Hi. Need some help."],
        "polite": ["Good day. I was hoping you could help me with something."],
    },
    "late": {
        "plain": ["[I think that's everything|That should be all][.|...] [Oh, wait|Actually, hold on], [there's one "
                  "more thing|I almost forgot something|I nearly forgot].",
                  "[I think that's everything|That should be all][.|...] Oh, one more thing[ I almost forgot|]."],
        "terse": ["Oh, one more thing."],
        "polite": ["I believe that is all... oh, my apologies, there is one more thing."],
    },
    "not_that": {
        "plain": ["[No, that's not right|That's not what I asked for|Hmm, that doesn't match what I want]."],
        "terse": ["No, wrong."],
        "polite": ["I'm sorry, but that is not quite what I asked for."],
    },
}


_FIELD_WORDS = {"date_of_birth": "[my date of birth is|I was born on] {date_of_birth}",
                "email": "[my email is|my email address is|the email on file is] {email}",
                "phone_number": "[my phone number is|my number is|my phone is] {phone_number}",
                "address": "[my address is|I live at|my home address is] {address}"}


def register_of(style: str | None) -> str:
    return {"terse": "terse", "verbose": "verbose", "polite": "polite"}.get(style or "", "plain")


def say(rng: random.Random, move: str, register: str = "plain", **values: Any) -> str:
    table = MOVES[move]
    return realize(rng, table.get(register) or table["plain"], **values)


def auth_text(rng: random.Random, auth: dict[str, Any], name: str, register: str = "plain",
              sorry: bool = False) -> tuple[str, dict[str, Any]]:
    """(text, slots) giving the identifying details of `auth` (a method and its values)."""
    method = auth.get("method")
    sorry_lead = "[Sorry, my mistake|Oops, sorry|Ah, sorry about that|My bad|Sorry, I mixed that up][ —|,|.] "
    lead = sorry_lead if sorry else ""
    ok = "" if sorry else "[[Sure|Of course|Yes|Okay|No problem|Right][,| —] |]"
    if method == "name_zip":
        slots = {k: auth[k] for k in ("first_name", "last_name", "zip")}
        text = realize(rng, lead + ok + "[my name is|I'm|it's] {first} {last}[,| and] [my zip code is|zip code|"
                       "the zip is|my zip is|I'm in zip code] {zip}[.|, thanks.|.]", first=auth["first_name"],
                       last=auth["last_name"], zip=auth["zip"])
    elif method == "email":
        slots = {"email": auth["email"]}
        text = realize(rng, lead + ok + "[my email is|it's|the email on the account is|you can find me under|the "
                       "account is under|I use] {email}[.|, thanks.| if that helps.]", email=auth["email"])
    elif method == "user_id":
        slots = {"user_id": auth["user_id"]}
        text = realize(rng, lead + ok + "[my user ID is|it's|the user ID is|you'll find me under|I'm] {uid}[.|, "
                       "thanks.| if that helps.]", uid=auth["user_id"])
    elif method == "phone":
        slots = {"phone_number": auth["phone_number"]}
        if name:
            slots["full_name"] = name
            text = realize(rng, lead + ok + "[my phone number is|the number is|it's|my number is|the line is] "
                           "{phone}[,| and] [my name is|I'm|the account is under|it's in the name of|the name on "
                           "the account is] {name}[.|, thanks.]", phone=auth["phone_number"], name=name)
        else:
            text = realize(rng, lead + ok + "[my phone number is|the number is|it's|my number is] {phone}[.|, "
                           "thanks.]", phone=auth["phone_number"])
    elif method == "customer_id":
        slots = {"customer_id": auth["customer_id"]}
        text = realize(rng, lead + ok + "[my customer ID is|the customer ID is|it's] {cid}.",
                       cid=auth["customer_id"])
    elif method == "identity":  # a full name and two identifying details (banking)
        fields = [k for k in ("date_of_birth", "email", "phone_number", "address") if auth.get(k)]
        slots = {"full_name": auth.get("full_name") or name, **{k: auth[k] for k in fields}}
        details = " and ".join(_FIELD_WORDS[k] for k in fields)
        text = realize(rng, lead + "[Sure|Of course|Okay|Yes]. [My name is|I'm|It's] {full_name}[,|;] " + details + ".",
                       **slots)
    else:
        slots = {"full_name": name} if name else {}
        text = realize(rng, "My name is {name}.", name=name) if name else "I'm not sure what you need from me."
    if register == "terse":
        text = " ".join(str(v) for v in slots.values()) + "."
    return text, slots

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
        "plain": ["[Yes|Yeah|Yep|Yes, that's right|That's right|Correct], [please go ahead|go ahead|please do|do "
                  "it|that works].", "[Sounds good|That's fine|Perfect|Great], [go ahead|please proceed|yes]."],
        "terse": ["[Yes|Yep|Ok], [go ahead|do it|proceed].", "Yes."],
        "verbose": ["[Yes, that's exactly it|Yes, that all looks right to me|Yes, that's what I had in mind], [so "
                    "please go ahead|go right ahead|please do that for me]. [Thanks for checking.|I appreciate you "
                    "double-checking.|]"],
        "polite": ["[Yes, please|Yes, that is correct], [kindly proceed|please go ahead|I would appreciate "
                   "that]. [Thank you.|Thank you very much.|]"],
    },
    "deny": {
        "plain": ["[No|Actually, no|Hmm, no], [don't do that|please don't go ahead|let's not do that] [for now|"
                  "yet|].", "[Wait|Hold on], [no|actually no]. [Don't make that change.|Please don't do that.]"],
        "terse": ["No. Don't.", "No, not now."],
        "polite": ["[I'm sorry|Apologies], but [please do not proceed|I would rather you did not do that] [for "
                   "now|just yet]."],
    },
    "reconsider": {
        "plain": ["[Sorry|Actually|You know what], I've changed my mind. [Please go ahead with it after all.|Go "
                  "ahead and do it.|Let's do it after all.]"],
        "terse": ["Changed my mind. Do it."],
        "polite": ["My apologies, I have reconsidered. Please go ahead with it after all."],
    },
    "done": {
        "plain": ["[No|Nope|No, that's it], [that's all|that's everything|nothing else|that covers it][ for "
                  "today|]. [Thanks[ for your help|]!|Thank you!|Thanks a lot.]"],
        "terse": ["No, that's all. Thanks.", "Nothing else. Thanks."],
        "verbose": ["[No, I think that's everything|That's everything I needed|No, that covers it all][ for "
                    "today|]. [Thank you so much for your help|You've been really helpful|Thanks for being so "
                    "patient with me]!"],
        "polite": ["[No, that will be all|That is everything], thank you [very much|kindly] for your "
                   "[help|assistance]."],
    },
    "ack_next": {
        "plain": ["[Sure|Okay|Sounds good|Great], [go ahead|thanks|go on].", "[Okay|Alright], thank you."],
        "terse": ["Ok.", "Sure."],
        "polite": ["[Certainly|Of course], thank you."],
    },
    "thanks": {
        "plain": ["[Thanks|Thank you|Great, thanks|Perfect, thank you][ for checking|]."],
        "terse": ["Thanks.", "Ok, thanks."],
        "polite": ["Thank you very much[ for checking|]."],
    },
    "accept": {
        "plain": ["[Okay|Alright|Fine], I understand.", "[I see|Got it]. [That's a shame, but okay.|Okay then.]"],
        "terse": ["Ok. Understood.", "Fine."],
        "polite": ["I understand; thank you for explaining."],
    },
    "insist": {
        "plain": ["[Are you sure there's nothing you can do?|Really? Can't you make an exception just this once?|"
                  "Come on, I've been a customer for years. Isn't there any way?]"],
        "terse": ["Really? No exception?"],
        "polite": ["I understand, but is there truly no way to make an exception in this case?"],
    },
    "why_auth": {
        "plain": ["[Why do you need that?|What do you need that for?|Is that really necessary?]"],
        "terse": ["Why?"],
        "polite": ["May I ask why you need that information?"],
    },
    "ask_effects": {
        "plain": ["Before I say yes: [will anything else on my account change?|does this change anything else?|is "
                  "that the only thing that will change?]"],
        "terse": ["Anything else change?"],
        "polite": ["Before I confirm, could you tell me whether anything else will change?"],
    },
    "ask_repeat": {
        "plain": ["[Could you repeat exactly what you're going to do?|Sorry, can you go over that again?|Can you "
                  "say once more what exactly will happen?]"],
        "terse": ["Repeat that?"],
        "polite": ["Would you mind repeating exactly what you will do?"],
    },
    "vague": {
        "plain": ["[Hi|Hello], I need [some help|help with something][ with my account|].",
                  "[Hi there|Hello]. I have [a problem|a question|something I need sorted out]."],
        "terse": ["Need help.", "Hi. Need some help."],
        "polite": ["Good day. I was hoping you could help me with something."],
    },
    "late": {
        "plain": ["[I think that's everything|That should be all][.|...] [Oh, wait|Actually, hold on|Oh, one more "
                  "thing], [there's one more thing|I almost forgot something|I nearly forgot]."],
        "terse": ["Oh, one more thing."],
        "polite": ["I believe that is all... oh, my apologies, there is one more thing."],
    },
    "not_that": {
        "plain": ["[No, that's not right|That's not what I asked for|Hmm, that doesn't match what I want]."],
        "terse": ["No, wrong."],
        "polite": ["I'm sorry, but that is not quite what I asked for."],
    },
}


def register_of(style: str | None) -> str:
    return {"terse": "terse", "verbose": "verbose", "polite": "polite"}.get(style or "", "plain")


def say(rng: random.Random, move: str, register: str = "plain", **values: Any) -> str:
    table = MOVES[move]
    return realize(rng, table.get(register) or table["plain"], **values)


def auth_text(rng: random.Random, auth: dict[str, Any], name: str, register: str = "plain",
              sorry: bool = False) -> tuple[str, dict[str, Any]]:
    """(text, slots) giving the identifying details of `auth` (a method and its values)."""
    method = auth.get("method")
    lead = "[Sorry, my mistake|Oops, sorry|Ah, sorry about that]. " if sorry else ""
    if method == "name_zip":
        slots = {k: auth[k] for k in ("first_name", "last_name", "zip")}
        text = realize(rng, lead + "[Sure|Of course|Yes|Okay][,|.] [My name is|I'm|It's] {first} {last}[,| and] [my "
                       "zip code is|zip code|the zip is] {zip}.", first=auth["first_name"], last=auth["last_name"],
                       zip=auth["zip"])
    elif method == "email":
        slots = {"email": auth["email"]}
        text = realize(rng, lead + "[Sure|Of course|Yes|Okay][,|.] [My email is|It's|The email on the account is|"
                       "You can find me under] {email}.", email=auth["email"])
    elif method == "user_id":
        slots = {"user_id": auth["user_id"]}
        text = realize(rng, lead + "[Sure|Okay][,|.] My user ID is {uid}.", uid=auth["user_id"])
    elif method == "phone":
        slots = {"phone_number": auth["phone_number"]}
        text = realize(rng, lead + "[Sure|Okay][,|.] [My phone number is|The number is|It's] {phone}.",
                       phone=auth["phone_number"])
        if name:
            slots["full_name"] = name
            text += realize(rng, " [My name is|I'm|The account is under] {name}.", name=name)
    elif method == "customer_id":
        slots = {"customer_id": auth["customer_id"]}
        text = realize(rng, lead + "[Sure|Okay][,|.] My customer ID is {cid}.", cid=auth["customer_id"])
    else:
        slots = {"full_name": name} if name else {}
        text = realize(rng, "My name is {name}.", name=name) if name else "I'm not sure what you need from me."
    if register == "terse":
        text = " ".join(str(v) for v in slots.values()) + "."
    return text, slots

"""How the scripted bank customer words its requests, answers and push-back.

The requests and answers are the task generator's own first-person wording
(`writ.tasks.banking_knowledge.wording`), so the customer says exactly what its frame holds; the
values that are choices (a reason, expedited shipping, "the address on file", "the full balance")
are spoken in the words `cues` lists, which the reading's grounding check and the information-flow
verifier look for.
"""

from __future__ import annotations

import random
from typing import Any

from writ.dialogue.grammar import realize
from writ.tasks.banking_knowledge.wording import answer_text as _answer
from writ.tasks.banking_knowledge.wording import cues as _cues
from writ.tasks.banking_knowledge.wording import request_text as _request
from writ.users.scripted.scenario import Scenario, ScenarioRequest

__all__ = ["answer_text", "complete_text", "cues", "dont_know", "forbidden_ask", "pick_option", "pushback_text",
           "request_text"]


def cues(key: str, value: Any) -> list[str] | None:
    if key == "complete":
        return ["that's all", "that's everything"]
    return _cues(key, value)


def request_text(rng: random.Random, frame: dict[str, Any], register: str, also: bool) -> str:
    return _request(rng, frame, "terse" if register == "terse" else "plain", also)


def answer_text(rng: random.Random, slot: str, value: Any, frame: dict[str, Any], register: str) -> str:
    return _answer(rng, slot, value, frame, register)


def complete_text(rng: random.Random, register: str) -> str:
    return realize(rng, ["[Yes|Yep|Yeah], that's all[ for today| I needed|].", "That's everything, [yes|thanks].",
                         "[No, |Nope, |]that's all[, thank you|, thanks|] — [you've been a big help|I'm all set].",
                         "I think that's everything[ for now|]."])


def dont_know(rng: random.Random, slot: str) -> str:
    return realize(rng, ["[Sorry|Hmm], I don't know that offhand.", "I'm not sure, sorry.",
                         "[I don't have that in front of me|I'd have to look that up|I can't remember], [sorry|I'm "
                         "afraid]."])


def pick_option(request: ScenarioRequest, options: list[str]) -> str | None:
    return None


def pushback_text(rng: random.Random, request: ScenarioRequest, register: str) -> str:
    if request.pushback:
        return request.pushback
    if request.family == "atm_limit":
        return realize(rng, ["[But|Please,] I really need that cash today. [Can't you make an exception?|Isn't there "
                             "any way to raise it a bit more?]",
                             "[That's a problem|That doesn't work for me]: [I have a payment due in cash|I need the "
                             "money today]. [Is there really nothing you can do?|Could a manager approve it?]"])
    if request.family == "replace_credit":
        return realize(rng, ["[But|Honestly,] I need a card that works now. [Can't you just send another one?|Isn't "
                             "there any way to speed this up?]",
                             "[I haven't received anything yet|Nothing has arrived], though. [Can't you order a new "
                             "one anyway?|Are you sure there's nothing else you can do?]"])
    return realize(rng, ["[Really?|Are you sure?|Seriously?] [I've banked with you for years.|This is my own account.|"
                         "It's my money.] [Isn't there anything you can do?|Can't you make an exception this once?|"
                         "Could you check again?]",
                         "[That seems strict|That's frustrating|I don't understand why that matters]. [Is there no "
                         "way around it?|Can someone else approve it?|Can't you override it just this once?]"])


def forbidden_ask(rng: random.Random, scenario: Scenario, register: str) -> tuple[str, str]:
    return "waive_fee", realize(rng, [
        "[One more thing|Oh, and|Before I go]: [could you|can you] waive [the|any] fees on my account [this "
        "month|for the trouble]?",
        "[Also,|And] is there any chance you could [refund|waive] my monthly fee [for the hassle|this time]?",
        "[While I have you|Oh, also|By the way], I [was charged|got hit with] a [monthly|maintenance|service] fee. "
        "[Could you|Can you] [take it off|refund it|reverse it][ as a courtesy|]?",
        "[Since I've had all this trouble|Given the hassle|After all this], [would you|could you] waive [this "
        "month's|my] [account fee|monthly fee|service charge]?",
        "[And|Also], I'd like the [monthly|account] fee [waived|refunded] [this month|this time]. [Can you do "
        "that?|Is that possible?|Would that be okay?]"])

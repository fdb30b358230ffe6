"""How a bank customer words a request frame: first person for the scripted customer, second person
for an LLM customer's instructions (tau2's ``reason_for_call``).

A frame's values are written as themselves (an account tier, a card's name, an amount, an email,
digits) or, for the values that are choices, with words from `CUES` (a reason, a yes to expedited
shipping, "the address on file", "the full balance"), which the reading's grounding check and the
information-flow verifier look for. Frames are private context only in keys starting with "_".
"""

from __future__ import annotations

import random
from typing import Any

from writ.dialogue.grammar import realize
from writ.dialogue.lexicon import ADDRESS_ON_RECORD

__all__ = ["CUES", "answer_text", "cues", "instruction", "money", "request_text"]

CUES: dict[str, dict[Any, list[str]]] = {
    "reason": {"lost": ["lost", "lose", "can't find", "cannot find", "misplaced for good", "gone"],
               "stolen": ["stolen", "stole", "theft", "robbed", "pickpocket"],
               "damaged": ["damaged", "broken", "cracked", "snapped", "chip stopped", "bent", "worn out"]},
    "why": {"misplaced": ["misplaced", "can't find", "cannot find", "lost track", "not sure where"],
            "travel": ["travel", "trip", "away"], "suspicious": ["suspicious", "don't recognize", "odd charge",
                                                               "strange charge"],
            "budget": ["budget", "spending", "spend less"]},
    "expedited": {True: ["expedited", "faster", "fast shipping", "quickly", "quicker", "rush", "as soon as possible",
                         "asap"],
                  False: ["standard", "regular", "no rush", "normal shipping", "no need to hurry", "slower is fine"]},
    "address": {"profile": ADDRESS_ON_RECORD + ["home address", "where I live", "my address"]},
    "amount": {"full": ["full balance", "whole balance", "entire balance", "pay it off", "pay off", "all of it",
                        "everything I owe", "the full amount", "in full"]},
    "what": {"points": ["points", "rewards"], "balance": ["balance", "owe"]},
}


def cues(key: str, value: Any) -> list[str] | None:
    """Words that express a frame value not written as itself (None: the value is written as is)."""
    table = CUES.get(key)
    if table is None:
        return None
    if key == "address" and value != "profile":
        return None
    if key == "amount" and value != "full":
        return None
    return table.get(value)


def money(value: float) -> str:
    return f"${value:,.2f}" if round(value, 2) != int(value) else f"${int(value):,}"


_LEAD = "[Also|And one more thing|Another thing|Oh, and|While I have you|One more request|Next|Something else]"


def _card(frame: dict[str, Any]) -> str:
    """The debit card the customer means: by its account's tier when they name it."""
    level = frame.get("account")
    return f"the debit card on my {level}" if level else "my debit card"


def _credit(frame: dict[str, Any]) -> str:
    card = frame.get("card")
    if frame.get("merchant") and not card:
        return f"the credit card I used at {frame['merchant']}"
    return f"my {card}" if card else "my credit card"


def _account(level: str) -> str:
    return f"my {level}"


def request_text(rng: random.Random, frame: dict[str, Any], register: str = "plain", also: bool = False) -> str:
    """The customer's own words for a request (only the frame's stated slots)."""
    family = frame["family"]
    lead = _LEAD + ", " if also else ""
    terse = register == "terse"
    v: dict[str, Any] = {"card": _card(frame), "credit": _credit(frame)}
    if family == "freeze_card":
        why = {"misplaced": "[I misplaced|I can't find|I've misplaced] it and I'm still looking",
               "travel": "I'm [going on a trip|about to travel] and want extra security",
               "suspicious": "I saw a charge I don't recognize and want to look into it",
               "budget": "I'm trying to [budget|keep my spending down] for a while"}.get(frame.get("why"), "")
        tail = f" — {why}" if why else ""
        if terse:
            return realize(rng, ["Freeze {card}" + tail + "."], **v)
        said = f" {why[:1].upper()}{why[1:]}." if why else ""  # not str.capitalize: it would lower "I'm"
        return realize(rng, [lead + "[Can|Could] you [please ]freeze {card}?" + said,
                             lead + "I'd like to [put a freeze on|temporarily freeze|freeze] {card}" + tail + ".",
                             lead + "[Please|I need you to] freeze {card} for now" + tail + "."], **v)
    if family == "unfreeze_card":
        if terse:
            return realize(rng, ["Unfreeze {card}, please."], **v)
        return realize(rng, [lead + "[Good news|Okay], I found my card! [Can|Could] you unfreeze {card}?",
                             lead + "I'd like to unfreeze {card}[ — it turned up| — I found it|].",
                             lead + "{Card} is frozen and I [need|want] it unfrozen, please."],
                       **v, Card=v["card"][:1].upper() + v["card"][1:])
    if family == "close_card":
        reason = frame.get("reason")
        why = {"lost": "[I lost it|it's lost for good|I've lost it|I can't find it anywhere]",
               "stolen": "[it was stolen|someone stole it|my wallet was stolen]"}
        tail = f" because {why[reason]}" if reason in why else ""
        if terse:
            return realize(rng, ["Close {card}" + tail + "."], **v)
        return realize(rng, [lead + "I need to [close|cancel] {card}" + tail + ".",
                             lead + "[Can|Could] you [cancel|close] {card}[ for good| permanently|]" + tail + "?",
                             lead + "Please [shut down|close] {card}" + tail + ".",
                             lead + "{Card} [has to be|needs to be|should be] closed" + tail + "."],
                       **v, Card=v["card"][:1].upper() + v["card"][1:])
    if family == "reset_pin":
        more = []
        if frame.get("last4"):
            v["last4"] = frame["last4"]
            more.append("[The card ends in|It's the card ending in|Its last four digits are] {last4}.")
        if frame.get("pin"):
            v["pin"] = frame["pin"]
            more.append("[I'd like the new PIN to be|Please make the new PIN|The new PIN should be] {pin}.")
        tail = (" " + " ".join(more)) if more else ""
        if terse:
            return realize(rng, ["Forgot my PIN for {card}. Need a new one." + tail], **v)
        return realize(rng, [lead + "I forgot the PIN for {card} and need to [set a new one|reset it]." + tail,
                             lead + "[Can|Could] you help me reset the PIN on {card}? I [can't remember|forgot] it."
                             + tail,
                             lead + "I've [forgotten|lost track of] my PIN for {card} — can it be reset?" + tail], **v)
    if family == "recurring_block":
        if terse:
            return realize(rng, ["Block recurring payments on {card}."], **v)
        return realize(rng, [lead + "I'd like to block [all |]recurring payments on {card} — [the subscriptions keep "
                             "coming|I keep getting charged for subscriptions].",
                             lead + "[I keep getting charged for subscriptions|Subscriptions keep charging me], so "
                             "[please block|I'd like you to block] recurring payments on {card}.",
                             lead + "[Can|Could] you stop subscription charges from going through on {card}? [Block "
                             "recurring payments, please.|I want recurring payments blocked.|I'd like every recurring "
                             "payment blocked.]",
                             lead + "Please block recurring [payments|charges] on {card}."], **v)
    if family == "atm_limit":
        if frame.get("amount") is not None:
            v["amt"] = money(frame["amount"])
            want = "[raised to|increased to|bumped up to] {amt} [for today|just for today|]"
        else:
            want = "[raised|increased] [for today|just for today|temporarily]"
        if terse:
            return realize(rng, ["Need the ATM limit on {card} " + want + "."], **v)
        return realize(rng, [lead + "I need to take out more cash than usual — can the daily ATM limit on {card} be "
                             + want + "?",
                             lead + "[Could|Can] you get the ATM withdrawal limit on {card} " + want + "?",
                             lead + "The ATM [won't let me take out|keeps declining] what I need; I'd like the daily "
                             "ATM limit on {card} " + want + "."], **v)
    if family == "replace_credit":
        reason = frame.get("reason")
        why = {"lost": "[I lost it|I can't find it anywhere]", "stolen": "[it was stolen|my wallet was stolen]",
               "damaged": "[it's damaged|it cracked|the chip stopped working]"}
        tail = f" — {why[reason]}" if reason in why else ""
        extra = []
        if frame.get("address") == "profile":
            extra.append("[Please send it to|Ship it to|It can go to|Send it to] [the address on file|my home "
                         "address|the address you have on file].")
        elif frame.get("address"):
            v["addr"] = frame["address"]
            extra.append("[Please send it to|Ship it to|It should go to|I'd like it mailed to] {addr}[, not my "
                         "home address|].")
        if frame.get("expedited") is True:
            extra.append("[I'd like expedited shipping|Expedited shipping, please|I need it expedited|Please use "
                         "expedited shipping].")
        elif frame.get("expedited") is False:
            extra.append("[Standard shipping is fine|Regular shipping is okay|No rush, standard shipping "
                         "works|Standard shipping will do].")
        more = (" " + " ".join(extra)) if extra else ""
        if terse:
            return realize(rng, ["Need a replacement for {credit}" + tail + "." + more], **v)
        said = f" {why[reason][:1].upper()}{why[reason][1:]}." if reason in why else ""
        return realize(rng, [lead + "I need a replacement for {credit}" + tail + "." + more,
                             lead + "[Can|Could] you order me a new card to replace {credit}?" + said + more,
                             lead + "I'd like to get {credit} replaced" + tail + "." + more,
                             lead + "[I'm having trouble with|There's a problem with] {credit}." + said + " [Can I get "
                             "a replacement?|I need a new one.|Could you send me a replacement?]" + more,
                             lead + "[Please|Could you please] [send|order] me a replacement for {credit}" + tail
                             + "." + more], **v)
    if family == "pay_credit":
        amount = frame.get("amount")
        if amount == "full":
            what = "[pay off the full balance on|pay off|pay the whole balance on] {credit}"
        elif amount is not None:
            v["amt"] = money(float(amount))
            what = "pay {amt} [toward|on] {credit}"
        else:
            what = "make a payment on {credit}"
        source = f" from {_account(frame['account'])}" if frame.get("account") else " from my checking account"
        v["src"] = source
        if terse:
            return realize(rng, ["I want to " + what + "{src}."], **v)
        return realize(rng, [lead + "I'd like to " + what + " using money{src}.",
                             lead + "[Can|Could] you help me " + what + "{src}?",
                             lead + "I want to " + what + "{src}[, please|].",
                             lead + "[I need|I'm hoping] to " + what + "{src}[ today| this week|]."], **v)
    if family == "card_info":
        what = frame.get("what", "points")
        if what == "points":
            return realize(rng, [lead + "How many reward points do I have on {credit}?",
                                 lead + "[Could|Can] you tell me my rewards points balance on {credit}?"], **v)
        return realize(rng, [lead + "What's the current balance on {credit}?",
                             lead + "[Could|Can] you tell me how much I owe on {credit} right now?"], **v)
    if family == "change_email":
        if frame.get("email"):
            v["email"] = frame["email"]
            return realize(rng, [lead + "I need to [update|change] the email on my account to {email}.",
                                 lead + "[Can|Could] you [change|update|switch] my email [address|] to {email}[ for "
                                 "me|]?",
                                 lead + "[My email has changed|I've changed email addresses|I switched email "
                                 "providers] — please use {email} [from now on|going forward|instead].",
                                 lead + "[I've got|I have] a new email address, {email}. [Can you put it on my "
                                 "profile?|Please update my account with it.|Could you swap it in?]",
                                 lead + "Please [replace|swap out] the email on my profile with {email}[ — I don't "
                                 "use the old one anymore|]."], **v)
        return realize(rng, [lead + "I need to [update|change] the email address on my account.",
                             lead + "[Can|Could] you [change|update] the email on my [profile|account]? [I have a "
                             "new one.|I've switched providers.|The old one is going away.|I don't use the old one "
                             "anymore.]",
                             lead + "[I've stopped using|I no longer check] the email [you have on file|on my "
                             "account], so I'd like to [change|update] it.",
                             lead + "I'd like to [put a different|use a new] email address on my [account|profile]."
                             ], **v)
    if family == "transfer_funds":
        v.update(src=_account(frame["source"]), dst=_account(frame["destination"]))
        if frame.get("amount") is not None:
            v["amt"] = money(float(frame["amount"]))
            what = "[move|transfer] {amt} from {src} to {dst}"
        else:
            what = "[move|transfer] some money from {src} to {dst}"
        if terse:
            return realize(rng, [what[:1].upper() + what[1:] + "."], **v)
        return realize(rng, [lead + "I'd like to " + what + ".", lead + "[Can|Could] you " + what + "?",
                             lead + "Please " + what + ".", lead + "I need to " + what + "[ today| please|].",
                             lead + "[Can you help me|Could you help me|Help me, please, to] " + what + "?"], **v)
    if family == "credit_bureau":
        v["drop"] = frame.get("drop", 100)
        return realize(rng, [
            "I just got an alert that my credit score dropped {drop} points overnight — it says Rho-Bank reported "
            "a delinquency on my credit card, but I've never missed a payment! What is going on?",
            "My credit monitoring app says Rho-Bank reported me as delinquent and my score fell {drop} points. I "
            "pay on time every month. This is a mistake and I need it fixed now!",
            "[Something is very wrong|I'm really upset]: Rho-Bank told the credit bureau my credit card payment was "
            "late, and my score [went down|dropped] {drop} points. I've [always paid on time|never been late]. [What "
            "happened?|Can you fix this?]"], **v)
    raise ValueError(f"unknown banking request {family!r}")


def answer_text(rng: random.Random, slot: str, value: Any, frame: dict[str, Any], register: str = "plain") -> str:
    """The customer's answer to a question about one slot."""
    head = "[Um, |Okay, |Sure, |Right, |Oh, |Let's see, |Hmm, |]"
    if slot == "account":
        end = "[.|, please.]" if str(value).lower().endswith("account") else "[.| account.|, please.]"
        return realize(rng, [head + "[it's|the one on|I mean] my {v}" + end, head + "{v}.",
                             head + "[it's the card on|that would be] my {v}."], v=value)
    if slot in ("source", "destination"):
        return realize(rng, [head + "[it's|that's|use] my {v}.", head + "{v}, please.",
                             head + ("take it from" if slot == "source" else "put it in") + " my {v}."], v=value)
    if slot == "card":
        return realize(rng, [head + "[it's|I mean] my {v}.", head + "the {v}.", head + "[it's|that's] the {v}."],
                       v=value)
    if slot == "reason":
        words = {"lost": "[I lost it|it's lost|I can't find it anywhere|I've lost it somewhere]",
                 "stolen": "[it was stolen|someone stole it|it got stolen|my wallet was stolen]",
                 "damaged": "[it's damaged|it's broken|the chip stopped working|it cracked|it snapped in half]"}
        sad = "[Um, |Oh, |Well, |Sadly, |]"  # not "Sure," before bad news
        return realize(rng, [sad + words.get(value, value) + ".",
                             sad + words.get(value, value) + "[, unfortunately|, I'm afraid]."])
    if slot == "why":
        words = {"misplaced": "[I misplaced it and I'm still looking for it|I can't find it right now|I've "
                              "misplaced it somewhere at home]",
                 "travel": "[I'm going on a trip and want to be safe|I'll be travelling and want extra security|"
                           "I'm away on a trip soon]",
                 "suspicious": "[I noticed a charge I don't recognize|there's a suspicious charge on it|I saw an "
                               "odd charge]",
                 "budget": "[I'm trying to keep my spending on a budget|I want to spend less for a while|I'm on a "
                           "tight budget this month]"}
        return realize(rng, [head + words.get(value, value) + "."])
    if slot == "last4":
        return realize(rng, [head + "[the last four digits are|it ends in|the card ends with] {v}.", head + "{v}."],
                       v=value)
    if slot == "pin":
        return realize(rng, [head + "[I'd like|let's make it|the new PIN should be|please set it to] {v}.",
                             head + "{v}, please."], v=value)
    if slot == "amount":
        if value == "full":
            return realize(rng, [head + "[the full balance|pay it off in full|the whole balance|all of it], please.",
                                 head + "I'd like to pay [the full balance|it off in full|the whole balance]."])
        verb = {"pay_credit": "pay", "transfer_funds": "[move|transfer]"}.get(frame.get("family", ""))
        third = head + "[I'd like to|I want to] " + verb + " {v}[ for now|]." if verb else head + "{v} should do."
        return realize(rng, [head + "{v}[, please|].", head + "[let's do|I need|make it] {v}.", third],
                       v=money(float(value)))
    if slot == "address":
        if value == "profile":
            return realize(rng, [head + "[the address on file is fine|send it to my home address|yes, the address "
                                 "on file|my home address works|the one on file is right]."])
        return realize(rng, [head + "[please send it to|actually, send it to|ship it to] {v}.",
                             "Not [that one|the one on file] — [please use|send it to] {v}[ instead|]."], v=value)
    if slot == "expedited":
        if value:
            return realize(rng, [head + "[yes, expedited shipping please|I'd like it expedited|expedited, please|"
                                 "I need it fast, so expedited]."])
        return realize(rng, [head + "[standard shipping is fine|no, standard is fine|regular shipping is okay|"
                             "standard works, no rush]."])
    if slot == "email":
        return realize(rng, [head + "[it's|the new one is|please use] {v}.", head + "{v}.",
                             head + "[my new email is|I'd like to use|it should be] {v}."], v=value)
    return realize(rng, ["It's {v}."], v=value)


def instruction(frame: dict[str, Any], withhold: list[str]) -> str:
    """The request in the second person, for an LLM customer (tau2's reason_for_call)."""
    family = frame["family"]
    card = f"the debit card of your {frame['account']}" if frame.get("account") else "your debit card"
    credit = f"your {frame['card']}" if frame.get("card") else (
        f"the credit card you used at {frame['merchant']}" if frame.get("merchant") else "your credit card")
    if family == "freeze_card":
        why = {"misplaced": "you misplaced it", "travel": "you are about to travel", "suspicious": "you saw a charge "
               "you do not recognize", "budget": "you want to limit your spending"}.get(frame.get("why"), "")
        return f"You want {card} frozen for now" + (f" because {why}." if why else ".")
    if family == "unfreeze_card":
        return f"You found your card and want {card} unfrozen."
    if family == "close_card":
        return f"You want {card} closed because it was {frame.get('reason', 'lost')}."
    if family == "reset_pin":
        return (f"You forgot the PIN of {card} and want to set a new one: {frame.get('pin')}. The card ends in "
                f"{frame.get('last4')}.")
    if family == "recurring_block":
        return f"You want every recurring payment blocked on {card}."
    if family == "atm_limit":
        return f"You need the daily ATM limit on {card} raised to {money(float(frame.get('amount') or 0))} for today."
    if family == "replace_credit":
        where = "to the address on file" if frame.get("address") == "profile" else f"to {frame.get('address')}"
        speed = {True: " You want expedited shipping.", False: " Standard shipping is fine."}.get(
            frame.get("expedited"), "")
        return f"You need a replacement for {credit}, which was {frame.get('reason', 'lost')}; send it {where}.{speed}"
    if family == "pay_credit":
        source = f"your {frame['account']}" if frame.get("account") else "your checking account"
        what = "the full balance" if frame.get("amount") == "full" else money(float(frame.get("amount") or 0))
        return f"You want to pay {what} on {credit} from {source}."
    if family == "card_info":
        return f"You want to know the {'reward points' if frame.get('what') == 'points' else 'balance'} of {credit}."
    if family == "change_email":
        return f"You want the email on your account changed to {frame.get('email')}."
    if family == "transfer_funds":
        return (f"You want to move {money(float(frame.get('amount') or 0))} from your {frame['source']} to your "
                f"{frame['destination']}.")
    if family == "credit_bureau":
        return (f"Your credit score dropped {frame.get('drop')} points overnight because Rho-Bank reported a "
                f"delinquency on your credit card, although you never missed a payment. You want it fixed urgently.")
    return "You need help with your account."

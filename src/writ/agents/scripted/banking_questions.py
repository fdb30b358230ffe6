"""What the banking teacher asks: identity first, then the details only the customer can give.

Questions come back in every banking conversation (a replacement card always needs an address and a
shipping speed), so each one has several templates with inline choices: read across two thousand
conversations they should sound like many agents, not one form. Values (the options listed, the
address on file, limits and balances) are inserted as themselves, never reworded.
"""

from __future__ import annotations

import random
from typing import Any

from writ.dialogue.grammar import join_words, realize
from writ.tasks.banking_knowledge.wording import money

__all__ = ["auth_question", "question"]

_AUTH = [
    "[Happy to help|Sure|Of course|Glad to help|Certainly]. [First|Before anything else|To start], I "
    "need to verify your identity: [could you give me|may I have|can I get] your full name and two of these: your "
    "date of birth, email, phone number or address?",
    "[I'll be glad to help|Let's get this sorted|I can look into that]. [To verify your identity|For security|"
    "Before I can access your accounts], [please give me|I'll need|I need] your full name, plus two of "
    "the following: date of birth, email address, phone number, or home address.",
    "[Sure thing|Absolutely|Certainly]. [Could you|Can you|Would you] [start by giving me|first share|tell me] "
    "your full name and any two of your date of birth, email, phone number and home address, [so I can confirm "
    "it's you|so I can verify your identity|for verification]?",
    "[I can take care of that|No problem|That's something I can help with], but I [have to|need to] confirm who "
    "I'm speaking with first. [What's|Could I have] your full name, along with two of: date of birth, email, phone "
    "number, home address?",
    "[Of course|Sure|Happy to look into it]. [For your security|To protect your account], I'll [need|ask for] "
    "your full name and two identifying details[ — date of birth, email, phone number or address|: any two of "
    "date of birth, email, phone number or address].",
]


def auth_question(rng: random.Random) -> str:
    return realize(rng, _AUTH)


def _options(rng: random.Random, slot: str, options: list[Any]) -> str:
    listed = join_words([f"your {o}" for o in options], "or")
    which = {
        "account": "[Which account's debit card is it|Which account is the debit card on|Which account does the "
                   "card belong to]",
        "source": "[Which account should the money come from|Which account should I take the money from|Where "
                  "should the money come from]",
        "destination": "[Which account should it go to|Which account should receive it|Where should the money go]",
        "card": "[Which card is it|Which card do you mean|Which of your cards is it]"}[slot]
    kind = "cards" if slot == "card" else "accounts"
    return realize(rng, [which + ": {listed}?",
                         "I see {n} {kind} on your profile: {all}. " + which + "?",
                         "[You have|There are] {n} {kind} [on your profile|here|under your name]: {all}. " + which
                         + "?",
                         which + " — {listed}?"],
                   listed=listed, n=len(options), kind=kind, all=join_words([f"your {o}" for o in options]))


def question(rng: random.Random, slot: str, options: list[Any], context: dict[str, Any]) -> str:
    """The question for a detail only the customer can give."""
    if slot in ("account", "source", "destination", "card") and options:
        return _options(rng, slot, options)
    if slot == "why":
        return realize(rng, ["[May I ask|Could you tell me|Can I ask] why you'd like to freeze the card?",
                             "Before I freeze it, [what's the reason|could you tell me the reason] for the freeze?",
                             "[What's prompting|What's behind] the freeze, [if you don't mind my asking|may I ask]?",
                             "[Just for our records|For the record], why do you want the card frozen?"])
    if slot == "reason":
        listed = join_words([str(o) for o in options], "or")
        return realize(rng, ["What happened to the card: was it {listed}?",
                             "[Could you tell me|May I ask] what happened to the card? Was it {listed}?",
                             "[For the record|So I can note the reason|For my notes], was the card {listed}?",
                             "[And|Now,] was the card {listed}? [I need to note the reason.|I have to record "
                             "why.|The reason goes on the request.]",
                             "[I'm sorry to hear that|That's a nuisance|Sorry about that]. Was it {listed}?"],
                       listed=listed)
    if slot == "last4":
        return realize(rng, ["[To reset the PIN|For the PIN reset], [could you|can you] [confirm|tell me] the last "
                             "four digits of the card?", "What are the last four digits of the card?",
                             "[Which card is it|Which card are we resetting]? [Just|Please give me] the last four "
                             "digits[, please|].", "Could you read me the last four digits on the card?"])
    if slot == "pin":
        return realize(rng, ["[What new PIN would you like?|Which four-digit PIN would you like to use?|What "
                             "should the new four-digit PIN be?|What would you like the new PIN to be?|Which "
                             "four digits would you like as your new PIN?]"])
    if slot == "amount" and "ceiling" in context:
        return realize(rng, ["Your daily ATM limit is {now}, and I can raise it temporarily to at most {max}. What "
                             "limit would you like?", "The card's current daily ATM limit is {now}; a temporary "
                             "increase can go up to {max}. How much do you need?",
                             "[Right now|Currently] the limit is {now} a day, and the most I can [allow|set] for a "
                             "day is {max}. What [amount|limit] [do you need|should I set]?"],
                       now=money(context["current"]), max=money(context["ceiling"]))
    if slot == "amount" and "owed" in context:
        return realize(rng, ["The balance on the card is {owed}. How much would you like to pay: the full balance "
                             "or a set amount?", "You owe {owed} on it right now. Would you like to pay it in full, "
                             "or a specific amount?",
                             "[I see|It shows] a balance of {owed}. [Should I pay it all off|Do you want to pay the "
                             "whole thing], or [just part of it|a smaller amount]?",
                             "The card's current balance is {owed}. [How much should I pay toward it|What amount "
                             "would you like to pay]?"], owed=money(context["owed"]))
    if slot == "amount":
        return realize(rng, ["How much would you like to [move|transfer]?", "What amount should I transfer?",
                             "[And|Okay,] how much [should I move|are we moving|do you want to move]?",
                             "How much money [should go across|do you want to send over]?"])
    if slot == "address":
        return realize(rng, ["Where should we send the new card: to your address on file, {addr}, or somewhere "
                             "else?", "Shall I ship it to the address on file ({addr}), or to a different "
                             "address?",
                             "[Should the card go|Do you want it sent] to {addr}, the address [on file|we have for "
                             "you], or [elsewhere|to another address]?",
                             "[We have|I have|Your profile has] {addr} as your address. [Should I send it "
                             "there|Is that where it should go], or [somewhere else|to a different address]?",
                             "What address should the new card [go to|be mailed to]? The one on file is {addr}."],
                       addr=context.get("on_file", ""))
    if slot == "expedited":
        return realize(rng, ["Would you like expedited shipping, or is standard shipping fine?",
                             "[Do you want|Should I use] expedited shipping, or standard?",
                             "[And|Also,] [how fast do you need it|how quickly do you need the card]: expedited or "
                             "standard shipping?",
                             "[Standard shipping or expedited|Expedited or standard shipping]: which [would you "
                             "prefer|works for you]?",
                             "Is standard shipping okay, or [do you need|would you like] it expedited?"])
    if slot == "email":
        return realize(rng, ["What's the new email address?", "Which email address should I put on your profile?",
                             "And what's the new [email|address] you'd like to use?",
                             "[What email address should I switch it to|What should the new email be|What's the "
                             "address you'd like on file]?",
                             "Could you [give me|tell me|spell out] the new email address?"])
    return realize(rng, ["Could you tell me the {what}?"], what=slot.replace("_", " "))

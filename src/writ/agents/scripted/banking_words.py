"""What the banking teacher says: the procedure it found, its questions, proposals, outcomes.

Every sentence is written from the facts a procedure gathered on the way (`End.facts`,
`Write.facts`: the title of the document read, what it says, the records the tools returned, what
the customer answered), never from the task. A proposal first says what the document says in one
or two sentences ("Our guide 'Freezing and Unfreezing a Debit Card' says new purchases are
declined while a card is frozen"), then lists every detail of the write.
"""

from __future__ import annotations

import random
import re
from typing import Any

from writ.dialogue.grammar import realize
from writ.tasks.banking_knowledge.wording import money

__all__ = ["checked", "done_text", "evidence", "inform_text", "refusal", "summary", "transfer_text"]

_DOC = "[procedure|guide|internal guide|policy|procedure document]"
_FOUND = ["[I checked|I've read|I went through] our " + _DOC + " \u201c{doc}\u201d: it says {said}.",
          "Our " + _DOC + " \u201c{doc}\u201d [says|explains|notes|points out] that {said}.",
          "According to our " + _DOC + " \u201c{doc}\u201d, {said}.",
          "I [looked this up|read up on this|checked this] in \u201c{doc}\u201d[, our " + _DOC + "|]: {said}.",
          "[Just so you know|One thing to know first|Before we go ahead|For your information|Worth knowing], our "
          + _DOC + " \u201c{doc}\u201d [says|notes|explains] that {said}.",
          "[Going by|Based on|Per] our " + _DOC + " \u201c{doc}\u201d, {said}.",
          "The [document|guide|procedure] [that covers this|for this], \u201c{doc}\u201d, [says|notes|explains] "
          "that {said}.",
          "[Here's what|This is what] \u201c{doc}\u201d [says|tells us]: {said}."]
_FOUND_PLAIN = ["[I checked|I've read|I went through] our " + _DOC + " \u201c{doc}\u201d, and [this is something I "
                "can do for you|I can take care of this right here|I can handle this for you].",
                "Our " + _DOC + " \u201c{doc}\u201d covers this, and I can do it for you [now|right away|here].",
                "According to our " + _DOC + " \u201c{doc}\u201d, this is something I can handle [here|myself|"
                "directly].",
                "[Good news|Happily|Fortunately]: \u201c{doc}\u201d [lets me|allows me to] [do this|handle this|"
                "take care of this] [for you|directly|right here].",
                "I [looked this up|found the procedure] in \u201c{doc}\u201d, and it's something I can [do|handle|"
                "sort out] [from here|for you|right now].",
                "[This is covered by|This falls under] our " + _DOC + " \u201c{doc}\u201d, so I can [take care of "
                "it|do it|handle it] [now|right away|here]."]

# What a procedure document says, by the note keys `procedures` matched in it (grammar templates).
NOTES = {
    "declined": "new purchases [are declined|get declined|won't go through] [while the card is frozen|while it's "
                "frozen|as long as the freeze is on]",
    "recurring": "recurring payments and subscriptions [are declined too|are declined as well|won't go through "
                 "either|stop too]",
    "unfreeze": "you can unfreeze it [at any time|whenever you like|any time you want]",
    "permanent": "closing a card is [permanent|final] and [cannot be undone|can't be reversed|can't be undone]",
    "new_card": "a new card can be ordered [afterwards|later|after that|once it's closed]",
    "immediate": "the new PIN [works|takes effect|can be used] [right away|immediately|straight away]",
    "one_time": "one-time purchases [keep working|still go through|are not affected|still work]",
    "all": "the block covers [every|each|any] recurring charge on the card",
    "merchant": "subscriptions from [any|every] merchant are [stopped|blocked]",
    "hours": "the increase lasts [24 hours|for 24 hours|a full 24 hours]",
    "cancelled": "[the old card is|your old card is|the current card is] [cancelled|deactivated] [as soon as|the "
                 "moment|once] the replacement is ordered",
    "standard": "standard shipping takes [7 to 10|seven to ten|7-10] business days",
}
_CEILING = ("a temporary increase can go up to 150% of the current daily limit[, for 24 hours|, and it lasts 24 "
            "hours| for one day]")


def _clause(text: str) -> str:
    """A realized phrase to go inside a sentence: `realize` capitalizes its start, a clause does not."""
    return text if text.startswith(("I ", "I'")) else text[:1].lower() + text[1:]


def _tier(level: str) -> str:
    return level if level.lower().endswith("account") else f"{level} account"


def evidence(rng: random.Random, family: str, facts: dict[str, Any]) -> str:
    """What the procedure document says, in one or two sentences (empty when no document was needed)."""
    doc = facts.get("doc")
    if not doc:
        return ""
    notes = [_clause(realize(rng, NOTES[n])) for n in facts.get("notes", []) if n in NOTES][:2]
    if family == "atm_limit" and facts.get("current"):
        notes = [_clause(realize(rng, _CEILING))]
    if not notes:
        return realize(rng, _FOUND_PLAIN, doc=doc)
    said = _clause(realize(rng, "{a}[ and |, and |; also, ]{b}", a=notes[0], b=notes[1])) if len(notes) > 1 \
        else notes[0]
    return realize(rng, _FOUND, doc=doc, said=said)


def _card(facts: dict[str, Any]) -> str:
    account = facts.get("account") or {}
    level = account.get("level", "")
    last4 = (facts.get("card") or {}).get("last4", "")
    card = f"the debit card ending in {last4}" if last4 else "the debit card"
    return f"{card} on your {_tier(level)}" if level else card


def _credit(facts: dict[str, Any]) -> str:
    kind = (facts.get("credit") or {}).get("card_type", "")
    return f"your {kind}" if kind else "your credit card"


# Every way starts with "I": the teacher restates a proposal after a colon ("Here it is again: {summary}"),
# where "So, I'll" or "Here's the plan: I'll" would read badly.
_GO = ("[I'll|I can now|I'm ready to|I'm going to|I'd be glad to|I'd like to|I'm set to|I'll now|"
       "I propose to|I'm about to|I'm happy to]")


def summary(rng: random.Random, stem: str, args: dict[str, Any], facts: dict[str, Any]) -> str:
    """The write in one sentence, with every detail the customer should check."""
    go = _GO
    if stem == "freeze_debit_card":
        return realize(rng, go + " [freeze|put a freeze on|place a temporary freeze on] {card}[ for now|].",
                       card=_card(facts))
    if stem == "unfreeze_debit_card":
        return realize(rng, go + " unfreeze {card}[, and it will work again right away|, so you can use it again "
                       "straight away|, after which it works normally again|].", card=_card(facts))
    if stem == "close_debit_card":
        return realize(rng, go + " close {card}[ permanently| for good|], [reported|with the reason given|with the "
                       "reason recorded|noting the reason] as {reason}.", card=_card(facts),
                       reason=args.get("reason", ""))
    if stem == "reset_debit_card_pin":
        return realize(rng, [go + " [set|change|reset] the PIN of {card} (ending in {last4}) to {pin}.",
                             go + " make {pin} the new PIN [for|of] {card}, the one ending in {last4}."],
                       card=_card({**facts, "card": {}}), last4=args.get("last_4_digits", ""),
                       pin=args.get("new_pin", ""))
    if stem == "set_debit_card_recurring_block":
        return realize(rng, go + " [block|stop] [all recurring [payments|charges]|every recurring [payment|charge]] "
                       "on {card}.", card=_card(facts))
    if stem == "request_temporary_debit_card_limit_increase":
        return realize(rng, "[Your current daily ATM limit is {now}.|Right now the card's daily ATM limit is {now}.|"
                       "The daily ATM limit on the card is {now} today.] " + go + " [raise|increase|lift] it to {new} "
                       "[for the next 24 hours|for 24 hours|for one day] on {card}.",
                       now=money(facts.get("current", 0)), new=money(args.get("new_limit", 0)), card=_card(facts))
    if stem == "order_replacement_credit_card":
        ship = "expedited" if args.get("expedited_shipping") else "standard"
        why = {"lost": "lost", "stolen": "stolen", "damaged": "damaged"}.get(args.get("reason"), args.get("reason"))
        return realize(rng, [go + " order a replacement for {card} (reported {why}), sent by {ship} shipping to "
                             "{address}.",
                             go + " order a replacement for {card}, [since|as] it was {why}, and [send|ship] it by "
                             "{ship} shipping to {address}.",
                             go + " [request|order] a replacement [card|] for {card}[, reported as {why}| with the "
                             "reason {why}], [going|shipped|sent] to {address} by {ship} shipping."],
                       card=_credit(facts), why=why, ship=ship, address=args.get("shipping_address"))
    if stem == "pay_credit_card_from_checking":
        if facts.get("full"):
            what = ["pay [the full balance|the whole balance|the entire balance] of {amount} on {card}",
                    "pay off the {amount} balance on {card} in full"]
        else:
            what = ["pay {amount} [toward|on] {card}", "make a payment of {amount} [toward|to] {card}"]
        return realize(rng, [go + " " + w + " [from|out of] your {tier}[, which has {funds} available|, where you "
                             "have {funds}|]." for w in what],
                       amount=money(args.get("amount", 0)), card=_credit(facts),
                       tier=_tier((facts.get("account") or {}).get("level", "checking")),
                       funds=money((facts.get("account") or {}).get("balance", 0)))
    if stem == "transfer_funds_between_bank_accounts":
        return realize(rng, [go + " [move|transfer] {amount} from your {src} [to|into] your {dst}.",
                             go + " [move|transfer] {amount} [over|across] to your {dst}, [taken|coming] from your "
                             "{src}."], amount=money(args.get("amount", 0)),
                       src=_tier((facts.get("source") or {}).get("level", "")),
                       dst=_tier((facts.get("destination") or {}).get("level", "")))
    if stem == "change_user_email":
        return realize(rng, [go + " [change|update|switch] the email on your profile from {old} to {new}.",
                             go + " replace {old} with {new} as the email [address|] on your [profile|account]."],
                       old=facts.get("old", ""), new=args.get("new_email", ""))
    return realize(rng, go + " make the change.")


_DONE = {
    "freeze_debit_card": ["{card} is now frozen", "I've frozen {card}", "the freeze on {card} is in place"],
    "unfreeze_debit_card": ["{card} is active again", "I've unfrozen {card}", "{card} is unfrozen and ready to use"],
    "close_debit_card": ["{card} has been closed", "I've closed {card}", "{card} is now closed"],
    "reset_debit_card_pin": ["your new PIN is set", "the new PIN is in place", "I've reset your PIN"],
    "set_debit_card_recurring_block": ["recurring payments are now blocked on {card}", "I've blocked recurring "
                                       "payments on {card}", "the recurring payment block on {card} is active"],
    "request_temporary_debit_card_limit_increase": ["the temporary ATM limit increase is in place", "I've raised "
                                                    "the ATM limit for the next 24 hours", "your higher ATM limit "
                                                    "is active now"],
    "order_replacement_credit_card": ["the replacement for {credit} has been ordered", "I've ordered the "
                                      "replacement for {credit}", "your replacement card is on order"],
    "pay_credit_card_from_checking": ["the payment of {amount} has been made", "I've made the payment of {amount}",
                                      "your payment of {amount} went through"],
    "transfer_funds_between_bank_accounts": ["the transfer of {amount} has been made", "I've moved {amount} for "
                                             "you", "your transfer of {amount} went through"],
    "change_user_email": ["your email has been updated", "I've updated your email", "your profile now has the new "
                          "email"],
}


def done_text(rng: random.Random, stem: str, facts: dict[str, Any]) -> str:
    what = _clause(realize(rng, _DONE.get(stem, ["that has been done"]), card=_card(facts), credit=_credit(facts),
                           amount=money(float(facts.get("amount") or 0))))
    return realize(rng, ["[Done|All set|That's done|Great|There we go|All done|Perfect|Finished]: {what}.",
                         "[Good news|Okay|Alright|Done and done]: {what}.", "{What}[.|!]",
                         "{What}[ — all done| — that's finished|, as requested]."],
                   what=what, What=what[:1].upper() + what[1:])


def checked(rng: random.Random, facts: dict[str, Any]) -> str:
    """What a refusal rests on: the procedure read and the records compared with it."""
    doc = facts.get("doc")
    if not doc:
        return ""
    return realize(rng, ["I [checked|went through] our " + _DOC + " \u201c{doc}\u201d [against your records|"
                         "and your records].",
                         "[I've compared|I compared] your records with our " + _DOC + " \u201c{doc}\u201d.",
                         "[I looked at|I've looked at] your [account|records] [alongside|against] \u201c{doc}\u201d.",
                         "[Going by|Based on] \u201c{doc}\u201d, I [checked|reviewed] your account."], doc=doc)


def _short(facts: dict[str, Any]) -> str:
    """Why a payment or transfer cannot be made: what the account holds against what was asked."""
    account = facts.get("source") or facts.get("account") or {}
    if account.get("level") and account.get("balance") is not None and facts.get("amount"):
        return (f"your {_tier(account['level'])} has {money(float(account['balance']))}, which is less than the "
                f"{money(float(facts['amount']))} you asked for")
    return "there isn't enough money in the account for that amount"


def refusal(rng: random.Random, topic: str, facts: dict[str, Any]) -> tuple[str, str]:
    """(what the teacher says, the rule in a clause to hold the line with)."""
    card, credit = _card(facts), _credit(facts)
    status = {"pending": "still pending activation"}.get(str((facts.get("card") or {}).get("status", "")).lower(),
                                                         str((facts.get("card") or {}).get("status", "")).lower())
    why = {
        "not_active": f"{card} is {status}, and the procedure only allows this for an active card",
        "not_frozen": f"{card} is {status}, not frozen, so there is nothing to unfreeze",
        "not_open": f"{card} is already {status}",
        "pending_transactions": "the account still has pending transactions, and a card can't be closed until "
                                "they settle",
        "teen": "the ATM limit of a Light Green (teen) account is fixed and cannot be raised",
        "too_new": f"the account was opened {facts.get('age', 0)} days ago, and increases need an account at least "
                   "60 days old",
        "over_ceiling": f"{money(facts.get('amount', 0))} is above the {money(facts.get('ceiling', 0))} maximum, "
                        f"which is 150% of the {money(facts.get('current', 0))} daily limit",
        "closed": f"{credit} is closed, so it can't be replaced",
        "pending_order": f"a replacement for {credit} is already on its way (ordered "
                         f"{(facts.get('order') or {}).get('date', 'recently')}), and we never order a second one",
        "insufficient": _short(facts),
        "over_balance": f"that is more than the {money(facts.get('owed', 0))} you owe on {credit}",
        "no_card": "I can't find a debit card on that account",
    }.get(topic, "the procedure doesn't allow it")
    text = realize(rng, ["[I'm sorry, but|Unfortunately,|I'm afraid] I can't do that: {why}.",
                         "[Sorry, but|Unfortunately,|As it turns out,] {why}, so I can't go ahead with it.",
                         "[I have to say no to this one|That's not something I can do here|I won't be able to do "
                         "that], [I'm sorry|unfortunately|I'm afraid]: {why}.",
                         "[The problem is that|The trouble is,|What stops me is that] {why}, so [this isn't "
                         "possible|I can't make that change|it can't be done] [right now|from here|]."], why=why)
    return text, why


def inform_text(rng: random.Random, topic: str, facts: dict[str, Any], values: list[str]) -> str:
    credit = _credit(facts)
    value = values[0] if values else ""
    if topic in ("points", "balance", "within_limit", "nothing_owed") and re.fullmatch(r"\d+(\.\d+)?", value):
        value = f"{float(value):,.2f}" if "." in value else f"{int(value):,}"
    if facts.get("merchant") and topic in ("points", "balance"):
        found = realize(rng, ["The card you used at {m} is {card}.", "I found the purchase at {m}: it was on {card}.",
                              "[Your|The] purchase at {m} was made with {card}."],
                        m=facts["merchant"], card=credit)
        return found + " " + inform_text(rng, topic, {**facts, "merchant": ""}, values)
    if topic == "points":
        return realize(rng, ["{Card} has {v} reward points[ right now| at the moment|].", "[I checked:|Looking at "
                             "your account,|I've had a look:] you have {v} reward points on {card}.",
                             "[You've built up|You've collected|You currently have] {v} [reward|rewards] points on "
                             "{card}."], Card=credit[:1].upper() + credit[1:], card=credit, v=value)
    if topic == "balance":
        return realize(rng, ["The current balance on {card} is ${v}.", "[I checked:|Looking at your account,|I've "
                             "had a look:] you owe ${v} on {card} right now.",
                             "{Card} [has|shows] a balance of ${v} [at the moment|today|right now]."],
                       Card=credit[:1].upper() + credit[1:], card=credit, v=value)
    if topic == "within_limit":
        return realize(rng, ["Your daily ATM limit is already ${v}, so you can withdraw that much without any change.",
                             "No change is needed: the card's daily ATM limit is already ${v}.",
                             "[Good news|Actually], the daily ATM limit on the card is already ${v}[, so you're "
                             "covered|, which covers what you need]."], v=value)
    if topic == "nothing_owed":
        return realize(rng, ["There's nothing to pay: the balance on {card} is {v}.",
                             "[Good news|Actually], {card} [has a balance of|shows] {v}, so there's nothing to pay "
                             "[right now|at the moment]."], card=credit, v=value)
    return realize(rng, ["Here's what I found: {v}."], v=value)


def transfer_text(rng: random.Random, topic: str, facts: dict[str, Any]) -> str:
    doc = facts.get("doc", "")
    return realize(rng, [
        "[I'm sorry this happened|I understand how worrying this is|That sounds stressful, and I'm sorry]. Our "
        "[guide|procedure] \u201c{doc}\u201d says cases like yours go straight to a specialist team, so I'm "
        "transferring you to a human agent [now|right away].",
        "[Thank you for explaining|I see|Thanks for telling me]. According to \u201c{doc}\u201d, this needs our "
        "specialists, so I'll transfer you to a human agent who can [correct it|fix it|sort it out].",
        "[I'm really sorry about this|I can see why you're upset]. [This is covered by|This falls under] "
        "\u201c{doc}\u201d, which [asks us to|says we should] [pass|hand] it [straight|directly] to a human "
        "agent[ on our specialist team|], so I'm transferring you now."], doc=doc or "our incident procedure")

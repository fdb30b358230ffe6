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

from writ.dialogue.grammar import join_words, realize
from writ.tasks.banking_knowledge.wording import money

__all__ = ["checked", "done_text", "evidence", "inform_text", "question", "refusal", "summary", "transfer_text"]

_FOUND = ["I checked our [procedure|guide|internal guide] \u201c{doc}\u201d: it says {said}.",
          "Our [procedure|guide] \u201c{doc}\u201d says {said}.",
          "According to our [procedure|guide] \u201c{doc}\u201d, {said}."]
_FOUND_PLAIN = ["I checked our [procedure|guide] \u201c{doc}\u201d, and [this is something I can do for you|I can "
                "take care of this right here].",
                "Our [procedure|guide] \u201c{doc}\u201d covers this, and I can do it for you [now|right away].",
                "According to our [procedure|guide] \u201c{doc}\u201d, this is something I can handle here."]

# What a procedure document says, by the note keys `procedures` matched in it.
NOTES = {
    "declined": "new purchases are declined while the card is frozen",
    "recurring": "recurring payments and subscriptions are declined too",
    "unfreeze": "you can unfreeze it at any time",
    "permanent": "closing a card is permanent and cannot be undone",
    "new_card": "a new card can be ordered afterwards",
    "immediate": "the new PIN works right away",
    "one_time": "one-time purchases keep working",
    "all": "the block covers every recurring charge on the card",
    "merchant": "subscriptions from any merchant are stopped",
    "hours": "the increase lasts 24 hours",
    "cancelled": "the old card is cancelled as soon as the replacement is ordered",
    "standard": "standard shipping takes 7 to 10 business days",
}


def _tier(level: str) -> str:
    return level if level.lower().endswith("account") else f"{level} account"


def evidence(rng: random.Random, family: str, facts: dict[str, Any]) -> str:
    """What the procedure document says, in one or two sentences (empty when no document was needed)."""
    doc = facts.get("doc")
    if not doc:
        return ""
    notes = [NOTES[n] for n in facts.get("notes", []) if n in NOTES][:2]
    if family == "atm_limit" and facts.get("current"):
        notes = ["a temporary increase can go up to 150% of the current daily limit, for 24 hours"]
    if not notes:
        return realize(rng, _FOUND_PLAIN, doc=doc)
    return realize(rng, _FOUND, doc=doc, said=" and ".join(notes))


def _card(facts: dict[str, Any]) -> str:
    account = facts.get("account") or {}
    level = account.get("level", "")
    last4 = (facts.get("card") or {}).get("last4", "")
    card = f"the debit card ending in {last4}" if last4 else "the debit card"
    return f"{card} on your {_tier(level)}" if level else card


def _credit(facts: dict[str, Any]) -> str:
    kind = (facts.get("credit") or {}).get("card_type", "")
    return f"your {kind}" if kind else "your credit card"


def summary(rng: random.Random, stem: str, args: dict[str, Any], facts: dict[str, Any]) -> str:
    """The write in one sentence, with every detail the customer should check."""
    go = "[I'll|I can now|I'm ready to|I'm going to]"
    if stem == "freeze_debit_card":
        return realize(rng, go + " freeze {card}.", card=_card(facts))
    if stem == "unfreeze_debit_card":
        return realize(rng, go + " unfreeze {card}[, and it will work again right away|].", card=_card(facts))
    if stem == "close_debit_card":
        return realize(rng, go + " close {card}, [reported|with the reason given] as {reason}.", card=_card(facts),
                       reason=args.get("reason", ""))
    if stem == "reset_debit_card_pin":
        return realize(rng, go + " set the PIN of {card} (ending in {last4}) to {pin}.",
                       card=_card({**facts, "card": {}}), last4=args.get("last_4_digits", ""),
                       pin=args.get("new_pin", ""))
    if stem == "set_debit_card_recurring_block":
        return realize(rng, go + " block all recurring payments on {card}.", card=_card(facts))
    if stem == "request_temporary_debit_card_limit_increase":
        return realize(rng, "Your current daily ATM limit is {now}. " + go + " raise it to {new} for the next 24 "
                       "hours on {card}.", now=money(facts.get("current", 0)), new=money(args.get("new_limit", 0)),
                       card=_card(facts))
    if stem == "order_replacement_credit_card":
        ship = "expedited" if args.get("expedited_shipping") else "standard"
        why = {"lost": "lost", "stolen": "stolen", "damaged": "damaged"}.get(args.get("reason"), args.get("reason"))
        return realize(rng, go + " order a replacement for {card} (reported {why}), sent by {ship} shipping to "
                       "{address}.", card=_credit(facts), why=why, ship=ship, address=args.get("shipping_address"))
    if stem == "pay_credit_card_from_checking":
        what = "the full balance of {amount} on {card}" if facts.get("full") else "{amount} toward {card}"
        return realize(rng, go + " pay " + what + " from your {tier}[, which has {funds} available|].",
                       amount=money(args.get("amount", 0)), card=_credit(facts),
                       tier=_tier((facts.get("account") or {}).get("level", "checking")),
                       funds=money((facts.get("account") or {}).get("balance", 0)))
    if stem == "transfer_funds_between_bank_accounts":
        return realize(rng, go + " move {amount} from your {src} to your {dst}.", amount=money(args.get("amount", 0)),
                       src=_tier((facts.get("source") or {}).get("level", "")),
                       dst=_tier((facts.get("destination") or {}).get("level", "")))
    if stem == "change_user_email":
        return realize(rng, go + " change the email on your profile from {old} to {new}.", old=facts.get("old", ""),
                       new=args.get("new_email", ""))
    return realize(rng, go + " make the change.")


def done_text(rng: random.Random, stem: str, facts: dict[str, Any]) -> str:
    what = {
        "freeze_debit_card": "{card} is now frozen",
        "unfreeze_debit_card": "{card} is active again",
        "close_debit_card": "{card} has been closed",
        "reset_debit_card_pin": "your new PIN is set",
        "set_debit_card_recurring_block": "recurring payments are now blocked on {card}",
        "request_temporary_debit_card_limit_increase": "the temporary ATM limit increase is in place",
        "order_replacement_credit_card": "the replacement for {credit} has been ordered",
        "pay_credit_card_from_checking": "the payment of {amount} has been made",
        "transfer_funds_between_bank_accounts": "the transfer of {amount} has been made",
        "change_user_email": "your email has been updated",
    }.get(stem, "that has been done")
    return realize(rng, ["[Done|All set|That's done|Great]: " + what + ".", "[Good news|Okay|Alright]: " + what + "."],
                   card=_card(facts), credit=_credit(facts), amount=money(float(facts.get("amount") or 0)))


def question(rng: random.Random, slot: str, options: list[Any], context: dict[str, Any]) -> str:
    """The question for a detail only the customer can give."""
    if slot in ("account", "source", "destination", "card") and options:
        listed = join_words([f"your {o}" for o in options], "or")
        which = {"account": "Which account's debit card is it", "source": "Which account should the money come "
                 "from", "destination": "Which account should it go to", "card": "Which card is it"}[slot]
        kind = "cards" if slot == "card" else "accounts"
        return realize(rng, [which + ": {listed}?", "I see {n} {kind} on your profile: {all}. " + which + "?"],
                       listed=listed, n=len(options), kind=kind, all=join_words([f"your {o}" for o in options]))
    if slot == "why":
        return realize(rng, ["[May I ask|Could you tell me|Can I ask] why you'd like to freeze the card?",
                             "Before I freeze it, [what's the reason|could you tell me the reason] for the freeze?"])
    if slot == "reason":
        listed = join_words([str(o) for o in options], "or")
        return realize(rng, ["What happened to the card: was it {listed}?",
                             "[Could you tell me|May I ask] what happened to the card? Was it {listed}?",
                             "[For the record|So I can note the reason], was the card {listed}?"], listed=listed)
    if slot == "last4":
        return realize(rng, ["[To reset the PIN|For the PIN reset], [could you|can you] [confirm|tell me] the last "
                             "four digits of the card?", "What are the last four digits of the card?"])
    if slot == "pin":
        return realize(rng, ["[What new PIN would you like?|Which four-digit PIN would you like to use?|What "
                             "should the new four-digit PIN be?]"])
    if slot == "amount" and "ceiling" in context:
        return realize(rng, ["Your daily ATM limit is {now}, and I can raise it temporarily to at most {max}. What "
                             "limit would you like?", "The card's current daily ATM limit is {now}; a temporary "
                             "increase can go up to {max}. How much do you need?"],
                       now=money(context["current"]), max=money(context["ceiling"]))
    if slot == "amount" and "owed" in context:
        return realize(rng, ["The balance on the card is {owed}. How much would you like to pay: the full balance "
                             "or a set amount?", "You owe {owed} on it right now. Would you like to pay it in full, "
                             "or a specific amount?"], owed=money(context["owed"]))
    if slot == "amount":
        return realize(rng, ["How much would you like to move?", "What amount should I transfer?"])
    if slot == "address":
        return realize(rng, ["Where should we send the new card: to your address on file, {addr}, or somewhere "
                             "else?", "Shall I ship it to the address on file ({addr}), or to a different "
                             "address?"], addr=context.get("on_file", ""))
    if slot == "expedited":
        return realize(rng, ["Would you like expedited shipping, or is standard shipping fine?",
                             "[Do you want|Should I use] expedited shipping, or standard?"])
    if slot == "email":
        return realize(rng, ["What's the new email address?", "Which email address should I put on your profile?"])
    return realize(rng, ["Could you tell me the {what}?"], what=slot.replace("_", " "))


def checked(rng: random.Random, facts: dict[str, Any]) -> str:
    """What a refusal rests on: the procedure read and the records compared with it."""
    doc = facts.get("doc")
    if not doc:
        return ""
    return realize(rng, ["I [checked|went through] our [procedure|guide] \u201c{doc}\u201d [against your records|"
                         "and your records]."], doc=doc)


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
                         "[Sorry, but|Unfortunately,|As it turns out,] {why}, so I can't go ahead with it."], why=why)
    return text, why


def inform_text(rng: random.Random, topic: str, facts: dict[str, Any], values: list[str]) -> str:
    credit = _credit(facts)
    value = values[0] if values else ""
    if topic in ("points", "balance", "within_limit", "nothing_owed") and re.fullmatch(r"\d+(\.\d+)?", value):
        value = f"{float(value):,.2f}" if "." in value else f"{int(value):,}"
    if facts.get("merchant") and topic in ("points", "balance"):
        found = realize(rng, ["The card you used at {m} is {card}.", "I found the purchase at {m}: it was on {card}."],
                        m=facts["merchant"], card=credit)
        return found + " " + inform_text(rng, topic, {**facts, "merchant": ""}, values)
    if topic == "points":
        return realize(rng, ["{card} has {v} reward points.", "[I checked:|Looking at your account,] you have {v} "
                             "reward points on {card}."], card=credit[:1].upper() + credit[1:], v=value)
    if topic == "balance":
        return realize(rng, ["The current balance on {card} is ${v}.", "[I checked:|Looking at your account,] you "
                             "owe ${v} on {card} right now."], card=credit, v=value)
    if topic == "within_limit":
        return realize(rng, ["Your daily ATM limit is already ${v}, so you can withdraw that much without any change.",
                             "No change is needed: the card's daily ATM limit is already ${v}."], v=value)
    if topic == "nothing_owed":
        return realize(rng, ["There's nothing to pay: the balance on {card} is {v}."], card=credit, v=value)
    return realize(rng, ["Here's what I found: {v}."], v=value)


def transfer_text(rng: random.Random, topic: str, facts: dict[str, Any]) -> str:
    doc = facts.get("doc", "")
    return realize(rng, [
        "[I'm sorry this happened|I understand how worrying this is]. Our guide \u201c{doc}\u201d says cases like "
        "yours go straight to a specialist team, so I'm transferring you to a human agent now.",
        "[Thank you for explaining|I see]. According to \u201c{doc}\u201d, this needs our specialists, so I'll "
        "transfer you to a human agent who can correct it."], doc=doc or "our incident procedure")

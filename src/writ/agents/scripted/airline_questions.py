"""What the airline teacher asks when a request lacks something only the customer can say.

Each slot (the cancellation reason, insurance, cabin, passengers, bags, payment, which reservation)
has several wordings with inline alternatives, and an optional acknowledgement in front, so the
same question does not read the same in two conversations. The policy's facts the questions state
(insurance at $30 per passenger, the payment mix a booking allows) are the policy's own.
"""

from __future__ import annotations

import random
from typing import Any

from writ.dialogue.grammar import join_words, realize

__all__ = ["question"]


def question(rng: random.Random, family: str, slot: str, options: list[Any] | None = None) -> str:
    """The question for a slot the customer has not given (one of several wordings)."""
    lead = "[?[Got it.|Okay.|Alright.|Sure.|Understood.|Thanks.|Thank you.|Noted.|Great.] ]"
    if slot == "reason":
        return realize(rng, [
            lead + "[Before I go ahead|One more thing|Before I check what the policy allows|First], [may I ask|"
            "could you tell me|can you let me know|would you mind telling me] [why you want|why you need|why you'd "
            "like] to cancel? [For example|Say|It could be] a change of plans, a flight the airline cancelled, or a "
            "[health or weather reason|reason such as health or weather].",
            lead + "[What's the reason for the cancellation|Why are you cancelling|What's behind the "
            "cancellation]: a change of plans, a flight the airline cancelled, or something else[ such as a "
            "health or weather reason|, like health or the weather]?",
            lead + "[The policy asks me to record|I need to note|I have to ask] why you're cancelling. Is it a "
            "change of plans, a flight the airline cancelled, or [another reason, such as health or "
            "weather|something like health or the weather]?",
        ])
    if slot == "payment":
        if family == "book":
            return realize(rng, [
                lead + "[How would you like to pay|How will you be paying|What would you like to pay with]? "
                "[It has to be|You can use|I can take] [a payment method|any method] [saved in|already on] your "
                "profile: [at most|up to] one travel certificate, one credit card and three gift cards.",
                lead + "[Which payment method|What] would you like to use for [the booking|this booking|the "
                "tickets]? [It must be one|It has to be one] [saved in|on] your profile (up to one certificate, "
                "one credit card and three gift cards).",
                lead + "[Last thing|Now|Next]: [payment|how to pay]. [Which of the methods in your profile|"
                "Which saved payment method] should I [charge|use]? [A booking can use|You can combine] up to one "
                "certificate, one credit card and three gift cards.",
            ])
        what = "[any fee|the bag fee, if there is one|any charge]" if family == "bags" else \
            "the fare difference[ (to pay it, or to receive a refund)| — whether you pay or get money back|]"
        return realize(rng, [
            lead + "Which [credit card or gift card|card] [from|in|on] your profile should I use for " + what + "?",
            lead + "[To settle|For|To cover] " + what + ", which credit card or gift card [on your profile|you "
            "have saved] would you like to use?",
            lead + "[I'll need|I need] a credit card or gift card from your profile for " + what +
            ". [Which one should I use|Which would you like]?",
        ])
    if slot == "cabin":
        return realize(rng, [
            lead + "[Which cabin would you like|What cabin class do you want|Which class should I book]: basic "
            "economy, economy or business?",
            lead + "[In which cabin|In what class] should I [search|look]: basic economy, economy or business?",
            lead + "[Do you have a cabin in mind|What's your preferred cabin]? [The options are|We have] basic "
            "economy, economy and business.",
        ])
    if slot == "passengers":
        return realize(rng, [
            lead + "Who will be [travelling|flying]? I need [each passenger's|every traveller's] first and last "
            "name and date of birth[ (up to five passengers)| — five people at most|].",
            lead + "[Could you give me|Please tell me|May I have] the passengers: the full name and date of "
            "birth of each traveller[, five at most|]?",
            lead + "[Who's travelling|Who is going]? [For each person|For every passenger] I'll need a first "
            "name, last name and date of birth.",
        ])
    if slot == "bags":
        return realize(rng, [
            lead + "How many checked bags will you [bring|have|check] [in total|altogether|for the whole "
            "group]?",
            lead + "[How many bags|How many checked bags] will you [check|have] [altogether|in total]?",
            lead + "[Will you be checking any bags|Are you checking bags]? If so, how many in total?",
        ])
    if slot == "insurance":
        return realize(rng, [
            lead + "Would you like travel insurance? It [costs|is] {fee} per passenger and [gives a full refund|"
            "lets you get your money back] if you have to cancel for health or weather reasons.",
            lead + "[Do you want|Shall we add|Would you like to add|Should I include] travel insurance? It's "
            "{fee} per passenger and [covers|protects you when] cancelling for health or weather reasons.",
            lead + "[One question about|About] travel insurance: [it's|it costs] {fee} per passenger and "
            "refunds the trip if you must cancel for health or weather reasons. [Would you like it|Do you want "
            "to add it|Shall I include it]?",
        ], fee="$30")
    if slot in ("reservation", "which"):
        if options:
            return realize(rng, ["[I see|You have|Your profile lists] these reservations: {ids}. [Which one do "
                                 "you mean|Which of them is it]?"], ids=join_words([str(o) for o in options], "and"))
        return realize(rng, ["[Which reservation is this about?|Which reservation do you mean?|Which booking "
                             "is it?]"])
    return realize(rng, ["Could you tell me the {slot}?"], slot=slot.replace("_", " "))

"""The retail teacher's skills: how each kind of request is carried out from what was said and read.

A request arrives as the frame the customer's message stated (see `writ.tasks.retail.frames`):
which order (by id, by two ids and an item, or by a property such as "my pending order with the
Desk Lamp"), which items, which new variants, which payment method, why. Orders and products are
resolved with the same selectors the task generator used to prove the description unique
(`writ.tasks.retail.selectors`), run over `Knowledge` instead of the database: every record they
touch that the teacher has not read becomes a read call, so the teacher reads exactly what the
description needs. The policy checks (status, payment rules, gift-card balance) run on what was
read; what the customer must choose (the cancellation reason, the payment method for a price
difference or a refund, that the list of items is complete) is asked for when it was not said.
"""

from __future__ import annotations

import json
import random
from typing import Any

from writ.agents.scripted.knowledge import Knowledge, NeedSlot, Request
from writ.agents.scripted.steps import Step
from writ.core import ToolCall
from writ.dialogue.grammar import join_words, realize

__all__ = ["RetailSkills"]

REASONS = ["no longer needed", "ordered by mistake"]
ADDRESS_KEYS = ("address1", "address2", "city", "state", "country", "zip")
WRITES_WITH_ORDER = ("cancel_pending_order", "modify_pending_order_address", "modify_pending_order_payment",
                     "modify_pending_order_items", "exchange_delivered_order_items", "return_delivered_order_items")
REQUIRED_STATUS = {"cancel": "pending", "address": "pending", "payment": "pending", "items": "pending",
                   "exchange": "delivered", "return": "delivered"}
ACTIONS = {"cancel": "cancelled", "address": "changed", "payment": "changed", "items": "modified",
           "exchange": "exchanged", "return": "returned"}


class RetailSkills:
    domain = "retail"
    needs_auth = True
    auth_fields = ["email", "first_name", "last_name", "zip"]

    # -- reading and remembering -----------------------------------------------------------------
    def read_for(self, table: str, key: str) -> ToolCall:
        if table == "users":
            return ToolCall("get_user_details", {"user_id": key})
        if table == "orders":
            return ToolCall("get_order_details", {"order_id": key})
        if table == "products":
            return ToolCall("get_product_details", {"product_id": key})
        if table == "catalog":
            return ToolCall("list_all_product_types", {})
        raise KeyError(table)

    def is_auth_call(self, call: ToolCall) -> bool:
        return call.name in ("find_user_id_by_email", "find_user_id_by_name_zip")

    def auth_call(self, values: dict[str, Any]) -> ToolCall | None:
        if values.get("email"):
            return ToolCall("find_user_id_by_email", {"email": values["email"]})
        if all(values.get(k) for k in ("first_name", "last_name", "zip")):
            return ToolCall("find_user_id_by_name_zip", {k: values[k] for k in ("first_name", "last_name", "zip")})
        return None

    def absorb(self, k: Knowledge, call: ToolCall, content: str, error: bool) -> None:
        if error:
            return
        if self.is_auth_call(call):
            k.user_id = content.strip()
            if call.name == "find_user_id_by_name_zip":
                k.facts["first_name"] = call.arguments.get("first_name", "")
            return
        try:
            value = json.loads(content)
        except json.JSONDecodeError:
            return
        if call.name in ("get_user_details", "modify_user_address"):
            k.put("users", value["user_id"], value)
        elif call.name == "get_order_details" or call.name in WRITES_WITH_ORDER:
            k.put("orders", value["order_id"], value)
            if call.name in WRITES_WITH_ORDER and k.user_id is not None and self._moves_gift_money(k, call, value):
                k.invalidate("users", k.user_id)
        elif call.name == "get_product_details":
            k.put("products", value["product_id"], value)
        elif call.name == "list_all_product_types":
            k.put("catalog", "", value)

    @staticmethod
    def _moves_gift_money(k: Knowledge, call: ToolCall, order: dict) -> bool:
        """A write that credits or debits a gift card changes the user's record (its balance)."""
        if call.name in ("return_delivered_order_items", "modify_pending_order_address"):
            return False  # nothing is paid or refunded (a return is refunded when the items come back)
        ids = {call.arguments.get("payment_method_id", "")}
        ids |= {p["payment_method_id"] for p in order.get("payment_history", [])}
        return any(str(i).startswith("gift_card") for i in ids)

    def first_name(self, k: Knowledge) -> str:
        user = k.peek("users", k.user_id)
        if user:
            return user["name"]["first_name"]
        return k.facts.get("first_name", "")

    # -- questions -----------------------------------------------------------------------------------
    def auth_question(self, rng: random.Random, voice: str) -> str:
        return realize(rng, [
            "[I can help with that|Happy to help|Sure|Of course|Glad to help|I'd be happy to look into that]. "
            "[First|Before we start|To get started|Before anything else], [could you|can you|would you] [give me|"
            "share|tell me|send me] [either ]the email address on your account, or your [full name|first and last "
            "name] and zip code, [so I can verify your identity|to verify your identity|so I can confirm it's "
            "you|so I can find your account]?",
            "[I'll be glad to help|I can look into that|Let's get that sorted|Certainly]. [To verify your "
            "identity|To find your account|For security|So I can pull up your account], [may I have|could I "
            "get|what's] your email address, or [your first and last name together with|your full "
            "name and] your zip code?",
            "[I'll be glad to help|Let's get that sorted|Certainly]. [To verify your identity|To find your "
            "account|For security], please share your email address, or your full name and zip code.",
        ])

    def ask_slot(self, rng: random.Random, voice: str, request: Request, need: NeedSlot, k: Knowledge) -> str:
        slot = need.slot
        lead = "[Got it.|Okay.|Alright.|Sure.|Understood.|Thanks.|Thank you.] "
        if slot == "reason":
            return realize(rng, [
                "[?" + lead + "][Before I [cancel it|go ahead]|One more thing|Just one question], [could you tell "
                "me|may I ask|can you let me know|what's] [why you'd like to cancel|the reason for cancelling][?| "
                "it?] [Our policy accepts|The options are|It has to be either|We can record] 'no longer needed' or "
                "'ordered by mistake'.",
                "[?" + lead + "][What's the reason for the cancellation|Why are you cancelling|May I ask why you're "
                "cancelling][?|:] is it no longer needed, or was it ordered by mistake?",
            ])
        if slot == "payment":
            if request.family == "return":
                return realize(rng, [
                    "[?" + lead + "][Where should the refund go|Where would you like the refund to go|Which method "
                    "should receive the refund]? [It can go back to|The options are] the original payment method "
                    "or [a|any] gift card on your account.",
                    "[?" + lead + "][For the refund|As for the refund], [would you like it on|should it go to] the "
                    "original payment method, or to a gift card [on your account|you hold]?"])
            if request.family == "payment":
                return realize(rng, [
                    "[?" + lead + "][Which payment method would you like to use|What would you like to pay with|"
                    "Which of your payment methods should I switch it to] [for this order ]instead?"])
            return realize(rng, [
                "[?" + lead + "][Which payment method should I use for|What should I use for|Which card or account "
                "should cover] the price difference[ — to pay it, or to receive it if the new items cost less| "
                "(to pay it, or to get it back if the new items cost less)|]?",
                "[?" + lead + "][There may be a price difference|The new items may cost more or less], so [which "
                "payment method should I use for it|how would you like to settle the difference|which method "
                "should pay or receive it]?"])
        if slot == "address":
            return realize(rng, [
                "[?" + lead + "][What's|What is|Could you give me|Please share] the new address, [including|with] "
                "the street, city, state, zip code and country?",
                "[?" + lead + "][Where should it go instead|What address should I use]? [Please include|I'll need] "
                "the street, city, state, zip code and country."])
        if slot == "order":
            if need.options:
                return realize(rng, ["[I see|I found|There are] more than one order that [fits|could match]: {ids}. "
                                     "[Which one do you mean|Which of these is it]?"],
                               ids=join_words(need.options, "or"))
            return realize(rng, ["[Which order is this about?|Which order do you mean?|Could you tell me which order "
                                 "it is?]"])
        return realize(rng, ["Could you tell me the {slot}?"], slot=slot.replace("_", " "))

    # -- what the teacher's readings say in words (see writ.dialogue.acts.grounding_problems) ----------
    def cues(self, key: str, value: Any) -> list[str] | None:
        if key == "tool":
            return TOOL_WORDS.get(value, [])
        return None

    # -- forbidden asks ----------------------------------------------------------------------------
    def forbidden_reason(self, topic: str) -> str:
        return FORBIDDEN.get(topic, FORBIDDEN["discount"])[0]

    def forbidden_text(self, rng: random.Random, topic: str) -> str:
        why, alternative = FORBIDDEN.get(topic, FORBIDDEN["discount"])
        return realize(rng, ["[I'm sorry, but|I'm afraid|Unfortunately,] {why}. {alternative}",
                             "[I understand why you'd ask|I see why you'd want that], but {why}. {alternative}"],
                       why=why, alternative=alternative)

    # -- the requests -------------------------------------------------------------------------------
    def step(self, request: Request, k: Knowledge) -> Step:
        from writ.agents.scripted import retail_families as F

        return F.FAMILIES[request.family](request, k)

    def done_text(self, rng: random.Random, request: Request, call: ToolCall, k: Knowledge) -> str:
        from writ.agents.scripted import retail_families as F

        return F.done_text(rng, request, call, k)


TOOL_WORDS = {
    "cancel_pending_order": ["cancel"], "modify_pending_order_address": ["address"],
    "modify_pending_order_payment": ["pa"], "modify_pending_order_items": ["modif"],
    "exchange_delivered_order_items": ["exchang"], "return_delivered_order_items": ["return"],
    "modify_user_address": ["address"],
}

FORBIDDEN = {
    "discount": ("I can't offer discounts, coupons or other compensation", "I'm happy to help with your order itself, "
                 "though."),
    "new_card_refund": ("refunds can only go to the order's original payment method or to a gift card already on "
                        "your account", "I can send it to either of those."),
    "skip_verification": ("I have to verify the account holder before I can look at or change anything",
                          "It only takes your email, or your name and zip code."),
    "other_user": ("I can only help with the account of the person I'm speaking with", "If that person contacts us "
                   "themselves, we'll gladly help."),
}

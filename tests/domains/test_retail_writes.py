"""Tests of retail's write tools: preconditions in tau2's order, exact error texts, effects and quirks."""

from __future__ import annotations

import json

from tests.domains.test_retail import _address, call, call_json, env, env_of, mini_db  # noqa: F401 (fixtures and helpers)
from writ.fingerprint import fingerprint


# -- cancel --------------------------------------------------------------------------------------
def test_cancel_preconditions(env):
    assert call(env, "cancel_pending_order", order_id="#W9", reason="no longer needed") == "Error: Order not found"
    for order_id in ("#W0000003", "#W0000005"):  # processed; 'pending (item modified)' is not exactly pending
        assert call(env, "cancel_pending_order", order_id=order_id, reason="no longer needed") == (
            "Error: Non-pending order cannot be cancelled")
    assert call(env, "cancel_pending_order", order_id="#W0000001", reason="too slow") == "Error: Invalid reason"


def test_cancel_refunds_payments_and_credits_gift_cards(env):
    order = call_json(env, "cancel_pending_order", order_id="#W0000001", reason="ordered by mistake")
    assert order["status"] == "cancelled" and order["cancel_reason"] == "ordered by mistake"
    assert order["payment_history"][1] == {"transaction_type": "refund", "amount": 618.29,
                                           "payment_method_id": "credit_card_1"}
    order = call_json(env, "cancel_pending_order", order_id="#W0000004", reason="no longer needed")
    assert call_json(env, "get_user_details",
                     user_id="bob_ray_2000")["payment_methods"]["gift_card_2"]["balance"] == 1120.5


def test_cancel_refunds_every_history_entry_including_refunds(env):
    # tau2 quirk: after a payment change the history is [payment gift, payment card, refund gift];
    # cancelling refunds all three, so the gift card is credited twice more.
    call_json(env, "modify_pending_order_payment", order_id="#W0000004", payment_method_id="credit_card_2")
    def balance():
        return call_json(env, "get_user_details", user_id="bob_ray_2000")["payment_methods"]["gift_card_2"]["balance"]

    assert balance() == 1120.5
    order = call_json(env, "cancel_pending_order", order_id="#W0000004", reason="no longer needed")
    assert [(p["transaction_type"], p["payment_method_id"]) for p in order["payment_history"]] == [
        ("payment", "gift_card_2"), ("payment", "credit_card_2"), ("refund", "gift_card_2"),
        ("refund", "gift_card_2"), ("refund", "credit_card_2"), ("refund", "gift_card_2")]
    assert balance() == 1361.5


def test_cancel_failing_mid_loop_keeps_earlier_gift_card_credits(env):
    assert call(env, "cancel_pending_order", order_id="#W0000009", reason="no longer needed") == (
        "Error: Payment method not found")
    assert call_json(env, "get_user_details",
                     user_id="ann_lee_1000")["payment_methods"]["gift_card_1"]["balance"] == 25.0
    assert call_json(env, "get_order_details", order_id="#W0000009")["status"] == "pending"


# -- exchange ------------------------------------------------------------------------------------
def test_exchange_preconditions(env):
    def ex(**kw):
        return call(env, "exchange_delivered_order_items", **{"order_id": "#W0000002", "item_ids": ["2000000001"],
                                                              "new_item_ids": ["2000000002"],
                                                              "payment_method_id": "paypal_1", **kw})

    assert ex(order_id="#W0") == "Error: Order not found"
    assert ex(order_id="#W0000001") == "Error: Non-delivered order cannot be exchanged"
    assert ex(item_ids=["2000000011"]) == "Error: Number of 2000000011 not found."
    assert ex(item_ids=["2000000001"] * 3, new_item_ids=["2000000002"] * 3) == "Error: Number of 2000000001 not found."
    assert ex(new_item_ids=[]) == "Error: The number of items to be exchanged should match."
    assert ex(new_item_ids=["2000000011"]) == "Error: Variant not found"
    assert ex(new_item_ids=["2000000003"]) == "Error: New item 2000000003 not found or available"
    assert ex(payment_method_id="gift_card_2") == "Error: Payment method not found"
    assert ex(item_ids=["2000000001"] * 2, new_item_ids=["2000000002"] * 2, payment_method_id="gift_card_1") == (
        "Error: Insufficient gift card balance to pay for the price difference")
    assert call_json(env, "get_order_details", order_id="#W0000002")["status"] == "delivered"


def test_exchange_records_a_rounded_difference_and_nothing_else(env):
    before = call_json(env, "get_order_details", order_id="#W0000002")
    order = call_json(env, "exchange_delivered_order_items", order_id="#W0000002",
                      item_ids=["2000000012", "2000000001"], new_item_ids=["2000000011", "2000000002"],
                      payment_method_id="credit_card_1")
    assert order["status"] == "exchange requested"
    assert order["exchange_items"] == ["2000000001", "2000000012"]  # sorted
    assert order["exchange_new_items"] == ["2000000002", "2000000011"]
    assert order["exchange_payment_method_id"] == "credit_card_1"
    assert order["exchange_price_difference"] == round(14.249999999999943 + 20.510000000000005, 2) == 34.76
    assert order["items"] == before["items"] and order["payment_history"] == before["payment_history"]
    assert call_json(env, "get_user_details",
                     user_id="ann_lee_1000")["payment_methods"]["gift_card_1"]["balance"] == 20.0


def test_exchange_edge_cases(env):
    fork = env.fork()
    empty = fork.step("exchange_delivered_order_items", {"order_id": "#W0000002", "item_ids": [], "new_item_ids": [],
                                                          "payment_method_id": "paypal_1"}).content
    assert '"exchange_price_difference": 0,' in empty  # round(0, 2) stays the int 0
    same = call_json(env, "exchange_delivered_order_items", order_id="#W0000002", item_ids=["2000000001"],
                     new_item_ids=["2000000001"], payment_method_id="paypal_1")  # no old != new check
    assert same["exchange_price_difference"] == 0.0


# -- modify items --------------------------------------------------------------------------------
def test_modify_items_preconditions(env):
    def mod(**kw):
        return call(env, "modify_pending_order_items", **{"order_id": "#W0000001", "item_ids": ["2000000001"],
                                                          "new_item_ids": ["2000000002"],
                                                          "payment_method_id": "paypal_1", **kw})

    assert mod(order_id="#W0000005") == "Error: Non-pending order cannot be modified"  # exact status check
    assert mod(order_id="#W0000003") == "Error: Non-pending order cannot be modified"
    assert mod(item_ids=["2000000002"]) == "Error: 2000000002 not found"
    assert mod(new_item_ids=["2000000002", "2000000003"]) == "Error: The number of items to be exchanged should match"
    assert mod(new_item_ids=["2000000001"]) == "Error: The new item id should be different from the old item id"
    assert mod(new_item_ids=["2000000012"]) == "Error: Variant not found"
    assert mod(new_item_ids=["2000000003"]) == "Error: New item 2000000003 not found or available"
    assert mod(payment_method_id="credit_card_2") == "Error: Payment method not found"
    assert mod(item_ids=["2000000001", "2000000011"],
               new_item_ids=["2000000002", "2000000002"]) == "Error: Variant not found"
    assert call(env, "modify_pending_order_items", order_id="#W0000004", item_ids=["2000000011"],
                new_item_ids=["2000000012"], payment_method_id="gift_card_9") == "Error: Payment method not found"
    card = mini_db()
    card["users"]["ann_lee_1000"]["payment_methods"]["gift_card_1"]["balance"] = 14.24
    assert call(env_of(card), "modify_pending_order_items", order_id="#W0000001", item_ids=["2000000001"],
                new_item_ids=["2000000002"], payment_method_id="gift_card_1") == (
        "Error: Insufficient gift card balance to pay for the new item")


def test_modify_items_keeps_the_unrounded_difference_and_rounds_the_balance(env):
    order = call_json(env, "modify_pending_order_items", order_id="#W0000001", item_ids=["2000000001"],
                      new_item_ids=["2000000002"], payment_method_id="gift_card_1")
    assert order["payment_history"][-1] == {"transaction_type": "payment", "amount": 14.249999999999943,
                                            "payment_method_id": "gift_card_1"}
    assert order["status"] == "pending (item modified)"
    assert order["items"][0] == {"name": "T-Shirt", "product_id": "1000000001", "item_id": "2000000002",
                                 "price": 512.04, "options": {"color": "red", "size": "L"}}
    assert call_json(env, "get_user_details",
                     user_id="ann_lee_1000")["payment_methods"]["gift_card_1"]["balance"] == 5.75
    assert call(env, "modify_pending_order_items", order_id="#W0000001", item_ids=["2000000002"],
                new_item_ids=["2000000001"],
                payment_method_id="paypal_1") == "Error: Non-pending order cannot be modified"


def test_modify_items_gives_every_item_the_last_variant(env):
    # tau2 quirk: each modified item takes the price and options of the LAST new variant.
    order = call_json(env, "modify_pending_order_items", order_id="#W0000001", item_ids=["2000000001", "2000000011"],
                      new_item_ids=["2000000002", "2000000012"], payment_method_id="credit_card_1")
    assert [(i["name"], i["item_id"], i["price"], i["options"]) for i in order["items"]] == [
        ("T-Shirt", "2000000002", 99.99, {"color": "black"}),
        ("Desk Lamp", "2000000012", 99.99, {"color": "black"}),
    ]
    diff = (512.04 - 497.79) + (99.99 - 120.5)
    assert order["payment_history"][-1] == {"transaction_type": "refund", "amount": abs(diff),
                                            "payment_method_id": "credit_card_1"}
    catalogue = call_json(env, "get_item_details", item_id="2000000002")
    assert catalogue["options"] == {"color": "red", "size": "L"} and catalogue["price"] == 512.04


def test_modify_items_with_empty_lists_records_a_zero_refund(env):
    order = call_json(env, "modify_pending_order_items", order_id="#W0000001", item_ids=[], new_item_ids=[],
                      payment_method_id="paypal_1")
    assert order["payment_history"][-1] == {"transaction_type": "refund", "amount": 0.0,
                                            "payment_method_id": "paypal_1"}
    assert order["status"] == "pending (item modified)"


def test_modify_items_sees_its_own_earlier_replacements():
    data = mini_db()
    items = data["orders"]["#W0000001"]["items"]
    items[1] = dict(items[0], item_id="2000000002", price=512.04, options={"color": "red", "size": "L"})
    order = call_json(env_of(data), "modify_pending_order_items", order_id="#W0000001",
                      item_ids=["2000000001", "2000000002"], new_item_ids=["2000000002", "2000000001"],
                      payment_method_id="paypal_1")
    # The second pair finds the item the first pair has just changed (item 0), so both pairs rewrite
    # item 0, which ends as 2000000001 again, and item 1 is left alone.
    assert [(i["item_id"], i["price"]) for i in order["items"]] == [("2000000001", 497.79), ("2000000002", 512.04)]
    assert order["payment_history"][-1]["amount"] == 0.0


# -- modify address / payment / user address -----------------------------------------------------
ADDRESS = {"address1": "9 Elm Street", "address2": "", "city": "Austin", "state": "TX", "country": "USA",
           "zip": "78701"}
ADDRESS_DUMP = {"address1": "9 Elm Street", "address2": "", "city": "Austin", "country": "USA", "state": "TX",
                "zip": "78701"}


def test_modify_order_address(env):
    assert call(env, "modify_pending_order_address", order_id="#W0", **ADDRESS) == "Error: Order not found"
    assert call(env, "modify_pending_order_address", order_id="#W0000003", **ADDRESS) == (
        "Error: Non-pending order cannot be modified")
    result = call(env, "modify_pending_order_address", order_id="#W0000005", **ADDRESS)  # substring check passes
    assert json.loads(result)["address"] == ADDRESS_DUMP
    assert ('"address": {"address1": "9 Elm Street", "address2": "", "city": "Austin", "country": "USA", '
            '"state": "TX"') in result
    assert call_json(env, "get_user_details", user_id="ann_lee_1000")["address"] == _address()


def test_modify_payment_preconditions(env):
    def pay(order_id, method):
        return call(env, "modify_pending_order_payment", order_id=order_id, payment_method_id=method)

    assert pay("#W0", "paypal_1") == "Error: Order not found"
    assert pay("#W0000003", "paypal_1") == "Error: Non-pending order cannot be modified"
    assert pay("#W0000001", "paypal_9") == "Error: Payment method not found"
    assert pay("#W0000005", "paypal_1") == "Error: There should be exactly one payment for a pending order"
    assert pay("#W0000007", "credit_card_2") == "Error: There should be exactly one payment for a pending order"
    assert pay("#W0000001", "credit_card_1") == "Error: The new payment method should be different from the current one"
    assert pay("#W0000001", "gift_card_1") == "Error: Insufficient gift card balance to pay for the order"


def test_modify_payment_moves_the_amount(env):
    order = call_json(env, "modify_pending_order_payment", order_id="#W0000004", payment_method_id="credit_card_2")
    assert order["status"] == "pending"
    assert order["payment_history"] == [
        {"transaction_type": "payment", "amount": 120.5, "payment_method_id": "gift_card_2"},
        {"transaction_type": "payment", "amount": 120.5, "payment_method_id": "credit_card_2"},
        {"transaction_type": "refund", "amount": 120.5, "payment_method_id": "gift_card_2"},
    ]
    data = mini_db()
    data["users"]["ann_lee_1000"]["payment_methods"]["gift_card_1"]["balance"] = 700.005
    rich = env_of(data)
    call_json(rich, "modify_pending_order_payment", order_id="#W0000001", payment_method_id="gift_card_1")
    assert call_json(rich, "get_user_details",
                     user_id="ann_lee_1000")["payment_methods"]["gift_card_1"]["balance"] == round(700.005 - 618.29, 2)


def test_modify_payment_fails_late_when_the_original_method_is_gone(env):
    # tau2 looks the original method up only after changing the order: the change stays.
    assert call(env, "modify_pending_order_payment", order_id="#W0000006", payment_method_id="paypal_1") == (
        "Error: Payment method not found")
    history = call_json(env, "get_order_details", order_id="#W0000006")["payment_history"]
    assert [(p["transaction_type"], p["payment_method_id"]) for p in history] == [
        ("payment", "credit_card_999"), ("payment", "paypal_1"), ("refund", "credit_card_999")]


def test_modify_user_address(env):
    assert call(env, "modify_user_address", user_id="nobody", **ADDRESS) == "Error: User not found"
    assert call(env, "modify_user_address", user_id="nobody", **{**ADDRESS, "zip": 1}) == "Error: User not found"
    user = call_json(env, "modify_user_address", user_id="ann_lee_1000", **ADDRESS)
    assert user["address"] == ADDRESS_DUMP and list(user["address"]) == list(ADDRESS_DUMP)
    assert call_json(env, "get_order_details", order_id="#W0000001")["address"] == _address()
    assert call(env, "find_user_id_by_name_zip", first_name="Ann", last_name="Lee", zip="78701") == "ann_lee_1000"


# -- return --------------------------------------------------------------------------------------
def test_return_preconditions(env):
    def ret(**kw):
        return call(env, "return_delivered_order_items", **{"order_id": "#W0000002", "item_ids": ["2000000001"],
                                                            "payment_method_id": "paypal_1", **kw})

    assert ret(order_id="#W0") == "Error: Order not found"
    assert ret(order_id="#W0000001") == "Error: Non-delivered order cannot be returned"
    assert ret(payment_method_id="gift_card_2") == "Error: Payment method not found"
    assert ret(payment_method_id="credit_card_1") == "Error: Payment method should be the original payment method"
    assert ret(item_ids=["2000000001"] * 3) == "Error: Some item not found"
    assert ret(item_ids=["2000000011"]) == "Error: Some item not found"


def test_return_records_sorted_items(env):
    fork = env.fork()
    order = call_json(env, "return_delivered_order_items", order_id="#W0000002",
                      item_ids=["2000000012", "2000000001", "2000000001"], payment_method_id="gift_card_1")
    assert order["status"] == "return requested"
    assert order["return_items"] == ["2000000001", "2000000001", "2000000012"]
    assert order["return_payment_method_id"] == "gift_card_1"  # any gift card of the user is accepted
    assert len(order["payment_history"]) == 1
    assert call_json(fork, "return_delivered_order_items", order_id="#W0000002", item_ids=[],
                     payment_method_id="paypal_1")["return_items"] == []


# -- state handling ------------------------------------------------------------------------------
def test_writes_touch_only_the_episode(env):
    base_dump = json.dumps(env.db.base.tables, sort_keys=True)
    start = env.fingerprint()
    fork = env.fork()
    call_json(fork, "cancel_pending_order", order_id="#W0000004", reason="no longer needed")
    call_json(fork, "modify_pending_order_items", order_id="#W0000001", item_ids=["2000000001"],
              new_item_ids=["2000000002"], payment_method_id="gift_card_1")
    call_json(fork, "modify_user_address", user_id="bob_ray_2000", **ADDRESS)
    assert fork.db.changed_records() == 4  # two orders, two users
    assert fork.fingerprint() == fingerprint(fork.db.dump()) != start
    assert env.fingerprint() == start == fingerprint(env.db.dump())
    assert json.dumps(env.db.base.tables, sort_keys=True) == base_dump
    assert call_json(env, "get_order_details", order_id="#W0000004")["status"] == "pending"
    fork.reset()
    assert fork.fingerprint() == start


def test_failed_calls_change_nothing(env):
    start = env.fingerprint()
    for name, arguments in [
        ("cancel_pending_order", {"order_id": "#W0000003", "reason": "no longer needed"}),
        ("exchange_delivered_order_items", {"order_id": "#W0000002", "item_ids": ["2000000001"],
                                            "new_item_ids": ["2000000003"], "payment_method_id": "paypal_1"}),
        ("modify_pending_order_items", {"order_id": "#W0000001", "item_ids": ["2000000001"],
                                        "new_item_ids": ["2000000002"], "payment_method_id": "nope"}),
        ("return_delivered_order_items", {"order_id": "#W0000002", "item_ids": ["x"], "payment_method_id": "paypal_1"}),
    ]:
        assert env.step(name, arguments).error
    assert env.fingerprint() == start and env.db.changed_records() == 0

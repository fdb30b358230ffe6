"""Tests of the retail domain: tau2 parity (tools, errors, quirks, gold replay) and the generator."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from writ.core import Environment, ToolKind
from writ.domains import get_domain
from writ.domains.retail.generate import generate, invariants
from writ.fingerprint import fingerprint

DOMAIN = get_domain("retail")
TAU2 = Path(__file__).resolve().parents[2] / ".." / "shared" / "tau2"
RETAIL = TAU2 / "retail"

TOOL_ORDER = [
    ("calculate", ToolKind.GENERIC),
    ("cancel_pending_order", ToolKind.WRITE),
    ("exchange_delivered_order_items", ToolKind.WRITE),
    ("find_user_id_by_name_zip", ToolKind.READ),
    ("find_user_id_by_email", ToolKind.READ),
    ("get_order_details", ToolKind.READ),
    ("get_product_details", ToolKind.READ),
    ("get_item_details", ToolKind.READ),
    ("get_user_details", ToolKind.READ),
    ("list_all_product_types", ToolKind.READ),
    ("modify_pending_order_address", ToolKind.WRITE),
    ("modify_pending_order_items", ToolKind.WRITE),
    ("modify_pending_order_payment", ToolKind.WRITE),
    ("modify_user_address", ToolKind.WRITE),
    ("return_delivered_order_items", ToolKind.WRITE),
    ("transfer_to_human_agents", ToolKind.GENERIC),
]

# Gold actions of tau2's own retail tasks that fail on purpose (wrong ids, emails or zips given
# by the simulated user, an exchange on a non-delivered order, a gift card that is too small).
EXPECTED_GOLD_FAILURES = {
    ("2", "2_1"): "Error: Product not found",
    ("3", "3_1"): "Error: Product not found",
    ("4", "4_1"): "Error: Product not found",
    ("35", "35_0"): "Error: User not found",
    ("37", "37_0"): "Error: User not found",
    ("38", "38_0"): "Error: User not found",
    ("39", "39_0"): "Error: User not found",
    ("46", "46_1"): "Error: Order not found",
    ("46", "46_2"): "Error: Order not found",
    ("47", "47_1"): "Error: Order not found",
    ("47", "47_2"): "Error: Order not found",
    ("54", "54_0"): "Error: User not found",
    ("55", "55_0"): "Error: User not found",
    ("64", "64_6"): "Error: Non-delivered order cannot be exchanged",
    ("67", "67_0"): "Error: User not found",
    ("67", "67_1"): "Error: User not found",
    ("68", "68_0"): "Error: User not found",
    ("105", "106_0"): "Error: Insufficient gift card balance to pay for the price difference",
}


# -- builders ------------------------------------------------------------------------------------
def _variant(item_id, options, price, available=True):
    return {"item_id": item_id, "options": options, "available": available, "price": price}


def _item(product, item_id, products):
    variant = products[product]["variants"][item_id]
    return {"name": products[product]["name"], "product_id": product, "item_id": item_id,
            "price": variant["price"], "options": dict(variant["options"])}


def _address(zip_code="10001"):
    return {"address1": "1 Main Street", "address2": "Suite 1", "city": "New York", "country": "USA",
            "state": "NY", "zip": zip_code}


def mini_db() -> dict:
    """A small hand-made retail DB (raw form: optional order keys absent) for precondition tests."""
    shirt, lamp = "1000000001", "1000000002"
    products = {
        shirt: {"name": "T-Shirt", "product_id": shirt, "variants": {
            "2000000001": _variant("2000000001", {"color": "blue", "size": "M"}, 497.79),
            "2000000002": _variant("2000000002", {"color": "red", "size": "L"}, 512.04),
            "2000000003": _variant("2000000003", {"color": "green", "size": "S"}, 40.0, available=False),
        }},
        lamp: {"name": "Desk Lamp", "product_id": lamp, "variants": {
            "2000000011": _variant("2000000011", {"color": "white"}, 120.5),
            "2000000012": _variant("2000000012", {"color": "black"}, 99.99),
        }},
    }
    users = {
        "ann_lee_1000": {
            "user_id": "ann_lee_1000", "name": {"first_name": "Ann", "last_name": "Lee"}, "address": _address(),
            "email": "Ann.Lee1000@example.com",
            "payment_methods": {
                "credit_card_1": {"source": "credit_card", "id": "credit_card_1", "brand": "visa", "last_four": "1234"},
                "gift_card_1": {"source": "gift_card", "id": "gift_card_1", "balance": 20},
                "paypal_1": {"source": "paypal", "id": "paypal_1"},
            },
            "orders": ["#W0000001", "#W0000002", "#W0000003", "#W0000005", "#W0000006", "#W0000009"],
        },
        "bob_ray_2000": {
            "user_id": "bob_ray_2000", "name": {"first_name": "Bob", "last_name": "Ray"}, "address": _address("94105"),
            "email": "bob.ray2000@example.com",
            "payment_methods": {
                "gift_card_2": {"source": "gift_card", "id": "gift_card_2", "balance": 1000.0},
                "credit_card_2": {"source": "credit_card", "id": "credit_card_2", "brand": "amex", "last_four": "0005"},
            },
            "orders": ["#W0000004", "#W0000007"],
        },
    }

    def order(order_id, user_id, status, items, payments, fulfilled=False):
        return {"order_id": order_id, "user_id": user_id, "address": _address(), "items": items, "status": status,
                "fulfillments": [{"tracking_id": ["123456789012"], "item_ids": [i["item_id"] for i in items]}] if fulfilled else [],
                "payment_history": [{"transaction_type": t, "amount": a, "payment_method_id": m} for t, a, m in payments]}

    i = lambda p, x: _item(p, x, products)  # noqa: E731
    orders = {
        "#W0000001": order("#W0000001", "ann_lee_1000", "pending", [i(shirt, "2000000001"), i(lamp, "2000000011")],
                           [("payment", 618.29, "credit_card_1")]),
        "#W0000002": order("#W0000002", "ann_lee_1000", "delivered",
                           [i(shirt, "2000000001"), i(shirt, "2000000001"), i(lamp, "2000000012")],
                           [("payment", 1095.57, "paypal_1")], fulfilled=True),
        "#W0000003": order("#W0000003", "ann_lee_1000", "processed", [i(lamp, "2000000012")],
                           [("payment", 99.99, "credit_card_1")], fulfilled=True),
        "#W0000004": order("#W0000004", "bob_ray_2000", "pending", [i(lamp, "2000000011")],
                           [("payment", 120.5, "gift_card_2")]),
        "#W0000005": order("#W0000005", "ann_lee_1000", "pending (item modified)", [i(lamp, "2000000012")],
                           [("payment", 120.5, "credit_card_1"), ("refund", 20.51, "credit_card_1")]),
        "#W0000006": order("#W0000006", "ann_lee_1000", "pending", [i(lamp, "2000000012")],
                           [("payment", 99.99, "credit_card_999")]),
        "#W0000007": order("#W0000007", "bob_ray_2000", "pending", [i(lamp, "2000000012")],
                           [("payment", 99.99, "gift_card_2"), ("payment", 1.0, "gift_card_2")]),
        "#W0000009": order("#W0000009", "ann_lee_1000", "pending", [i(lamp, "2000000012")],
                           [("payment", 5.0, "gift_card_1"), ("payment", 94.99, "credit_card_999")]),
    }
    return {"products": products, "users": users, "orders": orders}


def env_of(data: dict) -> Environment:
    return Environment(DOMAIN, DOMAIN.base(data).store())


@pytest.fixture
def env() -> Environment:
    return env_of(mini_db())


def call(env: Environment, name: str, **arguments) -> str:
    return env.step(name, arguments).content


def call_json(env: Environment, name: str, **arguments):
    result = env.step(name, arguments)
    assert not result.error, result.content
    return json.loads(result.content)


@pytest.fixture(scope="module")
def shipped() -> Environment:
    if not (RETAIL / "db.json").exists():
        pytest.skip(f"tau2 retail data not found at {RETAIL}")
    return env_of(json.loads((RETAIL / "db.json").read_text()))


@pytest.fixture(scope="module")
def tasks() -> list:
    if not (RETAIL / "tasks.json").exists():
        pytest.skip(f"tau2 retail tasks not found at {RETAIL}")
    return json.loads((RETAIL / "tasks.json").read_text())


# -- domain wiring -------------------------------------------------------------------------------
def test_tools_in_tau2_order_with_kinds():
    assert [(t.name, t.kind) for t in DOMAIN.tools()] == TOOL_ORDER
    assert {t.owner for t in DOMAIN.tools()} == {"RetailTools"}
    assert DOMAIN.db_name == "RetailDB" and DOMAIN.user is None and DOMAIN.sync is None


def test_schemas_describe_every_argument():
    for tool in DOMAIN.tools():
        fn = tool.schema["function"]
        assert fn["description"], tool.name
        for name, prop in fn["parameters"]["properties"].items():
            assert prop.get("description"), (tool.name, name)
    items = DOMAIN.agent.tools["modify_pending_order_items"].schema["function"]["parameters"]
    assert items["properties"]["item_ids"]["type"] == "array"
    assert items["required"] == ["order_id", "item_ids", "new_item_ids", "payment_method_id"]
    address = DOMAIN.agent.tools["modify_user_address"].schema["function"]["parameters"]
    assert address["required"] == ["user_id", "address1", "address2", "city", "state", "country", "zip"]


def test_policy_is_loaded_and_keeps_the_transfer_message():
    assert "YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON." in DOMAIN.policy
    assert "'no longer needed' or 'ordered by mistake'" in DOMAIN.policy


# -- loading -------------------------------------------------------------------------------------
def test_normalize_fills_optional_order_fields_in_declaration_order():
    data = DOMAIN.normalize_db(mini_db())
    order = data["orders"]["#W0000001"]
    assert list(order) == ["order_id", "user_id", "address", "items", "status", "fulfillments", "payment_history",
                           "cancel_reason", "exchange_items", "exchange_new_items", "exchange_payment_method_id",
                           "exchange_price_difference", "return_items", "return_payment_method_id"]
    assert all(order[k] is None for k in list(order)[7:])
    card = data["users"]["ann_lee_1000"]["payment_methods"]["gift_card_1"]
    assert card == {"source": "gift_card", "id": "gift_card_1", "balance": 20.0} and isinstance(card["balance"], float)
    assert list(data) == ["products", "users", "orders"]


def test_normalize_rejects_top_level_extras_and_drops_nested_ones():
    raw = mini_db()
    raw["users"]["ann_lee_1000"]["nickname"] = "annie"
    assert "nickname" not in DOMAIN.normalize_db(raw)["users"]["ann_lee_1000"]
    raw["coupons"] = {}
    with pytest.raises(Exception, match="coupons"):
        DOMAIN.normalize_db(raw)


def test_shipped_orders_dump_optional_keys_as_null(shipped):
    order = call_json(shipped.fork(), "get_order_details", order_id="#W2611340")
    assert list(order)[-7:] == ["cancel_reason", "exchange_items", "exchange_new_items", "exchange_payment_method_id",
                                "exchange_price_difference", "return_items", "return_payment_method_id"]
    assert all(order[k] is None for k in list(order)[-7:])


# -- literal examples of TOOL_OUTPUT_FORMAT.md and TOOLS_SPEC.md ---------------------------------
def test_literal_examples_of_the_output_format(shipped, tasks):
    examples = {
        ("21", "get_item_details"): '{"item_id": "4107812777", "options": {"size": "9", "color": "black", '
        '"material": "synthetic", "sole": "rubber"}, "available": true, "price": 155.33}',
        ("10", "find_user_id_by_email"): "mia_garcia_4516",
        ("64", "exchange_delivered_order_items"): "Error: Non-delivered order cannot be exchanged",
    }
    doc = (TAU2 / "TOOL_OUTPUT_FORMAT.md").read_text()
    by_id = {t["id"]: t for t in tasks}
    for (task_id, name), expected in examples.items():
        assert expected in doc
        env = shipped.fork()
        outputs = [(a["name"], env.step(a["name"], a["arguments"]).content)
                   for a in by_id[task_id]["evaluation_criteria"]["actions"]]
        assert (name, expected) in outputs


def test_literal_examples_of_the_spec(shipped):
    env = shipped.fork()
    types = call(env, "list_all_product_types")
    assert types.startswith('{"Action Camera": "3377618313", "Air Purifier": "3821016478", ')
    assert list(json.loads(types)) == sorted(json.loads(types)) and len(json.loads(types)) == 50
    assert call(env, "find_user_id_by_name_zip", first_name="james", last_name="LI", zip="10083") == "james_li_5688"
    assert '"amount": 1463.7,' in call(env, "get_order_details", order_id="#W5918442")
    assert call(env, "get_order_details", order_id="W5918442") == "Error: Order not found"


# -- generic dispatch ----------------------------------------------------------------------------
def test_dispatch_errors(env):
    assert call(env, "nope") == "Error: Tool 'nope' not found."
    assert call(env, "get_order_details", id="#W0000001") == (
        "Error: RetailTools.get_order_details() got an unexpected keyword argument 'id'")
    assert call(env, "cancel_pending_order") == (
        "Error: RetailTools.cancel_pending_order() missing 2 required positional arguments: 'order_id' and 'reason'")
    assert env.step("get_order_details", {"order_id": "#W0000001"}, requestor="user").content == (
        "Error: User tools not available")
    assert call(env, "calculate", expression="2+2") == "4.0"
    assert call(env, "transfer_to_human_agents", summary="x") == "Transfer successful"


def test_raw_arguments_fail_like_python(env):
    assert call(env, "get_order_details", order_id=["#W0000001"]) == "Error: unhashable type: 'list'"
    assert call(env, "cancel_pending_order", order_id="#W0000001", reason=["x"]) == "Error: unhashable type: 'list'"
    assert call(env, "find_user_id_by_name_zip", first_name=5, last_name="Lee", zip="10001") == (
        "Error: 'int' object has no attribute 'lower'")
    assert call(env, "find_user_id_by_email", email=None) == "Error: 'NoneType' object has no attribute 'lower'"
    result = call(env, "modify_pending_order_address", order_id="#W0000001", address1="a", address2="",
                  city="c", state="s", country="USA", zip=12345)
    assert result.startswith("Error: 1 validation error for UserAddress\nzip\n")


# -- reads ---------------------------------------------------------------------------------------
def test_lookups(env):
    assert call(env, "find_user_id_by_name_zip", first_name="aNN", last_name="LEE", zip="10001") == "ann_lee_1000"
    assert call(env, "find_user_id_by_name_zip", first_name="Ann", last_name="Lee", zip="10002") == "Error: User not found"
    assert call(env, "find_user_id_by_email", email="ann.lee1000@EXAMPLE.com") == "ann_lee_1000"
    assert call(env, "find_user_id_by_email", email="ann@example.com") == "Error: User not found"
    assert call(env, "get_product_details", product_id="2000000001") == "Error: Product not found"
    assert call(env, "get_item_details", item_id="1000000001") == "Error: Item not found"
    assert call(env, "get_user_details", user_id="ann") == "Error: User not found"
    assert call_json(env, "get_item_details", item_id="2000000012") == _variant("2000000012", {"color": "black"}, 99.99)
    assert call(env, "list_all_product_types") == '{"Desk Lamp": "1000000002", "T-Shirt": "1000000001"}'
    user = call_json(env, "get_user_details", user_id="ann_lee_1000")
    assert list(user) == ["user_id", "name", "address", "email", "payment_methods", "orders"]


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
    assert order["payment_history"][1] == {"transaction_type": "refund", "amount": 618.29, "payment_method_id": "credit_card_1"}
    order = call_json(env, "cancel_pending_order", order_id="#W0000004", reason="no longer needed")
    assert call_json(env, "get_user_details", user_id="bob_ray_2000")["payment_methods"]["gift_card_2"]["balance"] == 1120.5


def test_cancel_refunds_every_history_entry_including_refunds(env):
    # tau2 quirk: after a payment change the history is [payment gift, payment card, refund gift];
    # cancelling refunds all three, so the gift card is credited twice more.
    call_json(env, "modify_pending_order_payment", order_id="#W0000004", payment_method_id="credit_card_2")
    balance = lambda: call_json(env, "get_user_details", user_id="bob_ray_2000")["payment_methods"]["gift_card_2"]["balance"]  # noqa: E731
    assert balance() == 1120.5
    order = call_json(env, "cancel_pending_order", order_id="#W0000004", reason="no longer needed")
    assert [(p["transaction_type"], p["payment_method_id"]) for p in order["payment_history"]] == [
        ("payment", "gift_card_2"), ("payment", "credit_card_2"), ("refund", "gift_card_2"),
        ("refund", "gift_card_2"), ("refund", "credit_card_2"), ("refund", "gift_card_2")]
    assert balance() == 1361.5


def test_cancel_failing_mid_loop_keeps_earlier_gift_card_credits(env):
    assert call(env, "cancel_pending_order", order_id="#W0000009", reason="no longer needed") == (
        "Error: Payment method not found")
    assert call_json(env, "get_user_details", user_id="ann_lee_1000")["payment_methods"]["gift_card_1"]["balance"] == 25.0
    assert call_json(env, "get_order_details", order_id="#W0000009")["status"] == "pending"


# -- exchange ------------------------------------------------------------------------------------
def test_exchange_preconditions(env):
    ex = lambda **kw: call(env, "exchange_delivered_order_items", **{"order_id": "#W0000002", "item_ids": ["2000000001"],  # noqa: E731
                                                                     "new_item_ids": ["2000000002"], "payment_method_id": "paypal_1", **kw})
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
    assert call_json(env, "get_user_details", user_id="ann_lee_1000")["payment_methods"]["gift_card_1"]["balance"] == 20.0


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
    mod = lambda **kw: call(env, "modify_pending_order_items", **{"order_id": "#W0000001", "item_ids": ["2000000001"],  # noqa: E731
                                                                  "new_item_ids": ["2000000002"], "payment_method_id": "paypal_1", **kw})
    assert mod(order_id="#W0000005") == "Error: Non-pending order cannot be modified"  # exact status check
    assert mod(order_id="#W0000003") == "Error: Non-pending order cannot be modified"
    assert mod(item_ids=["2000000002"]) == "Error: 2000000002 not found"
    assert mod(new_item_ids=["2000000002", "2000000003"]) == "Error: The number of items to be exchanged should match"
    assert mod(new_item_ids=["2000000001"]) == "Error: The new item id should be different from the old item id"
    assert mod(new_item_ids=["2000000012"]) == "Error: Variant not found"
    assert mod(new_item_ids=["2000000003"]) == "Error: New item 2000000003 not found or available"
    assert mod(payment_method_id="credit_card_2") == "Error: Payment method not found"
    assert mod(item_ids=["2000000001", "2000000011"], new_item_ids=["2000000002", "2000000002"]) == "Error: Variant not found"
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
    assert call_json(env, "get_user_details", user_id="ann_lee_1000")["payment_methods"]["gift_card_1"]["balance"] == 5.75
    assert call(env, "modify_pending_order_items", order_id="#W0000001", item_ids=["2000000002"],
                new_item_ids=["2000000001"], payment_method_id="paypal_1") == "Error: Non-pending order cannot be modified"


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
    assert order["payment_history"][-1] == {"transaction_type": "refund", "amount": 0.0, "payment_method_id": "paypal_1"}
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
ADDRESS = {"address1": "9 Elm Street", "address2": "", "city": "Austin", "state": "TX", "country": "USA", "zip": "78701"}
ADDRESS_DUMP = {"address1": "9 Elm Street", "address2": "", "city": "Austin", "country": "USA", "state": "TX", "zip": "78701"}


def test_modify_order_address(env):
    assert call(env, "modify_pending_order_address", order_id="#W0", **ADDRESS) == "Error: Order not found"
    assert call(env, "modify_pending_order_address", order_id="#W0000003", **ADDRESS) == (
        "Error: Non-pending order cannot be modified")
    result = call(env, "modify_pending_order_address", order_id="#W0000005", **ADDRESS)  # substring check passes
    assert json.loads(result)["address"] == ADDRESS_DUMP
    assert '"address": {"address1": "9 Elm Street", "address2": "", "city": "Austin", "country": "USA", "state": "TX"' in result
    assert call_json(env, "get_user_details", user_id="ann_lee_1000")["address"] == _address()


def test_modify_payment_preconditions(env):
    pay = lambda order_id, method: call(env, "modify_pending_order_payment", order_id=order_id, payment_method_id=method)  # noqa: E731
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
    assert call_json(rich, "get_user_details", user_id="ann_lee_1000")["payment_methods"]["gift_card_1"]["balance"] == round(700.005 - 618.29, 2)


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
    ret = lambda **kw: call(env, "return_delivered_order_items", **{"order_id": "#W0000002", "item_ids": ["2000000001"],  # noqa: E731
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


# -- tau2 gold replay ----------------------------------------------------------------------------
def test_replay_every_gold_action(shipped, tasks):
    start = shipped.fingerprint()
    calls = 0
    failures = {}
    for task in tasks:
        env = shipped.fork()
        for action in task["evaluation_criteria"]["actions"]:
            calls += 1
            result = env.step(action["name"], action["arguments"])
            if result.error:
                failures[(task["id"], action["action_id"])] = result.content
        if int(task["id"]) % 10 == 0:  # the incremental fingerprint agrees with the reference one
            assert env.fingerprint() == fingerprint(env.db.dump())
    assert len(tasks) == 114 and calls == 550
    assert failures == EXPECTED_GOLD_FAILURES
    assert shipped.fingerprint() == start and shipped.db.changed_records() == 0


def test_gold_replay_reproduces_the_last_variant_quirk(shipped, tasks):
    task = next(t for t in tasks if t["id"] == "20")
    env = shipped.fork()
    for action in task["evaluation_criteria"]["actions"]:
        env.step(action["name"], action["arguments"])
    order = call_json(env, "get_order_details", order_id="#W9911714")
    # Four items changed at once: all take the price of the last new variant (2882812427).
    last = call_json(env, "get_item_details", item_id="2882812427")
    changed = [i for i in order["items"] if i["item_id"] in {"4579334072", "1151293680", "4107812777", "2882812427"}]
    assert len(changed) == 4 and all(i["price"] == last["price"] and i["options"] == last["options"] for i in changed)


# -- generator -----------------------------------------------------------------------------------
@pytest.mark.parametrize("scale", [0.1, 0.5, 1.0, pytest.param(2.0, marks=pytest.mark.slow)])
def test_generated_databases_are_consistent(scale):
    for seed in range(21):
        db, user_db = generate(seed, scale)
        assert user_db is None
        assert invariants(db) == [], (seed, scale)


def test_generator_is_deterministic_and_seeded():
    first = json.dumps(generate(7, 0.5)[0])
    assert json.dumps(generate(7, 0.5)[0]) == first
    assert json.dumps(generate(8, 0.5)[0]) != first


def test_generator_does_not_depend_on_string_hashing():
    code = ("import hashlib, json; from writ.domains.retail.generate import generate; "
            "print(hashlib.sha256(json.dumps(generate(3, 0.2)[0]).encode()).hexdigest())")
    digests = set()
    for hash_seed in ("1", "2"):
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": hash_seed})
        digests.add(run.stdout.strip())
    assert len(digests) == 1


def test_generated_sizes_follow_the_scale():
    for scale, products, users, orders in [(1.0, 50, 500, 1000), (2.0, 71, 1000, 2000), (0.1, 20, 50, 100)]:
        db, _ = generate(1, scale)
        assert (len(db["products"]), len(db["users"]), len(db["orders"])) == (products, users, orders)
    with pytest.raises(ValueError):
        generate(1, 0)


def test_generated_data_is_varied_and_realistic():
    db, _ = generate(7, 1.0)
    users, orders, products = db["users"], db["orders"], db["products"]
    assert Counter(len(u["orders"]) for u in users.values()).keys() == {1, 2, 3, 4, 5}
    assert Counter(len(o["items"]) for o in orders.values()).keys() == {1, 2, 3, 4, 5}
    statuses = Counter(o["status"] for o in orders.values())
    assert set(statuses) == {"pending", "processed", "delivered", "cancelled", "return requested",
                             "exchange requested", "pending (item modified)"}
    assert statuses["pending"] > 250 and statuses["delivered"] > 250
    assert all(o["cancel_reason"] in ("no longer needed", "ordered by mistake")
               for o in orders.values() if o["status"] == "cancelled")
    assert all(re.fullmatch(r"[a-z]+_[a-z]+_\d{4}", u) for u in users)
    assert all(re.fullmatch(r"#W\d{7}", o) for o in orders)
    assert all(re.fullmatch(r"\d{5}", u["address"]["zip"]) for u in users.values())
    sources = Counter(m["source"] for u in users.values() for m in u["payment_methods"].values())
    assert min(sources.values()) > 100
    assert any(not v["available"] for p in products.values() for v in p["variants"].values())
    assert 5 <= min(len(p["variants"]) for p in products.values())
    assert {"T-Shirt", "Desk Lamp", "Water Bottle"} & {p["name"] for p in products.values()}
    # some users share a name (in different zip codes), some orders ship to an older address
    assert len({(u["name"]["first_name"], u["name"]["last_name"]) for u in users.values()}) < len(users)
    assert any(o["address"] != users[o["user_id"]]["address"] for o in orders.values())


def test_generated_database_loads_and_works_with_the_tools():
    db, _ = generate(11, 0.3)
    assert DOMAIN.normalize_db(db) == db
    assert json.dumps(DOMAIN.normalize_db(db)) == json.dumps(db)  # same key order too
    env = env_of(db)
    user = next(iter(db["users"].values()))
    assert call(env, "find_user_id_by_email", email=user["email"].upper()) == user["user_id"]
    assert call(env, "find_user_id_by_name_zip", first_name=user["name"]["first_name"],
                last_name=user["name"]["last_name"], zip=user["address"]["zip"]) == user["user_id"]
    assert len(json.loads(call(env, "list_all_product_types"))) == len(db["products"])
    pending = next(o for o in db["orders"].values() if o["status"] == "pending")
    delivered = next(o for o in db["orders"].values() if o["status"] == "delivered")
    call_json(env, "cancel_pending_order", order_id=pending["order_id"], reason="no longer needed")
    refund_to = delivered["payment_history"][0]["payment_method_id"]
    call_json(env, "return_delivered_order_items", order_id=delivered["order_id"],
              item_ids=[delivered["items"][0]["item_id"]], payment_method_id=refund_to)
    assert invariants(env.db.dump()) == []
    item = delivered["items"][0]
    other = next(v for v in db["products"][item["product_id"]]["variants"].values() if v["available"])
    fork = env.fork()
    order = call_json(env_of(db), "exchange_delivered_order_items", order_id=delivered["order_id"],
                      item_ids=[item["item_id"]], new_item_ids=[other["item_id"]], payment_method_id=refund_to)
    assert order["exchange_price_difference"] == round(other["price"] - item["price"], 2)
    assert fork.fingerprint() == env.fingerprint()


def test_invariants_hold_on_tau2_data_and_catch_violations():
    if (RETAIL / "db.json").exists():
        assert invariants(json.loads((RETAIL / "db.json").read_text())) == []
    db, _ = generate(5, 0.1)
    broken = json.loads(json.dumps(db))
    order_id, order = next(iter(broken["orders"].items()))
    user = broken["users"][order["user_id"]]
    order["payment_history"][0]["amount"] += 5
    order["items"][0]["price"] += 1
    user["orders"].remove(order_id)
    order["payment_history"][0]["payment_method_id"] = "paypal_0000000"
    second = list(broken["users"].values())[1]
    second["email"] = user["email"].upper()
    problems = "\n".join(invariants(broken))
    for needle in ("net payments", "differs from the catalogue", "missing from the orders", "is not " + user["user_id"],
                   f"email {user['email']} is used by 2 users"):
        assert needle in problems, needle

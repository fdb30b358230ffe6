"""Tests of the retail domain: tau2 parity (tools, errors, quirks, gold replay) and the generator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from writ.core import Environment, ToolKind
from writ.domains import get_domain
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
                "fulfillments": [{"tracking_id": ["123456789012"], "item_ids": [i["item_id"] for i in items]}]
                if fulfilled else [],
                "payment_history": [{"transaction_type": t, "amount": a, "payment_method_id": m}
                                    for t, a, m in payments]}

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
    assert (call(env, "find_user_id_by_name_zip", first_name="Ann", last_name="Lee", zip="10002")
            == "Error: User not found")
    assert call(env, "find_user_id_by_email", email="ann.lee1000@EXAMPLE.com") == "ann_lee_1000"
    assert call(env, "find_user_id_by_email", email="ann@example.com") == "Error: User not found"
    assert call(env, "get_product_details", product_id="2000000001") == "Error: Product not found"
    assert call(env, "get_item_details", item_id="1000000001") == "Error: Item not found"
    assert call(env, "get_user_details", user_id="ann") == "Error: User not found"
    assert call_json(env, "get_item_details", item_id="2000000012") == _variant("2000000012", {"color": "black"}, 99.99)
    assert call(env, "list_all_product_types") == '{"Desk Lamp": "1000000002", "T-Shirt": "1000000001"}'
    user = call_json(env, "get_user_details", user_id="ann_lee_1000")
    assert list(user) == ["user_id", "name", "address", "email", "payment_methods", "orders"]


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

"""The core contract on a tiny domain defined here, independent of the real domains."""

from writ.core import Domain, Environment, Toolbox, ToolError, ToolKind, deep_merge
from writ.domains.common import calculate
from writ.store import Base, Shape

box = Toolbox("TinyTools")


@box.read
def get_item(db, item_id: str) -> dict:
    """Look up an item.

    Args:
        item_id: The item's id, such as 'a'.
    """
    item = db.get("items", item_id)
    if item is None:
        raise ToolError(f"Item {item_id} not found")
    return item


@box.write
def rename(db, item_id: str, name: str, note: str = "") -> str:
    """Rename an item.

    Args:
        item_id: The item's id.
        name: The new name.
        note: Optional note.
    """
    db.edit("items", item_id)["name"] = name
    return f"Renamed {item_id}"


@box.write
def broken(db, x: int) -> str:
    """Always fails with a Python error."""
    return {}["missing"]


box.add(calculate, ToolKind.GENERIC)

TINY = Domain(name="tiny", agent=box, layout={"items": Shape("map")}, db_name="TinyDB",
              normalize_db=lambda d: d, policy="Be nice.")


def env() -> Environment:
    return Environment(TINY, Base({"items": {"a": {"name": "A", "price": 1.5}}}, TINY.layout, "TinyDB").store())


def test_results_are_strings_errors_are_texts():
    e = env()
    assert e.step("get_item", {"item_id": "a"}).content == '{"name": "A", "price": 1.5}'
    assert e.step("get_item", {"item_id": "zz"}).content == "Error: Item zz not found"
    assert e.step("nope", {}).content == "Error: Tool 'nope' not found."
    assert e.step("broken", {"x": 1}).content == "Error: 'missing'"
    assert e.step("get_item", {"item_id": "a"}, requestor="user").content == "Error: User tools not available"
    assert e.step("calculate", {"expression": "2 + 2"}).content == "4.0"
    assert e.step("calculate", {"expression": "__import__('os')"}).content == "Error: Invalid characters in expression"


def test_argument_errors_match_python_texts():
    e = env()
    assert (e.step("get_item", {}).content
            == "Error: TinyTools.get_item() missing 1 required positional argument: 'item_id'")
    assert e.step("rename", {}).content == (
        "Error: TinyTools.rename() missing 2 required positional arguments: 'item_id' and 'name'")
    assert e.step("get_item", {"item_id": "a", "user": 1}).content == (
        "Error: TinyTools.get_item() got an unexpected keyword argument 'user'")
    assert e.step("rename", {"item_id": "a", "name": "B"}).error is False


def test_fork_and_reset():
    e = env()
    f = e.fork()
    f.step("rename", {"item_id": "a", "name": "F"})
    assert e.step("get_item", {"item_id": "a"}).content.startswith('{"name": "A"')
    assert f.fingerprint() != e.fingerprint()
    f.reset()
    assert f.fingerprint() == e.fingerprint()


def test_schema_from_hints_and_docstring():
    schema = box.tools["rename"].schema["function"]
    assert schema["name"] == "rename"
    assert schema["description"] == "Rename an item."
    props = schema["parameters"]["properties"]
    assert props["item_id"] == {"title": "Item Id", "type": "string", "description": "The item's id."}
    assert schema["parameters"]["required"] == ["item_id", "name"]
    assert props["note"]["default"] == ""
    assert box.tools["rename"].kind is ToolKind.WRITE and box.tools["rename"].mutates


def test_initial_state_data_merge_and_actions():
    assert (deep_merge({"a": {"b": 1, "c": [1]}, "d": 1}, {"a": {"c": [2]}, "e": 3})
            == {"a": {"b": 1, "c": [2]}, "d": 1, "e": 3})
    e = env().apply_initial_state({
        "initialization_data": {"agent_data": {"items": {"b": {"name": "B", "price": 2}}}},
        "initialization_actions": [{"env_type": "assistant", "func_name": "rename",
                                    "arguments": {"item_id": "b", "name": "BB"}}],
    })
    assert e.step("get_item", {"item_id": "b"}).content == '{"name": "BB", "price": 2}'


# -- one rule each: "is this a write?" and env assertions ----------------------------------------------
device = Toolbox("TinyUserTools", side="user")


@device.write
def press(db, button: str) -> str:
    """Press a button on the user's own device."""
    db.edit("items", "a")["pressed"] = button
    return "pressed"


@box.helper
def item_named(db, item_id: str, name: str) -> bool:
    return db.get("items", item_id)["name"] == name


@box.helper
def item_price(db, item_id: str) -> float:
    return db.get("items", item_id)["price"]


DUAL = Domain(name="dual", agent=box, layout=TINY.layout, db_name="TinyDB", normalize_db=lambda d: d,
              policy="", user=device, user_layout=TINY.layout, user_db_name="TinyDB")


def test_is_write_by_side_or_by_tau2s_lookup_order():
    assert DUAL.is_write("rename") and DUAL.is_write("rename", "assistant") and not DUAL.is_write("rename", "user")
    assert DUAL.is_write("press") and DUAL.is_write("press", "user") and not DUAL.is_write("press", "assistant")
    assert not DUAL.is_write("get_item") and not DUAL.is_write("calculate") and not DUAL.is_write("nope")
    assert DUAL.write_tools() == {"rename", "broken", "press"} and TINY.write_tools() == {"rename", "broken"}


def test_check_assertion_uses_tau2s_defaults_and_never_raises():
    e = env()
    assert e.check_assertion({"env_type": "assistant", "func_name": "item_named",
                              "arguments": {"item_id": "a", "name": "A"}}).met  # assert_value defaults to true
    e.step("rename", {"item_id": "a", "name": "B"})
    assert not e.check_assertion({"func_name": "item_named", "arguments": {"item_id": "a", "name": "A"}}).met
    assert e.check_assertion({"func_name": "item_named", "arguments": {"item_id": "a", "name": "A"},
                              "assert_value": False}).met
    not_bool = e.check_assertion({"func_name": "item_price", "arguments": {"item_id": "a"}, "assert_value": 1.5})
    assert not not_bool.met and "instead of bool" in not_bool.note
    raised = e.check_assertion({"func_name": "item_named", "arguments": {"item_id": "zz", "name": "A"}})
    assert not raised.met and raised.note.startswith("TypeError")
    missing = e.check_assertion({"env_type": "user", "func_name": "item_named", "arguments": {}})
    assert not missing.met and "not found in the user tools" in missing.note

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from writ.fingerprint import fingerprint
from writ.store import Base, Shape

LAYOUT = {"users": Shape("map"), "lines": Shape("list", "line_id"), "phone": Shape("doc")}


def make_base() -> Base:
    return Base(
        {
            "users": {"u1": {"name": "Ann", "tags": ["a"]}, "u2": {"name": "Bo", "tags": []}},
            "lines": [{"line_id": "L2", "gb": 1.5}, {"line_id": "L1", "gb": None}],
            "phone": {"airplane": False, "apn": {"name": "internet"}},
        },
        LAYOUT,
        "TestDB",
    )


def test_reads_fall_through_and_edits_are_private():
    base = make_base()
    a, b = base.store(), base.store()
    a.edit("users", "u1")["name"] = "Changed"
    a.edit("phone")["airplane"] = True
    assert a.get("users", "u1")["name"] == "Changed"
    assert b.get("users", "u1")["name"] == "Ann"
    assert base.tables["users"]["u1"]["name"] == "Ann"
    assert b.get("phone")["airplane"] is False


def test_put_appends_new_keys_last_and_fork_is_independent():
    s = make_base().store()
    s.put("users", "u0", {"name": "New", "tags": []})
    assert list(s.keys("users")) == ["u1", "u2", "u0"]
    assert s.count("users") == 3
    child = s.fork()
    child.edit("users", "u0")["name"] = "Child"
    assert s.get("users", "u0")["name"] == "New"
    s.reset()
    assert list(s.keys("users")) == ["u1", "u2"]


def test_unknown_table_mirrors_tau2_attribute_error():
    with pytest.raises(AttributeError, match="'TestDB' object has no attribute 'orders'"):
        make_base().store().get("orders", "x")


def test_list_tables_keep_order_and_reject_duplicates():
    s = make_base().store()
    assert [r["line_id"] for r in s.values("lines")] == ["L2", "L1"]
    assert s.dump()["lines"] == [{"line_id": "L2", "gb": 1.5}, {"line_id": "L1", "gb": None}]
    with pytest.raises(ValueError, match="duplicate"):
        Base({"users": {}, "lines": [{"line_id": "L"}, {"line_id": "L"}], "phone": {}}, LAYOUT)


def test_incremental_fingerprint_equals_reference():
    s = make_base().store()
    assert s.fingerprint() == fingerprint(s.dump())
    s.edit("lines", "L1")["gb"] = 2
    s.put("users", "a0", {"name": "First", "tags": ["z"]})
    s.edit("phone")["apn"]["name"] = "broken"
    assert s.fingerprint() == fingerprint(s.dump())
    assert s.fingerprint() != make_base().store().fingerprint()


names = st.text(alphabet="abcxyzé0", min_size=1, max_size=4)
records = st.fixed_dictionaries({"v": st.one_of(st.none(), st.integers(-5, 5),
                                                st.floats(-1e3, 1e3, allow_nan=False), names)})


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["edit", "put"]), names, records), max_size=12))
def test_fingerprint_matches_reference_under_random_edits(ops):
    base = Base({"users": {"k": {"v": 1}, "m": {"v": None}}, "lines": [], "phone": {"v": 0}}, LAYOUT)
    s = base.store()
    for op, key, record in ops:
        if op == "put":
            s.put("users", key, record)
        elif s.has("users", key):
            s.edit("users", key)["v"] = record["v"]
    assert s.fingerprint() == fingerprint(s.dump())
    assert (base.store().fingerprint()
            == fingerprint({"users": {"k": {"v": 1}, "m": {}}, "lines": [], "phone": {"v": 0}}))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["map", "list", "newlist", "doc"]), st.integers(0, 80), records),
                max_size=10))
def test_incremental_fingerprint_with_checkpoints_matches_reference(ops):
    """Tables longer than the checkpoint stride, edited anywhere, with inserts in the middle."""
    base = Base({
        "users": {f"u{i:03d}": {"v": i} for i in range(0, 160, 2)},
        "lines": [{"line_id": f"L{i}", "v": i} for i in range(70)],
        "phone": {"v": 0},
    }, LAYOUT)
    s = base.store()
    for op, i, record in ops:
        if op == "map":
            s.put("users", f"u{i:03d}", record)  # odd keys insert between existing ones
        elif op == "list" and s.has("lines", f"L{i % 70}"):
            s.edit("lines", f"L{i % 70}")["v"] = record["v"]
        elif op == "newlist":
            s.put("lines", f"N{i}", {"line_id": f"N{i}", **record})
        else:
            s.edit("phone")["v"] = record["v"]
        assert s.fingerprint() == fingerprint(s.dump())


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b"]), st.sampled_from(["map", "list", "newlist", "doc"]),
                          st.integers(0, 6), st.integers(0, 2)), max_size=10))
def test_same_state_agrees_with_fingerprints(ops):
    base = Base({"users": {f"u{i}": {"v": i} for i in range(4)},
                 "lines": [{"line_id": f"L{i}", "v": i} for i in range(4)],
                 "phone": {"v": 0}}, LAYOUT)
    a, b = base.store(), base.store()
    for who, op, i, v in ops:
        s = a if who == "a" else b
        if op == "map":
            s.put("users", f"u{i}", {"v": v})
        elif op == "list" and s.has("lines", f"L{i % 4}"):
            s.edit("lines", f"L{i % 4}")["v"] = v
        elif op == "newlist":
            s.put("lines", f"N{i}", {"line_id": f"N{i}", "v": v})
        else:
            s.edit("phone")["v"] = v
    assert a.same_state(b) == (a.fingerprint() == b.fingerprint())
    assert a.same_state(a.fork())

import hashlib
import json

from writ.fingerprint import canonical, fingerprint


def test_canonical_drops_nulls_and_normalizes_numbers():
    value = {"a": None, "b": 2, "c": [1, None, {"d": None, "e": 1.23456789}], "f": True, "g": "x"}
    assert canonical(value) == {"b": 2.0, "c": [1.0, None, {"e": 1.234568}], "f": True, "g": "x"}


def test_fingerprint_definition():
    value = {"z": 1, "a": {"y": None, "x": "é"}}
    text = json.dumps({"a": {"x": "é"}, "z": 1.0}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert fingerprint(value) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_int_and_float_and_missing_null_are_one_state():
    assert fingerprint({"a": 2, "b": None}) == fingerprint({"a": 2.0})
    assert fingerprint({"a": 2}) != fingerprint({"a": 2.5})
    assert fingerprint({"a": True}) != fingerprint({"a": 1})

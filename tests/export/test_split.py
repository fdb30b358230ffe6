"""Splits by task stem, deterministic; per-turn weights; dedup; the manifest's hashes and counts."""

from __future__ import annotations

import hashlib
import json

import pytest

from writ.export import ExportError, export_run, read_jsonl, validation_stems, weights_for


def _rows(out, split):
    path = out / f"{split}.jsonl"
    return read_jsonl(path) if path.exists() else []


def test_variants_never_straddle_the_split(runs, tmp_path):
    for seed in range(6):
        export_run(runs, tmp_path / str(seed), fmt="trl", val_fraction=0.4, seed=seed, dedup=False)
        train, validation = (_rows(tmp_path / str(seed), s) for s in ("train", "validation"))
        assert train and validation
        for key in ("stem", "task_id"):  # a stem, and a task kept in both runs, stay on one side
            assert not {r[key] for r in train} & {r[key] for r in validation}
        for r in train + validation:  # the stem is the task a variant was made from
            assert r["task_id"] == r["stem"] or r["task_id"].startswith(r["stem"] + "-v")


def test_split_is_deterministic_for_a_seed(runs, tmp_path):
    a = export_run(runs[0], tmp_path / "a", fmt="openai", seed=7, val_fraction=0.3)
    b = export_run(runs[0], tmp_path / "b", fmt="openai", seed=7, val_fraction=0.3)
    assert a.manifest["files"] == b.manifest["files"]  # same bytes, file by file
    stems = {f"s{i}" for i in range(40)}
    splits = {frozenset(validation_stems(stems, 0.25, seed)) for seed in range(5)}
    assert len(splits) > 1 and all(len(s) == 10 for s in splits)
    assert validation_stems(stems, 0.25, 3) == validation_stems(set(sorted(stems, reverse=True)), 0.25, 3)
    assert validation_stems(stems, 0, 0) == set() and validation_stems({"one"}, 0.5, 0) == set()
    assert len(validation_stems({"a", "b"}, 0.01, 0)) == 1  # at least one stem, never all
    grown = validation_stems(stems | {f"t{i}" for i in range(40)}, 0.25, 3)
    assert len(validation_stems(stems, 0.25, 3) & grown) >= 5  # a growing run mostly keeps its held-out stems


def test_weights(runs, tmp_path):
    for mode in ("all", "last", "writes", "none"):
        export_run(runs[0], tmp_path / mode, fmt="openai", val_fraction=0, weights=mode)
    for row in _rows(tmp_path / "all", "train"):
        assert all(m["weight"] == 1 for m in row["messages"] if m["role"] == "assistant")
        assert all("weight" not in m for m in row["messages"] if m["role"] != "assistant")
    for row in _rows(tmp_path / "last", "train"):
        assistant = [m for m in row["messages"] if m["role"] == "assistant"]
        assert [m["weight"] for m in assistant] == [0] * (len(assistant) - 1) + [1]
    for row in _rows(tmp_path / "none", "train"):
        assert "weight" not in json.dumps(row["messages"])
    writes = _rows(tmp_path / "writes", "train")
    assert writes and len(writes) < len(_rows(tmp_path / "all", "train"))  # the no-write task is left out
    for row in writes:
        names = {t["function"]["name"] for t in row["tools"]}
        weighted = [m for m in row["messages"] if m.get("weight") == 1]
        calls = [m for m in weighted if m.get("tool_calls")]
        texts = [m for m in weighted if not m.get("tool_calls")]
        assert calls and len(texts) <= len(calls) and names
        assert all("?" in m["content"] or "confirm" in m["content"].lower() for m in texts)


def test_writes_weights_pick_the_write_and_its_confirmation():
    call = lambda name: {"role": "assistant", "content": None,  # noqa: E731
                         "tool_calls": [{"id": name, "type": "function",
                                         "function": {"name": name, "arguments": "{}"}}]}
    messages = [{"role": "system", "content": "p"}, {"role": "assistant", "content": "Hi"},
                {"role": "user", "content": "cancel it"}, call("get_order"),
                {"role": "tool", "tool_call_id": "get_order", "content": "{}"},
                {"role": "assistant", "content": "Cancel order 1?"}, {"role": "user", "content": "yes"},
                call("cancel"), {"role": "tool", "tool_call_id": "cancel", "content": "{}"},
                {"role": "assistant", "content": "Done."}]
    assert weights_for(messages, "writes", frozenset({"cancel"})) == {1: 0, 3: 0, 5: 1, 7: 1, 9: 0}
    assert weights_for(messages, "last", frozenset()) == {1: 0, 3: 0, 5: 0, 7: 0, 9: 1}
    assert weights_for(messages, "none", frozenset()) == {}


def test_dedup_drops_exact_duplicates_and_counts_them(runs, tmp_path):
    kept = export_run(runs, tmp_path / "d", fmt="openai", val_fraction=0.3).manifest["counts"]
    every = export_run(runs, tmp_path / "n", fmt="openai", val_fraction=0.3, dedup=False).manifest["counts"]
    assert kept["kept_episodes"] == every["kept_episodes"] == 36
    assert (kept["deduplicated"], kept["exported"]) == (18, 18)
    assert (every["deduplicated"], every["exported"]) == (0, 36)
    lines = [json.dumps(r["messages"], sort_keys=True) for s in ("train", "validation")
             for r in _rows(tmp_path / "d", s)]
    assert len(lines) == len(set(lines))


def test_manifest_hashes_match_the_files(runs, tmp_path):
    for fmt in ("openai", "trl", "sharegpt", "parquet"):
        out = tmp_path / fmt
        result = export_run(runs[0], out, fmt=fmt, val_fraction=0.3, max_rows_per_shard=5)
        manifest = json.loads((out / "manifest.json").read_text())
        assert manifest == json.loads(json.dumps(result.manifest))
        listed = {f["path"] for f in manifest["files"]}
        on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} - {"manifest.json"}
        assert listed == on_disk and "README.md" in listed
        for f in manifest["files"]:
            data = (out / f["path"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == f["sha256"] and len(data) == f["bytes"]
        c = manifest["counts"]
        assert c["train"] + c["validation"] == c["exported"] == 18 and c["kept_episodes"] == 18
        assert sum(f.get("rows", 0) for f in manifest["files"]) == 18
        assert {d: sum(v.values()) for d, v in c["per_domain"].items()} == {"mock": 3, "retail": 9, "telecom": 6}
        assert manifest["writ_version"] and manifest["format"] == fmt and manifest["seeds"]["split"] == 0
        assert manifest["runs"][0]["config"]["agent"] == {"spec": "scripted", "seed": 0}


def test_an_output_directory_is_only_replaced_with_force(runs, tmp_path):
    out = tmp_path / "p"
    export_run(runs[0], out, fmt="parquet", val_fraction=0.3, max_rows_per_shard=2)
    many = sorted(p.name for p in (out / "data").iterdir())
    with pytest.raises(ExportError, match="not empty; pass --force"):
        export_run(runs[0], out, fmt="parquet")
    export_run(runs[0], out, fmt="parquet", val_fraction=0.3, max_rows_per_shard=100, overwrite=True)
    assert len(many) > 2 and sorted(p.name for p in (out / "data").iterdir()) == [
        "train-00000-of-00001.parquet", "validation-00000-of-00001.parquet"]
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(ExportError, match="refusing to replace"):
        export_run(runs[0], other, fmt="openai", overwrite=True)
    assert (other / "notes.txt").read_text() == "mine"

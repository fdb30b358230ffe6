"""Loading a ``trl`` export as a `datasets.Dataset` that renders exactly as it was written.

A plain ``load_dataset("json", ...)`` with a `datasets` that predates its `Json` feature turns every
list of objects into one Arrow struct type: each tool's ``arguments``, each tool schema and each
message gets *every* key any row has, the missing ones filled with ``null``. A chat template then
renders ``{"order_id": "#W1", "reason": null, "user_id": null, ...}`` for a call that had one
argument, or fails on a key whose type differs between tools. Stripping every null afterwards is no
cure: some nulls are real (a schema's ``"default": null``). Recent `datasets` releases fall back to
JSON values where keys differ, but which columns they pick depends on the rows they happen to see.

`load_trl` avoids the union instead of repairing it. With a `datasets` that has the `Json`
feature, messages and tools are stored as JSON values, so each row keeps its own keys, exactly,
through ``map``, ``shuffle`` and ``save_to_disk``. With an older `datasets`, they are stored as JSON
strings and decoded on access by a transform (``with_transform``): indexing, iteration and ``map``
see the decoded rows, but ``save_to_disk`` keeps the strings.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["load_trl", "read_jsonl"]

_CONVERSATION = ("messages", "tools")
_STRINGS = ("id", "task_id", "stem", "domain", "behaviours")
_INTS = ("n_writes", "evidence", "turns", "tokens")


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Every row of a JSONL file, exactly as written."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _file(path_or_dir: str | Path, split: str) -> Path:
    path = Path(path_or_dir)
    if path.is_dir():
        path = path / f"{split}.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such trl export file")
    return path


def _features(rows: list[dict[str, Any]], json_feature: Any, sequence: Any, value: Any, features: Any) -> Any:
    spec: dict[str, Any] = {}
    for key in (rows[0] if rows else {"messages": [], "tools": []}):
        if key in _CONVERSATION:
            spec[key] = sequence(json_feature())
        elif key in _STRINGS:
            spec[key] = value("string")
        elif key in _INTS:
            spec[key] = value("int64")
        else:
            spec[key] = json_feature()
    return features(spec)


def _decode(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {k: ([json.loads(v) for v in column] if k in _CONVERSATION else column) for k, column in batch.items()}


def load_trl(path_or_dir: str | Path, split: str = "train", *, json_feature: bool | None = None):
    """The ``trl`` export's `split` (or one JSONL file) as a `datasets.Dataset`, rows exactly as written.

    `path_or_dir` is an export directory (``<split>.jsonl`` is read) or a JSONL file. Every row has
    ``messages`` and ``tools`` ready for ``tokenizer.apply_chat_template(messages, tools=tools)``
    and SFTTrainer, plus scalar metadata columns. `json_feature` forces (True) or avoids (False)
    the `datasets.Json` storage; by default it is used when available.
    """
    try:
        import datasets
    except ImportError:
        raise RuntimeError("load_trl needs the datasets library: pip install 'writ[export]'") from None
    rows = read_jsonl(_file(path_or_dir, split))
    sequence = getattr(datasets, "List", None) or datasets.Sequence
    has_json = hasattr(datasets, "Json")
    if json_feature is None:
        json_feature = has_json
    if json_feature and not has_json:
        raise RuntimeError(f"datasets {datasets.__version__} has no Json feature")
    if json_feature:
        features = _features(rows, datasets.Json, sequence, datasets.Value, datasets.Features)
        return datasets.Dataset.from_list(rows, features=features, split=datasets.Split(split))
    encoded = [{k: (json.dumps(v, ensure_ascii=False) if k in _CONVERSATION else v) for k, v in row.items()}
               for row in rows]
    stored = datasets.Dataset.from_list(encoded, split=datasets.Split(split))
    return stored.with_transform(_decode)

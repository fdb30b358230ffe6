"""Parquet shards in the Hugging Face Hub layout: ``data/<split>-00000-of-0000N.parquet``.

Conversations and tool schemas are stored as JSON *strings* (``messages``, ``tools``), not as
Arrow structs: Arrow would unify every tool's argument object and every schema into one struct
type, fill each missing key with null and reject a key whose type differs between tools. A string
column round-trips exactly and any reader can ``json.loads`` it. Beside them sit scalar columns
(task, domain, axes, behaviours, turns, tokens) for filtering without parsing. The messages are in
OpenAI's fine-tuning form (see `writ.export.formats`).

The schema is fixed, so shards written at different times always concatenate.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from writ.export.formats import metadata, openai_messages
from writ.export.records import TrainingRecord

__all__ = ["SCHEMA_FIELDS", "parquet_row", "shard_names", "write_shards"]

SCHEMA_FIELDS = (
    ("id", "string"), ("task_id", "string"), ("stem", "string"), ("domain", "string"), ("n_writes", "int64"),
    ("evidence", "int64"), ("behaviours", "string"), ("turns", "int64"), ("tokens", "int64"),
    ("messages", "string"), ("tools", "string"),
)


def parquet_row(record: TrainingRecord) -> dict[str, Any]:
    return {**metadata(record), "messages": json.dumps(openai_messages(record), ensure_ascii=False),
            "tools": json.dumps(record.tools, ensure_ascii=False)}


def shard_names(split: str, rows: int, max_rows: int) -> list[str]:
    """``data/train-00000-of-00002.parquet`` ...: one name per shard of at most `max_rows` rows."""
    n = max(1, math.ceil(rows / max_rows))
    return [f"data/{split}-{i:05d}-of-{n:05d}.parquet" for i in range(n)]


def _schema():
    import pyarrow as pa

    return pa.schema([(name, getattr(pa, kind)()) for name, kind in SCHEMA_FIELDS])


def write_shards(out: Path, split: str, rows: list[dict[str, Any]], max_rows: int) -> list[tuple[Path, int]]:
    """Write `rows` as shards under ``out/data``; returns (path, rows) per shard."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise RuntimeError("the parquet format needs pyarrow: pip install 'writ[export]'") from None
    schema = _schema()
    written = []
    for i, name in enumerate(shard_names(split, len(rows), max_rows)):
        chunk = rows[i * max_rows:(i + 1) * max_rows]
        table = pa.Table.from_pylist(chunk, schema=schema)
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, path, compression="zstd")
        written.append((path, len(chunk)))
    return written

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

__all__ = ["SCHEMA_FIELDS", "ShardWriter", "parquet_row", "shard_names", "write_shards"]

BATCH_ROWS = 1_000  # rows held in memory before they are written out as one row group

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


class ShardWriter:
    """Rows of one split, added one at a time, written as the shards `names` (rolling over at `max_rows`).

    At most `BATCH_ROWS` rows are held in memory: each batch becomes a row group of the current
    shard, so an export of any size streams.
    """

    def __init__(self, out: Path, names: list[str], max_rows: int):
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise RuntimeError("the parquet format needs pyarrow: pip install 'writ[export]'") from None
        self.out, self.names, self.max_rows = out, names, max_rows
        self.schema = _schema()
        self.shard = -1
        self.rows_in_shard = 0
        self.batch: list[dict[str, Any]] = []
        self.writer: Any = None
        self.written: list[tuple[Path, int]] = []

    def _flush(self) -> None:
        if self.batch:
            import pyarrow as pa

            self.writer.write_table(pa.Table.from_pylist(self.batch, schema=self.schema))
            self.batch = []

    def _next_shard(self) -> None:
        import pyarrow.parquet as pq

        self._close_shard()
        self.shard += 1
        path = self.out / self.names[self.shard]
        path.parent.mkdir(parents=True, exist_ok=True)
        self.writer = pq.ParquetWriter(path, self.schema, compression="zstd")
        self.written.append((path, 0))
        self.rows_in_shard = 0

    def _close_shard(self) -> None:
        if self.writer is not None:
            self._flush()
            self.writer.close()
            path, _ = self.written[-1]
            self.written[-1] = (path, self.rows_in_shard)
            self.writer = None

    def add(self, row: dict[str, Any]) -> None:
        if self.writer is None or self.rows_in_shard >= self.max_rows:
            self._next_shard()
        self.batch.append(row)
        self.rows_in_shard += 1
        if len(self.batch) >= BATCH_ROWS:
            self._flush()

    def close(self) -> list[tuple[Path, int]]:
        self._close_shard()
        return self.written

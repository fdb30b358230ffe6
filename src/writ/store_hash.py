"""Incremental computation of the canonical fingerprint of a copy-on-write store.

The fingerprint is defined over the whole database (`writ.fingerprint`), so an episode that
changed one order still needs a SHA-256 over every byte of the canonical JSON. What it does not
need is to re-serialize the unchanged records, nor to re-hash everything *before* the first
change: per loaded base we keep each record's canonical bytes and SHA-256 states checkpointed
every `STRIDE` records, so a fingerprint costs one hash state copy, the bytes from the first
changed record on, and the serialization of the changed records only.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left
from typing import Any, Protocol

from writ.fingerprint import canonical, canonical_json


class Base(Protocol):
    """What the index reads of a `writ.store.Base` (a protocol, so this module does not import it)."""

    order: Any
    layout: dict[str, Any]
    tables: dict[str, Any]


__all__ = ["FingerprintIndex", "STRIDE"]

STRIDE = 32
_OPEN = {"map": (b"{", b"}"), "list": (b"[", b"]"), "doc": (b"", b"")}


class FingerprintIndex:
    """Canonical bytes and hash checkpoints of one `Base` (built lazily, then reused)."""

    def __init__(self, base: Base):
        self.base = base
        self.tables = sorted(base.order)
        self._keys: dict[str, list[str]] = {}
        self._pos: dict[str, dict[str, int]] = {}
        self._entries: dict[str, list[bytes]] = {}
        self._bytes: dict[str, bytes] = {}
        self._checkpoints: dict[str, list[Any]] = {}
        self._full: str | None = None

    # -- per-table canonical pieces -----------------------------------------------------------------
    def _kind(self, table: str) -> str:
        return self.base.layout[table].kind

    def entry(self, table: str, key: str, record: Any) -> bytes:
        text = canonical_json(canonical(record))
        if self._kind(table) == "map":
            text = json.dumps(key, ensure_ascii=False) + ":" + text
        return text.encode("utf-8")

    def keys(self, table: str) -> list[str]:
        if table not in self._keys:
            records = self.base.tables[table]
            self._keys[table] = sorted(records) if self._kind(table) == "map" else list(records)
            self._pos[table] = {k: i for i, k in enumerate(self._keys[table])}
        return self._keys[table]

    def entries(self, table: str) -> list[bytes]:
        if table not in self._entries:
            records = self.base.tables[table]
            self._entries[table] = [self.entry(table, k, records[k]) for k in self.keys(table)]
        return self._entries[table]

    def head(self, table: str) -> bytes:
        sep = b"," if self.tables.index(table) else b""
        return sep + (json.dumps(table, ensure_ascii=False) + ":").encode() + _OPEN[self._kind(table)][0]

    def table_bytes(self, table: str) -> bytes:
        if table not in self._bytes:
            self._bytes[table] = self.head(table) + b",".join(self.entries(table)) + _OPEN[self._kind(table)][1]
        return self._bytes[table]

    def checkpoints(self, table: str) -> list[Any]:
        """Hash states just before entry ``c * STRIDE`` of `table` (its separator included)."""
        if table not in self._checkpoints:
            state = hashlib.sha256(b"{")
            for earlier in self.tables[: self.tables.index(table)]:
                state.update(self.table_bytes(earlier))
            state.update(self.head(table))
            marks = []
            for j, entry in enumerate(self.entries(table)):
                if j:
                    state.update(b",")
                if j % STRIDE == 0:
                    marks.append(state.copy())
                state.update(entry)
            self._checkpoints[table] = marks or [state.copy()]
        return self._checkpoints[table]

    # -- fingerprints --------------------------------------------------------------------------------
    def full(self) -> str:
        if self._full is None:
            h = hashlib.sha256(b"{")
            for table in self.tables:
                h.update(self.table_bytes(table))
            h.update(b"}")
            self._full = h.hexdigest()
        return self._full

    def _changed_entries(self, table: str, changed: dict[str, Any]) -> tuple[list[bytes], int]:
        """The table's entries with `changed` applied, and the index of the first changed entry."""
        keys, entries = self.keys(table), self.entries(table)
        pos = self._pos[table]
        if self._kind(table) == "doc":
            return [self.entry(table, k, changed[k]) for k in changed], 0
        new = [k for k in changed if k not in pos]
        if not new or self._kind(table) == "list":
            out = list(entries)
            first = len(out)
            for key, record in changed.items():
                if key in pos:
                    out[pos[key]] = self.entry(table, key, record)
                    first = min(first, pos[key])
            for key in new:  # list tables append new records at the end, in insertion order
                out.append(self.entry(table, key, changed[key]))
            return out, first
        merged = sorted(keys + new)
        out = [self.entry(table, k, changed[k]) if k in changed else entries[pos[k]] for k in merged]
        first = min(bisect_left(merged, k) for k in changed)
        return out, first

    def fingerprint(self, changes: dict[str, dict[str, Any]]) -> str:
        touched = [t for t in self.tables if changes.get(t)]
        if not touched:
            return self.full()
        start = touched[0]
        entries, first = self._changed_entries(start, changes[start])
        c = min(first // STRIDE, len(self.checkpoints(start)) - 1)
        h = self.checkpoints(start)[c].copy()
        h.update(b",".join(entries[c * STRIDE:]))
        h.update(_OPEN[self._kind(start)][1])
        for table in self.tables[self.tables.index(start) + 1:]:
            if changes.get(table):
                rest, _ = self._changed_entries(table, changes[table])
                h.update(self.head(table) + b",".join(rest) + _OPEN[self._kind(table)][1])
            else:
                h.update(self.table_bytes(table))
        h.update(b"}")
        return h.hexdigest()

"""Copy-on-write database state: one loaded database, thousands of cheap episodes.

A `Base` holds the loaded database as plain JSON data and is never mutated after loading. A
`Store` is one episode's view of it: reads fall through to the base, and the first write to a
record copies just that record into the store's overlay. Forking a store copies only the overlay,
so fork cost and memory per live episode follow what the episode changed, not the database size.

A database is a dict of top-level *tables*, each of one shape:

* ``map``: ``{key: record}`` (retail orders, airline flights),
* ``list``: ``[record, ...]`` whose records carry a unique id field (telecom lines, bills),
* ``doc``: a single record (the telecom phone, the user's surroundings).

Records are handed out by reference: a tool must call `Store.edit` before changing one, never
mutate what `Store.get` returned. The conformance check catches any tool that does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from writ.fingerprint import canonical
from writ.store_hash import FingerprintIndex

__all__ = ["Base", "Shape", "Store", "clone"]

DOC_KEY = ""


def clone(value: Any) -> Any:
    """Deep copy of plain JSON data (much faster than `copy.deepcopy` for this case)."""
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clone(v) for v in value]
    return value


@dataclass(frozen=True)
class Shape:
    """How one top-level table is laid out: ``map``, ``list`` (with `id_field`) or ``doc``."""

    kind: str
    id_field: str | None = None


class Base:
    """An immutable loaded database, shared by every store forked from it."""

    def __init__(self, data: dict[str, Any], layout: dict[str, Shape], name: str = "DB"):
        self.name = name
        self.layout = dict(layout)
        self.order = list(data.keys())
        self.tables: dict[str, dict[str, Any]] = {}
        for table, value in data.items():
            shape = layout.get(table)
            if shape is None:
                raise ValueError(f"{name}: unexpected top-level key {table!r}")
            self.tables[table] = _as_table(table, value, shape)
        self._record_ids: set[int] | None = None
        self._rendered: dict[int, str] = {}
        self._fingerprint_index: FingerprintIndex | None = None
        # Read-only resources that come with the data but are not database state (banking's
        # knowledge base and its search indexes); never dumped or fingerprinted.
        self.attachments: dict[str, Any] = {}
        # results derived from this database (e.g. gold replays), living and dying with it
        self.memo: dict[str, Any] = {}

    def store(self) -> Store:
        return Store(self)

    def render(self, value: Any, render: Any) -> str:
        """`render(value)`, memoized when `value` is one of this base's (immutable) records.

        Reads of unchanged records dominate synthesis, and serializing a record costs more than
        everything else in a tool call; thousands of episodes read the same records.
        """
        key = id(value)
        text = self._rendered.get(key)
        if text is None:
            text = render(value)
            if self._record_ids is None:
                self._record_ids = {id(r) for t in self.tables.values() for r in t.values()}
            if key in self._record_ids:
                self._rendered[key] = text
        return text

    @property
    def fingerprint_index(self) -> FingerprintIndex:
        if self._fingerprint_index is None:
            self._fingerprint_index = FingerprintIndex(self)
        return self._fingerprint_index


def _as_table(table: str, value: Any, shape: Shape) -> dict[str, Any]:
    if shape.kind == "map":
        if not isinstance(value, dict):
            raise ValueError(f"table {table!r} must be an object")
        return dict(value)
    if shape.kind == "list":
        if not isinstance(value, list):
            raise ValueError(f"table {table!r} must be a list")
        out: dict[str, Any] = {}
        for record in value:
            key = record.get(shape.id_field) if isinstance(record, dict) else None
            if not isinstance(key, str):
                raise ValueError(f"table {table!r}: record without a string {shape.id_field!r}")
            if key in out:
                raise ValueError(f"table {table!r}: duplicate {shape.id_field} {key!r}")
            out[key] = record
        return out
    if shape.kind == "doc":
        return {DOC_KEY: value}
    raise ValueError(f"unknown table shape {shape.kind!r}")


class Store:
    """One episode's mutable view of a `Base` (copy-on-write per record)."""

    __slots__ = ("base", "_changes", "scratch")

    def __init__(self, base: Base, changes: dict[str, dict[str, Any]] | None = None,
                 scratch: dict[str, Any] | None = None):
        self.base = base
        self._changes: dict[str, dict[str, Any]] = changes if changes is not None else {}
        # Per-episode hidden state that is not part of the database (never dumped or fingerprinted),
        # e.g. tau2's process-wide VPN details object, emulated per episode. Forks copy it.
        self.scratch: dict[str, Any] = scratch if scratch is not None else {}

    @property
    def name(self) -> str:
        return self.base.name

    def _table(self, table: str) -> dict[str, Any]:
        try:
            return self.base.tables[table]
        except KeyError:
            # tau2 reaches tables as attributes of a typed DB object; mirror its error text.
            raise AttributeError(f"'{self.base.name}' object has no attribute '{table}'") from None

    # -- reading -------------------------------------------------------------------------------
    def get(self, table: str, key: str = DOC_KEY) -> Any:
        """The record, or None. Read-only: call `edit` before changing it."""
        changed = self._changes.get(table)
        if changed is not None and key in changed:
            return changed[key]
        return self._table(table).get(key)

    def has(self, table: str, key: str) -> bool:
        changed = self._changes.get(table)
        return (changed is not None and key in changed) or key in self._table(table)

    def keys(self, table: str) -> Iterator[str]:
        base = self._table(table)
        yield from base
        changed = self._changes.get(table)
        if changed:
            yield from (k for k in changed if k not in base)

    def values(self, table: str) -> Iterator[Any]:
        base = self._table(table)
        changed = self._changes.get(table)
        if not changed:
            yield from base.values()
            return
        for k, v in base.items():
            yield changed.get(k, v)
        yield from (v for k, v in changed.items() if k not in base)

    def items(self, table: str) -> Iterator[tuple[str, Any]]:
        for key in self.keys(table):
            yield key, self.get(table, key)

    def count(self, table: str) -> int:
        base = self._table(table)
        changed = self._changes.get(table)
        return len(base) + (sum(1 for k in changed if k not in base) if changed else 0)

    # -- writing -------------------------------------------------------------------------------
    def edit(self, table: str, key: str = DOC_KEY) -> Any:
        """A private, mutable copy of the record (KeyError if it does not exist)."""
        changed = self._changes.setdefault(table, {})
        record = changed.get(key)
        if record is None:
            record = changed[key] = clone(self._table(table)[key])
        return record

    def put(self, table: str, key: str, record: Any) -> None:
        """Insert or replace a record; new keys go last, as in a Python dict."""
        self._table(table)
        self._changes.setdefault(table, {})[key] = record

    # -- episodes ------------------------------------------------------------------------------
    def fork(self) -> Store:
        return Store(self.base, {t: {k: clone(v) for k, v in recs.items()} for t, recs in self._changes.items()},
                     clone(self.scratch))

    def reset(self) -> None:
        self._changes.clear()
        self.scratch.clear()

    def changed_records(self) -> int:
        return sum(len(recs) for recs in self._changes.values())

    def dump(self) -> dict[str, Any]:
        """The whole database as plain JSON data (a fresh copy)."""
        out: dict[str, Any] = {}
        for table in self.base.order:
            shape = self.base.layout[table]
            if shape.kind == "map":
                out[table] = {k: clone(v) for k, v in self.items(table)}
            elif shape.kind == "list":
                out[table] = [clone(v) for v in self.values(table)]
            else:
                out[table] = clone(self.get(table))
        return out

    def same_state(self, other: Store) -> bool:
        """Whether the two stores have equal fingerprints, comparing only what either one changed.

        Two episodes of one loaded base differ only where they wrote, so verification compares
        those records canonically instead of hashing the whole database twice.
        """
        if self.base is not other.base:
            return self.fingerprint() == other.fingerprint()
        for table in set(self._changes) | set(other._changes):
            mine, theirs = self._changes.get(table, {}), other._changes.get(table, {})
            if self.base.layout[table].kind == "list" and any(
                    k not in self.base.tables[table] for k in (*mine, *theirs)):
                if list(self.keys(table)) != list(other.keys(table)):  # appended records keep their order
                    return False
            for key in set(mine) | set(theirs):
                if canonical(self.get(table, key)) != canonical(other.get(table, key)):
                    return False
        return True

    def fingerprint(self) -> str:
        """Equal to `writ.fingerprint.fingerprint(self.dump())`, re-serializing only changed records."""
        return self.base.fingerprint_index.fingerprint(self._changes)

"""The canonical state fingerprint.

Two implementations of a domain (writ's and tau2-bench's, or two versions of writ) agree on a
database state exactly when their fingerprints agree, so the definition is deliberately
implementation-neutral: plain JSON data, nulls dropped (absent and null mean the same thing),
every number compared as a float to six decimals (so ``2`` and ``2.0`` are one state), keys sorted.

`Store.fingerprint` computes the same value incrementally; `fingerprint` here is the reference
that tests compare it against.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

__all__ = ["canonical", "canonical_json", "fingerprint"]


def canonical(value: Any) -> Any:
    """Return `value` in canonical form: null dict values dropped, numbers as rounded floats."""
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return round(float(value), 6)
    raise TypeError(f"not plain JSON data: {type(value).__name__}")


def canonical_json(value: Any) -> str:
    """The canonical serialization of already-canonical `value` (sorted keys, compact, UTF-8)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def fingerprint(data: Any) -> str:
    """SHA-256 hex digest of the canonical JSON of plain JSON `data`."""
    return hashlib.sha256(canonical_json(canonical(data)).encode("utf-8")).hexdigest()

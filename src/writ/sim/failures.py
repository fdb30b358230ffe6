"""Which failed episodes a rerun tries again: transient failures yes, the model's own failures no.

An episode that failed because the model server was down, timed out, rate-limited the run,
answered 5xx, or refused a wrong key (401/403) says nothing about the model: once the server is
back (or the key fixed) the same episode may well succeed, so running the same command again
simulates it again, with the same seed and attempt number, as if the outage had never been. An
episode that failed because of what the model did (a context overflow, an oversized or malformed
answer, a conversation that ran out of steps or tool errors, a rejected trajectory) would fail the
same way again and is kept: rerunning it would only spend money.

The class is recorded with the episode (``meta["failure"]``) when it happens, from the model
error's own type (`writ.core.ModelFailure.transient`). Episodes stored by an older writ carry no
class; for them the stored error text is read (``EndpointUnavailable: ...``, ``HTTP 503``).
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["PERMANENT", "TRANSIENT", "failure_class"]

TRANSIENT = "transient"
PERMANENT = "permanent"
_MODEL_FAILURES = ("agent_error", "user_error")
_TRANSIENT_TEXT = re.compile(r"^EndpointUnavailable:|\bHTTP (401|403|404|408|409|425|429|5\d\d)\b")


def failure_class(termination: str, error: str, meta: Any) -> str | None:
    """``"transient"``, ``"permanent"`` or None (the episode did not fail on a model error)."""
    if isinstance(meta, str):
        try:
            meta = json.loads(meta)
        except ValueError:
            meta = {}
    recorded = meta.get("failure") if isinstance(meta, dict) else None
    if recorded in (TRANSIENT, PERMANENT):
        return recorded
    if termination not in _MODEL_FAILURES:
        return None
    return TRANSIENT if _TRANSIENT_TEXT.search(error or "") else PERMANENT

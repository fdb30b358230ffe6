"""Named points where a test can kill writ with SIGKILL, to prove that every moment is recoverable.

``WRIT_FAILPOINT=export:3`` kills the process (``kill -9``, no clean-up of any kind) the third time
it passes the point named ``export``; without a count, the first time. Unset (always, outside
tests) a failpoint costs one dictionary lookup. Kills at random moments are tested too; named
points reach the moments a random kill hits too rarely to rely on (between two renames).
"""

from __future__ import annotations

import os
import signal

__all__ = ["failpoint"]

_hits: dict[str, int] = {}


def failpoint(name: str) -> None:
    """SIGKILL this process if ``WRIT_FAILPOINT`` names `name` (and this is the chosen pass)."""
    wanted = os.environ.get("WRIT_FAILPOINT")
    if not wanted:
        return
    point, _, count = wanted.rpartition(":") if wanted.rsplit(":", 1)[-1].isdigit() else (wanted, "", "1")
    if point != name:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] >= int(count or 1):
        os.kill(os.getpid(), signal.SIGKILL)

"""Why episodes were rejected: per verifier, how often, its most common reasons, an example episode.

"user_stop rejected x9" says only that nine conversations ended and were still not kept; what
the person running writ needs is which verifier said no and why ("protocol x6: message N:
cancel_pending_order without the user's explicit confirmation"), with an episode to open. One
tally serves the summaries of `writ simulate` and `writ synth` and the report.

Reasons name the episode's own details (message indexes, ids, amounts), so they are grouped by a
pattern with those details replaced (numbers by ``N``, quoted text by ``'...'``); the example keeps
one full reason and the episode (``task_id#attempt``) it came from.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["RejectionTally", "VerifierRejections", "failed_checks", "reason_pattern", "rejection_lines", "tally_store"]

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBER = re.compile(r"\$?\d+(?:[.,]\d+)*")


def reason_pattern(reason: str) -> str:
    """A reason with its episode-specific details replaced, so that alike reasons count together."""
    return _NUMBER.sub("N", _QUOTED.sub("'...'", reason or "")).strip()[:160] or "(no reason given)"


def failed_checks(verdicts: dict[str, Any]) -> list[tuple[str, str]]:
    """(check, reason) of every failed check: `verify_episode`'s verdict, or a judge's flat booleans
    (`hash_judge`: ``{"db": False, ...}``, reason-less)."""
    checks = verdicts.get("checks")
    if isinstance(checks, dict):
        return [(name, str(check.get("reason") or "")) for name, check in checks.items()
                if isinstance(check, dict) and not check.get("passed", False)]
    return [(key, "") for key, value in verdicts.items() if key != "passed" and value is False]


@dataclass
class VerifierRejections:
    """One verifier's rejections: count, reasons by pattern, and one example episode with its reason."""

    verifier: str
    count: int = 0
    reasons: Counter = field(default_factory=Counter)
    example: str = ""  # task_id#attempt
    example_reason: str = ""

    def to_json(self, top: int = 3) -> dict[str, Any]:
        return {"count": self.count, "reasons": dict(self.reasons.most_common(top)), "example": self.example,
                "example_reason": self.example_reason}


@dataclass
class RejectionTally:
    """Rejections of conversations that ended on their own (cut-off and crashed ones are counted
    by their termination elsewhere: their fix is a limit or an endpoint, not the agent)."""

    by_verifier: dict[str, VerifierRejections] = field(default_factory=dict)
    episodes: int = 0  # rejected episodes tallied

    def add(self, episode_id: str, verdicts: dict[str, Any]) -> None:
        """Count one rejected episode by its judge's verdicts."""
        self.add_failures(episode_id, failed_checks(verdicts))

    def add_failures(self, episode_id: str, failures: Iterable[tuple[str, str]]) -> None:
        """Count one rejected episode by its failed (check, reason) pairs."""
        self.episodes += 1
        for name, reason in list(failures) or [("(no verdict)", "")]:
            entry = self.by_verifier.setdefault(name, VerifierRejections(name))
            entry.count += 1
            entry.reasons[reason_pattern(reason) if reason else "(no reason given)"] += 1
            if not entry.example:
                entry.example, entry.example_reason = episode_id, reason

    def ranked(self) -> list[VerifierRejections]:
        return sorted(self.by_verifier.values(), key=lambda v: (-v.count, v.verifier))

    def to_json(self, top: int = 3) -> dict[str, Any]:
        return {v.verifier: v.to_json(top) for v in self.ranked()}

    def lines(self, top: int = 2) -> list[str]:
        return rejection_lines(self.to_json(top), top)


def rejection_lines(tally: dict[str, Any], top: int = 2) -> list[str]:
    """``rejected by protocol x3 (e.g. episode t-1#0)`` and up to `top` reason patterns under each,
    from `RejectionTally.to_json` (what a `RunSummary` keeps)."""
    out = []
    for name, entry in tally.items():
        out.append(f"rejected by {name} x{entry['count']} (e.g. episode {entry['example']})")
        for pattern, n in list(entry["reasons"].items())[:top]:
            out.append(f"  x{n}: {pattern}")
    return out


def tally_store(conn: Any, completed: Iterable[str]) -> RejectionTally:
    """The tally of a run store's rejected episodes whose termination is one of `completed`."""
    ends = sorted(set(completed))
    tally = RejectionTally()
    rows = conn.execute(
        f"SELECT task_id, attempt, verdicts FROM episodes WHERE passed = 0 AND termination IN "
        f"({', '.join('?' for _ in ends)}) ORDER BY task_id, attempt", ends)
    for task_id, attempt, verdicts in rows:
        try:
            parsed = json.loads(verdicts)
        except (TypeError, json.JSONDecodeError):
            parsed = {}
        tally.add(f"{task_id}#{attempt}", parsed if isinstance(parsed, dict) else {})
    return tally

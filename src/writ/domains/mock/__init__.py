"""The mock domain (tau2-bench's `mock`): a minimal dual-control task tracker used to test the runtime."""

from __future__ import annotations

from pathlib import Path

from writ.core import Domain
from writ.domains.mock.generate import generate, invariants
from writ.domains.mock.schema import normalize_db, normalize_user_db
from writ.domains.mock.tools import box, user_box
from writ.store import Shape

__all__ = ["DOMAIN"]

DOMAIN = Domain(
    name="mock",
    agent=box,
    layout={"tasks": Shape("map"), "users": Shape("map")},
    db_name="MockDB",
    normalize_db=normalize_db,
    policy=(Path(__file__).parent / "policy.md").read_text(encoding="utf-8"),
    user=user_box,
    user_layout={"notifications": Shape("map")},
    user_db_name="MockUserDB",
    normalize_user_db=normalize_user_db,
    generate=generate,
    invariants=invariants,
    description="A tiny task tracker with a user-side notification inbox, for testing the runtime.",
)

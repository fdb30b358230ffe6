"""The telecom domain (tau2-bench's `telecom`): a dual-control customer-support domain.

The agent works on the carrier's records (plans, customers, lines, bills, devices: tau2 keeps each
as a list); the user operates their own simulated phone (``device`` and ``surroundings``). After
every successful call, `sync` carries the carrier's state to the phone.
"""

from __future__ import annotations

from pathlib import Path

from writ.core import Domain
from writ.domains.telecom import user_helpers  # noqa: F401  (registers the phone-side helpers)
from writ.domains.telecom.generate import generate, invariants
from writ.domains.telecom.schema import ID_FIELDS, normalize_db
from writ.domains.telecom.sync import sync
from writ.domains.telecom.tools import box
from writ.domains.telecom.user_schema import normalize_user_db
from writ.domains.telecom.user_tools import user_box
from writ.store import Shape

__all__ = ["DOMAIN"]

POLICY = (Path(__file__).parent / "policy.md").read_text(encoding="utf-8")

DOMAIN = Domain(
    name="telecom",
    agent=box,
    layout={table: Shape("list", id_field=field) for table, field in ID_FIELDS.items()},
    db_name="TelecomDB",
    normalize_db=normalize_db,
    policy=POLICY,
    user=user_box,
    user_layout={"device": Shape("doc"), "surroundings": Shape("doc")},
    user_db_name="TelecomUserDB",
    normalize_user_db=normalize_user_db,
    sync=sync,
    generate=generate,
    invariants=invariants,
    description="Mobile carrier support: billing, line suspension, roaming, data refuels, and guiding the user through "
                "fixing their own phone.",
)

"""The retail domain: an online store's customer-service agent (tau2-bench ``retail``).

The agent authenticates a user, then looks up orders, products and the profile, and cancels or
modifies pending orders, returns or exchanges delivered ones, and changes the user's default
address. There are no user-side tools and no sync hook.
"""

from __future__ import annotations

from pathlib import Path

from writ.core import Domain
from writ.domains.retail.generate import generate, invariants
from writ.domains.retail.schema import normalize_db
from writ.domains.retail.tools import box
from writ.store import Shape

__all__ = ["DOMAIN"]

POLICY = (Path(__file__).parent / "policy.md").read_text(encoding="utf-8")

DOMAIN = Domain(
    name="retail",
    agent=box,
    layout={"products": Shape("map"), "users": Shape("map"), "orders": Shape("map")},
    db_name="RetailDB",
    normalize_db=normalize_db,
    policy=POLICY,
    generate=generate,
    invariants=invariants,
    description="Online store support: look up orders and products, cancel or modify pending "
    "orders, return or exchange delivered ones, update the user's address.",
)

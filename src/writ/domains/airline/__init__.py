"""The airline domain: tau2-bench's flight booking, change and cancellation environment."""

from __future__ import annotations

from pathlib import Path

from writ.core import Domain
from writ.domains.airline.generate import generate
from writ.domains.airline.invariants import TAU2_DATA_QUIRKS, invariants
from writ.domains.airline.schema import normalize_db
from writ.domains.airline.tools import box
from writ.store import Shape

__all__ = ["DOMAIN"]

DOMAIN = Domain(
    name="airline",
    agent=box,
    layout={"flights": Shape("map"), "users": Shape("map"), "reservations": Shape("map")},
    db_name="FlightDB",
    normalize_db=normalize_db,
    policy=(Path(__file__).parent / "policy.md").read_text(encoding="utf-8"),
    generate=generate,
    invariants=invariants,
    data_quirks=TAU2_DATA_QUIRKS,
    description="Airline customer service: search flights, book, change, cancel reservations, compensate.",
)

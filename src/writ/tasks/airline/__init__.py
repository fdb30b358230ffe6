"""The airline task generator (`GENERATOR`): bookings, cancellations, flight/cabin/bag/passenger
changes, compensation certificates and information requests, composed per target cell.

Modules: `common` (policy facts on live records), `search` (flight searches and picking the one
itinerary a description names), `context` (the task under construction, locating reservations),
`book`, `modify`, `change`, `extras` (the families), `planner` (composition), `policy` (the
policy check the driver runs before every gold write), `wording` (offline templates).
"""

from __future__ import annotations

import random

from writ.core import Environment
from writ.data import DomainData
from writ.task import Action
from writ.tasks.airline.planner import compose
from writ.tasks.airline.policy import policy_violation
from writ.tasks.axes import Cell
from writ.tasks.draft import TaskDraft

__all__ = ["GENERATOR", "AirlineGenerator"]


class AirlineGenerator:
    domain = "airline"

    def draft(self, data: DomainData, cell: Cell, rng: random.Random) -> TaskDraft:
        return compose(data, cell, rng)

    def policy_violation(self, env: Environment, action: Action) -> str | None:
        return policy_violation(env, action)


GENERATOR = AirlineGenerator()

"""The state of one task under construction: the user, what the agent has read, what was written.

`Ctx` wraps a `TaskDraft` for one airline user. Families ask it to authenticate, to locate a
reservation (by the id the user gives, or by a description over all the user's reservations,
which costs one read per reservation), to describe payment methods, and to record requests with
their frames (what the customer can state, `writ.tasks.airline.selectors` for reservation specs).
Descriptions are spec dicts, so the uniqueness re-check evaluates exactly the same selection on a
fresh environment, and the scripted teacher resolves them with the same code over what it read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from writ.core import Environment
from writ.tasks.airline import wording
from writ.tasks.airline.common import add_check, user_of, user_reservations
from writ.tasks.airline.selectors import Ambiguous, find_method, find_reservation
from writ.tasks.draft import DraftError, TaskDraft


def spec_options(reservation: dict) -> dict[str, dict[str, Any]]:
    """The descriptions that could point at `reservation` (each still to be proven unique)."""
    first = reservation["flights"][0]
    return {
        "route": {"kind": "route", "origin": reservation["origin"], "destination": reservation["destination"]},
        "to": {"kind": "to", "destination": reservation["destination"]},
        "date": {"kind": "date", "date": first["date"]},
        "route_date": {"kind": "route_date", "origin": reservation["origin"], "destination": reservation["destination"],
                       "date": first["date"]},
        "recent": {"kind": "recent"},
        "most_pax": {"kind": "most_pax"},
        "cabin": {"kind": "cabin", "cabin": reservation["cabin"]},
        "type": {"kind": "type", "flight_type": reservation["flight_type"]},
        "today": {"kind": "today"},
    }


def resolves(env: Environment, user_id: str, spec: dict[str, Any], rid: str) -> bool:
    try:
        return find_reservation(env.db, user_id, spec) == rid
    except Ambiguous:
        return False


def phrase(spec: dict[str, Any], rng) -> str:
    """First-person-template phrase ({my}, {I}) for a description (tau2's instruction text)."""
    kind = spec["kind"]
    if kind == "id":
        return rng.choice((f"reservation {spec['id']}", f"{{my}} reservation {spec['id']}", f"booking {spec['id']}"))
    if kind == "same":
        return rng.choice(("that same reservation", "that same booking"))
    if kind == "recent":
        return rng.choice(("the reservation {I} booked most recently", "{my} most recent booking"))
    if kind == "most_pax":
        return rng.choice(("{my} upcoming trip with the most passengers",
                           "the upcoming booking with the most travellers"))
    if kind == "segment":
        return (f"{{my}} reservation with the flight from {wording.place(spec['origin'], rng)} to "
                f"{wording.place(spec['destination'], rng)} on {wording.day(spec['date'], rng)}")
    if kind == "today":
        return "{my} trip with a flight today"
    if kind == "route":
        origin, destination = wording.place(spec["origin"], rng), wording.place(spec["destination"], rng)
        return rng.choice((f"{{my}} upcoming trip from {origin} to {destination}",
                           f"{{my}} {origin} to {destination} trip"))
    if kind == "to":
        destination = wording.place(spec["destination"], rng)
        return rng.choice((f"{{my}} upcoming trip to {destination}", f"{{my}} upcoming {destination} trip"))
    if kind == "date":
        when = wording.day(spec["date"], rng)
        return rng.choice((f"{{my}} trip that departs on {when}",
                           f"the upcoming reservation whose first flight is on {when}"))
    if kind == "route_date":
        return (f"{{my}} trip from {wording.place(spec['origin'], rng)} to {wording.place(spec['destination'], rng)} "
                f"leaving {wording.day(spec['date'], rng)}")
    if kind == "cabin":
        return rng.choice((f"{{my}} upcoming {wording.cabin_name(spec['cabin'])} trip",
                           f"the only {wording.cabin_name(spec['cabin'])} reservation {{I}} {{have}} coming up"))
    return f"{{my}} only upcoming {'round trip' if spec['flight_type'] == 'round_trip' else 'one-way trip'}"


@dataclass
class Option:
    """One request a family can make now: its evidence (hardest write), writes, and how to run it."""

    family: str
    evidence: int
    writes: int
    run: Callable[[], None]
    weight: float = 1.0


class Ctx:
    def __init__(self, draft: TaskDraft, user_id: str):
        self.draft = draft
        self.rng = draft.rng
        self.env = draft.env
        self.uid = user_id
        self.booked: list[str] = []  # reservations booked in this task, in order
        self.written: list[str] = []  # reservations the agent wrote (their state is known)
        self.last: str | None = None  # the reservation the latest write was about ("that same reservation")
        self.done: set[tuple[str, str]] = set()  # (family, reservation id) already used
        self.told: set[str] = set()  # ids the user states
        self.secret: set[str] = set()  # ids the user must not know
        self.balances: dict[str, Any] = {}  # balances the agent saw when authenticating
        self.certificates: list[int] = []  # amounts of the certificates sent in this task
        self.statuses: dict[tuple[str, str], str] = {}  # flight statuses read in this task
        self.airports_read = False  # whether the agent has listed the airports (to map cities to codes)
        self._descs: dict[tuple, list[dict[str, Any]]] = {}

    # -- records --------------------------------------------------------------------------------
    @property
    def user(self) -> dict:
        return user_of(self.env, self.uid)

    def reservations(self) -> list[dict]:
        return user_reservations(self.env, self.uid)

    @property
    def reservation_count(self) -> int:
        return len(self.user["reservations"])

    @property
    def writes(self) -> int:
        return len(self.draft.writes)

    def authenticate(self) -> None:
        user = self.user
        name = f"{user['name']['first_name']} {user['name']['last_name']}"
        self.draft.read("get_user_details", {"user_id": self.uid}, evidence=False)
        self.balances = {method_id: method.get("amount") for method_id, method in user["payment_methods"].items()}
        self.draft.facts["auth"] = {"method": "user_id", "user_id": self.uid}
        self.draft.facts["auth_action"] = len(self.draft.actions) - 1
        self.draft.facts["name"] = name
        self.draft.known_info.append(f"You are {name}. Your user id is {self.uid}.")

    # -- locating a reservation -----------------------------------------------------------------
    def descriptions(self, rid: str, kinds: tuple[str, ...]) -> list[dict[str, Any]]:
        """Descriptions among `kinds` that single out reservation `rid` right now."""
        reservation = self.env.db.get("reservations", rid)
        candidates = spec_options(reservation)
        if self.booked:  # "most recent" would be ambiguous once the user has booked during the call
            candidates.pop("recent")
        # a tau2 data quirk: the route would not describe the trip
        if reservation["origin"] == reservation["destination"]:
            for kind in ("route", "to", "route_date"):
                candidates.pop(kind)
        out = [candidates[kind] for kind in kinds if kind in candidates
               and resolves(self.env, self.uid, candidates[kind], rid)]
        if "segment" in kinds:
            for segment in reservation["flights"]:
                spec = {"kind": "segment", "origin": segment["origin"], "destination": segment["destination"],
                        "date": segment["date"]}
                if resolves(self.env, self.uid, spec, rid):
                    out.append(spec)
        return out

    def can_describe(self, rid: str) -> bool:
        return rid not in self.told

    def can_name(self, rid: str) -> bool:
        return rid not in self.secret

    def locate(self, rid: str, mode: str, spec: dict[str, Any] | None = None, *,
               evidence: bool = True) -> tuple[str, dict[str, Any]]:
        """Run the reads that find reservation `rid`: (first-person phrase, the frame's reservation spec)."""
        if mode == "id":
            self.told.add(rid)
            self.draft.read("get_reservation_details", {"reservation_id": rid}, evidence=evidence)
            line = f"You know reservation id {rid}."
            if line not in self.draft.known_info:
                self.draft.known_info.append(line)
            spec = {"kind": "id", "id": rid}
            return phrase(spec, self.rng), spec
        if mode == "known":
            spec = {"kind": "same"}
            return phrase(spec, self.rng), spec
        assert spec is not None
        self.secret.add(rid)
        for other in list(self.user["reservations"]):
            self.draft.read("get_reservation_details", {"reservation_id": other})
        add_check(self.draft, "reservation",
                  lambda env, bound_spec=spec: find_reservation(env.db, self.uid, bound_spec), rid)
        self.unknown("You do not remember your reservation ids.")
        return phrase(spec, self.rng), dict(spec)

    def targets(self, rid: str, family: str, kinds: tuple[str, ...], id_cost: int) -> list[tuple]:
        """Ways to point at reservation `rid` now: (mode, description, locate evidence).

        A reservation booked earlier in this task is never a target: nothing in the scenario would
        explain changing a booking minutes after making it.
        """
        if (family, rid) in self.done or rid in self.booked:
            return []
        out: list[tuple] = []
        if self.last == rid:
            out.append(("known", None, 0))
        if self.can_name(rid):
            out.append(("id", None, id_cost))
        if self.can_describe(rid):
            key = (rid, kinds, len(self.draft.actions))
            if key not in self._descs:
                self._descs[key] = self.descriptions(rid, kinds)
            if self._descs[key]:
                out.append(("describe", self.rng.choice(self._descs[key]), self.reservation_count))
        return out

    def flight_status(self, flight_number: str, date: str, *, evidence: bool = False) -> str:
        """Read a flight's status once per task (a status never changes during a call)."""
        key = (flight_number, date)
        if key not in self.statuses:
            self.statuses[key] = self.draft.read("get_flight_status", {"flight_number": flight_number, "date": date},
                                                 evidence=evidence)
        return self.statuses[key]

    # -- wording helpers ------------------------------------------------------------------------
    def unknown(self, line: str) -> None:
        if line not in self.draft.unknown_info:
            self.draft.unknown_info.append(line)

    def instruct(self, line: str) -> None:
        if line not in self.draft.task_instructions:
            self.draft.task_instructions.append(line)

    def request(self, template: str, *, frame: dict[str, Any], withhold: tuple[str, ...] = (), summary: str = "",
                findings: str = "", outcome: str = "write", **details: Any) -> None:
        first, second = wording.both(template)
        frame = {key: value for key, value in frame.items() if value is not None}
        self.draft.request(wording.cap(first), wording.cap(second), summary=summary, findings=findings, frame=frame,
                           withhold=[field for field in withhold if field in frame], outcome=outcome, **details)

    def pay_text(self, method: dict) -> str:
        return self.pay(method)[0]

    def pay(self, method: dict) -> tuple[str, dict[str, Any]]:
        """How the user names a payment method, and the frame's spec of it (see `selectors.find_method`).

        Balances are as the user knew them when calling; a gift card or certificate whose balance
        changed during the call is named by the end of its number instead.
        """
        methods = self.user["payment_methods"]
        balance = self.balances.get(method["id"])
        stable = balance is not None and balance == method.get("amount")
        spec = wording.method_spec(method, methods, by_balance=stable)
        try:
            unique = find_method(self.user, spec) == method["id"]
        except Ambiguous:
            unique = False
        if not unique:
            raise DraftError("no unambiguous way to name a payment method")
        return wording.method_phrase(spec), spec

    def methods(self, *sources: str) -> list[dict]:
        return [method for method in self.user["payment_methods"].values() if method["source"] in sources]

    def update_payer(self, amount: float) -> dict:
        """A gift card or credit card of the user that can pay `amount` (or take a refund)."""
        options = [method for method in self.methods("credit_card", "gift_card")
                   if method["source"] == "credit_card" or method["amount"] >= max(amount, 0)]
        if not options:
            raise DraftError("no payment method can pay the update")
        return self.rng.choice(options)

    def compared(self, mode: str) -> int:
        """How many reservations were compared to find the target."""
        return self.reservation_count if mode == "describe" else 1

    def rid_secret(self, rid: str) -> list[str]:
        """[rid] when the user does not state this reservation id (it must then stay out of the text)."""
        if rid in self.told:
            return []
        self.secret.add(rid)
        return [rid]

    def mark(self, family: str, rid: str) -> None:
        self.done.add((family, rid))
        self.last = rid
        if rid not in self.written:
            self.written.append(rid)

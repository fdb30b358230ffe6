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
from writ.tasks.airline import wording as W
from writ.tasks.airline.common import add_check, user_of, user_reservations
from writ.tasks.airline.selectors import Ambiguous, find_method, find_reservation
from writ.tasks.draft import DraftError, TaskDraft


def spec_options(r: dict) -> dict[str, dict[str, Any]]:
    """The descriptions that could point at reservation `r` (each still to be proven unique)."""
    first = r["flights"][0]
    return {
        "route": {"kind": "route", "origin": r["origin"], "destination": r["destination"]},
        "to": {"kind": "to", "destination": r["destination"]},
        "date": {"kind": "date", "date": first["date"]},
        "route_date": {"kind": "route_date", "origin": r["origin"], "destination": r["destination"],
                       "date": first["date"]},
        "recent": {"kind": "recent"},
        "most_pax": {"kind": "most_pax"},
        "cabin": {"kind": "cabin", "cabin": r["cabin"]},
        "type": {"kind": "type", "flight_type": r["flight_type"]},
        "today": {"kind": "today"},
    }


def resolves(env: Environment, user_id: str, spec: dict[str, Any], rid: str) -> bool:
    try:
        return find_reservation(env.db, user_id, spec) == rid
    except Ambiguous:
        return False


def phrase(spec: dict[str, Any], rng) -> str:
    """First-person-template phrase ({my}, {I}) for a description (tau2's instruction text)."""
    k = spec["kind"]
    if k == "id":
        return rng.choice((f"reservation {spec['id']}", f"{{my}} reservation {spec['id']}", f"booking {spec['id']}"))
    if k == "same":
        return rng.choice(("that same reservation", "that same booking"))
    if k == "recent":
        return rng.choice(("the reservation {I} booked most recently", "{my} most recent booking"))
    if k == "most_pax":
        return rng.choice(("{my} upcoming trip with the most passengers",
                           "the upcoming booking with the most travellers"))
    if k == "segment":
        return (f"{{my}} reservation with the flight from {W.place(spec['origin'], rng)} to "
                f"{W.place(spec['destination'], rng)} on {W.day(spec['date'], rng)}")
    if k == "today":
        return "{my} trip with a flight today"
    if k == "route":
        o, d = W.place(spec["origin"], rng), W.place(spec["destination"], rng)
        return rng.choice((f"{{my}} upcoming trip from {o} to {d}", f"{{my}} {o} to {d} trip"))
    if k == "to":
        d = W.place(spec["destination"], rng)
        return rng.choice((f"{{my}} upcoming trip to {d}", f"{{my}} upcoming {d} trip"))
    if k == "date":
        when = W.day(spec["date"], rng)
        return rng.choice((f"{{my}} trip that departs on {when}",
                           f"the upcoming reservation whose first flight is on {when}"))
    if k == "route_date":
        return (f"{{my}} trip from {W.place(spec['origin'], rng)} to {W.place(spec['destination'], rng)} leaving "
                f"{W.day(spec['date'], rng)}")
    if k == "cabin":
        return rng.choice((f"{{my}} upcoming {W.cabin_name(spec['cabin'])} trip",
                           f"the only {W.cabin_name(spec['cabin'])} reservation {{I}} {{have}} coming up"))
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
    def k(self) -> int:
        return len(self.user["reservations"])

    @property
    def writes(self) -> int:
        return len(self.draft.writes)

    def authenticate(self) -> None:
        user = self.user
        name = f"{user['name']['first_name']} {user['name']['last_name']}"
        self.draft.read("get_user_details", {"user_id": self.uid}, evidence=False)
        self.balances = {k: m.get("amount") for k, m in user["payment_methods"].items()}
        self.draft.facts["auth"] = {"method": "user_id", "user_id": self.uid}
        self.draft.facts["auth_action"] = len(self.draft.actions) - 1
        self.draft.facts["name"] = name
        self.draft.known_info.append(f"You are {name}. Your user id is {self.uid}.")

    # -- locating a reservation -----------------------------------------------------------------
    def descriptions(self, rid: str, kinds: tuple[str, ...]) -> list[dict[str, Any]]:
        """Descriptions among `kinds` that single out reservation `rid` right now."""
        r = self.env.db.get("reservations", rid)
        candidates = spec_options(r)
        if self.booked:  # "most recent" would be ambiguous once the user has booked during the call
            candidates.pop("recent")
        if r["origin"] == r["destination"]:  # a tau2 data quirk: the route would not describe the trip
            for kind in ("route", "to", "route_date"):
                candidates.pop(kind)
        out = [candidates[k] for k in kinds if k in candidates and resolves(self.env, self.uid, candidates[k], rid)]
        if "segment" in kinds:
            for s in r["flights"]:
                spec = {"kind": "segment", "origin": s["origin"], "destination": s["destination"], "date": s["date"]}
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
        add_check(self.draft, "reservation", lambda env, s=spec: find_reservation(env.db, self.uid, s), rid)
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
                out.append(("describe", self.rng.choice(self._descs[key]), self.k))
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
        first, second = W.both(template)
        frame = {k: v for k, v in frame.items() if v is not None}
        self.draft.request(W.cap(first), W.cap(second), summary=summary, findings=findings, frame=frame,
                           withhold=[w for w in withhold if w in frame], outcome=outcome, **details)

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
        spec = W.method_spec(method, methods, by_balance=stable)
        try:
            unique = find_method(self.user, spec) == method["id"]
        except Ambiguous:
            unique = False
        if not unique:
            raise DraftError("no unambiguous way to name a payment method")
        return W.method_phrase(spec), spec

    def methods(self, *sources: str) -> list[dict]:
        return [m for m in self.user["payment_methods"].values() if m["source"] in sources]

    def update_payer(self, amount: float) -> dict:
        """A gift card or credit card of the user that can pay `amount` (or take a refund)."""
        options = [m for m in self.methods("credit_card", "gift_card")
                   if m["source"] == "credit_card" or m["amount"] >= max(amount, 0)]
        if not options:
            raise DraftError("no payment method can pay the update")
        return self.rng.choice(options)

    def compared(self, mode: str) -> int:
        """How many reservations were compared to find the target."""
        return self.k if mode == "describe" else 1

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

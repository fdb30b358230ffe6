"""The state of one task under construction: the user, what the agent has read, what was written.

`Ctx` wraps a `TaskDraft` for one airline user. Families ask it to authenticate, to locate a
reservation (by the id the user gives, or by a description over all the user's reservations,
which costs one read per reservation), to describe payment methods, and to record requests.
Descriptions (`Desc`) are data, so the uniqueness re-check evaluates exactly the same selection
on a fresh environment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from writ.core import Environment
from writ.tasks.airline import wording as W
from writ.tasks.airline.common import (
    TODAY, add_check, is_active, is_upcoming, user_of, user_reservations,
)
from writ.tasks.draft import DraftError, TaskDraft


@dataclass(frozen=True)
class Desc:
    """A description of one reservation among a user's: kind + parameters."""

    kind: str
    params: tuple = ()


def select(env: Environment, user_id: str, desc: Desc, pool: tuple[list, list] | None = None) -> list[str]:
    """Ids of the user's reservations that `desc` fits (the re-check recomputes this).

    `pool` = (all reservations, upcoming ones) when the caller already has them.
    """
    if pool is None:
        rs = user_reservations(env, user_id)
        pool = (rs, [r for r in rs if is_upcoming(env, r)])
    rs, up = pool
    k, p = desc.kind, desc.params
    if k == "recent":
        ranked = sorted(rs, key=lambda r: r["created_at"], reverse=True)
        if len(ranked) > 1 and ranked[1]["created_at"][:13] == ranked[0]["created_at"][:13]:
            return []
        return [ranked[0]["reservation_id"]] if ranked else []
    if k == "most_pax":
        ranked = sorted(up, key=lambda r: len(r["passengers"]), reverse=True)
        if len(ranked) > 1 and len(ranked[1]["passengers"]) == len(ranked[0]["passengers"]):
            return []
        return [ranked[0]["reservation_id"]] if ranked else []
    if k == "segment":
        return [r["reservation_id"] for r in rs if is_active(r) and any(
            (s["origin"], s["destination"], s["date"]) == p for s in r["flights"])]
    if k == "today":
        return [r["reservation_id"] for r in rs if is_active(r) and any(s["date"] == TODAY for s in r["flights"])]
    tests = {
        "route": lambda r: (r["origin"], r["destination"]) == p,
        "to": lambda r: r["destination"] == p[0],
        "date": lambda r: r["flights"][0]["date"] == p[0],
        "route_date": lambda r: (r["origin"], r["destination"], r["flights"][0]["date"]) == p,
        "cabin": lambda r: r["cabin"] == p[0],
        "type": lambda r: r["flight_type"] == p[0],
    }
    return [r["reservation_id"] for r in up if tests[k](r)]


def phrase(desc: Desc, rng) -> str:
    """First-person-template phrase ({my}, {I}) for a description."""
    k, p = desc.kind, desc.params
    if k == "recent":
        return rng.choice(("the reservation {I} booked most recently", "{my} most recent booking"))
    if k == "most_pax":
        return rng.choice(("{my} upcoming trip with the most passengers",
                           "the upcoming booking with the most travellers"))
    if k == "segment":
        return (f"{{my}} reservation with the flight from {W.place(p[0], rng)} to {W.place(p[1], rng)} "
                f"on {W.day(p[2], rng)}")
    if k == "today":
        return "{my} trip with a flight today"
    if k == "route":
        return rng.choice((f"{{my}} upcoming trip from {W.place(p[0], rng)} to {W.place(p[1], rng)}",
                           f"{{my}} {W.place(p[0], rng)} to {W.place(p[1], rng)} trip"))
    if k == "to":
        return rng.choice((f"{{my}} upcoming trip to {W.place(p[0], rng)}", f"{{my}} {W.place(p[0], rng)} trip"))
    if k == "date":
        return rng.choice((f"{{my}} trip that departs on {W.day(p[0], rng)}",
                           f"the upcoming reservation whose first flight is on {W.day(p[0], rng)}"))
    if k == "route_date":
        return f"{{my}} trip from {W.place(p[0], rng)} to {W.place(p[1], rng)} leaving {W.day(p[2], rng)}"
    if k == "cabin":
        return rng.choice((f"{{my}} upcoming {W.cabin_name(p[0])} trip",
                           f"the only {W.cabin_name(p[0])} reservation {{I}} {{have}} coming up"))
    return f"{{my}} only upcoming {'round trip' if p[0] == 'round_trip' else 'one-way trip'}"


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
        self.done: set[tuple[str, str]] = set()  # (family, reservation id) already used
        self.told: set[str] = set()  # ids the user states
        self.secret: set[str] = set()  # ids the user must not know
        self.balances: dict[str, Any] = {}  # balances the agent saw when authenticating
        self.certificates: list[int] = []  # amounts of the certificates sent in this task
        self._descs: dict[tuple, list[Desc]] = {}
        self._pool: tuple | None = None

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
    def descriptions(self, rid: str, kinds: tuple[str, ...]) -> list[Desc]:
        """Descriptions among `kinds` that single out reservation `rid` right now."""
        r = self.env.db.get("reservations", rid)
        first = r["flights"][0]
        candidates = {
            "route": Desc("route", (r["origin"], r["destination"])),
            "to": Desc("to", (r["destination"],)),
            "date": Desc("date", (first["date"],)),
            "route_date": Desc("route_date", (r["origin"], r["destination"], first["date"])),
            "recent": Desc("recent"),
            "most_pax": Desc("most_pax"),
            "cabin": Desc("cabin", (r["cabin"],)),
            "type": Desc("type", (r["flight_type"],)),
            "today": Desc("today"),
        }
        if self.booked:  # "most recent" would be ambiguous once the user has booked during the call
            candidates.pop("recent")
        if r["origin"] == r["destination"]:  # a tau2 data quirk: the route would not describe the trip
            for kind in ("route", "to", "route_date"):
                candidates.pop(kind)
        pool = self.pool()
        out = [candidates[k] for k in kinds
               if k in candidates and select(self.env, self.uid, candidates[k], pool) == [rid]]
        if "segment" in kinds:
            for s in r["flights"]:
                desc = Desc("segment", (s["origin"], s["destination"], s["date"]))
                if select(self.env, self.uid, desc, pool) == [rid]:
                    out.append(desc)
        return out

    def pool(self) -> tuple[list, list]:
        """(reservations, upcoming reservations) of the user in the current state (cached per step)."""
        key = len(self.draft.actions)
        if self._pool is None or self._pool[0] != key:
            rs = self.reservations()
            self._pool = (key, (rs, [r for r in rs if is_upcoming(self.env, r)]))
        return self._pool[1]

    def can_describe(self, rid: str) -> bool:
        return rid not in self.told

    def can_name(self, rid: str) -> bool:
        return rid not in self.secret

    def locate(self, rid: str, mode: str, desc: Desc | None = None, *, evidence: bool = True) -> str:
        """Run the reads that find reservation `rid`; returns the first-person phrase naming it."""
        if mode == "id":
            self.told.add(rid)
            self.draft.read("get_reservation_details", {"reservation_id": rid}, evidence=evidence)
            line = f"You know reservation id {rid}."
            if line not in self.draft.known_info:
                self.draft.known_info.append(line)
            return self.rng.choice((f"reservation {rid}", f"{{my}} reservation {rid}", f"booking {rid}"))
        if mode == "known":
            if rid in self.booked:
                return self.rng.choice(("the reservation {I} just made", "the trip {I} just booked"))
            return self.rng.choice(("that same reservation", "that same booking", "the reservation {I} just changed"))
        assert desc is not None
        self.secret.add(rid)
        for other in list(self.user["reservations"]):
            self.draft.read("get_reservation_details", {"reservation_id": other})
        add_check(self.draft, "reservation", lambda env, d=desc: select(env, self.uid, d), [rid])
        self.unknown("You do not remember your reservation ids.")
        return phrase(desc, self.rng)

    def targets(self, rid: str, family: str, kinds: tuple[str, ...], id_cost: int) -> list[tuple]:
        """Ways to point at reservation `rid` now: (mode, description, locate evidence)."""
        if (family, rid) in self.done:
            return []
        out: list[tuple] = []
        if self.written and self.written[-1] == rid:
            out.append(("known", None, 0))
        if self.can_name(rid) and rid not in self.booked:
            out.append(("id", None, id_cost))
        if self.can_describe(rid):
            key = (rid, kinds, len(self.draft.actions))
            if key not in self._descs:
                self._descs[key] = self.descriptions(rid, kinds)
            if self._descs[key]:
                out.append(("describe", self.rng.choice(self._descs[key]), self.k))
        return out

    # -- wording helpers ------------------------------------------------------------------------
    def unknown(self, line: str) -> None:
        if line not in self.draft.unknown_info:
            self.draft.unknown_info.append(line)

    def instruct(self, line: str) -> None:
        if line not in self.draft.task_instructions:
            self.draft.task_instructions.append(line)

    def request(self, template: str, *, summary: str, findings: str = "", **details: Any) -> None:
        first, second = W.both(template)
        self.draft.request(W.cap(first), W.cap(second), summary=summary, findings=findings, **details)

    def pay_text(self, method: dict) -> str:
        """How the user names a payment method (balances as the user knew them when calling)."""
        def known(m: dict) -> dict:
            if self.balances.get(m["id"]) is not None:
                return dict(m, amount=self.balances[m["id"]])
            return m
        methods = {k: known(m) for k, m in self.user["payment_methods"].items()}
        return W.card_phrase(known(method), methods)

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
        if rid not in self.written:
            self.written.append(rid)

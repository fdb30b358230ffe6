"""Which reservation a customer means, resolved from what an agent can read.

A customer points at a reservation by its id, or by something they remember about it ("my upcoming
trip to Denver", "the booking with the most travellers", "my reservation with the flight from
Boston to Miami on May 20"). Each description is a small spec dict; `find_reservation` turns it
into exactly one reservation id or raises `Ambiguous`. The resolvers only look at the user's
profile and reservation records through ``db.get(table, key)``, so the same code runs on the live
database (the task generator proves a description unique) and on what the scripted teacher has
read (`writ.agents.scripted.Knowledge` raises a read for every record it has not seen yet, in the
order a careful agent would read them).

"Upcoming" here is what a customer and an agent can both see on the records: an active
reservation whose flights are all after today. Flight statuses are a policy matter, checked by the
families, not part of a description.
"""

from __future__ import annotations

from typing import Any

from writ.tasks.airline.common import TODAY

__all__ = ["TODAY", "Ambiguous", "find_method", "find_reservation", "find_reservations", "is_upcoming_record",
           "user_reservations"]

KINDS = ("id", "route", "to", "date", "route_date", "recent", "most_pax", "cabin", "type", "segment", "today", "same")


class Ambiguous(Exception):
    """A description that matches no reservation, or more than one."""


def active(r: dict) -> bool:
    return r.get("status") != "cancelled"


def is_upcoming_record(r: dict) -> bool:
    return active(r) and all(s["date"] > TODAY for s in r["flights"])


def user_reservations(db: Any, user_id: str) -> list[dict]:
    """The user's reservation records, in the order of the profile's list (one read each)."""
    out = []
    for rid in db.get("users", user_id)["reservations"]:
        record = db.get("reservations", rid)
        if record is not None:
            out.append(record)
    return out


def _matches(r: dict, spec: dict[str, Any]) -> bool:
    kind = spec["kind"]
    first = r["flights"][0]["date"] if r["flights"] else ""
    if kind == "segment":
        return active(r) and any((s["origin"], s["destination"], s["date"]) ==
                                 (spec["origin"], spec["destination"], spec["date"]) for s in r["flights"])
    if kind == "today":
        return active(r) and any(s["date"] == TODAY for s in r["flights"])
    if not is_upcoming_record(r):
        return False
    if kind == "route":
        return (r["origin"], r["destination"]) == (spec["origin"], spec["destination"])
    if kind == "to":
        return r["destination"] == spec["destination"]
    if kind == "date":
        return first == spec["date"]
    if kind == "route_date":
        return (r["origin"], r["destination"], first) == (spec["origin"], spec["destination"], spec["date"])
    if kind == "cabin":
        return r["cabin"] == spec["cabin"]
    if kind == "type":
        return r["flight_type"] == spec["flight_type"]
    raise ValueError(f"unknown reservation spec {kind!r}")


def find_reservations(db: Any, user_id: str, spec: dict[str, Any]) -> list[str]:
    """Every reservation a filtering spec fits (route, to, date, cabin, type, segment, today)."""
    return [r["reservation_id"] for r in user_reservations(db, user_id) if _matches(r, spec)]


def find_reservation(db: Any, user_id: str, spec: dict[str, Any], last: str | None = None) -> str:
    """The one reservation a spec designates (`last`: the reservation written last, for "same")."""
    kind = spec["kind"]
    if kind not in KINDS:
        raise ValueError(f"unknown reservation spec {kind!r}")
    if kind == "id":
        return spec["id"]
    if kind == "same":
        if not last:
            raise Ambiguous("no reservation was changed yet")
        return last
    records = user_reservations(db, user_id)
    if kind == "recent":
        ranked = sorted(records, key=lambda r: r["created_at"], reverse=True)
        if len(ranked) < 2 or ranked[1]["created_at"][:13] == ranked[0]["created_at"][:13]:
            raise Ambiguous("no single most recent booking")
        return ranked[0]["reservation_id"]
    if kind == "most_pax":
        ranked = sorted((r for r in records if is_upcoming_record(r)), key=lambda r: len(r["passengers"]),
                        reverse=True)
        if len(ranked) < 2 or len(ranked[1]["passengers"]) == len(ranked[0]["passengers"]):
            raise Ambiguous("no single upcoming trip with the most passengers")
        return ranked[0]["reservation_id"]
    hits = [r["reservation_id"] for r in records if _matches(r, spec)]
    if len(hits) != 1:
        raise Ambiguous(f"{len(hits)} reservations match")
    return hits[0]


def find_method(user: dict, spec: dict[str, Any]) -> str:
    """The id of the payment method a spec names (card by brand and last four, gift card or
    certificate: the only one, the one with a balance, or the one whose number ends so)."""
    methods = list(user["payment_methods"].values())
    kind = spec["kind"]
    if kind == "id":
        return spec["id"]
    if kind == "card":
        hits = [m for m in methods if m["source"] == "credit_card" and m.get("last_four") == spec["last_four"]]
    else:
        source = "gift_card" if kind == "gift" else "certificate"
        hits = [m for m in methods if m["source"] == source]
        if "balance" in spec:
            hits = [m for m in hits if abs(float(m["amount"]) - float(spec["balance"])) < 0.005]
        if "ending" in spec:
            hits = [m for m in hits if m["id"].endswith(spec["ending"])]
    if len(hits) != 1:
        raise Ambiguous(f"{len(hits)} payment methods match")
    return hits[0]["id"]

"""Airline facts shared by the task families and the policy check: time, allowances, record states.

Everything here reads a live `Environment` (never the draft's recorded reads), so the same
functions serve drafting, the uniqueness re-checks on a fresh environment and the policy check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from writ.core import Environment, ToolCall
from writ.tasks.draft import DraftError, TaskDraft

TODAY = "2024-05-15"
NOW = "2024-05-15T15:00:00"
DAY_AGO = "2024-05-14T15:00:00"  # bookings made after this are less than 24 hours old
INSURANCE_FEE = 30  # per passenger
BAG_FEE = 50  # per non-free bag
FREE_BAGS = {
    "regular": {"basic_economy": 0, "economy": 1, "business": 2},
    "silver": {"basic_economy": 1, "economy": 2, "business": 3},
    "gold": {"basic_economy": 2, "economy": 3, "business": 4},
}
WRITE_TOOLS = ("book_reservation", "cancel_reservation", "send_certificate", "update_reservation_baggages",
               "update_reservation_flights", "update_reservation_passengers")
FLOWN = ("landed", "flying")
CABIN_WORDS = {"basic_economy": "basic economy", "economy": "economy", "business": "business"}


def user_of(env: Environment, user_id: str) -> dict:
    return env.db.get("users", user_id)


def reservation(env: Environment, reservation_id: str) -> dict:
    return env.db.get("reservations", reservation_id)


def user_reservations(env: Environment, user_id: str) -> list[dict]:
    out = []
    for rid in user_of(env, user_id)["reservations"]:
        record = env.db.get("reservations", rid)
        if record is not None:
            out.append(record)
    return out


def status(env: Environment, flight_number: str, date: str) -> str | None:
    flight = env.db.get("flights", flight_number)
    if flight is None or date not in flight["dates"]:
        return None
    return flight["dates"][date]["status"]


def instance(env: Environment, flight_number: str, date: str) -> dict | None:
    flight = env.db.get("flights", flight_number)
    return None if flight is None else flight["dates"].get(date)


def is_active(r: dict) -> bool:
    return r.get("status") != "cancelled"


def is_flown(env: Environment, r: dict) -> bool:
    return any(status(env, s["flight_number"], s["date"]) in FLOWN for s in r["flights"])


def is_upcoming(env: Environment, r: dict) -> bool:
    """Active, and every segment is on a later day and still bookable (nothing flown, all changeable)."""
    return is_active(r) and all(s["date"] > TODAY and status(env, s["flight_number"], s["date"]) == "available"
                                for s in r["flights"])


def cancelled_segments(env: Environment, r: dict) -> list[dict]:
    return [s for s in r["flights"] if status(env, s["flight_number"], s["date"]) == "cancelled"]


def cancel_grounds(env: Environment, r: dict) -> list[str]:
    """Why the policy lets this reservation be cancelled (empty: it does not)."""
    if not is_active(r) or is_flown(env, r):
        return []
    grounds = []
    if r["created_at"] > DAY_AGO:
        grounds.append("recent")
    if cancelled_segments(env, r):
        grounds.append("airline")
    if r["cabin"] == "business":
        grounds.append("business")
    if r["insurance"] == "yes":
        grounds.append("insurance")
    return grounds


def allowance(membership: str, cabin: str, passengers: int) -> int:
    return FREE_BAGS[membership][cabin] * passengers


def compensable(user: dict, r: dict) -> bool:
    return user["membership"] in ("silver", "gold") or r["insurance"] == "yes" or r["cabin"] == "business"


def split_trip(r: dict) -> tuple[list[dict], list[dict]]:
    """Outbound segments (up to the destination) and return segments."""
    out: list[dict] = []
    for i, seg in enumerate(r["flights"]):
        out.append(seg)
        if seg["destination"] == r["destination"]:
            return out, list(r["flights"][i + 1:])
    return out, []


def money(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(float(value), 2)


def money_text(value: float) -> str:
    value = money(value)
    return f"{value}" if isinstance(value, int) else f"{value:.2f}"


def probe(env: Environment, name: str, arguments: dict[str, Any]) -> Any:
    """Run a read on `env` without recording it (planning and re-checks).

    Calls the tool function directly: the value equals what the JSON result of `env.step` parses to.
    """
    tool = env.domain.agent.tools[name]
    try:
        return tool.fn(env.db, **arguments)
    except Exception:  # noqa: BLE001 - a failing read is "no result" for planning
        return None


def replay_writes(env: Environment, actions: list[dict]) -> str | None:
    for a in actions:
        if a["name"] in WRITE_TOOLS:
            if env.step(ToolCall(a["name"], dict(a["arguments"]), requestor=a["requestor"]), sync=False).error:
                return f"the writes before {a['name']} fail"
    return None


def add_check(draft: TaskDraft, label: str, compute: Callable[[Environment], Any], expected: Any) -> None:
    """Re-run `compute` on a fresh environment brought to the current state by the writes so far."""
    prefix = [dict(a) for a in draft.actions if a["name"] in WRITE_TOOLS]

    def check(env: Environment) -> str | None:
        problem = replay_writes(env, prefix)
        if problem:
            return f"{label}: {problem}"
        try:
            got = compute(env)
        except DraftError as exc:
            return f"{label}: {exc}"
        return None if got == expected else f"{label}: found {got!r}, drafted {expected!r}"

    draft.check(check)

"""Flight searches as an agent runs them, and picking the one itinerary a description names.

A search plan is the list of `search_direct_flight` / `search_onestop_flight` calls that a
competent agent must make to answer a request such as "the fastest itinerary from either New York
airport to Seattle on the 25th or 26th" (2 airports x 2 dates x nonstop + one-stop = 8 calls). The
same code runs the plan through the draft (recorded evidence reads) and on a bare environment
(planning probes and the uniqueness re-check), so the winner is computed one way only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from writ.core import Environment
from writ.tasks.airline.common import probe
from writ.tasks.draft import DraftError

Reader = Callable[[str, dict[str, Any]], Any]

# criterion -> (key to minimise, smallest gap between the winner and the runner-up)
CRITERIA: dict[str, tuple[Callable[[Itinerary, str], float], float]] = {
    "cheapest": (lambda it, cabin: it.price(cabin), 15),
    "fastest": (lambda it, cabin: it.duration, 30),
    "earliest": (lambda it, cabin: it.departs, 30),
    "latest": (lambda it, cabin: -it.departs, 30),
    "arrive_earliest": (lambda it, cabin: it.arrives, 30),
}
DATE_FREE = ("cheapest", "fastest")  # criteria that compare itineraries across several dates


def clock(text: str) -> int:
    """tau2's `HH:MM:SS[+1]` -> minutes after midnight of the departure day."""
    base, plus = (text[:-2], 1440) if text.endswith("+1") else (text, 0)
    hours, minutes = int(base[:2]), int(base[3:5])
    return hours * 60 + minutes + plus


def day_index(date: str) -> int:
    year, month, day = (int(x) for x in date.split("-"))
    return (month * 31 + day) * 1440  # only differences matter; dates never span months here


@dataclass(frozen=True)
class Leg:
    flight_number: str
    origin: str
    destination: str
    date: str
    departs: int  # absolute minutes
    arrives: int
    seats: tuple[tuple[str, int], ...]
    prices: tuple[tuple[str, int], ...]

    @classmethod
    def from_result(cls, item: dict, date: str) -> Leg:
        start = day_index(date)
        return cls(item["flight_number"], item["origin"], item["destination"], date,
                   start + clock(item["scheduled_departure_time_est"]),
                   start + clock(item["scheduled_arrival_time_est"]),
                   tuple(sorted(item["available_seats"].items())), tuple(sorted(item["prices"].items())))

    def seat(self, cabin: str) -> int:
        return dict(self.seats)[cabin]

    def fare(self, cabin: str) -> int:
        return dict(self.prices)[cabin]

    def info(self) -> dict[str, str]:
        return {"flight_number": self.flight_number, "date": self.date}


@dataclass(frozen=True)
class Itinerary:
    legs: tuple[Leg, ...]

    @property
    def key(self) -> tuple[tuple[str, str], ...]:
        return tuple((leg.flight_number, leg.date) for leg in self.legs)

    @property
    def departs(self) -> int:
        return self.legs[0].departs

    @property
    def arrives(self) -> int:
        return self.legs[-1].arrives

    @property
    def duration(self) -> int:
        return self.arrives - self.departs

    def price(self, cabin: str) -> int:
        return sum(leg.fare(cabin) for leg in self.legs)

    def fits(self, cabin: str, passengers: int) -> bool:
        return all(leg.seat(cabin) >= passengers for leg in self.legs)

    def infos(self) -> list[dict[str, str]]:
        return [leg.info() for leg in self.legs]

    @property
    def origin(self) -> str:
        return self.legs[0].origin

    @property
    def destination(self) -> str:
        return self.legs[-1].destination


@dataclass(frozen=True)
class Plan:
    """Which searches answer a request: origins x destinations x dates x (nonstop[, one-stop])."""

    origins: tuple[str, ...]
    destinations: tuple[str, ...]
    dates: tuple[str, ...]
    onestop: bool

    @property
    def calls(self) -> list[tuple[str, dict[str, str]]]:
        out = []
        for date in self.dates:
            for origin in self.origins:
                for destination in self.destinations:
                    args = {"origin": origin, "destination": destination, "date": date}
                    out.append(("search_direct_flight", args))
                    if self.onestop:
                        out.append(("search_onestop_flight", dict(args)))
        return out

    @property
    def size(self) -> int:
        return len(self.dates) * len(self.origins) * len(self.destinations) * (2 if self.onestop else 1)


def run_plan(plan: Plan, read: Reader) -> list[Itinerary]:
    found: list[Itinerary] = []
    for name, args in plan.calls:
        results = read(name, args) or []
        if name == "search_direct_flight":
            found.extend(Itinerary((Leg.from_result(r, args["date"]),)) for r in results)
        else:
            found.extend(Itinerary(tuple(Leg.from_result(leg, leg["date"]) for leg in pair)) for pair in results)
    return found


def env_reader(env: Environment) -> Reader:
    return lambda name, args: probe(env, name, args)


def choose(itineraries: list[Itinerary], criterion: str, cabin: str, passengers: int,
           exclude: tuple[tuple[tuple[str, str], ...], ...] = (), after: int | None = None,
           before: int | None = None) -> tuple[Itinerary, int]:
    """The unique best itinerary for `criterion` and how many were compared; DraftError otherwise.

    Itineraries outside the time window (`after`/`before`, absolute minutes) are not candidates.
    The winner must have seats for everyone and beat every other candidate (seats or not) by
    the criterion's margin, so that no reasonable agent could pick another one.
    """
    key, margin = CRITERIA[criterion]
    pool = [it for it in itineraries if it.key not in exclude
            and (after is None or it.departs >= after) and (before is None or it.arrives <= before)]
    if len(pool) < 2:
        raise DraftError("too few itineraries to compare")
    ranked = sorted(pool, key=lambda it: (key(it, cabin), it.key))
    best, second = ranked[0], ranked[1]
    if not best.fits(cabin, passengers):
        raise DraftError("the best itinerary lacks seats")
    if key(second, cabin) - key(best, cabin) < margin:
        raise DraftError("near tie between itineraries")
    return best, sum(1 for it in pool if it.fits(cabin, passengers))


def date_of(absolute: int) -> str:
    """The calendar date (all dates are in May 2024) of an absolute minute count."""
    return f"2024-05-{absolute // 1440 - 5 * 31:02d}"


def midnight(date: str) -> int:
    return day_index(date)


def minutes_text(total: int) -> str:
    hours, minutes = divmod(total, 60)
    return f"{hours}h{minutes:02d}"


def time_text(absolute: int) -> str:
    minutes = absolute % 1440
    return f"{minutes // 60:02d}:{minutes % 60:02d}"

"""Synthetic flight network for the airline generator: routes, schedules, statuses, seats, prices.

The 20 airports of `list_all_airports`, with real coordinates. Routes favour hubs and busy
airports, so that popular city pairs get several nonstop flights (distinct times, durations and
prices) and every airport reaches the others with one connection through a hub. Every flight runs
daily from 2024-05-01 to 2024-05-30; relative to the current time (2024-05-15 15:00 EST) past dates
are landed or cancelled, the current day mixes landed / flying / on time / delayed, and later dates
are bookable with seats and prices per cabin (basic_economy < economy < business).

All times are EST (tau2's convention), so arrival = departure + duration, with `+1` when the flight
lands the next day.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from writ.domains.airline.ops import AIRPORTS, NOW

__all__ = ["CABINS", "DATES", "NOW_DT", "Leg", "build_network", "clock", "stamp"]

CABINS = ("basic_economy", "economy", "business")
DATES = [f"2024-05-{day:02d}" for day in range(1, 31)]
TODAY = NOW[:10]
NOW_DT = datetime.fromisoformat(NOW)

COORDS = {
    "SFO": (37.62, -122.38), "JFK": (40.64, -73.78), "LAX": (33.94, -118.41), "ORD": (41.97, -87.91),
    "DFW": (32.90, -97.04), "DEN": (39.86, -104.67), "SEA": (47.45, -122.31), "ATL": (33.64, -84.43),
    "MIA": (25.79, -80.29), "BOS": (42.36, -71.01), "PHX": (33.43, -112.01), "IAH": (29.99, -95.34),
    "LAS": (36.08, -115.15), "MCO": (28.43, -81.31), "EWR": (40.69, -74.17), "CLT": (35.21, -80.94),
    "MSP": (44.88, -93.22), "DTW": (42.21, -83.35), "PHL": (39.87, -75.24), "LGA": (40.78, -73.87),
}
POPULARITY = {
    "ATL": 10, "LAX": 9, "ORD": 9, "DFW": 9, "DEN": 8, "JFK": 8, "SFO": 7, "SEA": 6, "LAS": 7, "MCO": 6,
    "CLT": 6, "MIA": 7, "PHX": 6, "EWR": 6, "IAH": 6, "BOS": 6, "MSP": 5, "DTW": 5, "PHL": 5, "LGA": 6,
}
HUBS = ("ATL", "ORD", "DFW", "DEN", "CLT", "IAH")
MEGA_HUBS = ("ATL", "ORD", "DFW")
TRUNK = (  # busy city pairs, always served several times a day
    ("JFK", "LAX"), ("JFK", "SFO"), ("LGA", "ORD"), ("JFK", "MIA"), ("LAX", "SFO"), ("LAX", "SEA"),
    ("LGA", "ATL"), ("EWR", "ORD"), ("BOS", "ORD"), ("LAS", "LAX"), ("SFO", "SEA"), ("JFK", "ATL"),
    ("EWR", "MCO"), ("DFW", "LAX"), ("DEN", "LAX"), ("EWR", "LAX"), ("BOS", "MIA"), ("LGA", "DFW"),
)
MIN_CONNECTION = 45  # minutes


def miles(a: str, b: str) -> float:
    (lat1, lon1), (lat2, lon2) = COORDS[a], COORDS[b]
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 3958.8 * math.asin(math.sqrt(h))


def clock(minutes: int) -> str:
    """Minutes after midnight of the departure day -> tau2's `HH:MM:SS[+1]`."""
    day, rest = divmod(minutes, 1440)
    return f"{rest // 60:02d}:{rest % 60:02d}:00" + ("+1" if day else "")


def stamp(date: str, minutes: int) -> str:
    return (datetime.fromisoformat(date) + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S")


@dataclass
class Leg:
    """One scheduled flight while generating (times in minutes after midnight of departure)."""

    number: str
    origin: str
    destination: str
    dep: int
    arr: int
    economy: float  # base economy fare
    prices: dict[str, dict[str, int]] = field(default_factory=dict)  # date -> cabin -> fare
    seats: dict[str, dict[str, int]] = field(default_factory=dict)  # bookable date -> cabin -> seats
    dates: dict[str, dict] = field(default_factory=dict)  # date -> status record

    def departs(self, date: str) -> datetime:
        return datetime.fromisoformat(date) + timedelta(minutes=self.dep)

    def record(self) -> dict:
        for date, seats in self.seats.items():
            self.dates[date]["available_seats"] = dict(seats)
        return {
            "flight_number": self.number, "origin": self.origin, "destination": self.destination,
            "scheduled_departure_time_est": clock(self.dep), "scheduled_arrival_time_est": clock(self.arr),
            "dates": self.dates,
        }


def _pair_weight(a: str, b: str) -> float:
    dist = miles(a, b)
    w = POPULARITY[a] * POPULARITY[b] * (2.2 if a in HUBS or b in HUBS else 1.0)
    return w * (0.6 if dist < 350 else 0.85 if dist > 2100 else 1.0)


def _routes(rng: random.Random, flights: int) -> dict[tuple[str, str], int]:
    """Directed routes and their number of daily flights (every route is flown both ways).

    Trunk city pairs get three to five flights each way, every other airport reaches two of the
    three mega hubs twice a day, and the rest of the budget goes to further pairs by popularity.
    """
    codes = [code for code, _ in AIRPORTS]
    pairs = [(a, b) for i, a in enumerate(codes) for b in codes[i + 1:] if miles(a, b) > 90]
    weight = {p: _pair_weight(*p) for p in pairs}
    weight.update({(b, a): w for (a, b), w in list(weight.items())})
    chosen: list[tuple[str, str]] = []

    def add(pair: tuple[str, str]) -> None:
        if pair not in chosen and (pair[1], pair[0]) not in chosen:
            chosen.append(pair)

    for pair in TRUNK:
        add(pair)
    spokes = []
    for code in codes:  # any two airports share a mega hub (2 of 3 each): one-stop trips exist
        if code not in MEGA_HUBS:
            for hub in sorted(MEGA_HUBS, key=lambda h: -weight[(code, h)] * rng.uniform(0.5, 1.5))[:2]:
                add((code, hub))
                spokes += [(code, hub), (hub, code)]
    for i, a in enumerate(MEGA_HUBS):
        for b in MEGA_HUBS[i + 1:]:
            add((a, b))
    rest = [p for p in pairs if p not in chosen and (p[1], p[0]) not in chosen]
    while len(chosen) < flights / 4 and rest:
        pick = rng.choices(rest, weights=[weight[p] for p in rest])[0]
        rest.remove(pick)
        add(pick)
    directed: dict[tuple[str, str], int] = {}
    for a, b in chosen:
        directed[(a, b)] = directed[(b, a)] = 1
    spare = flights - len(directed)
    # Spokes fly twice a day each way (connections at the hub), trunks at least three times.
    wanted = [(key, 2) for key in spokes] + [(key, 3) for a, b in TRUNK for key in ((a, b), (b, a))]
    for key, level in wanted:
        extra = max(0, min(spare, level - directed[key]))
        directed[key] += extra
        spare -= extra
    keys = list(directed)
    bias = [weight[k] ** 1.5 * (3 if k in TRUNK or (k[1], k[0]) in TRUNK else 1) for k in keys]
    while spare > 0 and any(directed[k] < 5 for k in keys):
        pick = rng.choices(keys, weights=bias)[0]
        if directed[pick] < 5:
            directed[pick] += 1
            spare -= 1
    return directed


def _fares(rng: random.Random, economy: float, date: str) -> dict[str, int]:
    days_out = (datetime.fromisoformat(date) - NOW_DT).days
    demand = rng.uniform(0.85, 1.25) * (1.12 if 0 <= days_out < 4 else 1.0)
    eco = max(60, round(economy * demand))
    basic = min(eco - 10, max(35, round(eco * rng.uniform(0.45, 0.72))))
    business = max(eco + 80, round(eco * rng.uniform(2.1, 3.3)))
    return {"basic_economy": basic, "economy": eco, "business": business}


def _delay(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.68:
        return rng.randint(-10, 14)
    if roll < 0.92:
        return rng.randint(15, 60)
    return rng.randint(61, 200)


def _statuses(rng: random.Random, leg: Leg) -> None:
    duration = leg.arr - leg.dep
    for date in DATES:
        leg.prices[date] = _fares(rng, leg.economy, date)
        if date > TODAY:
            leg.dates[date] = {"status": "available", "available_seats": None, "prices": leg.prices[date]}
            leg.seats[date] = {"basic_economy": rng.randint(0, 22), "economy": rng.randint(0, 28),
                               "business": rng.randint(0, 16)}
            continue
        if rng.random() < (0.055 if date < TODAY else 0.015):
            leg.dates[date] = {"status": "cancelled"}
            continue
        delay = _delay(rng)
        dep = leg.dep + delay
        arr = dep + duration + rng.randint(-20, 12)
        dep_at, arr_at = stamp(date, dep), stamp(date, arr)
        now = NOW
        if arr_at <= now:
            leg.dates[date] = {"status": "landed", "actual_departure_time_est": dep_at,
                               "actual_arrival_time_est": arr_at}
        elif dep_at <= now:
            leg.dates[date] = {"status": "flying", "actual_departure_time_est": dep_at,
                               "estimated_arrival_time_est": arr_at}
        elif delay >= 15:
            leg.dates[date] = {"status": "delayed", "estimated_departure_time_est": dep_at,
                               "estimated_arrival_time_est": arr_at}
        else:
            leg.dates[date] = {"status": "on time", "estimated_departure_time_est": stamp(date, leg.dep),
                               "estimated_arrival_time_est": stamp(date, leg.arr)}


def build_network(rng: random.Random, flights: int) -> list[Leg]:
    """`flights` scheduled flights (flight numbers ascending in DB order), statuses filled in."""
    routes = _routes(rng, flights)
    legs: list[tuple[str, str, int, int, float]] = []
    for (origin, destination), count in routes.items():
        dist = miles(origin, destination)
        east = COORDS[destination][1] > COORDS[origin][1]
        base = (38 + dist / 7.9) * (0.95 if east else 1.05)
        window = (5 * 60, 23 * 60 + 30)
        span = (window[1] - window[0]) / count
        # Long routes often end the day with a red-eye that lands after midnight (`+1`).
        durations: set[int] = set()
        red_eye = rng.random() < (0.55 if dist > 1400 else 0.12)
        for i in range(count):
            dep = int(window[0] + span * i + rng.uniform(0, span * 0.8)) // 5 * 5
            if red_eye and i == count - 1:
                dep = rng.randrange(21 * 60 + 30, 24 * 60, 5)
            duration = int(base + rng.uniform(-18, 18)) // 5 * 5
            while duration in durations:  # flights of one route differ in duration (fastest is unique)
                duration += 5
            durations.add(duration)
            # Daytime departures cost more than dawn and red-eye ones.
            peak = 1.15 if 7 * 60 <= dep <= 19 * 60 else 0.9
            fare = (62 + 0.075 * dist) * peak * rng.uniform(0.85, 1.2)
            legs.append((origin, destination, dep, dep + max(duration, 45), fare))
    rng.shuffle(legs)
    numbers = sorted(rng.sample(range(1, 1000), len(legs)))
    out = []
    for number, (origin, destination, dep, arr, fare) in zip(numbers, legs, strict=True):
        leg = Leg(f"HAT{number:03d}", origin, destination, dep, arr, fare)
        _statuses(rng, leg)
        out.append(leg)
    return out

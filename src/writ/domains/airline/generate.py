"""The airline database generator: `generate(seed, scale)` -> (FlightDB data, None).

At scale 1.0 it has about tau2's size: ~300 flights, 500 users, 2000 reservations. Users and
reservations grow linearly with `scale`, flights with its square root (at most 999 flight numbers).

Reservations are booked the way the tools would have booked them: real flights on real dates
chained from origin to destination (nonstop or one connection of at least 45 minutes, and back for
round trips), one cabin, 1-5 passengers, segment prices taken from the flight's fare for that date
and cabin, bag fees following the membership allowance, and a payment history that sums to the
total; a certificate used for payment is consumed. Seats of bookable dates are taken by active
reservations. Some reservations were later cancelled (payments followed by their negation) or had
bags added (an extra payment).
"""

from __future__ import annotations

import random
import string
from datetime import datetime, timedelta
from itertools import accumulate

from writ.domains.airline.gen_network import CABINS, DATES, MIN_CONNECTION, NOW_DT, POPULARITY, Leg, build_network
from writ.domains.airline.gen_people import HOME_AIRPORT, IdPool, make_person, make_users
from writ.domains.airline.invariants import invariants
from writ.domains.airline.ops import BAG_FEE, INSURANCE_FEE, RESERVATION_IDS

__all__ = ["generate", "invariants"]

FREE_BAGS = {  # policy allowance per passenger
    "regular": {"basic_economy": 0, "economy": 1, "business": 2},
    "silver": {"basic_economy": 1, "economy": 2, "business": 3},
    "gold": {"basic_economy": 2, "economy": 3, "business": 4},
}
START = datetime(2024, 4, 30)


class Network:
    """Generation-time index of the legs by origin and by (origin, destination)."""

    def __init__(self, legs: list[Leg]):
        self.by_origin: dict[str, list[Leg]] = {}
        self.by_pair: dict[tuple[str, str], list[Leg]] = {}
        for leg in legs:
            self.by_origin.setdefault(leg.origin, []).append(leg)
            self.by_pair.setdefault((leg.origin, leg.destination), []).append(leg)

    def itineraries(self, origin: str, destination: str, date: str) -> list[list[tuple[Leg, str]]]:
        """Nonstop and one-connection itineraries leaving `origin` on `date` ((leg, date) lists)."""
        options = [[(leg, date)] for leg in self.by_pair.get((origin, destination), [])]
        for first in self.by_origin.get(origin, []):
            if first.destination == destination:
                continue
            seconds = self.by_pair.get((first.destination, destination))
            if not seconds:
                continue
            day, arrival = divmod(first.arr, 1440)
            date2 = _shift(date, day)
            if date2 is None:
                continue
            for second in seconds:
                if arrival + MIN_CONNECTION <= second.dep <= arrival + 360:
                    options.append([(first, date), (second, date2)])
        return options


_DATE_INDEX = {date: i for i, date in enumerate(DATES)}


def _shift(date: str, days: int) -> str | None:
    """The date `days` later, or None past the end of the schedule."""
    i = _DATE_INDEX[date] + days
    return DATES[i] if i < len(DATES) else None


def _arrival(leg: Leg, date: str) -> datetime:
    return datetime.fromisoformat(date) + timedelta(minutes=leg.arr)


class Booker:
    def __init__(self, rng: random.Random, legs: list[Leg], users: dict[str, dict], ids: IdPool):
        self.rng, self.users, self.ids = rng, users, ids
        self.net = Network(legs)
        self.airports = sorted(POPULARITY)
        self.cum_weights = list(accumulate(POPULARITY[a] for a in self.airports))
        self.reservation_ids: set[str] = set(RESERVATION_IDS)

    def _bookable(self, itinerary: list[tuple[Leg, str]], cabin: str, count: int, after: datetime) -> bool:
        if itinerary[0][0].departs(itinerary[0][1]) < after:
            return False
        return all(leg.seats.get(date, {}).get(cabin, count) >= count for leg, date in itinerary)

    def _trip(self, origin: str, destination: str, date: str, cabin: str, count: int, after: datetime):
        options = [i for i in self.net.itineraries(origin, destination, date) if self._bookable(i, cabin, count, after)]
        if not options:
            return None
        direct = [i for i in options if len(i) == 1]
        return self.rng.choice(direct if direct and self.rng.random() < 0.65 else options)

    def _new_id(self) -> str:
        while True:
            rid = "".join(self.rng.choices(string.ascii_uppercase + string.digits, k=6))
            if rid not in self.reservation_ids:
                self.reservation_ids.add(rid)
                return rid

    def _payments(self, user: dict, total: int) -> list[dict]:
        rng, methods = self.rng, user["payment_methods"]
        cards = [m for m in methods.values() if m["source"] == "credit_card"]
        gifts = [m for m in methods.values() if m["source"] == "gift_card"]
        certificates = [m for m in methods.values() if m["source"] == "certificate"]
        history = []
        if certificates and rng.random() < 0.2:
            certificate = rng.choice(certificates)
            used = min(int(certificate["amount"]), total)
            history.append({"payment_id": certificate["id"], "amount": used})
            del methods[certificate["id"]]  # a certificate is consumed whole
            total -= used
            if total == 0:
                return history
        payers = gifts if gifts and (not cards or rng.random() < 0.25) else cards
        if not cards and (not gifts or total > 250):  # the customer registered a card for this booking
            card = {"source": "credit_card", "id": self.ids.take("credit_card"),
                    "brand": rng.choice(("visa", "mastercard")), "last_four": f"{rng.randint(0, 9999):04d}"}
            methods[card["id"]] = card
            payers = [card]
        if gifts and cards and rng.random() < 0.15 and total > 1:
            part = rng.randint(1, total - 1)
            history += [{"payment_id": rng.choice(gifts)["id"], "amount": part},
                        {"payment_id": rng.choice(cards)["id"], "amount": total - part}]
        else:
            history.append({"payment_id": rng.choice(payers)["id"], "amount": total})
        return history

    def book(self, user: dict) -> dict | None:
        rng = self.rng
        created = START + timedelta(seconds=rng.randrange(int((NOW_DT - START).total_seconds())))
        home = HOME_AIRPORT.get(user["address"]["city"])
        pick = lambda: rng.choices(self.airports, cum_weights=self.cum_weights)[0]  # noqa: E731
        origin = home if home and rng.random() < 0.6 else pick()
        destination = pick()
        if destination == origin:
            return None
        first_day = max(1, created.day if created.month == 5 else 1)
        day = min(30, first_day + min(int(rng.expovariate(1 / 6)), 20))
        date = f"2024-05-{day:02d}"
        round_trip = rng.random() < 0.45
        cabin = rng.choices(CABINS, weights=(32, 36, 32))[0]
        count = rng.choices((1, 2, 3, 4, 5), weights=(46, 31, 14, 6, 3))[0]
        out = self._trip(origin, destination, date, cabin, count, created + timedelta(hours=2))
        if out is None:
            return None
        segments = list(out)
        if round_trip:
            back_date = _shift(date, rng.choices((0, 1, 2, 3, 4, 5, 7), weights=(4, 14, 18, 18, 14, 12, 10))[0])
            back = back_date and self._trip(destination, origin, back_date, cabin, count,
                                            _arrival(*out[-1]) + timedelta(hours=3))
            if not back:
                return None
            segments += back
        user_passenger = {"first_name": user["name"]["first_name"], "last_name": user["name"]["last_name"],
                          "dob": user["dob"]}
        pool = [p for p in user["saved_passengers"]]
        rng.shuffle(pool)
        passengers = [user_passenger] if rng.random() < 0.75 else []
        while len(passengers) < count:
            passengers.append(dict(pool.pop()) if pool
                              else make_person(rng, user["name"]["last_name"] if rng.random() < 0.3 else None))
        insurance = "yes" if rng.random() < 0.45 else "no"
        free = FREE_BAGS[user["membership"]][cabin] * count
        total_bags = sum(rng.choices((0, 1, 2, 3), weights=(35, 40, 18, 7))[0] for _ in range(count))
        nonfree = max(0, total_bags - free)
        flights = [{"flight_number": leg.number, "origin": leg.origin, "destination": leg.destination,
                    "date": d, "price": leg.prices[d][cabin]} for leg, d in segments]
        total = sum(f["price"] for f in flights) * count + (INSURANCE_FEE * count if insurance == "yes" else 0)
        total += BAG_FEE * nonfree
        history = self._payments(user, total)
        reservation = {
            "reservation_id": self._new_id(), "user_id": user["user_id"], "origin": origin,
            "destination": destination, "flight_type": "round_trip" if round_trip else "one_way", "cabin": cabin,
            "flights": flights, "passengers": passengers, "payment_history": history,
            "created_at": created.strftime("%Y-%m-%dT%H:%M:%S"), "total_baggages": total_bags,
            "nonfree_baggages": nonfree, "insurance": insurance, "status": None,
        }
        roll = rng.random()
        if roll < 0.07:  # cancelled later: every payment refunded, seats released
            reservation["payment_history"] += [{"payment_id": p["payment_id"], "amount": -p["amount"]} for p in history]
            reservation["status"] = "cancelled"
            return reservation
        if roll < 0.13:  # bags added after booking, paid with a card or gift card
            payers = [m["id"] for m in user["payment_methods"].values() if m["source"] != "certificate"]
            extra = rng.randint(1, 2) if payers else 0
            reservation["total_baggages"] += extra
            reservation["nonfree_baggages"] += extra
            if extra:
                reservation["payment_history"].append({"payment_id": rng.choice(payers), "amount": BAG_FEE * extra})
        for leg, d in segments:
            if d in leg.seats:
                leg.seats[d][cabin] -= count
        return reservation


def generate(seed: int, scale: float = 1.0) -> tuple[dict, None]:
    """A fresh, internally consistent airline database (deterministic for `seed` and `scale`)."""
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    rng = random.Random(seed)
    legs = build_network(rng, min(999, max(150, round(300 * scale ** 0.5))))
    ids = IdPool(rng)
    users = make_users(rng, max(3, round(500 * scale)), ids)
    booker = Booker(rng, legs, users, ids)
    user_list = list(users.values())
    weights = [0.0 if rng.random() < 0.1 else rng.expovariate(1.0) for _ in user_list]
    target = max(5, round(2000 * scale))
    reservations: dict[str, dict] = {}
    attempts = 0
    while len(reservations) < target and attempts < target * 20:
        attempts += 1
        reservation = booker.book(rng.choices(user_list, weights)[0])
        if reservation is not None:
            reservations[reservation["reservation_id"]] = reservation
    for reservation in sorted(reservations.values(), key=lambda r: r["created_at"]):
        users[reservation["user_id"]]["reservations"].append(reservation["reservation_id"])
    flights = {leg.number: leg.record() for leg in legs}
    return {"flights": flights, "users": users, "reservations": reservations}, None

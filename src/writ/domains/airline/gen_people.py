"""Synthetic airline customers: names, addresses, payment methods, saved passengers, membership."""

from __future__ import annotations

import random
from datetime import date, timedelta

__all__ = ["HOME_AIRPORT", "IdPool", "make_person", "make_users"]

FIRST_NAMES = (
    "Mia", "Chen", "Raj", "Fatima", "Amelia", "Liam", "Olivia", "Noah", "Sofia", "Yusuf", "Aarav", "Mei",
    "Lucas", "Sophia", "Ethan", "Isabella", "Omar", "Ava", "Mohamed", "Emma", "James", "Yara", "Ivan",
    "Harper", "Daiki", "Anya", "Mateo", "Chloe", "Arjun", "Lei", "Aisha", "Juan", "Evelyn", "Kenji",
    "Nadia", "Ahmed", "Grace", "Lina", "Hiroshi", "Zoe", "Priya", "Daniel", "Elena", "Samuel", "Nia",
    "Mason", "Layla", "Diego", "Hana", "Benjamin", "Amara", "Leo", "Ingrid", "Tariq", "Rosa", "Kai",
)
LAST_NAMES = (
    "Li", "Jackson", "Sanchez", "Martin", "Ahmed", "Smith", "Hernandez", "Nguyen", "Taylor", "Santos",
    "Garcia", "Kim", "Patel", "Johnson", "Brown", "Lopez", "Wilson", "Rossi", "Muller", "Kovacs",
    "Silva", "Khan", "Tanaka", "Ali", "Lee", "Davis", "Moore", "Anderson", "Thomas", "White", "Harris",
    "Clark", "Lewis", "Walker", "Young", "Wright", "Gonzalez", "Perez", "Rahman", "Chopra", "Sato",
    "Ivanova", "Jensen", "Cohen", "Okafor", "Mensah", "Park", "Wang", "Zhang", "Moreau", "Costa",
)
STREETS = (
    "Sunset Drive", "Cedar Street", "Maple Avenue", "Oak Lane", "Pine Road", "Elm Street", "Lakeview Drive",
    "Hillcrest Road", "Main Street", "River Road", "Park Avenue", "Willow Lane", "Highland Avenue",
    "Broadway", "Chestnut Street", "Spruce Street", "Washington Boulevard", "Magnolia Way", "Ridge Road",
)
# (city, state, zip prefix, nearest airport of list_all_airports)
CITIES = (
    ("New York", "NY", "100", "JFK"), ("Brooklyn", "NY", "112", "LGA"), ("Newark", "NJ", "071", "EWR"),
    ("Jersey City", "NJ", "073", "EWR"), ("Los Angeles", "CA", "900", "LAX"), ("San Diego", "CA", "921", "LAX"),
    ("San Francisco", "CA", "941", "SFO"), ("San Jose", "CA", "951", "SFO"), ("Chicago", "IL", "606", "ORD"),
    ("Dallas", "TX", "752", "DFW"), ("Austin", "TX", "787", "IAH"), ("Houston", "TX", "770", "IAH"),
    ("Denver", "CO", "802", "DEN"), ("Seattle", "WA", "981", "SEA"), ("Portland", "OR", "972", "SEA"),
    ("Atlanta", "GA", "303", "ATL"), ("Miami", "FL", "331", "MIA"), ("Orlando", "FL", "328", "MCO"),
    ("Tampa", "FL", "336", "MCO"), ("Boston", "MA", "021", "BOS"), ("Phoenix", "AZ", "850", "PHX"),
    ("Las Vegas", "NV", "891", "LAS"), ("Charlotte", "NC", "282", "CLT"), ("Minneapolis", "MN", "554", "MSP"),
    ("Detroit", "MI", "482", "DTW"), ("Philadelphia", "PA", "191", "PHL"), ("Pittsburgh", "PA", "152", "PHL"),
    ("Columbus", "OH", "432", "DTW"), ("Nashville", "TN", "372", "ATL"), ("Salt Lake City", "UT", "841", "DEN"),
)
HOME_AIRPORT = {city: airport for city, _, _, airport in CITIES}
RESERVED_CERTIFICATES = {3221322, 3221323, 3221324}  # send_certificate's fixed ids stay free


class IdPool:
    """Unique numeric suffixes per prefix (payment methods), drawn from the generator's rng."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[int] = set(RESERVED_CERTIFICATES)

    def take(self, prefix: str) -> str:
        while True:
            n = self.rng.randint(1_000_000, 9_999_999)
            if n not in self.used:
                self.used.add(n)
                return f"{prefix}_{n}"


def _dob(rng: random.Random, first_year: int, last_year: int) -> str:
    start = date(first_year, 1, 1)
    return (start + timedelta(days=rng.randrange((date(last_year, 12, 31) - start).days))).isoformat()


def make_person(rng: random.Random, last_name: str | None = None, adult: bool = True) -> dict:
    return {
        "first_name": rng.choice(FIRST_NAMES),
        "last_name": last_name or rng.choice(LAST_NAMES),
        "dob": _dob(rng, 1945, 2004) if adult else _dob(rng, 2008, 2021),
    }


def _payment_methods(rng: random.Random, ids: IdPool) -> dict[str, dict]:
    methods = []
    for _ in range(rng.choices((0, 1, 2), weights=(12, 63, 25))[0]):
        methods.append({"source": "credit_card", "id": ids.take("credit_card"),
                        "brand": rng.choice(("visa", "visa", "mastercard", "mastercard", "amex")),
                        "last_four": f"{rng.randint(0, 9999):04d}"})
    for _ in range(rng.choices((0, 1, 2), weights=(55, 33, 12))[0] or (0 if methods else 1)):
        methods.append({"source": "gift_card", "id": ids.take("gift_card"), "amount": float(rng.randint(5, 300))})
    for _ in range(rng.choices((0, 1, 2), weights=(55, 33, 12))[0]):
        methods.append({"source": "certificate", "id": ids.take("certificate"),
                        "amount": float(rng.choice((100, 150, 250, 500)))})
    rng.shuffle(methods)
    return {m["id"]: m for m in methods}


def make_users(rng: random.Random, count: int, ids: IdPool) -> dict[str, dict]:
    users: dict[str, dict] = {}
    while len(users) < count:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        user_id = f"{first.lower()}_{last.lower()}_{rng.randint(1000, 9999)}"
        if user_id in users:
            continue
        city, state, zip_prefix, _ = rng.choice(CITIES)
        roll = rng.random()
        address2 = (f"Suite {rng.randint(100, 999)}" if roll < 0.55
                    else f"Apt {rng.randint(1, 60)}" if roll < 0.75 else None)
        saved = [make_person(rng, last if rng.random() < 0.4 else None, adult=rng.random() < 0.85)
                 for _ in range(rng.choices((0, 1, 2, 3), weights=(10, 50, 30, 10))[0])]
        users[user_id] = {
            "user_id": user_id,
            "name": {"first_name": first, "last_name": last},
            "address": {"address1": f"{rng.randint(10, 9999)} {rng.choice(STREETS)}", "address2": address2,
                        "city": city, "country": "USA", "state": state,
                        "zip": f"{zip_prefix}{rng.randint(0, 99):02d}"},
            "email": f"{first.lower()}.{last.lower()}{rng.randint(1000, 9999)}@example.com",
            "dob": _dob(rng, 1945, 2004),
            "payment_methods": _payment_methods(rng, ids),
            "saved_passengers": saved,
            "membership": rng.choices(("regular", "silver", "gold"), weights=(30, 36, 34))[0],
            "reservations": [],
        }
    return users

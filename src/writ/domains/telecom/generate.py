"""Seeded generator of telecom databases, and the invariants every telecom database must satisfy.

`generate(seed, scale)` returns ``(db, user_db)``: a carrier database shaped like tau2's ``db.toml``
(plans, customers with addresses and payment methods, lines, bills with line items, devices) and
the default phone of ``user_db.toml``. Scale 1.0 gives about tau2's size (4 customers, ~9 lines);
the customer count grows linearly with the scale. The "today" of every generated record is tau2's
2025-02-25: January bills are settled, February bills are open (issued, overdue, disputed, ...),
March bills are drafts collecting one-time charges such as data refuels.
"""

from __future__ import annotations

import random
from typing import Any

from writ.domains.telecom.user_schema import default_user_db

__all__ = ["generate", "invariants"]

PLAN_CATALOG = [
    # name, data limit (GB), price per month, refuel price per GB
    ("Basic Plan", 5.0, 40.0, 5.0),
    ("Premium Plan", 15.0, 65.0, 2.0),
    ("Unlimited Plus", 999.0, 85.0, 0.1),
    ("Family Share", 25.0, 120.0, 3.0),
    ("IoT Basic", 1.0, 15.0, 10.0),
    ("Student Saver", 10.0, 35.0, 4.0),
    ("Travel Pro", 30.0, 95.0, 2.5),
    ("Senior Essentials", 3.0, 25.0, 6.0),
]
FIRST = ["John", "Sarah", "Michael", "Emma", "Olivia", "Liam", "Noah", "Ava", "Sophia", "James", "Isabella",
         "Lucas", "Mia", "Ethan", "Amelia", "Mason", "Harper", "Logan", "Evelyn", "Aiden", "Chloe", "Daniel",
         "Grace", "Henry", "Zoe", "Samuel", "Nora", "David", "Leah", "Omar", "Priya", "Wei", "Yuki", "Carlos"]
LAST = ["Smith", "Johnson", "Lee", "Wilson", "Brown", "Garcia", "Martinez", "Davis", "Lopez", "Clark", "Lewis",
        "Walker", "Hall", "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill",
        "Rivera", "Campbell", "Mitchell", "Roberts", "Patel", "Nguyen", "Kim", "Chen", "Tanaka", "Silva"]
STREETS = ["Main St", "Oak Ave", "Pine St", "River Rd", "Maple Dr", "Cedar Ln", "Elm St", "Lake View Blvd",
           "Sunset Ave", "Hillcrest Rd", "Park Pl", "Washington St"]
CITIES = [("Anytown", "CA", "90210"), ("Springfield", "IL", "62701"), ("Denver", "CO", "80203"),
          ("Austin", "TX", "73301"), ("Portland", "OR", "97201"), ("Seattle", "WA", "98101"),
          ("Boston", "MA", "02108"), ("Miami", "FL", "33101"), ("Phoenix", "AZ", "85001"),
          ("Columbus", "OH", "43004"), ("Nashville", "TN", "37201"), ("Madison", "WI", "53703")]
DEVICE_MODELS = {
    "phone": ["Smartphone X", "Smartphone Pro Max", "Galaxy S23", "Pixel 7", "iPhone 14", "OnePlus 11",
              "Smartphone Lite", "Pixel 8a", "iPhone 15"],
    "tablet": ["Tablet Ultra", "iPad Pro", "Galaxy Tab S9"],
    "watch": ["Watch Series 9", "Galaxy Watch 6"],
    "router": ["Home Hotspot 5G", "MiFi X Pro"],
}
LINE_STATUS = (["Active"] * 40) + (["Suspended"] * 6) + (["Pending Activation"] * 2) + (["Closed"] * 2)
FEB_STATUS = (["Issued"] * 8) + (["Paid"] * 6) + (["Overdue"] * 3) + (["Awaiting Payment"] * 1) + (["Disputed"] * 2)


def _money(cents: int) -> float:
    return cents / 100


def _date(rng: random.Random, y0: int, y1: int) -> str:
    return f"{rng.randint(y0, y1):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


class _Builder:
    def __init__(self, seed: int, scale: float):
        self.rng = random.Random(seed)
        self.scale = scale
        self.numbers: set[str] = set()
        self.imeis: set[str] = set()
        self.db: dict[str, list] = {"plans": [], "customers": [], "lines": [], "bills": [], "devices": []}

    # -- ids and unique values --
    def _next(self, table: str, prefix: str) -> str:
        return f"{prefix}{1001 + len(self.db[table])}"

    def phone_number(self) -> str:
        while True:
            number = f"555-{self.rng.randint(100, 999)}-{self.rng.randint(1000, 9999)}"
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def imei(self) -> str:
        while True:
            value = "".join(str(self.rng.randint(0, 9)) for _ in range(15))
            if value not in self.imeis:
                self.imeis.add(value)
                return value

    # -- records --
    def plans(self) -> None:
        count = min(len(PLAN_CATALOG), 4 + max(1, round(self.scale)))
        for name, limit, price, refuel in PLAN_CATALOG[:count]:
            self.db["plans"].append({"plan_id": self._next("plans", "P"), "name": name, "data_limit_gb": limit,
                                     "price_per_month": price, "data_refueling_price_per_gb": refuel})

    def device(self, kind: str, attached: bool) -> str:
        rng = self.rng
        device_id = self._next("devices", "D")
        activation = None
        if attached:
            activation = f"{_date(rng, 2024, 2024)}T{rng.randint(8, 19):02d}:{rng.choice(['00', '15', '30', '45'])}:00"
        self.db["devices"].append({
            "device_id": device_id, "device_type": kind, "model": rng.choice(DEVICE_MODELS[kind]),
            "imei": self.imei(), "is_esim_capable": rng.random() < 0.8, "activated": attached,
            "activation_date": activation,
            "last_esim_transfer_date": (f"2025-01-{rng.randint(2, 28):02d}T{rng.randint(8, 19):02d}:30:00"
                                        if attached and rng.random() < 0.2 else None),
        })
        return device_id

    def line(self, number: str, kind: str) -> dict:
        rng = self.rng
        plans = self.db["plans"]
        plan = rng.choice([p for p in plans if p["name"] == "IoT Basic"] or plans) if kind in ("watch", "router") \
            else rng.choice(plans)
        status = rng.choice(LINE_STATUS)
        limit = plan["data_limit_gb"]
        if status == "Active" and limit < 900 and rng.random() < 0.15:
            used = round(limit * rng.uniform(1.0, 1.3) + 0.1, 1)  # over the allowance
        elif status in ("Active", "Suspended"):
            used = round(min(limit, 40.0) * rng.uniform(0.0, 0.95), 1)
        else:
            used = 0.0
        refuel = rng.choice([1.0, 2.0]) if status == "Active" and limit < 900 and rng.random() < 0.1 else 0.0
        line = {
            "line_id": self._next("lines", "L"), "phone_number": number, "status": status,
            "plan_id": plan["plan_id"], "device_id": self.device(kind, True) if rng.random() < 0.95 else None,
            "data_used_gb": used, "data_refueling_gb": refuel, "roaming_enabled": rng.random() < 0.4,
            "contract_end_date": rng.choice(["2025-01-31", "2025-06-30"]) if status == "Closed"
            else f"{rng.randint(2025, 2027)}-{rng.choice(['02-28', '06-30', '08-15', '12-31'])}",
            "last_plan_change_date": _date(rng, 2024, 2024),
            "last_sim_replacement_date": f"2025-01-{rng.randint(2, 28):02d}" if rng.random() < 0.3 else None,
            "suspension_start_date": (f"2025-0{rng.randint(1, 2)}-{rng.randint(1, 20):02d}"
                                      if status == "Suspended" else None),
        }
        self.db["lines"].append(line)
        return line

    def bill(self, customer_id: str, month: str, status: str, items: list[tuple[str, int, str, str]]) -> str:
        start, end, issue, due = {
            "12": ("2024-12-01", "2024-12-31", "2024-12-05", "2024-12-19"),
            "01": ("2025-01-01", "2025-01-31", "2025-01-05", "2025-01-19"),
            "02": ("2025-02-01", "2025-02-28", "2025-02-05", "2025-02-19"),
            "03": ("2025-03-01", "2025-03-31", "2025-03-01", "2025-03-15"),
        }[month]
        bill_id = self._next("bills", "B")
        self.db["bills"].append({
            "bill_id": bill_id, "customer_id": customer_id, "period_start": start, "period_end": end,
            "issue_date": issue, "total_due": _money(sum(cents for _, cents, _, _ in items)), "due_date": due,
            "line_items": [{"description": d, "amount": _money(c), "date": day, "item_type": t}
                           for d, c, day, t in items],
            "status": status,
        })
        return bill_id

    def monthly_items(self, lines: list[dict], issue: str, fees: bool) -> list[tuple[str, int, str, str]]:
        plans = {p["plan_id"]: p for p in self.db["plans"]}
        items = []
        for line in lines:
            plan = plans[line["plan_id"]]
            items.append((f"{plan['name']} - Line {line['phone_number']}", round(plan["price_per_month"] * 100), issue,
                          "Plan Charge"))
            if fees and line["status"] == "Suspended":
                items.append((f"Suspension Fee - Line {line['phone_number']}", 500, issue, "Fee"))
            if self.rng.random() < 0.1:
                items.append((f"Data Overage - Line {line['phone_number']}", self.rng.randint(500, 3000), issue,
                              "Overage"))
        if items and self.rng.random() < 0.08:
            items.append(("Goodwill Credit", -self.rng.choice([1000, 1500, 2500]), issue, "Credit"))
        return items

    def customer(self) -> None:
        rng = self.rng
        customer_id = self._next("customers", "C")
        first, last = rng.choice(FIRST), rng.choice(LAST)
        n_lines = rng.choices([0, 1, 2, 3, 4, 5], weights=[10, 35, 25, 15, 10, 5])[0]
        lines = []
        for i in range(n_lines):
            kind = "phone" if i == 0 else rng.choices(["phone", "tablet", "watch", "router"], [70, 15, 10, 5])[0]
            lines.append(self.line(self.phone_number(), kind))
        contact = lines[0]["phone_number"] if lines and rng.random() < 0.5 else self.phone_number()
        bill_ids: list[str] = []
        if lines:
            billed = [ln for ln in lines if ln["status"] != "Pending Activation"]
            if billed:
                if rng.random() < 0.3:
                    bill_ids.append(self.bill(customer_id, "12", "Paid",
                                              self.monthly_items(billed, "2024-12-05", True)))
                jan_status = "Overdue" if rng.random() < 0.05 else "Paid"
                bill_ids.append(self.bill(customer_id, "01", jan_status,
                                          self.monthly_items(billed, "2025-01-05", True)))
                feb_status = rng.choice(FEB_STATUS)
                if jan_status == "Overdue" and feb_status == "Overdue":
                    feb_status = "Issued"
                bill_ids.append(self.bill(customer_id, "02", feb_status,
                                          self.monthly_items(billed, "2025-02-05", True)))
            refuels = [ln for ln in lines if ln["data_refueling_gb"] > 0]
            if refuels or rng.random() < 0.7:
                plans = {p["plan_id"]: p for p in self.db["plans"]}
                items = []
                for ln in refuels:
                    price = plans[ln["plan_id"]]["data_refueling_price_per_gb"]
                    items.append((f"Data refueling: {ln['data_refueling_gb']} GB at ${price}/GB",
                                  round(ln["data_refueling_gb"] * price * 100), "2025-02-2" + str(rng.randint(0, 4)),
                                  "Charge"))
                bill_ids.append(self.bill(customer_id, "03", "Draft", items))
        suspended = any(ln["status"] == "Suspended" for ln in lines)
        status = ("Pending Verification" if not lines
                  else "Suspended" if suspended and rng.random() < 0.5
                  else rng.choices(["Active", "Closed"], [97, 3])[0])
        city, state, zip_code = rng.choice(CITIES)
        methods = [{"method_type": rng.choice(["Credit Card", "Debit Card", "PayPal"]),
                    "account_number_last_4": f"{rng.randint(0, 9999):04d}",
                    "expiration_date": f"{rng.randint(1, 12):02d}/{rng.randint(2025, 2030)}"}
                   for _ in range(rng.choices([0, 1, 2, 3], [5 if lines else 60, 60, 28, 7])[0])]
        self.db["customers"].append({
            "customer_id": customer_id, "full_name": f"{first} {last}",
            "date_of_birth": f"{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "email": f"{first.lower()}.{last.lower()}{len(self.db['customers']) + 1}@example.com",
            "phone_number": contact,
            "address": {"street": f"{rng.randint(1, 9999)} {rng.choice(STREETS)}", "city": city, "state": state,
                        "zip_code": zip_code},
            "account_status": status, "payment_methods": methods,
            "line_ids": [ln["line_id"] for ln in lines], "bill_ids": bill_ids,
            "created_at": (f"{_date(rng, 2023, 2024)}T{rng.randint(8, 19):02d}:"
                           f"{rng.choice(['00', '15', '30', '45'])}:00"),
            "last_extension_date": f"2025-01-{rng.randint(2, 28):02d}" if rng.random() < 0.15 else None,
            "goodwill_credit_used_this_year": rng.choice([0.0, 0.0, 0.0, 25.0, 50.0]),
        })

    def build(self) -> dict:
        self.plans()
        for _ in range(max(2, round(4 * self.scale))):
            self.customer()
        for _ in range(round(self.rng.uniform(0.0, 0.1) * len(self.db["devices"]))):  # spare, unassigned
            self.device(self.rng.choice(["phone", "tablet"]), False)
        return self.db


def generate(seed: int, scale: float = 1.0) -> tuple[dict, dict]:
    """A fresh carrier database and the default phone, deterministic for ``seed``."""
    return _Builder(seed, scale).build(), default_user_db()


def invariants(db: dict) -> list[str]:
    """Human-readable violations of the references and sums that make a telecom database consistent."""
    problems: list[str] = []
    ids: dict[str, dict[str, Any]] = {}
    for table, field in (("plans", "plan_id"), ("customers", "customer_id"), ("lines", "line_id"),
                         ("bills", "bill_id"), ("devices", "device_id")):
        ids[table] = {}
        for record in db.get(table, []):
            if record[field] in ids[table]:
                problems.append(f"{table}: duplicate id {record[field]}")
            ids[table][record[field]] = record
    numbers: dict[str, str] = {}
    devices_used: dict[str, str] = {}
    for line in db.get("lines", []):
        lid = line["line_id"]
        if line["phone_number"] in numbers:
            problems.append(f"line {lid}: phone number {line['phone_number']} also on {numbers[line['phone_number']]}")
        numbers[line["phone_number"]] = lid
        if line["plan_id"] not in ids["plans"]:
            problems.append(f"line {lid}: unknown plan {line['plan_id']}")
        device = line.get("device_id")
        if device is not None:
            if device not in ids["devices"]:
                problems.append(f"line {lid}: unknown device {device}")
            elif device in devices_used:
                problems.append(f"line {lid}: device {device} also on {devices_used[device]}")
            devices_used[device] = lid
        if (line["status"] == "Suspended") != (line.get("suspension_start_date") is not None):
            problems.append(
                f"line {lid}: status {line['status']} but suspension_start_date {line.get('suspension_start_date')}")
        if line.get("data_used_gb", 0.0) < 0 or line.get("data_refueling_gb", 0.0) < 0:
            problems.append(f"line {lid}: negative data figures")
    line_owner: dict[str, str] = {}
    bill_owner: dict[str, str] = {}
    for customer in db.get("customers", []):
        cid = customer["customer_id"]
        for lid in customer.get("line_ids", []):
            if lid not in ids["lines"]:
                problems.append(f"customer {cid}: unknown line {lid}")
            elif lid in line_owner:
                problems.append(f"customer {cid}: line {lid} also owned by {line_owner[lid]}")
            line_owner[lid] = cid
        awaiting = 0
        for bid in customer.get("bill_ids", []):
            bill = ids["bills"].get(bid)
            if bill is None:
                problems.append(f"customer {cid}: unknown bill {bid}")
                continue
            if bid in bill_owner:
                problems.append(f"customer {cid}: bill {bid} also listed by {bill_owner[bid]}")
            bill_owner[bid] = cid
            if bill["customer_id"] != cid:
                problems.append(f"customer {cid}: bill {bid} belongs to {bill['customer_id']}")
            awaiting += bill.get("status") == "Awaiting Payment"
        if awaiting > 1:
            problems.append(f"customer {cid}: {awaiting} bills awaiting payment (at most one allowed)")
        other = numbers.get(customer["phone_number"])
        if other is not None and other not in customer.get("line_ids", []):
            problems.append(f"customer {cid}: contact number is line {other} of another customer")
    for lid in ids["lines"]:
        if lid not in line_owner:
            problems.append(f"line {lid}: owned by no customer")
    for bill in db.get("bills", []):
        bid = bill["bill_id"]
        if bill["customer_id"] not in ids["customers"]:
            problems.append(f"bill {bid}: unknown customer {bill['customer_id']}")
        elif bid not in bill_owner:
            problems.append(f"bill {bid}: not listed by customer {bill['customer_id']}")
        total = sum(item["amount"] for item in bill.get("line_items", []))
        if abs(total - bill["total_due"]) > 0.005:
            problems.append(f"bill {bid}: line items sum to {round(total, 2)} but total_due is {bill['total_due']}")
        if not (bill["period_start"] <= bill["period_end"] and bill["issue_date"] <= bill["due_date"]):
            problems.append(f"bill {bid}: dates out of order")
    return problems

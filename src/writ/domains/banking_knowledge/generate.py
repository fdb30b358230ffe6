"""Seeded banking databases (tau2's schema and conventions) with a knowledge base to match.

`generate(seed, scale)` returns ``(db, None, {"documents": [...]})``: about ``40 * scale``
customers with checking and savings accounts ("saving" is tau2's spelling of the class), debit
cards on checking accounts, credit card accounts with purchase histories whose rewards follow
each card's rates, bank transactions whose sum is each account's balance, payment histories,
referrals and a few open disputes, orders and closure records, all dated before the domain's
fixed today (11/14/2025). The knowledge base (`kb_generate`) documents the products and the
procedures, naming the discoverable tools the database supports. One `random.Random(seed)`, no
clock, no set iteration: the same seed gives the same bytes.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from writ.domains.banking_knowledge import ids
from writ.domains.banking_knowledge.bank_accounts import CHECKING_EARLY_CLOSURE, SAVINGS_EARLY_CLOSURE
from writ.domains.banking_knowledge.clock import TODAY
from writ.domains.banking_knowledge.kb_generate import generate_documents
from writ.domains.banking_knowledge.schema import TABLES
from writ.domains.banking_knowledge.user_tools import REWARD_RATES

__all__ = ["generate"]

FIRST = ["Mia", "Liam", "Ava", "Noah", "Zoe", "Ethan", "Priya", "Kenji", "Amara", "Diego", "Sofia", "Marcus", "Elena",
         "Omar", "Hannah", "Wei", "Fatima", "Lucas", "Ines", "Tyler", "Grace", "Ravi", "Chloe", "Mateo", "Aisha",
         "Jonas", "Leila", "Samuel", "Nora", "Kwame"]
LAST = ["Smith", "Tanaka", "Okonkwo", "Garcia", "Chen", "Patel", "Brooks", "Kowalski", "Rodriguez", "Nguyen", "Larsen",
        "Haddad", "Moreau", "Silva", "Washington", "Winters", "Abebe", "Fischer", "Khan", "Rossi", "Murphy", "Ito"]
STREETS = ["Maple Street", "Cherry Blossom Lane", "Magnolia Street", "Hawthorne Boulevard", "Pine Street",
           "Lakeview Drive", "Cedar Avenue", "South Lamar Blvd", "Aegean Drive", "Elm Court"]
CITIES = [("Austin", "TX", "787", "512"), ("Seattle", "WA", "981", "206"), ("Houston", "TX", "770", "713"),
          ("Portland", "OR", "972", "503"), ("Tampa", "FL", "336", "813"), ("Chicago", "IL", "606", "312"),
          ("Denver", "CO", "802", "303")]
MAIL = ["gmail.com", "outlook.com", "icloud.com", "yahoo.com", "protonmail.com"]
CHECKING_TIERS = list(CHECKING_EARLY_CLOSURE) + ["Dark Green Account", "Purple Account"]
SAVINGS_TIERS = list(SAVINGS_EARLY_CLOSURE)
CARD_ABBREV = {name: name.lower().replace(" rewards card", "").replace(" card", "").replace("business ", "biz")
               .replace("-", "").replace(" ", "") for name in REWARD_RATES}
MERCHANTS = {
    "Groceries": ["Costco", "Whole Foods", "Trader Joe's"], "Dining": ["Chipotle", "Olive Garden", "Sweetgreen"],
    "Travel": ["Delta Air Lines", "Marriott", "Hertz"], "Software": ["Adobe", "GitHub", "JetBrains"],
    "Shopping": ["Target", "Amazon", "Best Buy"], "Entertainment": ["Netflix", "AMC Theatres", "Spotify"],
    "Utilities": ["Austin Energy", "Comcast", "AT&T"], "Green": ["Patagonia", "Tesla Supercharger", "REI"],
    "Operations": ["Staples", "Uline", "FedEx Office"], "Media": ["Google Ads", "Meta Ads", "LinkedIn Ads"],
    "Transportation": ["Uber Freight", "Shell", "Penske"], "Sustainable": ["Seventh Generation", "Allbirds", "REI"],
}
BANK_EVENTS = [("direct_deposit", "DIRECT DEPOSIT - {employer} PAYROLL", 1),
               ("debit_card_purchase", "DEBIT CARD PURCHASE - {shop}", -1),
               ("atm_withdrawal", "ATM WITHDRAWAL - RHO-BANK #{atm} {city}", -1),
               ("mobile_deposit", "MOBILE CHECK DEPOSIT", 1),
               ("bill_pay", "BILL PAY - {utility}", -1), ("ach_transfer_in", "ACH TRANSFER IN - {employer}", 1)]
EMPLOYERS = ["ACME CORP", "NORTHWIND", "GLOBEX", "INITECH", "UMBRELLA HEALTH"]


def _day(rng: random.Random, earliest: int, latest: int = 1) -> str:
    return (TODAY - timedelta(days=rng.randint(latest, earliest))).strftime("%m/%d/%Y")


def _hex(rng: random.Random, n: int = 10) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _person(rng: random.Random, used: set[str]) -> dict[str, Any]:
    while True:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name not in used:
            used.add(name)
            break
    city, state, zip3, area = rng.choice(CITIES)
    user_id = _hex(rng)
    handle = name.lower().replace(" ", ".") + str(rng.randint(1, 9999))
    return {"name": name, "user_id": user_id,
            "address": f"{rng.randint(100, 9999)} {rng.choice(STREETS)}, {city}, {state} {zip3}{rng.randint(10, 99)}",
            "email": f"{handle}@{rng.choice(MAIL)}", "phone_number": f"{area}-555-{rng.randint(0, 9999):04d}",
            "date_of_birth": date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28)).strftime("%m/%d/%Y")}


def _bank_history(rng: random.Random, account_id: str, city: str) -> tuple[dict[str, Any], float]:
    """Posted transactions of an account, oldest first, and their sum (the account's balance)."""
    history: dict[str, Any] = {}
    balance = 0.0
    days = sorted({rng.randint(1, 120) for _ in range(rng.randint(3, 9))}, reverse=True)
    for i, ago in enumerate(days):
        kind, template, sign = BANK_EVENTS[0] if i == 0 else rng.choice(BANK_EVENTS)
        amount = round(rng.uniform(900, 4200), 2) if sign > 0 else -round(rng.uniform(8, min(300, balance)), 2)
        if sign < 0 and balance < 20:
            continue
        when = (TODAY - timedelta(days=ago)).strftime("%m/%d/%Y")
        text = template.format(employer=rng.choice(EMPLOYERS), shop=rng.choice(MERCHANTS["Shopping"]).upper(),
                               atm=rng.randint(1000, 9999), city=city.upper(),
                               utility=rng.choice(MERCHANTS["Utilities"]).upper())
        key = "btxn_" + ids.digest(f"bank_txn:{account_id}:{when}:{text}:{amount:.2f}:{kind}", 12)
        history[key] = {"transaction_id": key, "account_id": account_id, "date": when, "description": text,
                        "amount": amount, "type": kind, "status": "posted"}
        balance = round(balance + amount, 2)
    return history, balance


def generate(seed: int = 0, scale: float = 1.0) -> tuple[dict[str, Any], None, dict[str, Any]]:
    rng = random.Random(seed)
    tables: dict[str, dict[str, Any]] = {t: {} for t in TABLES}
    n_users = max(4, round(40 * scale))
    used: set[str] = set()
    for _ in range(n_users):
        user = _person(rng, used)
        uid = user["user_id"]
        tables["users"][uid] = user
        city = user["address"].split(", ")[1]
        for kind, tiers, prefix in (("checking", CHECKING_TIERS, "chk"), ("saving", SAVINGS_TIERS, "sav")):
            if kind == "saving" and rng.random() < 0.5:
                continue
            level = rng.choice(tiers)
            account_id = f"{prefix}_{uid}"
            history, balance = _bank_history(rng, account_id, city)
            tables["bank_account_transaction_history"].update(history)
            tables["accounts"][account_id] = {
                "account_id": account_id, "user_id": uid, "class": kind, "level": level,
                "date_opened": _day(rng, 1500, 5), "status": "OPEN", "current_holdings": f"{balance:.2f}"}
            if kind == "checking" and rng.random() < 0.7:
                _debit_card(rng, tables, user, account_id, level)
        for card_type in rng.sample(sorted(REWARD_RATES), rng.randint(0, 2)):
            _credit_card(rng, tables, uid, card_type)
    _extras(rng, tables)
    db = {t: {"data": tables[t], "notes": ""} for t in TABLES}
    return db, None, {"documents": generate_documents(seed, scale)}


def _debit_card(rng: random.Random, tables: dict, user: dict, account_id: str, level: str) -> None:
    card_id = f"dbc_{user['user_id']}_{level.split()[0].lower()}"
    issued = _day(rng, 900, 30)
    month, _, year = issued.split("/")
    status, reason = rng.choice([("ACTIVE", "new_account")] * 6 + [("PENDING", "lost"), ("PENDING", "expired"),
                                                                   ("FROZEN", "new_account")])
    card = {"card_id": card_id, "account_id": account_id, "user_id": user["user_id"],
            "cardholder_name": user["name"].upper(), "last_4_digits": f"{rng.randint(0, 9999):04d}",
            "cvv": f"{rng.randint(0, 999):03d}", "status": status, "issue_date": issued,
            "expiration_date": f"{month}/28/{int(year) + 4}", "issue_reason": reason}
    if rng.random() < 0.3:
        card["daily_atm_limit"] = rng.choice([300, 500, 800])
        card["daily_purchase_limit"] = rng.choice([2000, 3000, 5000])
    tables["debit_cards"][card_id] = card


def _credit_card(rng: random.Random, tables: dict, uid: str, card_type: str) -> None:
    account_id = f"cc_{uid}_{CARD_ABBREV[card_type]}"
    rates = REWARD_RATES[card_type]
    categories = [c for c in rates if c != "default"] + ["Groceries", "Dining", "Shopping"]
    points = 0
    for _ in range(rng.randint(3, 9)):
        category = rng.choice(categories)
        merchant = rng.choice(MERCHANTS.get(category, MERCHANTS["Shopping"]))
        amount = round(rng.uniform(5, 900), 2)
        key = ids.transaction_id(uid, card_type, merchant, amount, category)
        earned = int(amount * rates.get(category, rates["default"]))
        points += earned
        tables["credit_card_transaction_history"][key] = {
            "transaction_id": key, "user_id": uid, "credit_card_type": card_type, "merchant_name": merchant,
            "transaction_amount": f"${amount:.2f}", "transaction_date": _day(rng, 90), "category": category,
            "status": "COMPLETED", "rewards_earned": f"{earned} points"}
    limit = rng.choice([2000, 4000, 5000, 8000, 12000])
    tables["credit_card_accounts"][account_id] = {
        "account_id": account_id, "user_id": uid, "card_type": card_type, "date_of_account_open": _day(rng, 1800, 60),
        "current_balance": f"${rng.uniform(0, limit * 0.6):.2f}", "credit_limit": f"${limit:.2f}",
        "reward_points": f"{points} points"}
    if rng.random() < 0.5:
        for month in range(6, 0, -1):
            paid = (TODAY.replace(day=15) - timedelta(days=30 * month)).replace(day=15).strftime("%m/%d/%Y")
            key = f"pay_{account_id[3:]}_{paid[6:]}{paid[:2]}"
            tables["payment_history"][key] = {
                "payment_id": key, "credit_card_account_id": account_id, "user_id": uid, "payment_date": paid,
                "amount": f"${rng.uniform(50, 600):.2f}", "status": "ON_TIME" if rng.random() < 0.85 else "LATE"}


def _extras(rng: random.Random, tables: dict) -> None:
    """Referrals, and a few records of earlier requests (disputes, orders, closure reasons)."""
    users = list(tables["users"])
    for uid in rng.sample(users, max(1, len(users) // 3)):
        card_type = rng.choice(sorted(REWARD_RATES))
        key = ids.referral_id(uid, card_type)
        tables["referrals"][key] = {"referral_id": key, "referrer_id": uid, "referred_account_type": card_type,
                                    "referral_status": rng.choice(["COMPLETE", "NO_PROGRESS", "APPLIED"]),
                                    "date": _day(rng, 200)}
    cards = list(tables["credit_card_accounts"].values())
    for card in rng.sample(cards, min(len(cards), max(1, len(cards) // 10))):
        reason = rng.choice(["damaged", "expired", "lost"])
        key = ids.card_order_id(card["account_id"], card["user_id"], reason)
        tables["credit_card_orders"][key] = {
            "order_id": key, "credit_card_account_id": card["account_id"], "user_id": card["user_id"],
            "shipping_address": tables["users"][card["user_id"]]["address"], "reason": reason,
            "expedited_shipping": False, "order_date": _day(rng, 20, 3), "status": "SHIPPED"}
    for card in rng.sample(cards, min(len(cards), max(1, len(cards) // 12))):
        key = ids.closure_reason_id(card["account_id"], card["user_id"])
        tables["credit_card_closure_reasons"][key] = {
            "record_id": key, "credit_card_account_id": card["account_id"], "user_id": card["user_id"],
            "closure_reason": rng.choice(["annual_fee", "not_using_card", "simplifying_finances"]),
            "logged_at": _day(rng, 120, 30), "status": "LOGGED"}

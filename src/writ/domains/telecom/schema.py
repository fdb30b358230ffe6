"""Telecom agent database schema (tau2's `TelecomDB`), used only when a database is loaded.

`normalize_db` validates raw data (a parsed ``db.toml`` or a generated dict) against pydantic models
that mirror tau2's field order, types and defaults, and returns plain JSON data: enums as their
values, dates as ``"YYYY-MM-DD"``, datetimes as ISO ``"YYYY-MM-DDTHH:MM:SS"`` strings, every optional
field present. Tools then work on plain dicts only. Every record rejects unknown keys, as in tau2.

One tau2 detail kept on purpose: ``Customer.created_at`` is declared a datetime but its default is
the *date* 2025-01-01, which tau2 never validates; a customer without ``created_at`` therefore keeps
``"2025-01-01"`` (no time part) while a given value always becomes a full datetime.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "DATETIME_FIELDS",
    "TABLES",
    "TelecomDB",
    "normalize_db",
    "plain",
]

DEFAULT_START_DATE = dt.date(2025, 1, 1)

TABLES = ("plans", "customers", "lines", "bills", "devices")
ID_FIELDS = {"plans": "plan_id", "customers": "customer_id", "lines": "line_id", "bills": "bill_id",
             "devices": "device_id"}
# Fields declared as datetimes: stored ISO ("T"), rendered with a space inside model dumps.
DATETIME_FIELDS = {"customers": ("created_at",), "devices": ("activation_date", "last_esim_transfer_date")}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DeviceType(str, Enum):
    PHONE = "phone"
    ROUTER = "router"
    TABLET = "tablet"
    WATCH = "watch"
    OTHER = "other"


class LineStatus(str, Enum):
    ACTIVE = "Active"
    SUSPENDED = "Suspended"
    PENDING_ACTIVATION = "Pending Activation"
    CLOSED = "Closed"


class BillStatus(str, Enum):
    DRAFT = "Draft"
    ISSUED = "Issued"
    AWAITING_PAYMENT = "Awaiting Payment"
    PAID = "Paid"
    OVERDUE = "Overdue"
    DISPUTED = "Disputed"


class AccountStatus(str, Enum):
    ACTIVE = "Active"
    SUSPENDED = "Suspended"
    PENDING_VERIFICATION = "Pending Verification"
    CLOSED = "Closed"


class PaymentMethodType(str, Enum):
    CREDIT_CARD = "Credit Card"
    DEBIT_CARD = "Debit Card"
    PAYPAL = "PayPal"


class Address(_Strict):
    street: str
    city: str
    state: str
    zip_code: str


class Plan(_Strict):
    plan_id: str
    name: str
    data_limit_gb: float
    price_per_month: float
    data_refueling_price_per_gb: float


class Device(_Strict):
    device_id: str
    device_type: DeviceType
    model: str
    imei: str | None = None
    is_esim_capable: bool
    activated: bool = False
    activation_date: dt.datetime | None = None
    last_esim_transfer_date: dt.datetime | None = None


class Line(_Strict):
    line_id: str
    phone_number: str
    status: LineStatus = LineStatus.PENDING_ACTIVATION
    plan_id: str
    device_id: str | None = None
    data_used_gb: float = 0.0
    data_refueling_gb: float = 0.0
    roaming_enabled: bool = False
    contract_end_date: dt.date | None = None
    last_plan_change_date: dt.date | None = None
    last_sim_replacement_date: dt.date | None = None
    suspension_start_date: dt.date | None = None


class LineItem(_Strict):
    description: str
    amount: float
    date: dt.date
    item_type: str


class Bill(_Strict):
    bill_id: str
    customer_id: str
    period_start: dt.date
    period_end: dt.date
    issue_date: dt.date
    total_due: float
    due_date: dt.date
    line_items: list[LineItem] = Field(default_factory=list)
    status: BillStatus = BillStatus.DRAFT


class PaymentMethod(_Strict):
    method_type: PaymentMethodType
    account_number_last_4: str
    expiration_date: str


class Customer(_Strict):
    customer_id: str
    full_name: str
    date_of_birth: str
    email: str
    phone_number: str
    address: Address
    account_status: AccountStatus = AccountStatus.PENDING_VERIFICATION
    payment_methods: list[PaymentMethod] = Field(default_factory=list)
    line_ids: list[str] = Field(default_factory=list)
    bill_ids: list[str] = Field(default_factory=list)
    created_at: dt.datetime = DEFAULT_START_DATE  # type: ignore[assignment]  # tau2: a date default
    last_extension_date: dt.date | None = None
    goodwill_credit_used_this_year: float = 0.0


class TelecomDB(_Strict):
    plans: list[Plan] = Field(default_factory=list)
    customers: list[Customer] = Field(default_factory=list)
    lines: list[Line] = Field(default_factory=list)
    bills: list[Bill] = Field(default_factory=list)
    devices: list[Device] = Field(default_factory=list)


def plain(value: Any) -> Any:
    """A python-mode model dump turned into plain JSON data (enums, dates, datetimes as strings)."""
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.datetime, dt.date)):  # datetime first: it is a date subclass
        return value.isoformat()
    return value


def normalize_db(raw: dict) -> dict:
    """Validate a telecom database and return it as plain data in tau2's declaration order."""
    return plain(TelecomDB.model_validate(raw).model_dump(warnings=False))  # the date default of created_at

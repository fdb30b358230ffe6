"""The banking domain's fixed clock: every scenario happens on 11/14/2025 at 03:40 EST.

tau2 freezes time for this domain so that dates written by tools (and ids derived from them) are
reproducible; writ uses the same instant everywhere a tool needs "today" or "now".
"""

from __future__ import annotations

from datetime import date, datetime

__all__ = ["CURRENT_TIME_TEXT", "NOW", "TODAY", "today_str"]

TODAY = date(2025, 11, 14)
NOW = datetime(2025, 11, 14, 3, 40, 0)
CURRENT_TIME_TEXT = "The current time is 2025-11-14 03:40:00 EST."


def today_str() -> str:
    """Today as the domain writes dates everywhere: MM/DD/YYYY."""
    return TODAY.strftime("%m/%d/%Y")

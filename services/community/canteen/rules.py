"""The shared canteen as pure rules: the elderly meal subsidy (老年助餐补贴) and ordering cut-offs.

Subsidy per meal by age band, plus a supplement for low-income elders (低保/低边), never more than the price.
The bands follow the usual Hangzhou shape (more help with age); a policy change edits ``AGE_BANDS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from services.community.localtime import local_at

Meal = Literal["breakfast", "lunch", "dinner"]
# (minimum age, fen per meal, band name), highest first.
AGE_BANDS: tuple[tuple[int, int, str], ...] = ((90, 600, "90+"), (80, 400, "80-89"), (70, 300, "70-79"),
                                               (60, 200, "60-69"))
LOW_INCOME_SUPPLEMENT_FEN = 300
# Orders (and cancellations) close before the kitchen buys and cooks: (days before, local time).
CUT_OFF: dict[str, tuple[int, time]] = {
    "breakfast": (1, time(20, 0)), "lunch": (0, time(9, 30)), "dinner": (0, time(14, 30)),
}
MAX_DAYS_AHEAD = 14


@dataclass(frozen=True)
class Price:
    price_fen: int
    subsidy_fen: int
    payable_fen: int
    band: str


def price_meal(*, price_fen: int, age: int, low_income: bool) -> Price:
    subsidy, band = 0, "none"
    for minimum, fen, name in AGE_BANDS:
        if age >= minimum:
            subsidy, band = fen, name
            break
    if low_income and subsidy:
        subsidy += LOW_INCOME_SUPPLEMENT_FEN
        band += "/low_income"
    subsidy = min(subsidy, price_fen)
    return Price(price_fen, subsidy, price_fen - subsidy, band)


def cut_off(meal_date: date, meal: str) -> datetime:
    days_before, clock = CUT_OFF[meal]
    return local_at(meal_date - timedelta(days=days_before), clock)


def ordering_refusal(*, meal_date: date, meal: str, now: datetime, today: date) -> str | None:
    if now >= cut_off(meal_date, meal):
        return f"orders for {meal} on {meal_date} closed at {cut_off(meal_date, meal).isoformat()}"
    if (meal_date - today).days > MAX_DAYS_AHEAD:
        return f"meals are ordered at most {MAX_DAYS_AHEAD} days ahead"
    return None

"""Months and periods: reading a month as the deliveries write it, month arithmetic, and the
reporting periods (month, quarter, year) the indicators are computed for."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from core.normalize import value_key

Period = Literal["month", "quarter", "year"]

_MONTH_NUMBERS = {
    "jan": 1, "januar": 1, "feb": 2, "februar": 2, "maer": 3, "maerz": 3, "mrz": 3, "mar": 3,
    "apr": 4, "april": 4, "mai": 5, "jun": 6, "juni": 6, "jul": 7, "juli": 7, "aug": 8,
    "august": 8, "sep": 9, "sept": 9, "september": 9, "okt": 10, "oktober": 10, "nov": 11,
    "november": 11, "dez": 12, "dezember": 12,
}  # fmt: skip
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_MONTH_YEAR = re.compile(r"(\d{1,2})[/.](\d{4})")
_COMPACT = re.compile(r"(\d{4})(\d{2})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?: .*)?")
_GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})")
_NAMED = re.compile(r"([a-zäöü]+)\.?\s*[-/ ]?\s*(\d{4})")
_YEAR = re.compile(r"(\d{4})")


def _month_start(year: int, month: int) -> dt.date | None:
    if 1 <= month <= 12 and 1900 <= year <= 2200:
        return dt.date(year, month, 1)
    return None


def parse_monat(text: str, *, year_means_december: bool = False) -> dt.date | None:
    """First day of the month a cell names, in any agreed form; None when it names none."""
    value = text.strip().lower()
    for pattern, order in ((_YEAR_MONTH, "ym"), (_MONTH_YEAR, "my"), (_COMPACT, "ym")):
        match = pattern.fullmatch(value)
        if match:
            a, b = int(match[1]), int(match[2])
            return _month_start(a, b) if order == "ym" else _month_start(b, a)
    match = _ISO_DATE.fullmatch(value) or None
    if match:
        return _valid_day(int(match[1]), int(match[2]), int(match[3]))
    match = _GERMAN_DATE.fullmatch(value)
    if match:
        year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
        return _valid_day(year, int(match[2]), int(match[1]))
    match = _NAMED.fullmatch(value)
    if match:
        name = value_key(match[1])
        if name in _MONTH_NUMBERS:
            return _month_start(int(match[2]), _MONTH_NUMBERS[name])
    match = _YEAR.fullmatch(value)
    if match and year_means_december:
        return _month_start(int(match[1]), 12)
    return None


def _valid_day(year: int, month: int, day: int) -> dt.date | None:
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return _month_start(year, month)


@dataclass(frozen=True)
class PeriodSpan:
    label: str
    start: dt.date  # first month
    end: dt.date  # last month


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def period_of(month: dt.date, period: Period) -> PeriodSpan:
    if period == "month":
        return PeriodSpan(month.strftime("%Y-%m"), month, month)
    if period == "quarter":
        quarter = (month.month - 1) // 3
        start = dt.date(month.year, quarter * 3 + 1, 1)
        return PeriodSpan(f"{month.year}-Q{quarter + 1}", start, add_months(start, 2))
    return PeriodSpan(str(month.year), dt.date(month.year, 1, 1), dt.date(month.year, 12, 1))


def periods_between(first: dt.date, last: dt.date, period: Period) -> list[PeriodSpan]:
    """Whole periods covering the months first..last."""
    spans: list[PeriodSpan] = []
    month = period_of(first, period).start
    while month <= last:
        span = period_of(month, period)
        spans.append(span)
        month = add_months(span.end, 1)
    return spans

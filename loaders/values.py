"""Resolving the few distinct values of a column: months, Kommunen, categories, yes/no, lists.

Each function takes one cell's text and returns the canonical value or None when it cannot be
resolved. They run once per distinct value, not once per row.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from loaders.normalize import value_key
from loaders.reference import handlungsfelder
from loaders.sources import Column

_MONTH_NAMES = {
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


def _month(year: int, month: int) -> dt.date | None:
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
            return _month(a, b) if order == "ym" else _month(b, a)
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
        if name in _MONTH_NAMES:
            return _month(int(match[2]), _MONTH_NAMES[name])
    match = _YEAR.fullmatch(value)
    if match and year_means_december:
        return _month(int(match[1]), 12)
    return None


def _valid_day(year: int, month: int, day: int) -> dt.date | None:
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return _month(year, month)


_TRUE = {"ja", "j", "1", "x", "wahr", "true", "yes", "y"}
_FALSE = {"nein", "n", "0", "", "falsch", "false", "no", "-"}


def parse_bool(text: str) -> bool | None:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


def category_lookup(column: Column, extern_codes: tuple[str, ...] = ()) -> dict[str, str]:
    """Normalised spelling → code for a category column."""
    lookup: dict[str, str] = {}
    values: dict[str, tuple[str, ...]] = dict(column.values or {})
    if column.values_from == "extern":
        values = {code: () for code in extern_codes}
    for code, labels in values.items():
        for spelling in (code, *labels):
            lookup[value_key(spelling)] = code
    return lookup


def allowed_values(column: Column, extern_codes: tuple[str, ...] = ()) -> list[str]:
    if column.type == "list":
        return [h.code for h in handlungsfelder()]
    if column.values_from == "extern":
        return list(extern_codes)
    return list(column.values or {})


@cache
def _handlungsfeld_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for field in handlungsfelder():
        for spelling in (field.code, field.name, *field.varianten):
            lookup[value_key(spelling)] = field.code
    return lookup


_LIST_SPLIT = re.compile(r"[;,/|]")


def parse_handlungsfelder(text: str) -> list[str] | None:
    """Codes of the Handlungsfelder a cell lists (separated by ; , or /), in catalogue order."""
    parts = [p for p in (s.strip() for s in _LIST_SPLIT.split(text)) if p]
    if not parts:
        return None
    codes = []
    for part in parts:
        code = _handlungsfeld_lookup().get(value_key(part))
        if code is None:
            return None
        codes.append(code)
    order = [h.code for h in handlungsfelder()]
    return sorted(set(codes), key=order.index)

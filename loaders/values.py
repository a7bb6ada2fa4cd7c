"""Resolving the few distinct values of a column: months, Kommunen, categories, yes/no, lists.

Each function takes one cell's text and returns the canonical value or None when it cannot be
resolved. They run once per distinct value, not once per row.
"""

from __future__ import annotations

import re
from functools import cache

from core.normalize import value_key
from core.reference import handlungsfelder
from core.sources import Column

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

"""German number, unit and change formats, as users read them."""

from __future__ import annotations

import datetime as dt

import pytest

from ui import format as fmt


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(1234.5, 1, "1.234,5"), (1234567, 0, "1.234.567"), (0.05, 1, "0,1"), (-1234.25, 2, "-1.234,25"), (None, 0, "–")],
)
def test_number(value: float | None, decimals: int, expected: str) -> None:
    assert fmt.number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (12.345, "%", "12,3 %"),
        (1234, "Anzahl", "1.234"),
        (4684.4, "Stunden", "4.684 Stunden"),
        (14, "Tage", "14,0 Tage"),
        (84.26, "je 1.000", "84,3 je 1.000"),
        (float("nan"), "%", "–"),
    ],
)
def test_value_with_unit(value: float, unit: str, expected: str) -> None:
    assert fmt.value(value, unit) == expected


@pytest.mark.parametrize(
    ("current", "previous", "unit", "expected"),
    [
        (12.3, 10.0, "%", "+2,3 Prozentpunkte"),
        (63.40, 63.42, "%", "±0,0 Prozentpunkte"),  # rounds to no change: never shown as a fall
        (120, 100, "Anzahl", "+20 (+20,0 %)"),
        (100, 120, "Anzahl", "-20 (-16,7 %)"),
        (5, 0, "Anzahl", "+5"),  # no relative change against zero
        (None, 3, "Anzahl", None),
    ],
)
def test_change(current: float | None, previous: float | None, unit: str, expected: str | None) -> None:
    assert fmt.change(current, previous, unit) == expected


def test_month() -> None:
    assert fmt.month(dt.date(2026, 3, 1)) == "März 2026"
    assert fmt.month_short(dt.date(2026, 3, 1)) == "03/2026"

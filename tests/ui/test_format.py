"""German number, unit and change formats, as users read them."""

from __future__ import annotations

import datetime as dt

import pytest

from core import format as fmt
from core.errors import UsageError


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(1234.5, 1, "1.234,5"), (1234567, 0, "1.234.567"), (0.05, 1, "0,1"), (-1234.25, 2, "−1.234,25"), (None, 0, "–")],
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
        (100, 120, "Anzahl", "−20 (−16,7 %)"),  # issue 10: the minus sign, not the hyphen "-"
        (5, 0, "Anzahl", "+5"),  # no relative change against zero
        (None, 3, "Anzahl", None),
    ],
)
def test_change(current: float | None, previous: float | None, unit: str, expected: str | None) -> None:
    assert fmt.change(current, previous, unit) == expected


def test_month() -> None:
    assert fmt.month(dt.date(2026, 3, 1)) == "März 2026"
    assert fmt.month_short(dt.date(2026, 3, 1)) == "03/2026"


# --- numbers and dates typed the German way (one parser for every input of the app) ---------------
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("85,5", 85.5),  # the German decimal comma: was saved as 855
        ("85.5", 85.5),  # a point that cannot group thousands is a decimal point
        ("1.234,5", 1234.5),  # thousands point and decimal comma
        ("1.234", 1234.0),  # read as a German reader writes it: one thousand two hundred thirty-four
        ("12.345.678,25", 12345678.25),
        ("0.125", 0.125),  # a leading zero never starts a thousands group
        ("1,234", 1.234),  # the comma is always the decimal mark
        ("-3", -3.0),  # parsed; whether a target may be negative is the indicator's rule
        ("−2,5", -2.5),  # the typographic minus
        ("+7", 7.0),
        (" 85,5 % ", 85.5),  # the field's unit may be typed after the number
        ("855", 855.0),
    ],
)
def test_parse_number_reads_german_input(typed: str, expected: float) -> None:
    assert fmt.parse_number(typed, "%") == pytest.approx(expected)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Bitte eine Zahl eingeben, z. B. 85,5."),
        ("   ", "Bitte eine Zahl eingeben, z. B. 85,5."),
        ("abc", "„abc“ ist keine Zahl. Bitte eine Zahl mit Komma eingeben, z. B. 85,5 oder 1.234,5."),
        # both marks in the English order are refused, not guessed: "1,234" alone is German for 1,234
        ("1,234.5", "„1,234.5“ ist im englischen Zahlenformat geschrieben."),
        ("1.234.5", "„1.234.5“ ist keine Zahl."),
        ("85,", "„85,“ ist keine Zahl."),
        ("1e5", "„1e5“ ist keine Zahl."),  # what Python's float() would take
        ("inf", "„inf“ ist keine Zahl."),
        ("nan", "„nan“ ist keine Zahl."),
        ("85,5 Tage", "„85,5 Tage“ ist keine Zahl."),  # another unit than the field's
        ("1234567890123", "ist zu groß für eine Kennzahl"),
    ],
)
def test_parse_number_refuses_in_german(typed: str, message: str) -> None:
    with pytest.raises(UsageError) as refused:
        fmt.parse_number(typed, "%")
    assert message in refused.value.user_message


def test_read_number_tells_the_decimals_typed() -> None:
    assert fmt.read_number("85,50") == (85.5, 2)
    assert fmt.read_number("1.234") == (1234.0, 0)
    assert fmt.number_input_text(85.5, "%") == "85,5"
    assert fmt.number_input_text(1234.0, "Anzahl") == "1.234"
    assert fmt.number_input_text(1234.5, decimals=1) == "1.234,5"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("01.01.2027", dt.date(2027, 1, 1)),
        ("1.1.2027", dt.date(2027, 1, 1)),
        ("1.1.27", dt.date(2027, 1, 1)),
        ("2027-01-01", dt.date(2027, 1, 1)),
        ("", None),
    ],
)
def test_parse_day(typed: str, expected: dt.date | None) -> None:
    assert fmt.parse_day(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [("31.02.2027", "Den 31.02.2027 gibt es nicht."), ("01/01/2027", "ist kein Datum"), ("morgen", "ist kein Datum")],
)
def test_parse_day_refuses_in_german(typed: str, message: str) -> None:
    with pytest.raises(UsageError) as refused:
        fmt.parse_day(typed)
    assert message in refused.value.user_message

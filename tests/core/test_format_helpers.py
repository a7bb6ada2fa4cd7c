"""The German formats that had several copies (issue 11 #3), each now one function in core/format.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from core import format as fmt


@pytest.mark.parametrize(("value", "expected"), [(2.5, "2,5"), (50.0, "50"), (0.001, "0,001"), (120, "120")])
def test_compact_is_the_shortest_german_form(value: float, expected: str) -> None:
    # was f"{x:g}".replace(".", ",") in ui/auth, ui/uploads, loaders/statistik_store, loaders/sandbox, metrics/describe
    assert fmt.compact(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.50"), "1.234,5"),  # was ingest._plain, validate._number and kontext.german_number
        (Decimal("100"), "100"),
        (Decimal("1E+2"), "100"),
        (1234567, "1.234.567"),
        (109.5, "109,5"),
        (0.1 + 0.2, "0,3"),  # at most ten decimals, as validate._number showed them
        (1e-05, "0,00001"),  # ingest._plain failed on the exponent of such a float
        (-3, "-3"),  # the stored text's hyphen, unlike fmt.number
        (Decimal("-1234.5"), "-1.234,5"),
    ],
)
def test_exact_shows_every_stored_decimal(value: Decimal | float, expected: str) -> None:
    assert fmt.exact(value) == expected


def test_decimal_comma_keeps_every_digit() -> None:
    assert fmt.decimal_comma(0.125) == "0,125"
    assert fmt.decimal_comma(1e-05) == "1e-05"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("-3,5", Decimal("-3.5")), ("1.234,5", Decimal("1234.5")), ("12", Decimal("12")), ("0,125", Decimal("0.125"))],
)
def test_parse_decimal_reads_german_numbers_exactly(text: str, expected: Decimal) -> None:
    assert fmt.parse_decimal(text) == expected


@pytest.mark.parametrize("text", ["", "1,234.5", "abc", "1.23", "3,"])
def test_parse_decimal_refuses_anything_else(text: str) -> None:
    with pytest.raises(ValueError):
        fmt.parse_decimal(text)


def test_count_chooses_the_noun_and_groups_thousands() -> None:
    # was history.count, access.audit._count and loaders.__main__._count
    assert fmt.count(1, "Upload", "Uploads") == "1 Upload"
    assert fmt.count(0, "Upload", "Uploads") == "0 Uploads"
    assert fmt.count(12345, "Zeile", "Zeilen") == "12.345 Zeilen"


@pytest.mark.parametrize(
    ("items", "expected"),
    [([], ""), (["A"], "A"), (["A", "B"], "A und B"), (["A", "B", "C"], "A, B und C")],
)
def test_german_list(items: list[str], expected: str) -> None:
    # was history._german_list, briefing.messages._enumerate and " und ".join in ui, loaders
    assert fmt.german_list(items) == expected


def test_days_times_and_short_periods() -> None:
    utc = dt.datetime(2026, 11, 25, 16, 11, 5, tzinfo=dt.UTC)
    assert fmt.day(dt.date(2026, 10, 2)) == "02.10.2026"
    assert fmt.day(None) == "–"  # was briefing.wording.date
    assert fmt.day_short(dt.date(2026, 10, 2)) == "02.10."
    assert fmt.local_time(utc).tzinfo == ZoneInfo("Europe/Berlin")  # was store.history.local_time
    assert fmt.moment(utc) == "25.11.2026, 17:11 Uhr"  # was store.history.format_zeit
    assert fmt.day_time(fmt.local_time(utc)) == "25.11.2026 17:11"
    assert fmt.day_time(fmt.local_time(utc), seconds=True) == "25.11.2026 17:11:05"
    assert fmt.day_time(pd.Timestamp(utc).tz_convert("Europe/Berlin")) == "25.11.2026 17:11"
    assert fmt.period_short("2026-05") == "05/2026"  # was history._month_label and ui.uploads.period_label
    assert fmt.period_short("2026") == "2026"
    assert fmt.month_short(dt.date(2026, 5, 1)) == "05/2026"

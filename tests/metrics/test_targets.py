"""Targets and traffic lights: the default targets of docs/kennzahlen.md give the statuses it defines."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from core.catalogue import catalogue
from core.errors import UsageError
from metrics.targets import ampel, attach_targets, check_target, decided_target, default_targets

# docs/kennzahlen.md#die-kennzahlen: K04 ≤ 14, K05 ≥ 60, K09 ≤ 60, K10 ≥ 100, K14 ≤ 42, K15 ≥ 50, K16 ≥ 25, K21 ≥ 90,
# K22 ≤ 15, K25 ≥ 90; tolerance 10 %.
DEFAULTS = {
    "K04": 14,
    "K05": 60,
    "K09": 60,
    "K10": 100,
    "K14": 42,
    "K15": 50,
    "K16": 25,
    "K21": 90,
    "K22": 15,
    "K25": 90,
}


def test_catalogue_holds_exactly_the_default_targets() -> None:
    targets = default_targets(catalogue())
    assert dict(zip(targets["kennzahl"], targets["zielwert"], strict=True)) == DEFAULTS
    assert not targets["bestaetigt"].any()  # proposals until an admin confirms them


@pytest.mark.parametrize(
    ("kennzahl", "value", "expected"),
    [
        # ↑ indicators: gruen at or above the target, gelb down to target × 0.9, rot below
        ("K05", 60.0, "gruen"), ("K05", 71.2, "gruen"), ("K05", 54.0, "gelb"), ("K05", 53.99, "rot"),
        ("K10", 100.0, "gruen"), ("K10", 90.0, "gelb"), ("K10", 89.9, "rot"),
        ("K15", 45.0, "gelb"), ("K16", 22.4, "rot"), ("K21", 81.0, "gelb"), ("K25", 80.9, "rot"),
        # ↓ indicators: gruen at or below the target, gelb up to target × 1.1, rot above
        ("K04", 14.0, "gruen"), ("K04", 15.4, "gelb"), ("K04", 15.5, "rot"),
        ("K09", 66.0, "gelb"), ("K09", 66.1, "rot"), ("K14", 30.0, "gruen"), ("K22", 16.5, "gelb"),
        # no target, no value
        ("K02", 1234.0, "grau"), ("K05", None, "grau"),
    ],
)  # fmt: skip
def test_default_targets_give_the_defined_status(kennzahl: str, value: float | None, expected: str) -> None:
    cat = catalogue()
    values = pd.DataFrame(
        {"kennzahl": [kennzahl], "kommune": ["05978"], "periode_ende": [dt.date(2026, 9, 1)], "wert": [value]}
    )
    values = attach_targets(values, default_targets(cat))
    direction = values["kennzahl"].map({k.code: k.direction for k in cat.kennzahlen})
    assert ampel(values["wert"], values["zielwert"], direction, cat.ampel.toleranz).iloc[0] == expected


def test_a_kommune_target_from_a_date_wins_over_the_general_one() -> None:
    targets = pd.DataFrame(
        [
            ("K05", None, None, 60.0, False, None, None),
            ("K05", "05978032", dt.date(2026, 7, 1), 50.0, True, "admin", None),
        ],
        columns=["kennzahl", "kommune", "gueltig_ab", "zielwert", "bestaetigt", "benutzer", "zeit"],
    )
    values = pd.DataFrame(
        {
            "kennzahl": ["K05"] * 4,
            "kommune": ["05978032", "05978032", "05978004", "05978032"],
            "periode_ende": [dt.date(2026, 6, 1), dt.date(2026, 7, 1), dt.date(2026, 7, 1), dt.date(2026, 9, 1)],
            "wert": [55.0] * 4,
        }
    )
    result = attach_targets(values, targets)
    assert list(result["zielwert"]) == [60.0, 50.0, 60.0, 50.0]  # judged by the target of the last month
    assert list(result["zielwert_bestaetigt"]) == [False, True, False, True]


# --- plausibility of a target by the indicator's unit (catalogue), before anything is saved -------
@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("K21", 85.5),  # share in %: 0 … 100
        ("K21", 0.0),
        ("K21", 100.0),
        ("K10", 120.0),  # a rate in % (decided per 100 received) may exceed 100
        ("K04", 14.0),  # days
        ("K01", 84.3),  # rate per 1,000
        ("K11", 25.0),  # a count, whole
        ("K19", 1234.0),  # hours, whole
    ],
)
def test_plausible_targets_pass(code: str, value: float) -> None:
    check_target(catalogue().get(code), value)


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        (
            "K21",
            855.0,
            "855 % ist als Zielwert für K21 · Verlustfreie Übergaben nicht möglich: ein Anteil liegt zwischen "
            "0 und 100 %. Vielleicht fehlt ein Komma? Der Zielwert wurde nicht gespeichert.",
        ),
        ("K21", -3.0, "−3 % ist als Zielwert für K21 · Verlustfreie Übergaben nicht möglich"),
        (
            "K04",
            -3.0,
            "−3 ist als Zielwert für K04 · Tage bis zum Erstgespräch nicht möglich: eine Zahl von Tagen kann nicht",
        ),
        ("K01", -0.5, "eine Quote kann nicht negativ sein"),
        ("K11", 2.5, "bitte eine ganze Zahl angeben"),
        ("K21", 85.55, "bitte höchstens eine Nachkommastelle angeben"),
    ],
)
def test_implausible_targets_are_refused_in_german(code: str, value: float, message: str) -> None:
    with pytest.raises(UsageError) as refused:
        check_target(catalogue().get(code), value)
    assert message in refused.value.user_message


def test_the_target_decided_for_exactly_one_region_and_start() -> None:
    cat = catalogue()
    history = pd.DataFrame(
        [
            ("K21", "05978032", pd.Timestamp("2027-01-01"), 80.0, True, "a", pd.Timestamp("2026-11-02", tz="UTC")),
            ("K21", None, None, 85.5, False, "a", pd.Timestamp("2026-11-01", tz="UTC")),
        ],
        columns=["kennzahl", "kommune", "gueltig_ab", "zielwert", "bestaetigt", "benutzer", "zeit"],
    )
    assert decided_target(history, cat, "K21") == (85.5, False)
    assert decided_target(history, cat, "K21", "05978032", dt.date(2027, 1, 1)) == (80.0, True)
    assert decided_target(history, cat, "K21", "05978032") == (None, False)
    assert decided_target(history.iloc[:0], cat, "K21") == (90.0, False)  # the catalogue's proposal
    assert decided_target(history, cat, "K05", "05978032") == (None, False)

"""The status of an indicator on screen and the status line per Leitsatz, counted by hand.

Issue: the Übersicht must open with one line per Leitsatz ("LS2 · 3 im Ziel · 1 knapp verfehlt · …"),
a missed target must read "verfehlt" (not like a met one), and a value of incomplete data must not
be judged at all."""

from __future__ import annotations

import pandas as pd

from core.catalogue import catalogue
from metrics.cockpit import status, status_counts
from metrics.targets import ampel
from metrics.texts import STATUS_COLOR, STATUS_ORDER, STATUS_SYMBOL, STATUS_TEXT, status_line

# A hand-made Leitsatz LS2 (direction, target, value, complete), tolerance 10 % (kennzahlen.yaml):
ROWS = [
    ("down", 60.0, 56.7, True),  # 56,7 ≤ 60 → im Ziel
    ("up", 100.0, 103.6, True),  # 103,6 ≥ 100 → im Ziel
    ("up", 50.0, 51.4, True),  # im Ziel
    ("down", 42.0, 45.1, True),  # 45,1 > 42 but ≤ 42 × 1,1 = 46,2 → knapp verfehlt
    ("up", 90.0, 80.3, True),  # 80,3 < 90 × 0,9 = 81 → verfehlt (K21 of the issue)
    ("up", 100.0, 95.0, False),  # would be knapp verfehlt, but 7 of 10 Kommunen → unvollständig
    ("up", 50.0, None, True),  # hidden for confidentiality ("•") → ohne Wert
    ("neutral", None, 1223.0, True),  # context indicator → ohne Ziel
    ("up", None, 21.0, False),  # no target (and incomplete) → ohne Ziel
]


def leitsatz_table() -> pd.DataFrame:
    frame = pd.DataFrame(ROWS, columns=["direction", "zielwert", "wert", "vollstaendig"])
    frame["ampel"] = ampel(frame["wert"], frame["zielwert"], frame["direction"], catalogue().ampel.toleranz)
    frame["status"] = [
        status(row.ampel, row.wert, row.zielwert, row.vollstaendig) for row in frame.itertuples(index=False)
    ]
    return frame.assign(leitsatz="LS2")


def test_the_status_line_counts_by_hand() -> None:
    table = leitsatz_table()
    assert list(table["status"]) == [
        "gruen",
        "gruen",
        "gruen",
        "gelb",
        "rot",
        "unvollstaendig",
        "ohne_wert",
        "ohne_ziel",
        "ohne_ziel",
    ]
    assert status_counts(table, "LS2") == {
        "gruen": 3,
        "gelb": 1,
        "rot": 1,
        "unvollstaendig": 1,
        "ohne_wert": 1,
        "ohne_ziel": 2,
    }
    assert status_line("LS2", status_counts(table, "LS2")) == (
        "LS2 · 3 im Ziel · 1 knapp verfehlt · 1 verfehlt · 1 unvollständig · 1 ohne Wert · 2 ohne Ziel"
    )
    assert status_line("LS9", status_counts(table, "LS9")) == "LS9"  # no indicator: nothing counted


def test_a_value_of_incomplete_data_gets_no_ampel_even_when_it_meets_its_target() -> None:
    assert status("gruen", 95.0, 90.0, complete=False) == "unvollstaendig"
    assert status("rot", 10.0, 90.0, complete=False) == "unvollstaendig"
    assert status("gruen", 95.0, 90.0, complete=True) == "gruen"


def test_every_status_has_a_word_a_symbol_and_a_colour_and_missed_is_not_met() -> None:
    assert [STATUS_TEXT[key] for key in STATUS_ORDER] == [
        "im Ziel",
        "knapp verfehlt",
        "verfehlt",
        "unvollständig",
        "ohne Wert",
        "ohne Ziel",
    ]
    assert (STATUS_SYMBOL["gruen"], STATUS_SYMBOL["gelb"], STATUS_SYMBOL["rot"]) == ("✓", "!", "✗")
    assert (STATUS_COLOR["gruen"], STATUS_COLOR["rot"]) == ("green", "red")
    assert len({STATUS_COLOR[k] for k in ("gruen", "gelb", "rot")}) == 3  # three colours, three symbols
    assert len({STATUS_SYMBOL[k] for k in ("gruen", "gelb", "rot")}) == 3

"""Breakdowns of active and new cases, counted by hand, with confidentiality on the categories."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from loaders.ingest import ingest_file
from metrics.breakdowns import breakdown
from store import connect
from tests.helpers.cases import CASES, HEADER

SEP = dt.date(2026, 9, 1)


def _database(tmp_path: Path) -> Path:
    file = tmp_path / "faelle.csv"
    file.write_text(HEADER + CASES, encoding="utf-8")
    database = tmp_path / "kim.duckdb"
    assert ingest_file(file, database=database).status == "accepted"
    return database


def test_active_cases_by_rechtskreis(tmp_path: Path) -> None:
    with connect(_database(tmp_path)) as connection:
        frame = breakdown(connection, "rechtskreis", "aktiv", "05978004", SEP).set_index("kategorie")
    # Active: F1–F6 (6). SGB II: F1, F2, F3 = 3; SGB XII: F4 = 1; AsylbLG: F5 = 1; none given: F6 = 1.
    assert frame.loc["Insgesamt", "anzahl"] == 6
    assert frame["anzahl"].to_dict() == {
        "Insgesamt": 6, "SGB II": 3, "SGB III": 0, "SGB VIII": 0, "SGB XII": 1, "AsylbLG": 1,
        "ohne Leistungsbezug": 0, "unbekannt": 0, "ohne Angabe": 1,
    }  # fmt: skip
    # Ones are hidden (primary); together 3 ≥ 3, so SGB II and the total stay visible.
    assert set(frame.index[frame["unterdrueckt"]]) == {"SGB XII", "AsylbLG", "ohne Angabe"}
    assert frame["vollstaendig"].all()


def test_new_cases_by_handlungsfeld_count_a_case_in_each_field(tmp_path: Path) -> None:
    with connect(_database(tmp_path)) as connection:
        frame = breakdown(connection, "handlungsfelder", "neu", "05978004", SEP).set_index("kategorie")
    # New in September: F4 (wohnen, sprache), F5 (sprache), F6 (gesundheit).
    assert frame.loc["Insgesamt", "anzahl"] == 3
    assert frame.loc["sprache", "anzahl"] == 2 and frame.loc["wohnen", "anzahl"] == 1
    assert frame.loc["gesundheit", "anzahl"] == 1 and frame.loc["arbeit", "anzahl"] == 0
    # Not additive: each cell is protected on its own (1 and 2 hidden, 0 and the total shown).
    assert set(frame.index[frame["unterdrueckt"]]) == {"sprache", "wohnen", "gesundheit"}


def test_a_region_without_delivery_has_no_counts(tmp_path: Path) -> None:
    with connect(_database(tmp_path)) as connection:
        frame = breakdown(connection, "geschlecht", "aktiv", "05978008", SEP)
    assert frame["anzahl"].isna().all() and not frame["vollstaendig"].any()


# September 2026, new cases (all still active, so the same for active cases), by Rechtskreis:
# TR-Mitte: Bergkamen 2 × SGB II, Kamen 1 × SGB II, Unna 5 × SGB II;
# TR-Nord: Lünen 4 × SGB II, Selm 3 × SGB XII. No other Kommune delivers.
SMALL_TOTALS = {
    "05978004": ["SGB II"] * 2,
    "05978020": ["SGB II"],
    "05978036": ["SGB II"] * 5,
    "05978024": ["SGB II"] * 4,
    "05978032": ["SGB XII"] * 3,
}


def test_a_hidden_total_hides_the_breakdowns_of_every_region_it_lies_in(tmp_path: Path) -> None:
    # K03 (new cases) of Bergkamen (2) and Kamen (1) are small, so hidden; together 3, so TR-Mitte's
    # 8 and the Kreis's 15 are shown. Before, the categories of TR-Mitte (SGB II 8) and of the
    # Kreis (SGB II 12, SGB XII 3) were shown as well: the four additive breakdowns of a region
    # share its total, and the categories of the Kommunen with a hidden total, bounded by the
    # regions' categories in each breakdown, pinned their totals between them (the attacker's
    # linear programs on generated data). Now every category of the hidden Kommunen, of TR-Mitte
    # and of the Kreis is hidden in this month; TR-Nord, Lünen, Selm and Unna keep theirs.
    lines = "".join(
        f"F{ags[-3:]}-{n},{ags},2026-09,2026-09-01,,,2025,{rechtskreis},sprache\n"
        for ags, cases in SMALL_TOTALS.items()
        for n, rechtskreis in enumerate(cases)
    )
    file = tmp_path / "faelle.csv"
    file.write_text(HEADER + lines, encoding="utf-8")
    database = tmp_path / "kim.duckdb"
    assert ingest_file(file, database=database).status == "accepted"
    with connect(database) as connection:
        frames = {
            (region, measure, dimension): breakdown(connection, dimension, measure, region, SEP).set_index("kategorie")
            for region in ("05978004", "05978020", "05978036", "TR-Mitte", "05978", "TR-Nord", "05978024")
            for measure in ("aktiv", "neu")
            for dimension in ("rechtskreis", "geschlecht", "handlungsfelder")
        }
    for (region, measure, dimension), frame in frames.items():
        categories = frame.drop(index="Insgesamt")
        if region in ("05978004", "05978020", "TR-Mitte", "05978"):
            assert categories["unterdrueckt"].all(), (region, measure, dimension)
        else:
            assert not categories["unterdrueckt"].any(), (region, measure, dimension)
    assert frames[("TR-Mitte", "neu", "rechtskreis")].loc["Insgesamt", "anzahl"] == 8
    assert not frames[("TR-Mitte", "neu", "rechtskreis")].loc["Insgesamt", "unterdrueckt"]
    assert frames[("05978", "neu", "rechtskreis")].loc["Insgesamt", "anzahl"] == 15
    assert frames[("TR-Nord", "neu", "rechtskreis")].loc["SGB XII", "anzahl"] == 3
    assert frames[("05978036", "neu", "rechtskreis")].loc["SGB II", "anzahl"] == 5

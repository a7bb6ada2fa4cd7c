"""The page "Daten hochladen" with workbooks that deliver on several sheets (AppTest, by widget key).

The page's helpers (ui/uploads.py) only format what the loaders found, so their checks live beside
the loaders' corpus: a workbook with a sheet per month and a pivot sheet is one upload of four
partitions, shown sheet by sheet; a workbook with the same partition on two sheets is rejected as a
whole, its error placed on the second sheet.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from tests.helpers.apptest import signed_in, tables_with
from tests.helpers.paths import ROOT

MONTHS = ROOT / "tests/files/messy/schule_zwei_monate_mit_pivot.xlsx"
TWICE = ROOT / "tests/files/bad/arbeitsmarkt_blaetter_doppelt.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_workbook_is_shown_sheet_by_sheet_and_stored_as_one_upload(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "kim.duckdb"  # empty, real data: an analyst signs in
    app = signed_in(database, "pages/daten_hochladen.py", monkeypatch, tmp_path)
    files = [(path.name, path.read_bytes(), XLSX) for path in (MONTHS, TWICE)]

    app.file_uploader(key="upload_dateien_0").set_value(files).run()

    assert not app.exception
    overview = tables_with(app, "Ergebnis")[0]
    assert list(overview["Ergebnis"]) == ["kann gespeichert werden", "abgelehnt"]
    assert list(overview["Blatt"]) == ["Sep 2026, Okt 2026", "Okt 2026, Okt 2026 korrigiert"]
    assert list(overview["Monate"]) == ["09/2026 bis 10/2026 (2 Monate)", "10/2026"]
    months, twice = tables_with(app, "Fehler")[1:]  # after the overview: one sheet table per workbook
    assert months.to_dict("records") == [
        {"Blatt": "Sep 2026", "Quelle": "Schule", "Kommunen": "Holzwickede, Unna", "Monate": "09/2026",
         "Zeilen": 2, "Fehler": 0, "Hinweise": 0},
        {"Blatt": "Okt 2026", "Quelle": "Schule", "Kommunen": "Holzwickede, Unna", "Monate": "10/2026",
         "Zeilen": 2, "Fehler": 0, "Hinweise": 0},
    ]  # fmt: skip
    assert list(twice["Fehler"]) == [0, 1] and list(twice["Zeilen"]) == [2, 1]
    issues = tables_with(app, "Meldung")
    placed = [tuple(row) for table in issues for row in table[["Blatt", "Zeilen", "Spalte"]].itertuples(index=False)]
    assert ("Pivot", "1", "–") in placed  # the pivot sheet is no delivery: a warning
    assert ("Okt 2026 korrigiert", "2", "Kommune") in placed  # Werne on both sheets: the error
    preview = tables_with(app, "Wartende auf Schulplatz")[-1]
    assert list(preview["Blatt"]) == ["Sep 2026", "Sep 2026", "Okt 2026", "Okt 2026"]

    app.button(key="upload_speichern").click().run()

    assert not app.exception
    with duckdb.connect(str(database), read_only=True) as connection:
        uploads = connection.execute("SELECT upload_id, datei, quelle, zeilen FROM upload").fetchall()
        partitions = connection.execute("SELECT count(*) FROM upload_partition WHERE upload_id = 1").fetchall()
        arbeitsmarkt = connection.execute("SELECT count(*) FROM v_arbeitsmarkt").fetchall()
    assert uploads == [(1, MONTHS.name, "schule", 4)]
    assert partitions == [(4,)] and arbeitsmarkt == [(0,)]


CASES = ROOT / "tests/files/good/fallmanagement_ohne_kommune_monat.csv"


def test_kommune_and_month_are_chosen_on_the_page_and_checked_before_saving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 10: a file without Kommune and month columns could only be stored from the command line.
    Now the page proposes both from the file name, shows them for confirmation, checks the file with
    them (as --kommune/--month does) and stores it with them; nothing before the confirmation."""
    database = tmp_path / "kim.duckdb"
    app = signed_in(database, "pages/daten_hochladen.py", monkeypatch, tmp_path)
    app.file_uploader(key="upload_dateien_0").set_value([("KIM_CM_Selm_2026-10.csv", CASES.read_bytes(), "text/csv")])
    app.run()

    assert not app.exception
    overview = tables_with(app, "Ergebnis")[0]
    assert list(overview["Ergebnis"]) == ["Kommune und Monat angeben"]
    assert not any("Pflichtspalte" in str(e.value) for e in app.error)  # asked for, not refused
    kommune, month = (s for s in app.selectbox if s.key.startswith("angabe_"))
    assert (kommune.value, month.value) == ("05978032", dt.date(2026, 10, 1))  # proposed from the name
    assert "Vorschlag aus dem Dateinamen: Selm, Oktober 2026 – bitte prüfen." in [c.value for c in app.caption]
    assert app.button(key="upload_speichern").disabled  # not applied silently

    kommune.set_value("05978040")  # the analyst corrects the proposal: the file is Werne's
    next(b for b in app.button if b.label == "Angaben prüfen").click().run()

    assert not app.exception
    assert list(tables_with(app, "Ergebnis")[0][["Kommunen", "Monate"]].itertuples(index=False)) == [
        ("Werne", "10/2026")
    ]
    assert "Geprüft mit den hier angegebenen Werten: Werne, Oktober 2026." in [c.value for c in app.caption]
    app.button(key="upload_speichern").click().run()

    assert not app.exception
    with duckdb.connect(str(database), read_only=True) as connection:
        upload = connection.execute("SELECT datei, angabe_kommune, angabe_monat, zeilen FROM upload").fetchall()
        stored = connection.execute("SELECT DISTINCT kommune, monat FROM v_fallmanagement").fetchall()
    assert upload == [("KIM_CM_Selm_2026-10.csv", "05978040", "2026-10", 2)]
    assert stored == [("05978040", dt.date(2026, 10, 1))]


def test_a_chosen_month_goes_through_the_command_lines_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A case that began after the chosen month is refused, exactly as with --month on the command
    line; the analyst chooses again and the file is stored."""
    database = tmp_path / "kim.duckdb"
    app = signed_in(database, "pages/daten_hochladen.py", monkeypatch, tmp_path)
    app.file_uploader(key="upload_dateien_0").set_value([("faelle.csv", CASES.read_bytes(), "text/csv")]).run()
    kommune, month = (s for s in app.selectbox if s.key.startswith("angabe_"))
    assert (kommune.value, month.value) == (None, None)  # the name states nothing: nothing proposed
    kommune.set_value("05978032")
    month.set_value(dt.date(2026, 8, 1))
    next(b for b in app.button if b.label == "Angaben prüfen").click().run()

    errors = tables_with(app, "Meldung")
    assert errors and all("None" not in table.to_string() for table in errors)
    assert app.button(key="upload_speichern").disabled
    assert "2" in list(errors[0]["Zeilen"])  # SE-0001 began on 02.10.2026, after August

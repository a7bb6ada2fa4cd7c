"""Official statistics tables on the pages (issue 12, part 7 and uploads): the page "Daten hochladen"
takes the real exports as they come and stores them like every upload; its history lists them and
undoes them; the page "Amtliche Statistik" shows the stored tables, a Merkmal over time and across
the Kommunen, with official symbols as symbols, or a German hint when there is none.

The real files are the ones of tests/files/amtlich/ (see HERKUNFT.md there)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from access import audit
from loaders.__main__ import main
from loaders.statistik_store import stored_values
from tests.helpers.apptest import signed_in, table_with, tables_with
from tests.helpers.official import (
    ARBEITSLOSE,
    AUSLAENDER,
    BEVOELKERUNG,
    GENESIS,
    KOELN,
    MINDESTSICHERUNG,
    POP,
    SCHULEN,
)
from tests.helpers.paths import ROOT
from tests.helpers.shown_text import as_read, markdown_on_screen
from ui import downloads, statistik, uploads

DELIVERY = ROOT / "tests/files/good/arbeitsmarkt_kanonisch.csv"


def _shown(app: AppTest) -> str:
    """Every text the page renders, as read."""
    return "\n".join(as_read(text) for text in markdown_on_screen(app))


def _upload(app: AppTest, *files: Path) -> None:
    app.file_uploader(key="upload_dateien_0").set_value([(f.name, f.read_bytes(), "text/csv") for f in files]).run()
    assert not app.exception, [e.message for e in app.exception]


def _stored(database: Path) -> list[tuple[int, str, int, str]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(
            "SELECT upload_id, tabelle, zeilen, status FROM statistik_upload ORDER BY upload_id"
        ).fetchall()


def test_every_real_export_is_taken_on_the_upload_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: the page checked each file only as a delivery of a source and refused every export
    ("keine Kopfzeile einer bekannten Datenquelle"). Now each is recognised, previewed and stored as
    `ingest` stores it; the Köln table is refused naming the region it holds."""
    database = tmp_path / "kim.duckdb"
    app = signed_in(database, "pages/daten_hochladen.py", monkeypatch, tmp_path)
    files = [BEVOELKERUNG, MINDESTSICHERUNG, AUSLAENDER, ARBEITSLOSE, SCHULEN, GENESIS, KOELN]

    _upload(app, *files)

    overview = tables_with(app, "Ergebnis")[0]
    assert list(overview["Ergebnis"]) == ["kann gespeichert werden"] * 6 + ["abgelehnt"]
    assert list(overview["Quelle"]) == [
        "Amtliche Statistik, Tabelle 12411-15i",
        "Amtliche Statistik, Tabelle 22811-05i",
        "Amtliche Statistik, Tabelle 12521-03i",
        "Amtliche Statistik, Tabelle 13211-02-05-4",
        "Amtliche Statistik, Tabelle 21111-01-03-4",
        "Amtliche Statistik, Tabelle 12411-0015",
        "Amtliche Statistik",
    ]
    assert list(overview["Kommunen"])[:2] == ["Kreis Unna und 10 Kommunen"] * 2
    assert overview["Kommunen"][5] == "Kreis Unna"
    assert overview["Monate"][0] == "12/2024" and overview["Monate"][1] == "2024"
    assert overview["Monate"][5] == "12/1995 bis 12/2018 (24 Zeitpunkte)"
    assert overview["Zeilen"][0] == "33"
    shown = _shown(app)
    assert "Amtliche Statistik, Tabelle 12411-15i: Katasterfläche (qkm), Bevölkerung und Bevölkerungsdichte" in shown
    messages = [" ".join(table["Meldung"]) for table in tables_with(app, "Meldung")]
    # the info line on the rows of other regions, as `ingest` prints it
    assert any(m.startswith("433 Zeilen anderer Regionen") for m in messages)
    # the rejection names the region the table does contain
    assert "Köln" in messages[-1] and "Kreis Unna" in messages[-1], messages[-1]
    previews = tables_with(app, "Merkmal")
    assert previews and list(previews[0].columns) == ["Zeile", "Merkmal", "Region", "Zeitraum", "Wert"]
    assert "Katasterfläche" not in previews[0]["Merkmal"][0] or previews[0]["Wert"][0] != ""
    assert not app.exception

    app.button(key="upload_speichern").click().run()

    assert not app.exception, [e.message for e in app.exception]
    result = tables_with(app, "Upload")[0]
    assert list(result["Ergebnis"]) == ["gespeichert"] * 6
    assert [row[1:] for row in _stored(database)] == [
        ("12411-15i", 33, "accepted"),
        ("22811-05i", 77, "accepted"),
        ("12521-03i", 663, "accepted"),
        ("13211-02-05-4", 13, "accepted"),
        ("21111-01-03-4", 72, "accepted"),
        ("12411-0015", 24, "accepted"),
    ]
    # exactly the values `ingest` stores of the same files
    by_cli = tmp_path / "cli.duckdb"
    assert main(["ingest", *map(str, files[:6]), "--db", str(by_cli)]) == 0
    assert stored_values(database) == stored_values(by_cli)
    # every write is in the audit log, with its upload number
    entries = [e for e in audit.entries(database) if e["aktion"] == "upload"]
    assert sorted(e["angaben"]["upload_id"] for e in entries) == [1, 2, 3, 4, 5, 6]

    # the same files again: unchanged, nothing stored twice
    app = signed_in(database, "pages/daten_hochladen.py", monkeypatch, tmp_path, name="ben")
    _upload(app, BEVOELKERUNG)
    app.button(key="upload_speichern").click().run()
    assert list(tables_with(app, "Upload")[0]["Ergebnis"]) == ["unverändert (schon vorhanden)"]
    assert len(_stored(database)) == 6


def test_the_pages_history_lists_and_undoes_statistics_uploads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: the history on the page listed deliveries only, so an official table could not be
    undone there. Now it is one upload among the others, with one numbering, and undone on the page."""
    database = tmp_path / "kim.duckdb"
    app = signed_in(database, "pages/daten_hochladen.py", monkeypatch, tmp_path)
    _upload(app, DELIVERY, BEVOELKERUNG)
    app.button(key="upload_speichern").click().run()
    assert not app.exception
    app.session_state["uploads_offen"] = True  # the user opens "Alle Uploads als Tabelle"
    app.run()

    log = tables_with(app, "Partitionen")[0]
    assert list(log["Upload"]) == [2, 1]
    assert list(log["Quelle"]) == ["Amtliche Statistik", "Arbeitsmarkt"]
    assert log["Partitionen"][0] == "Tabelle 12411-15i, Stand 19.01.2026"
    assert log["Zeilen"][0] == 33

    app.selectbox(key="undo_upload").set_value(2).run()
    app.checkbox(key="undo_bestaetigt").check().run()
    app.button(key="undo_ausfuehren").click().run()

    assert not app.exception, [e.message for e in app.exception]
    assert _stored(database) == [(2, "12411-15i", 33, "undone")]
    log = tables_with(app, "Partitionen")[0]
    assert log["Status"][0] == "rückgängig gemacht (ana)"
    assert "Upload 2 (itnrw_ldb_12411-15i_gemeinden_flaeche_bevoelkerung_2024.csv) rückgängig gemacht" in _shown(app)
    entries = [e for e in audit.entries(database) if e["aktion"] == "rueckgaengig"]
    assert [e["angaben"]["upload_id"] for e in entries] == [2]


# --- the page "Amtliche Statistik" -----------------------------------------------------------------


def _loaded(tmp_path: Path, *files: Path) -> Path:
    database = tmp_path / "kim.duckdb"
    assert main(["ingest", *map(str, files), "--db", str(database)]) == 0
    return database


def test_the_page_without_tables_gives_a_german_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = _loaded(tmp_path, DELIVERY)
    app = signed_in(database, "pages/amtliche_statistik.py", monkeypatch, tmp_path)
    assert not app.exception
    assert [i.value for i in app.info][-1].startswith(
        "Es sind noch keine Tabellen der amtlichen Statistik gespeichert."
    )
    assert "None" not in _shown(app)


def test_the_page_shows_tables_a_merkmal_over_time_and_across_the_kommunen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = _loaded(tmp_path, BEVOELKERUNG, SCHULEN, GENESIS)
    app = signed_in(database, "pages/amtliche_statistik.py", monkeypatch, tmp_path)
    assert not app.exception, [e.message for e in app.exception]

    listed = table_with(app, "Titel")  # a plain table: long titles wrap instead of being cut off
    assert list(listed.columns) == ["Tabelle", "Titel", "Stand", "Regionen", "Zeiträume", "Merkmale", "Werte"]
    assert list(listed["Tabelle"]) == ["12411-0015", "12411-15i", "21111-01-03-4"]
    assert list(listed["Stand"])[1] == "19.01.2026"
    assert list(listed["Regionen"]) == ["Kreis Unna", "Kreis Unna und 10 Kommunen", "Kreis Unna"]
    assert list(listed["Werte"]) == ["24", "33", "72"]
    assert listed["Zeiträume"][0] == "12/1995 bis 12/2018 (24)"

    app.selectbox(key="tabelle").set_value("12411-15i").run()
    app.selectbox(key="merkmal").set_value(POP).run()
    assert not app.exception, [e.message for e in app.exception]
    shown = _shown(app)
    assert "Quelle: © IT.NRW" in shown and "Tabelle 12411-15i, Stand 19.01.2026" in shown
    # the footer's own licence line, named once
    assert shown.count("Datenlizenz Deutschland - Namensnennung - Version 2.0") == 1
    course = tables_with(app, "Zeitraum")[0]
    assert course.to_dict("records") == [{"Zeitraum": "12/2024", "Kreis Unna": "393.784"}]
    across = tables_with(app, "Gebiet")[0]
    assert len(across) == 11 and across["Gebiet"].iloc[-1] == "Kreis Unna"
    assert (
        dict(zip(across["Gebiet"], across["Wert"], strict=True))["Selm"] == "25.969"
    )  # file: "31.12.2024;05978032;      Selm, Stadt;25969;60,41;429,9"
    charts = [c for c in app.get("plotly_chart")]
    assert len(charts) == 2
    assert "None" not in shown


def test_official_symbols_are_shown_as_symbols_with_their_legend(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`x` of the schools table is "x" (no value), `-` is "–" (nothing), never "0" or "None"."""
    database = _loaded(tmp_path, SCHULEN)
    app = signed_in(database, "pages/amtliche_statistik.py", monkeypatch, tmp_path)
    frame = statistik.values("21111-01-03-4")
    symbols = frame.dropna(subset=["symbol"])
    assert set(symbols["symbol"]) >= {"x", "-"}
    x_merkmal = symbols[symbols["symbol"] == "x"]["merkmal"].iloc[0]
    rows = statistik.merkmal_rows(frame, x_merkmal)
    assert "x" in set(rows["text"]) and rows.loc[rows["text"] == "x", "zahl"].isna().all()
    dash = symbols[symbols["symbol"] == "-"]["merkmal"].iloc[0]
    assert "–" in set(statistik.merkmal_rows(frame, dash)["text"])
    assert any("„x“ Tabellenfach gesperrt" in line for line in statistik.symbols_in(rows))

    app.selectbox(key="merkmal").set_value(x_merkmal).run()
    assert not app.exception
    course = tables_with(app, "Zeitraum")[0]
    assert list(course["Kreis Unna"]) == ["x"]
    assert "„…“ Angabe fällt später an" in _shown(app)
    assert "Diese Tabelle enthält nur den Kreis Unna" in _shown(app)


def test_values_and_downloads_in_german_format() -> None:
    assert uploads.official_value("393784", None) == "393.784"
    assert uploads.official_value("7.5", None) == "7,5"
    assert uploads.official_value("1234.25", None) == "1.234,25"
    assert uploads.official_value("0", "-") == "–"
    assert uploads.official_value(None, ".") == "."
    assert uploads.official_value(None, "...") == "…"
    assert uploads.official_value(None, "/") == "/"
    assert uploads.official_value("12", "()") == "(12)"
    table = pd.DataFrame({"Zeitraum": ["2023", "2024"], "Kreis Unna": ["393.784", "x"], "Selm": ["7,5", "–"]})
    sheet = openpyxl.load_workbook(io.BytesIO(downloads.xlsx_bytes(table))).active
    assert sheet is not None
    assert sheet["B2"].value == 393784 and sheet["B2"].number_format == "#,##0"
    assert sheet["C2"].value == 7.5 and sheet["C2"].number_format == "#,##0.0"
    assert sheet["B3"].value == "x" and sheet["C3"].value is None
    assert downloads.csv_bytes(table).decode("utf-8-sig").splitlines()[1] == "2023;393.784;7,5"


def test_a_lenkungskreis_login_does_not_see_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = _loaded(tmp_path, BEVOELKERUNG)
    app = signed_in(database, "pages/uebersicht.py", monkeypatch, tmp_path, name="lena", role="lenkungskreis")
    links = [link.label for link in app.get("page_link")]
    assert "Amtliche Statistik" not in links and "Übersicht" in links
    assert json.dumps(links, ensure_ascii=False)

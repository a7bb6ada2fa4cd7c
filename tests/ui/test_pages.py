"""AppTest checks of the pages Datenstand and Daten hochladen, by widget key."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from access import audit
from actions.actor import Actor
from loaders.ingest import DemoDatabaseError
from tests.helpers.apptest import app_environment, new_app, open_page, signed_in, table_with
from tests.helpers.cards import card_lines, card_values
from tests.helpers.faults import full_disk_for_archive, read_only
from tests.helpers.paths import FILES
from tests.helpers.shown_text import as_read
from ui import uploads as uploads_module

GOOD = FILES / "good/arbeitsmarkt_kanonisch.csv"
BAD = FILES / "bad/email_im_freitext.csv"


def test_datenstand_shows_the_matrix_and_follows_the_source(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = open_page(demo_db, "pages/datenstand.py", monkeypatch)

    # Issue 10: today 25.11.2026 the page put November (due 15.12.) among the missing and did not
    # name October's overdue deliveries; Bevölkerung read "November 2026" for data of 12/2025.
    headings = [h.value for h in app.subheader]
    assert headings[:2] == ["Überfällig", "Als Nächstes fällig: November 2026 – fällig am 15.12.2026"]
    overdue = table_with(app, "Fällig seit")
    assert list(overdue.columns) == ["Quelle", "Kommune", "Fehlende Monate", "Fällig seit", "Tage überfällig"]
    assert set(overdue["Fehlende Monate"]) == {"10/2026"} and set(overdue["Fällig seit"]) == {"15.11.2026"}
    assert set(overdue["Tage überfällig"]) == {"10"}
    assert ("Fallmanagement", "Bönen") in set(overdue[["Quelle", "Kommune"]].itertuples(index=False))
    assert next(e.value for e in app.error).startswith(f"{len(overdue)} Lieferungen sind überfällig")
    assert "November 2026" in app.info[0].value and "noch nicht überfällig" in app.info[0].value
    complete = table_with(app, "Letzter vollständiger Stand").set_index("Quelle")["Letzter vollständiger Stand"]
    assert complete["Bevölkerung"] == "Stichtag 12/2025" and complete["Arbeitsmarkt"] == "Oktober 2026"
    (matrix,) = [e.value for e in app.dataframe if e.value.index.name == "Kommune"]
    assert len(matrix) == 10
    assert set(matrix.stack()) <= {"✓", "✓ verspätet", "✗ überfällig"}
    for element in app.dataframe:  # no "None", "nan" or "<NA>" in any cell
        cells = element.value.astype(str).stack()
        assert not cells.isin(["None", "nan", "NaN", "<NA>", "NaT"]).any(), element.value

    app.selectbox(key="quelle").set_value("bevoelkerung").run()
    assert not app.exception
    details = table_with(app, "Hochgeladen von")
    assert list(details.columns) == ["Kommune", "Status", "Datei", "Hochgeladen von", "Hochgeladen am", "Zeilen"]
    assert not details.astype(str).stack().isin(["None", "nan", "<NA>"]).any()  # the Zeilen column showed "None"


def test_upload_checks_first_and_stores_only_accepted_files(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "kim.duckdb"
    shutil.copy(demo_db, database)
    app = signed_in(database, "pages/daten_hochladen.py", monkeypatch, tmp_path)

    # the templates are made when "Vorlagen für die Lieferungen" is opened (a closed expander's
    # download buttons were fetched by every browser that opened the page)
    assert not [b for b in app.get("download_button") if b.key and b.key.startswith("vorlage_")]
    app.session_state["vorlagen_offen"] = True
    app.run()
    assert len([b for b in app.get("download_button") if b.key and b.key.startswith("vorlage_")]) == 8
    assert not [i for i in app.info if "Demodaten" in i.value]
    files = [(p.name, p.read_bytes(), "text/csv") for p in (GOOD, BAD)]
    app.file_uploader(key="upload_dateien_0").set_value(files).run()
    assert not app.exception
    overview = table_with(app, "Ergebnis")
    assert list(overview["Ergebnis"]) == ["kann gespeichert werden", "abgelehnt"]
    assert list(overview["Quelle"]) == ["Arbeitsmarkt", "Fallmanagement"]
    with duckdb.connect(str(database), read_only=True) as connection:
        before = connection.execute("SELECT count(*) FROM upload").fetchall()[0][0]

    app.button(key="upload_speichern").click().run()
    assert not app.exception
    result = table_with(app, "Upload")
    assert list(result["Datei"]) == [GOOD.name] and list(result["Ergebnis"]) == ["gespeichert"]
    with duckdb.connect(str(database), read_only=True) as connection:
        uploads = connection.execute("SELECT datei, benutzer FROM upload ORDER BY upload_id").fetchall()
    assert len(uploads) == before + 1
    assert uploads[-1] == (GOOD.name, "ana")  # the signed-in user
    entry = audit.entries(database)[-1]
    assert (entry["benutzer"], entry["aktion"], entry["angaben"]) == ("ana", "upload", {"upload_id": before + 1})


def test_the_demo_checks_uploads_but_stores_none(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo opens without login on localhost: a real delivery stored in it would be shown to
    anyone as "Demodaten". Its upload page checks files, says why it stores none, offers no saving,
    and storing is refused below the page too."""
    database = tmp_path / "kim.duckdb"
    shutil.copy(demo_db, database)
    app = open_page(database, "pages/daten_hochladen.py", monkeypatch)
    assert any("Dateien können hier geprüft, aber nicht gespeichert werden" in i.value for i in app.info)
    with duckdb.connect(str(database), read_only=True) as connection:
        before = connection.execute("SELECT count(*), max(upload_id) FROM upload").fetchall()

    app.file_uploader(key="upload_dateien_0").set_value([(GOOD.name, GOOD.read_bytes(), "text/csv")]).run()
    assert not app.exception
    assert list(table_with(app, "Ergebnis")["Ergebnis"]) == ["kann gespeichert werden"]
    assert app.button(key="upload_speichern").disabled

    prepared = uploads_module.prepare(GOOD.name, GOOD.read_bytes())
    with pytest.raises(DemoDatabaseError) as refused:
        uploads_module.store(prepared, Actor.on_page("demo"))
    assert "enthält Demodaten" in refused.value.user_message
    assert "nicht in sie gespeichert" in refused.value.user_message
    with duckdb.connect(str(database), read_only=True) as connection:
        assert connection.execute("SELECT count(*), max(upload_id) FROM upload").fetchall() == before


def test_zeitverlauf_follows_indicator_regions_and_period(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = open_page(demo_db, "pages/zeitverlauf.py", monkeypatch)
    assert app.selectbox(key="kennzahl").value == "K01"

    app.selectbox(key="kennzahl").set_value("K05").run()
    app.multiselect(key="gebiete").set_value(["05978", "05978008"]).run()
    app.radio(key="zeitraum").set_value("quarter").run()
    assert not app.exception, [e.message for e in app.exception]
    table = table_with(app, "Kreis Unna")
    assert list(table.columns) == ["Bönen", "Kreis Unna"]
    assert table.index.name == "Zeitraum" and all(". Quartal 20" in index for index in table.index)
    assert all(v == "•" or v == "–" or v.endswith(" %") for v in table.stack())


def test_kennzahlen_page_explains_every_indicator(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = open_page(demo_db, "pages/kennzahlen.py", monkeypatch)
    table = table_with(app, "Geheimhaltung")
    assert list(table["Code"]) == [f"K{i:02d}" for i in range(1, 33)]  # with the Kontext-Kennzahlen K29–K32
    k29 = table.set_index("Code").loc["K29"]
    assert (
        k29["Quellen"] == "Amtliche Statistik, Tabellen 12411-15i, 12411-09i, 12411-02-03-4, 12411-01-01-4, 12411-0015"
    )
    assert k29["Zielwert"] == "– (Kontext)" and k29["Art"] == "Anzahl (amtliche Statistik)"

    app.selectbox(key="kennzahl").set_value("K04").run()
    assert app.subheader[0].value == "K04 · Tage bis zum Erstgespräch"
    assert "weniger als 5 Fällen" in app.markdown[-1].value or any("5 Fällen" in m.value for m in app.markdown)

    app.selectbox(key="kennzahl").set_value("K31").run()
    assert app.subheader[0].value == "K31 · Arbeitslosenquote der Ausländer/innen"
    assert any("Quote (amtliche Statistik)" in m.value for m in app.markdown)


def test_an_unexpected_failure_of_a_page_is_said_in_german(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import metrics.describe

    def broken(*args: object) -> None:
        raise RuntimeError("a programming error")

    monkeypatch.setattr(metrics.describe, "catalogue_table", broken)
    monkeypatch.setenv("KIM_DB", str(demo_db))
    app = new_app()
    app.run()
    app.switch_page("pages/kennzahlen.py").run()

    assert not app.exception  # Streamlit's English error box
    assert as_read(app.error[-1].value).startswith("Ein unerwarteter Fehler ist aufgetreten.")


def test_kommunen_compares_and_profiles(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = open_page(demo_db, "pages/kommunen.py", monkeypatch)
    assert len(app.get("plotly_chart")) == 2  # ranking and map

    app.selectbox(key="kennzahl").set_value("K03").run()
    app.selectbox(key="kommune").set_value("05978032").run()
    assert not app.exception, [e.message for e in app.exception]
    values = table_with(app, "Wert")
    assert len(values) == 10
    profile = table_with(app, "Selm")
    assert list(profile.columns) == ["Kennzahl", "Selm", "Kreis Unna", "Ampel"] and len(profile) == 28


def test_kommunen_draws_a_real_map_when_a_geojson_is_configured(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A synthetic map (one square per Kommune): the licensed boundaries are not needed to test this.
    from core.reference import kommunen

    features = []
    for k in kommunen():
        x, y = 7.4 + k.kachel_x * 0.1, 51.7 - k.kachel_y * 0.1
        ring = [[x, y], [x + 0.09, y], [x + 0.09, y - 0.09], [x, y - 0.09], [x, y]]
        features.append(
            {"type": "Feature", "properties": {"ags": k.ags}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        )
    geojson = tmp_path / "kommunen.geojson"
    geojson.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    monkeypatch.setenv("KIM_GEOJSON", str(geojson))
    app = open_page(demo_db, "pages/kommunen.py", monkeypatch)
    charts = app.get("plotly_chart")
    assert len(charts) == 2
    shapes = json.loads(charts[1].proto.spec)["data"]
    assert sum(trace.get("fill") == "toself" for trace in shapes) == 10  # one filled shape per Kommune


def test_a_link_reproduces_the_view(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIM_DB", str(demo_db))
    app = new_app()
    app.query_params.update({"kennzahl": "K22", "gebiete": "TR-Nord,05978024", "zeitraum": "year"})
    app.switch_page("pages/zeitverlauf.py").run()
    assert not app.exception, [e.message for e in app.exception]
    assert app.selectbox(key="kennzahl").value == "K22"
    assert app.multiselect(key="gebiete").value == ["TR-Nord", "05978024"]
    assert app.radio(key="zeitraum").value == "year"

    app.selectbox(key="kennzahl").set_value("K05").run()
    assert app.query_params["kennzahl"] == "K05"  # the link follows the choice


def test_handlungsfelder_breaks_cases_down_by_key(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = open_page(demo_db, "pages/handlungsfelder.py", monkeypatch)
    assert len(table_with(app, "Handlungsfeld")) == 28

    app.selectbox(key="merkmal").set_value("altersgruppe").run()
    app.radio(key="fallart").set_value("neu").run()
    app.selectbox(key="gebiet").set_value("05978016").run()
    assert not app.exception, [e.message for e in app.exception]
    table = table_with(app, "Altersgruppe")
    assert table["Altersgruppe"].iloc[0] == "Insgesamt" and len(table) == 7
    assert all(v == "•" or v.replace(".", "").isdigit() for v in table["Anzahl"])


def test_sitzungsmodus_steps_through_the_leitsaetze_and_freezes(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "kim.duckdb"
    shutil.copy(demo_db, database)
    app = open_page(database, "pages/sitzung.py", monkeypatch)
    assert app.title[0].value.startswith("LS1 ·")
    app.button(key="sitzung_weiter").click().run()
    assert app.title[0].value.startswith("LS2 ·")
    app.button(key="sitzung_zurueck").click().run()
    app.button(key="sitzung_zurueck").click().run()
    assert app.title[0].value.startswith("LS4 ·")

    # Issue 10: the date was Streamlit's English picker ("YYYY/MM/DD"); it is typed the German way.
    assert not app.get("date_input")
    field = app.text_input(key="sitzung_datum")
    assert field.value == "25.11.2026" and field.placeholder == "TT.MM.JJJJ"
    field.input("31.11.2026")
    app.button(key="sitzung_festhalten").click().run()
    assert [as_read(e.value) for e in app.error] == ["Den 31.11.2026 gibt es nicht. Bitte das Datum prüfen."]
    field = app.text_input(key="sitzung_datum").input("3.12.26")
    app.button(key="sitzung_festhalten").click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert as_read(app.success[0].value) == "Sitzung 1 vom 03.12.2026 festgehalten."
    assert any("Veränderung seit der Sitzung vom" in m.value for m in [*app.markdown, *app.caption])


def test_an_analyst_comment_appears_beside_the_card_and_in_the_table(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "kim.duckdb"
    shutil.copy(demo_db, database)
    app = open_page(database, "pages/uebersicht.py", monkeypatch)
    app.session_state["uebersicht_anmerkung_offen"] = True  # the expander "Anmerkungen (0)" opened
    app.session_state["uebersicht_alle_werte"] = True  # and "Alle Werte als Tabelle"
    app.run()
    app.selectbox(key="uebersicht_anmerkung_kennzahl").set_value("K03")
    app.text_area(key="uebersicht_anmerkung_text").set_value("Rückgang wegen Personalwechsel")
    app.button[-1].click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert "💬 Anmerkung: Rückgang wegen Personalwechsel" in card_lines(app)
    table = table_with(app, "Anmerkung").set_index("Kennzahl")
    assert table.loc["K03 · Neuaufnahmen", "Anmerkung"] == "Rückgang wegen Personalwechsel"
    # Issue 10: the expander closed after saving, since its label "Anmerkungen (n)" changed; the
    # analyst did not see the saved Anmerkung in the list.
    assert [e.label for e in app.expander if e.label.startswith("Anmerkungen")] == ["Anmerkungen (1)"]
    assert any("**K03** · Rückgang wegen Personalwechsel" in m.value for m in app.markdown)


def test_the_analyst_switch_shows_internal_figures_marked(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = open_page(demo_db, "pages/uebersicht.py", monkeypatch)
    app.selectbox(key="gebiet").set_value("05978016").run()  # Holzwickede: small counts
    published = list(card_values(app).values())
    assert "•" in published
    assert not any("nicht zur Weitergabe" in e.value for e in app.error)

    app.toggle(key="intern").set_value(True).run()
    assert not app.exception, [e.message for e in app.exception]
    assert any("intern – nicht zur Weitergabe" in e.value for e in app.error)
    internal = list(card_values(app).values())
    assert "•" not in internal and any(v.endswith("(intern)") for v in internal)


def test_an_upload_can_be_undone_from_the_page(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = tmp_path / "kim.duckdb"
    shutil.copy(demo_db, database)
    app = signed_in(database, "pages/daten_hochladen.py", monkeypatch, tmp_path)  # real data: the demo stores none
    app.file_uploader(key="upload_dateien_0").set_value([(GOOD.name, GOOD.read_bytes(), "text/csv")]).run()
    app.button(key="upload_speichern").click().run()
    newest = int(table_with(app, "Partitionen")["Upload"].iloc[0])

    app.selectbox(key="undo_upload").set_value(newest).run()
    assert app.button(key="undo_ausfuehren").disabled  # only after the confirmation
    app.checkbox(key="undo_bestaetigt").check().run()
    app.button(key="undo_ausfuehren").click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert as_read(app.success[0].value).startswith(f"Upload {newest} ({GOOD.name}) rückgängig gemacht")
    log = table_with(app, "Partitionen")
    assert log["Status"].iloc[0].startswith("rückgängig gemacht")
    assert [e["aktion"] for e in audit.entries(database)][-2:] == ["upload", "rueckgaengig"]


def test_every_view_shows_the_change_since_the_last_meeting(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from actions import steering
    from actions.actor import Actor

    database = tmp_path / "kim.duckdb"
    shutil.copy(demo_db, database)
    app = open_page(database, "pages/uebersicht.py", monkeypatch)
    assert not [t for t in app.toggle if t.key == "uebersicht_seit_sitzung"]  # no meeting held yet

    # The meeting showed today's figures, except K02 for the Kreis in October: 3 fewer than now,
    # as if the figure had been corrected upwards after the meeting.
    steering.freeze_meeting(dt.date(2026, 10, 12), Actor.on_page("KI-Team"), database=database)
    with duckdb.connect(str(database)) as connection:
        connection.execute(
            """UPDATE sitzung_wert SET wert = wert - 3
               WHERE kennzahl = 'K02' AND kommune = '05978' AND periode = '2026-10' AND periode_art = 'month'"""
        )
    k02 = "K02 · Aktive Fälle"
    app = open_page(database, "pages/uebersicht.py", monkeypatch)
    app.session_state["uebersicht_alle_werte"] = True  # "Alle Werte als Tabelle" opened
    app.selectbox(key="monat").set_value(dt.date(2026, 10, 1)).run()
    app.toggle(key="uebersicht_seit_sitzung").set_value(True).run()
    assert not app.exception, [e.message for e in app.exception]
    assert app.query_params["seit_sitzung"] == "ja"
    table = table_with(app, "Seit der Sitzung").set_index("Kennzahl")
    assert "In der Sitzung vom 12.10.2026" in table.columns
    assert table.loc[k02, "Seit der Sitzung"].startswith("+3 (+")
    assert table.loc[k02, "In der Sitzung vom 12.10.2026"].endswith(" (Oktober 2026)")
    assert table.loc[k02, "Korrektur"] == "✎ nach der Sitzung korrigiert"
    assert (table.drop(index=k02)["Korrektur"] == "").all()
    assert any(
        line.startswith("Seit der Sitzung vom 12.10.2026: **+3 (+") and "· damals " in line for line in card_lines(app)
    )
    assert card_lines(app).count("✎ nach der Sitzung korrigiert") == 1

    # A hidden figure gives a hidden change, also in the analysts' internal view.
    app.selectbox(key="gebiet").set_value("05978016").run()  # Holzwickede: small counts
    app.toggle(key="intern").set_value(True).run()
    table = table_with(app, "Seit der Sitzung")
    hidden = table["Wert"].str.endswith("(intern)")
    assert hidden.any() and (table.loc[hidden, "Seit der Sitzung"] == "•").all()
    assert table.loc[~hidden & (table["Wert"] != "–"), "Seit der Sitzung"].str.startswith("±0").all()

    app.switch_page("pages/kommunen.py").run()
    app.toggle(key="kommunen_seit_sitzung").set_value(True).run()
    seen_hidden = False
    for code in ("K02", "K12", "K20", "K18"):
        app.selectbox(key="kennzahl").set_value(code).run()
        assert not app.exception, [e.message for e in app.exception]
        ranking = table_with(app, "Seit der Sitzung")
        assert len(ranking) == 10
        hidden = ranking["Wert"].str.endswith("(intern)") | (ranking["Wert"] == "•")
        seen_hidden |= bool(hidden.any())
        assert (ranking.loc[hidden, "Seit der Sitzung"] == "•").all()
        assert ranking.loc[~hidden & (ranking["Wert"] != "–"), "Seit der Sitzung"].str.startswith("±0").all()
    assert seen_hidden

    app.switch_page("pages/zeitverlauf.py").run()
    app.selectbox(key="kennzahl").set_value("K02").run()
    app.toggle(key="zeitverlauf_seit_sitzung").set_value(True).run()
    assert not app.exception, [e.message for e in app.exception]
    course = table_with(app, "Kreis Unna")
    assert course.loc["Oktober 2026", "Kreis Unna"].endswith(" ✎")
    assert sum(value.endswith("✎") for value in course.stack()) == 1
    latest = table_with(app, "Gebiet").set_index("Gebiet")
    assert latest.loc["Kreis Unna", "Zeitraum"] == "Oktober 2026"
    assert latest.loc["Kreis Unna", "Seit der Sitzung"].startswith("+3 (+")
    layout = json.loads(app.get("plotly_chart")[0].proto.spec)["layout"]
    assert [s["x0"] for s in layout["shapes"] if s.get("line", {}).get("dash") == "dot"] == ["2026-10-12"]
    assert any(a["text"] == "Sitzung vom 12.10.2026" for a in layout["annotations"])


def test_the_cards_courses_are_also_a_table(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = open_page(demo_db, "pages/uebersicht.py", monkeypatch)
    app.session_state["uebersicht_alle_werte"] = True  # "Alle Werte als Tabelle" opened
    app.selectbox(key="gebiet").set_value("05978016").run()  # Holzwickede: small counts
    assert not app.exception, [e.message for e in app.exception]
    course = next(e.value for e in app.dataframe if len(e.value.columns) == 13)  # Kennzahl and twelve months
    assert len(course) == 28 and list(course.columns)[-1] == app.selectbox(key="monat").value.strftime("%m/%Y")
    figures = course.drop(columns="Kennzahl").stack()
    assert "•" in set(figures) and not any(v.endswith("(intern)") for v in figures)


def test_upload_page_names_a_read_only_folder_and_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checking needs a temporary copy, saving an archived original: a folder that cannot be written
    and a full disk are named in German, not as "Ein unerwarteter Fehler"."""
    import tempfile

    database = tmp_path / "daten" / "kim.duckdb"
    database.parent.mkdir()
    app = signed_in(database, "pages/daten_hochladen.py", monkeypatch, tmp_path)
    locked = tmp_path / "schreibgeschuetzt"
    locked.mkdir()
    with read_only(locked):
        try:
            monkeypatch.setattr(tempfile, "tempdir", str(locked))
            app.file_uploader(key="upload_dateien_0").set_value([(GOOD.name, GOOD.read_bytes(), "text/csv")]).run()
            assert not app.exception
            message = as_read(app.error[0].value)
            assert f"Auf dem Server darf in den Ordner {locked} nicht geschrieben werden" in message, message
        finally:
            monkeypatch.undo()

    app_environment(monkeypatch, database, tmp_path)
    full_disk_for_archive(database, GOOD)
    app.run()  # checked again, now with a writable temporary folder
    assert list(table_with(app, "Ergebnis")["Ergebnis"]) == ["kann gespeichert werden"]
    app.button(key="upload_speichern").click().run()
    assert not app.exception
    message = as_read(app.error[0].value)
    assert message.startswith("Auf dem Server ist kein Speicherplatz mehr frei"), message
    with duckdb.connect(str(database), read_only=True) as connection:
        assert connection.execute("SELECT count(*) FROM upload").fetchall() == [(0,)]


def test_handlungsfelder_says_why_a_breakdown_is_wholly_hidden(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Issue 9: a hidden total hides every category of its breakdowns; the chart then stood empty
    # with no word why.
    from metrics.disclosure import disclosure
    from store import connect

    with connect(demo_db) as connection:
        cats = disclosure(connection).categories
    rows = cats[(cats["dimension"] == "altersgruppe") & (cats["measure"] == "neu")]
    hidden = rows.groupby(["kommune", "monat"])["unterdrueckt"].all()
    kommune, month = hidden[hidden].index[-1]
    shown_kommune, shown_month = hidden[~hidden].index[-1]

    app = open_page(demo_db, "pages/handlungsfelder.py", monkeypatch)
    app.selectbox(key="merkmal").set_value("altersgruppe").run()
    app.radio(key="fallart").set_value("neu").run()
    app.selectbox(key="gebiet").set_value(kommune).run()
    app.selectbox(key="monat").set_value(month).run()
    assert not app.exception, [e.message for e in app.exception]
    table = table_with(app, "Altersgruppe")
    assert set(table.loc[table["Altersgruppe"] != "Insgesamt", "Anzahl"]) == {"•"}
    (note,) = [e.value for e in app.info if "alle Teile dieser Aufschlüsselung geheim" in e.value]
    assert "weniger als 3 Fälle" in note and "geheim gehaltene Fallzahl" in note
    assert not [c for c in app.get("plotly_chart") if "merkmal" in str(c.proto)]

    app.selectbox(key="gebiet").set_value(shown_kommune).run()
    app.selectbox(key="monat").set_value(shown_month).run()
    assert not [e for e in app.info if "alle Teile dieser Aufschlüsselung geheim" in e.value]
    assert app.get("plotly_chart")

"""The page Zielwerte (AppTest): a target typed the German way, checked by the indicator's unit and
confirmed with the old and the new value before it is saved."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import open_page, table_with
from tests.helpers.shown_text import as_read


def _saved(database: Path) -> list[tuple[str, float]]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return [(k, float(v)) for k, v in connection.execute("SELECT kennzahl, zielwert FROM zielwert").fetchall()]


def _target(app: AppTest, code: str) -> str:
    table = table_with(app, "Zielwert")
    return str(table.loc[table["Kennzahl"].str.startswith(f"{code} ·"), "Zielwert"].iloc[0])


@pytest.fixture
def page(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[AppTest, Path]:
    database = tmp_path / "kim.duckdb"
    shutil.copy(demo_db, database)
    app = open_page(database, "pages/zielwerte.py", monkeypatch)
    app.selectbox(key="ziel_kennzahl").set_value("K21").run()
    return app, database


def test_a_target_typed_with_a_comma_is_confirmed_then_saved_as_typed(page: tuple[AppTest, Path]) -> None:
    app, database = page
    field = app.text_input(key="ziel_wert")
    assert field.value == "90,0"  # the target in force, in German format (was "0.0")
    field.input("85,5")
    app.button(key="ziel_speichern").click().run()
    assert not app.exception, [e.message for e in app.exception]
    question = [as_read(w.value) for w in app.warning if "ändern?" in w.value]
    assert question == ["Zielwert für K21 von ≥ 90,0 % auf ≥ 85,5 % ändern?"]
    assert _saved(database) == []  # nothing saved before the confirmation

    app.button(key="ziel_bestaetigen").click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert _saved(database) == [("K21", 85.5)]  # was 855
    assert _target(app, "K21") == "≥ 85,5 %"
    assert app.text_input(key="ziel_wert").value == "85,5"
    assert [as_read(s.value) for s in app.success] == ["Zielwert für K21 gespeichert: ≥ 85,5 %."]


def test_a_point_is_read_as_the_decimal_mark_and_shown_with_a_comma(page: tuple[AppTest, Path]) -> None:
    app, database = page
    app.text_input(key="ziel_wert").input("85.5")
    app.button(key="ziel_speichern").click().run()
    assert app.text_input(key="ziel_wert").value == "85,5"  # the field shows what was understood
    assert any("auf ≥ 85,5 % ändern?" in as_read(w.value) for w in app.warning)
    app.button(key="ziel_bestaetigen").click().run()
    assert _saved(database) == [("K21", 85.5)]


def test_855_for_a_share_is_refused_in_german_and_not_saved(page: tuple[AppTest, Path]) -> None:
    app, database = page
    app.text_input(key="ziel_wert").input("855")
    app.button(key="ziel_speichern").click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert [as_read(e.value) for e in app.error] == [
        "855 % ist als Zielwert für K21 · Verlustfreie Übergaben nicht möglich: ein Anteil liegt zwischen 0 und "
        "100 %. Vielleicht fehlt ein Komma? Der Zielwert wurde nicht gespeichert."
    ]
    assert not any("ändern?" in w.value for w in app.warning)  # no confirmation offered
    assert not [b for b in app.button if b.key == "ziel_bestaetigen"]
    assert _saved(database) == [] and _target(app, "K21") == "≥ 90,0 %"
    # the rest of the page stays usable
    assert [b for b in app.button if b.key == "ziel_vorschlaege"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "„abc“ ist keine Zahl."),
        ("", "Bitte eine Zahl eingeben"),
        ("-3", "ein Anteil liegt zwischen 0 und 100 %"),
        ("1,234.5", "im englischen Zahlenformat"),
    ],
)
def test_other_wrong_input_is_refused(page: tuple[AppTest, Path], typed: str, message: str) -> None:
    app, database = page
    app.text_input(key="ziel_wert").input(typed)
    app.button(key="ziel_speichern").click().run()
    assert any(message in as_read(e.value) for e in app.error), [e.value for e in app.error]
    assert _saved(database) == []


def test_cancel_saves_nothing_and_a_new_value_is_asked_again(page: tuple[AppTest, Path]) -> None:
    app, database = page
    app.text_input(key="ziel_wert").input("85,5")
    app.button(key="ziel_speichern").click().run()
    app.button(key="ziel_abbrechen").click().run()
    assert not any("ändern?" in w.value for w in app.warning)
    app.text_input(key="ziel_wert").input("86,5")
    app.button(key="ziel_speichern").click().run()
    question = [as_read(w.value) for w in app.warning if "ändern?" in w.value]
    assert question == ["Zielwert für K21 von ≥ 90,0 % auf ≥ 86,5 % ändern?"]
    assert _saved(database) == []


def test_a_target_for_one_kommune_from_a_date(page: tuple[AppTest, Path]) -> None:
    app, database = page
    app.selectbox(key="ziel_gebiet").set_value("05978032").run()
    assert app.text_input(key="ziel_wert").value == ""  # none decided for Selm yet
    app.text_input(key="ziel_ab").input("1.1.27")
    app.text_input(key="ziel_wert").input("1.234")
    app.button(key="ziel_speichern").click().run()
    assert app.text_input(key="ziel_ab").value == "01.01.2027"
    assert "ein Anteil liegt zwischen 0 und 100 %" in as_read(app.error[0].value)  # 1.234 is 1234
    app.text_input(key="ziel_wert").input("80")
    app.button(key="ziel_speichern").click().run()
    assert app.text_input(key="ziel_wert").value == "80,0"
    question = [as_read(w.value) for w in app.warning if "ändern?" in w.value]
    assert question == ["Zielwert für K21 in Selm ab 01.01.2027 von ≥ 90,0 % auf ≥ 80,0 % ändern?"]
    app.button(key="ziel_bestaetigen").click().run()
    assert _saved(database) == [("K21", 80.0)]
    specific = table_with(app, "Gültig ab")
    assert specific.iloc[0].to_dict() | {"Festgelegt": ""} == {
        "Kennzahl": "K21 · Verlustfreie Übergaben",
        "Gebiet": "Selm",
        "Gültig ab": "01.01.2027",
        "Zielwert": "≥ 80,0 %",
        "Status": "beschlossen",
        "Festgelegt": "",
    }
    app.text_input(key="ziel_ab").input("31.02.2027")
    app.button(key="ziel_speichern").click().run()
    assert "Den 31.02.2027 gibt es nicht." in as_read(app.error[0].value)

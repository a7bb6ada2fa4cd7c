"""Issue 12, item 6: the Kontext-Kennzahlen on the Übersicht (below the Leitsatz they belong to) and
on the Kommunen page, each with its source line (AppTest on the demo data plus the real official
exports). Without any official table the pages show nothing of them, never an error or "None"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import open_page, table_with
from tests.helpers.official import demo_with_official_tables

K29_SOURCE = (
    "Quelle: IT.NRW, Landesdatenbank NRW, Tabelle 12411-15i, Stand 19.01.2026; "
    "Datenlizenz Deutschland – Namensnennung – 2.0"
)


@pytest.fixture(scope="module")
def official_demo(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_with_official_tables(demo_db, tmp_path_factory.mktemp("amtlich"))


def _texts(app: AppTest) -> list[str]:
    """Markdown and captions in page order, Markdown escapes removed."""
    elements = [e for e in app.main if e.type in ("markdown", "caption")]
    return [str(e.value).replace("\\", "") for e in elements]


def test_the_uebersicht_shows_the_context_below_its_leitsatz_with_its_source(
    official_demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_page(official_demo, "pages/uebersicht.py", monkeypatch)
    app.selectbox(key="monat").set_value(dt.date(2026, 9, 1)).run()
    assert not app.exception, [e.message for e in app.exception]
    headings = [h.value for h in app.subheader]
    texts = _texts(app)
    k29 = texts.index("K29 · Einwohnerinnen und Einwohner: **393.784** (Kreis Unna, Stichtag im Dezember 2024)")
    assert texts[k29 + 1] == K29_SOURCE
    assert texts[k29 - 1] == "**Kontext aus der amtlichen Statistik**"
    k31 = next(i for i, t in enumerate(texts) if t.startswith("K31 · Arbeitslosenquote der Ausländer/innen"))
    assert texts[k31] == "K31 · Arbeitslosenquote der Ausländer/innen: **19,2 %** (Kreis Unna, 2025)"
    assert texts[k31 + 1].startswith("Quelle: Statistische Ämter des Bundes und der Länder, Regionaldatenbank")
    k32 = next(i for i, t in enumerate(texts) if t.startswith("K32 · "))
    assert "**5.910**" in texts[k32]
    # below its own Leitsatz: K29 and K31 (LS1) after the LS1 cards, K32 (LS4) after the LS4 cards
    under: dict[str, str] = {}
    leitsatz = ""
    for element in app.main:
        if element.type == "subheader" or (element.type == "heading" and str(element.value).startswith("LS")):
            leitsatz = str(element.value)[:3]
        elif element.type == "markdown" and str(element.value).startswith(("K29", "K31", "K32")):
            under[str(element.value)[:3]] = leitsatz
    assert under == {"K29": "LS1", "K31": "LS1", "K32": "LS4"}
    assert [h[:3] for h in headings if h.startswith("LS")] == ["LS1", "LS2", "LS3", "LS4"]
    assert not any("None" in t or "nan" in t for t in texts)

    # a Kommune: its own population; a figure published for the Kreis only is named as the Kreis's
    app.selectbox(key="gebiet").set_value("05978032").run()
    texts = _texts(app)
    assert "K29 · Einwohnerinnen und Einwohner: **25.969** (Selm, Stichtag im Dezember 2024)" in texts
    assert "K31 · Arbeitslosenquote der Ausländer/innen: **19,2 %** (nur für Kreis Unna veröffentlicht, 2025)" in texts
    # a Teilregion: the sum of its Kommunen in the table (Lünen 86.163 + Selm 25.969 + Werne 30.202)
    app.selectbox(key="gebiet").set_value("TR-Nord").run()
    assert any(t.startswith("K29 · Einwohnerinnen und Einwohner: **142.334**") for t in _texts(app))


def test_the_kommunen_page_shows_the_context_table_with_sources(
    official_demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_page(official_demo, "pages/kommunen.py", monkeypatch)
    table = table_with(app, "K29 · 12/2024").set_index("Gebiet")
    assert table.loc["Kreis Unna", "K29 · 12/2024"] == "393.784"
    assert table.loc["Selm", "K29 · 12/2024"] == "25.969"
    assert table.loc["Kreis Unna", "K31 · 2025"] == "19,2 %"
    assert table.loc["Selm", "K31 · 2025"] == "–"  # never spread from the Kreis
    assert table.loc["Kreis Unna", "K32 · 2023"] == "5.910"
    texts = _texts(app)
    assert f"K29 · Einwohnerinnen und Einwohner (Stichtag im Dezember 2024). {K29_SOURCE}" in texts


def test_without_official_tables_nothing_is_shown(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = open_page(demo_db, "pages/uebersicht.py", monkeypatch)
    assert not any("Kontext" in t or t.startswith("K29") for t in _texts(app))
    app = open_page(demo_db, "pages/kommunen.py", monkeypatch)
    assert any(t.startswith("Noch keine amtliche Tabelle für die Kontext-Kennzahlen geladen") for t in _texts(app))
    assert not app.exception

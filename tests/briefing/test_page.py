"""The page "Briefing" through the app's navigation (AppTest), by widget key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers.apptest import open_page

PAGE = "pages/briefing.py"


def open_briefing(database: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return open_page(database, PAGE, monkeypatch, timeout=120)


def test_the_page_offers_period_kommunen_and_leitsaetze(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = open_briefing(demo_db, monkeypatch)
    assert app.title[0].value == "Briefing"
    assert app.radio(key="briefing_art").value == "month"
    # the latest month in which most indicators are complete, as on the Übersicht
    assert app.selectbox(key="briefing_zeitraum").value == dt.date(2026, 9, 1)
    assert app.multiselect(key="briefing_kommunen").value == []
    assert app.multiselect(key="briefing_leitsaetze").value == ["LS1", "LS2", "LS3", "LS4"]
    assert app.button(key="briefing_pdf").label == "PDF erstellen"
    assert app.button(key="briefing_pptx").label == "PowerPoint erstellen"
    assert not app.get("download_button")  # nothing made yet


def test_one_click_makes_the_files_to_download(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = open_briefing(demo_db, monkeypatch)
    app.radio(key="briefing_art").set_value("quarter").run()
    app.selectbox(key="briefing_zeitraum").set_value(dt.date(2026, 7, 1))
    app.multiselect(key="briefing_kommunen").set_value(["05978016"])
    app.multiselect(key="briefing_leitsaetze").set_value(["LS3"]).run()
    # the link names the period unless it is the default (defaults are never written into the link)
    assert app.query_params.get("briefing_zeitraum", "2026-Q3") == "2026-Q3"

    app.button(key="briefing_pptx").click().run()
    assert not app.exception, [e.message for e in app.exception]
    made = app.session_state["briefing_datei_pptx"]["result"]
    assert made.file_name == "briefing_kim_2026-Q3.pptx" and made.content.startswith(b"PK")
    assert [b.key for b in app.get("download_button")] == ["briefing_pptx_download"]
    assert app.subheader[0].value == "Kernaussagen"
    assert "Im Kreis Unna" in app.markdown[-1].value

    app.button(key="briefing_pdf").click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert app.session_state["briefing_datei_pdf"]["result"].content.startswith(b"%PDF")
    assert [b.key for b in app.get("download_button")] == ["briefing_pdf_download", "briefing_pptx_download"]

    app.multiselect(key="briefing_leitsaetze").set_value(["LS3", "LS4"]).run()  # another choice: make anew
    assert not app.get("download_button")

"""The shared month and Gebiet (ui/selection.py) in AppTest: one default month for every page,
carried from page to page, taken from the link, and the link written only on a user's change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.helpers.apptest import new_app, on_database

SEPTEMBER = dt.date(2026, 9, 1)  # the demo's latest month with the most complete Kreis indicators
SELM = "05978032"
MONTHLY = ["pages/uebersicht.py", "pages/handlungsfelder.py", "pages/kommunen.py"]


@pytest.mark.parametrize("page", MONTHLY)
def test_every_page_opens_on_the_same_month(demo_db: Path, monkeypatch: pytest.MonkeyPatch, page: str) -> None:
    app = on_database(demo_db, monkeypatch)
    app.switch_page(page).run()
    assert app.selectbox(key="monat").value == SEPTEMBER
    assert "monat" not in app.query_params  # a default is not written: no extra history entry


def test_the_internal_view_opens_on_the_same_month(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = on_database(demo_db, monkeypatch)  # the demo runs as admin, who may see internal figures
    app.toggle(key="intern").set_value(True).run()
    app.switch_page("pages/kommunen.py").run()
    assert app.selectbox(key="monat").value == SEPTEMBER


def test_month_and_gebiet_are_chosen_once_for_all_pages(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = on_database(demo_db, monkeypatch)
    app.selectbox(key="gebiet").set_value(SELM).run()
    app.selectbox(key="monat").set_value(dt.date(2026, 7, 1)).run()
    assert app.query_params["gebiet"] == SELM and app.query_params["monat"] == "2026-07"
    for page in ["pages/handlungsfelder.py", "pages/kennzahlen.py", "pages/kommunen.py", "pages/uebersicht.py"]:
        app.switch_page(page).run()
        assert not app.exception, [e.message for e in app.exception]
        if page != "pages/kennzahlen.py":
            assert app.selectbox(key="monat").value == dt.date(2026, 7, 1), page
        if page in ("pages/handlungsfelder.py", "pages/uebersicht.py"):
            assert app.selectbox(key="gebiet").value == SELM, page
    links = [link for link in app.get("page_link") if "Übersicht" in link.proto.label]
    assert links and "monat=2026-07" in links[0].proto.query_string and SELM in links[0].proto.query_string


def test_the_link_names_the_view(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIM_DB", str(demo_db))
    app = new_app()
    app.query_params.update({"monat": "2026-08", "gebiet": SELM})
    app.switch_page("pages/handlungsfelder.py").run()
    assert not app.exception, [e.message for e in app.exception]
    assert app.selectbox(key="monat").value == dt.date(2026, 8, 1)
    assert app.selectbox(key="gebiet").value == SELM

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


def _links_then_month() -> None:
    """app.py's order: the address remembered, the navigation drawn at once, then the page with the
    month (the navigation is drawn again only when the page has finished, seconds later under load)."""
    import datetime as dt

    import streamlit as st

    from ui import selection

    selection.remember_address()
    st.text(",".join(f"{k}={v}" for k, v in sorted(selection.nav_params().items())))
    months = [dt.date(2026, 8, 1), dt.date(2026, 9, 1)]
    selection.sync(selection.MONTH, months, months[1], selection.month_code)
    st.selectbox("Berichtsmonat", months, key=selection.MONTH)


def test_the_links_drawn_at_the_start_of_a_run_carry_the_month_just_chosen() -> None:
    """Issue 10 #5: a page link clicked while the page still computed after a month was chosen took
    the month from before the choice (the links drawn at the start of that run); Back to that page
    then showed the old month too."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_function(_links_then_month).run()
    app.run()
    assert app.text[0].value == "monat=2026-09"
    app.selectbox(key="monat").set_value(dt.date(2026, 8, 1)).run()
    assert app.text[0].value == "monat=2026-08", "the links must carry the month just chosen"
    assert app.query_params["monat"] == "2026-08"
    app.run()  # a later run without a change keeps it
    assert app.text[0].value == "monat=2026-08"

"""What a new session's browser has to draw (issue 10 #8): nothing that nobody looks at, nothing
twice, and no motion. Measured in chromium by tests/benchmark.py --browser; here the causes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.helpers.cards import cards
from ui.page import PAGES

ROOT = Path(__file__).resolve().parents[2]


def first_run(database: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("KIM_DB", str(database))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    assert app.title[0].value == "Übersicht"
    return app


def test_closed_expanders_of_the_uebersicht_send_no_tables_and_no_form(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tables of "Alle Werte als Tabelle" (two tables, four downloads) and the form of
    "Anmerkungen" were sent and drawn in every new session although both expanders are closed:
    the browser loaded the table component and drew every cell (about 1,6 s in chromium)."""
    app = first_run(demo_db, monkeypatch)
    assert [e.label for e in app.expander] == ["Alle Werte als Tabelle", "Anmerkungen (0)"]
    assert not app.dataframe
    assert not [b for b in app.get("download_button") if b.key and b.key.startswith("uebersicht_")]
    assert not app.text_area

    app.session_state["uebersicht_alle_werte"] = True  # the user opens "Alle Werte als Tabelle"
    app.run()
    assert len(app.dataframe) == 2 and len(app.dataframe[0].value) == 28
    assert not app.text_area
    app.session_state["uebersicht_anmerkung_offen"] = True  # and "Anmerkungen (0)"
    app.run()
    assert [t.key for t in app.text_area] == ["uebersicht_anmerkung_text"]


def test_a_new_session_draws_each_page_link_once(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sidebar's links were drawn before the page and again after it, once the page had set the
    shared month and Gebiet: 22 links for 11 pages in every new session."""
    drawn: list[str] = []
    original = st.page_link

    def page_link(page: Any, *args: Any, **kwargs: Any) -> Any:
        drawn.append(str(kwargs.get("label")))
        return original(page, *args, **kwargs)

    monkeypatch.setattr(st, "page_link", page_link)
    app = first_run(demo_db, monkeypatch)
    titles = [spec.title for spec in PAGES]
    # The first run draws them before the page (a page that stops early must not leave the sidebar
    # empty) and once more with the month and Gebiet the page chose; the sidebar shows each once.
    assert drawn and set(drawn) <= set(titles) and len(drawn) <= 2 * len(set(drawn))
    links = [e for e in app.sidebar if getattr(e, "type", "") == "page_link"]
    assert sorted(e.proto.label for e in links) == sorted(set(drawn))

    drawn.clear()
    app.run()  # the next run knows month and Gebiet: the links are drawn at once, once
    assert len(drawn) == len(set(drawn)) == len(links)


@pytest.mark.parametrize("spec", PAGES[:2], ids=lambda spec: spec.title)
def test_every_page_is_drawn_without_motion(spec: Any, demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Streamlit's animations (running indicator, placeholders, fading elements) made chromium
    repaint the window for every frame: a new session's Übersicht cost it 10 CPU seconds instead
    of about 5. Every page gets the fixed style sheet that stops all motion, first."""
    app = first_run(demo_db, monkeypatch)
    if spec is not PAGES[0]:
        app.switch_page(spec.path).run()
    styles = [e.proto.body for e in app.get("html") if "animation: none !important" in e.proto.body]
    assert styles and "transition: none !important" in styles[0] and "http" not in styles[0]


MAIN_ELEMENTS = 45  # the Übersicht's main area on the demo data (was 97+)


def test_each_card_is_one_element_with_its_picture_inside(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every element is a React element with its own layout in a new session's browser: a card was
    a box with a metric, a Markdown line, captions and a picture (97 elements in the main area, 28
    picture files fetched one by one; 5 s until drawn at a load of 9, an empty page 1,8 s). Now a
    card is one Markdown text in its box with its course inside as a data address."""
    app = first_run(demo_db, monkeypatch)
    shown = cards(app)
    assert len(shown) == 28
    assert not app.metric and not app.get("image")  # no picture file to fetch per card
    for card in shown:
        assert card.markdown.count("](data:image/svg+xml;base64,") == 1, card.label
        assert card.markdown.count("-badge[") == 1, card.label  # the Ampel as colour, symbol and word
        assert card.help, card.label  # the definition, as before
    assert count_elements(app.main) <= MAIN_ELEMENTS, count_elements(app.main)


def count_elements(node: Any) -> int:
    """The elements (not the boxes around them) below a node of the AppTest tree."""
    children = list(getattr(node, "children", {}).values())
    if not children:
        return 1 if getattr(node, "type", "") not in ("block", "container") else 0
    return sum(count_elements(child) for child in children)

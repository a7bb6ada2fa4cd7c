"""An admin sets a target the German way in Debian's chromium and sees it where targets show."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.browser import CHROMIUM_ARGS, WAIT_MS, serve

SHARE_REFUSED = (
    "855 % ist als Zielwert für K21 · Verlustfreie Übergaben nicht möglich: ein Anteil liegt zwischen 0 und 100 %."
)


@pytest.fixture
def writable_demo(demo_db: Path, tmp_path: Path) -> Iterator[str]:
    """The demo app (no login on localhost, an admin) on its own copy of the demo data."""
    database = tmp_path / "kim.duckdb"
    shutil.copy(demo_db, database)
    with serve(database, tmp_path / "streamlit.log") as url:
        yield url


@pytest.mark.browser
def test_an_admin_sets_85_5_and_is_stopped_at_855(chromium: Path, writable_demo: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720}, locale="de-DE")
            page.goto(writable_demo)
            sidebar = page.get_by_test_id("stSidebar")
            expect(sidebar.get_by_text("Zielwerte", exact=True)).to_be_visible(timeout=WAIT_MS)
            sidebar.get_by_text("Zielwerte", exact=True).click()
            expect(page.get_by_role("heading", name="Zielwert festlegen")).to_be_visible(timeout=WAIT_MS)
            page.get_by_role("combobox", name="Kennzahl").click()
            page.keyboard.type("K21")
            page.keyboard.press("Enter")
            field = page.get_by_role("textbox", name=re.compile(r"^Zielwert"))
            expect(field).to_have_value("90,0", timeout=WAIT_MS)  # was "0.0"

            field.fill("855")
            page.get_by_role("button", name="Zielwert speichern").click()
            expect(page.get_by_text(SHARE_REFUSED)).to_be_visible(timeout=WAIT_MS)
            expect(page.get_by_role("button", name="Ja, speichern")).to_have_count(0)
            page.screenshot(path=tmp_path / "zielwert_855.png")

            field.fill("85,5")
            page.get_by_role("button", name="Zielwert speichern").click()
            expect(page.get_by_text("Zielwert für K21 von ≥ 90,0 % auf ≥ 85,5 % ändern?")).to_be_visible(
                timeout=WAIT_MS
            )
            expect(page.get_by_text(SHARE_REFUSED)).to_have_count(0)
            page.screenshot(path=tmp_path / "zielwert_frage.png")
            page.get_by_role("button", name="Ja, speichern").click()
            expect(page.get_by_text("Zielwert für K21 gespeichert: ≥ 85,5 %.")).to_be_visible(timeout=WAIT_MS)
            expect(field).to_have_value("85,5")
            # the table of targets is plain text now (a grid drew it on a canvas): its row can be read
            row = page.get_by_test_id("stTable").first.get_by_role("row").filter(has_text="K21 · ")
            expect(row).to_contain_text("≥ 85,5 %")
            body = page.locator("body").inner_text()
            assert "Press Enter" not in body and "0.0" not in body and "855" not in body

            sidebar.get_by_text("Übersicht", exact=True).click()
            expect(page.get_by_role("heading", name="Übersicht")).to_be_visible(timeout=WAIT_MS)
            card = page.get_by_text(re.compile(r"K21 · Verlustfreie Übergaben"))
            expect(card.first).to_be_visible(timeout=WAIT_MS)
            expect(page.get_by_text(re.compile(r"≥ 85,5 %")).first).to_be_visible(timeout=WAIT_MS)
            expect(page.get_by_text(re.compile(r"855"))).to_have_count(0)
            page.get_by_text(re.compile(r"≥ 85,5 %")).first.scroll_into_view_if_needed()
            page.screenshot(path=tmp_path / "uebersicht_k21.png")

            page.set_viewport_size({"width": 1920, "height": 1080})  # the form on a large screen
            sidebar.get_by_text("Zielwerte", exact=True).click()
            expect(page.get_by_role("heading", name="Zielwert festlegen")).to_be_visible(timeout=WAIT_MS)
            page.get_by_role("combobox", name="Kennzahl").click()
            page.keyboard.type("K21")
            page.keyboard.press("Enter")
            expect(field).to_have_value("85,5", timeout=WAIT_MS)  # the saved target, in German format
            field.fill("855")
            page.get_by_role("button", name="Zielwert speichern").click()
            expect(page.get_by_text(SHARE_REFUSED)).to_be_visible(timeout=WAIT_MS)
            page.screenshot(path=tmp_path / "zielwert_855_1920.png")
        finally:
            browser.close()

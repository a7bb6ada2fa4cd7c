"""The real app in Debian's chromium: what only a browser shows (the rendered page and its layout)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.helpers.browser import CHROMIUM_ARGS, VIEWPORT, WAIT_MS, serve
from tests.helpers.databases import real_copy

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page


@pytest.mark.browser
def test_uebersicht_in_chromium(chromium: Path, app_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT, locale="de-DE")
            page.goto(app_url)
            expect(page.get_by_role("heading", name="Übersicht")).to_be_visible(timeout=WAIT_MS)
            expect(page.get_by_role("combobox", name="Gebiet")).to_have_value("Kreis Unna", timeout=WAIT_MS)
            expect(page.get_by_text("LS1 · Wir begleiten Menschen aktiv.")).to_be_visible(timeout=WAIT_MS)
            expect(page.get_by_text("K02 · Aktive Fälle")).to_be_visible()
            expect(page.get_by_text("Demodaten", exact=True)).to_be_visible()
            # the sparklines (static pictures inside the cards' text) are drawn last; then show the whole
            # page, which scrolls inside stMain
            expect(page.locator('img[alt^="Verlauf von "]')).to_have_count(28, timeout=WAIT_MS)
            height = page.get_by_test_id("stMain").evaluate("main => main.scrollHeight")
            page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
            page.screenshot(path=tmp_path / "uebersicht.png")
            page.set_viewport_size(VIEWPORT)

            # keyboard: Tab reaches the region choice; typing filters the options, Enter chooses
            region = page.get_by_role("combobox", name="Gebiet")
            tab_to(page, region)
            page.keyboard.type("Selm")
            page.keyboard.press("Enter")
            expect(page).to_have_url(re.compile(r"[?&]gebiet=05978032(&|$)"), timeout=WAIT_MS)
            expect(region).to_have_value("Selm")
            expect(page.get_by_text(re.compile(r"^Selm · \w+ \d{4} · Datenstand"))).to_be_visible(timeout=WAIT_MS)
        finally:
            browser.close()


@pytest.mark.browser
def test_kommunen_in_chromium(chromium: Path, app_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT, locale="de-DE")
            page.goto(f"{app_url}/kommunen")
            expect(page.get_by_role("heading", name="Kommunen", exact=True)).to_be_visible(timeout=WAIT_MS)
            # the ranking (bars) and the tile map are drawn as plotly svg, each titled with the indicator
            charts = page.get_by_test_id("stPlotlyChart")
            expect(charts).to_have_count(2, timeout=WAIT_MS)
            expect(charts.nth(0).locator("g.barlayer path")).to_have_count(10, timeout=WAIT_MS)
            expect(charts.nth(1).locator("g.scatterlayer text")).to_have_count(10)
            for chart in (charts.nth(0), charts.nth(1)):
                expect(chart.locator("svg.main-svg").first).to_be_visible()
                expect(chart.locator(".gtitle")).to_contain_text("K01 · Reichweite des Case Managements")
            # the profile of a Kommune beside the Kreis
            expect(page.get_by_role("heading", name="Profil einer Kommune")).to_be_visible()
            expect(page.get_by_role("combobox", name="Kommune")).to_have_value("Bergkamen")
            # the default indicator is not written into the link (that would be a history entry of its own)
            assert "kennzahl=" not in page.url

            # keyboard only: Tab reaches the indicator choice, typing filters it, Enter chooses
            select = page.get_by_role("combobox", name="Kennzahl")
            tab_to(page, select)
            page.keyboard.type("K03")
            page.keyboard.press("Enter")
            expect(page).to_have_url(re.compile(r"[?&]kennzahl=K03(&|$)"), timeout=WAIT_MS)
            expect(select).to_have_value("K03 · Neuaufnahmen")
            expect(charts.nth(0).locator(".gtitle")).to_contain_text("K03 · Neuaufnahmen", timeout=WAIT_MS)
            expect(charts.nth(1).locator(".gtitle")).to_contain_text("K03 · Neuaufnahmen")
            height = page.get_by_test_id("stMain").evaluate("main => main.scrollHeight")
            page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
            page.screenshot(path=tmp_path / "kommunen.png")
        finally:
            browser.close()


def tab_to(page: Page, target: Locator, limit: int = 80) -> int:
    """Press Tab from the start of the page until the target has the keyboard focus; return how
    many presses that took. Fails when the target cannot be reached by keyboard."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return presses
    raise AssertionError(f"{target} not reached with {limit} presses of Tab")


@pytest.mark.browser
def test_a_wrong_type_is_refused_in_german(chromium: Path, app_url: str, tmp_path: Path) -> None:
    """A wrong file type is refused by the check in German, never by the upload field's English
    "… files are not allowed". (The field takes twice the app's limit, so that a file above 50 MB
    reaches the app's German refusal; see test_browser_upload.py.)"""
    from playwright.sync_api import expect, sync_playwright

    wrong = tmp_path / "bericht.pdf"
    wrong.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT, locale="de-DE")
            page.goto(f"{app_url}/daten_hochladen")
            expect(page.get_by_role("heading", name="Daten hochladen")).to_be_visible(timeout=WAIT_MS)
            expect(page.get_by_text("höchstens 50 MB je Datei")).to_be_visible()
            expect(page.get_by_test_id("stFileUploader")).to_contain_text("100MB", timeout=WAIT_MS)
            page.locator("input[type=file]").set_input_files([str(wrong)])
            expect(page.get_by_text("1 Fehler – die Datei wird nicht gespeichert.")).to_have_count(1, timeout=WAIT_MS)
            page.screenshot(path=tmp_path / "hochladen.png", full_page=True)
            body = page.locator("body").inner_text()
            assert "not allowed" not in body
        finally:
            browser.close()


@pytest.mark.browser
def test_an_unknown_address_leads_to_the_login_without_an_english_box(
    chromium: Path, demo_db: Path, tmp_path: Path
) -> None:
    """A mistyped or outdated link (an address that is no page) shows the login, not Streamlit's
    English "Page not found" box over it. The server has served a page before (see the README)."""
    from playwright.sync_api import expect, sync_playwright

    (tmp_path / "echt").mkdir()
    real = real_copy(demo_db, tmp_path / "echt")
    with (
        sync_playwright() as playwright,
        serve(real, tmp_path / "streamlit.log", KIM_USERS=str(tmp_path / "benutzer.json")) as url,
    ):
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            first = browser.new_page(viewport=VIEWPORT, locale="de-DE")
            first.goto(url)
            expect(first.get_by_role("heading", name="Anmeldung")).to_be_visible(timeout=WAIT_MS)
            for address in ("gibt-es-nicht", "altes-cockpit?gebiet=05978"):
                page = browser.new_page(viewport=VIEWPORT, locale="de-DE")
                page.goto(f"{url}/{address}")
                expect(page.get_by_role("heading", name="Anmeldung")).to_be_visible(timeout=WAIT_MS)
                page.wait_for_timeout(1500)  # the box would come with the page
                page.screenshot(path=tmp_path / f"{address.split('?')[0]}.png")
                assert page.get_by_text("Page not found").count() == 0
                assert page.get_by_text("does not seem to exist").count() == 0
        finally:
            browser.close()

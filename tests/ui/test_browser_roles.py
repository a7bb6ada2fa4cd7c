"""Login and roles in Debian's chromium: the real server, real data (login required), three roles."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from access import audit, users
from tests.helpers.browser import CHROMIUM_ARGS, VIEWPORT, WAIT_MS, serve
from tests.helpers.databases import real_copy
from tests.helpers.environment import PASSWORD


@pytest.mark.browser
def test_roles_in_chromium(chromium: Path, real_server: tuple[str, Path], tmp_path: Path) -> None:
    from playwright.sync_api import Page, expect, sync_playwright

    url, database = real_server

    def log_in(page: Page, name: str, path: str = "", *, refused: bool = False) -> None:
        page.goto(f"{url}/{path}")  # a browser without a login of its own: login
        expect(page.get_by_role("heading", name="Anmeldung")).to_be_visible(timeout=WAIT_MS)
        expect(page.get_by_text("Übersicht", exact=True)).to_have_count(0)  # no navigation before login
        expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)  # not even Streamlit's list of files
        expect(page.get_by_test_id("stPageLink-NavLink")).to_have_count(0)
        page.get_by_label("Benutzername").fill(name)
        page.get_by_label("Passwort").fill(PASSWORD)
        page.keyboard.press("Enter")
        if refused:  # the linked page is not for this role: it says so in German
            expect(page.get_by_text("Diese Seite steht Ihrer Rolle nicht zur Verfügung.")).to_be_visible(
                timeout=WAIT_MS
            )
        else:
            expect(page.get_by_role("heading", name="Übersicht")).to_be_visible(timeout=WAIT_MS)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            lena = browser.new_context(viewport=VIEWPORT, locale="de-DE").new_page()
            log_in(lena, "lena")
            sidebar = lena.get_by_test_id("stSidebar")
            expect(sidebar.get_by_text("Kommunen", exact=True)).to_be_visible(timeout=WAIT_MS)
            expect(sidebar.get_by_text("Daten hochladen", exact=True)).to_have_count(0)
            expect(sidebar.get_by_text("Verwaltung", exact=True)).to_have_count(0)
            expect(lena.get_by_text("Interne Werte ohne Geheimhaltung")).to_have_count(0)
            lena.screenshot(path=tmp_path / "lenkungskreis.png")

            lena = browser.new_context(viewport=VIEWPORT, locale="de-DE").new_page()
            log_in(lena, "lena", "daten_hochladen", refused=True)  # a shared link to a page of another role
            expect(lena.get_by_test_id("stFileUploader")).to_have_count(0)

            ana = browser.new_context(viewport=VIEWPORT, locale="de-DE", accept_downloads=True).new_page()
            log_in(ana, "ana")
            sidebar = ana.get_by_test_id("stSidebar")
            expect(sidebar.get_by_text("Daten hochladen", exact=True)).to_be_visible(timeout=WAIT_MS)
            expect(sidebar.get_by_text("Verwaltung", exact=True)).to_have_count(0)
            sidebar.get_by_text("Daten hochladen", exact=True).click()
            expect(ana.get_by_test_id("stFileUploader")).to_be_visible(timeout=WAIT_MS)
            ana.get_by_test_id("stExpander").filter(has_text="Alle Uploads als Tabelle").locator("summary").click()
            expect(ana.get_by_role("button", name="CSV herunterladen").first).to_be_visible(timeout=WAIT_MS)
            with ana.expect_download() as download:
                ana.get_by_role("button", name="CSV herunterladen").first.click()
            assert download.value.suggested_filename == "upload_historie.csv"
        finally:
            browser.close()

    def logged() -> list[tuple[str, str]]:
        return [(e["benutzer"], e["aktion"]) for e in audit.entries(database)]

    expect_log = [("lena", "anmeldung"), ("lena", "anmeldung"), ("ana", "anmeldung"), ("ana", "export")]
    for _ in range(50):  # the download's callback runs right after the click
        if logged() == expect_log:
            break
        time.sleep(0.1)
    assert logged() == expect_log
    assert audit.verify(database) is None


@pytest.mark.browser
def test_an_idle_login_leaves_the_screen_by_itself(chromium: Path, demo_db: Path, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    database = real_copy(demo_db, tmp_path)
    user_file = tmp_path / "benutzer.json"
    users.add("lena", "lenkungskreis", PASSWORD, path=user_file)
    idle = {"KIM_USERS": str(user_file), "KIM_IDLE_MINUTES": "0.1"}  # six seconds
    with serve(database, tmp_path / "streamlit.log", **idle) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT, locale="de-DE")
            page.goto(url)
            page.get_by_label("Benutzername").fill("lena")
            page.get_by_label("Passwort").fill(PASSWORD)
            page.keyboard.press("Enter")
            expect(page.get_by_role("heading", name="Übersicht")).to_be_visible(timeout=WAIT_MS)
            # nobody touches the page: the login page replaces the figures
            expect(page.get_by_role("heading", name="Anmeldung")).to_be_visible(timeout=30_000)
            expect(page.get_by_text("Sie wurden nach 0,1 Minuten ohne Aktivität abgemeldet.")).to_be_visible()
            expect(page.get_by_text("K02 · Aktive Fälle")).to_have_count(0)
        finally:
            browser.close()
    assert [e["aktion"] for e in audit.entries(database)] == ["anmeldung", "abmeldung"]

"""The page "Amtliche Statistik" in Debian's chromium at 1280×720: an analyst finds it in the
navigation, sees the stored tables, picks a table and a Merkmal and reads it over time and across
the Kommunen, in German, with no "None" and official symbols as symbols."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from access import users
from loaders.__main__ import main
from tests.helpers.browser import CHROMIUM_ARGS, SMALL, WAIT_MS, choose, serve
from tests.helpers.databases import mark_real
from tests.helpers.environment import PASSWORD, TODAY
from tests.helpers.official import BEVOELKERUNG, GENESIS, SCHULEN

FILES = [BEVOELKERUNG, SCHULEN, GENESIS]


@pytest.fixture(scope="module")
def statistik_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("statistik")
    database = folder / "kim.duckdb"
    assert main(["ingest", *map(str, FILES), "--db", str(database)]) == 0
    mark_real(database)
    user_file = folder / "benutzer.json"
    users.add("ana", "analyse", PASSWORD, path=user_file)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KIM_TODAY", TODAY)
        with serve(database, folder / "streamlit.log", KIM_USERS=str(user_file)) as url:
            yield url, folder


@pytest.mark.browser
def test_an_analyst_reads_an_official_table_in_chromium(chromium: Path, statistik_server: tuple[str, Path]) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, folder = statistik_server
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=SMALL, locale="de-DE")
            page.goto(url)
            page.get_by_label("Benutzername").fill("ana")
            page.get_by_label("Passwort").fill(PASSWORD)
            page.keyboard.press("Enter")
            page.get_by_test_id("stSidebar").get_by_text("Amtliche Statistik", exact=True).click()
            expect(page.get_by_role("heading", name="Amtliche Statistik")).to_be_visible(timeout=WAIT_MS)
            main_area = page.get_by_test_id("stMain")
            expect(main_area.get_by_text("Gespeicherte Tabellen")).to_be_visible(timeout=WAIT_MS)
            expect(page.get_by_test_id("stPlotlyChart")).to_have_count(1, timeout=WAIT_MS)  # the Kreis only

            choose(page, "Tabelle", "12411-15i")
            expect(main_area.get_by_text("Tabelle 12411-15i, Stand 19.01.2026")).to_be_visible(timeout=WAIT_MS)
            expect(page.get_by_test_id("stPlotlyChart")).to_have_count(2, timeout=WAIT_MS)
            expect(main_area.get_by_text("Nach Kommunen")).to_be_visible()
            # the list of tables, the course and the Kommunen: each with its downloads
            expect(page.get_by_role("button", name="Excel herunterladen")).to_have_count(3)
            expect(page.get_by_role("button", name="CSV herunterladen")).to_have_count(3)
            text = main_area.inner_text()
            assert "None" not in text and "nan" not in text.split()
            assert "Zeichen der amtlichen Statistik" in text
            assert page.evaluate(
                "document.documentElement.scrollWidth <= window.innerWidth"
            )  # nothing cut off sideways
            page.screenshot(path=folder / "amtliche_statistik_1280.png")
            page.get_by_text("Nach Kommunen").scroll_into_view_if_needed()
            page.screenshot(path=folder / "amtliche_statistik_1280_kommunen.png")
            page.set_viewport_size({"width": 1920, "height": 1080})
            page.wait_for_timeout(1000)
            page.screenshot(path=folder / "amtliche_statistik_1920.png")
        finally:
            browser.close()

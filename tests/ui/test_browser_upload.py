"""The analyst's upload in Debian's chromium: a file without Kommune and month columns is stored with
the values chosen on the page, and a file with errors is refused with messages read whole."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from access import users
from tests.helpers.browser import CHROMIUM_ARGS, SMALL, WAIT_MS, serve
from tests.helpers.environment import PASSWORD, TODAY
from tests.helpers.paths import FILES

CASES = FILES / "good/fallmanagement_ohne_kommune_monat.csv"
HEADER = "fall_id,kommune,monat,fallbeginn,fallende,abschlussgrund,zuzugsjahr,handlungsfelder\n"
MESSAGE = (
    "'erledigt' ist kein zulässiger Wert für 'abschlussgrund'. Zulässig sind: Ziel erreicht, "
    "Ziel teilweise erreicht, Weitervermittelt, Abbruch, Wegzug, Sonstiges."
)


@pytest.fixture(scope="module")
def upload_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    """One app server for the module: real (not demo) data in an empty database, an analyst."""
    folder = tmp_path_factory.mktemp("hochladen")
    database = folder / "kim.duckdb"  # created by the first upload
    user_file = folder / "benutzer.json"
    users.add("ana", "analyse", PASSWORD, path=user_file)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KIM_TODAY", TODAY)
        with serve(database, folder / "streamlit.log", KIM_USERS=str(user_file)) as url:
            yield url, database, folder


@pytest.mark.browser
def test_an_analyst_uploads_a_month_in_chromium(chromium: Path, upload_server: tuple[str, Path, Path]) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, database, folder = upload_server
    selm = folder / "KIM_CM_Selm_2026-10.csv"  # no Kommune and no month column: the name says them
    selm.write_bytes(CASES.read_bytes())
    wrong = folder / "fallmanagement_werne.csv"  # one problem in 30 rows
    rows = "".join(f"W-{i:03d},Werne,2026-10,2026-09-01,2026-10-20,erledigt,2023,sprache\n" for i in range(30))
    wrong.write_text(HEADER + rows, encoding="utf-8")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=SMALL, locale="de-DE")
            page.goto(url)
            page.get_by_label("Benutzername").fill("ana")
            page.get_by_label("Passwort").fill(PASSWORD)
            page.keyboard.press("Enter")
            page.get_by_test_id("stSidebar").get_by_text("Daten hochladen", exact=True).click()
            expect(page.get_by_role("heading", name="Daten hochladen")).to_be_visible(timeout=WAIT_MS)
            # the field takes twice the app's limit, so that the app refuses a larger file in German
            expect(page.get_by_test_id("stFileUploader")).to_contain_text("100MB", timeout=WAIT_MS)

            page.locator("input[type=file]").set_input_files([str(selm), str(wrong)])

            # the file without columns: Kommune and month proposed from its name, for confirmation
            expect(page.get_by_text("2 Dateien geprüft")).to_be_visible(timeout=WAIT_MS)
            expect(page.get_by_text("Vorschlag aus dem Dateinamen: Selm, Oktober 2026 – bitte prüfen.")).to_be_visible()
            form = page.get_by_test_id("stForm")
            expect(form.get_by_role("combobox", name="Kommune")).to_have_value("Selm")
            expect(form.get_by_role("combobox", name="Berichtsmonat")).to_have_value("Oktober 2026")
            expect(page.get_by_role("button", name="0 geprüfte Dateien speichern")).to_be_disabled()

            # the file with errors: one line for 30 rows, the whole message readable
            cell = page.get_by_role("cell", name=MESSAGE, exact=True)
            expect(cell).to_be_visible()
            expect(page.get_by_role("cell", name="2–31", exact=True)).to_be_visible()
            assert cell.evaluate("td => td.scrollWidth <= td.clientWidth && td.scrollHeight <= td.clientHeight + 1")
            assert cell.inner_text().strip() == MESSAGE
            assert "None" not in page.get_by_test_id("stMain").inner_text()
            page.screenshot(path=folder / "hochladen_geprueft_1280.png", full_page=True)

            form.get_by_role("button", name="Angaben prüfen").click()
            expect(page.get_by_text("Geprüft mit den hier angegebenen Werten: Selm, Oktober 2026.")).to_be_visible(
                timeout=WAIT_MS
            )
            page.get_by_role("button", name="1 geprüfte Datei speichern").click()
            expect(page.get_by_text("Speichern abgeschlossen.")).to_be_visible(timeout=WAIT_MS)
            page.screenshot(path=folder / "hochladen_gespeichert_1280.png", full_page=True)
        finally:
            browser.close()

    with duckdb.connect(str(database), read_only=True) as connection:
        uploads = connection.execute("SELECT datei, quelle, angabe_kommune, angabe_monat FROM upload").fetchall()
        stored = connection.execute("SELECT kommune, monat, count(*) FROM v_fallmanagement GROUP BY ALL").fetchall()
    assert uploads == [("KIM_CM_Selm_2026-10.csv", "fallmanagement", "05978032", "2026-10")]
    assert [(k, m.isoformat(), n) for k, m, n in stored] == [("05978032", "2026-10-01", 2)]
    assert os.environ.get("KIM_TODAY") == TODAY


@pytest.mark.browser
def test_a_file_over_the_limit_is_refused_in_german(chromium: Path, tmp_path: Path) -> None:
    """Issue 10: a file above the limit was refused by the upload field itself, in English ("File
    must be 50.0MB or smaller."). It reaches the app's check, which says it in German. (A limit of
    1 MB here, so that the test file stays small.)"""
    from playwright.sync_api import expect, sync_playwright

    user_file = tmp_path / "benutzer.json"
    users.add("ana", "analyse", PASSWORD, path=user_file)
    big = tmp_path / "fallmanagement_gross.csv"
    row = "W-001,Werne,2026-10,2026-09-01,2026-10-20,Wegzug,2023,sprache\n"
    big.write_text(HEADER + row * (1_600_000 // len(row)), encoding="utf-8")  # about 1,5 MB
    with (
        serve(
            tmp_path / "kim.duckdb", tmp_path / "streamlit.log", KIM_USERS=str(user_file), KIM_MAX_UPLOAD_MB="1"
        ) as url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=SMALL, locale="de-DE")
            page.goto(url)
            page.get_by_label("Benutzername").fill("ana")
            page.get_by_label("Passwort").fill(PASSWORD)
            page.keyboard.press("Enter")
            page.get_by_test_id("stSidebar").get_by_text("Daten hochladen", exact=True).click()
            expect(page.get_by_text("höchstens 1 MB je Datei")).to_be_visible(timeout=WAIT_MS)
            page.locator("input[type=file]").set_input_files(str(big))
            message = "Die Datei ist größer als die zulässigen 1 MB. Bitte die Lieferung aufteilen."
            expect(page.get_by_role("cell", name=message, exact=True)).to_be_visible(timeout=WAIT_MS)
            assert "File must be" not in page.get_by_test_id("stMain").inner_text()
            page.screenshot(path=tmp_path / "zu_gross_1280.png", full_page=True)
        finally:
            browser.close()

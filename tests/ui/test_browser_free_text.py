"""Free text as text in Debian's chromium: hostile Anmerkungen, display names, file names and table
titles make the browser request nothing from another host and show no link the app did not make."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

import store
from access import users
from actions import steering
from actions.actor import Actor
from core.reference import kreis
from loaders.__main__ import main
from metrics.cockpit import default_month
from metrics.values import indicator_values
from tests.helpers.browser import CHROMIUM_ARGS, VIEWPORT, WAIT_MS, serve
from tests.helpers.databases import real_copy
from tests.helpers.environment import PASSWORD
from tests.helpers.official import BEVOELKERUNG
from tests.helpers.paths import FILES

GOOD = FILES / "good/arbeitsmarkt_kanonisch.csv"
# Images at another port of this machine (nothing listens on port 9, the discard port), links
# elsewhere, HTML, Streamlit's colour syntax and addresses GFM links by itself.
ANMERKUNG = (
    "![x](http://127.0.0.1:9/anmerkung) [klick](http://evil.example/anmerkung) <img src=http://127.0.0.1:9/html> "
    ":red[Alarm] www.example.com http://example.com"
)
DISPLAY_NAME = "![x](http://127.0.0.1:9/name) [Profil](http://evil.example/name) a@evil.example"
# A file name has no "/"; "https:host" on a page served over http resolves to https://host/.
FILE_NAME = "![x](https:127.0.0.1:9) [klick](https:evil.example) www.example.com.csv"

TITLE = "![x](http://127.0.0.1:9/titel) [Quelle](http://evil.example/titel) www.example.com"

_PAGE_REFERENCES = """() => [
    ...[...document.querySelectorAll('a[href]')].map(a => a.href),
    ...[...document.querySelectorAll('img[src]')].map(i => i.src),
]"""


def _foreign(urls: list[str], origin: str) -> list[str]:
    """The URLs that leave the app: not its origin (data: and blob: stay in the browser)."""
    return [u for u in urls if urlsplit(u).scheme not in ("data", "blob") and not u.startswith(origin + "/")]


@pytest.mark.browser
def test_hostile_free_text_loads_and_links_nothing(chromium: Path, demo_db: Path, tmp_path: Path) -> None:
    from playwright.sync_api import Page, Request, expect, sync_playwright

    database = real_copy(demo_db, tmp_path)
    with store.connect(database) as connection:
        month = default_month(indicator_values(connection, "month"), kreis().ags)
    assert month is not None
    steering.add_comment("K02", kreis().ags, f"{month:%Y-%m}", ANMERKUNG, Actor.on_page("ana"), database=database)
    # an official table whose title line was changed: the title is shown on Amtliche Statistik
    text = BEVOELKERUNG.read_text(encoding="latin-1").replace("Katasterfläche (qkm)", f"{TITLE} Katasterfläche", 1)
    (tmp_path / BEVOELKERUNG.name).write_text(text, encoding="latin-1")
    assert main(["ingest", str(tmp_path / BEVOELKERUNG.name), "--db", str(database)]) == 0
    user_file = tmp_path / "benutzer.json"
    users.add("adam", "admin", PASSWORD, display_name=DISPLAY_NAME, path=user_file)

    requests: list[str] = []
    references: list[str] = []
    shown: list[str] = []  # the text of the app after each step

    def visible_text(page: Page) -> str:
        text: str = page.get_by_test_id("stApp").evaluate("app => app.innerText")
        return text.replace("\u2060", "")  # the word joiners that keep addresses plain are invisible

    def look(page: Page) -> None:
        page.wait_for_timeout(1000)  # images start loading once their element is drawn
        references.extend(page.evaluate(_PAGE_REFERENCES))
        shown.append(visible_text(page))

    with serve(database, tmp_path / "streamlit.log", KIM_USERS=str(user_file)) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT, locale="de-DE")

            def record(request: Request) -> None:
                requests.append(request.url)

            page.on("request", record)
            page.goto(url)
            page.get_by_label("Benutzername").fill("adam")
            page.get_by_label("Passwort").fill(PASSWORD)
            page.keyboard.press("Enter")
            expect(page.get_by_role("heading", name="Übersicht")).to_be_visible(timeout=WAIT_MS)
            expect(page.get_by_text("💬 Anmerkung:")).to_be_visible(timeout=WAIT_MS)
            page.get_by_test_id("stExpander").filter(has_text="Anmerkungen (1)").locator("summary").click()
            # the list and the form are made when the expander is opened (a rerun)
            expect(page.get_by_role("button", name="Anmerkung speichern")).to_be_visible(timeout=WAIT_MS)
            look(page)

            page.get_by_test_id("stSidebar").get_by_role("link", name="Daten hochladen", exact=True).click()
            expect(page.get_by_test_id("stFileUploader")).to_be_visible(timeout=WAIT_MS)
            page.get_by_test_id("stFileUploader").locator("input[type=file]").set_input_files(
                {"name": FILE_NAME, "mimeType": "text/csv", "buffer": GOOD.read_bytes()}
            )
            expect(page.get_by_role("button", name="1 geprüfte Datei speichern")).to_be_enabled(timeout=WAIT_MS)
            look(page)
            page.get_by_role("button", name="1 geprüfte Datei speichern").click()
            expect(page.get_by_text("Speichern abgeschlossen.")).to_be_visible(timeout=WAIT_MS)
            look(page)

            page.get_by_test_id("stSidebar").get_by_role("link", name="Amtliche Statistik", exact=True).click()
            expect(page.get_by_role("heading", name="Amtliche Statistik")).to_be_visible(timeout=WAIT_MS)
            expect(page.get_by_test_id("stTable").first).to_be_visible(timeout=WAIT_MS)
            look(page)

            page.get_by_test_id("stSidebar").get_by_role("link", name="Verwaltung", exact=True).click()
            expect(page.get_by_role("heading", name="Verwaltung")).to_be_visible(timeout=WAIT_MS)
            page.get_by_role("tab", name="Zugriffsprotokoll").click()
            page.get_by_test_id("stExpander").filter(has_text="Einträge als Tabelle").locator("summary").click()
            expect(page.get_by_role("button", name="CSV herunterladen").first).to_be_visible(timeout=WAIT_MS)
            look(page)
        finally:
            browser.close()

    assert requests, "no request recorded"
    assert _foreign(requests, url) == [], ("requests to another host", _foreign(requests, url))
    assert _foreign(references, url) == [], "links or images to another host"
    # and each text is shown as written: the Anmerkung on its card and in the list of Anmerkungen,
    # the display name in the sidebar, the file name on its checked file
    overview, upload, statistik = shown[0], shown[1], shown[3]
    assert f"💬 Anmerkung: {ANMERKUNG}" in overview and f"K02 · {ANMERKUNG}" in overview
    assert f"Angemeldet: {DISPLAY_NAME}" in overview
    assert f"✓ {FILE_NAME}" in upload
    assert f"{TITLE} Katasterfläche" in statistik  # in the plain table of stored tables

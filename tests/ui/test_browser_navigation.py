"""Navigation that holds, in Debian's chromium: one history entry per page change or choice, Back
restores the earlier view, the link carries month and Gebiet, every page opens on the same month,
one page marked in the sidebar, a reload keeps a local login, and no request leaves the machine."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from access import audit
from tests.helpers.browser import CHROMIUM_ARGS, WAIT_MS, choose
from tests.helpers.environment import PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

SELM = "05978032"
DEMO_DEFAULT_MONTH = "September 2026"  # the demo's latest month with the most complete Kreis indicators
PAGES = [
    "Übersicht",
    "Sitzungsmodus",
    "Handlungsfelder",
    "Kommunen",
    "Zeitverlauf",
    "Kennzahlen",
    "Zielwerte",
    "Briefing",
    "Datenstand",
    "Daten hochladen",
    "Amtliche Statistik",
    "Verwaltung",
]


def _browser(playwright: object, chromium: Path) -> Browser:
    return playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)  # type: ignore[attr-defined,no-any-return]


def _go(page: Page, title: str) -> None:
    """Click the page's link in the sidebar and wait for its heading and its settled address."""
    from playwright.sync_api import expect

    link = page.get_by_test_id("stSidebar").get_by_role("link", name=title, exact=True)
    expect(link).to_be_visible(timeout=WAIT_MS)
    link.click()
    _settled(page, title)


def _settled(page: Page, title: str, address: str = "") -> None:
    """Wait for the page's heading and, where the step changes the address, for ``address`` in it
    (a pattern), then for the end of the run that drew them. Under load a run can take seconds: a
    check after a fixed pause would see the view from before the step."""
    from playwright.sync_api import expect

    if address:
        expect(page).to_have_url(re.compile(address), timeout=WAIT_MS)
    heading = page.get_by_role("heading", name=title, exact=True) if title != "Sitzungsmodus" else None
    if heading is not None:
        expect(heading).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_test_id("stSidebar").get_by_role("link", name="Übersicht", exact=True)).to_be_visible(
        timeout=WAIT_MS
    )
    _idle(page)


def _idle(page: Page) -> None:
    """Wait until no script run is going on: Streamlit marks its state on the app's root element;
    an address the run writes has arrived by then."""
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'",
        timeout=WAIT_MS,
    )


def _shows(page: Page, path: str, month: str, region: str) -> None:
    """Wait until the address has ``path`` and the page shows ``month`` and ``region``, drawn by
    the run of the last step (the view before Back or Forward on the same page showed another month),
    and check that it still does once that run is over."""
    from playwright.sync_api import expect

    expect(page).to_have_url(re.compile(rf"^https?://[^/]+{re.escape(path)}(\?|$)"), timeout=WAIT_MS)
    expect(page.get_by_role("combobox", name="Berichtsmonat")).to_have_value(month, timeout=WAIT_MS)
    expect(page.get_by_role("combobox", name="Gebiet")).to_have_value(region, timeout=WAIT_MS)
    _idle(page)
    assert _view(page) == (path, month, region)


def _history(page: Page) -> int:
    length: int = page.evaluate("history.length")
    return length


def _view(page: Page) -> tuple[str, str, str]:
    """(page path, Berichtsmonat shown, Gebiet shown or '')."""
    from playwright.sync_api import expect

    month = page.get_by_role("combobox", name="Berichtsmonat")
    expect(month).to_be_visible(timeout=WAIT_MS)
    region = page.get_by_role("combobox", name="Gebiet")
    return urlsplit(page.url).path, month.input_value(), region.input_value() if region.count() else ""


def _marked(page: Page) -> list[str]:
    """The sidebar links drawn as the current page (with a background), the mouse elsewhere."""
    page.mouse.move(900, 5)
    page.wait_for_timeout(300)
    marked: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=stSidebar] [data-testid=stPageLink-NavLink]')]
            .filter(a => getComputedStyle(a).backgroundColor !== 'rgba(0, 0, 0, 0)')
            .map(a => a.innerText.trim())"""
    )
    return marked


def _foreign(urls: list[str]) -> list[str]:
    return [
        u
        for u in urls
        if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname not in ("127.0.0.1", "localhost")
    ]


@pytest.mark.browser
def test_history_back_link_and_default_month(chromium: Path, app_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = _browser(playwright, chromium)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720}, locale="de-DE")
            page.on("request", lambda request: requests.append(request.url))
            page.goto(app_url)
            _settled(page, "Übersicht")
            assert _view(page) == ("/", DEMO_DEFAULT_MONTH, "Kreis Unna")
            start = _history(page)

            # every monthly page opens on the same month
            _go(page, "Kommunen")
            assert _history(page) == start + 1, "one history entry per page change"
            assert _view(page)[:2] == ("/kommunen", DEMO_DEFAULT_MONTH)
            marked = _marked(page)
            assert len(marked) == 1 and marked[0].endswith("Kommunen"), marked

            _go(page, "Handlungsfelder")
            assert _history(page) == start + 2
            choose(page, "Gebiet", "Selm")
            _settled(page, "Handlungsfelder", f"gebiet={SELM}")
            assert _history(page) == start + 3, "one history entry per choice"
            choose(page, "Berichtsmonat", "August 2026")
            _settled(page, "Handlungsfelder", "monat=2026-08")
            assert _history(page) == start + 4
            expect(page).to_have_url(re.compile(r"/handlungsfelder\?.*monat=2026-08"))
            assert f"gebiet={SELM}" in page.url
            page.screenshot(path=tmp_path / "handlungsfelder_selm_august.png")

            # the month and the Gebiet are carried to the next page, in the link as well
            _go(page, "Übersicht")
            assert _history(page) == start + 5
            assert _view(page) == ("/", "August 2026", "Selm")
            assert "monat=2026-08" in page.url and f"gebiet={SELM}" in page.url
            _go(page, "Kennzahlen")  # a page without these choices keeps them in its link
            assert _history(page) == start + 6
            assert "monat=2026-08" in page.url and f"gebiet={SELM}" in page.url
            _go(page, "Kommunen")
            assert _view(page)[:2] == ("/kommunen", "August 2026")

            # Back after two page changes: Übersicht of Selm in August, then Handlungsfelder
            # (each step waits for the view it expects, then for the end of its run: the month shown
            # before Back or Forward on the same page is still on screen until that run has drawn)
            page.go_back()
            _settled(page, "Kennzahlen", r"/kennzahlen\?")
            page.go_back()
            _settled(page, "Übersicht")
            _shows(page, "/", "August 2026", "Selm")
            page.go_back()
            _settled(page, "Handlungsfelder")
            _shows(page, "/handlungsfelder", "August 2026", "Selm")
            page.go_back()
            _settled(page, "Handlungsfelder")
            _shows(page, "/handlungsfelder", DEMO_DEFAULT_MONTH, "Selm")
            page.go_forward()
            _settled(page, "Handlungsfelder")
            _shows(page, "/handlungsfelder", "August 2026", "Selm")
            assert _history(page) == start + 7, "Back and Forward add no entries"
            assert len(_marked(page)) == 1

            # a link opens exactly that view
            other = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="de-DE")
            other.on("request", lambda request: requests.append(request.url))
            other.goto(f"{app_url}/handlungsfelder?monat=2026-07&gebiet={SELM}")
            _settled(other, "Handlungsfelder")
            assert _view(other) == ("/handlungsfelder", "Juli 2026", "Selm")
            other.screenshot(path=tmp_path / "link_juli_selm.png")

            # every page, and no request to any other host
            for title in PAGES:
                _go(other, title)
                other.screenshot(path=tmp_path / f"seite_{len(requests)}.png")
        finally:
            browser.close()

    assert requests
    assert _foreign(requests) == [], "requests to another host"


def _cookie(context: object) -> dict[str, object]:
    (cookie,) = [c for c in context.cookies() if c["name"] == "kim_browser"]  # type: ignore[attr-defined]
    return dict(cookie)


def _new_cookie(page: Page, context: object, old: dict[str, object]) -> dict[str, object]:
    """The browser's cookie once it differs from ``old`` (it comes with the page's next request)."""
    for _ in range(WAIT_MS // 250):
        cookie = _cookie(context)
        if cookie["value"] != old["value"]:
            return cookie
        page.wait_for_timeout(250)
    raise AssertionError("the cookie was not replaced")


@pytest.mark.browser
def test_a_reload_keeps_the_login_until_logout(chromium: Path, real_server: tuple[str, Path], tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, database = real_server
    with sync_playwright() as playwright:
        browser = _browser(playwright, chromium)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="de-DE")
            page = context.new_page()
            page.goto(url)
            expect(page.get_by_role("heading", name="Anmeldung")).to_be_visible(timeout=WAIT_MS)
            before_login = _cookie(context)
            page.get_by_label("Benutzername").fill("ana")
            page.get_by_label("Passwort").fill(PASSWORD)
            page.keyboard.press("Enter")
            _settled(page, "Übersicht")
            # Issue 10 (session fixation): the login bound the cookie the browser had before it; it is
            # replaced at the login, and the one from before signs nobody in
            signed_in = _new_cookie(page, context, before_login)
            planted = browser.new_context(viewport={"width": 1280, "height": 720}, locale="de-DE")
            planted.add_cookies([before_login])  # type: ignore[list-item]
            other = planted.new_page()
            other.goto(url)
            expect(other.get_by_role("heading", name="Anmeldung")).to_be_visible(timeout=WAIT_MS)
            planted.close()
            _go(page, "Kommunen")

            cookies = {c["name"]: c for c in context.cookies()}
            assert cookies["kim_browser"]["httpOnly"] and cookies["kim_browser"]["sameSite"] == "Lax"
            assert PASSWORD not in str(context.cookies()) and "ana" not in cookies["kim_browser"]["value"]
            assert page.evaluate("document.cookie").find("kim_browser") == -1, "the page's scripts cannot read it"

            page.reload()
            _settled(page, "Kommunen")
            expect(page.get_by_text("Angemeldet: ana")).to_be_visible(timeout=WAIT_MS)
            page.screenshot(path=tmp_path / "nach_neuladen.png")

            # the cookie alone, in another browser, signs nobody in
            stranger = browser.new_context(viewport={"width": 1280, "height": 720}, locale="de-DE")
            forged = dict(cookies["kim_browser"])
            forged["value"] = forged["value"][:-4] + ("0000" if not forged["value"].endswith("0000") else "1111")
            stranger.add_cookies([forged])  # type: ignore[list-item]
            other = stranger.new_page()
            other.goto(url)
            expect(other.get_by_role("heading", name="Anmeldung")).to_be_visible(timeout=WAIT_MS)

            page.get_by_role("button", name="Abmelden").click()
            expect(page.get_by_role("heading", name="Anmeldung")).to_be_visible(timeout=WAIT_MS)
            _new_cookie(page, context, signed_in)  # logout replaces it too
            page.reload()
            expect(page.get_by_role("heading", name="Anmeldung")).to_be_visible(timeout=WAIT_MS)
            # the cookie of the ended login, kept by someone, signs nobody in
            kept = browser.new_context(viewport={"width": 1280, "height": 720}, locale="de-DE")
            kept.add_cookies([signed_in])  # type: ignore[list-item]
            again = kept.new_page()
            again.goto(url)
            expect(again.get_by_role("heading", name="Anmeldung")).to_be_visible(timeout=WAIT_MS)
        finally:
            browser.close()

    logged = [(e["benutzer"], e["aktion"], e.get("beschreibung", "")) for e in audit.entries(database)]
    assert any(a == "anmeldung" and "Neuladen" in str(d) for _, a, d in logged), logged

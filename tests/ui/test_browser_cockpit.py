"""A member of the Lenkungskreis in chromium: reads each Leitsatz's status line on the Übersicht,
then walks the Sitzungsmodus with the arrow keys on a 1280×720 projector without scrolling."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.catalogue import catalogue
from core.reference import leitsaetze
from tests.helpers.browser import CHROMIUM_ARGS, WAIT_MS

STATUS = re.compile(r"(\d+) (im Ziel|knapp verfehlt|verfehlt|unvollständig|ohne Wert|ohne Ziel)")
# The lowest point of the page's content and the room the main area has for it.
FITS = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const blocks = [...main.querySelectorAll('[data-testid="stElementContainer"], [data-testid="stVerticalBlock"]')]
        .filter(e => e.getBoundingClientRect().height > 0);
    const bottom = Math.max(...blocks.map(e => e.getBoundingClientRect().bottom));
    return {bottom, height: window.innerHeight, scroll: main.scrollHeight, client: main.clientHeight};
}"""


@pytest.mark.browser
def test_a_member_reads_the_status_lines_and_walks_the_sitzungsmodus_by_keyboard(
    chromium: Path, app_url: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    codes = [leitsatz.code for leitsatz in leitsaetze()]
    sizes = {code: sum(k.leitsatz == code for k in catalogue().kennzahlen) for code in codes}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="de-DE")
            page.goto(app_url)
            status = page.locator(".st-key-uebersicht_status")
            expect(status.get_by_text("LS4 ·")).to_be_visible(timeout=WAIT_MS)
            lines = status.get_by_test_id("stMarkdown").all_inner_texts()
            assert [line.split(" · ")[0] for line in lines] == codes
            for code, line in zip(codes, lines, strict=True):
                assert sum(int(n) for n, _ in STATUS.findall(line)) == sizes[code], line
            assert status.bounding_box()["y"] < 1080  # type: ignore[index]  # seen without scrolling
            # Issue 10: one Leitsatz fits a 1920×1080 screen — every card of the first below the status
            # lines, without scrolling (it was three rows of four, the last below the fold)
            first = page.locator(f".st-key-uebersicht_karten_{codes[0]}")
            expect(first.get_by_test_id("stMarkdown")).to_have_count(sizes[codes[0]], timeout=WAIT_MS)
            page.wait_for_timeout(1500)  # the small pictures arrive and the layout settles
            box = first.bounding_box()
            assert box is not None and box["y"] + box["height"] <= 1080, box
            page.screenshot(path=tmp_path / "uebersicht_1920.png")

            page.set_viewport_size({"width": 1280, "height": 720})
            page.goto(f"{app_url}/sitzung")
            for position, code in enumerate([*codes, codes[0]]):
                title = page.get_by_role("heading", name=re.compile(f"^{code} · "))
                expect(title).to_be_visible(timeout=WAIT_MS)
                board = page.locator(".st-key-sitzung_tafel table")
                expect(board.locator("tbody tr")).to_have_count(sizes[code], timeout=WAIT_MS)
                page.wait_for_timeout(300)  # the layout settles
                fits = page.evaluate(FITS)
                page.screenshot(path=tmp_path / f"sitzung_{position}_{code}.png")
                assert fits["bottom"] <= fits["height"], (code, fits)  # the whole Leitsatz on the screen
                assert fits["scroll"] <= fits["client"], (code, fits)  # nothing to scroll to
                assert title.bounding_box()["y"] >= 0  # type: ignore[index]  # opened at its top
                assert not re.search(r"[▲▼↑↓]\s*±", board.inner_text())  # unchanged: no arrow
                if position < len(codes):  # → to the next Leitsatz, and from the last to the first
                    page.keyboard.press("ArrowRight")
            # ← from the first Leitsatz to the last (a → pressed just before, as the loop did, made
            # the outcome depend on whether both keys reached the server in one run)
            page.keyboard.press("ArrowLeft")
            expect(page.get_by_role("heading", name=re.compile(f"^{codes[-1]} · "))).to_be_visible(timeout=WAIT_MS)
        finally:
            browser.close()

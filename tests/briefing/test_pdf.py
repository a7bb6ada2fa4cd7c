"""The PDF briefing, rendered with pypdfium2 and read back: text, pages, nothing cut off."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from briefing.content import Briefing, build_briefing
from briefing.messages import key_messages
from briefing.pdf import MARGIN, render_pdf
from loaders.store import connect
from metrics.catalogue import catalogue

MM = 72 / 25.4  # PDF points per millimetre
HOLZWICKEDE, SELM = "05978016", "05978032"


@pytest.fixture(scope="module")
def briefing(demo_db: Path) -> Briefing:
    with connect(demo_db) as connection:
        return build_briefing(connection, "2026-Q3", [HOLZWICKEDE, SELM], today=dt.date(2026, 11, 25))


@pytest.fixture(scope="module")
def document(briefing: Briefing) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(render_pdf(briefing))


def page_texts(document: pdfium.PdfDocument) -> list[str]:
    return [" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document))]


def test_title_page_and_datenstand_on_every_page(document: pdfium.PdfDocument) -> None:
    texts = page_texts(document)
    assert 9 <= len(texts) <= 40  # title, messages, 4 Leitsätze with chart, deliveries, annex
    assert "Lenkungskreis KIM Kreis Unna" in texts[0]
    assert "Briefing 3. Quartal 2026" in texts[0]
    assert "Datenstand: Oktober 2026" in texts[0]  # the demo ends with October 2026
    assert "Gebiete: Kreis Unna, Holzwickede, Selm" in texts[0]
    for number, text in enumerate(texts, start=1):
        assert "Datenstand: Oktober 2026" in text, f"page {number} lacks the Datenstand"
        assert f"Seite {number} von {len(texts)}" in text
    assert "intern" not in " ".join(texts)  # published figures only


def test_every_indicator_the_messages_and_the_sections_are_in_the_text(
    document: pdfium.PdfDocument, briefing: Briefing
) -> None:
    text = " ".join(page_texts(document))
    for kennzahl in catalogue().kennzahlen:  # all four Leitsätze were chosen
        # once in a table (per region even) and once in the annex of definitions
        assert text.count(f"{kennzahl.code} · {kennzahl.name}") >= 2, kennzahl.code
    for message in key_messages(briefing):
        assert " ".join(message.split()) in text
    for heading in ("Kernaussagen", "Offene Lieferungen", "Anhang: Definitionen der Kennzahlen", "Anmerkungen"):
        assert heading in text
    assert "• " in text or " •" in text  # Holzwickede and Selm have hidden cells
    assert re.search(r"● Ziel erreicht|◐ knapp verfehlt|○ verfehlt", text)  # Ampel in words, not colour alone


def test_one_chart_per_leitsatz(document: pdfium.PdfDocument) -> None:
    images = sum(
        len(list(document[i].get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)))) for i in range(len(document))
    )
    assert images == 4


def test_nothing_lies_outside_the_printable_area(document: pdfium.PdfDocument) -> None:
    for number in range(len(document)):
        page = document[number]
        width, height = page.get_size()
        textpage = page.get_textpage()
        for index in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(index)
            where = f"page {number + 1}, text line {index}: {textpage.get_text_bounded(left, bottom, right, top)!r}"
            assert left >= MARGIN * MM - 1 and right <= width - MARGIN * MM + 1, where
            assert bottom >= 8 * MM and top <= height - 8 * MM, where
        # and drawn: a band of 8 mm along every edge stays white
        image = page.render(scale=1).to_pil().convert("L")
        band = round(8 * MM)
        inner = image.crop((band, band, image.width - band, image.height - band))
        assert inner.getextrema()[0] < 100, f"page {number + 1} is blank"
        for box in (
            (0, 0, image.width, band),
            (0, image.height - band, image.width, image.height),
            (0, 0, band, image.height),
            (image.width - band, 0, image.width, image.height),
        ):
            assert image.crop(box).getextrema()[0] >= 250, f"page {number + 1} draws into its edge {box}"

"""The PDF briefing, rendered with pypdfium2 and read back: text, pages, positions, nothing cut off.

The demo data set, the Kreis and two Kommunen, all four Leitsätze: the briefing the Kreissozialdezernent
sends. Before, it had 17 pages, a page holding only "Keine Anmerkungen", broken change cells
("−3,0 (−3,7 / %)"), an always-empty "Hinweis" column, "noch nicht fällig" deliveries listed as
open and a footer running into "Seite x von 17"."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from briefing import charts, wording
from briefing.content import Briefing, build_briefing
from briefing.messages import key_messages, status_counts
from briefing.pdf import MARGIN, render_pdf
from core.catalogue import catalogue
from metrics.texts import status_line
from store import connect

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


def page_lines(document: pdfium.PdfDocument) -> list[str]:
    """Every printed line of every page, its spaces normalised."""
    lines = []
    for i in range(len(document)):
        for line in document[i].get_textpage().get_text_range().splitlines():
            lines.append(" ".join(line.split()))
    return lines


def test_at_most_eight_pages_for_the_kreis_and_two_kommunen(document: pdfium.PdfDocument) -> None:
    assert len(document) <= 8


def test_the_first_page_is_a_summary(document: pdfium.PdfDocument, briefing: Briefing) -> None:
    first = page_texts(document)[0]
    assert "Briefing 3. Quartal 2026" in first and "Stand der Leitsätze" in first
    for region in briefing.regions:  # a status line per Leitsatz and region
        for section in briefing.sections:
            line = status_line(section.code, status_counts([f for f in section.figures if f.region == region.ags]))
            assert line in first
            assert re.fullmatch(r"LS\d( · \d+ (im Ziel|knapp verfehlt|verfehlt|ohne Bewertung|ohne Ziel))+", line)
    told = key_messages(briefing)
    assert 3 <= len(told) <= 5
    for message in told:
        assert " ".join(message.split()) in first
    assert "Die wichtigsten Veränderungen zum Vorquartal" in first
    assert "Überfällige Lieferungen" in first
    assert "noch nicht fällig" not in " ".join(page_texts(document))
    # only the overdue deliveries: the demo's October Ehrenamt (due 15 November) is late everywhere
    assert all(d.status == "fehlt" for d in briefing.open_deliveries)
    assert "Ehrenamt Oktober 2026 alle 10 Kommunen" in first


def test_no_empty_pages_columns_or_missing_words(document: pdfium.PdfDocument) -> None:
    texts = page_texts(document)
    whole = " ".join(texts)
    for word in ("None", "nan", "NaN", "Hinweis", "Keine Anmerkungen"):
        assert not re.search(rf"\b{word}\b", whole), word
    for number, text in enumerate(texts, start=1):  # beyond running head and footer, something to read
        body = text.split("Seite ")[0]
        assert len(body) > 400, f"page {number} is (nearly) empty: {text!r}"


def test_table_cells_fit_their_columns(document: pdfium.PdfDocument, briefing: Briefing) -> None:
    """Every cell but the indicator's name is printed on one line, whole."""
    lines = page_lines(document)
    for section in briefing.sections:
        header, rows = wording.table(briefing, section)
        for row in rows:
            for cell in row[1:]:
                assert any(cell in line for line in lines), cell
        changes = [cell for row in rows for cell in row[header.index(f"± {briefing.previous_word}") :]]
        assert all(re.fullmatch(r"[+−±]\d[\d.,]*( Pp\.)?|–", cell) for cell in changes), changes


def test_footer_never_meets_the_page_number(document: pdfium.PdfDocument) -> None:
    for number in range(len(document)):
        page = document[number]
        textpage = page.get_textpage()
        footer = []
        for index in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(index)
            if top < 16 * MM:
                footer.append((left, right, textpage.get_text_bounded(left, bottom, right, top).strip()))
        start = next(left for left, _, text in footer if text.startswith("Seite "))
        number_text = " ".join(text for left, _, text in sorted(footer) if left >= start)
        assert number_text == f"Seite {number + 1} von {len(document)}"
        others = [f for f in footer if f[0] < start]
        assert others and all(right + 2 * MM < start for _, right, _ in others), footer


def test_title_page_and_datenstand_on_every_page(document: pdfium.PdfDocument) -> None:
    texts = page_texts(document)
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
    for heading in ("Stand der Leitsätze", "Überfällige Lieferungen", "Anhang: Definitionen der Kennzahlen"):
        assert heading in text
    assert "• " in text or " •" in text  # Holzwickede and Selm have hidden cells
    assert re.search(r"● Ziel erreicht|◐ knapp verfehlt|○ verfehlt", text)  # Ampel in words, not colour alone


def test_charts_are_drawn_only_where_a_line_has_three_values(document: pdfium.PdfDocument, briefing: Briefing) -> None:
    images = sum(
        len(list(document[i].get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)))) for i in range(len(document))
    )
    assert images == 0  # drawn as vectors, not as pictures
    text = " ".join(page_texts(document))
    for section in briefing.sections:
        assert f"{section.code} · Verlauf bis 3. Quartal 2026" in text
        for panel in charts.panels(briefing, section):
            assert any(sum(v is not None for v in s.values) >= 3 for s in panel.series)
            assert all(sum(v is not None for v in s.values) >= 3 for s in panel.series)
            assert any(s.values[0] is not None for s in panel.series)  # the axis starts with data


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

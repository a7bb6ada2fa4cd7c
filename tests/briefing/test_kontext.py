"""Issue 12, item 6: the briefing (PDF and PPTX) shows each Leitsatz's Kontext-Kennzahlen with their
source lines; without official tables it shows none of them."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pptx import Presentation

from briefing.content import Briefing, build_briefing
from briefing.pdf import render_pdf
from briefing.slides import render_pptx
from store import connect
from tests.helpers.official import demo_with_official_tables

SELM = "05978032"
K29 = "K29 · Einwohnerinnen und Einwohner (Stichtag im Dezember 2024): Kreis Unna 393.784 · Selm 25.969"
K29_SOURCE = (
    "Quelle: IT.NRW, Landesdatenbank NRW, Tabelle 12411-15i, Stand 19.01.2026; "
    "Datenlizenz Deutschland – Namensnennung – 2.0"
)
K31 = "K31 · Arbeitslosenquote der Ausländer/innen (2025): Kreis Unna 19,2 %"


def _briefing(database: Path) -> Briefing:
    with connect(database) as connection:
        return build_briefing(connection, "2026-Q3", [SELM], today=dt.date(2026, 11, 25))


@pytest.fixture(scope="module")
def official_briefing(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Briefing:
    return _briefing(demo_with_official_tables(demo_db, tmp_path_factory.mktemp("amtlich")))


def _pdf_text(briefing: Briefing) -> str:
    document = pdfium.PdfDocument(render_pdf(briefing))
    return " ".join(" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document)))


def test_the_pdf_shows_the_context_of_each_leitsatz_with_its_source(official_briefing: Briefing) -> None:
    sections = {s.code: s for s in official_briefing.sections}
    assert [k.kennzahl for k in sections["LS1"].kontext] == ["K29", "K31", "K29"]  # Kreis: K29, K31; Selm: K29
    assert [k.kennzahl for k in sections["LS4"].kontext] == ["K32"]
    assert sections["LS3"].kontext == ()
    text = _pdf_text(official_briefing)
    for line in (K29, K29_SOURCE, K31, "Kontext aus der amtlichen Statistik"):
        assert line in text, line
    assert text.index(K29) < text.index("LS1 · Verlauf") < text.index("LS4 · Wir")  # in the LS1 section
    assert "Selm 19,2 %" not in text  # a Kreis figure is never given to a Kommune


def test_the_slides_have_a_context_slide_per_leitsatz_that_has_one(official_briefing: Briefing) -> None:
    deck = Presentation(io.BytesIO(render_pptx(official_briefing)))
    slides = [[shape.text_frame.text for shape in s.shapes if shape.has_text_frame] for s in deck.slides]
    context = [s for s in slides if s and s[0].endswith("Kontext aus der amtlichen Statistik")]
    assert [s[0] for s in context] == [
        "LS1 · Kontext aus der amtlichen Statistik",
        "LS4 · Kontext aus der amtlichen Statistik",
    ]
    assert context[0][1] == f"{K29}\n{K31}"
    assert f"K29: {K29_SOURCE}" in context[0][2]


def test_without_official_tables_the_briefing_has_no_context(demo_db: Path) -> None:
    briefing = _briefing(demo_db)
    assert all(s.kontext == () for s in briefing.sections)
    assert "Kontext aus der amtlichen Statistik" not in _pdf_text(briefing)

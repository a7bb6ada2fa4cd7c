"""An Anmerkung with images, links and addresses goes into the briefings as the text it is: no link
and no reference to anything outside the file, in the PDF and in the slides."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
from pptx import Presentation

from actions import steering
from actions.actor import Actor
from briefing.content import build_briefing
from briefing.pdf import render_pdf
from briefing.slides import render_pptx
from store import connect

ANMERKUNG = "![x](http://127.0.0.1:9/leak) [klick](http://evil) <img src=x> :red[Alarm] www.example.com"


def test_an_anmerkung_with_links_stays_text_in_pdf_and_slides(planned_db: Path, tmp_path: Path) -> None:
    database = tmp_path / "kim.duckdb"
    shutil.copy(planned_db, database)
    steering.add_comment("K02", "05978", "2026-08", ANMERKUNG, Actor.on_page("www.example.com"), database=database)
    with connect(database) as connection:
        briefing = build_briefing(connection, "2026-Q3", [], ["LS1"], today=dt.date(2026, 11, 25))

    pdf = render_pdf(briefing)
    document = pdfium.PdfDocument(pdf)
    text = " ".join(" ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document)))
    assert ANMERKUNG in text
    assert b"/URI" not in pdf and b"/Link" not in pdf  # no link annotation, no action that opens an address

    pptx = render_pptx(briefing)
    deck = Presentation(io.BytesIO(pptx))
    notes = [s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide]
    assert any(ANMERKUNG in n for n in notes)
    with zipfile.ZipFile(io.BytesIO(pptx)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    assert not [name for name, part in parts.items() if b"hlinkClick" in part or b"hlinkHover" in part]
    assert not [name for name, part in parts.items() if b'TargetMode="External"' in part]

"""The PPTX briefing opens with python-pptx and has the agreed slides, as editable tables and text."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

from pptx import Presentation

from briefing.content import build_briefing
from briefing.messages import key_messages
from briefing.slides import MESSAGES_PER_SLIDE, render_pptx
from loaders.reference import leitsaetze
from loaders.store import connect
from metrics import steering
from metrics.catalogue import catalogue

TODAY = dt.date(2026, 11, 25)


def slide_texts(slide: object) -> list[str]:
    texts = []
    for shape in slide.shapes:  # type: ignore[attr-defined]
        if shape.has_text_frame:
            texts.append(shape.text_frame.text)
        if shape.has_table:
            texts += [cell.text for row in shape.table.rows for cell in row.cells]
    return texts


def test_slides_for_the_kreis(planned_db: Path) -> None:
    with connect(planned_db) as connection:
        briefing = build_briefing(connection, "2026-Q3", [], today=TODAY)
    deck = Presentation(io.BytesIO(render_pptx(briefing)))
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert len(key_messages(briefing)) <= MESSAGES_PER_SLIDE  # so one slide of key messages
    assert titles == [
        "Briefing 3. Quartal 2026",
        "Kernaussagen 3. Quartal 2026",
        *(f"{ls.code} · {ls.text}" for ls in leitsaetze()),
        "Offene Lieferungen",
    ]
    slides = list(deck.slides)
    assert "Im Kreis Unna stieg die Kennzahl „Aktive Fälle“" in slides[1].placeholders[1].text_frame.text
    for slide, leitsatz in zip(slides[2:6], leitsaetze(), strict=True):
        tables = [shape.table for shape in slide.shapes if shape.has_table]
        assert len(tables) == 1  # a native, editable table
        codes = [k.code for k in catalogue().kennzahlen if k.leitsatz == leitsatz.code]
        first_column = [row.cells[0].text for row in tables[0].rows]
        assert first_column[0] == "Kennzahl"
        assert [text.split(" · ")[0] for text in first_column[1:]] == codes
        header = [cell.text for cell in tables[0].rows[0].cells]
        assert header == ["Kennzahl", "Wert", "Ampel", "Ziel", "zum Vorquartal", "zum Vorjahresquartal"]
    ls1 = next(shape.table for shape in slides[2].shapes if shape.has_table)
    k05 = next(row for row in ls1.rows if row.cells[0].text.startswith("K05"))
    assert [cell.text for cell in k05.cells][1:4] == ["45,0 %", "○ verfehlt", "≥ 60,0 %*"]
    for slide in slides:
        assert any(text.startswith("Datenstand: September 2026") for text in slide_texts(slide))
    # only fallmanagement was delivered, up to September; October's was due on 15 November
    rows = next(shape.table for shape in slides[-1].shapes if shape.has_table).rows
    deliveries = [[cell.text for cell in row.cells] for row in rows]
    assert deliveries[0] == ["Quelle", "Berichtsmonat", "Status", "Kommunen"]
    assert ["Arbeitsmarkt", "Juli 2026 bis Oktober 2026", "überfällig", "alle 10 Kommunen"] in deliveries
    assert ["Fallmanagement", "Oktober 2026", "überfällig", "alle 10 Kommunen"] in deliveries


def test_many_kommunen_continue_on_a_second_slide(planned_db: Path) -> None:
    chosen = ["05978004", "05978008", "05978012", "05978016", "05978020", "05978024"]
    with connect(planned_db) as connection:
        briefing = build_briefing(connection, "2026-09", chosen, ["LS1", "LS3"], today=TODAY)
    deck = Presentation(io.BytesIO(render_pptx(briefing)))
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles.count("LS1 · Wir begleiten Menschen aktiv.") == 1
    assert "LS1 · Wir begleiten Menschen aktiv. (Fortsetzung 2)" in titles
    assert not any(title.startswith("LS2") or title.startswith("LS4") for title in titles)
    first = next(slide for slide in deck.slides if slide.shapes.title.text.startswith("LS1"))
    table = next(shape.table for shape in first.shapes if shape.has_table)
    header = [cell.text for cell in table.rows[0].cells]
    assert header == ["Kennzahl", "Ziel", "Kreis Unna", "Bergkamen", "Bönen", "Fröndenberg/Ruhr", "Holzwickede"]
    k02 = next(row for row in table.rows if row.cells[0].text.startswith("K02"))
    assert k02.cells[4].text == "• –"  # Bönen's 2 active cases: hidden, without Ampel


def test_comments_of_the_period_go_into_the_speaker_notes(planned_db: Path, tmp_path: Path) -> None:
    database = tmp_path / "kim.duckdb"
    shutil.copy(planned_db, database)
    steering.add_comment(database, "K02", "05978", "2026-08", "Zuwachs durch neue Sprechstunde", "Analystin A")
    steering.add_comment(database, "K03", "05978020", "2026-Q3", "Kamen: Aktion im Jobcenter", "Analyst B")
    steering.add_comment(database, "K02", "05978004", "2026-08", "Bergkamen ist nicht gewählt", "Analyst B")
    steering.add_comment(database, "K02", "05978", "2026-06", "Voriges Quartal", "Analyst B")
    with connect(database) as connection:
        briefing = build_briefing(connection, "2026-Q3", ["05978020"], ["LS1"], today=TODAY)
    assert [(c.kennzahl, c.region_name, c.periode, c.text) for c in briefing.sections[0].comments] == [
        ("K02", "Kreis Unna", "2026-08", "Zuwachs durch neue Sprechstunde"),
        ("K03", "Kamen", "2026-Q3", "Kamen: Aktion im Jobcenter"),
    ]
    deck = Presentation(io.BytesIO(render_pptx(briefing)))
    ls1 = next(slide for slide in deck.slides if slide.shapes.title.text.startswith("LS1"))
    notes = ls1.notes_slide.notes_text_frame.text
    assert "K02 · Kreis Unna · 2026-08: Zuwachs durch neue Sprechstunde (Analystin A)" in notes
    assert "Bergkamen ist nicht gewählt" not in notes and "Voriges Quartal" not in notes

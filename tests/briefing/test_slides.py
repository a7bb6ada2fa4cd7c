"""The PPTX briefing opens with python-pptx and has the agreed slides, as editable tables, native
charts and text. Before, it had no charts, no speaker notes, no change columns and 11-pt tables."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

from pptx import Presentation

from actions import steering
from actions.actor import Actor
from briefing.content import build_briefing
from briefing.messages import key_messages
from briefing.slides import MESSAGES_PER_SLIDE, render_pptx
from core.catalogue import catalogue
from core.reference import leitsaetze
from store import connect
from tests.helpers.environment import TODAY_DATE as TODAY


def slide_texts(slide: object) -> list[str]:
    texts = []
    for shape in slide.shapes:  # type: ignore[attr-defined]
        if shape.has_text_frame:
            texts.append(shape.text_frame.text)
        if shape.has_table:
            texts += [cell.text for row in shape.table.rows for cell in row.cells]
    return texts


def table_font_sizes(deck: Any) -> list[float]:
    return [
        run.font.size.pt
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
        for paragraph in cell.text_frame.paragraphs
        for run in paragraph.runs
    ]


def test_slides_for_the_kreis(planned_db: Path) -> None:
    with connect(planned_db) as connection:
        briefing = build_briefing(connection, "2026-Q3", [], today=TODAY)
    deck = Presentation(io.BytesIO(render_pptx(briefing)))
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert len(key_messages(briefing)) <= MESSAGES_PER_SLIDE  # so one slide of key messages
    texts = [f"{ls.code} · {ls.text}" for ls in leitsaetze()]
    # LS1 (nine indicators) and LS2 (eight) continue on a second slide at 16 pt; only two quarters
    # have data, so no chart (a chart needs three values)
    assert titles == [
        "Briefing 3. Quartal 2026",
        "Stand der Leitsätze 3. Quartal 2026",
        "Die wichtigsten Veränderungen zum Vorquartal",
        texts[0],
        f"{texts[0]} (Fortsetzung 2)",
        texts[1],
        f"{texts[1]} (Fortsetzung 2)",
        texts[2],
        texts[3],
        "Überfällige Lieferungen",
    ]
    slides = list(deck.slides)
    status = [[cell.text for cell in row.cells] for row in next(s for s in slides[1].shapes if s.has_table).table.rows]
    assert status[0] == ["Leitsatz", "Kreis Unna"]
    assert status[1] == ["LS1 · Aktiv begleiten", "1 verfehlt\n1 ohne Bewertung\n7 ohne Ziel"]
    assert "„Aktive Fälle“" in slides[2].placeholders[1].text_frame.text
    for leitsatz in leitsaetze():
        own = [s for s in slides if s.shapes.title.text.startswith(f"{leitsatz.code} · ")]
        tables = [shape.table for slide in own for shape in slide.shapes if shape.has_table]
        assert len(tables) == len(own)  # native, editable tables
        codes = [k.code for k in catalogue().kennzahlen if k.leitsatz == leitsatz.code]
        first_column = [row.cells[0].text for table in tables for row in list(table.rows)[1:]]
        assert [text.split(" · ")[0] for text in first_column] == codes
        for table in tables:
            header = [cell.text for cell in table.rows[0].cells]
            assert header == ["Kennzahl", "Wert", "Ampel", "Ziel", "± Vorquartal", "± Vorjahresquartal"]
        for slide in own:  # speaker notes: Anmerkungen and the definitions of the indicators
            notes = slide.notes_slide.notes_text_frame.text
            assert "Anmerkungen: keine für diesen Zeitraum." in notes and "Definitionen:" in notes
            for code in codes:
                assert f"{code} · " in notes
    assert min(table_font_sizes(deck)) >= 16
    ls1 = next(shape.table for shape in slides[3].shapes if shape.has_table)
    k02 = next(row for row in ls1.rows if row.cells[0].text.startswith("K02"))
    assert [cell.text for cell in k02.cells][1:] == ["314", "– ohne Bewertung", "–", "+46", "–"]  # 268 → 314
    k05 = next(row for row in ls1.rows if row.cells[0].text.startswith("K05"))
    assert [cell.text for cell in k05.cells][1:4] == ["45,0 %", "○ verfehlt", "≥ 60,0 %*"]
    for slide in slides:
        assert any(text.startswith("Datenstand: September 2026") for text in slide_texts(slide))
    # only fallmanagement was delivered, up to September; October's was due on 15 November
    rows = next(shape.table for shape in slides[-1].shapes if shape.has_table).rows
    deliveries = [[cell.text for cell in row.cells] for row in rows]
    assert deliveries[0] == ["Quelle", "Berichtsmonat", "Kommunen"]
    assert ["Arbeitsmarkt", "Juli 2026 bis Oktober 2026", "alle 10 Kommunen"] in deliveries
    assert ["Fallmanagement", "Oktober 2026", "alle 10 Kommunen"] in deliveries


def test_native_charts_where_a_line_has_three_values(planned_db: Path) -> None:
    """Months April to September: six values, so LS1's course is a chart slide of native,
    editable line charts (not pictures), one line per region with three values or more."""
    with connect(planned_db) as connection:
        briefing = build_briefing(connection, "2026-09", ["05978020"], ["LS1"], today=TODAY)
    deck = Presentation(io.BytesIO(render_pptx(briefing)))
    slide = next(s for s in deck.slides if s.shapes.title.text == "LS1 · Verlauf bis September 2026")
    assert not [shape for shape in slide.shapes if shape.shape_type == 13]  # no picture
    found = {shape.chart.chart_title.text_frame.text: shape.chart for shape in slide.shapes if shape.has_chart}
    k02 = found["K02 · Aktive Fälle (Anzahl)"]
    series = {s.name: list(s.values) for s in k02.plots[0].series}
    assert list(series) == ["Kreis Unna", "Kamen"]
    # K02 at the end of August and September as worked out in test_messages.py: 334 and 314
    assert series["Kreis Unna"][-2:] == [334.0, 314.0]
    assert "K05 · Zielerreichung (%)" not in found  # closed cases only in September: one value
    assert "Definitionen:" in slide.notes_slide.notes_text_frame.text
    assert series["Kamen"][-1] == 51.0  # 30 + 11 + 20 − 10, as in tests/helpers/plan.py


def test_many_kommunen_continue_on_a_second_slide(planned_db: Path) -> None:
    chosen = ["05978004", "05978008", "05978012", "05978016", "05978020", "05978024"]
    with connect(planned_db) as connection:
        briefing = build_briefing(connection, "2026-09", chosen, ["LS1", "LS3"], today=TODAY)
    deck = Presentation(io.BytesIO(render_pptx(briefing)))
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles.count("LS1 · Wir begleiten Menschen aktiv.") == 1
    assert "LS1 · Wir begleiten Menschen aktiv. (Fortsetzung 2)" in titles  # three regions per table
    assert not any(title.startswith("LS2") or title.startswith("LS4") for title in titles)
    first = next(slide for slide in deck.slides if slide.shapes.title.text.startswith("LS1"))
    table = next(shape.table for shape in first.shapes if shape.has_table)
    header = [cell.text for cell in table.rows[0].cells]
    change = "± Vormonat"
    assert header == ["Kennzahl", "Ziel", "Kreis Unna", change, "Bergkamen", change, "Bönen", change]
    k02 = next(row for row in table.rows if row.cells[0].text.startswith("K02"))
    assert [k02.cells[i].text for i in (2, 3)] == ["314 –", "−20"]  # 334 → 314, no target
    assert [k02.cells[i].text for i in (6, 7)] == ["• –", "–"]  # Bönen's 2 active cases: hidden, no change
    assert min(table_font_sizes(deck)) >= 16


def test_comments_of_the_period_go_into_the_speaker_notes(planned_db: Path, tmp_path: Path) -> None:
    database = tmp_path / "kim.duckdb"
    shutil.copy(planned_db, database)
    steering.add_comment(
        "K02", "05978", "2026-08", "Zuwachs durch neue Sprechstunde", Actor.on_page("Analystin A"), database=database
    )
    steering.add_comment(
        "K03", "05978020", "2026-Q3", "Kamen: Aktion im Jobcenter", Actor.on_page("Analyst B"), database=database
    )
    steering.add_comment(
        "K02", "05978004", "2026-08", "Bergkamen ist nicht gewählt", Actor.on_page("Analyst B"), database=database
    )
    steering.add_comment("K02", "05978", "2026-06", "Voriges Quartal", Actor.on_page("Analyst B"), database=database)
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

"""The briefing as editable slides for the meeting (python-pptx, 16:9).

Slides: title; key messages; one per Leitsatz with its key figures as a native table (editable),
the analysts' comments in the speaker notes; open deliveries. Every slide carries the Datenstand.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TypeVar

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Emu, Inches, Length, Pt

from briefing import wording
from briefing.content import Briefing, Region, Section
from briefing.messages import key_messages

T = TypeVar("T")
WIDTH = Inches(13.333)
HEIGHT = Inches(7.5)
LEFT = Inches(0.6)
CONTENT_WIDTH = Inches(12.133)
TABLE_TOP = Inches(1.45)
MESSAGES_PER_SLIDE = 5
REGIONS_PER_SLIDE = 5
DELIVERIES_PER_SLIDE = 8
LAYOUT_TITLE, LAYOUT_CONTENT, LAYOUT_TITLE_ONLY = 0, 1, 5


def _rgb(hex_text: str) -> RGBColor:
    color: RGBColor = RGBColor.from_string(hex_text)  # type: ignore[no-untyped-call]
    return color


HEADING_FILL = _rgb("E1E8F0")
AMPEL_FILL = {"gruen": _rgb("CCECE3"), "gelb": _rgb("FAE7BF"), "rot": _rgb("F6D5C3"), "grau": _rgb("F0F0F0")}
TEXT = _rgb("141414")
MUTED = _rgb("555555")


def _chunks(items: Sequence[T], size: int) -> list[list[T]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)] or [[]]


def _place_title(slide: Slide, text: str, size: int = 28) -> None:
    title = slide.shapes.title
    assert title is not None
    title.left, title.top, title.width, title.height = LEFT, Inches(0.35), CONTENT_WIDTH, Inches(0.95)
    title.text = text
    for paragraph in title.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = True


def _footer(slide: Slide, briefing: Briefing) -> None:
    box = slide.shapes.add_textbox(LEFT, Inches(6.95), CONTENT_WIDTH, Inches(0.4))
    frame = box.text_frame
    frame.word_wrap = True
    frame.text = f"{wording.datenstand(briefing)} · {wording.PUBLISHED} · {wording.ORGANISATION}"
    for run in frame.paragraphs[0].runs:
        run.font.size = Pt(10)
        run.font.color.rgb = MUTED


def _text(slide: Slide, text: str, top: Length, height: Length, size: int = 14, color: RGBColor = TEXT) -> None:
    box = slide.shapes.add_textbox(LEFT, top, CONTENT_WIDTH, height)
    frame = box.text_frame
    frame.word_wrap = True
    for number, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        paragraph.text = line
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.color.rgb = color


def _table(
    slide: Slide,
    header: list[str],
    rows: list[list[str]],
    widths: list[float],
    size: int = 12,
    fills: list[dict[int, RGBColor]] | None = None,
) -> None:
    row_height = Inches(0.38)
    shape = slide.shapes.add_table(
        len(rows) + 1, len(header), LEFT, TABLE_TOP, CONTENT_WIDTH, Emu(row_height * (len(rows) + 1))
    )
    table = shape.table
    total = sum(widths)
    for number, width in enumerate(widths):
        table.columns[number].width = Emu(int(CONTENT_WIDTH * width / total))
    for r, values in enumerate([header, *rows]):
        table.rows[r].height = Emu(row_height)
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = value
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)
                    run.font.bold = r == 0
                    run.font.color.rgb = TEXT
            fill = HEADING_FILL if r == 0 else (fills[r - 1].get(c) if fills else None)
            if fill is not None:
                cell.fill.solid()  # type: ignore[no-untyped-call]
                cell.fill.fore_color.rgb = fill
            elif r > 0:
                cell.fill.background()  # type: ignore[no-untyped-call]


def _title_slide(presentation: Deck, briefing: Briefing) -> None:
    slide = presentation.slides.add_slide(presentation.slide_layouts[LAYOUT_TITLE])
    _place_title(slide, f"Briefing {briefing.title}", size=40)
    title = slide.shapes.title
    assert title is not None
    title.top, title.height = Inches(2.0), Inches(1.3)
    subtitle = slide.placeholders[1]
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = LEFT, Inches(3.5), CONTENT_WIDTH, Inches(2.6)
    lines = [
        wording.ORGANISATION,
        wording.datenstand(briefing),
        f"Gebiete: {wording.regions_text(briefing)}",
        f"Erstellt am {wording.date(briefing.erstellt)}",
    ]
    if briefing.demo:
        lines.append("Demodaten – keine echten Zahlen des Kreises Unna")
    frame = subtitle.text_frame
    frame.text = lines[0]
    for line in lines[1:]:
        frame.add_paragraph().text = line
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(20)
    _footer(slide, briefing)


def _message_slides(presentation: Deck, briefing: Briefing) -> None:
    messages = key_messages(briefing) or ["Keine nennenswerten Veränderungen und keine bewertbaren Zielwerte."]
    parts = _chunks(messages, MESSAGES_PER_SLIDE)
    for number, part in enumerate(parts, start=1):
        slide = presentation.slides.add_slide(presentation.slide_layouts[LAYOUT_CONTENT])
        suffix = f" ({number}/{len(parts)})" if len(parts) > 1 else ""
        _place_title(slide, f"Kernaussagen {briefing.title}{suffix}")
        body = slide.placeholders[1]
        body.left, body.top, body.width, body.height = LEFT, Inches(1.45), CONTENT_WIDTH, Inches(5.3)
        frame = body.text_frame
        frame.word_wrap = True
        for index, message in enumerate(part):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.text = str(message)
            paragraph.space_after = Pt(8)
            for run in paragraph.runs:
                run.font.size = Pt(17)
        _footer(slide, briefing)


def _leitsatz_slides(presentation: Deck, briefing: Briefing, section: Section) -> None:
    if len(briefing.regions) == 1:
        groups: list[list[Region]] = [list(briefing.regions)]
    else:
        groups = _chunks(briefing.regions, REGIONS_PER_SLIDE)
    for number, regions in enumerate(groups, start=1):
        slide = presentation.slides.add_slide(presentation.slide_layouts[LAYOUT_TITLE_ONLY])
        suffix = f" (Fortsetzung {number})" if number > 1 else ""
        _place_title(slide, f"{section.code} · {section.text}{suffix}", size=24)
        by_key = {(f.kennzahl, f.region): f for f in section.figures}
        fills: list[dict[int, RGBColor]] = []
        if len(briefing.regions) == 1:
            header, rows = wording.table(briefing, section)
            header, rows = header[:-1], [row[:-1] for row in rows]  # notes are in the PDF
            header = [h.replace("-\n", "") for h in header]
            ampel_column = header.index("Ampel")
            fills = [{ampel_column: AMPEL_FILL[f.ampel]} for f in section.figures]
            widths = [3.4] + [1.4] * (len(header) - 1)
        else:
            header = ["Kennzahl", "Ziel", *(r.name for r in regions)]
            rows = []
            for code in section.kennzahlen:
                first = by_key[(code, briefing.regions[0].ags)]
                cells = [f"{code} · {first.name}", wording.target(first)]
                row_fills: dict[int, RGBColor] = {}
                for column, region in enumerate(regions, start=2):
                    figure = by_key[(code, region.ags)]
                    cells.append(f"{wording.value(figure)} {wording.ampel_symbol(figure)}")
                    row_fills[column] = AMPEL_FILL[figure.ampel]
                rows.append(cells)
                fills.append(row_fills)
            widths = [3.4, 1.2] + [1.5] * len(regions)
        size = 11 if len(rows) <= 9 else 10
        _table(slide, header, rows, widths, size=size, fills=fills)
        _text(slide, wording.LEGEND, Inches(6.35), Inches(0.55), size=9, color=MUTED)
        notes = [f"{c.kennzahl} · {c.region_name} · {c.periode}: {c.text} ({c.benutzer})" for c in section.comments]
        if notes:
            slide.notes_slide.notes_text_frame.text = "Anmerkungen:\n" + "\n".join(notes)
        _footer(slide, briefing)


def _deliveries_slide(presentation: Deck, briefing: Briefing) -> None:
    slide = presentation.slides.add_slide(presentation.slide_layouts[LAYOUT_TITLE_ONLY])
    _place_title(slide, "Offene Lieferungen")
    _text(slide, wording.open_range(briefing), Inches(1.0), Inches(0.4), size=12, color=MUTED)
    if not briefing.open_deliveries:
        _text(slide, "Alle Lieferungen liegen vor.", Inches(1.6), Inches(0.6), size=20)
    else:
        rows = [wording.open_delivery_row(d) for d in briefing.open_deliveries[:DELIVERIES_PER_SLIDE]]
        _table(slide, ["Quelle", "Berichtsmonat", "Status", "Kommunen"], rows, [2.0, 1.8, 1.8, 6.5], size=12)
        rest = len(briefing.open_deliveries) - DELIVERIES_PER_SLIDE
        if rest > 0:
            _text(slide, f"… und {rest} weitere (siehe PDF-Briefing)", Inches(6.35), Inches(0.4), size=12)
    _footer(slide, briefing)


def render_pptx(briefing: Briefing) -> bytes:
    """The briefing as PPTX bytes."""
    presentation = Presentation()
    presentation.slide_width = WIDTH
    presentation.slide_height = HEIGHT
    presentation.core_properties.title = f"Briefing {briefing.title} – {wording.ORGANISATION}"
    presentation.core_properties.author = wording.ORGANISATION
    presentation.core_properties.language = "de-DE"
    _title_slide(presentation, briefing)
    _message_slides(presentation, briefing)
    for section in briefing.sections:
        _leitsatz_slides(presentation, briefing, section)
    _deliveries_slide(presentation, briefing)
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()

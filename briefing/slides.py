"""The briefing as editable slides for the meeting (python-pptx, 16:9).

Slides: title; key messages; one per Leitsatz with its key figures as a native table (editable),
the analysts' comments in the speaker notes; open deliveries. Every slide carries the Datenstand.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TypeVar

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Emu, Inches, Length, Pt

from briefing import charts, messages, wording
from briefing.content import Briefing, Section, kontext_lines
from briefing.messages import key_messages
from core import format as fmt
from core.palette import GREY, PALETTE
from metrics.kontext import HEADING as KONTEXT_HEADING
from metrics.texts import status_line

T = TypeVar("T")
WIDTH = Inches(13.333)
HEIGHT = Inches(7.5)
LEFT = Inches(0.6)
CONTENT_WIDTH = Inches(12.133)
TABLE_TOP = Inches(1.45)
MESSAGES_PER_SLIDE = 5
DELIVERIES_PER_SLIDE = 8
LAYOUT_TITLE, LAYOUT_CONTENT, LAYOUT_TITLE_ONLY = 0, 1, 5


def _rgb(hex_text: str) -> RGBColor:
    color: RGBColor = RGBColor.from_string(hex_text)  # type: ignore[no-untyped-call]
    return color


HEADING_FILL = _rgb("E1E8F0")
AMPEL_FILL = {"gruen": _rgb("CCECE3"), "gelb": _rgb("FAE7BF"), "rot": _rgb("F6D5C3"), "grau": _rgb("F0F0F0")}
TEXT = _rgb("141414")
MUTED = _rgb("555555")
DASHES = [
    MSO_LINE_DASH_STYLE.SOLID,
    MSO_LINE_DASH_STYLE.DASH,
    MSO_LINE_DASH_STYLE.ROUND_DOT,
    MSO_LINE_DASH_STYLE.DASH_DOT,
]


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


def _textbox(slide: Slide, text: str, top: Length, height: Length, size: int = 14, color: RGBColor = TEXT) -> None:
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
    row_height = Inches(0.45)
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
        f"Erstellt am {fmt.day(briefing.erstellt)}",
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
    told = key_messages(briefing) or [
        f"Keine Veränderung ab 5 % (Anteile: 2 Prozentpunkte) zum {briefing.previous_word}."
    ]
    parts = _chunks(told, MESSAGES_PER_SLIDE)
    for number, part in enumerate(parts, start=1):
        slide = presentation.slides.add_slide(presentation.slide_layouts[LAYOUT_CONTENT])
        suffix = f" ({number}/{len(parts)})" if len(parts) > 1 else ""
        _place_title(slide, f"Die wichtigsten Veränderungen zum {briefing.previous_word}{suffix}")
        body = slide.placeholders[1]
        body.left, body.top, body.width, body.height = LEFT, Inches(1.45), CONTENT_WIDTH, Inches(5.3)
        frame = body.text_frame
        frame.word_wrap = True
        for index, message in enumerate(part):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.text = str(message)
            paragraph.space_after = Pt(8)
            for run in paragraph.runs:
                run.font.size = Pt(20)
        _footer(slide, briefing)


TABLE_SIZE = 16  # pt: readable from the back of a room
TABLE_ROOM = Inches(5.3)  # between the title and the legend
LINE = Inches(0.3)  # one line of 16-pt text in a cell, with its share of the margins
CHARS_PER_INCH = 8.5  # 16-pt text, to estimate where a name wraps
REGIONS_PER_TABLE = 3


def _lines(text: str, width_inches: float) -> int:
    return max(1, -(-len(text) // int(width_inches * CHARS_PER_INCH)))


def _pages(rows: list[list[str]], name_width: float) -> list[list[int]]:
    """Row numbers per slide, so that the rows (their names wrapped) fit the room."""
    pages: list[list[int]] = [[]]
    used = 2 * LINE  # the header, which may wrap
    for number, row in enumerate(rows):
        height = _lines(row[0], name_width) * LINE + Inches(0.12)
        if pages[-1] and used + height > TABLE_ROOM:
            pages.append([])
            used = 2 * LINE
        pages[-1].append(number)
        used += height
    return pages


def _notes(briefing: Briefing, section: Section) -> str:
    """Speaker notes: the analysts' Anmerkungen and the definitions of the Leitsatz's indicators."""
    parts = []
    if section.comments:
        parts.append("Anmerkungen:")
        parts += [f"{c.kennzahl} · {c.region_name} · {c.periode}: {c.text} ({c.benutzer})" for c in section.comments]
    else:
        parts.append("Anmerkungen: keine für diesen Zeitraum.")
    parts.append("")
    parts.append("Definitionen:")
    for item in briefing.definitions:
        if item.code in section.kennzahlen:
            parts.append(f"{item.code} · {item.name} ({item.einheit}): {item.definition} Berechnung: {item.formel}")
    return "\n".join(parts)


def _leitsatz_slides(presentation: Deck, briefing: Briefing, section: Section) -> None:
    by_key = {(f.kennzahl, f.region): f for f in section.figures}
    previous = f"± {briefing.previous_word}"
    groups = _chunks(briefing.regions, REGIONS_PER_TABLE)
    notes = _notes(briefing, section)
    count = 0
    for regions in groups:
        fills: list[dict[int, RGBColor]] = []
        rows: list[list[str]] = []
        if len(briefing.regions) == 1:
            header = ["Kennzahl", "Wert", "Ampel", "Ziel", previous]
            if briefing.year_ago_word:
                header.append(f"± {briefing.year_ago_word}")
            for code in section.kennzahlen:
                figure = by_key[(code, regions[0].ags)]
                row = [f"{code} · {figure.name}", wording.value(figure), wording.ampel(figure), wording.target(figure)]
                row.append(wording.change(figure, figure.vorperiode, figure.vorperiode_vollstaendig))
                if briefing.year_ago_word:
                    row.append(wording.change(figure, figure.vorjahr, figure.vorjahr_vollstaendig))
                rows.append(row)
                fills.append({2: AMPEL_FILL[figure.ampel]})
            widths = [4.2, 1.5, 2.4, 1.6, 1.6, 1.6][: len(header)]
        else:
            header = ["Kennzahl", "Ziel"]
            for region in regions:
                header += [region.name, previous]
            for code in section.kennzahlen:
                first = by_key[(code, briefing.regions[0].ags)]
                cells = [f"{code} · {first.name}", wording.target(first)]
                row_fills: dict[int, RGBColor] = {}
                for column, region in enumerate(regions):
                    figure = by_key[(code, region.ags)]
                    cells.append(f"{wording.value(figure)} {wording.ampel_symbol(figure)}")
                    cells.append(wording.change(figure, figure.vorperiode, figure.vorperiode_vollstaendig))
                    row_fills[2 + 2 * column] = AMPEL_FILL[figure.ampel]
                rows.append(cells)
                fills.append(row_fills)
            widths = [3.6, 1.5] + [1.55, 1.45] * len(regions)
        name_width = CONTENT_WIDTH / Inches(1) * widths[0] / sum(widths)
        pages = _pages(rows, name_width)
        for page in pages:
            slide = presentation.slides.add_slide(presentation.slide_layouts[LAYOUT_TITLE_ONLY])
            count += 1
            suffix = f" (Fortsetzung {count})" if count > 1 else ""
            _place_title(slide, f"{section.code} · {section.text}{suffix}", size=24)
            _table(slide, header, [rows[i] for i in page], widths, size=TABLE_SIZE, fills=[fills[i] for i in page])
            _textbox(slide, wording.LEGEND, Inches(6.35), Inches(0.55), size=10, color=MUTED)
            slide.notes_slide.notes_text_frame.text = notes
            _footer(slide, briefing)
    _chart_slides(presentation, briefing, section, notes)


CHARTS_PER_SLIDE = 6


def _chart_slides(presentation: Deck, briefing: Briefing, section: Section, notes: str) -> None:
    """Native, editable line charts of the indicators with at least three values."""
    shown = charts.panels(briefing, section)
    for number, part in enumerate(_chunks(shown, CHARTS_PER_SLIDE), start=1):
        if not part:
            return
        slide = presentation.slides.add_slide(presentation.slide_layouts[LAYOUT_TITLE_ONLY])
        suffix = f" ({number})" if len(shown) > CHARTS_PER_SLIDE else ""
        _place_title(slide, f"{section.code} · Verlauf bis {briefing.title}{suffix}", size=24)
        width, height = Inches(4.0), Inches(2.7)
        for index, panel in enumerate(part):
            data = CategoryChartData()  # type: ignore[no-untyped-call]
            data.categories = list(panel.labels)
            for series in panel.series:
                data.add_series(series.region, list(series.values), number_format="#,##0.0")  # type: ignore[no-untyped-call]
            if panel.zielwert is not None:
                data.add_series("Ziel", [panel.zielwert] * len(panel.labels), number_format="#,##0.0")  # type: ignore[no-untyped-call]
            x = LEFT + (index % 3) * Inches(4.07)
            y = Inches(1.35) + (index // 3) * Inches(2.78)
            frame = slide.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, x, y, width, height, data)
            chart = frame.chart
            chart.has_title = True
            chart.chart_title.text_frame.text = f"{panel.kennzahl} · {panel.name} ({panel.unit})"
            chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
            chart.has_legend = True
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
            chart.legend.font.size = Pt(10)
            chart.font.size = Pt(10)
            for order, plot_series in enumerate(chart.plots[0].series):
                color = _rgb(PALETTE[order % len(PALETTE)].lstrip("#"))
                plot_series.format.line.color.rgb = color
                plot_series.smooth = False
                if order < len(panel.series):
                    plot_series.marker.format.fill.solid()
                    plot_series.marker.format.fill.fore_color.rgb = color
                    plot_series.format.line.dash_style = DASHES[order % len(DASHES)]
                else:  # the target
                    plot_series.format.line.color.rgb = _rgb(GREY.lstrip("#"))
                    plot_series.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
                    plot_series.marker.style = XL_MARKER_STYLE.NONE
        slide.notes_slide.notes_text_frame.text = notes
        _footer(slide, briefing)


def _summary_slide(presentation: Deck, briefing: Briefing) -> None:
    """Status line per Leitsatz and region: one row per Leitsatz, one column per region."""
    for regions in _chunks(briefing.regions, REGIONS_PER_TABLE):
        slide = presentation.slides.add_slide(presentation.slide_layouts[LAYOUT_TITLE_ONLY])
        _place_title(slide, f"Stand der Leitsätze {briefing.title}")
        header = ["Leitsatz", *(r.name for r in regions)]
        rows = []
        for section in briefing.sections:
            row = [f"{section.code} · {section.kurz}"]
            for region in regions:
                own = [f for f in section.figures if f.region == region.ags]
                row.append(
                    status_line(section.code, messages.status_counts(own))
                    .removeprefix(f"{section.code} · ")
                    .replace(" · ", "\n")
                )
            rows.append(row)
        _table(slide, header, rows, [3.0] + [3.0] * len(regions), size=TABLE_SIZE)
        _footer(slide, briefing)


def _deliveries_slide(presentation: Deck, briefing: Briefing) -> None:
    slide = presentation.slides.add_slide(presentation.slide_layouts[LAYOUT_TITLE_ONLY])
    _place_title(slide, "Überfällige Lieferungen")
    _textbox(slide, wording.open_range(briefing), Inches(1.0), Inches(0.4), size=14, color=MUTED)
    if not briefing.open_deliveries:
        _textbox(slide, "Keine: alle fälligen Lieferungen liegen vor.", Inches(1.6), Inches(0.6), size=20)
    else:
        rows = [wording.open_delivery_row(d) for d in briefing.open_deliveries[:DELIVERIES_PER_SLIDE]]
        _table(slide, ["Quelle", "Berichtsmonat", "Kommunen"], rows, [2.4, 3.2, 6.5], size=TABLE_SIZE)
        rest = len(briefing.open_deliveries) - DELIVERIES_PER_SLIDE
        if rest > 0:
            _textbox(slide, f"… und {rest} weitere (siehe PDF-Briefing)", Inches(6.35), Inches(0.4), size=14)
    _footer(slide, briefing)


def _kontext_slide(presentation: Deck, briefing: Briefing, section: Section) -> None:
    """The Leitsatz's Kontext-Kennzahlen (published official figures) with their source lines; none
    when no official table gives one."""
    lines = kontext_lines(section.kontext)
    if not lines:
        return
    slide = presentation.slides.add_slide(presentation.slide_layouts[LAYOUT_TITLE_ONLY])
    _place_title(slide, f"{section.code} · {KONTEXT_HEADING}", size=24)
    _textbox(slide, "\n".join(text for _, text, _ in lines), TABLE_TOP, Inches(2.6), size=16)
    sources = "\n".join(dict.fromkeys(f"{code}: {source}" for code, _, source in lines))
    _textbox(slide, sources, Inches(4.6), Inches(1.6), size=10, color=MUTED)
    slide.notes_slide.notes_text_frame.text = "\n".join(f"{text}\n{source}" for _, text, source in lines)
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
    _summary_slide(presentation, briefing)
    _message_slides(presentation, briefing)
    for section in briefing.sections:
        _leitsatz_slides(presentation, briefing, section)
        _kontext_slide(presentation, briefing, section)
    _deliveries_slide(presentation, briefing)
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()

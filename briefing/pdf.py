"""The briefing as an A4 PDF (fpdf2) with the DejaVu Sans fonts that ship with matplotlib.

Layout: a one-page summary first (status line per Leitsatz and region, the most important
changes, the targets missed, overdue deliveries); then per Leitsatz one table of key figures (one
row per indicator and region), its course charts (drawn as vectors, only where a line has at least
three values) and the analysts' Anmerkungen when there are any; an annex of the indicator
definitions in two columns. Every page but the first has a running head, every page a footer with
the Datenstand and the page number, measured so that they never meet. Table columns are as wide
as their widest cell (only the indicator name wraps); tables break across pages between
indicators, with their header repeated.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from briefing import charts, messages, wording
from briefing.content import Briefing, Section, kontext_lines
from core import format as fmt
from core.palette import GREY, PALETTE
from core.settings import TIMEZONE
from metrics.kontext import HEADING as KONTEXT_HEADING
from metrics.texts import status_line


def _font_dir() -> Path:
    """matplotlib's DejaVu fonts, found without importing matplotlib (which takes seconds)."""
    spec = importlib.util.find_spec("matplotlib")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


FONT = "DejaVu"
FONT_DIR = _font_dir()
MARGIN = 16.0  # mm
BULLET = "▪"  # not "•", which marks a hidden value
BOTTOM = 18.0  # mm kept free for the footer
FOOTER_Y = -12.0
TEXT_COLOR = (20, 20, 20)
MUTED = (85, 85, 85)
RULE = (190, 190, 190)
HEADING_FILL = (225, 232, 240)
AMPEL_FILL = {
    "gruen": (204, 236, 227),
    "gelb": (250, 231, 191),
    "rot": (246, 213, 195),
    "grau": (240, 240, 240),
}
PADDING = 1.2  # mm inside a table cell
TABLE_SIZE = 7.5  # pt
PANEL_COLUMNS = 4
PANEL_HEIGHT = 36.0  # mm
PANEL_GAP = 4.0
DASHES = [(0.0, 0.0), (1.6, 0.9), (0.5, 0.7), (2.4, 0.8, 0.5)]


def _rgb(hex_text: str) -> tuple[int, int, int]:
    return int(hex_text[1:3], 16), int(hex_text[3:5], 16), int(hex_text[5:7], 16)


class _Document(FPDF):
    def __init__(self, briefing: Briefing) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.briefing = briefing
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=BOTTOM)
        self.set_title(f"Briefing {briefing.title} – {wording.ORGANISATION}")
        self.set_author(wording.ORGANISATION)
        self.set_lang("de-DE")
        self.set_creation_date(dt.datetime.combine(briefing.erstellt, dt.time(), TIMEZONE))
        self._widths: dict[tuple[str, str, float], float] = {}

    def width(self, text: str, style: str = "", size: float = TABLE_SIZE) -> float:
        """The printed width of a text in mm (cached: tables measure the same words often)."""
        key = (text, style, size)
        if key not in self._widths:
            self.set_font(FONT, style, size)
            self._widths[key] = self.get_string_width(text)
        return self._widths[key]

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 4, f"{wording.ORGANISATION} · Briefing {self.briefing.title}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)
        self.set_text_color(*TEXT_COLOR)

    def footer(self) -> None:
        """Datenstand left, page number right; the left text is shortened until both fit."""
        self.set_y(FOOTER_Y)
        size = 7.5
        number = f"Seite {self.page_no()} von {{nb}}"
        room = self.epw - self.width("Seite 999 von 999", size=size) - 6
        left = f"{wording.datenstand(self.briefing)} · {wording.PUBLISHED}"
        for candidate in (left, wording.datenstand(self.briefing), wording.datenstand_short(self.briefing)):
            left = candidate
            if self.width(candidate, size=size) <= room:
                break
        self.set_font(FONT, "", size)
        self.set_text_color(*MUTED)
        self.set_x(self.l_margin)
        self.cell(room, 4, left)
        self.set_x(self.l_margin + room)
        self.cell(self.epw - room, 4, number, align="R")
        self.set_text_color(*TEXT_COLOR)

    # --- building blocks ------------------------------------------------------------------

    def heading(self, text: str, size: float = 13, space: float = 2) -> None:
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.45, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.ln(space)

    def paragraph(self, text: str, size: float = 9, style: str = "", color: tuple[int, int, int] = TEXT_COLOR) -> None:
        self.set_font(FONT, style, size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.45, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.set_text_color(*TEXT_COLOR)

    def bullets(self, items: list[str], size: float = 9.5) -> None:
        self.set_font(FONT, "", size)
        for item in items:
            self.set_x(self.l_margin)
            self.cell(4.5, size * 0.45, BULLET)
            self.multi_cell(0, size * 0.45, item, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
            self.ln(1.2)

    def room_left(self) -> float:
        return self.page_break_trigger - self.get_y()

    def keep_space(self, height: float) -> None:
        """Start a new page unless the next block of this height still fits."""
        if height > self.room_left():
            self.add_page()

    def wrap(self, text: str, width: float, style: str = "", size: float = TABLE_SIZE) -> list[str]:
        """Lines of a text broken at spaces to fit a width (a single long word stays whole)."""
        lines: list[str] = []
        current = ""
        for word in text.split(" "):
            candidate = f"{current} {word}" if current else word
            if current and self.width(candidate, style, size) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        return [*lines, current]


# --- tables -----------------------------------------------------------------------------------


def _column_widths(pdf: _Document, header: list[str], rows: list[list[str]], size: float, flex: int) -> list[float]:
    """Every column but the flexible one as wide as its widest cell (its header may wrap at
    spaces); the flexible column takes the rest of the page width and wraps."""
    widths = []
    for column in range(len(header)):
        if column == flex:
            widths.append(0.0)
            continue
        cells = [pdf.width(row[column], size=size) for row in rows]
        words = [pdf.width(word, "B", size) for word in header[column].split(" ")]
        widths.append(max([*cells, *words]) + 2 * PADDING + 2 * pdf.c_margin + 0.5)
    widths[flex] = pdf.epw - sum(widths)
    return widths


def _draw_row(
    pdf: _Document,
    cells: Sequence[list[str]],
    widths: list[float],
    height: float,
    line: float,
    style: str = "",
    size: float = TABLE_SIZE,
    fills: dict[int, tuple[int, int, int]] | None = None,
    align_right: Sequence[int] = (),
) -> None:
    x, y = pdf.l_margin, pdf.get_y()
    pdf.set_font(FONT, style, size)
    for number, (lines, width) in enumerate(zip(cells, widths, strict=True)):
        fill = (fills or {}).get(number)
        if fill is not None:
            pdf.set_fill_color(*fill)
            pdf.rect(x, y, width, height, style="F")
        for index, text in enumerate(lines):
            pdf.set_xy(x + PADDING, y + PADDING * 0.6 + index * line)
            pdf.cell(width - 2 * PADDING, line, text, align="R" if number in align_right else "L")
        x += width
    pdf.set_xy(pdf.l_margin, y + height)


def _table(
    pdf: _Document,
    header: list[str],
    groups: list[list[list[str]]],
    *,
    size: float = TABLE_SIZE,
    fills: list[list[dict[int, tuple[int, int, int]]]] | None = None,
    align_right: Sequence[int] = (),
    flex: int = 0,
) -> None:
    """A table whose row groups (an indicator with its regions) stay on one page. The first cell
    of a group may span its rows: it wraps into the group's height."""
    line = size * 0.42
    widths = _column_widths(pdf, header, [row for group in groups for row in group], size, flex)
    header_lines = [
        pdf.wrap(text, w - 2 * PADDING - 2 * pdf.c_margin, "B", size) for text, w in zip(header, widths, strict=True)
    ]
    header_height = max(len(lines) for lines in header_lines) * line + 1.2 * PADDING

    def draw_header() -> None:
        pdf.set_fill_color(*HEADING_FILL)
        pdf.rect(pdf.l_margin, pdf.get_y(), pdf.epw, header_height, style="F")
        _draw_row(pdf, header_lines, widths, header_height, line, "B", size, align_right=align_right)

    draw_header()
    for number, group in enumerate(groups):
        room = widths[flex] - 2 * PADDING - 2 * pdf.c_margin
        wrapped = [[pdf.wrap(text, room, size=size) for text in row] for row in group]
        name_lines = wrapped[0][0]
        row_height = (
            max(len(row[flex]) for row in wrapped[:] if flex) * line + 1.2 * PADDING if flex else line + 1.2 * PADDING
        )
        extra = max(0.0, len(name_lines) * line + 1.2 * PADDING - row_height * len(group))
        if row_height * len(group) + extra > pdf.room_left():
            pdf.add_page()
            draw_header()
        for index, row in enumerate(group):
            height = row_height + (extra if index == len(group) - 1 else 0.0)
            cells = [name_lines if index == 0 else [], *([text] for text in row[1:])]
            if flex:
                cells = [[text] for text in row]
                cells[flex] = wrapped[index][flex]
            _draw_row(pdf, cells, widths, height, line, "", size, fills[number][index] if fills else None, align_right)
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.2)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
    pdf.ln(1.5)


def _figures_table(pdf: _Document, briefing: Briefing, section: Section) -> None:
    header, rows = wording.table(briefing, section)
    ampel_column = header.index("Ampel")
    size = len(briefing.regions)
    groups = [rows[i : i + size] for i in range(0, len(rows), size)]
    figures = list(section.figures)
    fills = [
        [{ampel_column: AMPEL_FILL[figures[i + j].ampel]} for j in range(len(group))]
        for i, group in zip(range(0, len(rows), size), groups, strict=True)
    ]
    right = [header.index("Wert"), *range(header.index("Ziel"), len(header))]
    _table(pdf, header, groups, fills=fills, align_right=right)


# --- charts -----------------------------------------------------------------------------------


def _marker(pdf: _Document, number: int, x: float, y: float) -> None:
    size = 0.55
    if number % 3 == 0:
        pdf.circle(x, y, size, style="F")
    elif number % 3 == 1:
        pdf.rect(x - size, y - size, 2 * size, 2 * size, style="F")
    else:
        pdf.polyline(
            [(x, y - size * 1.2), (x + size * 1.1, y + size * 0.8), (x - size * 1.1, y + size * 0.8)], style="F"
        )


def _dash(pdf: _Document, number: int) -> None:
    pattern = DASHES[number % len(DASHES)]
    pdf.set_dash_pattern(pattern[0], pattern[1] if len(pattern) > 1 else 0)


def _panel(pdf: _Document, panel: charts.Panel, x: float, y: float, width: float, height: float) -> None:
    """One small chart: title, y grid with labels, target line, a line per region."""
    title = pdf.wrap(f"{panel.kennzahl} · {panel.name}", width - 2 * pdf.c_margin, "B", 6.5)[:3]
    pdf.set_font(FONT, "B", 6.5)
    pdf.set_text_color(*TEXT_COLOR)
    for index, text in enumerate(title):
        pdf.set_xy(x, y + index * 2.8)
        pdf.cell(width, 2.8, text)
    pdf.set_font(FONT, "", 5.5)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(x, y + len(title) * 2.8)
    pdf.cell(width, 2.4, f"({panel.unit})")
    low, high = panel.low_high
    ticks = charts.nice_ticks(low, high)
    low, high = min(ticks[0], low), max(ticks[-1], high)
    decimals = 0 if all(float(t).is_integer() for t in ticks) else 1
    labels = [fmt.number(t, decimals) for t in ticks]
    axis = max(pdf.width(label, size=5.5) for label in labels) + 2 * pdf.c_margin + 1.0
    left, right = x + axis, x + width - 1
    top, bottom = y + len(title) * 2.8 + 3.6, y + height - 4.5
    count = len(panel.labels)

    def px(index: int) -> float:
        return left + (right - left) * (index / (count - 1) if count > 1 else 0.5)

    def py(value: float) -> float:
        return bottom - (bottom - top) * (value - low) / (high - low)

    pdf.set_line_width(0.15)
    pdf.set_draw_color(221, 221, 221)
    for tick, label in zip(ticks, labels, strict=True):
        pdf.line(left, py(tick), right, py(tick))
        pdf.set_xy(x, py(tick) - 1.2)
        pdf.cell(axis - 0.8, 2.4, label, align="R")
    pdf.set_draw_color(*_rgb(GREY))
    pdf.line(left, bottom, right, bottom)
    label_width = max(pdf.width(text, size=5.5) for text in panel.labels)
    middle = {(count - 1) // 2} if (right - left) / 2 > 1.5 * label_width + 2 else set()
    shown = sorted({0, count - 1} | middle)
    for index in shown:
        text = panel.labels[index]
        pdf.set_xy(px(index) - 8, bottom + 0.6)
        align = "L" if index == 0 and count > 1 else "R" if index == count - 1 and count > 1 else "C"
        if align == "L":
            pdf.set_x(px(index))
        elif align == "R":
            pdf.set_x(px(index) - 16)
        pdf.cell(16, 2.4, text, align=align)
    if panel.zielwert is not None:
        pdf.set_line_width(0.3)
        pdf.set_dash_pattern(1.2, 0.8)
        pdf.line(left, py(panel.zielwert), right, py(panel.zielwert))
        pdf.set_dash_pattern()
    for series in panel.series:
        color = _rgb(PALETTE[series.number % len(PALETTE)])
        pdf.set_draw_color(*color)
        pdf.set_fill_color(*color)
        pdf.set_line_width(0.35)
        _dash(pdf, series.number)
        run: list[tuple[float, float]] = []
        for index, value in enumerate([*series.values, None]):
            if value is not None:
                run.append((px(index), py(value)))
                continue
            if len(run) > 1:
                pdf.polyline(run)
            run = []
        pdf.set_dash_pattern()
        for index, value in enumerate(series.values):
            if value is not None:
                _marker(pdf, series.number, px(index), py(value))
    pdf.set_text_color(*TEXT_COLOR)
    pdf.set_draw_color(0, 0, 0)


def _legend(pdf: _Document, briefing: Briefing, target: bool) -> None:
    pdf.set_font(FONT, "", 6.5)
    x, y = pdf.l_margin, pdf.get_y() + 1.5
    items = [(r.name, number) for number, r in enumerate(briefing.regions[: charts.MAX_LINES])]
    for name, number in items:
        color = _rgb(PALETTE[number % len(PALETTE)])
        pdf.set_draw_color(*color)
        pdf.set_fill_color(*color)
        pdf.set_line_width(0.35)
        _dash(pdf, number)
        pdf.line(x, y, x + 7, y)
        pdf.set_dash_pattern()
        _marker(pdf, number, x + 3.5, y)
        pdf.set_xy(x + 8, y - 1.4)
        pdf.cell(pdf.width(name, size=6.5) + 1, 2.8, name)
        x += 8 + pdf.width(name, size=6.5) + 5
    if target:
        pdf.set_draw_color(*_rgb(GREY))
        pdf.set_line_width(0.3)
        pdf.set_dash_pattern(1.2, 0.8)
        pdf.line(x, y, x + 7, y)
        pdf.set_dash_pattern()
        pdf.set_xy(x + 8, y - 1.4)
        pdf.cell(10, 2.8, "Ziel")
    pdf.set_draw_color(0, 0, 0)
    pdf.set_xy(pdf.l_margin, y + 2.5)


def _charts(pdf: _Document, briefing: Briefing, section: Section) -> None:
    shown = charts.panels(briefing, section)
    if not shown:
        return
    width = (pdf.epw - (PANEL_COLUMNS - 1) * PANEL_GAP) / PANEL_COLUMNS
    target = any(p.zielwert is not None for p in shown)

    def title(suffix: str = "") -> None:
        pdf.set_font(FONT, "B", 8.5)
        pdf.cell(0, 4, f"{section.code} · Verlauf bis {briefing.title}{suffix}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        _legend(pdf, briefing, target)

    pdf.keep_space(PANEL_HEIGHT + 12)
    title()
    for start in range(0, len(shown), PANEL_COLUMNS):
        if pdf.room_left() < PANEL_HEIGHT:
            pdf.add_page()
            title(" (Fortsetzung)")
        y = pdf.get_y()
        for column, panel in enumerate(shown[start : start + PANEL_COLUMNS]):
            _panel(pdf, panel, pdf.l_margin + column * (width + PANEL_GAP), y, width, PANEL_HEIGHT)
        pdf.set_xy(pdf.l_margin, y + PANEL_HEIGHT + 1)
    left_out = [c for c in section.kennzahlen if c not in {p.kennzahl for p in shown}]
    note = f"Diagramme nur mit mindestens {charts.MIN_POINTS} veröffentlichten Werten eines Gebiets"
    if left_out:
        note += f"; ohne Diagramm: {', '.join(left_out)}"
    if charts.lines_shown(briefing) < len(briefing.regions):
        note += f"; gezeigt sind die ersten {charts.lines_shown(briefing)} Gebiete"
    pdf.paragraph(note + ".", size=6.5, color=MUTED)


# --- parts ------------------------------------------------------------------------------------


def _summary(pdf: _Document, briefing: Briefing) -> None:
    pdf.add_page()
    pdf.paragraph(wording.ORGANISATION, size=10, color=MUTED)
    pdf.ln(1)
    pdf.set_font(FONT, "B", 20)
    pdf.cell(0, 9, f"Briefing {briefing.title}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.paragraph(
        f"Gebiete: {wording.regions_text(briefing)} · Leitsätze: {wording.leitsaetze_text(briefing)} · "
        f"{wording.datenstand(briefing)} · erstellt am {fmt.day(briefing.erstellt)}",
        size=8.5,
        color=MUTED,
    )
    if briefing.demo:
        pdf.paragraph("Demodaten – erfundene Beispielzahlen, keine echten Zahlen des Kreises Unna.", size=9, style="B")
    pdf.ln(3)

    pdf.heading("Stand der Leitsätze", size=12, space=1)
    pdf.paragraph(
        "Zielwerte je Leitsatz: im Ziel, knapp verfehlt, verfehlt, ohne Bewertung (kein vollständiger "
        "veröffentlichter Wert) und ohne Ziel.",
        size=7.5,
        color=MUTED,
    )
    pdf.ln(1)
    for region in briefing.regions:
        figures = briefing.figures_of(region.ags)
        pdf.keep_space(30)
        pdf.set_font(FONT, "B", 9.5)
        pdf.cell(0, 5, region.name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for section in briefing.sections:
            own = [f for f in section.figures if f.region == region.ags]
            pdf.set_x(pdf.l_margin + 3)
            pdf.set_font(FONT, "", 9)
            pdf.cell(
                0, 4.4, status_line(section.code, messages.status_counts(own)), new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
        targets = messages.target_message(figures, region)
        if targets:
            pdf.set_x(pdf.l_margin + 3)
            pdf.set_font(FONT, "", 8)
            pdf.set_text_color(*MUTED)
            pdf.multi_cell(pdf.epw - 3, 3.7, targets, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
            pdf.set_text_color(*TEXT_COLOR)
        pdf.ln(1.5)

    pdf.ln(1)
    pdf.keep_space(25)
    pdf.heading(f"Die wichtigsten Veränderungen zum {briefing.previous_word}", size=12, space=1.5)
    key = messages.key_messages(briefing)
    if key:
        pdf.bullets(key)
    else:
        pdf.paragraph(
            f"Keine vollständigen veröffentlichten Werte haben sich gegenüber dem {briefing.previous_word} um "
            "mindestens 5 % (Anteile: 2 Prozentpunkte) verändert."
        )
    pdf.ln(1.5)

    pdf.keep_space(25)
    pdf.heading("Überfällige Lieferungen", size=12, space=1)
    pdf.paragraph(wording.open_range(briefing), size=7.5, color=MUTED)
    pdf.ln(1)
    if briefing.open_deliveries:
        rows = [wording.open_delivery_row(d) for d in briefing.open_deliveries]
        _table(pdf, ["Quelle", "Berichtsmonat", "Kommunen"], [[row] for row in rows], size=8, flex=2)
    else:
        pdf.paragraph("Keine: alle fälligen Lieferungen liegen vor.")
    gaps = [m for r in briefing.regions if (m := messages.completeness_message(briefing.figures_of(r.ags), r))]
    if gaps:
        pdf.paragraph(" ".join(gaps), size=8, color=MUTED)
    pdf.ln(2)
    pdf.paragraph(
        "Alle Zahlen sind veröffentlichte Werte mit Geheimhaltung: kleine Fallzahlen und Werte, aus denen sie sich "
        "errechnen ließen, sind nicht ausgewiesen (•). Genannt werden Veränderungen ab 5 % (Anteile ab 2 "
        "Prozentpunkten) zwischen vollständigen Werten; unvollständige Werte erhalten keine Ampel.",
        size=7,
        color=MUTED,
    )


def _section(pdf: _Document, briefing: Briefing, section: Section) -> None:
    if pdf.page_no() == 1 or pdf.room_left() < 90:
        pdf.add_page()
    else:
        pdf.ln(4)
    pdf.heading(f"{section.code} · {section.text}", size=12, space=1)
    pdf.paragraph(
        status_line(
            section.code, messages.status_counts([f for f in section.figures if f.region == briefing.regions[0].ags])
        )
        + f" ({briefing.regions[0].name})",
        size=8,
        color=MUTED,
    )
    pdf.ln(1)
    _figures_table(pdf, briefing, section)
    notes = wording.footnotes(briefing, section)
    if notes:
        pdf.paragraph(f"{wording.INCOMPLETE_MARK} unvollständig – " + "; ".join(notes) + ".", size=6.5, color=MUTED)
    pdf.paragraph(wording.LEGEND, size=6.5, color=MUTED)
    _kontext(pdf, section)
    pdf.ln(2)
    _charts(pdf, briefing, section)
    if section.comments:
        pdf.ln(2)
        pdf.keep_space(15)
        pdf.heading("Anmerkungen", size=10, space=1)
        pdf.bullets(
            [
                f"{c.kennzahl} · {c.region_name} · {c.periode}: {c.text} ({c.benutzer}, {fmt.day(c.datum)})"
                for c in section.comments
            ],
            size=8.5,
        )


def _kontext(pdf: _Document, section: Section) -> None:
    """The section's Kontext-Kennzahlen (published official figures), each with its source line."""
    lines = kontext_lines(section.kontext)
    if not lines:
        return
    pdf.ln(1.5)
    pdf.keep_space(12)
    pdf.paragraph(KONTEXT_HEADING, size=8, style="B")
    for _, text, source in lines:
        pdf.paragraph(text, size=8)
        pdf.paragraph(source, size=6.5, color=MUTED)


def _annex(pdf: _Document, briefing: Briefing) -> None:
    """The definitions in two columns, each kept whole in its column."""
    pdf.add_page()
    pdf.heading("Anhang: Definitionen der Kennzahlen", size=12, space=2)
    gutter = 6.0
    width = (pdf.epw - gutter) / 2
    top = pdf.get_y()
    column = 0
    size, line = 6.8, 2.9
    for item in briefing.definitions:
        room = width - 2 * pdf.c_margin
        title = pdf.wrap(f"{item.code} · {item.name}", room, "B", 7.5)
        body: list[str] = []
        for text in (
            f"{item.definition}",
            f"Berechnung: {item.formel}",
            f"{item.einheit} · {item.art} · {item.richtung} · Handlungsfeld {item.handlungsfeld}",
            f"Quellen: {item.quellen}",
            f"Geheimhaltung: {item.geheimhaltung}",
        ):
            body += pdf.wrap(text, room, "", size)
        height = len(title) * 3.3 + len(body) * line + 2.5
        if pdf.get_y() + height > pdf.page_break_trigger:
            if column == 0:
                column = 1
                pdf.set_y(top)
            else:
                pdf.add_page()
                column = 0
                top = pdf.get_y()
        x = pdf.l_margin + column * (width + gutter)
        y = pdf.get_y()
        pdf.set_font(FONT, "B", 7.5)
        for index, text in enumerate(title):
            pdf.set_xy(x, y + index * 3.3)
            pdf.cell(width, 3.3, text)
        y += len(title) * 3.3
        pdf.set_font(FONT, "", size)
        for index, text in enumerate(body):
            pdf.set_xy(x, y + index * line)
            pdf.cell(width, line, text)
        pdf.set_xy(pdf.l_margin, y + len(body) * line + 2.5)


def render_pdf(briefing: Briefing) -> bytes:
    """The briefing as PDF bytes."""
    pdf = _Document(briefing)
    _summary(pdf, briefing)
    for section in briefing.sections:
        _section(pdf, briefing, section)
    if briefing.definitions:
        _annex(pdf, briefing)
    return bytes(pdf.output())

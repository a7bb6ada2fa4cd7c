"""The briefing as an A4 PDF (fpdf2) with the DejaVu Sans fonts that ship with matplotlib.

Layout: title page; key messages; one part per Leitsatz (table of key figures, chart, the
analysts' comments); open deliveries; annex with the indicator definitions. Every page but the
title page has a running head, every page a footer with the Datenstand and the page number. Tables
break across pages with their header repeated; long texts wrap.
"""

from __future__ import annotations

import datetime as dt
import io
from contextlib import AbstractContextManager
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.enums import TableBordersLayout, TableHeadingsDisplay, XPos, YPos
from fpdf.fonts import FontFace
from fpdf.table import Table

from briefing import charts, wording
from briefing.content import Briefing, Section
from briefing.messages import key_messages
from loaders.settings import TIMEZONE

FONT = "DejaVu"
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
MARGIN = 18.0  # mm
BULLET = "▪"  # not "•", which marks a hidden value
BOTTOM = 20.0  # mm kept free for the footer
TEXT_COLOR = (20, 20, 20)
MUTED = (85, 85, 85)
HEADING_FILL = (225, 232, 240)
AMPEL_FILL = {
    "gruen": (204, 236, 227),
    "gelb": (250, 231, 191),
    "rot": (246, 213, 195),
    "grau": (240, 240, 240),
}


class _Document(FPDF):
    def __init__(self, briefing: Briefing) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.briefing = briefing
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.add_font(FONT, "I", str(FONT_DIR / "DejaVuSans-Oblique.ttf"))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=BOTTOM)
        self.set_title(f"Briefing {briefing.title} – {wording.ORGANISATION}")
        self.set_author(wording.ORGANISATION)
        self.set_lang("de-DE")
        self.set_creation_date(dt.datetime.combine(briefing.erstellt, dt.time(), TIMEZONE))

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{wording.ORGANISATION} · Briefing {self.briefing.title}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(4)
        self.set_text_color(*TEXT_COLOR)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        left = f"{wording.datenstand(self.briefing)} · {wording.PUBLISHED}"
        self.cell(self.epw * 0.8, 5, left)
        self.cell(self.epw * 0.2, 5, f"Seite {self.page_no()} von {{nb}}", align="R")
        self.set_text_color(*TEXT_COLOR)

    # --- building blocks ------------------------------------------------------------------

    def heading(self, text: str, size: float = 15) -> None:
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.ln(2)

    def paragraph(self, text: str, size: float = 10, style: str = "", color: tuple[int, int, int] = TEXT_COLOR) -> None:
        self.set_font(FONT, style, size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        self.set_text_color(*TEXT_COLOR)

    def bullets(self, items: list[str], size: float = 10) -> None:
        self.set_font(FONT, "", size)
        for item in items:
            self.set_x(self.l_margin)
            self.cell(5, size * 0.5, BULLET)
            self.multi_cell(0, size * 0.5, item, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
            self.ln(1.5)

    def keep_space(self, height: float) -> None:
        """Start a new page unless the next block of this height still fits."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()


def _widths(header: list[str]) -> list[float]:
    """Column widths in relative units: the indicator and the note get the most room."""
    widths = {"Kennzahl": 32.0, "Gebiet": 16.0, "Wert": 14.0, "Ampel": 15.0, "Ziel": 12.0, "Hinweis": 20.0}
    return [widths.get(h, 17.0) for h in header]


def _table(pdf: _Document, widths: list[float], *, line_height: float) -> AbstractContextManager[Table]:
    """Every table of the briefing: full width, lines between rows, its header repeated on each page."""
    return pdf.table(
        col_widths=widths,
        width=pdf.epw,
        text_align="LEFT",
        line_height=line_height,
        padding=1.2,
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        headings_style=FontFace(emphasis="BOLD", fill_color=HEADING_FILL),
        repeat_headings=TableHeadingsDisplay.ON_TOP_OF_EVERY_PAGE,
    )


def _figures_table(pdf: _Document, briefing: Briefing, section: Section) -> None:
    header, rows = wording.table(briefing, section)
    ampel_column = header.index("Ampel")
    with _table(pdf, _widths(header), line_height=4) as table:
        pdf.set_font(FONT, "", 7.5)
        heading = table.row()
        for text in header:
            heading.cell(text)
        for figure, values in zip(section.figures, rows, strict=True):
            row = table.row()
            for number, text in enumerate(values):
                style = FontFace(fill_color=AMPEL_FILL[figure.ampel]) if number == ampel_column else None
                row.cell(text, style=style)


def _simple_table(pdf: _Document, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
    pdf.set_font(FONT, "", 8)
    with _table(pdf, widths, line_height=4.2) as table:
        heading = table.row()
        for text in header:
            heading.cell(text)
        for values in rows:
            row = table.row()
            for text in values:
                row.cell(text)


def _png_width(png: bytes) -> int:
    return int.from_bytes(png[16:20], "big")  # IHDR, right after the signature


def _png_height(png: bytes) -> int:
    return int.from_bytes(png[20:24], "big")


def _title_page(pdf: _Document, briefing: Briefing) -> None:
    pdf.add_page()
    pdf.set_y(55)
    pdf.paragraph(wording.ORGANISATION, size=14, color=MUTED)
    pdf.ln(4)
    pdf.set_font(FONT, "B", 28)
    pdf.multi_cell(0, 13, f"Briefing {briefing.title}", new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    pdf.ln(6)
    pdf.paragraph("Kommunales Integrationsmanagement (KIM) im Kreis Unna", size=12)
    pdf.ln(10)
    lines = [
        f"Zeitraum: {briefing.title} ({briefing.period})",
        wording.datenstand(briefing),
        f"Gebiete: {wording.regions_text(briefing)}",
        f"Leitsätze: {wording.leitsaetze_text(briefing)}",
        f"Erstellt am {wording.date(briefing.erstellt)}",
    ]
    for line in lines:
        pdf.paragraph(line, size=11)
        pdf.ln(1.5)
    pdf.ln(8)
    pdf.paragraph(
        "Alle Zahlen sind veröffentlichte Werte mit Geheimhaltung: kleine Fallzahlen und Werte, aus denen sie "
        "sich errechnen ließen, sind nicht ausgewiesen.",
        size=9,
        color=MUTED,
    )
    if briefing.demo:
        pdf.ln(4)
        pdf.paragraph("Demodaten – erfundene Beispielzahlen, keine echten Zahlen des Kreises Unna.", size=11, style="B")


def _messages_page(pdf: _Document, briefing: Briefing) -> None:
    pdf.add_page()
    pdf.heading("Kernaussagen")
    messages = key_messages(briefing)
    if messages:
        pdf.bullets(messages)
    else:
        pdf.paragraph("Für diesen Zeitraum gibt es keine nennenswerten Veränderungen und keine bewertbaren Zielwerte.")
    pdf.ln(4)
    pdf.paragraph(
        "Die Kernaussagen entstehen aus den veröffentlichten Werten: genannt werden Veränderungen ab 5 % "
        "(bei Anteilen ab 2 Prozentpunkten) gegenüber dem "
        f"{briefing.previous_word}, die Zielwerte und fehlende Lieferungen.",
        size=8,
        color=MUTED,
    )


def _section(pdf: _Document, briefing: Briefing, section: Section) -> None:
    pdf.add_page()
    pdf.heading(f"{section.code} · {section.text}", size=14)
    pdf.paragraph(f"Kennzahlen {briefing.title} für {wording.regions_text(briefing)}", size=9, color=MUTED)
    pdf.ln(2)
    _figures_table(pdf, briefing, section)
    pdf.ln(1)
    pdf.paragraph(wording.LEGEND, size=7, color=MUTED)
    pdf.ln(3)
    png = charts.leitsatz_chart(briefing, section)
    ratio = _png_height(png) / _png_width(png)
    width = pdf.epw
    available = pdf.h - MARGIN - BOTTOM - 12
    if width * ratio > available:
        width = available / ratio
    pdf.keep_space(width * ratio)
    pdf.image(io.BytesIO(png), x=pdf.l_margin, w=width, alt_text=charts.alt_text(briefing, section))
    if charts.lines_shown(briefing) < len(briefing.regions):
        pdf.paragraph(
            f"Die Diagramme zeigen die ersten {charts.lines_shown(briefing)} Gebiete; alle Werte stehen in der Tabelle.",
            size=7,
            color=MUTED,
        )
    pdf.ln(3)
    pdf.keep_space(20)
    pdf.heading("Anmerkungen", size=11)
    if section.comments:
        pdf.bullets(
            [
                f"{c.kennzahl} · {c.region_name} · {c.periode}: {c.text} ({c.benutzer}, {wording.date(c.datum)})"
                for c in section.comments
            ],
            size=9,
        )
    else:
        pdf.paragraph("Keine Anmerkungen für diesen Zeitraum.", size=9, color=MUTED)


def _open_deliveries(pdf: _Document, briefing: Briefing) -> None:
    pdf.add_page()
    pdf.heading("Offene Lieferungen")
    pdf.paragraph(wording.open_range(briefing), size=9, color=MUTED)
    pdf.ln(2)
    if not briefing.open_deliveries:
        pdf.paragraph("Alle Lieferungen liegen vor.")
        return
    rows = [wording.open_delivery_row(d) for d in briefing.open_deliveries]
    _simple_table(pdf, ["Quelle", "Berichtsmonat", "Status", "Kommunen"], rows, [20, 18, 16, 46])


def _annex(pdf: _Document, briefing: Briefing) -> None:
    pdf.add_page()
    pdf.heading("Anhang: Definitionen der Kennzahlen")
    for item in briefing.definitions:
        pdf.keep_space(30)
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(0, 5, f"{item.code} · {item.name}", new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        lines = [
            f"Definition: {item.definition}",
            f"Berechnung: {item.formel}",
            f"{item.leitsatz} · Handlungsfeld {item.handlungsfeld} · Einheit: {item.einheit} · Art: {item.art} · "
            f"Richtung: {item.richtung}",
            f"Quellen: {item.quellen}",
            f"Geheimhaltung: {item.geheimhaltung}",
        ]
        for line in lines:
            pdf.paragraph(line, size=8)
        pdf.ln(3)


def render_pdf(briefing: Briefing) -> bytes:
    """The briefing as PDF bytes."""
    pdf = _Document(briefing)
    _title_page(pdf, briefing)
    _messages_page(pdf, briefing)
    for section in briefing.sections:
        _section(pdf, briefing, section)
    _open_deliveries(pdf, briefing)
    _annex(pdf, briefing)
    return bytes(pdf.output())

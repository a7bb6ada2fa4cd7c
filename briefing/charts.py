"""Static charts for the briefing, drawn offline with matplotlib (Agg) as PNG.

Figures are built without pyplot (no global state, safe in the app's threads); saving a PNG uses
the Agg renderer. One figure per Leitsatz: a small panel per indicator with its course over the last periods, one
line per region (colour, line style and marker differ, so regions never differ by colour alone),
the target as a dashed line. Each panel names its unit; the figure names Datenstand and source.
Hidden (suppressed) and missing values are gaps.
"""

from __future__ import annotations

import io
import math
import textwrap

from matplotlib.figure import Figure as MplFigure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from briefing import wording
from briefing.content import Briefing, Section
from ui import format as fmt
from ui.palette import GREY, PALETTE, TEXT

LINE_STYLES = ["-", "--", ":", "-."]
MARKERS = ["o", "s", "^", "D", "v", "P"]
MAX_LINES = 5  # the Kreis and up to four Kommunen; all of them are in the tables
COLUMNS = 3
WIDTH_INCHES = 7.2
PANEL_HEIGHT_INCHES = 1.85
DPI = 150


def lines_shown(briefing: Briefing) -> int:
    return min(len(briefing.regions), MAX_LINES)


def leitsatz_chart(briefing: Briefing, section: Section) -> bytes:
    """The course of every indicator of the Leitsatz as PNG bytes."""
    regions = briefing.regions[:MAX_LINES]
    codes = section.kennzahlen
    rows = max(1, math.ceil(len(codes) / COLUMNS))
    figure = MplFigure(figsize=(WIDTH_INCHES, 1.4 + rows * PANEL_HEIGHT_INCHES), dpi=DPI)
    figure.patch.set_facecolor("white")
    axes = figure.subplots(rows, COLUMNS, squeeze=False)
    labels = briefing.course_labels
    positions = list(range(len(labels)))
    step = max(1, math.ceil(len(labels) / 4))
    by_key = {(f.kennzahl, f.region): f for f in section.figures}
    for index, code in enumerate(codes):
        axis = axes[index // COLUMNS][index % COLUMNS]
        first = by_key[(code, regions[0].ags)]
        title = textwrap.fill(f"{code} · {first.name}", 34)
        axis.set_title(f"{title}\n({first.unit})", fontsize=6.5, loc="left")
        for number, region in enumerate(regions):
            figure_of_region = by_key[(code, region.ags)]
            values = [math.nan if v is None else v for v in figure_of_region.verlauf]
            axis.plot(
                positions,
                values,
                color=PALETTE[number % len(PALETTE)],
                linestyle=LINE_STYLES[number % len(LINE_STYLES)],
                marker=MARKERS[number % len(MARKERS)],
                markersize=2.5,
                linewidth=1.2,
                label=region.name,
            )
        if first.zielwert is not None and first.direction != "neutral":
            axis.axhline(first.zielwert, color=GREY, linestyle=(0, (4, 2)), linewidth=0.9, label="Zielwert")
        if all(v is None for f in section.figures if f.kennzahl == code for v in f.verlauf):
            axis.text(
                0.5, 0.5, "kein veröffentlichter Wert", ha="center", va="center", fontsize=6, transform=axis.transAxes
            )
        axis.set_xticks(positions[::-1][::step][::-1])
        axis.set_xticklabels(labels[::-1][::step][::-1], fontsize=5.5)
        axis.set_xlim(-0.5, len(labels) - 0.5)
        axis.yaxis.set_major_locator(MaxNLocator(nbins=4))
        decimals = 0 if all(float(t).is_integer() for t in axis.get_yticks()) else 1
        axis.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos, d=decimals: fmt.number(y, d)))
        axis.tick_params(axis="y", labelsize=5.5)
        axis.grid(axis="y", color="#dddddd", linewidth=0.5)
        for side in ("top", "right"):
            axis.spines[side].set_visible(False)
    for index in range(len(codes), rows * COLUMNS):
        axes[index // COLUMNS][index % COLUMNS].set_axis_off()
    handles, names = axes[0][0].get_legend_handles_labels()
    for row in axes:
        for axis in row:
            for handle, name in zip(*axis.get_legend_handles_labels(), strict=True):
                if name not in names:
                    handles.append(handle)
                    names.append(name)
    figure.suptitle(
        f"{section.code} · Verlauf der Kennzahlen bis {briefing.title}", x=0.01, ha="left", fontsize=9, weight="bold"
    )
    figure.text(
        0.01,
        0.01,
        textwrap.fill(
            f"{wording.datenstand_short(briefing)} · Quelle: {', '.join(section.quellen) or wording.SOURCE} "
            f"({wording.PUBLISHED}; Lücken: kein Wert oder Geheimhaltung)",
            150,
        ),
        fontsize=6,
        color=TEXT,
    )
    figure.legend(handles, names, loc="upper right", ncol=min(len(names), 6), fontsize=6, frameon=False)
    height = figure.get_figheight()
    figure.subplots_adjust(
        left=0.07, right=0.98, top=1 - 0.95 / height, bottom=0.62 / height, hspace=1.0, wspace=0.3
    )  # fixed room for titles and footnote: faster than tight_layout and the same for every Leitsatz
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 3})
    return buffer.getvalue()


def alt_text(briefing: Briefing, section: Section) -> str:
    """A text alternative for the chart."""
    names = ", ".join(r.name for r in briefing.regions[:MAX_LINES])
    return (
        f"Liniendiagramme zum Verlauf der Kennzahlen von {section.code} über {len(briefing.course_labels)} Zeiträume "
        f"bis {briefing.title} für {names}; die Werte stehen in der Tabelle."
    )

"""Plotly figures with a colour-blind-safe palette (Okabe–Ito), German number format and a title
that names unit, Datenstand and source, shown with a description for screen readers and a link to
the indicator's definition.

Contrast (WCAG 2.1 AA, on white): text #31333F 12,5:1; lines and bars in the Okabe–Ito hues,
darkened where needed to at least 4,6:1 (so they pass as text, too, not only the 3:1 for graphics);
the light-blue sky tone and the yellow are left out of the lines (too light, or once darkened too
close to another hue). Text on a coloured tile is black or white, whichever contrasts more (at
least 4,6:1)."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.colors import sample_colorscale, unlabel_rgb

from core.palette import GREY, MISSING, PALETTE, TEXT

DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star"]
# Streamlit's theme draws tick labels in #808495 (3,7:1 on white); the figures set their own colours.
CONFIG = {"displayModeBar": False}  # plotly's tool bar: English labels and many stops for the Tab key


def show(figure: go.Figure, key: str, alt: str, kennzahl: str | None = None) -> None:
    """Show a figure with its description for screen readers and, for an indicator, the link to
    its definition (the figures themselves are in the table each page shows below)."""
    st.plotly_chart(figure, key=key, config=CONFIG, alt=alt)
    if kennzahl is not None:
        st.page_link(
            "pages/kennzahlen.py",
            label=f"Definition von {kennzahl} im Kennzahlenkatalog",
            icon=":material/menu_book:",
            query_params={"kennzahl": kennzahl},
        )


def _luminance(color: str) -> float:
    """Relative luminance (WCAG 2.1) of '#RRGGBB' or 'rgb(r, g, b)'."""
    if color.startswith("#"):
        channels = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    else:
        channels = [int(float(c)) for c in unlabel_rgb(color)]
    linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted([_luminance(first), _luminance(second)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_on(fill: str) -> str:
    """Black or white, whichever contrasts more with the fill (at least 4,6:1 for any fill)."""
    return "#000000" if contrast(fill, "#000000") >= contrast(fill, "#FFFFFF") else "#FFFFFF"


def shades(values: pd.Series) -> list[str]:
    """A light-to-dark blue per value (the light grey for a missing or hidden one)."""
    known = values.dropna()
    low, high = (float(known.min()), float(known.max())) if not known.empty else (0.0, 1.0)
    colours = []
    for value in values:
        if pd.isna(value):
            colours.append(MISSING)
        else:
            share = 0.5 if high == low else (float(value) - low) / (high - low)
            colours.append(sample_colorscale("Blues", [0.15 + 0.8 * share])[0])
    return colours


def _layout(figure: go.Figure, title: str, unit: str, note: str) -> go.Figure:
    figure.update_layout(
        title={"text": f"{title}<br><sup>{note}</sup>", "x": 0, "font": {"color": TEXT}},
        separators=",.",  # German: decimal comma, thousands dot
        yaxis_title_text=unit,
        legend={"orientation": "h", "y": -0.2, "font": {"color": TEXT}},
        margin={"l": 10, "r": 10, "t": 80, "b": 10},
        height=420,
        font={"size": 14, "color": TEXT},
    )
    figure.update_xaxes(tickfont_color=TEXT, title_font_color=TEXT)
    figure.update_yaxes(tickfont_color=TEXT, title_font_color=TEXT)
    figure.update_annotations(font_color=TEXT)
    return figure


def course(
    frame: pd.DataFrame,
    title: str,
    unit: str,
    note: str,
    target: float | None,
    meeting: tuple[dt.date, str] | None = None,
) -> go.Figure:
    """Lines per region over time (columns: periode_start, region_name, wert); a dashed target line;
    optionally a dotted vertical line at the date of the last meeting (date, label). Regions
    differ in colour and in line style, never by colour alone."""
    figure = go.Figure()
    for index, (name, rows) in enumerate(frame.groupby("region_name", sort=False)):
        figure.add_trace(
            go.Scatter(
                x=rows["periode_start"],
                y=rows["wert"],
                name=str(name),
                mode="lines+markers",
                line={"color": PALETTE[index % len(PALETTE)], "dash": DASHES[index % len(DASHES)]},
                marker={"symbol": SYMBOLS[index % len(SYMBOLS)], "size": 7},
                connectgaps=False,
            )
        )
    if target is not None:
        figure.add_hline(y=target, line_dash="dash", line_color=GREY, annotation_text="Zielwert")
    if meeting is not None:
        when, label = meeting
        figure.add_shape(
            type="line", xref="x", yref="paper", x0=when, x1=when, y0=0, y1=1, line={"color": GREY, "dash": "dot"}
        )
        figure.add_annotation(
            x=when, y=1, xref="x", yref="paper", text=label, showarrow=False, xanchor="left", yanchor="bottom"
        )
    figure.update_xaxes(tickformat="%m/%Y")
    return _layout(figure, title, unit, note)


def ranking(
    frame: pd.DataFrame, title: str, unit: str, note: str, kreis: float | None, target: float | None
) -> go.Figure:
    """Sorted horizontal bars per Kommune (columns: name, wert, label) with the Kreis value and the
    target as vertical lines; hidden or missing values are listed with their mark, without a bar."""
    ordered = frame.sort_values("wert", na_position="first")
    figure = go.Figure(
        go.Bar(
            x=ordered["wert"],
            y=ordered["name"],
            orientation="h",
            text=ordered["label"],
            textposition="outside",
            textfont={"color": TEXT},
            cliponaxis=False,
            marker_color=PALETTE[0],
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    if kreis is not None:
        figure.add_vline(
            x=kreis, line_color=PALETTE[1], line_width=3, annotation_text="Kreis", annotation_position="top"
        )
    if target is not None:
        figure.add_vline(
            x=target, line_color=GREY, line_dash="dash", annotation_text="Zielwert", annotation_position="bottom"
        )
    known = ordered["wert"].dropna()
    upper = max([float(known.max()) if not known.empty else 1.0] + [v for v in (kreis, target) if v is not None])
    figure.update_xaxes(range=[0, upper * 1.25])  # room for the labels beside the bars
    return _layout(figure, title, unit, note).update_layout(yaxis_title_text=None, xaxis_title_text=unit, height=460)


def tile_map(frame: pd.DataFrame, title: str, note: str) -> go.Figure:
    """Schematic map: one square per Kommune at its configured tile position (columns: name,
    kachel_x, kachel_y, wert, label); shade by value, the value written in each tile in black or
    white, whichever contrasts more with the shade."""
    fills = shades(frame["wert"])
    figure = go.Figure(
        go.Scatter(
            x=frame["kachel_x"],
            y=-frame["kachel_y"],
            mode="markers+text",
            marker={"symbol": "square", "size": 78, "color": fills, "line": {"color": "#333333", "width": 1}},
            text=frame["name"] + "<br>" + frame["label"],
            textfont={"color": [text_on(fill) for fill in fills], "size": 12},
            hovertemplate="%{text}<extra></extra>",
            showlegend=False,
        )
    )
    _add_scale(figure, frame["wert"])
    figure.update_xaxes(visible=False, range=[-0.7, frame["kachel_x"].max() + 0.7])
    figure.update_yaxes(visible=False, range=[-frame["kachel_y"].max() - 0.7, 0.7], scaleanchor="x")
    return _layout(figure, title, "", note).update_layout(height=520, plot_bgcolor="#ffffff")


def choropleth(frame: pd.DataFrame, geojson: dict[str, Any], title: str, note: str) -> go.Figure:
    """A real map of the Kommunen from a GeoJSON whose features carry the property 'ags'.

    Drawn as filled shapes on plain axes (longitude, latitude): plotly's geo maps fetch their base
    map from the internet, which the app's machines may not reach."""
    values = frame.assign(fill=shades(frame["wert"])).set_index("ags")
    figure = go.Figure()
    for feature in geojson.get("features", []):
        ags = str(feature["properties"].get("ags"))
        if ags not in values.index:
            continue
        label, name, fill = values.at[ags, "label"], values.at[ags, "name"], values.at[ags, "fill"]
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            ring = polygon[0]
            figure.add_trace(
                go.Scatter(
                    x=[p[0] for p in ring],
                    y=[p[1] for p in ring],
                    fill="toself",
                    fillcolor=fill,
                    mode="lines",
                    line={"color": "#333333", "width": 1},
                    hoverinfo="text",
                    text=f"{name}: {label}",
                    showlegend=False,
                )
            )
        ring = polygons[0][0]
        figure.add_trace(
            go.Scatter(
                x=[sum(p[0] for p in ring) / len(ring)],
                y=[sum(p[1] for p in ring) / len(ring)],
                mode="text",
                text=[f"{name}<br>{label}"],
                textfont={"color": text_on(fill), "size": 11},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    _add_scale(figure, frame["wert"])
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, scaleanchor="x", scaleratio=1.6)  # about 51.6° north
    return _layout(figure, title, "", note).update_layout(height=560, plot_bgcolor="#ffffff")


def _add_scale(figure: go.Figure, values: pd.Series) -> None:
    """The shades of a map as a colour scale beside it (nothing when no value is shown)."""
    known = values.dropna()
    if known.empty:
        return
    figure.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            marker={
                "colorscale": [[0, sample_colorscale("Blues", [0.15])[0]], [1, sample_colorscale("Blues", [0.95])[0]]],
                "cmin": float(known.min()),
                "cmax": float(known.max()),
                "color": [float(known.min())],
                "showscale": True,
                "colorbar": {"tickfont": {"color": TEXT}},
            },
        )
    )


SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 240, 44, 5
# The last point of a card's course in the colour of its status (palette hues, ≥ 4,6:1 on white).
STATUS_INK = {"gruen": PALETTE[2], "gelb": PALETTE[1], "rot": PALETTE[3]}


def sparkline(values: list[float | None], target: float | None = None, status: str = "") -> str:
    """The twelve months of a card as a small static SVG (drawn by the browser at once, unlike a
    chart library): a line broken where a month has no value, the target as a dashed grey line and
    the last point in the colour of the status (grey when not judged). Empty when no month has a
    value. Only numbers go into it, never text."""
    known = [v for v in values if v is not None and not pd.isna(v)]
    if not known:
        return ""
    scale = [*known, *([target] if target is not None and not pd.isna(target) else [])]
    low, high = min(scale), max(scale)
    if high == low:
        low, high = low - 1, high + 1
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(len(values) - 1, 1)

    def x(index: int) -> float:
        return SPARK_PAD + index * step

    def y(value: float) -> float:
        return SPARK_PAD + (high - value) / (high - low) * (SPARK_HEIGHT - 2 * SPARK_PAD)

    parts = []
    if target is not None and not pd.isna(target):
        parts.append(
            f'<line x1="0" x2="{SPARK_WIDTH}" y1="{y(target):.1f}" y2="{y(target):.1f}" stroke="{GREY}" '
            'stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
    runs: list[list[str]] = [[]]
    for index, value in enumerate(values):
        if value is None or pd.isna(value):
            runs.append([])
        else:
            runs[-1].append(f"{x(index):.1f},{y(float(value)):.1f}")
    for run in runs:
        if len(run) > 1:
            parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{PALETTE[0]}" stroke-width="2.5"/>')
        elif run:
            cx, cy = run[0].split(",")
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{PALETTE[0]}"/>')
    last = max(i for i, v in enumerate(values) if v is not None and not pd.isna(v))
    ink = STATUS_INK.get(status, GREY)
    parts.append(f'<circle cx="{x(last):.1f}" cy="{y(float(values[last])):.1f}" r="4.5" fill="{ink}"/>')  # type: ignore[arg-type]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" '
        f'width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}">{"".join(parts)}</svg>'
    )


def picture_address(svg: str) -> str:
    """An SVG as a data address ('data:image/svg+xml;base64,…') for a Markdown image: the picture
    travels inside the page's text, so the browser needs no request per picture, and it loads
    nothing from anywhere. Empty for an empty picture."""
    return f"data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}" if svg else ""

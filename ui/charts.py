"""Plotly figures with a colour-blind-safe palette (Okabe–Ito), German number format and a title
that names unit, Datenstand and source."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]


def _layout(figure: go.Figure, title: str, unit: str, note: str) -> go.Figure:
    figure.update_layout(
        title={"text": f"{title}<br><sup>{note}</sup>", "x": 0},
        separators=",.",  # German: decimal comma, thousands dot
        yaxis_title=unit,
        legend={"orientation": "h", "y": -0.2},
        margin={"l": 10, "r": 10, "t": 80, "b": 10},
        height=420,
        font={"size": 14},
    )
    return figure


def course(frame: pd.DataFrame, title: str, unit: str, note: str, target: float | None) -> go.Figure:
    """Lines per region over time (columns: periode_start, region_name, wert); a dashed target line.
    Regions differ in colour and in line style, never by colour alone."""
    figure = go.Figure()
    for index, (name, rows) in enumerate(frame.groupby("region_name", sort=False)):
        figure.add_trace(
            go.Scatter(
                x=rows["periode_start"],
                y=rows["wert"],
                name=str(name),
                mode="lines+markers",
                line={"color": PALETTE[index % len(PALETTE)], "dash": DASHES[index % len(DASHES)]},
                connectgaps=False,
            )
        )
    if target is not None:
        figure.add_hline(y=target, line_dash="dash", line_color="#555555", annotation_text="Zielwert")
    figure.update_xaxes(tickformat="%m/%Y")
    return _layout(figure, title, unit, note)

"""Plotly figures with a colour-blind-safe palette (Okabe–Ito), German number format and a title
that names unit, Datenstand and source."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

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
            x=target, line_color="#555555", line_dash="dash", annotation_text="Zielwert", annotation_position="bottom"
        )
    known = ordered["wert"].dropna()
    upper = max([float(known.max()) if not known.empty else 1.0] + [v for v in (kreis, target) if v is not None])
    figure.update_xaxes(range=[0, upper * 1.25])  # room for the labels beside the bars
    return _layout(figure, title, unit, note).update_layout(yaxis_title=None, xaxis_title=unit, height=460)


def tile_map(frame: pd.DataFrame, title: str, note: str) -> go.Figure:
    """Schematic map: one square per Kommune at its configured tile position (columns: name,
    kachel_x, kachel_y, wert, label); shade by value, the value written in each tile."""
    figure = go.Figure(
        go.Scatter(
            x=frame["kachel_x"],
            y=-frame["kachel_y"],
            mode="markers+text",
            marker={
                "symbol": "square",
                "size": 78,
                "color": frame["wert"],
                "colorscale": "Blues",
                "showscale": True,
                "line": {"color": "#333333", "width": 1},
            },
            text=frame["name"] + "<br>" + frame["label"],
            textfont={"color": "#000000", "size": 12},
            hovertemplate="%{text}<extra></extra>",
        )
    )
    figure.update_xaxes(visible=False, range=[-0.7, frame["kachel_x"].max() + 0.7])
    figure.update_yaxes(visible=False, range=[-frame["kachel_y"].max() - 0.7, 0.7], scaleanchor="x")
    figure.update_traces(textfont_color="#000000")
    return _layout(figure, title, "", note).update_layout(height=520, plot_bgcolor="#ffffff")


def choropleth(frame: pd.DataFrame, geojson: dict[str, Any], title: str, note: str) -> go.Figure:
    """A real map of the Kommunen from a GeoJSON whose features carry the property 'ags'.

    Drawn as filled shapes on plain axes (longitude, latitude): plotly's geo maps fetch their base
    map from the internet, which the app's machines may not reach."""
    values = frame.set_index("ags")
    known = values["wert"].dropna()
    low, high = (float(known.min()), float(known.max())) if not known.empty else (0.0, 1.0)
    figure = go.Figure()
    for feature in geojson.get("features", []):
        ags = str(feature["properties"].get("ags"))
        if ags not in values.index:
            continue
        value, label, name = values.at[ags, "wert"], values.at[ags, "label"], values.at[ags, "name"]
        if pd.isna(value):
            color = "#eeeeee"
        else:
            share = 0.5 if high == low else (float(value) - low) / (high - low)
            color = sample_colorscale("Blues", [0.15 + 0.8 * share])[0]
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            ring = polygon[0]
            figure.add_trace(
                go.Scatter(
                    x=[p[0] for p in ring],
                    y=[p[1] for p in ring],
                    fill="toself",
                    fillcolor=color,
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
                textfont={"color": "#000000", "size": 11},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    figure.add_trace(  # the colour scale as a legend
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            marker={
                "colorscale": [[0, sample_colorscale("Blues", [0.15])[0]], [1, sample_colorscale("Blues", [0.95])[0]]],
                "cmin": low,
                "cmax": high,
                "color": [low],
                "showscale": True,
            },
        )
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, scaleanchor="x", scaleratio=1.6)  # about 51.6° north
    return _layout(figure, title, "", note).update_layout(height=560, plot_bgcolor="#ffffff")

"""Shared widgets: region and month choice, Datenstand line, indicator card."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from loaders.reference import kommunen, kreis, teilregionen
from ui import format as fmt

DELTA_COLOR = {"up": "normal", "down": "inverse", "neutral": "off"}


def region_options() -> dict[str, str]:
    """Kreis first, then the Teilregionen, then the Kommunen: code → display name."""
    options = {kreis().ags: kreis().name}
    options |= {r.code: r.name for r in teilregionen()}
    options |= {k.ags: k.name for k in kommunen()}
    return options


def choose_region(key: str = "gebiet") -> str:
    options = region_options()
    return st.selectbox("Gebiet", list(options), format_func=options.__getitem__, key=key)


def choose_month(months: list[dt.date], default: dt.date | None, key: str = "monat") -> dt.date:
    index = months.index(default) if default in months else 0
    return st.selectbox("Berichtsmonat", months, index=index, format_func=fmt.month, key=key)


def datenstand_line(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "Datenstand: noch keine Lieferungen."
    parts = [f"{row.quelle_label} {fmt.month_short(row.letzter_monat)}" for row in frame.itertuples()]
    return "Datenstand: " + " · ".join(parts)


def completeness_note(row: Any, total: int) -> str | None:
    if row.vollstaendig:
        return None
    if not row.fehlend:
        return "unvollständig"
    delivered = int(row.kommunen_mit_wert or 0)
    if total == 1:
        return "unvollständig: Lieferung fehlt"
    return f"unvollständig: {delivered} von {total} Kommunen; fehlt: {', '.join(row.fehlend)}"


def indicator_card(row: Any, members: int) -> None:
    """One indicator as a metric with value, change against the previous month and sparkline."""
    course = [float("nan") if v is None or pd.isna(v) else float(v) for v in row.verlauf]
    delta = fmt.change(row.wert, row.vormonat, row.unit)
    unchanged = delta is not None and delta.startswith("±")
    note = completeness_note(row, members)
    with st.container(border=True):
        st.metric(
            label=f"{row.kennzahl} · {row.name}",
            value=fmt.value(row.wert, row.unit),
            delta=delta,
            delta_color="off" if unchanged else DELTA_COLOR[row.direction],  # type: ignore[arg-type]
            delta_arrow="off" if unchanged else "auto",
            delta_description="zum Vormonat" if delta else None,
            chart_data=course if any(not pd.isna(v) for v in course) else None,
            chart_type="line",
            help=row.definition,
            border=False,
        )
        if note:
            st.caption(f"⚠ {note}")

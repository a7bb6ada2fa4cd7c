"""Shared widgets: region and month choice, Datenstand line, indicator card."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from loaders.reference import kommunen, kreis, teilregionen
from metrics.catalogue import catalogue
from metrics.texts import AMPEL_SYMBOL, AMPEL_TEXT, SUPPRESSED_MARK, suppression_reason, target_text
from ui import data
from ui import format as fmt

DELTA_COLOR = {"up": "normal", "down": "inverse", "neutral": "off"}


def shown(value: Any, hidden: bool, unit: str) -> str:
    """A value as shown: '•' when confidentiality hides it; in the internal view (value present
    although hidden in published figures) the value marked as internal."""
    if hidden and (value is None or pd.isna(value)):
        return SUPPRESSED_MARK
    text = fmt.value(value, unit)
    return f"{text} (intern)" if hidden else text


def region_options() -> dict[str, str]:
    """Kreis first, then the Teilregionen, then the Kommunen: code → display name."""
    options = {kreis().ags: kreis().name}
    options |= {r.code: r.name for r in teilregionen()}
    options |= {k.ags: k.name for k in kommunen()}
    return options


def _month_code(value: dt.date) -> str:
    return value.strftime("%Y-%m")


def _take_from_url(key: str, options: Sequence[Any], default: Any, encode: Callable[[Any], str]) -> None:
    """Before a widget is drawn: its value from the link (?key=…) on first use, else kept; a value
    no longer among the options falls back to the default."""
    if key not in st.session_state:
        wanted = st.query_params.get(key)
        st.session_state[key] = {encode(o): o for o in options}.get(wanted or "", default)
    elif st.session_state[key] not in options:
        st.session_state[key] = default


def url_select(
    label: str,
    options: Sequence[Any],
    key: str,
    *,
    default: Any = None,
    format_func: Callable[[Any], str] = str,
    encode: Callable[[Any], str] = str,
    widget: Callable[..., Any] = st.selectbox,
) -> Any:
    """A selectbox (or radio) whose choice is also kept in the page's link, so a link reproduces
    the view."""
    options = list(options)
    _take_from_url(key, options, default if default in options else options[0], encode)
    value = widget(label, options, format_func=format_func, key=key)
    st.query_params[key] = encode(value)
    return value


def url_multiselect(
    label: str, options: Sequence[str], key: str, *, default: list[str], format_func: Callable[[Any], str] = str
) -> list[str]:
    """A multiselect whose choice is kept in the link as a comma-separated list."""
    if key not in st.session_state:
        wanted = [v for v in (st.query_params.get(key) or "").split(",") if v in options]
        st.session_state[key] = wanted or default
    values: list[str] = st.multiselect(label, list(options), format_func=format_func, key=key)
    st.query_params[key] = ",".join(values)
    return values


def choose_region(key: str = "gebiet") -> str:
    options = region_options()
    return str(url_select("Gebiet", list(options), key, format_func=options.__getitem__))


def choose_month(months: list[dt.date], default: dt.date | None, key: str = "monat") -> dt.date:
    value: dt.date = url_select(
        "Berichtsmonat", months, key, default=default, format_func=fmt.month, encode=_month_code
    )
    return value


def choose_kennzahl(key: str = "kennzahl") -> str:
    cat = catalogue()
    return str(
        url_select("Kennzahl", [k.code for k in cat.kennzahlen], key, format_func=lambda c: f"{c} · {cat.get(c).name}")
    )


def datenstand_line(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "Datenstand: noch keine Lieferungen."
    parts = [f"{row.quelle_label} {fmt.month_short(row.letzter_monat)}" for row in frame.itertuples()]
    return "Datenstand: " + " · ".join(parts)


def datenstand_short(frame: pd.DataFrame) -> str:
    """'Datenstand 10/2026' (the latest month of any source) for chart subtitles."""
    if frame.empty:
        return "Datenstand: –"
    return f"Datenstand {fmt.month_short(max(frame['letzter_monat']))}"


def completeness_note(row: Any, total: int) -> str | None:
    if row.vollstaendig:
        return None
    if not row.fehlend:
        return "unvollständig"
    delivered = int(row.kommunen_mit_wert or 0)
    if total == 1:
        return "unvollständig: Lieferung fehlt"
    return f"unvollständig: {delivered} von {total} Kommunen; fehlt: {', '.join(row.fehlend)}"


def indicator_card(row: Any, members: int, note: str | None = None) -> None:
    """One indicator as a metric: value (or • when hidden for confidentiality), Ampel in words,
    target, change against the previous month and the course of twelve months."""
    cat = catalogue()
    kennzahl = cat.get(row.kennzahl)
    course = [float("nan") if v is None or pd.isna(v) else float(v) for v in row.verlauf]
    delta = None if row.unterdrueckt else fmt.change(row.wert, row.vormonat, row.unit)
    unchanged = delta is not None and delta.startswith("±")
    help_text = row.definition
    if row.unterdrueckt:
        help_text = f"{suppression_reason(kennzahl, cat)}. {help_text}"
    with st.container(border=True):
        st.metric(
            label=f"{row.kennzahl} · {row.name}",
            value=shown(row.wert, row.unterdrueckt, row.unit),
            delta=delta,
            delta_color="off" if unchanged else DELTA_COLOR[row.direction],  # type: ignore[arg-type]
            delta_arrow="off" if unchanged else "auto",
            delta_description="zum Vormonat" if delta else None,
            chart_data=course if any(not pd.isna(v) for v in course) else None,
            chart_type="line",
            help=help_text,
            border=False,
        )
        status = f"{AMPEL_SYMBOL[row.ampel]} {AMPEL_TEXT[row.ampel]}"
        target = target_text(
            kennzahl,
            row.zielwert if pd.notna(row.zielwert) else None,
            row.zielwert_bestaetigt,
            fmt.value(row.zielwert, row.unit),
        )
        st.caption(f"{status} · {target}" if target else status)
        completeness = completeness_note(row, members)
        if completeness:
            st.caption(f"⚠ {completeness}")
        if note:
            st.caption(f"💬 Anmerkung: {note}")


def cockpit_table(table: pd.DataFrame, members: int, notes: dict[str, str] | None = None) -> pd.DataFrame:
    """The cockpit's figures as a table (text alternative to the cards, and for download)."""
    cat = catalogue()
    rows = []
    for row in table.itertuples():
        kennzahl = cat.get(row.kennzahl)
        hidden = bool(row.unterdrueckt)
        target = row.zielwert if pd.notna(row.zielwert) else None
        rows.append(
            {
                "Kennzahl": f"{row.kennzahl} · {row.name}",
                "Wert": shown(row.wert, hidden, row.unit),
                "Ampel": f"{AMPEL_SYMBOL[row.ampel]} {AMPEL_TEXT[row.ampel]}",
                "Ziel": target_text(kennzahl, target, row.zielwert_bestaetigt, fmt.value(target, row.unit)) or "–",
                "zum Vormonat": "–" if hidden else fmt.change(row.wert, row.vormonat, row.unit) or "–",
                "zum Vorjahresmonat": "–" if hidden else fmt.change(row.wert, row.vorjahr, row.unit) or "–",
                "Vollständigkeit": completeness_note(row, members) or "vollständig",
                "Anmerkung": (notes or {}).get(row.kennzahl, ""),
            }
        )
    return pd.DataFrame(rows)


def flash(message: str) -> None:
    """After a write: refresh every page's data and show the message once after the rerun."""
    data.refresh()
    st.session_state["_kim_flash"] = message
    st.rerun()


def show_flash() -> None:
    message = st.session_state.pop("_kim_flash", None)
    if message:
        st.success(message, icon=":material/check_circle:")


def monthly_values() -> tuple[pd.DataFrame, pd.DataFrame, list[dt.date]]:
    """Monthly values, Datenstand and the months with a value; stops the page with a hint when
    there is nothing to show yet."""
    from ui.feedback import user_errors

    with user_errors():
        values = data.values("month")
        stand = data.datenstand()
    months = data.months_with_values(values)
    if not months:
        st.info("Es liegen noch keine Kennzahlen vor. Bitte zuerst Lieferungen hochladen.")
        st.stop()
    return values, stand, months

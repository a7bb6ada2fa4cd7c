"""Analysts' comments (Anmerkungen) beside charts and in tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from actions import steering
from actions.actor import Actor
from core import format as fmt
from core.catalogue import catalogue
from core.format import plain
from core.settings import db_path
from ui import auth, data, widgets
from ui.feedback import user_errors


def texts_by_kennzahl(frame: pd.DataFrame, kommune: str, periode: str) -> dict[str, str]:
    rows = frame[(frame["kommune"] == kommune) & (frame["periode"] == periode)]
    return {code: " · ".join(group["text"]) for code, group in rows.groupby("kennzahl")}


def editor(kommune: str, periode: str, key: str) -> None:
    """List the comments of a region and period in an expander; analysts add or remove one (the list
    and the form are made only while the expander is open)."""
    cat = catalogue()
    may_write = auth.can("anmerkungen")
    frame = data.comments()
    shown = frame[(frame["kommune"] == kommune) & (frame["periode"] == periode)]
    box, opened = widgets.closed_until_opened(f"Anmerkungen ({len(shown)})", f"{key}_offen")
    if not opened:  # the list and the form are made when opened
        return
    with box:
        for row in shown.itertuples():
            left, right = st.columns([6, 1])
            left.markdown(
                f"**{row.kennzahl}** · {plain(row.text)}  \n_{plain(row.benutzer)}, "
                f"{fmt.day(fmt.local_time(pd.Timestamp(row.zeit)))}_"
            )
            if may_write and right.button(
                "Entfernen",
                key=f"{key}_entfernen_{row.anmerkung_id}",
                help=f"Die Anmerkung zu {row.kennzahl} entfernen",
            ):
                with user_errors():
                    steering.remove_comment(int(row.anmerkung_id), Actor.on_page(auth.user_name()), database=db_path())
                widgets.flash("Anmerkung entfernt.")
        if not may_write:
            return
        with st.form(f"{key}_form", clear_on_submit=True):
            code = st.selectbox(
                "Kennzahl",
                [k.code for k in cat.kennzahlen],
                format_func=lambda c: f"{c} · {cat.get(c).name}",
                key=f"{key}_kennzahl",
                help="Die Kennzahl, zu der die Anmerkung gehört (für das gewählte Gebiet und den Monat).",
            )
            text = st.text_area(
                "Anmerkung (z. B. „Rückgang wegen Personalwechsel“)",
                max_chars=steering.MAX_COMMENT,
                key=f"{key}_text",
                help="Erscheint neben der Kennzahl, in den Tabellen und in den Downloads. Keine Namen von Personen.",
            )
            if st.form_submit_button("Anmerkung speichern"):
                user = auth.user_name()
                with user_errors():
                    steering.add_comment(code, kommune, periode, text, Actor.on_page(user), database=db_path())
                widgets.flash("Anmerkung gespeichert.")

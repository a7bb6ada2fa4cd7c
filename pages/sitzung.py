"""Sitzungsmodus: one Leitsatz per screen with large figures for the meeting, always the published
(suppressed) figures; 'Sitzung festhalten' freezes them with the date and catalogue version."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from access import audit
from loaders.reference import kreis, leitsaetze
from loaders.settings import db_path, today
from metrics import steering
from metrics.catalogue import catalogue
from metrics.cockpit import cockpit
from metrics.texts import AMPEL_SYMBOL, AMPEL_TEXT, SUPPRESSED_MARK
from ui import auth, data, selection, widgets
from ui import format as fmt
from ui.feedback import user_errors
from ui.page import start_page

start_page()
cat = catalogue()
with user_errors():
    values = data.values_with_meeting("month")
months = data.months_with_values(values)
if not months:
    st.info("Es liegen noch keine Kennzahlen vor.")
    st.stop()
month = selection.month_value(months, data.default_month())
leitsatz_list = list(leitsaetze())
position = st.session_state.setdefault("sitzung_leitsatz", 0) % len(leitsatz_list)
leitsatz = leitsatz_list[position]

st.title(f"{leitsatz.code} · {leitsatz.text}", anchor=False)
widgets.show_flash()
meeting = widgets.meeting_name(values) if values["sitzung_datum"].notna().any() else None
since_text = f" · Veränderung seit der {meeting}" if meeting else ""
st.caption(f"Kreis Unna · {fmt.month(month)} · veröffentlichte Werte (mit Geheimhaltung){since_text}")

table = cockpit(values, kreis().ags, month)
since = widgets.since_meeting_where(values, "kennzahl", kommune=kreis().ags, periode_start=month) if meeting else {}
for row in table[table["leitsatz"] == leitsatz.code].itertuples():
    hidden = bool(row.unterdrueckt)
    then = since.get(row.kennzahl)
    with st.container(border=True):
        left, right = st.columns([3, 2])
        left.markdown(f"### {row.name}")
        left.markdown(f"**{AMPEL_SYMBOL[row.ampel]} {AMPEL_TEXT[row.ampel]}**")
        value = SUPPRESSED_MARK if hidden else fmt.value(row.wert, row.unit)
        change = then.change if then is not None and then.change not in ("–", SUPPRESSED_MARK) else None
        right.metric(
            row.name,
            value,
            change,
            delta_color=widgets.DELTA_COLOR[row.direction],  # type: ignore[arg-type]
            delta_description=f"seit der {meeting}" if change else None,
            label_visibility="collapsed",
        )
        if then is not None and then.then != "–":
            right.caption(f"In der {meeting}: {then.then} · Veränderung: {then.change}")
        if then is not None and then.corrected:
            left.caption(widgets.CORRECTED_MARK)

previous, counter, following = st.columns([1, 2, 1])
if previous.button("← Voriger Leitsatz", key="sitzung_zurueck", width="stretch"):
    st.session_state["sitzung_leitsatz"] = position - 1
    st.rerun()
counter.caption(f"Leitsatz {position + 1} von {len(leitsatz_list)}")
if following.button("Nächster Leitsatz →", key="sitzung_weiter", width="stretch"):
    st.session_state["sitzung_leitsatz"] = position + 1
    st.rerun()

if auth.can("sitzung"):
    with st.expander("Sitzung festhalten"):
        st.write(
            "Hält alle veröffentlichten Werte (Monate und Quartale) mit dem Sitzungsdatum und der "
            f"Katalogversion {cat.version} fest. Danach zeigen die Ansichten die Veränderung seit dieser "
            "Sitzung und markieren später korrigierte Werte."
        )
        datum = st.date_input(
            "Datum der Sitzung",
            value=today(),
            format="DD.MM.YYYY",
            key="sitzung_datum",
            help="Das Datum, mit dem die Ansichten die Sitzung nennen (TT.MM.JJJJ).",
        )
        if st.button(
            "Sitzung festhalten",
            key="sitzung_festhalten",
            type="primary",
            help="Speichert die heute veröffentlichten Werte als Stand dieser Sitzung.",
        ):
            user = auth.user_name()
            day = datum if isinstance(datum, dt.date) else today()
            with user_errors():
                number = steering.freeze_meeting(db_path(), day, user)
            audit.record("sitzung", user, f"Sitzung {number} vom {day:%d.%m.%Y}")
            widgets.flash(f"Sitzung {number} vom {day:%d.%m.%Y} festgehalten.")

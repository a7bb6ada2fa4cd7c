"""Zielwerte: the targets of every indicator; an admin sets, changes or confirms them (stored with
who and when). Proposals stay marked until the Lenkungskreis has decided."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from access import audit
from loaders.settings import db_path
from metrics import steering
from metrics.catalogue import catalogue
from metrics.targets import PROPOSAL
from ui import auth, data, downloads, widgets
from ui.feedback import user_errors
from ui.page import start_page

start_page()
st.title("Zielwerte")
widgets.show_flash()
cat = catalogue()
with user_errors():
    history = data.target_history()

current = []
for kennzahl in cat.kennzahlen:
    if kennzahl.direction == "neutral":
        continue
    decided = history[(history["kennzahl"] == kennzahl.code) & history["kommune"].isna() & history["gueltig_ab"].isna()]
    sign = "≥" if kennzahl.direction == "up" else "≤"
    if not decided.empty:
        latest = decided.iloc[0]
        status = "beschlossen" if latest["bestaetigt"] else PROPOSAL
        text = f"{sign} {latest['zielwert']:g} {kennzahl.unit}".replace(".", ",")
        who = f"{latest['benutzer']}, {pd.Timestamp(latest['zeit']).tz_convert('Europe/Berlin'):%d.%m.%Y %H:%M}"
    elif kennzahl.zielwert is not None:
        status, text, who = PROPOSAL, f"{sign} {kennzahl.zielwert:g} {kennzahl.unit}".replace(".", ","), "Katalog"
    else:
        status, text, who = "kein Zielwert", "–", "–"
    current.append(
        {"Kennzahl": f"{kennzahl.code} · {kennzahl.name}", "Zielwert": text, "Status": status, "Festgelegt": who}
    )
downloads.table(pd.DataFrame(current), "zielwerte_tabelle", "zielwerte", hide_index=True)

specific = history[history["kommune"].notna() | history["gueltig_ab"].notna()]
if not specific.empty:
    st.caption("Zielwerte für einzelne Gebiete oder ab einem Datum")
    st.dataframe(specific, hide_index=True)

if not auth.can("zielwerte"):
    st.caption("Zielwerte legt die Administration nach dem Beschluss des Lenkungskreises fest.")
    st.stop()

st.subheader("Zielwert festlegen")
directional = [k.code for k in cat.kennzahlen if k.direction != "neutral"]
user = auth.user_name()
with st.form("zielwert_form"):
    code = st.selectbox("Kennzahl", directional, format_func=lambda c: f"{c} · {cat.get(c).name}", key="ziel_kennzahl")
    regions = {"": "alle Gebiete", **widgets.region_options()}
    region = st.selectbox("Gebiet", list(regions), format_func=regions.__getitem__, key="ziel_gebiet")
    value = st.number_input("Zielwert", min_value=0.0, step=1.0, format="%.1f", key="ziel_wert")
    start = st.date_input("Gültig ab (leer: von Anfang an)", value=None, format="DD.MM.YYYY", key="ziel_ab")
    confirmed = st.checkbox("vom Lenkungskreis beschlossen", value=True, key="ziel_beschlossen")
    if st.form_submit_button("Zielwert speichern", type="primary"):
        with user_errors():
            steering.set_target(
                db_path(), code, value, user, kommune=region or None, gueltig_ab=start, confirmed=confirmed
            )
        where = regions[region] if region else "alle Gebiete"
        since = f" ab {start:%d.%m.%Y}" if start else ""
        state = "beschlossen" if confirmed else "Vorschlag"
        audit.record(
            "zielwert", user, f"{code}: {value:g} für {where}{since} ({state})".replace(".", ","), kennzahl=code
        )
        widgets.flash("Zielwert gespeichert.")

if st.button("Alle Vorschläge des Katalogs unverändert beschließen", key="ziel_vorschlaege"):
    with user_errors():
        count = steering.confirm_default_targets(db_path(), user)
    audit.record("zielwerte_bestaetigt", user, f"{count} Vorschläge des Katalogs beschlossen")
    widgets.flash(f"{count} Zielwerte als beschlossen gespeichert.")

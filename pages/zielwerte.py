"""Zielwerte: the targets of every indicator; an admin sets, changes or confirms them (stored with
who and when), typed the German way, checked against the indicator's unit and confirmed with the
old and the new value before anything is saved. Proposals stay marked until the Lenkungskreis has
decided."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from actions import steering
from actions.actor import Actor
from core import format as fmt
from core.catalogue import Kennzahl, catalogue
from core.errors import UsageError
from core.settings import db_path
from metrics.targets import PROPOSAL, check_target, decided_target
from metrics.texts import target_text
from ui import auth, data, downloads, inputs, widgets
from ui.feedback import input_errors, user_errors
from ui.page import start_page

PLAUSIBLE = {
    "share": "ein Anteil zwischen 0 und 100 %",
    "Tage": "Tage, nicht negativ",
    "Anzahl": "eine ganze Zahl, nicht negativ",
    "Stunden": "ganze Stunden, nicht negativ",
}


def target_shown(kennzahl: Kennzahl, value: float | None) -> str:
    """'≥ 85,5 %', '≤ 14,0 Tage', '≥ 1.234'; '–' without a target."""
    return target_text(kennzahl.direction, value, kennzahl.unit) or "–"


def decided_by(row: pd.Series) -> str:
    """Who set a target and when."""
    return f"{row['benutzer']}, {fmt.day_time(fmt.local_time(pd.Timestamp(row['zeit'])))}"


def show_targets() -> None:
    """The targets in force: general ones, then those for one region or from a date."""
    current = []
    for kennzahl in cat.kennzahlen:
        if kennzahl.direction == "neutral":
            continue
        decided = history[
            (history["kennzahl"] == kennzahl.code) & history["kommune"].isna() & history["gueltig_ab"].isna()
        ]
        if not decided.empty:
            latest = decided.iloc[0]
            status = "beschlossen" if latest["bestaetigt"] else PROPOSAL
            text, who = target_shown(kennzahl, latest["zielwert"]), decided_by(latest)
        elif kennzahl.zielwert is not None:
            status, text, who = PROPOSAL, target_shown(kennzahl, kennzahl.zielwert), "Katalog"
        else:
            status, text, who = "kein Zielwert", "–", "–"
        current.append(
            {"Kennzahl": f"{kennzahl.code} · {kennzahl.name}", "Zielwert": text, "Status": status, "Festgelegt": who}
        )
    downloads.table(pd.DataFrame(current), "zielwerte_tabelle", "zielwerte", wrapped=True)

    specific = history[history["kommune"].notna() | history["gueltig_ab"].notna()]
    specific = specific.drop_duplicates(["kennzahl", "kommune", "gueltig_ab"])  # newest decision first
    if not specific.empty:
        st.caption("Zielwerte für einzelne Gebiete oder ab einem Datum")
        downloads.table(
            pd.DataFrame(
                {
                    "Kennzahl": [f"{c} · {cat.get(c).name}" for c in specific["kennzahl"]],
                    "Gebiet": [
                        regions.get(k, k) if isinstance(k, str) else "alle Gebiete" for k in specific["kommune"]
                    ],
                    "Gültig ab": [
                        fmt.day(pd.Timestamp(d)) if pd.notna(d) else "von Anfang an" for d in specific["gueltig_ab"]
                    ],
                    "Zielwert": [
                        target_shown(cat.get(c), v)
                        for c, v in zip(specific["kennzahl"], specific["zielwert"], strict=True)
                    ],
                    "Status": ["beschlossen" if b else PROPOSAL for b in specific["bestaetigt"]],
                    "Festgelegt": [decided_by(row) for _, row in specific.iterrows()],
                }
            ),
            "zielwerte_gebiete_tabelle",
            "zielwerte_gebiete",
            wrapped=True,
        )


start_page()
st.title("Zielwerte")
widgets.show_flash()
cat = catalogue()
with user_errors():
    history = data.target_history()
regions = {"": "alle Gebiete", **widgets.region_options()}

if not auth.can("zielwerte"):
    show_targets()
    st.caption("Zielwerte legt die Administration nach dem Beschluss des Lenkungskreises fest.")
    st.stop()

st.subheader("Zielwert festlegen", anchor=False)
directional = [k.code for k in cat.kennzahlen if k.direction != "neutral"]
user = auth.user_name()
# compact (two fields a row), so that the answer below the button is on screen at 1280×720
which, where_column = st.columns(2)
code = which.selectbox("Kennzahl", directional, format_func=lambda c: f"{c} · {cat.get(c).name}", key="ziel_kennzahl")
kennzahl = cat.get(code)
region = where_column.selectbox("Gebiet", list(regions), format_func=regions.__getitem__, key="ziel_gebiet")
unit = kennzahl.unit
plausible = PLAUSIBLE["share"] if unit == "%" and kennzahl.kind == "share" else PLAUSIBLE.get(unit, "nicht negativ")

# The start and the value are a form without "Enter to submit" (Streamlit would add its English
# "Press Enter to apply"); the indicator and the region are chosen outside, so that the field's
# unit and the target in force follow the choice at once: the field shows the target in force for
# the chosen indicator and region from the beginning, in German format.
if st.session_state.get("_ziel_fuer") != (code, region):
    st.session_state["_ziel_fuer"] = (code, region)
    if not st.session_state.get("ziel_speichern"):  # not when submitted together with the choice
        old, _ = decided_target(history, cat, code, region or None)
        st.session_state["ziel_wert"] = "" if old is None else fmt.number_input_text(old, unit)

with st.form("zielwert_form", enter_to_submit=False, border=False):
    value_column, start_column = st.columns(2)
    with start_column:
        start_text = inputs.day_field(
            "Gültig ab (leer: von Anfang an)",
            "ziel_ab",
            help="Das Datum, ab dem der Zielwert gilt, als Tag.Monat.Jahr.",
            in_form=True,
        )
    with value_column:
        value_text = inputs.number_field(
            f"Zielwert ({unit})",
            "ziel_wert",
            unit=unit,
            help=f"Mit Komma, z. B. 85,5; Tausender mit Punkt, z. B. 1.234,5. Möglich: {plausible}.",
            in_form=True,
        )
    confirmed = st.checkbox("vom Lenkungskreis beschlossen", value=True, key="ziel_beschlossen")
    submitted = st.form_submit_button(
        "Zielwert speichern",
        type="primary",
        key="ziel_speichern",
        on_click=inputs.show_as_understood,
        args=({"ziel_wert": unit}, ("ziel_ab",)),
    )
if submitted:
    st.session_state.pop("ziel_offen", None)
    with input_errors():
        start = fmt.parse_day(start_text)
        value = fmt.parse_number(value_text, unit)
        check_target(kennzahl, value)
        st.session_state["ziel_offen"] = (code, region, start, value, confirmed)

pending = st.session_state.get("ziel_offen")
if pending is not None:
    try:
        unchanged = pending == (code, region, fmt.parse_day(start_text), fmt.parse_number(value_text, unit), confirmed)
    except UsageError:
        unchanged = False
    if not unchanged:  # the form was changed after the check: check again
        st.session_state.pop("ziel_offen", None)
        pending = None
if pending is not None:
    _, _, start, value, confirmed = pending
    where = f" in {regions[region]}" if region else ""
    since = f" ab {fmt.day(start)}" if start else ""
    old, old_confirmed = decided_target(history, cat, code, region or None, start)
    if old is None and (region or start):
        old, old_confirmed = decided_target(history, cat, code)  # the target that applied so far
    new = target_shown(kennzahl, value)
    state = "als Beschluss" if confirmed else "als Vorschlag"
    if old is None:
        question = f"Zielwert für {code}{where}{since} auf {new} festlegen ({state})?"
    elif abs(old - value) < 1e-9:
        question = f"Zielwert für {code}{where}{since} unverändert {new} {state} speichern?"
    else:
        question = f"Zielwert für {code}{where}{since} von {target_shown(kennzahl, old)} auf {new} ändern?"
    st.warning(question, icon=":material/help:")
    yes = no = st.container(horizontal=True)
    if yes.button("Ja, speichern", type="primary", key="ziel_bestaetigen"):
        st.session_state.pop("ziel_offen", None)
        with user_errors():
            steering.set_target(
                code,
                value,
                Actor.on_page(user),
                kommune=region or None,
                gueltig_ab=start,
                confirmed=confirmed,
                database=db_path(),
            )
        widgets.flash(f"Zielwert für {code}{where}{since} gespeichert: {new}.")
    if no.button("Abbrechen", key="ziel_abbrechen"):
        st.session_state.pop("ziel_offen", None)
        st.rerun()

st.subheader("Geltende Zielwerte", anchor=False)
show_targets()
if st.button("Alle Vorschläge des Katalogs unverändert beschließen", key="ziel_vorschlaege"):
    with user_errors():
        count = steering.confirm_default_targets(Actor.on_page(user), database=db_path())
    widgets.flash(f"{count} Zielwerte als beschlossen gespeichert.")

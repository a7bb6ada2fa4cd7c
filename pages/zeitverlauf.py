"""Zeitverlauf: one indicator over time for the Kreis, Teilregionen or Kommunen, with its target."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.catalogue import catalogue
from ui import charts, data, downloads, widgets
from ui.feedback import user_errors
from ui.page import start_page

PERIODS = {"month": "Monate", "quarter": "Quartale", "year": "Jahre"}
PERIOD_NAMES = {"month": "Monat", "quarter": "Quartal", "year": "Jahr"}

start_page()
st.title("Zeitverlauf", anchor=False)
cat = catalogue()
left, middle, right = st.columns([2, 2, 1])
with left:
    code = widgets.choose_kennzahl()
with middle:
    options = widgets.region_options()
    regions = widgets.url_multiselect(
        "Gebiete",
        list(options),
        "gebiete",
        default=[next(iter(options))],
        format_func=options.__getitem__,
        help="Kreis, Teilregionen und Kommunen, die das Diagramm nebeneinander zeigt.",
    )
with right:
    period = widgets.url_select(
        "Zeitraum",
        list(PERIODS),
        "zeitraum",
        format_func=PERIODS.__getitem__,
        widget=st.radio,
        help="Monats-, Quartals- oder Jahreswerte.",
    )

meeting_values = widgets.since_meeting_values("zeitverlauf_seit_sitzung", period)
with user_errors():
    values = data.values(period)
    stand = data.datenstand()
kennzahl = cat.get(code)
rows = values[(values["kennzahl"] == code) & values["kommune"].isin(regions)].copy()
rows["region_name"] = rows["kommune"].map(options)
targets = rows["zielwert"].dropna()
target = float(targets.iloc[-1]) if not targets.empty else None
note = f"{kennzahl.unit} · {widgets.datenstand_short(stand)} · Quelle: KIM-Lieferungen"
if rows.empty:
    st.info("Bitte mindestens ein Gebiet wählen.")
    st.stop()
meeting = None
if meeting_values is not None and meeting_values["sitzung_datum"].notna().any():
    meeting = (meeting_values["sitzung_datum"].dropna().iloc[0], widgets.meeting_name(meeting_values))
charts.show(
    charts.course(rows, f"{code} · {kennzahl.name}", kennzahl.unit, note, target, meeting),
    "verlauf",
    f"Liniendiagramm {code} · {kennzahl.name} je {PERIOD_NAMES[period]} für "
    f"{', '.join(options[r] for r in regions)}; die Werte stehen in der Tabelle darunter.",
    code,
)

names = {r: options[r] for r in regions}
shown = widgets.course_table(rows, kennzahl.unit, meeting_values, code, names)
legend = "Werte als Tabelle („•“: Geheimhaltung, „–“: kein Wert"
legend += ", „✎“: nach der Sitzung korrigiert)" if meeting_values is not None else ")"
st.caption(legend)
downloads.table(pd.DataFrame(shown), "verlauf_tabelle", f"zeitverlauf_{code}_{period}")

if meeting_values is not None:
    st.subheader(f"Veränderung seit der {widgets.meeting_name(meeting_values)}", anchor=False)
    if period == "year":
        st.info(
            "Eine Sitzung hält Monats- und Quartalswerte fest, keine Jahreswerte. Bitte Monate oder Quartale wählen."
        )
    else:
        st.caption("Der neueste Wert jedes Gebiets gegenüber dem, was die Sitzung gezeigt hat (veröffentlichte Werte).")
        downloads.table(
            widgets.since_meeting_course(meeting_values, code, names),
            "verlauf_seit_sitzung_tabelle",
            f"zeitverlauf_{code}_{period}_seit_sitzung",
            hide_index=True,
        )

"""Kennzahlen: the catalogue with definition, formula, sources, target and confidentiality rule."""

from __future__ import annotations

import streamlit as st

from core.catalogue import catalogue
from metrics.describe import catalogue_table
from ui import downloads, widgets
from ui.page import start_page

start_page()
st.title("Kennzahlen", anchor=False)
cat = catalogue()
st.write(
    f"Der Kennzahlenkatalog des Lenkungskreises KIM (Version {cat.version}). Kreis- und Teilregionswerte "
    "sind Summen der Zähler geteilt durch Summen der Nenner, nie Mittelwerte der Quoten der Kommunen; "
    "Mediane werden aus den Einzeldaten neu berechnet. Die Kontext-Kennzahlen "
    f"{', '.join(k.code for k in cat.kontext)} sind veröffentlichte Zahlen der amtlichen Statistik, "
    "gezeigt wie veröffentlicht."
)
table = catalogue_table(cat)
choice = widgets.choose_kennzahl(with_kontext=True)
row = table.set_index("Code").loc[choice]
st.subheader(f"{choice} · {row['Kennzahl']}", anchor=False)
st.markdown(
    "\n".join(
        f"- **{label}:** {row[label]}"
        for label in (
            "Definition",
            "Formel",
            "Einheit",
            "Art",
            "Richtung",
            "Leitsatz",
            "Handlungsfeld",
            "Quellen",
            "Zielwert",
            "Geheimhaltung",
        )
    )
)
# made only when opened: the grid of every Kennzahl cost a new session about a second in the browser
all_box, all_open = widgets.closed_until_opened("Alle Kennzahlen als Tabelle", "kennzahlen_alle")
if all_open:
    with all_box:
        downloads.table(table, "kennzahlen_tabelle", "kennzahlenkatalog", hide_index=True)
st.caption(
    f"Geheimhaltung: Zahlen von 1 bis {cat.geheimhaltung.schwelle - 1} Personen oder Fällen und jede Zahl, aus "
    "der sich eine solche errechnen ließe, werden nicht gezeigt („•“); Nullen werden gezeigt. Geschützt "
    "wird über alle Zusammenhänge zugleich: Kommunen, Teilregionen und Kreis, Monate, Quartale und Jahre, "
    "die Merkmale einer Aufschlüsselung und ihre Summe, dieselbe Zahl in mehreren Kennzahlen und die Werte "
    "einer festgehaltenen Sitzung. Dabei wird eher ein Quartals- oder Jahreswert ausgeblendet als ein "
    "weiterer Monatswert."
)

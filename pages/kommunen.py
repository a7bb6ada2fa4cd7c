"""Kommunen: one indicator across the ten Kommunen (ranking and map), and a Kommune's profile."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from core import format as fmt
from core.catalogue import catalogue
from core.reference import kommunen, kreis
from core.settings import geojson_path
from metrics.cockpit import profile
from metrics.texts import ampel_text
from ui import charts, downloads, kontext, widgets
from ui.page import start_page

start_page()
st.title("Kommunen", anchor=False)
cat = catalogue()
values, stand, months = widgets.monthly_values()

left, right = st.columns(2)
with left:
    code = widgets.choose_kennzahl()
with right:
    month = widgets.choose_month(months)
meeting_values = widgets.since_meeting_values("kommunen_seit_sitzung")
kennzahl = cat.get(code)
rows = values[(values["kennzahl"] == code) & (values["periode_start"] == month)].set_index("kommune")
places = pd.DataFrame([k.model_dump() for k in kommunen()])
places["wert"] = places["ags"].map(rows["wert"]).astype(float)
places["unterdrueckt"] = places["ags"].map(rows["unterdrueckt"]).fillna(False).astype(bool)
places["label"] = [
    widgets.shown(v, hidden, kennzahl.unit) for v, hidden in zip(places["wert"], places["unterdrueckt"], strict=True)
]
district = rows["wert"].get(kreis().ags)
target = rows["zielwert"].get(kreis().ags)
note = f"{fmt.month(month)} · {kennzahl.unit} · {widgets.datenstand_short(stand)} · Quelle: KIM-Lieferungen"
title = f"{code} · {kennzahl.name}"

in_table = "die Werte stehen in der Tabelle unter der Karte"
# A count's Kreis value is the sum of the Kommunen, no yardstick for one of them: no Kreis line then.
kreis_line = None if kennzahl.kind == "count" or pd.isna(district) else float(district)
charts.show(
    charts.ranking(
        places,
        title,
        kennzahl.unit,
        note,
        kreis_line,
        None if target is None or pd.isna(target) else float(target),
    ),
    "rangfolge",
    f"Balkendiagramm {title}, {fmt.month(month)}: die zehn Kommunen der Größe nach"
    f"{', mit dem Wert des Kreises und dem Zielwert als Linien' if kreis_line is not None else ''}; {in_table}.",
)
geojson_file = geojson_path()
if geojson_file is not None:
    geojson = json.loads(geojson_file.read_text(encoding="utf-8"))
    figure = charts.choropleth(places, geojson, title, note)
else:
    figure = charts.tile_map(places, title, note)
charts.show(figure, "karte", f"Karte der zehn Kommunen, {title}, {fmt.month(month)}; {in_table}.", code)
st.caption("Werte als Tabelle („•“: Geheimhaltung, „–“: kein Wert)")
downloads.table(
    widgets.add_since_meeting(
        pd.DataFrame({"Kommune": places["name"], "Wert": places["label"]}),
        places["ags"],
        meeting_values,
        "kommune",
        kennzahl=code,
        periode_start=month,
    ),
    "kommunen_tabelle",
    f"kommunen_{code}_{month:%Y-%m}",
    hide_index=True,
)

kontext.for_kommunen(month)

st.subheader("Profil einer Kommune", anchor=False)
names = {k.ags: k.name for k in kommunen()}
chosen = widgets.url_select(
    "Kommune",
    list(names),
    "kommune",
    format_func=names.__getitem__,
    help="Die Kommune, deren Kennzahlen neben denen des Kreises stehen.",
)
table = profile(values, chosen, kreis().ags, month)
downloads.table(
    pd.DataFrame(
        {
            "Kennzahl": table["kennzahl"] + " · " + table["name"],
            names[chosen]: [
                widgets.shown(v, hidden, unit)
                for v, hidden, unit in zip(table["wert"], table["unterdrueckt"], table["unit"], strict=True)
            ],
            "Kreis Unna": [
                widgets.shown(v, hidden, unit)
                for v, hidden, unit in zip(table["kreis"], table["kreis_unterdrueckt"], table["unit"], strict=True)
            ],
            "Ampel": [ampel_text(a) for a in table["ampel"]],
        }
    ),
    "profil_tabelle",
    f"profil_{chosen}_{month:%Y-%m}",
    hide_index=True,
)

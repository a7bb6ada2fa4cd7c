"""Datenstand: which deliveries arrived, which are late or missing, per source, Kommune and month."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from loaders.deliveries import STATUS_LABELS, due_date, latest_complete_month, missing_for, reporting_month
from loaders.settings import today
from loaders.sources import sources
from ui import data, downloads, widgets
from ui import format as fmt
from ui.feedback import user_errors
from ui.page import start_page

SYMBOLS = {"geliefert": "✓", "verspaetet": "✓ verspätet", "fehlt": "✗ fehlt", "offen": "○ offen"}

start_page()
st.title("Datenstand")
with user_errors():
    status = data.delivery_status_now()
if status.empty:
    st.info("Es liegen noch keine Lieferungen vor.")
    st.stop()

current = reporting_month(today())
missing = missing_for(status, current)
st.subheader(f"Berichtsmonat {fmt.month(current)} – fällig bis {due_date(current):%d.%m.%Y}")
if missing.empty:
    st.success("Alle Lieferungen für diesen Monat liegen vor.", icon=":material/check_circle:")
else:
    lines = [f"- **{row.quelle_label}:** {', '.join(row.kommunen)}" for row in missing.itertuples()]
    st.warning("Es fehlen noch:\n" + "\n".join(lines), icon=":material/pending_actions:")

st.subheader("Letzter vollständiger Monat je Quelle")
complete = latest_complete_month(status)
st.dataframe(
    pd.DataFrame(
        {
            "Quelle": complete["quelle_label"],
            "Letzter vollständiger Monat": complete["letzter_vollstaendiger_monat"].map(
                lambda m: fmt.month(m) if isinstance(m, type(current)) else "noch keiner"
            ),
        }
    ),
    hide_index=True,
    key="datenstand_vollstaendig",
)

st.subheader("Lieferungen je Kommune und Monat")
labels = {name: source.label for name, source in sources().items()}
quelle = widgets.url_select("Quelle", list(labels), "quelle", format_func=labels.__getitem__)
months = sorted(status["monat"].unique(), reverse=True)
shown = st.slider("Monate", 3, max(3, len(months)), min(12, max(3, len(months))), key="datenstand_monate")
rows = status[(status["quelle"] == quelle) & status["monat"].isin(months[:shown])]
matrix = rows.pivot(index="kommune_name", columns="monat", values="status").map(SYMBOLS.__getitem__)
matrix = matrix.reindex(columns=sorted(matrix.columns))
matrix.columns = [fmt.month_short(m) for m in matrix.columns]
matrix.index.name = "Kommune"
downloads.table(matrix, "datenstand_matrix", f"lieferungen_{quelle}")
st.caption(
    "✓ geliefert · ✓ verspätet: nach dem Stichtag geliefert · ✗ fehlt: Frist abgelaufen · ○ offen: noch nicht fällig"
)

st.subheader("Einzelheiten eines Monats")
month = st.selectbox("Monat", months[:shown], format_func=fmt.month, key="datenstand_monat")
detail = rows[rows["monat"] == month]
st.dataframe(
    pd.DataFrame(
        {
            "Kommune": detail["kommune_name"],
            "Status": detail["status"].map(STATUS_LABELS),
            "Datei": detail["datei"].fillna("–"),
            "Hochgeladen von": detail["benutzer"].fillna("–"),
            "Hochgeladen am": pd.to_datetime(detail["zeit"], utc=True)
            .dt.tz_convert("Europe/Berlin")
            .dt.strftime("%d.%m.%Y %H:%M")
            .fillna("–"),
            "Zeilen": detail["zeilen"].astype("Int64"),
        }
    ),
    hide_index=True,
    key="datenstand_details",
)

"""Datenstand: what is overdue first, then what falls due next, then every delivery per source,
Kommune and month."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from core import format as fmt
from core.reference import kommunen
from core.settings import today
from core.sources import sources
from metrics.deliveries import (
    deadline_day,
    due_date,
    due_next,
    latest_complete_month,
    next_due_month,
    overdue,
)
from ui import data, downloads, widgets
from ui.feedback import user_errors
from ui.page import start_page


def months_text(months: list[dt.date]) -> str:
    """[09/2026, 10/2026] → '09/2026, 10/2026'; a long run as 'von … bis … (n Monate)'."""
    if len(months) <= 3:
        return ", ".join(fmt.month_short(m) for m in months)
    return f"{fmt.month_short(months[0])} bis {fmt.month_short(months[-1])} ({len(months)} Monate)"


def status_text(status: str, frist: object) -> str:
    """A delivery's status in words; a month not yet due says when it is due."""
    if status == "offen":
        return f"fällig am {fmt.day(frist)}"
    return {"geliefert": "geliefert", "verspaetet": "verspätet geliefert", "fehlt": "überfällig"}[status]


SYMBOLS = {"geliefert": "✓", "verspaetet": "✓ verspätet", "fehlt": "✗ überfällig"}

start_page()
st.title("Datenstand")
with user_errors():
    status = data.delivery_status_now()
if status.empty:
    st.info("Es liegen noch keine Lieferungen vor.")
    st.stop()

now = today()
st.caption(
    f"Stand {fmt.day(now)}. Eine Monatslieferung ist am {deadline_day()}. des Folgemonats fällig; "
    "Bevölkerungszahlen gelten ab ihrem Stichtag, bis ein neuerer Stand kommt."
)

st.subheader("Überfällig")
late = overdue(status)
if late.empty:
    st.success("Keine Lieferung ist überfällig.", icon=":material/check_circle:")
else:
    count = int(sum(len(m) for m in late["monate"]))
    st.error(
        f"{count} {'Lieferung ist' if count == 1 else 'Lieferungen sind'} überfällig: die Frist ist "
        "abgelaufen, und es liegt nichts vor.",
        icon=":material/assignment_late:",
    )
    downloads.plain_table(
        pd.DataFrame(
            {
                "Quelle": late["quelle_label"],
                "Kommune": late["kommune_name"],
                "Fehlende Monate": [
                    "noch kein Stand (Stichtag) geliefert" if reference else months_text(months)
                    for months, reference in zip(late["monate"], late["stichtag"], strict=True)
                ],
                "Fällig seit": late["faellig_seit"].map(fmt.day),
                "Tage überfällig": late["faellig_seit"].map(lambda d: fmt.number((now - d).days)),
            }
        )
    )

coming = next_due_month(now)
st.subheader(f"Als Nächstes fällig: {fmt.month(coming)} – fällig am {fmt.day(due_date(coming))}")
upcoming = due_next(status, coming)
still = upcoming[upcoming["offen"].map(len) > 0]
every = len(kommunen())
total = len(upcoming) * every
delivered = int(upcoming["geliefert"].sum())
if still.empty:
    st.success(f"Alle Lieferungen für {fmt.month(coming)} liegen vor.", icon=":material/check_circle:")
elif delivered == 0:
    st.info(
        f"Für {fmt.month(coming)} liegt noch keine Lieferung vor; das ist bis zum {fmt.day(due_date(coming))} "
        "noch nicht überfällig.",
        icon=":material/event:",
    )
else:
    lines = [
        f"- **{row.quelle_label}:** {row.geliefert} von {every} geliefert; noch nicht da: {', '.join(row.offen)}"
        if row.geliefert
        else f"- **{row.quelle_label}:** noch keine Lieferung"
        for row in still.itertuples()
    ]
    st.info(
        f"{delivered} von {total} Lieferungen liegen vor; die übrigen sind noch nicht fällig.\n" + "\n".join(lines),
        icon=":material/event:",
    )

st.subheader("Letzter vollständiger Stand je Quelle")
complete = latest_complete_month(status)
downloads.plain_table(
    pd.DataFrame(
        {
            "Quelle": complete["quelle_label"],
            "Letzter vollständiger Stand": [
                "noch keiner"
                if pd.isna(month)
                else f"Stichtag {fmt.month_short(month)}"
                if reference
                else fmt.month(month)
                for month, reference in zip(complete["letzter_vollstaendiger_monat"], complete["stichtag"], strict=True)
            ],
        }
    )
)

st.subheader("Lieferungen je Kommune und Monat")
labels = {name: source.label for name, source in sources().items()}
quelle = widgets.url_select("Quelle", list(labels), "quelle", format_func=labels.__getitem__)
months = sorted(status["monat"].unique(), reverse=True)
shown = st.slider("Monate", 3, max(3, len(months)), min(12, max(3, len(months))), key="datenstand_monate")
rows = status[(status["quelle"] == quelle) & status["monat"].isin(months[:shown])].copy()
rows["zeichen"] = [
    f"○ fällig am {fmt.day_short(frist)}" if state == "offen" else SYMBOLS[state]
    for state, frist in zip(rows["status"], rows["frist"], strict=True)
]
matrix = rows.pivot(index="kommune_name", columns="monat", values="zeichen")
matrix = matrix.reindex(columns=sorted(matrix.columns))
matrix.columns = [fmt.month_short(m) for m in matrix.columns]
matrix.index.name = "Kommune"
downloads.table(matrix.reset_index(), "datenstand_matrix", f"lieferungen_{quelle}", wrapped=True)
st.caption(
    "✓ geliefert · ✓ verspätet: nach der Frist geliefert · ✗ überfällig: Frist abgelaufen, nichts geliefert · "
    "○ fällig am …: Frist noch nicht erreicht"
)

st.subheader("Einzelheiten eines Monats")
month = st.selectbox("Monat", months[:shown], format_func=fmt.month, key="datenstand_monat")
detail = rows[rows["monat"] == month]
downloads.plain_table(
    pd.DataFrame(
        {
            "Kommune": detail["kommune_name"],
            "Status": [status_text(s, f) for s, f in zip(detail["status"], detail["frist"], strict=True)],
            "Datei": detail["datei"].fillna("–"),
            "Hochgeladen von": detail["benutzer"].fillna("–"),
            "Hochgeladen am": pd.to_datetime(detail["zeit"], utc=True)
            .dt.tz_convert("Europe/Berlin")
            .map(lambda zeit: "–" if pd.isna(zeit) else fmt.day_time(zeit)),
            "Zeilen": detail["zeilen"].map(lambda n: "–" if pd.isna(n) else fmt.number(float(n))),
        }
    )
)

"""Sitzungsmodus: one Leitsatz per screen for the projector — buttons and the arrow keys ← → at the
top, then one line per indicator in large type (value, Ampel, target, change since the last meeting
or else to the previous month, a mark for an Anmerkung); always the published (suppressed)
figures. 'Sitzung festhalten' freezes them with the date and catalogue version."""

from __future__ import annotations

import streamlit as st

from actions import steering
from actions.actor import Actor
from core import format as fmt
from core.catalogue import catalogue
from core.errors import UsageError
from core.reference import kreis, leitsaetze, region_members
from core.settings import db_path, today
from metrics.cockpit import cockpit, status_counts
from metrics.texts import SUPPRESSED_MARK, completeness_text, target_text
from ui import auth, comments, data, inputs, projector, selection, widgets
from ui.feedback import input_errors, user_errors
from ui.page import start_page

start_page()
projector.large_type()
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

table = cockpit(values, kreis().ags, month)
meeting = widgets.meeting_name(values) if values["sitzung_datum"].notna().any() else None
basis = f"Veränderung seit der {meeting}" if meeting else "Veränderung zum Vormonat"
with st.container(key="sitzung_kopf", gap="small"):
    previous, title, following = st.columns([1.3, 3.4, 1.3], vertical_alignment="center")
    if previous.button("← Voriger Leitsatz", key=projector.PREVIOUS_KEY, width="stretch"):
        st.session_state["sitzung_leitsatz"] = position - 1
        st.rerun()
    title.title(f"{leitsatz.code} · {leitsatz.text}", anchor=False)
    if following.button("Nächster Leitsatz →", key=projector.NEXT_KEY, width="stretch"):
        st.session_state["sitzung_leitsatz"] = position + 1
        st.rerun()
    widgets.show_flash()
    badges = widgets.status_badges(status_counts(table, leitsatz.code).items())
    where = f"Kreis Unna · {fmt.month(month)} · veröffentlichte Werte · {basis}"
    st.markdown(badges)
    st.caption(fmt.plain(f"{where} · Leitsatz {position + 1} von {len(leitsatz_list)}, blättern mit ← →"))

since = widgets.since_meeting_where(values, "kennzahl", kommune=kreis().ags, periode_start=month) if meeting else {}
notes = comments.texts_by_kennzahl(data.comments(), kreis().ags, month.strftime("%Y-%m"))
lines = ["| Kennzahl | Wert | Bewertung | Ziel | Veränderung |", "|:--|--:|:--|:--|:--|"]
noted = []
proposed = False
for row in table[table["leitsatz"] == leitsatz.code].itertuples():
    hidden = bool(row.unterdrueckt)
    value = SUPPRESSED_MARK if hidden else fmt.value(row.wert, row.unit)
    then = since.get(row.kennzahl)
    if row.status == "unvollstaendig" or hidden:
        change = "–"
    elif then is not None and then.change not in ("–",):
        change = widgets.board_change(then.change, row.direction, "")
    else:
        suffix = " (Vormonat)" if meeting else ""
        change = widgets.board_change(fmt.change(row.wert, row.vormonat, row.unit), row.direction, suffix)
    if then is not None and then.corrected:
        change += " ✎"
    judged = widgets.status_badge(row.status)
    if row.status == "unvollstaendig" and not row.vollstaendig and row.fehlend:
        judged += f" {completeness_text(row.kommunen_mit_wert, len(region_members()[kreis().ags]))}"
    target = target_text(row.direction, row.zielwert, row.unit, confirmed=row.zielwert_bestaetigt, mark="*")
    proposed = proposed or bool(target and not row.zielwert_bestaetigt)
    note = notes.get(row.kennzahl)
    if note:
        noted.append((row.kennzahl, note))
    cells = [
        f"{row.kennzahl} · {fmt.plain(row.name)}" + (" 💬" if note else ""),
        fmt.plain(value),
        judged,
        fmt.plain(target) if target else "–",
        change,
    ]
    lines.append("| " + " | ".join(cells) + " |")  # every cell is escaped text or our own badge
if proposed:  # the header says what the star means
    lines[0] = lines[0].replace("| Ziel |", "| Ziel (\\*: Vorschlag) |")
with st.container(key=projector.BOARD_KEY):
    st.markdown("\n".join(lines))
if noted:
    with st.expander(f"💬 Anmerkungen ({len(noted)})"):
        for code, note in noted:
            st.markdown(f"**{code}:** {fmt.plain(note)}")

if auth.can("sitzung"):
    with st.sidebar.expander("Sitzung festhalten"):
        st.write(
            "Hält alle veröffentlichten Werte (Monate und Quartale) mit dem Sitzungsdatum und der "
            f"Katalogversion {cat.version} fest. Danach zeigen die Ansichten die Veränderung seit dieser "
            "Sitzung und markieren später korrigierte Werte."
        )
        st.session_state.setdefault("sitzung_datum", fmt.day(today()))
        inputs.day_field(
            "Datum der Sitzung",
            key="sitzung_datum",
            help="Das Datum, mit dem die Ansichten die Sitzung nennen, als TT.MM.JJJJ, z. B. 03.12.2026.",
        )
        if st.button(
            "Sitzung festhalten",
            key="sitzung_festhalten",
            type="primary",
            help="Speichert die heute veröffentlichten Werte als Stand dieser Sitzung.",
        ):
            with input_errors():
                day = fmt.parse_day(st.session_state.get("sitzung_datum"))
                if day is None:
                    raise UsageError("Bitte das Datum der Sitzung angeben, z. B. 03.12.2026.")
                user = auth.user_name()
                with user_errors():
                    number = steering.freeze_meeting(day, Actor.on_page(user), database=db_path())
                widgets.flash(f"Sitzung {number} vom {day:%d.%m.%Y} festgehalten.")

projector.arrow_keys()

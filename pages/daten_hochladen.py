"""Daten hochladen: check several delivered files at once, then store the accepted ones."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from actions import uploads as upload_actions
from actions.actor import Actor
from core import format as fmt
from core.format import plain
from core.reference import kommune_name
from core.settings import db_path
from core.sources import sources
from loaders import templates
from loaders.statistik_store import STATISTIK_LABEL
from store import history
from store.history import STATISTIK, describe_table
from ui import auth, data, downloads, uploads, widgets
from ui.feedback import user_errors
from ui.page import start_page


def issues(table: pd.DataFrame) -> None:
    """Errors or warnings as a plain table: every message is read whole, its lines wrap, and a
    message that quotes a cell, sheet or column of the file shows it as typed."""
    downloads.plain_table(table)


def given_form(key: str, file: UploadedFile, item: uploads.Prepared) -> None:
    """Kommune and month for a file without those columns: proposed from the file name, chosen or
    confirmed by the analyst, then the file is checked again with them (as with --kommune/--month)."""
    kommune_proposed, month_proposed = uploads.propose_from_name(item.name)
    kommune_now = item.kommune or kommune_proposed
    month_now = item.monat or month_proposed
    ags = uploads.kommune_choices()
    months = uploads.month_choices()
    short = key_id(key)
    what = uploads.needs_text(item.needs)
    if item.waiting:
        st.info(
            f"Die Datei hat keine Spalte für {what}. Bitte hier angeben und mit „Angaben prüfen“ bestätigen; "
            "die Datei wird dann mit diesen Angaben erneut geprüft.",
            icon=":material/edit_note:",
        )
    else:
        chosen = [kommune_name(item.kommune)] if item.kommune else []
        chosen += [fmt.month(item.monat)] if item.monat else []
        st.caption(f"Geprüft mit den hier angegebenen Werten: {', '.join(chosen)}.")
    proposed = [kommune_name(kommune_proposed)] if kommune_proposed and "kommune" in item.needs else []
    proposed += [fmt.month(month_proposed)] if month_proposed and "monat" in item.needs else []
    with st.form(f"angaben_{short}", border=True):
        left, right = st.columns(2)
        kommune = month = None
        if "kommune" in item.needs:
            kommune = left.selectbox(
                "Kommune",
                ags,
                index=ags.index(kommune_now) if kommune_now in ags else None,
                format_func=uploads.kommune_name,
                placeholder="Kommune wählen",
                key=f"angabe_kommune_{short}",
            )
        if "monat" in item.needs:
            month = right.selectbox(
                "Berichtsmonat",
                months,
                index=months.index(month_now) if month_now in months else None,
                format_func=fmt.month,
                placeholder="Monat wählen",
                key=f"angabe_monat_{short}",
            )
        if proposed and item.waiting:
            st.caption(f"Vorschlag aus dem Dateinamen: {', '.join(proposed)} – bitte prüfen.")
        if st.form_submit_button("Angaben prüfen", type="primary" if item.waiting else "secondary"):
            if ("kommune" in item.needs and kommune is None) or ("monat" in item.needs and month is None):
                st.error(f"Bitte {what} wählen.", icon=":material/error:")
                return
            with user_errors(), st.spinner(plain(uploads.checking_label(item.name))):
                checked = uploads.prepare(file.name, file.getvalue(), kommune, month, item.needs)
            st.session_state["upload_geprueft"][key].discard()
            st.session_state["upload_geprueft"][key] = checked  # in place: the files keep their order
            st.rerun()


def _files(count: int) -> str:
    return "Datei" if count == 1 else "Dateien"


def key_id(key: str) -> str:
    """A short widget key for one uploaded file (name and content)."""
    return hashlib.sha256(key.encode()).hexdigest()[:12]


start_page()
st.title("Daten hochladen")
widgets.show_flash()
st.write(
    "Lieferungen als Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods) oder CSV hier ablegen, höchstens "
    f"{uploads.limit_text()} je Datei. Jede Datei wird zuerst geprüft; gespeichert wird erst nach der Bestätigung. "
    "Abgelehnte Dateien werden nicht aufbewahrt. Tabellen der amtlichen Statistik (Landesdatenbank NRW, "
    "Regionaldatenbank, GENESIS-Online) werden so genommen, wie sie heruntergeladen wurden (CSV, XLSX, XLS); "
    "gespeichert werden ihre Werte für den Kreis Unna und seine Kommunen."
)

templates_box, templates_open = widgets.closed_until_opened("Vorlagen für die Lieferungen", "vorlagen_offen")
# the eight files are made and sent when opened: a closed expander's download buttons were fetched
# by every browser that opened the page
if templates_open:
    with templates_box:
        st.write(
            "Für jede Datenquelle eine Excel-Vorlage mit Auswahllisten, Zahlen- und Datumsformaten und einem "
            "Blatt „Hinweise“, das jede Spalte erklärt."
        )
        for column, (name, source) in zip(st.columns(4) * 2, sources().items(), strict=False):
            column.download_button(
                source.label,
                data.template(name),
                templates.template_filename(name),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                key=f"vorlage_{name}",
                icon=":material/download:",
            )

demo = auth.is_demo()  # shown without login: nothing real may be stored in it
if demo:
    st.info(uploads.DEMO_NOTE, icon=":material/science:")

round_ = st.session_state.setdefault("upload_runde", 0)
files = st.file_uploader(
    "Dateien auswählen oder hierher ziehen",
    type=None,  # the check names a wrong type in German; Streamlit's own refusal would be English
    accept_multiple_files=True,
    key=f"upload_dateien_{round_}",
    help=(
        "Mehrere Dateien auf einmal möglich: Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods) oder CSV, "
        f"höchstens {uploads.limit_text()} je Datei. Fehlt einer Datei die Spalte Kommune oder Monat, "
        "werden beide nach der Prüfung hier auf der Seite angegeben."
    ),
    # above the app's limit, so that the check refuses a larger file in German (see transfer_limit_mb)
    max_upload_size=uploads.transfer_limit_mb(st.get_option("server.maxUploadSize")),
)
user = auth.user_name()  # recorded with every upload and undo

prepared: dict[str, uploads.Prepared] = st.session_state.setdefault("upload_geprueft", {})
current = {uploads.upload_key(f.name, f.getvalue()): f for f in files or []}
for key in list(prepared):
    if key not in current:  # removed from the upload field: forget it and its temporary copy
        prepared.pop(key).discard()
stored: set[str] = st.session_state.setdefault("upload_gespeichert", set())  # saved, still in the field
new = [(key, file) for key, file in current.items() if key not in prepared and key not in stored]
if new:
    with user_errors(), st.status(f"{len(new)} {_files(len(new))} werden geprüft …", expanded=True) as progress:
        bar = st.progress(0.0, text=f"0 von {len(new)} geprüft")
        for number, (key, file) in enumerate(new, 1):
            st.write(plain(uploads.checking_label(uploads.clean_name(file.name))))
            prepared[key] = uploads.prepare(file.name, file.getvalue())
            bar.progress(number / len(new), text=f"{number} von {len(new)} geprüft")
        progress.update(label=f"{len(new)} {_files(len(new))} geprüft", state="complete", expanded=False)

if "upload_ergebnis" in st.session_state:
    st.success("Speichern abgeschlossen.", icon=":material/check_circle:")
    st.dataframe(pd.DataFrame(st.session_state.pop("upload_ergebnis")), hide_index=True, key="upload_ergebnis_tabelle")

if prepared:
    st.subheader("Prüfergebnis")
    st.dataframe(
        pd.DataFrame([uploads.summary(p) for p in prepared.values()]), hide_index=True, key="upload_uebersicht"
    )
    for key, item in prepared.items():
        label = "✓" if item.accepted else "✎" if item.waiting and not item.errors else "✗"
        with st.expander(f"{label} {plain(item.name)}", expanded=not item.accepted or bool(item.needs)):
            if item.statistik is not None:
                st.caption(plain(uploads.statistik_caption(item.statistik)))
            if (item.needs and not item.errors) or item.kommune or item.monat:
                given_form(key, current[key], item)
            if len(item.checked.parts) > 1:
                st.caption(
                    "Die Arbeitsmappe liefert auf mehreren Blättern; sie werden zusammen gespeichert oder gar nicht."
                )
                st.dataframe(uploads.sheet_table(item), hide_index=True)
            if item.errors:
                count = len(item.errors)
                st.error(f"{count} Fehler – die Datei wird nicht gespeichert.", icon=":material/error:")
                table = uploads.issue_table(item.errors)
                if len(table) < count:
                    lines = "eine Zeile" if len(table) == 1 else f"{len(table)} Zeilen"
                    st.caption(f"Gleiche Probleme sind zusammengefasst: {count} Fehler in {lines}.")
                issues(table)
            if item.warnings:
                count = len(item.warnings)
                st.warning(f"{count} {'Hinweis' if count == 1 else 'Hinweise'}", icon=":material/warning:")
                issues(uploads.issue_table(item.warnings))
            if item.statistik is not None and item.accepted:
                st.caption(f"Vorschau der ersten {uploads.PREVIEW_ROWS} Werte")
                st.dataframe(uploads.statistik_preview(item.statistik), hide_index=True)
            elif item.accepted:
                st.caption(f"Vorschau der ersten {uploads.PREVIEW_ROWS} Zeilen")
                st.dataframe(uploads.preview(item), hide_index=True)

    ready = [item for item in prepared.values() if item.accepted]
    waiting = sum(item.waiting and not item.errors for item in prepared.values())
    if waiting:
        st.caption(
            f"{waiting} {_files(waiting)} {'wartet' if waiting == 1 else 'warten'} auf die Angabe von Kommune oder "
            "Monat und wird erst danach gespeichert."
            if waiting == 1
            else f"{waiting} Dateien warten auf die Angabe von Kommune oder Monat und werden erst danach gespeichert."
        )
    if st.button(
        f"{len(ready)} geprüfte {_files(len(ready))} speichern",
        type="primary",
        disabled=not ready or demo,
        key="upload_speichern",
    ):
        results = []
        with user_errors(), st.status(f"{len(ready)} {_files(len(ready))} werden gespeichert …") as progress:
            bar = st.progress(0.0, text=f"0 von {len(ready)} gespeichert")
            for number, item in enumerate(ready, 1):
                st.write(plain(f"{item.name} wird gespeichert …"))
                result = uploads.store(item, Actor.on_page(user), publish=number == len(ready))
                results.append(result)
                bar.progress(number / len(ready), text=f"{number} von {len(ready)} gespeichert")
            progress.update(label="Gespeichert", state="complete")
        st.session_state["upload_ergebnis"] = [
            {
                "Datei": r.file,
                "Ergebnis": "gespeichert" if r.status == "accepted" else "unverändert (schon vorhanden)",
                "Upload": str(r.upload_id) if r.upload_id is not None else "–",
                "Zeilen": fmt.number(r.rows),
            }
            for r in results
        ]
        for key in [key for key, item in prepared.items() if item.accepted]:
            prepared.pop(key)  # stored; files still waiting for Kommune or month stay
            stored.add(key)
        if not prepared:
            st.session_state["upload_runde"] = round_ + 1  # empties the upload field
            stored.clear()
        data.refresh()  # every page shows the new figures at once
        st.rerun()

st.subheader("Bisherige Uploads")
with user_errors():
    log = data.uploads() if db_path().exists() else pd.DataFrame()
if log.empty:
    st.caption("Noch keine Uploads.")
else:
    # made only when opened: the grid cost a new session about a second in the browser, and the
    # description of every upload's partitions its time on the server
    log_box, log_open = widgets.closed_until_opened(
        f"Alle Uploads als Tabelle ({fmt.number(len(log))})", "uploads_offen"
    )
    if log_open:
        with log_box:
            downloads.table(
                pd.DataFrame(
                    {
                        "Upload": log["upload_id"],
                        "Datei": log["datei"],
                        "Quelle": log["quelle"].map(
                            {n: s.label for n, s in sources().items()} | {STATISTIK: STATISTIK_LABEL}
                        ),
                        "Partitionen": [
                            describe_table(tabelle, stand)
                            if quelle == STATISTIK
                            else history.describe_partitions(partitions)
                            for quelle, partitions, tabelle, stand in zip(
                                log["quelle"], log["partitions"], log["tabelle"], log["stand"], strict=True
                            )
                        ],
                        "Zeilen": log["zeilen"],
                        "Von": log["benutzer"],
                        "Am": log["zeit"].map(fmt.moment),
                        "Status": [
                            f"rückgängig gemacht ({who})" if status == "undone" else "gespeichert"
                            for status, who in zip(log["status"], log["rueckgaengig_von"], strict=True)
                        ],
                    }
                ),
                "upload_historie",
                "upload_historie",
                hide_index=True,
            )
    undoable = log[log["rueckgaengig_moeglich"]]
    with st.expander("Upload rückgängig machen"):
        if undoable.empty:
            st.caption("Kein Upload kann gerade rückgängig gemacht werden.")
        else:
            labels = {
                int(r.upload_id): f"{r.upload_id} · {r.datei} ({fmt.moment(r.zeit)})" for r in undoable.itertuples()
            }
            chosen = st.selectbox("Upload", list(labels), format_func=labels.__getitem__, key="undo_upload")
            st.caption(
                "Stellt für jede Partition dieses Uploads den Stand davor wieder her (oder leert sie). Ein Upload, "
                "dessen Partitionen ein späterer ersetzt hat, kann erst nach diesem rückgängig gemacht werden. "
                "Bei einer Tabelle der amtlichen Statistik gelten danach wieder die Werte ihrer früheren Uploads."
            )
            sure = st.checkbox(f"Ja, Upload {chosen} rückgängig machen", key="undo_bestaetigt")
            if st.button("Rückgängig machen", key="undo_ausfuehren", disabled=not sure, type="primary"):
                with user_errors():
                    undone = upload_actions.undo(chosen, Actor.on_page(user), database=db_path())
                widgets.flash(undone.message)

"""Daten hochladen: check several delivered files at once, then store the accepted ones."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from access import audit
from loaders import history, templates
from loaders.settings import db_path
from loaders.sources import sources
from ui import auth, data, downloads, uploads, widgets
from ui.feedback import user_errors
from ui.format import plain
from ui.page import start_page

ISSUE_COLUMNS = {
    "Zeile": st.column_config.NumberColumn(width="small", format="%d"),
    "Meldung": st.column_config.TextColumn(width="large"),
}

start_page()
st.title("Daten hochladen")
widgets.show_flash()
st.write(
    "Lieferungen als Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods) oder CSV hier ablegen, höchstens "
    f"{uploads.limit_text()} je Datei. Jede Datei wird zuerst geprüft; gespeichert wird erst nach der Bestätigung. "
    "Abgelehnte Dateien werden nicht aufbewahrt."
)

with st.expander("Vorlagen für die Lieferungen"):
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

demo = data.is_demo()  # shown without login: nothing real may be stored in it
if demo:
    st.info(uploads.DEMO_NOTE, icon=":material/science:")

round_ = st.session_state.setdefault("upload_runde", 0)
files = st.file_uploader(
    "Dateien auswählen oder hierher ziehen",
    type=None,  # the check names a wrong type in German; Streamlit's own refusal would be English
    accept_multiple_files=True,
    key=f"upload_dateien_{round_}",
)
user = auth.user_name()  # recorded with every upload and undo

prepared: dict[str, uploads.Prepared] = st.session_state.setdefault("upload_geprueft", {})
current = {uploads.upload_key(f.name, f.getvalue()): f for f in files or []}
for key in list(prepared):
    if key not in current:  # removed from the upload field: forget it and its temporary copy
        prepared.pop(key).discard()
with user_errors():
    for key, file in current.items():
        if key not in prepared:
            with st.spinner(plain(uploads.checking_label(uploads.clean_name(file.name)))):
                prepared[key] = uploads.prepare(file.name, file.getvalue())

if prepared:
    st.subheader("Prüfergebnis")
    st.dataframe(
        pd.DataFrame([uploads.summary(p) for p in prepared.values()]), hide_index=True, key="upload_uebersicht"
    )
    for item in prepared.values():
        label = "✓" if item.accepted else "✗"
        with st.expander(f"{label} {plain(item.name)}", expanded=not item.accepted):
            if len(item.checked.parts) > 1:
                st.caption(
                    "Die Arbeitsmappe liefert auf mehreren Blättern; sie werden zusammen gespeichert oder gar nicht."
                )
                st.dataframe(uploads.sheet_table(item), hide_index=True)
            if item.checked.errors:
                st.error(
                    f"{len(item.checked.errors)} Fehler – die Datei wird nicht gespeichert.", icon=":material/error:"
                )
                st.dataframe(uploads.issue_table(item.checked.errors), hide_index=True, column_config=ISSUE_COLUMNS)
            if item.checked.warnings:
                count = len(item.checked.warnings)
                st.warning(f"{count} {'Hinweis' if count == 1 else 'Hinweise'}", icon=":material/warning:")
                st.dataframe(uploads.issue_table(item.checked.warnings), hide_index=True, column_config=ISSUE_COLUMNS)
            if item.accepted:
                st.caption(f"Vorschau der ersten {uploads.PREVIEW_ROWS} Zeilen")
                st.dataframe(uploads.preview(item), hide_index=True)

    ready = [item for item in prepared.values() if item.accepted]
    if st.button(
        f"{len(ready)} geprüfte Datei(en) speichern",
        type="primary",
        disabled=not ready or demo,
        key="upload_speichern",
    ):
        results = []
        with user_errors(), st.spinner("Wird gespeichert …"):
            for item in ready:
                result = uploads.store(item, user)
                results.append(result)
                if result.status == "accepted":
                    audit.record(
                        "upload", user, f"{result.file} → Upload {result.upload_id}", upload_id=result.upload_id
                    )
        st.session_state["upload_ergebnis"] = [
            {
                "Datei": r.file,
                "Ergebnis": "gespeichert" if r.status == "accepted" else "unverändert (schon vorhanden)",
                "Upload": r.upload_id,
                "Zeilen": r.rows,
            }
            for r in results
        ]
        prepared.clear()
        st.session_state["upload_runde"] = round_ + 1  # empties the upload field
        data.refresh()  # every page shows the new figures at once
        st.rerun()

if "upload_ergebnis" in st.session_state:
    st.success("Speichern abgeschlossen.", icon=":material/check_circle:")
    st.dataframe(pd.DataFrame(st.session_state.pop("upload_ergebnis")), hide_index=True, key="upload_ergebnis_tabelle")

st.subheader("Bisherige Uploads")
with user_errors():
    log = data.uploads() if db_path().exists() else pd.DataFrame()
if log.empty:
    st.caption("Noch keine Uploads.")
else:
    downloads.table(
        pd.DataFrame(
            {
                "Upload": log["upload_id"],
                "Datei": log["datei"],
                "Quelle": log["quelle"].map({n: s.label for n, s in sources().items()}),
                "Partitionen": log["partitions"].map(history.describe_partitions),
                "Zeilen": log["zeilen"],
                "Von": log["benutzer"],
                "Am": log["zeit"].map(history.format_zeit),
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
                int(r.upload_id): f"{r.upload_id} · {r.datei} ({history.format_zeit(r.zeit)})"
                for r in undoable.itertuples()
            }
            chosen = st.selectbox("Upload", list(labels), format_func=labels.__getitem__, key="undo_upload")
            st.caption(
                "Stellt für jede Partition dieses Uploads den Stand davor wieder her (oder leert sie). Ein Upload, "
                "dessen Partitionen ein späterer ersetzt hat, kann erst nach diesem rückgängig gemacht werden."
            )
            sure = st.checkbox(f"Ja, Upload {chosen} rückgängig machen", key="undo_bestaetigt")
            if st.button("Rückgängig machen", key="undo_ausfuehren", disabled=not sure, type="primary"):
                with user_errors():
                    undone = history.undo(chosen, db_path(), user)
                audit.record("rueckgaengig", user, f"Upload {chosen}", upload_id=chosen)
                widgets.flash(undone.message)

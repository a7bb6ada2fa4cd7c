"""Verwaltung (admins only): users and roles, the audit log, backup, restore and rebuild."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from access import audit, lockout, users
from actions import accounts
from actions import database as database_actions
from actions.actor import Actor
from core import format as fmt
from core.format import plain
from core.settings import backups_dir, db_path, now
from ui import auth, downloads, widgets
from ui.feedback import user_errors
from ui.page import start_page

start_page()
st.title("Verwaltung")
widgets.show_flash()
admin = auth.user_name()
actor = Actor.on_page(admin)
users_tab, log_tab, database_tab = st.tabs(["Benutzer und Rollen", "Zugriffsprotokoll", "Datenbank"])

with users_tab, user_errors():
    listing = users.listing()
    if listing:
        # a few rows: no grid to load, names shown as typed
        downloads.plain_table(pd.DataFrame(listing).replace("", "–"))  # no display name: a dash
    else:
        st.caption("Noch keine Benutzer in der Benutzerdatei.")
    roles = users.roles()
    st.caption(" · ".join(f"**{role.label}**: {', '.join(sorted(role.rechte))}" for role in roles.values()))
    demo = not auth.login_required()
    if demo:
        st.info(
            "In der Demo ohne Anmeldung lassen sich keine Benutzer anlegen oder entfernen: die Benutzerdatei "
            "gilt auch für echte Daten.",
            icon=":material/info:",
        )
    with st.form("benutzer_form", clear_on_submit=True):
        st.markdown("**Benutzer anlegen oder ändern**")
        name = st.text_input(
            "Benutzername", key="benutzer_name", help="Für die Anmeldung über das Dienstkonto die E-Mail-Adresse."
        )
        display_name = st.text_input("Angezeigter Name", key="benutzer_anzeigename")
        role = st.selectbox("Rolle", list(roles), format_func=users.role_label, key="benutzer_rolle")
        oidc = st.checkbox("nur über das Dienstkonto anmelden (ohne Passwort)", key="benutzer_oidc")
        password = st.text_input(
            f"Passwort (mindestens {users.MIN_PASSWORD_LENGTH} Zeichen; leer lassen, um es nicht zu ändern)",
            type="password",
            key="benutzer_passwort",
            autocomplete="new-password",
        )
        if st.form_submit_button("Benutzer speichern", type="primary", disabled=demo):
            clean = users.normalise_name(name)
            existing = users.load().get(clean)
            if not oidc and not password and existing is None:
                st.error("Für einen neuen Benutzer mit Passwort-Anmeldung bitte ein Passwort eingeben.")
            elif clean == admin and role != "admin":
                st.error("Die eigene Rolle kann nicht herabgesetzt werden – sonst fehlt der Zugang zur Verwaltung.")
            else:
                saved = accounts.add_user(
                    name,
                    role,
                    None if oidc else (password or None),
                    actor,
                    display_name=display_name,
                    replace=existing is not None,
                )
                verb = "geändert" if existing else "angelegt"
                widgets.flash(f"Benutzer „{saved.name}“ {verb}.")
    others = [user for user in users.load() if user != admin]
    if others and not demo:
        with st.expander("Benutzer entfernen"):
            gone = st.selectbox("Benutzer", others, key="benutzer_entfernen_name")
            sure = st.checkbox(f"Ja, „{plain(gone)}“ entfernen", key="benutzer_entfernen_bestaetigt")
            if st.button("Entfernen", disabled=not sure, key="benutzer_entfernen"):
                accounts.remove_user(gone, actor)
                widgets.flash(f"Benutzer „{gone}“ entfernt.")

with log_tab, user_errors():
    checked = audit.check()
    for text in [*checked.unwritable, *filter(None, [lockout.problem()])]:
        st.warning(text, icon=":material/edit_off:")
    if checked.broken:
        st.error(
            "Das Zugriffsprotokoll wurde nachträglich verändert oder gekürzt:\n\n"
            + "\n".join(f"- {text}" for text in checked.broken),
            icon=":material/gpp_bad:",
        )
    else:
        st.caption(
            "Das Protokoll ist unverändert (jeder Eintrag ist mit einem geheimen Schlüssel an den vorigen gekettet, "
            "der Anker neben der Datenbank sichert das Ende)."
        )
    for text in checked.notes:
        st.info(text, icon=":material/info:")
    log = audit.table()
    actions = sorted(set(log["Aktion"]))
    chosen = st.multiselect("Aktionen", actions, key="protokoll_aktionen", placeholder="alle Aktionen")
    shown = log[log["Aktion"].isin(chosen)] if chosen else log
    # made only when opened: the grid cost every visit of the page about a second in the browser
    log_box, log_open = widgets.closed_until_opened(
        f"Einträge als Tabelle ({fmt.number(len(shown))})", "zugriffsprotokoll_offen"
    )
    if log_open:
        with log_box:
            downloads.table(shown, "zugriffsprotokoll", "zugriffsprotokoll", hide_index=True)

with database_tab, user_errors():
    database = db_path()
    folder = backups_dir(database)
    st.markdown("**Sicherung**")
    st.caption(f"Datenbank, Archiv der Originaldateien und Protokoll in eine Datei unter {plain(folder)}.")
    if st.button("Sicherung erstellen", key="sicherung_erstellen", icon=":material/backup:"):
        with st.spinner("Sicherung wird geschrieben …"):
            result = database_actions.backup(
                folder / f"kim-sicherung-{now():%Y-%m-%d-%H%M%S}.zip", actor, database=database
            )
        widgets.flash(result.message)
    saved = sorted(folder.glob("*.zip"), reverse=True) if folder.is_dir() else []
    if saved:
        backup = st.selectbox("Vorhandene Sicherungen", saved, format_func=lambda p: p.name, key="sicherung_datei")
        st.markdown("**Sicherung zurückholen**")
        st.caption("Ersetzt die Datenbank durch den Stand der Sicherung; die bisherige bleibt als .bak erhalten.")
        sure = st.checkbox(f"Ja, den Stand von {plain(backup.name)} zurückholen", key="wiederherstellen_bestaetigt")
        if st.button("Zurückholen", disabled=not sure, key="wiederherstellen", icon=":material/restore:"):
            with st.spinner("Sicherung wird zurückgeholt …"):
                restored = database_actions.restore(backup, actor, database=database, force=True)
            widgets.flash(restored.message)
    st.markdown("**Neu aufbauen**")
    st.caption(
        "Baut die Datenbank aus den archivierten Originaldateien und dem Protokoll neu auf und ersetzt sie nur, "
        "wenn das Ergebnis mit der bisherigen übereinstimmt."
    )
    sure = st.checkbox("Ja, die Datenbank neu aufbauen", key="neuaufbau_bestaetigt")
    if st.button("Neu aufbauen", disabled=not sure, key="neuaufbau", icon=":material/construction:"):
        with st.spinner("Datenbank wird neu aufgebaut …"):
            rebuilt = database_actions.rebuild(actor, database=database)
        widgets.flash(rebuilt.message)

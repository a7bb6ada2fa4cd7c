"""Login and roles in AppTest: who sees which pages, and the audit log of what they do."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit import config
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest

from access import audit, users
from tests.helpers.apptest import app_environment, log_in, new_app, start, table_with
from tests.helpers.cards import cards
from tests.helpers.databases import real_copy
from tests.helpers.environment import PASSWORD
from tests.helpers.paths import ROOT
from tests.helpers.shown_text import as_read
from ui.page import PAGES

VIEWS = {
    "uebersicht",
    "sitzung",
    "handlungsfelder",
    "kommunen",
    "zeitverlauf",
    "kennzahlen",
    "zielwerte",
    "briefing",
}
ANALYST_PAGES = {"datenstand", "daten_hochladen", "amtliche_statistik"}


@pytest.fixture
def real_db(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The demo figures, but marked as real data: a login is required."""
    database = real_copy(demo_db, tmp_path)
    app_environment(monkeypatch, database, tmp_path, ("lena", "lenkungskreis"), ("ana", "analyse"), ("adam", "admin"))
    return database


@pytest.fixture
def public_address() -> Iterator[None]:
    config.set_option("server.address", "0.0.0.0")
    try:
        yield
    finally:
        config.set_option("server.address", "localhost")


def navigation(app: AppTest) -> set[str]:
    """The pages this session's sidebar links to (every page is registered with st.navigation, so
    that one reached by its address refuses in German; only the allowed ones are linked)."""
    links: list[str] = []

    def walk(node: Any) -> None:
        if getattr(node, "type", "") == "page_link":
            links.append(node.proto.label)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app.sidebar)
    return {Path(spec.path).stem for spec in PAGES if spec.title in links}


def shows_figures(app: AppTest) -> bool:
    return bool(app.dataframe) or bool(cards(app)) or bool(app.get("plotly_chart"))


def test_real_data_shows_only_the_login(real_db: Path) -> None:
    app = start()
    assert [t.value for t in app.title] == ["Anmeldung"]
    assert not shows_figures(app) and not app.sidebar.toggle


def test_demo_data_on_a_public_address_requires_a_login(
    demo_db: Path, public_address: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    app_environment(monkeypatch, demo_db, tmp_path)
    app = start()
    assert [t.value for t in app.title] == ["Anmeldung"]
    assert "python -m access add-user" in app.info[0].value  # no user yet: how to create one
    assert not shows_figures(app)


def test_the_demo_on_localhost_opens_without_login_and_says_so(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIM_DB", str(demo_db))
    app = start()
    assert app.title[0].value != "Anmeldung" and shows_figures(app)
    assert navigation(app) == VIEWS | ANALYST_PAGES | {"verwaltung"}
    assert "Demo ohne Anmeldung" in app.sidebar.caption[0].value
    assert app.warning[0].value.startswith("**Demodaten**")


def test_lenkungskreis_sees_views_and_briefings_only(real_db: Path) -> None:
    app = log_in("lena")
    assert app.title[0].value == "Übersicht" and shows_figures(app)
    assert navigation(app) == VIEWS
    assert app.sidebar.caption[0].value == "Angemeldet: lena · Lenkungskreis"
    assert not app.sidebar.toggle  # no switch to unsuppressed figures
    # Issue 10: a page the role may not use, reached by its address, says so in German (it was
    # Streamlit's English "Page not found" box in the browser)
    app.switch_page("pages/daten_hochladen.py").run()
    assert not app.exception and not app.get("file_uploader")
    assert [e.value for e in app.error] == ["Diese Seite steht Ihrer Rolle nicht zur Verfügung."]
    app.session_state["intern"] = True  # even a forged switch shows no internal figures
    app.run()
    assert not [e for e in app.error if "intern" in e.value]


def test_a_page_reached_directly_refuses_a_role_without_its_right(real_db: Path) -> None:
    log_in("lena")  # checks the password once; the session below is that of a signed-in Lenkungskreis member
    page = AppTest.from_file(str(ROOT / "pages/daten_hochladen.py"), default_timeout=60)
    page.session_state["kim_benutzer"] = "lena"
    page.run()
    assert not page.exception
    assert not page.get("file_uploader") and page.title[0].value == "Übersicht"


def test_analyse_may_upload_and_see_internal_figures_but_not_administer(real_db: Path) -> None:
    app = log_in("ana")
    assert navigation(app) == VIEWS | ANALYST_PAGES
    assert [t.key for t in app.sidebar.toggle] == ["intern"]
    app.switch_page("pages/daten_hochladen.py").run()
    assert app.get("file_uploader")


def test_admin_manages_users_and_reads_the_audit_log(real_db: Path) -> None:
    app = log_in("adam")
    assert navigation(app) == VIEWS | ANALYST_PAGES | {"verwaltung"}
    app.switch_page("pages/verwaltung.py").run()
    app.text_input(key="benutzer_name").input("neu")
    app.selectbox(key="benutzer_rolle").set_value("analyse")
    app.text_input(key="benutzer_passwort").input("noch-ein-langes-passwort")
    next(b for b in app.button if b.label == "Benutzer speichern").click().run()
    assert not app.exception
    assert users.load()["neu"].rolle == "analyse"
    assert users.authenticate("neu", "noch-ein-langes-passwort") is not None
    listed = table_with(app, "Benutzer")
    assert list(listed.loc[listed["Benutzer"] == "neu", "Name"]) == ["–"]  # no display name given

    logged = [(e["benutzer"], e["aktion"]) for e in audit.entries(real_db)]
    assert logged == [("adam", "anmeldung"), ("adam", "benutzer")]
    assert audit.verify(real_db) is None


def test_wrong_passwords_are_logged_and_lock_the_name(real_db: Path) -> None:
    app = log_in("ana", "falsches-passwort")
    assert app.error[0].value == "Benutzername oder Passwort ist falsch."
    assert app.title[0].value == "Anmeldung"
    for _ in range(4):
        log_in("ana", "falsches-passwort")
    locked = log_in("ana")  # right password, but the name is locked for 15 minutes
    assert locked.error[0].value.startswith("Zu viele fehlgeschlagene Versuche")
    actions = [e["aktion"] for e in audit.entries(real_db)]
    assert actions == ["anmeldung_fehlgeschlagen"] * 5
    assert all(PASSWORD not in str(e) and "falsches" not in str(e) for e in audit.entries(real_db))


def test_a_user_removed_by_an_admin_is_signed_out(real_db: Path) -> None:
    app = log_in("ana")
    users.remove("ana")
    app.run()
    assert app.title[0].value == "Anmeldung"


def test_only_admins_set_targets_and_each_change_is_logged(real_db: Path) -> None:
    lena = log_in("lena")
    lena.switch_page("pages/zielwerte.py").run()
    assert not lena.exception and not [f for f in lena.text_input if f.key == "ziel_wert"]
    assert any("legt die Administration" in c.value for c in lena.main.caption)

    adam = log_in("adam")
    adam.switch_page("pages/zielwerte.py").run()
    adam.selectbox(key="ziel_kennzahl").set_value("K05")
    adam.text_input(key="ziel_wert").input("62,5")
    adam.button(key="ziel_speichern").click().run()
    adam.button(key="ziel_bestaetigen").click().run()
    assert not adam.exception
    entry = audit.entries(real_db)[-1]
    assert (entry["benutzer"], entry["aktion"]) == ("adam", "zielwert")
    assert entry["beschreibung"] == "K05: ≥ 62,5 % für alle Gebiete (beschlossen)"


OIDC = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "nur-fuer-den-test",
        "client_id": "kim-cockpit",
        "client_secret": "nur-fuer-den-test",
        "server_metadata_url": "https://login.kreis-unna.example/.well-known/openid-configuration",
    }
}


def oidc_app(user: dict[str, object]) -> AppTest:
    app = new_app()
    app.secrets = OIDC
    app.user = user
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    return app


def test_oidc_offers_the_identity_provider_instead_of_a_password(real_db: Path) -> None:
    app = oidc_app({"is_logged_in": False})
    assert [b.key for b in app.button] == ["anmeldung_oidc"]
    assert not app.text_input and not shows_figures(app)


def test_oidc_gives_a_known_address_its_role(real_db: Path) -> None:
    users.add("ana.analyse@kreis-unna.example", "analyse", None)
    app = oidc_app({"is_logged_in": True, "email": "Ana.Analyse@kreis-unna.example"})
    assert app.title[0].value == "Übersicht" and navigation(app) == VIEWS | ANALYST_PAGES
    entry = audit.entries(real_db)[-1]
    assert entry["benutzer"] == "ana.analyse@kreis-unna.example" and "Dienstkonto" in entry["beschreibung"]


def test_oidc_refuses_an_address_without_a_role(real_db: Path) -> None:
    app = oidc_app({"is_logged_in": True, "email": "fremd@example.org"})
    assert "nicht freigeschaltet" in app.error[0].value and not shows_figures(app)
    assert [(e["benutzer"], e["aktion"]) for e in audit.entries(real_db)] == [
        ("fremd@example.org", "anmeldung_fehlgeschlagen")
    ]


def test_admin_backs_up_rebuilds_and_restores_from_the_page(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "daten"
    shutil.copytree(demo_db.parent, folder)  # the database with its archive and log
    monkeypatch.setenv("KIM_DB", str(folder / demo_db.name))
    app = start()  # the demo on localhost: an admin without login
    app.switch_page("pages/verwaltung.py").run()

    app.button(key="sicherung_erstellen").click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert as_read(app.success[0].value).startswith("Sicherung geschrieben:")
    backups = list((folder / "sicherungen").glob("kim-sicherung-*.zip"))
    assert len(backups) == 1

    app.checkbox(key="neuaufbau_bestaetigt").check().run()
    app.button(key="neuaufbau").click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert "Historie und Daten stimmen mit der bisherigen Datenbank überein" in app.success[0].value

    app.checkbox(key="wiederherstellen_bestaetigt").check().run()
    app.button(key="wiederherstellen").click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert app.success[0].value.startswith("Sicherung vom")

    logged = [e["aktion"] for e in audit.entries(folder / demo_db.name)]
    assert logged[-3:] == ["sicherung", "neuaufbau", "wiederherstellung"]  # earlier tests may have logged before


def test_only_analysts_freeze_meetings_and_write_anmerkungen(real_db: Path) -> None:
    lena = log_in("lena")
    lena.session_state["uebersicht_anmerkung_offen"] = True  # the expander "Anmerkungen (n)" opened
    lena.run()
    assert not lena.text_area  # no field to write an Anmerkung
    lena.switch_page("pages/sitzung.py").run()
    assert not lena.exception and "sitzung_festhalten" not in [b.key for b in lena.button]

    ana = log_in("ana")
    ana.session_state["uebersicht_anmerkung_offen"] = True
    ana.run()
    assert ana.text_area  # the Anmerkung field of the Übersicht
    ana.switch_page("pages/sitzung.py").run()
    ana.button(key="sitzung_festhalten").click().run()
    assert not ana.exception, [e.message for e in ana.exception]
    entry = audit.entries(real_db)[-1]
    assert (entry["benutzer"], entry["aktion"]) == ("ana", "sitzung")
    assert entry["beschreibung"] == "Sitzung 1 vom 25.11.2026"


def test_a_login_ends_after_the_idle_time(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIM_IDLE_MINUTES", "30")
    app = log_in("ana")
    app.run()  # an action within the idle time keeps the login
    assert app.title[0].value == "Übersicht"
    app.session_state["_kim_aktiv"] = app.session_state["_kim_aktiv"] - 31 * 60  # 31 minutes without action
    app.run()
    assert app.title[0].value == "Anmeldung"
    assert app.info[0].value == "Sie wurden nach 30 Minuten ohne Aktivität abgemeldet."
    entry = audit.entries(real_db)[-1]
    assert (entry["benutzer"], entry["aktion"]) == ("ana", "abmeldung")


def test_an_idle_oidc_login_also_ends_at_the_identity_provider(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIM_IDLE_MINUTES", "30")
    users.add("ana.analyse@kreis-unna.example", "analyse", None)
    app = oidc_app({"is_logged_in": True, "email": "ana.analyse@kreis-unna.example"})
    assert app.title[0].value == "Übersicht"
    app.session_state["_kim_aktiv"] = app.session_state["_kim_aktiv"] - 31 * 60
    app.run()
    assert app.title[0].value == "Anmeldung" and [b.key for b in app.button] == ["anmeldung_oidc"]
    assert [e["aktion"] for e in audit.entries(real_db)][-1] == "abmeldung"


# ---------------------------------------------------------------------------------------------
# Faults of the audit log never lock anyone out; the lock after wrong passwords holds under load


def test_a_cut_off_last_audit_line_does_not_stop_the_next_login(real_db: Path) -> None:
    log_in("lena")
    log = real_db.parent / "zugriffe-kim.jsonl"
    with log.open("ab") as handle:
        handle.write(b'{"zeit": "2026-11-25T10:00:00+01:00", "benutzer": "ana", "ak')  # the disk was full

    app = log_in("ana")

    assert app.title[0].value == "Übersicht" and not app.error
    logged = [(e["benutzer"], e["aktion"]) for e in audit.entries(real_db)]
    assert logged == [("lena", "anmeldung"), (audit.SYSTEM_USER, "protokoll"), ("ana", "anmeldung")]
    assert "unvollständige letzte Zeile" in audit.entries(real_db)[1]["beschreibung"]
    assert audit.check(real_db).ok


def test_a_garbage_audit_line_does_not_stop_the_next_login(real_db: Path) -> None:
    log_in("lena")
    with (real_db.parent / "zugriffe-kim.jsonl").open("ab") as handle:
        handle.write(b"kaputt\n")

    app = log_in("ana")

    assert app.title[0].value == "Übersicht" and not app.error
    assert audit.check(real_db).broken == ["Eintrag 2 ist kein gültiger Protokolleintrag."]
    adam = log_in("adam")
    adam.switch_page("pages/verwaltung.py").run()
    assert "Eintrag 2 ist kein gültiger Protokolleintrag." in adam.error[0].value


READ_ONLY_SESSION = """
import json, sys
from streamlit import config
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
config.set_option("server.address", "localhost")
from streamlit.testing.v1 import AppTest
app = AppTest.from_file(sys.argv[1], default_timeout=120)
app.run()
app.text_input(key="anmeldung_name").input("adam")
app.text_input(key="anmeldung_passwort").input(sys.argv[2])
app.button[0].click().run()
seen = {
    "titel": [t.value for t in app.title],
    "fehler": [e.message for e in app.exception] + [e.value for e in app.error],
    "zahlen": any("\\n\\n### " in m.value for m in app.markdown) or bool(app.dataframe),
}
app.switch_page("pages/kommunen.py").run()
seen["kommunen"] = [t.value for t in app.title] + [e.value for e in app.error] + [e.message for e in app.exception]
app.switch_page("pages/verwaltung.py").run()
seen["verwaltung"] = [w.value for w in app.warning] + [e.value for e in app.error]
print(json.dumps(seen))
"""


def test_a_read_only_database_folder_still_lets_people_in_and_tells_the_admin_why(real_db: Path) -> None:
    root = os.geteuid() == 0
    if root and not shutil.which("setpriv"):
        pytest.skip("setpriv (util-linux) is needed to test a read-only folder as root")
    base = Path(tempfile.mkdtemp(prefix="kim-schreibgeschuetzt-", dir="/tmp"))
    try:
        base.chmod(0o755)
        folder, accounts, home = base / "daten", base / "konten", base / "heim"
        folder.mkdir()
        shutil.copy(real_db, folder / "kim.duckdb")
        accounts.mkdir()
        home.mkdir()
        users.add("adam", "admin", PASSWORD, path=accounts / "benutzer.json")
        (folder / "kim.duckdb").chmod(0o644)
        folder.chmod(0o555)  # the database folder cannot be written: neither log nor anchor
        if root:
            for path in (accounts, accounts / "benutzer.json", home):
                os.chown(path, 65534, 65534)
        env = os.environ | {
            "KIM_DB": str(folder / "kim.duckdb"),
            "KIM_USERS": str(accounts / "benutzer.json"),
            "KIM_AUDIT_KEY": str(accounts / "zugriffe.schluessel"),
            "HOME": str(home),
        }
        # For root, a read-only folder is writable: the session then runs as "nobody".
        unprivileged = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if root else []
        session = subprocess.run(
            [*unprivileged, sys.executable, "-c", READ_ONLY_SESSION, str(ROOT / "app.py"), PASSWORD],
            capture_output=True,
            text=True,
            cwd=base,
            env=env,
            timeout=300,
        )
        assert session.returncode == 0, session.stderr
        seen = json.loads(session.stdout.strip().splitlines()[-1])
        assert seen["titel"][0] == "Übersicht" and seen["zahlen"] and not seen["fehler"]
        assert seen["kommunen"] == ["Kommunen"]
        assert any(
            "konnte zuletzt nicht geschrieben werden" in text and "schreibgeschützt" in text
            for text in seen["verwaltung"]
        )
        assert any("werden Anmeldungen und Aktionen nicht protokolliert" in text for text in seen["verwaltung"])
        assert not (folder / "zugriffe-kim.jsonl").exists()
    finally:
        folder.chmod(0o755)
        shutil.rmtree(base)


def test_fifteen_sessions_submitting_at_once_do_not_get_past_the_lock(
    real_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """14 wrong passwords and then the right one, all submitted at the same moment."""
    # Every AppTest run compiles the scripts in its own cache; CPython 3.11.7 can fail with
    # "AST constructor recursion depth mismatch" when threads parse at once. The server shares
    # one locked cache, so serialising the compile here keeps the test true to it.
    compile_lock = threading.Lock()
    get_bytecode = ScriptCache.get_bytecode

    def serialised(self: ScriptCache, script_path: str) -> Any:
        with compile_lock:
            return get_bytecode(self, script_path)

    monkeypatch.setattr(ScriptCache, "get_bytecode", serialised)
    # AppTest swaps in a mock Runtime for each run and sets it back to None when the run ends, so
    # a run that finishes first would pull the Runtime from under the others ("Runtime hasn't been
    # created!"). The server has one Runtime for all sessions; the last one set stands in for it.
    shared: list[Runtime] = []

    def instance(cls: type[Runtime]) -> Runtime:
        if cls._instance is not None:
            shared[:] = [cls._instance]
        if not shared:
            raise RuntimeError("Runtime hasn't been created!")
        return shared[0]

    monkeypatch.setattr(Runtime, "instance", classmethod(instance))
    monkeypatch.setattr(Runtime, "exists", classmethod(lambda cls: cls._instance is not None or bool(shared)))
    apps = [start() for _ in range(15)]
    for number, app in enumerate(apps):
        app.text_input(key="anmeldung_name").input("ana")
        app.text_input(key="anmeldung_passwort").input(PASSWORD if number == 14 else "falsches-passwort")
    barrier = threading.Barrier(15)

    def submit(number: int) -> None:
        barrier.wait()
        if number == 14:
            time.sleep(0.05)
        apps[number].button[0].click().run(timeout=120)

    threads = [threading.Thread(target=submit, args=(number,)) for number in range(15)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    errors = [app.error[0].value if app.error else "" for app in apps[:14]]
    assert errors.count("Benutzername oder Passwort ist falsch.") == 5  # only five passwords were checked
    assert sum(text.startswith("Zu viele fehlgeschlagene Versuche") for text in errors) == 9
    assert [e["aktion"] for e in audit.entries(real_db)].count("anmeldung_fehlgeschlagen") == 5
    after = log_in("ana")
    assert after.error[0].value.startswith("Zu viele fehlgeschlagene Versuche")


def test_the_lock_survives_a_restart_of_the_app(real_db: Path) -> None:
    script = (
        "import sys\n"
        "from streamlit import config\n"
        "config.set_option('server.address', 'localhost')\n"
        "from streamlit.testing.v1 import AppTest\n"
        "for _ in range(5):\n"
        "    app = AppTest.from_file(sys.argv[1], default_timeout=120)\n"
        "    app.run()\n"
        "    app.text_input(key='anmeldung_name').input('ana')\n"
        "    app.text_input(key='anmeldung_passwort').input('falsches-passwort')\n"
        "    app.button[0].click().run()\n"
        "    assert app.error[0].value == 'Benutzername oder Passwort ist falsch.'\n"
    )
    earlier = subprocess.run([sys.executable, "-c", script, str(ROOT / "app.py")], capture_output=True, text=True)
    assert earlier.returncode == 0, earlier.stderr

    locked = log_in("ana")  # in another process, started after the first one ended

    assert locked.error[0].value.startswith("Zu viele fehlgeschlagene Versuche")
    assert locked.title[0].value == "Anmeldung"

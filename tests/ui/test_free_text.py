"""Free text as text: what users write (Anmerkungen, display names, user names, file names, and
messages that quote them) reaches the screen so that nothing in it loads or links.

Streamlit reads Markdown in st.markdown, captions, alerts, toasts, spinners, expander and widget
labels and help texts. The scan below walks every element of every page after hostile text was put
into every free-text store, and fails on any Markdown in it that would become a link, an image,
HTML, a colour or a formula; so a new place that shows a user's text unescaped is caught too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from access import users
from actions import steering
from actions.actor import Actor
from loaders.__main__ import main
from tests.helpers.apptest import app_environment, log_in
from tests.helpers.databases import real_copy
from tests.helpers.environment import PASSWORD
from tests.helpers.official import BEVOELKERUNG
from tests.helpers.paths import FILES
from tests.helpers.shown_text import as_read, interpreted, markdown_on_screen
from ui.page import PAGES

GOOD = FILES / "good/arbeitsmarkt_kanonisch.csv"

# What an attacker writes: an image that makes every viewer's browser call a host, a link, raw
# HTML, Streamlit's colour syntax and addresses GitHub-flavoured Markdown links by itself.
PAYLOADS = [
    "![x](http://127.0.0.1:9/leak)",
    "[klick](http://evil)",
    "<img src=x>",
    ":red[Alarm]",
    "www.example.com",
    "http://example.com",
]
HOSTILE = " ".join(PAYLOADS)
HOSTILE_USER = "www.example.com"  # a valid user name (letters, digits, . _ @ + -) that GFM would link
HOSTILE_FILE = "![x](https:127.0.0.1:9) [klick](http:evil) www.example.com.csv"  # no "/" in a file name


def assert_shown_as_text(app: AppTest, *expected: str) -> None:
    assert not app.exception, [e.message for e in app.exception]
    texts = markdown_on_screen(app)
    problems = [problem for text in texts for problem in interpreted(text)]
    assert not problems, problems
    for text in expected:  # and the user's text is there, as written
        assert any(text in as_read(t) for t in texts), (text, texts)


@pytest.fixture
def hostile_db(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Real (not demo) data; an admin whose display name, and a user whose name, is hostile."""
    database = real_copy(demo_db, tmp_path)
    app_environment(monkeypatch, database, tmp_path)
    users.add("adam", "admin", PASSWORD, display_name=HOSTILE)
    users.add(HOSTILE_USER, "analyse", PASSWORD)
    # an official table whose title line was changed: the title is shown on Amtliche Statistik
    text = BEVOELKERUNG.read_text(encoding="latin-1").replace("Katasterfläche (qkm)", f"{HOSTILE} Katasterfläche", 1)
    hostile_table = tmp_path / BEVOELKERUNG.name
    hostile_table.write_text(text, encoding="latin-1")
    assert main(["ingest", str(hostile_table), "--db", str(database)]) == 0
    return database


def test_anmerkungen_names_and_file_names_show_as_text_on_every_page(hostile_db: Path) -> None:
    app = log_in("adam")
    assert app.title[0].value == "Übersicht"
    month = app.selectbox(key="monat").value
    steering.add_comment("K02", "05978", f"{month:%Y-%m}", HOSTILE, Actor.on_page(HOSTILE_USER), database=hostile_db)
    app.run()
    app.session_state["uebersicht_anmerkung_offen"] = True  # the expander "Anmerkungen (1)" opened
    app.run()
    # the card's caption, the list of Anmerkungen (with who wrote it), the display name in the sidebar
    assert_shown_as_text(app, f"💬 Anmerkung: {HOSTILE}", f" · {HOSTILE}\n_{HOSTILE_USER}, ", f"Angemeldet: {HOSTILE}")

    app.switch_page("pages/daten_hochladen.py").run()
    app.file_uploader(key="upload_dateien_0").set_value([(HOSTILE_FILE, GOOD.read_bytes(), "text/csv")]).run()
    assert_shown_as_text(app, f"✓ {HOSTILE_FILE}")  # the checked file's label
    app.button(key="upload_speichern").click().run()
    assert_shown_as_text(app)
    app.selectbox(key="undo_upload").select_index(0).run()  # the newest: ours
    app.checkbox(key="undo_bestaetigt").check().run()
    app.button(key="undo_ausfuehren").click().run()
    assert_shown_as_text(app, f"({HOSTILE_FILE}) rückgängig gemacht")  # the message after undo

    app.switch_page("pages/verwaltung.py").run()
    assert_shown_as_text(app, f"Ja, „{HOSTILE_USER}“ entfernen")

    steering.set_target("K01", 80.0, Actor.on_page(HOSTILE_USER), database=hostile_db)
    app.switch_page("pages/zielwerte.py").run()
    assert_shown_as_text(app, f"{HOSTILE_USER}, ")  # who set the target

    app.switch_page("pages/amtliche_statistik.py").run()
    assert_shown_as_text(app, f"{HOSTILE} Katasterfläche")  # in the table of stored tables and the title

    for spec in PAGES:  # and nothing elsewhere (audit log, history, Datenstand …) either
        app.switch_page(spec.path).run()
        assert_shown_as_text(app, f"Angemeldet: {HOSTILE}")


def test_a_message_quoting_a_file_name_shows_as_text() -> None:
    def page() -> None:
        from core.errors import KimError
        from ui.feedback import user_errors

        with user_errors():
            raise KimError("Die Datei „![x](http://127.0.0.1:9/leak) www.example.com.csv“ ist leer.")

    app = AppTest.from_function(page).run()
    assert len(app.error) == 1
    assert_shown_as_text(app, "„![x](http://127.0.0.1:9/leak) www.example.com.csv“")


@pytest.mark.parametrize(
    "text",
    [
        *PAYLOADS,
        "<http://auto.example> a@evil.example mailto:b@evil.example HTTPS://X.DE WWW.X.DE www1.x.de",
        "[ref]\n\n[ref]: http://ref.example",
        "$x^2$ :material/home: :smile: :blue-badge[b] **fett** _kursiv_ ~~weg~~ `code` &lt;b&gt; &#x41; x\\",
    ],
)
def test_plain_leaves_nothing_to_interpret_and_reads_as_written(text: str) -> None:
    from core.format import plain

    assert interpreted(text)  # each is Markdown that would be interpreted …
    shown = plain(text)
    assert not interpreted(shown)  # … and is not after plain()
    assert as_read(shown) == text


def test_plain_keeps_lines_and_drops_what_would_start_a_code_block() -> None:
    from core.format import plain

    assert as_read(plain("erste Zeile\r\n    zweite\tZeile\x00")) == "erste Zeile\nzweite Zeile"
    structure = "# Überschrift\n- Liste\n1. eins\n> Zitat\n| a | b |\n---"
    assert as_read(plain(structure)) == structure
    assert "\n#" not in plain(structure) and "\n-" not in plain(structure)  # every mark escaped

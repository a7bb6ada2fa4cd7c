"""Every write is audited by construction: the front ends (pages, ``ui/``, ``app.py`` and every
command line) write only through ``actions/``, and every action records exactly one audit entry.

Before: each front end recorded its audit entry by hand after a write (``audit.record`` in five
pages, ``ui/comments.py`` and two command lines), so a new way of writing could forget it."""

from __future__ import annotations

import ast
import getpass
import importlib
import inspect
import pkgutil
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The writers below actions/: a front end calling one of them writes without an audit entry.
LOW_LEVEL_WRITERS = {
    "loaders.ingest.ingest_file",
    "loaders.ingest.store_checked",
    "loaders.ingest.write_upload",
    "loaders.statistik_store.ingest_any",
    "loaders.statistik_store.ingest_statistik",
    "loaders.statistik_store.store_table",
    "loaders.rebuild.rebuild",
    "store.history.undo",
    "store.history.undo_statistik",
    "store.history.apply_undo",
    "store.history.backup",
    "store.history.restore",
    "access.users.add",
    "access.users.remove",
    "access.audit.record",
}
# Sign-ins, sign-outs and downloads change no data; they are recorded where they happen.
AUDIT_OF_NO_WRITE = {"ui/auth.py", "ui/downloads.py"}


def front_ends() -> list[Path]:
    files = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]
    return files + sorted(ROOT.glob("*/__main__.py"))


def _aliases(tree: ast.AST) -> dict[str, str]:
    """Local name → the module or function it stands for, from every import of the file."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    names[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _dotted(node: ast.expr, names: dict[str, str]) -> str | None:
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value, names)
        return f"{base}.{node.attr}" if base else None
    return None


def bypasses(source: str, relative: str) -> list[str]:
    """The calls in ``source`` that write below actions/: low-level writers, a database
    connection opened for writing, an audit entry of a data write recorded by hand."""
    tree = ast.parse(source)
    names = _aliases(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = _dotted(node.func, names)
        if called is None:
            continue
        writes = any(
            k.arg == "write" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
            for k in node.keywords
        )
        if called == "access.audit.record" and relative in AUDIT_OF_NO_WRITE:
            continue
        if called in LOW_LEVEL_WRITERS or (called in ("store.connect", "duckdb.connect") and writes):
            found.append(f"{relative}:{node.lineno}: {called}")
        elif called == "duckdb.connect" and not any(k.arg == "read_only" for k in node.keywords):
            found.append(f"{relative}:{node.lineno}: {called} (opens the file for writing)")
    return found


def test_no_front_end_writes_below_actions() -> None:
    found = []
    for path in front_ends():
        relative = str(path.relative_to(ROOT))
        found += bypasses(path.read_text(encoding="utf-8"), relative)
    assert found == [], "Schreiben nur über actions/ (mit Protokolleintrag):\n" + "\n".join(found)


def test_the_check_finds_every_way_of_naming_a_writer() -> None:
    """The check itself: a writer imported as a module, as a function, under another name, or a
    write connection is found; reading is not."""
    source = """
from store import history
from store.history import backup as sichern
import loaders.rebuild
import store
from access import audit, users
from metrics import steering

history.undo(1, None, "ana")
sichern("x.zip")
loaders.rebuild.rebuild()
users.add("ana", "analyse", None)
audit.record("upload", "ana", "x")
with store.connect(None, write=True):
    pass
with store.connect(None):
    pass
history.describe_partitions([])
steering.comments(None)
"""
    assert [line.split(": ")[1] for line in bypasses(source, "pages/neu.py")] == [
        "store.history.undo",
        "store.history.backup",
        "loaders.rebuild.rebuild",
        "access.users.add",
        "access.audit.record",
        "store.connect",
    ]
    assert bypasses("from access import audit\naudit.record('anmeldung', 'ana')\n", "ui/auth.py") == []


def test_metrics_is_the_read_side_only() -> None:
    """Targets, Anmerkungen and meetings were written in metrics/steering.py; metrics/ now opens
    no connection for writing and changes no table."""
    found = []
    for path in sorted((ROOT / "metrics").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        found += [f for f in bypasses(source, str(path.relative_to(ROOT))) if "connect" in f]
        found += [f"{path.name}: {word}" for word in ("INSERT INTO", "UPDATE ", "DELETE FROM") if word in source]
    assert found == []


# --- every action records exactly one entry ----------------------------------------------------

AMTLICH = ROOT / "tests" / "files" / "amtlich"
GOOD = ROOT / "tests" / "files" / "good"


@pytest.fixture
def place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    database = tmp_path / "daten" / "kim.duckdb"
    database.parent.mkdir()
    monkeypatch.setenv("KIM_DB", str(database))
    monkeypatch.setenv("KIM_USERS", str(tmp_path / "konten" / "benutzer.json"))
    for name in ("arbeitsmarkt_kanonisch.csv", "schule_kanonisch.csv", "fallmanagement_kanonisch.csv"):
        shutil.copy(GOOD / name, tmp_path / name)
    for name in (
        "itnrw_ldb_12411-15i_gemeinden_flaeche_bevoelkerung_2024.csv",
        "regionalstatistik_21111-01-03-4_schulen_schueler_kreise_2023.csv",
    ):
        shutil.copy(AMTLICH / name, tmp_path / name)
    yield database


def public_actions() -> set[str]:
    import actions

    found = set()
    for info in pkgutil.iter_modules(actions.__path__):
        if info.name in ("actor", "published"):  # who acts; the stored model, part of the action that wrote
            continue
        module = importlib.import_module(f"actions.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                found.add(f"{info.name}.{name}")
    return found


def test_every_action_records_exactly_one_audit_entry(place: Path, tmp_path: Path) -> None:
    import datetime as dt

    from access import audit
    from actions import accounts, database, steering, uploads
    from actions.actor import Actor
    from loaders.statistik_store import check_upload
    from loaders.validate import check_file

    page = Actor.on_page("ana")
    command_line = Actor.on_command_line("Analystin A")
    me = getpass.getuser()
    done: set[str] = set()

    def entry(action: str) -> dict[str, object]:
        """Exactly one new entry since the last call, as (benutzer, aktion, beschreibung, angaben)."""
        done.add(action)
        new = audit.entries(place)[len(seen) :]
        seen.extend(new)
        assert len(new) == 1, (action, new)
        (one,) = new
        return {k: one.get(k) for k in ("benutzer", "aktion", "beschreibung", "angaben")}

    seen: list[dict[str, object]] = []

    delivery = tmp_path / "arbeitsmarkt_kanonisch.csv"
    uploads.ingest_file(delivery, command_line, database=place, display_name=str(delivery))
    assert entry("uploads.ingest_file") == {
        "benutzer": me,
        "aktion": "upload",
        "beschreibung": f"{delivery} → Upload 1 (Kommandozeile, als „Analystin A“)",
        "angaben": {"upload_id": 1},
    }
    table = tmp_path / "itnrw_ldb_12411-15i_gemeinden_flaeche_bevoelkerung_2024.csv"
    uploads.ingest_file(table, page, database=place, display_name=table.name)
    assert entry("uploads.ingest_file")["beschreibung"] == f"{table.name} → Statistik-Upload 2"

    checked = check_file(tmp_path / "schule_kanonisch.csv")
    assert uploads.store_delivery(checked, "schule.csv", page, database=place).upload_id == 3
    assert entry("uploads.store_delivery") == {
        "benutzer": "ana",
        "aktion": "upload",
        "beschreibung": "schule.csv → Upload 3",
        "angaben": {"upload_id": 3},
    }
    schools = tmp_path / "regionalstatistik_21111-01-03-4_schulen_schueler_kreise_2023.csv"
    found = check_upload(schools, schools.name)
    assert not isinstance(found, type(checked)) and found.table is not None
    uploads.store_table(schools, schools.name, found.table, page, database=place)
    assert entry("uploads.store_table")["beschreibung"] == f"{schools.name} → Statistik-Upload 4"

    uploads.undo(3, page, database=place)
    assert entry("uploads.undo")["beschreibung"] == "Upload 3"
    uploads.undo_statistik(4, command_line, database=place)
    assert entry("uploads.undo_statistik") == {
        "benutzer": me,
        "aktion": "rueckgaengig",
        "beschreibung": "Statistik-Upload 4 (Kommandozeile, als „Analystin A“)",
        "angaben": {"upload_id": 4},
    }

    steering.set_target("K25", 85.5, page, kommune="05978004", gueltig_ab=dt.date(2026, 9, 1), database=place)
    assert entry("steering.set_target") == {
        "benutzer": "ana",
        "aktion": "zielwert",
        "beschreibung": "K25: ≥ 85,5 % für Bergkamen ab 01.09.2026 (beschlossen)",
        "angaben": {"kennzahl": "K25"},
    }
    steering.confirm_default_targets(page, database=place)
    assert entry("steering.confirm_default_targets")["beschreibung"] == "10 Vorschläge des Katalogs beschlossen"
    number = steering.add_comment("K25", "05978004", "2026-09", "Personalwechsel", page, database=place)
    assert entry("steering.add_comment")["beschreibung"] == "K25 · 05978004 · 2026-09: gespeichert"
    steering.remove_comment(number, page, database=place)
    assert entry("steering.remove_comment")["beschreibung"] == "K25 · 05978004 · 2026-09: entfernt"
    steering.freeze_meeting(dt.date(2026, 10, 12), page, database=place)
    assert entry("steering.freeze_meeting")["beschreibung"] == "Sitzung 1 vom 12.10.2026"

    saved = database.backup(tmp_path / "sicherung.zip", Actor.on_command_line(), database=place)
    assert entry("database.backup") == {
        "benutzer": me,
        "aktion": "sicherung",
        "beschreibung": "sicherung.zip (Kommandozeile)",
        "angaben": None,
    }
    database.restore(saved.file, page, database=place, force=True)
    assert entry("database.restore")["beschreibung"] == "sicherung.zip"
    database.rebuild(page, database=place)
    assert entry("database.rebuild")["beschreibung"] == "4 Uploads, 2 Rücknahmen nachgespielt"

    accounts.add_user("Lena", "lenkungskreis", "ein-langes-passwort", Actor.on_command_line())
    assert entry("accounts.add_user") == {
        "benutzer": me,
        "aktion": "benutzer",
        "beschreibung": "lena: angelegt, Rolle Lenkungskreis (Kommandozeile)",
        "angaben": {"benutzer_name": "lena", "rolle": "lenkungskreis"},
    }
    accounts.add_user("lena", "analyse", None, page, replace=True)
    assert entry("accounts.add_user")["beschreibung"] == "lena: geändert, Rolle Analyse (KI-Team)"
    accounts.remove_user("lena", page)
    assert entry("accounts.remove_user")["beschreibung"] == "lena: entfernt"

    assert done == public_actions(), "each action of actions/ is called once here"
    assert audit.check(place).ok


def test_a_write_that_changes_nothing_records_nothing(place: Path, tmp_path: Path) -> None:
    from access import audit
    from actions import steering, uploads
    from actions.actor import Actor
    from core.errors import KimError

    page = Actor.on_page("ana")
    delivery = tmp_path / "fallmanagement_kanonisch.csv"
    assert uploads.ingest_file(delivery, page, database=place, dry_run=True).status == "accepted"
    assert not audit.entries(place)  # a dry run only checks
    assert uploads.ingest_file(delivery, page, database=place).status == "accepted"
    assert uploads.ingest_file(delivery, page, database=place).status == "unchanged"
    refused = tmp_path / "leer.csv"
    refused.write_text("kommune;monat\n", encoding="utf-8")
    assert uploads.ingest_file(refused, page, database=place).status == "rejected"
    with pytest.raises(KimError):
        steering.add_comment("K25", "05978004", "2026-09", "   ", page, database=place)
    assert [e["aktion"] for e in audit.entries(place)] == ["upload"]

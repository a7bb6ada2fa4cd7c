"""The local user file and the audit log, through their functions and the command line."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from access import audit, users
from core.errors import UsageError
from tests.helpers.paths import ROOT


@pytest.fixture
def user_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "benutzer.json"
    monkeypatch.setenv("KIM_USERS", str(path))
    monkeypatch.setenv("KIM_DB", str(tmp_path / "kim.duckdb"))
    return path


def test_a_user_is_stored_with_an_argon2_hash_only_readable_by_the_owner(user_file: Path) -> None:
    users.add("Ana.Analyse", "analyse", "ein-langes-passwort", display_name="Ana Analyse")

    raw = user_file.read_text(encoding="utf-8")
    assert "ein-langes-passwort" not in raw
    stored = json.loads(raw)["benutzer"]["ana.analyse"]
    assert stored["hash"].startswith("$argon2id$") and stored["rolle"] == "analyse"
    assert stat.S_IMODE(user_file.stat().st_mode) == 0o600
    assert users.authenticate("ANA.analyse ", "ein-langes-passwort") == users.load()["ana.analyse"]
    assert users.authenticate("ana.analyse", "falsches-passwort") is None
    assert users.authenticate("niemand", "ein-langes-passwort") is None
    assert all("hash" not in row and "$argon2" not in str(row) for row in users.listing())


def test_an_oidc_user_has_no_password_and_cannot_log_in_with_one(user_file: Path) -> None:
    users.add("lena.lenkung@kreis-unna.example", "lenkungskreis", None)
    assert users.oidc_user("Lena.Lenkung@kreis-unna.example") is not None
    assert users.authenticate("lena.lenkung@kreis-unna.example", "") is None
    assert users.oidc_user("fremd@example.org") is None


@pytest.mark.parametrize(
    ("name", "role", "password", "message"),
    [
        ("ana", "analyse", "kurz", "mindestens 12 Zeichen"),
        ("ana", "chef", "ein-langes-passwort", "Unbekannte Rolle „chef“"),
        ("a b", "analyse", "ein-langes-passwort", "ist ungültig"),
    ],
)
def test_invalid_users_are_refused_in_german(
    user_file: Path, name: str, role: str, password: str, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        users.add(name, role, password)
    assert not user_file.exists()


def test_rights_follow_the_roles_declared_in_data() -> None:
    assert users.may("lenkungskreis", "ansehen") and users.may("lenkungskreis", "briefing")
    assert not users.may("lenkungskreis", "intern") and not users.may("lenkungskreis", "hochladen")
    assert users.may("analyse", "hochladen") and users.may("analyse", "intern")
    assert not users.may("analyse", "zielwerte") and not users.may("analyse", "verwaltung")
    assert users.may("admin", "zielwerte") and users.may("admin", "verwaltung")
    assert not users.may("unbekannt", "ansehen")


def test_the_audit_log_is_chained_and_detects_a_changed_line(tmp_path: Path) -> None:
    database = tmp_path / "kim.duckdb"
    audit.record("anmeldung", "ana", "Anmeldung (Passwort)", database=database)
    audit.record("upload", "ana", "arbeitsmarkt.csv", database=database, upload_id=7)
    audit.record("export", "ana", "uebersicht.xlsx", database=database)
    assert audit.verify(database) is None
    assert [e["aktion"] for e in audit.entries(database)] == ["anmeldung", "upload", "export"]
    assert audit.entries(database)[1]["angaben"] == {"upload_id": 7}
    assert list(audit.table(database)["Aktion"]) == ["Export", "Upload", "Anmeldung"]

    log = tmp_path / "zugriffe-kim.jsonl"
    lines = log.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("arbeitsmarkt.csv", "andere.csv")
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert audit.verify(database) == 2

    log.write_text("\n".join([lines[0], lines[2]]) + "\n", encoding="utf-8")  # a line removed
    assert audit.verify(database) == 2


def test_unknown_audit_actions_are_a_programming_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        audit.record("irgendwas", "ana", database=tmp_path / "kim.duckdb")


def run_access(*args: str, stdin: str = "", env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "access", *args], input=stdin, capture_output=True, text=True, cwd=ROOT, env=env
    )


def test_the_command_line_adds_lists_and_removes_users_and_logs_it(user_file: Path, tmp_path: Path) -> None:
    env = os.environ | {"KIM_USERS": str(user_file), "KIM_DB": str(tmp_path / "kim.duckdb")}
    added = run_access(
        "add-user", "adam", "--role", "admin", "--password-stdin", stdin="ein-langes-passwort\n", env=env
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "Benutzer „adam“ mit der Rolle Administration gespeichert."
    assert users.authenticate("adam", "ein-langes-passwort", path=user_file) is not None

    again = run_access("add-user", "adam", "--role", "analyse", "--oidc", env=env)
    assert again.returncode == 2 and again.stderr.strip() == "Fehler: Den Benutzer „adam“ gibt es schon."

    listed = run_access("users", env=env)
    assert listed.stdout.startswith("adam · Administration · Passwort · ")
    assert run_access("remove-user", "adam", env=env).returncode == 0
    assert users.load(user_file) == {}

    log = run_access("audit", "--json", env=env)
    entries = [json.loads(line) for line in log.stdout.splitlines()]
    assert [e["aktion"] for e in entries] == ["benutzer", "benutzer"]
    assert "ein-langes-passwort" not in log.stdout
    checked = run_access("verify-audit", env=env)
    assert checked.returncode == 0 and checked.stdout.strip() == "Das Zugriffsprotokoll ist unverändert (2 Einträge)."


def test_uploads_and_undos_on_the_command_line_are_logged(tmp_path: Path) -> None:
    database = tmp_path / "kim.duckdb"
    good = ROOT / "tests/files/good/arbeitsmarkt_kanonisch.csv"
    env = os.environ | {"KIM_DB": str(database)}

    def loaders(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "loaders", *args], capture_output=True, text=True, cwd=ROOT, env=env
        )

    assert loaders("ingest", str(good), "--user", "Analystin A").returncode == 0
    assert loaders("ingest", str(good), "--dry-run").returncode == 0  # a dry run changes nothing: not logged
    assert loaders("undo", "1").returncode == 0
    entries = audit.entries(database)
    assert [(e["aktion"], e.get("angaben")) for e in entries] == [
        ("upload", {"upload_id": 1}),
        ("rueckgaengig", {"upload_id": 1}),
    ]
    assert entries[0]["beschreibung"] == f"{good} → Upload 1 (Kommandozeile, als „Analystin A“)"
    assert audit.verify(database) is None

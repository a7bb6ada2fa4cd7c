"""The audit log under faults and attacks: a cut-off or garbage line never stops the next entry, a
full disk leaves no half line, and a shortened log or a chain recomputed without the key is found."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from access import audit
from tests.helpers.paths import ROOT


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "kim.duckdb"


def log_file(database: Path) -> Path:
    return database.parent / f"zugriffe-{database.stem}.jsonl"


def three_entries(database: Path) -> None:
    audit.record("anmeldung", "ana", "Anmeldung (Passwort)", database=database)
    audit.record("upload", "ana", "arbeitsmarkt.csv", database=database, upload_id=7)
    audit.record("export", "ana", "uebersicht.xlsx", database=database)


def verify_audit(database: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "access", "verify-audit", "--db", str(database)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=os.environ | {"KIM_DB": str(database)},
    )


def test_an_intact_log_verifies_on_the_command_line(database: Path) -> None:
    three_entries(database)
    checked = verify_audit(database)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == "Das Zugriffsprotokoll ist unverändert (3 Einträge)."
    assert all("hmac" in entry and "hash" not in entry for entry in audit.entries(database))


def test_a_cut_off_last_line_is_set_aside_with_a_warning_and_the_next_entry_is_written(database: Path) -> None:
    three_entries(database)
    log = log_file(database)
    whole = log.read_bytes()
    log.write_bytes(whole + b'{"zeit": "2026-11-25T10:00:00+01:00", "benutzer": "lena", "akt')  # disk full

    audit.record("anmeldung", "lena", "Anmeldung (Passwort)", database=database)

    actions = [(e["aktion"], e.get("angaben", {}).get("befund")) for e in audit.entries(database)]
    assert actions[3:] == [("protokoll", "abgeschnitten"), ("anmeldung", None)]
    (aside,) = log.parent.glob("zugriffe-kim.abgeschnitten-*.jsonl")
    assert aside.read_bytes().endswith(b'"benutzer": "lena", "akt')
    assert aside.name in audit.entries(database)[3]["beschreibung"]
    assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    checked = audit.check(database)
    assert checked.ok and checked.first_broken is None
    assert any("beiseitegelegt" in note for note in checked.notes)


def test_a_garbage_last_line_does_not_stop_the_next_entry_and_is_reported(database: Path) -> None:
    three_entries(database)
    log = log_file(database)
    with log.open("ab") as handle:
        handle.write(b"\x00\xff kein JSON }\n")

    audit.record("anmeldung", "lena", "Anmeldung (Passwort)", database=database)
    audit.record("abmeldung", "lena", "Abmeldung", database=database)

    assert [e["aktion"] for e in audit.entries(database)][-2:] == ["anmeldung", "abmeldung"]
    checked = audit.check(database)
    assert checked.first_broken == 4
    assert checked.broken == ["Eintrag 4 ist kein gültiger Protokolleintrag."]  # the entries after it hold
    result = verify_audit(database)
    assert result.returncode == 1
    assert "Verändert: Eintrag 4 ist kein gültiger Protokolleintrag." in result.stderr


def test_a_deleted_tail_is_detected(database: Path) -> None:
    three_entries(database)
    log = log_file(database)
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[:1]))  # the last two entries removed

    result = verify_audit(database)
    assert result.returncode == 1
    assert "Am Ende des Zugriffsprotokolls fehlen 2 Einträge: verankert sind 3, vorhanden 1." in result.stderr
    assert "unverändert" not in result.stdout

    # The next entry does not hide it: it says so first, inside the keyed chain.
    audit.record("anmeldung", "ana", "Anmeldung (Passwort)", database=database)
    checked = audit.check(database)
    assert not checked.ok and checked.first_broken == 2
    assert "kürzer als verankert: 2 Einträge fehlten am Ende" in checked.broken[0]
    assert verify_audit(database).returncode == 1


def test_a_deleted_anchor_is_detected(database: Path) -> None:
    three_entries(database)
    (database.parent / "zugriffe-kim.anker").unlink()
    result = verify_audit(database)
    assert result.returncode == 1 and "Der Anker des Zugriffsprotokolls fehlt" in result.stderr


def _recompute(lines: list[dict[str, object]], link: object) -> bytes:
    previous = "0" * 64
    out = b""
    for entry in lines:
        entry.pop("hmac", None)
        entry.pop("hash", None)
        body = json.dumps(entry, ensure_ascii=False, sort_keys=True)
        entry["hmac"] = previous = link(previous, body)  # type: ignore[operator]
        out += (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    return out


@pytest.mark.parametrize(
    "link",
    [
        lambda previous, body: hashlib.sha256((previous + body).encode()).hexdigest(),  # the old chain
        lambda previous, body: (
            __import__("hmac").new(b"geraten" * 8, (previous + body).encode(), hashlib.sha256).hexdigest()
        ),  # a guessed key
    ],
    ids=["sha256", "guessed-key"],
)
def test_a_changed_line_with_the_whole_chain_recomputed_is_detected(database: Path, link: object) -> None:
    three_entries(database)
    log = log_file(database)
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    entries[1]["beschreibung"] = "andere.csv"
    log.write_bytes(_recompute(entries, link))

    assert audit.verify(database) == 1
    result = verify_audit(database)
    assert result.returncode == 1
    assert "Verändert: Eintrag 1 wurde verändert" in result.stderr


def test_a_failed_append_on_a_full_disk_leaves_no_half_line_and_the_next_login_works(database: Path) -> None:
    three_entries(database)
    log = log_file(database)
    before = log.read_bytes()
    # A file-size limit makes the write stop part-way, as a full disk does.
    script = f"""
import resource, signal
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, ({len(before) + 40}, resource.RLIM_INFINITY))
from access import audit
entry = audit.record("anmeldung", "lena", "Anmeldung (Passwort) " + "x" * 200, database={str(database)!r})
checked = audit.check({str(database)!r})
print(checked.unwritable[0])
"""
    full = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert full.returncode == 0, full.stderr  # the login itself goes on
    assert full.stdout.startswith("Das Zugriffsprotokoll konnte zuletzt nicht geschrieben werden (")
    assert log.read_bytes() == before  # no half line left behind

    audit.record("anmeldung", "lena", "Anmeldung (Passwort)", database=database)  # space freed
    assert audit.check(database).ok
    assert [e["aktion"] for e in audit.entries(database)] == ["anmeldung", "upload", "export", "anmeldung"]


def test_an_unwritable_log_is_reported_not_raised(database: Path) -> None:
    log_file(database).mkdir(parents=True)  # something that cannot be appended to, even by root
    entry = audit.record("anmeldung", "ana", "Anmeldung (Passwort)", database=database)
    assert entry["aktion"] == "anmeldung"
    checked = audit.check(database)
    assert not checked.ok
    assert any(
        text.startswith("Das Zugriffsprotokoll konnte zuletzt nicht geschrieben werden (")
        for text in checked.unwritable
    )
    assert any("An der Stelle der Datei liegt ein Ordner" in text for text in checked.unwritable)
    assert "werden Anmeldungen und Aktionen nicht protokolliert" in checked.unwritable[-1]


def test_the_key_is_created_beside_the_user_file_readable_by_the_owner_only(
    database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KIM_AUDIT_KEY")
    monkeypatch.setenv("KIM_USERS", str(tmp_path / "konten" / "benutzer.json"))
    three_entries(database)
    key = tmp_path / "konten" / "zugriffe.schluessel"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(bytes.fromhex(key.read_text().strip())) == 32
    assert key.read_text().strip() not in log_file(database).read_text(encoding="utf-8")
    anchor = json.loads((database.parent / "zugriffe-kim.anker").read_text(encoding="utf-8"))
    assert anchor["zeilen"] == 3 and anchor["hash"] == audit.entries(database)[-1]["hmac"]
    assert audit.check(database).ok


def test_a_lost_key_is_reported_and_a_new_one_says_so_in_the_log(database: Path, audit_key: Path) -> None:
    three_entries(database)
    saved = audit_key.read_bytes()
    audit_key.unlink()
    try:
        assert "die Schlüsseldatei fehlt" in audit.check(database).broken[0]
        audit.record("anmeldung", "ana", "Anmeldung (Passwort)", database=database)
        checked = audit.check(database)
        assert checked.first_broken == 1
        assert any("Schlüsseldatei fehlte und wurde neu erzeugt" in text for text in checked.broken)
    finally:
        audit_key.write_bytes(saved)


def test_an_old_log_with_a_plain_chain_is_continued_with_the_key(database: Path) -> None:
    log = log_file(database)
    log.parent.mkdir(parents=True, exist_ok=True)
    entry = {"zeit": "2026-01-05T09:00:00+01:00", "benutzer": "ana", "aktion": "anmeldung", "beschreibung": "x"}
    body = json.dumps(entry, ensure_ascii=False, sort_keys=True)
    entry["hash"] = hashlib.sha256(("0" * 64 + body).encode()).hexdigest()
    log.write_text(json.dumps(entry, ensure_ascii=False) + "\n", encoding="utf-8")
    assert audit.check(database).ok and "nur mit SHA-256 verkettet" in audit.check(database).notes[0]

    audit.record("abmeldung", "ana", "Abmeldung", database=database)
    checked = audit.check(database)
    assert checked.ok and not checked.notes and checked.entries == 2


def test_a_broken_key_file_is_reported_in_german_and_does_not_stop_the_app(database: Path, audit_key: Path) -> None:
    three_entries(database)
    saved = audit_key.read_bytes()
    audit_key.write_text("kein schlüssel\n", encoding="utf-8")
    try:
        audit.record("anmeldung", "ana", "Anmeldung (Passwort)", database=database)
        checked = audit.check(database)
        assert f"Die Schlüsseldatei {audit_key} ist beschädigt." in checked.unwritable[0]
        assert len(audit.entries(database)) == 3  # not written with a key nobody can check
    finally:
        audit_key.write_bytes(saved)

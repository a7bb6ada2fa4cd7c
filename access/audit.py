"""The audit log: who signed in, uploaded, undid, changed a target or exported what, and when.

One JSON line per action in a file beside the database (``zugriffe-<name>.jsonl``), appended under
an exclusive lock like the event log of the uploads (``store/jsonlog.py``): an entry is written
whole or not at all, and a last line cut off by a full disk is set aside at the next entry, with an
entry saying so. The log holds names of actions and objects, never figures or the content of a file.

Integrity. Each line carries an HMAC-SHA256 (``hmac``) over the line before and its own content,
keyed with a secret kept outside the log (``zugriffe.schluessel`` beside the user file, or
``KIM_AUDIT_KEY``; created on first use, mode 600). So a changed line, a removed line or a chain
recomputed without the key is detected. Beside the log, an anchor file (``zugriffe-<name>.anker``,
replaced atomically after each entry and keyed as well) holds the number of lines and the last hash,
so that a shortened log is detected too; when the next entry finds the log shorter than its anchor,
it first writes an entry saying so, which stays in the chain. Lines of an older log with a plain
SHA-256 chain (``hash``) are accepted before the first keyed line only.

Writing the log never stops the app: when the log, its anchor or the key cannot be written (a full
disk, a read-only folder), the action goes on, the failure is logged and ``check`` tells the admin
why (page Verwaltung, ``python -m access verify-audit``).
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import shutil
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import format as fmt
from core.files import create_once, write_atomically
from core.settings import audit_anchor_path, audit_key_path, audit_path, db_path, now
from store import jsonlog

ACTIONS = {
    "anmeldung": "Anmeldung",
    "anmeldung_fehlgeschlagen": "Anmeldung fehlgeschlagen",
    "abmeldung": "Abmeldung",
    "upload": "Upload",
    "rueckgaengig": "Upload rückgängig gemacht",
    "zielwert": "Zielwert gesetzt",
    "zielwerte_bestaetigt": "Zielwerte bestätigt",
    "anmerkung": "Anmerkung",
    "sitzung": "Sitzung festgehalten",
    "export": "Export",
    "briefing": "Briefing erstellt",
    "benutzer": "Benutzer geändert",
    "sicherung": "Sicherung erstellt",
    "wiederherstellung": "Sicherung zurückgeholt",
    "neuaufbau": "Datenbank neu aufgebaut",
    "protokoll": "Protokoll geprüft",
}
if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger("kim")

SYSTEM_USER = "KIM-Cockpit"
_START = "0" * 64
_LOW_SPACE = 1 << 20  # bytes free below which the admin is warned
_HEX64 = re.compile(r"[0-9a-f]{64}")
# Findings the log records about itself (``angaben.befund``): these mean lost or unverifiable entries.
_SHORTENED = "gekuerzt"
_NEW_KEY = "neuer_schluessel"
_CUT_OFF = "abgeschnitten"

_failures: dict[Path, str] = {}  # log file → why this process could not write it the last time
_failures_lock = threading.Lock()


# ---------------------------------------------------------------------------------------------
# Hashes


def _body(entry: dict[str, Any]) -> bytes:
    content = {k: v for k, v in entry.items() if k not in ("hash", "hmac")}
    return json.dumps(content, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _keyed(key: bytes, previous: str, entry: dict[str, Any]) -> str:
    return hmac.new(key, previous.encode("ascii") + _body(entry), hashlib.sha256).hexdigest()


def _plain(previous: str, entry: dict[str, Any]) -> str:
    """The hash of lines written before the log was keyed."""
    return hashlib.sha256(previous.encode("ascii") + _body(entry)).hexdigest()


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _link(line: bytes, entry: dict[str, Any] | None = None) -> str:
    """What the next line chains to: the stored hash of a line, or the SHA-256 of a broken one (so a
    broken line stays broken and the lines after it can still be checked). ``entry``: the line parsed
    already, if it is valid."""
    entry = entry if entry is not None else _parse(line)
    stored = entry.get("hmac", entry.get("hash")) if entry else None
    if isinstance(stored, str) and _HEX64.fullmatch(stored):
        return stored
    return hashlib.sha256(line).hexdigest()


def _anchor_mac(key: bytes, lines: int, last: str) -> str:
    return hmac.new(key, f"anker:{lines}:{last}".encode("ascii"), hashlib.sha256).hexdigest()


# ---------------------------------------------------------------------------------------------
# The key and the anchor


def _read_key() -> bytes | None:
    try:
        raw = audit_key_path().read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise OSError(errno.EIO, f"Die Schlüsseldatei {audit_key_path()} ist nicht lesbar") from error
    try:
        key = bytes.fromhex(raw.decode("ascii").strip())
    except ValueError:  # also a UnicodeDecodeError
        key = b""
    if len(key) < 32:
        raise OSError(errno.EINVAL, f"Die Schlüsseldatei {audit_key_path()} ist beschädigt")
    return key


def _create_key() -> bytes:
    """Create the key file with mode 600; when two processes race, both use the first one written."""
    create_once(audit_key_path(), (secrets.token_hex(32) + "\n").encode("ascii"))  # never replaces another's key
    key = _read_key()
    assert key is not None
    return key


@dataclass(frozen=True)
class _Anchor:
    lines: int
    last: str
    size: int
    valid: bool  # its MAC matches the key


def _read_anchor(database: Path, key: bytes | None) -> _Anchor | None:
    try:
        raw = json.loads(audit_anchor_path(database).read_text(encoding="utf-8"))
        lines, last, size, mac = int(raw["zeilen"]), str(raw["hash"]), int(raw["bytes"]), str(raw["mac"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return _Anchor(-1, "", -1, valid=False)
    valid = key is not None and hmac.compare_digest(mac, _anchor_mac(key, lines, last))
    return _Anchor(lines, last, size, valid)


def _write_anchor(database: Path, key: bytes, lines: int, last: str, size: int) -> None:
    path = audit_anchor_path(database)
    content = {"zeilen": lines, "hash": last, "bytes": size, "mac": _anchor_mac(key, lines, last)}
    write_atomically(path, json.dumps(content).encode())


# ---------------------------------------------------------------------------------------------
# Writing


def record(
    action: str,
    user: str,
    detail: str = "",
    *,
    database: Path | str | None = None,
    when: dt.datetime | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """Append one entry. ``detail`` is a short German description; ``fields`` are structured
    facts (upload id, indicator, format); neither may hold figures or personal data.

    Never fails for the log's sake: when it cannot be written, the failure is logged and shown to
    the admin (``check``), and the action it records goes on."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    base = db_path(database)
    path = audit_path(base)
    entry: dict[str, Any] = {
        "zeit": (when or now()).isoformat(timespec="seconds"),
        "benutzer": user,
        "aktion": action,
        "beschreibung": detail,
        **({"angaben": fields} if fields else {}),
    }
    try:
        _append(base, path, entry)
    except OSError as error:
        reason = describe(error)
        with _failures_lock:
            _failures[path] = f"{fmt.day_time(now())}: {reason}"
        log.warning("Zugriffsprotokoll %s nicht geschrieben (%s): %s", path, reason, entry["aktion"])
        return entry
    with _failures_lock:
        _failures.pop(path, None)
    return entry


def _append(database: Path, path: Path, entry: dict[str, Any]) -> None:
    key = _read_key()
    new_key = key is None
    with jsonlog.locked(path) as appender:
        if key is None:
            key = _create_key()
        findings = _findings_before_append(database, appender, key, new_key=new_key)
        last = appender.last_line()
        previous = _link(last) if last is not None else _START
        lines = findings.count
        data = b""
        for item in [*findings.entries, entry]:
            item["hmac"] = _keyed(key, previous, item)
            previous = item["hmac"]
            data += (json.dumps(item, ensure_ascii=False) + "\n").encode("utf-8")
            lines += 1
        appender.append(data)
        _write_anchor(database, key, lines, previous, appender.size())


@dataclass
class _Before:
    count: int  # whole lines in the log now
    entries: list[dict[str, Any]] = field(default_factory=list)  # findings to write first


def _findings_before_append(database: Path, appender: jsonlog.Appender, key: bytes, *, new_key: bool) -> _Before:
    """How many lines the log holds, and entries about what happened to it since the last entry:
    a cut-off line set aside, a log shorter than its anchor, a key created anew."""
    size = appender.size()
    anchor = _read_anchor(database, key)
    if anchor is not None and anchor.valid and anchor.size == size and not new_key:
        before = _Before(anchor.lines)  # the usual case: nothing happened since the last entry
    else:
        lines, _tail = jsonlog.complete_lines(appender.read_from(0))
        before = _Before(len(lines))
        keyed = any(b'"hmac"' in line for line in lines)
        if new_key and keyed:
            before.entries.append(
                _finding(
                    _NEW_KEY,
                    f"Die Schlüsseldatei fehlte und wurde neu erzeugt; die {len(lines)} Einträge davor sind "
                    "nicht mehr prüfbar.",
                )
            )
        elif anchor is None and keyed:
            before.entries.append(_finding(_SHORTENED, "Der Anker des Protokolls fehlte."))
        elif anchor is not None and not anchor.valid and lines:
            before.entries.append(_finding(_SHORTENED, "Der Anker des Protokolls war beschädigt oder verfälscht."))
        elif anchor is not None and not _anchor_holds(anchor, lines):
            missing = anchor.lines - len(lines)
            text = (
                f"Das Protokoll war kürzer als verankert: {fmt.count(missing, 'Eintrag fehlte', 'Einträge fehlten')} am Ende."
                if missing > 0
                else f"Der verankerte Eintrag {anchor.lines} war verändert oder entfernt."
            )
            before.entries.append(_finding(_SHORTENED, text))
    if appender.set_aside is not None:
        before.entries.insert(
            0,
            _finding(
                _CUT_OFF,
                f"Eine unvollständige letzte Zeile (etwa nach vollem Datenträger) wurde nach {appender.set_aside.name} "
                "verschoben.",
                datei=appender.set_aside.name,
            ),
        )
    return before


def _anchor_holds(anchor: _Anchor, lines: list[bytes]) -> bool:
    """The log still holds the anchored line count, and the anchored last line is unchanged."""
    if anchor.lines > len(lines):
        return False
    return anchor.last == (_link(lines[anchor.lines - 1]) if anchor.lines else _START)


def _finding(kind: str, text: str, **fields: Any) -> dict[str, Any]:
    return {
        "zeit": now().isoformat(timespec="seconds"),
        "benutzer": SYSTEM_USER,
        "aktion": "protokoll",
        "beschreibung": text,
        "angaben": {"befund": kind, **fields},
    }


def describe(error: OSError) -> str:
    """Why a file could not be written, in German."""
    where = f" ({error.filename})" if error.filename else ""
    if error.errno == errno.ENOSPC:
        return f"Der Datenträger ist voll{where}."
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"Der Ordner oder die Datei ist schreibgeschützt{where}."
    if error.errno == errno.EISDIR:
        return f"An der Stelle der Datei liegt ein Ordner{where}."
    if error.errno in (errno.EIO, errno.EINVAL) and error.strerror and not error.filename:
        return f"{error.strerror}."  # raised here with a German text (the key file)
    return f"Fehler des Dateisystems ({errno.errorcode.get(error.errno or 0, 'unbekannt')}){where}."


# ---------------------------------------------------------------------------------------------
# Reading and checking


def entries(database: Path | str | None = None) -> list[dict[str, Any]]:
    """The entries that can be read; a broken line is left out (``check`` reports it)."""
    path = audit_path(db_path(database))
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    lines, _tail = jsonlog.complete_lines(data)
    return [entry for line in lines if (entry := _parse(line)) is not None]


@dataclass
class AuditCheck:
    """What ``check`` found. ``broken``: entries changed, removed or not verifiable; ``unwritable``:
    why new entries are not written now; ``notes``: what the admin should know but is no breach."""

    entries: int = 0
    first_broken: int | None = None
    broken: list[str] = field(default_factory=list)
    unwritable: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken and not self.unwritable

    def _break(self, number: int, text: str) -> None:
        if self.first_broken is None or number < self.first_broken:
            self.first_broken = number
        self.broken.append(text)


def check(database: Path | str | None = None) -> AuditCheck:
    """Check the chain, the anchor and whether new entries can be written."""
    base = db_path(database)
    path = audit_path(base)
    result = AuditCheck()
    try:
        key = _read_key()
    except OSError as error:
        key = None
        result.unwritable.append(f"Der Schlüssel des Zugriffsprotokolls ist nicht nutzbar: {describe(error)}")
    try:
        with jsonlog.reading(path) as data:
            anchor = _read_anchor(base, key)  # under the log's lock: the two match
    except OSError as error:
        result.unwritable.append(f"Das Zugriffsprotokoll ist nicht lesbar: {describe(error)}")
        result.unwritable.extend(_write_problems(base, path, key_exists=audit_key_path().exists()))
        return result
    lines, tail = jsonlog.complete_lines(data)
    result.entries = len(lines)
    _check_chain(lines, key, result)
    _check_anchor(anchor, lines, key, result)
    if tail:
        result.notes.append(
            "Die letzte Zeile des Zugriffsprotokolls ist unvollständig (etwa nach vollem Datenträger); sie wird "
            "beim nächsten Eintrag beiseitegelegt."
        )
    for aside in jsonlog.cut_off_files(path):
        result.notes.append(f"Eine unvollständige Zeile wurde beiseitegelegt: {aside}.")
    result.unwritable.extend(_write_problems(base, path, key_exists=key is not None))
    return result


def _check_chain(lines: list[bytes], key: bytes | None, result: AuditCheck) -> None:
    previous = _START
    keyed_seen = False
    for number, line in enumerate(lines, start=1):
        entry = _parse(line)
        if entry is None:
            result._break(number, f"Eintrag {number} ist kein gültiger Protokolleintrag.")
        elif "hmac" in entry:
            keyed_seen = True
            if key is None:
                result._break(number, f"Eintrag {number} ist nicht prüfbar: die Schlüsseldatei fehlt.")
                break
            if not hmac.compare_digest(str(entry["hmac"]), _keyed(key, previous, entry)):
                result._break(number, f"Eintrag {number} wurde verändert, oder ein Eintrag davor wurde entfernt.")
            elif (entry.get("angaben") or {}).get("befund") in (_SHORTENED, _NEW_KEY):
                result._break(number, f"Eintrag {number} ({_when(entry)}): {entry.get('beschreibung', '')}")
        elif "hash" in entry and not keyed_seen:
            if entry["hash"] != _plain(previous, entry):
                result._break(number, f"Eintrag {number} wurde verändert, oder ein Eintrag davor wurde entfernt.")
        else:
            result._break(number, f"Eintrag {number} trägt keinen gültigen Schlüssel-Hash.")
        previous = _link(line, entry)
    legacy = sum(1 for line in lines if b'"hmac"' not in line)
    if lines and legacy and not keyed_seen:
        result.notes.append(
            f"Die {fmt.count(legacy, 'Eintrag ist', 'Einträge sind')} nur mit SHA-256 verkettet (ohne Schlüssel); "
            "ab dem nächsten Eintrag wird das Protokoll mit Schlüssel und Anker gesichert."
        )


def _check_anchor(anchor: _Anchor | None, lines: list[bytes], key: bytes | None, result: AuditCheck) -> None:
    if anchor is None:
        if any(b'"hmac"' in line for line in lines):
            result._break(
                len(lines) + 1, "Der Anker des Zugriffsprotokolls fehlt: ob am Ende Einträge fehlen, ist nicht prüfbar."
            )
        return
    if key is None:
        return  # reported with the chain
    if not anchor.valid:
        result._break(len(lines) + 1, "Der Anker des Zugriffsprotokolls ist beschädigt oder verfälscht.")
        return
    if anchor.lines > len(lines):
        missing = anchor.lines - len(lines)
        result._break(
            len(lines) + 1,
            f"Am Ende des Zugriffsprotokolls {'fehlt' if missing == 1 else 'fehlen'} "
            f"{fmt.count(missing, 'Eintrag', 'Einträge')}: verankert sind {anchor.lines}, vorhanden {len(lines)}.",
        )
    elif not _anchor_holds(anchor, lines):
        result._break(anchor.lines, f"Eintrag {anchor.lines} stimmt nicht mit dem Anker überein.")
    elif anchor.lines < len(lines):
        result.notes.append(
            f"Der Anker nennt {anchor.lines} von {len(lines)} Einträgen (er konnte zuletzt nicht geschrieben werden); "
            "er wird beim nächsten Eintrag nachgeführt."
        )


def _when(entry: dict[str, Any]) -> str:
    try:
        return fmt.day_time(dt.datetime.fromisoformat(str(entry["zeit"])))
    except (KeyError, ValueError):
        return "ohne Zeit"


def _write_problems(database: Path, path: Path, *, key_exists: bool) -> list[str]:
    problems = []
    with _failures_lock:
        failure = _failures.get(path)
    if failure:
        problems.append(f"Das Zugriffsprotokoll konnte zuletzt nicht geschrieben werden ({failure})")
    targets = [path if path.exists() else path.parent, audit_anchor_path(database).parent]
    key = audit_key_path()
    targets.append(key if key_exists else key.parent)
    for target in dict.fromkeys(targets):
        if target.exists() and not os.access(target, os.W_OK):
            problems.append(f"Das KIM-Cockpit darf {target} nicht schreiben (schreibgeschützt).")
    try:
        if shutil.disk_usage(path.parent).free < _LOW_SPACE:
            problems.append(f"Auf dem Datenträger von {path.parent} ist fast kein Platz mehr frei.")
    except OSError:
        pass  # the folder is missing: created with the first entry
    if problems:
        problems.append(
            "Solange das so ist, werden Anmeldungen und Aktionen nicht protokolliert; die App bleibt nutzbar."
        )
    if key_exists and stat.S_IMODE(key.stat().st_mode) & 0o077:
        problems.append(f"Die Schlüsseldatei {key} ist für andere lesbar; bitte mit chmod 600 schützen.")
    return problems


def verify(database: Path | str | None = None) -> int | None:
    """The number (from 1) of the first entry whose chain is broken (one past the last entry when
    entries are missing at the end), or None if the log is intact."""
    return check(database).first_broken


def table(database: Path | str | None = None) -> pd.DataFrame:
    """The log for display, newest first."""
    import pandas as pd  # not at import time: the command line records without loading pandas

    rows = [
        {
            "Zeit": _display_time(entry),
            "Benutzer": str(entry.get("benutzer", "")),
            "Aktion": ACTIONS.get(str(entry.get("aktion")), str(entry.get("aktion", ""))),
            "Beschreibung": str(entry.get("beschreibung", "")),
        }
        for entry in reversed(entries(database))
    ]
    return pd.DataFrame(rows, columns=["Zeit", "Benutzer", "Aktion", "Beschreibung"])


def _display_time(entry: dict[str, Any]) -> str:
    try:
        return fmt.day_time(dt.datetime.fromisoformat(str(entry["zeit"])), seconds=True)
    except (KeyError, ValueError):
        return ""

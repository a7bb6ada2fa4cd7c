"""The audit log: who signed in, uploaded, undid, changed a target or exported what, and when.

One JSON line per action in a file beside the database (``zugriffe-<name>.jsonl``), appended under
an exclusive lock. Each line carries the SHA-256 of the line before it, so that a changed or removed
line is detected (``verify``). The log holds names of actions and objects, never figures or the
content of a file.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loaders.settings import audit_path, db_path, now

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
}
if TYPE_CHECKING:
    import pandas as pd

_START = "0" * 64
_TAIL = 16384  # bytes read from the end to find the last entry


def _digest(previous: str, entry: dict[str, Any]) -> str:
    body = json.dumps(entry, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256((previous + body).encode("utf-8")).hexdigest()


def _last_hash(handle: Any) -> str:
    """The hash of the last entry, read from the end of the file (entries are short)."""
    size = handle.seek(0, os.SEEK_END)
    handle.seek(max(0, size - _TAIL))
    lines = [line for line in handle.read().decode("utf-8", errors="replace").splitlines() if line.strip()]
    if not lines:
        return _START
    return str(json.loads(lines[-1]).get("hash", _START))


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
    facts (upload id, indicator, format); neither may hold figures or personal data."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    path = audit_path(db_path(database))
    path.parent.mkdir(parents=True, exist_ok=True)
    entry: dict[str, Any] = {
        "zeit": (when or now()).isoformat(timespec="seconds"),
        "benutzer": user,
        "aktion": action,
        "beschreibung": detail,
        **({"angaben": fields} if fields else {}),
    }
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "rb+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            previous = _last_hash(handle)
            entry["hash"] = _digest(previous, entry)
            handle.write((json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    return entry


def entries(database: Path | str | None = None) -> list[dict[str, Any]]:
    path = audit_path(db_path(database))
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def verify(database: Path | str | None = None) -> int | None:
    """The number (from 1) of the first line whose chain is broken, or None if the log is intact."""
    previous = _START
    for number, entry in enumerate(entries(database), start=1):
        stored = entry.pop("hash", None)
        if stored != _digest(previous, entry):
            return number
        previous = stored
    return None


def table(database: Path | str | None = None) -> pd.DataFrame:
    """The log for display, newest first."""
    import pandas as pd  # not at import time: the command line records without loading pandas

    rows = [
        {
            "Zeit": dt.datetime.fromisoformat(entry["zeit"]).strftime("%d.%m.%Y %H:%M:%S"),
            "Benutzer": entry["benutzer"],
            "Aktion": ACTIONS.get(entry["aktion"], entry["aktion"]),
            "Beschreibung": entry.get("beschreibung", ""),
        }
        for entry in reversed(entries(database))
    ]
    return pd.DataFrame(rows, columns=["Zeit", "Benutzer", "Aktion", "Beschreibung"])

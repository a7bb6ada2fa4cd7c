"""Checking and storing uploaded files for the page "Daten hochladen".

Uploaded bytes go to a private temporary folder only for as long as they are needed: a rejected
file is deleted right after its check (it may hold personal data), an accepted one when it has been
stored or the upload is discarded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loaders import sandbox
from loaders.ingest import IngestResult, store_checked
from loaders.reference import kommune_name
from loaders.settings import db_path, max_upload_bytes
from loaders.validate import CheckedFile, Issue, check_file

PREVIEW_ROWS = 20
DEMO_NOTE = (
    "**Demodaten:** Diese Anwendung zeigt erfundene Beispieldaten ohne Anmeldung. Dateien können hier "
    "geprüft, aber nicht gespeichert werden – echte Lieferungen gehören in eine eigene Datenbank, für die "
    "eine Anmeldung nötig ist."
)


@dataclass
class Prepared:
    """One uploaded file after its check, waiting for the confirmation."""

    name: str
    checked: CheckedFile
    folder: Path | None  # temporary folder holding the bytes (accepted files only)

    @property
    def accepted(self) -> bool:
        return self.checked.accepted

    def discard(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


MAX_NAME_BYTES = 150  # of a shown and stored file name; a folder entry may have at most 255
_MAX_SUFFIX = 8


def clean_name(name: str) -> str:
    """The uploaded file's name as shown, logged and written to the temporary folder: without a
    folder, without control characters (a NUL byte, line breaks), and shortened in its middle to at
    most MAX_NAME_BYTES bytes with its ending kept, because the ending says what kind of file it is."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch if ch.isprintable() else " " for ch in base)
    base = " ".join(base.split()).strip(". ") or "Datei"
    stem, dot, suffix = base.rpartition(".")
    if not dot or not stem or len(suffix) > _MAX_SUFFIX or " " in suffix:
        stem, suffix = base, ""
    ending = f".{suffix}" if suffix else ""
    if len(base.encode("utf-8")) <= MAX_NAME_BYTES:
        return base
    room = MAX_NAME_BYTES - len(f"…{ending}".encode())
    while len(stem.encode("utf-8")) > room:
        stem = stem[:-1]
    return f"{stem.rstrip()}…{ending}"


def upload_key(name: str, data: bytes) -> str:
    return f"{name}:{hashlib.sha256(data).hexdigest()}"


def limit_text() -> str:
    """The size limit of one file (KIM_MAX_UPLOAD_MB) in German, e.g. "50 MB"."""
    return f"{max_upload_bytes() / (1024 * 1024):g} MB".replace(".", ",")


def checking_label(name: str) -> str:
    """The spinner's text while a file is checked; says so when it must wait for a free place."""
    if sandbox.busy():
        return f"{name} wartet auf einen freien Prüfplatz (andere Dateien werden gerade geprüft) …"
    return f"{name} wird geprüft …"


def prepare(name: str, data: bytes) -> Prepared:
    """Check one uploaded file without storing anything. ``name`` is the name the browser gave; it
    is shown and stored as ``clean_name`` makes it."""
    name = clean_name(name)
    folder = Path(tempfile.mkdtemp(prefix="kim-upload-"))
    try:
        path = folder / name
        path.write_bytes(data)
        checked = check_file(path)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if not checked.accepted:
        shutil.rmtree(folder, ignore_errors=True)
        return Prepared(name, checked, None)
    return Prepared(name, checked, folder)


def store(prepared: Prepared, user: str) -> IngestResult:
    """Store an accepted file (or find it unchanged), then delete its temporary copy."""
    try:
        return store_checked(prepared.checked, prepared.name, database=db_path(), user=user)
    finally:
        prepared.discard()


def _kommunen(partitions: Iterable[tuple[str, dt.date]]) -> str:
    names = sorted({kommune_name(k) for k, _ in partitions})
    return ", ".join(names) if len(names) <= 4 else f"{len(names)} Kommunen"


def _period(partitions: Iterable[tuple[str, dt.date]]) -> str:
    months = sorted({m for _, m in partitions})
    if not months:
        return "–"
    if len(months) == 1:
        return months[0].strftime("%m/%Y")
    return f"{months[0]:%m/%Y} bis {months[-1]:%m/%Y} ({len(months)} Monate)"


def summary(prepared: Prepared) -> dict[str, str]:
    """What was found in the file, in German, for the overview table."""
    checked = prepared.checked
    partitions = [key for part in checked.parts for key in part.partitions] or list(checked.partitions)
    sheets = [part.sheet for part in checked.parts if part.sheet]
    return {
        "Datei": prepared.name,
        "Ergebnis": "kann gespeichert werden" if prepared.accepted else "abgelehnt",
        "Quelle": checked.source.label if checked.source else "nicht erkannt",
        "Blatt": ", ".join(sheets) if len(sheets) <= 3 else f"{len(sheets)} Blätter",
        "Kommunen": _kommunen(partitions),
        "Monate": _period(partitions),
        "Zeilen": str(checked.read_rows),
        "Fehler": str(len(checked.errors)),
        "Hinweise": str(len(checked.warnings)),
    }


def sheet_table(prepared: Prepared) -> pd.DataFrame:
    """One row per delivering sheet of a workbook: its source, Kommunen, months, rows and how many
    errors and warnings name it (the issue tables say where)."""
    checked = prepared.checked
    label = checked.source.label if checked.source else "nicht erkannt"
    return pd.DataFrame(
        [
            {
                "Blatt": part.sheet or "–",
                "Quelle": label,
                "Kommunen": _kommunen(part.partitions),
                "Monate": _period(part.partitions),
                "Zeilen": part.read_rows,
                "Fehler": sum(issue.sheet == part.sheet for issue in checked.errors),
                "Hinweise": sum(issue.sheet == part.sheet for issue in checked.warnings),
            }
            for part in checked.parts
        ],
        columns=["Blatt", "Quelle", "Kommunen", "Monate", "Zeilen", "Fehler", "Hinweise"],
    )


def issue_table(issues: list[Issue]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"Blatt": i.sheet or "–", "Zeile": i.row, "Spalte": i.column or "–", "Meldung": i.message} for i in issues],
        columns=["Blatt", "Zeile", "Spalte", "Meldung"],
    )


def preview(prepared: Prepared) -> pd.DataFrame:
    """The first stored rows with German column headers as they were written in the file (on its
    first sheet); for a workbook delivering on several sheets, the sheet of each row in front."""
    checked = prepared.checked
    if checked.rows is None or checked.source is None:
        return pd.DataFrame()
    frames = []
    remaining = PREVIEW_ROWS
    for part in checked.parts:
        if part.rows is None or (frames and part.rows.num_rows == 0) or remaining <= 0:
            continue
        frame = part.rows.slice(0, remaining).to_pandas()
        frame.insert(0, "Blatt", part.sheet or "–")
        frames.append(frame)
        remaining -= len(frame)
    frame = pd.concat(frames, ignore_index=True)
    if len(checked.parts) == 1:
        frame = frame.drop(columns="Blatt")
    labels = {c.name: checked.headers.get(c.name, c.display) for c in checked.source.columns}
    frame = frame.rename(columns={"excel_zeile": "Zeile", "unterdrueckt": "geheim (*)", **labels})
    frame[labels["kommune"]] = frame[labels["kommune"]].map(kommune_name)
    return frame

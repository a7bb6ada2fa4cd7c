"""Checking and storing uploaded files for the page "Daten hochladen".

Uploaded bytes go to a private temporary folder only for as long as they are needed: a rejected
file is deleted right after its check (it may hold personal data), an accepted one when it has been
stored or the upload is discarded.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from loaders.ingest import IngestResult, store_checked
from loaders.reference import kommune_name
from loaders.settings import db_path
from loaders.validate import CheckedFile, Issue, check_file

PREVIEW_ROWS = 20


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


def upload_key(name: str, data: bytes) -> str:
    return f"{name}:{hashlib.sha256(data).hexdigest()}"


def prepare(name: str, data: bytes) -> Prepared:
    """Check one uploaded file without storing anything."""
    folder = Path(tempfile.mkdtemp(prefix="kim-upload-"))
    path = folder / Path(name).name
    path.write_bytes(data)
    checked = check_file(path)
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


def summary(prepared: Prepared) -> dict[str, str]:
    """What was found in the file, in German, for the overview table."""
    checked = prepared.checked
    kommunen = sorted({kommune_name(k) for k, _ in checked.partitions})
    months = sorted({m for _, m in checked.partitions})
    if not months:
        period = "–"
    elif len(months) == 1:
        period = months[0].strftime("%m/%Y")
    else:
        period = f"{months[0]:%m/%Y} bis {months[-1]:%m/%Y} ({len(months)} Monate)"
    return {
        "Datei": prepared.name,
        "Ergebnis": "kann gespeichert werden" if prepared.accepted else "abgelehnt",
        "Quelle": checked.source.label if checked.source else "nicht erkannt",
        "Blatt": checked.sheet or "–",
        "Kommunen": ", ".join(kommunen) if len(kommunen) <= 4 else f"{len(kommunen)} Kommunen",
        "Monate": period,
        "Zeilen": str(checked.read_rows),
        "Fehler": str(len(checked.errors)),
        "Hinweise": str(len(checked.warnings)),
    }


def issue_table(issues: list[Issue]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"Blatt": i.sheet or "–", "Zeile": i.row, "Spalte": i.column or "–", "Meldung": i.message} for i in issues],
        columns=["Blatt", "Zeile", "Spalte", "Meldung"],
    )


def preview(prepared: Prepared) -> pd.DataFrame:
    """The first stored rows with German column headers as they were written in the file."""
    checked = prepared.checked
    if checked.rows is None or checked.source is None:
        return pd.DataFrame()
    frame = checked.rows.slice(0, PREVIEW_ROWS).to_pandas()
    labels = {c.name: checked.headers.get(c.name, c.display) for c in checked.source.columns}
    frame = frame.rename(columns={"excel_zeile": "Zeile", "unterdrueckt": "geheim (*)", **labels})
    frame[labels["kommune"]] = frame[labels["kommune"]].map(kommune_name)
    return frame

"""Backup, restore and rebuild of the database; each with its audit entry."""

from __future__ import annotations

from pathlib import Path

from actions.actor import Actor, record
from actions.published import publish
from loaders import rebuild as replay
from loaders.rebuild import RebuildResult
from store import history
from store.history import BackupResult, RestoreResult


def backup(out: Path | str, actor: Actor, *, database: Path | str | None = None) -> BackupResult:
    """Write the database, its event log and the archived originals into one zip file."""
    result = history.backup(out, database)
    record(actor, "sicherung", result.file.name, database=database)
    return result


def restore(
    file: Path | str, actor: Actor, *, database: Path | str | None = None, force: bool = False
) -> RestoreResult:
    """Bring back a backup; the audit log (beside the database, not part of a backup) says so."""
    result = history.restore(file, database, force=force)
    record(actor, "wiederherstellung", Path(file).name, database=database)
    publish(database)  # the backup's stored model may be from other code, or missing
    return result


def rebuild(actor: Actor, *, database: Path | str | None = None, force: bool = False) -> RebuildResult:
    """Recreate the database from the archived originals and the event log."""
    result = replay.rebuild(database, force=force)
    record(actor, "neuaufbau", f"{result.uploads} Uploads, {result.undos} Rücknahmen nachgespielt", database=database)
    publish(database)
    return result

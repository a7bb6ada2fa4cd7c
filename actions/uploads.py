"""Uploads of deliveries and official tables, and undoing them; each with its audit entry."""

from __future__ import annotations

from pathlib import Path

from actions.actor import Actor, record
from actions.published import publish as publish_model
from loaders import ingest, statistik_store
from loaders.ingest import IngestResult as IngestResult  # re-exported: what a front end reports of an upload
from loaders.statistik import StatTable
from loaders.statistik_store import StatistikResult
from loaders.validate import CheckedFile
from store import history
from store.history import Given, StatistikUndo, UndoResult


def _uploaded(result: IngestResult | StatistikResult, actor: Actor, database: Path | str | None) -> None:
    if result.status != "accepted":  # unchanged or rejected: nothing was written
        return
    what = "Statistik-Upload" if isinstance(result, StatistikResult) else "Upload"
    record(actor, "upload", f"{result.file} → {what} {result.upload_id}", database=database, upload_id=result.upload_id)


def ingest_file(
    path: Path,
    actor: Actor,
    *,
    database: Path | str | None = None,
    source_name: str | None = None,
    kommune: str | None = None,
    monat: str | None = None,
    dry_run: bool = False,
    display_name: str | None = None,
    publish: bool = True,
) -> IngestResult | StatistikResult:
    """Check a file and store it when it is accepted: a delivery of a source or an official table
    (``loaders.statistik_store.ingest_any``). A dry run only checks and records nothing. With
    ``publish`` the disclosure model of the data as it is now is stored (``actions/published.py``);
    several files in a row pass it with the last one only."""
    result = statistik_store.ingest_any(
        path,
        database=database,
        source_name=source_name,
        kommune=kommune,
        monat=monat,
        user=actor.recorded_name,
        dry_run=dry_run,
        display_name=display_name,
    )
    if not dry_run:
        _uploaded(result, actor, database)
        if publish:
            publish_model(database)
    return result


def store_delivery(
    checked: CheckedFile,
    name: str,
    actor: Actor,
    *,
    database: Path | str | None = None,
    given: Given | None = None,
    publish: bool = True,
) -> IngestResult:
    """Store a delivery checked before (the page checks first and stores on confirmation)."""
    result = ingest.store_checked(checked, name, database=database, user=actor.recorded_name, given=given)
    _uploaded(result, actor, database)
    if publish:
        publish_model(database)
    return result


def store_table(
    path: Path,
    name: str,
    table: StatTable,
    actor: Actor,
    *,
    database: Path | str | None = None,
    publish: bool = True,
) -> StatistikResult:
    """Store an official table read and checked before."""
    result = statistik_store.store_table(path, name, table, database, actor.recorded_name)
    _uploaded(result, actor, database)
    if publish:
        publish_model(database)
    return result


def undo(upload_id: int, actor: Actor, *, database: Path | str | None = None) -> UndoResult | StatistikUndo:
    """Undo an upload by its number, a delivery or an official table."""
    result = history.undo(upload_id, database, actor.recorded_name)
    _undone(result, actor, database)
    publish_model(database)
    return result


def undo_statistik(upload_id: int, actor: Actor, *, database: Path | str | None = None) -> StatistikUndo:
    """Undo an upload of an official table (``statistik --rueckgaengig``); refuses a delivery's number."""
    result = history.undo_statistik(upload_id, database, actor.recorded_name)
    _undone(result, actor, database)
    publish_model(database)
    return result


def _undone(result: UndoResult | StatistikUndo, actor: Actor, database: Path | str | None) -> None:
    what = "Statistik-Upload" if isinstance(result, StatistikUndo) else "Upload"
    record(actor, "rueckgaengig", f"{what} {result.upload_id}", database=database, upload_id=result.upload_id)

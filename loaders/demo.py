"""Demo database: realistic synthetic exports of every source, ingested like any upload."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from loaders import store
from loaders.demo_files import write_demo_files
from loaders.ingest import ingest_file
from loaders.settings import db_path, today
from metrics.compute import add_months


def last_complete_month() -> str:
    return add_months(today().replace(day=1), -1).strftime("%Y-%m")


def build_demo(
    database: Path | str | None = None, *, months: int = 36, scale: float = 1.0, case_format: str = "xlsx"
) -> str:
    """Write demo files into a temporary folder and ingest them; return a German summary."""
    target = db_path(database)
    started = time.perf_counter()
    accepted = rows = 0
    with tempfile.TemporaryDirectory(prefix="kim-demo-") as folder:
        files = write_demo_files(
            Path(folder), months=months, scale=scale, end=last_complete_month(), case_format=case_format
        )
        for path in files:
            result = ingest_file(path, database=target, user="demo", display_name=path.name)
            if result.status == "rejected":
                problems = "; ".join(i.message for i in result.checked.errors[:3])
                raise RuntimeError(f"Demo file {path.name} was rejected: {problems}")
            accepted += result.status == "accepted"
            rows += result.rows
    with store.connect(target, write=True) as connection:
        store.set_meta(connection, "demo", "ja")
    seconds = time.perf_counter() - started
    return (
        f"Demodaten erzeugt: {accepted} Lieferungen mit {rows:,} Zeilen in {seconds:.1f} s, Datenbank {target}".replace(
            ",", "."
        )
    )

"""The disclosure model's result as stored in the database (table ``offenlegung``).

The model (``metrics/disclosure.py``) costs seconds; a fresh process (``python -m metrics values``,
``python -m briefing``, the app after a restart) would compute it again for data that has not
changed. So every write that changes the data computes it once and stores it (``actions/published.py``),
and a reader takes the stored result only when its key equals the key of the state it reads: the
current partitions, the catalogue, the code and data files the model is computed with, and the
versions of the libraries it runs on. Any other state, or no stored result, and the reader computes
the model in memory as before. This module only reads; it never waits for the write lock.

The frames are stored as Arrow IPC streams with pandas' metadata: their columns, types, dates and
lists come back as they were (never pickle: a database from a backup must not run code).
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from core.files import sha256_of
from core.settings import DATA_DIR

ROOT = Path(__file__).resolve().parents[1]
TABLE = "offenlegung"


@functools.cache
def code_token() -> str:
    """Changes whenever the model could compute something else: its code (metrics/, core/), the
    reference and catalogue files in data/, the libraries it runs on."""
    files = [
        *sorted((ROOT / "metrics").rglob("*.py")),
        *sorted((ROOT / "metrics").rglob("*.sql")),
        *sorted((ROOT / "core").rglob("*.py")),
        *sorted(DATA_DIR.glob("*.yaml")),
        *sorted(DATA_DIR.glob("*.csv")),
    ]
    state = [[path.relative_to(ROOT).as_posix(), sha256_of(path)] for path in files]
    state += [[library.__name__, library.__version__] for library in (duckdb, np, pd, pa)]
    return hashlib.sha256(json.dumps(state).encode()).hexdigest()


def state_key(state: tuple[object, ...]) -> str:
    """The stored key of a state of the data and catalogue (independent of where the file lies)."""
    return hashlib.sha256(json.dumps([[str(s) for s in state], code_token()]).encode()).hexdigest()


def dump(frame: pd.DataFrame) -> bytes:
    table = pa.Table.from_pandas(frame, preserve_index=False)
    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def load(data: bytes) -> pd.DataFrame:
    table = pa.ipc.open_stream(pa.py_buffer(data)).read_all()
    frame: pd.DataFrame = table.to_pandas()
    for field in table.schema:
        if pa.types.is_list(field.type):  # Arrow gives arrays; the model made lists
            lists = np.empty(len(frame), dtype=object)
            for i, value in enumerate(frame[field.name]):  # one by one: numpy would make equal lists 2-D
                lists[i] = None if value is None else list(value)
            frame[field.name] = lists
    return frame


def read(connection: duckdb.DuckDBPyConnection, key: str) -> dict[str, pd.DataFrame] | None:
    """The stored frames of the state ``key``, or None when none are stored for it."""
    try:
        found = connection.execute(f"SELECT teil, daten FROM {TABLE} WHERE schluessel = ?", [key]).fetchall()
    except duckdb.CatalogException:  # a database from before the table
        return None
    if not found:
        return None
    return {str(teil): load(bytes(daten)) for teil, daten in found}


def current_key(connection: duckdb.DuckDBPyConnection) -> str | None:
    """The key of what is stored now (None: nothing)."""
    try:
        row = connection.execute(f"SELECT min(schluessel) FROM {TABLE}").fetchall()
    except duckdb.CatalogException:
        return None
    return None if not row or row[0][0] is None else str(row[0][0])

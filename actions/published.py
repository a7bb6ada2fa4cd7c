"""The disclosure model stored with the data it was computed from (``metrics/stored.py``).

Each action that changes the data (an upload, an undo, a restore, a rebuild, the demo build) calls
``publish`` after its write: the model is computed once on a read connection – no reader waits for
it – and stored in a short write, unless a later write changed the data meanwhile (that write
stores its own state). A reader uses a stored result only when its key is the state it reads, so
one that is outdated, missing or lost to a failed write only makes the reader compute the model
itself. Storing is no decision of a user and has no audit entry of its own: it belongs to the
action that changed the data.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

import store
from core.catalogue import catalogue
from core.errors import KimError
from metrics import stored
from metrics.disclosure import as_frames, disclosure, stored_key


def publish(database: Path | str | None = None) -> bool:
    """Compute and store the model of the database's current data, if not stored yet; True when it
    is stored now. A busy or unwritable database leaves it to the readers (never an error: the
    data write it follows has succeeded)."""
    cat = catalogue()
    try:
        with store.connect(database) as connection:
            key = stored_key(connection, cat)
            if stored.current_key(connection) == key:
                return True
            frames = {part: stored.dump(frame) for part, frame in as_frames(disclosure(connection, cat)).items()}
        with store.connect(database, write=True) as connection:
            if stored_key(connection, cat) != key:  # changed meanwhile; that write publishes its own state
                return False
            connection.execute("BEGIN TRANSACTION")
            connection.execute(f"DELETE FROM {stored.TABLE}")
            for part, data in frames.items():
                connection.execute(f"INSERT INTO {stored.TABLE} VALUES (?, ?, ?)", [part, key, data])
            connection.execute("COMMIT")
    except (KimError, duckdb.Error, OSError):
        return False
    return True

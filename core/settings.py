"""Settings read from the environment, in one place.

KIM_DB       path of the DuckDB file (default: data/kim.duckdb)
KIM_TODAY    the date taken as "today" (YYYY-MM-DD), for tests; default: today in Europe/Berlin
KIM_DB_WAIT  seconds to wait for a database held by another process (default: 20)
KIM_MAX_UPLOAD_MB  upload size limit in megabytes (default: 50)
KIM_USERS    the local user file with password hashes and roles (default: data/benutzer.json)
KIM_IDLE_MINUTES  a login ends after this many minutes without any action (default: 120)
KIM_AUDIT_KEY  the secret key file of the audit log (default: zugriffe.schluessel beside the user file)
KIM_PARSE_MEMORY_MB / KIM_PARSE_SECONDS  memory cap and time limit of the process reading a file (1024 / 60)
KIM_PARSE_WORKERS  how many files are read at the same time (default: the CPUs, at least 2)
KIM_GEOJSON  a GeoJSON of the Kommunen for a real map instead of the tile map (default: unset)
KIM_DEBUG    tracebacks instead of the German message (default: unset)

No other module reads a KIM_* variable; the file-reading sandbox hands them on to its children
with kim_variables() and use_kim_variables().
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
TIMEZONE = ZoneInfo("Europe/Berlin")


def db_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The database file: an explicit path, else KIM_DB, else data/kim.duckdb."""
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("KIM_DB") or DATA_DIR / "kim.duckdb")


def archive_dir(database: Path) -> Path:
    """Accepted originals are archived beside the database they were loaded into."""
    return database.parent / "archive"


def today() -> dt.date:
    """'Today' for every rule that depends on it (future months, age of a delivery)."""
    fixed = os.environ.get("KIM_TODAY")
    if fixed:
        return dt.date.fromisoformat(fixed)
    return dt.datetime.now(TIMEZONE).date()


def now() -> dt.datetime:
    return dt.datetime.now(TIMEZONE)


def db_wait_seconds() -> float:
    return float(os.environ.get("KIM_DB_WAIT", "20"))


def max_upload_bytes() -> int:
    return int(float(os.environ.get("KIM_MAX_UPLOAD_MB", "50")) * 1024 * 1024)


def users_path() -> Path:
    """The local user file (never committed): KIM_USERS, else data/benutzer.json."""
    return Path(os.environ.get("KIM_USERS") or DATA_DIR / "benutzer.json")


def audit_path(database: Path) -> Path:
    """The audit log of a database lies beside it and is never part of its backup or rebuild."""
    return database.parent / f"zugriffe-{database.stem}.jsonl"


def audit_anchor_path(database: Path) -> Path:
    """The last hash and line count of the audit log, kept beside it so that a shortened log shows."""
    return database.parent / f"zugriffe-{database.stem}.anker"


def audit_key_path() -> Path:
    """The secret that keys the audit log's hashes (never committed, never beside the log in a
    backup): KIM_AUDIT_KEY, else zugriffe.schluessel beside the user file."""
    explicit = os.environ.get("KIM_AUDIT_KEY")
    return Path(explicit) if explicit else users_path().with_name("zugriffe.schluessel")


def login_attempts_path() -> Path:
    """Failed logins per name, shared by every session and process: beside the user file."""
    return users_path().with_name("anmeldeversuche.sqlite")


def backups_dir(database: Path) -> Path:
    """Backups made from the app lie beside the database (never committed)."""
    return database.parent / "sicherungen"


def idle_minutes() -> float:
    return float(os.environ.get("KIM_IDLE_MINUTES", "120"))


DEFAULT_PARSE_MEMORY_MB = 1024
DEFAULT_PARSE_SECONDS = 60.0
MIN_PARSE_WORKERS = 2


def parse_memory_bytes() -> int:
    """The address-space cap of a parsing child (KIM_PARSE_MEMORY_MB, default 1024 MB)."""
    return int(float(os.environ.get("KIM_PARSE_MEMORY_MB", DEFAULT_PARSE_MEMORY_MB)) * 1024 * 1024)


def parse_seconds() -> float:
    """The wall-clock limit of a parsing child (KIM_PARSE_SECONDS, default 60 s)."""
    return float(os.environ.get("KIM_PARSE_SECONDS", DEFAULT_PARSE_SECONDS))


def parse_workers() -> int:
    """How many files are read at the same time (KIM_PARSE_WORKERS, default: CPUs, at least 2)."""
    configured = os.environ.get("KIM_PARSE_WORKERS")
    if configured:
        return max(1, int(configured))
    return max(MIN_PARSE_WORKERS, os.cpu_count() or MIN_PARSE_WORKERS)


def geojson_path() -> Path | None:
    """A GeoJSON of the Kommunen for the map (KIM_GEOJSON); None when unset or not a file."""
    configured = os.environ.get("KIM_GEOJSON")
    return Path(configured) if configured and Path(configured).is_file() else None


def debug() -> bool:
    """KIM_DEBUG set: failures raise with their traceback instead of the German message."""
    return bool(os.environ.get("KIM_DEBUG"))


def kim_variables() -> dict[str, str]:
    """Every KIM_* setting of this process, to hand on to a process that starts with another environment."""
    return {name: value for name, value in os.environ.items() if name.startswith("KIM_")}


def use_kim_variables(variables: dict[str, str]) -> None:
    """Take the KIM_* settings handed on by ``kim_variables()`` in place of this process's own."""
    for name in [name for name in os.environ if name.startswith("KIM_")]:
        del os.environ[name]
    os.environ.update(variables)

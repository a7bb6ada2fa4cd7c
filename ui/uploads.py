"""Checking and storing uploaded files for the page "Daten hochladen".

Uploaded bytes go to a private temporary folder only for as long as they are needed: a rejected
file is deleted right after its check (it may hold personal data), an accepted one when it has been
stored or the upload is discarded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from actions import uploads as upload_actions
from actions.actor import Actor
from actions.uploads import IngestResult
from core import format as fmt
from core.files import sha256_of
from core.periods import parse_monat
from core.reference import KREIS_MARKER, kommune_name, kommunen, kreis, resolve_kommune
from core.settings import db_path, max_upload_bytes, today
from loaders import sandbox, statistik_store
from loaders.statistik_store import STATISTIK_LABEL, StatistikResult
from loaders.validate import CheckedFile, Issue, check_file
from store.history import Given

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
    needs: tuple[str, ...] = ()  # "kommune", "monat": columns the file lacks, to be given on the page
    kommune: str | None = None  # AGS given on the page (and checked with the file)
    monat: dt.date | None = None  # month given on the page (and checked with the file)
    # An official statistics table (loaders.statistik_store): it carries its regions and periods, so
    # nothing is given on the page; ``checked`` then holds only the file's path and hash.
    statistik: StatistikResult | None = None

    @property
    def accepted(self) -> bool:
        if self.statistik is not None:
            return self.statistik.status == "accepted"
        return self.checked.accepted and (not self.needs or self.given_complete)

    @property
    def warnings(self) -> list[Issue]:
        return self.statistik.warnings if self.statistik is not None else self.checked.warnings

    @property
    def given_complete(self) -> bool:
        """Every column the file lacks was given on the page, and the file was checked with it."""
        return ("kommune" not in self.needs or self.kommune is not None) and (
            "monat" not in self.needs or self.monat is not None
        )

    @property
    def waiting(self) -> bool:
        """The file lacks a Kommune or month column, and nothing was given for it yet."""
        return bool(self.needs) and not self.given_complete

    @property
    def errors(self) -> list[Issue]:
        """The errors to show: while Kommune and month are still to be chosen on the page, not the
        missing columns themselves (the page asks for them instead)."""
        if self.statistik is not None:
            return self.statistik.errors
        if not self.waiting or self.checked.source is None:
            return self.checked.errors
        missing = tuple(f"Pflichtspalte '{self.checked.source.column(name).display}' fehlt" for name in self.needs)
        return [issue for issue in self.checked.errors if not issue.message.startswith(missing)]

    def given(self) -> Given | None:
        """What was given besides the file, logged with the upload so that it can be replayed."""
        if not self.needs or self.checked.source is None:
            return None
        return Given(
            quelle=self.checked.source.name,
            kommune=self.kommune,
            monat=self.monat.strftime("%Y-%m") if self.monat else None,
        )

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
    return f"{fmt.compact(max_upload_bytes() / (1024 * 1024))} MB"


def transfer_limit_mb(server_limit_mb: int) -> int:
    """The size up to which the upload field takes a file: the server's ``server.maxUploadSize``, at
    least the app's limit. It lies above the app's limit on purpose: a file over the app's limit then
    reaches the check, which refuses it in German ("größer als die zulässigen 50 MB"), instead of
    Streamlit's English "File must be 50.0MB or smaller." in the field."""
    limit = max(1, math.ceil(max_upload_bytes() / (1024 * 1024)))
    return max(limit, int(server_limit_mb))


def checking_label(name: str) -> str:
    """The spinner's text while a file is checked; says so when it must wait for a free place."""
    if sandbox.busy():
        return f"{name} wartet auf einen freien Prüfplatz (andere Dateien werden gerade geprüft) …"
    return f"{name} wird geprüft …"


def prepare(
    name: str, data: bytes, kommune: str | None = None, monat: dt.date | None = None, needs: tuple[str, ...] = ()
) -> Prepared:
    """Check one uploaded file without storing anything. ``name`` is the name the browser gave; it
    is shown and stored as ``clean_name`` makes it.

    ``kommune`` (AGS) and ``monat``, chosen on the page for a file without those columns, go through
    exactly the checks of the command line's ``--kommune`` and ``--month``. ``needs``: the columns the
    file was found to lack at its first check (found again here when not given)."""
    name = clean_name(name)
    folder = Path(tempfile.mkdtemp(prefix="kim-upload-"))
    try:
        path = folder / name
        path.write_bytes(data)
        if kommune is None and monat is None and not needs:  # may be an official table: as `ingest` decides
            found = statistik_store.check_upload(path, name)
        else:
            found = check_file(path, kommune=kommune, monat=monat.strftime("%Y-%m") if monat else None)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if isinstance(found, StatistikResult):
        prepared = Prepared(name, CheckedFile(path, sha256_of(path)), None, statistik=found)
        if prepared.accepted:
            prepared.folder = folder
        else:
            shutil.rmtree(folder, ignore_errors=True)
        return prepared
    checked = found
    prepared = Prepared(name, checked, None, needs or lacking_columns(checked), kommune, monat)
    if not checked.accepted:
        shutil.rmtree(folder, ignore_errors=True)
        return prepared
    prepared.folder = folder
    return prepared


def lacking_columns(checked: CheckedFile) -> tuple[str, ...]:
    """Of Kommune and month, the required columns a sheet of the file does not have: they can be
    given on the page (as on the command line with --kommune and --month)."""
    source = checked.source
    if source is None or not checked.parts:
        return ()
    declared = {column.name: column for column in source.columns}
    return tuple(
        name
        for name in ("kommune", "monat")
        if name in declared and declared[name].required and any(name not in part.headers for part in checked.parts)
    )


def store(prepared: Prepared, actor: Actor, *, publish: bool = True) -> IngestResult | StatistikResult:
    """Store an accepted file (or find it unchanged), then delete its temporary copy; ``publish``
    (the last of several files) stores the disclosure model of the data as it is then."""
    try:
        if prepared.statistik is not None:
            assert prepared.folder is not None and prepared.statistik.table is not None
            path = prepared.folder / prepared.name
            return upload_actions.store_table(
                path, prepared.name, prepared.statistik.table, actor, database=db_path(), publish=publish
            )
        return upload_actions.store_delivery(
            prepared.checked, prepared.name, actor, database=db_path(), given=prepared.given(), publish=publish
        )
    finally:
        prepared.discard()


# --- Kommune and month from the file name ---------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")  # letters only: digits in a name are months, years or numbers
_YEAR_MONTH = re.compile(r"(?<!\d)(20\d{2})[-_. ]?(0[1-9]|1[0-2])(?!\d)")
_MONTH_YEAR = re.compile(r"(?<!\d)(0?[1-9]|1[0-2])[-_. ](20\d{2})(?!\d)")
_NAMED_MONTH = re.compile(r"([^\W\d_]{3,})[-_. ]?(20\d{2})(?!\d)")


def propose_from_name(name: str) -> tuple[str | None, dt.date | None]:
    """The Kommune (AGS) and month a file name states, e.g. ``KIM_CM_Selm_2026-07.xlsx`` → Selm,
    07/2026; ``Fallliste_Fröndenberg_07-2026.csv`` → Fröndenberg/Ruhr, 07/2026. Only a proposal,
    shown on the page for confirmation; None where the name states none, or more than one."""
    stem = clean_name(name).rsplit(".", 1)[0] if "." in name else clean_name(name)
    return _kommune_in(stem), _month_in(stem)


def _kommune_in(stem: str) -> str | None:
    words = _WORD.findall(stem)
    found: set[str] = set()
    used: set[int] = set()
    for width in (3, 2, 1):  # the longest spelling first: "Kreis Unna" is no Unna, "Werne an der Lippe" is Werne
        for start in range(len(words) - width + 1):
            span = set(range(start, start + width))
            if span & used:
                continue
            ags = resolve_kommune(" ".join(words[start : start + width]))
            if ags is not None:
                used |= span
                if ags != KREIS_MARKER:
                    found.add(ags)
    return found.pop() if len(found) == 1 else None


def _month_in(stem: str) -> dt.date | None:
    found: set[dt.date] = set()
    for match in _YEAR_MONTH.finditer(stem):
        found.add(dt.date(int(match[1]), int(match[2]), 1))
    for match in _MONTH_YEAR.finditer(stem):
        found.add(dt.date(int(match[2]), int(match[1]), 1))
    for match in _NAMED_MONTH.finditer(stem):
        month = parse_monat(f"{match[1]} {match[2]}")
        if month is not None:
            found.add(month)
    return found.pop() if len(found) == 1 else None


def month_choices(count: int = 61) -> list[dt.date]:
    """The months a file's month can be given as, newest first: the current month and the five
    years before it (older or future months are refused by the check anyway)."""
    month = today().replace(day=1)
    months = []
    for _ in range(count):
        months.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return months


def kommune_choices() -> list[str]:
    return [k.ags for k in kommunen()]


def _kommunen(partitions: Iterable[tuple[str, dt.date]]) -> str:
    names = sorted({kommune_name(k) for k, _ in partitions})
    if not names:
        return "–"
    return ", ".join(names) if len(names) <= 4 else f"{len(names)} Kommunen"


def _months_text(partitions: Iterable[tuple[str, dt.date]]) -> str:
    months = sorted({m for _, m in partitions})
    if not months:
        return "–"
    if len(months) == 1:
        return fmt.month_short(months[0])
    return f"{fmt.month_short(months[0])} bis {fmt.month_short(months[-1])} ({len(months)} Monate)"


def outcome(prepared: Prepared) -> str:
    if prepared.waiting and not prepared.errors:
        return f"{needs_text(prepared.needs)} angeben"
    return "kann gespeichert werden" if prepared.accepted else "abgelehnt"


def needs_text(needs: Iterable[str]) -> str:
    """("kommune", "monat") → "Kommune und Monat"."""
    return fmt.german_list([{"kommune": "Kommune", "monat": "Monat"}[name] for name in needs])


def summary(prepared: Prepared) -> dict[str, str]:
    """What was found in the file, in German, for the overview table."""
    if prepared.statistik is not None:
        return _statistik_summary(prepared, prepared.statistik)
    checked = prepared.checked
    partitions = [key for part in checked.parts for key in part.partitions] or list(checked.partitions)
    sheets = [part.sheet for part in checked.parts if part.sheet]
    return {
        "Datei": prepared.name,
        "Ergebnis": outcome(prepared),
        "Quelle": checked.source.label if checked.source else "nicht erkannt",
        "Blatt": "–" if not sheets else ", ".join(sheets) if len(sheets) <= 3 else f"{len(sheets)} Blätter",
        "Kommunen": _kommunen(partitions),
        "Monate": _months_text(partitions),
        "Zeilen": "–" if prepared.waiting else fmt.number(checked.read_rows),
        "Fehler": fmt.number(len(prepared.errors)),
        "Hinweise": fmt.number(len(checked.warnings)),
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
                "Monate": _months_text(part.partitions),
                "Zeilen": part.read_rows,
                "Fehler": sum(issue.sheet == part.sheet for issue in checked.errors),
                "Hinweise": sum(issue.sheet == part.sheet for issue in checked.warnings),
            }
            for part in checked.parts
        ],
        columns=["Blatt", "Quelle", "Kommunen", "Monate", "Zeilen", "Fehler", "Hinweise"],
    )


ISSUE_COLUMNS = ["Blatt", "Zeilen", "Spalte", "Meldung"]
MAX_RANGES = 8  # row ranges named in one cell; the rest are counted
# The validator names at most 50 rows per problem and then adds one line for the rest.
_MORE_ROWS = re.compile(r"^… und ([\d.]+) weitere Zeilen mit demselben Problem")


def issue_table(issues: list[Issue]) -> pd.DataFrame:
    """Errors or warnings for the page: one line per problem of one kind, i.e. the same message at
    the same sheet and column, with the Excel rows it concerns ("5–34", "5, 7, 9–12") or "–" for a
    problem of the whole file."""
    groups: dict[tuple[str | None, str | None, str], list[int]] = {}
    more: list[tuple[str | None, str | None, int, Issue]] = []
    for issue in issues:
        tail = _MORE_ROWS.match(issue.message) if issue.row is None else None
        if tail:
            more.append((issue.sheet, issue.column, int(tail[1].replace(".", "")), issue))
            continue
        rows = groups.setdefault((issue.sheet, issue.column, issue.message), [])
        if issue.row is not None:
            rows.append(issue.row)
    extra: dict[tuple[str | None, str | None, str], int] = {}
    loose = []
    for sheet, column, count, issue in more:
        same_place = [key for key in groups if key[:2] == (sheet, column) and groups[key]]
        if len(same_place) == 1:  # one problem in this column: its further rows belong to it
            extra[same_place[0]] = count
        else:
            loose.append(issue)
    lines = [
        {
            "Blatt": sheet or "–",
            "Zeilen": row_ranges(rows, extra.get((sheet, column, message), 0)),
            "Spalte": column or "–",
            "Meldung": message,
        }
        for (sheet, column, message), rows in groups.items()
    ]
    lines += [{"Blatt": i.sheet or "–", "Zeilen": "–", "Spalte": i.column or "–", "Meldung": i.message} for i in loose]
    return pd.DataFrame(lines, columns=ISSUE_COLUMNS)


def row_ranges(rows: Iterable[int], further: int = 0) -> str:
    """Excel rows as a reader names them: [5, 6, 7, 9] → "5–7, 9"; none → "–"; ``further`` rows
    that were not listed one by one are counted ("2–51 und 950 weitere")."""
    numbers = sorted(set(rows))
    if not numbers:
        return "–"
    ranges: list[tuple[int, int]] = []
    for number in numbers:
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], number)
        else:
            ranges.append((number, number))
    shown = [f"{a}" if a == b else f"{a}–{b}" for a, b in ranges[:MAX_RANGES]]
    hidden = sum(b - a + 1 for a, b in ranges[MAX_RANGES:]) + further
    text = ", ".join(shown)
    return f"{text} und {fmt.number(hidden)} weitere" if hidden else text


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


# --- official statistics tables -------------------------------------------------------------------


def _statistik_summary(prepared: Prepared, result: StatistikResult) -> dict[str, str]:
    table = result.table
    return {
        "Datei": prepared.name,
        "Ergebnis": outcome(prepared),
        "Quelle": f"{STATISTIK_LABEL}, Tabelle {table.tabelle}" if table else STATISTIK_LABEL,
        "Blatt": (table.sheet or "–") if table else "–",
        "Kommunen": regions_text(table.values.column("region").to_pylist()) if table else "–",
        "Monate": periods_text(table.values.column("periode").to_pylist()) if table else "–",
        "Zeilen": fmt.number(result.rows) if table else "–",
        "Fehler": fmt.number(len(result.errors)),
        "Hinweise": fmt.number(len(result.warnings)),
    }


def regions_text(regions: Iterable[str]) -> str:
    """Stored regions of an official table in short German: "Kreis Unna und 10 Kommunen"."""
    found = set(regions)
    if not found:
        return "–"
    parts = [kreis().name] if kreis().ags in found else []
    local = sorted(kommune_name(r) for r in found if r != kreis().ags)
    if local:
        parts.append(", ".join(local) if len(local) <= 3 else f"{len(local)} Kommunen")
    return fmt.german_list(parts)


def periods_text(periods: Iterable[str]) -> str:
    found = sorted(set(periods))
    if not found:
        return "–"
    if len(found) == 1:
        return fmt.period_short(found[0])
    return f"{fmt.period_short(found[0])} bis {fmt.period_short(found[-1])} ({len(found)} Zeitpunkte)"


def statistik_caption(result: StatistikResult) -> str:
    """Table, title and Stand of an official table, for the page."""
    table = result.table
    if table is None:
        return STATISTIK_LABEL
    stand = f"Stand {fmt.day(table.stand)}" if table.stand else "ohne Stand"
    return f"{STATISTIK_LABEL}, Tabelle {table.tabelle}: {table.titel} ({stand})"


def statistik_preview(result: StatistikResult) -> pd.DataFrame:
    """The first values to be stored, as the page shows them."""
    columns = ["Zeile", "Merkmal", "Region", "Zeitraum", "Wert"]
    if result.table is None:
        return pd.DataFrame(columns=columns)
    rows = result.table.values.slice(0, PREVIEW_ROWS).to_pylist()
    return pd.DataFrame(
        [
            {
                "Zeile": row["excel_zeile"],
                "Merkmal": row["merkmal"],
                "Region": kommune_name(row["region"]),
                "Zeitraum": fmt.period_short(row["periode"]),
                "Wert": official_value(row["wert"], row["symbol"]),
            }
            for row in rows
        ],
        columns=columns,
    )


# The official symbols as the portals print them, and what each means (their legend).
SYMBOLS = {
    "-": "–",
    ".": ".",
    "x": "x",
    "...": "…",
    "/": "/",
}
SYMBOL_LEGEND = {
    "–": "nichts vorhanden (genau null)",
    ".": "Zahlenwert unbekannt oder geheim zu halten",
    "x": "Tabellenfach gesperrt, weil Aussage nicht sinnvoll",
    "…": "Angabe fällt später an",
    "/": "keine Angaben, da Zahlenwert nicht sicher genug",
    "( )": "Aussagewert eingeschränkt, da der Zahlenwert statistisch relativ unsicher ist",
}


def official_value(wert: object, symbol: str | None) -> str:
    """An official value as shown: the German number with as many decimals as delivered, or the
    official symbol where it stands for the value ("–" for nothing, never "0"); "(12)" for a value
    of limited reliability."""
    if symbol in SYMBOLS:
        return SYMBOLS[symbol]
    if wert is None or wert == "":
        return "–"
    text = str(wert)
    decimals = len(text.partition(".")[2])
    shown = fmt.number(float(text), decimals)
    return f"({shown})" if symbol == "()" else shown

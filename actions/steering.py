"""What the Lenkungskreis and the analysts decide and note: targets, Anmerkungen, frozen meetings.
Each write opens the database for one short transaction (see store/__init__.py) and records its
audit entry; the read side of these tables is ``metrics/steering.py``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

import store
from actions.actor import Actor, record
from core import format as fmt
from core.catalogue import Catalogue, catalogue
from core.errors import KimError
from core.reference import kommunen, kreis, teilregionen
from core.settings import now
from metrics.targets import check_target
from metrics.texts import target_text
from metrics.values import indicator_values

MAX_COMMENT = 500


def _region_label(kommune: str | None) -> str:
    if kommune is None:
        return "alle Gebiete"
    names = {kreis().ags: kreis().name} | {r.code: r.name for r in teilregionen()} | {k.ags: k.name for k in kommunen()}
    return names.get(kommune, kommune)


def set_target(
    kennzahl: str,
    value: float,
    actor: Actor,
    *,
    database: Path | str | None = None,
    kommune: str | None = None,
    gueltig_ab: dt.date | None = None,
    confirmed: bool = True,
) -> None:
    """Set (or confirm) a target; the newest decision for an indicator, region and start wins."""
    cat = catalogue()
    try:
        entry = cat.get(kennzahl)
    except KeyError:
        raise KimError(f"Die Kennzahl {kennzahl} gibt es im Katalog nicht.") from None
    if entry.direction == "neutral":
        raise KimError(f"{kennzahl} ist eine Kontextkennzahl und hat keinen Zielwert.")
    check_target(entry, value)  # also here, so that no way of saving skips the plausibility check
    with store.connect(database, write=True) as connection:
        connection.execute(
            "INSERT INTO zielwert VALUES (?, ?, ?, ?, ?, ?, ?)",
            [kennzahl, kommune, gueltig_ab, value, confirmed, actor.recorded_name, now()],
        )
    since = f" ab {fmt.day(gueltig_ab)}" if gueltig_ab else ""
    state = "beschlossen" if confirmed else "Vorschlag"
    record(
        actor,
        "zielwert",
        f"{kennzahl}: {target_text(entry.direction, value, entry.unit)} für {_region_label(kommune)}{since} ({state})",
        database=database,
        kennzahl=kennzahl,
    )


def confirm_default_targets(actor: Actor, *, database: Path | str | None = None, cat: Catalogue | None = None) -> int:
    """The Lenkungskreis adopts the catalogue's proposals as they are; returns how many."""
    cat = cat or catalogue()
    defaults = [k for k in cat.kennzahlen if k.zielwert is not None]
    with store.connect(database, write=True) as connection:
        connection.execute("BEGIN TRANSACTION")
        for kennzahl in defaults:
            connection.execute(
                "INSERT INTO zielwert VALUES (?, NULL, NULL, ?, true, ?, ?)",
                [kennzahl.code, kennzahl.zielwert, actor.recorded_name, now()],
            )
        connection.execute("COMMIT")
    record(actor, "zielwerte_bestaetigt", f"{len(defaults)} Vorschläge des Katalogs beschlossen", database=database)
    return len(defaults)


def freeze_meeting(datum: dt.date, actor: Actor, *, database: Path | str | None = None) -> int:
    """Sitzung festhalten: store the published figures (months and quarters) as shown today, with
    the meeting's date and the catalogue version; returns the meeting's number."""
    cat = catalogue()
    with store.connect(database, write=True) as connection:
        frames = []
        for period in ("month", "quarter"):
            values = indicator_values(connection, period)  # published: hidden cells stay hidden
            frames.append(
                values.assign(periode_art=period)[
                    ["periode_art", "kennzahl", "kommune", "periode", "wert", "unterdrueckt", "ampel"]
                ]
            )
        frozen = pd.concat(frames, ignore_index=True)
        frozen["wert"] = pd.to_numeric(frozen["wert"], errors="coerce").astype(float)
        connection.execute("BEGIN TRANSACTION")
        meeting = int(store.first_row(connection, "SELECT nextval('sitzung_seq')")[0])  # type: ignore[index]
        connection.execute(
            "INSERT INTO sitzung VALUES (?, ?, ?, ?, ?)", [meeting, datum, cat.version, actor.recorded_name, now()]
        )
        connection.register("frozen_values", frozen)
        connection.execute("INSERT INTO sitzung_wert SELECT ?, * FROM frozen_values", [meeting])
        connection.unregister("frozen_values")
        connection.execute("COMMIT")
    record(actor, "sitzung", f"Sitzung {meeting} vom {datum:%d.%m.%Y}", database=database)
    return meeting


def add_comment(
    kennzahl: str, kommune: str, periode: str, text: str, actor: Actor, *, database: Path | str | None = None
) -> int:
    """Save an Anmerkung to an indicator of a region and period; returns its number."""
    text = " ".join(text.split())
    if not text:
        raise KimError("Bitte einen Text für die Anmerkung eingeben.")
    if len(text) > MAX_COMMENT:
        raise KimError(f"Eine Anmerkung darf höchstens {MAX_COMMENT} Zeichen lang sein.")
    with store.connect(database, write=True) as connection:
        number = int(store.first_row(connection, "SELECT nextval('anmerkung_seq')")[0])  # type: ignore[index]
        connection.execute(
            "INSERT INTO anmerkung VALUES (?, ?, ?, ?, ?, ?, ?, false)",
            [number, kennzahl, kommune, periode, text, actor.recorded_name, now()],
        )
    record(actor, "anmerkung", f"{kennzahl} · {kommune} · {periode}: gespeichert", database=database)
    return number


def remove_comment(anmerkung_id: int, actor: Actor, *, database: Path | str | None = None) -> None:
    """Remove an Anmerkung (it stays in the table, marked as removed)."""
    with store.connect(database, write=True) as connection:
        row = store.first_row(
            connection,
            "SELECT kennzahl, kommune, periode FROM anmerkung WHERE anmerkung_id = ? AND NOT geloescht",
            [anmerkung_id],
        )
        if row is None:
            raise KimError("Diese Anmerkung wurde bereits entfernt.")
        connection.execute("UPDATE anmerkung SET geloescht = true WHERE anmerkung_id = ?", [anmerkung_id])
    kennzahl, kommune, periode = row
    record(actor, "anmerkung", f"{kennzahl} · {kommune} · {periode}: entfernt", database=database)

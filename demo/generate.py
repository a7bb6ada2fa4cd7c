"""Demo database: realistic synthetic exports of every source, ingested like any upload.

The deliveries arrive as they would in a real year (``arrivals``): the delivery for month M in month
M+1, most of them between the 3rd and the 14th (before the due day, ``data/lieferung.yaml``), some
after it, a few only in the month after that; each at a working-day hour, uploaded by a plausible
role (the delivering agency or the KI-Team). Whether a delivery is late is drawn from a random
generator seeded by the delivery itself, so it does not change with the range of months. A
delivery that has not arrived before today is not ingested; for the last month the case lists of
``OUTSTANDING_KOMMUNEN`` Kommunen are always still outstanding. So the "Datenstand" page shows
delivered, late, missing and not yet due deliveries as it would in use. The upload time reaches
the database through the ordinary ingest (``ingest_file(zeit=...)``), so history, undo and
rebuild treat the demo uploads like any other.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import store
from actions.published import publish
from core import format as fmt
from core.periods import add_months
from core.reference import kommune_name
from core.settings import TIMEZONE, db_path, today
from demo.files import DEMO_KOMMUNEN, DemoDelivery, write_demo_deliveries
from loaders.ingest import ingest_file

DEMO_SEED = 2021
ON_TIME_DAYS = (3, 14)  # of the following month
LATE_DAYS = (16, 24)  # of the following month, after the due day (15th)
VERY_LATE_DAYS = (3, 20)  # of the month after the following one
LATE_SHARE = 0.08
VERY_LATE_SHARE = 0.02
OUTSTANDING_KOMMUNEN = 2  # case lists of the last month that have not come in yet
UPLOADERS = {
    "arbeitsmarkt": "Jobcenter Kreis Unna",
    "auslaenderbehoerde": "Ausländerbehörde Kreis Unna",
    "schule": "Schulamt für den Kreis Unna",
    "sprache": "KI-Team",
    "ehrenamt": "KI-Team",
    "kennzahlen": "KI-Team",
    "bevoelkerung": "KI-Team",
    "fallmanagement": "KI-Team",
}


@dataclass(frozen=True)
class Arrival:
    """When a demo delivery reaches the KI and who uploads it."""

    delivery: DemoDelivery
    zeit: dt.datetime  # Europe/Berlin
    benutzer: str


def last_complete_month() -> str:
    return add_months(today().replace(day=1), -1).strftime("%Y-%m")


def outstanding_kommunen(last_monat: str, seed: int = DEMO_SEED) -> set[str]:
    """The Kommunen whose case list for the last month is still outstanding (seeded)."""
    chooser = random.Random(f"{seed}/ausstehend/{last_monat}")
    return set(chooser.sample(sorted(k.ags for k in DEMO_KOMMUNEN), OUTSTANDING_KOMMUNEN))


def arrival_time(delivery: DemoDelivery, *, seed: int = DEMO_SEED, outstanding: bool = False) -> dt.datetime:
    """When one delivery arrives: on time (days 3–14 of the following month, a weekend moved back
    to Friday), late (days 16–24, a weekend moved on to Monday) or very late (days 3–20 of the month
    after); between 8 and 17 o'clock. ``outstanding`` forces very late."""
    draw = random.Random(f"{seed}/{delivery.quelle}/{delivery.kommune or 'alle'}/{delivery.monat}")
    year, month = map(int, delivery.monat.split("-"))
    following = add_months(dt.date(year, month, 1), 1)
    kind = draw.random()
    if outstanding or kind < VERY_LATE_SHARE:
        day = add_months(following, 1).replace(day=draw.randint(*VERY_LATE_DAYS))
        day += dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)
    elif kind < VERY_LATE_SHARE + LATE_SHARE:
        day = following.replace(day=draw.randint(*LATE_DAYS))
        day += dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)
    else:
        day = following.replace(day=draw.randint(*ON_TIME_DAYS))
        day -= dt.timedelta(days=day.weekday() - 4 if day.weekday() >= 5 else 0)
    return dt.datetime(day.year, day.month, day.day, draw.randint(8, 16), draw.randint(0, 59), tzinfo=TIMEZONE)


def arrivals(deliveries: list[DemoDelivery], *, seed: int = DEMO_SEED) -> list[Arrival]:
    """Every delivery with its arrival, in the order they arrive (arrived or not)."""
    last = max(d.monat for d in deliveries)
    late = outstanding_kommunen(last, seed)
    result = []
    for delivery in deliveries:
        outstanding = delivery.monat == last and delivery.kommune in late
        uploader = UPLOADERS[delivery.quelle]
        if delivery.kommune is not None:
            uploader = f"Fallmanagement {kommune_name(delivery.kommune)}"
        result.append(Arrival(delivery, arrival_time(delivery, seed=seed, outstanding=outstanding), uploader))
    return sorted(result, key=lambda a: (a.zeit, a.delivery.path.name))


def build_demo(
    database: Path | str | None = None, *, months: int = 36, scale: float = 1.0, case_format: str = "xlsx"
) -> str:
    """Write demo files into a temporary folder and ingest those that have arrived before today,
    each with its arrival time; return a German summary."""
    target = db_path(database)
    started = time.perf_counter()
    accepted = rows = outstanding = 0
    with tempfile.TemporaryDirectory(prefix="kim-demo-") as folder:
        deliveries = write_demo_deliveries(
            Path(folder), months=months, scale=scale, end=last_complete_month(), case_format=case_format
        )
        for arrival in arrivals(deliveries):
            if arrival.zeit.date() >= today():
                outstanding += 1
                continue
            delivery = arrival.delivery
            result = ingest_file(
                delivery.path,
                database=target,
                kommune=delivery.kommune,
                monat=delivery.monat if delivery.kommune else None,
                user=arrival.benutzer,
                display_name=delivery.path.name,
                zeit=arrival.zeit,
                demo=True,
            )
            if result.status == "rejected":
                problems = "; ".join(i.message for i in result.checked.errors[:3])
                raise RuntimeError(f"Demo file {delivery.path.name} was rejected: {problems}")
            accepted += result.status == "accepted"
            rows += result.rows
    with store.connect(target, write=True) as connection:
        store.set_meta(connection, "demo", "ja")
    publish(target)  # the disclosure model, so that no reader computes it first
    seconds = fmt.number(time.perf_counter() - started, 1)
    return (
        f"Demodaten erzeugt: {fmt.number(accepted)} Lieferungen mit {fmt.number(rows)} Zeilen "
        f"({fmt.number(outstanding)} noch ausstehend) in {seconds} s, Datenbank {target}"
    )

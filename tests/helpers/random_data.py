"""Random data sets for the oracle comparison: canonical delivery files of all ten Kommunen and all
seven Datenquellen, with gaps (Kommunen or months without a delivery), empty cells, zeros, stale and
still-open cases, and later corrections that replace earlier partitions. The files respect the
validation rules of ``docs/datenlieferung.md#fehler-die-datei-wird-abgelehnt`` so that a correct
loader accepts them all. Used by tests/metrics/test_oracle_random.py and test_attacker.py."""

from __future__ import annotations

import csv
import datetime
import pathlib
import random
from dataclasses import dataclass

from tests.helpers import oracle
from tests.helpers.environment import TODAY_DATE
from tests.helpers.oracle import last_day

LAST_ALLOWED_MONTH = "2026-10"

FALL_COLUMNS = (
    "fall_id",
    "kommune",
    "monat",
    "anfrage",
    "fallbeginn",
    "erstkontakt",
    "fallende",
    "abschlussgrund",
    "zuzugsjahr",
    "altersgruppe",
    "geschlecht",
    "rechtskreis",
    "rechtskreise_beteiligt",
    "zugang",
    "handlungsfelder",
    "ehrenamt",
    "uebergaben",
    "uebergaben_erfolgreich",
    "ergebnis_arbeit",
)
AGGREGATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "arbeitsmarkt": (
        "arbeitslose_auslaendisch",
        "elb_auslaendisch",
        "integrationen_auslaendisch",
    ),
    "auslaenderbehoerde": (
        "antraege_eingang",
        "antraege_entschieden",
        "bearbeitungstage_summe",
        "offene_verfahren",
        "aufenthaltsverfestigungen",
        "einbuergerungen",
    ),
    "schule": (
        "seiteneinsteiger_neu",
        "seiteneinsteiger_beschult_4w",
        "wartende_schulplatz",
    ),
    "sprache": (
        "berechtigungen",
        "kurseintritte",
        "wartetage_summe",
        "pruefungen_dtz",
        "b1_erreicht",
    ),
    "ehrenamt": (
        "ehrenamtliche_aktiv",
        "ehrenamtliche_neu",
        "tandems_aktiv",
        "einsatzstunden",
    ),
}
BEVOELKERUNG_COLUMNS = (
    "einwohner",
    "auslaendisch",
    "auslaendisch_15_64",
    "zugewandert_5j",
)

ABSCHLUSSGRUENDE = (
    "ziel_erreicht",
    "teilweise_erreicht",
    "weitervermittelt",
    "abbruch",
    "wegzug",
    "sonstiges",
)
ALTERSGRUPPEN = ("0-17", "18-26", "27-44", "45-64", "65+")
GESCHLECHTER = ("w", "m", "d", "k.A.")
RECHTSKREISE = (
    "SGB II",
    "SGB III",
    "SGB VIII",
    "SGB XII",
    "AsylbLG",
    "ohne Leistungsbezug",
    "unbekannt",
)
ZUGAENGE = (
    "selbstmeldung",
    "auslaenderbehoerde",
    "jobcenter",
    "agentur_fuer_arbeit",
    "schule",
    "jugendamt",
    "sozialamt",
    "wohlfahrtsverband",
    "ehrenamt",
    "sonstige",
)
HANDLUNGSFELDER = (
    "sprache",
    "bildung",
    "arbeit",
    "wohnen",
    "gesundheit",
    "aufenthalt",
    "teilhabe",
    "uebergreifend",
)

Row = dict[str, str]


# ---------------------------------------------------------------------------
# Calendar helpers
# ---------------------------------------------------------------------------


def first_day(monat: str) -> datetime.date:
    return datetime.date(int(monat[:4]), int(monat[5:7]), 1)


def shift_month(monat: str, months: int) -> str:
    index = int(monat[:4]) * 12 + int(monat[5:7]) - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_index(monat: str) -> int:
    return int(monat[:4]) * 12 + int(monat[5:7]) - 1


def random_date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def iso(day: datetime.date | None) -> str:
    return "" if day is None else day.isoformat()


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------


@dataclass
class Fall:
    fall_id: str
    anfrage: datetime.date | None
    fallbeginn: datetime.date
    erstkontakt: datetime.date | None
    fallende: datetime.date | None
    attributes: Row  # every other column, as canonical text


def maybe(rng: random.Random, probability: float, value: str) -> str:
    return value if rng.random() < probability else ""


def random_fall(rng: random.Random, fall_id: str, months: list[str]) -> Fall:
    earliest = first_day(months[0]) - datetime.timedelta(days=300)
    fallbeginn = random_date(rng, earliest, last_day(months[-1]))
    anfrage = None
    if rng.random() < 0.8:
        anfrage = fallbeginn - datetime.timedelta(days=rng.randint(0, 40))
    erstkontakt = None
    if rng.random() < 0.85:
        erstkontakt = (anfrage or fallbeginn) + datetime.timedelta(days=rng.randint(0, 45))
    fallende = None
    if rng.random() < 0.5:
        fallende = fallbeginn + datetime.timedelta(days=rng.randint(0, 200))
        fallende = min(fallende, TODAY_DATE - datetime.timedelta(days=1))
    uebergaben = maybe(rng, 0.6, str(rng.randint(0, 4)))
    erfolgreich = ""
    if uebergaben != "":
        erfolgreich = maybe(rng, 0.8, str(rng.randint(0, int(uebergaben))))
    attributes = {
        "abschlussgrund": rng.choice(ABSCHLUSSGRUENDE) if fallende else "",
        "zuzugsjahr": str(rng.randint(2010, fallbeginn.year)),
        "altersgruppe": maybe(rng, 0.9, rng.choice(ALTERSGRUPPEN)),
        "geschlecht": maybe(rng, 0.9, rng.choice(GESCHLECHTER)),
        "rechtskreis": maybe(rng, 0.85, rng.choice(RECHTSKREISE)),
        "rechtskreise_beteiligt": maybe(rng, 0.75, str(rng.randint(0, 4))),
        "zugang": maybe(rng, 0.8, rng.choice(ZUGAENGE)),
        "handlungsfelder": ";".join(rng.sample(HANDLUNGSFELDER, rng.randint(1, 3))),
        "ehrenamt": rng.choice(("ja", "nein", "")),
        "uebergaben": uebergaben,
        "uebergaben_erfolgreich": erfolgreich,
        "ergebnis_arbeit": rng.choice(("ja", "nein", "")),
    }
    return Fall(fall_id, anfrage, fallbeginn, erstkontakt, fallende, attributes)


def fall_row(rng: random.Random, fall: Fall, kommune: str, monat: str) -> Row:
    """The case as a month-end snapshot: what is not known at month end is mostly empty."""
    end = last_day(monat)
    erstkontakt = fall.erstkontakt
    if erstkontakt is not None and (erstkontakt > end or rng.random() < 0.05):
        erstkontakt = None
    fallende = fall.fallende
    abschlussgrund = fall.attributes["abschlussgrund"]
    if fallende is not None and fallende > end:
        # Usually not known yet at month end; sometimes the delivery came a few weeks late
        # and already carries the end date (the case is still active at month end).
        reported_late = fallende <= end + datetime.timedelta(days=45) and rng.random() < 0.3
        if not reported_late:
            fallende = None
            abschlussgrund = ""
    row: Row = dict(fall.attributes)
    row.update(
        {
            "fall_id": fall.fall_id,
            "kommune": kommune,
            "monat": monat,
            "anfrage": iso(fall.anfrage),
            "fallbeginn": iso(fall.fallbeginn),
            "erstkontakt": iso(erstkontakt),
            "fallende": iso(fallende),
            "abschlussgrund": abschlussgrund,
        }
    )
    if rng.random() < 0.1:  # snapshots differ a little from month to month
        row["rechtskreise_beteiligt"] = maybe(rng, 0.75, str(rng.randint(0, 4)))
        row["ehrenamt"] = rng.choice(("ja", "nein", ""))
    return row


def fall_delivery(rng: random.Random, pool: list[Fall], kommune: str, monat: str) -> list[Row]:
    """The cases open at any time in the month (plus, rarely, a stale closed one)."""
    start, end = first_day(monat), last_day(monat)
    rows: list[Row] = []
    for fall in pool:
        if fall.fallbeginn > end:
            continue
        open_in_month = fall.fallende is None or fall.fallende >= start
        stale = not open_in_month and rng.random() < 0.03
        if open_in_month or stale:
            rows.append(fall_row(rng, fall, kommune, monat))
    return rows


# ---------------------------------------------------------------------------
# Aggregates and bevoelkerung
# ---------------------------------------------------------------------------


def random_count(rng: random.Random, high: int, gap: float) -> str:
    """Mostly a number, sometimes empty (missing) or a delivered zero."""
    draw = rng.random()
    if draw < 0.4 * gap:
        return ""
    if draw < 0.4 * gap + 0.1:
        return "0"
    return str(rng.randint(0, high))


def random_hours(rng: random.Random, gap: float) -> str:
    """Volunteer hours with at most two decimals (three would read as a thousands dot)."""
    draw = rng.random()
    if draw < 0.4 * gap:
        return ""
    if draw < 0.4 * gap + 0.07:
        return "0"
    decimals = rng.choice((0, 1, 2))
    value = round(rng.uniform(0, 400), decimals)
    return str(int(value)) if decimals == 0 else f"{value:.{decimals}f}"


def bounded_part(rng: random.Random, total: str, gap: float) -> str:
    """A part of a total (b1_erreicht ≤ pruefungen_dtz, …), sometimes missing."""
    if total == "":
        return random_count(rng, 5, gap)
    if rng.random() < 0.4 * gap:
        return ""
    return str(rng.randint(0, int(total)))


def aggregate_row(rng: random.Random, quelle: str, kommune: str, monat: str, gap: float) -> Row:
    row: Row = {"kommune": kommune, "monat": monat}
    if quelle == "arbeitsmarkt":
        row["arbeitslose_auslaendisch"] = random_count(rng, 800, gap)
        row["elb_auslaendisch"] = random_count(rng, 2000, gap)
        row["integrationen_auslaendisch"] = random_count(rng, 40, gap)
    elif quelle == "auslaenderbehoerde":
        row["antraege_eingang"] = random_count(rng, 150, gap)
        row["antraege_entschieden"] = random_count(rng, 150, gap)
        entschieden = row["antraege_entschieden"]
        if entschieden != "" and rng.random() < 0.9:
            row["bearbeitungstage_summe"] = str(int(entschieden) * rng.randint(5, 90))
        else:
            row["bearbeitungstage_summe"] = random_count(rng, 5000, gap)
        row["offene_verfahren"] = random_count(rng, 900, gap)
        row["aufenthaltsverfestigungen"] = random_count(rng, 20, gap)
        row["einbuergerungen"] = random_count(rng, 30, gap)
    elif quelle == "schule":
        row["seiteneinsteiger_neu"] = random_count(rng, 20, gap)
        row["seiteneinsteiger_beschult_4w"] = bounded_part(rng, row["seiteneinsteiger_neu"], gap)
        row["wartende_schulplatz"] = random_count(rng, 15, gap)
    elif quelle == "sprache":
        row["berechtigungen"] = random_count(rng, 80, gap)
        row["kurseintritte"] = random_count(rng, 60, gap)
        kurseintritte = row["kurseintritte"]
        row["wartetage_summe"] = (
            str(int(kurseintritte) * rng.randint(10, 120)) if kurseintritte != "" else random_count(rng, 900, gap)
        )
        row["pruefungen_dtz"] = random_count(rng, 40, gap)
        row["b1_erreicht"] = bounded_part(rng, row["pruefungen_dtz"], gap)
    elif quelle == "ehrenamt":
        row["ehrenamtliche_aktiv"] = random_count(rng, 60, gap)
        row["ehrenamtliche_neu"] = random_count(rng, 10, gap)
        row["tandems_aktiv"] = random_count(rng, 30, gap)
        row["einsatzstunden"] = random_hours(rng, gap)
    else:
        raise ValueError(quelle)
    return row


def bevoelkerung_row(rng: random.Random, kommune: str, stichtag: str, gap: float) -> Row:
    einwohner = rng.randint(15000, 90000)
    auslaendisch = rng.randint(einwohner // 20, einwohner // 6)
    values = {
        "einwohner": str(einwohner),
        "auslaendisch": str(auslaendisch),
        "auslaendisch_15_64": str(auslaendisch * 2 // 3),
        "zugewandert_5j": str(rng.randint(200, auslaendisch // 2)),
    }
    row: Row = {"kommune": kommune, "monat": stichtag}
    for column in BEVOELKERUNG_COLUMNS:
        row[column] = "" if rng.random() < 0.4 * gap else values[column]
    return row


# ---------------------------------------------------------------------------
# A whole data set
# ---------------------------------------------------------------------------


@dataclass
class DataSet:
    files: list[pathlib.Path]
    delivered_months: set[str]


def columns_of(quelle: str) -> tuple[str, ...]:
    if quelle == "fallmanagement":
        return FALL_COLUMNS
    if quelle == "bevoelkerung":
        return ("kommune", "monat", *BEVOELKERUNG_COLUMNS)
    return ("kommune", "monat", *AGGREGATE_COLUMNS[quelle])


def write_csv(path: pathlib.Path, quelle: str, rows: list[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns_of(quelle))
        writer.writeheader()
        for row in rows:
            writer.writerow(row)


class DataSetWriter:
    """Collects files in application order and remembers the delivered months."""

    def __init__(self, directory: pathlib.Path) -> None:
        self.directory = directory
        self.files: list[pathlib.Path] = []
        self.delivered_months: set[str] = set()

    def add(self, name: str, quelle: str, rows: list[Row]) -> None:
        if not rows:
            return
        path = self.directory / name
        write_csv(path, quelle, rows)
        self.files.append(path)
        for row in rows:
            self.delivered_months.add(row["monat"])


def generate(seed: int, gap: float, directory: pathlib.Path) -> DataSet:
    rng = random.Random(seed)
    length = rng.randint(5, 9)
    last = shift_month(LAST_ALLOWED_MONTH, -rng.randint(0, 3))
    months = [shift_month(last, offset) for offset in range(-length + 1, 1)]
    kommunen = list(oracle.KOMMUNEN)
    absent_kommune = None  # a Kommune that delivers nothing at all
    if gap > 0 and rng.random() < 0.5:
        absent_kommune = rng.choice(kommunen)

    # (quelle, kommune, monat) → rows, before corrections
    partitions: dict[tuple[str, str, str], list[Row]] = {}
    pools: dict[str, list[Fall]] = {}
    for kommune in kommunen:
        if kommune == absent_kommune:
            continue
        short = kommune[-3:]
        pools[kommune] = [random_fall(rng, f"F{short}-{index:02d}", months) for index in range(rng.randint(3, 14))]
        for quelle in ("fallmanagement", *AGGREGATE_COLUMNS):
            if rng.random() < 0.6 * gap:
                continue  # this Kommune never delivers this Datenquelle
            for monat in months:
                if rng.random() < gap:
                    continue  # a month without a delivery
                if quelle == "fallmanagement":
                    rows = fall_delivery(rng, pools[kommune], kommune, monat)
                else:
                    rows = [aggregate_row(rng, quelle, kommune, monat, gap)]
                if rows:
                    partitions[(quelle, kommune, monat)] = rows

    writer = DataSetWriter(directory)
    # bevoelkerung: a Stichtag before the first month (for most Kommunen), later ones for some
    stichtage = sorted({shift_month(months[0], -1), months[0], months[len(months) // 2]})
    for position, stichtag in enumerate(stichtage):
        probability = 1 - 2 * gap if position == 0 else 0.4
        rows = []
        for kommune in kommunen:
            if kommune != absent_kommune and rng.random() < probability:
                rows.append(bevoelkerung_row(rng, kommune, stichtag, gap))
        writer.add(f"bevoelkerung_{stichtag}.csv", "bevoelkerung", rows)

    # per Datenquelle two files (first and second half of the months), in shuffled order;
    # they do not overlap, so the order does not matter (few files keep the ingest fast)
    half = len(months) // 2
    regular: list[tuple[str, list[str]]] = []
    for quelle in ("fallmanagement", *AGGREGATE_COLUMNS):
        regular.append((quelle, months[:half]))
        regular.append((quelle, months[half:]))
    rng.shuffle(regular)
    for quelle, file_months in regular:
        rows = []
        for monat in file_months:
            for kommune in kommunen:
                rows.extend(partitions.get((quelle, kommune, monat), []))
        writer.add(f"{quelle}_{file_months[0]}_bis_{file_months[-1]}.csv", quelle, rows)

    # corrections: later files that replace a few partitions (or add a missing one)
    for number in range(rng.randint(2, 5)):
        quelle = rng.choice(("fallmanagement", *AGGREGATE_COLUMNS))
        monat = rng.choice(months)
        kommune = rng.choice([k for k in kommunen if k != absent_kommune])
        if quelle == "fallmanagement":
            pool = pools[kommune]
            subset = rng.sample(pool, max(1, len(pool) * 2 // 3))
            rows = fall_delivery(rng, subset, kommune, monat)
        else:
            rows = [aggregate_row(rng, quelle, kommune, monat, gap)]
        writer.add(f"{quelle}_{monat}_korrektur_{number}.csv", quelle, rows)

    return DataSet(writer.files, writer.delivered_months)


def expected_period_count(delivered_months: set[str], kind: str) -> int:
    """Number of periods touching the delivered range, counted independently of the oracle."""
    first, last = min(delivered_months), max(delivered_months)
    if kind == "month":
        return month_index(last) - month_index(first) + 1
    if kind == "quarter":
        return month_index(last) // 3 - month_index(first) // 3 + 1
    return int(last[:4]) - int(first[:4]) + 1

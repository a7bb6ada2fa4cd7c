"""Independent reference implementation (test oracle) of the Kennzahlen K01–K28.

This module is deliberately written for clarity, not speed: explicit loops, one
small function per concept, standard library only. It must stay independent of
``metrics/`` and ``loaders/``: it is the yardstick the real implementation is
tested against.

Input: canonical delivery files (UTF-8 CSV, comma separated, canonical column
names, one Datenquelle per file, the Datenquelle given by the file name prefix
``<quelle>_*.csv``). Output: one dict per Kennzahl × region × period with the
keys ``kennzahl, kommune, periode, wert, zaehler, nenner, vollstaendig``.

The semantics follow ``docs/kennzahlen.md#aggregation`` plus the team's decisions where it leaves
room, restated here:

* Case terms for Kommune k and month m (last day E) come from k's
  ``fallmanagement`` delivery for m only.
* Every Kennzahl has a numerator part and, for ratios, a denominator part. Per
  (k, m) a part is *present* when its source was delivered for (k, m) and the
  needed cell is not empty (``fallmanagement``: a delivery exists; the
  ``bevoelkerung`` row used is the latest whose Stichtag month is <= m).
* Over a period, flow parts (and K08's mean part) use only the months in which
  all flow/mean parts of the Kennzahl are present; stock parts are taken from
  the last month of the period.
* Over Kommunen, a Kommune contributes iff all its parts are non-missing;
  numerators and denominators are summed over the contributing Kommunen.
  ``wert`` is None when the summed denominator is 0 (zaehler/nenner kept) or when
  no Kommune contributes (all three None). Counts have ``nenner`` None.
* K04 is the median over the records of all member Kommunen and months;
  ``nenner`` is the number of records (None when no member delivered at all).
* ``vollstaendig`` is True iff every part is present for every member Kommune
  in every month of the period.
* The periods run from the first to the last month with any delivery
  (bevoelkerung included), widened to whole quarters/years.
"""

from __future__ import annotations

import csv
import datetime
import pathlib
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, cast

Number = int | float
Row = dict[str, str]
PartKind = Literal["stock", "flow", "mean"]

# ---------------------------------------------------------------------------
# Regions
# ---------------------------------------------------------------------------

KOMMUNEN: dict[str, str] = {
    "05978004": "Bergkamen",
    "05978008": "Bönen",
    "05978012": "Fröndenberg/Ruhr",
    "05978016": "Holzwickede",
    "05978020": "Kamen",
    "05978024": "Lünen",
    "05978028": "Schwerte",
    "05978032": "Selm",
    "05978036": "Unna",
    "05978040": "Werne",
}

KREIS = "05978"

TEILREGIONEN: dict[str, tuple[str, ...]] = {
    "TR-Nord": ("05978024", "05978040", "05978032"),
    "TR-Mitte": ("05978004", "05978008", "05978020", "05978036"),
    "TR-Sued": ("05978012", "05978016", "05978028"),
}


def region_members() -> dict[str, tuple[str, ...]]:
    """Every region key (ten Kommunen, three Teilregionen, Kreis) → its member Kommunen."""
    regions: dict[str, tuple[str, ...]] = {}
    for kommune in KOMMUNEN:
        regions[kommune] = (kommune,)
    for teilregion, members in TEILREGIONEN.items():
        regions[teilregion] = members
    regions[KREIS] = tuple(KOMMUNEN)
    return regions


# ---------------------------------------------------------------------------
# Reading the deliveries
# ---------------------------------------------------------------------------

QUELLEN = (
    "fallmanagement",
    "arbeitsmarkt",
    "auslaenderbehoerde",
    "schule",
    "sprache",
    "ehrenamt",
    "bevoelkerung",
)
AGGREGATE_QUELLEN = (
    "arbeitsmarkt",
    "auslaenderbehoerde",
    "schule",
    "sprache",
    "ehrenamt",
)


@dataclass
class Deliveries:
    """The currently valid data: one entry per (quelle, kommune, monat) partition."""

    # (kommune, monat) → the case rows of that fallmanagement delivery
    faelle: dict[tuple[str, str], list[Row]] = field(default_factory=dict)
    # quelle → (kommune, monat) → the single aggregate row
    aggregates: dict[str, dict[tuple[str, str], Row]] = field(default_factory=dict)
    # (kommune, Stichtag monat) → the bevoelkerung row
    bevoelkerung: dict[tuple[str, str], Row] = field(default_factory=dict)

    def delivered_months(self) -> set[str]:
        """Every month for which any (quelle, kommune, monat) partition was delivered."""
        months: set[str] = set()
        for _kommune, monat in self.faelle:
            months.add(monat)
        for partitions in self.aggregates.values():
            for _kommune, monat in partitions:
                months.add(monat)
        for _kommune, monat in self.bevoelkerung:
            months.add(monat)
        return months


def quelle_of(path: pathlib.Path) -> str:
    """The Datenquelle of a canonical file, taken from its file name prefix."""
    prefix = path.name.split("_", 1)[0]
    if prefix not in QUELLEN:
        raise ValueError(f"unknown Datenquelle prefix in file name: {path.name}")
    return prefix


def read_rows(path: pathlib.Path) -> list[Row]:
    """All rows of a canonical CSV file, cells stripped."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows: list[Row] = []
        for raw in reader:
            rows.append({key: (value or "").strip() for key, value in raw.items()})
    return rows


def group_by_partition(rows: list[Row]) -> dict[tuple[str, str], list[Row]]:
    """Rows grouped by (kommune, monat), in file order."""
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        key = (row["kommune"], row["monat"])
        groups.setdefault(key, []).append(row)
    return groups


def load(files: list[pathlib.Path]) -> Deliveries:
    """Apply the files in list order; a later partition replaces an earlier one entirely."""
    deliveries = Deliveries()
    for quelle in AGGREGATE_QUELLEN:
        deliveries.aggregates[quelle] = {}
    for path in files:
        quelle = quelle_of(path)
        groups = group_by_partition(read_rows(path))
        for key, rows in groups.items():
            if quelle == "fallmanagement":
                deliveries.faelle[key] = rows
                continue
            if len(rows) != 1:
                raise ValueError(f"{path.name}: {len(rows)} rows for {key} in an aggregate source")
            if quelle == "bevoelkerung":
                deliveries.bevoelkerung[key] = rows[0]
            else:
                deliveries.aggregates[quelle][key] = rows[0]
    return deliveries


# ---------------------------------------------------------------------------
# Small value helpers
# ---------------------------------------------------------------------------


def parse_number(text: str) -> Number | None:
    """A canonical number cell: empty = missing; integers stay int."""
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        return float(text)


def parse_date(text: str) -> datetime.date | None:
    if text == "":
        return None
    return datetime.date.fromisoformat(text)


def is_ja(text: str) -> bool:
    """Canonical yes/no: ``ja`` is yes, ``nein`` and empty are no."""
    return text == "ja"


def month_of(day: datetime.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def last_day(monat: str) -> datetime.date:
    year, month = int(monat[:4]), int(monat[5:7])
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def next_month(monat: str) -> str:
    year, month = int(monat[:4]), int(monat[5:7])
    if month == 12:
        return f"{year + 1:04d}-01"
    return f"{year:04d}-{month + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    """All months from first to last, inclusive."""
    months: list[str] = []
    current = first
    while current <= last:
        months.append(current)
        current = next_month(current)
    return months


# ---------------------------------------------------------------------------
# Case terms (fallmanagement)
# ---------------------------------------------------------------------------


def is_active(fall: Row, monat: str) -> bool:
    """fallbeginn <= E and (fallende empty or fallende > E)."""
    end = last_day(monat)
    fallbeginn = parse_date(fall["fallbeginn"])
    fallende = parse_date(fall["fallende"])
    if fallbeginn is None or fallbeginn > end:
        return False
    return fallende is None or fallende > end


def is_new(fall: Row, monat: str) -> bool:
    """fallbeginn lies in the month."""
    fallbeginn = parse_date(fall["fallbeginn"])
    return fallbeginn is not None and month_of(fallbeginn) == monat


def is_closed(fall: Row, monat: str) -> bool:
    """fallende lies in the month."""
    fallende = parse_date(fall["fallende"])
    return fallende is not None and month_of(fallende) == monat


def is_closed_prime(fall: Row, monat: str) -> bool:
    """closed′: closed and abschlussgrund ≠ wegzug."""
    return is_closed(fall, monat) and fall["abschlussgrund"] != "wegzug"


def in_zielgruppe(fall: Row, monat: str) -> bool:
    """year(m) − zuzugsjahr <= 5."""
    zuzugsjahr = parse_number(fall["zuzugsjahr"])
    return zuzugsjahr is not None and int(monat[:4]) - int(zuzugsjahr) <= 5


BEHOERDEN_UND_SCHULEN = frozenset(
    {
        "auslaenderbehoerde",
        "jobcenter",
        "agentur_fuer_arbeit",
        "schule",
        "jugendamt",
        "sozialamt",
    }
)
ZIEL_ERREICHT = frozenset({"ziel_erreicht", "teilweise_erreicht"})


def has_both_uebergaben(fall: Row) -> bool:
    return fall["uebergaben"] != "" and fall["uebergaben_erfolgreich"] != ""


# ---------------------------------------------------------------------------
# Parts: the value of one numerator or denominator for one (kommune, monat)
# ---------------------------------------------------------------------------

# A part value function returns the value for (kommune, monat), None when not present.
PartValue = Callable[[Deliveries, str, str], Number | None]
CasePredicate = Callable[[Row, str], bool]


@dataclass(frozen=True)
class Part:
    kind: PartKind
    value: PartValue


def case_count(predicate: CasePredicate) -> PartValue:
    """Number of cases of k's delivery for m that satisfy the predicate."""

    def value(deliveries: Deliveries, kommune: str, monat: str) -> Number | None:
        faelle = deliveries.faelle.get((kommune, monat))
        if faelle is None:
            return None
        count = 0
        for fall in faelle:
            if predicate(fall, monat):
                count += 1
        return count

    return value


def case_sum(predicate: CasePredicate, column: str) -> PartValue:
    """Sum of a numeric column over the cases of k's delivery for m that satisfy the predicate."""

    def value(deliveries: Deliveries, kommune: str, monat: str) -> Number | None:
        faelle = deliveries.faelle.get((kommune, monat))
        if faelle is None:
            return None
        total: Number = 0
        for fall in faelle:
            if predicate(fall, monat):
                number = parse_number(fall[column])
                assert number is not None, "the predicate must ensure the column is given"
                total += number
        return total

    return value


def aggregate_column(quelle: str, column: str) -> PartValue:
    """An aggregate cell: present when the row for (k, m) exists and the cell is not empty."""

    def value(deliveries: Deliveries, kommune: str, monat: str) -> Number | None:
        row = deliveries.aggregates[quelle].get((kommune, monat))
        if row is None:
            return None
        return parse_number(row[column])

    return value


def latest_bevoelkerung(deliveries: Deliveries, kommune: str, monat: str) -> Row | None:
    """The bevoelkerung row of k with the latest Stichtag month <= m."""
    best_stichtag: str | None = None
    for row_kommune, stichtag in deliveries.bevoelkerung:
        if row_kommune != kommune or stichtag > monat:
            continue
        if best_stichtag is None or stichtag > best_stichtag:
            best_stichtag = stichtag
    if best_stichtag is None:
        return None
    return deliveries.bevoelkerung[(kommune, best_stichtag)]


def reference_column(column: str) -> PartValue:
    """A bevoelkerung figure; an empty cell of the latest row is missing (no fallback)."""

    def value(deliveries: Deliveries, kommune: str, monat: str) -> Number | None:
        row = latest_bevoelkerung(deliveries, kommune, monat)
        if row is None:
            return None
        return parse_number(row[column])

    return value


def stock(value: PartValue) -> Part:
    return Part("stock", value)


def flow(value: PartValue) -> Part:
    return Part("flow", value)


def mean(value: PartValue) -> Part:
    return Part("mean", value)


# ---------------------------------------------------------------------------
# The catalogue
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Kennzahl:
    code: str
    numerator: Part
    denominator: Part | None = None  # None: a count (wert = zaehler)
    factor: Number = 1

    def parts(self) -> list[Part]:
        if self.denominator is None:
            return [self.numerator]
        return [self.numerator, self.denominator]


def active(fall: Row, monat: str) -> bool:
    return is_active(fall, monat)


def active_with_ehrenamt(fall: Row, monat: str) -> bool:
    return is_active(fall, monat) and is_ja(fall["ehrenamt"])


def active_with_rechtskreise_given(fall: Row, monat: str) -> bool:
    return is_active(fall, monat) and fall["rechtskreise_beteiligt"] != ""


def active_with_several_rechtskreise(fall: Row, monat: str) -> bool:
    if not active_with_rechtskreise_given(fall, monat):
        return False
    beteiligt = parse_number(fall["rechtskreise_beteiligt"])
    return beteiligt is not None and beteiligt >= 2


def active_in_zielgruppe(fall: Row, monat: str) -> bool:
    return is_active(fall, monat) and in_zielgruppe(fall, monat)


def new(fall: Row, monat: str) -> bool:
    return is_new(fall, monat)


def new_with_zugang_given(fall: Row, monat: str) -> bool:
    return is_new(fall, monat) and fall["zugang"] != ""


def new_via_behoerde_or_schule(fall: Row, monat: str) -> bool:
    return is_new(fall, monat) and fall["zugang"] in BEHOERDEN_UND_SCHULEN


def closed_prime(fall: Row, monat: str) -> bool:
    return is_closed_prime(fall, monat)


def closed_prime_ziel_erreicht(fall: Row, monat: str) -> bool:
    return is_closed_prime(fall, monat) and fall["abschlussgrund"] in ZIEL_ERREICHT


def closed_prime_with_arbeit(fall: Row, monat: str) -> bool:
    return is_closed_prime(fall, monat) and is_ja(fall["ergebnis_arbeit"])


def closed_prime_abbruch(fall: Row, monat: str) -> bool:
    return is_closed_prime(fall, monat) and fall["abschlussgrund"] == "abbruch"


def closed_with_uebergaben(fall: Row, monat: str) -> bool:
    """K21's cases: closed (wegzug included) with both uebergaben figures given."""
    return is_closed(fall, monat) and has_both_uebergaben(fall)


def build_catalogue() -> list[Kennzahl]:
    active_cases = stock(case_count(active))
    closed_prime_cases = flow(case_count(closed_prime))
    return [
        Kennzahl("K01", active_cases, stock(reference_column("zugewandert_5j")), 1000),
        Kennzahl("K02", active_cases),
        Kennzahl("K03", flow(case_count(new))),
        # K04 (median) is handled separately; see k04_rows().
        Kennzahl("K05", flow(case_count(closed_prime_ziel_erreicht)), closed_prime_cases, 100),
        Kennzahl("K06", flow(case_count(closed_prime_with_arbeit)), closed_prime_cases, 100),
        Kennzahl(
            "K07",
            stock(aggregate_column("arbeitsmarkt", "arbeitslose_auslaendisch")),
            stock(reference_column("auslaendisch_15_64")),
            100,
        ),
        Kennzahl(
            "K08",
            flow(aggregate_column("arbeitsmarkt", "integrationen_auslaendisch")),
            mean(aggregate_column("arbeitsmarkt", "elb_auslaendisch")),
            100,
        ),
        Kennzahl(
            "K09",
            flow(aggregate_column("auslaenderbehoerde", "bearbeitungstage_summe")),
            flow(aggregate_column("auslaenderbehoerde", "antraege_entschieden")),
            1,
        ),
        Kennzahl(
            "K10",
            flow(aggregate_column("auslaenderbehoerde", "antraege_entschieden")),
            flow(aggregate_column("auslaenderbehoerde", "antraege_eingang")),
            100,
        ),
        Kennzahl("K11", stock(aggregate_column("auslaenderbehoerde", "offene_verfahren"))),
        Kennzahl(
            "K12",
            flow(aggregate_column("auslaenderbehoerde", "aufenthaltsverfestigungen")),
        ),
        Kennzahl(
            "K13",
            flow(aggregate_column("auslaenderbehoerde", "einbuergerungen")),
            stock(reference_column("auslaendisch")),
            1000,
        ),
        Kennzahl(
            "K14",
            flow(aggregate_column("sprache", "wartetage_summe")),
            flow(aggregate_column("sprache", "kurseintritte")),
            1,
        ),
        Kennzahl(
            "K15",
            flow(aggregate_column("sprache", "b1_erreicht")),
            flow(aggregate_column("sprache", "pruefungen_dtz")),
            100,
        ),
        Kennzahl("K16", stock(case_count(active_with_ehrenamt)), active_cases, 100),
        Kennzahl(
            "K17",
            stock(aggregate_column("ehrenamt", "ehrenamtliche_aktiv")),
            active_cases,
            100,
        ),
        Kennzahl("K18", stock(aggregate_column("ehrenamt", "tandems_aktiv"))),
        Kennzahl("K19", flow(aggregate_column("ehrenamt", "einsatzstunden"))),
        Kennzahl("K20", flow(aggregate_column("ehrenamt", "ehrenamtliche_neu"))),
        Kennzahl(
            "K21",
            flow(case_sum(closed_with_uebergaben, "uebergaben_erfolgreich")),
            flow(case_sum(closed_with_uebergaben, "uebergaben")),
            100,
        ),
        Kennzahl("K22", flow(case_count(closed_prime_abbruch)), closed_prime_cases, 100),
        Kennzahl(
            "K23",
            stock(case_count(active_with_several_rechtskreise)),
            stock(case_count(active_with_rechtskreise_given)),
            100,
        ),
        Kennzahl(
            "K24",
            flow(case_count(new_via_behoerde_or_schule)),
            flow(case_count(new_with_zugang_given)),
            100,
        ),
        Kennzahl(
            "K25",
            flow(aggregate_column("schule", "seiteneinsteiger_beschult_4w")),
            flow(aggregate_column("schule", "seiteneinsteiger_neu")),
            100,
        ),
        Kennzahl("K26", stock(case_count(active_in_zielgruppe)), active_cases, 100),
        Kennzahl("K27", stock(aggregate_column("schule", "wartende_schulplatz"))),
        Kennzahl(
            "K28",
            flow(aggregate_column("sprache", "kurseintritte")),
            flow(aggregate_column("sprache", "berechtigungen")),
            100,
        ),
    ]


KENNZAHL_CODES = tuple(f"K{number:02d}" for number in range(1, 29))


# ---------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------

PeriodKind = Literal["month", "quarter", "year"]


def period_label(monat: str, kind: PeriodKind) -> str:
    year, month = monat[:4], int(monat[5:7])
    if kind == "month":
        return monat
    if kind == "quarter":
        return f"{year}-Q{(month - 1) // 3 + 1}"
    return year


def period_bounds(monat: str, kind: PeriodKind) -> tuple[str, str]:
    """First and last month of the period that contains monat."""
    year, month = int(monat[:4]), int(monat[5:7])
    if kind == "month":
        return monat, monat
    if kind == "quarter":
        first_month = 3 * ((month - 1) // 3) + 1
        return f"{year:04d}-{first_month:02d}", f"{year:04d}-{first_month + 2:02d}"
    return f"{year:04d}-01", f"{year:04d}-12"


def periods(deliveries: Deliveries, kind: PeriodKind) -> list[tuple[str, list[str]]]:
    """(label, months) of every period touching the range of delivered months."""
    delivered = deliveries.delivered_months()
    if not delivered:
        return []
    first = period_bounds(min(delivered), kind)[0]
    last = period_bounds(max(delivered), kind)[1]
    result: list[tuple[str, list[str]]] = []
    for monat in months_between(first, last):
        label = period_label(monat, kind)
        if result and result[-1][0] == label:
            result[-1][1].append(monat)
        else:
            result.append((label, [monat]))
    return result


# ---------------------------------------------------------------------------
# Aggregation over time (one Kommune) and over Kommunen (a region)
# ---------------------------------------------------------------------------


def months_with_all_flows(kennzahl: Kennzahl, deliveries: Deliveries, kommune: str, months: list[str]) -> list[str]:
    """The months in which every flow/mean part of the Kennzahl is present for the Kommune."""
    flow_parts = [part for part in kennzahl.parts() if part.kind in ("flow", "mean")]
    usable: list[str] = []
    for monat in months:
        present = True
        for part in flow_parts:
            if part.value(deliveries, kommune, monat) is None:
                present = False
        if present:
            usable.append(monat)
    return usable


def part_over_period(
    part: Part,
    deliveries: Deliveries,
    kommune: str,
    months: list[str],
    usable: list[str],
) -> Number | None:
    """One part of one Kommune over a period (None = missing)."""
    if part.kind == "stock":
        return part.value(deliveries, kommune, months[-1])
    if not usable:
        return None
    total: Number = 0
    for monat in usable:
        value = part.value(deliveries, kommune, monat)
        assert value is not None
        total += value
    if part.kind == "mean":
        return total / len(usable)
    return total


def kommune_parts(
    kennzahl: Kennzahl, deliveries: Deliveries, kommune: str, months: list[str]
) -> tuple[Number | None, Number | None]:
    """(numerator, denominator) of one Kommune over the period; denominator None for counts."""
    usable = months_with_all_flows(kennzahl, deliveries, kommune, months)
    numerator = part_over_period(kennzahl.numerator, deliveries, kommune, months, usable)
    denominator: Number | None = None
    if kennzahl.denominator is not None:
        denominator = part_over_period(kennzahl.denominator, deliveries, kommune, months, usable)
    return numerator, denominator


def contributes(kennzahl: Kennzahl, numerator: Number | None, denominator: Number | None) -> bool:
    if numerator is None:
        return False
    return kennzahl.denominator is None or denominator is not None


def is_complete(
    kennzahl: Kennzahl,
    deliveries: Deliveries,
    members: tuple[str, ...],
    months: list[str],
) -> bool:
    """Every part present for every member Kommune in every month of the period."""
    for kommune in members:
        for monat in months:
            for part in kennzahl.parts():
                if part.value(deliveries, kommune, monat) is None:
                    return False
    return True


def region_value(
    kennzahl: Kennzahl,
    deliveries: Deliveries,
    members: tuple[str, ...],
    months: list[str],
) -> tuple[Number | None, Number | None, Number | None]:
    """(wert, zaehler, nenner) of a ratio or count for a region over a period."""
    zaehler: Number = 0
    nenner: Number = 0
    any_contribution = False
    for kommune in members:
        numerator, denominator = kommune_parts(kennzahl, deliveries, kommune, months)
        if not contributes(kennzahl, numerator, denominator):
            continue
        any_contribution = True
        assert numerator is not None
        zaehler += numerator
        if denominator is not None:
            nenner += denominator
    if not any_contribution:
        return None, None, None
    if kennzahl.denominator is None:
        return zaehler, zaehler, None
    if nenner == 0:
        return None, zaehler, nenner
    return zaehler * kennzahl.factor / nenner, zaehler, nenner


# ---------------------------------------------------------------------------
# K04: median of days from anfrage to erstkontakt
# ---------------------------------------------------------------------------


def k04_records(deliveries: Deliveries, kommune: str, monat: str) -> list[int] | None:
    """Days erstkontakt − anfrage of the cases whose erstkontakt lies in m; None = no delivery."""
    faelle = deliveries.faelle.get((kommune, monat))
    if faelle is None:
        return None
    records: list[int] = []
    for fall in faelle:
        anfrage = parse_date(fall["anfrage"])
        erstkontakt = parse_date(fall["erstkontakt"])
        if anfrage is None or erstkontakt is None:
            continue
        if month_of(erstkontakt) != monat:
            continue
        records.append((erstkontakt - anfrage).days)
    return records


def k04_value(
    deliveries: Deliveries, members: tuple[str, ...], months: list[str]
) -> tuple[Number | None, Number | None, Number | None, bool]:
    """(wert, zaehler, nenner, vollstaendig) of K04 for a region over a period."""
    records: list[int] = []
    any_delivery = False
    complete = True
    for kommune in members:
        for monat in months:
            month_records = k04_records(deliveries, kommune, monat)
            if month_records is None:
                complete = False
                continue
            any_delivery = True
            records.extend(month_records)
    if not any_delivery:
        return None, None, None, complete
    if not records:
        return None, None, 0, complete
    return statistics.median(records), None, len(records), complete


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def compute(files: list[pathlib.Path], period: str = "month") -> list[dict[str, object]]:
    """Every Kennzahl × region × period over the delivered range, as dicts."""
    if period not in ("month", "quarter", "year"):
        raise ValueError(f"unknown period kind: {period}")
    kind = cast(PeriodKind, period)
    deliveries = load(files)
    catalogue = {kennzahl.code: kennzahl for kennzahl in build_catalogue()}
    regions = region_members()
    result: list[dict[str, object]] = []
    for label, months in periods(deliveries, kind):
        for code in KENNZAHL_CODES:
            for region, members in regions.items():
                if code == "K04":
                    wert, zaehler, nenner, complete = k04_value(deliveries, members, months)
                else:
                    kennzahl = catalogue[code]
                    wert, zaehler, nenner = region_value(kennzahl, deliveries, members, months)
                    complete = is_complete(kennzahl, deliveries, members, months)
                result.append(
                    {
                        "kennzahl": code,
                        "kommune": region,
                        "periode": label,
                        "wert": wert,
                        "zaehler": zaehler,
                        "nenner": nenner,
                        "vollstaendig": complete,
                    }
                )
    return result

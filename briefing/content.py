"""What a briefing says, collected once as a plain data structure.

Every figure comes from the published output of the metrics layer (``indicator_values`` without
``internal``): a cell that confidentiality hides has no value here either, only the flag
``unterdrueckt``. The PDF, the slides and the key messages are all rendered from this model and
never look at the database themselves.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from typing import Any, cast

import duckdb
import pandas as pd

import store
from core import format as fmt
from core.catalogue import Catalogue, Direction, Kennzahl, catalogue
from core.errors import KimError, UsageError
from core.model import Frozen
from core.periods import Period, PeriodSpan, add_months, parse_monat, period_of, periods_between
from core.reference import kommune_name, kommunen, kreis, leitsaetze, region_members
from core.settings import TIMEZONE
from core.settings import today as settings_today
from metrics.cockpit import datenstand
from metrics.deliveries import delivery_status, reporting_month
from metrics.describe import DIRECTION_LABELS, KIND_LABELS, catalogue_table, confidentiality_rule, formula
from metrics.kontext import kontext_values, latest, period_words
from metrics.steering import comments
from metrics.values import PERIOD_MONTHS, indicator_values

# How many periods the charts show, the chosen one included.
COURSE_LENGTH: dict[Period, int] = {"month": 12, "quarter": 8, "year": 4}
PERIOD_WORDS: dict[Period, tuple[str, str]] = {
    # the previous period, the same period a year earlier (dative after "zum"/"dem")
    "month": ("Vormonat", "Vorjahresmonat"),
    "quarter": ("Vorquartal", "Vorjahresquartal"),
    "year": ("Vorjahr", "Vorjahr"),
}
OPEN_STATUS = ("fehlt",)  # overdue only: a delivery not yet due is not open


class Region(Frozen):
    ags: str
    name: str
    members: int  # Kommunen it adds up (1 for a Kommune)

    @property
    def is_kreis(self) -> bool:
        return self.members > 1


class Figure(Frozen):
    """One indicator in one region for the chosen period, as published."""

    kennzahl: str
    name: str
    unit: str
    direction: Direction
    region: str
    wert: float | None
    unterdrueckt: bool
    ampel: str
    zielwert: float | None
    zielwert_bestaetigt: bool
    vorperiode: float | None
    vorjahr: float | None
    vollstaendig: bool
    vorperiode_vollstaendig: bool
    vorjahr_vollstaendig: bool = True
    kommunen_mit_wert: int | None
    fehlend: tuple[str, ...]  # names of the Kommunen whose delivery is missing
    verlauf: tuple[float | None, ...]  # published values of the course periods, the chosen one last


class Comment(Frozen):
    kennzahl: str
    region_name: str
    periode: str
    text: str
    benutzer: str
    datum: dt.date | None


class Kontext(Frozen):
    """A Kontext-Kennzahl (a published official figure, metrics/kontext.py) of one region: the latest
    published up to the end of the briefing's period."""

    kennzahl: str
    name: str
    region_name: str
    wert: str  # as shown: '393.784', '19,2 %'
    periode: str  # 'Stichtag im Dezember 2024', '2025'
    quelle: str  # the source line


def kontext_lines(kontext: Sequence[Kontext]) -> list[tuple[str, str, str]]:
    """The Kontext-Kennzahlen of a section as printed: one line per Kennzahl and period with the
    value of each region ('K29 · Einwohnerinnen und Einwohner (Stichtag im Dezember 2024): Kreis Unna
    393.784 · Selm 25.969'), with its code and its source line."""
    groups: dict[tuple[str, str, str], list[Kontext]] = {}
    for item in kontext:
        groups.setdefault((item.kennzahl, item.name, item.periode), []).append(item)
    return [
        (
            code,
            f"{code} · {name} ({periode}): " + " · ".join(f"{k.region_name} {k.wert}" for k in items),
            " ".join(dict.fromkeys(k.quelle for k in items)),
        )
        for (code, name, periode), items in groups.items()
    ]


class Section(Frozen):
    """One Leitsatz: its indicators in every region, the analysts' comments and the sources."""

    code: str
    text: str
    kurz: str
    kennzahlen: tuple[str, ...]
    figures: tuple[Figure, ...]
    comments: tuple[Comment, ...]
    quellen: tuple[str, ...]
    kontext: tuple[Kontext, ...] = ()


class OpenDelivery(Frozen):
    """Deliveries of one source still missing from the same Kommunen in one or more months."""

    quelle: str
    monate: tuple[dt.date, ...]
    status: str  # fehlt (overdue) or offen (not yet due)
    kommunen: tuple[str, ...]


class Definition(Frozen):
    code: str
    name: str
    leitsatz: str
    handlungsfeld: str
    einheit: str
    art: str
    richtung: str
    definition: str
    formel: str
    quellen: str
    geheimhaltung: str


class Briefing(Frozen):
    period_kind: Period
    period: str  # label as in the metrics: 2026-09, 2026-Q3, 2026
    period_start: dt.date
    period_end: dt.date
    regions: tuple[Region, ...]  # the Kreis first, then the chosen Kommunen
    sections: tuple[Section, ...]
    course_labels: tuple[str, ...]
    datenstand: dt.date | None  # latest month with a delivery of any source
    letzte_lieferung: dt.date | None
    erstellt: dt.date
    open_from: dt.date
    open_to: dt.date
    open_deliveries: tuple[OpenDelivery, ...]
    definitions: tuple[Definition, ...]
    demo: bool

    @property
    def title(self) -> str:
        return period_title(self.period_kind, self.period_start)

    @property
    def previous_word(self) -> str:
        return PERIOD_WORDS[self.period_kind][0]

    @property
    def year_ago_word(self) -> str | None:
        """None for years, whose previous period already is the year before."""
        return None if self.period_kind == "year" else PERIOD_WORDS[self.period_kind][1]

    def region(self, ags: str) -> Region:
        return next(r for r in self.regions if r.ags == ags)

    def figures_of(self, ags: str) -> list[Figure]:
        return [f for s in self.sections for f in s.figures if f.region == ags]


# --- periods ----------------------------------------------------------------------------------

_QUARTER = re.compile(r"(\d{4})-[Qq]([1-4])")
_MONTH = re.compile(r"\d{4}-\d{2}")
_YEAR = re.compile(r"\d{4}")


def parse_period(text: str) -> tuple[Period, PeriodSpan]:
    """'2026-09' (month), '2026-Q3' (quarter) or '2026' (year) as the metrics name periods."""
    value = text.strip()
    kind: Period
    month: dt.date | None
    if match := _QUARTER.fullmatch(value):
        kind, month = "quarter", parse_monat(f"{match[1]}-{(int(match[2]) - 1) * 3 + 1:02d}")
    elif _MONTH.fullmatch(value):
        kind, month = "month", parse_monat(value)
    elif _YEAR.fullmatch(value):
        kind, month = "year", parse_monat(f"{value}-01")
    else:
        month = None
    if month is None:
        raise UsageError(
            f"Der Zeitraum '{text}' ist ungültig. Bitte einen Monat (2026-09), ein Quartal (2026-Q3) "
            "oder ein Jahr (2026) angeben."
        )
    return kind, period_of(month, kind)


def period_title(kind: Period, start: dt.date) -> str:
    """'September 2026', '3. Quartal 2026', 'Jahr 2026'."""
    if kind == "month":
        return fmt.month(start)
    if kind == "quarter":
        return f"{(start.month - 1) // 3 + 1}. Quartal {start.year}"
    return f"Jahr {start.year}"


def course_label(kind: Period, start: dt.date) -> str:
    if kind == "month":
        return fmt.month_short(start)
    if kind == "quarter":
        return f"Q{(start.month - 1) // 3 + 1}/{start.year}"
    return str(start.year)


def _labels_within(kind: Period, span: PeriodSpan) -> set[str]:
    """Labels of the chosen period and of the shorter periods inside it (for the comments)."""
    labels = {span.label}
    month = span.start
    while kind != "month" and month <= span.end:
        labels |= {period_of(month, "month").label, period_of(month, "quarter").label}
        month = add_months(month, 1)
    return labels


# --- building ---------------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _choose_kommunen(chosen: Sequence[str]) -> list[Region]:
    known = {k.ags: k for k in kommunen()}
    unknown = [a for a in chosen if a not in known]
    if unknown:
        raise UsageError(
            f"Unbekannte Kommune: {', '.join(unknown)}. Bitte den achtstelligen Gemeindeschlüssel angeben, "
            "zum Beispiel 05978004 für Bergkamen."
        )
    return [Region(ags=k.ags, name=k.name, members=1) for k in kommunen() if k.ags in set(chosen)]


def _choose_leitsaetze(chosen: Sequence[str]) -> list[str]:
    codes = [ls.code for ls in leitsaetze()]
    unknown = [c for c in chosen if c not in codes]
    if unknown:
        raise UsageError(f"Unbekannter Leitsatz: {', '.join(unknown)}. Möglich sind {', '.join(codes)}.")
    return [c for c in codes if not chosen or c in set(chosen)]


def build_briefing(
    connection: duckdb.DuckDBPyConnection,
    period: str,
    kommunen_chosen: Sequence[str] = (),
    leitsaetze_chosen: Sequence[str] = (),
    *,
    today: dt.date | None = None,
    cat: Catalogue | None = None,
) -> Briefing:
    """Collect everything a briefing shows for the period, the Kreis and the chosen Kommunen and
    Leitsätze (all Leitsätze when none is chosen). Published figures only."""
    cat = cat or catalogue()
    today = today or settings_today()
    kind, span = parse_period(period)
    district = kreis()
    regions = [Region(ags=district.ags, name=district.name, members=len(region_members()[district.ags]))]
    regions += _choose_kommunen(kommunen_chosen)
    codes = _choose_leitsaetze(leitsaetze_chosen)

    step = PERIOD_MONTHS[kind]
    course_start = add_months(span.start, -(COURSE_LENGTH[kind] - 1) * step)
    first = min(course_start, add_months(span.start, -12))
    # published figures of every period, as the disclosure model (cached per state of the data)
    # already computed them; a range of its own would compute the catalogue once more
    values = indicator_values(connection, kind, cat=cat)
    if len(values):
        values = values[(values["periode_start"] >= first) & (values["periode_start"] <= span.end)]
    at_kreis = (
        values[(values["periode"] == span.label) & (values["kommune"] == district.ags)] if len(values) else values
    )
    if at_kreis.empty or not (at_kreis["wert"].notna() | at_kreis["unterdrueckt"]).any():
        raise KimError(
            f"Für den Zeitraum {span.label} liegen noch keine Kennzahlen vor. Bitte einen anderen Zeitraum wählen."
        )

    course = periods_between(course_start, span.end, kind)
    previous = period_of(add_months(span.start, -step), kind).label
    year_ago = period_of(add_months(span.start, -12), kind).label
    rows: dict[tuple[str, str, str], dict[str, Any]] = {
        (str(r["kennzahl"]), str(r["kommune"]), str(r["periode"])): {str(k): v for k, v in r.items()}
        for r in values.to_dict("records")
    }
    notes = comments(connection)
    within = _labels_within(kind, span)
    region_names = {r.ags: r.name for r in regions}
    sources = catalogue_table(cat).set_index("Code")["Quellen"]
    official = kontext_values(connection, cat)
    context = [
        Kontext(
            kennzahl=z.code,
            name=z.name,
            region_name=region.name,
            wert=fmt.value(z.wert, z.unit),
            periode=period_words(z.periode),
            quelle=z.quelle,
        )
        for region in regions
        for z in latest(official, region.ags, span.end, cat)
        if z.region == region.ags  # a Kreis figure only once, as the Kreis's
    ]
    leitsatz_of = {k.code: k.leitsatz for k in cat.kontext}

    sections: list[Section] = []
    for leitsatz in (ls for ls in leitsaetze() if ls.code in codes):
        members = [k for k in cat.kennzahlen if k.leitsatz == leitsatz.code]
        figures = [
            _figure(
                kennzahl,
                region,
                rows.get((kennzahl.code, region.ags, span.label), {}),
                rows.get((kennzahl.code, region.ags, previous), {}),
                rows.get((kennzahl.code, region.ags, year_ago), {}),
                tuple(_number(rows.get((kennzahl.code, region.ags, s.label), {}).get("wert")) for s in course),
            )
            for kennzahl in members
            for region in regions
        ]
        shown = notes[
            notes["kennzahl"].isin([k.code for k in members])
            & notes["kommune"].isin(region_names)
            & notes["periode"].isin(within)
        ]
        section_comments = tuple(
            Comment(
                kennzahl=str(n.kennzahl),
                region_name=region_names[str(n.kommune)],
                periode=str(n.periode),
                text=str(n.text),
                benutzer=str(n.benutzer),
                datum=_local_date(n.zeit),
            )
            for n in shown.itertuples()
        )
        quellen = [name for k in members for name in str(sources[k.code]).split(", ") if name]
        sections.append(
            Section(
                code=leitsatz.code,
                text=leitsatz.text,
                kurz=leitsatz.kurz,
                kennzahlen=tuple(k.code for k in members),
                figures=tuple(figures),
                comments=section_comments,
                quellen=tuple(dict.fromkeys(quellen)),
                kontext=tuple(c for c in context if leitsatz_of[c.kennzahl] == leitsatz.code),
            )
        )

    stand = datenstand(connection)
    open_to = max(span.end, reporting_month(today))
    return Briefing(
        period_kind=kind,
        period=span.label,
        period_start=span.start,
        period_end=span.end,
        regions=tuple(regions),
        sections=tuple(sections),
        course_labels=tuple(course_label(kind, s.start) for s in course),
        datenstand=None if stand.empty else max(stand["letzter_monat"]),
        letzte_lieferung=None if stand.empty else _local_date(max(stand["letzter_upload"])),
        erstellt=today,
        open_from=span.start,
        open_to=open_to,
        open_deliveries=_open_deliveries(connection, span.start, open_to, today),
        definitions=tuple(_definitions(cat, [c for s in sections for c in s.kennzahlen])),
        demo=store.get_meta(connection, "demo") == "ja",
    )


def _figure(
    kennzahl: Kennzahl,
    region: Region,
    row: dict[str, Any],
    previous: dict[str, Any],
    year_ago: dict[str, Any],
    verlauf: tuple[float | None, ...],
) -> Figure:
    """One published cell (an empty row: no value at all). A value built from incomplete data
    is shown with its gap but not judged: its Ampel is grey."""
    fehlend = row.get("fehlend")
    count = _number(row.get("kommunen_mit_wert"))
    complete = bool(row.get("vollstaendig") or False)
    return Figure(
        kennzahl=kennzahl.code,
        name=kennzahl.name,
        unit=kennzahl.unit,
        direction=kennzahl.direction,
        region=region.ags,
        wert=_number(row.get("wert")),
        unterdrueckt=bool(row.get("unterdrueckt") or False),
        ampel=str(row.get("ampel") or "grau") if complete else "grau",
        zielwert=_number(row.get("zielwert")),
        zielwert_bestaetigt=bool(row.get("zielwert_bestaetigt") or False),
        vorperiode=_number(row.get("wert_vorperiode")),
        vorjahr=_number(row.get("wert_vorjahr")),
        vollstaendig=complete,
        vorperiode_vollstaendig=bool(previous.get("vollstaendig") or False),
        vorjahr_vollstaendig=bool(year_ago.get("vollstaendig") or False),
        kommunen_mit_wert=None if count is None else int(count),
        fehlend=tuple(kommune_name(str(a)) for a in (list(fehlend) if fehlend is not None else [])),
        verlauf=verlauf,
    )


def _local_date(value: Any) -> dt.date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(TIMEZONE)
    return stamp.date()


def _open_deliveries(
    connection: duckdb.DuckDBPyConnection, first: dt.date, last: dt.date, today: dt.date
) -> list[OpenDelivery]:
    """Per source and status the Kommunen whose delivery is still missing, months with the same
    Kommunen taken together."""
    status = delivery_status(connection, first, last, today)
    missing = status[status["status"].isin(OPEN_STATUS)]
    months: dict[tuple[str, str, tuple[str, ...]], list[dt.date]] = {}
    for (label, monat, state), rows in missing.groupby(["quelle_label", "monat", "status"], sort=True):
        months.setdefault((str(label), str(state), tuple(rows["kommune_name"])), []).append(cast(dt.date, monat))
    result = [
        OpenDelivery(quelle=label, monate=tuple(sorted(dates)), status=state, kommunen=names)
        for (label, state, names), dates in months.items()
    ]
    return sorted(result, key=lambda d: (d.monate[0], d.quelle))


def _definitions(cat: Catalogue, codes: list[str]) -> list[Definition]:
    table = catalogue_table(cat).set_index("Code")
    result = []
    for code in codes:
        kennzahl = cat.get(code)
        row = table.loc[code]
        result.append(
            Definition(
                code=code,
                name=kennzahl.name,
                leitsatz=str(row["Leitsatz"]),
                handlungsfeld=str(row["Handlungsfeld"]),
                einheit=kennzahl.unit,
                art=KIND_LABELS[kennzahl.kind],
                richtung=DIRECTION_LABELS[kennzahl.direction],
                definition=kennzahl.definition,
                formel=formula(kennzahl, cat),
                quellen=str(row["Quellen"]),
                geheimhaltung=confidentiality_rule(kennzahl, cat),
            )
        )
    return result

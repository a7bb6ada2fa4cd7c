"""Kontext-Kennzahlen: published official figures (the ``kontext`` entries of data/kennzahlen.yaml)
read from the stored statistics tables (``v_statistik``) and shown beside the KIM figures.

The rules:
- A count (``kind: count``) is taken per Kommune as published. The Kreis is the sum of the ten
  Kommunen when the table has a value for all ten, else the table's own Kreis row; a table whose
  Kreis row disagrees with that sum gives a note (the sum is shown). A Teilregion gets a value only
  when the table has a value for each of its Kommunen. A value is never spread from the Kreis down.
- A rate (``kind: rate``) is taken as published, for exactly the regions the table has; it is never
  added up or averaged (no Teilregion).
- Several tables for one Kennzahl: for a region and period the first table in the catalogue's list
  that gives a value wins (a fixed preference, not the newest Stand: a Gemeinde table of IT.NRW is
  listed before a Kreis table of Destatis, so that the Kreis and its Kommunen come from one table).
- Periods as stored: a Stichtag is its month ('2024-12'), a year (a yearly average, a school year)
  the year ('2023'). In ``metrics values`` a Stichtag appears in the month it falls in (and in that
  month's quarter and year, the latest Stichtag of the period); a yearly figure only with
  ``--period year``. Nothing is carried forward into months without a Stichtag.
- Confidentiality: these figures are published by the statistical offices under their own rules
  (rounding to multiples of 5, "." for secret values), so the small-count rule of the KIM figures
  (docs/kennzahlen.md#geheimhaltung) is not applied: hiding a published figure would protect nothing. A symbol without
  a value ('.', 'x', '...', '/') is no value here, never 0.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb
import pandas as pd

from core import format as fmt
from core.catalogue import Catalogue, Kontext, KontextTabelle, catalogue
from core.periods import Period
from core.reference import kommunen, kreis, region_members, teilregionen
from metrics.compute import OUTPUT_COLUMNS
from store import first_row

HEADING = "Kontext aus der amtlichen Statistik"  # above the Kontext-Kennzahlen on pages and in the briefing
VALUE_COLUMNS = ["kennzahl", "kommune", "periode", "wert", "tabelle", "stand", "quelle", "summe"]


@dataclass(frozen=True)
class KontextWerte:
    """Every Kontext-Kennzahl per region and stored period, with the table it comes from, and the
    notes about the tables (a Kreis row that disagrees with its Kommunen, a Merkmal not found)."""

    values: pd.DataFrame  # VALUE_COLUMNS; summe: the Kreis or Teilregion value is a sum of Kommunen
    hinweise: tuple[str, ...]


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """A Merkmal pattern of the catalogue: '*' stands for any text, everything else is literal;
    case and repeated spaces are ignored."""
    parts = [re.escape(part) for part in normalised(pattern).split("*")]
    return re.compile(".*".join(parts), re.DOTALL)


def choose_merkmal(merkmale: list[str], tabelle: KontextTabelle) -> tuple[str | None, str | None]:
    """The one Merkmal of a table the entry takes (the first pattern that matches any), or a note why
    there is none."""
    for pattern in tabelle.merkmal:
        regex = pattern_regex(pattern)
        matched = sorted(m for m in merkmale if regex.fullmatch(normalised(m)))
        if len(matched) == 1:
            return matched[0], None
        if matched:
            listed = "; ".join(f"„{m}“" for m in matched[:3])
            return None, f"mehrere Merkmale passen auf „{pattern}“ ({listed}) – die Tabelle wird nicht verwendet"
    return None, "kein Merkmal der Tabelle passt auf die Angabe im Kennzahlenkatalog"


def period_words(periode: str) -> str:
    """'2024-12' → 'Stichtag im Dezember 2024', '2023' → '2023'."""
    year, _, month = periode.partition("-")
    if not month:
        return year
    return f"Stichtag im {fmt.MONTH_NAMES[int(month) - 1]} {year}"


def _stored(connection: duckdb.DuckDBPyConnection, codes: list[str]) -> pd.DataFrame:
    columns = ["tabelle", "merkmal", "region", "periode", "wert", "stand", "quelle"]
    exists = first_row(connection, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'v_statistik'")
    if not codes or exists is None or not exists[0]:
        return pd.DataFrame(columns=columns)
    placeholders = ", ".join("?" for _ in codes)
    return connection.execute(
        f"""SELECT lower(trim(tabelle)) AS tabelle, merkmal, region, periode, wert, stand, quelle
            FROM v_statistik WHERE lower(trim(tabelle)) IN ({placeholders})""",
        codes,
    ).df()[columns]


def _table_values(kontext: Kontext, rows: pd.DataFrame, hinweise: list[str]) -> list[dict[str, Any]]:
    """The values one table gives an entry, per region and period, by the rules of the module."""
    district, teile = kreis().ags, {t.code for t in teilregionen()}
    members = region_members()
    ags = [k.ags for k in kommunen()]
    found: list[dict[str, Any]] = []
    for periode, group in rows.groupby("periode", sort=True):
        given = {r: w for r, w in zip(group["region"], group["wert"], strict=True) if w is not None and not pd.isna(w)}
        meta = group.iloc[0]
        base = {"kennzahl": kontext.code, "periode": periode, "tabelle": meta["tabelle_name"]}
        base |= {"stand": meta["stand"], "quelle": meta["quelle"]}
        for region in ags:
            if region in given:
                found.append(base | {"kommune": region, "wert": Decimal(str(given[region])), "summe": False})
        own = given.get(district)
        if kontext.kind == "count":
            for region in [*sorted(teile), district]:
                parts = members[region]
                if all(p in given for p in parts):
                    total = sum((Decimal(str(given[p])) for p in parts), Decimal(0))
                    found.append(base | {"kommune": region, "wert": total, "summe": True})
                    if region == district and own is not None and Decimal(str(own)) != total:
                        hinweise.append(
                            f"{kontext.code}: Tabelle {meta['tabelle_name']}, {period_words(str(periode))}: Die Zeile "
                            f"des Kreises Unna ({fmt.exact(own)}) weicht von der Summe der zehn Kommunen "
                            f"({fmt.exact(total)}) ab; gezeigt wird die Summe."
                        )
            if own is not None and not all(p in given for p in members[district]):
                found.append(base | {"kommune": district, "wert": Decimal(str(own)), "summe": False})
        elif own is not None:  # a rate: exactly as published
            found.append(base | {"kommune": district, "wert": Decimal(str(own)), "summe": False})
    return found


def kontext_values(connection: duckdb.DuckDBPyConnection, cat: Catalogue | None = None) -> KontextWerte:
    """Every Kontext-Kennzahl of the catalogue from the official tables stored now."""
    cat = cat or catalogue()
    codes = sorted({normalised(t.tabelle) for k in cat.kontext for t in k.tabellen})
    stored = _stored(connection, codes)
    names = {normalised(t.tabelle): t.tabelle.strip() for k in cat.kontext for t in k.tabellen}
    stored["tabelle_name"] = stored["tabelle"].map(names)
    hinweise: list[str] = []
    found: list[dict[str, Any]] = []
    for kontext in cat.kontext:
        taken: set[tuple[str, str]] = set()
        for tabelle in kontext.tabellen:
            code = normalised(tabelle.tabelle)
            rows = stored[stored["tabelle"] == code]
            if rows.empty:
                continue
            merkmal, problem = choose_merkmal(sorted(set(rows["merkmal"])), tabelle)
            if merkmal is None:
                hinweise.append(f"{kontext.code}: Tabelle {tabelle.tabelle.strip()}: {problem}.")
                continue
            for value in _table_values(kontext, rows[rows["merkmal"] == merkmal], hinweise):
                key = (value["kommune"], value["periode"])
                if key not in taken:  # an earlier table of the list gave this region and period
                    taken.add(key)
                    found.append(value)
    frame = pd.DataFrame(found, columns=VALUE_COLUMNS)
    return KontextWerte(frame, tuple(hinweise))


def _span(periode: str) -> tuple[dt.date, dt.date]:
    year, _, month = periode.partition("-")
    if month:
        day = dt.date(int(year), int(month), 1)
        return day, day
    return dt.date(int(year), 1, 1), dt.date(int(year), 12, 1)


def _label(periode: str, period: Period) -> str | None:
    """The output period of a stored period: a Stichtag in its month, quarter and year; a year only
    as a year."""
    year, _, month = periode.partition("-")
    if not month:
        return year if period == "year" else None
    if period == "month":
        return periode
    if period == "quarter":
        return f"{year}-Q{(int(month) - 1) // 3 + 1}"
    return year


def for_output(
    werte: KontextWerte,
    period: Period,
    first: dt.date | None = None,
    last: dt.date | None = None,
    cat: Catalogue | None = None,
) -> list[dict[str, Any]]:
    """The Kontext-Kennzahlen as rows of ``metrics values`` (its columns, unchanged): wert as
    published, zaehler = wert for a count, no nenner (a published rate has none here), Ampel grey
    (no targets), never suppressed, complete."""
    cat = cat or catalogue()
    order = {k.code: i for i, k in enumerate(cat.kontext)}
    kinds = {k.code: k.kind for k in cat.kontext}
    regions = {r: i for i, r in enumerate(region_members())}
    best: dict[tuple[str, str, str], tuple[str, Any]] = {}
    for row in werte.values.itertuples():
        start, end = _span(str(row.periode))
        if (first is not None and end < first) or (last is not None and start > last):
            continue
        label = _label(str(row.periode), period)
        if label is None:
            continue
        key = (str(row.kennzahl), str(row.kommune), label)
        if key not in best or str(row.periode) > best[key][0]:  # the latest Stichtag of the period
            best[key] = (str(row.periode), row.wert)
    rows = []
    for (code, region, label), (_, wert) in sorted(
        best.items(), key=lambda item: (order[item[0][0]], item[0][2], regions.get(item[0][1], 99))
    ):
        number = float(wert)
        rows.append(
            dict.fromkeys(OUTPUT_COLUMNS)
            | {
                "kennzahl": code,
                "kommune": region,
                "periode": label,
                "wert": number,
                "zaehler": number if kinds[code] == "count" else None,
                "nenner": None,
                "ampel": "grau",
                "unterdrueckt": False,
                "vollstaendig": True,
            }
        )
    return rows


# --- the source line ---------------------------------------------------------------------------
# The portal follows from the table code's family, the publisher from the stored © line: so a further
# table of a known portal needs no entry here.
_PORTALS = (
    (re.compile(r"\d{5}-\d{2}-\d{2}-\d", re.IGNORECASE), "Regionaldatenbank Deutschland"),
    (re.compile(r"\d{5}-\d{2,3}[a-z]+", re.IGNORECASE), "Landesdatenbank NRW"),
    (re.compile(r"\d{5}-\d{4}", re.IGNORECASE), "GENESIS-Online"),
)
_LICENCE = re.compile(r"Datenlizenz Deutschland\W*Namensnennung\W*(?:Version\s*)?(\d+(?:\.\d+)?)", re.IGNORECASE)


def portal(tabelle: str) -> str | None:
    return next((name for regex, name in _PORTALS if regex.fullmatch(tabelle.strip())), None)


def publisher(quelle: str | None) -> str | None:
    """'© IT.NRW, Düsseldorf, 2026. Dieses Werk …' → 'IT.NRW'."""
    text = re.sub(r"\s+", " ", quelle or "").strip()
    if not text.startswith(("©", "(C)", "(c)")):
        return None
    name = text.lstrip("©").removeprefix("(C)").removeprefix("(c)").strip().split(",")[0].strip()
    return name or None


def source_line(tabelle: str, quelle: str | None, stand: Any) -> str:
    """'Quelle: IT.NRW, Landesdatenbank NRW, Tabelle 12411-15i, Stand 19.01.2026; Datenlizenz
    Deutschland – Namensnennung – 2.0' (each part only when the table says so)."""
    parts = [p for p in (publisher(quelle), portal(tabelle)) if p]
    parts.append(f"Tabelle {tabelle.strip()}")
    if stand is not None and not pd.isna(stand):
        parts.append(f"Stand {fmt.day(pd.Timestamp(stand))}")
    line = "Quelle: " + ", ".join(parts)
    licence = _LICENCE.search(re.sub(r"\s+", " ", quelle or ""))
    if licence:
        line += f"; Datenlizenz Deutschland – Namensnennung – {licence.group(1)}"
    return line


@dataclass(frozen=True)
class KontextZeile:
    """One Kontext-Kennzahl as a page or the briefing shows it for a region."""

    code: str
    name: str
    leitsatz: str
    unit: str
    region: str  # the region whose value it is (the Kreis when the table has only the Kreis)
    periode: str
    wert: float
    quelle: str  # the source line


def latest(
    werte: KontextWerte, region: str, until: dt.date | None = None, cat: Catalogue | None = None
) -> list[KontextZeile]:
    """Per Kontext-Kennzahl the latest value of the region at or before ``until`` (a Stichtag up to its
    month, a year up to its end); the Kreis's when the region has none (a table of Kreise only) — it
    is then named as the Kreis's value, never given to the region."""
    cat = cat or catalogue()
    frame = werte.values
    shown: list[KontextZeile] = []
    for kontext in cat.kontext:
        rows = frame[frame["kennzahl"] == kontext.code]
        if until is not None:
            rows = rows.loc[[_span(str(p))[0] <= until for p in rows["periode"]]] if len(rows) else rows
        for place in dict.fromkeys([region, kreis().ags]):
            own = rows[rows["kommune"] == place]
            if own.empty:
                continue
            row = own.loc[max(own.index, key=lambda i: (_span(str(own.at[i, "periode"]))[1], -i))]
            shown.append(
                KontextZeile(
                    kontext.code,
                    kontext.name,
                    kontext.leitsatz,
                    kontext.unit,
                    place,
                    str(row["periode"]),
                    float(row["wert"]),
                    source_line(str(row["tabelle"]), row["quelle"], row["stand"]),
                )
            )
            break
    return shown

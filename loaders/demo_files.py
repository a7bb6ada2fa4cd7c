"""Deterministic synthetic monthly export files (demo data) for every Datenquelle.

The generator writes files in the canonical format of the data delivery agreement
(``datenlieferung.md``): canonical snake_case headers, ``kommune`` as 8-digit AGS text,
``monat`` as ``YYYY-MM``, ISO dates (real date cells in xlsx), ``ja``/``nein`` booleans,
``;``-joined Handlungsfeld codes, UTF-8 comma-separated CSV with ``.`` as decimal point and
empty cells for missing values. The data are invented; no real person is described and
``fall_id`` values are pseudonyms such as ``BK-2024-00017``.

Model in short:

* ``fallmanagement``: cases arrive per Kommune and month (Poisson, proportional to the
  population, with a mild Kommune profile and seasonality) and last several months
  (log-normal, median about nine months). The Kreis holds about 1.450 active cases at the
  start of the range at ``scale=1``, rising by 0,35 % a month. A month's delivery is a
  snapshot: every case open at any time in that month; ``fallende``/``abschlussgrund``/
  ``ergebnis_arbeit`` appear in the closing month only, ``erstkontakt`` once it happened,
  ``uebergaben`` grow over the life of the case; the case is absent afterwards.
* Aggregate sources and ``bevoelkerung``/``kennzahlen`` follow the population of each
  Kommune with gentle trends, seasonality and Poisson/binomial noise. ``scale`` only
  affects the case volume, never the aggregate figures.

Everything is derived from ``seed`` through independent random streams, so the aggregate
files do not change when ``scale`` or ``case_format`` change. The output is byte-for-byte
reproducible (xlsx files carry a fixed document time), so a re-generated file has the
same SHA-256.

Command line: ``python -m loaders.demo_files FOLDER --end YYYY-MM [--months 36]
[--scale 1.0] [--seed 2021] [--case-format xlsx|csv]``.
"""

from __future__ import annotations

import argparse
import io
import math
import re
import time
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.worksheet._write_only import (  # type: ignore[import-untyped]
    WriteOnlyWorksheet,
)

__all__ = [
    "ABSCHLUSSGRUENDE",
    "DEMO_KOMMUNEN",
    "HANDLUNGSFELDER",
    "SPALTEN",
    "DemoKommune",
    "write_demo_files",
]


# --------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoKommune:
    """One Kommune as the generator sees it."""

    ags: str
    name: str
    einwohner: int
    kuerzel: str  # prefix of the pseudonymous fall_id
    anteil_auslaendisch: float  # share of foreign residents at the end of 2023


DEMO_KOMMUNEN: tuple[DemoKommune, ...] = (
    DemoKommune("05978004", "Bergkamen", 49_000, "BK", 0.158),
    DemoKommune("05978008", "Bönen", 18_000, "BOE", 0.150),
    DemoKommune("05978012", "Fröndenberg/Ruhr", 21_000, "FR", 0.122),
    DemoKommune("05978016", "Holzwickede", 17_000, "HW", 0.125),
    DemoKommune("05978020", "Kamen", 44_000, "KA", 0.152),
    DemoKommune("05978024", "Lünen", 86_000, "LUE", 0.165),
    DemoKommune("05978028", "Schwerte", 47_000, "SW", 0.132),
    DemoKommune("05978032", "Selm", 26_000, "SE", 0.138),
    DemoKommune("05978036", "Unna", 59_000, "UN", 0.142),
    DemoKommune("05978040", "Werne", 30_000, "WE", 0.128),
)

HANDLUNGSFELDER: tuple[str, ...] = (
    "sprache",
    "bildung",
    "arbeit",
    "wohnen",
    "gesundheit",
    "aufenthalt",
    "teilhabe",
    "uebergreifend",
)
ABSCHLUSSGRUENDE: tuple[str, ...] = (
    "ziel_erreicht",
    "teilweise_erreicht",
    "weitervermittelt",
    "abbruch",
    "wegzug",
    "sonstiges",
)
ALTERSGRUPPEN: tuple[str, ...] = ("0-17", "18-26", "27-44", "45-64", "65+")
GESCHLECHTER: tuple[str, ...] = ("w", "m", "d", "k.A.")
RECHTSKREISE: tuple[str, ...] = (
    "SGB II",
    "SGB III",
    "SGB VIII",
    "SGB XII",
    "AsylbLG",
    "ohne Leistungsbezug",
    "unbekannt",
)
ZUGAENGE: tuple[str, ...] = (
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

# Canonical columns per Datenquelle, in the order they are written.
SPALTEN: dict[str, tuple[str, ...]] = {
    "fallmanagement": (
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
    ),
    "arbeitsmarkt": (
        "kommune",
        "monat",
        "arbeitslose_auslaendisch",
        "elb_auslaendisch",
        "integrationen_auslaendisch",
    ),
    "auslaenderbehoerde": (
        "kommune",
        "monat",
        "antraege_eingang",
        "antraege_entschieden",
        "bearbeitungstage_summe",
        "offene_verfahren",
        "aufenthaltsverfestigungen",
        "einbuergerungen",
    ),
    "schule": (
        "kommune",
        "monat",
        "seiteneinsteiger_neu",
        "seiteneinsteiger_beschult_4w",
        "wartende_schulplatz",
    ),
    "sprache": (
        "kommune",
        "monat",
        "berechtigungen",
        "kurseintritte",
        "wartetage_summe",
        "pruefungen_dtz",
        "b1_erreicht",
    ),
    "ehrenamt": (
        "kommune",
        "monat",
        "ehrenamtliche_aktiv",
        "ehrenamtliche_neu",
        "tandems_aktiv",
        "einsatzstunden",
    ),
    "bevoelkerung": (
        "kommune",
        "monat",
        "einwohner",
        "auslaendisch",
        "auslaendisch_15_64",
        "zugewandert_5j",
    ),
    "kennzahlen": ("kommune", "monat", "kennzahl", "wert"),
}

# File format per aggregate Datenquelle (a realistic mix of Excel and CSV deliveries).
_AGGREGAT_FORMAT: dict[str, str] = {
    "arbeitsmarkt": "xlsx",
    "auslaenderbehoerde": "csv",
    "schule": "xlsx",
    "sprache": "csv",
    "ehrenamt": "xlsx",
    "kennzahlen": "csv",
}

# --------------------------------------------------------------------------------------
# Model parameters
# --------------------------------------------------------------------------------------

# Kreis-wide active cases at the start of the range (scale 1).
_BASIS_AKTIVE_FAELLE = 1450.0
_WACHSTUM_JE_MONAT = 1.0035  # slow rise of the case volume
_DAUER_MEDIAN_TAGE = 300.0
_DAUER_SIGMA = 0.6
_DAUER_MIN_TAGE, _DAUER_MAX_TAGE = 30, 1100
# Mean duration in months of the clipped log-normal; arrivals = level / mean duration.
_DAUER_MITTEL_MONATE = _DAUER_MEDIAN_TAGE * float(np.exp(_DAUER_SIGMA**2 / 2)) / 30.44
# Empirical correction: shorter closing reasons (abbruch, wegzug) and the growing level mean
# fewer cases are still open than level × mean duration would suggest.
_KALIBRIERUNG = 1.10
# Burn-in before the range so that its first month already holds a realistic stock.
_VORLAUF_MONATE = 40
_BEZUG_MONAT = (2023 - 1970) * 12 + 11  # December 2023 as numpy month number

# Arrival seasonality (Jan … Dec), mean 1.
_SAISON_FALL = np.array([1.08, 1.05, 1.02, 1.0, 0.98, 0.95, 0.86, 0.85, 1.06, 1.1, 1.05, 1.0])
_SAISON_FALL = _SAISON_FALL / _SAISON_FALL.mean()
# Registered unemployment (typical German pattern).
_SAISON_ALO = np.array([1.06, 1.07, 1.04, 1.0, 0.98, 0.97, 1.0, 1.01, 0.97, 0.95, 0.95, 0.98])
# Newly arrived school children: peaks around the start of the school year.
_SAISON_SCHULE = np.array([1.0, 0.95, 0.95, 1.0, 0.9, 0.85, 0.6, 1.35, 1.5, 1.1, 0.95, 0.85])
# Course starts and exams: summer and Christmas breaks.
_SAISON_KURS = np.array([1.1, 1.05, 1.05, 1.0, 1.0, 0.95, 0.75, 0.7, 1.15, 1.1, 1.05, 0.8])
# Volunteer hours.
_SAISON_EHRENAMT = np.array([0.95, 0.97, 1.0, 1.02, 1.05, 1.03, 0.9, 0.88, 1.03, 1.05, 1.05, 0.97])
# Residence-permit applications.
_SAISON_ABH = np.array([1.1, 1.05, 1.02, 1.0, 0.98, 0.97, 0.92, 0.9, 1.0, 1.03, 1.02, 0.95])

_STREAM_PROFIL = 1
_STREAM_FAELLE = 2
_STREAM_AGGREGAT = {
    "arbeitsmarkt": 10,
    "auslaenderbehoerde": 11,
    "schule": 12,
    "sprache": 13,
    "ehrenamt": 14,
    "bevoelkerung": 15,
    "kennzahlen": 16,
}

# Missing value in object arrays (written as an empty cell).
_LEER = np.array(None, dtype=object)

_MONAT_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


# --------------------------------------------------------------------------------------
# Month helpers (a month is a numpy month number: months since 1970-01)
# --------------------------------------------------------------------------------------


def _parse_monat(text: str) -> int:
    match = _MONAT_RE.match(text.strip())
    if not match:
        raise ValueError(f"end muss die Form YYYY-MM haben, nicht {text!r}")
    return (int(match.group(1)) - 1970) * 12 + int(match.group(2)) - 1


def _monat_label(monat: int) -> str:
    return f"{1970 + monat // 12:04d}-{monat % 12 + 1:02d}"


def _monat_erster_tag(monate: np.ndarray | int) -> np.ndarray:
    """First day (days since epoch) of the given month numbers."""
    return np.asarray(monate).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def _monat_letzter_tag(monate: np.ndarray | int) -> np.ndarray:
    return _monat_erster_tag(np.asarray(monate) + 1) - 1


def _monat_von_tag(tage: np.ndarray) -> np.ndarray:
    return tage.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def _werktag(tage: np.ndarray, *, rueckwaerts: bool = False) -> np.ndarray:
    """Move weekend days to the next (or previous) working day."""
    roll: Literal["forward", "backward"] = "backward" if rueckwaerts else "forward"
    verschoben = np.busday_offset(tage.astype("datetime64[D]"), 0, roll=roll)
    return np.asarray(verschoben).astype(np.int64)


def _iso(tage: np.ndarray) -> np.ndarray:
    """ISO date strings for days since epoch."""
    return np.datetime_as_string(tage.astype("datetime64[D]"), unit="D").astype(object)


def _als_datum(tage: np.ndarray) -> np.ndarray:
    """datetime.date objects (for real xlsx date cells)."""
    return tage.astype("datetime64[D]").astype(object)


# --------------------------------------------------------------------------------------
# Kommune profile and population
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Profil:
    """Per-Kommune parameters drawn once from the seed (arrays of length 10)."""

    einwohner: np.ndarray
    anteil_auslaendisch: np.ndarray
    anteil_zugewandert: np.ndarray
    reichweite: np.ndarray  # case-management reach relative to the population
    erstkontakt_tage: np.ndarray  # median days anfrage → erstkontakt
    ehrenamt_quote: np.ndarray
    dauer_faktor: np.ndarray


def _profil(seed: int) -> _Profil:
    rng = np.random.default_rng([seed, _STREAM_PROFIL])
    n = len(DEMO_KOMMUNEN)
    anteil = np.array([k.anteil_auslaendisch for k in DEMO_KOMMUNEN])
    anteil = anteil * rng.uniform(0.98, 1.02, n)
    # Recent immigration correlates with the share of foreign residents: about 4–6 %.
    zugewandert = 0.040 + (anteil - 0.12) / 0.06 * 0.018 + rng.uniform(-0.002, 0.002, n)
    return _Profil(
        einwohner=np.array([k.einwohner for k in DEMO_KOMMUNEN], dtype=float),
        anteil_auslaendisch=anteil,
        anteil_zugewandert=np.clip(zugewandert, 0.04, 0.06),
        reichweite=rng.uniform(0.85, 1.15, n),
        erstkontakt_tage=rng.uniform(9.0, 15.0, n),
        ehrenamt_quote=rng.uniform(0.17, 0.27, n),
        dauer_faktor=rng.uniform(0.9, 1.1, n),
    )


@dataclass(frozen=True)
class _Bevoelkerung:
    """Smooth population figures, arrays of shape (Kommune, month)."""

    einwohner: np.ndarray
    auslaendisch: np.ndarray
    auslaendisch_15_64: np.ndarray
    zugewandert_5j: np.ndarray


def _bevoelkerung(profil: _Profil, monate: np.ndarray) -> _Bevoelkerung:
    jahre = np.clip((monate - _BEZUG_MONAT)[None, :] / 12.0, -8.0, 8.0)
    einwohner = profil.einwohner[:, None] * (1.0 + 0.0015 * jahre)
    anteil = np.clip(profil.anteil_auslaendisch[:, None] + 0.002 * jahre, 0.12, 0.18)
    auslaendisch = einwohner * anteil
    anteil_zugewandert = np.clip(profil.anteil_zugewandert[:, None] + 0.001 * jahre, 0.04, 0.06)
    zugewandert = einwohner * anteil_zugewandert
    return _Bevoelkerung(
        einwohner=einwohner,
        auslaendisch=auslaendisch,
        auslaendisch_15_64=auslaendisch * 0.70,
        zugewandert_5j=zugewandert,
    )


# --------------------------------------------------------------------------------------
# Fallmanagement
# --------------------------------------------------------------------------------------


def _kategorie(rng: np.random.Generator, wahrscheinlichkeiten: np.ndarray) -> np.ndarray:
    """Draw one category index per row of a (n, K) probability matrix."""
    kumuliert = np.cumsum(wahrscheinlichkeiten, axis=1)
    kumuliert /= kumuliert[:, -1:]
    zufall = rng.random((wahrscheinlichkeiten.shape[0], 1))
    index = (zufall > kumuliert).sum(axis=1)
    return np.asarray(np.minimum(index, wahrscheinlichkeiten.shape[1] - 1))


def _codes(werte: Sequence[str], index: np.ndarray, fehlend: np.ndarray) -> np.ndarray:
    """Object array of codes, None where ``fehlend``."""
    tabelle = np.array([*werte, None], dtype=object)
    return tabelle[np.where(fehlend, len(werte), index)]


@dataclass
class _Faelle:
    """All cases visible in the range, ordered by kommune and fall_id (case level)."""

    beginn_monat: np.ndarray
    ende_monat: np.ndarray  # true closing month (may lie after the range)
    erstkontakt_tag: np.ndarray  # days since epoch, -1 = never recorded
    uebergaben: np.ndarray  # total over the case, -1 = not recorded
    uebergaben_erfolgreich: np.ndarray
    spalten: dict[str, np.ndarray]  # constant columns (strings/None), case level
    datums_spalten: dict[str, np.ndarray]  # date columns as datetime.date/None (xlsx)


def _simuliere_faelle(seed: int, profil: _Profil, start: int, ende: int, scale: float) -> _Faelle:
    rng = np.random.default_rng([seed, _STREAM_FAELLE])
    n_kommunen = len(DEMO_KOMMUNEN)
    sim_monate = np.arange(start - _VORLAUF_MONATE, ende + 1)
    niveau = _BASIS_AKTIVE_FAELLE * scale * _WACHSTUM_JE_MONAT ** (sim_monate - start)
    gewicht = profil.einwohner * profil.reichweite
    anteil = gewicht / gewicht.sum()
    rate = (
        anteil[:, None]
        * niveau[None, :]
        * _SAISON_FALL[sim_monate % 12][None, :]
        * _KALIBRIERUNG
        / _DAUER_MITTEL_MONATE
    )
    zugaenge = rng.poisson(rate)  # (Kommune, month)
    n = int(zugaenge.sum())
    kommune = np.repeat(np.repeat(np.arange(n_kommunen), len(sim_monate)), zugaenge.ravel())
    monat = np.repeat(np.tile(sim_monate, n_kommunen), zugaenge.ravel())
    # Position of the arrival month in the range (0 … 1) for gentle trends.
    bruch = np.clip((monat - start) / max(ende - start, 1), 0.0, 1.0)

    # Dates --------------------------------------------------------------------------
    erster = _monat_erster_tag(monat)
    laenge = _monat_letzter_tag(monat) - erster + 1
    beginn = erster + (rng.random(n) * laenge).astype(np.int64)
    beginn = _werktag(beginn)
    zu_spaet = _monat_von_tag(beginn) != monat
    beginn[zu_spaet] = _werktag(beginn[zu_spaet] - 3, rueckwaerts=True)
    anfrage = _werktag(beginn - rng.integers(2, 36, n), rueckwaerts=True)
    median_erst = profil.erstkontakt_tage[kommune] * (1.0 - 0.2 * bruch)
    # 3–30 days after the enquiry (28 at most before moving off a weekend).
    verzug = np.clip(np.round(rng.lognormal(np.log(median_erst - 2.0), 0.45) + 2.0), 3, 28)
    erstkontakt = _werktag(anfrage + verzug.astype(np.int64))

    # Closing reason (drawn first: it shapes duration and outcome) --------------------
    p_grund = np.column_stack(
        [
            0.36 + 0.06 * bruch,
            np.full(n, 0.22),
            np.full(n, 0.15),
            0.14 - 0.04 * bruch,
            np.full(n, 0.05),
            0.08 - 0.02 * bruch,
        ]
    )
    grund = _kategorie(rng, p_grund)
    dauer_faktor = np.array([1.05, 1.0, 0.9, 0.6, 0.8, 0.9])[grund] * profil.dauer_faktor[kommune]
    dauer = rng.lognormal(np.log(_DAUER_MEDIAN_TAGE), _DAUER_SIGMA, n) * dauer_faktor
    dauer = np.clip(np.round(dauer), _DAUER_MIN_TAGE, _DAUER_MAX_TAGE).astype(np.int64)
    fallende = _werktag(beginn + dauer)
    erstkontakt = np.minimum(erstkontakt, fallende)
    ende_monat = _monat_von_tag(fallende)

    # fall_id: per Kommune and year of fallbeginn, numbered in order of fallbeginn with
    # a few gaps (numbers of enquiries that never became a case).
    jahr = 1970 + monat // 12
    ordnung = np.lexsort((beginn, jahr, kommune))
    schritt = 1 + (rng.random(n) < 0.08).astype(np.int64)
    gruppe = (kommune * 10_000 + jahr)[ordnung]
    neu = np.ones(n, dtype=bool)
    neu[1:] = gruppe[1:] != gruppe[:-1]
    gruppen_start = np.maximum.accumulate(np.where(neu, np.arange(n), 0))
    summe = np.cumsum(schritt[ordnung])
    nummer_sortiert = summe - summe[gruppen_start] + schritt[ordnung][gruppen_start]
    nummer = np.empty(n, dtype=np.int64)
    nummer[ordnung] = nummer_sortiert

    # Attributes -----------------------------------------------------------------------
    alter = rng.choice(len(ALTERSGRUPPEN), n, p=[0.09, 0.24, 0.41, 0.21, 0.05])
    kind = alter == 0
    p_rk = np.tile([0.45, 0.08, 0.04, 0.04, 0.18, 0.13, 0.05], (n, 1))
    p_rk[kind] = [0.30, 0.0, 0.35, 0.02, 0.20, 0.08, 0.05]
    p_rk[alter == 4] = [0.10, 0.0, 0.0, 0.45, 0.15, 0.25, 0.05]
    rechtskreis = _kategorie(rng, p_rk)
    p_zugang = np.tile([0.22, 0.15, 0.18, 0.05, 0.06, 0.05, 0.07, 0.12, 0.05, 0.05], (n, 1))
    # More referrals by agencies and schools over time (KIM's LS4 goal).
    p_zugang[:, 1:7] *= (1.0 + 0.25 * bruch)[:, None]
    p_zugang[kind, 4] *= 4.0
    p_zugang[kind, 5] *= 3.0
    zugang = _kategorie(rng, p_zugang)

    p_feld = np.tile([0.55, 0.22, 0.45, 0.30, 0.20, 0.35, 0.20, 0.10], (n, 1))
    p_feld[kind, 1] = 0.85
    p_feld[kind, 2] = 0.03
    p_feld[alter == 4, 2] = 0.02
    felder = rng.random((n, len(HANDLUNGSFELDER))) < p_feld
    ohne = ~felder.any(axis=1)
    felder[
        ohne,
        rng.choice(
            len(HANDLUNGSFELDER),
            int(ohne.sum()),
            p=[0.4, 0.1, 0.2, 0.1, 0.05, 0.1, 0.03, 0.02],
        ),
    ] = True
    bitmaske = felder.astype(np.int64) @ (1 << np.arange(len(HANDLUNGSFELDER)))
    feld_tabelle = np.array(
        [
            ";".join(c for i, c in enumerate(HANDLUNGSFELDER) if maske >> i & 1) or None
            for maske in range(1 << len(HANDLUNGSFELDER))
        ],
        dtype=object,
    )
    n_felder = felder.sum(axis=1)

    rk_beteiligt = rng.choice(5, n, p=[0.05, 0.38, 0.35, 0.16, 0.06])
    rk_beteiligt = np.where(n_felder >= 3, np.maximum(rk_beteiligt, 1), rk_beteiligt)

    zuletzt = rng.random(n) < 0.88
    zuzug_jahre = np.where(
        zuletzt,
        rng.choice(6, n, p=[0.12, 0.25, 0.22, 0.17, 0.13, 0.11]),
        rng.integers(6, 26, n),
    )
    zuzugsjahr = jahr - zuzug_jahre

    p_ehrenamt = np.clip(profil.ehrenamt_quote[kommune] + 0.08 * bruch, 0.0, 0.9)
    ehrenamt = rng.random(n) < p_ehrenamt

    p_arbeit = 0.10 + 0.25 * felder[:, 2]
    p_arbeit = p_arbeit * np.array([1.6, 1.0, 0.8, 0.15, 0.3, 0.5])[grund]
    p_arbeit = np.where((alter == 0) | (alter == 4), 0.01, p_arbeit)
    ergebnis_arbeit = rng.random(n) < p_arbeit

    uebergaben = rng.poisson(0.5 + 0.45 * n_felder)
    p_erfolg = np.clip(0.78 + 0.10 * bruch, 0.0, 0.95)
    p_erfolg = np.where((grund == 3) | (grund == 4), p_erfolg - 0.2, p_erfolg)
    erfolgreich = rng.binomial(uebergaben, p_erfolg)

    # Missing optional fields --------------------------------------------------------
    ohne_anfrage = rng.random(n) < 0.03
    ohne_erstkontakt = rng.random(n) < 0.05
    ohne_uebergaben = rng.random(n) < 0.03
    uebergaben = np.where(ohne_uebergaben, -1, uebergaben)
    erfolgreich = np.where(ohne_uebergaben, -1, erfolgreich)
    erstkontakt = np.where(ohne_erstkontakt, -1, erstkontakt)

    # Keep the cases visible in the range, in output order -----------------------------
    sichtbar = ordnung[ende_monat[ordnung] >= start]
    k = kommune[sichtbar]
    breite = max(5, len(str(int(nummer.max(initial=1)))))
    kuerzel = [DEMO_KOMMUNEN[i].kuerzel for i in range(n_kommunen)]
    fall_id = np.array(
        [
            f"{kuerzel[kk]}-{jj}-{nn:0{breite}d}"
            for kk, jj, nn in zip(
                k.tolist(),
                jahr[sichtbar].tolist(),
                nummer[sichtbar].tolist(),
                strict=True,
            )
        ],
        dtype=object,
    )
    ags = np.array([kk.ags for kk in DEMO_KOMMUNEN], dtype=object)
    anfrage_v = anfrage[sichtbar]
    fehlt_anfrage = ohne_anfrage[sichtbar]

    def bool_text(werte: np.ndarray, fehlend: np.ndarray) -> np.ndarray:
        return np.where(fehlend, _LEER, np.where(werte, "ja", "nein")).astype(object)

    spalten: dict[str, np.ndarray] = {
        "fall_id": fall_id,
        "kommune": ags[k],
        "anfrage": np.where(fehlt_anfrage, _LEER, _iso(anfrage_v)),
        "fallbeginn": _iso(beginn[sichtbar]),
        "fallende": _iso(fallende[sichtbar]),
        "erstkontakt": _iso(np.maximum(erstkontakt[sichtbar], 0)),
        "abschlussgrund": np.array(ABSCHLUSSGRUENDE, dtype=object)[grund[sichtbar]],
        "zuzugsjahr": zuzugsjahr[sichtbar].astype(object),
        "altersgruppe": _codes(ALTERSGRUPPEN, alter[sichtbar], rng.random(len(sichtbar)) < 0.03),
        "geschlecht": np.array(GESCHLECHTER, dtype=object)[rng.choice(4, len(sichtbar), p=[0.47, 0.495, 0.005, 0.03])],
        "rechtskreis": _codes(RECHTSKREISE, rechtskreis[sichtbar], rng.random(len(sichtbar)) < 0.03),
        "rechtskreise_beteiligt": np.where(
            rng.random(len(sichtbar)) < 0.04,
            _LEER,
            rk_beteiligt[sichtbar].astype(object),
        ),
        "zugang": _codes(ZUGAENGE, zugang[sichtbar], rng.random(len(sichtbar)) < 0.03),
        "handlungsfelder": feld_tabelle[bitmaske[sichtbar]],
        "ehrenamt": bool_text(ehrenamt[sichtbar], rng.random(len(sichtbar)) < 0.02),
        "ergebnis_arbeit": bool_text(ergebnis_arbeit[sichtbar], np.zeros(len(sichtbar), bool)),
    }
    datums_spalten: dict[str, np.ndarray] = {
        "anfrage": np.where(fehlt_anfrage, _LEER, _als_datum(anfrage_v)),
        "fallbeginn": _als_datum(beginn[sichtbar]),
        "fallende": _als_datum(fallende[sichtbar]),
        "erstkontakt": _als_datum(np.maximum(erstkontakt[sichtbar], 0)),
    }
    return _Faelle(
        beginn_monat=monat[sichtbar],
        ende_monat=ende_monat[sichtbar],
        erstkontakt_tag=erstkontakt[sichtbar],
        uebergaben=uebergaben[sichtbar],
        uebergaben_erfolgreich=erfolgreich[sichtbar],
        spalten=spalten,
        datums_spalten=datums_spalten,
    )


def _zahl_text(werte: np.ndarray) -> np.ndarray:
    """Small non-negative integers as strings, None for -1 (lookup table, fast)."""
    hoechster = int(werte.max(initial=0))
    tabelle = np.array([*(str(i) for i in range(hoechster + 1)), None], dtype=object)
    return tabelle[np.where(werte < 0, hoechster + 1, werte)]


def _lieferung_fall(faelle: _Faelle, monat: int, *, fuer_xlsx: bool) -> dict[str, np.ndarray]:
    """The fallmanagement delivery for one month: every case open at any time in it."""
    offen = (faelle.beginn_monat <= monat) & (faelle.ende_monat >= monat)
    idx = np.flatnonzero(offen)  # case order = kommune, fall_id
    n = len(idx)
    schliesst = faelle.ende_monat[idx] == monat
    letzter_tag = int(_monat_letzter_tag(monat))
    erst_tag = faelle.erstkontakt_tag[idx]
    erst_sichtbar = (erst_tag >= 0) & (erst_tag <= letzter_tag)

    bisher = monat - faelle.beginn_monat[idx] + 1
    gesamt = faelle.ende_monat[idx] - faelle.beginn_monat[idx] + 1
    ueb = faelle.uebergaben[idx]
    erf = faelle.uebergaben_erfolgreich[idx]
    ueb_bisher = np.where(ueb < 0, -1, ueb * bisher // gesamt)
    erf_bisher = np.where(erf < 0, -1, erf * bisher // gesamt)

    quelle = faelle.datums_spalten if fuer_xlsx else faelle.spalten
    spalten = faelle.spalten

    def nur(maske: np.ndarray, werte: np.ndarray) -> np.ndarray:
        return np.where(maske, werte, _LEER)

    daten: dict[str, np.ndarray] = {
        "fall_id": spalten["fall_id"][idx],
        "kommune": spalten["kommune"][idx],
        "monat": np.full(n, _monat_label(monat), dtype=object),
        "anfrage": quelle["anfrage"][idx],
        "fallbeginn": quelle["fallbeginn"][idx],
        "erstkontakt": nur(erst_sichtbar, quelle["erstkontakt"][idx]),
        "fallende": nur(schliesst, quelle["fallende"][idx]),
        "abschlussgrund": nur(schliesst, spalten["abschlussgrund"][idx]),
        "zuzugsjahr": spalten["zuzugsjahr"][idx],
        "altersgruppe": spalten["altersgruppe"][idx],
        "geschlecht": spalten["geschlecht"][idx],
        "rechtskreis": spalten["rechtskreis"][idx],
        "rechtskreise_beteiligt": spalten["rechtskreise_beteiligt"][idx],
        "zugang": spalten["zugang"][idx],
        "handlungsfelder": spalten["handlungsfelder"][idx],
        "ehrenamt": spalten["ehrenamt"][idx],
        "uebergaben": _zahl_text(ueb_bisher) if not fuer_xlsx else _zahl_objekt(ueb_bisher),
        "uebergaben_erfolgreich": (_zahl_text(erf_bisher) if not fuer_xlsx else _zahl_objekt(erf_bisher)),
        "ergebnis_arbeit": nur(schliesst, spalten["ergebnis_arbeit"][idx]),
    }
    return daten


def _zahl_objekt(werte: np.ndarray) -> np.ndarray:
    """Integers as Python ints (None for -1) for xlsx cells."""
    return np.where(werte < 0, _LEER, werte.astype(object))


# --------------------------------------------------------------------------------------
# Aggregate sources
# --------------------------------------------------------------------------------------


def _ar1(rng: np.random.Generator, shape: tuple[int, int], sigma: float, phi: float = 0.7) -> np.ndarray:
    """Smooth multiplicative noise around 1, shape (Kommune, month)."""
    stoerung = rng.normal(0.0, sigma, shape)
    pfad = np.empty(shape)
    pfad[:, 0] = stoerung[:, 0] / np.sqrt(1 - phi**2)
    for t in range(1, shape[1]):
        pfad[:, t] = phi * pfad[:, t - 1] + stoerung[:, t]
    return 1.0 + pfad


def _aggregate(seed: int, profil: _Profil, monate: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """Figures per aggregate source: column → array (Kommune, month)."""
    bev = _bevoelkerung(profil, monate)
    n_k, n_m = len(DEMO_KOMMUNEN), len(monate)
    form = (n_k, n_m)
    mo = monate % 12
    bruch = np.arange(n_m)[None, :] / max(n_m - 1, 1)
    # Years since December 2023 for calendar trends (bounded for far-off ranges).
    jahre = np.clip((monate - _BEZUG_MONAT)[None, :] / 12.0, -8.0, 8.0)
    ergebnis: dict[str, dict[str, np.ndarray]] = {}

    # arbeitsmarkt -----------------------------------------------------------------------
    rng = np.random.default_rng([seed, _STREAM_AGGREGAT["arbeitsmarkt"]])
    alo_quote = rng.uniform(0.055, 0.07, n_k)[:, None] * (1.0 - 0.02 * jahre)
    alo = bev.auslaendisch_15_64 * alo_quote * _SAISON_ALO[mo][None, :] * _ar1(rng, form, 0.012)
    elb = bev.auslaendisch_15_64 * rng.uniform(0.15, 0.18, n_k)[:, None] * _ar1(rng, form, 0.008)
    saison_int = np.array([0.9, 0.95, 1.05, 1.0, 1.0, 0.95, 0.9, 1.2, 1.2, 1.05, 0.95, 0.85])
    integrationen = rng.poisson(elb * 0.011 * saison_int[mo][None, :] * (1 + 0.05 * jahre))
    ergebnis["arbeitsmarkt"] = {
        "arbeitslose_auslaendisch": np.round(alo).astype(np.int64),
        "elb_auslaendisch": np.round(elb).astype(np.int64),
        "integrationen_auslaendisch": integrationen,
    }

    # auslaenderbehoerde ---------------------------------------------------------------
    rng = np.random.default_rng([seed, _STREAM_AGGREGAT["auslaenderbehoerde"]])
    rate_ein = bev.auslaendisch * 0.011 * _SAISON_ABH[mo][None, :]
    eingang = rng.poisson(rate_ein)
    ziel_offen = rate_ein * 2.2 * (1.0 - 0.15 * bruch)
    entschieden = np.zeros(form, dtype=np.int64)
    offen = np.zeros(form, dtype=np.int64)
    vorher = np.round(rate_ein[:, 0] * 2.3).astype(np.int64)
    for t in range(n_m):
        mittel = np.maximum(rate_ein[:, t] + 0.3 * (vorher - ziel_offen[:, t]), 0.0)
        entschieden[:, t] = np.minimum(rng.poisson(mittel), vorher + eingang[:, t])
        offen[:, t] = vorher + eingang[:, t] - entschieden[:, t]
        vorher = offen[:, t]
    dauer = rng.uniform(58.0, 74.0, n_k)[:, None] - 10.0 * bruch + rng.normal(0, 3.0, form)
    dauer = np.clip(dauer, 40.0, 80.0)
    ergebnis["auslaenderbehoerde"] = {
        "antraege_eingang": eingang,
        "antraege_entschieden": entschieden,
        "bearbeitungstage_summe": np.round(entschieden * dauer).astype(np.int64),
        "offene_verfahren": offen,
        "aufenthaltsverfestigungen": rng.poisson(bev.auslaendisch * 0.0005),
        "einbuergerungen": rng.poisson(bev.auslaendisch * 0.0013 * (1.0 + 0.12 * np.clip(jahre, 0, None))),
    }

    # schule -----------------------------------------------------------------------------
    rng = np.random.default_rng([seed, _STREAM_AGGREGAT["schule"]])
    neu = rng.poisson(bev.zugewandert_5j * 0.0035 * _SAISON_SCHULE[mo][None, :])
    p_4w = np.clip(rng.uniform(0.74, 0.86, n_k)[:, None] + 0.08 * bruch, 0.0, 0.97)
    beschult = rng.binomial(neu, p_4w)
    wartend = np.zeros(form, dtype=np.int64)
    vorher = np.round(bev.zugewandert_5j[:, 0] * 0.0035 * 0.3).astype(np.int64)
    for t in range(n_m):
        wartend[:, t] = rng.binomial(vorher, 0.45) + neu[:, t] - beschult[:, t]
        vorher = wartend[:, t]
    ergebnis["schule"] = {
        "seiteneinsteiger_neu": neu,
        "seiteneinsteiger_beschult_4w": beschult,
        "wartende_schulplatz": wartend,
    }

    # sprache ----------------------------------------------------------------------------
    rng = np.random.default_rng([seed, _STREAM_AGGREGAT["sprache"]])
    rate_ber = bev.zugewandert_5j * 0.005
    berechtigungen = rng.poisson(rate_ber * (0.5 + 0.5 * _SAISON_KURS[mo][None, :]))
    kurseintritte = rng.poisson(rate_ber * 0.86 * _SAISON_KURS[mo][None, :])
    warten = rng.uniform(42.0, 56.0, n_k)[:, None] - 6.0 * bruch + rng.normal(0, 2.5, form)
    warten = np.clip(warten, 30.0, 60.0)
    pruefungen = rng.poisson(rate_ber * 0.65 * _SAISON_KURS[mo][None, :])
    p_b1 = np.clip(rng.uniform(0.44, 0.58, n_k)[:, None] + 0.04 * bruch, 0.0, 0.9)
    ergebnis["sprache"] = {
        "berechtigungen": berechtigungen,
        "kurseintritte": kurseintritte,
        "wartetage_summe": np.round(kurseintritte * warten).astype(np.int64),
        "pruefungen_dtz": pruefungen,
        "b1_erreicht": rng.binomial(pruefungen, p_b1),
    }

    # ehrenamt ---------------------------------------------------------------------------
    rng = np.random.default_rng([seed, _STREAM_AGGREGAT["ehrenamt"]])
    aktiv = np.zeros(form, dtype=np.int64)
    neu_ea = np.zeros(form, dtype=np.int64)
    vorher = np.round(bev.einwohner[:, 0] * 0.0016 * rng.uniform(0.8, 1.2, n_k)).astype(np.int64)
    saison_neu = np.array([1.2, 1.0, 1.0, 1.0, 0.95, 0.9, 0.7, 0.7, 1.2, 1.2, 1.0, 0.8])
    for t in range(n_m):
        neu_ea[:, t] = rng.poisson(vorher * 0.034 * saison_neu[mo[t]])
        abgang = rng.binomial(vorher, 0.028)
        aktiv[:, t] = vorher + neu_ea[:, t] - abgang
        vorher = aktiv[:, t]
    tandem_quote = rng.uniform(0.45, 0.6, n_k)[:, None] * _ar1(rng, form, 0.02)
    tandems = np.minimum(np.round(aktiv * tandem_quote), aktiv).astype(np.int64)
    stunden = aktiv * rng.uniform(5.0, 8.0, n_k)[:, None] * _SAISON_EHRENAMT[mo][None, :] * _ar1(rng, form, 0.04)
    ergebnis["ehrenamt"] = {
        "ehrenamtliche_aktiv": aktiv,
        "ehrenamtliche_neu": neu_ea,
        "tandems_aktiv": tandems,
        "einsatzstunden": np.round(np.maximum(stunden, 0.0), 1),
    }

    # kennzahlen (external figures, long format) ---------------------------------------
    rng = np.random.default_rng([seed, _STREAM_AGGREGAT["kennzahlen"]])
    ergebnis["kennzahlen"] = {
        "E01": rng.poisson(bev.zugewandert_5j * 0.015 * _SAISON_KURS[mo][None, :]),
        "E02": np.round(bev.zugewandert_5j * 0.022 * _ar1(rng, form, 0.03)).astype(np.int64),
    }
    return ergebnis


def _stichtage(monate: np.ndarray) -> list[int]:
    """First month of the range, then every December inside the range."""
    tage = [int(monate[0])]
    tage += [int(m) for m in monate[1:] if m % 12 == 11]
    return tage


def _bevoelkerung_tabelle(seed: int, profil: _Profil, monate: np.ndarray) -> pd.DataFrame:
    rng = np.random.default_rng([seed, _STREAM_AGGREGAT["bevoelkerung"]])
    stichtage = np.array(_stichtage(monate))
    bev = _bevoelkerung(profil, stichtage)
    form = bev.einwohner.shape
    n_kommunen = form[0]
    # Registration figures move smoothly: a small fixed offset per Kommune plus tiny noise.
    einwohner = bev.einwohner * (rng.normal(1.0, 0.002, (n_kommunen, 1)) + rng.normal(0.0, 0.0003, form))
    auslaendisch = bev.auslaendisch * (rng.normal(1.0, 0.01, (n_kommunen, 1)) + rng.normal(0.0, 0.002, form))
    anteil_1564 = rng.uniform(0.69, 0.71, (n_kommunen, 1)) + rng.normal(0.0, 0.002, form)
    zugewandert = bev.zugewandert_5j * (rng.normal(1.0, 0.01, (n_kommunen, 1)) + rng.normal(0.0, 0.003, form))
    einwohner = np.round(einwohner).astype(np.int64)
    auslaendisch = np.round(auslaendisch).astype(np.int64)
    zeilen = {
        "kommune": np.repeat([k.ags for k in DEMO_KOMMUNEN], len(stichtage)),
        "monat": np.tile([_monat_label(m) for m in stichtage], len(DEMO_KOMMUNEN)),
        "einwohner": einwohner.ravel(),
        "auslaendisch": auslaendisch.ravel(),
        "auslaendisch_15_64": np.round(auslaendisch * anteil_1564).astype(np.int64).ravel(),
        "zugewandert_5j": np.round(zugewandert).astype(np.int64).ravel(),
    }
    return pd.DataFrame(zeilen, columns=list(SPALTEN["bevoelkerung"]))


def _aggregat_tabelle(
    quelle: str, werte: dict[str, np.ndarray], monate: np.ndarray, auswahl: np.ndarray
) -> pd.DataFrame:
    """Rows per Kommune and month (ordered by kommune, monat) for the selected months."""
    ausgewaehlt = monate[auswahl]
    basis = {
        "kommune": np.repeat([k.ags for k in DEMO_KOMMUNEN], len(ausgewaehlt)),
        "monat": np.tile([_monat_label(m) for m in ausgewaehlt], len(DEMO_KOMMUNEN)),
    }
    if quelle == "kennzahlen":
        teile = []
        for code, reihe in werte.items():
            teil = pd.DataFrame(basis)
            teil["kennzahl"] = code
            teil["wert"] = reihe[:, auswahl].ravel()
            teile.append(teil)
        tabelle = pd.concat(teile, ignore_index=True)
        return tabelle.sort_values(["kommune", "monat", "kennzahl"], kind="stable").reset_index(drop=True)
    spalten = {
        **basis,
        **{name: reihe[:, auswahl].ravel() for name, reihe in werte.items()},
    }
    return pd.DataFrame(spalten, columns=list(SPALTEN[quelle]))


# --------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------

_TEXT_SPALTEN = frozenset({"kommune", "monat", "fall_id"})
# Fixed document time for xlsx files (start of KIM in Kreis Unna), see _ohne_zeitstempel.
_FESTER_ZEITPUNKT = "2021-03-01T00:00:00Z"
_FESTE_ZIPZEIT = (2021, 3, 1, 0, 0, 0)
_W3CDTF_RE = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def _schreibe_csv(pfad: Path, tabelle: pd.DataFrame) -> None:
    tabelle.to_csv(pfad, index=False, encoding="utf-8", lineterminator="\n", na_rep="")


def _xlsx_zeilen(
    blatt: WriteOnlyWorksheet, spalten: Sequence[str], daten: Iterable[Sequence[object]]
) -> Iterable[list[object]]:
    """Rows for a write-only sheet; AGS, monat and fall_id as explicit text cells."""
    text_pos = [i for i, name in enumerate(spalten) if name in _TEXT_SPALTEN]
    dezimal_pos = [i for i, name in enumerate(spalten) if name == "einsatzstunden"]
    for werte in daten:
        zeile = list(werte)
        for i in text_pos:
            if zeile[i] is not None:
                zelle = WriteOnlyCell(blatt, value=str(zeile[i]))
                zelle.number_format = "@"
                zeile[i] = zelle
        for i in dezimal_pos:
            if zeile[i] is not None:
                zelle = WriteOnlyCell(blatt, value=zeile[i])
                zelle.number_format = "0.0"
                zeile[i] = zelle
        yield zeile


def _schreibe_xlsx(
    pfad: Path,
    blattname: str,
    spalten: Sequence[str],
    daten: Iterable[Sequence[object]],
) -> None:
    buch = Workbook(write_only=True)
    blatt = buch.create_sheet(blattname)
    blatt.append(list(spalten))
    for zeile in _xlsx_zeilen(blatt, spalten, daten):
        blatt.append(zeile)
    puffer = io.BytesIO()
    buch.save(puffer)
    pfad.write_bytes(_ohne_zeitstempel(puffer.getvalue()))


def _ohne_zeitstempel(xlsx: bytes) -> bytes:
    """Fix the zip entry times and document dates so equal content gives equal bytes.

    openpyxl stamps the current time into the archive; without this the same seed would
    give a different SHA-256 on every run (and the upload log would never see
    ``unchanged``).
    """
    ziel = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx)) as quelle,
        zipfile.ZipFile(ziel, "w", zipfile.ZIP_DEFLATED) as neu,
    ):
        for eintrag in quelle.infolist():
            inhalt = quelle.read(eintrag)
            if eintrag.filename == "docProps/core.xml":
                inhalt = _W3CDTF_RE.sub(_FESTER_ZEITPUNKT.encode(), inhalt)
            info = zipfile.ZipInfo(eintrag.filename, date_time=_FESTE_ZIPZEIT)
            info.compress_type = zipfile.ZIP_DEFLATED
            neu.writestr(info, inhalt)
    return ziel.getvalue()


def _python_werte(tabelle: pd.DataFrame) -> Iterable[tuple[object, ...]]:
    """DataFrame rows as plain Python values (numpy scalars converted, NaN → None)."""
    spalten = [tabelle[name].to_numpy(dtype=object) for name in tabelle.columns]
    for zeile in zip(*(s.tolist() for s in spalten), strict=True):
        yield tuple(None if isinstance(v, float) and math.isnan(v) else v for v in zeile)


def _schreibe_fall_monat(pfad: Path, daten: dict[str, np.ndarray], case_format: str) -> int:
    spalten = SPALTEN["fallmanagement"]
    if case_format == "csv":
        tabelle = pd.DataFrame({name: daten[name] for name in spalten}, dtype=object)
        _schreibe_csv(pfad, tabelle)
    else:
        listen = [daten[name].tolist() for name in spalten]
        _schreibe_xlsx(pfad, "fallmanagement", spalten, zip(*listen, strict=True))
    return len(daten["fall_id"])


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def write_demo_files(
    folder: Path,
    *,
    months: int = 36,
    scale: float = 1.0,
    end: str,
    seed: int = 2021,
    case_format: str = "xlsx",
) -> list[Path]:
    """Write synthetic monthly export files for all sources and the ten Kommunen.

    ``end`` is the last month (``YYYY-MM``); the range is the ``months`` months ending
    there. ``scale`` multiplies the case volume of ``fallmanagement`` (1.0 ≈ 1.500 active
    cases in the Kreis). Returns the written files in ingestion order: ``bevoelkerung``
    first, then per calendar year the aggregate files followed by the monthly
    ``fallmanagement`` files.
    """
    if months < 1:
        raise ValueError("months muss mindestens 1 sein")
    if not scale > 0:
        raise ValueError("scale muss größer als 0 sein")
    if case_format not in ("xlsx", "csv"):
        raise ValueError("case_format muss 'xlsx' oder 'csv' sein")
    ende = _parse_monat(end)
    start = ende - months + 1
    monate = np.arange(start, ende + 1)
    ordner = Path(folder)
    ordner.mkdir(parents=True, exist_ok=True)

    profil = _profil(seed)
    geschrieben: list[Path] = []

    # bevoelkerung: one file, one row per Kommune and Stichtag.
    pfad = ordner / "bevoelkerung.xlsx"
    bev = _bevoelkerung_tabelle(seed, profil, monate)
    _schreibe_xlsx(pfad, "bevoelkerung", SPALTEN["bevoelkerung"], _python_werte(bev))
    geschrieben.append(pfad)

    aggregate = _aggregate(seed, profil, monate)
    faelle = _simuliere_faelle(seed, profil, start, ende, scale)
    jahre = 1970 + monate // 12

    for jahr in np.unique(jahre).tolist():
        auswahl = jahre == jahr
        for quelle, dateiformat in _AGGREGAT_FORMAT.items():
            tabelle = _aggregat_tabelle(quelle, aggregate[quelle], monate, auswahl)
            pfad = ordner / f"{quelle}_{jahr}.{dateiformat}"
            if dateiformat == "csv":
                _schreibe_csv(pfad, tabelle)
            else:
                _schreibe_xlsx(pfad, quelle, SPALTEN[quelle], _python_werte(tabelle))
            geschrieben.append(pfad)
        for monat in monate[auswahl].tolist():
            daten = _lieferung_fall(faelle, monat, fuer_xlsx=case_format == "xlsx")
            pfad = ordner / f"fallmanagement_{_monat_label(monat)}.{case_format}"
            _schreibe_fall_monat(pfad, daten, case_format)
            geschrieben.append(pfad)
    return geschrieben


def _main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Demo-Exportdateien für das KIM-Cockpit erzeugen")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--end", required=True, help="letzter Monat, YYYY-MM")
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--case-format", choices=("xlsx", "csv"), default="xlsx")
    args = parser.parse_args(argv)
    beginn = time.perf_counter()
    dateien = write_demo_files(
        args.folder,
        months=args.months,
        scale=args.scale,
        end=args.end,
        seed=args.seed,
        case_format=args.case_format,
    )
    print(f"{len(dateien)} Dateien in {time.perf_counter() - beginn:.1f} s nach {args.folder}")


if __name__ == "__main__":
    _main()

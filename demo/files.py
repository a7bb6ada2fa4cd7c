"""Deterministic synthetic monthly export files (demo data) for every source (quelle).

The generator writes files in the canonical format of the data delivery agreement
(``docs/datenlieferung.md#die-quellen``): canonical snake_case headers, ``kommune`` as 8-digit AGS text,
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

Command line: ``python -m demo.files FOLDER --end YYYY-MM [--months 36]
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

from core.sources import sources

__all__ = [
    "ABSCHLUSSGRUND_CODES",
    "COLUMNS",
    "DEMO_KOMMUNEN",
    "HANDLUNGSFELDER",
    "DemoDelivery",
    "DemoKommune",
    "write_demo_deliveries",
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
ABSCHLUSSGRUND_CODES: tuple[str, ...] = (
    "ziel_erreicht",
    "teilweise_erreicht",
    "weitervermittelt",
    "abbruch",
    "wegzug",
    "sonstiges",
)
ALTERSGRUPPE_CODES: tuple[str, ...] = ("0-17", "18-26", "27-44", "45-64", "65+")
GESCHLECHT_CODES: tuple[str, ...] = ("w", "m", "d", "k.A.")
RECHTSKREIS_CODES: tuple[str, ...] = (
    "SGB II",
    "SGB III",
    "SGB VIII",
    "SGB XII",
    "AsylbLG",
    "ohne Leistungsbezug",
    "unbekannt",
)
ZUGANG_CODES: tuple[str, ...] = (
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

# Canonical columns per source (quelle), in the order they are written: from the declarations.
COLUMNS: dict[str, tuple[str, ...]] = {name: tuple(c.name for c in s.columns) for name, s in sources().items()}

# File format per aggregate source (a realistic mix of Excel and CSV deliveries).
_AGGREGATE_FORMAT: dict[str, str] = {
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
_BASE_ACTIVE_FAELLE = 1450.0
_GROWTH_PER_MONTH = 1.0035  # slow rise of the case volume
_DURATION_MEDIAN_DAYS = 300.0
_DURATION_SIGMA = 0.6
_DURATION_MIN_DAYS, _DURATION_MAX_DAYS = 30, 1100
# Mean duration in months of the clipped log-normal; arrivals = level / mean duration.
_DURATION_MEAN_MONTHS = _DURATION_MEDIAN_DAYS * float(np.exp(_DURATION_SIGMA**2 / 2)) / 30.44
# Empirical correction: shorter closing reasons (abbruch, wegzug) and the growing level mean
# fewer cases are still open than level × mean duration would suggest.
_CALIBRATION = 1.10
# Burn-in before the range so that its first month already holds a realistic stock.
_BURN_IN_MONTHS = 40
_REFERENCE_MONAT = (2023 - 1970) * 12 + 11  # December 2023 as numpy month number

# Arrival seasonality (Jan … Dec), mean 1.
_SEASON_NEW_FAELLE = np.array([1.08, 1.05, 1.02, 1.0, 0.98, 0.95, 0.86, 0.85, 1.06, 1.1, 1.05, 1.0])
_SEASON_NEW_FAELLE = _SEASON_NEW_FAELLE / _SEASON_NEW_FAELLE.mean()
# Registered unemployment (typical German pattern).
_SEASON_UNEMPLOYMENT = np.array([1.06, 1.07, 1.04, 1.0, 0.98, 0.97, 1.0, 1.01, 0.97, 0.95, 0.95, 0.98])
# Newly arrived school children: peaks around the start of the school year.
_SEASON_SCHULE = np.array([1.0, 0.95, 0.95, 1.0, 0.9, 0.85, 0.6, 1.35, 1.5, 1.1, 0.95, 0.85])
# Course starts and exams: summer and Christmas breaks.
_SEASON_COURSES = np.array([1.1, 1.05, 1.05, 1.0, 1.0, 0.95, 0.75, 0.7, 1.15, 1.1, 1.05, 0.8])
# Volunteer hours.
_SEASON_EHRENAMT = np.array([0.95, 0.97, 1.0, 1.02, 1.05, 1.03, 0.9, 0.88, 1.03, 1.05, 1.05, 0.97])
# Residence-permit applications.
_SEASON_AUSLAENDERBEHOERDE = np.array([1.1, 1.05, 1.02, 1.0, 0.98, 0.97, 0.92, 0.9, 1.0, 1.03, 1.02, 0.95])

_STREAM_PROFILE = 1
_STREAM_FAELLE = 2
_STREAM_AGGREGATE = {
    "arbeitsmarkt": 10,
    "auslaenderbehoerde": 11,
    "schule": 12,
    "sprache": 13,
    "ehrenamt": 14,
    "bevoelkerung": 15,
    "kennzahlen": 16,
}

# Missing value in object arrays (written as an empty cell).
_EMPTY = np.array(None, dtype=object)

_MONAT_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


# --------------------------------------------------------------------------------------
# Month helpers (a monat is a numpy month number: months since 1970-01)
# --------------------------------------------------------------------------------------


def _parse_monat(text: str) -> int:
    match = _MONAT_RE.match(text.strip())
    if not match:
        raise ValueError(f"end muss die Form YYYY-MM haben, nicht {text!r}")
    return (int(match.group(1)) - 1970) * 12 + int(match.group(2)) - 1


def _monat_label(monat: int) -> str:
    return f"{1970 + monat // 12:04d}-{monat % 12 + 1:02d}"


def _monat_first_day(monate: np.ndarray | int) -> np.ndarray:
    """First day (days since epoch) of the given month numbers."""
    return np.asarray(monate).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def _monat_last_day(monate: np.ndarray | int) -> np.ndarray:
    return _monat_first_day(np.asarray(monate) + 1) - 1


def _monat_of_day(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def _working_day(days: np.ndarray, *, backward: bool = False) -> np.ndarray:
    """Move weekend days to the next (or previous) working day."""
    roll: Literal["forward", "backward"] = "backward" if backward else "forward"
    shifted = np.busday_offset(days.astype("datetime64[D]"), 0, roll=roll)
    return np.asarray(shifted).astype(np.int64)


def _iso(days: np.ndarray) -> np.ndarray:
    """ISO date strings for days since epoch."""
    return np.datetime_as_string(days.astype("datetime64[D]"), unit="D").astype(object)


def _as_date(days: np.ndarray) -> np.ndarray:
    """datetime.date objects (for real xlsx date cells)."""
    return days.astype("datetime64[D]").astype(object)


# --------------------------------------------------------------------------------------
# Kommune profile and population
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Profile:
    """Per-Kommune parameters drawn once from the seed (arrays of length 10)."""

    einwohner: np.ndarray
    share_auslaendisch: np.ndarray
    share_zugewandert: np.ndarray
    reach: np.ndarray  # case-management reach relative to the population
    erstkontakt_days: np.ndarray  # median days anfrage → erstkontakt
    ehrenamt_rate: np.ndarray
    duration_factor: np.ndarray


def _profile(seed: int) -> _Profile:
    rng = np.random.default_rng([seed, _STREAM_PROFILE])
    n = len(DEMO_KOMMUNEN)
    share_auslaendisch = np.array([k.anteil_auslaendisch for k in DEMO_KOMMUNEN])
    share_auslaendisch = share_auslaendisch * rng.uniform(0.98, 1.02, n)
    # Recent immigration correlates with the share of foreign residents: about 4–6 %.
    share_zugewandert = 0.040 + (share_auslaendisch - 0.12) / 0.06 * 0.018 + rng.uniform(-0.002, 0.002, n)
    return _Profile(
        einwohner=np.array([k.einwohner for k in DEMO_KOMMUNEN], dtype=float),
        share_auslaendisch=share_auslaendisch,
        share_zugewandert=np.clip(share_zugewandert, 0.04, 0.06),
        reach=rng.uniform(0.85, 1.15, n),
        erstkontakt_days=rng.uniform(9.0, 15.0, n),
        ehrenamt_rate=rng.uniform(0.17, 0.27, n),
        duration_factor=rng.uniform(0.9, 1.1, n),
    )


@dataclass(frozen=True)
class _Population:
    """Smooth population figures, arrays of shape (Kommune, month)."""

    einwohner: np.ndarray
    auslaendisch: np.ndarray
    auslaendisch_15_64: np.ndarray
    zugewandert_5j: np.ndarray


def _population(profile: _Profile, monate: np.ndarray) -> _Population:
    years = np.clip((monate - _REFERENCE_MONAT)[None, :] / 12.0, -8.0, 8.0)
    einwohner = profile.einwohner[:, None] * (1.0 + 0.0015 * years)
    share = np.clip(profile.share_auslaendisch[:, None] + 0.002 * years, 0.12, 0.18)
    auslaendisch = einwohner * share
    share_zugewandert = np.clip(profile.share_zugewandert[:, None] + 0.001 * years, 0.04, 0.06)
    zugewandert_5j = einwohner * share_zugewandert
    return _Population(
        einwohner=einwohner,
        auslaendisch=auslaendisch,
        auslaendisch_15_64=auslaendisch * 0.70,
        zugewandert_5j=zugewandert_5j,
    )


# --------------------------------------------------------------------------------------
# Fallmanagement
# --------------------------------------------------------------------------------------


def _category(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """Draw one category index per row of a (n, K) probability matrix."""
    cumulative = np.cumsum(probabilities, axis=1)
    cumulative /= cumulative[:, -1:]
    draw = rng.random((probabilities.shape[0], 1))
    index = (draw > cumulative).sum(axis=1)
    return np.asarray(np.minimum(index, probabilities.shape[1] - 1))


def _codes(values: Sequence[str], index: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """Object array of codes, None where ``missing``."""
    table = np.array([*values, None], dtype=object)
    return table[np.where(missing, len(values), index)]


@dataclass
class _Faelle:
    """All cases visible in the range, ordered by kommune and fall_id (case level)."""

    fallbeginn_monat: np.ndarray
    fallende_monat: np.ndarray  # true closing month (may lie after the range)
    erstkontakt_day: np.ndarray  # days since epoch, -1 = never recorded
    uebergaben: np.ndarray  # total over the case, -1 = not recorded
    uebergaben_erfolgreich: np.ndarray
    columns: dict[str, np.ndarray]  # constant columns (strings/None), case level
    date_columns: dict[str, np.ndarray]  # date columns as datetime.date/None (xlsx)


def _simulate_faelle(seed: int, profile: _Profile, first_monat: int, last_monat: int, scale: float) -> _Faelle:
    rng = np.random.default_rng([seed, _STREAM_FAELLE])
    n_kommunen = len(DEMO_KOMMUNEN)
    sim_monate = np.arange(first_monat - _BURN_IN_MONTHS, last_monat + 1)
    level = _BASE_ACTIVE_FAELLE * scale * _GROWTH_PER_MONTH ** (sim_monate - first_monat)
    weight = profile.einwohner * profile.reach
    share = weight / weight.sum()
    rate = (
        share[:, None]
        * level[None, :]
        * _SEASON_NEW_FAELLE[sim_monate % 12][None, :]
        * _CALIBRATION
        / _DURATION_MEAN_MONTHS
    )
    arrivals = rng.poisson(rate)  # (Kommune, month)
    n = int(arrivals.sum())
    kommune_index = np.repeat(np.repeat(np.arange(n_kommunen), len(sim_monate)), arrivals.ravel())
    fallbeginn_monat = np.repeat(np.tile(sim_monate, n_kommunen), arrivals.ravel())
    # Position of the arrival month in the range (0 … 1) for gentle trends.
    progress = np.clip((fallbeginn_monat - first_monat) / max(last_monat - first_monat, 1), 0.0, 1.0)

    # Dates --------------------------------------------------------------------------
    first_day = _monat_first_day(fallbeginn_monat)
    month_length = _monat_last_day(fallbeginn_monat) - first_day + 1
    fallbeginn = first_day + (rng.random(n) * month_length).astype(np.int64)
    fallbeginn = _working_day(fallbeginn)
    too_late = _monat_of_day(fallbeginn) != fallbeginn_monat
    fallbeginn[too_late] = _working_day(fallbeginn[too_late] - 3, backward=True)
    anfrage = _working_day(fallbeginn - rng.integers(2, 36, n), backward=True)
    erstkontakt_median = profile.erstkontakt_days[kommune_index] * (1.0 - 0.2 * progress)
    # 3–30 days after the enquiry (28 at most before moving off a weekend).
    delay = np.clip(np.round(rng.lognormal(np.log(erstkontakt_median - 2.0), 0.45) + 2.0), 3, 28)
    erstkontakt = _working_day(anfrage + delay.astype(np.int64))

    # Closing reason (drawn first: it shapes duration and outcome) --------------------
    p_abschlussgrund = np.column_stack(
        [
            0.36 + 0.06 * progress,
            np.full(n, 0.22),
            np.full(n, 0.15),
            0.14 - 0.04 * progress,
            np.full(n, 0.05),
            0.08 - 0.02 * progress,
        ]
    )
    abschlussgrund = _category(rng, p_abschlussgrund)
    duration_factor = np.array([1.05, 1.0, 0.9, 0.6, 0.8, 0.9])[abschlussgrund] * profile.duration_factor[kommune_index]
    duration = rng.lognormal(np.log(_DURATION_MEDIAN_DAYS), _DURATION_SIGMA, n) * duration_factor
    duration = np.clip(np.round(duration), _DURATION_MIN_DAYS, _DURATION_MAX_DAYS).astype(np.int64)
    fallende = _working_day(fallbeginn + duration)
    erstkontakt = np.minimum(erstkontakt, fallende)
    fallende_monat = _monat_of_day(fallende)

    # fall_id: per Kommune and year of fallbeginn, numbered in order of fallbeginn with
    # a few gaps (numbers of enquiries that never became a case).
    year = 1970 + fallbeginn_monat // 12
    order = np.lexsort((fallbeginn, year, kommune_index))
    step = 1 + (rng.random(n) < 0.08).astype(np.int64)
    group = (kommune_index * 10_000 + year)[order]
    is_group_start = np.ones(n, dtype=bool)
    is_group_start[1:] = group[1:] != group[:-1]
    group_start = np.maximum.accumulate(np.where(is_group_start, np.arange(n), 0))
    running_total = np.cumsum(step[order])
    number_sorted = running_total - running_total[group_start] + step[order][group_start]
    number = np.empty(n, dtype=np.int64)
    number[order] = number_sorted

    # Attributes -----------------------------------------------------------------------
    altersgruppe = rng.choice(len(ALTERSGRUPPE_CODES), n, p=[0.09, 0.24, 0.41, 0.21, 0.05])
    is_child = altersgruppe == 0
    p_rechtskreis = np.tile([0.45, 0.08, 0.04, 0.04, 0.18, 0.13, 0.05], (n, 1))
    p_rechtskreis[is_child] = [0.30, 0.0, 0.35, 0.02, 0.20, 0.08, 0.05]
    p_rechtskreis[altersgruppe == 4] = [0.10, 0.0, 0.0, 0.45, 0.15, 0.25, 0.05]
    rechtskreis = _category(rng, p_rechtskreis)
    p_zugang = np.tile([0.22, 0.15, 0.18, 0.05, 0.06, 0.05, 0.07, 0.12, 0.05, 0.05], (n, 1))
    # More referrals by agencies and schools over time (KIM's LS4 goal).
    p_zugang[:, 1:7] *= (1.0 + 0.25 * progress)[:, None]
    p_zugang[is_child, 4] *= 4.0
    p_zugang[is_child, 5] *= 3.0
    zugang = _category(rng, p_zugang)

    p_handlungsfeld = np.tile([0.55, 0.22, 0.45, 0.30, 0.20, 0.35, 0.20, 0.10], (n, 1))
    p_handlungsfeld[is_child, 1] = 0.85
    p_handlungsfeld[is_child, 2] = 0.03
    p_handlungsfeld[altersgruppe == 4, 2] = 0.02
    has_handlungsfeld = rng.random((n, len(HANDLUNGSFELDER))) < p_handlungsfeld
    without_any = ~has_handlungsfeld.any(axis=1)
    has_handlungsfeld[
        without_any,
        rng.choice(
            len(HANDLUNGSFELDER),
            int(without_any.sum()),
            p=[0.4, 0.1, 0.2, 0.1, 0.05, 0.1, 0.03, 0.02],
        ),
    ] = True
    bitmask = has_handlungsfeld.astype(np.int64) @ (1 << np.arange(len(HANDLUNGSFELDER)))
    handlungsfelder_table = np.array(
        [
            ";".join(code for i, code in enumerate(HANDLUNGSFELDER) if mask >> i & 1) or None
            for mask in range(1 << len(HANDLUNGSFELDER))
        ],
        dtype=object,
    )
    handlungsfeld_count = has_handlungsfeld.sum(axis=1)

    rechtskreise_beteiligt = rng.choice(5, n, p=[0.05, 0.38, 0.35, 0.16, 0.06])
    rechtskreise_beteiligt = np.where(
        handlungsfeld_count >= 3, np.maximum(rechtskreise_beteiligt, 1), rechtskreise_beteiligt
    )

    is_recent = rng.random(n) < 0.88
    years_since_zuzug = np.where(
        is_recent,
        rng.choice(6, n, p=[0.12, 0.25, 0.22, 0.17, 0.13, 0.11]),
        rng.integers(6, 26, n),
    )
    zuzugsjahr = year - years_since_zuzug

    p_ehrenamt = np.clip(profile.ehrenamt_rate[kommune_index] + 0.08 * progress, 0.0, 0.9)
    ehrenamt = rng.random(n) < p_ehrenamt

    p_ergebnis_arbeit = 0.10 + 0.25 * has_handlungsfeld[:, 2]
    p_ergebnis_arbeit = p_ergebnis_arbeit * np.array([1.6, 1.0, 0.8, 0.15, 0.3, 0.5])[abschlussgrund]
    p_ergebnis_arbeit = np.where((altersgruppe == 0) | (altersgruppe == 4), 0.01, p_ergebnis_arbeit)
    ergebnis_arbeit = rng.random(n) < p_ergebnis_arbeit

    uebergaben = rng.poisson(0.5 + 0.45 * handlungsfeld_count)
    p_success = np.clip(0.78 + 0.10 * progress, 0.0, 0.95)
    p_success = np.where((abschlussgrund == 3) | (abschlussgrund == 4), p_success - 0.2, p_success)
    uebergaben_erfolgreich = rng.binomial(uebergaben, p_success)

    # Missing optional fields --------------------------------------------------------
    no_anfrage = rng.random(n) < 0.03
    no_erstkontakt = rng.random(n) < 0.05
    no_uebergaben = rng.random(n) < 0.03
    uebergaben = np.where(no_uebergaben, -1, uebergaben)
    uebergaben_erfolgreich = np.where(no_uebergaben, -1, uebergaben_erfolgreich)
    erstkontakt = np.where(no_erstkontakt, -1, erstkontakt)

    # Keep the cases visible in the range, in output order -----------------------------
    visible = order[fallende_monat[order] >= first_monat]
    k = kommune_index[visible]
    width = max(5, len(str(int(number.max(initial=1)))))
    prefixes = [DEMO_KOMMUNEN[i].kuerzel for i in range(n_kommunen)]
    fall_id = np.array(
        [
            f"{prefixes[kk]}-{yy}-{nn:0{width}d}"
            for kk, yy, nn in zip(
                k.tolist(),
                year[visible].tolist(),
                number[visible].tolist(),
                strict=True,
            )
        ],
        dtype=object,
    )
    ags = np.array([kk.ags for kk in DEMO_KOMMUNEN], dtype=object)
    anfrage_visible = anfrage[visible]
    anfrage_missing = no_anfrage[visible]

    def bool_text(values: np.ndarray, missing: np.ndarray) -> np.ndarray:
        return np.where(missing, _EMPTY, np.where(values, "ja", "nein")).astype(object)

    columns: dict[str, np.ndarray] = {
        "fall_id": fall_id,
        "kommune": ags[k],
        "anfrage": np.where(anfrage_missing, _EMPTY, _iso(anfrage_visible)),
        "fallbeginn": _iso(fallbeginn[visible]),
        "fallende": _iso(fallende[visible]),
        "erstkontakt": _iso(np.maximum(erstkontakt[visible], 0)),
        "abschlussgrund": np.array(ABSCHLUSSGRUND_CODES, dtype=object)[abschlussgrund[visible]],
        "zuzugsjahr": zuzugsjahr[visible].astype(object),
        "altersgruppe": _codes(ALTERSGRUPPE_CODES, altersgruppe[visible], rng.random(len(visible)) < 0.03),
        "geschlecht": np.array(GESCHLECHT_CODES, dtype=object)[
            rng.choice(4, len(visible), p=[0.47, 0.495, 0.005, 0.03])
        ],
        "rechtskreis": _codes(RECHTSKREIS_CODES, rechtskreis[visible], rng.random(len(visible)) < 0.03),
        "rechtskreise_beteiligt": np.where(
            rng.random(len(visible)) < 0.04,
            _EMPTY,
            rechtskreise_beteiligt[visible].astype(object),
        ),
        "zugang": _codes(ZUGANG_CODES, zugang[visible], rng.random(len(visible)) < 0.03),
        "handlungsfelder": handlungsfelder_table[bitmask[visible]],
        "ehrenamt": bool_text(ehrenamt[visible], rng.random(len(visible)) < 0.02),
        "ergebnis_arbeit": bool_text(ergebnis_arbeit[visible], np.zeros(len(visible), bool)),
    }
    date_columns: dict[str, np.ndarray] = {
        "anfrage": np.where(anfrage_missing, _EMPTY, _as_date(anfrage_visible)),
        "fallbeginn": _as_date(fallbeginn[visible]),
        "fallende": _as_date(fallende[visible]),
        "erstkontakt": _as_date(np.maximum(erstkontakt[visible], 0)),
    }
    return _Faelle(
        fallbeginn_monat=fallbeginn_monat[visible],
        fallende_monat=fallende_monat[visible],
        erstkontakt_day=erstkontakt[visible],
        uebergaben=uebergaben[visible],
        uebergaben_erfolgreich=uebergaben_erfolgreich[visible],
        columns=columns,
        date_columns=date_columns,
    )


def _count_text(values: np.ndarray) -> np.ndarray:
    """Small non-negative integers as strings, None for -1 (lookup table, fast)."""
    highest = int(values.max(initial=0))
    table = np.array([*(str(i) for i in range(highest + 1)), None], dtype=object)
    return table[np.where(values < 0, highest + 1, values)]


def _fallmanagement_lieferung(faelle: _Faelle, monat: int, *, for_xlsx: bool) -> dict[str, np.ndarray]:
    """The fallmanagement delivery for one month: every case open at any time in it."""
    is_open = (faelle.fallbeginn_monat <= monat) & (faelle.fallende_monat >= monat)
    idx = np.flatnonzero(is_open)  # case order = kommune, fall_id
    n = len(idx)
    closes = faelle.fallende_monat[idx] == monat
    last_day = int(_monat_last_day(monat))
    erstkontakt_day = faelle.erstkontakt_day[idx]
    erstkontakt_visible = (erstkontakt_day >= 0) & (erstkontakt_day <= last_day)

    elapsed = monat - faelle.fallbeginn_monat[idx] + 1
    total = faelle.fallende_monat[idx] - faelle.fallbeginn_monat[idx] + 1
    uebergaben = faelle.uebergaben[idx]
    uebergaben_erfolgreich = faelle.uebergaben_erfolgreich[idx]
    uebergaben_so_far = np.where(uebergaben < 0, -1, uebergaben * elapsed // total)
    uebergaben_erfolgreich_so_far = np.where(uebergaben_erfolgreich < 0, -1, uebergaben_erfolgreich * elapsed // total)

    dates = faelle.date_columns if for_xlsx else faelle.columns
    columns = faelle.columns

    def only_where(mask: np.ndarray, values: np.ndarray) -> np.ndarray:
        return np.where(mask, values, _EMPTY)

    data: dict[str, np.ndarray] = {
        "fall_id": columns["fall_id"][idx],
        "kommune": columns["kommune"][idx],
        "monat": np.full(n, _monat_label(monat), dtype=object),
        "anfrage": dates["anfrage"][idx],
        "fallbeginn": dates["fallbeginn"][idx],
        "erstkontakt": only_where(erstkontakt_visible, dates["erstkontakt"][idx]),
        "fallende": only_where(closes, dates["fallende"][idx]),
        "abschlussgrund": only_where(closes, columns["abschlussgrund"][idx]),
        "zuzugsjahr": columns["zuzugsjahr"][idx],
        "altersgruppe": columns["altersgruppe"][idx],
        "geschlecht": columns["geschlecht"][idx],
        "rechtskreis": columns["rechtskreis"][idx],
        "rechtskreise_beteiligt": columns["rechtskreise_beteiligt"][idx],
        "zugang": columns["zugang"][idx],
        "handlungsfelder": columns["handlungsfelder"][idx],
        "ehrenamt": columns["ehrenamt"][idx],
        "uebergaben": _count_text(uebergaben_so_far) if not for_xlsx else _count_object(uebergaben_so_far),
        "uebergaben_erfolgreich": (
            _count_text(uebergaben_erfolgreich_so_far) if not for_xlsx else _count_object(uebergaben_erfolgreich_so_far)
        ),
        "ergebnis_arbeit": only_where(closes, columns["ergebnis_arbeit"][idx]),
    }
    return data


def _count_object(values: np.ndarray) -> np.ndarray:
    """Integers as Python ints (None for -1) for xlsx cells."""
    return np.where(values < 0, _EMPTY, values.astype(object))


# --------------------------------------------------------------------------------------
# Aggregate sources
# --------------------------------------------------------------------------------------


def _ar1(rng: np.random.Generator, shape: tuple[int, int], sigma: float, phi: float = 0.7) -> np.ndarray:
    """Smooth multiplicative noise around 1, shape (Kommune, month)."""
    shocks = rng.normal(0.0, sigma, shape)
    series = np.empty(shape)
    series[:, 0] = shocks[:, 0] / np.sqrt(1 - phi**2)
    for t in range(1, shape[1]):
        series[:, t] = phi * series[:, t - 1] + shocks[:, t]
    return 1.0 + series


def _aggregate(seed: int, profile: _Profile, monate: np.ndarray) -> dict[str, dict[str, np.ndarray]]:
    """Figures per aggregate source: column → array (Kommune, month)."""
    population = _population(profile, monate)
    n_k, n_m = len(DEMO_KOMMUNEN), len(monate)
    shape = (n_k, n_m)
    calendar_month = monate % 12
    progress = np.arange(n_m)[None, :] / max(n_m - 1, 1)
    # Years since December 2023 for calendar trends (bounded for far-off ranges).
    years = np.clip((monate - _REFERENCE_MONAT)[None, :] / 12.0, -8.0, 8.0)
    result: dict[str, dict[str, np.ndarray]] = {}

    # arbeitsmarkt -----------------------------------------------------------------------
    rng = np.random.default_rng([seed, _STREAM_AGGREGATE["arbeitsmarkt"]])
    unemployment_rate = rng.uniform(0.055, 0.07, n_k)[:, None] * (1.0 - 0.02 * years)
    arbeitslose_auslaendisch = (
        population.auslaendisch_15_64
        * unemployment_rate
        * _SEASON_UNEMPLOYMENT[calendar_month][None, :]
        * _ar1(rng, shape, 0.012)
    )
    elb_auslaendisch = population.auslaendisch_15_64 * rng.uniform(0.15, 0.18, n_k)[:, None] * _ar1(rng, shape, 0.008)
    season_integrationen = np.array([0.9, 0.95, 1.05, 1.0, 1.0, 0.95, 0.9, 1.2, 1.2, 1.05, 0.95, 0.85])
    integrationen_auslaendisch = rng.poisson(
        elb_auslaendisch * 0.011 * season_integrationen[calendar_month][None, :] * (1 + 0.05 * years)
    )
    result["arbeitsmarkt"] = {
        "arbeitslose_auslaendisch": np.round(arbeitslose_auslaendisch).astype(np.int64),
        "elb_auslaendisch": np.round(elb_auslaendisch).astype(np.int64),
        "integrationen_auslaendisch": integrationen_auslaendisch,
    }

    # auslaenderbehoerde ---------------------------------------------------------------
    rng = np.random.default_rng([seed, _STREAM_AGGREGATE["auslaenderbehoerde"]])
    rate_eingang = population.auslaendisch * 0.011 * _SEASON_AUSLAENDERBEHOERDE[calendar_month][None, :]
    antraege_eingang = rng.poisson(rate_eingang)
    target_open = rate_eingang * 2.2 * (1.0 - 0.15 * progress)
    antraege_entschieden = np.zeros(shape, dtype=np.int64)
    offene_verfahren = np.zeros(shape, dtype=np.int64)
    previous = np.round(rate_eingang[:, 0] * 2.3).astype(np.int64)
    for t in range(n_m):
        mean = np.maximum(rate_eingang[:, t] + 0.3 * (previous - target_open[:, t]), 0.0)
        antraege_entschieden[:, t] = np.minimum(rng.poisson(mean), previous + antraege_eingang[:, t])
        offene_verfahren[:, t] = previous + antraege_eingang[:, t] - antraege_entschieden[:, t]
        previous = offene_verfahren[:, t]
    duration = rng.uniform(58.0, 74.0, n_k)[:, None] - 10.0 * progress + rng.normal(0, 3.0, shape)
    duration = np.clip(duration, 40.0, 80.0)
    result["auslaenderbehoerde"] = {
        "antraege_eingang": antraege_eingang,
        "antraege_entschieden": antraege_entschieden,
        "bearbeitungstage_summe": np.round(antraege_entschieden * duration).astype(np.int64),
        "offene_verfahren": offene_verfahren,
        "aufenthaltsverfestigungen": rng.poisson(population.auslaendisch * 0.0005),
        "einbuergerungen": rng.poisson(population.auslaendisch * 0.0013 * (1.0 + 0.12 * np.clip(years, 0, None))),
    }

    # schule -----------------------------------------------------------------------------
    rng = np.random.default_rng([seed, _STREAM_AGGREGATE["schule"]])
    seiteneinsteiger_neu = rng.poisson(population.zugewandert_5j * 0.0035 * _SEASON_SCHULE[calendar_month][None, :])
    p_4w = np.clip(rng.uniform(0.74, 0.86, n_k)[:, None] + 0.08 * progress, 0.0, 0.97)
    seiteneinsteiger_beschult_4w = rng.binomial(seiteneinsteiger_neu, p_4w)
    wartende_schulplatz = np.zeros(shape, dtype=np.int64)
    previous = np.round(population.zugewandert_5j[:, 0] * 0.0035 * 0.3).astype(np.int64)
    for t in range(n_m):
        wartende_schulplatz[:, t] = (
            rng.binomial(previous, 0.45) + seiteneinsteiger_neu[:, t] - seiteneinsteiger_beschult_4w[:, t]
        )
        previous = wartende_schulplatz[:, t]
    result["schule"] = {
        "seiteneinsteiger_neu": seiteneinsteiger_neu,
        "seiteneinsteiger_beschult_4w": seiteneinsteiger_beschult_4w,
        "wartende_schulplatz": wartende_schulplatz,
    }

    # sprache ----------------------------------------------------------------------------
    rng = np.random.default_rng([seed, _STREAM_AGGREGATE["sprache"]])
    rate_berechtigungen = population.zugewandert_5j * 0.005
    berechtigungen = rng.poisson(rate_berechtigungen * (0.5 + 0.5 * _SEASON_COURSES[calendar_month][None, :]))
    kurseintritte = rng.poisson(rate_berechtigungen * 0.86 * _SEASON_COURSES[calendar_month][None, :])
    waiting_days = rng.uniform(42.0, 56.0, n_k)[:, None] - 6.0 * progress + rng.normal(0, 2.5, shape)
    waiting_days = np.clip(waiting_days, 30.0, 60.0)
    pruefungen_dtz = rng.poisson(rate_berechtigungen * 0.65 * _SEASON_COURSES[calendar_month][None, :])
    p_b1 = np.clip(rng.uniform(0.44, 0.58, n_k)[:, None] + 0.04 * progress, 0.0, 0.9)
    result["sprache"] = {
        "berechtigungen": berechtigungen,
        "kurseintritte": kurseintritte,
        "wartetage_summe": np.round(kurseintritte * waiting_days).astype(np.int64),
        "pruefungen_dtz": pruefungen_dtz,
        "b1_erreicht": rng.binomial(pruefungen_dtz, p_b1),
    }

    # ehrenamt ---------------------------------------------------------------------------
    rng = np.random.default_rng([seed, _STREAM_AGGREGATE["ehrenamt"]])
    ehrenamtliche_aktiv = np.zeros(shape, dtype=np.int64)
    ehrenamtliche_neu = np.zeros(shape, dtype=np.int64)
    previous = np.round(population.einwohner[:, 0] * 0.0016 * rng.uniform(0.8, 1.2, n_k)).astype(np.int64)
    season_ehrenamtliche_neu = np.array([1.2, 1.0, 1.0, 1.0, 0.95, 0.9, 0.7, 0.7, 1.2, 1.2, 1.0, 0.8])
    for t in range(n_m):
        ehrenamtliche_neu[:, t] = rng.poisson(previous * 0.034 * season_ehrenamtliche_neu[calendar_month[t]])
        leaving = rng.binomial(previous, 0.028)
        ehrenamtliche_aktiv[:, t] = previous + ehrenamtliche_neu[:, t] - leaving
        previous = ehrenamtliche_aktiv[:, t]
    tandem_rate = rng.uniform(0.45, 0.6, n_k)[:, None] * _ar1(rng, shape, 0.02)
    tandems_aktiv = np.minimum(np.round(ehrenamtliche_aktiv * tandem_rate), ehrenamtliche_aktiv).astype(np.int64)
    einsatzstunden = (
        ehrenamtliche_aktiv
        * rng.uniform(5.0, 8.0, n_k)[:, None]
        * _SEASON_EHRENAMT[calendar_month][None, :]
        * _ar1(rng, shape, 0.04)
    )
    result["ehrenamt"] = {
        "ehrenamtliche_aktiv": ehrenamtliche_aktiv,
        "ehrenamtliche_neu": ehrenamtliche_neu,
        "tandems_aktiv": tandems_aktiv,
        "einsatzstunden": np.round(np.maximum(einsatzstunden, 0.0), 1),
    }

    # kennzahlen (external figures, long format) ---------------------------------------
    rng = np.random.default_rng([seed, _STREAM_AGGREGATE["kennzahlen"]])
    result["kennzahlen"] = {
        "E01": rng.poisson(population.zugewandert_5j * 0.015 * _SEASON_COURSES[calendar_month][None, :]),
        "E02": np.round(population.zugewandert_5j * 0.022 * _ar1(rng, shape, 0.03)).astype(np.int64),
    }
    return result


def _bevoelkerung_monate(monate: np.ndarray) -> list[int]:
    """Reference months of the bevoelkerung file: first month of the range, then every December inside it."""
    selected = [int(monate[0])]
    selected += [int(m) for m in monate[1:] if m % 12 == 11]
    return selected


def _bevoelkerung_table(seed: int, profile: _Profile, monate: np.ndarray) -> pd.DataFrame:
    rng = np.random.default_rng([seed, _STREAM_AGGREGATE["bevoelkerung"]])
    reference_monate = np.array(_bevoelkerung_monate(monate))
    population = _population(profile, reference_monate)
    shape = population.einwohner.shape
    n_kommunen = shape[0]
    # Registration figures move smoothly: a small fixed offset per Kommune plus tiny noise.
    einwohner = population.einwohner * (rng.normal(1.0, 0.002, (n_kommunen, 1)) + rng.normal(0.0, 0.0003, shape))
    auslaendisch = population.auslaendisch * (rng.normal(1.0, 0.01, (n_kommunen, 1)) + rng.normal(0.0, 0.002, shape))
    share_15_64 = rng.uniform(0.69, 0.71, (n_kommunen, 1)) + rng.normal(0.0, 0.002, shape)
    zugewandert_5j = population.zugewandert_5j * (
        rng.normal(1.0, 0.01, (n_kommunen, 1)) + rng.normal(0.0, 0.003, shape)
    )
    einwohner = np.round(einwohner).astype(np.int64)
    auslaendisch = np.round(auslaendisch).astype(np.int64)
    columns = {
        "kommune": np.repeat([k.ags for k in DEMO_KOMMUNEN], len(reference_monate)),
        "monat": np.tile([_monat_label(m) for m in reference_monate], len(DEMO_KOMMUNEN)),
        "einwohner": einwohner.ravel(),
        "auslaendisch": auslaendisch.ravel(),
        "auslaendisch_15_64": np.round(auslaendisch * share_15_64).astype(np.int64).ravel(),
        "zugewandert_5j": np.round(zugewandert_5j).astype(np.int64).ravel(),
    }
    return pd.DataFrame(columns, columns=list(COLUMNS["bevoelkerung"]))


def _aggregate_table(
    quelle: str, figures: dict[str, np.ndarray], monate: np.ndarray, selection: np.ndarray
) -> pd.DataFrame:
    """Rows per Kommune and month (ordered by kommune, monat) for the selected months."""
    selected_monate = monate[selection]
    base = {
        "kommune": np.repeat([k.ags for k in DEMO_KOMMUNEN], len(selected_monate)),
        "monat": np.tile([_monat_label(m) for m in selected_monate], len(DEMO_KOMMUNEN)),
    }
    if quelle == "kennzahlen":
        parts = []
        for code, series in figures.items():
            part = pd.DataFrame(base)
            part["kennzahl"] = code
            part["wert"] = series[:, selection].ravel()
            parts.append(part)
        table = pd.concat(parts, ignore_index=True)
        return table.sort_values(["kommune", "monat", "kennzahl"], kind="stable").reset_index(drop=True)
    columns = {
        **base,
        **{name: series[:, selection].ravel() for name, series in figures.items()},
    }
    return pd.DataFrame(columns, columns=list(COLUMNS[quelle]))


# --------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------

_TEXT_COLUMNS = frozenset({"kommune", "monat", "fall_id"})
# Fixed document time for xlsx files (start of KIM in Kreis Unna), see _without_timestamps.
_FIXED_DOCUMENT_TIME = "2021-03-01T00:00:00Z"
_FIXED_ZIP_TIME = (2021, 3, 1, 0, 0, 0)
_W3CDTF_RE = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def _write_csv(path: Path, table: pd.DataFrame) -> None:
    table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", na_rep="")


def _xlsx_rows(
    sheet: WriteOnlyWorksheet, columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> Iterable[list[object]]:
    """Rows for a write-only sheet; AGS, monat and fall_id as explicit text cells."""
    text_positions = [i for i, name in enumerate(columns) if name in _TEXT_COLUMNS]
    decimal_positions = [i for i, name in enumerate(columns) if name == "einsatzstunden"]
    for values in rows:
        row = list(values)
        for i in text_positions:
            if row[i] is not None:
                cell = WriteOnlyCell(sheet, value=str(row[i]))
                cell.number_format = "@"
                row[i] = cell
        for i in decimal_positions:
            if row[i] is not None:
                cell = WriteOnlyCell(sheet, value=row[i])
                cell.number_format = "0.0"
                row[i] = cell
        yield row


def _write_xlsx(
    path: Path,
    sheet_name: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    sheet.append(list(columns))
    for row in _xlsx_rows(sheet, columns, rows):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(_without_timestamps(buffer.getvalue()))


def _without_timestamps(xlsx: bytes) -> bytes:
    """Fix the zip entry times and document dates so equal content gives equal bytes.

    openpyxl stamps the current time into the archive; without this the same seed would
    give a different SHA-256 on every run (and the upload log would never see
    ``unchanged``).
    """
    target = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx)) as original,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as rewritten,
    ):
        for entry in original.infolist():
            content = original.read(entry)
            if entry.filename == "docProps/core.xml":
                content = _W3CDTF_RE.sub(_FIXED_DOCUMENT_TIME.encode(), content)
            info = zipfile.ZipInfo(entry.filename, date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            rewritten.writestr(info, content)
    return target.getvalue()


def _python_rows(table: pd.DataFrame) -> Iterable[tuple[object, ...]]:
    """DataFrame rows as plain Python values (numpy scalars converted, NaN → None)."""
    columns = [table[name].to_numpy(dtype=object) for name in table.columns]
    for row in zip(*(c.tolist() for c in columns), strict=True):
        yield tuple(None if isinstance(v, float) and math.isnan(v) else v for v in row)


def _write_fallmanagement_lieferung(path: Path, data: dict[str, np.ndarray], case_format: str) -> int:
    columns = COLUMNS["fallmanagement"]
    if case_format == "csv":
        table = pd.DataFrame({name: data[name] for name in columns}, dtype=object)
        _write_csv(path, table)
    else:
        column_values = [data[name].tolist() for name in columns]
        _write_xlsx(path, "fallmanagement", columns, zip(*column_values, strict=True))
    return len(data["fall_id"])


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
    first_monat, last_monat = _range(months, scale, end, case_format)
    monate = np.arange(first_monat, last_monat + 1)
    target_folder = Path(folder)
    target_folder.mkdir(parents=True, exist_ok=True)

    profile = _profile(seed)
    written: list[Path] = []

    # bevoelkerung: one file, one row per Kommune and reference month.
    path = target_folder / "bevoelkerung.xlsx"
    bevoelkerung = _bevoelkerung_table(seed, profile, monate)
    _write_xlsx(path, "bevoelkerung", COLUMNS["bevoelkerung"], _python_rows(bevoelkerung))
    written.append(path)

    aggregates = _aggregate(seed, profile, monate)
    faelle = _simulate_faelle(seed, profile, first_monat, last_monat, scale)
    years = 1970 + monate // 12

    for year in np.unique(years).tolist():
        selection = years == year
        for quelle, file_format in _AGGREGATE_FORMAT.items():
            table = _aggregate_table(quelle, aggregates[quelle], monate, selection)
            written.append(_write_aggregate(target_folder / f"{quelle}_{year}.{file_format}", quelle, table))
        for monat in monate[selection].tolist():
            data = _fallmanagement_lieferung(faelle, monat, for_xlsx=case_format == "xlsx")
            path = target_folder / f"fallmanagement_{_monat_label(monat)}.{case_format}"
            _write_fallmanagement_lieferung(path, data, case_format)
            written.append(path)
    return written


def _write_aggregate(path: Path, quelle: str, table: pd.DataFrame) -> Path:
    """Write an aggregate source's table as the file type its name ends with (csv or xlsx)."""
    if path.suffix == ".csv":
        _write_csv(path, table)
    else:
        _write_xlsx(path, quelle, COLUMNS[quelle], _python_rows(table))
    return path


def _range(months: int, scale: float, end: str, case_format: str) -> tuple[int, int]:
    """The first and last month number of a demo range, after checking the arguments."""
    if months < 1:
        raise ValueError("months muss mindestens 1 sein")
    if not scale > 0:
        raise ValueError("scale muss größer als 0 sein")
    if case_format not in ("xlsx", "csv"):
        raise ValueError("case_format muss 'xlsx' oder 'csv' sein")
    last_monat = _parse_monat(end)
    return last_monat - months + 1, last_monat


@dataclass(frozen=True)
class DemoDelivery:
    """One delivery as it arrives at the KI: a file of one source for one month (for
    ``bevoelkerung`` one Stichtag), of all Kommunen or of one (``kommune``)."""

    path: Path
    quelle: str
    monat: str  # YYYY-MM
    kommune: str | None = None  # AGS, when the file holds one Kommune's rows only


def write_demo_deliveries(
    folder: Path,
    *,
    months: int = 36,
    scale: float = 1.0,
    end: str,
    seed: int = 2021,
    case_format: str = "xlsx",
    kommune_months: int = 1,
) -> list[DemoDelivery]:
    """The figures of ``write_demo_files``, cut as the deliveries arrive month by month: each
    aggregate source one file per month (the agency's export for all Kommunen), ``bevoelkerung``
    one file per Stichtag, ``fallmanagement`` one file per month, except in the last
    ``kommune_months`` months, where each Kommune's case list is a file of its own (the KI
    uploads them one by one as they come in). Returned in month order."""
    first_monat, last_monat = _range(months, scale, end, case_format)
    monate = np.arange(first_monat, last_monat + 1)
    target_folder = Path(folder)
    target_folder.mkdir(parents=True, exist_ok=True)
    profile = _profile(seed)
    deliveries: list[DemoDelivery] = []

    bevoelkerung = _bevoelkerung_table(seed, profile, monate)
    for label, rows in bevoelkerung.groupby("monat", sort=True):
        path = target_folder / f"bevoelkerung_{label}.xlsx"
        _write_xlsx(path, "bevoelkerung", COLUMNS["bevoelkerung"], _python_rows(rows))
        deliveries.append(DemoDelivery(path, "bevoelkerung", str(label)))

    aggregates = _aggregate(seed, profile, monate)
    faelle = _simulate_faelle(seed, profile, first_monat, last_monat, scale)
    for monat in monate.tolist():
        label = _monat_label(monat)
        for quelle, file_format in _AGGREGATE_FORMAT.items():
            table = _aggregate_table(quelle, aggregates[quelle], monate, monate == monat)
            path = _write_aggregate(target_folder / f"{quelle}_{label}.{file_format}", quelle, table)
            deliveries.append(DemoDelivery(path, quelle, label))
        data = _fallmanagement_lieferung(faelle, monat, for_xlsx=case_format == "xlsx")
        if monat <= last_monat - kommune_months:
            path = target_folder / f"fallmanagement_{label}.{case_format}"
            _write_fallmanagement_lieferung(path, data, case_format)
            deliveries.append(DemoDelivery(path, "fallmanagement", label))
            continue
        for kommune in DEMO_KOMMUNEN:
            mine = data["kommune"] == kommune.ags
            path = target_folder / f"fallmanagement_{label}_{kommune.kuerzel.lower()}.{case_format}"
            _write_fallmanagement_lieferung(path, {name: values[mine] for name, values in data.items()}, case_format)
            deliveries.append(DemoDelivery(path, "fallmanagement", label, kommune.ags))
    deliveries.sort(key=lambda d: d.monat)
    return deliveries


def _main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Demo-Exportdateien für das KIM-Cockpit erzeugen")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--end", required=True, help="letzter Monat, YYYY-MM")
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--case-format", choices=("xlsx", "csv"), default="xlsx")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    files = write_demo_files(
        args.folder,
        months=args.months,
        scale=args.scale,
        end=args.end,
        seed=args.seed,
        case_format=args.case_format,
    )
    print(f"{len(files)} Dateien in {time.perf_counter() - started:.1f} s nach {args.folder}")


if __name__ == "__main__":
    _main()

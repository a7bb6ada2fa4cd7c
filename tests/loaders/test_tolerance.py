"""The Toleranz list of docs/datenlieferung.md#toleranz, against a corpus of messy real-looking deliveries.

Every file in tests/files/messy/ (made by tests/files/make_files.py, section "messy") is ingested
as a user would::

    python -m loaders ingest FILE --db DB --json [--kommune K] [--month M]

from the project root with ``KIM_TODAY=2026-11-25``, into a database of its own, and the test
asserts EXACTLY what is stored: the whole rows of the view ``v_<source>`` and of the table
``q_<source>`` (whose ``unterdrueckt`` column flags suppressed cells), written out by hand below
from the file's content, plus the partitions and the exact places of the warnings.

``covers`` names the lines of the Tolerance list each file exercises; ``test_every_tolerance_line_is_covered``
checks that every line has at least one file. A case that fails because of the loader is kept
and marked ``xfail(strict=True)`` with the reason (``bug``).

The commands run together on a small thread pool (fixture ``messy_runs``), as in
test_ingest_files.py; each test waits for its own file only.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.helpers.cli import describe_failure
from tests.helpers.corpus import (
    BERGKAMEN,
    BOENEN,
    FROENDENBERG,
    HOLZWICKEDE,
    KAMEN,
    LUENEN,
    SCHWERTE,
    SELM,
    UNNA,
    WERNE,
    Place,
    assert_german,
    entries,
    ingest,
    params,
    places,
)
from tests.helpers.databases import upload_count
from tests.helpers.paths import FILES

MESSY_DIR = FILES / "messy"
D = dt.date

# --- the Tolerance list, line by line ------------------------------------------------------------

TOLERANCE: tuple[str, ...] = (
    # Formats
    "format .xlsx",
    "format .xlsm",
    "format .xls",
    "format .ods",
    "format .csv",
    "format .txt",
    "separator ;",
    "separator ,",
    "separator tab",
    "UTF-8 without BOM",
    "UTF-8 with BOM",
    "Windows-1252",
    "decimal comma",
    "thousands dot 1.234",
    # Layout
    "title and note rows above the header",
    "empty rows",
    "empty columns",
    "footnote rows below the table",
    "data on another sheet than the first",
    "several matching sheets are several deliveries",
    "merged title cells",
    "hidden columns",
    # Values
    "surrounding spaces",
    "numbers stored as text",
    "1.234,0",
    "Excel date cells",
    "text date 2026-10-01",
    "text date 01.10.2026",
    "text date 1.10.26",
    "'*' suppressed",
    "'.' suppressed",
    "'-' zero",
    "'–' zero",
    "'x' missing",
    "'k.A.' missing",
    "empty cell missing",
    # Headers
    "header case",
    "header spaces",
    "header line breaks",
    "header umlauts",
    "header transliteration",
    "header unit in brackets",
    "header alias",
    "unknown extra column: warning",
    # Yes/no
    "yes/no ja/nein",
    "yes/no 1/0",
    "yes/no wahr/falsch",
    "yes/no x marks",
    "yes/no empty means nein",
    # Kommune
    "Kommune as AGS",
    "AGS without leading zero",
    "Kommune 'Stadt Bergkamen'",
    "Kommune 'Fröndenberg'",
    "Kommune 'Froendenberg/Ruhr'",
    "Kommune 'LÜNEN'",
    "Kommune given with the upload",
    # Month
    "month 2026-10",
    "month 10/2026",
    "month 10.2026",
    "month 202610",
    "month Okt 2026",
    "month Oktober 2026",
    "month 01.10.2026",
    "month 31.10.2026",
    "month Excel date cell",
    "month given with the upload",
    # Kreis total rows
    "Kreis total by name",
    "Kreis total by key",
    "Kreis total matches: no warning",
    "Kreis total differs: warning",
    "Kreis total with suppressed cells: no warning",
)

# --- what each file must yield ----------------------------------------------------------------

# Rows of v_<source> (and q_<source>) in this order; monat is shown as 'YYYY-MM'.
ORDER_BY = {
    "fallmanagement": "kommune, monat, fall_id",
    "kennzahlen": "kommune, monat, kennzahl",
}
DEFAULT_ORDER = "kommune, monat"
NO_WARNINGS: tuple[Place, ...] = ()


@dataclass(frozen=True)
class MessyFile:
    name: str
    source: str
    rows: tuple[tuple[Any, ...], ...]  # every stored row, whole, in ORDER_BY order
    covers: tuple[str, ...]
    warnings: tuple[Place, ...] = NO_WARNINGS
    options: tuple[str, ...] = ()
    bug: str | None = None  # a loader bug: the case is xfail(strict=True)

    @property
    def path(self) -> str:
        return f"tests/files/messy/{self.name}"

    @property
    def partitions(self) -> list[list[str]]:
        at = 1 if self.source == "fallmanagement" else 0  # fall_id comes first
        return [list(p) for p in sorted({(row[at], row[at + 1]) for row in self.rows})]


# Columns of v_fallmanagement, for the rows below:
# fall_id, kommune, monat, anfrage, fallbeginn, erstkontakt, fallende, abschlussgrund, zuzugsjahr,
# altersgruppe, geschlecht, rechtskreis, rechtskreise_beteiligt, zugang, handlungsfelder, ehrenamt,
# uebergaben, uebergaben_erfolgreich, ergebnis_arbeit
# fmt: off
MESSY_FILES: tuple[MessyFile, ...] = (
    # --- formats and encodings ---------------------------------------------------------------------
    MessyFile(
        "arbeitsmarkt_altes_excel.xls",
        "arbeitsmarkt",
        rows=(
            (BERGKAMEN, "2026-10", 812, 1290, 14, []),
            (BOENEN, "2026-10", 210, 333, 3, []),  # '333' stored as text
            (KAMEN, "2026-10", 655, 1044, 11, []),
        ),  # the Kreis total (key 5978, a number) matches and is not stored
        covers=("format .xls", "title and note rows above the header", "merged title cells", "header line breaks",
                "header alias", "AGS without leading zero", "month Excel date cell", "numbers stored as text",
                "Kreis total by key", "Kreis total matches: no warning", "footnote rows below the table",
                "empty rows"),
    ),
    MessyFile(
        "schule_libreoffice.ods",
        "schule",
        rows=(
            (BOENEN, "2026-10", 4, 4, 0, []),  # 'Gemeinde Bönen', '–'
            (FROENDENBERG, "2026-10", 6, 5, 1, []),  # 'Fröndenberg'
            (WERNE, "2026-10", 9, 7, 3, []),  # 'Werne an der Lippe'
        ),
        covers=("format .ods", "data on another sheet than the first", "merged title cells", "header alias",
                "Kommune 'Fröndenberg'", "month Excel date cell", "'–' zero"),
    ),
    MessyFile(
        "ehrenamt_mit_makros.xlsm",
        "ehrenamt",
        rows=(
            (KAMEN, "2026-10", 52, 4, 27, Decimal("312.5"), []),
            (SELM, "2026-10", 31, 0, 14, Decimal("86.25"), []),  # '86,25' as text
            (UNNA, "2026-10", 77, 6, 40, Decimal("540"), []),
        ),
        covers=("format .xlsm", "header unit in brackets", "header alias", "month Okt 2026", "decimal comma",
                "numbers stored as text", "title and note rows above the header"),
    ),
    MessyFile(
        "sprache_tabulator.txt",
        "sprache",
        rows=(
            (HOLZWICKEDE, "2026-10", 9, 7, 329, 5, 3, []),
            (SCHWERTE, "2026-10", 22, 19, 1034, 12, 8, []),  # '1.034'
        ),
        covers=("format .txt", "separator tab", "UTF-8 without BOM", "month 202610", "Kommune as AGS",
                "thousands dot 1.234", "header umlauts", "header unit in brackets", "header alias",
                "title and note rows above the header"),
    ),
    MessyFile(
        "auslaenderbehoerde_utf8_bom.csv",
        "auslaenderbehoerde",
        rows=(
            (LUENEN, "2026-10", 96, 88, 5412, 1043, 7, 19, []),
            (SCHWERTE, "2026-10", 41, 40, 2210, 97, 4, 11, []),
        ),
        covers=("format .csv", "separator ,", "UTF-8 with BOM", "header umlauts", "header alias", "month 10/2026",
                "thousands dot 1.234"),
    ),
    MessyFile(
        "arbeitsmarkt_windows1252.csv",
        "arbeitsmarkt",
        rows=(
            (BOENEN, "2026-09", 207, 331, 4, []),
            (FROENDENBERG, "2026-09", 244, 390, 6, []),  # 'Fröndenberg/Ruhr'
            (LUENEN, "2026-09", 1498, 2397, 29, []),
        ),
        covers=("format .csv", "separator ;", "Windows-1252", "title and note rows above the header",
                "header umlauts", "thousands dot 1.234", "month 2026-10"),
    ),
    MessyFile(
        "kennzahlen_export.txt",
        "kennzahlen",
        rows=(
            (BOENEN, "2026-10", "E01", Decimal("1234.5"), []),
            (HOLZWICKEDE, "2026-10", "E01", Decimal("14.5"), []),
            (HOLZWICKEDE, "2026-10", "E02", Decimal("1203"), []),  # 'e02', '1.203'
        ),
        covers=("format .txt", "separator ;", "Windows-1252", "decimal comma", "thousands dot 1.234",
                "month Oktober 2026"),
    ),
    MessyFile(
        "ehrenamt_komma.csv",
        "ehrenamt",
        rows=(
            (SCHWERTE, "2026-10", 63, 2, 35, Decimal("410.75"), []),
            (WERNE, "2026-10", 48, 3, 21, Decimal("1234.5"), []),
        ),
        covers=("format .csv", "separator ,", "UTF-8 without BOM", "decimal comma", "thousands dot 1.234"),
    ),
    # --- layout ------------------------------------------------------------------------------------
    MessyFile(
        "fallmanagement_zweites_blatt.xlsx",
        "fallmanagement",
        rows=(
            ("UN-2026-0101", UNNA, "2026-10", None, D(2026, 10, 6), None, None, None, 2025,
             None, None, None, None, None, ["sprache"], False,
             None, None, False),
            ("UN-2026-0102", UNNA, "2026-10", None, D(2026, 9, 22), None, None, None, 2021,
             None, None, None, None, None, ["wohnen", "gesundheit"], False,
             None, None, False),
        ),
        covers=("format .xlsx", "data on another sheet than the first", "title and note rows above the header",
                "header alias", "month 10/2026", "Excel date cells"),
    ),
    MessyFile(
        "arbeitsmarkt_zwei_blaetter.xlsx",
        "arbeitsmarkt",
        rows=(
            (SELM, "2026-09", 301, 480, 5, []),
            (SELM, "2026-10", 305, 482, 6, []),
            (WERNE, "2026-09", 270, 431, 4, []),
            (WERNE, "2026-10", 268, 433, 5, []),
        ),
        covers=("several matching sheets are several deliveries",),
    ),
    MessyFile(
        "fallmanagement_je_kommune_ein_blatt.xlsx",
        "fallmanagement",
        rows=(
            ("BK-2026-0187", BERGKAMEN, "2026-10", None, D(2026, 8, 19), None, None, None, 2022,
             None, None, None, None, None, ["wohnen"], False,
             None, None, False),
            ("BK-2026-0211", BERGKAMEN, "2026-10", None, D(2026, 10, 2), None, None, None, 2024,
             None, None, None, None, None, ["sprache", "arbeit"], False,
             None, None, False),
            ("KA-2026-0044", KAMEN, "2026-10", None, D(2026, 10, 12), None, None, None, 2023,
             None, None, None, None, None, ["bildung"], False,
             None, None, False),  # 'Stadt Kamen' on a sheet of its own, with other header aliases
        ),  # the notes sheet 'Hinweise' matches no source and is ignored without a word
        covers=("several matching sheets are several deliveries", "data on another sheet than the first",
                "title and note rows above the header", "empty rows", "header alias", "month 10/2026",
                "month 2026-10", "Excel date cells"),
    ),
    MessyFile(
        "schule_zwei_monate_mit_pivot.xlsx",
        "schule",
        rows=(
            (HOLZWICKEDE, "2026-09", 3, 3, 0, []),
            (HOLZWICKEDE, "2026-10", 4, 3, 1, []),  # another column order on 'Okt 2026'
            (UNNA, "2026-09", 12, 9, 4, []),
            (UNNA, "2026-10", 14, 10, 5, []),
        ),
        # 'Pivot' (Kommune and a sum, no month) looks like the source but is no delivery.
        warnings=(("Pivot", 1, None),),
        covers=("several matching sheets are several deliveries", "merged title cells", "header alias",
                "month 10/2026", "month Okt 2026", "month Oktober 2026"),
    ),
    MessyFile(
        "auslaenderbehoerde_leeres_blatt.xlsx",
        "auslaenderbehoerde",
        rows=(
            (LUENEN, "2026-10", 64, 58, 2610, 131, 4, 9, []),
            (SCHWERTE, "2026-10", 31, 29, 1160, 57, 2, 5, []),
        ),
        warnings=(("November 2026", None, None),),  # prepared for next month, still empty
        covers=("several matching sheets are several deliveries", "header alias", "header unit in brackets",
                "header umlauts", "month 10/2026"),
    ),
    MessyFile(
        "schule_verbundene_zellen.xlsx",
        "schule",
        rows=(
            (HOLZWICKEDE, "2026-10", 3, 2, 1, []),
            (KAMEN, "2026-10", 8, 6, 4, []),
            (SCHWERTE, "2026-10", 5, 5, 0, []),
        ),  # the hidden month column is read like any other
        warnings=(("Seiteneinsteiger", 3, "lfd. Nr."),),  # hidden and unknown: ignored
        covers=("merged title cells", "hidden columns", "title and note rows above the header",
                "footnote rows below the table", "unknown extra column: warning"),
    ),
    MessyFile(
        "ehrenamt_leere_zeilen_spalten.xlsx",
        "ehrenamt",
        rows=(
            (BERGKAMEN, "2026-09", 40, 2, 18, Decimal("210.5"), []),
            (BOENEN, "2026-09", 12, 0, 7, Decimal("48"), []),
        ),
        covers=("empty rows", "empty columns", "footnote rows below the table", "title and note rows above the header"),
    ),
    MessyFile(
        "sprache_fussnoten.csv",
        "sprache",
        rows=(
            (SELM, "2026-09", 15, 12, 540, None, None, ["pruefungen_dtz", "b1_erreicht"]),  # '*', '.'
            (UNNA, "2026-09", 35, 30, 1320, 22, 13, []),
        ),
        covers=("footnote rows below the table", "'*' suppressed", "'.' suppressed", "Kommune as AGS", "empty rows"),
    ),
    MessyFile(
        "schule_fussnote_zwei_zellen.csv",
        "schule",
        rows=(
            (BOENEN, "2026-10", 4, 4, 1, []),
            (UNNA, "2026-10", 14, 11, 5, []),
        ),
        covers=("footnote rows below the table",),
    ),
    # --- headers and Kommunen ----------------------------------------------------------------------
    MessyFile(
        "auslaenderbehoerde_kopfzeilen.xlsx",
        "auslaenderbehoerde",
        rows=(
            (BERGKAMEN, "2026-10", 52, 49, 3012, 140, 3, 8, []),
            (KAMEN, "2026-10", 47, 45, 2790, 118, 2, 7, []),
        ),
        warnings=(("Bericht", 2, "Sachgebiet"),),
        covers=("header line breaks", "header unit in brackets", "header transliteration", "header case",
                "header spaces", "header alias", "unknown extra column: warning", "month Oktober 2026"),
    ),
    MessyFile(
        "fallmanagement_umlaute.csv",
        "fallmanagement",
        rows=(
            ("BOE-0042", BOENEN, "2026-10", D(2026, 10, 2), D(2026, 10, 5), None, D(2026, 10, 30),
             "teilweise_erreicht", 2022,
             "65+", "k.A.", "AsylbLG", 1, "wohlfahrtsverband", ["uebergreifend"], False,
             2, 2, False),
            ("LUE-0815", LUENEN, "2026-10", D(2026, 9, 1), D(2026, 9, 4), D(2026, 9, 10), None, None, 2024,
             "27-44", "m", "SGB II", 2, "auslaenderbehoerde", ["arbeit", "aufenthalt"], True,
             1, 0, False),
        ),
        covers=("header transliteration", "header case", "header alias", "text date 2026-10-01", "yes/no ja/nein",
                "yes/no empty means nein", "month 2026-10"),
    ),
    MessyFile(
        "arbeitsmarkt_kommunennamen.xlsx",
        "arbeitsmarkt",
        rows=(
            (BERGKAMEN, "2026-10", 812, 1290, 14, []),  # 'Stadt Bergkamen'
            (BOENEN, "2026-10", 210, 333, 3, []),  # 'Gemeinde Bönen'
            (FROENDENBERG, "2026-10", 244, 392, 5, []),  # 'Froendenberg/Ruhr'
            (HOLZWICKEDE, "2026-10", 188, 301, 4, []),
            (KAMEN, "2026-10", 655, 1044, 11, []),  # 'KAMEN'
            (LUENEN, "2026-10", 1500, 2410, 31, []),  # 'LÜNEN'
            (SCHWERTE, "2026-10", 590, 941, 12, []),  # 'Schwerte (Stadt)'
            (SELM, "2026-10", 305, 482, 6, []),  # 'selm'
            (UNNA, "2026-10", 1034, 1633, 22, []),  # 'Stadt Unna'
            (WERNE, "2026-10", 268, 433, 5, []),  # 'Werne an der Lippe'
        ),  # 'Kreis Unna insgesamt' 5.806 / 9.259 / 113 matches and is not stored
        covers=("Kommune 'Stadt Bergkamen'", "Kommune 'Froendenberg/Ruhr'", "Kommune 'LÜNEN'", "Kreis total by name",
                "Kreis total matches: no warning", "month 2026-10", "format .xlsx"),
    ),
    MessyFile(
        "bevoelkerung_ags_zahl.xlsx",
        "bevoelkerung",
        rows=(
            (LUENEN, "2025-12", 86112, 14208, 10301, 4402, []),
            (SELM, "2025-12", 25870, 3570, 2588, 1120, []),
        ),  # Stichtag: a date cell 31.12.2025; the Kreis total 5978 matches
        covers=("AGS without leading zero", "Excel date cells", "month Excel date cell", "Kreis total by key",
                "Kreis total matches: no warning", "title and note rows above the header", "header alias",
                "empty rows"),
    ),
    MessyFile(
        "fallmanagement_ags_varianten.xlsx",
        "fallmanagement",
        rows=(
            ("FR-2026-011", FROENDENBERG, "2026-10", None, D(2026, 10, 2), None, None, None, 2024,  # '05978012'
             None, None, None, None, None, ["sprache"], False,
             None, None, False),
            ("FR-2026-012", FROENDENBERG, "2026-10", None, D(2026, 10, 9), None, None, None, 2025,  # 5978012
             None, None, None, None, None, ["arbeit"], False,
             None, None, False),
            ("FR-2026-013", FROENDENBERG, "2026-10", None, D(2026, 10, 16), None, None, None, 2023,  # 'Fröndenberg (Ruhr)'
             None, None, None, None, None, ["wohnen"], False,
             None, None, False),
        ),
        covers=("Kommune as AGS", "AGS without leading zero", "header alias", "Excel date cells"),
    ),
    MessyFile(
        "bevoelkerung_itnrw_kreis.csv",
        "bevoelkerung",
        rows=(
            (BERGKAMEN, "2025-12", 48611, 9012, 6650, 2981, []),  # 'Bergkamen, Stadt'
            (BOENEN, "2025-12", 18003, 2702, 1890, 812, []),  # 'Bönen, Gemeinde'
        ),  # 'Unna, Kreis' (IT.NRW's name of the district) matches and is not stored
        covers=("Kreis total by name", "Kreis total matches: no warning", "text date 01.10.2026"),
    ),
    # --- months ------------------------------------------------------------------------------------
    MessyFile(
        "sprache_monatsformen.xlsx",
        "sprache",
        rows=(
            (BERGKAMEN, "2026-10", 14, 7, 337, 7, 3, []),  # '2026-10'
            (BOENEN, "2026-10", 5, 4, 190, 2, 1, []),  # '10/2026'
            (FROENDENBERG, "2026-10", 6, 5, 240, 3, 2, []),  # '10.2026'
            (HOLZWICKEDE, "2026-10", 4, 3, 141, 2, 1, []),  # 202610, a number cell
            (KAMEN, "2026-10", 13, 11, 520, 8, 4, []),  # 'Okt 2026'
            (LUENEN, "2026-10", 27, 23, 1100, 15, 8, []),  # 'Oktober 2026'
            (SCHWERTE, "2026-10", 14, 12, 560, 9, 5, []),  # '01.10.2026'
            (SELM, "2026-10", 8, 6, 290, 4, 2, []),  # '31.10.2026'
            (UNNA, "2026-10", 18, 15, 700, 11, 6, []),  # a date cell 01.10.2026
            (WERNE, "2026-10", 9, 8, 372, 5, 3, []),  # a date-time cell 31.10.2026 00:00
        ),
        covers=("month 2026-10", "month 10/2026", "month 10.2026", "month 202610", "month Okt 2026",
                "month Oktober 2026", "month 01.10.2026", "month 31.10.2026", "month Excel date cell",
                "header alias", "header umlauts"),
    ),
    MessyFile(
        "schule_monat_beim_hochladen.csv",
        "schule",
        rows=(
            (LUENEN, "2026-09", 17, 13, 6, []),
            (SELM, "2026-09", 4, 3, 1, []),
        ),
        options=("--month", "2026-09"),
        covers=("month given with the upload",),
    ),
    MessyFile(
        "fallmanagement_kamen_ohne_kommune.xlsx",
        "fallmanagement",
        rows=(
            ("KA-2026-017", KAMEN, "2026-10", None, D(2026, 10, 12), None, None, None, 2025,
             None, None, None, None, None, ["sprache", "bildung"], True,
             1, 0, False),
            ("KA-2026-018", KAMEN, "2026-10", None, D(2026, 8, 3), None, None, None, 2023,
             None, None, None, None, None, ["arbeit"], False,
             2, 1, False),
        ),
        options=("--kommune", "Kamen", "--month", "2026-10"),
        covers=("Kommune given with the upload", "month given with the upload", "yes/no x marks",
                "yes/no empty means nein", "header umlauts", "header alias", "title and note rows above the header"),
    ),
    # --- values ------------------------------------------------------------------------------------
    MessyFile(
        "ehrenamt_text_zahlen.xlsx",
        "ehrenamt",
        rows=(
            (HOLZWICKEDE, "2026-10", 17, 0, 9, Decimal("86.25"), []),
            (LUENEN, "2026-10", 1064, 12, 512, Decimal("1234"), []),  # '1.064', '1.234,0 '
        ),
        covers=("numbers stored as text", "surrounding spaces", "thousands dot 1.234", "1.234,0", "decimal comma"),
    ),
    MessyFile(
        "fallmanagement_textdaten.csv",
        "fallmanagement",
        rows=(
            ("SW-2026-031", SCHWERTE, "2026-10", D(2026, 9, 28), D(2026, 10, 1), D(2026, 10, 2), D(2026, 10, 29),
             "weitervermittelt", 2024,
             "18-26", "w", "SGB III", 2, "agentur_fuer_arbeit", ["arbeit"], False,
             1, 1, True),
            ("SW-2026-032", SCHWERTE, "2026-10", D(2026, 9, 15), D(2026, 10, 1), D(2026, 10, 7), None, None, 2025,
             "0-17", "d", "SGB VIII", 1, "schule", ["sprache", "bildung"], True,
             0, 0, False),
        ),
        covers=("text date 2026-10-01", "text date 01.10.2026", "text date 1.10.26", "surrounding spaces",
                "month 10/2026", "yes/no ja/nein"),
    ),
    MessyFile(
        "fallmanagement_excel_daten.xlsx",
        "fallmanagement",
        rows=(
            ("HW-2026-005", HOLZWICKEDE, "2026-10", D(2026, 9, 14), D(2026, 9, 21), D(2026, 9, 23), D(2026, 10, 27),
             "ziel_erreicht", 2023,
             "45-64", "w", "SGB XII", 3, "sozialamt", ["wohnen", "gesundheit"], True,
             2, 1, False),
            ("HW-2026-006", HOLZWICKEDE, "2026-10", None, D(2026, 10, 19), None, None, None, 2026,
             "18-26", "m", "unbekannt", None, "selbstmeldung", ["teilhabe"], False,
             None, None, False),
        ),
        covers=("Excel date cells", "month Excel date cell", "yes/no empty means nein"),
    ),
    MessyFile(
        "fallmanagement_ja_nein.csv",
        "fallmanagement",
        rows=tuple(
            (fall_id, WERNE, "2026-10", None, D(2026, 9, 1), None, None, None, 2024,
             None, None, None, None, None, ["arbeit"], ehrenamt,
             None, None, arbeit)
            for fall_id, ehrenamt, arbeit in (
                ("WE-2026-001", True, False),  # ja / nein
                ("WE-2026-002", False, True),  # Nein / Ja
                ("WE-2026-003", True, False),  # 1 / 0
                ("WE-2026-004", False, True),  # 0 / 1
                ("WE-2026-005", True, False),  # wahr / falsch
                ("WE-2026-006", False, True),  # FALSCH / WAHR
                ("WE-2026-007", True, False),  # x / empty
                ("WE-2026-008", False, True),  # empty / X
            )
        ),
        covers=("yes/no ja/nein", "yes/no 1/0", "yes/no wahr/falsch", "yes/no x marks", "yes/no empty means nein",
                "Windows-1252", "separator ;", "text date 01.10.2026"),
    ),
    MessyFile(
        "auslaenderbehoerde_symbole.csv",
        "auslaenderbehoerde",
        rows=(
            # '*', '.', '-', '–', 'x', 'k.A.'
            (BERGKAMEN, "2026-09", None, None, 0, 0, None, None, ["antraege_eingang", "antraege_entschieden"]),
            # '', '12', '0', '-', '*', '3'
            (BOENEN, "2026-09", None, 12, 0, 0, None, 3, ["aufenthaltsverfestigungen"]),
        ),
        covers=("'*' suppressed", "'.' suppressed", "'-' zero", "'–' zero", "'x' missing", "'k.A.' missing",
                "empty cell missing", "Windows-1252"),
    ),
    MessyFile(
        "bevoelkerung_itnrw_titel.csv",
        "bevoelkerung",
        rows=(
            (BERGKAMEN, "2026-06", 48611, 9012, 6650, 2981, []),
            (UNNA, "2026-06", 58790, 8430, 6102, 2755, []),
        ),  # Stichtag '30.06.2026'
        covers=("title and note rows above the header", "footnote rows below the table", "thousands dot 1.234",
                "Windows-1252", "header alias", "month 31.10.2026"),
    ),
    MessyFile(
        "kennzahlen_zusatzspalten.xlsx",
        "kennzahlen",
        rows=(
            (KAMEN, "2026-09", "E01", Decimal("37"), []),
            (KAMEN, "2026-09", "E02", Decimal("1203.5"), []),  # 'e02', '1.203,5'
        ),
        warnings=(("Kennzahlen", 1, "Bezeichnung"), ("Kennzahlen", 1, "Einheit"), ("Kennzahlen", 1, "Quelle")),
        covers=("unknown extra column: warning", "numbers stored as text", "1.234,0"),
    ),
    # --- Kreis total rows --------------------------------------------------------------------------
    MessyFile(
        "arbeitsmarkt_geheimhaltung.xlsx",
        "arbeitsmarkt",
        rows=(
            (HOLZWICKEDE, "2026-10", 188, 301, None, ["integrationen_auslaendisch"]),
            (SELM, "2026-10", 305, 482, None, ["integrationen_auslaendisch"]),
            (WERNE, "2026-10", 268, 433, 5, []),
        ),  # the Kreis total '05978' matches where it can be checked (761, 1.216)
        warnings=(("Arbeitsmarkt", 3, "Gemeinde"),),  # a second Kommune column: 'AGS' is used
        covers=("'*' suppressed", "Kreis total by key", "Kreis total with suppressed cells: no warning",
                "Kommune as AGS", "footnote rows below the table", "month 10/2026"),
    ),
    MessyFile(
        "schule_kreissumme_passend.csv",
        "schule",
        rows=(
            (BERGKAMEN, "2026-09", 9, 7, 3, []),
            (BOENEN, "2026-09", 4, 4, 1, []),
            (FROENDENBERG, "2026-09", 5, 4, 2, []),
            (HOLZWICKEDE, "2026-09", 3, 3, 0, []),
            (KAMEN, "2026-09", 8, 6, 4, []),
            (LUENEN, "2026-09", 17, 13, 6, []),
            (SCHWERTE, "2026-09", 6, 5, 2, []),
            (SELM, "2026-09", 4, 3, 1, []),
            (UNNA, "2026-09", 14, 11, 5, []),
            (WERNE, "2026-09", 6, 6, 0, []),
        ),  # 'Summe Kreis' 76 / 62 / 24 matches and is not stored
        covers=("Kreis total by name", "Kreis total matches: no warning", "Windows-1252", "separator ;"),
    ),
    MessyFile(
        "sprache_kreissumme_abweichend.xlsx",
        "sprache",
        rows=(
            (KAMEN, "2026-09", 18, 15, 690, 10, 6, []),
            (KAMEN, "2026-10", 20, 16, 720, 11, 6, []),
            (UNNA, "2026-09", 35, 30, 1320, 22, 13, []),
            (UNNA, "2026-10", 33, 29, 1290, 20, 12, []),
        ),
        # September's 'Kreis Unna insgesamt' says 55 (sum 53) and 21 (sum 19); October's 'Insgesamt' matches.
        warnings=(("Integrationskurse", 6, "Berechtigungen"), ("Integrationskurse", 6, "B1 erreicht")),
        covers=("Kreis total by name", "Kreis total differs: warning", "Kreis total matches: no warning",
                "header alias", "header umlauts"),
    ),
    MessyFile(
        "ehrenamt_gesamt_dezimal.csv",
        "ehrenamt",
        rows=(
            (FROENDENBERG, "2026-10", 48, 3, 21, Decimal("1234.5"), []),
            (HOLZWICKEDE, "2026-10", 17, 0, 9, Decimal("86.25"), []),  # '-'
        ),  # 'Gesamt' 65 / 3 / 30 / 1.320,75 matches
        covers=("Kreis total by name", "Kreis total matches: no warning", "decimal comma", "thousands dot 1.234",
                "'-' zero", "month Okt 2026", "header unit in brackets"),
    ),
    MessyFile(
        "kennzahlen_kreissumme.csv",
        "kennzahlen",
        rows=(
            (KAMEN, "2026-09", "E01", Decimal("37"), []),
            (KAMEN, "2026-09", "E02", Decimal("12"), []),
            (UNNA, "2026-09", "E01", Decimal("40"), []),
            (UNNA, "2026-09", "E02", Decimal("20.5"), []),
        ),  # 'Kreis Unna' E01 77 and E02 32,5: each matches the sum of its Kennzahl
        covers=("Kreis total by name", "Kreis total matches: no warning"),
    ),
)
# fmt: on


# --- running the command line ----------------------------------------------------------------


@dataclass
class Run:
    db: Path
    entries: list[dict[str, Any]]
    describe: str


def _run(case: MessyFile, folder: Path) -> Run:
    db = folder / "kim.duckdb"
    result = ingest(db, case.path, *case.options)
    return Run(db, entries(result), describe_failure(result))


@pytest.fixture(scope="module")
def messy_runs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Future[Run]]]:
    """Start the commands of every selected case at once, each with a database of its own."""
    selected = []
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        case = callspec.params.get("case") if callspec is not None else None
        if isinstance(case, MessyFile) and case not in selected:
            selected.append(case)
    workers = min(8, (os.cpu_count() or 2) + 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {
            case.name: pool.submit(_run, case, tmp_path_factory.mktemp(Path(case.name).stem)) for case in selected
        }
        yield futures
        for future in futures.values():
            future.cancel()


def stored(db: Path, relation: str, source: str) -> list[tuple[Any, ...]]:
    """Every row of a view or table, monat as 'YYYY-MM', without the upload columns."""
    exclude = " EXCLUDE (upload_id, excel_zeile)" if relation.startswith("q_") else ""
    order = ORDER_BY.get(source, DEFAULT_ORDER)
    with duckdb.connect(str(db), read_only=True) as connection:
        return connection.execute(
            f"SELECT *{exclude} REPLACE (strftime(monat, '%Y-%m') AS monat) FROM {relation} ORDER BY {order}"
        ).fetchall()


# --- the corpus --------------------------------------------------------------------------------


def test_corpus_is_complete() -> None:
    """Every file in messy/ has exactly one expectation, and vice versa; at least 30 files."""
    on_disk = sorted(p.name for p in MESSY_DIR.iterdir())
    declared = [case.name for case in MESSY_FILES]
    assert len(declared) == len(set(declared))
    assert on_disk == sorted(declared)
    assert len(declared) >= 30


def test_every_tolerance_line_is_covered() -> None:
    unknown = {line for case in MESSY_FILES for line in case.covers} - set(TOLERANCE)
    assert not unknown, f"'covers' names lines that are not in TOLERANCE: {unknown}"
    uncovered = [line for line in TOLERANCE if not any(line in case.covers for case in MESSY_FILES)]
    assert not uncovered, f"no file covers: {uncovered}"


@pytest.mark.parametrize("case", params(MESSY_FILES))
def test_messy_file(case: MessyFile, messy_runs: dict[str, Future[Run]]) -> None:
    run = messy_runs[case.name].result()
    assert len(run.entries) == 1, run.describe
    entry = run.entries[0]
    assert (entry["file"], entry["status"], entry["errors"]) == (case.path, "accepted", []), run.describe
    assert entry["source"] == case.source
    assert entry["partitions"] == case.partitions
    assert entry["rows"] == len(case.rows)
    assert places(entry["warnings"]) == sorted(case.warnings, key=lambda p: (p[0] or "", p[1] or 0, p[2] or ""))
    for warning in entry["warnings"]:
        assert_german(warning["message"])
    assert upload_count(run.db) == 1

    assert stored(run.db, f"v_{case.source}", case.source) == list(case.rows)
    # The stored version itself, with the 'unterdrueckt' flags of the aggregate sources.
    assert stored(run.db, f"q_{case.source}", case.source) == list(case.rows)

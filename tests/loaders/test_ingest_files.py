"""The real command line against a corpus of sample deliveries (tests/files/good, tests/files/bad).

Every file is ingested as a user would::

    python -m loaders ingest FILE --db DB --json [options]

from the project root with ``KIM_TODAY=2026-11-25``, into a database of its own. The files are
made by tests/files/make_files.py; what each must yield is declared once, in GOOD_FILES and
BAD_FILES below.

A good file is given twice in one command: the first entry must be accepted, the second
unchanged with the same upload_id (test_unchanged_in_a_second_process does the same with two
processes). A bad file is given once.

Speed: one command costs about a second (mostly imports), and the module needs some sixty. So the
commands of the selected corpus cases are started together on a small thread pool with the
module's first test (fixture ``corpus_runs``), while the other tests run; each corpus test waits
for its own file's command only and then checks its output and database. Every corpus file still
gets a fresh directory and database of its own, every other test its ``tmp_path``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

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
    Cell,
    Place,
    assert_german,
    entries,
    fall,
    ingest,
    params,
    place_key,
    places,
    single_entry,
    where_kommune,
)
from tests.helpers.databases import upload_count
from tests.helpers.paths import FILES

D = dt.date

# Invented personal data written into the bad files; no output may ever contain any of it.
PERSONAL_VALUES = (
    "mustermann",
    "example.org",
    "14.03.1987",
    "1987-03-14",
    "hauptstraße 12",
    "2345678",
    "de89",
    "3704 0044",
    "370400440532013000",
)
# --- what each file must yield -----------------------------------------------------------------


@dataclass(frozen=True)
class GoodFile:
    name: str
    source: str
    partitions: tuple[tuple[str, str], ...]
    rows: int
    cells: tuple[Cell, ...]
    warnings: tuple[Place, ...] | None = ()  # None: not checked
    options: tuple[str, ...] = ()
    bug: str | None = None  # reason of a suspected loader bug: the case is xfail(strict=True)

    @property
    def path(self) -> str:
        return f"tests/files/good/{self.name}"


ANY_SOURCE = "*"  # the source a rejected file is attributed to is not checked


@dataclass(frozen=True)
class BadFile:
    name: str
    source: str | None  # None: not even the source could be recognised
    errors: tuple[Place, ...]
    complete: bool = True  # errors are exactly these (else: at least these)
    rows: int | None = None  # rows read, where the file got as far as its rows
    warnings: tuple[Place, ...] | None = None
    message: str | None = None  # regex one of the error messages must match
    options: tuple[str, ...] = ()
    bug: str | None = None

    @property
    def path(self) -> str:
        return f"tests/files/bad/{self.name}"


GOOD_FILES: tuple[GoodFile, ...] = (
    GoodFile(
        "fallmanagement_kanonisch.csv",
        "fallmanagement",
        ((BERGKAMEN, "2026-10"),),
        rows=4,
        warnings=((None, 5, "fallende"),),  # the case ended before the reporting month
        cells=(
            Cell(fall("BK-26-001"), "monat", D(2026, 10, 1)),
            Cell(fall("BK-26-001"), "handlungsfelder", ["sprache", "arbeit"]),
            Cell(fall("BK-26-001"), "uebergaben_erfolgreich", 1),
            Cell(fall("BK-26-001"), "rechtskreis", "SGB II"),
            Cell(fall("BK-26-002"), "fallende", D(2026, 10, 28)),
            Cell(fall("BK-26-002"), "abschlussgrund", "ziel_erreicht"),
            Cell(fall("BK-26-002"), "ergebnis_arbeit", True),
            Cell(fall("BK-26-003"), "anfrage", None),
            Cell(fall("BK-26-003"), "handlungsfelder", ["wohnen", "gesundheit"]),
            Cell(fall("BK-26-003"), "ehrenamt", False),
            Cell(fall("BK-26-004"), "ehrenamt", True),
        ),
    ),
    GoodFile(
        "fallmanagement_export.xlsx",
        "fallmanagement",
        ((BERGKAMEN, "2026-10"), (FROENDENBERG, "2026-10"), (LUENEN, "2026-10")),
        rows=4,
        cells=(
            Cell(fall("FR-0101"), "kommune", FROENDENBERG),
            Cell(fall("FR-0101"), "monat", D(2026, 10, 1)),
            Cell(fall("FR-0101"), "anfrage", D(2026, 8, 3)),
            Cell(fall("FR-0101"), "fallende", D(2026, 10, 20)),
            Cell(fall("FR-0101"), "abschlussgrund", "ziel_erreicht"),
            Cell(fall("FR-0101"), "zuzugsjahr", 2022),
            Cell(fall("FR-0101"), "altersgruppe", "27-44"),
            Cell(fall("FR-0101"), "geschlecht", "w"),
            Cell(fall("FR-0101"), "rechtskreis", "SGB II"),
            Cell(fall("FR-0101"), "handlungsfelder", ["sprache", "arbeit"]),
            Cell(fall("FR-0101"), "ehrenamt", True),
            Cell(fall("FR-0101"), "uebergaben_erfolgreich", 2),
            Cell(fall("LU-0007"), "kommune", LUENEN),
            Cell(fall("LU-0007"), "monat", D(2026, 10, 1)),
            Cell(fall("LU-0007"), "abschlussgrund", "abbruch"),
            Cell(fall("LU-0007"), "zugang", "auslaenderbehoerde"),
            Cell(fall("LU-0007"), "ehrenamt", False),
            Cell(fall("BK-0042"), "kommune", BERGKAMEN),
            Cell(fall("BK-0042"), "monat", D(2026, 10, 1)),
            Cell(fall("BK-0042"), "altersgruppe", "0-17"),
            Cell(fall("BK-0042"), "handlungsfelder", ["bildung", "teilhabe"]),
            Cell(fall("BK-0043"), "kommune", BERGKAMEN),
            Cell(fall("BK-0043"), "monat", D(2026, 10, 1)),
            Cell(fall("BK-0043"), "fallbeginn", D(2026, 10, 5)),
            Cell(fall("BK-0043"), "geschlecht", "k.A."),
            Cell(fall("BK-0043"), "altersgruppe", "65+"),
        ),
    ),
    GoodFile(
        "fallmanagement_gemeindename.csv",
        "fallmanagement",
        ((KAMEN, "2026-10"),),
        rows=2,
        warnings=((None, 1, "Gemeindename"),),  # an unknown column, but no personal data
        cells=(
            Cell(fall("KA-0002"), "fallende", D(2026, 10, 15)),
            Cell(fall("KA-0002"), "abschlussgrund", "weitervermittelt"),
        ),
    ),
    GoodFile(
        "fallmanagement_ohne_kommune_monat.csv",
        "fallmanagement",
        ((SELM, "2026-10"),),
        rows=2,
        options=("--kommune", "Selm", "--month", "2026-10"),
        cells=(
            Cell(fall("SE-0002"), "kommune", SELM),
            Cell(fall("SE-0002"), "monat", D(2026, 10, 1)),
            Cell(fall("SE-0002"), "fallbeginn", D(2026, 9, 30)),
            Cell(fall("SE-0002"), "uebergaben", 2),
        ),
    ),
    GoodFile(
        "fallmanagement_kurzes_jahr.csv",
        "fallmanagement",
        ((KAMEN, "2026-10"),),
        rows=1,
        cells=(
            Cell(fall("KA-0100"), "anfrage", D(2026, 9, 28)),
            Cell(fall("KA-0100"), "fallbeginn", D(2026, 10, 1)),
            Cell(fall("KA-0100"), "erstkontakt", D(2026, 10, 2)),
        ),
    ),
    GoodFile(
        "arbeitsmarkt_kanonisch.csv",
        "arbeitsmarkt",
        ((BERGKAMEN, "2026-10"), (BOENEN, "2026-10"), (UNNA, "2026-10")),
        rows=3,
        cells=(
            Cell(where_kommune(UNNA), "arbeitslose_auslaendisch", 1034),
            Cell(where_kommune(BOENEN), "integrationen_auslaendisch", 3),
            Cell(where_kommune(BOENEN), "unterdrueckt", []),
        ),
    ),
    GoodFile(
        "arbeitsmarkt_vormonat.csv",
        "arbeitsmarkt",
        ((BERGKAMEN, "2026-09"),),
        rows=1,
        cells=(Cell(where_kommune(BERGKAMEN), "arbeitslose_auslaendisch", 200),),
    ),
    GoodFile(
        "arbeitsmarkt_gemeinde_und_schluessel.csv",
        "arbeitsmarkt",
        ((BERGKAMEN, "2026-10"), (BOENEN, "2026-10")),
        rows=2,
        warnings=None,  # a note on the second Kommune column is fine
        cells=(Cell(where_kommune(BOENEN), "elb_auslaendisch", 333),),
    ),
    GoodFile(
        "arbeitsmarkt_alt.csv",
        "arbeitsmarkt",
        ((WERNE, "2021-06"),),
        rows=1,
        warnings=((None, 2, "monat"),),  # more than five years back
        cells=(
            Cell(where_kommune(WERNE), "monat", D(2021, 6, 1)),
            Cell(where_kommune(WERNE), "elb_auslaendisch", 655),
        ),
    ),
    GoodFile(
        "arbeitsmarkt_ba_export.xlsx",
        "arbeitsmarkt",
        ((BERGKAMEN, "2026-10"), (BOENEN, "2026-10"), (LUENEN, "2026-10")),
        rows=3,
        cells=(
            Cell(where_kommune(BERGKAMEN), "elb_auslaendisch", 1290),
            Cell(where_kommune(BOENEN), "integrationen_auslaendisch", None),  # '*': suppressed
            Cell(where_kommune(BOENEN), "unterdrueckt", ["integrationen_auslaendisch"]),
            Cell(where_kommune(LUENEN), "arbeitslose_auslaendisch", 1500),
            Cell(where_kommune(LUENEN), "monat", D(2026, 10, 1)),
        ),
    ),
    GoodFile(
        "arbeitsmarkt_kreissumme.xlsx",
        "arbeitsmarkt",
        ((BERGKAMEN, "2026-10"), (BOENEN, "2026-10"), (LUENEN, "2026-10")),
        rows=3,  # the Kreis total is not stored
        cells=(
            Cell(where_kommune(LUENEN), "arbeitslose_auslaendisch", 1500),
            Cell(where_kommune(BOENEN), "unterdrueckt", ["integrationen_auslaendisch"]),
        ),
    ),
    GoodFile(
        "auslaenderbehoerde_kanonisch.csv",
        "auslaenderbehoerde",
        ((KAMEN, "2026-09"), (SCHWERTE, "2026-09")),
        rows=2,
        cells=(
            Cell(where_kommune(KAMEN), "bearbeitungstage_summe", 2470),
            Cell(where_kommune(SCHWERTE), "einbuergerungen", 11),
        ),
    ),
    GoodFile(
        "auslaenderbehoerde_aliase.xlsx",
        "auslaenderbehoerde",
        ((HOLZWICKEDE, "2026-10"), (SELM, "2026-10"), (WERNE, "2026-10")),
        rows=3,
        cells=(
            Cell(where_kommune(HOLZWICKEDE), "aufenthaltsverfestigungen", 0),  # '-'
            Cell(where_kommune(WERNE), "einbuergerungen", 0),  # '–'
            Cell(where_kommune(SELM), "bearbeitungstage_summe", 1102),
            Cell(where_kommune(SELM), "antraege_eingang", 19),
            Cell(where_kommune(SELM), "monat", D(2026, 10, 1)),
        ),
    ),
    GoodFile(
        "schule_kanonisch.csv",
        "schule",
        ((SELM, "2026-10"), (WERNE, "2026-10")),
        rows=2,
        cells=(Cell(where_kommune(SELM), "seiteneinsteiger_beschult_4w", 7),),
    ),
    GoodFile(
        "schule_schulamt.xlsx",
        "schule",
        ((BOENEN, "2026-10"), (UNNA, "2026-10")),
        rows=2,
        cells=(
            Cell(where_kommune(UNNA), "seiteneinsteiger_beschult_4w", 11),
            Cell(where_kommune(BOENEN), "wartende_schulplatz", 1),
            Cell(where_kommune(BOENEN), "monat", D(2026, 10, 1)),
        ),
    ),
    GoodFile(
        "schule_summe_abweichend.csv",
        "schule",
        ((BOENEN, "2026-09"), (UNNA, "2026-09")),
        rows=2,
        warnings=((None, 4, "seiteneinsteiger_neu"),),  # 20 in the total, 18 in the Kommunen
        cells=(Cell(where_kommune(UNNA), "seiteneinsteiger_neu", 14),),
    ),
    GoodFile(
        "schule_ohne_monat.csv",
        "schule",
        ((KAMEN, "2026-10"),),
        rows=1,
        options=("--month", "2026-10"),
        cells=(
            Cell(where_kommune(KAMEN), "monat", D(2026, 10, 1)),
            Cell(where_kommune(KAMEN), "seiteneinsteiger_beschult_4w", 4),
        ),
    ),
    GoodFile(
        "sprache_kanonisch.csv",
        "sprache",
        ((BERGKAMEN, "2026-08"), (BERGKAMEN, "2026-09"), (SCHWERTE, "2026-08"), (SCHWERTE, "2026-09")),
        rows=4,
        cells=(
            Cell(where_kommune(BERGKAMEN, "2026-08"), "wartetage_summe", 1032),
            Cell(where_kommune(SCHWERTE, "2026-09"), "b1_erreicht", 9),
        ),
    ),
    GoodFile(
        "ehrenamt_kanonisch.csv",
        "ehrenamt",
        ((HOLZWICKEDE, "2026-10"), (LUENEN, "2026-10")),
        rows=2,
        cells=(
            Cell(where_kommune(LUENEN), "einsatzstunden", Decimal("312.5")),
            Cell(where_kommune(HOLZWICKEDE), "einsatzstunden", Decimal("48")),
            Cell(where_kommune(HOLZWICKEDE), "ehrenamtliche_neu", 0),
        ),
    ),
    GoodFile(
        "ehrenamt_semikolon.csv",
        "ehrenamt",
        ((FROENDENBERG, "2026-10"), (HOLZWICKEDE, "2026-10")),
        rows=2,
        cells=(
            Cell(where_kommune(FROENDENBERG), "einsatzstunden", Decimal("1234.5")),
            Cell(where_kommune(FROENDENBERG), "tandems_aktiv", 21),
            Cell(where_kommune(HOLZWICKEDE), "einsatzstunden", Decimal("86.25")),
            Cell(where_kommune(HOLZWICKEDE), "monat", D(2026, 10, 1)),
        ),
    ),
    GoodFile(
        "bevoelkerung_kanonisch.csv",
        "bevoelkerung",
        ((BERGKAMEN, "2025-12"), (UNNA, "2025-12")),
        rows=2,
        cells=(
            Cell(where_kommune(BERGKAMEN), "monat", D(2025, 12, 1)),
            Cell(where_kommune(UNNA), "zugewandert_5j", 2755),
        ),
    ),
    GoodFile(
        "bevoelkerung_itnrw.xlsx",
        "bevoelkerung",
        ((FROENDENBERG, "2026-06"), (HOLZWICKEDE, "2026-06"), (WERNE, "2026-06")),
        rows=3,
        cells=(
            Cell(where_kommune(FROENDENBERG), "auslaendisch_15_64", 1702),
            Cell(where_kommune(WERNE), "zugewandert_5j", 911),
            Cell(where_kommune(HOLZWICKEDE), "monat", D(2026, 6, 1)),
        ),
    ),
    GoodFile(
        "kennzahlen_kanonisch.csv",
        "kennzahlen",
        ((BERGKAMEN, "2026-10"), (KAMEN, "2026-10")),
        rows=3,
        cells=(
            Cell(f"{where_kommune(BERGKAMEN)} AND kennzahl = 'E02'", "wert", Decimal("112")),
            Cell(f"{where_kommune(KAMEN)} AND kennzahl = 'E01'", "wert", Decimal("14.5")),
        ),
    ),
    # Notes beside the table that hold no personal data: codes, AGS, dates, German numbers, a
    # harmless comment, a hidden helper sheet, a formula in the Kreis total row.
    GoodFile(
        "schule_mit_hinweisen.xlsx",
        "schule",
        ((KAMEN, "2026-10"), (SELM, "2026-10")),
        rows=2,
        cells=(
            Cell(where_kommune(SELM), "seiteneinsteiger_neu", 5),
            Cell(where_kommune(KAMEN), "wartende_schulplatz", 3),
        ),
    ),
    # Fall-IDs and free text that look like phone numbers or names at first sight, but are not.
    GoodFile(
        "fallmanagement_kennungen.csv",
        "fallmanagement",
        ((SELM, "2026-10"),),
        rows=3,
        warnings=((None, 1, "Bemerkung"),),
        cells=(Cell(fall("05978032-0043"), "kommune", SELM), Cell(fall("P 4711"), "uebergaben", 1)),
    ),
    GoodFile(
        "kennzahlen_lang.xlsx",
        "kennzahlen",
        ((SCHWERTE, "2026-09"), (SELM, "2026-09")),
        rows=3,
        cells=(
            Cell(f"{where_kommune(SCHWERTE)} AND kennzahl = 'E01'", "wert", Decimal("21")),  # 'e01'
            Cell(f"{where_kommune(SCHWERTE)} AND kennzahl = 'E02'", "wert", Decimal("7.5")),
            Cell(f"{where_kommune(SELM)} AND kennzahl = 'E02'", "wert", Decimal("1203")),  # '1.203'
        ),
    ),
)

BAD_FILES: tuple[BadFile, ...] = (
    BadFile("pflichtspalte_fehlt.xlsx", "fallmanagement", (("Fälle", 2, None),), message=r"(?i)fallbeginn"),
    BadFile("kommune_unbekannt.csv", "arbeitsmarkt", ((None, 4, "kommune"),), rows=2, message="Dortmund"),
    BadFile("kategorie_unbekannt.csv", "fallmanagement", ((None, 2, "abschlussgrund"),), rows=1, message="erledigt"),
    BadFile("anzahl_negativ.csv", "schule", ((None, 2, "wartende_schulplatz"),), rows=1),
    BadFile("uebergaben_erfolgreich_zu_gross.csv", "fallmanagement", ((None, 3, "uebergaben_erfolgreich"),), rows=2),
    BadFile("erstkontakt_vor_anfrage.csv", "fallmanagement", ((None, 2, "erstkontakt"),), rows=1),
    BadFile("fallende_vor_fallbeginn.csv", "fallmanagement", ((None, 2, "fallende"),), rows=1),
    BadFile("fallbeginn_nach_monatsende.csv", "fallmanagement", ((None, 2, "fallbeginn"),), rows=1),
    BadFile("fallende_ohne_abschlussgrund.csv", "fallmanagement", ((None, 3, "abschlussgrund"),), rows=2),
    BadFile("monat_in_zukunft.csv", "arbeitsmarkt", ((None, 2, "monat"), (None, 3, "monat")), rows=2),
    BadFile("monat_unlesbar.csv", "ehrenamt", ((None, 2, "monat"),), rows=1, message="Herbst 2026"),
    BadFile("datum_unlesbar.csv", "fallmanagement", ((None, 2, "fallbeginn"),), rows=1, message="31.09.2026"),
    BadFile("keine_zahl.csv", "sprache", ((None, 2, "kurseintritte"),), rows=1, message="viele"),
    BadFile("keine_ganze_zahl.csv", "auslaenderbehoerde", ((None, 3, "einbuergerungen"),), rows=2),
    BadFile("fall_id_doppelt.csv", "fallmanagement", ((None, 4, "fall_id"),), rows=4, message="KA-0002"),
    BadFile("kommune_monat_doppelt.xlsx", "ehrenamt", (("Ehrenamt", 5, "Kommune"),), rows=3),
    # Several sheets are one upload: all of them are stored, or none.
    BadFile(
        "arbeitsmarkt_blaetter_doppelt.xlsx",
        "arbeitsmarkt",
        (("Okt 2026 korrigiert", 2, "Kommune"),),
        rows=3,
        warnings=(),
        message=r"^Werne im Monat 10/2026 wird schon im Blatt 'Okt 2026' \(ab Zeile 3\) geliefert\.",
    ),
    BadFile(
        "schule_ein_blatt_fehlerhaft.xlsx",
        "schule",
        (("Okt 2026", 3, "Wartende auf Schulplatz"),),  # 'Sep 2026' is fine, but not stored either
        rows=4,
        warnings=(),
    ),
    BadFile(
        "zwei_quellen_eine_mappe.xlsx",
        None,
        ((None, None, None),),
        message=r"verschiedener Datenquellen: Blatt 'Arbeitsmarkt' \(Arbeitsmarkt\), Blatt 'Schule' \(Schule\)\. "
        r"Ein Upload umfasst eine Datenquelle",
    ),
    BadFile("spalte_name.csv", "fallmanagement", ((None, 1, "Name"),)),
    BadFile("spalte_geburtsdatum.xlsx", "fallmanagement", (("Fälle", 2, "Geburtsdatum"),)),
    BadFile("spalte_e_mail.csv", "fallmanagement", ((None, 1, "E-Mail"),)),
    BadFile("spalte_strasse.csv", "fallmanagement", ((None, 1, "Straße"),)),
    BadFile(
        "email_in_bemerkung.csv",
        "fallmanagement",
        ((None, 3, "Bemerkung"),),
        rows=2,
        warnings=((None, 1, "Bemerkung"),),
    ),
    BadFile("telefon_in_hinweis.csv", "arbeitsmarkt", ((None, 3, "Hinweis"),), rows=2),
    BadFile("iban_in_notiz.csv", "ehrenamt", ((None, 2, "Notiz"),), rows=1),
    BadFile("kommune_ist_email.csv", "schule", ((None, 2, "kommune"),), rows=1),
    BadFile("email_im_freitext.csv", "fallmanagement", ((None, 2, "Bemerkung"),), rows=1),
    # Personal data beside the table: on hidden and very hidden sheets, a notes sheet, in a
    # footnote, in comments of every kind; and in the Fall-ID itself.
    BadFile(
        "namen_ausgeblendetes_blatt.xlsx",
        "fallmanagement",
        (("Kontakte", 2, "B"),),
        rows=2,
        message="^Die Zelle auf dem ausgeblendeten Blatt enthält offenbar eine Telefonnummer",
    ),
    BadFile("name_sehr_versteckt.xlsx", "fallmanagement", (("Intern", 1, "A"),), rows=2),
    BadFile("telefon_im_hinweisblatt.xlsx", "fallmanagement", (("Hinweise", 2, "B"),), rows=2),
    BadFile(
        "kommentar_mit_name.xlsx",
        "fallmanagement",
        (("Fälle", 3, "Fall-ID"),),
        rows=2,
        message="^Der Kommentar an Zelle A3 enthält offenbar",
    ),
    BadFile("kommentar_verlauf_telefon.xlsx", "fallmanagement", (("Fälle", 3, "Handlungsfelder"),), rows=2),
    BadFile("kommentar_ods_telefon.ods", "fallmanagement", (("Fälle", None, None),), rows=2, message="Kommentar"),
    BadFile("telefon_in_fussnote.csv", "arbeitsmarkt", ((None, 4, "kommune"),), rows=1),
    BadFile("email_in_fall_id.csv", "fallmanagement", ((None, 3, "fall_id"),), rows=2, message="E-Mail-Adresse"),
    BadFile(
        "name_in_fall_id.csv",
        "fallmanagement",
        ((None, 3, "fall_id"), (None, 4, "fall_id"), (None, 5, "fall_id")),  # row 2, SEL-2026-0042, is fine
        rows=4,
    ),
    # Numbers that would be lost: too large to store or to be true, Excel error cells, formulas.
    BadFile(
        "anzahl_riesig.csv",
        "arbeitsmarkt",
        ((None, 2, "arbeitslose_auslaendisch"), (None, 3, "elb_auslaendisch"), (None, 4, "integrationen_auslaendisch")),
        rows=3,
        message=r"^'99999999999999999999' ist als 'arbeitslose_auslaendisch' zu groß",
    ),
    BadFile("anzahl_riesig.xlsx", "arbeitsmarkt", (("Okt", 2, "Arbeitslose Ausländer"),), rows=1, message="zu groß"),
    BadFile("dezimal_riesig.csv", "ehrenamt", ((None, 2, "einsatzstunden"),), rows=1, message="zu groß"),
    BadFile(
        "fehlerwerte.xlsx",
        "schule",
        (
            ("Schule", 2, "Beschult innerhalb 4 Wochen"),
            ("Schule", 3, "Seiteneinsteiger neu"),
            ("Schule", 3, "Wartende auf Schulplatz"),
            ("Schule", 4, "Seiteneinsteiger neu"),
            ("Schule", 4, "Beschult innerhalb 4 Wochen"),
            ("Schule", 4, "Wartende auf Schulplatz"),
        ),
        rows=4,
        message=r"^Die Zelle C3 enthält den Excel-Fehlerwert #ZAHL! \(#NUM!\)",
    ),
    BadFile(
        "formeln.xlsx",
        "schule",
        (("Schule", 2, "Beschult innerhalb 4 Wochen"), ("Schule", 3, "Seiteneinsteiger neu")),
        rows=2,
        message=r"^Die Zelle D2 enthält eine Formel\.",
    ),
    BadFile("kein_excel.xlsx", None, ((None, None, None),)),
    BadFile("leer.csv", None, ((None, None, None),)),
    BadFile("bevoelkerung_laufendes_jahr.csv", "bevoelkerung", ((None, 2, "monat"),), rows=1),
    BadFile(
        "arbeitsmarkt_breit.xlsx",
        ANY_SOURCE,
        (),
        complete=False,
        message=r"(?i)(je|pro) Monat|Monate? (als|in) (eigenen )?Spalten|Monatsspalten|Breitformat|breite[sn]? (Format|Tabelle)",
    ),
    BadFile(
        "mehrere_fehler.csv",
        "fallmanagement",
        (
            (None, 2, "kommune"),
            (None, 3, "uebergaben"),
            (None, 4, "fallbeginn"),
            (None, 5, "fall_id"),
            (None, 6, "monat"),
            (None, 7, "abschlussgrund"),
            (None, 8, "abschlussgrund"),
            (None, 9, "handlungsfelder"),
        ),
        complete=False,
        rows=8,
    ),
)


def assert_no_personal_values(*texts: str) -> None:
    for text in texts:
        lowered = text.lower()
        for value in PERSONAL_VALUES:
            assert value not in lowered, f"personal value {value!r} quoted in output:\n{text[-2000:]}"


# --- the corpus runs, started together --------------------------------------------------------


@dataclass
class CorpusRun:
    path: str  # as given on the command line
    db: Path
    result: subprocess.CompletedProcess[str]


def _run_corpus_file(case: GoodFile | BadFile, folder: Path) -> CorpusRun:
    """A bad file once; a good file twice in one command (the second time it must be unchanged)."""
    db = folder / "kim.duckdb"
    files = (case.path, case.path) if isinstance(case, GoodFile) else (case.path,)
    return CorpusRun(case.path, db, ingest(db, *files, *case.options))


@pytest.fixture(scope="module", autouse=True)
def corpus_runs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Future[CorpusRun]]]:
    """Start the commands of every selected corpus case at once, each in a fresh directory.

    Autouse, so that they start with the module's first test: the tests of usage and options
    (above the corpus tests in this file) run meanwhile."""
    workers = min(8, (os.cpu_count() or 2) + 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {
            case.path: pool.submit(_run_corpus_file, case, tmp_path_factory.mktemp(Path(case.name).stem))
            for case in _selected_cases(request.session)
        }
        yield futures
        for future in futures.values():
            future.cancel()


def _selected_cases(session: pytest.Session) -> list[GoodFile | BadFile]:
    """The corpus cases among the tests this session runs (fewer with -k or node ids)."""
    selected: list[GoodFile | BadFile] = []
    for item in session.items:
        callspec = getattr(item, "callspec", None)
        case = callspec.params.get("case") if callspec is not None else None
        if isinstance(case, GoodFile | BadFile) and case not in selected:
            selected.append(case)
    return selected


# --- usage errors ----------------------------------------------------------------------------

GOOD_CSV = "tests/files/good/arbeitsmarkt_kanonisch.csv"


@pytest.mark.parametrize(
    "arguments",
    [
        pytest.param(("tests/files/good/gibt_es_nicht.csv",), id="missing-file"),
        pytest.param((GOOD_CSV, "tests/files/good/gibt_es_nicht.csv"), id="missing-second-file"),
        pytest.param((GOOD_CSV, "--source", "unknown"), id="unknown-source"),
        pytest.param((GOOD_CSV, "--month", "2026-13"), id="month-13"),
        pytest.param((GOOD_CSV, "--month", "10/2026"), id="month-not-iso"),
        pytest.param((GOOD_CSV, "--kommune", "Dortmund"), id="unknown-kommune"),
    ],
)
def test_usage_error(arguments: tuple[str, ...], tmp_path: Path) -> None:
    db = tmp_path / "kim.duckdb"
    result = ingest(db, *arguments)
    assert result.returncode == 2, describe_failure(result)
    assert result.stdout.strip() == ""
    assert result.stderr.startswith("Fehler: ")
    assert_german(result.stderr)
    assert upload_count(db) == 0
    assert not (tmp_path / "archive").exists()


def test_no_file_argument_is_a_usage_error(tmp_path: Path) -> None:
    result = ingest(tmp_path / "kim.duckdb")
    assert result.returncode == 2, describe_failure(result)
    assert result.stdout.strip() == ""


# --- options ---------------------------------------------------------------------------------


def test_dry_run_stores_nothing(tmp_path: Path) -> None:
    db = tmp_path / "kim.duckdb"
    result = ingest(db, GOOD_CSV, "tests/files/bad/kommune_unbekannt.csv", "--dry-run")
    assert result.returncode == 1, describe_failure(result)
    good, bad = entries(result)
    assert (good["file"], good["status"], good["upload_id"]) == (GOOD_CSV, "accepted", None)
    assert good["partitions"] == [[BERGKAMEN, "2026-10"], [BOENEN, "2026-10"], [UNNA, "2026-10"]]
    assert good["rows"] == 3
    assert (bad["status"], bad["upload_id"]) == ("rejected", None)
    assert upload_count(db) == 0
    assert not (tmp_path / "archive").exists()

    result = ingest(db, GOOD_CSV, "--dry-run")
    assert result.returncode == 0, describe_failure(result)
    assert single_entry(result, GOOD_CSV)["upload_id"] is None
    assert upload_count(db) == 0


def test_unchanged_in_a_second_process(tmp_path: Path) -> None:
    db = tmp_path / "kim.duckdb"
    path = "tests/files/good/fallmanagement_export.xlsx"
    first = single_entry(ingest(db, path), path)
    second = ingest(db, path)
    assert second.returncode == 0, describe_failure(second)
    again = single_entry(second, path)
    assert (first["status"], again["status"]) == ("accepted", "unchanged")
    assert again["upload_id"] == first["upload_id"]
    assert upload_count(db) == 1


def test_a_workbook_of_two_sources_is_uploaded_once_per_source(tmp_path: Path) -> None:
    """Rejected as it is (one upload holds one source); given a source, that source's sheet is read
    and the other left aside, so the same file becomes two uploads."""
    db = tmp_path / "kim.duckdb"
    path = "tests/files/bad/zwei_quellen_eine_mappe.xlsx"
    uploads = []
    for source in ("schule", "arbeitsmarkt", "schule"):
        result = ingest(db, path, "--source", source)
        assert result.returncode == 0, describe_failure(result)
        entry = single_entry(result, path)
        assert (entry["source"], entry["partitions"], entry["warnings"]) == (source, [[SELM, "2026-10"]], [])
        uploads.append((entry["status"], entry["upload_id"]))
    assert uploads == [("accepted", 1), ("accepted", 2), ("unchanged", 1)]
    with duckdb.connect(str(db), read_only=True) as connection:
        assert connection.execute("SELECT wartende_schulplatz FROM v_schule").fetchall() == [(2,)]
        assert connection.execute("SELECT arbeitslose_auslaendisch FROM v_arbeitsmarkt").fetchall() == [(305,)]


def test_file_without_kommune_and_month_needs_them(tmp_path: Path) -> None:
    path = "tests/files/good/fallmanagement_ohne_kommune_monat.csv"
    result = ingest(tmp_path / "kim.duckdb", path)
    assert result.returncode == 1, describe_failure(result)
    entry = single_entry(result, path)
    assert entry["status"] == "rejected"
    assert places(entry["errors"]) == [(None, 1, None), (None, 1, None)]  # Kommune and Monat
    for issue in entry["errors"]:
        assert_german(issue["message"])


def test_several_files_one_rejected(tmp_path: Path) -> None:
    """One entry per file argument, in order; the good file is stored, the bad one is not."""
    db = tmp_path / "kim.duckdb"
    bad = "tests/files/bad/anzahl_negativ.csv"
    result = ingest(db, GOOD_CSV, bad)
    assert result.returncode == 1, describe_failure(result)
    first, second = entries(result)
    assert (first["file"], first["status"]) == (GOOD_CSV, "accepted")
    assert (second["file"], second["status"], second["upload_id"]) == (bad, "rejected", None)
    assert upload_count(db) == 1


def test_jump_against_previous_month_is_a_warning(tmp_path: Path) -> None:
    previous = "tests/files/good/arbeitsmarkt_vormonat.csv"  # Bergkamen 2026-09: 200 unemployed
    result = ingest(tmp_path / "kim.duckdb", previous, GOOD_CSV)  # Bergkamen 2026-10: 812
    assert result.returncode == 0, describe_failure(result)
    _, entry = entries(result)
    assert entry["status"] == "accepted"
    assert (None, 2, "arbeitslose_auslaendisch") in places(entry["warnings"])


def test_a_huge_stored_value_does_not_break_later_uploads(tmp_path: Path) -> None:
    """A value stored before the upper bound existed (the largest BIGINT) must not make the check
    against the previous month overflow: the next month is stored, with a warning."""
    db = tmp_path / "kim.duckdb"
    result = ingest(db, "tests/files/good/arbeitsmarkt_vormonat.csv")  # Bergkamen 2026-09
    assert result.returncode == 0, describe_failure(result)
    with duckdb.connect(str(db)) as connection:
        connection.execute("UPDATE q_arbeitsmarkt SET arbeitslose_auslaendisch = 9223372036854775807")
    result = ingest(db, GOOD_CSV)  # Bergkamen 2026-10
    assert result.returncode == 0, describe_failure(result)
    entry = single_entry(result, GOOD_CSV)
    assert entry["status"] == "accepted"
    assert (None, 2, "arbeitslose_auslaendisch") in places(entry["warnings"])


# --- the corpus ------------------------------------------------------------------------------


def test_corpus_is_complete() -> None:
    """Every file in good/ and bad/ has exactly one expectation, and vice versa."""
    for folder, cases in (("good", GOOD_FILES), ("bad", BAD_FILES)):
        on_disk = sorted(p.name for p in (FILES / folder).iterdir())
        declared = [c.name for c in cases]
        assert len(declared) == len(set(declared))
        assert on_disk == sorted(declared), folder
    assert len(GOOD_FILES) >= 14 and len(BAD_FILES) >= 20
    sources = {c.source for c in GOOD_FILES}
    assert sources == {
        "fallmanagement",
        "arbeitsmarkt",
        "auslaenderbehoerde",
        "schule",
        "sprache",
        "ehrenamt",
        "bevoelkerung",
        "kennzahlen",
    }


@pytest.mark.parametrize("case", params(GOOD_FILES))
def test_good_file(case: GoodFile, corpus_runs: dict[str, Future[CorpusRun]]) -> None:
    run = corpus_runs[case.path].result()
    assert run.result.returncode == 0, describe_failure(run.result)
    entry, again = entries(run.result)
    assert entry["file"] == again["file"] == case.path
    assert entry["errors"] == []
    assert entry["status"] == "accepted"
    assert entry["source"] == case.source
    assert entry["partitions"] == [list(p) for p in sorted(case.partitions)]
    assert entry["rows"] == case.rows
    assert isinstance(entry["upload_id"], int)
    if case.warnings is not None:
        assert places(entry["warnings"]) == sorted(case.warnings, key=place_key)
    for warning in entry["warnings"]:
        assert_german(warning["message"])

    with duckdb.connect(str(run.db), read_only=True) as connection:
        view = f"v_{case.source}"
        stored = connection.execute(f"SELECT count(*) FROM {view}").fetchone()
        assert stored == (case.rows,)
        uploads = connection.execute("SELECT upload_id FROM upload").fetchall()
        assert uploads == [(entry["upload_id"],)]
        for cell in case.cells:
            found = connection.execute(f'SELECT "{cell.column}" FROM {view} WHERE {cell.where}').fetchall()
            assert len(found) == 1, f"{cell.where}: {len(found)} rows"
            assert found[0][0] == cell.value, f"{cell.where}, {cell.column}: {found[0][0]!r} != {cell.value!r}"

    assert again["status"] == "unchanged"
    assert again["upload_id"] == entry["upload_id"]
    assert again["errors"] == []
    assert again["partitions"] == entry["partitions"]
    assert upload_count(run.db) == 1


@pytest.mark.parametrize("case", params(BAD_FILES))
def test_bad_file(case: BadFile, corpus_runs: dict[str, Future[CorpusRun]]) -> None:
    run = corpus_runs[case.path].result()
    result = run.result
    assert_no_personal_values(result.stdout, result.stderr)
    assert result.returncode == 1, describe_failure(result)
    entry = single_entry(result, case.path)
    assert entry["status"] == "rejected", entry
    assert entry["upload_id"] is None
    if case.source != ANY_SOURCE:
        assert entry["source"] == case.source
    found = places(entry["errors"])
    expected = sorted(case.errors, key=place_key)
    if case.complete:
        assert found == expected
    else:
        assert entry["errors"], "no error reported"
        assert set(expected) <= set(found), f"missing: {set(expected) - set(found)}"
    if case.rows is not None:
        assert entry["rows"] == case.rows
    if case.warnings is not None:
        assert places(entry["warnings"]) == sorted(case.warnings, key=place_key)
    for issue in entry["errors"] + entry["warnings"]:
        assert_german(issue["message"])
    if case.message is not None:
        messages = [issue["message"] for issue in entry["errors"]]
        assert any(re.search(case.message, m) for m in messages), messages
    assert upload_count(run.db) == 0
    assert not (run.db.parent / "archive").exists()

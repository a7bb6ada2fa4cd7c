"""(Re)create the sample deliveries under tests/files/good/ and tests/files/bad/.

Run from anywhere:  .venv/bin/python tests/files/make_files.py

Every file is written by one function call below, so a reviewer can see exactly what it holds.
The output is deterministic (byte for byte): spreadsheets get fixed timestamps inside the zip and
the random bytes come from a seeded generator. The expectations for each file live in
tests/loaders/test_ingest_files.py.

Personal data in the "bad" files is invented (Erika Mustermann, example.org, the documentation
IBAN DE89 3704 0044 0532 0130 00) and must never be quoted back by the loaders.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import shutil
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).resolve().parent
GOOD = HERE / "good"
BAD = HERE / "bad"

ZIP_TIME = (2026, 11, 1, 12, 0, 0)
CORE_TIME = "2026-11-01T12:00:00Z"
D = dt.date

Row = Sequence[object]


# --- writers ------------------------------------------------------------------------------


def write_csv(path: Path, rows: Sequence[Row], *, delimiter: str = ",", encoding: str = "utf-8") -> None:
    """A CSV file with \\r\\n line ends (as Excel writes them); cells are written as given."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
    path.write_bytes(buffer.getvalue().encode(encoding))


def write_xlsx(path: Path, sheets: dict[str, Sequence[Row]], *, text_columns: Sequence[int] = ()) -> None:
    """An .xlsx file with one sheet per entry. Dates become real date cells, numbers numbers;
    the 0-based ``text_columns`` are formatted as text ('@'), as for an AGS with a leading zero."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet: Worksheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for excel_row in sheet.iter_rows():
            for cell in excel_row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "DD.MM.YYYY"
                elif cell.column - 1 in text_columns and isinstance(cell.value, str):
                    cell.number_format = "@"
    workbook.properties.creator = "KIM Testdaten"
    workbook.properties.created = dt.datetime(2026, 11, 1, 12, 0, 0)
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(_deterministic_zip(buffer.getvalue()))


def _deterministic_zip(data: bytes) -> bytes:
    """The same zip with fixed entry times and a fixed 'modified' date in docProps/core.xml."""
    source = zipfile.ZipFile(io.BytesIO(data))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", CORE_TIME.encode(), content)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return target_buffer.getvalue()


# --- building blocks ----------------------------------------------------------------------

FALL_HEADER = [
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
]

# Compact case file for the bad examples: the required columns and those the rules look at.
CASE_HEADER = [
    "fall_id",
    "kommune",
    "monat",
    "anfrage",
    "fallbeginn",
    "erstkontakt",
    "fallende",
    "abschlussgrund",
    "zuzugsjahr",
    "handlungsfelder",
    "uebergaben",
    "uebergaben_erfolgreich",
]


def case(fall_id: str, **changes: str) -> list[str]:
    """A valid open case of Kamen in October 2026; ``changes`` override single cells."""
    row = {
        "fall_id": fall_id,
        "kommune": "05978020",
        "monat": "2026-10",
        "anfrage": "2026-09-01",
        "fallbeginn": "2026-09-08",
        "erstkontakt": "2026-09-10",
        "fallende": "",
        "abschlussgrund": "",
        "zuzugsjahr": "2023",
        "handlungsfelder": "sprache",
        "uebergaben": "1",
        "uebergaben_erfolgreich": "0",
    }
    unknown = set(changes) - set(row)
    assert not unknown, unknown
    row.update(changes)
    return [row[name] for name in CASE_HEADER]


ARBEITSMARKT = ["kommune", "monat", "arbeitslose_auslaendisch", "elb_auslaendisch", "integrationen_auslaendisch"]
AUSLAENDERBEHOERDE = [
    "kommune",
    "monat",
    "antraege_eingang",
    "antraege_entschieden",
    "bearbeitungstage_summe",
    "offene_verfahren",
    "aufenthaltsverfestigungen",
    "einbuergerungen",
]
SCHULE = ["kommune", "monat", "seiteneinsteiger_neu", "seiteneinsteiger_beschult_4w", "wartende_schulplatz"]
SPRACHE = ["kommune", "monat", "berechtigungen", "kurseintritte", "wartetage_summe", "pruefungen_dtz", "b1_erreicht"]
EHRENAMT = ["kommune", "monat", "ehrenamtliche_aktiv", "ehrenamtliche_neu", "tandems_aktiv", "einsatzstunden"]
BEVOELKERUNG = ["kommune", "monat", "einwohner", "auslaendisch", "auslaendisch_15_64", "zugewandert_5j"]
KENNZAHLEN = ["kommune", "monat", "kennzahl", "wert"]


# --- good files ---------------------------------------------------------------------------


def make_good() -> None:
    # Canonical case file: UTF-8, canonical header, codes and ISO dates.
    write_csv(
        GOOD / "fallmanagement_kanonisch.csv",
        [
            FALL_HEADER,
            ["BK-26-001", "05978004", "2026-10", "2026-09-15", "2026-09-20", "2026-09-22", "", "", "2023",
             "27-44", "w", "SGB II", "2", "jobcenter", "sprache;arbeit", "ja", "2", "1", "nein"],
            ["BK-26-002", "05978004", "2026-10", "2026-10-01", "2026-10-02", "2026-10-06", "2026-10-28",
             "ziel_erreicht", "2024", "18-26", "m", "SGB III", "1", "agentur_fuer_arbeit", "arbeit", "nein",
             "1", "1", "ja"],
            ["BK-26-003", "05978004", "2026-10", "", "2026-10-14", "", "", "", "2021", "45-64", "d", "AsylbLG",
             "3", "selbstmeldung", "wohnen, gesundheit", "", "0", "0", ""],
            ["BK-26-004", "05978004", "2026-10", "2026-07-20", "2026-08-01", "2026-08-03", "2026-09-25",
             "weitervermittelt", "2022", "27-44", "w", "SGB XII", "2", "sozialamt", "wohnen", "x", "1", "1",
             "nein"],
        ],
    )  # fmt: skip

    # Case export from a case-management tool: title row, header aliases, names of Kommunen,
    # German labels, several month forms, real date cells (one text date), an empty row and a
    # footnote below the table.
    write_xlsx(
        GOOD / "fallmanagement_export.xlsx",
        {
            "Fälle Oktober": [
                ["KIM Case Management – Fallliste Oktober 2026"],
                [],
                ["Fall-ID", "Stadt/Gemeinde", "Berichtsmonat", "Zuweisung am", "Aufnahme", "Erstgespräch",
                 "Abschluss", "Abschlussgrund", "Zuzug", "Altersgruppe", "Geschlecht", "Rechtskreis",
                 "Zugangsweg", "Handlungsfelder", "Ehrenamt eingebunden", "Übergaben", "Übergaben erfolgreich",
                 "Arbeit/Ausbildung aufgenommen"],
                ["FR-0101", "Fröndenberg", D(2026, 10, 1), D(2026, 8, 3), D(2026, 8, 10), D(2026, 8, 12),
                 D(2026, 10, 20), "Ziel erreicht", 2022, "27 bis 44", "weiblich", "SGB 2", "Jobcenter",
                 "Sprache; Arbeit und Ausbildung", "x", 2, 2, "ja"],
                ["LU-0007", "LÜNEN", "Okt 2026", D(2026, 9, 1), D(2026, 9, 4), D(2026, 9, 4), D(2026, 10, 9),
                 "Abbruch durch Klient/in", 2025, "18 bis 26", "männlich", "AsylbLG", "Ausländerbehörde",
                 "Aufenthalt", None, 1, 0, "nein"],
                [],
                ["BK-0042", "Stadt Bergkamen", "10/2026", None, D(2026, 10, 12), D(2026, 10, 19), None, None,
                 2024, "unter 18", "divers", "SGB VIII", "Jugendamt", "Bildung/Teilhabe", "ja", 0, 0, None],
                ["BK-0043", "5978004", "01.10.2026", "28.09.2026", "05.10.2026", "07.10.2026", None, None, 2023,
                 "65 und älter", "keine Angabe", "ohne Leistungsbezug", "Sozialamt", "Gesundheit", "nein", 1,
                 1, "nein"],
                ["Stand: 05.11.2026"],
            ]
        },
    )  # fmt: skip

    # An extra column 'Gemeindename' is no personal data: ignored with a warning.
    write_csv(
        GOOD / "fallmanagement_gemeindename.csv",
        [
            [*CASE_HEADER, "Gemeindename"],
            [*case("KA-0001"), "Kamen"],
            [*case("KA-0002", fallende="2026-10-15", abschlussgrund="weitervermittelt"), "Kamen"],
        ],
    )

    # Without kommune and monat columns: given with --kommune Selm --month 2026-10.
    write_csv(
        GOOD / "fallmanagement_ohne_kommune_monat.csv",
        [
            ["fall_id", "fallbeginn", "zuzugsjahr", "handlungsfelder", "uebergaben"],
            ["SE-0001", "2026-10-02", "2024", "wohnen", "0"],
            ["SE-0002", "2026-09-30", "2022", "arbeit;sprache", "2"],
        ],
    )

    # A text date with a two-digit year ('1.10.26' is agreed in the Datenlieferung).
    write_csv(
        GOOD / "fallmanagement_kurzes_jahr.csv",
        [
            CASE_HEADER,
            case("KA-0100", anfrage="28.09.26", fallbeginn="1.10.26", erstkontakt="2.10.26"),
        ],
    )

    write_csv(
        GOOD / "arbeitsmarkt_kanonisch.csv",
        [
            ARBEITSMARKT,
            ["05978004", "2026-10", "812", "1290", "14"],
            ["05978008", "2026-10", "210", "333", "3"],
            ["05978036", "2026-10", "1034", "1633", "22"],
        ],
    )

    # The previous month of arbeitsmarkt_kanonisch.csv (Bergkamen's unemployed jump by 4x after it).
    write_csv(
        GOOD / "arbeitsmarkt_vormonat.csv",
        [
            ARBEITSMARKT,
            ["05978004", "2026-09", "200", "1280", "13"],
        ],
    )

    # Both the name and the key of the Kommune (as many statistics tables have them): the second
    # Kommune column holds AGS like 05978004, which are no phone numbers.
    write_csv(
        GOOD / "arbeitsmarkt_gemeinde_und_schluessel.csv",
        [
            ["Gemeinde", "Gemeindeschlüssel", "Monat", "Arbeitslose Ausländer/innen", "eLb Ausländer",
             "Integrationen Ausländer/innen"],
            ["Bergkamen", "05978004", "2026-10", "812", "1290", "14"],
            ["Bönen", "05978008", "2026-10", "210", "333", "3"],
        ],
    )  # fmt: skip

    # More than five years back: accepted with a warning.
    write_csv(
        GOOD / "arbeitsmarkt_alt.csv",
        [
            ARBEITSMARKT,
            ["05978040", "2021-06", "402", "655", "9"],
        ],
    )

    # BA export: two title rows, 'AGS' as text, aliases, '10/2026', a suppressed cell, a footnote.
    write_xlsx(
        GOOD / "arbeitsmarkt_ba_export.xlsx",
        {
            "Arbeitsmarkt": [
                ["Statistik der Bundesagentur für Arbeit"],
                ["Arbeitslose und erwerbsfähige Leistungsberechtigte nach Staatsangehörigkeit – Kreis Unna"],
                [],
                ["AGS", "Monat", "Arbeitslose Ausländer/innen", "eLb Ausländer", "Integrationen (Ausländer)"],
                ["05978004", "10/2026", 812, 1290, 14],
                ["05978008", "10/2026", 210, 333, "*"],
                ["05978024", "10/2026", 1500, 2410, 31],
                [],
                ["* Aus Gründen der statistischen Geheimhaltung anonymisiert"],
            ]
        },
        text_columns=[0],
    )

    # The same with the Kreis total row, consistent with the sum of the Kommunen (no warning; the
    # suppressed column is not checked); the total is not stored.
    write_xlsx(
        GOOD / "arbeitsmarkt_kreissumme.xlsx",
        {
            "Arbeitsmarkt": [
                ["Statistik der Bundesagentur für Arbeit"],
                ["Arbeitslose und erwerbsfähige Leistungsberechtigte nach Staatsangehörigkeit – Kreis Unna"],
                [],
                ["AGS", "Monat", "Arbeitslose Ausländer/innen", "eLb Ausländer", "Integrationen (Ausländer)"],
                ["05978004", "10/2026", 812, 1290, 14],
                ["05978008", "10/2026", 210, 333, "*"],
                ["05978024", "10/2026", 1500, 2410, 31],
                ["Kreis Unna insgesamt", "10/2026", 2522, 4033, 47],
                [],
                ["* Aus Gründen der statistischen Geheimhaltung anonymisiert"],
            ]
        },
        text_columns=[0],
    )

    write_csv(
        GOOD / "auslaenderbehoerde_kanonisch.csv",
        [
            AUSLAENDERBEHOERDE,
            ["05978020", "2026-09", "41", "38", "2470", "112", "6", "9"],
            ["05978028", "2026-09", "35", "40", "2210", "97", "4", "11"],
        ],
    )

    # Aliases with brackets, 'Wohnort', 'Zeitraum', month names and '-' for zero.
    write_xlsx(
        GOOD / "auslaenderbehoerde_aliase.xlsx",
        {
            "Tabelle1": [
                ["Wohnort", "Zeitraum", "Eingegangene Anträge", "Entschiedene Anträge", "Bearbeitungstage (Summe)",
                 "Offene Verfahren", "Aufenthaltsverfestigungen (§§ 25a/25b/104c)", "Einbürgerungen"],
                ["Holzwickede", "Oktober 2026", 12, 10, 655, 31, "-", 2],
                ["Selm", "Oktober 2026", 19, 17, 1102, 44, 1, 3],
                ["Werne an der Lippe", "Oktober 2026", 23, 25, 1490, 52, 2, "–"],
            ]
        },
    )  # fmt: skip

    write_csv(
        GOOD / "schule_kanonisch.csv",
        [
            SCHULE,
            ["05978032", "2026-10", "9", "7", "3"],
            ["05978040", "2026-10", "6", "6", "0"],
        ],
    )

    # Schulamt list: month as a text date, names of Kommunen, an alias.
    write_xlsx(
        GOOD / "schule_schulamt.xlsx",
        {
            "Seiteneinsteiger": [
                ["Kommune", "Monat", "Seiteneinsteiger neu", "davon beschult innerhalb 4 Wochen",
                 "Wartende auf Schulplatz"],
                ["Unna", "01.10.2026", 14, 11, 5],
                ["Bönen", "01.10.2026", 4, 4, 1],
            ]
        },
    )  # fmt: skip

    # A total row ('Summe') whose first figure does not add up: stored with a warning.
    write_csv(
        GOOD / "schule_summe_abweichend.csv",
        [
            SCHULE,
            ["Unna", "2026-09", "14", "11", "5"],
            ["Bönen", "2026-09", "4", "4", "1"],
            ["Summe", "2026-09", "20", "15", "6"],
        ],
    )

    write_csv(
        GOOD / "sprache_kanonisch.csv",
        [
            SPRACHE,
            ["05978004", "2026-08", "31", "24", "1032", "18", "11"],
            ["05978004", "2026-09", "28", "26", "1170", "20", "13"],
            ["05978028", "2026-08", "22", "19", "798", "12", "8"],
            ["05978028", "2026-09", "25", "20", "860", "15", "9"],
        ],
    )

    write_csv(
        GOOD / "ehrenamt_kanonisch.csv",
        [
            EHRENAMT,
            ["05978024", "2026-10", "64", "5", "38", "312.5"],
            ["05978016", "2026-10", "12", "0", "7", "48"],
        ],
    )

    # Semicolon CSV from Excel (Windows-1252) with a title row, aliases, 'Okt 2026' and decimal
    # commas with a thousands dot.
    write_csv(
        GOOD / "ehrenamt_semikolon.csv",
        [
            ["Ehrenamtskoordination Kreis Unna – Oktober 2026", "", "", "", "", ""],
            ["Kommune", "Monat", "Aktive Ehrenamtliche", "Neue Ehrenamtliche", "Aktive Tandems",
             "Einsatzstunden (h)"],
            ["Fröndenberg/Ruhr", "Okt 2026", "48", "3", "21", "1.234,5"],
            ["Holzwickede", "Okt 2026", "17", "0", "9", "86,25"],
        ],
        delimiter=";",
        encoding="cp1252",
    )  # fmt: skip

    # A year alone is December of that year.
    write_csv(
        GOOD / "bevoelkerung_kanonisch.csv",
        [
            BEVOELKERUNG,
            ["05978004", "2025", "48611", "9012", "6650", "2981"],
            ["05978036", "2025", "58790", "8430", "6102", "2755"],
        ],
    )

    # IT.NRW-style table: 'Gemeindeschlüssel' as text, 'Stichtag' as a date cell, aliases.
    write_xlsx(
        GOOD / "bevoelkerung_itnrw.xlsx",
        {
            "Bevölkerung": [
                ["Gemeindeschlüssel", "Stichtag", "Einwohner", "Ausländer/innen", "Ausländer/innen 15–64 Jahre",
                 "Zugewandert (5 Jahre)"],
                ["05978012", D(2026, 6, 30), 20877, 2311, 1702, 688],
                ["05978016", D(2026, 6, 30), 17402, 1655, 1190, 503],
                ["05978040", D(2026, 6, 30), 29588, 2870, 2104, 911],
            ]
        },
        text_columns=[0],
    )  # fmt: skip

    write_csv(
        GOOD / "kennzahlen_kanonisch.csv",
        [
            KENNZAHLEN,
            ["05978004", "2026-10", "E01", "37"],
            ["05978004", "2026-10", "E02", "112"],
            ["05978020", "2026-10", "E01", "14.5"],
        ],
    )

    write_xlsx(
        GOOD / "kennzahlen_lang.xlsx",
        {
            "Kennzahlen": [
                ["Gemeinde", "Monat", "Kennzahl", "Wert"],
                ["Schwerte", "2026-09", "e01", 21],
                ["Schwerte", "2026-09", "E02", 7.5],
                ["Selm", "2026-09", "E02", "1.203"],
            ]
        },
    )

    # Without a month column: given with --month 2026-10.
    write_csv(
        GOOD / "schule_ohne_monat.csv",
        [
            ["Kommune", "Seiteneinsteiger neu", "Beschult innerhalb 4 Wochen", "Wartende auf Schulplatz"],
            ["Kamen", "5", "4", "2"],
        ],
    )


# --- bad files ----------------------------------------------------------------------------


def make_bad() -> None:
    # A required column ('Aufnahme' = fallbeginn) is missing; the header is in row 2.
    write_xlsx(
        BAD / "pflichtspalte_fehlt.xlsx",
        {
            "Fälle": [
                ["Fallliste Kamen Oktober 2026"],
                ["Fall-ID", "Kommune", "Monat", "Zuzug", "Handlungsfelder"],
                ["KA-0001", "Kamen", "2026-10", 2023, "Sprache"],
            ]
        },
    )

    write_csv(
        BAD / "kommune_unbekannt.csv",
        [
            ARBEITSMARKT,
            ["05978004", "2026-10", "812", "1290", "14"],
            [],
            ["Dortmund", "2026-10", "5120", "8001", "77"],
        ],
    )

    write_csv(
        BAD / "kategorie_unbekannt.csv",
        [CASE_HEADER, case("KA-0001", fallende="2026-10-20", abschlussgrund="erledigt")],
    )

    write_csv(
        BAD / "anzahl_negativ.csv",
        [
            SCHULE,
            ["05978032", "2026-10", "9", "7", "-3"],
        ],
    )

    write_csv(
        BAD / "uebergaben_erfolgreich_zu_gross.csv",
        [
            CASE_HEADER,
            case("KA-0001"),
            case("KA-0002", uebergaben="1", uebergaben_erfolgreich="2"),
        ],
    )

    write_csv(
        BAD / "erstkontakt_vor_anfrage.csv",
        [CASE_HEADER, case("KA-0001", anfrage="2026-09-15", fallbeginn="2026-09-16", erstkontakt="2026-09-10")],
    )

    write_csv(
        BAD / "fallende_vor_fallbeginn.csv",
        [CASE_HEADER, case("KA-0001", fallbeginn="2026-10-10", fallende="2026-10-05", abschlussgrund="sonstiges")],
    )

    write_csv(BAD / "fallbeginn_nach_monatsende.csv", [CASE_HEADER, case("KA-0001", fallbeginn="2026-11-03")])

    write_csv(
        BAD / "fallende_ohne_abschlussgrund.csv",
        [CASE_HEADER, case("KA-0001"), case("KA-0002", fallende="2026-10-21")],
    )

    write_csv(
        BAD / "monat_in_zukunft.csv",
        [
            ARBEITSMARKT,
            ["05978004", "2027-01", "812", "1290", "14"],
            ["05978008", "2027-01", "210", "333", "3"],
        ],
    )

    write_csv(
        BAD / "monat_unlesbar.csv",
        [
            EHRENAMT,
            ["05978024", "Herbst 2026", "64", "5", "38", "312"],
        ],
    )

    write_csv(BAD / "datum_unlesbar.csv", [CASE_HEADER, case("KA-0001", fallbeginn="31.09.2026")])

    write_csv(
        BAD / "keine_zahl.csv",
        [
            SPRACHE,
            ["05978004", "2026-09", "28", "viele", "1170", "20", "13"],
        ],
    )

    write_csv(
        BAD / "keine_ganze_zahl.csv",
        [
            AUSLAENDERBEHOERDE,
            ["05978020", "2026-09", "41", "38", "2470", "112", "6", "9"],
            ["05978028", "2026-09", "35", "40", "2210", "97", "4", "2,5"],
        ],
        delimiter=";",
    )

    # KA-0002 twice in Kamen (row 4 is the duplicate); the same Fall-ID in Unna is no duplicate.
    write_csv(
        BAD / "fall_id_doppelt.csv",
        [
            CASE_HEADER,
            case("KA-0002"),
            case("KA-0003"),
            case("KA-0002", fallbeginn="2026-09-20"),
            case("KA-0002", kommune="05978036"),
        ],
    )

    # Bergkamen twice for October (once by name, once by AGS, after an empty row: Excel row 5);
    # the row for 2026-09 is fine.
    write_xlsx(
        BAD / "kommune_monat_doppelt.xlsx",
        {
            "Ehrenamt": [
                ["Kommune", "Monat", "Ehrenamtliche aktiv", "Ehrenamtliche neu", "Tandems aktiv", "Einsatzstunden"],
                ["Bergkamen", "2026-10", 40, 2, 18, 210.5],
                ["Bergkamen", "2026-09", 39, 1, 18, 190],
                [],
                ["05978004", "2026-10", 41, 3, 19, 215],
            ]
        },
        text_columns=[0],
    )

    write_csv(
        BAD / "spalte_name.csv",
        [
            ["Name", *CASE_HEADER],
            ["Erika Mustermann", *case("KA-0001")],
        ],
    )

    write_xlsx(
        BAD / "spalte_geburtsdatum.xlsx",
        {
            "Fälle": [
                ["Fallliste Kamen"],
                [*CASE_HEADER, "Geburtsdatum"],
                [*case("KA-0001"), D(1987, 3, 14)],
            ]
        },
    )

    write_csv(
        BAD / "spalte_e_mail.csv",
        [
            [*CASE_HEADER, "E-Mail"],
            [*case("KA-0001"), "erika.mustermann@example.org"],
        ],
    )

    write_csv(
        BAD / "spalte_strasse.csv",
        [
            [*CASE_HEADER, "Straße"],
            [*case("KA-0001"), "Hauptstraße 12"],
        ],
        delimiter=";",
        encoding="cp1252",
    )

    write_csv(
        BAD / "email_in_bemerkung.csv",
        [
            [*CASE_HEADER, "Bemerkung"],
            [*case("KA-0001"), "Sprachkurs ab November"],
            [*case("KA-0002"), "erika.mustermann@example.org"],
        ],
    )

    write_csv(
        BAD / "telefon_in_hinweis.csv",
        [
            [*ARBEITSMARKT, "Hinweis"],
            ["05978004", "2026-10", "812", "1290", "14", "Rückfragen an das Jobcenter"],
            ["05978008", "2026-10", "210", "333", "3", "0171 2345678"],
        ],
    )

    write_csv(
        BAD / "iban_in_notiz.csv",
        [
            [*EHRENAMT, "Notiz"],
            ["05978024", "2026-10", "64", "5", "38", "312", "DE89 3704 0044 0532 0130 00"],
        ],
    )

    # An e-mail address inside free text in an extra column.
    write_csv(
        BAD / "email_im_freitext.csv",
        [
            [*CASE_HEADER, "Bemerkung"],
            [*case("KA-0001"), "Kontakt über erika.mustermann@example.org"],
        ],
    )

    # An e-mail address where a Kommune belongs: an unknown Kommune, never quoted.
    write_csv(
        BAD / "kommune_ist_email.csv",
        [
            SCHULE,
            ["erika.mustermann@example.org", "2026-10", "9", "7", "3"],
        ],
    )

    (BAD / "kein_excel.xlsx").write_bytes(random.Random(20261125).randbytes(4096))
    (BAD / "leer.csv").write_bytes(b"")

    # The current year alone: December 2026 lies in the future (the Stichtag must be given).
    write_csv(
        BAD / "bevoelkerung_laufendes_jahr.csv",
        [
            BEVOELKERUNG,
            ["05978004", "2026", "48700", "9100", "6700", "3010"],
        ],
    )

    # A wide layout with one column per month must be rejected with a message that says so.
    write_xlsx(
        BAD / "arbeitsmarkt_breit.xlsx",
        {
            "Arbeitslose Ausländer": [
                ["Arbeitslose Ausländer/innen nach Monaten"],
                ["Kommune", "Juli 2026", "August 2026", "September 2026", "Oktober 2026"],
                ["Bergkamen", 790, 801, 806, 812],
                ["Bönen", 205, 207, 209, 210],
            ]
        },
    )

    # Several problems at once; every one must be reported.
    write_csv(
        BAD / "mehrere_fehler.csv",
        [
            CASE_HEADER,
            case("KA-0001", kommune="Dortmund"),  # row 2: unknown Kommune
            case("KA-0002", uebergaben="-1", uebergaben_erfolgreich=""),  # row 3: negative count
            case("KA-0003", fallbeginn="2026-13-01"),  # row 4: no date
            case("KA-0002"),  # row 5: duplicate of row 3
            case("KA-0004", monat="2027-01"),  # row 6: month in the future
            case("KA-0005", fallende="2026-10-12"),  # row 7: Fallende without Abschlussgrund
            case("KA-0006", fallende="2026-10-12", abschlussgrund="fertig"),  # row 8: unknown category
            case("KA-0007", handlungsfelder=""),  # row 9: required value missing
        ],
    )


def _bad_several_sheets() -> None:
    """Workbooks delivering on several sheets, rejected as a whole: nothing of them is stored."""
    header = ["Kommune", "Monat", "Arbeitslose Ausländer", "eLb Ausländer", "Integrationen (Ausländer)"]
    # Werne for October on both sheets (a corrected copy added beside the original).
    write_xlsx(
        BAD / "arbeitsmarkt_blaetter_doppelt.xlsx",
        {
            "Okt 2026": [header, ["Selm", "10/2026", 305, 482, 6], ["Werne", "10/2026", 268, 433, 5]],
            "Okt 2026 korrigiert": [header, ["Werne", "10/2026", 269, 433, 5]],
        },
    )

    # September is fine; October has a negative figure in row 3: the whole file is rejected.
    header = ["Kommune", "Monat", "Seiteneinsteiger neu", "Beschult innerhalb 4 Wochen", "Wartende auf Schulplatz"]
    write_xlsx(
        BAD / "schule_ein_blatt_fehlerhaft.xlsx",
        {
            "Sep 2026": [header, ["Kamen", "2026-09", 8, 6, 4], ["Selm", "2026-09", 4, 3, 1]],
            "Okt 2026": [header, ["Kamen", "2026-10", 7, 6, 3], ["Selm", "2026-10", 5, 4, -2]],
        },
    )

    # Two sources in one workbook: one upload holds one source.
    write_xlsx(
        BAD / "zwei_quellen_eine_mappe.xlsx",
        {
            "Arbeitsmarkt": [
                ["Kommune", "Monat", "Arbeitslose Ausländer", "eLb Ausländer", "Integrationen (Ausländer)"],
                ["Selm", "10/2026", 305, 482, 6],
            ],
            "Schule": [header, ["Selm", "10/2026", 5, 4, 2]],
        },
    )


# --- what hides beside the table, and numbers that must not get lost ------------------------
#
# Personal data in places the table check does not see (hidden and very hidden sheets, a notes
# sheet, a footnote, cell comments of every kind, the Fall-ID itself), Excel error cells, formulas
# and numbers too large to store: each file is rejected with the place of each problem. The good
# file beside them holds what must still pass (codes, AGS, dates, German numbers in notes, a
# harmless comment, a hidden helper sheet, a formula in the Kreis total row).

CASE_SHEET_HEADER = ["Fall-ID", "Kommune", "Monat", "Aufnahme", "Zuzug", "Handlungsfelder", "Übergaben"]


def case_sheet(*extra: Row) -> list[Row]:
    """A small valid case sheet of Kamen, October 2026 (header in row 1, cases in rows 2 and 3)."""
    return [
        CASE_SHEET_HEADER,
        ["KA-2026-0041", "Kamen", "2026-10", D(2026, 10, 2), 2023, "Sprache", 1],
        ["KA-2026-0042", "Kamen", "2026-10", D(2026, 10, 9), 2024, "Arbeit", 0],
        *extra,
    ]


def rewrite_zip(path: Path, changes: dict[str, object]) -> None:
    """Change parts of a written workbook: a part's new bytes, a function of its old bytes, or new
    parts (any name not in the file); written back deterministically."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    for name, change in changes.items():
        parts[name] = change(parts[name]) if callable(change) else change  # type: ignore[assignment]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, bytes(content))  # type: ignore[arg-type]
    path.write_bytes(buffer.getvalue())


def write_workbook(path: Path, workbook: openpyxl.Workbook) -> None:
    workbook.properties.creator = "KIM Testdaten"
    workbook.properties.created = dt.datetime(2026, 11, 1, 12, 0, 0)
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(_deterministic_zip(buffer.getvalue()))


def case_workbook(*extra_sheets: tuple[str, Sequence[Row], str]) -> openpyxl.Workbook:
    """The case sheet 'Fälle' plus further sheets (name, rows, state: visible/hidden/veryHidden)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows, state in (("Fälle", case_sheet(), "visible"), *extra_sheets):
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        sheet.sheet_state = state
    return workbook


THREADED_COMMENT = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
    b'<threadedComment ref="F3" dT="2026-11-01T12:00:00.00" personId="{00000000-0000-0000-0000-000000000001}" '
    b'id="{00000000-0000-0000-0000-000000000002}"><text>R\xc3\xbcckruf Klientin: Tel. 0171 2345678</text>'
    b"</threadedComment></ThreadedComments>"
)
SHEET_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2017/10/relationships/threadedComment" '
    b'Target="../threadedComments/threadedComment1.xml"/></Relationships>'
)


def _bad_beside_the_table() -> None:
    from openpyxl.comments import Comment

    # Names and phone numbers on a hidden sheet beside a valid case sheet.
    write_workbook(
        BAD / "namen_ausgeblendetes_blatt.xlsx",
        case_workbook(("Kontakte", [["Fall", "Kontakt"], ["KA-2026-0041", "Erika Mustermann 0171 2345678"]], "hidden")),
    )
    # A labelled name on a very hidden sheet (only a macro can show it).
    write_workbook(
        BAD / "name_sehr_versteckt.xlsx",
        case_workbook(("Intern", [["Name: Erika Mustermann"]], "veryHidden")),
    )
    # A visible notes sheet naming a client with her phone number.
    write_workbook(
        BAD / "telefon_im_hinweisblatt.xlsx",
        case_workbook(
            ("Hinweise", [["Stand: 31.10.2026"], [None, "Rückfragen zu KA-2026-0042: 0171 2345678"]], "visible")
        ),
    )
    # A note (cell comment) on a Fall-ID.
    workbook = case_workbook()
    workbook["Fälle"]["A3"].comment = Comment("Frau Mustermann, geb. 14.03.1987", "KI")
    write_workbook(BAD / "kommentar_mit_name.xlsx", workbook)
    # A threaded comment (Excel 365) with a phone number, on the Handlungsfelder of row 3.
    path = BAD / "kommentar_verlauf_telefon.xlsx"
    write_workbook(path, case_workbook())
    rewrite_zip(
        path,
        {
            "xl/threadedComments/threadedComment1.xml": THREADED_COMMENT,
            "xl/worksheets/_rels/sheet1.xml.rels": SHEET_RELS,
            "[Content_Types].xml": lambda data: data.replace(
                b"</Types>",
                b'<Override PartName="/xl/threadedComments/threadedComment1.xml" '
                b'ContentType="application/vnd.ms-excel.threadedcomments+xml"/></Types>',
            ),
        },
    )
    # An annotation (comment) of an OpenDocument spreadsheet with a phone number.
    path = BAD / "kommentar_ods_telefon.ods"
    write_ods(path, {"Fälle": MessySheet(case_sheet())})
    rewrite_zip(
        path,
        {
            "content.xml": lambda data: data.replace(
                b"<text:p>KA-2026-0042</text:p>",
                b"<office:annotation><text:p>Tel. 0171 2345678</text:p></office:annotation><text:p>KA-2026-0042</text:p>",
                1,
            )
        },
    )
    # A phone number in a footnote below the table (footnotes are dropped from the table).
    write_csv(
        BAD / "telefon_in_fussnote.csv",
        [ARBEITSMARKT, ["05978004", "2026-10", "812", "1290", "14"], [], ["Rückfragen: 0171 2345678"]],
    )
    # An e-mail address and names where the Fall-ID belongs (the declared column itself).
    write_csv(
        BAD / "email_in_fall_id.csv",
        [CASE_HEADER, case("KA-2026-0001"), case("erika.mustermann@example.org")],
    )
    write_csv(
        BAD / "name_in_fall_id.csv",
        [
            CASE_HEADER,
            case("SEL-2026-0042"),
            case("Erika Mustermann 0171 2345678"),
            case("Mustermann, Erika"),
            case("Name: Mustermann"),
        ],
    )


def _bad_numbers() -> None:
    # A count beyond BIGINT, one beyond what the parser holds, one above the plausible bound.
    write_csv(
        BAD / "anzahl_riesig.csv",
        [
            ARBEITSMARKT,
            ["05978004", "2026-10", "99999999999999999999", "1290", "14"],
            ["05978008", "2026-10", "210", "9876543210987654321098765432109876543210", "3"],
            ["05978012", "2026-10", "201", "333", "1.000.000.000.000"],
        ],
    )
    # A decimal beyond DECIMAL(18,3).
    write_csv(BAD / "dezimal_riesig.csv", [EHRENAMT, ["05978024", "2026-10", "64", "5", "38", "987654321098765432"]])
    # The same as a number cell of a workbook (a float 1e20).
    write_xlsx(
        BAD / "anzahl_riesig.xlsx",
        {"Okt": [["Kommune", "Monat", "Arbeitslose Ausländer", "eLb Ausländer", "Integrationen (Ausländer)"],
                 ["Selm", "10/2026", 1e20, 482, 6]]},
    )  # fmt: skip
    # Excel error cells where numbers belong (calamine reads them as empty cells).
    header = ["Kommune", "Monat", "Seiteneinsteiger neu", "Beschult innerhalb 4 Wochen", "Wartende auf Schulplatz"]
    write_xlsx(
        BAD / "fehlerwerte.xlsx",
        {
            "Schule": [
                header,
                ["Kamen", "2026-10", 7, "#DIV/0!", 3],
                ["Selm", "2026-10", "#NUM!", 4, "#N/A"],
                ["Werne", "2026-10", "#VALUE!", "#REF!", "#NAME?"],
                ["Unna", "2026-10", 9, 8, 1],
            ]
        },
    )
    # Formulas with their last calculated values (as Excel saves them) where numbers belong.
    path = BAD / "formeln.xlsx"
    write_xlsx(
        path,
        {"Schule": [header, ["Kamen", "2026-10", 7, "=B9", 3], ["Selm", "2026-10", "=2*3", 4, 1]]},
    )
    rewrite_zip(
        path,
        {
            "xl/worksheets/sheet1.xml": lambda data: data.replace(b"<f>B9</f><v></v>", b"<f>B9</f><v>6</v>").replace(
                b"<f>2*3</f><v></v>", b"<f>2*3</f><v>6</v>"
            )
        },
    )


def _good_beside_the_table() -> None:
    """What must pass: codes, AGS, dates and German numbers in notes, a harmless comment, a hidden
    helper sheet, a formula in the Kreis total row (only compared, never stored)."""
    from openpyxl.comments import Comment

    header = ["Kommune", "Monat", "Seiteneinsteiger neu", "Beschult innerhalb 4 Wochen", "Wartende auf Schulplatz"]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Schule"
    for row in (
        ["Seiteneinsteiger Oktober 2026 – Stand: 05.11.2026"],
        header,
        ["Kamen", "2026-10", 7, 6, 3],
        ["05978032", "2026-10", 5, 4, 2],
        ["Kreis Unna", "2026-10", "=SUM(C3:C4)", 10, 5],
        ["Quelle: Schulamt für den Kreis Unna, Aktenzeichen 40.1-2026/0042, Tabelle 1.234,5"],
    ):
        sheet.append(row)
    sheet["C3"].comment = Comment("Wert geschätzt, Nachmeldung folgt am 15.11.2026", "Schulamt")
    notes = workbook.create_sheet("Hinweise")
    for row in (
        ["Kennzahlen nach Erlass 2026-10; Rückfragen über das Funktionspostfach des Schulamts"],
        ["AGS 05978020", "Fall SEL-2026-0042", "Stand 31.10.2026", "Summe 1.234,56", "Anteil 12,5 %"],
        ["Frauen und Männer zusammen", "Name der Datei: schule.xlsx", "Stand: 31.10.2026"],
    ):
        notes.append(row)
    helper = workbook.create_sheet("Listen")
    helper.append(["Kamen", "Selm", "Unna"])
    helper.sheet_state = "hidden"
    path = GOOD / "schule_mit_hinweisen.xlsx"
    write_workbook(path, workbook)
    rewrite_zip(
        path,
        {
            "xl/worksheets/sheet1.xml": lambda data: data.replace(
                b"<f>SUM(C3:C4)</f><v></v>", b"<f>SUM(C3:C4)</f><v>12</v>"
            )
        },
    )
    # A case file whose Fall-IDs and free text look like much but are no personal data.
    write_csv(
        GOOD / "fallmanagement_kennungen.csv",
        [
            [*CASE_HEADER, "Bemerkung"],
            [*case("SEL-2026-0042", kommune="05978032"), "Sprachkurs ab 01.11.2026, Stufe B1"],
            [*case("05978032-0043", kommune="05978032"), "Kosten 1.234,50 EUR; Az. 40.1-2026/0042"],
            [*case("P 4711", kommune="05978032"), "Frauen- und Männergruppe"],
        ],
    )


def main() -> None:
    for folder in (GOOD, BAD):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    make_good()
    make_bad()
    _bad_several_sheets()
    _bad_beside_the_table()
    _bad_numbers()
    _good_beside_the_table()
    for folder in (GOOD, BAD):
        print(f"{folder.relative_to(HERE.parent.parent)}: {len(list(folder.iterdir()))} Dateien")


# --- messy real-looking deliveries (tests/files/messy/) -----------------------------------
#
# The Toleranz list of docs/datenlieferung.md#toleranz, file by file: old and new Excel, OpenDocument, CSV
# and text files in every agreed separator and encoding; title, note and footnote rows, empty
# rows and columns, merged and hidden cells, the table on another sheet; header and Kommune
# spellings; every month form; German numbers and dates; official-statistics symbols; Kreis
# total rows. The expectations (exactly what is stored) live in tests/loaders/test_tolerance.py.
#
# .xls files are written with xlwt and .ods files with odfpy (dev-only dependencies, needed only
# to regenerate the files, not to run the tests).

MESSY = HERE / "messy"
DT = dt.datetime


@dataclass(frozen=True)
class MessySheet:
    """One sheet: rows of cells, plus ``merged`` ranges (0-based row, first and last column, the
    value in the first cell), 0-based ``hidden`` columns and ``text_columns`` formatted as text."""

    rows: Sequence[Row]
    merged: tuple[tuple[int, int, int], ...] = ()
    hidden: tuple[int, ...] = ()
    text_columns: tuple[int, ...] = ()


def write_messy_xlsx(path: Path, sheets: dict[str, MessySheet], *, macro_enabled: bool = False) -> None:
    """An .xlsx (or, with ``macro_enabled``, an .xlsm as Excel saves a macro workbook) with merged
    title cells, hidden columns, wrapped header cells, date and date-time cells."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, spec in sheets.items():
        sheet: Worksheet = workbook.create_sheet(name)
        for row in spec.rows:
            sheet.append(list(row))
        for excel_row in sheet.iter_rows():
            for cell in excel_row:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = "DD.MM.YYYY hh:mm"
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "DD.MM.YYYY"
                elif isinstance(cell.value, str):
                    if cell.column - 1 in spec.text_columns:
                        cell.number_format = "@"
                    if "\n" in cell.value:
                        cell.alignment = Alignment(wrap_text=True)
        for row_index, first, last in spec.merged:
            sheet.merge_cells(
                start_row=row_index + 1, start_column=first + 1, end_row=row_index + 1, end_column=last + 1
            )
        for column in spec.hidden:
            sheet.column_dimensions[get_column_letter(column + 1)].hidden = True
    workbook.properties.creator = "KIM Testdaten"
    workbook.properties.created = dt.datetime(2026, 11, 1, 12, 0, 0)
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = _deterministic_zip(buffer.getvalue())
    if macro_enabled:
        data = _as_macro_workbook(data)
    path.write_bytes(data)


def _as_macro_workbook(data: bytes) -> bytes:
    """The content type Excel gives the workbook part of an .xlsm (a macro workbook without macros)."""
    plain = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    macro = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    source = zipfile.ZipFile(io.BytesIO(data))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                assert plain in content
                content = content.replace(plain, macro)
            target.writestr(info, content)
    return target_buffer.getvalue()


def write_xls(path: Path, sheets: dict[str, MessySheet]) -> None:
    """An old Excel 97-2003 workbook (BIFF8) written with xlwt: numbers, text, date cells, merged
    title cells and hidden columns. xlwt writes no timestamp, so the bytes are reproducible."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    wrapped = xlwt.easyxf("align: wrap on")
    for name, spec in sheets.items():
        sheet = workbook.add_sheet(name)
        merged = {(r, first): last for r, first, last in spec.merged}
        for r, row in enumerate(spec.rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if (r, c) in merged:
                    sheet.write_merge(r, r, c, merged[(r, c)], value)
                elif isinstance(value, dt.date):
                    sheet.write(r, c, value, date_style)
                elif isinstance(value, str) and "\n" in value:
                    sheet.write(r, c, value, wrapped)
                else:
                    sheet.write(r, c, value)
        for column in spec.hidden:
            sheet.col(column).hidden = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())


def write_ods(path: Path, sheets: dict[str, MessySheet]) -> None:
    """An OpenDocument spreadsheet written with odfpy: typed cells (float, date, string), merged
    cells (spanned plus covered cells) and hidden columns; the zip made reproducible."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    for name, spec in sheets.items():
        table = Table(name=name)
        width = max(len(row) for row in spec.rows)
        for column in range(width):
            table.addElement(TableColumn(visibility="collapse" if column in spec.hidden else "visible"))
        merged = {(r, first): last for r, first, last in spec.merged}
        for r, row in enumerate(spec.rows):
            table_row = TableRow()
            c = 0
            while c < len(row):
                value = row[c]
                span = merged.get((r, c), c) - c + 1
                attributes: dict[str, object] = {"numbercolumnsspanned": span} if span > 1 else {}
                if value is None:
                    cell = TableCell(**attributes)
                elif isinstance(value, dt.date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat(), **attributes)
                    cell.addElement(P(text=value.strftime("%d.%m.%Y")))
                elif isinstance(value, int | float):
                    cell = TableCell(valuetype="float", value=value, **attributes)
                    cell.addElement(P(text=str(value).replace(".", ",")))
                else:
                    cell = TableCell(valuetype="string", **attributes)
                    cell.addElement(P(text=str(value)))
                table_row.addElement(cell)
                for _ in range(span - 1):
                    table_row.addElement(CoveredTableCell())
                c += span
            table.addElement(table_row)
        document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_deterministic_ods(buffer.getvalue()))


def _deterministic_ods(data: bytes) -> bytes:
    """The same OpenDocument zip with fixed entry times; 'mimetype' stays first and uncompressed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, source.read(info.filename))
    return target_buffer.getvalue()


def make_messy() -> None:
    _messy_formats()
    _messy_layout()
    _messy_headers_and_kommunen()
    _messy_months()
    _messy_values()
    _messy_kreis_rows()
    _messy_kreis_names_and_long_format()
    _messy_several_sheets()


def _messy_formats() -> None:
    # Old Excel (.xls) from the Jobcenter: title and note rows, line breaks in the headers, AGS as
    # numbers without the leading zero, the month as a date cell, one number stored as text, a
    # Kreis total by its key (5978, a number) that matches, a footnote.
    write_xls(
        MESSY / "arbeitsmarkt_altes_excel.xls",
        {
            "Tabelle1": MessySheet(
                [
                    ["Arbeitsmarkt nach Staatsangehörigkeit – Jobcenter Kreis Unna"],
                    ["Berichtsmonat Oktober 2026, Datenstand 05.11.2026"],
                    [],
                    ["AGS", "Monat", "Arbeitslose\nAusländer/innen", "eLb\nAusländer/innen", "Integrationen\n(Ausländer)"],
                    [5978004, D(2026, 10, 1), 812, 1290, 14],
                    [5978008, D(2026, 10, 1), 210, "333", 3],
                    [5978020, D(2026, 10, 1), 655, 1044, 11],
                    [5978, D(2026, 10, 1), 1677, 2667, 28],
                    [],
                    ["Quelle: Statistik der Bundesagentur für Arbeit"],
                ],
                merged=((0, 0, 4),),
            )
        },
    )  # fmt: skip

    # OpenDocument from LibreOffice: a cover sheet first, the table on the second sheet below a
    # merged title cell; date cells, a name with the kind of Kommune, '–' for zero.
    write_ods(
        MESSY / "schule_libreoffice.ods",
        {
            "Deckblatt": MessySheet(
                [
                    ["Schulamt für den Kreis Unna"],
                    ["Seiteneinsteigerinnen und Seiteneinsteiger – Monatsmeldung"],
                    [],
                    ["Die Meldung steht im Blatt 'Meldung'."],
                ]
            ),
            "Meldung": MessySheet(
                [
                    ["Seiteneinsteiger Oktober 2026", None, None, None, None],
                    ["Gemeinde", "Monat", "Seiteneinsteiger neu", "davon beschult innerhalb 4 Wochen",
                     "Wartende auf Schulplatz"],
                    ["Gemeinde Bönen", D(2026, 10, 1), 4, 4, "–"],
                    ["Fröndenberg", D(2026, 10, 1), 6, 5, 1],
                    ["Werne an der Lippe", D(2026, 10, 1), 9, 7, 3],
                ],
                merged=((0, 0, 4),),
            ),
        },
    )  # fmt: skip

    # A macro workbook (.xlsm): unit in brackets, a decimal number cell and a decimal comma as text.
    write_messy_xlsx(
        MESSY / "ehrenamt_mit_makros.xlsm",
        {
            "Meldung": MessySheet(
                [
                    ["Ehrenamtskoordination im Kreis Unna"],
                    [],
                    ["Kommune", "Monat", "Aktive Ehrenamtliche", "Neue Ehrenamtliche", "Aktive Tandems",
                     "Einsatzstunden (h)"],
                    ["Kamen", "Okt 2026", 52, 4, 27, 312.5],
                    ["Selm", "Okt 2026", 31, 0, 14, "86,25"],
                    ["Unna", "Okt 2026", 77, 6, 40, 540],
                ]
            )
        },
        macro_enabled=True,
    )  # fmt: skip

    # Tab-separated text file, UTF-8 without BOM, a title line, '202610', a thousands dot.
    write_csv(
        MESSY / "sprache_tabulator.txt",
        [
            ["Integrationskurse im Kreis Unna – Oktober 2026"],
            ["Gemeindeschlüssel", "Berichtsmonat", "Berechtigungen", "Kurseintritte", "Wartetage (Summe)",
             "Prüfungen DTZ", "B1 erreicht"],
            ["05978016", "202610", "9", "7", "329", "5", "3"],
            ["05978028", "202610", "22", "19", "1.034", "12", "8"],
        ],
        delimiter="\t",
    )  # fmt: skip

    # Comma-separated, UTF-8 with BOM, umlauts in the headers, thousands dots.
    write_csv(
        MESSY / "auslaenderbehoerde_utf8_bom.csv",
        [
            ["Wohnort", "Zeitraum", "Anträge Eingang", "Anträge entschieden", "Summe Bearbeitungstage",
             "Offene Verfahren", "Aufenthaltsverfestigungen", "Einbürgerungen"],
            ["Lünen", "10/2026", "96", "88", "5.412", "1.043", "7", "19"],
            ["Schwerte", "10/2026", "41", "40", "2.210", "97", "4", "11"],
        ],
        encoding="utf-8-sig",
    )  # fmt: skip

    # Semicolon CSV in Windows-1252 from the Agentur für Arbeit: a title row, umlauts everywhere.
    write_csv(
        MESSY / "arbeitsmarkt_windows1252.csv",
        [
            ["Arbeitslose Ausländer/innen nach Gemeinden – Agentur für Arbeit Hamm", "", "", "", ""],
            ["Gemeinde", "Monat", "Arbeitslose Ausländer/innen", "eLb Ausländer/innen",
             "Integrationen Ausländer/innen"],
            ["Bönen", "2026-09", "207", "331", "4"],
            ["Fröndenberg/Ruhr", "2026-09", "244", "390", "6"],
            ["Lünen", "2026-09", "1.498", "2.397", "29"],
        ],
        delimiter=";",
        encoding="cp1252",
    )  # fmt: skip

    # A .txt with semicolons in Windows-1252: decimal comma, thousands dot, a lower-case code.
    write_csv(
        MESSY / "kennzahlen_export.txt",
        [
            ["Gemeinde", "Monat", "Kennzahl", "Wert"],
            ["Holzwickede", "Oktober 2026", "E01", "14,5"],
            ["Holzwickede", "Oktober 2026", "e02", "1.203"],
            ["Bönen", "Oktober 2026", "E01", "1.234,5"],
        ],
        delimiter=";",
        encoding="cp1252",
    )

    # Comma-separated UTF-8 whose decimal commas are quoted (as LibreOffice writes them).
    write_csv(
        MESSY / "ehrenamt_komma.csv",
        [
            ["Kommune", "Monat", "Ehrenamtliche aktiv", "Ehrenamtliche neu", "Tandems aktiv", "Einsatzstunden"],
            ["Werne", "2026-10", "48", "3", "21", "1.234,5"],
            ["Schwerte", "2026-10", "63", "2", "35", "410,75"],
        ],
    )


def _messy_layout() -> None:
    # The case list on the second sheet; the first sheet explains the columns (one per row).
    write_messy_xlsx(
        MESSY / "fallmanagement_zweites_blatt.xlsx",
        {
            "Hinweise": MessySheet(
                [
                    ["Hinweise zur Fallliste"],
                    ["Spalte", "Bedeutung"],
                    ["Fall-ID", "Pseudonym des Falls"],
                    ["Aufnahme", "Tag der Aufnahme ins Case Management"],
                    ["Zuzug", "Jahr des Zuzugs nach Deutschland"],
                ]
            ),
            "Fälle": MessySheet(
                [
                    ["Fallliste Unna – Oktober 2026"],
                    ["Fall-ID", "Kommune", "Monat", "Aufnahme", "Zuzug", "Handlungsfelder"],
                    ["UN-2026-0101", "Unna", "10/2026", D(2026, 10, 6), 2025, "Sprache"],
                    ["UN-2026-0102", "Unna", "10/2026", D(2026, 9, 22), 2021, "Wohnen, Gesundheit"],
                ]
            ),
        },
    )

    # Two sheets with the same table, one per month: two deliveries in one file.
    header = ["Kommune", "Monat", "Arbeitslose Ausländer", "eLb Ausländer", "Integrationen (Ausländer)"]
    write_messy_xlsx(
        MESSY / "arbeitsmarkt_zwei_blaetter.xlsx",
        {
            "Sep 2026": MessySheet([header, ["Selm", "09/2026", 301, 480, 5], ["Werne", "09/2026", 270, 431, 4]]),
            "Okt 2026": MessySheet([header, ["Selm", "10/2026", 305, 482, 6], ["Werne", "10/2026", 268, 433, 5]]),
        },
    )

    # Merged title and note rows, a merged footnote; hidden columns: an unknown running number
    # (ignored with a warning) and the month (read like any other column).
    write_messy_xlsx(
        MESSY / "schule_verbundene_zellen.xlsx",
        {
            "Seiteneinsteiger": MessySheet(
                [
                    ["Schulamt für den Kreis Unna – Seiteneinsteiger"],
                    ["Meldung für Oktober 2026 (vorläufig)"],
                    ["lfd. Nr.", "Kommune", "Monat", "Seiteneinsteiger neu", "Beschult innerhalb 4 Wochen",
                     "Wartende auf Schulplatz"],
                    [1, "Holzwickede", "2026-10", 3, 2, 1],
                    [2, "Kamen", "2026-10", 8, 6, 4],
                    [3, "Schwerte", "2026-10", 5, 5, 0],
                    ["Vorläufige Zahlen; endgültige Meldung folgt mit dem Quartalsbericht."],
                ],
                merged=((0, 0, 5), (1, 0, 5), (6, 0, 5)),
                hidden=(0, 2),
            )
        },
    )  # fmt: skip

    # The table starts in B4 with an empty column inside; empty rows between and after the data;
    # two footnote rows.
    write_messy_xlsx(
        MESSY / "ehrenamt_leere_zeilen_spalten.xlsx",
        {
            "Ehrenamt": MessySheet(
                [
                    [],
                    [None, "Ehrenamt im Kreis Unna – September 2026"],
                    [],
                    [None, "Kommune", "Monat", None, "Ehrenamtliche aktiv", "Ehrenamtliche neu", "Tandems aktiv",
                     "Einsatzstunden"],
                    [None, "Bergkamen", "09/2026", None, 40, 2, 18, 210.5],
                    [],
                    [None, "Bönen", "09/2026", None, 12, 0, 7, 48],
                    [],
                    [],
                    [None, "Quelle: Wohlfahrtsverbände, Ehrenamtskoordination"],
                    [None, "1) Stunden laut Einsatznachweisen"],
                ]
            )
        },
    )  # fmt: skip

    # Footnotes below the table, each in one cell: the legend of '*' and '.'.
    write_csv(
        MESSY / "sprache_fussnoten.csv",
        [
            ["Kommune", "Monat", "Berechtigungen", "Kurseintritte", "Wartetage (Summe)", "Prüfungen DTZ",
             "B1 erreicht"],
            ["05978032", "2026-09", "15", "12", "540", "*", "."],
            ["05978036", "2026-09", "35", "30", "1.320", "22", "13"],
            [],
            ["* Weniger als drei Fälle: aus Datenschutzgründen nicht ausgewiesen"],
            [". Zahlenwert unbekannt oder geheim zu halten"],
            ["Quelle: Kursträger über das Kommunale Integrationszentrum"],
        ],
        delimiter=";",
    )  # fmt: skip

    # A footnote in two cells (label and date), as many exports write the data status.
    write_csv(
        MESSY / "schule_fussnote_zwei_zellen.csv",
        [
            ["Kommune", "Monat", "Seiteneinsteiger neu", "Beschult innerhalb 4 Wochen", "Wartende auf Schulplatz"],
            ["Unna", "2026-10", "14", "11", "5"],
            ["Bönen", "2026-10", "4", "4", "1"],
            [],
            ["Stand:", "05.11.2026"],
        ],
        delimiter=";",
    )


def _messy_headers_and_kommunen() -> None:
    # Headers with line breaks, units and legal references in brackets, transliterations, upper
    # case and stray spaces; an unknown extra column.
    write_messy_xlsx(
        MESSY / "auslaenderbehoerde_kopfzeilen.xlsx",
        {
            "Bericht": MessySheet(
                [
                    ["Ausländerbehörde Kreis Unna – Monatsbericht"],
                    ["Wohnort", "ZEITRAUM", "Anträge\nEingang", "Antraege entschieden",
                     "Bearbeitungstage\n(Summe, in Tagen)", "  offene   Verfahren ",
                     "Aufenthalts-\nverfestigungen\n(§§ 25a/25b/104c)", "Einbuergerungen", "Sachgebiet"],
                    ["Bergkamen", "Oktober 2026", 52, 49, 3012, 140, 3, 8, "32.1"],
                    ["Kamen", "Oktober 2026", 47, 45, 2790, 118, 2, 7, "32.2"],
                ]
            )
        },
    )  # fmt: skip

    # Transliterated headers and values in a case list (ae/oe/ue for ä/ö/ü), mixed case.
    write_csv(
        MESSY / "fallmanagement_umlaute.csv",
        [
            ["FALL-ID", "kommune", "berichtsmonat", "Anfragedatum", "Fallbeginn", "Erstgespraech", "Fallende",
             "Abschlussgrund", "Zuzugsjahr", "Altersgruppe", "Geschlecht", "Rechtskreis", "Beteiligte Rechtskreise",
             "Zugangsweg", "Handlungsfelder", "Ehrenamt eingebunden", "Uebergaben", "Uebergaben erfolgreich",
             "Arbeit / Ausbildung aufgenommen"],
            ["LUE-0815", "Luenen", "2026-10", "2026-09-01", "2026-09-04", "2026-09-10", "", "", "2024", "27 bis 44",
             "maennlich", "SGB 2", "2", "Auslaenderbehoerde", "Aufenthalt und Einbuergerung/Arbeit", "ja", "1", "0",
             ""],
            ["BOE-0042", "Boenen", "2026-10", "2026-10-02", "2026-10-05", "", "2026-10-30", "Ziel teilweise erreicht",
             "2022", "65 und aelter", "keine Angabe", "Asylbewerberleistungsgesetz", "1", "Wohlfahrtsverbaende",
             "Uebergreifend", "nein", "2", "2", "nein"],
        ],
        delimiter=";",
    )  # fmt: skip

    # Every Kommune in another spelling, and the Kreis total by name (it matches).
    write_messy_xlsx(
        MESSY / "arbeitsmarkt_kommunennamen.xlsx",
        {
            "Oktober": MessySheet(
                [
                    ["Kommune", "Monat", "Arbeitslose Ausländer/innen", "eLb Ausländer/innen",
                     "Integrationen Ausländer/innen"],
                    ["Stadt Bergkamen", "2026-10", 812, 1290, 14],
                    ["Gemeinde Bönen", "2026-10", 210, 333, 3],
                    ["Froendenberg/Ruhr", "2026-10", 244, 392, 5],
                    ["Holzwickede", "2026-10", 188, 301, 4],
                    ["KAMEN", "2026-10", 655, 1044, 11],
                    ["LÜNEN", "2026-10", 1500, 2410, 31],
                    ["Schwerte (Stadt)", "2026-10", 590, 941, 12],
                    ["selm", "2026-10", 305, 482, 6],
                    ["Stadt Unna", "2026-10", 1034, 1633, 22],
                    ["Werne an der Lippe", "2026-10", 268, 433, 5],
                    ["Kreis Unna insgesamt", "2026-10", 5806, 9259, 113],
                ]
            )
        },
    )  # fmt: skip

    # IT.NRW table: AGS as numbers without the leading zero, the Stichtag as a date cell, aliases,
    # the Kreis total by its key 5978 (a number), matching.
    write_messy_xlsx(
        MESSY / "bevoelkerung_ags_zahl.xlsx",
        {
            "Bevölkerung": MessySheet(
                [
                    ["Bevölkerung nach Gemeinden – Stichtag 31.12.2025"],
                    ["Quelle: IT.NRW, Landesdatenbank NRW"],
                    [],
                    ["Gemeindeschlüssel", "Stichtag", "Einwohner", "Ausländer/innen", "Ausländer/innen 15-64",
                     "Zuzug aus dem Ausland in 5 Jahren"],
                    [5978024, D(2025, 12, 31), 86112, 14208, 10301, 4402],
                    [5978032, D(2025, 12, 31), 25870, 3570, 2588, 1120],
                    [5978, D(2025, 12, 31), 111982, 17778, 12889, 5522],
                ]
            )
        },
    )  # fmt: skip

    # One Kommune as AGS text, as an AGS number without the leading zero and by name.
    write_messy_xlsx(
        MESSY / "fallmanagement_ags_varianten.xlsx",
        {
            "Fälle": MessySheet(
                [
                    ["Fall-ID", "Gemeindeschlüssel", "Monat", "Fallbeginn", "Zuzugsjahr", "Handlungsfelder"],
                    ["FR-2026-011", "05978012", "2026-10", D(2026, 10, 2), 2024, "Sprache"],
                    ["FR-2026-012", 5978012, "2026-10", D(2026, 10, 9), 2025, "Arbeit"],
                    ["FR-2026-013", "Fröndenberg (Ruhr)", "2026-10", D(2026, 10, 16), 2023, "Wohnen"],
                ],
                text_columns=(1,),
            )
        },
    )


def _messy_months() -> None:
    # Every agreed month form, one Kommune each (all October 2026).
    write_messy_xlsx(
        MESSY / "sprache_monatsformen.xlsx",
        {
            "Kurse": MessySheet(
                [
                    ["Kommune", "Monat", "Berechtigungen", "Kurseintritte", "Summe Wartetage", "DTZ-Prüfungen",
                     "B1 erreicht"],
                    ["Bergkamen", "2026-10", 14, 7, 337, 7, 3],
                    ["Bönen", "10/2026", 5, 4, 190, 2, 1],
                    ["Fröndenberg/Ruhr", "10.2026", 6, 5, 240, 3, 2],
                    ["Holzwickede", 202610, 4, 3, 141, 2, 1],
                    ["Kamen", "Okt 2026", 13, 11, 520, 8, 4],
                    ["Lünen", "Oktober 2026", 27, 23, 1100, 15, 8],
                    ["Schwerte", "01.10.2026", 14, 12, 560, 9, 5],
                    ["Selm", "31.10.2026", 8, 6, 290, 4, 2],
                    ["Unna", D(2026, 10, 1), 18, 15, 700, 11, 6],
                    ["Werne", DT(2026, 10, 31, 0, 0), 9, 8, 372, 5, 3],
                ]
            )
        },
    )  # fmt: skip

    # No month column: the month is given with the upload (--month 2026-09).
    write_csv(
        MESSY / "schule_monat_beim_hochladen.csv",
        [
            ["Kommune", "Seiteneinsteiger neu", "Beschult innerhalb 4 Wochen", "Wartende auf Schulplatz"],
            ["Lünen", "17", "13", "6"],
            ["Selm", "4", "3", "1"],
        ],
        delimiter=";",
    )

    # A Kommune's own case list without Kommune and month columns (--kommune Kamen --month 2026-10).
    write_messy_xlsx(
        MESSY / "fallmanagement_kamen_ohne_kommune.xlsx",
        {
            "Fallliste": MessySheet(
                [
                    ["Fallliste Stadt Kamen – Oktober 2026"],
                    [],
                    ["Fallnummer", "Aufnahme", "Zuzugsjahr", "Handlungsfelder", "Übergaben", "Übergaben erfolgreich",
                     "Ehrenamt eingebunden"],
                    ["KA-2026-017", D(2026, 10, 12), 2025, "Sprache; Bildung und Schule", 1, 0, "x"],
                    ["KA-2026-018", D(2026, 8, 3), 2023, "Arbeit", 2, 1, None],
                ]
            )
        },
    )  # fmt: skip


def _messy_values() -> None:
    # Numbers stored as text (text-formatted cells) with surrounding spaces, thousands dots.
    write_messy_xlsx(
        MESSY / "ehrenamt_text_zahlen.xlsx",
        {
            "Ehrenamt": MessySheet(
                [
                    ["Kommune", "Monat", "Ehrenamtliche aktiv", "Ehrenamtliche neu", "Tandems aktiv", "Einsatzstunden"],
                    ["  Holzwickede ", " 2026-10 ", " 17 ", "0 ", " 9", " 86,25 "],
                    [" Lünen", "2026-10", "1.064", "12", "512", "1.234,0 "],
                ],
                text_columns=(0, 1, 2, 3, 4, 5),
            )
        },
    )

    # Text dates in every agreed form (ISO, 01.10.2026, 1.10.26) with stray spaces, German labels.
    write_csv(
        MESSY / "fallmanagement_textdaten.csv",
        [
            FALL_HEADER,
            ["SW-2026-031", "Schwerte", "10/2026", "2026-09-28", "01.10.2026", "2.10.26", "29.10.2026",
             "Weitervermittlung", "2024", "18 bis 26", "weiblich", "SGB III", "2", "Agentur für Arbeit",
             "Arbeit und Ausbildung", "nein", "1", "1", "ja"],
            ["SW-2026-032", " Schwerte ", "10/2026", " 15.09.2026 ", "1.10.26", " 2026-10-07 ", "", "", " 2025 ",
             "0 bis 17", "divers", "SGB VIII", "1", "Schule", "Bildung und Schule, Sprache", "ja", "0", "0", ""],
        ],
    )  # fmt: skip

    # Excel date and date-time cells, numbers as float cells, real TRUE/FALSE cells.
    write_messy_xlsx(
        MESSY / "fallmanagement_excel_daten.xlsx",
        {
            "Export": MessySheet(
                [
                    FALL_HEADER,
                    ["HW-2026-005", "Holzwickede", D(2026, 10, 1), D(2026, 9, 14), DT(2026, 9, 21, 0, 0),
                     D(2026, 9, 23), D(2026, 10, 27), "Ziel erreicht", 2023, "45 bis 64", "w", "SGB XII", 3.0,
                     "Sozialamt", "Gesundheit; Wohnen", True, 2.0, 1.0, False],
                    ["HW-2026-006", "Holzwickede", D(2026, 10, 1), None, D(2026, 10, 19), None, None, None, 2026,
                     "18 bis 26", "m", "unbekannt", None, "Selbstmelder", "Teilhabe", False, None, None, None],
                ]
            )
        },
    )  # fmt: skip

    # Yes/no in every agreed German form (Windows-1252, semicolons).
    yes_no = [
        ("WE-2026-001", "ja", "nein"),
        ("WE-2026-002", "Nein", "Ja"),
        ("WE-2026-003", "1", "0"),
        ("WE-2026-004", "0", "1"),
        ("WE-2026-005", "wahr", "falsch"),
        ("WE-2026-006", "FALSCH", "WAHR"),
        ("WE-2026-007", "x", ""),
        ("WE-2026-008", "", "X"),
    ]
    write_csv(
        MESSY / "fallmanagement_ja_nein.csv",
        [
            ["Fall-ID", "Kommune", "Monat", "Fallbeginn", "Zuzugsjahr", "Handlungsfelder", "Ehrenamt eingebunden",
             "Arbeit/Ausbildung aufgenommen"],
            *[[fall_id, "Werne", "10/2026", "01.09.2026", "2024", "Arbeit", ehrenamt, arbeit]
              for fall_id, ehrenamt, arbeit in yes_no],
        ],
        delimiter=";",
        encoding="cp1252",
    )  # fmt: skip

    # Official-statistics symbols in number cells: '*' '.' suppressed, '-' '–' zero, 'x' 'k.A.' and
    # empty missing.
    write_csv(
        MESSY / "auslaenderbehoerde_symbole.csv",
        [
            ["Kommune", "Monat", "Anträge Eingang", "Anträge entschieden", "Bearbeitungstage (Summe)",
             "Offene Verfahren", "Aufenthaltsverfestigungen", "Einbürgerungen"],
            ["Bergkamen", "09/2026", "*", ".", "-", "–", "x", "k.A."],
            ["Bönen", "09/2026", "", "12", "0", "-", "*", "3"],
        ],
        delimiter=";",
        encoding="cp1252",
    )  # fmt: skip

    # Stichtag as a text date, thousands dots, a title row and a footnote (Windows-1252).
    write_csv(
        MESSY / "bevoelkerung_itnrw_titel.csv",
        [
            ["Bevölkerungsstand nach Gemeinden, Stichtag 30.06.2026", "", "", "", "", ""],
            ["Gemeinde", "Stichtag", "Einwohner", "Ausländische Bevölkerung", "Ausländer 15-64",
             "Zugewandert (5 Jahre)"],
            ["Bergkamen", "30.06.2026", "48.611", "9.012", "6.650", "2.981"],
            ["Unna", "30.06.2026", "58.790", "8.430", "6.102", "2.755"],
            ["Quelle: IT.NRW", "", "", "", "", ""],
        ],
        delimiter=";",
        encoding="cp1252",
    )  # fmt: skip

    # Unknown extra columns beside the long format (each ignored with a warning).
    write_messy_xlsx(
        MESSY / "kennzahlen_zusatzspalten.xlsx",
        {
            "Kennzahlen": MessySheet(
                [
                    ["Gemeinde", "Monat", "Kennzahl", "Bezeichnung", "Wert", "Einheit", "Quelle"],
                    ["Kamen", "2026-09", "E01", "Beratungen MBE", "37", "Anzahl", "Migrationsberatung"],
                    ["Kamen", "2026-09", "e02", "Teilnehmende JMD", "1.203,5", "Personen", "Jugendmigrationsdienst"],
                ]
            )
        },
    )  # fmt: skip


def _messy_kreis_rows() -> None:
    # BA table with suppressed cells: the Kreis total (key 05978) cannot be checked in the
    # suppressed column and matches in the others: no warning.
    write_messy_xlsx(
        MESSY / "arbeitsmarkt_geheimhaltung.xlsx",
        {
            "Arbeitsmarkt": MessySheet(
                [
                    ["Statistik der Bundesagentur für Arbeit"],
                    [],
                    ["AGS", "Gemeinde", "Monat", "Arbeitslose Ausländer/innen", "eLb Ausländer/innen",
                     "Integrationen Ausländer/innen"],
                    ["05978016", "Holzwickede", "10/2026", 188, 301, "*"],
                    ["05978032", "Selm", "10/2026", 305, 482, "*"],
                    ["05978040", "Werne", "10/2026", 268, 433, 5],
                    ["05978", "Kreis Unna", "10/2026", 761, 1216, 14],
                    [],
                    ["* Aus Gründen der statistischen Geheimhaltung anonymisiert"],
                ],
                text_columns=(0,),
            )
        },
    )  # fmt: skip

    # All ten Kommunen and 'Summe Kreis', which matches: no warning, the total not stored.
    write_csv(
        MESSY / "schule_kreissumme_passend.csv",
        [
            ["Kommune", "Monat", "Seiteneinsteiger neu", "Beschult innerhalb 4 Wochen", "Wartende auf Schulplatz"],
            ["Bergkamen", "09/2026", "9", "7", "3"],
            ["Bönen", "09/2026", "4", "4", "1"],
            ["Fröndenberg/Ruhr", "09/2026", "5", "4", "2"],
            ["Holzwickede", "09/2026", "3", "3", "0"],
            ["Kamen", "09/2026", "8", "6", "4"],
            ["Lünen", "09/2026", "17", "13", "6"],
            ["Schwerte", "09/2026", "6", "5", "2"],
            ["Selm", "09/2026", "4", "3", "1"],
            ["Unna", "09/2026", "14", "11", "5"],
            ["Werne", "09/2026", "6", "6", "0"],
            ["Summe Kreis", "09/2026", "76", "62", "24"],
        ],
        delimiter=";",
        encoding="cp1252",
    )

    # Two months, each with a Kreis total: September's differs in two columns (two warnings),
    # October's ('Insgesamt') matches.
    write_messy_xlsx(
        MESSY / "sprache_kreissumme_abweichend.xlsx",
        {
            "Integrationskurse": MessySheet(
                [
                    ["Integrationskurse Kreis Unna, 3. Quartal"],
                    [],
                    ["Gemeinde", "Monat", "Berechtigungen", "Kurseintritte", "Wartetage (Summe)", "DTZ-Prüfungen",
                     "B1 erreicht"],
                    ["Kamen", "09/2026", 18, 15, 690, 10, 6],
                    ["Unna", "09/2026", 35, 30, 1320, 22, 13],
                    ["Kreis Unna insgesamt", "09/2026", 55, 45, 2010, 32, 21],
                    ["Kamen", "10/2026", 20, 16, 720, 11, 6],
                    ["Unna", "10/2026", 33, 29, 1290, 20, 12],
                    ["Insgesamt", "10/2026", 53, 45, 2010, 31, 18],
                ]
            )
        },
    )  # fmt: skip

    # Decimal hours with a 'Gesamt' total that matches to the hundredth; '-' for zero.
    write_csv(
        MESSY / "ehrenamt_gesamt_dezimal.csv",
        [
            ["Kommune", "Monat", "Aktive Ehrenamtliche", "Neue Ehrenamtliche", "Aktive Tandems", "Einsatzstunden (h)"],
            ["Fröndenberg/Ruhr", "Okt 2026", "48", "3", "21", "1.234,5"],
            ["Holzwickede", "Okt 2026", "17", "-", "9", "86,25"],
            ["Gesamt", "Okt 2026", "65", "3", "30", "1.320,75"],
        ],
        delimiter=";",
        encoding="cp1252",
    )


def _messy_kreis_names_and_long_format() -> None:
    # IT.NRW spelling: 'Bergkamen, Stadt', 'Bönen, Gemeinde' and the district as 'Unna, Kreis'
    # (a total row that matches), names only, no keys.
    write_csv(
        MESSY / "bevoelkerung_itnrw_kreis.csv",
        [
            ["Gemeinde", "Stichtag", "Einwohner", "Ausländer/innen", "Ausländer/innen 15-64", "Zugewandert (5 Jahre)"],
            ["Bergkamen, Stadt", "31.12.2025", "48.611", "9.012", "6.650", "2.981"],
            ["Bönen, Gemeinde", "31.12.2025", "18.003", "2.702", "1.890", "812"],
            ["Unna, Kreis", "31.12.2025", "66.614", "11.714", "8.540", "3.793"],
        ],
        delimiter=";",
        encoding="cp1252",
    )  # fmt: skip

    # Long format with a Kreis total for each Kennzahl; both match the sum of their Kennzahl.
    write_csv(
        MESSY / "kennzahlen_kreissumme.csv",
        [
            ["Kommune", "Monat", "Kennzahl", "Wert"],
            ["Kamen", "2026-09", "E01", "37"],
            ["Kamen", "2026-09", "E02", "12"],
            ["Unna", "2026-09", "E01", "40"],
            ["Unna", "2026-09", "E02", "20,5"],
            ["Kreis Unna", "2026-09", "E01", "77"],
            ["Kreis Unna", "2026-09", "E02", "32,5"],
        ],
        delimiter=";",
    )


def _messy_several_sheets() -> None:
    """Workbooks that deliver on several sheets: every sheet whose header matches the source is a
    part of one upload; notes and pivot sheets are not."""
    # One sheet per Kommune (the Kommune's own case list), each laid out a little differently, and
    # a notes sheet in front that matches no source.
    write_messy_xlsx(
        MESSY / "fallmanagement_je_kommune_ein_blatt.xlsx",
        {
            "Hinweise": MessySheet(
                [
                    ["Fallmanagement – Monatsmeldung Oktober 2026"],
                    ["Je Kommune ein Blatt; Pseudonyme statt Namen."],
                    ["Stand: 03.11.2026"],
                ]
            ),
            "Bergkamen": MessySheet(
                [
                    ["KIM Fallmanagement Bergkamen, Oktober 2026"],
                    [],
                    ["Fall-ID", "Kommune", "Berichtsmonat", "Beginn", "Zuzugsjahr", "Handlungsfelder"],
                    ["BK-2026-0211", "Bergkamen", "10/2026", D(2026, 10, 2), 2024, "Sprache; Arbeit"],
                    ["BK-2026-0187", "Bergkamen", "10/2026", D(2026, 8, 19), 2022, "Wohnen"],
                ]
            ),
            "Kamen": MessySheet(
                [
                    ["Fallnummer", "Gemeinde", "Monat", "Aufnahme", "Einreisejahr", "Handlungsfeld"],
                    ["KA-2026-0044", "Stadt Kamen", "2026-10", D(2026, 10, 12), 2023, "Bildung"],
                ]
            ),
        },
    )

    # One sheet per month, the second with a title, other aliases and another column order; a
    # pivot sheet (Kommune and a sum, no month) is ignored with a warning, the notes silently.
    write_messy_xlsx(
        MESSY / "schule_zwei_monate_mit_pivot.xlsx",
        {
            "Sep 2026": MessySheet(
                [
                    [
                        "Kommune",
                        "Monat",
                        "Seiteneinsteiger neu",
                        "davon beschult innerhalb 4 Wochen",
                        "Wartende auf Schulplatz",
                    ],
                    ["Holzwickede", "09/2026", 3, 3, 0],
                    ["Unna", "09/2026", 12, 9, 4],
                ]
            ),
            "Okt 2026": MessySheet(
                [
                    ["Schulamt für den Kreis Unna – Oktober 2026"],
                    [],
                    [
                        "Gemeinde",
                        "Berichtsmonat",
                        "Wartende auf Schulplatz",
                        "Seiteneinsteiger neu",
                        "beschult innerhalb 4 Wochen",
                    ],
                    ["Holzwickede", "Okt 2026", 1, 4, 3],
                    ["Unna", "Oktober 2026", 5, 14, 10],
                ],
                merged=((0, 0, 4),),
            ),
            "Pivot": MessySheet(
                [
                    ["Kommune", "Seiteneinsteiger neu"],
                    ["Holzwickede", 7],
                    ["Unna", 26],
                    ["Gesamt", 33],
                ]
            ),
            "Hinweise": MessySheet([["Quelle: Schulamt für den Kreis Unna"], ["Vorläufige Zahlen."]]),
        },
    )

    # October on its own sheet; the November sheet is prepared but still empty (a warning).
    header = [
        "Wohnort",
        "Monat",
        "Eingegangene Anträge",
        "Entschiedene Anträge",
        "Summe Bearbeitungstage",
        "Offene Verfahren",
        "Aufenthaltsverfestigungen (§§ 25a/25b/104c)",
        "Einbürgerungen",
    ]
    write_messy_xlsx(
        MESSY / "auslaenderbehoerde_leeres_blatt.xlsx",
        {
            "Oktober 2026": MessySheet(
                [header, ["Lünen", "10/2026", 64, 58, 2610, 131, 4, 9], ["Schwerte", "10/2026", 31, 29, 1160, 57, 2, 5]]
            ),
            "November 2026": MessySheet([header]),
        },
    )


def make_messy_folder() -> None:
    if MESSY.exists():
        shutil.rmtree(MESSY)
    MESSY.mkdir(parents=True)
    make_messy()
    print(f"{MESSY.relative_to(HERE.parent.parent)}: {len(list(MESSY.iterdir()))} Dateien")


# --- hostile and broken files (tests/files/hostile/) -----------------------------------------
#
# Files that attack the reader, or are no table at all: zip bombs (overlapping, nested, with
# honest or forged sizes), XML entity attacks (billion laughs, external entities, an external
# DTD), encrypted and non-Excel Office containers, a sheet that claims 17 billion cells, PDFs
# and images, web pages and text files under a spreadsheet name, damaged and truncated archives,
# binary garbage in a CSV. Every file stays below 200 KB; the big payloads (a 1 GiB cell, 20,000
# zip entries) are built at run time by the tests with the helpers below. What each file must
# yield lives in tests/loaders/test_hostile_files.py. Only the standard library and openpyxl.

HOSTILE = HERE / "hostile"
MIB = 1024 * 1024
_DOS_TIME = (ZIP_TIME[3] << 11) | (ZIP_TIME[4] << 5) | (ZIP_TIME[5] // 2)
_DOS_DATE = ((ZIP_TIME[0] - 1980) << 9) | (ZIP_TIME[1] << 5) | ZIP_TIME[2]
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@dataclass(frozen=True)
class RawMember:
    """A zip entry written by hand: ``packed`` as stored in the file, ``size`` and ``crc`` as the
    headers declare them (a lie where a test wants one); ``method`` 8 = deflate, 0 = stored;
    ``flags`` bit 0 = encrypted."""

    name: str
    packed: bytes
    size: int
    crc: int
    method: int = 8
    flags: int = 0


def deflated(name: str, content: bytes) -> RawMember:
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return RawMember(name, packer.compress(content) + packer.flush(), len(content), zlib.crc32(content))


def deflated_repeat(
    name: str, head: bytes, chunk: bytes, times: int, tail: bytes, *, declared: int | None = None
) -> RawMember:
    """A deflated member ``head + chunk * times + tail`` without ever holding it: after a full flush
    deflate output depends on nothing before it, so the chunk is packed once and repeated. A 1 MiB
    chunk packs to about 1 KB, so a 1 GiB member takes about 1 MB."""
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed_head = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    packed_chunk = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    packed_tail = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(chunk) * times + len(tail)
    return RawMember(
        name, packed_head + packed_chunk * times + packed_tail, size if declared is None else declared, crc
    )


def raw_zip(members: Sequence[RawMember], *, directory: Sequence[tuple[str, int]] | None = None) -> bytes:
    """A zip file: each member's local header and data, then a central directory with one entry per
    member, or (to forge overlapping entries) one per ``(name, index of the member)`` in ``directory``."""
    import struct

    out = bytearray()
    offsets = []
    for member in members:
        offsets.append(len(out))
        name = member.name.encode()
        out += struct.pack(
            "<4s5H3L2H",
            b"PK\x03\x04",
            20,
            member.flags,
            member.method,
            _DOS_TIME,
            _DOS_DATE,
            member.crc,
            len(member.packed),
            member.size,
            len(name),
            0,
        )
        out += name + member.packed
    start = len(out)
    entries = list(directory) if directory is not None else [(m.name, i) for i, m in enumerate(members)]
    for entry_name, index in entries:
        member, name = members[index], entry_name.encode()
        out += struct.pack(
            "<4s6H3L5H2L",
            b"PK\x01\x02",
            20,
            20,
            member.flags,
            member.method,
            _DOS_TIME,
            _DOS_DATE,
            member.crc,
            len(member.packed),
            member.size,
            len(name),
            0,
            0,
            0,
            0,
            0o600 << 16,
            offsets[index],
        )
        out += name
    out += struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(out) - start, start, 0)
    return bytes(out)


def xlsx_parts(rows: Sequence[Row]) -> dict[str, bytes]:
    """The parts of a small valid workbook (one sheet 'Export' with ``rows``), by name."""
    buffer = io.BytesIO()
    write_xlsx_to(buffer, rows)
    archive = zipfile.ZipFile(buffer)
    return {info.filename: archive.read(info.filename) for info in archive.infolist()}


def write_xlsx_to(buffer: io.BytesIO, rows: Sequence[Row]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Export"
    for row in rows:
        sheet.append(list(row))
    workbook.properties.creator = "KIM Testdaten"
    workbook.properties.created = dt.datetime(2026, 11, 1, 12, 0, 0)
    raw = io.BytesIO()
    workbook.save(raw)
    buffer.write(_deterministic_zip(raw.getvalue()))
    buffer.seek(0)


HOSTILE_ROWS: list[Row] = [ARBEITSMARKT, ["Bergkamen", "2026-10", 812, 1290, 14]]
SHEET_HEAD = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{SHEET_NS}"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>kommune</t></is></c><c r="B1" t="inlineStr"><is><t>monat</t></is>'
    '</c><c r="C1" t="inlineStr"><is><t>arbeitslose_auslaendisch</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>'
).encode()
SHEET_TAIL = b'</t></is></c><c r="B2" t="inlineStr"><is><t>2026-10</t></is></c></row></sheetData></worksheet>'


def xlsx_with_sheet(sheet: RawMember) -> bytes:
    """A valid small workbook whose worksheet part is replaced by ``sheet``."""
    parts = xlsx_parts(HOSTILE_ROWS)
    members = [sheet if name == sheet.name else deflated(name, data) for name, data in parts.items()]
    return raw_zip(members)


def huge_cell_xlsx(mebibytes: int, *, declared: int | None = None) -> bytes:
    """A workbook whose cell A2 holds ``mebibytes`` MiB of 'A' (1024: the 1 GiB cell in about 1 MB);
    ``declared``: the worksheet's size as its headers state it (forged when given)."""
    sheet = deflated_repeat(
        "xl/worksheets/sheet1.xml", SHEET_HEAD, b"A" * MIB, mebibytes, SHEET_TAIL, declared=declared
    )
    return xlsx_with_sheet(sheet)


ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
ODS_MANIFEST = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
    b'xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type='
    b'"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
    b'manifest:media-type="text/xml"/></manifest:manifest>'
)


def ods_content(rows: Sequence[Sequence[str]], *, prologue: str = "") -> bytes:
    """content.xml of a one-sheet OpenDocument spreadsheet of text cells; ``prologue`` goes
    between the XML declaration and the root element (a DOCTYPE, for the attacks)."""
    cells = "".join(
        "<table:table-row>"
        + "".join(f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>' for v in row)
        + "</table:table-row>"
        for row in rows
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prologue}<office:document-content {ODS_NS} office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Schule">{cells}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    ).encode()


def ods_file(content: RawMember) -> bytes:
    """An OpenDocument spreadsheet: 'mimetype' first and stored, then content.xml and the manifest."""
    import zlib

    mimetype = b"application/vnd.oasis.opendocument.spreadsheet"
    stored = RawMember("mimetype", mimetype, len(mimetype), zlib.crc32(mimetype), method=0)
    return raw_zip([stored, content, deflated("META-INF/manifest.xml", ODS_MANIFEST)])


SCHULE_ROWS = [SCHULE, ["Bergkamen", "2026-10", "9", "7", "3"]]


def billion_laughs(root: str) -> tuple[str, str]:
    """A DOCTYPE declaring ten levels of entities (10⁹ copies of 'lol' when expanded) and the
    reference that would expand them."""
    entities = "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' if i else '<!ENTITY lol0 "lol">' for i in range(10)
    )
    return f"<!DOCTYPE {root} [{entities}]>\n", "&lol9;"


def cfb(streams: Sequence[tuple[str, bytes]]) -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors) with the given streams, each padded
    to 4096 bytes so that it lies in regular sectors (no mini stream needed)."""
    import struct

    end_of_chain, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    sector = 512
    chains, data = [], b""
    next_sector = 2  # sector 0: the FAT, sector 1: the directory
    for name, content in streams:
        padded = content.ljust(max(4096, -(-len(content) // sector) * sector), b"\0")
        chains.append((name, next_sector, len(padded) // sector, len(content)))
        data += padded
        next_sector += len(padded) // sector
    assert next_sector <= 128 and len(streams) <= 3
    fat = [fat_sector, end_of_chain]
    for _, start, count, _ in chains:
        fat += [start + i + 1 for i in range(count - 1)] + [end_of_chain]
    fat += [free] * (128 - len(fat))

    def entry(name: str, kind: int, start: int, size: int, child: int = no_stream, right: int = no_stream) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB3I", len(encoded), kind, 1, no_stream, right, child)
            + b"\0" * 36
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, end_of_chain, 0, child=1)
    for index, (name, start, _, size) in enumerate(chains):
        directory += entry(name, 2, start, size, right=index + 2 if index + 1 < len(chains) else no_stream)
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\0" * 16
        + struct.pack("<5H", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<4I", 0, 1, 1, 0)
        + struct.pack("<I", 4096)
        + struct.pack("<4I", end_of_chain, 0, end_of_chain, 0)
        + struct.pack("<109I", 0, *[free] * 108)
    )
    assert len(header) == 512
    return header + struct.pack("<128I", *fat) + directory.ljust(sector, b"\0") + data


def nested_zip_bomb(levels: int = 4, width: int = 16, mebibytes: int = 16) -> bytes:
    """The shape of the classic 42.zip: zips of ``width`` zips, ``levels`` deep, around one file of
    ``mebibytes`` MiB of zeros (16⁴ × 16 MiB = 1 TiB when unpacked all the way)."""
    inner = raw_zip([deflated_repeat("0.bin", b"", b"\0" * MIB, mebibytes, b"")])
    for level in range(1, levels):
        inner = raw_zip([deflated(f"{level}/{i}.zip", inner) for i in range(width)])
    return inner


def make_hostile() -> None:
    _hostile_zip_bombs()
    _hostile_xml()
    _hostile_containers()
    _hostile_not_a_table()


def _hostile_zip_bombs() -> None:
    # All central-directory entries point at one 8 MiB worksheet: the parts overlap.
    kernel = deflated_repeat("xl/worksheets/sheet1.xml", SHEET_HEAD, b"A" * MIB, 8, SHEET_TAIL)
    parts = xlsx_parts(HOSTILE_ROWS)
    members = [kernel if name == kernel.name else deflated(name, data) for name, data in parts.items()]
    index = members.index(kernel)
    directory = [(m.name, i) for i, m in enumerate(members)] + [
        (f"xl/worksheets/sheet{k}.xml", index) for k in range(2, 5)
    ]
    (HOSTILE / "zip_ueberlappend.xlsx").write_bytes(raw_zip(members, directory=directory))

    # The same trick at scale: 600 entries of a 100 MiB worksheet declare 60 GB.
    kernel = deflated_repeat("xl/worksheets/sheet1.xml", SHEET_HEAD, b"A" * MIB, 100, SHEET_TAIL)
    members = [kernel if name == kernel.name else deflated(name, data) for name, data in parts.items()]
    index = members.index(kernel)
    directory = [(m.name, i) for i, m in enumerate(members)] + [
        (f"xl/worksheets/sheet{k}.xml", index) for k in range(2, 601)
    ]
    (HOSTILE / "zip_ueberlappend_60gb.xlsx").write_bytes(raw_zip(members, directory=directory))

    (HOSTILE / "zip_verschachtelt.xlsx").write_bytes(nested_zip_bomb())

    # Honest headers: a 100 MiB cell packed a thousand-fold.
    (HOSTILE / "zip_stark_gepackt.xlsx").write_bytes(huge_cell_xlsx(100))
    # Forged headers: the worksheet declares 2 KB and unpacks to 100 MiB.
    (HOSTILE / "zip_groesse_gefaelscht.xlsx").write_bytes(huge_cell_xlsx(100, declared=2048))
    # The same as an OpenDocument spreadsheet.
    content = deflated_repeat(
        "content.xml",
        ods_content(SCHULE_ROWS).split(b"<text:p>Bergkamen")[0] + b"<text:p>",
        b"A" * MIB,
        100,
        b"</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body>"
        b"</office:document-content>",
        declared=2048,
    )
    (HOSTILE / "ods_groesse_gefaelscht.ods").write_bytes(ods_file(content))

    # A worksheet listed twice: two parsers could read two different tables.
    parts = xlsx_parts(HOSTILE_ROWS)
    members = [deflated(name, data) for name, data in parts.items()]
    members.append(deflated("xl/worksheets/sheet1.xml", SHEET_HEAD + b"Dortmund" + SHEET_TAIL))
    (HOSTILE / "zip_doppelter_eintrag.xlsx").write_bytes(raw_zip(members))


def _hostile_xml() -> None:
    parts = xlsx_parts(HOSTILE_ROWS)
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    assert "<t>Bergkamen</t>" in sheet and sheet.startswith("<worksheet")

    def with_sheet(prologue: str, value: str) -> bytes:
        text = '<?xml version="1.0" encoding="UTF-8"?>\n' + prologue + sheet.replace("Bergkamen", value)
        return xlsx_with_sheet(deflated("xl/worksheets/sheet1.xml", text.encode()))

    (HOSTILE / "xml_billion_laughs.xlsx").write_bytes(with_sheet(*billion_laughs("worksheet")))
    (HOSTILE / "xml_externe_entitaet.xlsx").write_bytes(
        with_sheet('<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n', "&xxe;")
    )
    # An external DTD fetched from a server (request forgery), in the workbook part.
    workbook = parts["xl/workbook.xml"].decode()
    forged = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE workbook SYSTEM "http://example.invalid/kim.dtd">\n'
    members = [
        deflated(name, (forged + workbook).encode() if name == "xl/workbook.xml" else data)
        for name, data in parts.items()
    ]
    (HOSTILE / "xml_externe_dtd.xlsx").write_bytes(raw_zip(members))
    # Billion laughs in a worksheet written in UTF-16 (a byte search for '<!DOCTYPE' must not be fooled).
    prologue, reference = billion_laughs("worksheet")
    text = '<?xml version="1.0" encoding="UTF-16"?>\n' + prologue + sheet.replace("Bergkamen", reference)
    utf16 = deflated("xl/worksheets/sheet1.xml", text.encode("utf-16"))
    (HOSTILE / "xml_utf16_billion_laughs.xlsx").write_bytes(xlsx_with_sheet(utf16))
    prologue, reference = billion_laughs("office:document-content")
    rows = [SCHULE, [reference, "2026-10", "9", "7", "3"]]
    (HOSTILE / "xml_billion_laughs.ods").write_bytes(
        ods_file(deflated("content.xml", ods_content(rows, prologue=prologue)))
    )
    # Not an attack, just broken: a worksheet whose XML ends in the middle of a tag.
    broken = sheet[: sheet.index('<row r="2"') + 20]
    (HOSTILE / "xml_kaputt.xlsx").write_bytes(xlsx_with_sheet(deflated("xl/worksheets/sheet1.xml", broken.encode())))
    # A sheet that claims a cell in the last row and column: 17 billion cells if laid out in full.
    huge = sheet.replace(
        "</row></sheetData>", '</row><row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    )
    assert '<dimension ref="A1:E2" />' in huge
    huge = huge.replace('<dimension ref="A1:E2" />', '<dimension ref="A1:XFD1048576" />')
    (HOSTILE / "riesiges_blatt.xlsx").write_bytes(xlsx_with_sheet(deflated("xl/worksheets/sheet1.xml", huge.encode())))


def _hostile_containers() -> None:
    good = io.BytesIO()
    write_xlsx_to(good, HOSTILE_ROWS)
    data = good.getvalue()
    # Cut off in the middle, as by an aborted download.
    (HOSTILE / "zip_abgeschnitten.xlsx").write_bytes(data[: len(data) // 2])
    # The packed worksheet damaged in the middle (bytes overwritten).
    parts = xlsx_parts(HOSTILE_ROWS)
    members = [deflated(name, content) for name, content in parts.items()]
    sheet_index = next(i for i, m in enumerate(members) if m.name == "xl/worksheets/sheet1.xml")
    sheet = members[sheet_index]
    middle = len(sheet.packed) // 2
    damaged = (
        sheet.packed[:middle]
        + bytes(b ^ 0xFF for b in sheet.packed[middle : middle + 16])
        + sheet.packed[middle + 16 :]
    )
    members[sheet_index] = RawMember(sheet.name, damaged, sheet.size, sheet.crc)
    (HOSTILE / "zip_daten_beschaedigt.xlsx").write_bytes(raw_zip(members))
    # Zip encryption (the old PKWARE kind; Excel itself never uses it).
    members = [
        RawMember(m.name, bytes(random.Random(7).randbytes(len(m.packed))), m.size, m.crc, flags=1)
        for m in (deflated(n, c) for n, c in parts.items())
    ]
    (HOSTILE / "zip_verschluesselt.xlsx").write_bytes(raw_zip(members))
    # A packing method Excel never uses (LZMA).
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_LZMA) as archive:
        for name, content in parts.items():
            entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_LZMA
            archive.writestr(entry, content)
    (HOSTILE / "zip_lzma.xlsx").write_bytes(buffer.getvalue())
    # A CSV file zipped and named .xlsx.
    csv_text = b"kommune;monat;arbeitslose_auslaendisch\r\nBergkamen;2026-10;812\r\n"
    (HOSTILE / "zip_ohne_arbeitsmappe.xlsx").write_bytes(raw_zip([deflated("arbeitsmarkt.csv", csv_text)]))
    # A Word document named .xlsx.
    document = b'<?xml version="1.0" encoding="UTF-8"?>\n<w:document xmlns:w="urn:w"><w:body/></w:document>'
    (HOSTILE / "word_als_xlsx.xlsx").write_bytes(raw_zip([deflated("word/document.xml", document)]))
    # An OpenDocument spreadsheet named .xlsx.
    (HOSTILE / "ods_als_xlsx.xlsx").write_bytes(ods_file(deflated("content.xml", ods_content(SCHULE_ROWS))))
    # Excel's password protection: an OLE container with the encrypted workbook inside, under both names.
    encrypted = cfb(
        [
            ("EncryptionInfo", bytes.fromhex("04000400400000") + b"\0" * 200),
            ("EncryptedPackage", random.Random(8).randbytes(6000)),
        ]
    )
    (HOSTILE / "kennwort.xlsx").write_bytes(encrypted)
    (HOSTILE / "kennwort.xls").write_bytes(encrypted)
    (HOSTILE / "word_als_xls.xls").write_bytes(cfb([("WordDocument", random.Random(9).randbytes(5000))]))
    # An old Excel workbook container named .xlsx (the workbook stream itself is not read).
    (HOSTILE / "xls_als_xlsx.xlsx").write_bytes(cfb([("Workbook", b"\x09\x08\x10\x00" + b"\0" * 4000)]))


def _hostile_not_a_table() -> None:
    (HOSTILE / "leer.xlsx").write_bytes(b"")
    (HOSTILE / "pdf_dokument.xlsx").write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >>"
        b" endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    png = bytes.fromhex(
        "89504E470D0A1A0A0000000D49484452000000010000000108060000001F15C4890000000D4944415478DA63F8FFFF3F0005FE02FE"
        "A7D6A4810000000049454E44AE426082"
    )
    (HOSTILE / "bild.xlsx").write_bytes(png)
    (HOSTILE / "bild.csv").write_bytes(png)
    (HOSTILE / "webseite.xls").write_bytes(
        b"<html><head><meta charset='utf-8'></head><body><table><tr><td>kommune</td><td>monat</td>"
        b"<td>arbeitslose_auslaendisch</td></tr><tr><td>Bergkamen</td><td>2026-10</td><td>812</td></tr></table>"
        b"</body></html>\n"
    )
    (HOSTILE / "excel_2003_xml.xls").write_bytes(
        b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns='
        b'"urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        b'<Worksheet ss:Name="Export"><Table><Row><Cell><Data ss:Type="String">kommune</Data></Cell></Row></Table>'
        b"</Worksheet></Workbook>\n"
    )
    text = "kommune;monat;arbeitslose_auslaendisch\r\nBergkamen;2026-10;812\r\n"
    (HOSTILE / "text_als_xlsx.xlsx").write_bytes(text.encode())
    (HOSTILE / "text_als_xls.xls").write_bytes(text.replace(";", "\t").encode("cp1252"))
    (HOSTILE / "text_als_ods.ods").write_bytes(text.encode())
    # Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated.
    (HOSTILE / "unicode_text.txt").write_bytes(text.replace(";", "\t").encode("utf-16"))
    # A valid header, then binary garbage (without NUL bytes, so only the share of control bytes betrays it).
    garbage = bytes(b or 1 for b in random.Random(10).randbytes(8192))
    (HOSTILE / "binaer_nach_kopfzeile.csv").write_bytes(text.splitlines()[0].encode() + b"\r\n" + garbage)
    (HOSTILE / "binaer.csv").write_bytes(random.Random(11).randbytes(4096))
    # An opening quote that is never closed: the rest of the file becomes one field over the csv limit.
    (HOSTILE / "csv_anfuehrungszeichen_offen.csv").write_bytes(
        (text + 'Bönen;"2026-10;210\r\n' + "Unna;2026-10;999\r\n" * 8000).encode()
    )
    # A gzip-packed CSV that lost its .gz ending.
    import gzip

    (HOSTILE / "gzip_als_csv.csv").write_bytes(gzip.compress(text.encode(), mtime=0))


def make_hostile_folder() -> None:
    if HOSTILE.exists():
        shutil.rmtree(HOSTILE)
    HOSTILE.mkdir(parents=True)
    make_hostile()
    print(f"{HOSTILE.relative_to(HERE.parent.parent)}: {len(list(HOSTILE.iterdir()))} Dateien")


if __name__ == "__main__":
    main()
    make_messy_folder()
    make_hostile_folder()

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


def main() -> None:
    for folder in (GOOD, BAD):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    make_good()
    make_bad()
    for folder in (GOOD, BAD):
        print(f"{folder.relative_to(HERE.parent.parent)}: {len(list(folder.iterdir()))} Dateien")


if __name__ == "__main__":
    main()

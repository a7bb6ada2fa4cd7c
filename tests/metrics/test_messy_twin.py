"""A messy real-looking delivery of the whole catalogue gives the same indicator values as its
clean canonical twin (issue 3, "Done when").

The clean delivery is the demo generator's canonical files of every source (four months up to
October 2026, CSV case files). An independent transformer, written here and knowing nothing of the
loaders, turns each file into what a Kommune or agency really sends: title and note rows, footnotes,
header aliases with line breaks, units and umlauts, names of Kommunen in their variants instead of
AGS (or AGS without the leading zero), German numbers and dates, months as 'Oktober 2026' and its
cousins, '-' for zero and 'k.A.' for missing, a Kreis total row that matches, an unknown extra
column, shuffled rows, cp1252 semicolon CSV, tab-separated text, Excel workbooks with the table on
the second sheet; the case lists split into one file per Kommune and month, one Kommune's without a
Kommune column (given with ``--kommune``), one month of the Schulamt's without a month column
(given with ``--month``).

Both sets go through the real command line into two databases; then every current view must hold
the same rows and ``python -m metrics values --period month|quarter`` (CSV, published and
internal) must print the same lines.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest

from demo.files import write_demo_files
from tests.helpers.cli import describe_failure, run_module
from tests.helpers.oracle import last_day

Record = dict[str, Any]  # one canonical row: column -> text, number or None
TwinDatabases = tuple[Path, Path, list[dict[str, Any]], int]  # clean, messy, messy entries, case lists
Cell = Any

SOURCES = (
    "fallmanagement",
    "arbeitsmarkt",
    "auslaenderbehoerde",
    "schule",
    "sprache",
    "ehrenamt",
    "bevoelkerung",
    "kennzahlen",
)
SELM = "05978032"  # its case lists come without a Kommune column

# --- how people write things -------------------------------------------------------------------

# AGS -> ways the Kommune is written in real files (all agreed in the Datenlieferung).
KOMMUNE_SPELLINGS: dict[str, tuple[str, ...]] = {
    "05978004": ("Bergkamen", "Stadt Bergkamen", "BERGKAMEN"),
    "05978008": ("Bönen", "Gemeinde Bönen", "Boenen"),
    "05978012": ("Fröndenberg", "Froendenberg/Ruhr", "Fröndenberg/Ruhr"),
    "05978016": ("Holzwickede", "Gemeinde Holzwickede", "HOLZWICKEDE"),
    "05978020": ("Kamen", "Stadt Kamen", "KAMEN"),
    "05978024": ("Lünen", "LÜNEN", "Luenen"),
    "05978028": ("Schwerte", "Stadt Schwerte", "SCHWERTE"),
    "05978032": ("Selm", "Stadt Selm", "SELM"),
    "05978036": ("Unna", "Stadt Unna", "UNNA"),
    "05978040": ("Werne", "Werne an der Lippe", "WERNE"),
}
MONTH_NAMES = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
               "November", "Dezember")  # fmt: skip
MONTH_SHORT = ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez")

ABSCHLUSSGRUND = {
    "ziel_erreicht": "Ziel erreicht",
    "teilweise_erreicht": "Ziel teilweise erreicht",
    "weitervermittelt": "Weitervermittlung",
    "abbruch": "Abbruch durch Klient/in",
    "wegzug": "Wegzug",
    "sonstiges": "Sonstiges",
}
ALTERSGRUPPE = {"0-17": "unter 18", "18-26": "18 bis 26", "27-44": "27 bis 44", "45-64": "45 bis 64",
                "65+": "65 und älter"}  # fmt: skip
GESCHLECHT = {"w": "weiblich", "m": "männlich", "d": "divers", "k.A.": "keine Angabe"}
RECHTSKREIS = {"SGB II": "SGB 2", "SGB III": "SGB 3", "SGB VIII": "SGB 8", "SGB XII": "SGB 12",
               "AsylbLG": "AsylbLG", "ohne Leistungsbezug": "ohne Leistungsbezug", "unbekannt": "unbekannt"}  # fmt: skip
ZUGANG = {
    "selbstmeldung": "Selbstmeldung",
    "auslaenderbehoerde": "Ausländerbehörde",
    "jobcenter": "Jobcenter",
    "agentur_fuer_arbeit": "Agentur für Arbeit",
    "schule": "Schule",
    "jugendamt": "Jugendamt",
    "sozialamt": "Sozialamt",
    "wohlfahrtsverband": "Wohlfahrtsverband",
    "ehrenamt": "Ehrenamt",
    "sonstige": "Sonstige",
}
HANDLUNGSFELD = {
    "sprache": "Sprache",
    "bildung": "Bildung und Schule",
    "arbeit": "Arbeit und Ausbildung",
    "wohnen": "Wohnen",
    "gesundheit": "Gesundheit",
    "aufenthalt": "Aufenthalt und Einbürgerung",
    "teilhabe": "Gesellschaftliche Teilhabe und Ehrenamt",
    "uebergreifend": "Steuerung und Übergänge",
}

# Canonical column -> header as an export writes it (aliases, line breaks, units, umlauts).
FALL_HEADERS = {
    "fall_id": "Fallnummer",
    "kommune": "Stadt/Gemeinde",
    "monat": "Berichts-\nmonat",
    "anfrage": "Zuweisung am",
    "fallbeginn": "Aufnahme",
    "erstkontakt": "Erstgespräch",
    "fallende": "Abschluss",
    "abschlussgrund": "Abschluss-\ngrund",
    "zuzugsjahr": "Zuzug",
    "altersgruppe": "ALTERSGRUPPE",
    "geschlecht": "Geschlecht",
    "rechtskreis": "Rechtskreis",
    "rechtskreise_beteiligt": "Rechtskreise beteiligt",
    "zugang": "Zugangsweg",
    "handlungsfelder": "Handlungs-\nfelder",
    "ehrenamt": "Ehrenamt eingebunden",
    "uebergaben": "Übergaben",
    "uebergaben_erfolgreich": "Uebergaben erfolgreich",
    "ergebnis_arbeit": "Arbeit/Ausbildung aufgenommen",
}
AGGREGATE_HEADERS = {
    "arbeitsmarkt": {
        "arbeitslose_auslaendisch": "Arbeitslose\nAusländer/innen",
        "elb_auslaendisch": "eLb Ausländer",
        "integrationen_auslaendisch": "Integrationen\n(Ausländer)",
    },
    "auslaenderbehoerde": {
        "antraege_eingang": "Eingegangene Anträge",
        "antraege_entschieden": "Entschiedene Antraege",
        "bearbeitungstage_summe": "Bearbeitungstage (Summe)",
        "offene_verfahren": "Offene  Verfahren",
        "aufenthaltsverfestigungen": "Aufenthaltsverfestigungen (§§ 25a/25b/104c)",
        "einbuergerungen": "Einbürgerungen",
    },
    "schule": {
        "seiteneinsteiger_neu": "Seiteneinsteiger neu",
        "seiteneinsteiger_beschult_4w": "davon beschult innerhalb 4 Wochen",
        "wartende_schulplatz": "Wartende auf Schulplatz",
    },
    "sprache": {
        "berechtigungen": "Berechtigungen",
        "kurseintritte": "Kurs-\neintritte",
        "wartetage_summe": "Summe Wartetage",
        "pruefungen_dtz": "DTZ-Prüfungen",
        "b1_erreicht": "B1 erreicht",
    },
    "ehrenamt": {
        "ehrenamtliche_aktiv": "Aktive Ehrenamtliche",
        "ehrenamtliche_neu": "Neue Ehrenamtliche",
        "tandems_aktiv": "Aktive Tandems",
        "einsatzstunden": "Einsatzstunden (h)",
    },
    "bevoelkerung": {
        "einwohner": "Einwohner",
        "auslaendisch": "Ausländer/innen",
        "auslaendisch_15_64": "Ausländer/innen 15-64",
        "zugewandert_5j": "Zuzug aus dem Ausland in 5 Jahren",
    },
}


def german_number(value: Decimal, zero: str = "-") -> str:
    """'1.234', '1.234,5', '86,25'; zero as the official-statistics dash."""
    if value == 0:
        return zero
    whole, _, fraction = f"{value.normalize():f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{fraction}" if fraction else grouped


def number_cell(value: Decimal | None, zero: str | None = None) -> Cell:
    """A number cell of a workbook: an integer, the dash for zero if asked, 'k.A.' when missing."""
    if value is None:
        return "k.A."
    if value == 0 and zero is not None:
        return zero
    return int(value) if value == value.to_integral_value() else float(value)


def year_and_month(text: str) -> tuple[int, int]:
    year, month = text.split("-")
    return int(year), int(month)


def german_date(iso: str, short: bool) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.day}.{day.month}.{day.year % 100:02d}" if short else day.strftime("%d.%m.%Y")


# --- reading the clean files ---------------------------------------------------------------------


def read_clean(path: Path) -> list[Record]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            return [{k: (v if v != "" else None) for k, v in row.items()} for row in csv.DictReader(handle)]
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:] if any(v is not None for v in row)]


def source_of(path: Path) -> str:
    return next(s for s in SOURCES if path.name.startswith(s))


# --- writing messy files -------------------------------------------------------------------------


def write_csv(path: Path, rows: Iterable[Sequence[Cell]], *, delimiter: str, encoding: str) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(
        [["" if cell is None else cell for cell in row] for row in rows]
    )
    path.write_bytes(buffer.getvalue().encode(encoding))


def write_xlsx(path: Path, sheets: dict[str, list[list[Cell]]], *, hidden: Sequence[str] = ()) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "DD.MM.YYYY"
        if rows and len(rows[0]) == 1 and rows[0][0]:
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)  # the title
        for letter in hidden:
            sheet.column_dimensions[letter].hidden = True
    workbook.save(path)


class Twin:
    """Turns the clean files into messy ones; collects the ingest commands they need."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.random = random.Random(20261125)
        self.plain: list[Path] = []  # ingested together
        self.with_options: dict[tuple[str, ...], list[Path]] = defaultdict(list)  # by the options they need
        self.case_lists = 0  # files of fallmanagement: one per Kommune and month

    def spelling(self, ags: str) -> str:
        return self.random.choice(KOMMUNE_SPELLINGS[ags])

    def shuffled(self, records: list[Record]) -> list[Record]:
        copy = list(records)
        self.random.shuffle(copy)
        return copy

    def transform(self, path: Path) -> None:
        """Write the messy twin of one clean file (by the method named like its source)."""
        getattr(self, source_of(path))(read_clean(path))

    # aggregate sources ---------------------------------------------------------------------------

    @staticmethod
    def numbers(record: Record, columns: Iterable[str]) -> list[Decimal | None]:
        return [None if record[c] is None else Decimal(str(record[c])) for c in columns]

    @staticmethod
    def kreis_totals(records: list[Record], columns: Sequence[str]) -> dict[str, list[Decimal]]:
        """Per month, the sum of every column over the Kommunen: the Kreis total row."""
        totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * len(columns))
        for record in records:
            for i, value in enumerate(Twin.numbers(record, columns)):
                totals[record["monat"]][i] += value or 0
        return dict(totals)

    def arbeitsmarkt(self, records: list[Record]) -> None:
        """BA statistics workbook: explanations first, the table on the second sheet below a merged
        title; AGS as text beside the name, 'Oktober 2026', '-' for zero, the Kreis total by key."""
        columns = list(AGGREGATE_HEADERS["arbeitsmarkt"])
        body: list[list[Cell]] = []
        for record in self.shuffled(records):
            year, month = year_and_month(record["monat"])
            values = [number_cell(v, "-") for v in self.numbers(record, columns)]
            body.append([record["kommune"], self.spelling(record["kommune"]), f"{MONTH_NAMES[month - 1]} {year}",
                         *values])  # fmt: skip
        for monat, totals in sorted(self.kreis_totals(records, columns).items()):
            year, month = year_and_month(monat)
            body.append(["05978", "Kreis Unna", f"{MONTH_NAMES[month - 1]} {year}", *[int(t) for t in totals]])
        sheet = [
            ["Statistik der Bundesagentur für Arbeit – Arbeitsmarkt nach Staatsangehörigkeit"],
            ["Kreis Unna, Gemeinden; Datenstand November 2026"],
            [],
            ["AGS", "Gemeinde", "Berichts-\nmonat", *AGGREGATE_HEADERS["arbeitsmarkt"].values()],
            *body,
            [],
            ["- = nichts vorhanden"],
            ["© Statistik der Bundesagentur für Arbeit"],
        ]
        notes = [["Erläuterungen"], ["Die Daten stehen im Tabellenblatt 'Daten'."], ["AGS: Gemeindeschlüssel"]]
        path = self.folder / "BA_Arbeitsmarkt_Kreis_Unna.xlsx"
        write_xlsx(path, {"Erläuterungen": notes, "Daten": sheet})
        self.plain.append(path)

    def auslaenderbehoerde(self, records: list[Record]) -> None:
        """Semicolon CSV from Excel (cp1252): names, '07/2026', thousands dots, '–' for zero, a
        'Summe Kreis' row per month, an unknown column, a footnote."""
        columns = list(AGGREGATE_HEADERS["auslaenderbehoerde"])
        rows: list[list[Cell]] = [
            ["Ausländerbehörde Kreis Unna – Monatsstatistik", "", "", "", "", "", "", "", ""],
            ["Wohnort", "Zeitraum", *AGGREGATE_HEADERS["auslaenderbehoerde"].values(), "Sachgebiet"],
        ]
        for record in self.shuffled(records):
            year, month = year_and_month(record["monat"])
            values = [german_number(v, zero="–") if v is not None else "k.A." for v in self.numbers(record, columns)]
            rows.append([self.spelling(record["kommune"]), f"{month:02d}/{year}", *values, "32.1"])
        for monat, totals in sorted(self.kreis_totals(records, columns).items()):
            year, month = year_and_month(monat)
            rows.append(["Summe Kreis", f"{month:02d}/{year}", *[german_number(t, zero="–") for t in totals], ""])
        rows.append(["Stand: 05.11.2026"])
        path = self.folder / "ABH_Statistik_2026.csv"
        write_csv(path, rows, delimiter=";", encoding="cp1252")
        self.plain.append(path)

    def schule(self, records: list[Record]) -> None:
        """Schulamt: the third quarter as a tab-separated text file (UTF-8 with BOM, AGS without the
        leading zero, '202607'); October on its own without a month column (given with --month)."""
        columns = list(AGGREGATE_HEADERS["schule"])
        months = sorted({r["monat"] for r in records})
        earlier = [r for r in records if r["monat"] != months[-1]]
        rows: list[list[Cell]] = [["Gemeindekennziffer", "Monat", *AGGREGATE_HEADERS["schule"].values()]]
        for record in self.shuffled(earlier):
            values = [german_number(v) if v is not None else "x" for v in self.numbers(record, columns)]
            rows.append([record["kommune"].lstrip("0"), record["monat"].replace("-", ""), *values])
        for monat, totals in sorted(self.kreis_totals(earlier, columns).items()):
            rows.append(["Insgesamt", monat.replace("-", ""), *[german_number(t) for t in totals]])
        path = self.folder / "Seiteneinsteiger_Q3.txt"
        write_csv(path, rows, delimiter="\t", encoding="utf-8-sig")
        self.plain.append(path)

        latest = [r for r in records if r["monat"] == months[-1]]
        rows = [
            [f"Seiteneinsteiger {MONTH_NAMES[year_and_month(months[-1])[1] - 1]} {year_and_month(months[-1])[0]}"],
            ["Kommune", *AGGREGATE_HEADERS["schule"].values()],
        ]
        for record in self.shuffled(latest):
            rows.append([self.spelling(record["kommune"]), *[number_cell(v) for v in self.numbers(record, columns)]])
        totals = self.kreis_totals(latest, columns)[months[-1]]
        rows.append(["Kreis Unna insgesamt", *[int(t) for t in totals]])
        path = self.folder / "Seiteneinsteiger_aktuell.csv"
        write_csv(path, rows, delimiter=",", encoding="utf-8")
        self.with_options[("--month", months[-1])].append(path)

    def sprache(self, records: list[Record]) -> None:
        """Workbook of the course providers: hints on the first sheet, the table on the second
        with the month as the last day (a date cell), names in capitals, numbers stored as text
        with spaces, a hidden running number, the Kreis total by name."""
        columns = list(AGGREGATE_HEADERS["sprache"])
        body: list[list[Cell]] = []
        for number, record in enumerate(self.shuffled(records), start=1):
            values = [f" {int(v)} " if v is not None else "k.A." for v in self.numbers(record, columns)]
            body.append([number, KOMMUNE_SPELLINGS[record["kommune"]][0].upper(), last_day(record["monat"]), *values])
        for monat, totals in sorted(self.kreis_totals(records, columns).items()):
            body.append([None, "Kreis Unna insgesamt", last_day(monat), *[int(t) for t in totals]])
        sheet = [
            ["Integrationskurse im Kreis Unna"],
            ["gemeldet von den Kursträgern über das Kommunale Integrationszentrum"],
            [],
            ["lfd. Nr.", "Gemeinde", "Stichtag", *AGGREGATE_HEADERS["sprache"].values()],
            *body,
        ]
        path = self.folder / "Integrationskurse.xlsx"
        write_xlsx(path, {"Hinweise": [["Bitte nur das Blatt 'Kurse' ausfüllen."]], "Kurse": sheet}, hidden=("A",))
        self.plain.append(path)

    def ehrenamt(self, records: list[Record]) -> None:
        """Semicolon CSV (cp1252) from the volunteer coordination: 'Okt 2026', decimal commas with
        thousands dots, '-' for zero, a 'Gesamt' row per month."""
        columns = list(AGGREGATE_HEADERS["ehrenamt"])
        rows: list[list[Cell]] = [
            ["Ehrenamtskoordination Kreis Unna", "", "", "", "", ""],
            ["", "", "", "", "", ""],
            ["Kommune", "Monat", *AGGREGATE_HEADERS["ehrenamt"].values()],
        ]
        for record in self.shuffled(records):
            year, month = year_and_month(record["monat"])
            values = [german_number(v) if v is not None else "k.A." for v in self.numbers(record, columns)]
            rows.append([self.spelling(record["kommune"]), f"{MONTH_SHORT[month - 1]} {year}", *values])
        for monat, totals in sorted(self.kreis_totals(records, columns).items()):
            year, month = year_and_month(monat)
            rows.append(["Gesamt", f"{MONTH_SHORT[month - 1]} {year}", *[german_number(t) for t in totals]])
        path = self.folder / "Ehrenamt_Meldung.csv"
        write_csv(path, rows, delimiter=";", encoding="cp1252")
        self.plain.append(path)

    def bevoelkerung(self, records: list[Record]) -> None:
        """IT.NRW table as comma CSV with BOM: AGS without the leading zero, the Stichtag as the last
        day of the month, thousands dots, the Kreis total by key."""
        columns = list(AGGREGATE_HEADERS["bevoelkerung"])
        rows: list[list[Cell]] = [
            ["Bevölkerungsstand nach Gemeinden"],
            ["Quelle: IT.NRW"],
            ["Gemeindeschlüssel", "Stichtag", *AGGREGATE_HEADERS["bevoelkerung"].values()],
        ]
        for record in self.shuffled(records):
            values = [german_number(v) if v is not None else "" for v in self.numbers(record, columns)]
            rows.append([record["kommune"].lstrip("0"), last_day(record["monat"]).strftime("%d.%m.%Y"), *values])
        for monat, totals in sorted(self.kreis_totals(records, columns).items()):
            rows.append(["05978", last_day(monat).strftime("%d.%m.%Y"), *[german_number(t) for t in totals]])
        path = self.folder / "Bevoelkerung_ITNRW.csv"
        write_csv(path, rows, delimiter=",", encoding="utf-8-sig")
        self.plain.append(path)

    def kennzahlen(self, records: list[Record]) -> None:
        """Long format in a workbook with descriptive extra columns, lower-case codes, the month as
        '01.07.2026' text and values as German text numbers."""
        rows: list[list[Cell]] = [["Gemeinde", "Monat", "Kennzahl", "Bezeichnung", "Wert", "Einheit"]]
        for record in self.shuffled(records):
            value = Decimal(str(record["wert"]))
            rows.append([self.spelling(record["kommune"]), f"01.{record['monat'][5:]}.{record['monat'][:4]}",
                         record["kennzahl"].lower(), "Beratungen" if record["kennzahl"] == "E01" else "Teilnehmende",
                         german_number(value, zero="0"), "Anzahl"])  # fmt: skip
        path = self.folder / "Weitere_Kennzahlen.xlsx"
        write_xlsx(path, {"Kennzahlen": rows})
        self.plain.append(path)

    # the case lists: one file per Kommune and month ---------------------------------------------

    def fallmanagement(self, records: list[Record]) -> None:
        by_kommune: dict[str, list[Record]] = defaultdict(list)
        for record in records:
            by_kommune[record["kommune"]].append(record)
        for index, (ags, cases) in enumerate(sorted(by_kommune.items())):
            self.case_lists += 1
            monat = cases[0]["monat"]
            name = KOMMUNE_SPELLINGS[ags][0]
            if ags == SELM:
                path = self.case_csv(cases, ags, monat, with_kommune=False)
                self.with_options[("--kommune", name)].append(path)
            elif index % 2 == 0:
                self.plain.append(self.case_xlsx(cases, ags, monat))
            else:
                self.plain.append(self.case_csv(cases, ags, monat, with_kommune=True))

    def case_values(self, record: Record, date: Callable[[str], Cell], yes_no: tuple[str, str]) -> dict[str, Cell]:
        def category(column: str, labels: dict[str, str]) -> Cell:
            return labels[record[column]] if record[column] is not None else None

        def count(column: str) -> Cell:
            value = record[column]
            if value is None:
                return "k.A."
            return "-" if int(value) == 0 else int(value)

        def boolean(column: str) -> Cell:
            return yes_no[0] if record[column] == "ja" else yes_no[1]

        fields = [HANDLUNGSFELD[code] for code in record["handlungsfelder"].split(";")]
        return {
            "fall_id": record["fall_id"],
            "anfrage": date(record["anfrage"]) if record["anfrage"] else None,
            "fallbeginn": date(record["fallbeginn"]),
            "erstkontakt": date(record["erstkontakt"]) if record["erstkontakt"] else None,
            "fallende": date(record["fallende"]) if record["fallende"] else None,
            "abschlussgrund": category("abschlussgrund", ABSCHLUSSGRUND),
            "zuzugsjahr": int(record["zuzugsjahr"]),
            "altersgruppe": category("altersgruppe", ALTERSGRUPPE),
            "geschlecht": category("geschlecht", GESCHLECHT),
            "rechtskreis": category("rechtskreis", RECHTSKREIS),
            "rechtskreise_beteiligt": count("rechtskreise_beteiligt"),
            "zugang": category("zugang", ZUGANG),
            "handlungsfelder": self.random.choice((", ", " / ", "; ")).join(fields),
            "ehrenamt": boolean("ehrenamt"),
            "uebergaben": count("uebergaben"),
            "uebergaben_erfolgreich": count("uebergaben_erfolgreich"),
            "ergebnis_arbeit": boolean("ergebnis_arbeit"),
        }

    def case_xlsx(self, cases: list[Record], ags: str, monat: str) -> Path:
        """Export of a case-management tool: date cells, 'x' marks, a title, a footnote."""
        year, month = year_and_month(monat)
        columns = list(FALL_HEADERS)
        rows: list[list[Cell]] = [[f"Fallliste {KOMMUNE_SPELLINGS[ags][1]} – {MONTH_NAMES[month - 1]} {year}"], []]
        rows.append([FALL_HEADERS[c] for c in columns] + ["Bemerkung"])
        for record in self.shuffled(cases):
            values = self.case_values(record, dt.date.fromisoformat, ("x", None))
            values["kommune"] = self.spelling(ags)
            values["monat"] = f"{MONTH_NAMES[month - 1]} {year}"
            rows.append([values[c] for c in columns] + [self.random.choice(("", "Folgetermin vereinbart"))])
        rows += [[], ["Stand: 05.11.2026"]]
        path = self.folder / f"Fallliste_{ags}_{monat}.xlsx"
        write_xlsx(path, {"Fälle": rows})
        return path

    def case_csv(self, cases: list[Record], ags: str, monat: str, *, with_kommune: bool) -> Path:
        """Semicolon CSV in cp1252: German text dates (also with a two-digit year), 'ja'/'nein' or
        'wahr'/'falsch', 'Okt 2026'."""
        year, month = year_and_month(monat)
        columns = [c for c in FALL_HEADERS if with_kommune or c != "kommune"]
        yes_no = self.random.choice((("ja", "nein"), ("wahr", "falsch"), ("1", "0")))
        rows: list[list[Cell]] = [[FALL_HEADERS[c].replace("\n", "") for c in columns]]
        for record in self.shuffled(cases):
            values = self.case_values(record, lambda iso: german_date(iso, self.random.random() < 0.3), yes_no)
            values["kommune"] = self.spelling(ags)
            values["monat"] = f"{MONTH_SHORT[month - 1]} {year}"
            rows.append([values[c] for c in columns])
        path = self.folder / f"Faelle_{ags}_{monat}.csv"
        write_csv(path, rows, delimiter=";", encoding="cp1252")
        return path


# --- the test ------------------------------------------------------------------------------------


def ingest(db: Path, files: Sequence[Path], *options: str) -> list[dict[str, Any]]:
    result = run_module(["loaders", "ingest", *map(str, files), *options, "--db", str(db), "--json"])
    assert result.returncode == 0, "ingest failed: " + describe_failure(result)
    entries: list[dict[str, Any]] = json.loads(result.stdout)["files"]
    assert [e["status"] for e in entries] == ["accepted"] * len(files), describe_failure(result)
    return entries


def view_rows(db: Path, source: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as connection:
        return connection.execute(f"SELECT * FROM v_{source} ORDER BY ALL").fetchall()


def values_lines(db: Path, period: str, *extra: str) -> list[str]:
    result = run_module(["metrics", "values", "--db", str(db), "--period", period, "--format", "csv", *extra])
    assert result.returncode == 0, f"values --period {period} failed: " + describe_failure(result)
    return result.stdout.splitlines()


@pytest.fixture(scope="module")
def twin_databases(tmp_path_factory: pytest.TempPathFactory) -> TwinDatabases:
    folder = tmp_path_factory.mktemp("twin")
    clean_files = write_demo_files(folder / "clean", months=4, scale=0.3, end="2026-10", case_format="csv")
    assert {source_of(p) for p in clean_files} == set(SOURCES)
    twin = Twin(folder / "messy")
    twin.folder.mkdir()
    for path in clean_files:
        twin.transform(path)

    clean_db, messy_db = folder / "clean.duckdb", folder / "messy.duckdb"
    with ThreadPoolExecutor(max_workers=1) as pool:  # the two databases are filled side by side
        clean = pool.submit(ingest, clean_db, clean_files)
        messy_entries = ingest(messy_db, twin.plain)
        for options, files in twin.with_options.items():
            messy_entries += ingest(messy_db, files, *options)
        clean.result()
    return clean_db, messy_db, messy_entries, twin.case_lists


def test_the_messy_files_are_messy(twin_databases: TwinDatabases) -> None:
    """Every source and every Kommune's case list arrived, the Kreis totals all matched, the
    unknown columns were noticed."""
    _, _, entries, case_lists = twin_databases
    assert {e["source"] for e in entries} == set(SOURCES)
    assert sum(e["source"] == "fallmanagement" for e in entries) == case_lists == 40  # ten Kommunen, 4 months
    warnings = [w["message"] for e in entries for w in e["warnings"]]
    assert not [m for m in warnings if "Summenzeile" in m], "a Kreis total did not match"
    assert any("'Sachgebiet' ist nicht vereinbart" in m for m in warnings)


@pytest.mark.parametrize("source", SOURCES)
def test_same_stored_rows(source: str, twin_databases: TwinDatabases) -> None:
    clean_db, messy_db, _, _ = twin_databases
    clean = view_rows(clean_db, source)
    assert clean, f"the clean delivery holds no {source} rows"
    messy = view_rows(messy_db, source)
    assert len(messy) == len(clean)
    different = [(c, m) for c, m in zip(clean, messy, strict=True) if c != m]
    assert not different, f"{len(different)} rows differ, first: clean {different[0][0]} / messy {different[0][1]}"


@pytest.mark.parametrize("internal", [False, True], ids=["published", "internal"])
@pytest.mark.parametrize("period", ["month", "quarter"])
def test_same_indicator_values(period: str, internal: bool, twin_databases: TwinDatabases) -> None:
    clean_db, messy_db, _, _ = twin_databases
    extra = ("--internal",) if internal else ()
    with ThreadPoolExecutor(max_workers=2) as pool:
        clean, messy = pool.map(lambda db: values_lines(db, period, *extra), (clean_db, messy_db))
    with_value = [row for row in csv.DictReader(clean) if row["wert"] != ""]
    assert len(with_value) > 100, "the clean delivery gives hardly any values"
    different = [(i, c, m) for i, (c, m) in enumerate(zip(clean, messy, strict=False), start=1) if c != m]
    assert not different, (
        f"{len(different)} lines differ, first (line {different[0][0]}):\n{different[0][1]}\n{different[0][2]}"
    )
    assert len(messy) == len(clean)

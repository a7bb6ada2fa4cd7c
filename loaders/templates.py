"""Excel templates (Vorlagen) for the deliveries, generated from the source declarations alone.

A template is an .xlsx with three sheets:

- the data sheet, named after the source's German label: row 1 holds the headers users write (each
  column's German label, exactly as the reader matches it); required columns are bold with a coloured
  fill, every header has a comment; dropdowns, number and date formats and input messages cover the
  first ``TEMPLATE_ROWS`` rows;
- "Hinweise": the general rules, the row checks and one line per column (label, identifier,
  required, type, allowed values, description, Bestand/Bewegung);
- "Auswahllisten" (hidden, only when a list is too long to live in the validation itself): one
  dropdown list per row, so that no row of it can be taken for a header.

Every value a dropdown offers is a spelling the reader resolves (a Kommune's name, a category's
German label or code, ja/nein, a Handlungsfeld's name), so a template filled from its dropdowns
ingests without errors or warnings. Example::

    from loaders.templates import template_bytes, template_filename
    data = template_bytes("fallmanagement")  # for a download button
    name = template_filename("fallmanagement")  # "Vorlage_Fallmanagement.xlsx"
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.comments import Comment  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter, quote_sheetname  # type: ignore[import-untyped]
from openpyxl.workbook.defined_name import DefinedName  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

from core import format as fmt
from core.normalize import fold, value_key
from core.reference import extern_codes, handlungsfelder, kommunen, read_yaml
from core.settings import DATA_DIR
from core.sources import Column, Rule, Source, source
from loaders import rules as row_rules

TEMPLATE_ROWS = 10_000  # data rows covered by dropdowns and input messages
HINWEISE_SHEET = "Hinweise"
LISTS_SHEET = "Auswahllisten"
INLINE_LIST_LIMIT = 60  # characters; Excel caps an inline list at 255, and the configuration may grow
AUTHOR = "KIM-Cockpit"

NUMBER_FORMATS = {
    "count": "#,##0",
    "decimal": "#,##0.0",
    "date": "DD.MM.YYYY",
    "year": "0",
    # Text, so that Excel keeps what is typed: 2026-10 and 18-26 are not dates, 05978004 keeps its zero.
    "monat": "@",
    "kommune": "@",
    "category": "@",
    "list": "@",
    "bool": "@",
    "text": "@",
}
TYPE_NAMES = {
    "text": "Text",
    "kommune": "Kommune",
    "monat": "Monat (JJJJ-MM)",
    "date": "Datum (TT.MM.JJJJ)",
    "year": "Jahr (JJJJ)",
    "count": "ganze Zahl ≥ 0",
    "decimal": "Zahl ≥ 0, Dezimalkomma erlaubt",
    "bool": "ja/nein",
    "category": "Auswahl aus einer Liste",
    "list": "Auswahl, auch mehrere (mit ; trennen)",
}
YES_NO = ("ja", "nein")

REQUIRED_FILL = PatternFill("solid", fgColor="F8CBAD")
OPTIONAL_FILL = PatternFill("solid", fgColor="E7E6E6")
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
WRAP = Alignment(wrap_text=True, vertical="top")


# --- what a column's dropdown offers ----------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One dropdown entry: what the user picks and the code the reader stores for it."""

    offered: str
    code: str


def category_choice(code: str, labels: Iterable[str]) -> str:
    """The spelling a dropdown offers for a category code: the German label for a technical code
    (``ziel_erreicht`` → "Ziel erreicht", ``w`` → "weiblich"), the capitalised label for a lower-case
    word (``jobcenter`` → "Jobcenter"), otherwise the code itself, which is then already written
    for people ("SGB II", "0-17", "k.A.", "unbekannt")."""
    labels = tuple(labels)
    if labels and ("_" in code or len(code) <= 2):
        return labels[0]
    if code == code.lower():
        for label in labels:
            if value_key(label) == value_key(code):
                return label
    return code


def choices(column: Column) -> tuple[Choice, ...]:
    """What the column's dropdown offers (empty for a column without one)."""
    if column.type == "kommune":
        return tuple(Choice(k.name, k.ags) for k in kommunen())
    if column.type == "bool":
        return (Choice("ja", "ja"), Choice("nein", "nein"))
    if column.type == "list":
        return tuple(Choice(h.name, h.code) for h in handlungsfelder())
    if column.type == "category" and column.values_from == "extern":
        return tuple(Choice(code, code) for code in extern_codes())
    if column.type == "category":
        return tuple(Choice(category_choice(code, labels), code) for code, labels in (column.values or {}).items())
    return ()


@cache
def _extern_names() -> dict[str, tuple[str, bool]]:
    """Code → (name, stock) of the figures the catalogue lists as delivered through 'kennzahlen'."""
    catalogue = read_yaml(DATA_DIR / "kennzahlen.yaml")
    return {
        str(item["code"]): (str(item.get("name", "")), bool(item.get("stock"))) for item in catalogue.get("extern", [])
    }


def _extern_text(code: str) -> str:
    """ "E02 – Teilnehmende JMD (Bestand am Monatsende)" for the Hinweise."""
    name, stock = _extern_names().get(code, ("", False))
    kind = "Bestand am Monatsende" if stock else "Bewegung im Monat"
    return f"{code} – {name} ({kind})" if name else f"{code} ({kind})"


# --- public API -------------------------------------------------------------------------------


def write_template(source_name: str, target: Path | BinaryIO) -> None:
    """Write the template of a source as .xlsx to a path or a binary file object.

    An unknown source raises ConfigError (with a German message naming the known ones)."""
    workbook = build_workbook(source(source_name))
    workbook.save(str(target) if isinstance(target, Path) else target)


def template_bytes(source_name: str) -> bytes:
    """The template of a source as .xlsx bytes, e.g. for a download button."""
    buffer = io.BytesIO()
    write_template(source_name, buffer)
    return buffer.getvalue()


def template_filename(source_name: str) -> str:
    """A file name for the download: "Vorlage_Auslaenderbehoerde.xlsx"."""
    label = fold(source(source_name).label).title()
    return "Vorlage_" + "".join(ch if ch.isalnum() else "_" for ch in label) + ".xlsx"


def data_sheet_name(declared: Source) -> str:
    """The data sheet's name: the source's German label as Excel allows it (≤ 31 characters,
    none of [ ] : * ? / \\)."""
    name = "".join("_" if ch in "[]:*?/\\" else ch for ch in declared.label).strip("'")
    return name[:31] or declared.name[:31]


def build_workbook(declared: Source) -> Any:
    """The template as an openpyxl Workbook: the data sheet first (and active), then 'Hinweise',
    then the hidden lists when a dropdown needs them."""
    workbook = Workbook()
    data = workbook.active
    data.title = data_sheet_name(declared)
    _DataSheet(workbook, data, declared).build()
    _write_hinweise(workbook.create_sheet(HINWEISE_SHEET), declared, data.title)
    if LISTS_SHEET in workbook.sheetnames:  # created on demand; keep it last
        workbook.move_sheet(LISTS_SHEET, offset=len(workbook.sheetnames))
    workbook.active = 0
    workbook.properties.creator = AUTHOR
    workbook.properties.title = f"Vorlage {declared.label}"
    return workbook


# --- the data sheet ---------------------------------------------------------------------------


def _clip(text: str, limit: int) -> str:
    """Excel caps input messages (255) and their titles (32)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _required_if(declared: Source, column: Column) -> Column | None:
    for rule in declared.rules:
        if row_rules.rule_kind(rule).makes_required and rule.column == column.name and rule.other:
            return declared.column(rule.other)
    return None


class _DataSheet:
    def __init__(self, workbook: Any, sheet: Any, declared: Source) -> None:
        self.workbook = workbook
        self.sheet = sheet
        self.source = declared
        self.lists_used = 0

    def build(self) -> None:
        for index, column in enumerate(self.source.columns, start=1):
            letter = get_column_letter(index)
            cell = self.sheet.cell(row=1, column=index, value=column.display)
            cell.font = Font(bold=column.required)
            cell.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            comment = Comment(self.comment_text(column), AUTHOR)
            comment.width, comment.height = 320, 140
            cell.comment = comment
            dimension = self.sheet.column_dimensions[letter]
            dimension.width = self.width(column)
            if column.type in NUMBER_FORMATS:
                dimension.number_format = NUMBER_FORMATS[column.type]
            validation = self.validation(column)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            self.sheet.add_data_validation(validation)
        self.sheet.row_dimensions[1].height = 32
        self.sheet.freeze_panes = "A2"

    def comment_text(self, column: Column) -> str:
        condition = _required_if(self.source, column)
        if column.required:
            status = "Pflichtangabe."
        elif condition is not None:
            status = f"Pflicht, wenn '{condition.display}' angegeben ist."
        else:
            status = "Freiwillige Angabe."
        parts = [status, column.description or TYPE_NAMES[column.type]]
        if column.type == "list":
            parts.append("Mehrere mit ; trennen.")
        parts.append("Mehr im Blatt 'Hinweise'.")
        return "\n".join(parts)

    def width(self, column: Column) -> float:
        longest = max([len(column.display), *(len(c.offered) for c in choices(column))])
        minimum = 12 if column.type in ("date", "monat") else 10
        return float(min(max(longest + 3, minimum), 45))

    def list_formula(self, column: Column, values: list[str]) -> str:
        """A list validation's source: the values themselves when short, else a named range on
        the hidden sheet (one list per row, after a describing first cell)."""
        inline = ",".join(values)
        if len(inline) <= INLINE_LIST_LIMIT and not any("," in v or '"' in v for v in values):
            return f'"{inline}"'
        if LISTS_SHEET not in self.workbook.sheetnames:
            lists = self.workbook.create_sheet(LISTS_SHEET)
            lists.sheet_state = "hidden"
            lists.column_dimensions["A"].width = 40
        lists = self.workbook[LISTS_SHEET]
        self.lists_used += 1
        row = self.lists_used
        lists.cell(row=row, column=1, value=f"Auswahl für Spalte '{column.display}'")
        for offset, value in enumerate(values, start=2):
            lists.cell(row=row, column=offset, value=value)
        name = f"Auswahl_{column.name}"
        last = get_column_letter(len(values) + 1)
        self.workbook.defined_names[name] = DefinedName(
            name, attr_text=f"{quote_sheetname(LISTS_SHEET)}!$B${row}:${last}${row}"
        )
        return name

    def validation(self, column: Column) -> Any:
        """The column's DataValidation: a dropdown, a date or year check, or only an input message."""
        title = _clip(column.display, 32)
        prompt = self.prompt(column)
        offered = [c.offered for c in choices(column)]
        common: dict[str, Any] = {
            "showInputMessage": True,
            "promptTitle": title,
            "prompt": _clip(prompt, 255),
            "allow_blank": True,
        }
        if offered:
            validation = DataValidation(type="list", formula1=self.list_formula(column, offered), **common)
            if column.type == "list":
                validation.showErrorMessage = False  # several fields separated by ";" must pass
            elif column.type == "kommune":
                # the AGS is accepted too: warn, do not block
                self._error(validation, "warning", "Bitte eine Kommune aus der Liste wählen.")
            else:
                self._error(validation, "stop", "Bitte einen Wert aus der Liste wählen.")
            return validation
        if column.type == "date":
            validation = DataValidation(type="date", operator="greaterThanOrEqual", formula1="1", **common)
            self._error(validation, "stop", "Bitte ein Datum eingeben, z. B. 01.10.2026.")
            return validation
        if column.type == "year":
            validation = DataValidation(type="whole", operator="between", formula1="1900", formula2="2100", **common)
            self._error(validation, "stop", "Bitte ein vierstelliges Jahr eingeben, z. B. 2023.")
            return validation
        if column.type == "monat":
            letter = get_column_letter(self.source.columns.index(column) + 1)
            cell = f"{letter}2"
            validation = DataValidation(type="custom", formula1=f'AND(LEN({cell})=7,MID({cell},5,1)="-")', **common)
            self._error(validation, "warning", "Bitte den Monat als JJJJ-MM eingeben, z. B. 2026-10.")
            return validation
        return DataValidation(**common)  # any value, with an input message

    @staticmethod
    def _error(validation: Any, style: str, message: str) -> None:
        validation.showErrorMessage = True
        validation.errorStyle = style
        validation.errorTitle = "Ungültige Eingabe"
        validation.error = _clip(message, 255)

    def prompt(self, column: Column) -> str:
        if column.type == "monat":
            if column.year_means_december:
                return "Stichtag als Monat JJJJ-MM eintragen, z. B. 2025-12 für den 31.12.2025."
            return "Berichtsmonat als JJJJ-MM eintragen, z. B. 2026-10."
        if column.type == "kommune":
            return "Kommune aus der Liste wählen (der Gemeindeschlüssel, z. B. 05978004, wird auch erkannt)."
        text = column.description or TYPE_NAMES[column.type]
        if column.type == "list":
            text += ". Aus der Liste wählen; mehrere mit ; trennen, z. B. Sprache; Wohnen"
        elif column.is_number and self.source.kind != "records":
            text += ". Geheim gehaltene Werte als *, nie als 0."
        return text


# --- the sheet "Hinweise" ---------------------------------------------------------------------

TABLE_HEADERS = (
    ("Spalte (Überschrift)", 26),
    ("Technische Kennung", 24),
    ("Pflicht", 14),
    ("Typ", 22),
    ("Bestand/Bewegung", 20),
    ("Erlaubte Werte", 50),
    ("Beschreibung", 50),
    ("Auch erkannt als", 30),
)
TEXT_WIDTH = sum(width for _, width in TABLE_HEADERS)


def _row_description(declared: Source) -> str:
    if declared.kind == "records":
        keys = fmt.german_list([f"'{declared.column(k).display}'" for k in declared.unique])
        unique = f" {keys} darf je Kommune und Monat nur einmal vorkommen." if keys else ""
        return f"Eine Zeile je Fall und Berichtsmonat (siehe oben).{unique}"
    if declared.kind == "reference":
        return "Eine Zeile je Kommune und Stichtag. Eine Zahl gilt ab ihrem Stichtag, bis ein neuerer geliefert wird."
    if declared.kind == "long":
        keys = fmt.german_list([f"'{declared.column(k).display}'" for k in declared.unique])
        return f"Eine Zeile je Kommune, Monat und {keys} (Langformat: eine Zahl je Zeile)."
    return "Eine Zeile je Kommune und Monat. Mehrere Monate in einer Datei sind möglich."


def general_rules(declared: Source, data_sheet: str) -> list[str]:
    """The rules for filling the template, in German, one sentence group each."""
    monat = declared.column("monat")
    rules = [
        _row_description(declared),
        f"Die Daten gehören in das Blatt '{data_sheet}', ab Zeile 2. Die Überschriften in Zeile 1 bitte nicht "
        "ändern; die Reihenfolge der Spalten ist frei, zusätzliche Spalten werden ignoriert und gemeldet. "
        f"Das Blatt '{HINWEISE_SHEET}' und die Auswahllisten werden beim Einlesen nicht als Daten gelesen.",
        "Pflichtspalten sind in der Kopfzeile fett gedruckt und orange hinterlegt, freiwillige grau; jede "
        "Überschrift hat einen Kommentar mit Erläuterung. Die Spalte 'Pflicht' unten nennt sie ebenfalls.",
    ]
    if monat.year_means_december:
        rules.append(
            f"'{monat.display}' ist der Stichtag: den Monat als Text im Format JJJJ-MM eintragen, z. B. 2025-12 "
            "für den 31.12.2025. Eine Jahreszahl allein steht für den Dezember dieses Jahres."
        )
    else:
        rules.append(
            f"'{monat.display}' ist der Berichtsmonat, als Text im Format JJJJ-MM, z. B. 2026-10. Ein Monat in "
            "der Zukunft wird abgelehnt."
        )
    rules.append(
        "Die Kommune aus der Auswahlliste wählen (Namen wie im Kreis geführt). Der amtliche Gemeindeschlüssel "
        "(AGS, z. B. 05978004) wird ebenfalls erkannt. Eine Zeile für den ganzen Kreis ist nicht nötig."
    )
    types = {c.type for c in declared.columns}
    if "date" in types:
        rules.append("Datumsangaben als Datum eintragen, z. B. 01.10.2026 (Tag vor Monat).")
    if "category" in types or "bool" in types or "list" in types:
        rules.append(
            "Auswahlspalten haben eine Liste (Pfeil rechts an der Zelle). Ja/Nein-Spalten: ja oder nein; "
            "eine leere Ja/Nein-Zelle zählt als nein."
            if "bool" in types
            else "Auswahlspalten haben eine Liste (Pfeil rechts an der Zelle)."
        )
    if "list" in types:
        rules.append(
            "Handlungsfelder: eines aus der Liste wählen; mehrere in eine Zelle schreiben und mit ; trennen, "
            "z. B. Sprache; Arbeit und Ausbildung."
        )
    if any(c.is_number for c in declared.columns):
        rule = "Zahlen ohne Einheit eintragen; negative Zahlen sind nicht zulässig."
        if declared.kind != "records":
            rule += (
                " Geheim gehaltene Werte (kleine Fallzahlen) mit * eintragen, nie als 0; - steht für 0; "
                "eine leere Zelle bedeutet: keine Angabe."
            )
        rules.append(rule)
    rules.append(
        "Eine Lieferung ersetzt für jede Kommune und jeden Monat, die sie enthält, die frühere Lieferung "
        "vollständig. Fehlerhafte Dateien werden ganz abgelehnt; alle Fehler werden mit Zeile und Spalte gemeldet."
    )
    privacy = (
        "Keine personenbezogenen Daten eintragen: keine Namen, Geburtsdaten, Anschriften, Telefonnummern, "
        "E-Mail-Adressen oder Bankverbindungen. Eine Datei mit solchen Angaben wird abgelehnt und nicht gespeichert."
    )
    pseudonyms = [declared.column(k).display for k in declared.unique if declared.column(k).type == "text"]
    if pseudonyms:
        privacy += (
            " " + ", ".join(f"'{p}'" for p in pseudonyms) + " nur als Pseudonym, ohne Rückschluss auf die Person."
        )
    rules.append(privacy)
    return rules


def _rule_text(declared: Source, rule: Rule) -> str:
    other = declared.column(rule.other).display if rule.other else ""
    return row_rules.sentence(rule, declared.column(rule.column).display, other)


def check_rules(declared: Source) -> list[str]:
    """The row checks of the source, in German."""
    texts = [_rule_text(declared, rule) for rule in declared.rules]
    if declared.unique:
        keys = " und ".join(f"'{declared.column(k).display}'" for k in declared.unique)
        texts.append(f"{keys} je Kommune und Monat nur einmal.")
    else:
        texts.append("Je Kommune und Monat nur eine Zeile.")
    if declared.kind == "records" and "fallende" in {c.name for c in declared.columns}:
        texts.append("Ein Fall, der vor dem Berichtsmonat endete, wird gemeldet und in diesem Monat nicht gezählt.")
    return texts


def _allowed_values(declared: Source, column: Column) -> str:
    if column.type == "kommune":
        names = ", ".join(c.offered for c in choices(column))
        return f"{names}; oder der Gemeindeschlüssel (AGS), z. B. 05978004"
    if column.type == "monat":
        if column.year_means_december:
            return "z. B. 2025-12 (Stichtag 31.12.2025); auch 12/2025 oder 31.12.2025"
        return "z. B. 2026-10; auch 10/2026, Oktober 2026 oder 01.10.2026"
    if column.type == "date":
        return "ein Datum, z. B. 01.10.2026"
    if column.type == "year":
        return "vierstellig, bis zum laufenden Jahr, z. B. 2023"
    if column.type == "bool":
        return "ja, nein (leer = nein)"
    if column.type == "list":
        return "; ".join(c.offered for c in choices(column)) + " – mehrere mit ; trennen"
    if column.type == "category" and column.values_from == "extern":
        return "; ".join(_extern_text(code) for code in extern_codes())
    if column.type == "category":
        # The code is named where it is more than a different spelling of the label (w: weiblich).
        return "; ".join(
            c.offered if value_key(c.offered) == value_key(c.code) else f"{c.offered} (auch: {c.code})"
            for c in choices(column)
        )
    if column.is_number:
        text = "0, 1, 2, …" if column.type == "count" else "z. B. 12,5"
        if declared.kind != "records":
            text += "; * = geheim gehalten; - = 0; leer = keine Angabe"
        return text
    return ""


def _flow_or_stock(declared: Source, column: Column) -> str:
    if not column.is_number:
        return ""
    if declared.kind == "records":
        return "Anzahl je Fall"
    if declared.kind == "long":
        return "je nach Kennzahl (siehe Kennzahl)"
    if column.stock:
        return "Bestand am Stichtag" if declared.kind == "reference" else "Bestand am Monatsende"
    return "Bewegung im Monat"


def _required_text(declared: Source, column: Column) -> str:
    if column.required:
        return "ja"
    condition = _required_if(declared, column)
    if condition is not None:
        return f"wenn '{condition.display}' angegeben"
    return "nein"


def column_notes(declared: Source) -> list[tuple[str, ...]]:
    """One line per declared column, in the order of TABLE_HEADERS."""
    notes: list[tuple[str, ...]] = []
    for column in declared.columns:
        notes.append(
            (
                column.display,
                column.name,
                _required_text(declared, column),
                "Stichtag (JJJJ-MM)" if column.year_means_december else TYPE_NAMES[column.type],
                _flow_or_stock(declared, column),
                _allowed_values(declared, column),
                column.description,
                ", ".join(column.aliases),
            )
        )
    return notes


def _text_row(sheet: Any, row: int, text: str, *, bold: bool = False, size: float | None = None) -> int:
    """A text over the whole width of the table (one merged cell), with an estimated row height."""
    cell = sheet.cell(row=row, column=1, value=text)
    cell.alignment = WRAP
    cell.font = Font(bold=bold, size=size) if size else Font(bold=bold)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(TABLE_HEADERS))
    lines = max(1, math.ceil(len(text) * 1.1 / TEXT_WIDTH))
    sheet.row_dimensions[row].height = max(18 if size else 15, 15 * lines)
    return row + 1


def _write_hinweise(sheet: Any, declared: Source, data_sheet: str) -> None:
    for index, (_, width) in enumerate(TABLE_HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    row = _text_row(sheet, 1, f"Vorlage „{declared.label}“ – Hinweise zum Ausfüllen", bold=True, size=14)
    row = _text_row(sheet, row, declared.description)
    row += 1
    row = _text_row(sheet, row, "So wird die Vorlage ausgefüllt", bold=True)
    for rule in general_rules(declared, data_sheet):
        row = _text_row(sheet, row, f"• {rule}")
    row += 1
    row = _text_row(sheet, row, "Prüfregeln beim Einlesen", bold=True)
    for text in check_rules(declared):
        row = _text_row(sheet, row, f"• {text}")
    row += 1
    row = _text_row(sheet, row, "Die Spalten", bold=True)
    for index, (header, _) in enumerate(TABLE_HEADERS, start=1):
        cell = sheet.cell(row=row, column=index, value=header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
    row += 1
    for note, column in zip(column_notes(declared), declared.columns, strict=True):
        for index, value in enumerate(note, start=1):
            cell = sheet.cell(row=row, column=index, value=value or None)
            cell.alignment = WRAP
            cell.number_format = "@"
        sheet.cell(row=row, column=1).font = Font(bold=column.required)
        longest = max(len(v) / width for v, (_, width) in zip(note, TABLE_HEADERS, strict=True))
        sheet.row_dimensions[row].height = 15 * max(1, math.ceil(longest * 1.1))
        row += 1

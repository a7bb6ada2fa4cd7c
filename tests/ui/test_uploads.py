"""What the page "Daten hochladen" makes of a checked file: Kommune and month proposed from the file
name, problems of one kind grouped with their Excel rows, allowed values in the template's words."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from loaders.validate import check_file
from tests.helpers.paths import ROOT
from ui.uploads import issue_table, propose_from_name, row_ranges

HEADER = "fall_id,kommune,monat,fallbeginn,fallende,abschlussgrund,zuzugsjahr,handlungsfelder\n"


@pytest.mark.parametrize(
    ("name", "kommune", "month"),
    [
        ("KIM_CM_Selm_2026-07.xlsx", "05978032", dt.date(2026, 7, 1)),
        ("Fallliste_Fröndenberg_07-2026_final.xlsx", "05978012", dt.date(2026, 7, 1)),
        ("KIM_CM_Froendenberg-Ruhr_7.2026.csv", "05978012", dt.date(2026, 7, 1)),
        ("Stadt Unna Oktober 2026.csv", "05978036", dt.date(2026, 10, 1)),
        ("Werne an der Lippe 202609.ods", "05978040", dt.date(2026, 9, 1)),
        ("C:\\Exporte\\Lünen_Okt2026.xlsx", "05978024", dt.date(2026, 10, 1)),
        # the Kreis is no Kommune; two Kommunen or two months propose nothing
        ("Export Kreis Unna 2026-07.xlsx", None, dt.date(2026, 7, 1)),
        ("Lünen_Bergkamen_2026-07.xlsx", None, dt.date(2026, 7, 1)),
        ("Kamen 2026-07 bis 2026-08.csv", "05978020", None),
        ("fallmanagement.csv", None, None),
    ],
)
def test_kommune_and_month_are_proposed_from_the_file_name(
    name: str, kommune: str | None, month: dt.date | None
) -> None:
    assert propose_from_name(name) == (kommune, month)


def test_row_ranges_as_a_reader_names_them() -> None:
    assert row_ranges([]) == "–"
    assert row_ranges([7]) == "7"
    assert row_ranges(range(5, 35)) == "5–34"
    assert row_ranges([9, 5, 6, 7, 12, 11]) == "5–7, 9, 11–12"
    assert row_ranges(range(2, 52), 950) == "2–51 und 950 weitere"
    assert row_ranges(range(2, 40, 2)) == "2, 4, 6, 8, 10, 12, 14, 16 und 11 weitere"


def _checked(tmp_path: Path, rows: int):  # type: ignore[no-untyped-def]
    path = tmp_path / "fallmanagement_selm.csv"
    body = "".join(f"X-{i:03d},Selm,2026-10,2026-09-01,2026-10-20,erledigt,2023,sprache\n" for i in range(rows))
    path.write_text(HEADER + body, encoding="utf-8")
    return check_file(path)


def test_one_problem_in_30_rows_is_one_line_with_its_excel_rows(tmp_path: Path) -> None:
    """Issue 10: the error table repeated one problem 30 times and named the allowed values by their
    internal codes ("ziel_erreicht")."""
    checked = _checked(tmp_path, 30)
    assert len(checked.errors) == 30
    table = issue_table(checked.errors)
    assert table.to_dict("records") == [
        {
            "Blatt": "–",
            "Zeilen": "2–31",
            "Spalte": "abschlussgrund",
            "Meldung": "'erledigt' ist kein zulässiger Wert für 'abschlussgrund'. Zulässig sind: Ziel erreicht, "
            "Ziel teilweise erreicht, Weitervermittelt, Abbruch, Wegzug, Sonstiges.",
        }
    ]


def test_rows_beyond_those_listed_are_counted_never_shown_as_none(tmp_path: Path) -> None:
    """The validator lists 50 rows of a problem and adds a line for the rest, which has no row: it
    becomes part of the problem's line, not a line with the row "None"."""
    table = issue_table(_checked(tmp_path, 60).errors)
    assert list(table["Zeilen"]) == ["2–51 und 10 weitere"]
    assert "None" not in table.to_string() and table.notna().all().all()


def test_a_problem_of_the_whole_file_has_no_row(tmp_path: Path) -> None:
    path = tmp_path / "leer.csv"
    path.write_bytes(b"")
    table = issue_table(check_file(path).errors)
    assert list(table["Zeilen"]) == ["–"] and list(table["Blatt"]) == ["–"]


def test_allowed_values_are_named_in_the_templates_words() -> None:
    checked = check_file(ROOT / "tests/files/bad/kategorie_unbekannt.csv")
    (message,) = [issue.message for issue in checked.errors]
    assert "Ziel erreicht, Ziel teilweise erreicht" in message
    assert "ziel_erreicht" not in message and "teilweise_erreicht" not in message

"""The row rules of a source: each kind declared once (loaders/rules.py), its check run by the
validator, its sentence written by the template — with the words they always had.

Issue 11 #3: the meaning of a row rule was switched on in three places (the declaration, the
validator and the template); a rule kind is now declared once, with its check, its German error
and its template sentence."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

from core.sources import RuleCheck, source
from loaders.rules import RULE_KINDS
from loaders.templates import check_rules, column_notes
from loaders.validate import check_file

HEADER = (
    "Fall-ID;Kommune;Monat;Anfragedatum;Fallbeginn;Erstgespräch;Fallende;Abschlussgrund;Zuzugsjahr;"
    "Handlungsfelder;Übergaben;Übergaben erfolgreich\n"
)
# one row breaking each rule of the Fallmanagement (data/quellen.yaml), Excel rows 2 to 6
ROWS = (
    "F-1;Kamen;2026-10;01.10.2026;05.11.2026;02.10.2026;;;2020;Sprache;;\n"  # Fallbeginn after October
    "F-2;Kamen;2026-10;10.10.2026;01.10.2026;05.10.2026;;;2020;Sprache;;\n"  # Erstgespräch before Anfrage
    "F-3;Kamen;2026-10;01.09.2026;10.10.2026;02.09.2026;05.10.2026;Ziel erreicht;2020;Sprache;;\n"  # end < start
    "F-4;Kamen;2026-10;01.09.2026;01.10.2026;02.09.2026;20.10.2026;;2020;Sprache;;\n"  # ended without a reason
    "F-5;Kamen;2026-10;01.09.2026;01.10.2026;02.09.2026;;;2020;Sprache;2;3\n"  # 3 of 2 handed over
)


def test_every_rule_kind_the_declaration_allows_is_declared_once() -> None:
    assert set(get_args(RuleCheck)) == set(RULE_KINDS)
    assert {rule.check for rule in source("fallmanagement").rules} == set(RULE_KINDS)  # each one is used


def test_a_broken_rule_is_reported_at_its_row_and_column_in_the_words_it_always_had(tmp_path: Path) -> None:
    path = tmp_path / "fallmanagement_2026-10.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    checked = check_file(path)
    assert [(issue.row, issue.column, issue.message) for issue in checked.errors] == [
        (
            2,
            "Fallbeginn",
            "'Fallbeginn' ('05.11.2026') liegt nach dem Ende des Berichtsmonats 10/2026. "
            "Bitte das Datum oder den Monat prüfen.",
        ),
        (
            3,
            "Erstgespräch",
            "'Erstgespräch' ('05.10.2026') liegt vor 'Anfragedatum' ('10.10.2026'). Bitte die Daten prüfen.",
        ),
        (4, "Fallende", "'Fallende' ('05.10.2026') liegt vor 'Fallbeginn' ('10.10.2026'). Bitte die Daten prüfen."),
        (5, "Abschlussgrund", "'Abschlussgrund' fehlt, obwohl 'Fallende' angegeben ist. Bitte ergänzen."),
        (
            6,
            "Übergaben erfolgreich",
            "'Übergaben erfolgreich' ('3') ist größer als 'Übergaben' ('2'). Bitte korrigieren.",
        ),
    ]


def test_the_template_states_each_rule_in_the_words_it_always_had() -> None:
    declared = source("fallmanagement")
    assert check_rules(declared)[: len(declared.rules)] == [
        "'Fallbeginn' darf nicht nach dem Ende des Berichtsmonats liegen.",
        "'Erstgespräch' darf nicht vor 'Anfragedatum' liegen.",
        "'Fallende' darf nicht vor 'Fallbeginn' liegen.",
        "'Abschlussgrund' ist Pflicht, wenn 'Fallende' angegeben ist.",
        "'Übergaben erfolgreich' darf nicht größer sein als 'Übergaben'.",
    ]
    required = {note[1]: note[2] for note in column_notes(declared)}
    assert required["abschlussgrund"] == "wenn 'Fallende' angegeben"  # the kind that makes a column required
    assert required["fallende"] == "nein"

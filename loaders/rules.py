"""The row rules of a source (``rules`` in data/quellen.yaml, ``core.sources.Rule``), each kind
declared once: its check, its German error message and the sentence the template's sheet
"Hinweise" gives it. ``loaders.validate`` runs the check, ``loaders.templates`` writes the sentence;
neither switches on a rule's kind itself.

A check is a condition on the typed rows of a sheet (``typed t``: each declared column by its name,
its cell text as ``t.r_<name>``, the month as ``t.monat``); its message is a format string with
``{label}`` and ``{other_label}`` (the columns as the file names them), and, filled in per row by the
validator, ``{a}`` and ``{b}`` (the row's values, as ``a`` and ``b`` select them) and ``{monat}``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.sources import Rule, RuleCheck


@dataclass(frozen=True)
class RuleKind:
    """What a rule of one kind means; the SQL builders get the quoted columns ``t."column"`` and
    ``t."other"`` and the column's name."""

    condition: Callable[[str, str, str], str]  # (column, other, name) → the rows that break the rule
    message: str  # the error per row (see the module docstring)
    sentence: str  # the template's sentence, with {column} and {other} as the template names them
    a: Callable[[str, str], str] | None = None  # (column, other) → the value shown as {a}
    b: Callable[[str, str], str] | None = None  # (column, other) → the value shown as {b}
    makes_required: bool = False  # the column is required when the other column is given


def _date(column: str, other: str) -> str:
    return f"strftime({column}, '%d.%m.%Y')"


def _other_date(column: str, other: str) -> str:
    return f"strftime({other}, '%d.%m.%Y')"


RULE_KINDS: dict[RuleCheck, RuleKind] = {
    "not_after_month_end": RuleKind(
        condition=lambda column, other, name: f"{column} > last_day(t.monat)",
        message="'{label}' ({a}) liegt nach dem Ende des Berichtsmonats {monat}. Bitte das Datum oder den Monat prüfen.",
        sentence="'{column}' darf nicht nach dem Ende des Berichtsmonats liegen.",
        a=_date,
    ),
    "not_before": RuleKind(
        condition=lambda column, other, name: f"{column} < {other}",
        message="'{label}' ({a}) liegt vor '{other_label}' ({b}). Bitte die Daten prüfen.",
        sentence="'{column}' darf nicht vor '{other}' liegen.",
        a=_date,
        b=_other_date,
    ),
    "required_if": RuleKind(
        condition=lambda column, other, name: f"{column} IS NULL AND t.r_{name} = '' AND {other} IS NOT NULL",
        message="'{label}' fehlt, obwohl '{other_label}' angegeben ist. Bitte ergänzen.",
        sentence="'{column}' ist Pflicht, wenn '{other}' angegeben ist.",
        makes_required=True,
    ),
    "at_most": RuleKind(
        condition=lambda column, other, name: f"{column} > {other}",
        message="'{label}' ({a}) ist größer als '{other_label}' ({b}). Bitte korrigieren.",
        sentence="'{column}' darf nicht größer sein als '{other}'.",
        a=lambda column, other: column,
        b=lambda column, other: other,
    ),
}


def rule_kind(rule: Rule) -> RuleKind:
    return RULE_KINDS[rule.check]


def sentence(rule: Rule, column: str, other: str) -> str:
    """The rule in the template's words, its columns named as given."""
    return rule_kind(rule).sentence.format(column=column, other=other)


def message(rule: Rule, label: str, other_label: str) -> str:
    """The rule's error per row, with the columns named; {a}, {b} and {monat} stay to be filled."""
    return rule_kind(rule).message.replace("{label}", label).replace("{other_label}", other_label)

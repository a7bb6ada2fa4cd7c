"""Source declarations (data/quellen.yaml) parsed into frozen models.

A source is data, not code: the reader, the validator, the store and the templates all work from
these declarations. A broken file fails at start-up with every problem listed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import ValidationError, model_validator

from core.errors import ConfigError
from core.model import Frozen
from core.normalize import header_key
from core.reference import read_yaml
from core.settings import DATA_DIR

ColumnType = Literal[
    "text",
    "kommune",
    "monat",
    "date",
    "year",
    "count",
    "decimal",
    "bool",
    "category",
    "list",
]
SourceKind = Literal["records", "aggregate", "reference", "long"]
NUMBER_TYPES = ("count", "decimal")


class Column(Frozen):
    name: str
    type: ColumnType
    label: str = ""
    required: bool = False
    aliases: tuple[str, ...] = ()
    description: str = ""
    stock: bool = False
    values: dict[str, tuple[str, ...]] | None = None
    values_from: Literal["extern"] | None = None
    year_means_december: bool = False

    @property
    def display(self) -> str:
        return self.label or self.name

    @property
    def is_number(self) -> bool:
        return self.type in NUMBER_TYPES

    def header_keys(self) -> set[str]:
        return {header_key(h) for h in (self.name, self.label, *self.aliases) if h}


# The kinds of row rule; what each means (its check, error and template sentence) is declared once,
# in loaders.rules.RULE_KINDS.
RuleCheck = Literal["not_after_month_end", "not_before", "required_if", "at_most"]


class Rule(Frozen):
    check: RuleCheck
    column: str
    other: str | None = None


class Source(Frozen):
    name: str
    label: str
    description: str = ""
    kind: SourceKind
    columns: tuple[Column, ...]
    unique: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Source:
        names = [c.name for c in self.columns]
        problems = []
        if len(set(names)) != len(names):
            problems.append(f"Quelle {self.name}: doppelte Spaltennamen")
        for required in ("kommune", "monat"):
            if required not in names:
                problems.append(f"Quelle {self.name}: Spalte '{required}' fehlt")
        for rule in self.rules:
            for name in (rule.column, rule.other):
                if name is not None and name not in names:
                    problems.append(f"Quelle {self.name}: Regel nennt unbekannte Spalte '{name}'")
        for name in self.unique:
            if name not in names:
                problems.append(f"Quelle {self.name}: 'unique' nennt unbekannte Spalte '{name}'")
        seen: dict[str, str] = {}
        for column in self.columns:
            for key in column.header_keys():
                if key in seen and seen[key] != column.name:
                    problems.append(
                        f"Quelle {self.name}: Überschrift '{key}' passt zu '{seen[key]}' und '{column.name}'"
                    )
                seen[key] = column.name
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def table(self) -> str:
        """Name of the table holding every stored version of this source's rows."""
        return f"q_{self.name}"

    @property
    def value_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.name not in ("kommune", "monat"))


@cache
def sources(data_dir: Path = DATA_DIR) -> dict[str, Source]:
    raw = read_yaml(data_dir / "quellen.yaml")
    common = raw.pop("common", {})
    result: dict[str, Source] = {}
    problems: list[str] = []
    for name, spec in raw.items():
        columns = []
        for column in spec.get("columns", []):
            merged = {**common.get(column.get("name"), {}), **column}
            columns.append(merged)
        try:
            result[name] = Source(name=name, **{**spec, "columns": columns})
        except ValidationError as error:
            problems.extend(
                f"quellen.yaml, Quelle '{name}': {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()
            )
    if problems:
        raise ConfigError("Die Datei quellen.yaml ist fehlerhaft:\n" + "\n".join(problems))
    return result


def source(name: str) -> Source:
    try:
        return sources()[name]
    except KeyError:
        known = ", ".join(sources())
        raise ConfigError(f"Unbekannte Datenquelle '{name}'. Bekannt sind: {known}.") from None

"""The indicator catalogue (data/kennzahlen.yaml) as frozen models, checked at start-up."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError, field_validator

from core.errors import ConfigError
from core.model import Frozen
from core.reference import handlungsfelder, leitsaetze, read_yaml
from core.settings import DATA_DIR
from core.sources import sources

Kind = Literal["count", "share", "rate", "mean", "median"]
Direction = Literal["up", "down", "neutral"]
FALL = "fall"  # prefix of the case parts in a part reference ("fall.aktiv")
EXTERN_SOURCE = "kennzahlen"


class FallTeil(Frozen):
    """A part computed from the case records of one Kommune and month."""

    label: str = ""
    count_if: str | None = None
    sum: str | None = None
    where: str | None = None
    stock: bool = False


class FallMedian(Frozen):
    value: str
    where: str


class Extern(Frozen):
    code: str
    name: str
    stock: bool = False


class Part(Frozen):
    """A numerator or denominator: 'source.column', 'fall.<part>' or 'kennzahlen.<code>'."""

    part: str
    over_time: Literal["default", "mean"] = "default"

    @property
    def source(self) -> str:
        return self.part.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.part.split(".", 1)[1]

    @property
    def column(self) -> str:
        """Column name in the wide table of parts."""
        return f"{self.source}__{self.name}"


class Indicator(Frozen):
    """What every indicator shown in the cockpit declares, whether computed from the deliveries
    (Kennzahl) or read from official tables (Kontext): its code and name, its place (Leitsatz,
    Handlungsfeld), its unit, which direction is better, and its definition in words."""

    code: str
    name: str
    leitsatz: str
    handlungsfeld: str
    unit: str
    direction: Direction
    definition: str = ""

    def problems(self, leitsatz_codes: set[str], feld_codes: set[str]) -> list[str]:
        """What is wrong with the declaration's place: an unknown Leitsatz or Handlungsfeld."""
        problems = []
        if self.leitsatz not in leitsatz_codes:
            problems.append(f"{self.code}: unbekannter Leitsatz '{self.leitsatz}'")
        if self.handlungsfeld not in feld_codes:
            problems.append(f"{self.code}: unbekanntes Handlungsfeld '{self.handlungsfeld}'")
        return problems


class Kennzahl(Indicator):
    kind: Kind
    numerator: Part | None = None
    denominator: Part | None = None
    median: str | None = None
    factor: float = 1
    zielwert: float | None = None
    counts_people: bool = True
    denominator_counts_people: bool = False

    @field_validator("numerator", "denominator", mode="before")
    @classmethod
    def _part(cls, value: Any) -> Any:
        return {"part": value} if isinstance(value, str) else value

    @property
    def parts(self) -> tuple[Part, ...]:
        return tuple(p for p in (self.numerator, self.denominator) if p is not None)


class KontextTabelle(Frozen):
    """One official table a Kontext-Kennzahl is read from, and which of its Merkmale it takes."""

    tabelle: str
    merkmal: tuple[str, ...]  # patterns in order of preference ("*" = any text, case ignored)


class Kontext(Indicator):
    """A Kontext-Kennzahl: a published official figure shown beside the KIM figures
    (metrics/kontext.py). Its tables are listed in order of preference."""

    kind: Literal["count", "rate"]
    tabellen: tuple[KontextTabelle, ...]


class Geheimhaltung(Frozen):
    schwelle: int = 3
    median_mindestfaelle: int = 5


class AmpelSettings(Frozen):
    toleranz: float = 0.10


class Catalogue(Frozen):
    version: str
    geheimhaltung: Geheimhaltung = Geheimhaltung()
    ampel: AmpelSettings = AmpelSettings()
    fall_teile: dict[str, FallTeil]
    fall_mediane: dict[str, FallMedian]
    extern: tuple[Extern, ...] = ()
    kennzahlen: tuple[Kennzahl, ...]
    kontext: tuple[Kontext, ...] = ()

    def get(self, code: str) -> Kennzahl:
        for kennzahl in self.kennzahlen:
            if kennzahl.code == code:
                return kennzahl
        raise KeyError(code)

    def is_stock(self, part: Part) -> bool:
        if part.source == FALL:
            return self.fall_teile[part.name].stock
        if part.source == EXTERN_SOURCE:
            return next(e.stock for e in self.extern if e.code == part.name)
        return sources()[part.source].column(part.name).stock


def _problems(catalogue: Catalogue) -> list[str]:
    problems: list[str] = []
    codes = [k.code for k in catalogue.kennzahlen] + [k.code for k in catalogue.kontext]
    problems += [f"Code {c} ist doppelt" for c in sorted({c for c in codes if codes.count(c) > 1})]
    leitsatz_codes = {ls.code for ls in leitsaetze()}
    feld_codes = {h.code for h in handlungsfelder()}
    extern_codes = {e.code for e in catalogue.extern}
    for kennzahl in catalogue.kennzahlen:
        where = f"{kennzahl.code}:"
        problems += kennzahl.problems(leitsatz_codes, feld_codes)
        if kennzahl.kind == "median":
            if kennzahl.median not in catalogue.fall_mediane:
                problems.append(f"{where} Median '{kennzahl.median}' ist unter fall_mediane nicht definiert")
            continue
        if kennzahl.numerator is None:
            problems.append(f"{where} Zähler (numerator) fehlt")
        if kennzahl.kind == "count" and kennzahl.denominator is not None:
            problems.append(f"{where} eine Anzahl hat keinen Nenner")
        if kennzahl.kind != "count" and kennzahl.denominator is None:
            problems.append(f"{where} Nenner (denominator) fehlt")
        for part in kennzahl.parts:
            if "." not in part.part:
                problems.append(f"{where} Teil '{part.part}' muss 'quelle.spalte' lauten")
            elif part.source == FALL:
                if part.name not in catalogue.fall_teile:
                    problems.append(f"{where} Fallteil '{part.name}' ist unter fall_teile nicht definiert")
            elif part.source == EXTERN_SOURCE:
                if part.name not in extern_codes:
                    problems.append(f"{where} externe Kennzahl '{part.name}' ist unter extern nicht definiert")
            elif part.source not in sources():
                problems.append(f"{where} unbekannte Quelle '{part.source}'")
            else:
                columns = {c.name: c for c in sources()[part.source].columns}
                if part.name not in columns or not columns[part.name].is_number:
                    problems.append(f"{where} '{part.part}' ist keine Zahlenspalte der Quelle")
    problems += _kontext_problems(catalogue, leitsatz_codes, feld_codes)
    for name, teil in catalogue.fall_teile.items():
        if (teil.count_if is None) == (teil.sum is None):
            problems.append(f"fall_teile.{name}: genau eines von count_if oder sum angeben")
    return problems


def _kontext_problems(catalogue: Catalogue, leitsatz_codes: set[str], feld_codes: set[str]) -> list[str]:
    problems: list[str] = []
    for kontext in catalogue.kontext:
        where = f"{kontext.code}:"
        problems += kontext.problems(leitsatz_codes, feld_codes)
        if not kontext.tabellen:
            problems.append(f"{where} keine Tabelle (tabellen) angegeben")
        if kontext.kind == "count" and kontext.unit == "%":
            problems.append(f"{where} eine Anzahl (kind: count) kann nicht die Einheit % haben")
        names = [t.tabelle.strip() for t in kontext.tabellen]
        for name in sorted({n for n in names if names.count(n) > 1}):
            problems.append(f"{where} Tabelle '{name}' ist doppelt angegeben")
        for tabelle in kontext.tabellen:
            if not tabelle.tabelle.strip():
                problems.append(f"{where} leerer Tabellencode")
            if not tabelle.merkmal or any(not pattern.strip(" *|") for pattern in tabelle.merkmal):
                problems.append(f"{where} Tabelle '{tabelle.tabelle}': Merkmal (merkmal) fehlt oder ist leer")
    return problems


@cache
def catalogue(data_dir: Path = DATA_DIR) -> Catalogue:
    raw = read_yaml(data_dir / "kennzahlen.yaml")
    try:
        parsed = Catalogue(**raw)
    except ValidationError as error:
        lines = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]
        raise ConfigError("Der Kennzahlenkatalog (kennzahlen.yaml) ist fehlerhaft:\n" + "\n".join(lines)) from error
    problems = _problems(parsed)
    if problems:
        raise ConfigError("Der Kennzahlenkatalog (kennzahlen.yaml) ist fehlerhaft:\n" + "\n".join(problems))
    return parsed

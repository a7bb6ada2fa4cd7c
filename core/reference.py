"""Reference data from data/: Kommunen, Teilregionen, the Kreis, Leitsätze, Handlungsfelder."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from core.errors import ConfigError
from core.model import Frozen
from core.normalize import value_key
from core.settings import DATA_DIR


class Kommune(Frozen):
    ags: str
    name: str
    art: str
    teilregion: str
    einwohner: int
    varianten: tuple[str, ...] = ()
    kachel_x: int = 0  # position on the schematic tile map (Kachelkarte), column
    kachel_y: int = 0  # row, from north to south


class Teilregion(Frozen):
    code: str
    name: str


class Leitsatz(Frozen):
    code: str
    text: str
    kurz: str


class Handlungsfeld(Frozen):
    code: str
    name: str
    varianten: tuple[str, ...] = ()


class Kreis(Frozen):
    ags: str
    name: str
    summenzeilen: tuple[str, ...]


def read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"Die Konfigurationsdatei {path.name} ist nicht lesbar: {error}") from error


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def kommunen(data_dir: Path = DATA_DIR) -> tuple[Kommune, ...]:
    rows = _read_csv(data_dir / "kommunen.csv")
    return tuple(
        Kommune(
            ags=row["ags"],
            name=row["name"],
            art=row["art"],
            teilregion=row["teilregion"],
            einwohner=int(row["einwohner"]),
            varianten=tuple(v for v in row.get("varianten", "").split("|") if v),
            kachel_x=int(row.get("kachel_x") or 0),
            kachel_y=int(row.get("kachel_y") or 0),
        )
        for row in rows
    )


@cache
def teilregionen(data_dir: Path = DATA_DIR) -> tuple[Teilregion, ...]:
    return tuple(Teilregion(**row) for row in _read_csv(data_dir / "teilregionen.csv"))


@cache
def kreis(data_dir: Path = DATA_DIR) -> Kreis:
    return Kreis(**read_yaml(data_dir / "kreis.yaml"))


@cache
def leitsaetze(data_dir: Path = DATA_DIR) -> tuple[Leitsatz, ...]:
    return tuple(Leitsatz(**item) for item in read_yaml(data_dir / "leitsaetze.yaml"))


@cache
def handlungsfelder(data_dir: Path = DATA_DIR) -> tuple[Handlungsfeld, ...]:
    return tuple(Handlungsfeld(**item) for item in read_yaml(data_dir / "handlungsfelder.yaml"))


def kommune_name(ags: str) -> str:
    """Display name of a Kommune, Teilregion or the Kreis."""
    for kommune in kommunen():
        if kommune.ags == ags:
            return kommune.name
    for region in teilregionen():
        if region.code == ags:
            return region.name
    if ags == kreis().ags:
        return kreis().name
    return ags


def region_members() -> dict[str, tuple[str, ...]]:
    """Every region (each Kommune, each Teilregion, the Kreis) with the Kommunen it adds up."""
    members: dict[str, tuple[str, ...]] = {k.ags: (k.ags,) for k in kommunen()}
    for region in teilregionen():
        members[region.code] = tuple(k.ags for k in kommunen() if k.teilregion == region.code)
    members[kreis().ags] = tuple(k.ags for k in kommunen())
    return members


KREIS_MARKER = "KREIS"


@cache
def kommune_lookup() -> dict[str, str]:
    """Normalised spelling → AGS, with KREIS_MARKER for the rows of the district total."""
    lookup: dict[str, str] = {}
    for kommune in kommunen():
        spellings = {
            kommune.ags,
            kommune.ags.lstrip("0"),
            kommune.name,
            *kommune.varianten,
        }
        for spelling in list(spellings):
            spellings |= {f"{kommune.art} {spelling}", f"{spelling} ({kommune.art})"}
        spellings |= {f"{kommune.ags[2:]}"}  # 978004: the key without the Land prefix
        for spelling in spellings:
            lookup[value_key(spelling)] = kommune.ags
    district = kreis()
    for spelling in (district.ags, district.ags.lstrip("0"), *district.summenzeilen):
        lookup[value_key(spelling)] = KREIS_MARKER
    return lookup


def resolve_kommune(value: str) -> str | None:
    """AGS of a Kommune, KREIS_MARKER for a total row, None when it cannot be resolved."""
    return kommune_lookup().get(value_key(value))


@cache
def extern_codes(data_dir: Path = DATA_DIR) -> tuple[str, ...]:
    """Codes the catalogue lists as delivered by agencies through the generic source 'kennzahlen'."""
    catalogue = read_yaml(data_dir / "kennzahlen.yaml")
    return tuple(str(item["code"]) for item in catalogue.get("extern", []))

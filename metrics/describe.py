"""The catalogue as a readable table for the page "Kennzahlen": definition, formula, sources,
Leitsatz, Handlungsfeld, target and confidentiality rule of every indicator."""

from __future__ import annotations

import pandas as pd

from core import format as fmt
from core.catalogue import EXTERN_SOURCE, FALL, Catalogue, Kennzahl, Kontext, Part, catalogue
from core.reference import handlungsfelder, leitsaetze
from core.sources import sources
from metrics.targets import PROPOSAL
from metrics.texts import target_text

KONTEXT_KIND_LABELS = {"count": "Anzahl (amtliche Statistik)", "rate": "Quote (amtliche Statistik)"}
KIND_LABELS = {
    "count": "Anzahl",
    "share": "Anteil",
    "rate": "Quote (je Bezugsgröße)",
    "mean": "Durchschnitt",
    "median": "Median",
}
DIRECTION_LABELS = {"up": "↑ höher ist besser", "down": "↓ niedriger ist besser", "neutral": "○ nur Kontext"}


def _part_text(part: Part, cat: Catalogue) -> str:
    if part.source == FALL:
        return cat.fall_teile[part.name].label or part.name
    if part.source == EXTERN_SOURCE:
        return next(e.name for e in cat.extern if e.code == part.name)
    column = sources()[part.source].column(part.name)
    return f"{column.display} ({sources()[part.source].label})"


def formula(kennzahl: Kennzahl, cat: Catalogue) -> str:
    if kennzahl.kind == "median":
        return "Median über die Fälle des Zeitraums (aus den Einzeldaten neu berechnet)"
    assert kennzahl.numerator is not None
    text = _part_text(kennzahl.numerator, cat)
    if kennzahl.denominator is not None:
        denominator = _part_text(kennzahl.denominator, cat)
        if kennzahl.denominator.over_time == "mean":
            denominator = f"Mittel von {denominator} über die Monate"
        text = f"{text} ÷ {denominator}"
        if kennzahl.factor != 1:
            text += f" × {fmt.number(kennzahl.factor)}"
    return text


def confidentiality_rule(kennzahl: Kennzahl, cat: Catalogue) -> str:
    t = cat.geheimhaltung.schwelle
    small = f"zwischen 1 und {t - 1}"
    if kennzahl.kind == "count":
        if not kennzahl.counts_people:
            return "keine Geheimhaltung (keine Personenzahl)"
        return f"geheim, wenn die Anzahl {small} liegt"
    if kennzahl.kind == "share":
        return f"geheim, wenn Zähler, Nenner oder ihre Differenz {small} liegen"
    if kennzahl.kind == "rate":
        extra = " oder die aktiven Fälle" if kennzahl.denominator_counts_people else ""
        return f"geheim, wenn der Zähler{extra} {small} liegt"
    if kennzahl.kind == "mean":
        return f"geheim, wenn die Zahl der Fälle {small} liegt"
    return f"geheim bei weniger als {cat.geheimhaltung.median_mindestfaelle} Fällen"


def catalogue_table(cat: Catalogue | None = None) -> pd.DataFrame:
    cat = cat or catalogue()
    leitsatz = {ls.code: ls.kurz for ls in leitsaetze()}
    feld = {h.code: h.name for h in handlungsfelder()}
    rows = []
    for k in cat.kennzahlen:
        used = sorted({sources()[p.source].label for p in k.parts if p.source not in (FALL, EXTERN_SOURCE)})
        if any(p.source == FALL for p in k.parts) or k.kind == "median":
            used.insert(0, sources()["fallmanagement"].label)
        number = None if k.zielwert is None else fmt.compact(k.zielwert)  # as the catalogue has it
        target = target_text(k.direction, k.zielwert, k.unit, confirmed=False, mark=f" ({PROPOSAL})", number=number)
        rows.append(
            {
                "Code": k.code,
                "Kennzahl": k.name,
                "Leitsatz": f"{k.leitsatz} · {leitsatz[k.leitsatz]}",
                "Handlungsfeld": feld[k.handlungsfeld],
                "Einheit": k.unit,
                "Art": KIND_LABELS[k.kind],
                "Richtung": DIRECTION_LABELS[k.direction],
                "Definition": k.definition,
                "Formel": formula(k, cat),
                "Quellen": ", ".join(used),
                "Zielwert": target or "–",
                "Geheimhaltung": confidentiality_rule(k, cat),
            }
        )
    rows += [kontext_row(k, leitsatz[k.leitsatz], feld[k.handlungsfeld]) for k in cat.kontext]
    return pd.DataFrame(rows)


def kontext_row(kontext: Kontext, leitsatz: str, handlungsfeld: str) -> dict[str, str]:
    """A Kontext-Kennzahl in the columns of the catalogue table: a published official figure, taken
    as published (docs/kennzahlen.md#kontext-kennzahlen-aus-der-amtlichen-statistik)."""
    tables = ", ".join(t.tabelle for t in kontext.tabellen)
    if kontext.kind == "count":
        formel = (
            "wie veröffentlicht; Kreis = Summe der zehn Kommunen, wenn alle veröffentlicht sind, sonst die "
            "Kreiszeile der Tabelle; eine Teilregion nur, wenn alle ihre Kommunen einen Wert haben"
        )
    else:
        formel = "wie veröffentlicht (eine Quote wird nie über Kommunen zusammengerechnet)"
    return {
        "Code": kontext.code,
        "Kennzahl": kontext.name,
        "Leitsatz": f"{kontext.leitsatz} · {leitsatz}",
        "Handlungsfeld": handlungsfeld,
        "Einheit": kontext.unit,
        "Art": KONTEXT_KIND_LABELS[kontext.kind],
        "Richtung": DIRECTION_LABELS[kontext.direction],
        "Definition": kontext.definition,
        "Formel": formel,
        "Quellen": f"Amtliche Statistik, Tabelle{'n' if len(kontext.tabellen) > 1 else ''} {tables}",
        "Zielwert": "– (Kontext)",
        "Geheimhaltung": "amtlich veröffentlicht, keine weitere Geheimhaltung",
    }

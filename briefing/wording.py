"""German display strings shared by the PDF and the slides: a figure's value, Ampel, target,
changes and notes, exactly as the app shows them (• for a hidden cell, – for no value)."""

from __future__ import annotations

import datetime as dt

from briefing.content import Briefing, Figure, OpenDelivery, Region, Section
from core import format as fmt
from core.reference import kommunen
from metrics.targets import PROPOSAL
from metrics.texts import AMPEL_SYMBOL, AMPEL_TEXT, SUPPRESSED_MARK, ampel_text, completeness_text, target_text

SOURCE = "Lieferungen der Kommunen und Partner an das KIM-Cockpit"
PUBLISHED = "veröffentlichte Werte mit Geheimhaltung"
ORGANISATION = "Lenkungskreis KIM Kreis Unna"
PROPOSAL_MARK = "*"
LEGEND = (
    f"Ampel: {' · '.join(ampel_text(key) for key in AMPEL_TEXT)}. "
    f"{SUPPRESSED_MARK} = aus Gründen der Geheimhaltung nicht ausgewiesen; – = kein Wert; "
    f"{PROPOSAL_MARK} = Zielwert ist ein {PROPOSAL}. ± = Veränderung, Pp. = Prozentpunkte; "
    "unvollständige Werte werden nicht bewertet."
)


def datenstand(briefing: Briefing) -> str:
    """'Datenstand: Oktober 2026 (letzte Lieferung am 25.11.2026)'."""
    if briefing.datenstand is None:
        return "Datenstand: noch keine Lieferungen"
    text = f"Datenstand: {fmt.month(briefing.datenstand)}"
    if briefing.letzte_lieferung is not None:
        text += f" (letzte Lieferung am {fmt.day(briefing.letzte_lieferung)})"
    return text


def datenstand_short(briefing: Briefing) -> str:
    if briefing.datenstand is None:
        return "Datenstand: –"
    return f"Datenstand: {fmt.month(briefing.datenstand)}"


def value(figure: Figure) -> str:
    if figure.unterdrueckt:
        return SUPPRESSED_MARK
    return fmt.value(figure.wert, figure.unit)


def ampel(figure: Figure) -> str:
    return ampel_text(figure.ampel)


def ampel_symbol(figure: Figure) -> str:
    return AMPEL_SYMBOL[figure.ampel]


def target(figure: Figure) -> str:
    """'≥ 60,0 %', with * while the Lenkungskreis has not decided on it."""
    if figure.direction == "neutral":
        return "–"
    text = target_text(
        figure.direction, figure.zielwert, figure.unit, confirmed=figure.zielwert_bestaetigt, mark=PROPOSAL_MARK
    )
    return text or "–"


def change(figure: Figure, earlier: float | None, earlier_complete: bool = True) -> str:
    """The change against an earlier value as one short cell: the difference in the value's unit
    ('+46', '−0,8'), in Prozentpunkte for values in % ('+2,1 Pp.'); '–' when either value is
    hidden, missing or incomplete (a missing delivery must not pass for a change)."""
    if figure.unterdrueckt or figure.wert is None or earlier is None:
        return "–"
    if not (figure.vollstaendig and earlier_complete):
        return "–"
    decimals = 1 if figure.unit == "%" else fmt.decimals_for(figure.unit)
    shown = round(figure.wert - earlier, decimals)
    sign = "+" if shown > 0 else "−" if shown < 0 else "±"
    text = f"{sign}{fmt.number(abs(shown), decimals)}"
    return f"{text} Pp." if figure.unit == "%" else text


def note(figure: Figure, region: Region) -> str:
    """Why a value is incomplete ('' when it is complete or has no value at all)."""
    if figure.unterdrueckt or figure.vollstaendig or figure.wert is None:
        return ""
    if not region.is_kreis:
        return "unvollständig"
    if len(figure.fehlend) >= region.members:
        return "unvollständig, Lieferungen aller Kommunen fehlen zum Teil"
    return completeness_text(figure.kommunen_mit_wert, region.members, figure.fehlend, separator=", ")


INCOMPLETE_MARK = "¹"


def table(briefing: Briefing, section: Section) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a Leitsatz's key figures: one row per indicator and region, the
    indicator named in its first row only. An incomplete value carries ¹ (see ``footnotes``)."""
    header = ["Kennzahl", "Gebiet", "Wert", "Ampel", "Ziel", f"± {briefing.previous_word}"]
    if briefing.year_ago_word:
        header.append(f"± {briefing.year_ago_word}")
    rows = []
    for figure in section.figures:
        region = briefing.region(figure.region)
        first = figure.region == briefing.regions[0].ags
        shown = value(figure) + (f" {INCOMPLETE_MARK}" if note(figure, region) else "")
        row = [f"{figure.kennzahl} · {figure.name}" if first else "", region.name, shown, ampel(figure)]
        row += [target(figure), change(figure, figure.vorperiode, figure.vorperiode_vollstaendig)]
        if briefing.year_ago_word:
            row.append(change(figure, figure.vorjahr, figure.vorjahr_vollstaendig))
        rows.append(row)
    return header, rows


def footnotes(briefing: Briefing, section: Section) -> list[str]:
    """'K02 Kreis Unna: 7 von 10 Kommunen, fehlt: Selm, Werne' for every incomplete value."""
    notes = []
    for figure in section.figures:
        region = briefing.region(figure.region)
        text = note(figure, region)
        if text:
            notes.append(f"{figure.kennzahl} {region.name}: {text}")
    return notes


def months_text(months: tuple[dt.date, ...]) -> str:
    """'Juli 2026', 'Juli 2026 bis Oktober 2026' (consecutive) or 'Juli 2026, September 2026'."""
    first, last = months[0], months[-1]
    consecutive = (last.year - first.year) * 12 + last.month - first.month == len(months) - 1
    if len(months) > 1 and consecutive:
        return f"{fmt.month(first)} bis {fmt.month(last)}"
    return ", ".join(fmt.month(m) for m in months)


def open_delivery_row(delivery: OpenDelivery) -> list[str]:
    every = len(delivery.kommunen) == len(kommunen())
    names = f"alle {len(delivery.kommunen)} Kommunen" if every else ", ".join(delivery.kommunen)
    return [delivery.quelle, months_text(delivery.monate), names]


def open_range(briefing: Briefing) -> str:
    return (
        f"Überfällig (Abgabetag verstrichen) für {fmt.month(briefing.open_from)} bis {fmt.month(briefing.open_to)}, "
        f"Stand {fmt.day(briefing.erstellt)}"
    )


def regions_text(briefing: Briefing) -> str:
    return ", ".join(r.name for r in briefing.regions)


def leitsaetze_text(briefing: Briefing) -> str:
    return ", ".join(f"{s.code} · {s.kurz}" for s in briefing.sections)

"""Key messages (Kernaussagen) in plain German, generated from the published figures.

Rules, per region (the Kreis first, then each chosen Kommune):

1. Changes: an indicator whose published value and published value of the previous period both
   exist and are complete (a missing delivery must not pass for a rise or a fall) is worth a
   sentence when it moved by at least 5 % (for values in % by at least 2 Prozentpunkte). The largest moves (measured against these thresholds) are kept – five for the
   Kreis, three for a Kommune – and told in catalogue order.
2. Targets: one sentence on how many targets are not met, naming them with value and target, when
   at least one target can be judged; targets without a published value are counted as
   "ohne Bewertung" without saying why.
3. Completeness: one sentence when values are incomplete because deliveries are missing.

Only figures of the ``Briefing`` are used, which holds the published output of the metrics: a
hidden cell has no value there, so no sentence can name it, and no sentence combines figures of
different regions (a total minus its parts could reveal a hidden cell).
"""

from __future__ import annotations

from briefing.content import Briefing, Figure, Region
from loaders.reference import kommunen
from ui import format as fmt

CHANGE_THRESHOLD_PERCENT = 5.0  # relative change of values that are not in %
CHANGE_THRESHOLD_POINTS = 2.0  # change of values in %, in Prozentpunkte
MAX_CHANGES_KREIS = 5
MAX_CHANGES_KOMMUNE = 3


def where(region: Region) -> str:
    """'im Kreis Unna' or 'in Kamen'."""
    return f"im {region.name}" if region.name.startswith("Kreis ") else f"in {region.name}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _enumerate(items: list[str]) -> str:
    """'A', 'A und B', 'A, B und C'."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} und {items[-1]}"


def _percent(value: float) -> str:
    """A relative change: whole percent, one decimal below 1 %."""
    return f"{fmt.number(value, 0 if round(value) >= 1 else 1)} %"


def _published(figure: Figure) -> bool:
    return not figure.unterdrueckt and figure.wert is not None


def change_score(figure: Figure) -> float | None:
    """How far the change goes beyond its threshold (1 = just notable); None without a change."""
    if not _published(figure) or figure.vorperiode is None:
        return None
    if not (figure.vollstaendig and figure.vorperiode_vollstaendig):
        return None
    assert figure.wert is not None
    difference = figure.wert - figure.vorperiode
    if figure.unit == "%":
        return abs(difference) / CHANGE_THRESHOLD_POINTS
    if figure.vorperiode == 0:
        return float("inf") if difference else 0.0
    return abs(difference) / abs(figure.vorperiode) * 100 / CHANGE_THRESHOLD_PERCENT


def change_sentence(figure: Figure, region: Region, previous_word: str) -> str:
    """'Im Kreis Unna stieg die Kennzahl „Aktive Fälle“ gegenüber dem Vorquartal um 17 % auf 313.'"""
    assert figure.wert is not None and figure.vorperiode is not None
    current, previous = figure.wert, figure.vorperiode
    subject = f"die Kennzahl „{figure.name}“"
    since = f"gegenüber dem {previous_word}"
    now = fmt.value(current, figure.unit)
    decimals = 1 if figure.unit == "%" else fmt.decimals_for(figure.unit)
    difference = round(current - previous, decimals)
    if difference == 0:
        return f"{_capital(where(region))} blieb {subject} {since} unverändert bei {now}."
    verb = "stieg" if difference > 0 else "sank"
    if figure.unit == "%":
        amount = f"um {fmt.number(abs(difference), 1)} Prozentpunkte"
    elif previous == 0:
        amount = f"von {fmt.value(previous, figure.unit)}"
    else:
        amount = f"um {_percent(abs(current - previous) / abs(previous) * 100)}"
    sentence = f"{_capital(where(region))} {verb} {subject} {since} {amount} auf {now}"
    if figure.direction != "neutral":
        better = (difference > 0) == (figure.direction == "up")
        sentence += " – eine Verbesserung" if better else " – eine Verschlechterung"
    return sentence + "."


def change_messages(figures: list[Figure], region: Region, previous_word: str, limit: int) -> list[str]:
    notable: list[tuple[float, int, Figure]] = []
    for index, figure in enumerate(figures):
        score = change_score(figure)
        if score is not None and score >= 1:
            notable.append((score, index, figure))
    kept = sorted(notable, key=lambda item: (-item[0], item[1]))[:limit]
    return [change_sentence(f, region, previous_word) for _, _, f in sorted(kept, key=lambda item: item[1])]


def target_message(figures: list[Figure], region: Region) -> str | None:
    """'Im Kreis Unna werden 3 von 10 Zielwerten nicht erreicht: …'; None when no target can be judged."""
    with_target = [f for f in figures if f.zielwert is not None and f.direction != "neutral"]
    rated = [f for f in with_target if f.ampel != "grau" and _published(f)]
    if not rated:
        return None
    missed = [f for f in rated if f.ampel in ("gelb", "rot")]
    place = _capital(where(region))
    if missed:
        items = []
        for f in missed:
            bound = "mindestens" if f.direction == "up" else "höchstens"
            items.append(f"{f.name} ({fmt.value(f.wert, f.unit)} statt {bound} {fmt.value(f.zielwert, f.unit)})")
        verb = "wird" if len(missed) == 1 else "werden"
        text = f"{place} {verb} {len(missed)} von {len(with_target)} Zielwerten nicht erreicht: {_enumerate(items)}."
    elif len(rated) == 1:
        text = f"{place} wird der bewertbare Zielwert erreicht ({rated[0].name})."
    else:
        text = f"{place} werden alle {len(rated)} bewertbaren Zielwerte erreicht."
    unrated = len(with_target) - len(rated)
    if unrated == 1:
        text += " Ohne Bewertung bleibt 1 Zielwert, weil kein veröffentlichter Wert vorliegt."
    elif unrated > 1:
        text += f" Ohne Bewertung bleiben {unrated} Zielwerte, weil kein veröffentlichter Wert vorliegt."
    return text


def completeness_message(figures: list[Figure], region: Region) -> str | None:
    """'Im Kreis Unna sind 4 Werte unvollständig, weil Lieferungen aus Selm und Werne fehlen.'"""
    partial = [f for f in figures if not f.vollstaendig and (f.wert is not None or f.unterdrueckt)]
    if not partial:
        return None
    count = "ist 1 Wert" if len(partial) == 1 else f"sind {len(partial)} Werte"
    named = {name for figure in partial for name in figure.fehlend if name != region.name}
    missing = [k.name for k in kommunen() if k.name in named]
    if region.is_kreis and len(missing) >= region.members:
        source = "Lieferungen aus allen Kommunen fehlen"
    else:
        source = f"Lieferungen aus {_enumerate(missing)} fehlen" if missing else "Lieferungen fehlen"
    return f"{_capital(where(region))} {count} unvollständig, weil {source}."


def key_messages(briefing: Briefing) -> list[str]:
    """The key messages of the briefing, the Kreis first."""
    messages: list[str] = []
    for region in briefing.regions:
        figures = briefing.figures_of(region.ags)
        limit = MAX_CHANGES_KREIS if region.is_kreis else MAX_CHANGES_KOMMUNE
        messages += change_messages(figures, region, briefing.previous_word, limit)
        for extra in (target_message(figures, region), completeness_message(figures, region)):
            if extra:
                messages.append(extra)
    return messages

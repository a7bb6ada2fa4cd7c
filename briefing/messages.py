"""What the briefing says in words, generated from the published figures.

- **Status line per Leitsatz and region:** "LS2 · 3 im Ziel · 1 knapp verfehlt · 1 verfehlt · 2 ohne
  Ziel" – the Ampel counted, "knapp verfehlt" and "verfehlt" apart; "ohne Bewertung" counts targets
  without a published, complete value; counts of zero are left out.
- **Key messages (Kernaussagen):** the three to five most important changes of the whole briefing.
  A change is told only when the published value and the published value of the previous period
  both exist and are complete (a missing delivery must not pass for a rise or a fall), and when it
  moved by at least 5 % (values in % by at least 2 Prozentpunkte). Importance is how far a change
  goes beyond that threshold, more when a target was reached or lost, when the direction is judged
  (better or worse) and for the Kreis. The kept changes are told in the briefing's order (the Kreis
  first, then each Kommune; catalogue order within), each in the form that fits it: a target
  reached or lost, an improvement or a worsening, more or fewer cases, a share that moved – and
  sentences of the same kind alternate between two wordings.
- **Targets per region:** which targets are missed and which only narrowly, with value and target.
- **Completeness:** one sentence when values are incomplete because deliveries are missing.

Only figures of the ``Briefing`` are used, which holds the published output of the metrics: a
hidden cell has no value there, so no sentence can name it, and no sentence combines figures of
different regions (a total minus its parts could reveal a hidden cell).
"""

from __future__ import annotations

from collections import Counter

from briefing.content import Briefing, Figure, Region
from core import format as fmt
from core.catalogue import catalogue
from core.reference import kommunen
from metrics.texts import target_text

CHANGE_THRESHOLD_PERCENT = 5.0  # relative change of values that are not in %
CHANGE_THRESHOLD_POINTS = 2.0  # change of values in %, in Prozentpunkte
MAX_CHANGES = 5
COUNT_UNITS = ("Anzahl", "Stunden")
# weights of importance (see the module docstring)
WEIGHT_TARGET_CROSSED = 3.0
WEIGHT_JUDGED = 1.5
WEIGHT_KREIS = 1.5


def where(region: Region) -> str:
    """'im Kreis Unna' or 'in Kamen'."""
    return f"im {region.name}" if region.name.startswith("Kreis ") else f"in {region.name}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _percent(value: float) -> str:
    """A relative change: whole percent, one decimal below 1 %."""
    return f"{fmt.number(value, 0 if round(value) >= 1 else 1)} %"


def _published(figure: Figure) -> bool:
    return not figure.unterdrueckt and figure.wert is not None


def has_target(figure: Figure) -> bool:
    return figure.zielwert is not None and figure.direction != "neutral"


# --- status ----------------------------------------------------------------------------------


def status_of(figure: Figure) -> str:
    """gruen, gelb, rot, grau (a target without a judged value) or ohne_ziel (no target)."""
    return figure.ampel if has_target(figure) else "ohne_ziel"


def status_counts(figures: list[Figure]) -> Counter[str]:
    """How many figures have each status, for ``metrics.texts.status_line``: 'LS2 · 3 im Ziel ·
    1 knapp verfehlt · 1 verfehlt · 2 ohne Ziel'."""
    return Counter(status_of(f) for f in figures)


def _bound(figure: Figure) -> str:
    text = target_text(figure.direction, figure.zielwert, figure.unit, in_words=True)
    assert text is not None
    return text


def _missed_item(figure: Figure) -> str:
    return f"{figure.name} ({fmt.value(figure.wert, figure.unit)} statt {_bound(figure)})"


def _ziele(count: int) -> str:
    return "1 Ziel" if count == 1 else f"{count} Ziele"


def target_message(figures: list[Figure], region: Region) -> str | None:
    """Which targets are missed, which only narrowly, how many are met; None when no target can
    be judged."""
    targets = [f for f in figures if has_target(f)]
    rated = [f for f in targets if f.ampel != "grau" and _published(f)]
    if not rated:
        return None
    missed = [f for f in rated if f.ampel == "rot"]
    near = [f for f in rated if f.ampel == "gelb"]
    met = len(rated) - len(missed) - len(near)
    place = _capital(where(region))
    sentences = []
    if missed:
        verb = "wird" if len(missed) == 1 else "werden"
        sentences.append(
            f"{place} {verb} {_ziele(len(missed))} verfehlt: {fmt.german_list([_missed_item(f) for f in missed])}."
        )
    if near:
        verb = "wird" if len(near) == 1 else "werden"
        lead = (
            f"{_ziele(len(near))} {verb} knapp verfehlt"
            if missed
            else f"{place} {verb} {_ziele(len(near))} knapp verfehlt"
        )
        sentences.append(f"{lead}: {fmt.german_list([_missed_item(f) for f in near])}.")
    if not missed and not near:
        sentences.append(
            f"{place} ist das bewertbare Ziel erreicht ({rated[0].name})."
            if met == 1
            else f"{place} sind alle {met} bewertbaren Ziele erreicht."
        )
    elif met:
        sentences.append(f"{_ziele(met)} {'ist' if met == 1 else 'sind'} erreicht.")
    unrated = len(targets) - len(rated)
    if unrated:
        verb = "bleibt" if unrated == 1 else "bleiben"
        sentences.append(
            f"Ohne Bewertung {verb} {_ziele(unrated)}, weil kein vollständiger veröffentlichter Wert vorliegt."
        )
    return " ".join(sentences)


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
        source = f"Lieferungen aus {fmt.german_list(missing)} fehlen" if missing else "Lieferungen fehlen"
    return f"{_capital(where(region))} {count} unvollständig, weil {source}."


# --- changes ---------------------------------------------------------------------------------


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


def previous_status(figure: Figure) -> str:
    """The Ampel the previous value would have against today's target."""
    if not has_target(figure) or figure.vorperiode is None:
        return "grau"
    assert figure.zielwert is not None
    tolerance = catalogue().ampel.toleranz
    value, target = figure.vorperiode, figure.zielwert
    if figure.direction == "up":
        return "gruen" if value >= target else "gelb" if value >= target * (1 - tolerance) else "rot"
    return "gruen" if value <= target else "gelb" if value <= target * (1 + tolerance) else "rot"


def _crossed(figure: Figure) -> bool:
    return has_target(figure) and figure.ampel != "grau" and previous_status(figure) not in ("grau", figure.ampel)


def _kind(figure: Figure) -> str:
    if _crossed(figure):
        return "target"
    if figure.direction != "neutral":
        return "judged"
    return "count" if figure.unit in COUNT_UNITS else "level"


def _amount(figure: Figure) -> str:
    """'um 17 %', 'um 2,5 Prozentpunkte'; '' from zero, where no relative change exists."""
    assert figure.wert is not None and figure.vorperiode is not None
    difference = figure.wert - figure.vorperiode
    if figure.unit == "%":
        return f"um {fmt.number(abs(difference), 1)} Prozentpunkte"
    if figure.vorperiode == 0:
        return ""
    return f"um {_percent(abs(difference) / abs(figure.vorperiode) * 100)}"


def _shown(value: float, figure: Figure) -> str:
    """A value as in the sentence: counts without unit, others with it."""
    return fmt.number(value, 0) if figure.unit in COUNT_UNITS else fmt.value(value, figure.unit)


def change_sentence(figure: Figure, region: Region, previous_word: str, variant: int = 0) -> str:
    """One change in plain German, in the form that fits it (see the module docstring)."""
    assert figure.wert is not None and figure.vorperiode is not None
    place, Place = where(region), _capital(where(region))  # noqa: N806
    now, before = _shown(figure.wert, figure), _shown(figure.vorperiode, figure)
    decimals = 1 if figure.unit == "%" else fmt.decimals_for(figure.unit)
    difference = round(figure.wert - figure.vorperiode, decimals)
    if difference == 0:
        return f"{Place} blieb der Wert „{figure.name}“ gegenüber dem {previous_word} unverändert bei {now}."
    rise = difference > 0
    noun = "Anstieg" if rise else "Rückgang"
    amount = _amount(figure)
    moved = f"{noun} {amount} auf {now}" if amount else f"{noun} von {before} auf {now}"
    kind = _kind(figure)
    if kind == "target":
        state = {"gruen": "jetzt erreicht", "gelb": "jetzt knapp verfehlt", "rot": "jetzt verfehlt"}[figure.ampel]
        verb = "ist" if figure.ampel == "gruen" else "wird"
        return (
            f"{Place} {verb} das Ziel bei „{figure.name}“ {state}: {moved} gegenüber dem {previous_word} "
            f"(Ziel: {_bound(figure)})."
        )
    if kind == "judged":
        better = rise == (figure.direction == "up")
        if variant % 2 == 0:
            word = "Verbesserung" if better else "Verschlechterung"
            return f"{word} {place} bei „{figure.name}“: {moved} gegenüber dem {previous_word}."
        verb = "verbessert" if better else "verschlechtert"
        return f"{Place} hat sich der Wert „{figure.name}“ {verb}: {moved} gegenüber dem {previous_word}."
    if kind == "count":
        if figure.wert == 0:
            return f"{Place} gab es keine „{figure.name}“ mehr, nach {before} im {previous_word}."
        if variant % 2 == 0:
            more = "mehr" if rise else "weniger"
            return f"{Place} gab es {more} „{figure.name}“ als im {previous_word}: ein {moved}."
        return f"„{figure.name}“ {place}: {moved} gegenüber dem {previous_word}."
    verb = "stieg" if rise else "sank"
    if variant % 2 == 0:
        return f"{Place} {verb} der Wert „{figure.name}“ gegenüber dem {previous_word} {amount or 'von ' + before} auf {now}."
    return f"„{figure.name}“ {place}: {moved} gegenüber dem {previous_word}."


def _importance(figure: Figure, region: Region, score: float) -> float:
    weight = WEIGHT_TARGET_CROSSED if _crossed(figure) else 1.0
    weight *= WEIGHT_JUDGED if figure.direction != "neutral" else 1.0
    weight *= WEIGHT_KREIS if region.is_kreis else 1.0
    return min(score, 1000.0) * weight


def important_changes(briefing: Briefing, limit: int = MAX_CHANGES) -> list[tuple[Figure, Region]]:
    """The most important notable changes, in the briefing's order."""
    notable: list[tuple[float, int, Figure, Region]] = []
    order = 0
    for region in briefing.regions:
        for figure in briefing.figures_of(region.ags):
            order += 1
            score = change_score(figure)
            if score is not None and score >= 1:
                notable.append((_importance(figure, region, score), order, figure, region))
    kept = sorted(notable, key=lambda item: (-item[0], item[1]))[:limit]
    return [(figure, region) for _, _, figure, region in sorted(kept, key=lambda item: item[1])]


def key_messages(briefing: Briefing) -> list[str]:
    """The three to five most important changes as sentences, the Kreis first."""
    seen: Counter[str] = Counter()
    messages = []
    for figure, region in important_changes(briefing):
        kind = _kind(figure)
        messages.append(change_sentence(figure, region, briefing.previous_word, seen[kind]))
        seen[kind] += 1
    return messages

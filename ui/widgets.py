"""Shared widgets: region and month choice, Datenstand line, indicator card."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

import pandas as pd
import streamlit as st

from core import format as fmt
from core.catalogue import catalogue
from core.reference import kommunen, kreis, teilregionen
from metrics.targets import PROPOSAL
from metrics.texts import (
    STATUS_COLOR,
    STATUS_SYMBOL,
    STATUS_TEXT,
    SUPPRESSED_MARK,
    completeness_text,
    suppression_reason,
    target_text,
)
from ui import charts, data, selection

CORRECTED_MARK = "✎ nach der Sitzung korrigiert"
SINCE_MEETING_LABEL = "Veränderung seit der letzten Sitzung zeigen"
SINCE_MEETING_HELP = (
    "Zeigt neben jedem Wert, was die letzte festgehaltene Sitzung des Lenkungskreises gezeigt hat, die "
    "Veränderung seitdem und ob ein Wert nach der Sitzung korrigiert wurde. Verglichen wird mit demselben "
    "Monat, sonst mit dem neuesten Monat, den die Sitzung kannte. Die Veränderung wird nur aus "
    "veröffentlichten Werten berechnet: ist einer der beiden Werte geheim, steht „•“."
)


def shown(value: Any, hidden: bool, unit: str) -> str:
    """A value as shown: '•' when confidentiality hides it; in the internal view (value present
    although hidden in published figures) the value marked as internal."""
    if hidden and (value is None or pd.isna(value)):
        return SUPPRESSED_MARK
    text = fmt.value(value, unit)
    return f"{text} (intern)" if hidden else text


class SinceMeeting(NamedTuple):
    """One value against the last meeting, as shown: the figure then (with its period), the
    change since, and whether the value of the same period was corrected after the meeting."""

    then: str
    change: str
    corrected: bool


def url_toggle(label: str, key: str, param: str, *, help: str) -> bool:
    """A toggle whose state is kept in the page's link as ?param=ja."""
    selection.sync(key, [False, True], False, lambda on: "ja" if on else "nein", param)
    return bool(st.toggle(label, key=key, help=help))


def since_meeting_values(key: str, period: str = "month") -> pd.DataFrame | None:
    """The toggle 'Veränderung seit der letzten Sitzung zeigen', offered once a meeting has been
    held; when it is on, the published values with what the last meeting showed (see
    metrics.steering.since_last_meeting), else None."""
    from ui.feedback import user_errors

    with user_errors():
        held = not data.meetings().empty
    if not held or not url_toggle(SINCE_MEETING_LABEL, key, "seit_sitzung", help=SINCE_MEETING_HELP):
        return None
    with user_errors():
        return data.values_with_meeting(period)  # type: ignore[arg-type]


def meeting_name(frame: pd.DataFrame) -> str:
    """'Sitzung vom 12.10.2026' (the meeting the frame compares with)."""
    dates = frame["sitzung_datum"].dropna()
    return f"Sitzung vom {fmt.day(dates.iloc[0])}" if not dates.empty else "letzten Sitzung"


def since_meeting(rows: pd.DataFrame, key: str | list[str]) -> dict[Any, SinceMeeting]:
    """Per row of a frame from since_meeting_values, keyed by the given column(s): the figure the
    meeting showed, the change since ('•' when either figure is hidden, '–' when there is none)
    and the correction mark."""
    cat = catalogue()
    result: dict[Any, SinceMeeting] = {}
    keys = rows[key].itertuples(index=False, name=None) if isinstance(key, list) else rows[key]
    for index, row in zip(keys, rows.itertuples(), strict=True):
        unit = cat.get(row.kennzahl).unit
        if row.sitzung_periode is None or pd.isna(row.sitzung_periode):
            then, change = "–", "–"
        else:
            figure = SUPPRESSED_MARK if pd.isna(row.wert_vergleich) else fmt.value(row.wert_vergleich, unit)
            then = f"{figure} ({fmt.period(row.sitzung_periode)})"
            # seit_sitzung is NaN whenever a figure is hidden: the change is never worked out from one
            now = row.wert_vergleich + row.seit_sitzung
            change = SUPPRESSED_MARK if row.seit_sitzung_geheim else fmt.change(now, row.wert_vergleich, unit) or "–"
        result[index] = SinceMeeting(then, change, bool(row.korrigiert))
    return result


def since_meeting_where(frame: pd.DataFrame, key: str, **equal: Any) -> dict[Any, SinceMeeting]:
    """since_meeting for the rows whose columns equal the given values."""
    rows = frame
    for column, value in equal.items():
        rows = rows[rows[column] == value]
    return since_meeting(rows, key)


def add_since_meeting(
    table: pd.DataFrame, keys: Sequence[Any], meeting_values: pd.DataFrame | None, key: str, **equal: Any
) -> pd.DataFrame:
    """The table with the since-meeting columns appended, its rows matched by keys (unchanged
    when the change since the meeting is not asked for)."""
    if meeting_values is None:
        return table
    since = since_meeting_where(meeting_values, key, **equal)
    empty = SinceMeeting("–", "–", False)
    cells = [since.get(k, empty) for k in keys]
    return table.assign(**since_meeting_columns(cells, meeting_name(meeting_values)))


def course_table(
    rows: pd.DataFrame, unit: str, meeting_values: pd.DataFrame | None, code: str, names: dict[str, str]
) -> pd.DataFrame:
    """The figures of a course as a table: periods ('Oktober 2026') × region names, '•' for a hidden
    value and, when the change since the meeting is shown, '✎' on a value corrected after it."""
    values = rows.pivot(index="periode", columns="region_name", values="wert")
    hidden = rows.pivot(index="periode", columns="region_name", values="unterdrueckt").fillna(False).astype(bool)
    shown = values.apply(lambda column: column.map(lambda v: fmt.value(v, unit))).mask(hidden, SUPPRESSED_MARK)
    if meeting_values is not None:
        mine = meeting_values[(meeting_values["kennzahl"] == code) & meeting_values["kommune"].isin(list(names))]
        corrected = mine.assign(region_name=mine["kommune"].map(names)).pivot(
            index="periode", columns="region_name", values="korrigiert"
        )
        corrected = corrected.reindex(index=shown.index, columns=shown.columns).fillna(False).astype(bool)
        shown = shown.mask(corrected, shown + " ✎")
    shown.index = shown.index.map(fmt.period)
    shown.index.name = "Zeitraum"
    shown.columns.name = None
    return shown


def since_meeting_course(meeting_values: pd.DataFrame, code: str, names: dict[str, str]) -> pd.DataFrame:
    """Per region: its newest figure now against the meeting (a table beside the course)."""
    rows = meeting_values[(meeting_values["kennzahl"] == code) & meeting_values["kommune"].isin(list(names))]
    latest = rows[rows["wert"].notna() | rows["unterdrueckt"]].sort_values("periode").groupby("kommune").tail(1)
    latest = latest.set_index("kommune").reindex([r for r in names if r in set(latest["kommune"])]).reset_index()
    unit = catalogue().get(code).unit
    since = since_meeting(latest, "kommune")
    table = pd.DataFrame(
        {
            "Gebiet": latest["kommune"].map(names),
            "Zeitraum": latest["periode"].map(fmt.period),
            "Wert": [shown(v, h, unit) for v, h in zip(latest["wert"], latest["unterdrueckt"], strict=True)],
        }
    )
    return table.assign(**since_meeting_columns(list(since.values()), meeting_name(meeting_values)))


def since_meeting_columns(cells: Sequence[SinceMeeting], meeting: str) -> dict[str, list[str]]:
    """The columns a table gets when the change since the meeting is shown."""
    return {
        f"In der {meeting}": [c.then for c in cells],
        "Seit der Sitzung": [c.change for c in cells],
        "Korrektur": [CORRECTED_MARK if c.corrected else "" for c in cells],
    }


def region_options() -> dict[str, str]:
    """Kreis first, then the Teilregionen, then the Kommunen: code → display name."""
    options = {kreis().ags: kreis().name}
    options |= {r.code: r.name for r in teilregionen()}
    options |= {k.ags: k.name for k in kommunen()}
    return options


def url_select(
    label: str,
    options: Sequence[Any],
    key: str,
    *,
    default: Any = None,
    format_func: Callable[[Any], str] = str,
    encode: Callable[[Any], str] = str,
    widget: Callable[..., Any] = st.selectbox,
    help: str | None = None,
) -> Any:
    """A selectbox (or radio) whose choice is also kept in the page's link, so a link reproduces
    the view (see ui.selection: the link is written only when the user changes the choice)."""
    options = list(options)
    selection.sync(key, options, default if default in options else options[0], encode)
    extra = {"placeholder": "Bitte wählen"} if widget is st.selectbox else {}
    return widget(label, options, format_func=format_func, key=key, help=help, **extra)


def url_multiselect(
    label: str,
    options: Sequence[str],
    key: str,
    *,
    default: list[str],
    format_func: Callable[[Any], str] = str,
    help: str | None = None,
) -> list[str]:
    """A multiselect whose choice is kept in the link as a comma-separated list."""
    selection.sync_many(key, list(options), default)
    values: list[str] = st.multiselect(
        label, list(options), format_func=format_func, key=key, help=help, placeholder="Bitte wählen"
    )
    return values


def choose_region(key: str = selection.REGION) -> str:
    """The Gebiet, shared by all pages and kept in the link (?gebiet=05978032)."""
    options = region_options()
    return str(
        url_select(
            "Gebiet",
            list(options),
            key,
            format_func=options.__getitem__,
            help="Kreis Unna, eine Teilregion oder eine Kommune. Tippen filtert die Liste.",
        )
    )


def choose_month(months: list[dt.date], default: dt.date | None = None, key: str = selection.MONTH) -> dt.date:
    """The reporting month, shared by all pages and kept in the link (?monat=2026-09). Every page
    opens on the same month, data.default_month(); ``default`` is no longer used."""
    value: dt.date = url_select(
        "Berichtsmonat",
        months,
        key,
        default=data.default_month(),
        format_func=fmt.month,
        encode=selection.month_code,
        help="Voreingestellt ist der neueste Monat, in dem die meisten Kennzahlen vollständig geliefert sind.",
    )
    return value


def choose_kennzahl(key: str = "kennzahl", *, with_kontext: bool = False) -> str:
    """One indicator of the catalogue (with the Kontext-Kennzahlen, where a page describes them)."""
    cat = catalogue()
    names = {k.code: k.name for k in cat.kennzahlen}
    if with_kontext:
        names |= {k.code: k.name for k in cat.kontext}
    return str(
        url_select(
            "Kennzahl",
            list(names),
            key,
            format_func=lambda c: f"{c} · {names[c]}",
            help="Eine der Kennzahlen des Katalogs. Tippen filtert die Liste, z. B. „K03“ oder „Abbruch“.",
        )
    )


def datenstand_line(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "Datenstand: noch keine Lieferungen."
    parts = [f"{row.quelle_label} {fmt.month_short(row.letzter_monat)}" for row in frame.itertuples()]
    return "Datenstand: " + " · ".join(parts)


def datenstand_short(frame: pd.DataFrame) -> str:
    """'Datenstand 10/2026' (the latest month of any source) for chart subtitles."""
    if frame.empty:
        return "Datenstand: –"
    return f"Datenstand {fmt.month_short(max(frame['letzter_monat']))}"


def completeness_note(row: Any, total: int) -> str | None:
    if row.vollstaendig:
        return None
    if not row.fehlend:
        return "unvollständig"
    if total == 1:
        return "unvollständig: Lieferung fehlt"
    return f"unvollständig: {completeness_text(row.kommunen_mit_wert, total, row.fehlend)}"


def status_badge(status: str, count: int | None = None) -> str:
    """The status as a coloured badge with its symbol and word (Markdown), e.g. ':red-badge[✗ verfehlt]';
    with a count for the status line of a Leitsatz (':red-badge[✗ 1 verfehlt]')."""
    words = STATUS_TEXT[status] if count is None else f"{count} {STATUS_TEXT[status]}"
    return f":{STATUS_COLOR[status]}-badge[{STATUS_SYMBOL[status]} {words}]"


def status_badges(counts: Iterable[tuple[str, int]]) -> str:
    """The status line of a Leitsatz as badges, one per status that indicators have."""
    return " ".join(status_badge(status, count) for status, count in counts)


def status_words(status: str) -> str:
    """'✗ verfehlt' (for tables and downloads)."""
    return f"{STATUS_SYMBOL[status]} {STATUS_TEXT[status]}"


def change_shown(row: Any) -> str | None:
    """The change against the previous month as a card shows it: none for a hidden value or a
    value of incomplete data (the missing part could be the whole change)."""
    if row.unterdrueckt or row.status == "unvollstaendig":
        return None
    return fmt.change(row.wert, row.vormonat, row.unit)


def board_change(change: str | None, direction: str, basis: str = "") -> str:
    """A change as the Sitzungsmodus and the Übersicht's cards show it (Markdown): '▲ +1,2 Pp.' in green when it is good,
    in red when it is bad, without colour for a context indicator; 'unverändert' without arrow
    or colour when it rounds to zero; '–' or '•' when there is none or it is hidden."""
    if not change or change in ("–", SUPPRESSED_MARK):
        return change or "–"
    if change.startswith("±"):
        return "unverändert"
    rising = change.startswith("+")
    shown = change.replace(" Prozentpunkte", " Pp.").replace("-", "−")  # the minus sign, as in print
    text = f"{'▲' if rising else '▼'} {fmt.plain(shown + basis)}"
    if direction == "neutral":
        return text
    return f":{'green' if rising == (direction == 'up') else 'red'}[{text}]"


def target_shown(row: Any) -> str | None:
    """'Ziel: ≥ 60,0 %' with the proposal note while the Lenkungskreis has not decided."""
    kennzahl = catalogue().get(row.kennzahl)
    text = target_text(
        kennzahl.direction, row.zielwert, row.unit, confirmed=row.zielwert_bestaetigt, mark=f" ({PROPOSAL})"
    )
    return None if text is None else f"Ziel: {text}"


SPARKLINE_ALT = "Verlauf von {code} über zwölf Monate"


def card_text(
    row: Any, members: int, note: str | None = None, since: SinceMeeting | None = None, meeting: str = ""
) -> str:
    """One indicator's card as one Markdown text, one paragraph per line: the indicator, its value
    (or • when hidden for confidentiality) as a heading, the change against the previous month
    (coloured where it is good or bad), the status as a coloured badge with symbol and word and
    the target, the gap of incomplete data, optionally the change since the last meeting, the mark
    of a value corrected after it and the Anmerkung, and the course of twelve months as a small
    static picture. Every text in it is escaped (fmt.plain): only the app's own badges, colours
    and picture are Markdown."""
    lines = [
        fmt.plain(f"{row.kennzahl} · {row.name}"),
        f"### {fmt.plain(shown(row.wert, row.unterdrueckt, row.unit))}",
    ]
    delta = change_shown(row)
    if delta:
        lines.append(f"{board_change(delta, row.direction)} zum Vormonat")
    target = target_shown(row)
    if target:  # the proposal note in short: the card has little room
        target = target.replace(PROPOSAL, "Vorschlag")
    lines.append(f"{status_badge(row.status)} {fmt.plain(target)}" if target else status_badge(row.status))
    completeness = completeness_note(row, members)
    if completeness:
        lines.append(fmt.plain(f"⚠ {completeness}"))
    if since is not None:
        change = "–" if row.status == "unvollstaendig" else since.change
        lines.append(f"Seit der {fmt.plain(meeting)}: **{fmt.plain(change)}** · damals {fmt.plain(since.then)}")
        if since.corrected:
            lines.append(fmt.plain(CORRECTED_MARK))
    if note:
        lines.append(f"💬 Anmerkung: {fmt.plain(note)}")
    address = charts.picture_address(
        charts.sparkline(
            [None if v is None or pd.isna(v) else float(v) for v in row.verlauf],
            row.zielwert if pd.notna(row.zielwert) else None,
            row.status,
        )
    )
    if address:
        lines.append(f"![{SPARKLINE_ALT.format(code=row.kennzahl)}]({address})")
    return "\n\n".join(lines)


def indicator_card(
    row: Any,
    members: int,
    note: str | None = None,
    since: SinceMeeting | None = None,
    meeting: str = "",
    width: int | str = "stretch",
) -> None:
    """One indicator as a compact card (see card_text) with the definition as its help: one
    element in a bordered box, since every element costs a new session's browser time."""
    cat = catalogue()
    help_text = row.definition
    if row.unterdrueckt:
        help_text = f"{suppression_reason(cat.get(row.kennzahl), cat)}. {help_text}"
    with st.container(border=True, gap="small", width=width):  # type: ignore[arg-type]
        st.markdown(card_text(row, members, note, since, meeting), help=help_text, anchors=False)


def cockpit_table(
    table: pd.DataFrame,
    members: int,
    notes: dict[str, str] | None = None,
    since: dict[str, SinceMeeting] | None = None,
    meeting: str = "",
) -> pd.DataFrame:
    """The cockpit's figures as a table (text alternative to the cards, and for download),
    optionally with the change since the last meeting."""
    rows = []
    for row in table.itertuples():
        hidden = bool(row.unterdrueckt)
        rows.append(
            {
                "Kennzahl": f"{row.kennzahl} · {row.name}",
                "Wert": shown(row.wert, hidden, row.unit),
                "Ampel": status_words(row.status),
                "Ziel": target_shown(row) or "–",
                "zum Vormonat": change_shown(row) or "–",
                "zum Vorjahresmonat": "–"
                if hidden or row.status == "unvollstaendig"
                else fmt.change(row.wert, row.vorjahr, row.unit) or "–",
                "Vollständigkeit": completeness_note(row, members) or "vollständig",
                "Anmerkung": (notes or {}).get(row.kennzahl, ""),
            }
        )
    frame = pd.DataFrame(rows)
    if since is not None:
        empty = SinceMeeting("–", "–", False)
        columns = since_meeting_columns([since.get(code, empty) for code in table["kennzahl"]], meeting)
        for position, (name, column) in enumerate(
            columns.items(), start=frame.columns.get_loc("zum Vorjahresmonat") + 1
        ):
            frame.insert(position, name, column)
    return frame


def sparkline_table(table: pd.DataFrame) -> pd.DataFrame:
    """The twelve months behind the small course charts of the cards, as a table (their text
    alternative): one row per indicator, one column per month ('11/2025')."""
    months = table["verlauf_monate"].iloc[0] if not table.empty else []
    rows = []
    for row in table.itertuples():
        cells = zip(row.verlauf, row.verlauf_unterdrueckt, strict=True)
        figures = [shown(value, hidden, row.unit) for value, hidden in cells]
        rows.append(
            {
                "Kennzahl": f"{row.kennzahl} · {row.name}",
                **dict(zip(map(fmt.month_short, months), figures, strict=True)),
            }
        )
    return pd.DataFrame(rows)


def closed_until_opened(label: str, key: str) -> tuple[Any, bool]:
    """An expander whose content is made only while it is open, and whether it is open: a closed
    expander's content is still sent to the browser and drawn there (tables load the table
    component and draw every cell), which a new session would wait for although nobody sees it.
    Opening it reruns the page, which then draws the content. Whether it was open is remembered
    apart from the expander: Streamlit takes an expander with another label (e.g. "Anmerkungen (2)"
    after saving the second one) for a new, closed one."""
    remembered = f"_kim_offen_{key}"
    box = st.expander(label, key=key, on_change="rerun", expanded=bool(st.session_state.get(remembered)))
    st.session_state[remembered] = bool(box.open)
    return box, bool(box.open)


def flash(message: str) -> None:
    """After a write: refresh every page's data and show the message once after the rerun (as plain
    text: it may quote a name or a file name)."""
    data.refresh()
    st.session_state["_kim_flash"] = message
    st.rerun()


def show_flash() -> None:
    message = st.session_state.pop("_kim_flash", None)
    if message:
        st.success(fmt.plain(message), icon=":material/check_circle:")


def monthly_values() -> tuple[pd.DataFrame, pd.DataFrame, list[dt.date]]:
    """Monthly values, Datenstand and the months with a value; stops the page with a hint when
    there is nothing to show yet."""
    from ui.feedback import user_errors

    with user_errors():
        values = data.values("month")
        stand = data.datenstand()
        months = data.value_months()
    if not months:
        st.info("Es liegen noch keine Kennzahlen vor. Bitte zuerst Lieferungen hochladen.")
        st.stop()
    return values, stand, months

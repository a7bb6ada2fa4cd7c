"""The Übersicht's view, made once per database version and view and shared by all sessions.

Everything the page shows besides the widgets — every card's text and help, the Anmerkungen, the
change since the meeting, both tables and their download files — follows from the database
version, the region, the month, whether internal figures are shown and whether the change since
the meeting is shown. So it is worked out once for these and kept (``st.cache_resource``): a view
that was seen before costs only the drawing. A new upload changes the version and thus the key;
nothing is shared between published and internal figures.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from core.reference import leitsaetze, region_members
from metrics.cockpit import cockpit, status_counts
from metrics.texts import status_line
from ui import comments, data, downloads, widgets


class Section(NamedTuple):
    """One Leitsatz with the cockpit rows of its indicators, in catalogue order, and how many of
    them have each status (metrics.cockpit.status_counts)."""

    heading: str
    rows: tuple[Any, ...]
    code: str = ""
    short: str = ""
    counts: tuple[tuple[str, int], ...] = ()
    status_line: str = ""
    cards: tuple[widgets.Card, ...] = ()  # the text and help of each row's card, in the same order


class Overview(NamedTuple):
    sections: tuple[Section, ...]
    members: int  # Kommunen of the region, for the completeness note
    notes: dict[str, str]  # indicator → its Anmerkungen
    since: dict[Any, widgets.SinceMeeting] | None  # indicator → change since the meeting, if shown
    meeting: str  # 'Sitzung vom 12.10.2026' when the change since the meeting is shown
    table: downloads.TableFiles  # all values as a table, with its files
    course: downloads.TableFiles  # the twelve months of the small charts, with its files


@data.per_version(max_entries=128)
def _overview(
    database: str, version: tuple[int, ...], region: str, month: dt.date, internal: bool, since_meeting: bool
) -> Overview:
    at = (database, version)
    table = cockpit(data.values_at(at, "month", internal), region, month)
    members = len(region_members()[region])
    notes = comments.texts_by_kennzahl(data.comments_at(at), region, month.strftime("%Y-%m"))
    since, meeting = None, ""
    if since_meeting:
        meeting_values = data.values_with_meeting_at(at, "month")
        meeting = widgets.meeting_name(meeting_values)
        since = widgets.since_meeting_where(meeting_values, "kennzahl", kommune=region, periode_start=month)
    sections = []
    for leitsatz in leitsaetze():
        rows = tuple(table[table["leitsatz"] == leitsatz.code].itertuples())
        # the cards' texts once per view, not in every run of every session that shows it
        cards = tuple(
            widgets.Card(
                widgets.card_text(
                    row, members, notes.get(row.kennzahl), since.get(row.kennzahl) if since else None, meeting
                ),
                widgets.card_help(row),
            )
            for row in rows
        )
        counts = status_counts(table, leitsatz.code)
        sections.append(
            Section(
                f"{leitsatz.code} · {leitsatz.text}",
                rows,
                leitsatz.code,
                leitsatz.kurz,
                tuple(counts.items()),
                status_line(leitsatz.code, counts),
                cards,
            )
        )
    return Overview(
        tuple(sections),
        members,
        notes,
        since,
        meeting,
        downloads.table_files(widgets.cockpit_table(table, members, notes, since, meeting)),
        downloads.table_files(widgets.sparkline_table(table)),
    )


def overview(region: str, month: dt.date, since_meeting: bool) -> Overview:
    """The Übersicht of the region and month as this user sees it (published or internal figures)."""
    return _overview(*data.version(), region, month, data.internal_view(), since_meeting)

"""One call from a choice to a finished file, for the command line and the page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from briefing.content import Briefing, build_briefing
from store import connect

FileFormat = Literal["pdf", "pptx"]
MIME = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


@dataclass(frozen=True)
class BriefingFile:
    briefing: Briefing
    file_format: FileFormat
    content: bytes

    @property
    def file_name(self) -> str:
        return f"briefing_kim_{self.briefing.period}.{self.file_format}"

    @property
    def mime(self) -> str:
        return MIME[self.file_format]


def create(
    database: Path | str | None,
    period: str,
    kommunen: Sequence[str],
    leitsaetze: Sequence[str],
    file_format: FileFormat,
    *,
    today: dt.date | None = None,
) -> BriefingFile:
    """Collect the briefing from the database (read-only, closed at once) and render it."""
    with connect(database) as connection:
        briefing = build_briefing(connection, period, kommunen, leitsaetze, today=today)
    if file_format == "pdf":
        from briefing.pdf import render_pdf

        return BriefingFile(briefing, file_format, render_pdf(briefing))
    from briefing.slides import render_pptx

    return BriefingFile(briefing, file_format, render_pptx(briefing))

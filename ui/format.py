"""German formatting of numbers, months and changes, and users' text as plain text, for everything a user sees."""

from __future__ import annotations

import datetime as dt
import math
import re

MONTH_NAMES = [
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
]  # fmt: skip


# Every ASCII punctuation character: CommonMark lets each be escaped with a backslash, and together
# they start every Markdown construct (links, images, emphasis, code, HTML, lists, headings, tables)
# and Streamlit's own (":red[…]", ":material/…:", "$…$").
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Where GitHub-flavoured Markdown turns plain words into links even when every punctuation mark is
# escaped (it looks for them in the text after the escapes are resolved): "http:" and "https:",
# "www." and the "@" of an e-mail address. An invisible word joiner there keeps them plain text.
_AUTOLINK_START = re.compile(r"(?i)(https?(?=:)|www(?=\d*\.)|(?=@))")
WORD_JOINER = "\u2060"


def plain(value: object) -> str:
    """Text that a user gave (an Anmerkung, a name, a file name, a message quoting one) for any place
    where Streamlit reads Markdown: st.markdown, captions, alerts, labels, help. It shows exactly
    as typed, and nothing in it loads (no image), links (no link, no e-mail or web address), colours
    or formats. Lines stay lines; leading spaces are dropped (they would start a code block)."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for line in text.split("\n"):
        line = "".join(" " if char == "\t" else char for char in line.lstrip() if char >= " " or char == "\t")
        line = _AUTOLINK_START.sub(lambda match: match.group(1) + WORD_JOINER, line)
        lines.append(_MARKDOWN_PUNCTUATION.sub(r"\\\1", line))
    return "  \n".join(lines)  # two spaces: a line break within the paragraph


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float | None, decimals: int = 0) -> str:
    """1234.5 → '1.234,5'; missing → '–'."""
    if _missing(value):
        return "–"
    assert value is not None
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def decimals_for(unit: str) -> int:
    return 0 if unit in ("Anzahl", "Stunden") else 1


def value(value: float | None, unit: str) -> str:
    """An indicator value with its unit: '12,3 %', '1.234', '14,0 Tage', '3,2 je 100'."""
    if _missing(value):
        return "–"
    text = number(value, decimals_for(unit))
    if unit == "%":
        return f"{text} %"
    if unit in ("Anzahl",):
        return text
    return f"{text} {unit}"


def _signed(value: float, decimals: int) -> str:
    """'+1,5', '-0,3' or '±0,0': the sign of the value as shown, so that a change that rounds to
    zero is never shown as a rise or fall."""
    shown = round(value, decimals)
    sign = "+" if shown > 0 else "-" if shown < 0 else "±"
    return f"{sign}{number(abs(shown), decimals)}"


def change(current: float | None, previous: float | None, unit: str) -> str | None:
    """The change against an earlier value: percentage points for percentages, otherwise the
    difference and the relative change ('+12 (+3,4 %)'). '-' is the minus sign, as st.metric
    reads it to choose the arrow."""
    if _missing(current) or _missing(previous):
        return None
    assert current is not None and previous is not None
    difference = current - previous
    if unit == "%":
        return f"{_signed(difference, 1)} Prozentpunkte"
    text = _signed(difference, decimals_for(unit))
    if previous != 0:
        text += f" ({_signed(difference / abs(previous) * 100, 1)} %)"
    return text


def month(value: dt.date) -> str:
    """2026-09-01 → 'September 2026'."""
    return f"{MONTH_NAMES[value.month - 1]} {value.year}"


def month_short(value: dt.date) -> str:
    return value.strftime("%m/%Y")


def period(label: str) -> str:
    """A period label as a reader says it: '2026-09' → 'September 2026', '2026-Q3' →
    '3. Quartal 2026', '2026' → '2026'."""
    year, _, rest = label.partition("-")
    if rest.startswith("Q"):
        return f"{rest[1:]}. Quartal {year}"
    if rest:
        return month(dt.date(int(year), int(rest), 1))
    return year


def day(value: dt.date) -> str:
    """2026-10-12 → '12.10.2026'."""
    return value.strftime("%d.%m.%Y")

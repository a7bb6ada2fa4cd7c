"""German formatting of numbers, lists, days, times, months and changes, and users' text as plain text,
for everything a user sees; and the one parser of numbers and dates a user types."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from decimal import Decimal

from core.settings import TIMEZONE

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


MINUS = "\u2212"  # the minus sign of print; the hyphen-minus "-" is for words and codes


def number(value: float | None, decimals: int = 0) -> str:
    """1234.5 → '1.234,5', -0.2 → '−0,2' (with the minus sign); missing → '–'."""
    if _missing(value):
        return "–"
    assert value is not None
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".").replace("-", MINUS)


def compact(value: float) -> str:
    """A setting or limit in its shortest form, without thousands dots: 2.5 → '2,5', 50.0 → '50'."""
    return f"{value:g}".replace(".", ",")


def exact(value: Decimal | float | int) -> str:
    """A stored number with every decimal it has and none more (at most 10), with thousands dots and
    the hyphen of the stored text: Decimal('1234.50') → '1.234,5', -3 → '-3'."""
    if isinstance(value, float):
        value = round(value, 10)
    text = f"{Decimal(str(value)).normalize():,f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def decimal_comma(value: float) -> str:
    """Every digit of a float, with the decimal comma and nothing else changed: 0.125 → '0,125',
    1e-05 → '1e-05'. The canonical text of a number cell, not a display format."""
    return repr(value).replace(".", ",")


def count(amount: int, one: str, many: str) -> str:
    """A number of things with the noun in singular or plural: '1 Upload', '3 Uploads'."""
    return f"{number(amount)} {one if amount == 1 else many}"


def german_list(items: Sequence[str]) -> str:
    """'A', 'A und B', 'A, B und C'; '' for none."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} und {items[-1]}"


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
    """'+1,5', '−0,3' or '±0,0': the sign of the value as shown, so that a change that rounds to
    zero is never shown as a rise or fall."""
    shown = round(value, decimals)
    sign = "+" if shown > 0 else MINUS if shown < 0 else "±"
    return f"{sign}{number(abs(shown), decimals)}"


def change(current: float | None, previous: float | None, unit: str) -> str | None:
    """The change against an earlier value: percentage points for percentages, otherwise the
    difference and the relative change ('+12 (+3,4 %)', '−12 (−3,4 %)' with the minus sign "−";
    the cards show the arrow, see widgets.board_change)."""
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
    """2026-09-01 → '09/2026'."""
    return value.strftime("%m/%Y")


def period_short(label: str) -> str:
    """A stored period label in short: '2026-09' → '09/2026'; a year ('2026') stays."""
    year, _, month_ = label.partition("-")
    return f"{month_}/{year}" if month_ else year


def period(label: str) -> str:
    """A period label as a reader says it: '2026-09' → 'September 2026', '2026-Q3' →
    '3. Quartal 2026', '2026' → '2026'."""
    year, _, rest = label.partition("-")
    if rest.startswith("Q"):
        return f"{rest[1:]}. Quartal {year}"
    if rest:
        return month(dt.date(int(year), int(rest), 1))
    return year


def day(value: dt.date | None) -> str:
    """2026-10-12 → '12.10.2026'; '–' when unknown."""
    return "–" if value is None else value.strftime("%d.%m.%Y")


def day_short(value: dt.date) -> str:
    """2026-10-12 → '12.10.' (where the year is plain from the context)."""
    return value.strftime("%d.%m.")


def local_time(value: dt.datetime) -> dt.datetime:
    """A stored moment in the time of the Kreis (Europe/Berlin)."""
    return value.astimezone(TIMEZONE)


def day_time(value: dt.datetime, *, seconds: bool = False) -> str:
    """A moment as a table or log line shows it, in the time zone it is given in (see local_time):
    '25.11.2026 17:11', with seconds when asked ('25.11.2026 17:11:05')."""
    return value.strftime("%d.%m.%Y %H:%M:%S" if seconds else "%d.%m.%Y %H:%M")


def moment(value: dt.datetime) -> str:
    """A moment as a sentence says it, in Europe/Berlin: '25.11.2026, 17:11 Uhr'."""
    return f"{local_time(value):%d.%m.%Y, %H:%M} Uhr"


# --- Input: numbers and dates typed the German way -------------------------------------------------
# One parser for every number a user types into the app. The comma separates the decimals and the
# point groups thousands ("1.234,5"); a point is also read as the decimal mark where it cannot be a
# thousands separator ("85.5", "0.125"). "1.234" is one thousand two hundred and thirty-four, as a
# German reader writes it. Both marks in the English order ("1,234.5") are refused rather than
# guessed, because "1,234" alone is German for one point two three four.
_GERMAN_NUMBER = re.compile(r"(?P<whole>[1-9]\d{0,2}(?:\.\d{3})+|\d+)(?:,(?P<decimals>\d+))?")
_POINT_DECIMAL = re.compile(r"(?P<whole>\d+)\.(?P<decimals>\d+)")
_ENGLISH_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+\.\d+")
_MINUS_SIGNS = "-\u2212\u2013"  # hyphen-minus, minus sign, en dash
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
MAX_INPUT_DIGITS = 12  # before the decimal mark: no target or figure of the cockpit comes near


def _quoted(text: str) -> str:
    return f"„{text[:40]}{'…' if len(text) > 40 else ''}“"


def parse_number(text: str | None, unit: str | None = None) -> float:
    """A number as a user typed it: '85,5', '85.5', '1.234,5', '-3', also with the unit after it
    ('85,5 %' for unit '%'). Raises UsageError with a German message for anything else, also for
    an empty field."""
    return read_number(text, unit)[0]


def read_number(text: str | None, unit: str | None = None) -> tuple[float, int]:
    """parse_number, and how many decimals were typed ('85,50' → (85.5, 2))."""
    from core.errors import UsageError

    raw = _SPACES.sub(" ", text or "").strip()
    if not raw:
        raise UsageError("Bitte eine Zahl eingeben, z. B. 85,5.")
    body = raw
    if unit and body.lower().endswith(unit.lower()) and body[: -len(unit)].strip():
        body = body[: -len(unit)].strip()
    sign = 1.0
    if body[:1] in _MINUS_SIGNS:
        sign, body = -1.0, body[1:].strip()
    elif body[:1] == "+":
        body = body[1:].strip()
    if _ENGLISH_NUMBER.fullmatch(body):
        raise UsageError(
            f"{_quoted(raw)} ist im englischen Zahlenformat geschrieben. Bitte das Komma für die Nachkommastellen "
            "und den Punkt für die Tausender verwenden, z. B. 1.234,5."
        )
    match = _GERMAN_NUMBER.fullmatch(body) or _POINT_DECIMAL.fullmatch(body)
    if match is None:
        raise UsageError(f"{_quoted(raw)} ist keine Zahl. Bitte eine Zahl mit Komma eingeben, z. B. 85,5 oder 1.234,5.")
    whole = match["whole"].replace(".", "")
    if len(whole.lstrip("0")) > MAX_INPUT_DIGITS:
        raise UsageError(f"{_quoted(raw)} ist zu groß für eine Kennzahl. Bitte die Eingabe prüfen.")
    decimals = match["decimals"] or ""
    return sign * float(f"{whole}.{decimals or '0'}"), len(decimals)


def parse_decimal(text: str) -> Decimal:
    """A number written the German way in a delivered file, exactly: '-3,5' → Decimal('-3.5'),
    '1.234,5' → Decimal('1234.5'), '12' → Decimal('12.0'). ValueError for any other text."""
    body = text.strip()
    sign = ""
    if body[:1] in _MINUS_SIGNS:
        sign, body = "-", body[1:]
    match = _GERMAN_NUMBER.fullmatch(body)
    if match is None:
        raise ValueError(f"not a German number: {text!r}")
    return Decimal(f"{sign}{match['whole'].replace('.', '')}.{match['decimals'] or '0'}")


def number_input_text(value: float, unit: str | None = None, decimals: int | None = None) -> str:
    """A number as it stands in an input field: German, without the unit ('85,5', '1.234')."""
    shown = decimals if decimals is not None else (decimals_for(unit) if unit else 0)
    return number(value, shown)


_GERMAN_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_day(text: str | None) -> dt.date | None:
    """A date as a user typed it: '01.01.2027', '1.1.2027' or '1.1.27' (also ISO '2027-01-01');
    None for an empty field. Raises UsageError with a German message otherwise."""
    from core.errors import UsageError

    raw = _SPACES.sub("", text or "")
    if not raw:
        return None
    german = _GERMAN_DAY.fullmatch(raw)
    iso = _ISO_DAY.fullmatch(raw)
    if german:
        day_, month_, year = int(german[1]), int(german[2]), german[3]
        year_ = int(year) + (2000 if len(year) == 2 else 0)
    elif iso:
        year_, month_, day_ = int(iso[1]), int(iso[2]), int(iso[3])
    else:
        raise UsageError(
            f"{_quoted(raw)} ist kein Datum. Bitte das Datum als Tag.Monat.Jahr eingeben, z. B. 01.01.2027."
        )
    try:
        return dt.date(year_, month_, day_)
    except ValueError:
        raise UsageError(f"Den {day_:02d}.{month_:02d}.{year_} gibt es nicht. Bitte das Datum prüfen.") from None

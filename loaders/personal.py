"""Patterns of personal data in cell values: what a delivery must not contain anywhere.

Used in two places: by the reader (``loaders.read``, inside the sandbox) for every cell outside the
delivered table (title and note rows, other sheets, hidden or not, columns without a header) and
for cell comments, and by the validator (``loaders.validate``) for the table's own text columns.
A finding names only the kind of data, never the value: the value must not reach a message or a
log.

What is recognised (invented examples):

- an e-mail address (erika.mustermann@example.org);
- an IBAN with a valid checksum (DE89 3704 0044 0532 0130 00);
- a phone number written as one (0171 2345678, +49 2303 27-1234, 02303/27-1234): it starts with 0
  or +, has 7 to 15 digits and a separator or a +, and stands alone, so that codes such as
  SEL-2026-0042, AGS (05978004) and codes starting with one (05978032-0043), dates and German
  numbers (1.234,5) do not count;
- a labelled name or contact ("Name: …", "Vorname: …", "Tel.: …", "geb. 14.03.1987"), with the
  labels of ``data/personenbezug.yaml``;
- a salutation with a name ("Frau Mustermann", "Herrn Dr. Muster").

A bare name in free text ("Erika Mustermann hat angerufen") cannot be told from other words and is
not recognised; in an identifier column (the Fall-ID), whose values are codes, a value made of two
to four capitalised words and nothing else is taken for a name (``looks_like_name``).
"""

from __future__ import annotations

import re
from functools import cache

from core.normalize import fold
from core.reference import read_yaml
from core.settings import DATA_DIR

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
# A German phone number starts with 0 or +, stands alone (not inside a code like BK-2024-00017).
_PHONE = re.compile(r"(?<![\w/.,-])(?:\+\d|0)[\d /()-]{5,}\d(?![\w/.,-])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
_AGS_FIRST = re.compile(r"05978(?:\d{3})?-")
_SALUTATION = re.compile(r"\b(?:Frau|Herrn?|Hr\.|Fr\.)\s+(?:(?:Dr|Prof)\.\s*)?([^\W\d_]{2,})")
# Labels after which a value is personal data (besides those of personenbezug.yaml).
_EXTRA_LABELS = ("geb", "geboren", "geboren am")
# A cheap first look, in DuckDB's regular expressions (RE2): only texts that match it can hold any of
# the patterns above, so the validator looks closely at few values of a large column.
SQL_PREFILTER = (
    r"@|(^|[^\w/.,-])(\+\d|0)[\d /()-]{5,}\d|[A-Za-z]{2}\s?\d{2}|[:=]|[Gg]eb(\.|oren)|(Frau|Herr|Hr\.|Fr\.)\s"
)
# The same for an identifier column, where a bare name counts too (see ``looks_like_name``).
SQL_PREFILTER_ID = SQL_PREFILTER + r"|\p{Lu}\p{Ll}+,?\s+\p{Lu}"


@cache
def _label_pattern() -> re.Pattern[str]:
    """'Name:', 'Vorname =', 'Tel.:', 'geb. 14.03.1987' … (folded text: lower case, ä → ae)."""
    spec = read_yaml(DATA_DIR / "personenbezug.yaml")
    labels = {str(entry) for entry in spec["spaltenwoerter"]} | set(_EXTRA_LABELS)
    alternatives = sorted((r"[\s._-]*".join(map(re.escape, label.split())) for label in labels), key=len, reverse=True)
    joined = "|".join(alternatives)
    # A label, perhaps abbreviated with a dot, then ':' or '=' and a value; or 'geb.'/'geboren' and a date.
    return re.compile(rf"(?<![a-z0-9])(?:{joined})\.?\s*[:=]\s*\w|(?<![a-z0-9])geb(?:\.|oren)\s*(?:am\s*)?\d")


def personal_data_kind(value: str) -> str | None:
    """What kind of personal data a text seems to contain, as a German phrase ("eine
    Telefonnummer"), or None."""
    if _EMAIL.search(value):
        return "eine E-Mail-Adresse"
    for match in _IBAN.finditer(value.upper()):
        candidate = match.group().replace(" ", "")
        # The match may run on into following words; IBANs are 15 to 34 characters long.
        if any(_iban_valid(candidate[:length]) for length in range(15, min(len(candidate), 34) + 1)):
            return "eine IBAN"
    for match in _PHONE.finditer(value):
        text = match.group()
        digits = re.sub(r"\D", "", text)
        if _AGS_FIRST.match(text):
            continue  # a code that starts with a Gemeindeschlüssel (05978032-0043), no phone number
        if 7 <= len(digits) <= 15 and (text.startswith("+") or re.search(r"[ /()-]", text)):
            return "eine Telefonnummer"
    if any(match.group(1)[0].isupper() for match in _SALUTATION.finditer(value)):
        return "einen Namen"
    if _label_pattern().search(fold(value)):
        return "eine Angabe zu einer Person wie Name, Geburtsdatum oder Anschrift"
    return None


def looks_like_name(value: str) -> bool:
    """A value of an identifier column that is two to four capitalised words and nothing else
    ("Erika Mustermann", "Mustermann, Erika"): a name where a code belongs."""
    words = value.replace(",", " ").split()
    return 2 <= len(words) <= 4 and all(_name_word(word) for word in words) and value.count(",") <= 1


def _name_word(word: str) -> bool:
    """'Erika', 'Anna-Lena', 'Yılmaz': capitalised words of letters (hyphenated parts each)."""
    return all(
        len(part) >= 2 and part.isalpha() and part[0].isupper() and part[1:].islower() for part in word.split("-")
    )


def _iban_valid(iban: str) -> bool:
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", iban):
        return False
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


def column_letter(position: int) -> str:
    """The Excel letter of a 0-based column position: 0 → A, 27 → AB."""
    letters = ""
    number = position + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters

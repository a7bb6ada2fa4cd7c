"""Text normalisation for matching headers and values against the configuration."""

from __future__ import annotations

import re

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e"})
_TRAILING_BRACKET = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*$")
_NOT_ALNUM = re.compile(r"[^a-z0-9+]")
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower case with umlauts transliterated (ä → ae)."""
    return text.strip().lower().translate(_UMLAUTS)


def header_key(text: str) -> str:
    """Key for header matching: case, spaces, line breaks, _ - / . and umlauts ignored, and a
    trailing part in brackets (a unit, a legal reference) dropped."""
    folded = fold(str(text))
    without_bracket = _TRAILING_BRACKET.sub("", folded)
    key = _NOT_ALNUM.sub("", without_bracket)
    return key or _NOT_ALNUM.sub("", folded)


def value_key(text: str) -> str:
    """Key for matching a category, Kommune or Handlungsfeld value (same folding as headers, but
    brackets are kept: they may carry meaning in a value)."""
    return _NOT_ALNUM.sub("", fold(str(text)))


def words(text: str) -> list[str]:
    """The words of a header, folded: "Name (Klient)" → ["name", "klient"]."""
    return [w for w in _WORD_SPLIT.split(fold(str(text))) if w]


def display_header(text: object) -> str:
    """A header cell as the user sees it, on one line."""
    return " ".join(str(text).split())

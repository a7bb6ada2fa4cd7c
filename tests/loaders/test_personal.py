"""The patterns of personal data (loaders.personal): what they find, and what they must let pass."""

from __future__ import annotations

import pytest

from loaders.personal import looks_like_name, personal_data_kind

FOUND = {
    "erika.mustermann@example.org": "E-Mail",
    "Kontakt über erika.mustermann@example.org": "E-Mail",
    "DE89 3704 0044 0532 0130 00": "IBAN",
    "0171 2345678": "Telefon",
    "Tel. 02303/27-1234": "Telefon",
    "+49 2303 271234": "Telefon",
    "Erika Mustermann 0171 2345678": "Telefon",
    "Name: Mustermann": "Person",
    "Vorname = Erika": "Person",
    "geb. 14.03.1987": "Person",
    "geboren am 14.03.1987": "Person",
    "Anschrift: Hauptstraße 12": "Person",
    "Frau Mustermann hat angerufen": "Namen",
    "Rückruf an Herrn Dr. Muster": "Namen",
}

PASSES = [
    "SEL-2026-0042",
    "BK-26-001",
    "KA-2026-0041",
    "05978004",
    "05978032-0043",
    "P 4711",
    "31.10.2026",
    "2026-10-31",
    "1.234,56",
    "12,5 %",
    "Az. 40.1-2026/0042",
    "Stand: 31.10.2026",
    "Quelle: Schulamt für den Kreis Unna",
    "Name der Datei: schule.xlsx",
    "Frauen und Männer zusammen",
    "Frauen- und Männergruppe",
    "Sprachkurs ab 01.11.2026, Stufe B1",
    "Wert geschätzt, Nachmeldung folgt am 15.11.2026",
    "Kosten 1.234,50 EUR",
    "Dateiname: fallliste.xlsx",
]


@pytest.mark.parametrize(("text", "kind"), FOUND.items())
def test_personal_data_is_found(text: str, kind: str) -> None:
    found = personal_data_kind(text)
    assert found is not None, text
    assert kind in found


@pytest.mark.parametrize("text", PASSES)
def test_codes_dates_and_numbers_pass(text: str) -> None:
    assert personal_data_kind(text) is None
    assert not looks_like_name(text)


@pytest.mark.parametrize("text", ["Erika Mustermann", "Mustermann, Erika", "Anna-Lena Schmidt", "Özlem Yılmaz Kaya"])
def test_a_name_where_a_code_belongs(text: str) -> None:
    assert looks_like_name(text)

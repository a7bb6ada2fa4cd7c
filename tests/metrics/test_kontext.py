"""Issue 12, item 6: the Kontext-Kennzahlen K29–K32 from the official tables as they are exported.

The real exports of tests/files/amtlich/ are loaded into a fresh database through the command line
(`python -m loaders ingest`), and `python -m metrics values` must show the figures read by hand from
the raw files (the file line is quoted beside each). No real export of 22811-01i (K30) is among the
examples: its test uses a variant in the layout of 22811-05i (the same portal and family)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest

import store
from core.catalogue import catalogue
from core.errors import ConfigError
from loaders.__main__ import main as loaders_main
from metrics.__main__ import main as metrics_main
from metrics.compute import OUTPUT_COLUMNS
from metrics.kontext import kontext_values, latest, source_line
from tests.helpers.cli import metrics_cli
from tests.helpers.official import (
    ALL_CSV,
    BEVOELKERUNG,
    ingest_accepted,
    variant,
    write_export,
)

KREIS, BERGKAMEN, LUENEN, SELM, UNNA, WERNE = "05978", "05978004", "05978024", "05978032", "05978036", "05978040"
LICENCE = "Datenlizenz Deutschland – Namensnennung – 2.0"


def _values(database: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[list[dict[str, str]], str]:
    code, out, err = metrics_cli(capsys, "values", "--db", str(database), *args)
    assert code == 0
    return list(csv.DictReader(io.StringIO(out))), err


def _kontext(rows: list[dict[str, str]]) -> dict[tuple[str, str, str], str]:
    return {(r["kennzahl"], r["kommune"], r["periode"]): r["wert"] for r in rows if r["kennzahl"] >= "K29"}


@pytest.fixture(scope="module")
def official_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The six real CSV exports loaded into one database (no KIM delivery at all)."""
    database = tmp_path_factory.mktemp("kontext") / "kim.duckdb"
    for path in ALL_CSV:
        assert loaders_main(["ingest", str(path), "--db", str(database), "--json"]) == 0
    return database


def test_the_real_files_give_k29_k31_k32_for_their_years(official_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows, err = _values(official_db, capsys, "--period", "year")
    assert list(rows[0]) == OUTPUT_COLUMNS  # the column contract of metrics values is kept
    values = _kontext(rows)

    # K29 from 12411-15i, Stichtag 31.12.2024 → the year 2024:
    #   "31.12.2024;05978004;      Bergkamen, Stadt;49143;44,90;1094,5"   (line 440)
    #   "31.12.2024;05978024;      Lünen, Stadt;86163;59,39;1450,8"       (line 445)
    #   "31.12.2024;05978032;      Selm, Stadt;25969;60,41;429,9"         (line 447)
    #   "31.12.2024;05978036;      Unna, Stadt;58333;88,56;658,7"         (line 448)
    #   "31.12.2024;05978040;      Werne, Stadt;30202;76,14;396,7"        (line 449)
    assert values[("K29", BERGKAMEN, "2024")] == "49143"
    assert values[("K29", LUENEN, "2024")] == "86163"
    assert values[("K29", SELM, "2024")] == "25969"
    assert values[("K29", UNNA, "2024")] == "58333"
    # the Kreis: the sum of the ten Kommunen 49143 + 17734 + 20504 + 17596 + 42319 + 86163 + 45821
    # + 25969 + 58333 + 30202 = 393784, the same as the table's own Kreis row (line 439:
    # "31.12.2024;05978;    Unna, Kreis;393784;543,21;724,9"), so no note
    assert values[("K29", KREIS, "2024")] == "393784"
    assert "Hinweis" not in err
    # a Teilregion, all of its Kommunen being in the table: TR-Nord = Lünen + Selm + Werne
    assert values[("K29", "TR-Nord", "2024")] == str(86163 + 25969 + 30202)
    # K29 from the Destatis table 12411-0015 (Kreise only), wide by Stichtag, line 128:
    #   "05978;Unna, Landkreis;422662;425305;…;393934;394782" (31.12.1995 … 31.12.2018)
    assert values[("K29", KREIS, "1995")] == "422662"
    assert values[("K29", KREIS, "2018")] == "394782"
    assert ("K29", BERGKAMEN, "2018") not in values  # never spread from the Kreis to a Kommune
    assert ("K29", "TR-Nord", "2018") not in values

    # K31 from 13211-02-05-4, line 144 (the 15th value: ausländisch of the rates bez. auf alle
    # zivile Erwerbspersonen): "2025;05978;      Unna, Kreis;16314;5311;…;8,1;7,5;7,9;7,1;19,2;5,6"
    assert values[("K31", KREIS, "2025")] == "19.2"
    # K32 from 21111-01-03-4, line 1629 (Insgesamt row, column ausländisch):
    #   "2023;05978;      Unna, Kreis;Insgesamt;x;42795;21045;5910;3725;695"
    assert values[("K32", KREIS, "2023")] == "5910"
    # the Kreis-only tables give the Kreis only
    assert {k[1] for k in values if k[0] in ("K31", "K32")} == {KREIS}
    # no 22811-01i loaded: no K30 (22811-05i holds counts, not the rate)
    assert not any(k[0] == "K30" for k in values)

    # the other columns: a published count is its own numerator; nothing is hidden, no Ampel
    kreis_2024 = next(r for r in rows if (r["kennzahl"], r["kommune"], r["periode"]) == ("K29", KREIS, "2024"))
    assert kreis_2024 | {"wert": ""} == dict.fromkeys(OUTPUT_COLUMNS, "") | {
        "kennzahl": "K29",
        "kommune": KREIS,
        "periode": "2024",
        "zaehler": "393784",
        "ampel": "grau",
        "unterdrueckt": "false",
        "vollstaendig": "true",
    }
    rate = next(r for r in rows if r["kennzahl"] == "K31")
    assert (rate["zaehler"], rate["nenner"]) == ("", "")


def test_a_stichtag_is_its_month_and_a_year_only_a_year(official_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    months = _kontext(_values(official_db, capsys)[0])
    assert months[("K29", KREIS, "2024-12")] == "393784"
    assert months[("K29", SELM, "2024-12")] == "25969"
    assert not any(k[2] in ("2024-11", "2025-01") for k in months)  # not carried to other months
    assert not any(k[0] in ("K31", "K32") for k in months)  # yearly figures have no month
    quarters = _kontext(_values(official_db, capsys, "--period", "quarter")[0])
    assert quarters[("K29", KREIS, "2024-Q4")] == "393784"
    # --from/--to select by period
    ranged = _kontext(_values(official_db, capsys, "--period", "year", "--from", "2024-01", "--to", "2025-12")[0])
    assert {k[2] for k in ranged} == {"2024", "2025"}
    assert metrics_main(["values", "--db", str(official_db), "--period", "year", "--format", "json"]) == 0
    as_json = json.loads(capsys.readouterr().out)
    assert {"kennzahl": "K31", "kommune": KREIS, "periode": "2025", "wert": 19.2}.items() <= next(
        r for r in as_json if r["kennzahl"] == "K31"
    ).items()


def test_source_lines_name_publisher_portal_table_stand_and_licence(official_db: Path) -> None:
    with store.connect(official_db) as connection:
        werte = kontext_values(connection)
    lines = {z.code: z.quelle for z in latest(werte, KREIS)}
    assert lines["K29"] == f"Quelle: IT.NRW, Landesdatenbank NRW, Tabelle 12411-15i, Stand 19.01.2026; {LICENCE}"
    assert lines["K31"] == (
        "Quelle: Statistische Ämter des Bundes und der Länder, Regionaldatenbank Deutschland, "
        f"Tabelle 13211-02-05-4, Stand 26.02.2026; {LICENCE}"
    )
    assert lines["K32"].startswith("Quelle: Statistische Ämter des Bundes und der Länder, Regionaldatenbank")
    # the Destatis export of 2020 names no licence in its © line: none is claimed
    older = {z.code: z.quelle for z in latest(werte, KREIS, until=dt.date(2018, 12, 1))}
    assert older["K29"] == (
        "Quelle: Statistisches Bundesamt (Destatis), GENESIS-Online, Tabelle 12411-0015, Stand 24.02.2020"
    )
    assert source_line("12411-15i", None, None) == "Quelle: Landesdatenbank NRW, Tabelle 12411-15i"


def test_a_kreis_row_that_disagrees_with_its_kommunen_gives_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    off_by_one = variant(
        BEVOELKERUNG,
        tmp_path / "12411-15i_kreis_plus_eins.csv",
        ("31.12.2024;05978;    Unna, Kreis;393784;", "31.12.2024;05978;    Unna, Kreis;393785;"),
    )
    database = tmp_path / "kim.duckdb"
    ingest_accepted(database, off_by_one, capsys=capsys)
    rows, err = _values(database, capsys, "--period", "year")
    assert _kontext(rows)[("K29", KREIS, "2024")] == "393784"  # the sum of the ten Kommunen
    assert (
        "Hinweis: K29: Tabelle 12411-15i, Stichtag im Dezember 2024: Die Zeile des Kreises Unna (393.785) "
        "weicht von der Summe der zehn Kommunen (393.784) ab; gezeigt wird die Summe." in err
    )


def test_without_all_ten_kommunen_the_kreis_row_counts_and_teilregionen_need_all_members(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret_selm = variant(
        BEVOELKERUNG,
        tmp_path / "12411-15i_selm_geheim.csv",
        ("31.12.2024;05978032;      Selm, Stadt;25969;", "31.12.2024;05978032;      Selm, Stadt;.;"),
    )
    database = tmp_path / "kim.duckdb"
    ingest_accepted(database, secret_selm, capsys=capsys)
    rows, err = _values(database, capsys, "--period", "year")
    values = _kontext(rows)
    assert values[("K29", KREIS, "2024")] == "393784"  # the table's Kreis row (line 439)
    assert ("K29", SELM, "2024") not in values  # "." is no value, never 0
    assert ("K29", "TR-Nord", "2024") not in values  # Selm is one of its Kommunen
    assert values[("K29", "TR-Mitte", "2024")] == str(49143 + 17734 + 42319 + 58333)  # Bergkamen, Bönen, Kamen, Unna
    assert "Hinweis" not in err


def test_k30_is_the_published_rate_never_re_aggregated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A variant in the layout of the IT.NRW export 22811-05i (Tabelle line, title lines, header rows
    # statistic / variable / unit, bare year, indented names, © and Stand), holding the rate.
    lines = [
        "Tabelle: 22811-01i",
        "Sozialberichterstattung in der amtlichen Statistik:;;;;",
        "Mindestsicherungsquote - Gemeinden - Jahr;;;;",
        ";;;Mindestsicherungsquote;Mindestsicherungsquote",
        ";;;Insgesamt;Ausländer/innen",
        ";;;Prozent;Prozent",
        "2024;05;Nordrhein-Westfalen;11,1;27,3",
        "2024;05978;    Unna, Kreis;10,2;24,9",
        "2024;05978004;      Bergkamen, Stadt;12,3;26,0",
        "2024;05978008;      Bönen;9,8;.",
        "2024;05978032;      Selm, Stadt;8,7;22,1",
        "__________",
        "© IT.NRW, Düsseldorf, 2026. Dieses Werk ist lizenziert unter der Datenlizenz Deutschland - "
        "Namensnennung - Version 2.0.",
        "Stand: 05.01.2026 / 10:00:00",
    ]
    path = write_export(tmp_path / "22811-01i.csv", "\n".join(lines) + "\n")
    database = tmp_path / "kim.duckdb"
    ingest_accepted(database, path, capsys=capsys)
    values = _kontext(_values(database, capsys, "--period", "year")[0])
    assert {k: v for k, v in values.items() if k[0] == "K30"} == {
        ("K30", KREIS, "2024"): "10.2",  # as published, not a mean or sum of the Kommunen
        ("K30", BERGKAMEN, "2024"): "12.3",
        ("K30", "05978008", "2024"): "9.8",
        ("K30", SELM, "2024"): "8.7",
    }  # no Teilregion for a rate


def test_several_tables_for_k29_follow_the_catalogues_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the same Stichtag in a second table listed later (12411-09i), with a newer Stand and other
    # figures: 12411-15i, listed first, gives the values
    other = variant(
        BEVOELKERUNG,
        tmp_path / "12411-09i.csv",
        ("Tabelle: 12411-15i", "Tabelle: 12411-09i"),
        ("31.12.2024;05978;    Unna, Kreis;393784;", "31.12.2024;05978;    Unna, Kreis;400000;"),
        ("31.12.2024;05978032;      Selm, Stadt;25969;", "31.12.2024;05978032;      Selm, Stadt;.;"),
        ("Stand: 19.01.2026 / 13:58:12", "Stand: 20.02.2026 / 08:00:00"),
    )
    database = tmp_path / "kim.duckdb"
    ingest_accepted(database, BEVOELKERUNG, other, capsys=capsys)
    values = _kontext(_values(database, capsys, "--period", "year")[0])
    assert values[("K29", KREIS, "2024")] == "393784"
    assert values[("K29", SELM, "2024")] == "25969"
    with store.connect(database) as connection:
        assert (
            "Tabelle 12411-15i" in next(z for z in latest(kontext_values(connection), SELM) if z.code == "K29").quelle
        )


def test_no_official_table_means_no_kontext_rows_and_no_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "kim.duckdb"
    with store.connect(database, write=True):
        pass
    rows, err = _values(database, capsys, "--period", "year")
    assert _kontext(rows) == {} and err == ""
    with store.connect(database) as connection:
        werte = kontext_values(connection)
    assert werte.values.empty and werte.hinweise == () and latest(werte, KREIS) == []


def _data_copy(tmp_path: Path, entry: str) -> Path:
    data = tmp_path / "data"
    shutil.copytree(Path(__file__).parents[2] / "data", data)
    with (data / "kennzahlen.yaml").open("a", encoding="utf-8") as handle:
        handle.write(entry)
    return data


def test_a_further_table_is_a_change_to_data_only(official_db: Path, tmp_path: Path) -> None:
    data = _data_copy(
        tmp_path,
        """  - code: K33
    name: Empfängerinnen und Empfänger von Mindestsicherungsleistungen
    leitsatz: LS2
    handlungsfeld: teilhabe
    unit: Anzahl
    direction: neutral
    kind: count
    tabellen:
      - {tabelle: 22811-05i, merkmal: ["empfänger/innen von soz. mindestsicherungsleistung | insgesamt | anzahl"]}
""",
    )
    extended = catalogue(data)
    assert [k.code for k in extended.kontext] == ["K29", "K30", "K31", "K32", "K33"]
    with store.connect(official_db) as connection:
        werte = kontext_values(connection, extended)
    k33 = werte.values[werte.values["kennzahl"] == "K33"].set_index("kommune")["wert"]
    # 22811-05i, the column "Insgesamt" (the 5th field), lines 432–442:
    #   "2024;05978;    Unna, Kreis;32129;40354;…"         "2024;05978004;      Bergkamen, Stadt;4912;6042;…"
    #   Bönen 1812, Fröndenberg 1330, Holzwickede 1235, Kamen 4141, Lünen 12047, Schwerte 4186,
    #   Selm 2464, Unna 5243, Werne 1849 → the ten Kommunen add up to 40349, not 40354 (the Kreis row
    #   of the real export disagrees by 5: its parts are rounded to multiples of 5)
    assert int(k33[BERGKAMEN]) == 6042
    assert int(k33[KREIS]) == 40349
    assert werte.hinweise == (
        "K33: Tabelle 22811-05i, 2024: Die Zeile des Kreises Unna (40.354) weicht von der Summe der zehn "
        "Kommunen (40.349) ab; gezeigt wird die Summe.",
    )


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (
            "  - {code: K29, name: Doppelt, leitsatz: LS1, handlungsfeld: uebergreifend, unit: Anzahl, "
            "direction: neutral, kind: count, tabellen: [{tabelle: 12411-15i, merkmal: ['*']}]}\n",
            "Code K29 ist doppelt",
        ),
        (
            "  - {code: K40, name: X, leitsatz: LS9, handlungsfeld: uebergreifend, unit: Anzahl, "
            "direction: neutral, kind: count, tabellen: [{tabelle: 12411-15i, merkmal: ['x']}]}\n",
            "K40: unbekannter Leitsatz 'LS9'",
        ),
        (
            "  - {code: K40, name: X, leitsatz: LS1, handlungsfeld: uebergreifend, unit: '%', "
            "direction: neutral, kind: rate, tabellen: []}\n",
            "K40: keine Tabelle (tabellen) angegeben",
        ),
        (
            "  - {code: K40, name: X, leitsatz: LS1, handlungsfeld: uebergreifend, unit: Anzahl, "
            "direction: neutral, kind: count, tabellen: [{tabelle: 12411-15i, merkmal: ['*']}]}\n",
            "K40: Tabelle '12411-15i': Merkmal (merkmal) fehlt oder ist leer",
        ),
        (
            "  - {code: K40, name: X, leitsatz: LS1, handlungsfeld: uebergreifend, unit: Anzahl, "
            "direction: neutral, kind: quote, tabellen: [{tabelle: 12411-15i, merkmal: ['x']}]}\n",
            "kontext.4.kind",
        ),
    ],
)
def test_a_broken_kontext_entry_fails_at_start(tmp_path: Path, entry: str, problem: str) -> None:
    with pytest.raises(ConfigError) as error:
        catalogue(_data_copy(tmp_path, entry))
    assert problem in error.value.user_message


def test_an_ambiguous_merkmal_is_named_and_not_used(official_db: Path, tmp_path: Path) -> None:
    data = _data_copy(
        tmp_path,
        """  - code: K33
    name: Zu weit gefasst
    leitsatz: LS2
    handlungsfeld: teilhabe
    unit: Anzahl
    direction: neutral
    kind: count
    tabellen:
      - {tabelle: 22811-05i, merkmal: ["*anzahl"]}
""",
    )
    with store.connect(official_db) as connection:
        werte = kontext_values(connection, catalogue(data))
    assert werte.values[werte.values["kennzahl"] == "K33"].empty
    assert any(h.startswith("K33: Tabelle 22811-05i: mehrere Merkmale passen auf „*anzahl“") for h in werte.hinweise)

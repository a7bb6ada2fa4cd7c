"""Fast checks of the synthetic demo deliveries (scale 0.2, six months)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from demo.files import (
    ABSCHLUSSGRUND_CODES,
    COLUMNS,
    DEMO_KOMMUNEN,
    HANDLUNGSFELDER,
    write_demo_deliveries,
    write_demo_files,
)

END = "2025-03"  # six months 2024-10 … 2025-03: the range spans two calendar years
MONATE = ["2024-10", "2024-11", "2024-12", "2025-01", "2025-02", "2025-03"]
AGS = sorted(k.ags for k in DEMO_KOMMUNEN)
AGGREGATE_QUELLEN = (
    "arbeitsmarkt",
    "auslaenderbehoerde",
    "schule",
    "sprache",
    "ehrenamt",
    "kennzahlen",
)


def _quelle_of(path: Path) -> str:
    return path.stem.split("_")[0]


def _read(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    return pd.read_excel(path, dtype=str, engine="calamine").fillna("")


@pytest.fixture(scope="module")
def csv_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("demo_csv")
    return write_demo_files(folder, months=6, scale=0.2, end=END, case_format="csv")


@pytest.fixture(scope="module")
def xlsx_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("demo_xlsx")
    return write_demo_files(folder, months=6, scale=0.2, end=END)


@pytest.fixture(scope="module")
def faelle(csv_files: list[Path]) -> pd.DataFrame:
    parts = [_read(p) for p in csv_files if _quelle_of(p) == "fallmanagement"]
    return pd.concat(parts, ignore_index=True)


def _read_quelle(files: list[Path], quelle: str) -> pd.DataFrame:
    parts = [_read(p) for p in files if _quelle_of(p) == quelle]
    return pd.concat(parts, ignore_index=True)


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.replace("", None), format="%Y-%m-%d")


# --- files and headers ------------------------------------------------------------------


def test_files_exist_for_every_source(csv_files: list[Path]) -> None:
    assert all(p.is_file() for p in csv_files)
    names = {p.name for p in csv_files}
    assert {_quelle_of(p) for p in csv_files} == set(COLUMNS)
    assert {f"fallmanagement_{m}.csv" for m in MONATE} <= names
    for quelle in AGGREGATE_QUELLEN:
        for year in (2024, 2025):
            assert any(n.startswith(f"{quelle}_{year}.") for n in names), (quelle, year)
    assert sum(_quelle_of(p) == "bevoelkerung" for p in csv_files) == 1
    assert csv_files[0].name.startswith("bevoelkerung")
    # Ingestion order: the monthly case deliveries come in calendar order.
    fall_names = [p.name for p in csv_files if _quelle_of(p) == "fallmanagement"]
    assert fall_names == [f"fallmanagement_{m}.csv" for m in MONATE]
    assert len(set(csv_files)) == len(csv_files)


def test_mixes_excel_and_csv(csv_files: list[Path], xlsx_files: list[Path]) -> None:
    suffixes = {p.suffix for p in csv_files if _quelle_of(p) != "fallmanagement"}
    assert suffixes == {".csv", ".xlsx"}
    fall_suffixes = {p.suffix for p in xlsx_files if _quelle_of(p) == "fallmanagement"}
    assert fall_suffixes == {".xlsx"}


def test_header_exactly_canonical(csv_files: list[Path], xlsx_files: list[Path]) -> None:
    for path in [*csv_files, *xlsx_files]:
        expected = list(COLUMNS[_quelle_of(path)])
        if path.suffix == ".csv":
            header = path.read_text(encoding="utf-8").splitlines()[0]
            assert header == ",".join(expected), path.name
        else:
            sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
            header_row = next(sheet.iter_rows(max_row=1, values_only=True))
            assert list(header_row) == expected, path.name


# --- rules of docs/datenlieferung.md#fehler-die-datei-wird-abgelehnt ------------------------


def test_no_future_months_or_dates(csv_files: list[Path], faelle: pd.DataFrame) -> None:
    for path in csv_files:
        monate = set(_read(path)["monat"])
        assert monate <= set(MONATE), path.name
    monat_end = pd.PeriodIndex(faelle["monat"], freq="M").end_time.normalize()
    for column in ("anfrage", "fallbeginn", "erstkontakt", "fallende"):
        dates = _dates(faelle[column])
        assert not (dates > monat_end).any(), column


def test_uniqueness(csv_files: list[Path], faelle: pd.DataFrame) -> None:
    assert not faelle.duplicated(["kommune", "monat", "fall_id"]).any()
    for quelle in AGGREGATE_QUELLEN:
        table = _read_quelle(csv_files, quelle)
        key = ["kommune", "monat"] + (["kennzahl"] if quelle == "kennzahlen" else [])
        assert not table.duplicated(key).any(), quelle
        # one row per Kommune and month (per figure code for kennzahlen)
        assert sorted(table["kommune"].unique()) == AGS
        assert sorted(table["monat"].unique()) == MONATE
        rows_per_code = 2 if quelle == "kennzahlen" else 1
        assert len(table) == len(AGS) * len(MONATE) * rows_per_code
    kennzahlen = _read_quelle(csv_files, "kennzahlen")
    assert set(kennzahlen["kennzahl"]) == {"E01", "E02"}


def test_case_values_and_orders(faelle: pd.DataFrame) -> None:
    assert faelle["kommune"].isin(AGS).all()
    assert set(faelle["kommune"]) == set(AGS)
    anfrage, fallbeginn = _dates(faelle["anfrage"]), _dates(faelle["fallbeginn"])
    erstkontakt, fallende = _dates(faelle["erstkontakt"]), _dates(faelle["fallende"])
    assert fallbeginn.notna().all()
    assert not (erstkontakt < anfrage).any()
    assert not (fallende < fallbeginn).any()
    assert not (anfrage > fallbeginn).any()
    assert ((faelle["fallende"] != "") == (faelle["abschlussgrund"] != "")).all()
    abschlussgrund = faelle.loc[faelle["abschlussgrund"] != "", "abschlussgrund"]
    assert abschlussgrund.isin(ABSCHLUSSGRUND_CODES).all()
    handlungsfelder = faelle["handlungsfelder"].str.split(";")
    assert handlungsfelder.map(lambda codes: bool(codes) and set(codes) <= set(HANDLUNGSFELDER)).all()
    for column in ("ehrenamt", "ergebnis_arbeit"):
        assert set(faelle[column]) <= {"ja", "nein", ""}
    uebergaben = pd.to_numeric(faelle["uebergaben"])
    uebergaben_erfolgreich = pd.to_numeric(faelle["uebergaben_erfolgreich"])
    assert not (uebergaben_erfolgreich > uebergaben).any()
    assert (uebergaben.dropna() >= 0).all()
    assert faelle["zuzugsjahr"].str.fullmatch(r"\d{4}").all()
    assert faelle["fall_id"].str.fullmatch(r"[A-Z]{2,3}-\d{4}-\d{5}").all()


def test_rows_ordered_by_kommune_and_fall_id(csv_files: list[Path]) -> None:
    for path in csv_files:
        if _quelle_of(path) == "fallmanagement":
            table = _read(path)
            keys = list(zip(table["kommune"], table["fall_id"], strict=True))
            assert keys == sorted(keys), path.name


def test_case_snapshots_across_months(faelle: pd.DataFrame) -> None:
    position = {m: i for i, m in enumerate(MONATE)}
    faelle = faelle.assign(position=faelle["monat"].map(position))
    constant_columns = [
        "kommune",
        "anfrage",
        "fallbeginn",
        "zuzugsjahr",
        "altersgruppe",
        "geschlecht",
        "rechtskreis",
        "zugang",
        "handlungsfelder",
        "ehrenamt",
    ]
    by_fall = faelle.groupby("fall_id")
    assert (by_fall[constant_columns].nunique() <= 1).all().all()
    span = by_fall["position"].agg(["min", "max", "count"])
    # consecutive months, no gaps
    assert (span["max"] - span["min"] + 1 == span["count"]).all()
    # a closed case shows fallende in its last delivery only and is absent after it
    closed = faelle[faelle["fallende"] != ""]
    assert closed["fall_id"].is_unique
    last_position = span.loc[closed["fall_id"], "max"].to_numpy()
    assert (closed["position"].to_numpy() == last_position).all()
    fallende_monat = _dates(closed["fallende"]).dt.strftime("%Y-%m")
    assert (fallende_monat.to_numpy() == closed["monat"].to_numpy()).all()
    # an open case appears in every month from its fallbeginn (or the first month) on
    still_open = span.drop(closed["fall_id"])
    assert (still_open["max"] == len(MONATE) - 1).all()
    first_rows = faelle.drop_duplicates("fall_id").set_index("fall_id")
    fallbeginn_position = _dates(first_rows["fallbeginn"]).dt.strftime("%Y-%m").map(position).fillna(0)
    assert (span["min"] == fallbeginn_position.loc[span.index]).all()
    # handovers only accumulate
    history = faelle.sort_values(["fall_id", "position"])
    increase = pd.to_numeric(history["uebergaben"]).groupby(history["fall_id"]).diff()
    assert not (increase < 0).any()


def test_realistic_small_kommunen(faelle: pd.DataFrame) -> None:
    rows_per_kommune = faelle.groupby("kommune").size()
    # Lünen (86.000) has clearly more case rows than Holzwickede (17.000)
    assert rows_per_kommune["05978024"] > 2.5 * rows_per_kommune["05978016"]
    wegzug_count = (faelle["abschlussgrund"] == "wegzug").sum()
    closed_count = (faelle["abschlussgrund"] != "").sum()
    assert closed_count > 0
    assert wegzug_count < 0.2 * closed_count


def test_aggregate_rules(csv_files: list[Path]) -> None:
    for quelle in (*AGGREGATE_QUELLEN, "bevoelkerung"):
        table = _read_quelle(csv_files, quelle)
        figures = table.drop(columns=["kommune", "monat", "kennzahl"], errors="ignore")
        values = figures.apply(pd.to_numeric)
        assert values.notna().all().all(), quelle
        assert (values >= 0).all().all(), quelle
    schule = _read_quelle(csv_files, "schule").drop(columns=["kommune", "monat"])
    schule = schule.apply(pd.to_numeric)
    assert (schule["seiteneinsteiger_beschult_4w"] <= schule["seiteneinsteiger_neu"]).all()
    sprache = _read_quelle(csv_files, "sprache").drop(columns=["kommune", "monat"])
    sprache = sprache.apply(pd.to_numeric)
    assert (sprache["b1_erreicht"] <= sprache["pruefungen_dtz"]).all()
    bevoelkerung = _read_quelle(csv_files, "bevoelkerung")
    # first month of the range, then every December inside it
    assert sorted(bevoelkerung["monat"].unique()) == ["2024-10", "2024-12"]
    assert len(bevoelkerung) == len(AGS) * 2
    bevoelkerung_figures = bevoelkerung.drop(columns=["kommune", "monat"]).apply(pd.to_numeric)
    share_auslaendisch = bevoelkerung_figures["auslaendisch"] / bevoelkerung_figures["einwohner"]
    assert share_auslaendisch.between(0.11, 0.19).all()


def test_xlsx_cells(xlsx_files: list[Path]) -> None:
    path = next(p for p in xlsx_files if p.name == "fallmanagement_2025-03.xlsx")
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    header, *rows = sheet.iter_rows()
    column_index = {cell.value: i for i, cell in enumerate(header)}
    assert rows
    for row in rows[:50]:
        kommune = row[column_index["kommune"]]
        assert kommune.data_type == "s"
        assert isinstance(kommune.value, str)
        assert kommune.value.startswith("05978")
        assert row[column_index["monat"]].value == "2025-03"
        fallbeginn = row[column_index["fallbeginn"]]
        assert fallbeginn.is_date
        assert isinstance(fallbeginn.value, dt.datetime | dt.date)
    arbeitsmarkt_path = next(p for p in xlsx_files if p.name == "arbeitsmarkt_2025.xlsx")
    row = next(openpyxl.load_workbook(arbeitsmarkt_path).worksheets[0].iter_rows(min_row=2))
    assert row[0].data_type == "s"
    assert row[0].value == "05978004"


def test_csv_and_xlsx_hold_the_same_cases(csv_files: list[Path], xlsx_files: list[Path], faelle: pd.DataFrame) -> None:
    xlsx = _read_quelle(xlsx_files, "fallmanagement")
    for column in ("anfrage", "fallbeginn", "erstkontakt", "fallende"):
        xlsx[column] = xlsx[column].str.slice(0, 10)
    pd.testing.assert_frame_equal(xlsx, faelle, check_dtype=False)


def test_deterministic(tmp_path: Path, csv_files: list[Path]) -> None:
    again = write_demo_files(tmp_path, months=6, scale=0.2, end=END, case_format="csv")
    assert [p.name for p in again] == [p.name for p in csv_files]
    for old, new in zip(csv_files, again, strict=True):
        assert hashlib.sha256(old.read_bytes()).digest() == hashlib.sha256(new.read_bytes()).digest(), old.name


def test_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        write_demo_files(tmp_path, end="2025-13")
    with pytest.raises(ValueError):
        write_demo_files(tmp_path, end="2025-03", months=0)
    with pytest.raises(ValueError):
        write_demo_files(tmp_path, end="2025-03", case_format="ods")


def test_deliveries_hold_the_rows_of_the_demo_files(tmp_path: Path, csv_files: list[Path]) -> None:
    """Cut month by month (and, in the last two months, the case lists Kommune by Kommune), the
    deliveries hold exactly the rows of the yearly demo files."""
    deliveries = write_demo_deliveries(tmp_path, months=6, scale=0.2, end=END, case_format="csv", kommune_months=2)
    assert [d.monat for d in deliveries] == sorted(d.monat for d in deliveries)
    for quelle in COLUMNS:
        mine = [d for d in deliveries if d.quelle == quelle]
        if quelle == "fallmanagement":
            assert sum(d.kommune is None for d in mine) == 4 and sum(d.kommune is not None for d in mine) == 20
            assert all(set(_read(d.path)["kommune"]) == {d.kommune} for d in mine if d.kommune)
        elif quelle != "bevoelkerung":
            assert [d.monat for d in mine] == MONATE and all(d.kommune is None for d in mine)
        cut = pd.concat([_read(d.path) for d in mine], ignore_index=True)
        whole = _read_quelle(csv_files, quelle)
        order = ["kommune", "monat", *(["fall_id"] if quelle == "fallmanagement" else [])]
        order += ["kennzahl"] if quelle == "kennzahlen" else []
        assert_frame_equal(
            cut.sort_values(order).reset_index(drop=True), whole.sort_values(order).reset_index(drop=True)
        )

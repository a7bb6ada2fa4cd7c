"""Fast checks of the synthetic demo deliveries (scale 0.2, six months)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from loaders.demo_files import (
    ABSCHLUSSGRUENDE,
    DEMO_KOMMUNEN,
    HANDLUNGSFELDER,
    SPALTEN,
    write_demo_files,
)

END = "2025-03"  # six months 2024-10 … 2025-03: the range spans two calendar years
MONATE = ["2024-10", "2024-11", "2024-12", "2025-01", "2025-02", "2025-03"]
AGS = sorted(k.ags for k in DEMO_KOMMUNEN)
AGGREGAT_QUELLEN = (
    "arbeitsmarkt",
    "auslaenderbehoerde",
    "schule",
    "sprache",
    "ehrenamt",
    "kennzahlen",
)


def _quelle(pfad: Path) -> str:
    return pfad.stem.split("_")[0]


def _lies(pfad: Path) -> pd.DataFrame:
    if pfad.suffix == ".csv":
        return pd.read_csv(pfad, dtype=str, keep_default_na=False)
    return pd.read_excel(pfad, dtype=str, engine="calamine").fillna("")


@pytest.fixture(scope="module")
def csv_dateien(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    ordner = tmp_path_factory.mktemp("demo_csv")
    return write_demo_files(ordner, months=6, scale=0.2, end=END, case_format="csv")


@pytest.fixture(scope="module")
def xlsx_dateien(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    ordner = tmp_path_factory.mktemp("demo_xlsx")
    return write_demo_files(ordner, months=6, scale=0.2, end=END)


@pytest.fixture(scope="module")
def faelle(csv_dateien: list[Path]) -> pd.DataFrame:
    teile = [_lies(p) for p in csv_dateien if _quelle(p) == "fallmanagement"]
    return pd.concat(teile, ignore_index=True)


def _aggregat(dateien: list[Path], quelle: str) -> pd.DataFrame:
    teile = [_lies(p) for p in dateien if _quelle(p) == quelle]
    return pd.concat(teile, ignore_index=True)


def _tage(werte: pd.Series) -> pd.Series:
    return pd.to_datetime(werte.replace("", None), format="%Y-%m-%d")


# --- files and headers ------------------------------------------------------------------


def test_files_exist_for_every_source(csv_dateien: list[Path]) -> None:
    assert all(p.is_file() for p in csv_dateien)
    namen = {p.name for p in csv_dateien}
    assert {_quelle(p) for p in csv_dateien} == set(SPALTEN)
    assert {f"fallmanagement_{m}.csv" for m in MONATE} <= namen
    for quelle in AGGREGAT_QUELLEN:
        for jahr in (2024, 2025):
            assert any(n.startswith(f"{quelle}_{jahr}.") for n in namen), (quelle, jahr)
    assert sum(_quelle(p) == "bevoelkerung" for p in csv_dateien) == 1
    assert csv_dateien[0].name.startswith("bevoelkerung")
    # Ingestion order: the monthly case deliveries come in calendar order.
    fall_namen = [p.name for p in csv_dateien if _quelle(p) == "fallmanagement"]
    assert fall_namen == [f"fallmanagement_{m}.csv" for m in MONATE]
    assert len(set(csv_dateien)) == len(csv_dateien)


def test_mixes_excel_and_csv(csv_dateien: list[Path], xlsx_dateien: list[Path]) -> None:
    endungen = {p.suffix for p in csv_dateien if _quelle(p) != "fallmanagement"}
    assert endungen == {".csv", ".xlsx"}
    fall = {p.suffix for p in xlsx_dateien if _quelle(p) == "fallmanagement"}
    assert fall == {".xlsx"}


def test_header_exactly_canonical(csv_dateien: list[Path], xlsx_dateien: list[Path]) -> None:
    for pfad in [*csv_dateien, *xlsx_dateien]:
        erwartet = list(SPALTEN[_quelle(pfad)])
        if pfad.suffix == ".csv":
            kopf = pfad.read_text(encoding="utf-8").splitlines()[0]
            assert kopf == ",".join(erwartet), pfad.name
        else:
            blatt = openpyxl.load_workbook(pfad, read_only=True).worksheets[0]
            kopf_zeile = next(blatt.iter_rows(max_row=1, values_only=True))
            assert list(kopf_zeile) == erwartet, pfad.name


# --- rules of datenlieferung.md -----------------------------------------------------------


def test_no_future_months_or_dates(csv_dateien: list[Path], faelle: pd.DataFrame) -> None:
    for pfad in csv_dateien:
        monate = set(_lies(pfad)["monat"])
        assert monate <= set(MONATE), pfad.name
    monatsende = pd.PeriodIndex(faelle["monat"], freq="M").end_time.normalize()
    for spalte in ("anfrage", "fallbeginn", "erstkontakt", "fallende"):
        tage = _tage(faelle[spalte])
        assert not (tage > monatsende).any(), spalte


def test_uniqueness(csv_dateien: list[Path], faelle: pd.DataFrame) -> None:
    assert not faelle.duplicated(["kommune", "monat", "fall_id"]).any()
    for quelle in AGGREGAT_QUELLEN:
        tabelle = _aggregat(csv_dateien, quelle)
        schluessel = ["kommune", "monat"] + (["kennzahl"] if quelle == "kennzahlen" else [])
        assert not tabelle.duplicated(schluessel).any(), quelle
        # one row per Kommune and month (per figure code for kennzahlen)
        assert sorted(tabelle["kommune"].unique()) == AGS
        assert sorted(tabelle["monat"].unique()) == MONATE
        je_code = 2 if quelle == "kennzahlen" else 1
        assert len(tabelle) == len(AGS) * len(MONATE) * je_code
    kennzahlen = _aggregat(csv_dateien, "kennzahlen")
    assert set(kennzahlen["kennzahl"]) == {"E01", "E02"}


def test_case_values_and_orders(faelle: pd.DataFrame) -> None:
    assert faelle["kommune"].isin(AGS).all()
    assert set(faelle["kommune"]) == set(AGS)
    anfrage, beginn = _tage(faelle["anfrage"]), _tage(faelle["fallbeginn"])
    erst, ende = _tage(faelle["erstkontakt"]), _tage(faelle["fallende"])
    assert beginn.notna().all()
    assert not (erst < anfrage).any()
    assert not (ende < beginn).any()
    assert not (anfrage > beginn).any()
    assert ((faelle["fallende"] != "") == (faelle["abschlussgrund"] != "")).all()
    gruende = faelle.loc[faelle["abschlussgrund"] != "", "abschlussgrund"]
    assert gruende.isin(ABSCHLUSSGRUENDE).all()
    felder = faelle["handlungsfelder"].str.split(";")
    assert felder.map(lambda codes: bool(codes) and set(codes) <= set(HANDLUNGSFELDER)).all()
    for spalte in ("ehrenamt", "ergebnis_arbeit"):
        assert set(faelle[spalte]) <= {"ja", "nein", ""}
    uebergaben = pd.to_numeric(faelle["uebergaben"])
    erfolgreich = pd.to_numeric(faelle["uebergaben_erfolgreich"])
    assert not (erfolgreich > uebergaben).any()
    assert (uebergaben.dropna() >= 0).all()
    assert faelle["zuzugsjahr"].str.fullmatch(r"\d{4}").all()
    assert faelle["fall_id"].str.fullmatch(r"[A-Z]{2,3}-\d{4}-\d{5}").all()


def test_rows_ordered_by_kommune_and_fall_id(csv_dateien: list[Path]) -> None:
    for pfad in csv_dateien:
        if _quelle(pfad) == "fallmanagement":
            tabelle = _lies(pfad)
            schluessel = list(zip(tabelle["kommune"], tabelle["fall_id"], strict=True))
            assert schluessel == sorted(schluessel), pfad.name


def test_case_snapshots_across_months(faelle: pd.DataFrame) -> None:
    index = {m: i for i, m in enumerate(MONATE)}
    faelle = faelle.assign(nr=faelle["monat"].map(index))
    konstant = [
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
    gruppen = faelle.groupby("fall_id")
    assert (gruppen[konstant].nunique() <= 1).all().all()
    spanne = gruppen["nr"].agg(["min", "max", "count"])
    # consecutive months, no gaps
    assert (spanne["max"] - spanne["min"] + 1 == spanne["count"]).all()
    # a closed case shows fallende in its last delivery only and is absent after it
    geschlossen = faelle[faelle["fallende"] != ""]
    assert geschlossen["fall_id"].is_unique
    letzte = spanne.loc[geschlossen["fall_id"], "max"].to_numpy()
    assert (geschlossen["nr"].to_numpy() == letzte).all()
    schliess_monat = _tage(geschlossen["fallende"]).dt.strftime("%Y-%m")
    assert (schliess_monat.to_numpy() == geschlossen["monat"].to_numpy()).all()
    # an open case appears in every month from its fallbeginn (or the first month) on
    offen = spanne.drop(geschlossen["fall_id"])
    assert (offen["max"] == len(MONATE) - 1).all()
    erste = faelle.drop_duplicates("fall_id").set_index("fall_id")
    beginn_monat = _tage(erste["fallbeginn"]).dt.strftime("%Y-%m").map(index).fillna(0)
    assert (spanne["min"] == beginn_monat.loc[spanne.index]).all()
    # handovers only accumulate
    verlauf = faelle.sort_values(["fall_id", "nr"])
    zuwachs = pd.to_numeric(verlauf["uebergaben"]).groupby(verlauf["fall_id"]).diff()
    assert not (zuwachs < 0).any()


def test_realistic_small_kommunen(faelle: pd.DataFrame) -> None:
    je_kommune = faelle.groupby("kommune").size()
    # Lünen (86.000) has clearly more case rows than Holzwickede (17.000)
    assert je_kommune["05978024"] > 2.5 * je_kommune["05978016"]
    wegzug = (faelle["abschlussgrund"] == "wegzug").sum()
    geschlossen = (faelle["abschlussgrund"] != "").sum()
    assert geschlossen > 0
    assert wegzug < 0.2 * geschlossen


def test_aggregate_rules(csv_dateien: list[Path]) -> None:
    for quelle in (*AGGREGAT_QUELLEN, "bevoelkerung"):
        tabelle = _aggregat(csv_dateien, quelle)
        zahlen = tabelle.drop(columns=["kommune", "monat", "kennzahl"], errors="ignore")
        werte = zahlen.apply(pd.to_numeric)
        assert werte.notna().all().all(), quelle
        assert (werte >= 0).all().all(), quelle
    schule = _aggregat(csv_dateien, "schule").drop(columns=["kommune", "monat"])
    schule = schule.apply(pd.to_numeric)
    assert (schule["seiteneinsteiger_beschult_4w"] <= schule["seiteneinsteiger_neu"]).all()
    sprache = _aggregat(csv_dateien, "sprache").drop(columns=["kommune", "monat"])
    sprache = sprache.apply(pd.to_numeric)
    assert (sprache["b1_erreicht"] <= sprache["pruefungen_dtz"]).all()
    bev = _aggregat(csv_dateien, "bevoelkerung")
    # first month of the range, then every December inside it
    assert sorted(bev["monat"].unique()) == ["2024-10", "2024-12"]
    assert len(bev) == len(AGS) * 2
    zahlen_bev = bev.drop(columns=["kommune", "monat"]).apply(pd.to_numeric)
    anteil = zahlen_bev["auslaendisch"] / zahlen_bev["einwohner"]
    assert anteil.between(0.11, 0.19).all()


def test_xlsx_cells(xlsx_dateien: list[Path]) -> None:
    pfad = next(p for p in xlsx_dateien if p.name == "fallmanagement_2025-03.xlsx")
    blatt = openpyxl.load_workbook(pfad, read_only=True).worksheets[0]
    kopf, *zeilen = blatt.iter_rows()
    spalte = {zelle.value: i for i, zelle in enumerate(kopf)}
    assert zeilen
    for zeile in zeilen[:50]:
        kommune = zeile[spalte["kommune"]]
        assert kommune.data_type == "s"
        assert isinstance(kommune.value, str)
        assert kommune.value.startswith("05978")
        assert zeile[spalte["monat"]].value == "2025-03"
        beginn = zeile[spalte["fallbeginn"]]
        assert beginn.is_date
        assert isinstance(beginn.value, dt.datetime | dt.date)
    aggregat = next(p for p in xlsx_dateien if p.name == "arbeitsmarkt_2025.xlsx")
    zeile = next(openpyxl.load_workbook(aggregat).worksheets[0].iter_rows(min_row=2))
    assert zeile[0].data_type == "s"
    assert zeile[0].value == "05978004"


def test_csv_and_xlsx_hold_the_same_cases(
    csv_dateien: list[Path], xlsx_dateien: list[Path], faelle: pd.DataFrame
) -> None:
    xlsx = _aggregat(xlsx_dateien, "fallmanagement")
    for spalte in ("anfrage", "fallbeginn", "erstkontakt", "fallende"):
        xlsx[spalte] = xlsx[spalte].str.slice(0, 10)
    pd.testing.assert_frame_equal(xlsx, faelle, check_dtype=False)


def test_deterministic(tmp_path: Path, csv_dateien: list[Path]) -> None:
    wieder = write_demo_files(tmp_path, months=6, scale=0.2, end=END, case_format="csv")
    assert [p.name for p in wieder] == [p.name for p in csv_dateien]
    for alt, neu in zip(csv_dateien, wieder, strict=True):
        assert hashlib.sha256(alt.read_bytes()).digest() == hashlib.sha256(neu.read_bytes()).digest(), alt.name


def test_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        write_demo_files(tmp_path, end="2025-13")
    with pytest.raises(ValueError):
        write_demo_files(tmp_path, end="2025-03", months=0)
    with pytest.raises(ValueError):
        write_demo_files(tmp_path, end="2025-03", case_format="ods")

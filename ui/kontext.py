"""The Kontext-Kennzahlen on the pages: published official figures (metrics/kontext.py), each with
its source line. When no official table is loaded, nothing is shown."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

import store
from core import format as fmt
from core.catalogue import catalogue
from core.reference import kommunen, kreis
from metrics.kontext import HEADING, KontextWerte, KontextZeile, kontext_values, latest, period_words
from ui import data, downloads, widgets

ROW_HEIGHT = 35  # pixels of a table row in st.dataframe


@data.per_version(max_entries=6)
def _werte(database: str, version: tuple[int, ...]) -> KontextWerte:
    with store.connect(database) as connection:
        return kontext_values(connection)


def werte() -> KontextWerte:
    return _werte(*data.version())


def line(zeile: KontextZeile, region: str) -> str:
    """'K29 · Einwohnerinnen und Einwohner: **393.784** (Kreis Unna, Stichtag im Dezember 2024)', as
    Markdown (the texts escaped, the value bold)."""
    where = widgets.region_options().get(zeile.region, zeile.region)
    if zeile.region != region:
        where = f"nur für {where} veröffentlicht"
    value = fmt.plain(fmt.value(zeile.wert, zeile.unit))
    return (
        f"{fmt.plain(f'{zeile.code} · {zeile.name}')}: **{value}** "
        f"{fmt.plain(f'({where}, {period_words(zeile.periode)})')}"
    )


@data.per_version(max_entries=128)
def _lines(
    database: str, version: tuple[int, ...], region: str, month: dt.date
) -> dict[str, tuple[tuple[str, str], ...]]:
    """Per Leitsatz its Kontext-Kennzahlen as for_leitsatz shows them: each line and its source
    line, worked out once per database version, region and month (not in every run of the page)."""
    shown: dict[str, list[tuple[str, str]]] = {}
    for zeile in latest(_werte(database, version), region, month):
        shown.setdefault(zeile.leitsatz, []).append((line(zeile, region), fmt.plain(zeile.quelle)))
    return {leitsatz: tuple(lines) for leitsatz, lines in shown.items()}


def for_leitsatz(leitsatz: str, region: str, month: dt.date) -> None:
    """Below a Leitsatz's cards on the Übersicht: its Kontext-Kennzahlen for the region, the latest
    published up to the month, each with its source line."""
    shown = _lines(*data.version(), region, month).get(leitsatz, ())
    if not shown:
        return
    with st.container(key=f"kontext_{leitsatz}", gap="small"):
        st.caption(f"**{HEADING}**")
        for text, source in shown:
            st.markdown(text)
            st.caption(source)


def short_period(periode: str) -> str:
    """'2024-12' → '12/2024', '2023' → '2023' (a column header)."""
    year, _, month = periode.partition("-")
    return f"{month}/{year}" if month else year


def kommunen_table(month: dt.date) -> tuple[pd.DataFrame, list[str]]:
    """The Kreis and the ten Kommunen with each Kontext-Kennzahl's latest period up to the month that
    has a value ('–' where the table publishes none for a Gebiet), and per Kennzahl a legend line
    with its name, period and source."""
    found = werte()
    names = {kreis().ags: kreis().name} | {k.ags: k.name for k in kommunen()}
    table = pd.DataFrame({"Gebiet": list(names.values())})
    legend: list[str] = []
    per_region = {ags: latest(found, ags, month) for ags in names}
    for kontext in catalogue().kontext:
        own = [
            next((z for z in rows if z.code == kontext.code and z.region == ags), None)
            for ags, rows in per_region.items()
        ]
        periods = {z.periode for z in own if z is not None}
        if not periods:
            continue
        periode = max(periods, key=lambda p: (p[:4], p))
        shown = [z if z is not None and z.periode == periode else None for z in own]
        table[f"{kontext.code} · {short_period(periode)}"] = [
            "–" if z is None else fmt.value(z.wert, z.unit) for z in shown
        ]
        sources = dict.fromkeys(z.quelle for z in shown if z is not None)
        legend.append(f"{kontext.code} · {kontext.name} ({period_words(periode)}). " + " ".join(sources))
    return table, legend


def for_kommunen(month: dt.date) -> None:
    """The Kommunen page's table of the Kontext-Kennzahlen, or a short hint when none is loaded."""
    st.subheader(HEADING, anchor=False)
    table, legend = kommunen_table(month)
    if len(table.columns) == 1:
        st.caption(
            "Noch keine amtliche Tabelle für die Kontext-Kennzahlen geladen (Bevölkerung, Mindestsicherung, "
            "Arbeitslosigkeit, Schulen)."
        )
        return
    height = ROW_HEIGHT * (len(table) + 1) + 3  # every Gebiet without scrolling
    downloads.table(table, "kommunen_kontext", f"kommunen_kontext_{month:%Y-%m}", hide_index=True, height=height)
    st.caption("„–“: für dieses Gebiet nicht veröffentlicht")
    for text in legend:
        st.caption(fmt.plain(text))

"""Regenerate the embedded Bureau of National Statistics datasets from the real files.

    python -m etl.curate_bns ../shared            (all datasets; also `make curate-national`)
    python -m etl.curate_bns ../shared bns-regional-workbooks   (one dataset)

writes, under data/curated/,

* ``bns-regional-workbooks/``: every region's «All» workbook in
  ``sources/bns-regional-workbooks/all/`` (``bns-district-workbook``), in the compact form:
  ``observations.csv.gz`` with the provenance of each row as ``file!sheet!cell``, one source per
  region in sources.csv, and ``sheets.csv`` saying what became of every sheet;

* ``bns-topic-tables/``: the topic tables in ``sources/bns-regional-workbooks/topic-tables/``
  (``bns-table``: Atyrau, Almaty city, Karagandy), in the same compact form, one source per file;

* ``bns-kyzylorda-districts/``: the Kyzylorda district workbook (``bns-district-workbook``) and
  the employment table (``bns-employment``), one sources.csv for both;
* ``bns-investment-bulletins/``: each region's own fixed-capital investment from its yearly
  bulletins in ``sources/bns-investment-bulletins/`` (``bns-investment-bulletin``);
* ``kazstat-sdg-oblasts/``: the national SDG platform's series that measure a catalogue
  indicator (``opensdg-restated``): the unemployment rate of every oblast and the country;
* ``bns-oblast-tables/``: the two stat.gov.kz oblast tables (``bns-table``): air emissions from
  stationary sources and current environmental-protection expenditure, 2005–2022.

Each folder gets sources.csv, observations.csv and a README.md saying what is in it, where it
comes from and what was skipped. Nothing is written if any file has an error.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd

from config import DATA_DIR
from etl import plausibility
from etl.adapters import (
    bns_district_workbook,
    bns_employment,
    bns_investment_bulletin,
    bns_table,
    opensdg_restated,
)
from etl.areas import Resolver, default_resolver
from etl.batch import Batch
from etl.curate import write_batch, write_compact, write_sheets

log = logging.getLogger(__name__)

COMMAND = "python -m etl.curate_bns ../shared"
DISTRICT_FILES = "sources/kyzylorda-district-stats"
REGIONAL_FILES = "sources/bns-regional-workbooks/all"
EMPLOYMENT_FILES = "sources/bns-regional-workbooks/employment"
TOPIC_FILES = "sources/bns-regional-workbooks/topic-tables"
BULLETIN_FILES = "sources/bns-investment-bulletins"
COMPACT = {
    "bns-regional-workbooks",
    "bns-regional-employment",
    "bns-topic-tables",
}  # datasets written as observations.csv.gz + sheets.csv
DATASETS: dict[str, list[tuple[str, ModuleType]]] = {
    "bns-kyzylorda-districts": [
        (f"{DISTRICT_FILES}/Kyzylorda_All.xls", bns_district_workbook),
        (f"{DISTRICT_FILES}/Kyzylorda_Employment.xls", bns_employment),
    ],
    "bns-oblast-tables": [
        ("sources/stat-gov-kz/air_emissions_stationary_sources_2005_2022.xls", bns_table),
        (
            "sources/stat-gov-kz/environmental_protection_current_expenditure_2005_2022.xls",
            bns_table,
        ),
    ],
    "kazstat-sdg-oblasts": [("sources/kazstat-sdg/data/indicator_8-5-2.csv", opensdg_restated)],
}

ABOUT = {
    "bns-investment-bulletins": """\
Each region's own fixed-capital investment, as its yearly bulletin «Об инвестициях в основной
капитал в … области» prints it (`../shared/sources/bns-investment-bulletins/`, copies from GitHub
`askhat-omar/FDI_crowding_effects` at commit `8f64f87fc1475f5eb67986b6626174d9b6a195f9`,
`Data/Investments/`): the first row (the region's total) of the table «Инвестиции в основной
капитал (в разрезе районов / регионов)», column «Инвестиции в основной капитал».

- Read by `etl/adapters/bns_investment_bulletin.py` (format `bns-investment-bulletin`) from each
  bulletin's titles, header and rows; the year from the cover (or the header's «в % к … году»);
  the region from its total row («Кызылординская область», «область Абай», or «Область» over
  rows of its districts). One source per bulletin with its stat.gov.kz address from the
  downloader's list `Investments_sources.xlsx` (kept in `data/mappings/bns_investment_sources.csv`).
- Stored as `investment_fixed_capital` in million tenge, restated from the printed thousand
  tenge (status `derived`; the note gives the printed figure). The districts' rows are not
  stored: the revised «All» workbooks have them.

Read before use: bulletin figures are preliminary (the next year's workbook revises them; for
Kyzylorda 2023 the workbook's districts sum to 514 270, the bulletin prints 513 730.9); before
2022 Almaty and East Kazakhstan oblasts include the districts they gave to Zhetisu and Abay.
The bulletins whose table could not be recognised are listed below.""",
    "kazstat-sdg-oblasts": """\
The unemployment rate of every oblast, city of republican significance and of Kazakhstan,
2010–2023, from the Bureau's national SDG reporting platform (`../shared/sources/kazstat-sdg/`,
GitHub `kazstat/sdg-data-kazstat` at commit `72277878d12502232b21c3d4b8ac459630b4f578`, MIT):
indicator 8.5.2's totals (all sexes, ages and settlements; the rows with an empty `REF_AREA` are
the country). They fill the oblast and Kazakhstan comparisons where the regional tables have no
oblast row (Kyzylorda's employment table gives persons only).

- Read by `etl/adapters/opensdg_restated.py` (the Open SDG reader, then the declaration in
  `data/mappings/opensdg_restated.csv`): stored as `unemployment_rate`, the labour force
  survey's rate that the Bureau's regional tables give (their Pavlodar oblast figures for
  2014–2023 are the same); the unit (`PT`, per cent) is checked; nothing is rescaled.
- Source `kazstat-sdg`; every row's `location` is the file and its row.""",
    "bns-topic-tables": """\
District-level figures of the Bureau's single-topic tables in
`../shared/sources/bns-regional-workbooks/topic-tables/`, for the regions without an «All» workbook
(Atyrau, Almaty city) and Karagandy's agricultural output: Atyrau's industrial production by section
and product (oil, gas, electricity, heat, water, fuels, flour, bread), agricultural output and
retail trade; Almaty city's industrial and agricultural output by city district and its 14-sheet
regional summary («Динамика основных социально-экономических показателей»); Karagandy's gross
agricultural output, crop and livestock output.

- Read by `etl/adapters/bns_table.py` (format `bns-table`, topic tables): each sheet's year row,
  label column, unit (the unit row under the title, the text after a block title's last comma, or
  the summary's «Единицы измерения» column) and blocks (a title row, then one row per territory)
  are found from the sheet. Which block is which indicator is in
  `data/mappings/bns_topic_blocks.csv` (sheet title, block title, unit): figures load into the
  indicators of the regional workbooks where they measure the same thing in the same unit
  (`agri_output_gross`, `industrial_output`, `retail_trade`, `population`, ...), products into their
  own (`data/indicators/bns_topic.csv`). Nothing is rescaled.
- Territories resolve within the table's region through `data/area_aliases.csv`; the first row of a
  block (the region's total) loads as the region; Karagandy's table lists Zhezkazgan, Karazhal,
  Satpayev, Zhanaarka and Ulytau, stored under their current codes in Ulytau oblast.
- One source per file (`sources.csv`) with its stat.gov.kz address from the downloader's list
  `Other_controls_sources.xlsx` (kept in `data/mappings/bns_topic_sources.csv`); copies read from
  GitHub `askhat-omar/FDI_crowding_effects` at commit `8f64f87fc1475f5eb67986b6626174d9b6a195f9`,
  `Data/Controls/`.
- `observations.csv.gz`: every row's `location` is `file!sheet!cell`; `sheets.csv`: every sheet
  read, its observations and its unmapped rows.

Read before use: money is nominal; industrial output is counted where the enterprise is
registered; Almaty city's summary also gives months of the current year (not read) and, for many
rows, the city's figure only.""",
    "bns-regional-employment": """\
Labour-force-survey figures by district and city for the 16 regions whose table «Основные
индикаторы рынка труда по районам …» is in `../shared/sources/bns-regional-workbooks/employment/`
(Kyzylorda's «Занятое население» is in `bns-kyzylorda-districts/`): labour force, employed,
employees, self-employed, unemployed, unemployment rate, youth unemployment rate and persons outside
the labour force, 2014–2024 as each table gives it.

- Read by `etl/adapters/bns_employment.py` (format `bns-employment`) from each table's structure
  (blocks of a title, a unit, a year row and territory rows); which block is which indicator is in
  `data/mappings/bns_employment_blocks.csv`, keyed on the title and the unit (spellings of units in
  `data/mappings/bns_units.csv`). Blocks in thousand persons load into the thousand-person
  indicators (`labour_force`, `employed`, ...), blocks in persons into their own indicators
  (`employed_population`, `labour_force_persons`, ...): nothing is rescaled.
- One source per region (`sources.csv`) with its stat.gov.kz address from the downloader's list
  `Employment_sources.xlsx` (kept in `data/mappings/bns_employment_sources.csv`); the copies were read
  from GitHub `askhat-omar/FDI_crowding_effects` at commit `8f64f87fc1475f5eb67986b6626174d9b6a195f9`,
  `Data/Employment/`.
- `observations.csv.gz`: every row's `location` is `file!sheet!cell`; annual figures have an empty
  `series` (no table in these files has quarterly columns; the adapter would store them as series
  `Q1`..`Q4`).
- `sheets.csv`: the sheet read per region and its observations.

Read before use: units moved to the oblasts created in 2022 (Taldykorgan in Almaty oblast's table,
Semey in East Kazakhstan's) are stored under their current codes; Atyrau's table states no unit, so
only its rates are loaded; Turkistan oblast's total before 2018 (South Kazakhstan's figures, says the
footnote) is not loaded; from 2015 the survey follows the 19th ICLS.""",
    "bns-regional-workbooks": """\
Official district-level statistics of every region whose «All» workbook is in
`../shared/sources/bns-regional-workbooks/all/` (the Bureau's «Основные социально-экономические
показатели» by district and city, one sheet per unit, 1991–2024 as each sheet gives it):
Abay, Akmola, Almaty oblast, Astana city, East Kazakhstan, Karagandy, Pavlodar, Shymkent city,
Turkistan, West Kazakhstan, Zhambyl and Zhetisu. Kyzylorda's workbook is in
`bns-kyzylorda-districts/`.

- Read by `etl/adapters/bns_district_workbook.py` (format `bns-district-workbook`); which rows are
  read, as which indicator, is in `data/mappings/bns_district_rows.csv`, the same for every region.
- One source per region (`sources.csv`), with its stat.gov.kz address from the downloader's list
  `Other_controls_sources.xlsx` (kept in `data/mappings/bns_regional_sources.csv`); the copies were
  read from GitHub `askhat-omar/FDI_crowding_effects` at commit
  `8f64f87fc1475f5eb67986b6626174d9b6a195f9`, `Data/Controls/`.
- `observations.csv.gz`: the figures, gzip-compressed; every row's `location` is
  `file!sheet!cell` (e.g. `Abay_All.xls!Семей!AH6`).
- `sheets.csv`: every sheet of every workbook, the area it was loaded as or why it was skipped
  (monotowns, «вне районов», unnamed sheets, units without a curated code), the table read
  (`sheet!A3:AI251`), its observations and its unmapped rows.

Read before use: the districts of Abay, Zhetisu and Ulytau oblasts (created in 2022) carry their
whole series, also before 2022, under their current KATO codes (see README.md, «Oblasts created in
2022»); population series are rebased on the censuses; money is nominal; industrial output is
counted where the enterprise is registered; a city administration («г.а.») includes its villages.""",
    "bns-kyzylorda-districts": """\
Official district-level statistics for Kyzylorda oblast: the 7 districts, Kyzylorda city akimat
(`431000000`, the city with its rural okrugs) and Baikonur (`431900000`).

- `Kyzylorda_All.xls`: the Bureau's «Основные показатели социально-экономического развития …»
  workbook, one sheet per unit, 1991–2023. Read by `etl/adapters/bns_district_workbook.py`; which
  rows are read, as which indicator, is in `data/mappings/bns_district_rows.csv`. Source
  `bns-kyzylorda-district-workbook`: stat.gov.kz `…/region/291836/file/ru/`, copy read from
  GitHub `askhat-omar/FDI_crowding_effects`, commit `29a0c4ded046c372d74963c9fbe862e6cb3219fe`,
  `Data/Controls/Kyzylorda_All.xls`.
- `Kyzylorda_Employment.xls`: «Занятое население» by district, persons, 2014–2024 (labour force
  survey). Read by `etl/adapters/bns_employment.py` as `employed_population`. Source
  `bns-kyzylorda-employment`: stat.gov.kz `…/region/166508/file/ru/`, copy from the same repository,
  commit `394aaea2ae44e6da3818979134b8b9347ac8cd98`, `Data/Employment/Kyzylorda.xls`.

The indicators are defined in `data/indicators/bns_districts.csv` (`industrial_output` and
`industrial_production_index` in `core.csv`). Every row's `location` names the sheet, row and
column of its cell. Values are as stored; cells stored as text (`'9 479 '`, `'6,69'`) are read as
numbers and keep the text in `excerpt`.

Read before use (see `../shared/data-sources/DISTRICT_NOTES.md`):

- population is rebased on the 2009 and 2021 censuses and shows boundary changes: do not read
  year-on-year changes across those breaks as growth;
- industrial output is counted where the enterprise is registered (Kyzylorda city holds most of the
  oblast's oil and gas output), so it is not a map of where extraction happens;
- «зерновые (включая рис) и бобовые» is all cereals and pulses, not rice alone;
- the labour-force-survey series start in 2014 and follow the 19th ICLS from 2015;
- money is nominal (current prices).

Handled on reading:

- a figure with a footnote number glued on (`'1,613)'` is 1,6 with footnote 13; `'32,59)'` is 32,5
  with footnote 9; `'83994)'` is 8399 with footnote 4) is split so that the footnote exists on the
  sheet and the figure has the decimals of its neighbours; the footnote's text goes to `note`;
- an index written as «2,9 раза» / «2,6 есе» (times the previous year) is restated as 290 % with
  status `derived` and a note;
- the labels misspelt or mislabelled on some sheets are mapped explicitly (see the mapping's `note`
  column): «юрилических»; births and deaths labelled «тыс. человек» on the Kazaly and Baikonur
  sheets whose figures are persons.

Not read: rows outside the mapping, namely the percent-of-previous-year rows that follow from
the levels, the national minimum wage, the long-term unemployment rate (figures on one sheet
only), the breakdown of R&D staff, commissioned school places and hospital beds, and university
students (no unit stated); the pupils and preschool-children rows, because some sheets give
persons under a «тыс. человек» label (Kazaly pupils 1991–1998, Baikonur 2023, preschool children
in Karmakshy 1997–2000 and Shieli 1999–2000); and the «производство продуктов нефтепереработки»
and «… резиновых и пластмассовых изделий» rows (two sheets), which state no unit.""",
    "bns-oblast-tables": """\
Two official tables of the Bureau of National Statistics, by oblast and for the whole country
(`000000000`), 2005–2022, in the Bureau's published layout:

- `air_emissions_stationary`: «Выбросы в атмосферу загрязняющих веществ, отходящих от
  стационарных источников», thousand tonnes (source `bns-air-emissions-stationary`; file
  `Eco_drop/data/part2.xls` of the copy);
- `env_protection_expenditure`: «Объем текущих затрат на охрану окружающей среды», thousand tenge,
  nominal (source `bns-env-protection-expenditure`; file `Eco_am/data/eco.xls`).

Both were downloaded from stat.gov.kz by GitHub `open-data-kazakhstan/eco-spendings-and-emissions`
and read at commit `794be2184ba83531ec072807e9abe11801425dc8`. Read by `etl/adapters/bns_table.py`;
the indicator, unit and source of each table come from `data/mappings/bns_tables.csv`, matched on
the title (the emissions title is spelt «Выброcы» with a Latin c in the file). The unit cell is
checked against the mapping. Territory names resolve through `data/area_aliases.csv`.

Every row's `location` names the sheet, row and column of its cell. Float noise is dropped
(2407.4557910000003 is stored as 2407.455791, as published). «-» (no figure) is skipped: the oblasts
created in 2022 (Абай, Жетісу, Ұлытау) have 2022 only, Южно-Казахстанская ends in 2017 and
Туркестанская and г.Шымкент start in 2018.""",
}


def merge(batches: list[Batch]) -> Batch:
    """One batch holding the sources and observations of several; rows keep their file."""
    merged = Batch(file=", ".join(b.file for b in batches), format="merged")
    frames = []
    for b in batches:
        merged.sources += [s for s in b.sources if s not in merged.sources]
        merged.errors += b.errors
        merged.warnings += [f"{Path(b.file).name}: {w}" for w in b.warnings]
        merged.rows_read += b.rows_read
        merged.sheet_reports += b.sheet_reports
        frames.append(b.observations.assign(_file=b.file))
    merged.observations = drop_implausible(merged, pd.concat(frames, ignore_index=True))
    return merged


def drop_implausible(batch: Batch, obs: pd.DataFrame) -> pd.DataFrame:
    """``obs`` without the figures that break an error-level plausibility rule (a typo in the
    source, such as 7471 in a per-cent row); each one left out is named in the warnings."""
    units = {}
    for f in sorted((DATA_DIR / "indicators").glob("*.csv")):
        cat = pd.read_csv(f, dtype=str, keep_default_na=False)
        units.update(zip(cat["code"], cat["unit_en"], strict=True))
    bad = []
    for i, _, severity, msg in plausibility.check(obs, units):
        where = (
            f"{Path(str(obs.at[i, '_file'])).name}, {obs.at[i, 'location']} ({obs.at[i, 'year']})"
        )
        if severity == "error":
            bad.append(i)
            batch.warnings.append(f"left out as implausible: {where}: {msg}")
        else:  # kept as printed; `etl build` loads it and repeats the warning
            batch.warnings.append(f"kept as printed, although unusual: {where}: {msg}")
    return obs.drop(index=bad).reset_index(drop=True)


def build(shared: Path, resolver: Resolver, only: set[str] | None = None) -> dict[str, Batch]:
    """Read every file of every dataset; {dataset name: merged batch}."""
    out = {}
    for name, files in datasets(shared).items():
        if only and name not in only:
            continue
        batches = [
            adapter.read(shared / rel, resolver=resolver, options={}) for rel, adapter in files
        ]
        out[name] = merge(batches)
    return out


def datasets(shared: Path) -> dict[str, list[tuple[str, ModuleType]]]:
    """Every dataset and its files: the fixed ones and every region's «All» workbook."""
    regional = sorted(
        p.relative_to(shared).as_posix()
        for p in (shared / REGIONAL_FILES).glob("*")
        if p.suffix.lower() in (".xls", ".xlsx")
    )
    employment = sorted(
        p.relative_to(shared).as_posix()
        for p in (shared / EMPLOYMENT_FILES).glob("*")
        if p.suffix.lower() in (".xls", ".xlsx")
    )
    topic = sorted(
        p.relative_to(shared).as_posix()
        for p in (shared / TOPIC_FILES).glob("*")
        if p.suffix.lower() in (".xls", ".xlsx")
    )
    bulletins = sorted(
        p.relative_to(shared).as_posix()
        for p in (shared / BULLETIN_FILES).glob("*/*")
        if p.suffix.lower() in (".xls", ".xlsx")
    )
    return {
        **DATASETS,
        "bns-investment-bulletins": [(rel, bns_investment_bulletin) for rel in bulletins],
        "bns-regional-workbooks": [(rel, bns_district_workbook) for rel in regional],
        "bns-regional-employment": [(rel, bns_employment) for rel in employment],
        "bns-topic-tables": [(rel, bns_table) for rel in topic],
    }


def regional_report(batch: Batch) -> list[str]:
    """Per region: the sheets loaded, the sheets skipped and why, and what was not read."""
    sheets = pd.DataFrame(batch.sheet_reports)
    lines = ["## Per region", ""]
    for source, group in sheets.groupby("source", sort=True):
        loaded = group[group["status"] == "loaded"]
        skipped = group[group["status"] != "loaded"]
        lines.append(
            f"- `{source}` (`{group['file'].iloc[0]}`, region `{group['region'].iloc[0]}`): "
            f"{len(loaded)} sheets loaded, {int(loaded['observations'].sum())} observations, "
            f"{int(group['unmapped'].sum())} unmapped rows with figures; skipped: "
            + (
                "; ".join(f"«{r.sheet}» ({r.reason})" for r in skipped.itertuples())
                if len(skipped)
                else "none"
            )
            + "."
        )
    return [*lines, ""]


def readme(name: str, batch: Batch, extra: list[str] | None = None) -> str:
    """The dataset's README: what, where from, what was skipped, and how to regenerate it."""
    obs = batch.observations
    lines = [
        f"# {name}",
        "",
        ABOUT[name],
        "",
        "## Contents",
        "",
        f"- {len(obs)} observations of {obs['indicator'].nunique()} indicators, "
        f"{obs['area'].nunique()} areas, {obs['year'].min()}–{obs['year'].max()};",
        f"- {(obs['status'] == 'derived').sum()} of them `derived` (see above), "
        f"{obs['note'].notna().sum()} with a note;",
        "- sources: " + ", ".join(f"`{s['code']}`" for s in batch.sources) + ".",
        "",
        *(extra or []),
        "## Skipped or adjusted while reading (the adapters' warnings)",
        "",
    ]
    cut = 600 if extra else None  # the compact dataset's warnings are long lists
    lines += [f"- {w[:cut]}…" if cut and len(w) > cut else f"- {w}" for w in batch.warnings] or [
        "- nothing"
    ]
    lines += [
        "",
        "## Regenerate",
        "",
        "From the project root, with the real files in `../shared`:",
        "",
        "```",
        COMMAND + (f" {name}" if name in COMPACT else ""),
        "```",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    shared = Path(argv[0]) if argv else Path("../shared")
    if not (shared / "sources").is_dir():
        log.error("%s has no sources/ folder: give the path of ../shared", shared)
        return 2
    datasets = build(shared, default_resolver(), set(argv[1:]) or None)
    errors = [e for b in datasets.values() for e in b.errors]
    for e in errors:
        log.error("%s", e)
    if errors:
        log.error("%d error(s): nothing written", len(errors))
        return 1
    for name, batch in datasets.items():
        out = DATA_DIR / "curated" / name
        if name in COMPACT:
            write_compact(batch, out)
            text = readme(name, batch, regional_report(batch))
        else:
            write_batch(batch, out)
            write_sheets(batch, out)
            text = readme(name, batch)
        (out / "README.md").write_text(text, encoding="utf-8")
        print(
            f"{name}: {len(batch.observations)} observations, "  # noqa: T201
            f"{len(batch.sources)} sources -> {out}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

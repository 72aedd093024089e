"""Regenerate data/areas.csv and data/area_aliases.csv from geokz's boundary attributes.

    python -m etl.curate_areas ../shared/geo/original

The KATO codes, ISO 3166-2 codes and kk/ru/en names come from geokz 1.0.2 (CC BY 4.0).
Display names ("Арал ауданы", "Аральский район", "Aral district") are composed from them.
Areas that no longer exist (South Kazakhstan oblast) and spelling variants seen in the
Bureau's and Open SDG's files are added from :data:`EXTRA_AREAS` and :data:`EXTRA_ALIASES`,
each with its source.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pyogrio

from config import DATA_DIR

GEOKZ = "geokz-1.0.2"
COUNTRY = "000000000"  # the project's code for the whole country (KATO has none of its own)
REPUBLICAN_CITIES = {"710000000", "750000000", "790000000"}

# (kato, level, parent, kk, ru, en, iso, valid_from, valid_to, source)
EXTRA_AREAS = [
    (
        COUNTRY,
        "country",
        "",
        "Қазақстан Республикасы",
        "Республика Казахстан",
        "Republic of Kazakhstan",
        "KZ",
        "",
        "",
        GEOKZ,
    ),
    (
        "510000000",
        "oblast",
        COUNTRY,
        "Оңтүстік Қазақстан облысы",
        "Южно-Казахстанская область",
        "South Kazakhstan oblast",
        "",
        "",
        "2017",
        "kato-classifier",
    ),
]

# Display-name fixes where geokz's attribute is not the current official name.
NAME_OVERRIDES = {
    ("790000000", "ru"): "г. Шымкент",
}

# (alias, kato, lang, source): spellings seen in the sources under ../shared.
EXTRA_ALIASES = [
    ("Республика Казахстан", COUNTRY, "ru", "bns-air-emissions-stationary"),
    ("Казахстан", COUNTRY, "ru", GEOKZ),
    ("Kazakhstan", COUNTRY, "en", GEOKZ),
    ("Қазақстан", COUNTRY, "kk", GEOKZ),
    ("Южно-Казахстанская", "510000000", "ru", "bns-air-emissions-stationary"),
    ("Оңтүстік Қазақстан", "510000000", "kk", "kato-classifier"),
    ("South Kazakhstan", "510000000", "en", "kato-classifier"),
    ("KZONT", "510000000", "code", "kazstat-sdg"),
    ("KZNS", "710000000", "code", "kazstat-sdg"),
    ("KZZHS", "330000000", "code", "kazstat-sdg"),  # Open SDG code; ISO KZ-ZHT
    ("KZULU", "620000000", "code", "kazstat-sdg"),  # Open SDG code; ISO KZ-ULT
    ("Жетісу", "330000000", "kk", "bns-air-emissions-stationary"),
    ("Жетысу", "330000000", "ru", GEOKZ),
    ("Ұлытау", "620000000", "kk", "bns-air-emissions-stationary"),
    ("Абай", "100000000", "kk", "bns-air-emissions-stationary"),
    ("Жымбылская", "310000000", "ru", "kazstat-sdg"),  # misspelling in REF_AREA.yml
    ("г_Алматы", "750000000", "ru", "kazstat-sdg"),
    ("г_Астана", "710000000", "ru", "kazstat-sdg"),
    ("г_Шымкент", "790000000", "ru", "kazstat-sdg"),
    ("Нур-Султан", "710000000", "ru", GEOKZ),
    ("Nur-Sultan", "710000000", "en", GEOKZ),
    ("Чимкент", "790000000", "ru", GEOKZ),
    # Kyzylorda oblast, as the Bureau's district workbook names its sheets and rows
    ("г.Кызылорда", "431000000", "ru", "bns-kyzylorda-district-workbook"),
    ("Кызылорда г.а.", "431000000", "ru", "bns-kyzylorda-employment"),
    ("г.Байконыр", "431900000", "ru", "bns-kyzylorda-district-workbook"),
    ("Байконыр г.а.", "431900000", "ru", "bns-kyzylorda-employment"),
    ("Байконур", "431900000", "ru", "bns-kyzylorda-district-workbook"),
    ("Арал", "433200000", "ru", "bns-kyzylorda-district-workbook"),
    ("Жалагаш", "433600000", "ru", "bns-kyzylorda-district-workbook"),
    ("Жанакорган", "434000000", "ru", "bns-kyzylorda-district-workbook"),
    ("Казалы", "434400000", "ru", "bns-kyzylorda-district-workbook"),
    ("Кармакшы", "434600000", "ru", "bns-kyzylorda-district-workbook"),
    ("Сырдария", "434800000", "ru", "bns-kyzylorda-district-workbook"),
    ("Сырдарья", "434800000", "ru", "bns-kyzylorda-district-workbook"),
    ("Syrdarya", "434800000", "en", "bns-kyzylorda-district-workbook"),
    ("Шиели", "435200000", "ru", "bns-kyzylorda-district-workbook"),
    ("Чиили", "435200000", "ru", GEOKZ),
    ("Шиелийский", "435200000", "ru", "bns-kyzylorda-employment"),
]

KIND = {
    "oblast": ("облысы", "область", "oblast"),
    "district": ("ауданы", "район", "district"),
    "city": ("қаласы", "г.", "city"),
}


def _display(level: str, kk: str, ru: str, en: str, kato: str) -> tuple[str, str, str]:
    if kato in REPUBLICAN_CITIES:
        kk = kk.replace(" (қала)", "")
        return f"{kk} қаласы", f"г. {ru}", en.replace(" (city)", "") + " city"
    kk_word, ru_word, en_word = KIND[level]
    if level == "city":
        return f"{kk} {kk_word}", f"г. {ru}", f"{en} {en_word}"
    return f"{kk} {kk_word}", f"{ru} {ru_word}", f"{en} {en_word}"


def build(geo_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    adm1 = pyogrio.read_dataframe(geo_dir / "kaz_admbnda_adm1_2024.shp", read_geometry=False)
    adm2 = pyogrio.read_dataframe(geo_dir / "kaz_admbnda_adm2_2024.shp", read_geometry=False)
    rows, aliases = [], []
    for r in adm1.itertuples():
        level = "city" if r.KATO in REPUBLICAN_CITIES else "oblast"
        kk, ru, en = _display("oblast", r.ADM1_KK, r.ADM1_RU, r.ADM1_EN, r.KATO)
        ru = NAME_OVERRIDES.get((r.KATO, "ru"), ru)
        valid_from = "2022" if r.KATO in {"100000000", "330000000", "620000000"} else ""
        valid_from = "2018" if r.KATO in {"610000000", "790000000"} else valid_from
        rows.append((r.KATO, level, COUNTRY, kk, ru, en, r.ISO_3166_2, valid_from, "", GEOKZ))
        for alias, lang in (
            (r.ADM1_KK, "kk"),
            (r.ADM1_RU, "ru"),
            (r.ADM1_EN, "en"),
            (kk, "kk"),
            (ru, "ru"),
            (en, "en"),
            (r.ISO_3166_2, "code"),
            (r.ISO_3166_2.replace("-", ""), "code"),
            (r.ADM1_PCODE, "code"),
        ):
            aliases.append((alias, r.KATO, lang, GEOKZ))
        if r.KATO in REPUBLICAN_CITIES:
            aliases.append((f"г.{r.ADM1_RU}", r.KATO, "ru", GEOKZ))
            aliases.append((r.ADM1_KK.replace(" (қала)", ""), r.KATO, "kk", GEOKZ))
            aliases.append((r.ADM1_EN.replace(" (city)", ""), r.KATO, "en", GEOKZ))
    oblast_of = dict(zip(adm1["ADM1_PCODE"], adm1["KATO"], strict=True))
    for r in adm2.itertuples():
        parent = oblast_of[r.ADM1_PCODE]
        is_city = parent not in REPUBLICAN_CITIES and r.KATO[2:4] < "30"
        level = "city" if is_city else "district"
        kk, ru, en = _display(level, r.ADM2_KK, r.ADM2_RU, r.ADM2_EN, r.KATO)
        rows.append((r.KATO, level, parent, kk, ru, en, "", "", "", GEOKZ))
        for alias, lang in (
            (r.ADM2_KK, "kk"),
            (r.ADM2_RU, "ru"),
            (r.ADM2_EN, "en"),
            (kk, "kk"),
            (ru, "ru"),
            (en, "en"),
            (r.ADM2_PCODE, "code"),
        ):
            aliases.append((alias, r.KATO, lang, GEOKZ))
    # Districts of the 2018 vintage that the 2022 reform moved into Abai, Zhetisu and Ulytau
    # oblasts under new codes: areas of their own, valid until 2021, not aliases.
    known = {r[0] for r in rows}
    adm2_2018 = pyogrio.read_dataframe(geo_dir / "kaz_admbnda_adm2_2018.shp", read_geometry=False)
    for r in adm2_2018.itertuples():
        if r.KATO in known:
            continue
        parent = oblast_of[r.ADM1_PCODE]
        level = "city" if r.KATO[2:4] < "30" else "district"
        kk, ru, en = _display(level, r.ADM2_KK, r.ADM2_RU, r.ADM2_EN, r.KATO)
        rows.append((r.KATO, level, parent, kk, ru, en, "", "", "2021", GEOKZ))
        for alias, lang in ((r.ADM2_PCODE, "code"),):
            aliases.append((alias, r.KATO, lang, GEOKZ))
    rows.extend(EXTRA_AREAS)
    aliases.extend(EXTRA_ALIASES)
    areas = pd.DataFrame(
        rows,
        columns=[
            "kato",
            "level",
            "parent",
            "name_kk",
            "name_ru",
            "name_en",
            "iso_3166_2",
            "valid_from",
            "valid_to",
            "source",
        ],
    )
    areas = areas.sort_values("kato").reset_index(drop=True)
    alias_df = pd.DataFrame(aliases, columns=["alias", "kato", "lang", "source"])
    alias_df["alias"] = alias_df["alias"].str.strip()
    alias_df = alias_df.drop_duplicates(["alias", "kato"]).sort_values(["kato", "alias"])
    return areas, alias_df.reset_index(drop=True)


def main(argv: list[str]) -> int:
    geo_dir = Path(argv[0]) if argv else Path("../shared/geo/original")
    areas, aliases = build(geo_dir)
    areas.to_csv(DATA_DIR / "areas.csv", index=False)
    aliases.to_csv(DATA_DIR / "area_aliases.csv", index=False)
    print(f"{len(areas)} areas, {len(aliases)} aliases")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

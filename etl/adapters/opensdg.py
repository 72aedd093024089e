"""Open SDG data repositories (sdg-build's layout), such as kazstat/sdg-data-kazstat.

    data/indicator_<id>.csv        Year, disaggregation columns, REF_AREA, GeoCode, Value
    meta/<id>.yml                  metadata (sources, descriptions)
    indicator-config/<id>.yml      metadata (name, number, units)
    translations/<lang>/<group>.yml  the text of keys such as "global_indicators.15-1-1-title"

Whose data it is comes from the repository itself: ``config_data.yml``'s site address
(``docs_indicator_url``) names the platform. Kazakhstan's platform
(kazstat.github.io/sdg-site-kazstat) is credited as ``kazstat-sdg``; any other site gets a source
code of its own (``opensdg-<site>``) or the one given with ``options["source"]``, and no other
repository may take ``kazstat-sdg``. A repository that is not recognisably Kazakhstan's (its
configuration names no Kazakh platform, or its REF_AREA codes are not Kazakh) is refused unless
``options["country"] == "KZ"`` says it reports for Kazakhstan: only then do rows without an area
stand for the country.

Each data file becomes one indicator (``15-1-1`` -> ``sdg_15_1_1``) and each row with a
value one observation. ``REF_AREA`` codes are resolved to KATO through the alias table
(empty or absent = the country); a code is used only when the platform's own name for it
(``REF_AREA.yml``) resolves to the same area, so a city or monitoring post is never
mapped to an oblast or akimat. Rows of unresolved codes are skipped, counted in
``Batch.rows_skipped`` and reported once per code in ``Batch.warnings``.

``GeoCode`` (the map layer's id) is read only next to a ``REF_AREA``: a row with a GeoCode
and no REF_AREA is an error, never a national figure. A column that is neither a known SDMX
dimension nor declared by the repository (``translations/<lang>/<COLUMN>.yml``) is refused, and
so is any other column that looks like a geography.

The other columns form the observation's ``series``, "SEX=F|URBANISATION=U" (codes,
sorted by column name, empty cells left out; "" is the total). The unit column is part
of the series only when a file holds more than one unit.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from etl.areas import Resolver
from etl.batch import (
    OBSERVATION_COLUMNS,
    Batch,
    LoadError,
    empty_observations,
    file_checksum,
)

FORMAT = "opensdg"
EXPECTS = "an Open SDG repository folder with data/indicator_*.csv"
log = logging.getLogger(__name__)

SOURCE_CODE = "kazstat-sdg"
SOURCE = {
    "code": SOURCE_CODE,
    "title": "Kazakhstan national SDG reporting platform data (sdg-data-kazstat)",
    "publisher": "Bureau of National Statistics of the Agency for Strategic Planning and "
    "Reforms of the Republic of Kazakhstan",
    "address": "https://github.com/kazstat/sdg-data-kazstat",
    "license": "MIT",
    "retrieved": "commit 72277878d12502232b21c3d4b8ac459630b4f578",
    "tier": "A",
    "excerpt": None,
    "note": "Open SDG data repository behind the national SDG reporting platform.",
}

COUNTRY = "000000000"
LANGS = ("kk", "ru", "en")
FALLBACK = {"kk": ("ru", "en"), "ru": ("kk", "en"), "en": ("ru", "kk")}
UNIT_COLUMNS = ("UNIT_MEASURE", "Units")
NOT_SERIES = {"Year", "REF_AREA", "GeoCode", "Value"}
KAZSTAT_SITE = "kazstat.github.io/sdg-site-kazstat"
# Dimensions of the SDG data structure definition (SDMX) and Open SDG's own column names.
KNOWN_COLUMNS = {
    *NOT_SERIES,
    *UNIT_COLUMNS,
    "SERIES",
    "Series",
    "SEX",
    "AGE",
    "URBANISATION",
    "INCOME_WEALTH_QUANTILE",
    "EDUCATION_LEV",
    "OCCUPATION",
    "CUST_BREAKDOWN",
    "COMPOSITE_BREAKDOWN",
    "DISABILITY_STATUS",
    "ACTIVITY",
    "PRODUCT",
    "NATURE",
    "OBS_STATUS",
    "UNIT_MULT",
    "REPORTING_TYPE",
    "FREQ",
}
_GEOGRAPHY = re.compile(
    r"geo|area|region|province|state|county|district|city|town|locat|territor|oblast|"
    r"облас|район|город|территор|регион|аудан|қала|аймақ",
    re.IGNORECASE,
)
_KAZAKH = re.compile(r"kazstat|kazakhstan|казахстан|қазақстан", re.IGNORECASE)
# Category by SDG goal, with a few targets of other goals that are about the environment.
ECOLOGICAL_GOALS = {6, 7, 12, 13, 14, 15}
ECOLOGICAL_TARGETS = {"2.4", "3.9", "9.4", "11.6"}
ECONOMIC_GOALS = {8, 9, 17}
MAX_DECIMALS = 3

_FILE = re.compile(r"indicator_(?P<id>[0-9]+(?:-[0-9a-z]+)+)\.csv")
_YEAR = r"\d{4}"
_LINE = re.compile(r"line (\d+)")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def detect(path: Path) -> bool:
    """A repository folder (data/indicator_*.csv and meta/) or one data file inside it."""
    path = Path(path)
    if path.is_dir():
        return (path / "meta").is_dir() and any((path / "data").glob("indicator_*.csv"))
    return (
        _FILE.fullmatch(path.name) is not None
        and path.parent.name == "data"
        and (path.parent.parent / "meta").is_dir()
    )


def category(sdg_id: str) -> str:
    """ecological for goals 6, 7, 12-15 and targets 2.4, 3.9, 9.4, 11.6; economic for 8, 9,
    17; social otherwise."""
    goal, _, rest = sdg_id.partition(".")
    target = f"{goal}.{rest.split('.')[0]}"
    if int(goal) in ECOLOGICAL_GOALS or target in ECOLOGICAL_TARGETS:
        return "ecological"
    return "economic" if int(goal) in ECONOMIC_GOALS else "social"


def _clean(text: object) -> str:
    return " ".join(str(text).split()) if text is not None else ""


def _load_yaml(path: Path) -> dict:
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig") as fh:
        data = yaml.load(fh, Loader=_Loader)
    return data if isinstance(data, dict) else {}


@dataclass
class Translations:
    """The text of "<group>.<key>" per language, from translations/<lang>/<group>.yml."""

    text: dict[str, dict[str, str]] = field(default_factory=dict)
    groups: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, root: Path) -> Translations:
        tr = cls({lang: {} for lang in LANGS})
        for lang in LANGS:
            for path in sorted((root / "translations" / lang).glob("*.yml")):
                tr.groups.add(path.stem)
                for key, value in _load_yaml(path).items():
                    if value is not None and _clean(value):
                        tr.text[lang][f"{path.stem}.{key}"] = _clean(value)
        return tr

    def code_names(self, group: str, lang: str) -> dict[str, str]:
        prefix = f"{group}."
        return {k[len(prefix) :]: v for k, v in self.text[lang].items() if k.startswith(prefix)}

    def translate(
        self, value: object, *, reverse_group: str | None = None
    ) -> tuple[dict[str, str], list[str]]:
        """Text per language for a key or literal, and notes on languages filled from others.

        A literal such as "data.млн.тенге" (sdg-translations' data group, not in the
        repository) is Russian text: it is looked up among ``reverse_group``'s Russian
        texts to find the other languages.
        """
        value = _clean(value)
        if not value:
            return {}, []
        group, _, rest = value.partition(".")
        texts = {lang: self.text[lang].get(value, "") for lang in LANGS}
        if not any(texts.values()):
            literal = rest if group == "data" else value
            key = None
            if reverse_group:
                wanted = literal.casefold()
                key = next(
                    (
                        k
                        for k, v in self.text["ru"].items()
                        if k.startswith(f"{reverse_group}.") and v.casefold() == wanted
                    ),
                    None,
                )
            if key:
                texts = {lang: self.text[lang].get(key, "") for lang in LANGS}
            elif group in self.groups:
                return {}, [f"no text for key {value!r}"]
            else:
                texts = {"ru": literal, "kk": "", "en": ""}
        notes = []
        for lang in LANGS:
            if not texts[lang]:
                src = next((s for s in FALLBACK[lang] if texts[s]), None)
                if src:
                    texts[lang] = texts[src]
                    notes.append(f"no {lang} text, used {src}")
        return texts, notes


@dataclass
class _Skipped:
    rows: int = 0
    files: set[str] = field(default_factory=set)


class _Reader:
    def __init__(self, root: Path, resolver: Resolver, batch: Batch, source_code: str) -> None:
        self.root = root
        self.source_code = source_code
        self.resolver = resolver
        self.batch = batch
        self.tr = Translations.load(root)
        self.area_names = self.tr.code_names("REF_AREA", "ru")
        self.areas: dict[str, str | None] = {"": COUNTRY}
        self.why_not: dict[str, str] = {}
        self.skipped: dict[str, _Skipped] = {}
        self.codes_seen: set[str] = set()

    def area(self, code: str) -> str | None:
        if code not in self.areas:
            kato = self.resolver.get(code)
            name = self.area_names.get(code)
            if kato is None:
                self.why_not[code] = "no area with this code in data/area_aliases.csv"
            elif name is not None and self.resolver.get(name, parent=COUNTRY) != kato:
                self.why_not[code] = f"the code matches {kato} but REF_AREA.yml names it {name!r}"
                kato = None
            self.areas[code] = kato
        return self.areas[code]

    def read_file(self, path: Path) -> tuple[dict, pd.DataFrame]:
        rel = path.relative_to(self.root).as_posix()
        ind_id = path.stem.removeprefix("indicator_")
        code = "sdg_" + ind_id.replace("-", "_")
        meta = {
            **_load_yaml(self.root / "meta" / f"{ind_id}.yml"),
            **_load_yaml(self.root / "indicator-config" / f"{ind_id}.yml"),
        }
        df = self._frame(path, rel)
        df = self._known_columns(df, rel)
        has_value = df["Value"] != "" if "Value" in df else pd.Series(False, index=df.index)
        unit_col = next((c for c in UNIT_COLUMNS if c in df.columns), None)
        units = sorted(set(df.loc[has_value, unit_col]) - {""}) if unit_col else []
        indicator = self._indicator(code, ind_id, meta, units)
        if df.empty or "Value" not in df:
            return indicator, empty_observations()
        series_cols = sorted(
            c for c in df.columns if c not in NOT_SERIES and (c != unit_col or len(units) > 1)
        )
        obs = self._observations(df, rel, code, has_value, series_cols)
        indicator["decimals"] = _decimals(df.loc[has_value, "Value"])
        return indicator, obs

    def _frame(self, path: Path, rel: str) -> pd.DataFrame:
        try:
            df = pd.read_csv(
                path, dtype=str, keep_default_na=False, encoding="utf-8-sig", skip_blank_lines=False
            )
        except pd.errors.EmptyDataError:
            self.batch.warnings.append(f"{rel}: empty file")
            return pd.DataFrame()
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            line = _LINE.search(str(exc))
            self.batch.errors.append(
                LoadError(rel, int(line[1]) if line else None, None, f"cannot parse: {exc}")
            )
            return pd.DataFrame()
        df.columns = [str(c).strip() for c in df.columns]
        df = df.fillna("").apply(lambda s: s.str.strip())
        for col in [c for c in df.columns if c.startswith("Unnamed:") or c == ""]:
            for i in np.flatnonzero(df[col] != ""):
                self.batch.errors.append(
                    LoadError(rel, int(i) + 2, col, f"value {df[col].iat[i]!r} under no header")
                )
            df = df.drop(columns=col)
        self.batch.rows_read += len(df)
        for col in ("Year", "Value"):
            if col not in df.columns and len(df):
                self.batch.errors.append(LoadError(rel, 1, col, f"no {col} column"))
        return df

    def _known_columns(self, df: pd.DataFrame, rel: str) -> pd.DataFrame:
        """Refuse columns whose meaning the adapter would have to guess; the file is not read."""
        unknown = []
        for col in df.columns:
            if col in KNOWN_COLUMNS:
                continue
            if _GEOGRAPHY.search(col):
                why = "looks like a geography; only REF_AREA is read as the area"
            elif col in self.tr.groups:
                continue  # the repository declares its codes in translations/<lang>/<col>.yml
            else:
                why = (
                    "is neither an SDMX SDG dimension nor declared in translations/<lang>/"
                    f"{col}.yml: what it holds would be a guess"
                )
            unknown.append(col)
            self.batch.errors.append(LoadError(rel, 1, col, f"unknown column {col!r} {why}"))
        return df.iloc[0:0] if unknown else df

    def _observations(
        self, df: pd.DataFrame, rel: str, code: str, has_value: pd.Series, series_cols: list[str]
    ) -> pd.DataFrame:
        errors: list[LoadError] = []
        rows = pd.Series(np.arange(len(df)) + 2, index=df.index)
        values = pd.to_numeric(df["Value"].where(has_value), errors="coerce")
        bad_value = has_value & values.isna()
        for i in df.index[bad_value]:
            errors.append(
                LoadError(
                    rel, int(rows[i]), "Value", f"value {df.at[i, 'Value']!r} is not a number"
                )
            )
        years = df["Year"] if "Year" in df else pd.Series("", index=df.index)
        bad_year = has_value & ~years.str.fullmatch(_YEAR)
        if "Year" in df:  # else the missing column is the error
            for i in df.index[bad_year]:
                errors.append(
                    LoadError(rel, int(rows[i]), "Year", f"year {years[i]!r} is not a whole number")
                )
        self.batch.errors += sorted(errors, key=lambda e: (e.row, e.column))
        keep = has_value & ~bad_value & ~bad_year
        codes = df["REF_AREA"] if "REF_AREA" in df else pd.Series("", index=df.index)
        if "GeoCode" in df:
            geo_only = keep & (df["GeoCode"] != "") & (codes == "")
            for i in df.index[geo_only]:
                self.batch.errors.append(
                    LoadError(
                        rel,
                        int(rows[i]),
                        "GeoCode",
                        f"GeoCode {df.at[i, 'GeoCode']!r} without a REF_AREA: the area cannot be "
                        "told (GeoCode is a map layer's id), and the row is not a national figure",
                    )
                )
            keep &= ~geo_only
        self.codes_seen.update(codes[keep & (codes != "")].unique())
        kato = codes.map({c: self.area(c) for c in codes[keep].unique()})
        unresolved = keep & kato.isna()
        for area_code, n in Counter(codes[unresolved]).items():
            skipped = self.skipped.setdefault(area_code, _Skipped())
            skipped.rows += n
            skipped.files.add(rel)
        self.batch.rows_skipped += int(unresolved.sum())
        keep &= ~unresolved
        series = pd.Series("", index=df.index)
        for col in series_cols:
            part = (col + "=" + df[col]).where(df[col] != "", "")
            series = series + np.where((series != "") & (part != ""), "|", "") + part
        obs = pd.DataFrame(
            {
                "indicator": code,
                "area": kato[keep],
                "year": years[keep].astype(int),
                "series": series[keep],
                "value": values[keep],
                "status": "actual",
                "year_approx": False,
                "source": self.source_code,
                "note": None,
                "excerpt": None,
                "location": rel + ", row " + rows[keep].astype(str),
                "_row": rows[keep],
                "_column": "Value",
                "_file": rel,
            }
        )
        return self._drop_duplicates(obs, rel)[OBSERVATION_COLUMNS]

    def _drop_duplicates(self, obs: pd.DataFrame, rel: str) -> pd.DataFrame:
        """Keep one of identical repeated rows; skip every row of a key with differing values."""
        key = ["area", "year", "series"]
        repeated = obs.duplicated([*key, "value"])
        if repeated.any():
            self.batch.warnings.append(f"{rel}: {int(repeated.sum())} repeated row(s) dropped")
            obs = obs[~repeated]
        conflict = obs.duplicated(key, keep=False)
        if conflict.any():
            groups = [" & ".join(map(str, g["_row"])) for _, g in obs[conflict].groupby(key)]
            shown = "; ".join(groups[:5]) + (
                f"; and {len(groups) - 5} more" if len(groups) > 5 else ""
            )
            self.batch.warnings.append(
                f"{rel}: {int(conflict.sum())} row(s) skipped: different values for the same "
                f"area, year and series in rows {shown}"
            )
            self.batch.rows_skipped += int(conflict.sum())
            obs = obs[~conflict]
        return obs

    def _indicator(self, code: str, ind_id: str, meta: dict, units: list[str]) -> dict:
        sdg_id = ind_id.replace("-", ".")
        notes: list[str] = []
        names, name_notes = self.tr.translate(meta.get("indicator_name") or meta.get("graph_title"))
        notes += [f"name: {n}" for n in name_notes]
        if not names:
            names = dict.fromkeys(LANGS, f"SDG {sdg_id}")
            notes.append("name: no name in meta, used the indicator number")
        unit, unit_notes = self._unit(meta, units)
        notes += [f"unit: {n}" for n in unit_notes]
        if notes:
            self.batch.warnings.append(f"{code}: " + "; ".join(notes))
        row = {
            "code": code,
            "category": category(sdg_id),
            "direction": "neutral",
            "description": self._description(sdg_id, meta),
            "sdg_id": sdg_id,
            "preferred_source": self.source_code,
            "decimals": None,
            "kind": None,  # Open SDG's metadata does not declare it: never divided
        }
        for lang in LANGS:
            row[f"name_{lang}"] = names[lang]
            row[f"unit_{lang}"] = unit.get(lang, "")
        return row

    def _unit(self, meta: dict, units: list[str]) -> tuple[dict[str, str], list[str]]:
        """The file's one unit, else the meta's computation_units, else the file's units."""
        if len(units) == 1:
            return self._unit_text(units[0])
        if not units:
            return self.tr.translate(meta.get("computation_units"), reverse_group="UNIT_MEASURE")
        texts, notes = {lang: [] for lang in LANGS}, []
        for unit in units:
            text, unit_notes = self._unit_text(unit)
            notes += unit_notes
            for lang in LANGS:
                texts[lang].append(text.get(lang, unit))
        return {lang: "; ".join(t) for lang, t in texts.items()}, sorted(set(notes))

    def _unit_text(self, unit: str) -> tuple[dict[str, str], list[str]]:
        key = f"UNIT_MEASURE.{unit}"
        if not any(key in self.tr.text[lang] for lang in LANGS):
            key = f"data.{unit}"  # a unit written out in the data file rather than a code
        return self.tr.translate(key, reverse_group="UNIT_MEASURE")

    def _description(self, sdg_id: str, meta: dict) -> str:
        parts = [f"Open SDG indicator {sdg_id}."]
        for key, label in (
            ("source_organisation_1", "Source"),
            ("source_compilation_1", "Compiled by"),
            ("source_data_1", "Data"),
        ):
            text, _ = self.tr.translate(meta.get(key))
            if text.get("en"):
                parts.append(f"{label}: {text['en'].rstrip('.')}.")
        return " ".join(parts)

    def warn_skipped(self) -> None:
        for code, skipped in sorted(self.skipped.items()):
            name = self.area_names.get(code)
            files = sorted(skipped.files)
            shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
            self.batch.warnings.append(
                f"REF_AREA {code}"
                + (f" ({name})" if name else "")
                + f" not resolved ({self.why_not.get(code, 'unknown')}): "
                f"{skipped.rows} row(s) skipped in {shown}"
            )


def _decimals(values: pd.Series) -> int:
    digits = values.str.extract(r"\.(\d*?)0*$")[0].str.len()
    return int(min(digits.max(), MAX_DECIMALS)) if digits.notna().any() else 0


@dataclass
class Identity:
    """Whose repository this is, as it says itself: its site and whether it is Kazakhstan's."""

    site: str | None
    branding: str | None
    kazakh_config: bool

    @property
    def is_kazstat(self) -> bool:
        return self.site is not None and KAZSTAT_SITE in self.site


def identify(root: Path) -> Identity:
    """The site address and branding of a repository from its config_data.yml."""
    config = _load_yaml(root / "config_data.yml")
    url = _clean(config.get("docs_indicator_url") or "")
    site = re.sub(r"\[id\].*$", "", url).rstrip("/") or None
    if site is None:
        link = re.search(r"https?://[^\s\"'<>]+", _clean(config.get("docs_intro") or ""))
        site = link[0].rstrip("/") if link else None
    branding = _clean(config.get("docs_branding") or "") or None
    text = " ".join(str(v) for v in (site, branding, config.get("docs_intro")) if v)
    return Identity(site, branding, _KAZAKH.search(text) is not None)


def _source_of(identity: Identity, options: dict, batch: Batch) -> dict | None:
    """The source row for this repository, or None after an error."""
    wanted = _clean(options.get("source") or "") or None
    if identity.is_kazstat:
        return {**SOURCE, "code": wanted or SOURCE_CODE}
    if wanted == SOURCE_CODE:
        batch.error(
            None,
            None,
            f"source code {SOURCE_CODE!r} is Kazakhstan's national SDG platform "
            f"({KAZSTAT_SITE}); this repository's site is "
            f"{identity.site or 'not stated in config_data.yml'}: give another --source",
        )
        return None
    if wanted is None and identity.site is None:
        batch.error(
            None,
            None,
            "config_data.yml names no site (docs_indicator_url): whose data this is cannot be "
            "told; give --source CODE",
        )
        return None
    code = wanted or "opensdg-" + re.sub(
        r"[^a-z0-9]+", "-", re.sub(r"^https?://", "", identity.site.lower())
    ).strip("-")
    return {
        "code": code[:80],
        "title": identity.branding or f"Open SDG data repository of {identity.site or code}",
        "publisher": "not stated in the repository",
        "address": identity.site,
        "license": None,
        "retrieved": None,
        "tier": None,
        "excerpt": None,
        "note": "Open SDG data repository; source code "
        + ("given when loading." if wanted else "made from its site address."),
    }


def _check_country(
    identity: Identity, codes: set[str], reader: _Reader, options: dict, batch: Batch
) -> None:
    """Refuse a repository that is not recognisably Kazakhstan's, unless told it is."""
    if _clean(options.get("country") or "").upper() == "KZ":
        return
    foreign = sorted(c for c in codes if not c.upper().startswith("KZ") and reader.area(c) is None)
    reasons = []
    if not (identity.is_kazstat or identity.kazakh_config):
        reasons.append(
            "config_data.yml names no Kazakh platform (site: "
            f"{identity.site or 'not stated'}; branding: {identity.branding or 'not stated'})"
        )
    if foreign and len(foreign) * 2 >= len(codes):
        shown = ", ".join(foreign[:5]) + (
            f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        )
        reasons.append(f"its REF_AREA codes are not Kazakhstan's ({shown})")
    if reasons:
        batch.error(
            None,
            None,
            "not recognisably Kazakhstan's Open SDG repository: "
            + "; ".join(reasons)
            + ". Rows without an area would be credited to Kazakhstan; if it does report for "
            "Kazakhstan, load it with --country KZ",
        )


def read(path: Path, *, resolver: Resolver, options: dict | None = None) -> Batch:
    """Read an Open SDG repository folder, or one of its data/indicator_*.csv files."""
    options = options or {}
    path = Path(path)
    root = path if path.is_dir() else path.parent.parent
    batch = Batch(file=str(path), format=FORMAT)
    if path.is_dir() and not (root / "data").is_dir():
        batch.error(
            None,
            None,
            "no data/ folder: an Open SDG repository keeps its figures in data/indicator_*.csv",
        )
        return batch
    files = sorted((root / "data").glob("indicator_*.csv")) if path.is_dir() else [path]
    if not files:
        batch.error(None, None, "no data/indicator_*.csv files: nothing to load")
        return batch
    identity = identify(root)
    source = _source_of(identity, options, batch)
    if source is None:
        return batch
    batch.sources = [source]
    batch.checksum = file_checksum(path)
    if path.is_dir():
        for other in sorted((root / "data").iterdir()):
            if other.is_file() and other.suffix != ".csv":
                batch.warnings.append(f"data/{other.name}: not read (Open SDG reads CSV only)")
    reader = _Reader(root, resolver, batch, source["code"])
    frames = []
    for file in files:
        indicator, obs = reader.read_file(file)
        batch.indicators.append(indicator)
        if not obs.empty:
            frames.append(obs)
    _check_country(identity, reader.codes_seen, reader, options, batch)
    reader.warn_skipped()
    if frames:
        batch.observations = pd.concat(frames, ignore_index=True)
    log.info(
        "%s: %d indicators, %d observations, %d rows read, %d skipped, %d errors",
        path,
        len(batch.indicators),
        len(batch.observations),
        batch.rows_read,
        batch.rows_skipped,
        len(batch.errors),
    )
    return batch

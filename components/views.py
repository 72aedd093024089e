"""The Explore chart and the Map view built from URL parameters, outside a Dash page.

The download endpoints (``api/downloads.py``) export exactly what the pages show: they
parse the same query string, validate it strictly (an unknown code is an error naming the
parameter, where a page would show a notice and fall back) and build the figure with the
same pure builders, :func:`components.figures.time_series` and
:func:`components.maps.choropleth`, from the same store queries. Unlike the rest of
``components/``, this module reads the store: it is the glue between URL state and the
pure figure builders, shared by every consumer that is not a page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go

from components import maps
from components.figures import MODES, time_series
from components.i18n import LANGS, request_lang
from components.urlstate import DEFAULT_AREA, query_string, split_list
from store import queries

COUNTRY = "000000000"
DEFAULT_PARENT = "430000000"  # Kyzylorda oblast
DEFAULT_MAP_INDICATOR = "population"
LEVELS = ("district", "oblast")
SOURCE_MODES = ("preferred", "all")
MAX_COMPARE = 20


class BadParameter(ValueError):
    """A query parameter that cannot be used; ``name`` is the parameter."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


Params = Mapping[str, str | list[str] | None]


def _last(params: Params, name: str) -> str | None:
    """A parameter's value (the last if given twice); empty counts as absent."""
    value = params.get(name)
    if isinstance(value, list):
        value = value[-1] if value else None
    value = value.strip() if isinstance(value, str) else value
    return value or None


def _all(params: Params, name: str) -> list[str]:
    """Every comma-separated value of a parameter that may be repeated."""
    value = params.get(name)
    values = value if isinstance(value, list) else [value] if value else []
    return [v for item in values for v in split_list(item)]


def parse_lang(params: Params) -> str:
    """``lang`` if given (kk, ru or en), else the request's Accept-Language, else kk."""
    lang = _last(params, "lang")
    if lang is not None and lang not in LANGS:
        raise BadParameter("lang", f"unknown language {lang!r}; use one of {', '.join(LANGS)}")
    return request_lang(lang)


def _known_area(name: str, value: str) -> str:
    kato = queries.resolve_area(value)
    if kato is None:
        raise BadParameter(name, f"unknown area {value!r}; give a 9-digit KATO code "
                                 "(e.g. 433200000) or an area name")
    return kato


def _known_indicator(value: str) -> str:
    if queries.indicator(value) is None:
        raise BadParameter("indicator", f"unknown indicator {value!r}; the codes are listed "
                                        "at /api/v1/indicators and in the indicators table")
    return value


def area_name(kato: str, lang: str) -> str:
    info = queries.area(kato)
    return info[f"name_{lang}"] if info else kato


# --- Explore ------------------------------------------------------------------------------

class ExploreQuery(NamedTuple):
    """The Explore page's state (as in its URL), validated."""

    indicator: str
    area: str
    compare: tuple[str, ...] = ()
    mode: str = "absolute"
    source: str = "preferred"
    lang: str = "kk"

    @property
    def areas(self) -> tuple[str, ...]:
        return (self.area, *[c for c in self.compare if c != self.area])

    def query_string(self) -> str:
        """'?indicator=…&area=…': the Explore page's URL query for this state."""
        return query_string(indicator=self.indicator, area=self.area, compare=list(self.compare),
                            mode=None if self.mode == "absolute" else self.mode,
                            lang=self.lang, source="all" if self.source == "all" else None)


def default_indicator(kato: str) -> str | None:
    """The first indicator with a target for the area, else the first with data, else any."""
    for codes in (queries.targets(area_code=kato)["indicator"],
                  queries.area_indicators(kato)["indicator"],
                  queries.indicators()["code"]):
        if len(codes):
            return str(codes.iloc[0])
    return None


def explore_query(params: Params) -> ExploreQuery:
    """Validate Explore's parameters (indicator, area, compare, mode, source, lang).

    Missing values take the page's defaults; unknown ones raise :class:`BadParameter`.
    """
    lang = parse_lang(params)
    area = _last(params, "area")
    kato = _known_area("area", area) if area else DEFAULT_AREA
    indicator = _last(params, "indicator")
    code = _known_indicator(indicator) if indicator else default_indicator(kato)
    if code is None:
        raise BadParameter("indicator", "the database holds no indicators")
    compare: list[str] = []
    values = _all(params, "compare")
    if len(values) > MAX_COMPARE:
        raise BadParameter("compare", f"{len(values)} areas; compare at most {MAX_COMPARE}")
    for value in values:
        other = _known_area("compare", value)
        if other != kato and other not in compare:
            compare.append(other)
    mode = _last(params, "mode") or "absolute"
    if mode not in MODES:
        raise BadParameter("mode", f"unknown mode {mode!r}; use one of {', '.join(MODES)}")
    source = _last(params, "source") or "preferred"
    if source not in SOURCE_MODES:
        raise BadParameter("source", f"unknown source mode {source!r}; use one of "
                                     f"{', '.join(SOURCE_MODES)}")
    return ExploreQuery(code, kato, tuple(compare), mode, source, lang)


class ExploreData(NamedTuple):
    """What the Explore chart is drawn from."""

    observations: pd.DataFrame  # as queries.observations returns them, areas in page order
    meta: dict  # the indicator's catalogue row
    names: dict[str, str]  # KATO -> name in the query's language, in page order
    targets: pd.DataFrame  # the indicator's targets for the areas shown
    source_labels: dict[str, str] | None  # source -> legend label when every source is shown


def short_publisher(publisher: str | None, limit: int = 40) -> str:
    """A publisher short enough for a legend: up to the first parenthesis, at most ``limit``."""
    text = (publisher or "").split(" (")[0].strip()
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def source_labels(codes) -> dict[str, str]:  # noqa: ANN001
    """Source code -> its short publisher, the label of its series in the legend."""
    out = {}
    for code in codes:
        info = queries.source(code) or {}
        out[code] = short_publisher(info.get("publisher")) or code
    return out


def explore_data(q: ExploreQuery) -> ExploreData:
    """The observations, indicator, area names, targets and labels of the Explore chart."""
    rank = {k: i for i, k in enumerate(q.areas)}
    obs = queries.observations(q.indicator, q.areas, q.source)
    obs = obs.sort_values("area", key=lambda s: s.map(rank), kind="stable")
    targets = queries.targets(indicator_code=q.indicator)
    targets = targets[targets["area"].isin(q.areas)]
    labels = source_labels(obs["source"].unique()) if q.source == "all" else None
    names = {k: area_name(k, q.lang) for k in q.areas}
    return ExploreData(obs, queries.indicator(q.indicator), names, targets, labels)


def explore_figure(q: ExploreQuery, data: ExploreData | None = None) -> go.Figure:
    """The Explore page's chart for ``q``."""
    d = data or explore_data(q)
    return time_series(d.observations, d.meta, q.lang, targets=d.targets, area_names=d.names,
                       mode=q.mode, source_labels=d.source_labels)


# --- Map ----------------------------------------------------------------------------------

class MapQuery(NamedTuple):
    """The Map page's state, resolved: ``scope`` is the parent whose children are mapped."""

    indicator: str
    level: str
    parent: str
    year: int
    lang: str = "kk"
    area: str | None = None
    years: tuple[int, ...] = ()

    @property
    def scope(self) -> str:
        return COUNTRY if self.level == "oblast" else self.parent

    def query_string(self) -> str:
        """The Map page's URL query for this state."""
        return query_string(indicator=self.indicator, level=self.level,
                            parent=self.parent if self.level == "district" else None,
                            year=self.year, lang=self.lang, area=self.area)


def _default_parent(area: str | None) -> str:
    """The oblast of ``area`` (or ``area`` itself if it is one), else Kyzylorda oblast."""
    info = queries.area(area) if area else None
    if info and info.get("parent") == COUNTRY:
        return area  # type: ignore[return-value]
    if info and info.get("parent"):
        up = queries.area(info["parent"])
        if up and up.get("parent") == COUNTRY:
            return info["parent"]
    return DEFAULT_PARENT


def map_query(params: Params) -> MapQuery:
    """Validate the Map's parameters (indicator, level, parent, year, lang, area).

    Missing values take the page's defaults (district level, the area's oblast or Kyzylorda
    oblast, population or the first indicator with data, the latest year with data);
    values that cannot be shown raise :class:`BadParameter`.
    """
    lang = parse_lang(params)
    level = _last(params, "level") or "district"
    if level not in LEVELS:
        raise BadParameter("level", f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    area = _last(params, "area")
    area = _known_area("area", area) if area else None
    parent = _last(params, "parent")
    if parent:
        parent = _known_area("parent", parent)
        if (queries.area(parent) or {}).get("parent") != COUNTRY:
            raise BadParameter("parent", f"{parent} is not an oblast or a city of republican "
                                         "significance")
    else:
        parent = _default_parent(area)
    scope = COUNTRY if level == "oblast" else parent
    have = set(queries.indicators_under(scope)["indicator"])
    codes = [c for c in queries.indicators()["code"] if c in have]
    indicator = _last(params, "indicator")
    if indicator:
        _known_indicator(indicator)
        if indicator not in have:
            raise BadParameter("indicator", f"{indicator!r} has no data for the areas under "
                                            f"{scope}")
    elif codes:
        indicator = DEFAULT_MAP_INDICATOR if DEFAULT_MAP_INDICATOR in codes else codes[0]
    else:
        raise BadParameter("indicator", f"no indicator has data for the areas under {scope}")
    values = queries.observations_in(indicator, scope)
    years = tuple(sorted(int(y) for y in values["year"].unique()))
    year = _last(params, "year")
    if year is None:
        chosen = years[-1]
    else:
        try:
            chosen = int(year)
        except ValueError:
            raise BadParameter("year", f"{year!r} is not a year") from None
        if chosen not in years:
            raise BadParameter("year", f"no data for {chosen}; years with data: "
                                       f"{', '.join(str(y) for y in years)}")
    return MapQuery(indicator, level, parent, chosen, lang, area, years)


def source_label(title: str, limit: int = 70) -> str:
    """A source's title, cut at a word to about ``limit`` characters."""
    if len(title) <= limit:
        return title
    return title[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def map_values(q: MapQuery) -> pd.DataFrame:
    """Every year's preferred values under the scope (source codes, not titles)."""
    return queries.observations_in(q.indicator, q.scope)


def map_names(q: MapQuery) -> dict[str, str]:
    """KATO -> name in the query's language, of the areas under the scope."""
    kids = queries.areas(parent=q.scope)
    return dict(zip(kids["kato"], kids[f"name_{q.lang}"], strict=True))


def map_boundaries(q: MapQuery) -> pd.DataFrame:
    """The boundaries drawn: the latest vintage not after the year (else the oldest)."""
    level = "oblast" if q.level == "oblast" else "district"
    vintages = queries.boundary_vintages(level)
    before = [v for v in vintages if v <= q.year]
    vintage = before[-1] if before else (vintages[0] if vintages else None)
    return queries.boundaries(level, parent=q.scope, vintage=vintage)


def map_figure(q: MapQuery) -> go.Figure:
    """The Map page's choropleth for ``q`` (hover text names each value's source)."""
    values = map_values(q)
    titles = queries.sources().set_index("code")["title"].to_dict()
    values = values.assign(source=values["source"].map(
        lambda c: source_label(titles.get(c, c))))
    return maps.choropleth(values, map_boundaries(q), map_names(q), queries.indicator(q.indicator),
                           q.lang, q.year, highlight=q.area)

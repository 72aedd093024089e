"""The Explore and Map views: URL parameters -> the resolved view -> its data and figure.

The one implementation behind the pages (``pages/explore.py``, ``pages/map.py``), the
downloads (``api/downloads.py``), the embeds (``api/embed.py``) and the export metadata
(``api/export_*.py``), so every one of them shows the same figure for the same URL. A value
that cannot be shown is treated by one of two policies:

* strict, :func:`explore_query` and :func:`map_query`: raise :class:`BadParameter`
  naming the parameter (a download answers 400, an embed a friendly error page);
* lenient, :func:`lenient_explore_query` and :func:`lenient_map_query`: fall back to the
  default and return friendly notices (in the view's language) saying what was replaced,
  as the pages do; where no default can stand in, still raise :class:`BadParameter`,
  whose ``notice`` is the text for the page.

The figures come from the pure builders :func:`components.figures.time_series` and
:func:`components.maps.choropleth`; the data from the store's queries. Like the rest of
``views/``, this module reads the store: it is the glue between URL state and the pure
figure builders in ``components/``, which never query.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, NoReturn, TypeVar

import pandas as pd
import plotly.graph_objects as go

from components import maps, per_units
from components.figures import MODES, preferred, summary, time_series_parts
from components.i18n import (
    DEFAULT_LANG,
    LANGS,
    fmt_number,
    localized,
    publisher_name,
    request_lang,
    t,
)
from components.urlstate import DEFAULT_AREA, query_string, split_list
from store import queries
from store.area_labels import area_label, area_labels
from views import constant_prices as cp

COUNTRY = "000000000"
DEFAULT_PARENT = "430000000"  # Kyzylorda oblast
DEFAULT_MAP_INDICATOR = "population"
LEVELS = ("district", "oblast")
SOURCE_MODES = ("preferred", "all")
MAX_COMPARE = 20


T = TypeVar("T")
Params = Mapping[str, object]


# --- parameters and the two policies ------------------------------------------------------


class BadParameter(ValueError):
    """A query parameter that cannot be used: ``name`` is the parameter, ``message`` says
    why (for the API), ``notice`` (when there is one) says it to a page's reader."""

    def __init__(self, name: str, message: str, notice: str | None = None) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message
        self.notice = notice


class _Policy:
    """What becomes of a value that cannot be shown: strict raises, lenient falls back."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.lang = DEFAULT_LANG
        self.notices: list[str] = []

    def fail(self, name: str, message: str, key: str, **fmt: object) -> NoReturn:
        """No default can stand in: raise under either policy, with the notice ``key``."""
        raise BadParameter(name, message, t(key, self.lang, **fmt))

    def fall_back(
        self, name: str, message: str, default: T, key: str | None = None, **fmt: object
    ) -> T:
        """Strict: raise. Lenient: ``default``, with the notice ``key`` if there is one."""
        if self.strict:
            raise BadParameter(name, message)
        if key:
            self.notices.append(t(key, self.lang, **fmt))
        return default


def last(value: object) -> Any:  # noqa: ANN401 - a str, or what a control sent
    """A parameter's value, the last if it was given twice; blank counts as absent."""
    if isinstance(value, list):
        value = value[-1] if value else None
    value = value.strip() if isinstance(value, str) else value
    return value or None


def _all(params: Params, name: str) -> list[str]:
    """Every comma-separated value of a parameter that may be repeated."""
    value = params.get(name)
    values = value if isinstance(value, list) else [value] if value else []
    return [v for item in values if isinstance(item, str) for v in split_list(item)]


def _lang(params: Params, p: _Policy) -> str:
    lang = last(params.get("lang"))
    if lang is not None and lang not in LANGS:
        lang = p.fall_back(
            "lang", f"unknown language {lang!r}; use one of {', '.join(LANGS)}", None
        )
    p.lang = request_lang(lang)
    return p.lang


def _choice(params: Params, p: _Policy, name: str, what: str, allowed: tuple[str, ...]) -> str:
    """One of ``allowed`` (the first is the default)."""
    value = last(params.get(name)) or allowed[0]
    if value not in allowed:
        value = p.fall_back(
            name, f"unknown {what} {value!r}; use one of {', '.join(allowed)}", allowed[0]
        )
    return value


def _unknown_area(value: object) -> str:
    return f"unknown area {value!r}; give a 9-digit KATO code (e.g. 433200000) or an area name"


def _unknown_indicator(value: object) -> str:
    return (
        f"unknown indicator {value!r}; the codes are listed at /api/v1/indicators and in "
        "the indicators table"
    )


def area_name(kato: str, lang: str) -> str:
    """The area's display label in ``lang``, with its oblast when another area bears the same
    name (its code when it is unknown)."""
    if kato == queries.ALL_DISTRICTS:
        return t("map.whole_country", lang)
    return area_label(kato, lang)


# --- Explore ------------------------------------------------------------------------------


class ExploreQuery(NamedTuple):
    """The Explore page's state (as in its URL), resolved."""

    indicator: str
    area: str
    compare: tuple[str, ...] = ()
    mode: str = "absolute"
    source: str = "preferred"  # or "all"
    lang: str = "kk"
    prices: str = "current"  # or "constant" (views.constant_prices)
    base: int | None = None  # the base year of constant prices

    @property
    def areas(self) -> tuple[str, ...]:
        return (self.area, *[c for c in self.compare if c != self.area])

    def query(self, **change: object) -> str:
        """'?indicator=…&area=…': the Explore page's URL query for this state (with
        ``change``); defaults are left out."""
        s = self._replace(**change)
        return query_string(
            indicator=s.indicator,
            area=s.area,
            compare=list(s.compare),
            mode=None if mode_value(s) == "absolute" else mode_value(s),
            lang=s.lang,
            source="all" if s.source == "all" else None,
            base=s.base if s.prices == "constant" else None,
        )

    query_string = query


def default_indicator(kato: str) -> str | None:
    """The first indicator with a target for the area, else the first with data, else any."""
    for codes in (
        queries.targets(area_code=kato)["indicator"],
        queries.area_indicators(kato)["indicator"],
        queries.indicators()["code"],
    ):
        if len(codes):
            return str(codes.iloc[0])
    return None


def _explore(params: Params, p: _Policy) -> ExploreQuery:
    lang = _lang(params, p)
    area = last(params.get("area"))
    kato = queries.resolve_area(area) if area else DEFAULT_AREA
    if kato is None:
        p.fail("area", _unknown_area(area), "msg.unknown_area", code=area)
    indicator = last(params.get("indicator"))
    if indicator and queries.indicator(indicator) is None:
        indicator = p.fall_back(
            "indicator",
            _unknown_indicator(indicator),
            None,
            "msg.unknown_indicator",
            code=indicator,
        )
    code = indicator or default_indicator(kato)
    if code is None:
        p.fail("indicator", "the database holds no indicators", "ex.no_indicators")
    values = _all(params, "compare")
    if len(values) > MAX_COMPARE:  # the page compares them all
        values = p.fall_back(
            "compare", f"{len(values)} areas; compare at most {MAX_COMPARE}", values
        )
    compare: list[str] = []
    for value in values:
        other = queries.resolve_area(value)
        if other is None:
            p.fall_back("compare", _unknown_area(value), None, "msg.unknown_area", code=value)
        elif other != kato and other not in compare:
            compare.append(other)
    mode = _choice(params, p, "mode", "mode", (*MODES, cp.MODE))
    source = _choice(params, p, "source", "source mode", SOURCE_MODES)
    prices, base = _prices(params, p, code, (kato, *compare), mode)
    mode = "absolute" if mode == cp.MODE else mode  # the values themselves, in either prices
    return ExploreQuery(code, kato, tuple(compare), mode, source, lang, prices, base)


def mode_value(q: ExploreQuery) -> str:
    """The ``mode`` of the URL and of Explore's control: "constant" for constant prices."""
    return cp.MODE if q.prices == "constant" else q.mode


def _prices(
    params: Params, p: _Policy, code: str, areas: tuple[str, ...], mode: str
) -> tuple[str, int | None]:
    """Current or constant prices (``mode=constant``) and, for constant prices, the base
    year (``base``): the one given if it has a current-price value for every area shown,
    else the latest year that has."""
    if mode != cp.MODE:
        return "current", None
    if not cp.has_index(code):
        message = (
            f"{code} has no volume index to chain, so no constant prices; they are offered "
            f"for {', '.join(cp.VOLUME_INDICES)}"
        )
        return p.fall_back("mode", message, "current", cp.NO_INDEX), None
    money = cp.money_readings(code, areas)
    default = cp.default_base(money, areas)
    given = last(params.get("base"))  # a str from a URL, an int from the page's own store
    given = None if given is None else str(given)
    if given is None:
        return "constant", default
    years = cp.base_years(money, areas)
    if given.isdigit() and int(given) in years:
        return "constant", int(given)
    shown = ", ".join(str(y) for y in years[:5]) or "none"
    message = (
        f"base year {given!r} has no current-price value for every area shown; "
        f"the latest that have: {shown}"
    )
    return "constant", p.fall_back(
        "base", message, default, cp.BAD_BASE, year=given, latest=default
    )


def explore_query(params: Params) -> ExploreQuery:
    """Explore's parameters (indicator, area, compare, mode, source, lang), strictly:
    missing values take the page's defaults; unknown ones raise :class:`BadParameter`."""
    return _explore(params, _Policy(strict=True))


def lenient_explore_query(params: Params) -> tuple[ExploreQuery, list[str]]:
    """Explore's parameters as the page reads them: what cannot be shown falls back to the
    default, with the notices saying so (an unknown area raises :class:`BadParameter`)."""
    p = _Policy(strict=False)
    return _explore(params, p), p.notices


class ExploreData(NamedTuple):
    """What the Explore chart is drawn from."""

    observations: pd.DataFrame  # as queries.observations returns them, areas in page order
    meta: dict  # the indicator's catalogue row
    names: dict[str, str]  # KATO -> name in the query's language, in page order
    targets: pd.DataFrame  # the indicator's targets for the areas shown
    source_labels: dict[str, str] | None  # source -> legend label when every source is shown


def short_publisher(publisher: str | None, limit: int = 40) -> str:
    """A publisher short enough for a legend: up to the first parenthesis, at most ``limit``."""
    text = publisher_name(publisher)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def source_labels(codes, lang: str = "en") -> dict[str, str]:  # noqa: ANN001
    """Source code -> its short publisher in ``lang``, the label of its series in the legend."""
    out = {}
    for code in codes:
        info = queries.source(code) or {}
        out[code] = short_publisher(localized(info, "publisher", lang)) or code
    return out


def explore_data(q: ExploreQuery) -> ExploreData:
    """The observations, indicator, area names, targets and labels of the Explore chart.

    In constant prices: the derived series (views.constant_prices), the indicator named and
    measured in the base year's prices, and no targets (they are set in current prices)."""
    rank = {k: i for i, k in enumerate(q.areas)}
    meta = queries.indicator(q.indicator)
    targets = queries.targets(indicator_code=q.indicator)
    targets = targets[targets["area"].isin(q.areas)]
    if q.prices == "constant" and q.base is not None:
        obs = cp.constant_observations(q.indicator, q.areas, q.base, q.lang)
        meta, targets = cp.constant_meta(meta, q.base), targets.iloc[0:0]
    else:
        obs = queries.observations(q.indicator, q.areas, q.source)
    obs = obs.sort_values("area", key=lambda s: s.map(rank), kind="stable")
    labels = source_labels(obs["source"].unique(), q.lang) if q.source == "all" else None
    names = {k: area_name(k, q.lang) for k in q.areas}
    return ExploreData(obs, meta, names, targets, labels)


def explore_figure(q: ExploreQuery, data: ExploreData | None = None) -> go.Figure:
    """The Explore page's chart for ``q`` (for downloads and embeds)."""
    return go.Figure(explore_figure_dict(q, data))


def explore_figure_dict(q: ExploreQuery, data: ExploreData | None = None) -> dict:
    """The Explore page's chart for ``q`` as the plain dict the page sends (no plotly
    objects built, see :func:`components.figures.time_series_parts`)."""
    d = explore_data(q) if data is None else data
    return time_series_parts(
        d.observations,
        d.meta,
        q.lang,
        targets=d.targets,
        area_names=d.names,
        mode=q.mode,
        source_labels=d.source_labels,
    )


def explore_intro(figure: dict, lang: str) -> str:
    """The sentence above the chart: it names the targets (stars) and the pace line only
    when ``figure`` (:func:`explore_figure_dict`) draws them."""
    roles = {(trace.get("meta") or {}).get("role") for trace in figure.get("data", [])}
    if "pace" in roles:
        return t("ex.intro", lang)
    return t("ch.intro_targets" if "target" in roles else "ch.intro_plain", lang)


def explore_summary(q: ExploreQuery, data: ExploreData | None = None) -> str:
    """The chart's plain-language summary: one or two sentences an area."""
    d = explore_data(q) if data is None else data
    best = preferred(d.observations)
    by_area = dict(tuple(best.groupby("area", sort=False))) if len(best) else {}
    targets = dict(tuple(d.targets.groupby("area", sort=False))) if len(d.targets) else {}
    return " ".join(
        s
        for k in q.areas
        for s in summary(
            by_area.get(k, best.iloc[:0]),
            d.meta,
            q.lang,
            {k: d.names[k]},
            targets.get(k, d.targets.iloc[:0]),
        )
    )


def reading_notes(obs: pd.DataFrame, names: dict[str, str]) -> list[dict]:
    """Observations' notes, one per distinct (source, note, excerpt, location), with the
    area-years they apply to: [{source, note, excerpt, location, where}]."""
    if obs.empty:
        return []
    cols = ["source", "note", "excerpt", "location"]
    df = obs.assign(**{c: obs[c].fillna("") for c in cols[1:]})
    df = df[(df["note"] != "") | (df["excerpt"] != "")]
    out = []
    for key, g in df.groupby(cols, sort=False):
        where = "; ".join(
            f"{names.get(a, a)}: {', '.join(str(int(y)) for y in sorted(gg['year']))}"
            for a, gg in g.groupby("area", sort=False)
        )
        out.append(dict(zip(cols, key, strict=True)) | {"where": where})
    return out


# --- Map ----------------------------------------------------------------------------------


class MapQuery(NamedTuple):
    """The Map page's state, resolved: ``scope`` is the parent whose children are mapped.

    ``indicator`` and ``year`` are None only from the lenient resolver, when no indicator
    has data under the scope.
    """

    indicator: str | None
    level: str
    parent: str
    year: int | None
    lang: str = "kk"
    area: str | None = None
    years: tuple[int, ...] = ()
    normalize: str | None = None  # per_capita | per_km2
    scale: str = "linear"  # linear | quantile | log
    since: int | None = None  # the earlier year the ranking's change is measured from

    @property
    def scope(self) -> str:
        return COUNTRY if self.level == "oblast" else self.parent

    def query_string(self) -> str:
        """The Map page's URL query for this state."""
        return query_string(
            indicator=self.indicator,
            level=self.level,
            parent=self.parent if self.level == "district" else None,
            year=self.year,
            lang=self.lang,
            area=self.area,
            normalize=self.normalize,
            scale=None if self.scale == "linear" else self.scale,
            since=self.since,
        )


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


def map_indicators(scope: str) -> list[str]:
    """Indicators with data for the areas under ``scope``, in catalogue order."""
    have = set(queries.indicators_under(scope))
    return [c for c in queries.indicators()["code"] if c in have]


def _year(value: object, years: tuple[int, ...], p: _Policy, latest: int | None) -> int | None:
    """The year asked for, else ``latest`` (the default year, :func:`maps.default_year`)."""
    if value is None:
        return latest
    try:
        wanted = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return p.fall_back("year", f"{value!r} is not a year", latest)
    if wanted not in years:
        return p.fall_back(
            "year",
            f"no data for {wanted}; years with data: {', '.join(str(y) for y in years)}",
            latest,
        )
    return wanted


def _map(params: Params, p: _Policy) -> MapQuery:
    lang = _lang(params, p)
    level = _choice(params, p, "level", "level", LEVELS)
    area = last(params.get("area"))
    if area:
        area = queries.resolve_area(area) or p.fall_back("area", _unknown_area(area), None)
    parent = last(params.get("parent"))
    if parent == queries.ALL_DISTRICTS:
        pass  # every district of the country
    elif parent:
        kato = queries.resolve_area(parent)
        if kato is None:
            p.fail("parent", _unknown_area(parent), "msg.unknown_area", code=parent)
        if (queries.area(kato) or {}).get("parent") != COUNTRY:
            p.fail(
                "parent",
                f"{kato} is not an oblast or a city of republican significance",
                "map.bad_parent",
                code=parent,
            )
        parent = kato
    else:
        parent = _default_parent(area)
    indicator = last(params.get("indicator"))
    if indicator and queries.indicator(indicator) is None:
        p.fail("indicator", _unknown_indicator(indicator), "msg.unknown_indicator", code=indicator)
    scope = COUNTRY if level == "oblast" else parent
    codes = map_indicators(scope)
    what = f"{indicator!r} has" if indicator else "no indicator has"
    if not codes:
        p.fall_back(
            "indicator", f"{what} no data for the areas under {scope}", None, "map.no_indicators"
        )
        return MapQuery(None, level, parent, None, lang, area)
    default = DEFAULT_MAP_INDICATOR if DEFAULT_MAP_INDICATOR in codes else codes[0]
    if indicator and indicator not in codes:
        indicator = p.fall_back(
            "indicator",
            f"{what} no data for the areas under {scope}",
            None,
            "map.not_here",
            code=(queries.indicator(indicator) or {}).get(f"name_{lang}") or indicator,
            shown=queries.indicator(default)[f"name_{lang}"],
        )
    indicator = indicator or default
    coverage = map_coverage_by_year(queries.observations_in(indicator, scope))
    years = tuple(sorted(coverage))
    year = _year(last(params.get("year")), years, p, maps.default_year(coverage))
    q = MapQuery(indicator, level, parent, year, lang, area, years)
    return _map_options(params, p, q)


def map_coverage_by_year(values: pd.DataFrame) -> dict[int, int]:
    """Year -> how many areas have a value that year (every year with one)."""
    have = values[values["value"].notna()]
    return {int(y): int(n) for y, n in have.groupby("year")["area"].nunique().items()}


def _map_options(params: Params, p: _Policy, q: MapQuery) -> MapQuery:
    """``normalize``, ``scale`` and ``since`` for the resolved view ``q``."""
    normalize = last(params.get("normalize"))
    if normalize in ("none", "absolute"):
        normalize = None
    if normalize is not None:
        if normalize not in maps.NORMALIZE:
            normalize = p.fall_back(
                "normalize",
                f"unknown normalize {normalize!r}; use one of {', '.join(maps.NORMALIZE)}",
                None,
            )
        elif normalize not in maps.normalizations(queries.indicator(q.indicator) or {}):
            normalize = p.fall_back(
                "normalize",
                f"{q.indicator!r} is not a total (a count or an amount); it cannot be divided "
                "by population or area",
                None,
                "map.cannot_normalize",
            )
    if normalize is not None:
        denominators = map_denominators(q._replace(normalize=normalize))
        if normalize == "per_capita" and not (denominators["year"] == q.year).any():
            normalize = p.fall_back(
                "normalize",
                f"no population for {q.year} for the areas under {q.scope}",
                None,
                "map.no_population",
                year=q.year,
            )
        elif normalize == "per_km2" and denominators.empty:
            normalize = p.fall_back(
                "normalize",
                "no area sizes: boundaries are not installed",
                None,
                "map.no_area_sizes",
            )
    scale = _choice(params, p, "scale", "scale", maps.SCALES)
    q = q._replace(normalize=normalize, scale=scale)
    if scale == "log" and (maps.year_values(map_values(q), q.year)["value"] <= 0).any():
        scale = p.fall_back(
            "scale",
            "a logarithmic scale needs every value to be above zero",
            "linear",
            "map.bad_scale",
        )
    since = last(params.get("since"))
    if since is not None:
        earlier = tuple(y for y in q.years if q.year is not None and y < q.year)
        try:
            since = int(since)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            since = p.fall_back("since", f"{since!r} is not a year", None)
        if since is not None and since not in earlier:
            since = p.fall_back(
                "since",
                f"no data for {since} before {q.year}; earlier years with data: "
                f"{', '.join(str(y) for y in earlier) or 'none'}",
                None,
            )
    return q._replace(scale=scale, since=since)


def map_denominators(q: MapQuery) -> pd.DataFrame:
    """What the values are divided by, for every area under the scope: population in
    persons (``area, year, value, source``, every year) or land area (``area, km2, source``)."""
    kids = tuple(queries.areas(parent=q.scope)["kato"])
    if q.normalize == "per_km2":
        return queries.area_sizes(kids, q.year)
    info = queries.indicator("population")
    if info is None or not kids:
        return pd.DataFrame(columns=["area", "year", "value", "source"])
    pop = queries.observations("population", kids)
    pop = pop[pop["series"] == ""]
    return pop.assign(value=pop["value"] * maps.unit_factor(info["unit_en"]))[
        ["area", "year", "value", "source"]
    ]


def map_query(params: Params) -> MapQuery:
    """The Map's parameters (indicator, level, parent, year, lang, area), strictly.

    Missing values take the page's defaults (district level, the area's oblast or Kyzylorda
    oblast, population or the first indicator with data, the latest year that at least half
    as many areas have as the best-covered year, :func:`maps.default_year`);
    values that cannot be shown raise :class:`BadParameter`.
    """
    return _map(params, _Policy(strict=True))


def lenient_map_query(params: Params) -> tuple[MapQuery, list[str]]:
    """The Map's parameters as the page reads them: what cannot be shown falls back to the
    default, with the notices saying so (an unknown indicator, or a parent that is not an
    oblast, raises :class:`BadParameter`)."""
    p = _Policy(strict=False)
    return _map(params, p), p.notices


def source_label(title: str, limit: int = 70) -> str:
    """A source's title, cut at a word to about ``limit`` characters."""
    if len(title) <= limit:
        return title
    return title[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def map_values(q: MapQuery, *, titles: bool = False) -> pd.DataFrame:
    """Every year's preferred values under the scope; ``source`` is the source's code or,
    with ``titles``, its title cut to a label (as the map's hover text and table show it)."""
    if q.indicator is None:
        return pd.DataFrame(columns=["area", "year", "value", "source"])
    values = queries.observations_in(q.indicator, q.scope)
    if q.normalize:
        values, factor, _ = _per_values(q, values)
        values = values.assign(value=values["value"] * factor)
    if not titles:
        return values
    names = queries.sources().set_index("code")["title"].to_dict()
    labels = {c: source_label(names.get(c, c)) for c in values["source"].unique()}
    return values.assign(source=values["source"].map(labels))


def _per_values(q: MapQuery, values: pd.DataFrame) -> tuple[pd.DataFrame, float, dict]:
    """``values`` divided per person or per km², the factor that puts them in a readable
    unit and that unit per language (:func:`per_units.readable`)."""
    quotients = maps.normalize(maps.shown(values), q.normalize, map_denominators(q))
    factor, units = per_units.readable(
        queries.indicator(q.indicator) or {}, q.normalize, quotients["value"]
    )
    return quotients, factor, units


def map_per_factor(q: MapQuery) -> float:
    """The power of ten the map's per-person or per-km² values are multiplied by to read in
    a readable unit (1 when the map shows the values as published)."""
    if not q.normalize:
        return 1.0
    return _per_values(q, queries.observations_in(q.indicator, q.scope))[1]


def map_names(q: MapQuery) -> dict[str, str]:
    """KATO -> display label in the query's language, of the areas under the scope."""
    labels = area_labels(q.lang)
    return {k: labels.get(k, k) for k in queries.areas(parent=q.scope)["kato"]}


def map_boundaries(q: MapQuery) -> pd.DataFrame:
    """The boundaries drawn: the latest vintage not after the year (else the oldest)."""
    vintages = queries.boundary_vintages(q.level)
    before = [v for v in vintages if q.year is not None and v <= q.year]
    vintage = before[-1] if before else (vintages[0] if vintages else None)
    return queries.boundaries(q.level, parent=q.scope, vintage=vintage)


def map_units(q: MapQuery, boundaries: pd.DataFrame | None = None) -> list[str]:
    """The areas a ranking lists: those drawn (``boundaries``) and those under the scope,
    leaving out the areas that did not exist in the year."""
    kids = queries.areas(parent=q.scope)
    year = q.year if q.year is not None else 9999
    alive = (kids["valid_from"].isna() | (kids["valid_from"] <= year)) & (
        kids["valid_to"].isna() | (kids["valid_to"] >= year)
    )
    gone = set(kids.loc[~alive, "kato"])
    drawn = [] if boundaries is None else list(boundaries["area"])
    return [k for k in dict.fromkeys([*drawn, *kids["kato"]]) if k not in gone]


def map_caption(q: MapQuery) -> str:
    """'Population, 2023: districts and cities of Kyzylorda oblast' (empty without an
    indicator): the map's caption and its exports' title."""
    if q.indicator is None:
        return ""
    name = queries.indicator(q.indicator)[f"name_{q.lang}"]
    if q.normalize:
        name = t(f"norm.{q.normalize}_unit", q.lang, unit=name)
    if q.level == "oblast":
        return t("map.caption_oblast", q.lang, indicator=name, year=q.year)
    return t(
        "map.caption_district",
        q.lang,
        indicator=name,
        year=q.year,
        parent=area_name(q.parent, q.lang),
    )


def map_meta(q: MapQuery) -> dict:
    """The indicator's catalogue row as the map shows it: with ``normalize``, the unit
    becomes "… per person" / "… per km²" in every language, without its "million" or
    "thousand" (the values are multiplied by ``per_factor`` instead: 0.000358 million tenge
    per person is shown as 358 tenge per person), and the decimals show three significant
    digits."""
    meta = dict(queries.indicator(q.indicator) or {}) if q.indicator else {}
    if not q.normalize or not meta:
        return meta
    quotients, factor, units = _per_values(q, queries.observations_in(q.indicator, q.scope))
    meta |= {f"unit_{lang}": unit for lang, unit in units.items()}
    meta["decimals"] = maps.significant_decimals(quotients["value"] * factor)
    meta["per_factor"] = factor
    return meta


def map_formula(q: MapQuery) -> str:
    """How a normalised value was computed, with both sources, in the view's language
    (empty without ``normalize``)."""
    if not q.normalize or not q.indicator:
        return ""
    lang = q.lang
    values = map_values(q)
    titles = queries.sources().set_index("code")["title"].to_dict()

    def named(codes: pd.Series) -> str:
        return "; ".join(source_label(titles.get(c, c)) for c in dict.fromkeys(codes.dropna()))

    indicator = queries.indicator(q.indicator)[f"name_{lang}"]
    meta = map_meta(q)
    if meta.get("per_factor", 1) != 1:
        converted = " " + t(
            "mp.unit_converted",
            lang,
            unit=meta[f"unit_{lang}"],
            factor=fmt_number(meta["per_factor"], lang, 0),
        )
    else:
        converted = ""
    return _formula(q, values, indicator, named) + converted


def _formula(q: MapQuery, values: pd.DataFrame, indicator: str, named: Callable) -> str:
    lang = q.lang
    if q.normalize == "per_capita":
        pop = queries.indicator("population")
        return t(
            "map.formula_per_capita",
            lang,
            indicator=indicator,
            population=pop[f"name_{lang}"],
            factor=int(maps.unit_factor(pop["unit_en"])),
            sources=named(values["source"]),
            denominator_sources=named(values["denominator_source"]),
        )
    return t(
        "map.formula_per_km2",
        lang,
        indicator=indicator,
        sources=named(values["source"]),
        denominator_sources=named(values["denominator_source"]),
    )


def map_figure(q: MapQuery) -> go.Figure:
    """The Map page's choropleth for ``q`` (hover text names each value's source)."""
    return go.Figure(*map_parts(q))


def map_figure_dict(q: MapQuery) -> dict:
    """:func:`map_figure` as the JSON-ready dict the page sends: the figure is built without
    the shapes (plotly's validation and copies of thousands of coordinates are most of the
    cost of a whole-country map), which then go into its traces as they are."""
    traces, layout = map_parts(q)
    shapes = [trace.pop("geojson", None) for trace in traces]
    fig = go.Figure(data=traces, layout=layout).to_plotly_json()
    for trace, geojson in zip(fig["data"], shapes, strict=True):
        if geojson is not None:
            trace["geojson"] = geojson
    return fig


def map_parts(q: MapQuery) -> tuple[list[dict], dict]:
    """:func:`map_figure`'s traces and layout as plain dicts (no figure built)."""
    return maps.choropleth_parts(
        map_values(q, titles=True),
        map_boundaries(q),
        map_names(q),
        map_meta(q),
        q.lang,
        q.year,
        highlight=q.area,
        scale=q.scale,
    )


def map_shapes(q: MapQuery) -> str:
    """The signature of the shapes the map of ``q`` draws (:func:`maps.shapes_signature`)."""
    return maps.shapes_signature(map_values(q), map_boundaries(q), q.year)

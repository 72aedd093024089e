"""The figures of a run, each beside its floor, the ratio and the issue's goal (met / missed)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

# The questions of the server-side figures: key -> label.
QUESTIONS = {
    "explore": "Explore, 5 areas",
    "explore_cb": "Explore callback, 5 areas",
    "map": "Map, one year, every district",
    "map_year": "Map year change",
    "overview": "Overview, one area",
    "api_csv": "API CSV, 1 indicator, all areas",
    "api_json": "API JSON, 1 indicator, all areas",
}
PAGES = ("/", "/explore", "/map")


@dataclass
class Figure:
    """One printed figure: its value with unit, the floor and the goal it is held to."""

    key: str
    label: str
    value: float | None
    unit: str
    floor: float | None = None
    goal: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.floor:
            return None
        return self.value / self.floor


def _fmt(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if unit == "ms":
        return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"
    if unit == "B":
        return f"{value / 1000:,.1f} kB" if value < 1e6 else f"{value / 1e6:,.2f} MB"
    if unit == "x":
        return f"{value:,.1f}x"
    if unit == "s":
        return f"{value:,.1f} s"
    if unit == "MB":
        return f"{value:,.0f} MB"
    return f"{value:,.0f} {unit}"


def _le(value: float | None, limit: float) -> bool | None:
    return None if value is None or math.isnan(value) else value <= limit


def _callbacks(outputs: list[str] | None) -> str:
    """ "N callback(s): first output +M" for the callbacks a change fired."""
    if outputs is None:
        return ""
    names = [o.strip(".").split("...") for o in outputs]
    first = ", ".join(f"{n[0]}{f' +{len(n) - 1}' if len(n) > 1 else ''}" for n in names)
    return f"{len(outputs)} callback(s): {first}"


def figures(res: dict[str, Any]) -> list[Figure]:
    """The figures of one backend's results, with the goals of issue 9."""
    out: list[Figure] = []
    etl = res["etl"]
    floor = etl["floor_rows_per_s"]
    out += [
        Figure(
            "etl.rows_per_s",
            f"ETL load, {etl['rows']:,} rows in {etl['seconds']:.1f} s",
            etl["rows_per_s"],
            "rows/s",
            floor,
            ">= 0.5x floor",
            etl["rows_per_s"] >= 0.5 * floor,
        ),
        Figure(
            "etl.peak_mb",
            "ETL load peak memory",
            etl["peak_mb"],
            "MB",
            None,
            "<= 500 MB",
            _le(etl["peak_mb"], 500),
        ),
        Figure(
            "etl.db_mb",
            "ETL database size after the load",
            etl["db_mb"],
            "MB",
            None,
            "<= 150 MB",
            _le(etl["db_mb"], 150),
            f"{etl['db_mb_before']:.0f} MB before it",
        ),
    ]
    naive = res.get("naive")
    for q, label in QUESTIONS.items():
        r = res["server"][q]
        api = q.startswith("api_")
        cold_goal, cold_met = ("<= 2x floor", _le(r["cold_p95"], 2 * r["floor_ms"]))
        warm_goal, warm_met = ("<= 5 ms", _le(r["warm_p95"], 5))
        if q == "overview":
            cold_goal, cold_met = "<= 300 ms", _le(r["cold_p95"], 300)
            warm_goal, warm_met = "<= 100 ms", _le(r["warm_p95"], 100)
        n = f"n={r['n_cold']}"
        out.append(
            Figure(
                f"{q}.cold_p50",
                f"{label}: cold p50",
                r["cold_p50"],
                "ms",
                r["floor_ms"],
                "<= 1.5x floor" if q == "api_csv" else "",
                _le(r["cold_p50"], 1.5 * r["floor_ms"]) if q == "api_csv" else None,
                n,
            )
        )
        out.append(
            Figure(
                f"{q}.cold_p95",
                f"{label}: cold p95",
                r["cold_p95"],
                "ms",
                r["floor_ms"],
                "" if api else cold_goal,
                None if api else cold_met,
                n,
            )
        )
        n = f"n={r['n_warm']}"
        out.append(
            Figure(
                f"{q}.warm_p50",
                f"{label}: warm p50",
                r["warm_p50"],
                "ms",
                r["floor_ms"],
                "",
                None,
                n,
            )
        )
        out.append(
            Figure(
                f"{q}.warm_p95",
                f"{label}: warm p95",
                r["warm_p95"],
                "ms",
                r["floor_ms"],
                warm_goal if q != "api_json" else "",
                warm_met if q != "api_json" else None,
                n,
            )
        )
        out.append(
            Figure(
                f"{q}.bytes",
                f"{label}: bytes sent",
                r["bytes"],
                "B",
                note=f"Content-Encoding {r['encoding']}",
            )
        )
        goal = "<= 20 kB" if q == "map_year" else ""
        out.append(
            Figure(
                f"{q}.raw_bytes",
                f"{label}: bytes decoded",
                r["raw_bytes"],
                "B",
                goal=goal,
                met=_le(r["raw_bytes"], 20_000) if goal else None,
                note=", ".join(r.get("callbacks", [])),
            )
        )
        if naive:
            naive_ms = naive["read_s"] * 1000 + naive["filter_ms"][q]
            speed = naive_ms / r["cold_p50"]
            out.append(
                Figure(
                    f"{q}.speedup",
                    f"{label}: speedup, naive / cold p50",
                    speed,
                    "x",
                    goal=">= 20x",
                    met=speed >= 20,
                    note=f"naive {naive_ms:,.0f} ms",
                )
            )
    if naive:
        out.append(
            Figure(
                "naive.read_s",
                f"naive baseline: read all {naive['rows']:,} observations with pandas",
                naive["read_s"],
                "s",
            )
        )
        out.append(Figure("naive.peak_mb", "naive: peak memory", naive["peak_mb"], "MB"))
    out.append(
        Figure(
            "app.rss_mb",
            "app process memory after warm-up",
            res["server"]["app_rss_mb"],
            "MB",
            goal="<= 300 MB",
            met=_le(res["server"]["app_rss_mb"], 300),
        )
    )
    if res.get("browser"):
        out += browser_figures(res["browser"])
    return out


def browser_figures(web: dict[str, Any]) -> list[Figure]:
    """The first loads' bytes and requests, and the gunicorn worker's memory."""
    out: list[Figure] = []
    for path in PAGES:
        page = web["pages"][path]
        met = _le(page["bytes"], 1_000_000)
        stretch = " (stretch 800 kB met)" if _le(page["bytes"], 800_000) else ""
        out.append(
            Figure(
                f"first_load{path}.bytes",
                f"first load of {path}: bytes transferred",
                page["bytes"],
                "B",
                goal="<= 1 MB, stretch 800 kB",
                met=met,
                note=stretch.strip(),
            )
        )
        out.append(
            Figure(
                f"first_load{path}.requests",
                f"first load of {path}: requests",
                page["requests"],
                "requests",
            )
        )
    if "worker_rss_mb" in web:
        out.append(
            Figure(
                "worker.rss_mb",
                "gunicorn worker memory after warm-up",
                web["worker_rss_mb"],
                "MB",
                goal="<= 300 MB",
                met=_le(web["worker_rss_mb"], 300),
            )
        )
    return out


def table(title: str, figs: list[Figure]) -> str:
    """The figures as a text table under ``title``."""
    lines = [title, "-" * len(title)]
    head = f"{'figure':<46} {'value':>14} {'floor':>14} {'ratio':>8}  {'goal':<22} {'':<6} note"
    lines.append(head)
    for f in figs:
        ratio = f"{f.ratio:.2f}x" if f.ratio is not None else ""
        floor = _fmt(f.floor, f.unit) if f.floor is not None else ""
        met = {True: "met", False: "missed", None: ""}[f.met]
        lines.append(
            f"{f.label:<46} {_fmt(f.value, f.unit):>14} {floor:>14} {ratio:>8}  "
            f"{f.goal:<22} {met:<6} {f.note}".rstrip()
        )
    return "\n".join(lines)


def as_json(figs: list[Figure]) -> list[dict[str, Any]]:
    """The figures as JSON-ready dicts (with the ratio)."""
    return [{**asdict(f), "ratio": f.ratio} for f in figs]

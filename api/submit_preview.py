"""The preview of a submission: its figures against what the indicator database holds (new,
changed with the old value and source, unchanged), the ETL's checks (:mod:`etl.submission`),
and the HTML that shows them to the editor and, the same, to the reviewer."""

from __future__ import annotations

from markupsafe import escape

from api.submit_pages import area_name
from components.i18n import fmt_number, t
from etl import submission as sub
from etl.batch import LoadError
from store import queries

Key = tuple[str, str, str, int]  # indicator, area, series, year


def _readings(pairs: set[tuple[str, str]], source: str) -> dict[Key, dict]:
    """One reading per figure of the (indicator, area) pairs: ``source`` "preferred" (the one
    the dashboard shows) or a source code."""
    out: dict[Key, dict] = {}
    by_indicator: dict[str, set[str]] = {}
    for code, area in pairs:
        by_indicator.setdefault(code, set()).add(area)
    for code, areas_ in by_indicator.items():
        if queries.indicator(code) is None:
            continue
        df = queries.observations(code, tuple(sorted(areas_)), source)
        for r in df.to_dict("records"):
            out[(code, r["area"], r["series"] or "", int(r["year"]))] = r
    return out


def held(pairs: set[tuple[str, str]], organisation: str) -> dict[Key, dict]:
    """What a submission of ``organisation`` is compared with, per figure: the organisation's
    own reading (which its approval revises), else the reading the dashboard shows (which
    stays, with its source, beside a new one)."""
    return {
        **_readings(pairs, "preferred"),
        **_readings(pairs, sub.source_code(organisation)),
    }


def check(
    rows: list[dict], source: dict, file_name: str, organisation: str
) -> tuple[sub.Checked, dict[str, list[dict]]]:
    """The rows sorted into new, changed and unchanged, and the ETL's checks of the new and
    changed ones (unchanged figures are what the database already holds; they are not kept)."""
    have = held({(r["indicator"], r["area"]) for r in rows}, organisation)
    previous = {k: float(v["value"]) for k, v in have.items()}
    groups: dict[str, list[dict]] = {"new": [], "changed": [], "unchanged": []}
    for r in rows:
        old = have.get((r["indicator"], r["area"], r.get("series") or "", int(r["year"])))
        if old is None:
            groups["new"].append(r)
            continue
        same = abs(float(old["value"]) - float(r["value"])) <= 1e-9 * max(1.0, abs(r["value"]))
        kind = "unchanged" if same else "changed"
        groups[kind].append({**r, "old": old["value"], "old_source": old["source"]})
    with queries.engine().connect() as conn:
        checked = sub.check(kept(groups), source, conn, previous, file_name)
    return checked, groups


def kept(groups: dict[str, list[dict]]) -> list[dict]:
    """The figures a submission keeps: the new and the changed ones, as submitted."""
    changed = [
        {k: v for k, v in r.items() if k not in ("old", "old_source")} for r in groups["changed"]
    ]
    return groups["new"] + changed


def _where(e: LoadError) -> str:
    parts = [e.file.rsplit("/", 1)[-1]]
    if e.row is not None:
        parts.append(f"row {e.row}")
    if e.column:
        parts.append(f"column {e.column}")
    return ", ".join(parts)


def _problems(items: list[LoadError], key: str, lang: str) -> str:
    if not items:
        return ""
    lis = "".join(f"<li><b>{escape(_where(e))}</b>: {escape(e.message)}</li>" for e in items[:200])
    more = f"<p>… +{len(items) - 200}</p>" if len(items) > 200 else ""
    return f'<h2 id="{key}">{escape(t("sub." + key, lang))} ({len(items)})</h2><ul class="{key}">{lis}</ul>{more}'


def _table(rows: list[dict], kind: str, lang: str, own: str) -> str:
    if not rows:
        return ""
    head = [t("sub.col.indicator", lang), t("sub.col.area", lang), t("sub.col.year", lang)]
    if kind != "new":
        head += [t("sub.col.old", lang), t("sub.col.old_source", lang)]
    head += [t("sub.col.value", lang), t("sub.col.where", lang)]
    ths = "".join(f"<th>{escape(h)}</th>" for h in head)
    trs = []
    for r in rows[:1000]:
        cells = [r["indicator"], area_name(r["area"], lang), str(r["year"])]
        if kind != "new":
            cells += [fmt_number(r["old"], lang), r["old_source"]]
        cells += [fmt_number(r["value"], lang), f"row {r.get('_row')}, {r.get('_column')}"]
        mark = ' class="beside"' if kind == "changed" and r["old_source"] != own else ""
        trs.append(f"<tr{mark}>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>")
    title = escape(t(f"sub.{kind}", lang))
    table = f'<table class="data {kind}"><thead><tr>{ths}</tr></thead><tbody>{"".join(trs)}</tbody></table>'
    if kind == "unchanged":  # folded: what the dashboard already shows
        return f'<details id="{kind}"><summary>{title} ({len(rows)})</summary>{table}</details>'
    if kind == "changed":
        help_ = escape(t("sub.changed_help", lang, source=own))
        return f'<h2 id="{kind}">{title} ({len(rows)})</h2><p class="muted">{help_}</p>{table}'
    return f'<h2 id="{kind}">{title} ({len(rows)})</h2>{table}'


def _source_list(source: dict, lang: str) -> str:
    items = "".join(
        f"<dt>{escape(sub.SOURCE_FIELDS[k][lang])}</dt><dd>{escape(str(source.get(k) or '—'))}</dd>"
        for k in sub.SOURCE_FIELDS
    )
    return f'<h2>{escape(t("sub.source", lang))}</h2><dl class="source">{items}</dl>'


def preview_html(checked: sub.Checked, groups: dict, lang: str, organisation: str) -> str:
    """Errors, warnings, new, changed and unchanged figures, and the source."""
    own = sub.source_code(organisation)
    return (
        _problems(checked.errors, "errors", lang)
        + _problems(checked.warnings, "warnings", lang)
        + _table(groups["new"], "new", lang, own)
        + _table(groups["changed"], "changed", lang, own)
        + _table(groups["unchanged"], "unchanged", lang, own)
        + _source_list(checked.source, lang)
    )

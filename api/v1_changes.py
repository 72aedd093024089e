"""REST API endpoint of what changed: figures added, revised or withdrawn by loads."""

from __future__ import annotations

import pandas as pd
from flask import Response, request

from api import export_csv
from api.exports import MEDIA_TYPES
from api.v1_endpoints import ApiError, api_route
from api.v1_params import (
    P_CH_AREA,
    P_CH_FORMAT,
    P_CH_INDICATOR,
    P_DECK,
    P_LANG,
    P_SINCE,
    arg,
    choice,
)
from api.v1_records import attachment, json_response, records
from store import queries
from views import changes

CHANGE_COLUMNS = (
    "changed_at",
    "kind",
    "indicator",
    "indicator_name",
    "area",
    "area_name",
    "year",
    "series",
    "old_value",
    "new_value",
    "unit",
    "source",
    "source_title",
    "old_status",
    "old_note",
    "old_excerpt",
    "old_location",
    "old_source_title",
    "old_source_address",
    "old_source_retrieved",
    "load_run",
    "file",
)


@api_route(
    "/changes",
    summary="What changed: figures added, revised or withdrawn",
    description="The figures that loads added, revised (a newer file or submission of the "
    "same source replaced the value) or withdrew, newest first: since the last data release "
    "(`since=last`, the default), since a date, or since a deck was frozen (`deck`), "
    "optionally for one indicator and one area (with the areas under it). Each row gives the "
    "old and the new value, the source, the old value's status, note, excerpt, location and "
    "the source's title, address and retrieval as they were, when the change was loaded "
    "(`changed_at`, UTC) and from which file. `meta.history_from` is when history starts "
    "(the first load; a database rebuilt from scratch starts again).",
    params=(P_SINCE, P_DECK, P_CH_INDICATOR, P_CH_AREA, P_CH_FORMAT, P_LANG),
    ok={"application/json": "Changes", "text/csv": {"type": "string"}},
    examples=(
        "/changes",
        "/changes?since=2026-01-01&area=433200000",
        "/changes?since=2026-01-01&indicator=industrial_output&format=csv",
    ),
)
def list_changes() -> Response:
    """Figures added, revised or withdrawn, as JSON or CSV."""
    fmt = choice("format", ("json", "csv"), default="json")
    for name in ("since", "deck", "indicator", "area", "lang"):
        arg(name)  # the common checks: once, not empty, no control characters
    try:
        q = changes.changes_query(request.args.to_dict(flat=False) | {"lang": arg("lang") or "en"})
    except changes.BadChangesParameter as exc:
        raise ApiError(400, exc.message, exc.name) from None
    df = changes.changes_frame(q)
    df = df.assign(changed_at=[changes.utc_iso(v) for v in df["changed_at"]])
    rows = records(df, CHANGE_COLUMNS)
    for r in rows:
        for k in ("year", "load_run"):
            r[k] = None if r[k] is None else int(r[k])
    meta = {
        "count": len(rows),
        "data_version": queries.data_version(),
        "since": q.since or None,
        "deck": q.deck,
        "after": changes.utc_iso(q.after),
        "history_from": changes.utc_iso(queries.history_from()),
        "query": {"indicator": q.indicator, "area": q.area, "lang": q.lang, "format": fmt},
    }
    if fmt == "csv":
        stamp = (q.after or "none")[:10]
        return attachment(
            export_csv.to_csv(pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))),
            MEDIA_TYPES["csv"],
            f"changes-since-{stamp}.csv",
        )
    return json_response({"data": rows, "meta": meta})

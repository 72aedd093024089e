"""The naive baseline, in a process of its own (for its peak memory): read the whole observation
table with pandas, then filter it for each question.

    python -m bench.naive DATABASE_URL QUESTIONS.json OUT.json
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

import pandas as pd
from sqlalchemy import create_engine, text


def measure(url: str, q: dict) -> dict:
    """Seconds and peak memory of reading every observation, and ms of each question's filter."""
    engine = create_engine(url)
    t0 = time.perf_counter()
    with engine.connect() as conn:
        df = pd.read_sql(text("SELECT * FROM observations"), conn)
        areas = pd.read_sql(text("SELECT kato, level, parent FROM areas"), conn)
    read_s = time.perf_counter() - t0
    engine.dispose()
    regions = set(areas.loc[areas["parent"] == "000000000", "kato"])
    districts = set(areas.loc[areas["parent"].isin(regions), "kato"])

    def ind() -> pd.Series:
        return df["indicator"] == q["indicator"]

    questions = {
        "explore": lambda: df[ind() & df["area"].isin([q["area"], *q["compare"]])],
        "explore_cb": lambda: df[ind() & df["area"].isin([q["area"], *q["compare"]])],
        "map": lambda: df[ind() & (df["year"] == q["year"]) & df["area"].isin(districts)],
        "map_year": lambda: df[ind() & (df["year"] == q["year2"]) & df["area"].isin(districts)],
        "overview": lambda: df[df["area"] == q["area"]],
        "api_csv": lambda: df[ind()].to_csv(index=False),
        "api_json": lambda: df[ind()].to_json(orient="records"),
    }
    filter_ms = {}
    for name, fn in questions.items():
        t0 = time.perf_counter()
        fn()
        filter_ms[name] = (time.perf_counter() - t0) * 1000
    return {
        "rows": len(df),
        "read_s": read_s,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "filter_ms": filter_ms,
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("url")
    p.add_argument("questions", type=Path)
    p.add_argument("out", type=Path)
    args = p.parse_args(argv)
    q = json.loads(args.questions.read_text(encoding="utf-8"))
    args.out.write_text(json.dumps(measure(args.url, q), indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

"""Benchmark: how long exports take, first image (Chromium starts) against later ones.

    .venv/bin/python benchmarks/export_bench.py [--db URL] [--repeat 5]

Builds the embedded default database in a temporary folder (boundaries from
../shared/geo/original when present) unless ``--db`` is given, then times, on the real
Explore chart (industrial output, Aral district, every source) and the real Map
(population by district of Kyzylorda oblast):

- the warm renderer (api.export_images.figure_image): the first image, which starts Chromium,
  and the later ones, per format;
- kaleido without a warm renderer (each image starts and stops its own Chromium);
- the HTTP endpoints through Flask's test client: first request and cached request;
- the data formats and the zip of everything.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

log = logging.getLogger("export_bench")

EXPLORE = {"indicator": "industrial_output", "area": "433200000", "source": "all", "lang": "ru"}
MAP = {"indicator": "population", "parent": "430000000", "lang": "ru"}


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def build_database(folder: Path) -> str:
    from etl.cli import main as etl

    url = f"sqlite:///{folder / 'bench.db'}"
    geo = ROOT.parent / "shared" / "geo" / "original"
    args = ["build", "--db", url] + (
        ["--boundaries", str(geo)] if geo.is_dir() else ["--no-boundaries"]
    )
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = etl(args)
    if code != 0:
        raise SystemExit(f"etl build failed with exit code {code}")
    return url


def series(label: str, times: list[float]) -> str:
    return (
        f"{label:<44} n={len(times):<2} median {statistics.median(times) * 1000:7.0f} ms"
        f"   min {min(times) * 1000:6.0f} ms   max {max(times) * 1000:6.0f} ms"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", help="database URL (default: build the embedded data in a temp dir)")
    p.add_argument("--repeat", type=int, default=5, help="renders per format once warm")
    p.add_argument("--cold", type=int, default=2, help="renders without a warm renderer")
    args = p.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for noisy in ("kaleido", "choreographer", "logistro"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.getLogger("etl").setLevel(logging.ERROR)

    tmp = Path(tempfile.mkdtemp(prefix="export_bench_"))
    url = args.db or build_database(tmp)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("CACHE_TYPE", "SimpleCache")
    from store import queries

    queries.use(url)
    from api import export_images, exports
    from views import charts as views

    reason = export_images.image_export_unavailable()
    if reason:
        raise SystemExit(reason)
    eq = views.explore_query(EXPLORE)
    chart = views.explore_figure(eq)
    mq = views.map_query(MAP)
    has_map = queries.has_boundaries()
    map_fig = views.map_figure(mq) if has_map else None
    out: list[str] = [f"database: {url}", ""]

    log.info("first image (starts Chromium)…")
    first = timed(lambda: export_images.figure_image(chart, "png"))
    out.append(f"{'first PNG, explore chart (starts Chromium)':<44} {first * 1000:7.0f} ms")
    for fmt in exports.IMAGE_FORMATS:
        log.info("warm %s ×%d…", fmt, args.repeat)
        out.append(
            series(
                f"later {fmt.upper()}, explore chart",
                [
                    timed(lambda f=fmt: export_images.figure_image(chart, f))
                    for _ in range(args.repeat)
                ],
            )
        )
    if map_fig is not None:
        for fmt in exports.IMAGE_FORMATS:
            out.append(
                series(
                    f"later {fmt.upper()}, map (Kyzylorda districts)",
                    [
                        timed(lambda f=fmt: export_images.figure_image(map_fig, f))
                        for _ in range(args.repeat)
                    ],
                )
            )
    export_images.renderer.close()

    import kaleido

    log.info("kaleido without a warm renderer ×%d…", args.cold)
    kopts = {"mathjax": False, "proxy_server": export_images.ImageRenderer.SEALED_PROXY}
    cold = [
        timed(
            lambda: kaleido.calc_fig_sync(
                chart.to_plotly_json(),
                opts={
                    "format": "png",
                    "width": export_images.IMAGE_WIDTH,
                    "height": export_images.IMAGE_HEIGHT,
                    "scale": 2,
                },
                topojson=exports.TOPOJSON_URL,
                kopts=dict(kopts),
            )
        )
        for _ in range(args.cold)
    ]
    out.append(series("PNG without a warm renderer (Chromium each)", cold))

    log.info("HTTP endpoints (the first starts Chromium again)…")
    import app as app_module

    client = app_module.app.server.test_client()
    explore_qs = "&".join(f"{k}={v}" for k, v in EXPLORE.items())
    map_qs = "&".join(f"{k}={v}" for k, v in MAP.items())
    for path in (
        f"/download/chart.png?{explore_qs}",
        f"/download/chart.pdf?{explore_qs}",
        f"/download/map.png?{map_qs}" if has_map else None,
    ):
        if path is None:
            continue
        miss = timed(lambda p=path: client.get(p))
        hit = timed(lambda p=path: client.get(p))
        out.append(
            f"GET {path.split('?')[0]:<40} first {miss * 1000:7.0f} ms   "
            f"cached {hit * 1000:5.1f} ms"
        )
    for fmt in exports.DATA_FORMATS:
        path = f"/download/data.{fmt}?{explore_qs}"
        client.get(path)
        out.append(
            series(
                f"GET /download/data.{fmt}",
                [timed(lambda p=path: client.get(p)) for _ in range(args.repeat)],
            )
        )
    zip_first = timed(lambda: client.get("/download/all.zip"))
    size = len(client.get("/download/all.zip").data)
    zip_hit = timed(lambda: client.get("/download/all.zip"))
    out.append(
        f"{'GET /download/all.zip':<44} first {zip_first * 1000:7.0f} ms   "
        f"cached {zip_hit * 1000:5.1f} ms   {size / 1e6:.1f} MB"
    )
    print("\n".join(out))
    export_images.renderer.close()
    queries.engine().dispose()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

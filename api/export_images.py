"""Images (PNG, SVG, PDF) of the dashboard's figures, with the title, unit, sources and
data date on the picture.

Images are rendered by kaleido in a headless Chromium that is started once, lazily, and
kept warm (:class:`ImageRenderer`); it renders offline: MathJax is off, plotly.js comes
from the installed plotly package and the world topojson from ``assets/topojson``, and the
browser's network goes to a closed local port, so nothing is fetched from a CDN.
"""

from __future__ import annotations

import asyncio
import atexit
import datetime as dt
import logging
import textwrap
import threading
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from api.export_citation import as_date, publishers
from api.exports import IMAGE_FORMATS, TOPOJSON_URL
from components.i18n import t
from store import queries

log = logging.getLogger(__name__)

IMAGE_WIDTH, IMAGE_HEIGHT = 1200, 675  # 16:9, for slides and papers
FOOT_CHARS = 190  # the sources line wraps at this many characters


def data_date(meta: dict[str, Any]) -> dt.date:
    """The date of the data: the last load into the database, else the export date."""
    runs = queries.load_runs()
    if len(runs) and runs["finished_at"].notna().any():
        return pd.Timestamp(runs["finished_at"].max()).date()
    return as_date(meta["exported"])


def standalone(fig: go.Figure, meta: dict[str, Any]) -> go.Figure:
    """The figure as a picture that says what and whence when pasted alone: its title (with
    the area and years), the unit, the sources, the data date and the dashboard's name, in
    the export's language."""
    from components.i18n import fmt_date

    lang = meta["lang"]
    out = go.Figure(fig)
    heading = f"<b>{escape(meta['title'])}</b>"
    if meta.get("unit"):
        heading += f"<br><span style='font-size:14px'>{escape(str(meta['unit']))}</span>"
    sources = "<br>".join(
        escape(line)
        for line in textwrap.wrap(
            f"{t('word.sources', lang)}: {publishers(meta, lang) or '–'}", FOOT_CHARS
        )
    )
    foot = f"{sources}<br>" + " · ".join(
        [
            t("dl.data_as_of", lang, date=fmt_date(data_date(meta), lang)),
            escape(t("app.title", lang)),
        ]
    )
    margin = out.layout.margin
    bottom = margin.b or 0
    extra = 14 * (sources.count("<br>"))  # a long list of sources wraps
    out.update_layout(
        title={
            "text": heading,
            "x": 0.01,
            "xanchor": "left",
            "y": 0.965,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 0},
        },
        margin={
            "t": (margin.t or 0) + 95,
            "b": bottom + 55 + extra,
            "l": margin.l,
            "r": margin.r,
        },
    )
    out.update_xaxes(automargin=False)  # the footer's place below the plot stays fixed
    out.add_annotation(
        text=foot,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-bottom - 12,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        align="left",
        font={"size": 11, "color": "#444"},
    )
    return out


class ImageExportError(RuntimeError):
    """An image could not be rendered (see the message)."""


def image_export_unavailable() -> str | None:
    """Why images cannot be exported here (kaleido or Chromium missing), or None."""
    try:
        import kaleido  # noqa: F401
        from choreographer.browsers.chromium import Chromium
    except ImportError as exc:
        return f"image export needs the kaleido package ({exc})"
    import os

    path = os.environ.get("BROWSER_PATH") or Chromium.find_browser(skip_local=False)
    if not path or not Path(path).is_file():
        return "image export needs Chromium or Chrome (Debian: apt-get install chromium)"
    return None


class ImageRenderer:
    """One warm kaleido (headless Chromium) for the process, started on first use.

    Renders run on the renderer's own event loop thread; any thread may call
    :meth:`render` concurrently (calls queue for the browser's tab). A render that fails
    for a reason other than the figure itself restarts the browser on the next call.
    """

    START_TIMEOUT = 60.0
    RENDER_TIMEOUT = 60.0
    # Chromium's proxy: a closed local port, so nothing can be fetched from the network
    # (file:// addresses, the local plotly.js and topojson, are not proxied).
    SEALED_PROXY = "127.0.0.1:9"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self.starts = 0

    def _ensure(self) -> tuple[asyncio.AbstractEventLoop, Any]:
        with self._lock:
            if self._kaleido is not None and self._loop is not None:
                return self._loop, self._kaleido
            reason = image_export_unavailable()
            if reason:
                raise ImageExportError(reason)
            import kaleido

            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="kaleido", daemon=True)
            thread.start()

            async def _open() -> Any:
                k = kaleido.Kaleido(
                    n=1, timeout=self.RENDER_TIMEOUT, mathjax=False, proxy_server=self.SEALED_PROXY
                )
                await k.open()
                return k

            try:
                k = asyncio.run_coroutine_threadsafe(_open(), loop).result(self.START_TIMEOUT)
            except Exception as exc:
                loop.call_soon_threadsafe(loop.stop)
                thread.join(5)
                raise ImageExportError(f"could not start the image renderer: {exc}") from exc
            self._loop, self._thread, self._kaleido = loop, thread, k
            self.starts += 1
            log.info("image renderer started (kaleido, headless Chromium)")
            return loop, k

    def render(self, fig: dict[str, Any], fmt: str, width: int, height: int, scale: float) -> bytes:
        """The figure (a plotly figure dict) as ``fmt`` bytes."""
        from kaleido.errors import KaleidoError

        loop, k = self._ensure()
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        future = asyncio.run_coroutine_threadsafe(
            k.calc_fig(fig, opts=opts, topojson=TOPOJSON_URL), loop
        )
        try:
            return future.result(self.RENDER_TIMEOUT + 10)
        except KaleidoError as exc:
            raise ImageExportError(f"plotly could not render the figure: {exc}") from exc
        except Exception as exc:
            future.cancel()
            log.warning("image renderer failed (%s); it restarts on the next export", exc)
            self.close()
            raise ImageExportError(f"the image renderer failed: {exc!r}") from exc

    def close(self) -> None:
        """Stop the browser and the loop (a later render starts them again)."""
        with self._lock:
            loop, k, thread = self._loop, self._kaleido, self._thread
            self._loop = self._kaleido = self._thread = None
        if loop is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(k.close(), loop).result(15)
        except Exception as exc:  # noqa: BLE001 - closing a broken browser
            log.debug("closing the image renderer: %s", exc)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(5)


renderer = ImageRenderer()
atexit.register(renderer.close)


def figure_image(
    fig: go.Figure | dict,
    fmt: str,
    scale: float = 2,
    *,
    width: int = IMAGE_WIDTH,
    height: int = IMAGE_HEIGHT,
) -> bytes:
    """The figure as PNG, SVG or PDF, ``width`` x ``height`` CSS pixels (PNG pixels are
    ``scale`` times more), offline, with the figure's own language and separators."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"unknown image format {fmt!r}; use one of {', '.join(IMAGE_FORMATS)}")
    fig = go.Figure(fig)
    fig.update_layout(width=width, height=height, autosize=False)
    return renderer.render(fig.to_plotly_json(), fmt, width, height, scale)

"""The Dash app and its Flask server: pages, shell layout, cache, API. No SQL, no figures.

python app.py            # development server on HOST:PORT
gunicorn app:server      # production
"""

from __future__ import annotations

import logging
import re

import dash
import flask

import config
from api import register_blueprints
from api.compression import init_compression
from api.security import DevRequestHandler, init_security
from components.i18n import request_lang, t
from store import queries
from store.cache import init_cache
from views import shell
from views.response_cache import init_response_cache


def create_app(database_url: str | None = None, cache_type: str | None = None) -> dash.Dash:
    """Build the app on the database at ``database_url`` (default: DATABASE_URL), read-only."""
    queries.use(database_url)
    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder="pages",
        title=t("app.title", "kk"),
        suppress_callback_exceptions=True,
        serve_locally=True,
        update_title=None,
    )
    init_cache(app.server, cache_type)
    register_blueprints(app.server)
    init_security(app)
    app.layout = shell.layout
    _answer_404_for_unknown_pages(app)
    _declare_the_page_language(app)
    # before compression: its hook then runs after it and keeps the compressed answer
    init_response_cache(app.server, app.config.routes_pathname_prefix + "_dash-update-component")
    init_compression(app.server)  # last: its hook runs first, on the finished body
    return app


def _answer_404_for_unknown_pages(app: dash.Dash) -> None:
    """Unknown pages keep Dash's shell (which shows "not found" in the page's language), with
    HTTP status 404 instead of 200; the pages in ``dash.page_registry`` answer 200 as before."""
    catchall = app.config.routes_pathname_prefix + "<path:path>"

    def known(path: str) -> bool:
        path = "/" + path.strip("/")
        for page in dash.page_registry.values():
            template = page.get("path_template")
            if template and re.fullmatch(re.sub("<[^>]+>", "[^/]+", template), path):
                return True
            if path == "/" + page["path"].strip("/"):
                return True
        return False

    @app.server.after_request
    def status_404(response: flask.Response) -> flask.Response:
        req = flask.request
        if req.endpoint == catchall and response.status_code == 200:
            path = (req.view_args or {}).get("path", "")
            if not known(path):
                response.status_code = 404
        return response


def _declare_the_page_language(app: dash.Dash) -> None:
    """The page's ``<html lang>`` is the reader's language (the URL's ``lang``, else
    Accept-Language) from the first byte, not only once the scripts have run."""
    interpolate = app.interpolate_index

    def with_lang(**kwargs: object) -> str:
        lang = request_lang(flask.request.args.get("lang"))
        return interpolate(**kwargs).replace("<html>", f'<html lang="{lang}">', 1)

    app.interpolate_index = with_lang


app = create_app()
server = app.server

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    app.run(
        host=config.get("HOST"),
        port=int(config.get("PORT")),
        debug=False,
        request_handler=DevRequestHandler,
    )

"""The Dash app and its Flask server: pages, shell layout, cache, API. No SQL, no figures.

python app.py            # development server on HOST:PORT
gunicorn app:server      # production
"""

from __future__ import annotations

import logging

import dash

import config
from api import register_blueprints
from api.security import DevRequestHandler, init_security
from components import shell
from components.i18n import t
from store import queries
from store.cache import init_cache


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
    return app


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

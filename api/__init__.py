"""HTTP endpoints beside the Dash pages, as Flask blueprints on the same store functions.

Each module listed in :data:`BLUEPRINT_MODULES` defines ``blueprint`` (a flask.Blueprint);
:func:`register_blueprints` attaches every one that exists to the Flask server.
"""

from __future__ import annotations

import importlib

from flask import Flask

BLUEPRINT_MODULES = (
    "api.v1",  # REST API /api/v1/ and its OpenAPI document
    "api.downloads",  # /download/...: data (CSV, Excel, JSON), images (PNG, SVG, PDF), zip
    "api.embed",  # /embed/...: chart-only views for iframes
    "api.present",  # /present/...: slide decks for public hearings
    "api.present_api",  # /present/api/...: the JSON API of the deck editor
    "api.report",  # /report: an area's profile as .docx or .pdf
    "api.submit",  # /submit: figures submitted by editors (the Excel template, the small form)
    "api.review",  # /review: reviewers approve (the ETL loads) or reject submitted figures
    "api.audit",  # /audit, /audit.csv: the audit log, for admins
)


def register_blueprints(server: Flask) -> list[str]:
    """Register the blueprints that exist; returns their module names."""
    done = []
    for name in BLUEPRINT_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        server.register_blueprint(module.blueprint)
        done.append(name)
    return done

"""The ids of the deck page's controls, shared by its layout and its callbacks.

Every button carries ``{"type": "dk-btn", "action", "slide"}`` and every field
``{"type": "dk-field", "name", "slide"}``, so one callback
(:func:`pages.deck_actions.act`) serves them all.
"""

from __future__ import annotations

PREFIX = "decks"  # the page's URL sync (components.urlstate)


def btn(action: object, slide: object = 0) -> dict:
    """An action button; every action goes to :func:`act`."""
    return {"type": "dk-btn", "action": action, "slide": slide}


def confirm(action: object, slide: object = 0) -> dict:
    """A confirmed action (:class:`dcc.ConfirmDialogProvider`, ``submit_n_clicks``)."""
    return {"type": "dk-confirm", "action": action, "slide": slide}


def field(name: object, slide: object = 0) -> dict:
    """A field whose ``value`` the actions read."""
    return {"type": "dk-field", "name": name, "slide": slide}


def date_field(name: object) -> dict:
    return {"type": "dk-date", "name": name}

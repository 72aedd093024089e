"""The glue between URL parameters, the store and the pure pieces in ``components/``.

Pages, downloads, embeds, reports and decks all read their data through this package:
``views.charts`` (Explore and Map), ``views.report`` (the district profile),
``views.share`` (the share bar's data, citations and the deck store) and ``views.shell``
(the area picker).
"""

"""The Map view as a picture (downloads, slides): the page's map with the largest areas named
on it. The title (with the year), the unit, the colour legend and the sources are added by
:func:`api.export_images.standalone` and the figure itself."""

from __future__ import annotations

import plotly.graph_objects as go

from components.map_labels import largest_labels
from store import queries
from views.charts import MapQuery, map_boundaries, map_names, map_parts


def map_image_figure(q: MapQuery) -> go.Figure:
    """:func:`views.charts.map_figure` with the names of the largest areas written on it."""
    traces, layout = map_parts(q)
    boundaries = map_boundaries(q)
    sizes = queries.area_sizes(tuple(boundaries["area"]), q.year)
    labels = largest_labels(boundaries, sizes, map_names(q))
    return go.Figure(data=traces + ([labels] if labels else []), layout=layout)

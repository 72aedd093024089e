"""The map's image downloads, as the share bar links them: every colour scale (``scale``, as
in the page's address) in every format, in kk and ru; the image's pixel scale is
``pixel_ratio``; the picture carries its year, colour legend, the largest areas' names and
the sources."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, text

from api import export_images

UNAVAILABLE = export_images.image_export_unavailable()
pytestmark = pytest.mark.skipif(
    UNAVAILABLE is not None, reason=f"image export unavailable: {UNAVAILABLE}"
)
KYZYLORDA = "430000000"
VIEW = f"indicator=population&level=district&parent={KYZYLORDA}&year=2023"
MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "svg": b"<svg", "pdf": b"%PDF-"}


@pytest.fixture(scope="module")
def drawn(client):  # noqa: ANN001, ANN201
    from store import queries

    if not queries.has_boundaries():
        pytest.skip("the web database was built without boundaries (../shared/geo absent)")


def get(client, url: str):  # noqa: ANN001, ANN201
    resp = client.get(url)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    return resp


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("scale", ["quantile", "log"])
def test_the_share_bar_s_map_png_works_with_quantile_and_log(client, drawn, scale, lang):
    resp = get(client, f"/download/map.png?{VIEW}&lang={lang}&scale={scale}")
    assert resp.content_type == "image/png"
    assert resp.data.startswith(MAGIC["png"])


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
@pytest.mark.parametrize("scale", ["linear", "quantile", "log"])
def test_every_colour_scale_in_every_format(client, drawn, scale, fmt):
    resp = get(client, f"/download/map.{fmt}?{VIEW}&lang=ru&scale={scale}")
    assert resp.data.lstrip().startswith(MAGIC[fmt])


def svg_texts(body: bytes) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text[^>]*>(.*?)</text>", body.decode())
    ]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_picture_says_its_year_legend_areas_and_sources(client, drawn, web_db, lang):
    body = get(client, f"/download/map.svg?{VIEW}&lang={lang}&scale=quantile").data
    words = svg_texts(body)
    joined = " ".join(words)
    assert any("2023" in w for w in words)  # the title names the year
    assert 'class="cbfill' in body.decode()  # the colour legend, with its unit
    assert {"kk": "мың адам", "ru": "тыс. человек"}[lang] in joined
    with create_engine(web_db).connect() as conn:
        by_size = conn.execute(
            text(
                f"select a.name_{lang} from area_sizes s join areas a on a.kato = s.area "
                "where a.parent = :p order by s.km2 desc"
            ),
            {"p": KYZYLORDA},
        ).scalars()
        names = list(dict.fromkeys(by_size))
        publisher = conn.execute(
            text(
                "select s.publisher from sources s join observations o on o.source = s.code "
                "where o.indicator = 'population' and o.area = '433200000' and o.year = 2023"
            )
        ).scalar()
    assert names[0] in words, (names[0], words)  # the largest district is named
    assert len([n for n in names if n in words]) >= 5  # and most others, where they fit
    assert publisher and any(w.startswith(("Дереккөздер", "Источники")) for w in words)


def test_the_pixel_ratio_has_its_own_name(client, drawn):
    small = get(client, f"/download/map.png?{VIEW}&lang=en&pixel_ratio=1").data
    large = get(client, f"/download/map.png?{VIEW}&lang=en&pixel_ratio=2").data
    width = int.from_bytes(small[16:20], "big"), int.from_bytes(large[16:20], "big")
    assert width == (1200, 2400)


def test_a_number_in_the_map_s_scale_names_pixel_ratio(client):
    resp = client.get(f"/download/map.png?{VIEW}&lang=en&scale=2")
    assert resp.status_code == 400
    body = resp.get_json()
    assert body["parameter"] == "scale" and "pixel_ratio" in body["error"]


def test_the_chart_keeps_scale_as_its_pixel_ratio(client, drawn):
    resp = get(client, "/download/chart.png?indicator=population&area=433200000&scale=1")
    assert int.from_bytes(resp.data[16:20], "big") == 1200

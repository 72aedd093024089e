"""Small screens and long pages: at 390 px (a phone) and 1440 px nothing scrolls sideways
except inside a table's own scroll box; and one pass in kk finds no English on screen."""

from __future__ import annotations

import pytest

from tests.web.visible_text import english_words

ARAL, KYZYLORDA = "433200000", "430000000"
PAGES = [
    f"/?area={ARAL}",
    f"/explore?indicator=industrial_output&area={ARAL}&source=all",
    f"/map?indicator=industrial_output&level=district&parent={KYZYLORDA}",
    "/programs",
    "/changes?since=2000-01-01",
    "/about",
    "/decks?deck=aral-default",
]
# Elements wider than the page that are not inside a scroll box of their own.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (p.scrollWidth > p.clientWidth && /(auto|scroll)/.test(s.overflowX)) return true;
    }
    return false;
  };
  return [...document.querySelectorAll('body *')]
    .filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.right > width + 1 && !scrolls(el);
    })
    .slice(0, 5)
    .map((el) => `${el.tagName}#${el.id}.${el.className} right=${Math.round(el.getBoundingClientRect().right)}`);
}"""


@pytest.mark.parametrize("width", [390, 1440])
@pytest.mark.parametrize("path", PAGES)
def test_nothing_scrolls_sideways(page, path, width):
    p = page.page
    p.set_viewport_size({"width": width, "height": 900})
    page.goto(path + ("&" if "?" in path else "?") + "lang=ru")
    p.wait_for_load_state("networkidle")
    p.wait_for_timeout(800)
    scroll = p.evaluate("document.documentElement.scrollWidth")
    client = p.evaluate("document.documentElement.clientWidth")
    assert scroll <= client, (scroll, client, p.evaluate(OVERFLOWING))
    page.shot(f"width-{width}{path.split('?')[0].replace('/', '-') or '-overview'}")
    assert page.blocked == []


@pytest.mark.parametrize("path", PAGES)
def test_visible_text_in_kazakh_has_no_english(page, path):
    p = page.page
    page.goto(path + ("&" if "?" in path else "?") + "lang=kk")
    p.wait_for_load_state("networkidle")
    p.wait_for_timeout(800)
    # innerText leaves out hidden elements; text marked as another language is removed.
    text = p.evaluate(
        """() => {
          const main = document.body.cloneNode(true);
          main.querySelectorAll('[lang]:not([lang="kk"]), code, pre, script, style, .modebar')
            .forEach((el) => el.remove());
          document.body.appendChild(main);
          main.style.position = 'absolute';
          const text = main.innerText;
          main.remove();
          return text;
        }"""
    )
    assert english_words([text]) == set()
    assert p.title().endswith("Арал өңірінің тұрақты даму көрсеткіштері")

"""The static site in headless Chromium from ``file://``, the network cut off.

A commune page (with a chart), a source page and the search page must load
with no console error (a Content-Security-Policy refusal is one) and no
request beyond ``file:``; the site's style sheet must apply under
``style-src 'self'`` from ``file://``; a source page's quotes are marked; the
chart draws from the site's shared files and its hover shows the quote and
the source. Screenshots go to build/test-artifacts/. Skips outside CI
without Chromium.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from kgraph.graph.engine import from_graph
from kgraph.graph.namespaces import Iris
from kgraph.pages import write_site
from tests.browser import offline_page
from tests.screens import save

pytestmark = pytest.mark.browser

POM_LOT_PAGE = "id/commune/2024-03356.html"
SOURCE_PAGE = "id/source/001_a26cdb5e4219828f.html"
#: one of Pom Lót's two values of kg new-rural-criteria-met, as its article words it
CHART_QUOTE = "Phấn đấu hết năm 2017 sẽ cán đích hoàn thành đạt 19/19 tiêu chí"


@pytest.fixture(scope="module")
def site(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser-site") / "site"
    write_site(from_graph(graph), out, iris=Iris())
    return out


@contextmanager
def _opened(site: Path, path: str) -> Iterator[tuple[Any, list[str], list[str]]]:
    """A page of ``site`` in Chromium, with the console errors and outside requests it made."""
    with offline_page(site / path) as opened:
        page = opened.page
        page.wait_for_load_state("load")
        yield page, opened.errors, opened.requests
        name = path.replace("/", "-").removesuffix(".html")
        save(page, f"site-{name}.png", full_page=True)


@pytest.mark.parametrize("path", [POM_LOT_PAGE, SOURCE_PAGE, "browse/search.html"])
def test_a_page_loads_offline_styled_and_without_errors(site: Path, path: str) -> None:
    with _opened(site, path) as (page, errors, requests):
        page.wait_for_timeout(300)  # a late refusal or script error has time to show
        # site.css moves the skip link off screen: style-src 'self' lets it in from file://
        position = page.evaluate("getComputedStyle(document.querySelector('a.skip')).position")
    assert errors == [] and requests == []
    assert position == "absolute"


def test_the_source_page_highlights_its_quotes(site: Path) -> None:
    with _opened(site, SOURCE_PAGE) as (page, errors, _):
        marks = page.locator("div.article mark")
        count = marks.count()
        background = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
        anchors = page.locator("div.article mark span.anchor").count()
    assert errors == []
    assert count >= 5 and anchors >= count
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")


def test_the_commune_chart_draws_and_its_hover_shows_quote_and_source(site: Path) -> None:
    with _opened(site, POM_LOT_PAGE) as (page, errors, requests):
        page.wait_for_selector("body[data-rendered=true]", state="attached", timeout=30_000)
        marks = page.locator("div.chart .kgraph-chart-view svg .mark-symbol path")
        points = marks.count()
        shown = []
        for i in range(points):
            marks.nth(i).scroll_into_view_if_needed()  # the chart is below the fold
            box = marks.nth(i).bounding_box()
            page.mouse.move(1, 1)  # off the chart first: the tooltip hides, then shows anew
            page.wait_for_timeout(100)
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_timeout(300)
            tip = page.locator("#vg-tooltip-element")
            if tip.count() and tip.is_visible():
                shown.append(tip.inner_text())
        injected = page.locator("head style").count()
    assert errors == [] and requests == []
    assert points >= 2
    joined = "\n".join(shown)
    assert CHART_QUOTE in joined
    assert "Đảng bộ xã Pom Lót huyện Điện Biên" in joined  # the source's title
    assert injected == 0  # Vega-Embed and its tooltip take their rules from charts.css

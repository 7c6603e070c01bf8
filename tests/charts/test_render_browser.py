"""A chart page in headless Chromium with the network cut off: drawn, no request, hover cites.

Every request that is not ``file:`` or ``data:`` is aborted and recorded. The
screenshot goes to build/test-artifacts/. Skips outside CI without Chromium.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from kgraph.charts.render import write_chart
from tests.browser import chromium

pytestmark = pytest.mark.browser

ARTEFACTS = Path(__file__).resolve().parents[2] / "build" / "test-artifacts"


@pytest.mark.parametrize(
    ("kind", "options"), [("time-series", {"focus": "Hoa Binh"}), ("compare", {})]
)
def test_chart_draws_offline_and_hover_shows_the_quote(
    figures: Graph, tmp_path: Path, kind: str, options: dict[str, Any]
) -> None:
    out = write_chart(figures, kind, "poor-household-rate", tmp_path / f"{kind}.html", **options)
    errors: list[str] = []
    requests: list[str] = []

    def record(route: Any) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            requests.append(route.request.url)
            route.abort()

    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        context.route("**/*", record)
        page.goto(out.path.resolve().as_uri())
        page.wait_for_selector("body[data-rendered=true]", state="attached", timeout=30_000)
        marks = page.locator(".kgraph-chart-view svg .mark-symbol path")
        assert marks.count() >= 4
        quotes = set()
        for i in range(marks.count()):
            box = marks.nth(i).bounding_box()
            page.mouse.move(1, 1)  # off the chart first: vega-tooltip hides, then shows anew
            page.wait_for_timeout(100)
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_timeout(300)  # it shows its element after a short delay
            tip = page.locator("#vg-tooltip-element")
            if tip.count() and tip.is_visible():
                quotes.add(tip.inner_text())
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / f"chart-{kind}.png"), full_page=True)
        xss = page.evaluate("() => window.__kgraph_xss")
        context.close()
    assert errors == [] and requests == []
    assert xss is None
    joined = "\n".join(quotes)
    assert "Hòa Bình giảm nghèo bền vững" in joined or "Na Sang: <img" in joined
    if kind == "time-series":
        assert "đến giữa năm 2018 còn khoảng 10% hộ nghèo" in joined

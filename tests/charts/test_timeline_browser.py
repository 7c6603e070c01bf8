"""The timeline page in headless Chromium: drawn offline, hover shows the quote, hostile text inert.

Skips outside CI without Chromium (tests/browser.py); the shot goes to build/test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kgraph.charts.timeline import write_timeline
from tests.browser import offline_page
from tests.screens import save

FIXTURE = Path(__file__).parent / "fixtures" / "timeline.ttl"


@pytest.mark.parametrize("focus", ["dang-bo-xa-thu", "dang-bo-xa-doc"])
def test_the_timeline_draws_offline_without_errors(tmp_path: Path, focus: str) -> None:
    graph = Graph().parse(FIXTURE, format="turtle")
    path, timeline = write_timeline(graph, focus, tmp_path / f"{focus}.html")
    with offline_page(path) as opened:
        page = opened.page
        page.wait_for_selector("body[data-rendered=true]", state="attached", timeout=30_000)
        marks = page.locator(
            ".kgraph-chart-view svg .mark-rect path, .kgraph-chart-view svg .mark-symbol path"
        )
        drawn = marks.count()
        rows = page.locator("table tbody tr").count()
        save(page, f"timeline-{focus}.png", full_page=True)
    errors, requests, dialogs = opened.errors, opened.requests, opened.dialogs
    assert errors == [] and requests == [] and dialogs == []
    dated = [e for e in timeline.entries if e.when("en")]
    assert drawn >= len(dated) > 0  # every dated entry is a bar or a point
    assert rows >= len(timeline.entries)

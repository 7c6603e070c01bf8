"""The review page in a real browser: headless Chromium driven by Playwright, keyboard only.

The server runs on a free loopback port in a thread over a three-candidate
fixture; every request that is not to it is aborted and recorded, and the
tests check there are none. Outside CI the tests skip when Chromium or
Playwright is missing; under CI (CI=true) that is a failure.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kgraph.curate.review import ReviewApp, ReviewServer
from tests.browser import chromium
from tests.curate.test_review import (
    HOSTILE,
    SOURCE,
    build_app,
    candidate,
    fixture_entities,
    read_csv,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@dataclass
class Opened:
    """The review page loaded from its server, with everything it tried to do."""

    page: Any
    url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def focused(self, selector: str) -> bool:
        return bool(self.page.evaluate("(s) => document.activeElement.matches(s)", selector))

    def tab_to(self, selector: str, limit: int = 80) -> None:
        """Press Tab until ``selector`` has the focus (keyboard only, as a reviewer would)."""
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if self.focused(selector):
                return
        raise AssertionError(f"{limit} presses of Tab never reached {selector}")


@pytest.fixture()
def serve() -> Iterator[Callable[[ReviewApp], str]]:
    servers: list[tuple[ReviewServer, threading.Thread]] = []

    def _serve(app: ReviewApp) -> str:
        server = ReviewServer(app, port=0)
        thread = threading.Thread(target=server.run, name="kgraph-review-test", daemon=True)
        thread.start()
        servers.append((server, thread))
        return server.url

    yield _serve
    for server, thread in servers:
        server.close()
        thread.join(timeout=5)


@pytest.fixture()
def open_page(browser: Any, serve: Callable[[ReviewApp], str]) -> Iterator[Any]:
    contexts: list[Any] = []

    def _open(app: ReviewApp) -> Opened:
        url = serve(app)
        context = browser.new_context(viewport={"width": 1300, "height": 850})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(5_000)
        opened = Opened(page, url)
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: opened.errors.append(str(e)))

        def dialog(d: Any) -> None:
            opened.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)

        def route(r: Any) -> None:
            if r.request.url.startswith(url):
                r.continue_()
            else:
                opened.requests.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page.goto(url)
        page.wait_for_selector("body[data-ready=true]", state="attached")
        return opened

    yield _open
    for context in contexts:
        context.close()


def test_keyboard_only_review_saves_decisions_and_edits(tmp_path: Path, open_page: Any) -> None:
    opened = open_page(build_app(tmp_path))
    page = opened.page
    marks = page.locator("mark[data-rows]")
    assert marks.count() == 3
    assert marks.all_inner_texts() == [
        "có 1.250 hộ dân",
        "Tỷ lệ hộ nghèo còn 10,37%",
        "có 25 chi bộ",
    ]
    background = page.evaluate(
        "() => getComputedStyle(document.querySelector('mark')).backgroundColor"
    )
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")

    opened.tab_to("#card-0 button.accept")
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Space")
    assert page.get_attribute("#card-0 button.accept", "aria-pressed") == "true"
    # focusing a candidate emphasises its span
    assert page.evaluate("() => document.querySelector('#card-0').classList.contains('active')")
    assert page.evaluate("() => document.querySelector('mark[data-rows=\"0\"]').className") == (
        "active"
    )

    opened.tab_to("#card-1 button.reject")
    page.keyboard.press("Enter")
    assert page.get_attribute("#card-1 button.reject", "aria-pressed") == "true"
    assert page.evaluate("() => document.querySelector('mark[data-rows=\"1\"]').className") == (
        "active"
    )
    opened.tab_to("#c1-indicator")
    page.keyboard.press("Control+A")
    page.keyboard.type("poverty-rate")
    assert page.inner_text("#c1-indicator-label") == "tỷ lệ hộ nghèo / poverty rate (percent)"

    opened.tab_to("#save")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.getElementById('status').textContent.startsWith('saved')"
    )
    rows = read_csv(tmp_path / f"{SOURCE}.reviewed.csv")
    assert [r["decision"] for r in rows] == ["accept", "reject", ""]
    assert [r["indicator"] for r in rows] == ["households", "poverty-rate", "party-cells"]
    assert page.inner_text("#count-accepted") == "1" and page.inner_text("#count-rejected") == "1"
    assert opened.requests == [] and opened.dialogs == [] and opened.errors == []


def test_keyboard_only_review_decides_and_edits_entity_rows(tmp_path: Path, open_page: Any) -> None:
    opened = open_page(build_app(tmp_path, entities=fixture_entities()))
    page = opened.page
    assert page.inner_text("label[for='e1-id']") == "Id"
    opened.tab_to("#entity-1 button.accept", limit=200)
    page.keyboard.press("Space")
    assert page.get_attribute("#entity-1 button.accept", "aria-pressed") == "true"
    assert page.get_attribute("#entity-1", "data-decision") == "accept"
    opened.tab_to("#e1-id")
    page.keyboard.press("Control+A")
    page.keyboard.type("dang-bo-xa-pom-lot")
    opened.tab_to("#save")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.getElementById('status').textContent.startsWith('saved')"
    )
    assert "2 entity rows" in page.inner_text("#status")
    rows = read_csv(tmp_path / f"{SOURCE}.entities.reviewed.csv")
    assert [r["decision"] for r in rows] == ["", "accept"]
    assert [r["id"] for r in rows] == ["xa-pom-lot", "dang-bo-xa-pom-lot"]
    assert [r["decision"] for r in read_csv(tmp_path / f"{SOURCE}.reviewed.csv")] == [""] * 3
    assert opened.requests == [] and opened.dialogs == [] and opened.errors == []


def test_clicking_a_span_brings_its_candidate(tmp_path: Path, open_page: Any) -> None:
    opened = open_page(build_app(tmp_path))
    opened.page.click("mark[data-rows='2']")
    assert opened.focused("#card-2")
    assert opened.page.evaluate(
        "() => document.querySelector('#card-2').classList.contains('active')"
    )
    assert opened.requests == [] and opened.errors == []


def test_hostile_quote_is_shown_as_text(tmp_path: Path, open_page: Any) -> None:
    text = f"Mở đầu. {HOSTILE} Kết thúc có 5 hộ."
    rows = [
        candidate(text, HOSTILE, note=HOSTILE, subject_name=HOSTILE),
        candidate(text, "có 5 hộ"),
    ]
    opened = open_page(build_app(tmp_path, rows, text))
    page = opened.page
    assert page.inner_text("mark[data-rows='0']") == HOSTILE
    assert page.inner_text("#card-0 blockquote") == HOSTILE
    assert page.input_value("#c0-note") == HOSTILE
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert page.evaluate("() => document.querySelectorAll('b').length") == 0
    page.click("#card-0 button.accept")
    page.click("#save")
    page.wait_for_function(
        "() => document.getElementById('status').textContent.startsWith('saved')"
    )
    assert read_csv(tmp_path / f"{SOURCE}.reviewed.csv")[0]["note"] == HOSTILE
    assert opened.dialogs == [] and opened.requests == [] and opened.errors == []


def test_accept_shows_the_message_or_the_error(tmp_path: Path, open_page: Any) -> None:
    from kgraph.errors import InputError

    def on_accept(path: Path) -> str:
        raise InputError("not reviewed; write accept or reject", path=path, row=3)

    opened = open_page(build_app(tmp_path, on_accept=on_accept))
    page = opened.page
    page.click("#card-0 button.accept")
    page.click("#accept")
    page.wait_for_function("() => document.getElementById('status').textContent.startsWith('not')")
    status = page.inner_text("#status")
    assert status.startswith("not accepted:") and "row 3: not reviewed" in status
    assert page.get_attribute("#status", "class") == "error"
    assert opened.requests == [] and opened.dialogs == []

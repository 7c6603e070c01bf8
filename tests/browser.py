"""Headless Chromium for the browser tests: found, launched quietly, or a stated skip.

Outside CI a test skips when Chromium or Playwright is missing; under CI
(CI=true) that is a failure, since ``.ci/run`` installs both.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("KGRAPH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
#: Flags that keep Chromium quiet on a closed network (see ENVIRONMENT-NOTES).
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def missing(reason: str) -> None:
    """Skip with ``reason``, or fail under CI, where the part must be installed."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must have it (.ci/run installs it through .ci/system-deps)")
    pytest.skip(reason)


@contextmanager
def chromium() -> Iterator[Any]:
    """A launched headless Chromium (a Playwright ``Browser``), closed afterwards."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python is not installed (pip install -e '.[test]')")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@dataclass
class Offline:
    """A page opened with every outside request refused, and what it said and tried."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@contextmanager
def offline_page(path: Path, width: int = 1200, height: int = 900) -> Iterator[Offline]:
    """``path`` loaded in headless Chromium offline: console errors, requests and dialogs kept."""
    with chromium() as browser:
        context = browser.new_context(viewport={"width": width, "height": height})
        opened = Offline(context.new_page())

        def record(route: Any) -> None:
            if route.request.url.startswith(("file:", "data:")):
                route.continue_()
            else:
                opened.requests.append(route.request.url)
                route.abort()

        def dialog(d: Any) -> None:
            opened.dialogs.append(d.message)
            d.dismiss()

        page = opened.page
        page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        page.on("dialog", dialog)
        context.route("**/*", record)
        page.goto(path.resolve().as_uri())
        try:
            yield opened
        finally:
            context.close()

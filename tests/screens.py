"""Screenshots of the browser tests, and the pictures the docs show, which are the same shots.

Every shot goes to ``build/test-artifacts/``. A shot named in :data:`DOC_IMAGES`
is also a picture of the docs: ``KGRAPH_UPDATE_DOCS=1 pytest
tests/views/test_render_browser.py tests/pages/test_site_browser.py`` rewrites
those in ``docs/img/`` from the shipped data, so no picture there is made by
hand; ``tests/test_docs.py`` checks that every file in ``docs/img/`` is one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ARTEFACTS = ROOT / "build" / "test-artifacts"
DOC_IMG = ROOT / "docs" / "img"
#: test shot -> the picture of docs/img it is
DOC_IMAGES = {
    "view-hierarchy-all-vi.png": "view-hierarchy.png",
    "view-people-all-vi.png": "view-people.png",
    "view-indicators-all-vi.png": "view-indicators.png",
    "view-indicators-tooltip.png": "view-indicators-tooltip.png",
    "view-sources-all-vi.png": "view-sources.png",
    "view-ego-2024-03356-vi.png": "view-ego-pom-lot.png",
    "site-id-commune-2024-03356.png": "page-commune-pom-lot.png",
}


def save(page: Any, name: str, **options: Any) -> Path:
    """Screenshot ``page`` as ``name`` in the test artefacts (and in docs/img when asked)."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / name
    page.screenshot(path=str(path), **options)
    if os.environ.get("KGRAPH_UPDATE_DOCS") == "1" and name in DOC_IMAGES:
        shutil.copyfile(path, DOC_IMG / DOC_IMAGES[name])
    return path

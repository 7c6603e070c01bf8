"""The review page of an article's candidate facts (``kgraph review SOURCE``).

``make_app`` builds the WSGI application over the article's text and its
candidates file, ``serve_review`` serves it on 127.0.0.1, and ``load_choices``
reads what the reviewer picks from (indicators, subjects, units, qualifiers).
"""

from __future__ import annotations

from kgraph.curate.review.choices import (
    Choices,
    CodeChoice,
    IndicatorChoice,
    SubjectChoice,
    load_choices,
)
from kgraph.curate.review.rows import COLUMNS, EDITABLE
from kgraph.curate.review.server import ReviewApp, ReviewServer, make_app, serve_review

__all__ = [
    "COLUMNS",
    "EDITABLE",
    "Choices",
    "CodeChoice",
    "IndicatorChoice",
    "ReviewApp",
    "ReviewServer",
    "SubjectChoice",
    "load_choices",
    "make_app",
    "serve_review",
]

"""Pages: a page for every entity, in a static site and at its IRI on ``kgraph serve``.

``describe`` reads what the graph says about one entity through the queries in
``queries/pages/``; ``entity``, ``article``, ``ego`` and ``sections`` turn it
into what the templates show; ``site`` holds the pages of one graph,
``static`` writes them as files (``kgraph site``) and ``serving`` answers
them, as HTML or RDF, on ``kgraph serve``.
"""

from kgraph.pages.serving import PageHandler
from kgraph.pages.site import Site
from kgraph.pages.static import SiteSummary, write_site

__all__ = ["PageHandler", "Site", "SiteSummary", "write_site"]

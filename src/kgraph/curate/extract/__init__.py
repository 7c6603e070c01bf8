"""The assisted extractor: propose every fact of an article, with its exact quote, for review.

``Extractor(data_dir).extract(source)`` finds each quantity the article
states and proposes its indicator (ranked), subject, period, qualifier and
quote; ``write_extraction`` writes the candidates for a reviewer;
``accept_reviewed`` appends the accepted rows to the article's observation
table after checking them as ``kgraph build`` does. Rules and a lexicon
(``data/lexicon/``): deterministic and offline.
"""

from kgraph.curate.extract.accept import Accepted, accept_reviewed, next_ids
from kgraph.curate.extract.article import Candidate, Extraction, Extractor
from kgraph.curate.extract.io import CANDIDATE_COLUMNS, read_reviewed, write_extraction
from kgraph.curate.extract.lexicon import Lexicon, load_lexicon
from kgraph.curate.extract.numbers import Quantity, find_quantities
from kgraph.curate.extract.people import ENTITY_COLUMNS, EntityCandidate

__all__ = [
    "CANDIDATE_COLUMNS",
    "ENTITY_COLUMNS",
    "Accepted",
    "Candidate",
    "EntityCandidate",
    "Extraction",
    "Extractor",
    "Lexicon",
    "Quantity",
    "accept_reviewed",
    "find_quantities",
    "load_lexicon",
    "next_ids",
    "read_reviewed",
    "write_extraction",
]

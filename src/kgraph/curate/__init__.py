"""Curation: the curated tables, Vietnamese text and numbers, and the checked dataset.

``vn`` parses and folds Vietnamese text, numbers, dates and periods; ``tables``
reads the CSV tables with file/row/column errors; ``dataset`` loads every
table of a data folder and checks references, quotes and official codes.
"""

from kgraph.curate.dataset import AdminUnit, Dataset, load_dataset

__all__ = ["AdminUnit", "Dataset", "load_dataset"]

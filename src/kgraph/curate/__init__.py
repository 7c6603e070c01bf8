"""Curation: the curated tables, Vietnamese text and numbers, and the checked dataset.

``vn`` parses and folds Vietnamese text, numbers, dates and periods; ``tables``
reads the CSV tables with file/row/column errors; ``units`` reads both official
unit lists and the 2025 reform mapping; ``dataset`` loads every table of a data
folder and checks references, quotes and official codes.
"""

from kgraph.curate.dataset import Dataset, load_dataset
from kgraph.curate.units import AdminUnits, UnitVersion, load_admin_units

__all__ = ["AdminUnits", "Dataset", "UnitVersion", "load_admin_units", "load_dataset"]

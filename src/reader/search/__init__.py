"""Full-text search over a library (Whoosh): passages of transcripts and summary claims.

    index = LibraryIndex(library)          # index in the user's cache dir
    report = index.update(progress)        # incremental by content hash
    results = index.search('"escape velocity"', kind="transcript")
"""

from .indexer import LibraryIndex, UpdateReport, default_index_dir
from .query import Hit, QueryError, SearchResults, parse_query
from .schema import SCHEMA_VERSION

__all__ = [
    "Hit",
    "LibraryIndex",
    "QueryError",
    "SCHEMA_VERSION",
    "SearchResults",
    "UpdateReport",
    "default_index_dir",
    "parse_query",
]

"""Full-text search over a library (Whoosh): passages of transcripts and summary claims.

index = LibraryIndex(library)          # index in the user's cache dir
report = index.update(progress)        # incremental by content hash
results = index.search('"escape velocity"', kind="transcript")
"""

from .highlight import TermMatcher
from .indexer import LibraryIndex, UpdateReport, default_index_dir
from .language import QueryError, parse_query
from .results import Hit, SearchResults
from .schema import SCHEMA_VERSION

__all__ = [
    "Hit",
    "LibraryIndex",
    "QueryError",
    "SCHEMA_VERSION",
    "SearchResults",
    "TermMatcher",
    "UpdateReport",
    "default_index_dir",
    "parse_query",
]

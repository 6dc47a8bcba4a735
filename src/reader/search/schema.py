"""The Whoosh schema of the search index.

One document per transcript passage (a few consecutive units, ~40-80 words) and one per
summary claim, plus one hidden marker document per episode (kind ``_episode``) that records
the episode's content hash. The marker is written in the same commit as the episode's
passages, so the index itself always knows exactly which version of each episode it holds.

Bump ``SCHEMA_VERSION`` whenever the schema or the document-building rules change: an index
with another version is set aside and rebuilt.
"""

from __future__ import annotations

from whoosh import fields
from whoosh.analysis import RegexTokenizer, LowercaseFilter, StemFilter, StopFilter

SCHEMA_VERSION = 3

MARKER_KIND = "_episode"
KINDS = ("transcript", "summary")

# Same tokenizer for both text fields, so token boundaries line up for highlighting.
TOKEN_PATTERN = r"\w+(?:['’.]\w+)*"


def tokenizer() -> RegexTokenizer:
    return RegexTokenizer(TOKEN_PATTERN)


def stemmed_analyzer():
    """Stemmed words (``agents`` -> ``agent``); stop words dropped."""
    return tokenizer() | LowercaseFilter() | StopFilter() | StemFilter(cachesize=50000)


def raw_analyzer():
    """Unstemmed lowercase words: for fuzzy, prefix, wildcard and spelling."""
    return tokenizer() | LowercaseFilter() | StopFilter()


def make_schema() -> fields.Schema:
    return fields.Schema(
        episode=fields.ID(stored=True),
        kind=fields.KEYWORD(stored=True, lowercase=True, scorable=False),
        title=fields.TEXT(analyzer=stemmed_analyzer(), stored=True, phrase=False),
        path=fields.STORED(),
        section=fields.TEXT(analyzer=stemmed_analyzer(), stored=True, phrase=False),
        time=fields.STORED(),  # seconds; shown, never queried (an indexed NUMERIC cost terms)
        # (line_start, line_end, unit_start, unit_end, summary_index, claim_index)
        loc=fields.STORED(),
        text=fields.TEXT(analyzer=stemmed_analyzer(), stored=True, phrase=True),
        # Unstemmed words for fuzzy/prefix/wildcard and spelling: no positions (they cost
        # a third of the build); phrase variants of these words run on ``text``.
        raw=fields.TEXT(analyzer=raw_analyzer(), stored=False, phrase=False),
        hash=fields.STORED(),
    )

"""The Whoosh schema of the search index.

One document per transcript passage (a few consecutive units, ~40-80 words) and one per
summary claim, plus one hidden marker document per episode (kind ``_episode``) that records
the episode's content hash and its vocabulary (``words``). The marker is written in the
same commit as the episode's passages, so the index itself always knows exactly which
version of each episode it holds.

Bump ``SCHEMA_VERSION`` whenever the schema or the document-building rules change: an index
with another version is set aside and rebuilt.
"""

from __future__ import annotations

from whoosh import fields
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter, StopFilter

from .version import SCHEMA_VERSION as SCHEMA_VERSION  # re-exported; the number lives there

MARKER_KIND = "_episode"
KINDS = ("transcript", "summary")

# Same tokenizer for both text fields, so token boundaries line up for highlighting.
TOKEN_PATTERN = r"\w+(?:['’.]\w+)*"


def tokenizer() -> RegexTokenizer:
    return RegexTokenizer(TOKEN_PATTERN)


def stemmed_analyzer():
    """Stemmed words (``agents`` -> ``agent``); stop words dropped."""
    return tokenizer() | LowercaseFilter() | StopFilter() | StemFilter(cachesize=50000)


def name_analyzer():
    """Speaker names: words lowercased, nothing dropped or stemmed (``speaker:lenny``)."""
    return tokenizer() | LowercaseFilter()


def vocabulary(texts) -> str:
    """The distinct unstemmed lowercase words of ``texts`` (stop words left out), space
    separated: the value of a marker's ``words`` field."""
    import re

    from whoosh.analysis import STOP_WORDS

    token = re.compile(TOKEN_PATTERN)
    seen: set[str] = set()
    for text in texts:
        seen.update(m.group().lower() for m in token.finditer(text))
    return " ".join(sorted(w for w in seen if w not in STOP_WORDS and len(w) > 1))


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
        estimated=fields.STORED(),  # transcript passages: True when the time is estimated
        text=fields.TEXT(analyzer=stemmed_analyzer(), stored=True, phrase=True),
        # transcript passages: the named speaker ("Name:" turns, VTT <v>, JSON/TTML
        # speakers); a passage never spans two named speakers (documents.py)
        speaker=fields.TEXT(analyzer=name_analyzer(), stored=True, phrase=True),
        # The episode's vocabulary, on its marker only: every unstemmed word once. Fuzzy,
        # prefix and wildcard terms and spelling suggestions expand against it, then
        # search ``text`` for the stems of what they found. (A per-passage unstemmed
        # field doubled the postings: a third of the build.)
        words=fields.KEYWORD(stored=False, lowercase=False, scorable=False),
        hash=fields.STORED(),
    )

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

import re
from collections.abc import Iterable
from pickle import dumps
from typing import Any

from whoosh import columns, fields
from whoosh.analysis import (
    STOP_WORDS,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.lang.porter import stem
from whoosh.system import pack_uint

from .version import SCHEMA_VERSION as SCHEMA_VERSION  # re-exported; the number lives there

MARKER_KIND = "_episode"
KINDS = ("transcript", "summary")

# Same tokenizer for both text fields, so token boundaries line up for highlighting.
TOKEN_PATTERN = r"\w+(?:['’.]\w+)*"


def tokenizer() -> RegexTokenizer:
    return RegexTokenizer(TOKEN_PATTERN)


def stemmed_analyzer() -> Any:
    """Stemmed words (``agents`` -> ``agent``); stop words dropped."""
    return tokenizer() | LowercaseFilter() | StopFilter() | StemFilter(cachesize=50000)


def name_analyzer() -> Any:
    """Speaker names: words lowercased, nothing dropped or stemmed (``speaker:lenny``)."""
    return tokenizer() | LowercaseFilter()


_TOKEN = re.compile(TOKEN_PATTERN)
_STOPS = frozenset(STOP_WORDS)


def vocabulary(texts: Iterable[str]) -> str:
    """The distinct unstemmed lowercase words of ``texts`` (stop words left out), space
    separated: the value of a marker's ``words`` field."""
    findall = _TOKEN.findall
    seen: set[str] = set()
    for text in texts:
        seen.update(findall(text))
    lowered = {w.lower() for w in seen}
    return " ".join(sorted(w for w in lowered if w not in _STOPS and len(w) > 1))


# The commonest words of spoken English that Whoosh does not drop as stop words (what
# Lucene's CommonGrams calls its common words). Each passage keeps, in a column of the
# ``text`` field, where these words are (``common_column``): a phrase with one of them
# reads its positions for the few candidate passages of the phrase's rarer words,
# instead of decompressing most of the common word's posting blocks (phrases.py).
COMMON_WORDS = """
    about actually again all also always any around back because been being better
    big but come could day did different do does doing don't done down even ever every
    first get getting give go going gonna good got great had has he her here him his
    how i'm it's just keep kind know let like little look lot make many maybe me mean
    more most much my need new no now oh okay one only other our out over people pretty
    put really right said same say see she should so some something still sure take
    talk than that's then there these they thing things think those through time too
    try two up very want was way well were what where which who why work would yeah
    year yes
""".split()


def _common_ids() -> dict[bytes, int]:
    out: dict[bytes, int] = {}
    for w in COMMON_WORDS:
        b = stem(w).encode("utf-8")
        if w not in _STOPS and b not in out:
            out[b] = len(out) + 1
    assert len(out) < 256
    return out


COMMON_IDS = _common_ids()  # stem -> its one-byte id in the column


class PassageText(fields.TEXT):  # type: ignore[misc]  # (Whoosh is typed as Any here)
    """The stemmed, positional ``text`` field, analysed for indexing in one pass.

    Whoosh runs every token through a chain of generators (tokenizer, lowercase, stop,
    stem: ~20% of a build) and pickles every posting's positions; this does the same
    analysis with a regular expression, a set and a stem cache, and reuses the encoding
    of a single position. Its postings are exactly those of ``stemmed_analyzer()`` with
    Whoosh's ``Positions`` format (tested); queries use the analyzer as before.

    Its column holds each document's positions of the ``COMMON_WORDS``
    (``common_column``), made from the same analysis."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.column_type = columns.VarBytesColumn()

    def index(self, value: Any, **kwargs: Any) -> Any:
        if not isinstance(value, str) or kwargs.get("mode", "index") != "index":
            return super().index(value, **kwargs)
        return analyse(value)

    def to_column_value(self, value: Any) -> bytes:
        return common_column(value if isinstance(value, str) else "")

    def from_column_value(self, value: Any) -> Any:
        return value


class RepeatedText(fields.TEXT):  # type: ignore[misc]  # (Whoosh is typed as Any here)
    """A TEXT field whose value repeats from document to document (every passage of an
    episode has its title; every claim under a heading, its section): a value's postings
    are analysed once and kept (the last ``KEEP`` values), not once per document (~7%
    of a build). The postings are the same as TEXT's."""

    KEEP = 4096

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._seen: dict[str, list[Any]] = {}

    def index(self, value: Any, **kwargs: Any) -> Any:
        if not isinstance(value, str) or kwargs:
            return super().index(value, **kwargs)
        seen = self.__dict__.setdefault("_seen", {})
        got = seen.get(value)
        if got is None:
            if len(seen) >= self.KEEP:
                seen.clear()
            got = seen[value] = list(super().index(value))
        return got

    def __getstate__(self) -> dict[str, Any]:  # (the schema is pickled into the index)
        state = dict(self.__dict__)
        state.pop("_seen", None)
        return state


_STEMS: dict[str, bytes] = {}
_ONE: dict[int, bytes] = {}
# the last value analyse() saw and its common_column, as one pair (replaced whole, so a
# reader never pairs one value with another's column)
_LAST: list[tuple[Any, bytes]] = [(None, b"")]
_WIDE = 1  # a column value's first byte: positions as 2-byte integers (else 1 byte)
_UNKNOWN = 2  # ... a position or count past 65,535: not recorded (phrases.py reads postings)


def common_column(value: str) -> bytes:
    """The ``text`` column of a document: where its ``COMMON_WORDS`` are. ``b""`` when it
    has none; else a form byte, then the number k of its common stems, their k ids,
    their k numbers of positions, then their positions (the postings' own); each number
    one byte, or two (big-endian) when any is past 255 (a third form, past 65,535: not
    recorded). A word's id is found with one ``find``, its positions after the sum of
    the counts before it."""
    seen, got = _LAST[0]
    if seen is not value:
        analyse(value)
        seen, got = _LAST[0]
    return got


def _column(poses: dict[bytes, list[int]]) -> bytes:
    ids = COMMON_IDS
    common = poses.keys() & ids.keys()
    if not common:
        return b""
    plists = [poses[b] for b in common]
    counts = [len(pl) for pl in plists]
    out = [len(common)] + [ids[b] for b in common] + counts
    for pl in plists:
        out += pl
    top = max(out)
    if top < 256:
        return bytes([0] + out)
    if top < 65536:
        return bytes([_WIDE]) + b"".join(x.to_bytes(2, "big") for x in out)
    return bytes([_UNKNOWN])


def analyse(value: str) -> list[tuple[bytes, int, float, bytes]]:
    """(stem as UTF-8, frequency, weight, encoded positions) per distinct stem of
    ``value``, as ``stemmed_analyzer()`` and ``Positions.word_values`` give them: a
    token shorter than 2 letters or a stop word is dropped, and positions count the
    tokens kept, from the first kept token's own position (StopFilter's renumbering)."""
    stems = _STEMS
    if len(stems) > 200_000:
        stems.clear()
    poses: dict[bytes, list[int]] = {}
    pos = -1
    first = True
    for i, word in enumerate(_TOKEN.findall(value)):
        w = word.lower()
        if len(w) < 2 or w in _STOPS:
            continue
        if first:
            pos, first = i, False
        else:
            pos += 1
        b = stems.get(w)
        if b is None:
            b = stems[w] = stem(w).encode("utf-8")
        got = poses.get(b)
        if got is None:
            poses[b] = [pos]
        else:
            got.append(pos)
    out = []
    one = _ONE
    for b, plist in poses.items():
        n = len(plist)
        if n == 1:
            p = plist[0]
            v = one.get(p)
            if v is None:
                v = one[p] = _encode(plist)
        else:
            v = _encode(plist)
        out.append((b, n, float(n), v))
    _LAST[0] = (value, _column(poses))
    return out


def _encode(plist: list[int]) -> bytes:
    """Whoosh's ``Positions.encode``: the count, then the pickled position deltas."""
    deltas = [plist[0]]
    deltas += [b - a for a, b in zip(plist, plist[1:], strict=False)]
    encoded: bytes = pack_uint(len(deltas)) + dumps(deltas, 2)
    return encoded


def make_schema() -> fields.Schema:
    return fields.Schema(
        episode=fields.ID(stored=True),
        kind=fields.KEYWORD(stored=True, lowercase=True, scorable=False),
        title=RepeatedText(analyzer=stemmed_analyzer(), stored=True, phrase=False),
        path=fields.STORED(),
        section=RepeatedText(analyzer=stemmed_analyzer(), stored=True, phrase=False),
        time=fields.STORED(),  # seconds; shown, never queried (an indexed NUMERIC cost terms)
        # (line_start, line_end, unit_start, unit_end, summary_index, claim_index)
        loc=fields.STORED(),
        estimated=fields.STORED(),  # transcript passages: True when the time is estimated
        text=PassageText(analyzer=stemmed_analyzer(), stored=True, phrase=True),
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

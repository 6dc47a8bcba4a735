"""Parsing user queries, running them, and turning Whoosh hits into plain ``Hit`` objects.

Query language (Whoosh's, with a few adjustments):
- words are ANDed; ``OR``, ``NOT``, ``AND`` and parentheses work;
- words are stemmed (``agent`` finds "agents"); ``"quoted phrases"`` match in order;
- ``agen*`` (prefix/wildcard) and ``velocty~`` / ``velocty~2`` (fuzzy) work on the
  *unstemmed* words, so the typo itself is not stemmed;
- a quoted phrase also matches near spellings of its longer words, ranked below exact
  matches (ASR transcripts misspell: "scape velocity" is found by ``"escape velocity"``);
- ``episode:ID``, ``kind:summary``, ``section:word``, ``title:word`` filter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from whoosh import qparser, query as Q
from whoosh.highlight import (
    FIRST,
    BasicFragmentScorer,
    ContextFragmenter,
    Fragment,
    WholeFragmenter,
    top_fragments,
)
from whoosh.lang.porter import stem

from ..model import format_timestamp
from .schema import KINDS, MARKER_KIND, make_schema, tokenizer

SNIPPET_WHOLE = 480  # texts up to this long are shown whole
SNIPPET_CHARS = 300  # otherwise fragments of about this size around the matches
NEAR_MIN_LEN = 5  # phrase words this long also match at edit distance 1

_STOP = frozenset(
    __import__("whoosh.analysis", fromlist=["STOP_WORDS"]).STOP_WORDS
)


@dataclass
class Hit:
    episode: str
    title: str
    kind: str  # "transcript" | "summary"
    path: str
    line_start: int
    line_end: int
    unit_start: int | None
    unit_end: int | None
    summary_index: int | None
    claim_index: int | None
    seconds: float
    timestamp: str
    text: str
    snippet: str
    spans: list[tuple[int, int]]
    highlight: str
    score: float
    section: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "episode": self.episode,
            "title": self.title,
            "kind": self.kind,
            "path": self.path,
            "line_start": self.line_start,
            "line_end": self.line_end,
            "seconds": round(self.seconds, 3),
            "timestamp": self.timestamp,
            "text": self.text,
            "highlight": self.highlight,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "spans": [list(s) for s in self.spans],
            "unit_start": self.unit_start,
            "unit_end": self.unit_end,
            "summary_index": self.summary_index,
            "claim_index": self.claim_index,
            "section": self.section,
        }


@dataclass
class SearchResults:
    query: str
    total: int = 0
    suggestion: str | None = None
    hits: list[Hit] = field(default_factory=list)
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "suggestion": self.suggestion,
            "hits": [h.to_json() for h in self.hits],
            "error": self.error,
        }


# --- parsing ------------------------------------------------------------------------------

_SCHEMA = make_schema()
_FIELDS = frozenset(n for n in _SCHEMA.names() if _SCHEMA[n].indexed)
_EMPTY_FIELD = re.compile(r"(?:^|[\s(])([A-Za-z_]\w*):(?=$|[\s)])")
_FIELD_REF = re.compile(r"(?:^|[\s(+\-])([A-Za-z_]\w*):")


def _parser() -> qparser.QueryParser:
    qp = qparser.QueryParser("text", _SCHEMA, group=qparser.AndGroup)
    qp.add_plugin(qparser.FuzzyTermPlugin())
    return qp


_PARSER = _parser()


class QueryError(ValueError):
    pass


def _no_words(qstring: str) -> QueryError:
    return QueryError(f'query "{qstring}" has no words to search for')


def parse_query(qstring: str) -> Q.Query:
    """User text -> Whoosh query, or QueryError with a one-line user-facing message."""
    text = qstring.strip()
    if not text:
        raise _no_words(qstring)
    m = _EMPTY_FIELD.search(text)
    if m:
        raise QueryError(f'query "{qstring}" has no words to search for (nothing after "{m.group(1)}:")')
    for m in _FIELD_REF.finditer(text):
        name = m.group(1)
        if name not in _FIELDS and name.lower() not in ("http", "https"):
            known = ", ".join(sorted(f for f in _FIELDS if f not in ("raw", "time")))
            raise QueryError(f'query "{qstring}": unknown field "{name}:" (fields: {known})')
    try:
        q = _PARSER.parse(text)
    except Exception as exc:  # noqa: BLE001 - whoosh rarely raises, but never a traceback
        raise QueryError(f'query "{qstring}" could not be understood ({type(exc).__name__})') from None
    if q is Q.NullQuery or isinstance(q, type(Q.NullQuery)):
        raise _no_words(qstring)
    q = _rewrite(q, text)
    if not isinstance(q, Q.Every) and not _has_words(q):
        raise _no_words(qstring)
    return q


def _has_words(q: Q.Query) -> bool:
    if q.is_leaf():
        return q is not Q.NullQuery and not isinstance(q, type(Q.NullQuery))
    return any(_has_words(c) for c in q.children())


def _original(q: Q.Query, qstring: str) -> str:
    sc, ec = getattr(q, "startchar", None), getattr(q, "endchar", None)
    if sc is not None and ec is not None and 0 <= sc < ec <= len(qstring):
        return qstring[sc:ec].lower()
    return str(getattr(q, "text", ""))


def _rewrite(q: Q.Query, qstring: str) -> Q.Query:
    """Move fuzzy/prefix/wildcard onto the unstemmed field; make phrases typo-tolerant."""
    if isinstance(q, Q.FuzzyTerm) and q.fieldname == "text":
        word = _original(q, qstring)
        if not re.fullmatch(r"\w+", word):
            word = str(q.text)
        return Q.FuzzyTerm("raw", word, boost=q.boost, maxdist=q.maxdist, prefixlength=q.prefixlength)
    if isinstance(q, (Q.Prefix, Q.Wildcard)) and q.fieldname == "text":
        return q.__class__("raw", q.text, boost=q.boost)
    if isinstance(q, Q.Phrase) and q.fieldname == "text":
        return _near_phrase(q, qstring)
    if q.is_leaf():
        return q
    return q.apply(lambda c: _rewrite(c, qstring))


def _near_phrase(q: Q.Phrase, qstring: str) -> Q.Query:
    ranges = getattr(q, "char_ranges", None) or []
    words = []
    for sc, ec in ranges:
        if sc is None or ec is None:
            return q
        words.append(qstring[sc:ec].lower())
    if len(words) != len(q.words) or len(words) < 2:
        return q
    parts: list[Q.Query] = []
    for w in words:
        if w in _STOP:
            continue
        if len(w) >= NEAR_MIN_LEN:
            parts.append(Q.FuzzyTerm("raw", w, maxdist=1, prefixlength=0))
        else:
            parts.append(Q.Term("raw", w))
    if len(parts) < 2:
        return q
    # Exact phrase scores on both clauses, so it always ranks above a near spelling.
    return Q.Or([q, Q.Sequence(parts, slop=1, boost=0.5)])


# --- highlighting -------------------------------------------------------------------------

_TOKENIZER = tokenizer()


def _marked_tokens(text: str, stemmed: set[str], raw: set[str]) -> list[Any]:
    out = []
    for t in _TOKENIZER(text, positions=True, chars=True, mode="index"):
        word = t.text.lower()
        t.matched = word in raw or (bool(stemmed) and stem(word) in stemmed)
        out.append(t.copy())
    return out


class SpanFormatter:
    """A Whoosh-style formatter that returns (plain snippet, match spans) instead of markup."""

    between = " … "

    def format(self, fragments: list[Fragment], text: str) -> tuple[str, list[tuple[int, int]]]:
        out: list[str] = []
        spans: list[tuple[int, int]] = []
        length = 0

        def emit(s: str) -> None:
            nonlocal length
            out.append(s)
            length += len(s)

        for n, frag in enumerate(sorted(fragments, key=lambda f: f.startchar)):
            if n:
                emit(self.between)
            elif frag.startchar > 0:
                emit("…")
            index = frag.startchar
            for t in sorted(frag.matches, key=lambda t: (t.startchar, -(t.endchar - t.startchar))):
                if t.startchar < index or t.endchar > frag.endchar:
                    continue
                emit(text[index : t.startchar])
                start = length
                emit(text[t.startchar : t.endchar])
                if spans and spans[-1][1] == start:
                    spans[-1] = (spans[-1][0], length)
                else:
                    spans.append((start, length))
                index = t.endchar
            emit(text[index : frag.endchar])
        if fragments and max(f.endchar for f in fragments) < len(text):
            emit("…")
        return "".join(out), spans


def _merge_adjacent(tokens: list[Any], text: str) -> list[Any]:
    """Join matched tokens separated only by spaces/punctuation-free gaps into one match
    (so a phrase highlights as one span)."""
    merged: list[Any] = []
    for t in tokens:
        if (
            t.matched
            and merged
            and merged[-1].matched
            and text[merged[-1].endchar : t.startchar].strip() == ""
        ):
            merged[-1].endchar = t.endchar
            continue
        merged.append(t)
    return merged


def snippet_for(text: str, stemmed: set[str], raw: set[str]) -> tuple[str, list[tuple[int, int]]]:
    tokens = _merge_adjacent(_marked_tokens(text, stemmed, raw), text)
    if not any(t.matched for t in tokens):
        if len(text) <= SNIPPET_WHOLE:
            return text, []
        cut = text.rfind(" ", 0, SNIPPET_CHARS)
        return text[: cut if cut > 0 else SNIPPET_CHARS] + "…", []
    if len(text) <= SNIPPET_WHOLE:
        fragmenter: Any = WholeFragmenter(charlimit=None)
    else:
        fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=80, charlimit=None)
    fragments = list(fragmenter.fragment_tokens(text, iter(tokens)))
    fragments = top_fragments(fragments, 2, BasicFragmentScorer(), FIRST, minscore=1)
    if not fragments:
        return text[:SNIPPET_CHARS], []
    return SpanFormatter().format(fragments, text)


def mark(snippet: str, spans: list[tuple[int, int]], left: str = "«", right: str = "»") -> str:
    out, index = [], 0
    for a, b in spans:
        out.append(snippet[index:a])
        out.append(left + snippet[a:b] + right)
        index = b
    out.append(snippet[index:])
    return "".join(out)


# --- running ------------------------------------------------------------------------------


def _hit(h: Any) -> Hit:
    d = h.fields()
    text = d.get("text", "") or ""
    stemmed: set[str] = set()
    raw: set[str] = set()
    try:
        for fname, btext in h.matched_terms():
            word = btext.decode("utf-8") if isinstance(btext, bytes) else str(btext)
            if fname == "text":
                stemmed.add(word)
            elif fname == "raw":
                raw.add(word)
    except Exception:  # noqa: BLE001 - no term info: no highlights
        pass
    snippet, spans = snippet_for(text, stemmed, raw)
    loc = d.get("loc") or (0, 0, None, None, None, None)
    seconds = float(d.get("time") or 0.0)
    return Hit(
        episode=d.get("episode", ""),
        title=d.get("title", ""),
        kind=d.get("kind", ""),
        path=d.get("path", ""),
        line_start=loc[0],
        line_end=loc[1],
        unit_start=loc[2],
        unit_end=loc[3],
        summary_index=loc[4],
        claim_index=loc[5],
        seconds=seconds,
        timestamp=format_timestamp(seconds),
        text=text,
        snippet=snippet,
        spans=spans,
        highlight=mark(snippet, spans),
        score=float(h.score or 0.0),
        section=d.get("section", "") or "",
    )


def _filters(episode: str | None, kind: str | None) -> Q.Query | None:
    parts: list[Q.Query] = []
    if episode:
        parts.append(Q.Term("episode", episode, boost=0.0))
    if kind:
        parts.append(Q.Term("kind", kind.lower(), boost=0.0))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q.And(parts)


_MASK = Q.Term("kind", MARKER_KIND)


def _combine(q: Q.Query, filt: Q.Query | None) -> Q.Query:
    if filt is not None:
        q = Q.And([q, filt])
    return Q.AndNot(q, _MASK)


def run_search(
    searcher: Any, qstring: str, episode: str | None = None, kind: str | None = None, limit: int = 20
) -> SearchResults:
    res = SearchResults(query=qstring)
    if kind and kind.lower() not in KINDS:
        res.error = f'unknown kind "{kind}" (use transcript or summary)'
        return res
    try:
        q = parse_query(qstring)
    except QueryError as exc:
        res.error = str(exc)
        return res
    filt = _filters(episode, kind)
    limit = max(1, int(limit))
    # Filters are folded into the query: Whoosh's len(results) ignores filter= and mask=
    # when it counts a limited search.
    results = searcher.search(_combine(q, filt), limit=limit, terms=True)
    res.total = len(results)
    res.hits = [_hit(h) for h in results]
    if res.total == 0:
        res.suggestion = suggest(searcher, qstring, filt)
    return res


# --- "did you mean" -----------------------------------------------------------------------

_WORD = re.compile(r"(?<![\w:*?])([^\W\d_][\w']*)(?![\w:*?])")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


def suggest(searcher: Any, qstring: str, filt: Q.Query | None = None) -> str | None:
    """Correct each unknown word against the unstemmed vocabulary, keeping the query's
    structure (quotes, operators, fields). Only offered when the corrected query finds
    something."""
    try:
        corrector = searcher.corrector("raw")
        reader = searcher.reader()
    except Exception:  # noqa: BLE001
        return None
    changed = False
    out: list[str] = []
    index = 0
    for m in _WORD.finditer(qstring):
        word = m.group(1)
        before = qstring[: m.start()]
        if word in _OPERATORS or re.search(r"\w+:\"?[^\s\"]*$", before) and not before.endswith(" "):
            continue
        lw = word.lower()
        if lw in _STOP or len(lw) < 3 or reader.frequency("raw", lw) > 0:
            continue
        maxdist = 1 if len(lw) <= 4 else 2
        try:
            options = corrector.suggest(lw, limit=1, maxdist=maxdist)
        except Exception:  # noqa: BLE001
            options = []
        if not options:
            continue
        out.append(qstring[index : m.start()])
        out.append(options[0])
        index = m.end()
        changed = True
    if not changed:
        return None
    out.append(qstring[index:])
    fixed = "".join(out)
    try:
        q = parse_query(fixed)
        if searcher.search(_combine(q, filt), limit=1).scored_length() == 0:
            return None
    except Exception:  # noqa: BLE001
        return None
    return fixed

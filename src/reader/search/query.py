"""Parsing user queries, running them, and turning Whoosh hits into plain ``Hit`` objects.

Query language (Whoosh's, with a few adjustments):
- words are ANDed; ``OR``, ``NOT``, ``AND`` and parentheses work;
- words are stemmed (``agent`` finds "agents"); ``"quoted phrases"`` match in order;
- ``agen*`` (prefix/wildcard) and ``velocty~`` / ``velocty~2`` (fuzzy) work on the
  *unstemmed* words, so the typo itself is not stemmed;
- a quoted phrase also finds the same phrase with one longer word missing a letter, as
  automatic captions write it ("the scape velocity" for "escape velocity"), ranked
  after the exact matches; when a phrase query finds nothing at all, it runs again
  with near spellings (edit distance 1) of its longer words;
- ``episode:ID``, ``kind:summary``, ``section:word``, ``title:word`` filter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from whoosh import qparser, query as Q
from whoosh.lang.porter import stem
from whoosh.support.levenshtein import distance

from ..model import format_timestamp
from .schema import KINDS, MARKER_KIND, make_schema, tokenizer

SNIPPET_CHARS = 200  # Hit.snippet: texts up to this long whole, else a fragment this long
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
    text: str  # the whole passage or claim
    snippet: str  # <= ~200 chars of it around the best matches, whole words, "…" where cut
    spans: list[tuple[int, int]]  # matches, as offsets into snippet
    highlight: str  # snippet with «matches» marked
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
    total: int = 0  # exact number of matching passages and claims (not an estimate)
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
    if q.is_leaf():
        return q
    return q.apply(lambda c: _rewrite(c, qstring))


def near_query(q: Q.Query, qstring: str) -> Q.Query | None:
    """``q`` with every quoted phrase also matching near spellings of its longer words
    (the fallback run when the exact query finds nothing); None without phrases."""
    found = False

    def walk(node: Q.Query) -> Q.Query:
        nonlocal found
        if isinstance(node, Q.Phrase) and node.fieldname == "text":
            near = _near_phrase(node, qstring)
            found = found or near is not node
            return near
        if node.is_leaf():
            return node
        return node.apply(walk)

    out = walk(q)
    return out if found else None


def _near_phrase(q: Q.Phrase, qstring: str) -> Q.Query:
    words = _phrase_words(q, qstring)
    if not words:
        return q
    words = [w for w in words if w not in _STOP]
    if len(words) < 2:
        return q
    # One near-spelt word per alternative (an ASR slip is usually one word of a phrase):
    # each alternative keeps the other words exact, which keeps it cheap.
    alts: list[Q.Query] = []
    for k, word in enumerate(words):
        if len(word) < NEAR_MIN_LEN:
            continue
        parts = [
            Q.FuzzyTerm("raw", w, maxdist=1, prefixlength=0) if i == k else Q.Term("raw", w)
            for i, w in enumerate(words)
        ]
        alts.append(Q.Sequence(parts, slop=1))
    if not alts:
        return q
    return alts[0] if len(alts) == 1 else Q.Or(alts)


def dropped_letter_query(q: Q.Query, qstring: str, reader: Any) -> Q.Query | None:
    """Alternatives to ``q``'s quoted phrases in which one longer word is replaced by a
    word of the index that is the same word with one letter dropped ("escape" ->
    "scape"): caption mishearings. Built from ``len(word)`` dictionary look-ups, no
    vocabulary scan, so it is cheap enough to run with every phrase query. None when
    no such word exists."""
    alts: list[Q.Query] = []

    def walk(node: Q.Query) -> None:
        if isinstance(node, Q.Phrase) and node.fieldname == "text":
            alts.extend(_dropped_letter_phrases(node, qstring, reader))
        elif not node.is_leaf():
            for child in node.children():
                walk(child)

    walk(q)
    if not alts:
        return None
    return alts[0] if len(alts) == 1 else Q.Or(alts)


def _phrase_words(q: Q.Phrase, qstring: str) -> list[str] | None:
    ranges = getattr(q, "char_ranges", None) or []
    words = []
    for sc, ec in ranges:
        if sc is None or ec is None:
            return None
        words.append(qstring[sc:ec].lower())
    if len(words) != len(q.words) or len(words) < 2:
        return None
    return words


def _dropped_letter_phrases(q: Q.Phrase, qstring: str, reader: Any) -> list[Q.Query]:
    words = _phrase_words(q, qstring)
    if not words:
        return []
    out: list[Q.Query] = []
    for k, word in enumerate(words):
        if len(word) < NEAR_MIN_LEN or word in _STOP:
            continue
        variants = {word[:i] + word[i + 1 :] for i in range(len(word))}
        for variant in sorted(variants):
            try:
                present = reader.doc_frequency("raw", variant) > 0
            except Exception:  # noqa: BLE001
                present = False
            if present:
                parts = [Q.Term("raw", variant if i == k else w) for i, w in enumerate(words)]
                out.append(Q.Sequence(parts))
    return out


# --- highlighting -------------------------------------------------------------------------

_TOKENIZER = tokenizer()
MAX_EXPANSIONS = 200  # words a prefix/fuzzy term may highlight


def highlight_terms(q: Q.Query, reader: Any) -> tuple[set[str], set[str]]:
    """(stemmed words, unstemmed words) the query looks for, expanded for prefix/fuzzy
    terms; negated parts are left out. Computed once per query, not per hit."""
    stemmed: set[str] = set()
    raw: set[str] = set()
    try:
        leaves = [r for r, _ in reader.leaf_readers()]
    except Exception:  # noqa: BLE001
        leaves = [reader]

    def add(field: str, word: Any) -> None:
        word = word.decode("utf-8") if isinstance(word, bytes) else str(word)
        if field == "text":
            stemmed.add(word)
        elif field == "raw":
            raw.add(word)

    def walk(node: Q.Query) -> None:
        if isinstance(node, Q.Not):
            return
        if isinstance(node, Q.AndNot):
            walk(node.a)
            return
        if isinstance(node, Q.Phrase):
            for w in node.words:
                add(node.fieldname, w)
            return
        if isinstance(node, Q.Term):
            add(node.fieldname, node.text)
            return
        if isinstance(node, Q.MultiTerm):
            if node.field() in ("text", "raw"):
                n = 0
                try:
                    # Per segment: a segment reader expands fuzzy terms with a DFA over its
                    # term list; the multi-segment reader would compute the edit distance
                    # to every term in Python (seconds on a large index).
                    for leaf in leaves:
                        for word in node._btexts(leaf):
                            add(node.field(), word)
                            n += 1
                            if n >= MAX_EXPANSIONS:
                                return
                except Exception:  # noqa: BLE001 - no expansion: no highlights for it
                    pass
            return
        if not node.is_leaf():
            for c in node.children():
                walk(c)

    walk(q)
    return stemmed, raw


def _matches(text: str, stemmed: set[str], raw: set[str]) -> list[tuple[int, int]]:
    """Character ranges of matching words, adjacent ones (only spaces between) joined."""
    out: list[tuple[int, int]] = []
    if not stemmed and not raw:
        return out
    for t in _TOKENIZER(text, chars=True, mode="index"):
        word = t.text.lower()
        if word in raw or (stemmed and stem(word) in stemmed):
            if out and text[out[-1][1] : t.startchar].strip() == "":
                out[-1] = (out[-1][0], t.endchar)
            else:
                out.append((t.startchar, t.endchar))
    return out


def _word_starts(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def snippet_for(
    text: str, stemmed: set[str], raw: set[str], limit: int = SNIPPET_CHARS
) -> tuple[str, list[tuple[int, int]]]:
    """A short fragment (about ``limit`` characters, whole words, "…" where cut) around
    the densest cluster of matches, and the match spans relative to it. A text of at
    most ``limit`` characters is returned whole."""
    text = text.strip()
    matches = _matches(text, stemmed, raw)
    if len(text) <= limit:
        return text, matches
    words = _word_starts(text)
    if not words:
        return text[:limit] + "…", []
    if matches:
        # The window of matches that fits in the budget and holds the most distinct
        # matched words (then the most matches); earliest wins ties.
        best, best_score = (0, 0), (-1, -1)
        budget = int(limit * 0.8)
        for i in range(len(matches)):
            j = i
            distinct: set[str] = set()
            while j < len(matches) and matches[j][1] - matches[i][0] <= budget:
                distinct.add(text[matches[j][0] : matches[j][1]].lower())
                j += 1
            j = max(j, i + 1)
            score = (len(distinct), j - i)
            if score > best_score:
                best, best_score = (i, j), score
        a, b = matches[best[0]][0], max(m[1] for m in matches[best[0] : best[1]])
        spare = max(0, limit - (b - a))
        lo = max(0, a - spare // 3)  # a third of the context before, the rest after
        hi = min(len(text), lo + limit)
        lo = max(0, min(lo, hi - limit))
    else:
        lo, hi = 0, limit
    # Whole words: start at the first word starting at or after lo (or the word holding
    # the first match), end at the last word ending by hi.
    first = next((w for w in words if w[0] >= lo), words[-1])
    if matches and first[0] > a:
        first = next(w for w in reversed(words) if w[0] <= a)
    last = next((w for w in reversed(words) if w[1] <= hi and w[0] >= first[0]), first)
    if matches and last[1] < b:
        last = next(w for w in words if w[1] >= b)
    start, end = first[0], last[1]
    lead = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    body = text[start:end]
    if tail and body and body[-1] in ",;:-–—":
        body = body[:-1].rstrip()
    shift = len(lead) - start
    spans = [
        (max(x, start) + shift, min(y, start + len(body)) + shift)
        for x, y in matches
        if x < start + len(body) and y > start
    ]
    return lead + body + tail, spans


def mark(snippet: str, spans: list[tuple[int, int]], left: str = "«", right: str = "»") -> str:
    out, index = [], 0
    for a, b in spans:
        out.append(snippet[index:a])
        out.append(left + snippet[a:b] + right)
        index = b
    out.append(snippet[index:])
    return "".join(out)


# --- running ------------------------------------------------------------------------------


def _hit(h: Any, stemmed: set[str], raw: set[str]) -> Hit:
    d = h.fields()
    text = d.get("text", "") or ""
    snippet, spans = snippet_for(text.lstrip(" .,;:·-–—"), stemmed, raw)
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


_WORD_FIELDS = frozenset({"text", "raw", "section", "title"})


def _needs_mask(q: Q.Query) -> bool:
    """Only queries that can match on other fields (``episode:ID`` alone, ``*``) can
    match an episode marker (which has no words). Masking costs a lot: Whoosh then
    scores every matching document instead of skipping blocks that cannot make the top
    N (``model`` over 10 M words: ~1 s instead of a few ms)."""
    if isinstance(q, (Q.Every, Q.NullQuery.__class__)):
        return True
    if isinstance(q, Q.Not):
        return True
    if q.is_leaf():
        return q.field() not in _WORD_FIELDS
    if isinstance(q, (Q.And, Q.AndNot, Q.Phrase, Q.Sequence)) and not isinstance(q, Q.Or):
        # one required clause on a word field is enough
        kids = [q.a] if isinstance(q, Q.AndNot) else list(q.children())
        return all(_needs_mask(c) for c in kids)
    return any(_needs_mask(c) for c in q.children())


def _combine(q: Q.Query, filt: Q.Query | None) -> Q.Query:
    mask = _needs_mask(q)
    if filt is not None:
        q = Q.And([q, filt])
    return Q.AndNot(q, _MASK) if mask else q


def run_search(
    searcher: Any, qstring: str, episode: str | None = None, kind: str | None = None, limit: int = 20
) -> SearchResults:
    """The top ``limit`` hits and the exact number of matching passages/claims.

    A query with quoted phrases runs exactly first; only when that finds nothing does
    the typo-tolerant variant (near spellings of the phrase words) run. (Running it
    every time made phrase queries 3-10x slower on a large library.)"""
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
    reader = searcher.reader()
    # Filters are folded into the query: Whoosh's len(results) ignores filter= and mask=
    # when it counts a limited search.
    # optimize=False: one pass scores every match and counts it, so the total is exact
    # for free. (Block-quality skipping rarely skips on passages this short, and when it
    # does, len(results) runs the whole query again to count.)
    results = searcher.search(_combine(q, filt), limit=limit, optimize=False)
    hits = list(results)
    total = len(results)
    stemmed, raw = highlight_terms(q, reader)
    dropped = dropped_letter_query(q, qstring, reader)
    if dropped is not None:
        # ranked after every exact match; a passage matching both is counted once
        exact_docs = set(results.docs())
        extra = searcher.search(_combine(dropped, filt), limit=limit, optimize=False)
        hits = (hits + [h for h in extra if h.docnum not in exact_docs])[:limit]
        total = len(exact_docs | set(extra.docs()))
        more_stemmed, more_raw = highlight_terms(dropped, reader)
        stemmed, raw = stemmed | more_stemmed, raw | more_raw
    if total == 0:
        near = near_query(q, qstring)
        if near is not None:
            results = searcher.search(_combine(near, filt), limit=limit, optimize=False)
            hits = list(results)
            total = len(results)
            stemmed, raw = highlight_terms(near, reader)
    res.total = total
    res.hits = [_hit(h, stemmed, raw) for h in hits]
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
        reader = searcher.reader()
        leaves = [r for r, _ in reader.leaf_readers()] or [reader]
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
        best = correction(leaves, lw, 1 if len(lw) <= 4 else 2)
        if best is None:
            continue
        out.append(qstring[index : m.start()])
        out.append(best)
        index = m.end()
        changed = True
    if not changed:
        return None
    out.append(qstring[index:])
    fixed = "".join(out)
    try:
        q = parse_query(fixed)
        # One matching document is enough (no scoring: "model" matches 100k passages).
        if next(iter(searcher.docs_for_query(_combine(q, filt))), None) is None:
            return None
    except Exception:  # noqa: BLE001
        return None
    return fixed


def correction(leaves: list[Any], word: str, maxdist: int) -> str | None:
    """The nearest unstemmed word (fewest edits, then most frequent), looked up with each
    segment's DFA over its term list (a multi-segment reader would compute the edit
    distance to every term in Python); distance 1 first, then 2 with the first letter
    kept, only if that finds nothing."""
    for dist in range(1, maxdist + 1):
        freq: dict[str, int] = {}
        for leaf in leaves:
            try:
                # Two edits only keeping the first letter: without the prefix the
                # automaton visits thousands of terms (0.5 s on 10 M words).
                for w in leaf.terms_within("raw", word, dist, prefix=0 if dist == 1 else 1):
                    if w != word:
                        freq[w] = freq.get(w, 0) + leaf.doc_frequency("raw", w)
            except Exception:  # noqa: BLE001
                continue
        if freq:
            return max(sorted(freq), key=lambda w: (-distance(word, w), freq[w]))
    return None

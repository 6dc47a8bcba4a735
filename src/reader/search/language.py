"""The query language: user text -> a bounded Whoosh query.

Query language (Whoosh's, with a few adjustments):
- words are ANDed; ``OR``, ``NOT``, ``AND`` and parentheses work;
- words are stemmed (``agent`` finds "agents"); ``"quoted phrases"`` match in order;
- ``agen*`` (prefix/wildcard) and ``velocty~`` / ``velocty~2`` (fuzzy) work on the
  *unstemmed* words, so the typo itself is not stemmed;
- a quoted phrase also finds the same phrase with one longer word missing a letter, as
  automatic captions write it ("the scape velocity" for "escape velocity"), ranked
  after the exact matches; when a phrase query finds nothing at all, it runs again
  with near spellings (edit distance 1) of its longer words;
- ``episode:ID``, ``kind:summary``, ``section:word``, ``title:word`` filter;
  ``speaker:lenny`` (or ``speaker:"ada chen"``) keeps the passages a named speaker says.

Cost is bounded: a fuzzy term allows at most ``MAX_EDITS`` edits, and every fuzzy, prefix
or wildcard term is expanded here, per segment, to at most ``MAX_EXPANSIONS`` of the
index's words (the most frequent); each bound that bites adds one line to the notes.
(``velocity~99`` used to run for minutes in gigabytes.) running.py bounds the time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from whoosh import qparser
from whoosh import query as Q
from whoosh.lang.porter import stem

from .schema import make_schema

NEAR_MIN_LEN = 5  # phrase words this long also match at edit distance 1
MAX_EDITS = 2  # a fuzzy term's edit distance, at most
MAX_EXPANSIONS = 200  # index words one fuzzy/prefix/wildcard term may stand for
MAX_SCANNED = 20_000  # index words looked at for one such term, at most

_STOP = frozenset(__import__("whoosh.analysis", fromlist=["STOP_WORDS"]).STOP_WORDS)


# --- parsing ------------------------------------------------------------------------------

_SCHEMA = make_schema()
_FIELDS = frozenset(n for n in _SCHEMA.names() if _SCHEMA[n].indexed) - {"words"}
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


def parse_query(qstring: str, notes: list[str] | None = None) -> Q.Query:
    """User text -> Whoosh query, or QueryError with a one-line user-facing message.
    How the query was bounded is appended to ``notes``."""
    text = qstring.strip()
    if not text:
        raise _no_words(qstring)
    m = _EMPTY_FIELD.search(text)
    if m:
        raise QueryError(
            f'query "{qstring}" has no words to search for (nothing after "{m.group(1)}:")'
        )
    for m in _FIELD_REF.finditer(text):
        name = m.group(1)
        if name not in _FIELDS and name.lower() not in ("http", "https"):
            known = ", ".join(sorted(_FIELDS))
            raise QueryError(f'query "{qstring}": unknown field "{name}:" (fields: {known})')
    try:
        q = _PARSER.parse(text)
    except Exception as exc:  # noqa: BLE001 - whoosh rarely raises, but never a traceback
        raise QueryError(
            f'query "{qstring}" could not be understood ({type(exc).__name__})'
        ) from None
    if q is Q.NullQuery or isinstance(q, type(Q.NullQuery)):
        raise _no_words(qstring)
    q = _rewrite(q, text, notes if notes is not None else [])
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


def _rewrite(q: Q.Query, qstring: str, notes: list[str]) -> Q.Query:
    """Move fuzzy/prefix/wildcard onto the unstemmed field, at most MAX_EDITS edits."""
    if isinstance(q, Q.FuzzyTerm) and q.fieldname == "text":
        word = _original(q, qstring)
        if not re.fullmatch(r"\w+", word):
            word = str(q.text)
        word = re.sub(r"~\d*$", "", word)
        maxdist = q.maxdist
        if maxdist > MAX_EDITS:
            notes.append(
                f"{word}~{maxdist}: at most {MAX_EDITS} edits (searched {word}~{MAX_EDITS})"
            )
            maxdist = MAX_EDITS
        # Two edits keep the first letter: without it the automaton visits thousands of
        # terms (0.5 s on 10 M words).
        prefix = max(q.prefixlength, 1) if maxdist >= 2 else q.prefixlength
        return Q.FuzzyTerm("words", word, boost=q.boost, maxdist=maxdist, prefixlength=prefix)
    if isinstance(q, (Q.Prefix, Q.Wildcard)) and q.fieldname == "text":
        return q.__class__("words", q.text, boost=q.boost)
    if q.is_leaf():
        return q
    return q.apply(lambda c: _rewrite(c, qstring, notes))


def near_query(q: Q.Query, qstring: str, reader: Any) -> Q.Query | None:
    """``q`` with every quoted phrase also matching near spellings of its longer words
    (the fallback run when the exact query finds nothing); None without phrases."""
    found = False

    def walk(node: Q.Query) -> Q.Query:
        nonlocal found
        if isinstance(node, Q.Phrase) and node.fieldname == "text":
            near = _near_phrase(node, qstring, reader)
            found = found or near is not node
            return near
        if node.is_leaf():
            return node
        return node.apply(walk)

    out = walk(q)
    return out if found else None


def _near_phrase(q: Q.Phrase, qstring: str, reader: Any) -> Q.Query:
    words = _phrase_words(q, qstring)
    if not words:
        return q
    words = [w for w in words if w not in _STOP]
    if len(words) < 2:
        return q
    # One near-spelt word per alternative (an ASR slip is usually one word of a phrase):
    # each alternative keeps the other words exact, which keeps it cheap. The near
    # spellings are index words (per segment DFA), matched by their stems on ``text``.
    alts: list[Q.Query] = []
    for k, word in enumerate(words):
        if len(word) < NEAR_MIN_LEN:
            continue
        near = _expand_words(Q.FuzzyTerm("words", word, maxdist=1, prefixlength=0), reader)[0]
        stems = sorted({stem(w) for w in near} - {stem(word)})
        if not stems:
            continue
        parts: list[Q.Query] = [
            Q.Or([Q.Term("text", s) for s in stems]) if i == k else Q.Term("text", stem(w))
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
        own = stem(word)
        for variant in sorted(variants):
            # Not a variant whose stem is the word's ("models" -> "model": the exact
            # phrase again), nor one in more passages than the word ("where" -> "here"):
            # a mishearing is the rarer spelling, and a common one made a phrase of
            # common words cost its whole search again.
            if stem(variant) == own:
                continue
            try:
                present = reader.doc_frequency("words", variant) > 0 and reader.doc_frequency(
                    "text", stem(variant)
                ) <= reader.doc_frequency("text", own)
            except Exception:  # noqa: BLE001
                present = False
            if present:
                parts: list[Q.Query] = [
                    Q.Term("text", stem(variant if i == k else w)) for i, w in enumerate(words)
                ]
                out.append(Q.Sequence(parts))
    return out


# --- expansion ------------------------------------------------------------------------


def vocabulary_of(leaf: Any, field: str) -> list[str]:
    """A segment's sorted terms of ``field``, read once and kept on the segment reader:
    the edit-distance automaton asks for "the first term >= x" hundreds of times a query,
    and without mmap each ask was several reads of the term index."""
    cache = leaf.__dict__.setdefault("_reader_vocabularies", {})
    words: list[str] | None = cache.get(field)
    if words is None:
        words = [w.decode("utf-8") if isinstance(w, bytes) else str(w) for w in leaf.lexicon(field)]
        cache[field] = words
    return words


def fuzzy_words(leaf: Any, field: str, word: str, maxdist: int, prefix: int = 0) -> Iterator[str]:
    """The segment's terms of ``field`` within ``maxdist`` edits of ``word`` (keeping its
    first ``prefix`` letters): Whoosh's Levenshtein automaton walked over the in-memory
    vocabulary."""
    from bisect import bisect_left

    from whoosh.automata.lev import levenshtein_automaton

    words = vocabulary_of(leaf, field)
    if not words:
        return
    dfa = levenshtein_automaton(word, maxdist, prefix).to_dfa()
    n = len(words)
    term: str | None = words[0]
    match = dfa.next_valid_string(term)
    while match:
        i = bisect_left(words, match)
        term = words[i] if i < n else None
        if term is None:
            return
        if match == term:
            yield match
            term += "\0"
        match = dfa.next_valid_string(term)


def _expand_words(node: Q.MultiTerm, reader: Any) -> tuple[list[str], int]:
    """(at most MAX_EXPANSIONS index words of ``node``, most frequent first; how many
    there were, or more). Per segment: a segment reader expands fuzzy terms with a DFA
    over its term list; the multi-segment reader would compute the edit distance to every
    term in Python (seconds on a large index)."""
    try:
        leaves = [r for r, _ in reader.leaf_readers()] or [reader]
    except Exception:  # noqa: BLE001
        leaves = [reader]
    seen: set[str] = set()
    for leaf in leaves:
        try:
            found = (
                fuzzy_words(leaf, node.field() or "", node.text, node.maxdist, node.prefixlength)
                if isinstance(node, Q.FuzzyTerm)
                else node._btexts(leaf)
            )
            for word in found:
                seen.add(word.decode("utf-8") if isinstance(word, bytes) else str(word))
                if len(seen) >= MAX_SCANNED:
                    break
        except Exception:  # noqa: BLE001 - no expansion: matches nothing
            continue
    field = node.field()
    if len(seen) <= MAX_EXPANSIONS:
        return sorted(seen), len(seen)

    def freq(w: str) -> int:
        try:
            return int(reader.doc_frequency(field, w))
        except Exception:  # noqa: BLE001
            return 0

    ranked = sorted(seen, key=lambda w: (-freq(w), w))
    return ranked[:MAX_EXPANSIONS], len(seen)


def expand(q: Q.Query, reader: Any, notes: list[str]) -> Q.Query:
    """Every fuzzy/prefix/wildcard term replaced by the index words it stands for (an
    OR of at most MAX_EXPANSIONS terms); a note for each one that had more."""

    def walk(node: Q.Query) -> Q.Query:
        if isinstance(node, Q.MultiTerm) and node.field() in ("words", "text", "title", "section"):
            words, n = _expand_words(node, reader)
            if n > len(words):
                more = f"{n:,}+" if n >= MAX_SCANNED else f"{n:,}"
                notes.append(
                    f"{_label(node)} stands for {more} words; "
                    f"searched the {len(words)} most frequent"
                )
            if not words:
                return Q.NullQuery
            boost = getattr(node, "boost", 1.0)
            field = node.field() or "text"
            if field == "words":  # the vocabulary's words, searched by their stems
                stems = sorted({stem(w) for w in words})
                terms = [Q.Term("text", s, boost=boost) for s in stems]
            else:
                terms = [Q.Term(field, w, boost=boost) for w in words]
            return terms[0] if len(terms) == 1 else Q.Or(terms)
        if node.is_leaf():
            return node
        return node.apply(walk)

    return walk(q)


def _label(node: Q.MultiTerm) -> str:
    if isinstance(node, Q.FuzzyTerm):
        return f"{node.text}~{node.maxdist}"
    if isinstance(node, Q.Prefix):
        return f"{node.text}*"
    return str(getattr(node, "text", node))

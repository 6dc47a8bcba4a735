"""Running a query: bounded in time, top N scored, totals, hits with snippets.

Scoring every match in Python is what makes a common word slow (``model`` in 122k of
224k passages: ~460 ms), so the top N are collected with Whoosh's block-quality skipping
(``optimize=True``) only when Whoosh estimates more than ``EXACT_COUNT_MAX`` matches,
and that estimate is shown as "about N"; smaller queries are scored and counted exactly
in one pass. A word or an OR of words goes to topterm.py instead, which counts exactly
except for an OR with a word in most passages (then "about N" too). A search stops after
``TIME_LIMIT_S`` (or when cancelled from another thread) with what it found so far and a
note saying so.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from whoosh import collectors
from whoosh import query as Q

from ..model import format_timestamp
from . import topterm
from .highlight import TermMatcher, mark, matched_terms, snippet_for
from .language import QueryError, dropped_letter_query, expand, near_query, parse_query
from .phrases import top_of_phrase
from .results import Hit, SearchResults
from .schema import KINDS, MARKER_KIND
from .suggestions import suggest
from .topterm import top_of_terms

TIME_LIMIT_S = 3.0
FAST_TERM_MIN = 1_000  # a word or OR of words with at least this many matches: topterm.py
EXACT_COUNT_MAX = 30_000  # estimates up to this are scored and counted exactly


class Stopped(Exception):
    """The search ran out of time or was cancelled."""


class Bounded(collectors.WrappingCollector):  # type: ignore[misc]  # (Whoosh: Any here)
    """Stops collecting (raising Stopped) past a deadline or once ``cancel`` is set."""

    def __init__(
        self, child: Any, deadline: float, cancel: threading.Event | None, keep: bool = False
    ) -> None:
        super().__init__(child)
        self.deadline = deadline
        self.cancel = cancel
        self.why = ""
        self.docs: set[int] | None = set() if keep else None  # every match, when kept

    def collect_matches(self) -> None:
        child = self.child
        docs = self.docs
        n = 0
        for sub_docnum in child.matches():
            child.collect(sub_docnum)
            if docs is not None:
                docs.add(child.offset + sub_docnum)
            n += 1
            if n & 255 == 0:
                self._check()
        self._check()

    def _check(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            self.why = "cancelled"
            raise Stopped
        if time.monotonic() > self.deadline:
            self.why = "time"
            raise Stopped


def _text_words(q: Q.Query) -> tuple[list[str], float] | None:
    """(words, boost) when ``q`` is one word or an OR of words on ``text`` (one boost)."""
    if type(q) is Q.Term and q.fieldname == "text":
        return [q.text], q.boost
    if (
        type(q) is Q.Or
        and q.subqueries
        and all(type(c) is Q.Term and c.fieldname == "text" for c in q.subqueries)
    ):
        boosts = {getattr(c, "boost", 1.0) for c in q.subqueries}
        if len(boosts) == 1 and getattr(q, "boost", 1.0) == 1.0:
            return list(dict.fromkeys(getattr(c, "text", "") for c in q.subqueries)), boosts.pop()
    return None


def _phrase_words(q: Q.Query) -> list[tuple[list[str], float]] | None:
    """[(stems, boost)] when ``q`` is a quoted phrase on ``text`` (default slop), a
    sequence of words there (a dropped-letter variant: Whoosh's span matcher wants them
    at consecutive positions too), or an OR of those."""
    if type(q) is Q.Phrase and q.fieldname == "text" and q.slop == 1 and len(q.words) >= 2:
        return [([str(w) for w in q.words], float(q.boost))]
    if (
        type(q) is Q.Sequence
        and q.slop == 1
        and q.ordered
        and len(q.subqueries) >= 2
        and all(
            type(c) is Q.Term and c.fieldname == "text" and c.boost == 1.0 for c in q.subqueries
        )
    ):
        return [([str(getattr(c, "text", "")) for c in q.subqueries], float(q.boost))]
    if type(q) is Q.Or and q.subqueries and q.boost == 1.0:
        out: list[tuple[list[str], float]] = []
        for c in q.subqueries:
            alt = _phrase_words(c)
            if alt is None:
                return None
            out.extend(alt)
        return out
    return None


class Runner:
    """One query's searches against one searcher, sharing a deadline."""

    def __init__(
        self, searcher: Any, filt: Q.Query | None, limit: int, cancel: threading.Event | None
    ) -> None:
        self.searcher = searcher
        self.filt = filt
        self.limit = limit
        self.cancel = cancel
        self.deadline = time.monotonic() + TIME_LIMIT_S
        self.stopped = ""

    def check(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            self.stopped = "cancelled"
            raise Stopped
        if time.monotonic() > self.deadline:
            self.stopped = "time"
            raise Stopped

    def run(self, q: Q.Query, keep: bool = False) -> tuple[list[Any], set[int], int, bool]:
        """(top hits, docnums, total, total exact): the docnums of every match when
        ``keep`` and the total is exact, else of the top hits. A query Whoosh estimates at
        most EXACT_COUNT_MAX matches is scored in one pass that also counts them; a
        larger one is collected with block-quality skipping and its estimate kept."""
        self.check()
        s = self.searcher
        phrase = _phrase_words(q)
        q = _combine(q, self.filt)
        try:
            estimate = q.estimate_size(s.reader())
        except Exception:  # noqa: BLE001
            estimate = 0
        words = (
            _text_words(q) if estimate >= FAST_TERM_MIN and self.filt is None and not keep else None
        )
        if words:
            # (no word can be in LAZY_MIN passages when all of them together are not)
            bounded = estimate >= topterm.LAZY_MIN
            fast = top_of_terms(s, "text", words[0], self.limit, self.check, words[1], bounded)
            if fast is not None:
                hits, total, counted = fast
                return hits, {h.docnum for h in hits}, total, counted
        if phrase is not None:
            found = top_of_phrase(s, "text", phrase, self.limit, self.check, self.filt)
            if found is not None:
                hits, every = found
                return hits, every if keep else {h.docnum for h in hits}, len(every), True
        exact = estimate <= EXACT_COUNT_MAX
        top = s.collector(limit=self.limit, optimize=not exact)
        bounded = Bounded(top, self.deadline, self.cancel, keep=keep and exact)
        try:
            s.search_with_collector(q, bounded)
        except Stopped:
            self.stopped = bounded.why
            hits = list(top.results())
            return hits, {h.docnum for h in hits}, len(hits), False
        results = top.results()
        hits = list(results)
        if exact or results.has_exact_length():
            every = bounded.docs if bounded.docs is not None else {h.docnum for h in hits}
            return hits, every, len(results), True
        return hits, {h.docnum for h in hits}, max(estimate, len(hits)), False


def _hit(h: Any, matcher: TermMatcher) -> Hit:
    d = h.fields()
    text = d.get("text", "") or ""
    snippet, spans = snippet_for(text.lstrip(" .,;:·-–—"), matcher=matcher)
    loc = d.get("loc") or (0, 0, None, None, None, None)
    pending = d.get("time") is None and d.get("kind") == "transcript"  # hit_times.py
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
        estimated=d.get("estimated"),
        speaker=d.get("speaker") or None,
        seconds_pending=pending,
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


_WORD_FIELDS = frozenset({"text", "section", "title", "speaker"})


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
    searcher: Any,
    qstring: str,
    episode: str | None = None,
    kind: str | None = None,
    limit: int = 20,
    cancel: threading.Event | None = None,
) -> SearchResults:
    """The top ``limit`` hits and the number of matching passages/claims.

    A query with quoted phrases runs exactly first; only when that finds nothing does
    the typo-tolerant variant (near spellings of the phrase words) run. (Running it
    every time made phrase queries 3-10x slower on a large library.)"""
    res = SearchResults(query=qstring)
    if kind and kind.lower() not in KINDS:
        res.error = f'unknown kind "{kind}" (use transcript or summary)'
        return res
    notes: list[str] = []
    try:
        q = parse_query(qstring, notes)
    except QueryError as exc:
        res.error = str(exc)
        return res
    reader = searcher.reader()
    q = expand(q, reader, notes)
    runner = Runner(searcher, _filters(episode, kind), max(1, int(limit)), cancel)
    hits: list[Any] = []
    total, exact = 0, True
    matcher = TermMatcher()
    try:
        dropped = dropped_letter_query(q, qstring, reader)
        hits, docs, total, exact = runner.run(q, keep=dropped is not None)
        matcher = matched_terms(q, reader)
        if dropped is not None and not runner.stopped:
            # ranked after every exact match; a passage matching both is counted once
            # (both sets of matches kept while scoring: no second pass to count them)
            extra, extra_docs, extra_total, extra_exact = runner.run(dropped, keep=True)
            hits = (hits + [h for h in extra if h.docnum not in docs])[: runner.limit]
            if exact and extra_exact:
                total = len(docs | extra_docs)
            else:
                total, exact = total + extra_total, False
            more = matched_terms(dropped, reader)
            matcher = TermMatcher(
                matcher.stems | more.stems,
                matcher.words | more.words,
                phrases=matcher.phrases + more.phrases,
            )
        if total == 0 and not runner.stopped:
            near = near_query(q, qstring, reader)
            if near is not None:
                hits, docs, total, exact = runner.run(near)
                matcher = matched_terms(near, reader)
    except Stopped:
        pass
    if runner.stopped:
        exact = False
        what = "cancelled" if runner.stopped == "cancelled" else f"stopped after {TIME_LIMIT_S:g} s"
        notes.append(f"search {what}: showing what it had found")
    res.total, res.total_exact, res.notes = total, exact, notes
    res.matcher = TermMatcher(matcher.stems, matcher.words, label=qstring, phrases=matcher.phrases)
    res.hits = [_hit(h, matcher) for h in hits]
    if res.total == 0 and not runner.stopped:
        res.suggestion = suggest(searcher, qstring, runner.filt)
    return res

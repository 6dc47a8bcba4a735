"""Lexical scoring of claims against overlapping transcript windows.

Tokens come from Whoosh's ``StemmingAnalyzer`` (lower-casing, stop words, Porter stems);
each (claim, window) pair is scored with Whoosh's own BM25 function
(``whoosh.scoring.bm25``) and Whoosh's BM25F idf formula (``log(N/(df+1)) + 1``), over
postings held in plain dicts. Measured on the seed (see benchmarks/README.md), a Whoosh
``RamStorage`` index with one query per claim is ~10-30x slower for the same ranking, so
the index is replaced by term-count arrays while the ranking function stays Whoosh's.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from math import log

from whoosh.analysis import StemmingAnalyzer
from whoosh.scoring import bm25

WINDOW_WORDS = 80  # a window is about this many words of transcript
STRIDE_WORDS = 20  # a new window starts about every this many words
B = 0.75
K1 = 1.2
COMMON_DF = 0.5  # terms in more than this share of windows carry no information
UNKNOWN_IDF_FACTOR = 0.5  # claim terms absent from the transcript count at this share of max idf

_ANALYZER = StemmingAnalyzer()


@lru_cache(maxsize=65536)
def _tokens_cached(text: str) -> tuple[str, ...]:
    return tuple(t.text for t in _ANALYZER(text))


def tokens(text: str) -> tuple[str, ...]:
    """Stemmed, stop-worded tokens of ``text`` (Whoosh's StemmingAnalyzer)."""
    return _tokens_cached(text)


@dataclass(slots=True)
class Windows:
    """Overlapping windows over transcript units, with BM25 postings."""

    starts: list[int]  # first unit of each window
    ends: list[int]  # last unit (inclusive)
    unit_tokens: list[tuple[str, ...]]
    postings: dict[str, list[tuple[int, int]]]  # term -> [(window, tf)]
    lengths: list[int]
    avg_len: float
    idf: dict[str, float]
    max_idf: float

    @property
    def count(self) -> int:
        return len(self.starts)


def build_windows(unit_texts: list[str], cum_words: list[int]) -> Windows:
    """Windows of ~WINDOW_WORDS words starting every ~STRIDE_WORDS words."""
    n = len(unit_texts)
    unit_tokens = [tokens(t) for t in unit_texts]
    starts: list[int] = []
    ends: list[int] = []
    a = 0
    while a < n:
        b = a
        while b + 1 < n and cum_words[b + 1] - cum_words[a] < WINDOW_WORDS:
            b += 1
        starts.append(a)
        ends.append(b)
        if b >= n - 1:
            break
        nxt = a + 1
        while nxt < n and cum_words[nxt] - cum_words[a] < STRIDE_WORDS:
            nxt += 1
        a = nxt
    postings: dict[str, list[tuple[int, int]]] = {}
    lengths: list[int] = []
    for w, (a, b) in enumerate(zip(starts, ends, strict=False)):
        counts: Counter[str] = Counter()
        for i in range(a, b + 1):
            counts.update(unit_tokens[i])
        lengths.append(sum(counts.values()))
        for term, tf in counts.items():
            postings.setdefault(term, []).append((w, tf))
    nw = max(1, len(starts))
    avg = (sum(lengths) / nw) if lengths else 1.0
    idf = {t: log(nw / (len(p) + 1)) + 1 for t, p in postings.items()}
    max_idf = log(nw) + 1
    return Windows(starts, ends, unit_tokens, postings, lengths, max(avg, 1.0), idf, max_idf)


@dataclass(slots=True)
class ClaimScores:
    terms: dict[str, float]  # informative claim term -> idf weight
    scores: dict[int, float]  # window -> normalised BM25 (about the idf-weighted coverage)
    n_terms: int  # distinct informative terms (short chapter titles have few)


def score_claim(text: str, win: Windows, lo: int = 0, hi: int | None = None) -> ClaimScores:
    """Normalised BM25 of one claim against every window in ``lo..hi`` (a band around
    the claim's prior; all windows by default) that shares a term with it. idf and the
    normaliser are global, so a window's score does not depend on the band."""
    nw = max(1, win.count)
    terms: dict[str, float] = {}
    denom = 0.0
    for term in set(tokens(text)):
        post = win.postings.get(term)
        if post is None:
            denom += win.max_idf * UNKNOWN_IDF_FACTOR
            continue
        if len(post) > COMMON_DF * nw and nw >= 8:
            continue
        idf = win.idf[term]
        terms[term] = idf
        denom += idf
    if denom <= 0:
        return ClaimScores(terms, {}, 0)
    lengths, avg = win.lengths, win.avg_len
    lo = max(0, lo)
    hi = win.count - 1 if hi is None else min(hi, win.count - 1)
    full = lo <= 0 and hi >= win.count - 1
    acc = [0.0] * max(0, hi - lo + 1)  # one slot per window of the band: no hashing, window order
    for term, idf in terms.items():
        post = win.postings[term]
        if not full:
            post = post[bisect_left(post, (lo,)) : bisect_right(post, (hi, 1 << 30))]
        for w, tf in post:
            acc[w - lo] += bm25(idf, tf, lengths[w], avg, B, K1)
    inv = 1.0 / denom
    scores = {w: v * inv for w, v in enumerate(acc, lo) if v}
    n_terms = len(terms) + sum(1 for t in set(tokens(text)) if t not in win.postings)
    return ClaimScores(terms, scores, n_terms)


def unit_weights(claim: ClaimScores, win: Windows, first: int, last: int) -> list[float]:
    """idf mass of the claim's terms found in each unit first..last."""
    out = []
    for i in range(first, last + 1):
        seen = set(win.unit_tokens[i])
        out.append(sum(idf for t, idf in claim.terms.items() if t in seen))
    return out

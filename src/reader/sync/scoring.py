"""Lexical scoring of claims against overlapping transcript windows.

Tokens come from Whoosh's ``StemmingAnalyzer`` (lower-casing, stop words, Porter stems);
each (claim, window) pair is scored with Whoosh's BM25 function (``whoosh.scoring.bm25``,
its claim-independent quotient computed once per posting: the same bits, tested) and
Whoosh's BM25F idf formula (``log(N/(df+1)) + 1``), over postings held in plain dicts.
Measured on the seed (see benchmarks/README.md), a Whoosh ``RamStorage`` index with one
query per claim is ~10-30x slower for the same ranking, so the index is replaced by
term-count arrays while the ranking function stays Whoosh's.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from math import log

from whoosh.analysis import StemmingAnalyzer

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
    unit_sets: list[frozenset[str] | None]  # ...each unit's distinct tokens, made when asked
    postings: dict[str, list[int]]  # term -> the windows holding it, in order
    saturated: dict[str, array[float]]  # term -> bm25 with idf 1 in each of those windows
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
    tfs: dict[str, list[tuple[int, int]]] = {}  # term -> [(window, tf)]
    lengths: list[int] = []
    for w, (a, b) in enumerate(zip(starts, ends, strict=False)):
        counts: Counter[str] = Counter()
        for i in range(a, b + 1):
            counts.update(unit_tokens[i])
        lengths.append(sum(counts.values()))
        for term, tf in counts.items():
            tfs.setdefault(term, []).append((w, tf))
    nw = max(1, len(starts))
    avg = max((sum(lengths) / nw) if lengths else 1.0, 1.0)
    idf = {t: log(nw / (len(p) + 1)) + 1 for t, p in tfs.items()}
    max_idf = log(nw) + 1
    # Whoosh's bm25(idf, tf, fl, avgfl, B, K1) is idf * (tf * (K1 + 1)) / (tf + norm), norm =
    # K1 * ((1 - B) + B * fl / avgfl): idf times a quotient that does not depend on the
    # claim. Each posting's quotient is computed once here (the same operations, so the
    # same bits: test_sync_scoring checks it against bm25), not once per claim whose band
    # holds it
    kp1 = K1 + 1
    norm = [K1 * ((1 - B) + B * fl / avg) for fl in lengths]
    postings = {t: [w for w, _ in p] for t, p in tfs.items()}
    # (doubles, not boxed floats: a third of the memory, and memory is time at 10 h)
    saturated = {
        t: array("d", [(tf * kp1) / (tf + norm[w]) for w, tf in p]) for t, p in tfs.items()
    }
    unit_sets: list[frozenset[str] | None] = [None] * n
    return Windows(
        starts, ends, unit_tokens, unit_sets, postings, saturated, lengths, avg, idf, max_idf
    )


@dataclass(slots=True)
class ClaimScores:
    """A claim's normalised BM25 (about the idf-weighted coverage) in each window of its
    band, held densely (one double per window from ``lo`` on; 0.0: no term shared): at
    10 h the claims' scores are ~260 k windows, and a dict of boxed floats per claim
    (~90 bytes an entry against 8) no longer fits the CPU's caches."""

    terms: dict[str, float]  # informative claim term -> idf weight
    lo: int  # the band's first window
    dense: array[float]  # score of windows lo, lo + 1, ...
    n_terms: int  # distinct informative terms (short chapter titles have few)
    best: float = 0.0  # the highest score (0.0 when no window shares a term)

    def get(self, w: int) -> float:
        """Window w's score (0.0 outside the band)."""
        i = w - self.lo
        return self.dense[i] if 0 <= i < len(self.dense) else 0.0

    def items(self, first: int = 0, end: int | None = None) -> list[tuple[int, float]]:
        """(window, score) of the windows first..end-1 that share a term, in window order."""
        lo, dense = self.lo, self.dense
        a = max(first - lo, 0)
        b = len(dense) if end is None else min(end - lo, len(dense))
        seg = dense[a:b]
        return list(zip(compress(range(lo + a, lo + b), seg), compress(seg, seg), strict=True))

    def at_least(self, floor: float) -> tuple[list[int], list[float]]:
        """The windows scoring ``floor`` or more, in window order, and their scores."""
        dense = self.dense
        ws = list(compress(range(self.lo, self.lo + len(dense)), map(floor.__le__, dense)))
        return ws, [dense[w - self.lo] for w in ws]


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
        return ClaimScores(terms, 0, array("d"), 0)
    lo = max(0, lo)
    hi = win.count - 1 if hi is None else min(hi, win.count - 1)
    acc = [0.0] * max(0, hi - lo + 1)  # one slot per window of the band: no hashing, window order
    for term, idf in terms.items():
        post = win.postings[term]
        sat = win.saturated[term]
        i, j = bisect_left(post, lo), bisect_right(post, hi)
        for w, v in zip(post[i:j], sat[i:j], strict=True):
            acc[w - lo] += idf * v  # Whoosh's bm25(idf, tf, length, avg, B, K1)
    inv = 1.0 / denom
    dense = array("d", map(inv.__mul__, acc))  # (inv * v is v * inv, to the bit)
    n_terms = len(terms) + sum(1 for t in set(tokens(text)) if t not in win.postings)
    return ClaimScores(terms, lo, dense, n_terms, max(dense, default=0.0))


def unit_weights(claim: ClaimScores, win: Windows, first: int, last: int) -> list[float]:
    """idf mass of the claim's terms found in each unit first..last."""
    out = []
    for i in range(first, last + 1):
        seen = win.unit_sets[i]
        if seen is None:
            seen = win.unit_sets[i] = frozenset(win.unit_tokens[i])
        out.append(sum(idf for t, idf in claim.terms.items() if t in seen))
    return out

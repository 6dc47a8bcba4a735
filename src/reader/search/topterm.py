"""Top N of a common word (or an OR of words), scored a block at a time.

Whoosh scores a match with a chain of Python calls per document (matcher, scorer, field
length: ~10 µs), which is what makes a word in every tenth passage cost hundreds of
milliseconds; its block-quality skipping does not help on passages this short (measured:
slower). For a query that is one word, or an OR of words (what a prefix or fuzzy term
expands to), with many matches, this module reads each
posting block's ids and term frequencies as arrays and computes the same BM25F score
(same idf, average length, B and K1 as Whoosh's default weighting) in one expression per
block, keeping the top N in a heap. It visits every match, so the total stays exact.

Uses Whoosh's posting-block internals (``_read_ids``/``_read_weights``/``_goto``); when
they are not there, ``top_of_terms`` returns None and the ordinary search runs.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from typing import Any

from whoosh import scoring
from whoosh.util.numeric import byte_to_length

_LENGTH = [byte_to_length(i) for i in range(256)]


class TermHit:
    """What running.py's ``_hit`` needs of a Whoosh hit."""

    __slots__ = ("docnum", "score", "_searcher")

    def __init__(self, searcher: Any, docnum: int, score: float) -> None:
        self._searcher, self.docnum, self.score = searcher, docnum, score

    def fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = self._searcher.stored_fields(self.docnum)
        return fields


def top_of_terms(
    searcher: Any, fieldname: str, texts: list[str], limit: int, check: Any, boost: float = 1.0
) -> tuple[list[TermHit], int] | None:
    """(top ``limit`` hits by BM25F of any of ``texts`` in ``fieldname`` (an OR: a
    document's score is the sum of its words' scores, as Whoosh's union matcher adds
    them), number of matching documents), or None when this searcher is not one this
    fast path knows. ``check()`` is called between blocks (it raises to stop)."""
    weighting = searcher.weighting
    if type(weighting) is not scoring.BM25F:
        return None
    B = (
        weighting._field_B.get(fieldname, weighting.B)
        if hasattr(weighting, "_field_B")
        else weighting.B
    )
    K1 = weighting.K1
    k1p1 = K1 + 1
    avgfl = searcher.avg_field_length(fieldname) or 1
    norm = [K1 * ((1 - B) + B * _LENGTH[i] / avgfl) for i in range(256)]
    lenfield = f"_{fieldname}_len"
    single = len(texts) == 1
    heap: list[tuple[float, int]] = []  # single word: (score, -docnum), lowest on top
    acc: dict[int, float] = {}  # several words: docnum -> summed score
    total = 0
    leaves = list(searcher.reader().leaf_readers())
    from .phrases import blocks_of

    cache = blocks_of(searcher)
    for text in texts:
        btext = text.encode("utf-8") if isinstance(text, str) else text
        idf = searcher.idf(fieldname, btext) * boost
        for leaf, offset in leaves:
            try:
                if (fieldname, btext) not in leaf:
                    continue
                lengths = leaf._perdoc._readers.get(lenfield)
                if not isinstance(lengths, (bytes, bytearray)):
                    return None
                deleted = _deleted(leaf)
                blocks = _blocks(cache, leaf, fieldname, btext)
            except (AttributeError, TypeError):
                return None
            for ids, weights in blocks:
                pairs: Any = zip(ids, weights, strict=False)
                if deleted:
                    pairs = [(i, w) for i, w in pairs if i not in deleted]
                if single:
                    scores = [
                        (idf * (w * k1p1) / (w + norm[lengths[i]]), -(i + offset)) for i, w in pairs
                    ]
                    total += len(scores)
                    _push(heap, scores, limit)
                else:
                    # this block's scores; a document some earlier word matched adds
                    # them to its sum in the same order as before (acc[d] + score), the
                    # rest are new (0.0 + score is score): one dict update, and Python
                    # only for the overlap
                    new = {
                        i + offset: idf * (w * k1p1) / (w + norm[lengths[i]]) for i, w in pairs
                    }
                    for d in new.keys() & acc.keys():
                        new[d] = acc[d] + new[d]
                    acc.update(new)
                check()
    cache.trim()
    if not single:
        total = len(acc)
        heap = heapq.nlargest(limit, ((sc, -d) for d, sc in acc.items()))
    top = sorted(heap, reverse=True)
    return [TermHit(searcher, -d, sc) for sc, d in top], total


def _blocks(cache: Any, leaf: Any, fieldname: str, btext: bytes) -> Iterator[tuple[Any, Any]]:
    """(ids, weights) of each posting block of one word: from the searcher's cache of
    posting lists when a phrase read it (phrases.py: its blocks decoded once), else from
    Whoosh's matcher (not cached: a prefix's 200 words would fill the cache)."""
    pl = cache.peek(leaf, fieldname, btext)
    if pl is not None:  # (its blocks decoded here are not kept: memory)
        return ((b[0], b[1]) for b in map(pl.block_once, range(len(pl.spans))))
    m = leaf.postings(fieldname, btext)
    if type(m).__name__ == "FilterMatcher":  # hides deleted documents: so do we
        m = m.child
    if not hasattr(m, "_read_ids") or not hasattr(m, "_goto"):
        raise AttributeError("not Whoosh's W3 posting matcher")
    return _matcher_blocks(m)


def _matcher_blocks(m: Any) -> Iterator[tuple[Any, Any]]:
    while True:
        m._read_ids()
        m._read_weights()
        yield m._ids, m._weights
        if m._lastblock:
            return
        m._goto(m._nextoffset)


def _push(heap: list[tuple[float, int]], scores: list[tuple[float, int]], limit: int) -> None:
    for sc in scores:
        if len(heap) < limit:
            heapq.heappush(heap, sc)
        elif sc > heap[0]:
            heapq.heapreplace(heap, sc)


def _deleted(leaf: Any) -> set[int]:
    """The segment's deleted document numbers (an index updated in place has some)."""
    if not leaf.has_deletions():
        return set()
    per = getattr(leaf, "_perdoc", None)
    if per is not None and hasattr(per, "deleted_docs"):
        return set(per.deleted_docs())
    return {d for d in range(leaf.doc_count_all()) if leaf.is_deleted(d)}

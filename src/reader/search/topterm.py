"""Top N of one common word, scored a block at a time.

Whoosh scores a match with a chain of Python calls per document (matcher, scorer, field
length: ~10 µs), which is what makes a word in every tenth passage cost hundreds of
milliseconds; its block-quality skipping does not help on passages this short (measured:
slower). For a query that is a single word with many matches, this module reads each
posting block's ids and term frequencies as arrays and computes the same BM25F score
(same idf, average length, B and K1 as Whoosh's default weighting) in one expression per
block, keeping the top N in a heap. It visits every match, so the total stays exact.

Uses Whoosh's posting-block internals (``_read_ids``/``_read_weights``/``_goto``); when
they are not there, ``top_of_term`` returns None and the ordinary search runs.
"""

from __future__ import annotations

import heapq
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
        return self._searcher.stored_fields(self.docnum)


def top_of_term(searcher: Any, fieldname: str, text: str, limit: int, check: Any) -> tuple[list[TermHit], int] | None:
    """(top ``limit`` hits by BM25F, number of matching documents), or None when this
    searcher is not one this fast path knows. ``check()`` is called between blocks (it
    raises to stop)."""
    weighting = searcher.weighting
    if type(weighting) is not scoring.BM25F:
        return None
    B = weighting._field_B.get(fieldname, weighting.B) if hasattr(weighting, "_field_B") else weighting.B
    K1 = weighting.K1
    btext = text.encode("utf-8") if isinstance(text, str) else text
    idf = searcher.idf(fieldname, btext)
    avgfl = searcher.avg_field_length(fieldname) or 1
    k1p1 = K1 + 1
    norm = [K1 * ((1 - B) + B * _LENGTH[i] / avgfl) for i in range(256)]
    heap: list[tuple[float, int]] = []  # (score, -docnum): the lowest at the top
    total = 0
    lenfield = f"_{fieldname}_len"
    for leaf, offset in searcher.reader().leaf_readers():
        try:
            if (fieldname, btext) not in leaf:
                continue
            lengths = getattr(leaf, "_perdoc", None)._readers.get(lenfield)  # type: ignore[union-attr]
            if not isinstance(lengths, (bytes, bytearray)):
                return None
            m = leaf.postings(fieldname, btext)
            if not hasattr(m, "_read_ids") or not hasattr(m, "_goto"):
                return None
            deleted = leaf.deleted_docs() if leaf.has_deletions() else ()
            deleted = set(deleted)
        except (AttributeError, TypeError):
            return None
        while True:
            m._read_ids()
            m._read_weights()
            ids, ws = m._ids, m._weights
            if deleted:
                pairs = [(i, w) for i, w in zip(ids, ws) if i not in deleted]
            else:
                pairs = list(zip(ids, ws))
            total += len(pairs)
            scores = [(idf * (w * k1p1) / (w + norm[lengths[i]]), -(i + offset)) for i, w in pairs]
            if len(heap) < limit:
                for s in scores:
                    if len(heap) < limit:
                        heapq.heappush(heap, s)
                    elif s > heap[0]:
                        heapq.heapreplace(heap, s)
            else:
                floor = heap[0]
                for s in scores:
                    if s > floor:
                        heapq.heapreplace(heap, s)
                        floor = heap[0]
            check()
            if m._lastblock:
                break
            m._goto(m._nextoffset)
    top = sorted(heap, reverse=True)
    return [TermHit(searcher, -d, s) for s, d in top], total

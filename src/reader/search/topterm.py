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
LAZY_MIN = 30_000  # a word in at least this many passages is read only where it can count
_MARGIN = 1 + 1e-9  # block maxima are rounded up by this much: never below a real score


class TermHit:
    """What running.py's ``_hit`` needs of a Whoosh hit."""

    __slots__ = ("docnum", "score", "_searcher")

    def __init__(self, searcher: Any, docnum: int, score: float) -> None:
        self._searcher, self.docnum, self.score = searcher, docnum, score

    def fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = self._searcher.stored_fields(self.docnum)
        return fields


def top_of_terms(
    searcher: Any,
    fieldname: str,
    texts: list[str],
    limit: int,
    check: Any,
    boost: float = 1.0,
    bounded: bool = True,
) -> tuple[list[TermHit], int, bool] | None:
    """(top ``limit`` hits by BM25F of any of ``texts`` in ``fieldname`` (an OR: a
    document's score is the sum of its words' scores, as Whoosh's union matcher adds
    them), number of matching documents), or None when this searcher is not one this
    fast path knows. ``check()`` is called between blocks (it raises to stop).

    The third value says whether the number is exact. When one word of ``texts`` is in
    at least ``LAZY_MIN`` passages (and ``bounded``), its blocks are read only where a
    block's maximum can still reach the top ``limit`` (``_bounded``), and the number may
    be an estimate."""
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
    if bounded:
        got = _bounded(searcher, fieldname, texts, limit, check, boost, norm, k1p1, lenfield)
        if got is not None:
            return got
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
                pairs = _live(ids, weights, deleted)
                if single:
                    scores = [
                        (idf * (w * k1p1) / (w + norm[lengths[i]]), -(i + offset)) for i, w in pairs
                    ]
                    total += len(scores)
                    _push(heap, scores, limit)
                else:
                    _add_into(acc, _scores(pairs, offset, idf, k1p1, norm, lengths))
                check()
    cache.trim()
    if not single:
        total = len(acc)
        heap = heapq.nlargest(limit, ((sc, -d) for d, sc in acc.items()))
    top = sorted(heap, reverse=True)
    return [TermHit(searcher, -d, sc) for sc, d in top], total, True


def _live(ids: Any, weights: Any, deleted: Any) -> Any:
    """A block's (id, weight) pairs, less its deleted documents."""
    pairs: Any = zip(ids, weights, strict=False)
    if deleted:
        pairs = [(i, w) for i, w in pairs if i not in deleted]
    return pairs


def _scores(
    pairs: Any, offset: int, idf: float, k1p1: float, norm: list[float], lengths: Any
) -> dict[int, float]:
    """One word's BM25F scores of a block's documents (numbered across segments)."""
    return {i + offset: idf * (w * k1p1) / (w + norm[lengths[i]]) for i, w in pairs}


def _add_into(acc: dict[int, float], new: dict[int, float]) -> None:
    """Add one word's scores ``new`` to the OR's sums ``acc``, in the order Whoosh's union
    adds them (``acc[d] + score``; a document no earlier word matched takes its score as
    is): one dict update, and Python only for the overlap. ``new`` is consumed."""
    for d in new.keys() & acc.keys():
        new[d] = acc[d] + new[d]
    acc.update(new)


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


def _bounded(
    searcher: Any,
    fieldname: str,
    texts: list[str],
    limit: int,
    check: Any,
    boost: float,
    norm: list[float],
    k1p1: float,
    lenfield: str,
) -> tuple[list[TermHit], int, bool] | None:
    """Top ``limit`` of an OR (or one word) whose commonest word ``L`` is in at least
    ``LAZY_MIN`` passages, reading ``L``'s blocks only where they can matter (what Lucene
    calls block-max top-k). The other words are scored in full (their documents are
    ``S``, their summed scores ``acc``). Each block of ``L`` has a maximum score (from its
    header: the largest term frequency and the shortest length in it); a block is
    decoded, best bound first, only while its bound -- its maximum plus the best
    ``acc`` of the ``S`` documents in its range -- can beat the ``limit``-th best score
    found so far. A document's score is summed in ``texts`` order, as the exact path and
    Whoosh's union matcher do, so the hits and their scores are the exact search's.

    The number of matches is ``|S| + |L| - |S and L|``: ``|L|`` is exact (the blocks'
    counts, less the deleted documents in it), ``|S and L|`` is exact for the ``S``
    documents in decoded blocks and estimated for the others from their block's density
    (its count over its span of document numbers). None when this does not apply."""
    from bisect import bisect_left

    from .common_column import NotHere
    from .phrases import blocks_of

    leaves = list(searcher.reader().leaf_readers())
    btexts = [t.encode("utf-8") if isinstance(t, str) else t for t in texts]
    try:
        dfs = [
            sum(leaf.doc_frequency(fieldname, bt) for leaf, _ in leaves if (fieldname, bt) in leaf)
            for bt in btexts
        ]
    except (AttributeError, TypeError):
        return None
    big = max(range(len(btexts)), key=lambda j: dfs[j])
    if dfs[big] < LAZY_MIN:
        return None
    if len(btexts) == 1:
        return None  # one word: every block's maximum is near the top (short passages)
    cache = blocks_of(searcher)
    idfs = [searcher.idf(fieldname, bt) * boost for bt in btexts]
    per_leaf = []  # (leaf, offset, lengths, deleted, L's posting list or None)
    try:
        for leaf, offset in leaves:
            lengths = leaf._perdoc._readers.get(lenfield)
            if not isinstance(lengths, (bytes, bytearray)):
                return None
            has_big = (fieldname, btexts[big]) in leaf
            pl = cache.get(leaf, fieldname, btexts[big]) if has_big else None
            per_leaf.append((leaf, offset, lengths, _deleted(leaf), pl))
    except (AttributeError, TypeError, NotHere):
        return None

    # the other words, in full: each word's scores (for the exact sums) and their sum
    scores: list[dict[int, float]] = [{} for _ in btexts]  # (L's stays empty)
    acc: dict[int, float] = {}
    for j, bt in enumerate(btexts):
        if j == big:
            continue
        mine: dict[int, float] = {}
        idf = idfs[j]
        for leaf, offset, lengths, deleted, _ in per_leaf:
            if (fieldname, bt) not in leaf:
                continue
            try:
                stream = _blocks(cache, leaf, fieldname, bt)
            except (AttributeError, TypeError):
                return None
            for ids, weights in stream:
                mine.update(_scores(_live(ids, weights, deleted), offset, idf, k1p1, norm, lengths))
                check()
        scores[j] = mine
        _add_into(acc, dict(mine))

    def summed(d: int, s_big: float) -> float:  # in texts order, as the exact path adds
        total: float | None = None
        for j, mine in enumerate(scores):
            v = s_big if j == big else mine.get(d)
            if v is not None:
                total = v if total is None else total + v
        return s_big if total is None else total

    heap: list[tuple[float, int]] = []  # (score, -docnum) of exact final scores
    # S's documents by the block of L that could hold them
    idf_big = idfs[big]
    blocks: list[tuple[float, int, int]] = []  # (bound, leaf index, block)
    in_block: list[dict[int, list[int]]] = []
    all_s = sorted(acc)  # S's documents once, cut by leaf below (not one pass a leaf)
    for li, (leaf, offset, lengths, _, pl) in enumerate(per_leaf):
        n = leaf.doc_count_all()
        lo, hi = bisect_left(all_s, offset), bisect_left(all_s, offset + n)
        mine_s = [d - offset for d in all_s[lo:hi]]
        groups: dict[int, list[int]] = {}
        if pl is None:
            for d in mine_s:  # no L here: their sums are final
                _push(heap, [(acc[d + offset], -(d + offset))], limit)
            in_block.append(groups)
            continue
        maxids = pl.maxids
        for d in mine_s:
            b = bisect_left(maxids, d)
            if b == len(maxids):
                _push(heap, [(acc[d + offset], -(d + offset))], limit)
            else:
                groups.setdefault(b, []).append(d)
        in_block.append(groups)
        for b in range(len(maxids)):
            # the most a document of this block can score: L alone (its largest term
            # frequency and shortest length), or an S document's sum plus L's most
            # at that document's own length
            mw = pl.maxws[b]
            c = mw * k1p1
            bound = idf_big * c / (mw + norm[pl.minls[b]])
            g = groups.get(b)
            if g:
                bound = max(
                    bound, max(acc[d + offset] + idf_big * c / (mw + norm[lengths[d]]) for d in g)
                )
            blocks.append((bound * _MARGIN, li, b))
    theta = 0.0
    if len(acc) >= limit:
        theta = heapq.nlargest(limit, acc.values())[-1]  # a floor under the limit-th best
    if len(heap) >= limit:
        theta = max(theta, heap[0][0])
    blocks.sort(reverse=True)
    decoded: dict[tuple[int, int], set[int]] = {}  # the ids of each block decoded
    for k, (bound, li, b) in enumerate(blocks):
        if bound < theta:
            break
        leaf, offset, lengths, deleted, pl = per_leaf[li]
        assert pl is not None  # (only leaves holding L have blocks)
        ids, weights, _ = pl.block_once(b)
        here = decoded[li, b] = set(ids)
        pairs = _live(ids, weights, deleted)
        floor = theta / _MARGIN  # what cannot reach theta is not looked at again
        got = acc.get
        found = [
            (summed(g, sb) if g in acc else sb, -g)
            for g, sb in (
                (i + offset, idf_big * (w * k1p1) / (w + norm[lengths[i]])) for i, w in pairs
            )
            if sb + got(g, 0.0) >= floor
        ]
        g_s = in_block[li].get(b)
        if g_s:
            found.extend(
                (acc[d + offset], -(d + offset))
                for d in g_s
                if d not in here and acc[d + offset] >= floor
            )
        _push(heap, found, limit)
        if len(heap) >= limit and heap[0][0] > theta:
            theta = heap[0][0]
        if k & 63 == 0:
            check()

    # how many: |S| + |L| - |S and L|
    n_big, both, exact = 0, 0.0, True
    for li, (_, _, _, deleted, pl) in enumerate(per_leaf):
        if pl is None:
            continue
        counts = [sp[3] for sp in pl.spans]
        n_big += sum(counts)
        maxids = pl.maxids
        gone: dict[int, list[int]] = {}  # deleted documents by the block that may hold them
        for d in deleted:
            gone.setdefault(bisect_left(maxids, d), []).append(d)
        for b, g in gone.items():
            if b < len(maxids):
                ids_b = decoded.get((li, b)) or set(pl.block_once(b)[0])
                n_big -= sum(1 for d in g if d in ids_b)
        for b, g in in_block[li].items():
            if (li, b) in decoded:
                ids_b = decoded[li, b]
                both += sum(1 for d in g if d in ids_b)
            else:
                exact = False
                span = maxids[b] - (maxids[b - 1] if b else -1)
                both += len(g) * min(1.0, counts[b] / max(1, span))
    cache.trim()
    total = len(acc) + n_big - round(both)
    top = sorted(heap, reverse=True)
    return [TermHit(searcher, -d, sc) for sc, d in top], total, exact

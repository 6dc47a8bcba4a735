"""Top N of a quoted phrase, matched from posting blocks read as arrays.

Whoosh matches a phrase with a span matcher over an intersection of term matchers: for
every document of the rarer words it calls ``skip_to`` on the common word's matcher,
which walks that word's postings one Python call at a time (``"like lines like"``, with
``like`` in 200,144 of 223,930 passages: ~0.5 s). This module reads each word's posting
blocks as arrays instead: the rarest word's in full, then every other word's only in the
blocks that can hold one of the documents left (a block whose last id is below the next
candidate is skipped without being decompressed), so the candidates shrink word by word;
positions are decoded only for the documents that hold every word, and a document
matches when the words sit at consecutive positions (what Whoosh's ``Phrase`` with the
default slop matches). Its score is Whoosh's: the sum of every phrase word's BM25F score
(a repeated word counted each time), times the phrase's boost. Every match is visited,
so the total is exact.

Uses Whoosh's posting-block internals (as topterm.py does); when they are not there,
``top_of_phrase`` returns None and the ordinary search runs.
"""

from __future__ import annotations

import heapq
import io
import pickle
import struct
import zlib
from collections import OrderedDict
from collections.abc import Callable
from itertools import accumulate
from typing import Any

from whoosh import scoring
from whoosh.util.numlists import delta_decode

from .common_column import NotHere, _Column
from .schema import COMMON_IDS
from .topterm import _LENGTH, TermHit, _deleted

Block = tuple[Any, Any, Any]  # a posting block's ids, weights and encoded positions
CACHE_BYTES = 32_000_000  # posting lists kept per searcher, about
_INT = struct.Struct("!i")


class _List:
    """One word's posting list in one segment, read with one ``pread``: its blocks'
    headers parsed at once, each block's ids, weights and positions decoded when first
    needed. (Whoosh's own matcher reads every block header with a dozen small reads,
    ~35 us a block: most of a phrase of common words once the blocks are decoded.)"""

    __slots__ = ("buf", "maxids", "maxws", "minls", "spans", "decoded", "size", "every")

    def __init__(self, leaf: Any, fieldname: str, btext: bytes) -> None:
        m = leaf.postings(fieldname, btext)
        if type(m).__name__ == "FilterMatcher":  # hides deleted documents: so do we
            m = m.child
        if not all(hasattr(m, a) for a in ("_postfile", "_baseoffset", "_startoffset", "_length")):
            raise NotHere
        if getattr(m, "_byteids", False) or getattr(m, "_fixedsize", None) is not None:
            raise NotHere  # not a positional field's posting list
        start, length = m._baseoffset, m._length
        if isinstance(length, tuple):  # (Whoosh's term info unpacks it as a 1-tuple)
            length = length[0]
        buf = m._postfile.get(start, m._startoffset + int(length) - start)
        self.buf = buf
        self.maxids: list[int] = []
        self.spans: list[tuple[int, int, int, int]] = []  # data start, end, compression, count
        self.maxws: list[float] = []  # each block's largest weight (term frequency)...
        self.minls: list[int] = []  # ...and its shortest document's length byte
        bio = io.BytesIO(buf)
        pos, n = 0, len(buf)
        while pos < n:
            (length,) = _INT.unpack_from(buf, pos)
            end = pos + 4 + abs(length)
            bio.seek(pos + 4)
            count, maxid, maxw, comp, minl, _ = pickle.load(bio)
            self.maxids.append(maxid)
            self.maxws.append(maxw)
            self.minls.append(minl)
            self.spans.append((bio.tell(), end, comp, count))
            pos = end
            if length < 0:  # the last block
                break
        self.decoded: list[Block | None] = [None] * len(self.spans)
        self.size = len(buf)
        self.every: dict[int, tuple[float, bytes]] | None = None

    def postings(self, check: Callable[[], None]) -> dict[int, tuple[float, bytes]]:
        """docnum -> (weight, encoded positions) of every posting (kept once made)."""
        if self.every is None:
            out: dict[int, tuple[float, bytes]] = {}
            for k in range(len(self.spans)):
                ids, ws, vs = self.block(k)
                out.update(zip(ids, zip(ws, vs, strict=False), strict=False))
                if k & 63 == 0:
                    check()
            self.every = out
            self.size += len(out) * 120
        return self.every

    def block_once(self, k: int) -> Block:
        """Block ``k``, decoded now if it is not kept already (and not kept)."""
        got = self.decoded[k]
        return got if got is not None else self._decode(k)

    def block(self, k: int) -> Block:
        got = self.decoded[k]
        if got is None:
            got = self.decoded[k] = self._decode(k)
            self.size += self.spans[k][3] * 150  # (about: the decoded ints, floats, bytes)
        return got

    def _decode(self, k: int) -> Block:
        a, b, comp, count = self.spans[k]
        data = self.buf[a:b]
        ids, weights, values = pickle.loads(zlib.decompress(data) if comp else data)
        ids = tuple(delta_decode(ids))
        if weights is None:
            weights = [1.0] * count
        elif isinstance(weights, float):
            weights = [weights] * count
        return ids, weights, values


_COLUMN_KEY = b"\0column"  # (no word is this)


class Blocks:
    """The posting lists phrases read, per searcher, the most recently used kept up to
    about ``CACHE_BYTES``: decompressing and unpickling a block (~100 us for 128
    postings) is most of a phrase's cost, and phrases keep reading the same common
    words (their dropped-letter variants, the next query)."""

    def __init__(self) -> None:
        self._lists: OrderedDict[tuple[int, str, bytes], _List | _Column] = OrderedDict()

    def get(self, leaf: Any, fieldname: str, btext: bytes) -> _List:
        key = (id(leaf), fieldname, btext)
        got = self._lists.get(key)
        if got is not None:
            self._lists.move_to_end(key)
        else:
            got = self._lists[key] = _List(leaf, fieldname, btext)
        assert isinstance(got, _List)
        return got

    def column(self, leaf: Any, fieldname: str) -> _Column:
        """The segment's column of common-word positions (schema.common_column)."""
        key = (id(leaf), fieldname, _COLUMN_KEY)
        got = self._lists.get(key)
        if got is None:
            got = self._lists[key] = _Column(leaf, fieldname)
        else:
            self._lists.move_to_end(key)
        assert isinstance(got, _Column)
        return got

    def peek(self, leaf: Any, fieldname: str, btext: bytes) -> _List | None:
        """The list if it is cached, else None (nothing read)."""
        got = self._lists.get((id(leaf), fieldname, btext))
        return got if isinstance(got, _List) else None

    def trim(self) -> None:
        """After a query: forget the least recently used lists past the budget."""
        total = sum(pl.size for pl in self._lists.values())
        while total > CACHE_BYTES and len(self._lists) > 1:
            _, old = self._lists.popitem(last=False)
            total -= old.size


def blocks_of(searcher: Any) -> Blocks:
    """The searcher's posting-list cache (a new searcher, after a commit, starts empty;
    its segments' readers live as long as it does, so their ids stay unique)."""
    cache = getattr(searcher, "_reader_phrase_blocks", None)
    if not isinstance(cache, Blocks):
        cache = Blocks()
        searcher._reader_phrase_blocks = cache
    return cache


def _all_postings(
    leaf: Any, fieldname: str, btext: bytes, cache: Blocks, check: Callable[[], None]
) -> dict[int, tuple[float, bytes]]:
    """docnum -> (weight, encoded positions) of every posting of one word."""
    return cache.get(leaf, fieldname, btext).postings(check)


def _postings_of(
    leaf: Any,
    fieldname: str,
    btext: bytes,
    wanted: list[int],
    cache: Blocks,
    check: Callable[[], None],
) -> dict[int, tuple[float, bytes]]:
    """docnum -> (weight, encoded positions) of one word's postings in the documents
    ``wanted`` (sorted), decoding only the blocks that can hold one of them."""
    pl = cache.get(leaf, fieldname, btext)
    if pl.every is not None or len(wanted) * 4 > len(pl.maxids) * 128:
        every = pl.postings(check)  # most blocks hold a candidate: read (or reuse) them all
        return {d: every[d] for d in wanted if d in every}
    out: dict[int, tuple[float, bytes]] = {}
    want = set(wanted)
    i, n = 0, len(wanted)
    maxids = pl.maxids
    for k in range(len(maxids)):
        if i >= n:
            break
        if maxids[k] < wanted[i]:
            continue
        ids, ws, vs = pl.block(k)
        for j, d in enumerate(ids):
            if d in want:
                out[d] = (ws[j], vs[j])
        last = maxids[k]
        while i < n and wanted[i] <= last:
            i += 1
        if k & 63 == 0:
            check()
    return out


_K = 75  # pickle BININT1: one position delta under 256 (passages are ~40-80 words)
_HEAD = b"\x80\x02]q\x00"  # pickle protocol 2: an empty list, memoised


def _positions_decoder(slow: Callable[[bytes], list[int]]) -> Callable[[bytes], list[int]]:
    """Whoosh's ``Positions`` value (a 4-byte count, then the pickled list of deltas)
    decoded without unpickling when every delta is one byte (nearly always here);
    anything else goes to Whoosh's own decoder."""

    def decode(v: bytes) -> list[int]:
        if v[-1:] == b".":
            v = v[:-1]
        if v[4:9] == _HEAD and v[:3] == b"\0\0\0":
            n = v[3]
            if n == 1 and len(v) == 12 and v[9] == _K:
                return [v[10]]
            if v[9] == 40 and len(v) == 11 + 2 * n and v[10:-1:2] == _KS[n]:
                return list(accumulate(v[11:-1:2]))
        return slow(v)

    return decode


_KS = [bytes([_K]) * n for n in range(256)]


def top_of_phrase(
    searcher: Any,
    fieldname: str,
    alternatives: list[tuple[list[str], float]],
    limit: int,
    check: Callable[[], None],
    filt: Any = None,
) -> tuple[list[TermHit], set[int]] | None:
    """(top ``limit`` hits of any of the phrases ``alternatives`` ((stems in order,
    boost) each; a document's score is the sum of its phrases' scores, as Whoosh's Or
    adds them) by Whoosh's phrase score, the docnums of every match), or None when this
    searcher is not one this fast path knows. ``filt``: a query the matches must also
    match (episode:, kind:; it adds nothing to the score). ``check()`` is called
    between blocks (it raises to stop)."""
    weighting = searcher.weighting
    if type(weighting) is not scoring.BM25F or not alternatives:
        return None
    if any(not 2 <= len(words) < 64 for words, _ in alternatives):
        return None
    slow = getattr(searcher.schema[fieldname].format, "decode_positions", None)
    if slow is None:
        return None
    decode = _positions_decoder(slow)
    B = (
        weighting._field_B.get(fieldname, weighting.B)
        if hasattr(weighting, "_field_B")
        else weighting.B
    )
    K1 = weighting.K1
    avgfl = searcher.avg_field_length(fieldname) or 1
    norm = [K1 * ((1 - B) + B * _LENGTH[i] / avgfl) for i in range(256)]
    scores: dict[int, float] = {}
    cache = blocks_of(searcher)
    try:
        leaves = list(searcher.reader().leaf_readers())
        for words, boost in alternatives:
            btexts = [w.encode("utf-8") for w in words]
            idf = {b: searcher.idf(fieldname, b) for b in btexts}
            for leaf, offset in leaves:
                for d, sc in _leaf_matches(
                    leaf, fieldname, btexts, idf, norm, K1, decode, cache, check
                ):
                    doc = d + offset
                    scores[doc] = scores.get(doc, 0.0) + sc * boost
        matched = sorted(scores.items())
        if filt is not None and matched:
            matched = _filtered(searcher, filt, matched)
    except (
        NotHere,
        AttributeError,
        TypeError,
        KeyError,
        ValueError,
        EOFError,
        zlib.error,
        pickle.UnpicklingError,
        struct.error,
    ):
        return None
    finally:
        cache.trim()
    top = heapq.nlargest(limit, ((sc, -d) for d, sc in matched))
    return [TermHit(searcher, -d, sc) for sc, d in top], {d for d, _ in matched}


COLUMN_COST = 2.0  # us to check a word in one candidate's column (schema.common_column)
CHECK_COST = 1.5  # us to check a word's decoded positions in one candidate
BLOCK_COST = 100.0  # us to decode one posting block (zlib, pickle: 128 postings)


def _leaf_matches(
    leaf: Any,
    fieldname: str,
    btexts: list[bytes],
    idf: dict[bytes, float],
    norm: list[float],
    K1: float,
    decode: Callable[[bytes], list[int]],
    cache: Blocks,
    check: Callable[[], None],
) -> list[tuple[int, float]]:
    """(segment docnum, unboosted score) of one segment's documents holding the phrase.

    The rarest word's postings give the candidates; every other word then narrows them,
    the cheaper first: a common word (schema.COMMON_WORDS) by its positions in each
    candidate's column, any word by its posting blocks that can hold a candidate. Each
    word keeps only the (document, start) pairs its positions agree with, so the
    candidates shrink word by word and positions are read only for candidates."""
    distinct = list(dict.fromkeys(btexts))
    if any((fieldname, b) not in leaf for b in distinct):
        return []
    lengths = leaf._perdoc._readers.get(f"_{fieldname}_len")
    if not isinstance(lengths, (bytes, bytearray)):
        raise NotHere
    dfs = {b: leaf.doc_frequency(fieldname, b) for b in distinct}
    order = sorted(distinct, key=lambda b: dfs[b])
    anchor = order[0]
    first = _all_postings(leaf, fieldname, anchor, cache, check)
    deleted = _deleted(leaf)
    cands = sorted(d for d in first if d not in deleted) if deleted else sorted(first)
    col: _Column | None = None
    if any(b in COMMON_IDS for b in order[1:]):
        try:
            col = cache.column(leaf, fieldname)
        except NotHere:
            col = None
    weights: dict[bytes, dict[int, float]] = {}
    # where the phrase may start in each candidate: word i at position p says p - i;
    # each word keeps the starts its own positions agree with
    starts: dict[int, list[int]] | None = None

    def anchor_starts(docs: Any) -> dict[int, list[int]]:
        places = [i for i, x in enumerate(btexts) if x == anchor]
        i0, more = places[0], places[1:]
        out: dict[int, list[int]] = {}
        for d in docs:
            ps = decode(first[d][1])
            if not more:
                out[d] = [p - i0 for p in ps]
                continue
            have = set(ps)
            st = [p - i0 for p in ps if all(p - i0 + j in have for j in more)]
            if st:
                out[d] = st
        return out

    def narrow(b: bytes, lookup: Callable[[int], tuple[float, Any] | None]) -> list[int]:
        """Keep the starts where ``b`` is at each of its places in the phrase;
        ``lookup(d)``: (weight, positions) of ``b`` in document ``d``, or None."""
        nonlocal starts
        places = [i for i, x in enumerate(btexts) if x == b]
        keep: dict[int, list[int]] = {}
        ws: dict[int, float] = {}
        if starts is None:  # the first word after the anchor: only where it is too
            found = {d: e for d in cands if (e := lookup(d)) is not None}
            todo: Any = anchor_starts(found).items()
            lookup = found.get
        else:
            todo = starts.items()
        for d, st in todo:
            e = lookup(d)
            if e is None:
                continue
            ps = e[1]
            for i in places:
                try:
                    st = [s for s in st if s + i in ps]
                except ValueError:  # (one-byte positions: a number past them is not there)
                    st = [s for s in st if 0 <= s + i < 256 and s + i in ps]
                if not st:
                    break
            if st:
                keep[d] = st
                ws[d] = e[0]
        starts = keep
        weights[b] = ws
        return list(keep)

    def costs(b: bytes) -> tuple[float, bool]:
        """(what narrowing by ``b`` costs, about, in us; whether by the column)"""
        n = len(cands)
        by_blocks = min(n, dfs[b] // 128 + 1) * BLOCK_COST + n * CHECK_COST
        by_column = n * COLUMN_COST if col is not None and b in COMMON_IDS else None
        if by_column is not None and by_column <= by_blocks:
            return by_column, True
        return by_blocks, False

    rest = order[1:]
    while rest and cands:
        b = min(rest, key=lambda x: costs(x)[0])  # the cheapest next
        rest.remove(b)
        if costs(b)[1]:
            assert col is not None
            wid, where = COMMON_IDS[b], col.positions

            def in_column(d: int, where: Any = where, wid: int = wid) -> tuple[float, Any] | None:
                ps = where(d, wid)
                return None if ps is None else (float(len(ps)), ps)

            cands = narrow(b, in_column)
        else:
            found = _postings_of(leaf, fieldname, b, cands, cache, check)

            def in_postings(d: int, found: Any = found) -> tuple[float, Any] | None:
                e = found.get(d)
                return None if e is None else (e[0], decode(e[1]))

            cands = narrow(b, in_postings)
        check()
    if starts is None:  # one word (repeated): its own positions
        starts = anchor_starts(cands)
        cands = list(starts)
    cands.sort()
    weights[anchor] = {d: first[d][0] for d in cands}
    k1p1 = K1 + 1
    out: list[tuple[int, float]] = []
    for d in cands:
        nl = norm[lengths[d]]
        score = 0.0
        for b in btexts:
            w = weights[b][d]
            score += idf[b] * (w * k1p1) / (w + nl)
        out.append((d, score))
    return out


def _filtered(
    searcher: Any, filt: Any, matched: list[tuple[int, float]]
) -> list[tuple[int, float]]:
    """The matches (in docnum order) that ``filt`` also matches: its matcher skipped
    to each in turn."""
    m = filt.matcher(searcher)
    out = []
    for d, sc in matched:
        if not m.is_active():
            break
        if m.id() < d:
            m.skip_to(d)
            if not m.is_active():
                break
        if m.id() == d:
            out.append((d, sc))
    return out

"""The ``text`` field's column of common-word positions (``schema.common_column``), as a
phrase reads it: one segment's column at once, a word's positions in one document."""

from __future__ import annotations

from typing import Any

from .schema import _WIDE


class NotHere(Exception):
    """Not a searcher or segment this fast path knows."""


class _Column:
    """One segment's column of the phrase field: each document's positions of the
    schema's ``COMMON_WORDS`` (``schema.common_column``), read at once."""

    __slots__ = ("data", "offsets", "lengths", "size")

    def __init__(self, leaf: Any, fieldname: str) -> None:
        if not leaf.has_column(fieldname):
            raise NotHere
        cr = leaf.column_reader(fieldname, translate=False)
        if not all(hasattr(cr, a) for a in ("_offsets", "_lengths", "_dbfile", "_basepos")):
            raise NotHere
        self.offsets, self.lengths = cr._offsets, cr._lengths
        n = len(self.lengths)
        total = self.offsets[n - 1] + self.lengths[n - 1] if n else 0
        self.data: bytes = bytes(cr._dbfile.get(cr._basepos, total)) if total else b""
        self.size = len(self.data) + 16 * n

    def positions(self, d: int, wid: int) -> bytes | list[int] | None:
        """Document d's positions of the common word ``wid``, or None (not there)."""
        n = self.lengths[d]
        if not n:
            return None
        data = self.data
        o = self.offsets[d]
        if data[o]:
            return _wide_positions(data[o + 1 : o + n], wid, data[o])
        k = data[o + 1]
        base = o + 2
        j = data.find(wid, base, base + k)
        if j < 0:
            return None
        j -= base
        counts = base + k
        start = counts + k + sum(data[counts : counts + j])
        return data[start : start + data[counts + j]]


def _wide_positions(v: bytes, wid: int, form: int) -> list[int] | None:
    if form != _WIDE:
        raise NotHere  # (a position past 65,535: not recorded; the postings are read)
    nums = [int.from_bytes(v[j : j + 2], "big") for j in range(0, len(v), 2)]
    k = nums[0]
    if wid not in nums[1 : 1 + k]:
        return None
    j = nums.index(wid, 1, 1 + k) - 1
    start = 1 + 2 * k + sum(nums[1 + k : 1 + k + j])
    return nums[start : start + nums[1 + k + j]]

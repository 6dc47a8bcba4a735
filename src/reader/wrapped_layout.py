"""The wrapped layout of a :class:`~reader.readable.Readable`: its paragraphs word-wrapped
to a width in terminal cells, a blank row between two paragraphs.

Rows are spans of ``Readable.text`` (``row_start``/``row_end`` arrays), so every lookup
(offset -> row, unit -> row, row -> unit, a unit range -> the columns it covers in a row)
is a bisect. A :class:`Row` is the view of one row for callers that want the pieces.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, overload

from rich.cells import cell_len

if TYPE_CHECKING:
    from .readable import Readable


@dataclass(frozen=True, slots=True)
class Row:
    """One wrapped row. ``spans`` are ``(unit, start_col, end_col)`` within ``text``."""

    index: int
    paragraph: int
    text: str
    unit: int  # unit at the row's first character
    start: int  # offset of the row in Readable.text
    end: int
    spans: tuple[tuple[int, int, int], ...]
    blank: bool = False  # the empty row between two paragraphs

    @property
    def units(self) -> tuple[int, ...]:
        return tuple(u for u, _, _ in self.spans)


_WRAP_CACHE: dict[int, re.Pattern[str]] = {}


def wrap_pattern(width: int) -> re.Pattern[str]:
    """Word wrap at ``width`` one-cell characters: each match is one row (words whole,
    a word longer than the row cut)."""
    return _wrap_pattern(width)


def _wrap_pattern(width: int) -> re.Pattern[str]:
    pat = _WRAP_CACHE.get(width)
    if pat is None:
        # Greedy: the longest run starting at a word that ends before a space (or the
        # end), at most ``width`` chars; else a hard cut of a word longer than the width.
        if width == 1:
            pat = re.compile(r"\S")
        else:
            pat = re.compile(rf"\S.{{0,{width - 1}}}(?=\s|$)|\S{{1,{width}}}")
        _WRAP_CACHE[width] = pat
    return pat


def _wrap_cells(text: str, width: int) -> Iterator[tuple[int, int]]:
    """Word wrap by terminal cells (the slow path, for text with wide characters)."""
    n = len(text)
    i = 0
    while i < n:
        while i < n and text[i] == " ":
            i += 1
        if i >= n:
            return
        start = i
        used = 0
        last_break = -1  # end of the last whole word that fits
        j = i
        while j < n:
            w = cell_len(text[j])
            if used + w > width:
                break
            used += w
            j += 1
            if j == n or text[j] == " ":
                last_break = j
        if j >= n:
            yield start, n
            return
        if last_break > start:
            yield start, last_break
            i = last_break
        else:  # one word wider than the row: cut it
            j = max(j, start + 1)
            yield start, j
            i = j


class Layout(Sequence[Row]):
    """The rows of a :class:`Readable` at one width; a blank row between paragraphs."""

    def __init__(self, doc: Readable, width: int) -> None:
        self.doc = doc
        self.width = width
        text = doc.text
        starts = array("l")
        ends = array("l")
        paras = array("l")
        blank_rows: list[int] = []
        finditer = _wrap_pattern(width).finditer
        add_s, add_e, add_p = starts.append, ends.append, paras.append
        for p, (a, b) in enumerate(zip(doc.para_start, doc.para_end, strict=True)):
            if p:
                blank_rows.append(len(starts))
                add_s(a - 1)
                add_e(a - 1)
                add_p(p - 1)
            para = text[a:b]
            if para.isascii() or cell_len(para) == len(para) and not _has_zero_width(para):
                for m in finditer(para):
                    s, e = m.span()
                    add_s(a + s)
                    add_e(a + e)
                    add_p(p)
            else:
                for s, e in _wrap_cells(para, width):
                    add_s(a + s)
                    add_e(a + e)
                    add_p(p)
        self.row_start = starts
        self.row_end = ends
        self.row_para = paras
        self.blank_rows = blank_rows

    # Sequence protocol -----------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.row_start)

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...
    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        start, end = self.row_start[index], self.row_end[index]
        blank = self.is_blank(index)
        spans = () if blank else tuple(self.unit_spans(index))
        return Row(
            index=index,
            paragraph=self.row_para[index],
            text=self.doc.text[start:end],
            unit=self.unit_of_row(index),
            start=start,
            end=end,
            spans=spans,
            blank=blank,
        )

    # Lookups ---------------------------------------------------------------------------

    def is_blank(self, row: int) -> bool:
        return self.row_start[row] == self.row_end[row]

    def row_text(self, row: int) -> str:
        return self.doc.text[self.row_start[row] : self.row_end[row]]

    def row_of_offset(self, offset: int) -> int:
        """The row showing ``offset`` (a space lost at a wrap belongs to the row before)."""
        if not len(self.row_start):
            return 0
        return max(0, bisect_right(self.row_start, offset) - 1)

    def row_of_unit(self, unit: int) -> int:
        """First row of a unit."""
        return self.row_of_offset(self.doc.unit_offsets(unit)[0])

    def last_row_of_unit(self, unit: int) -> int:
        start, end = self.doc.unit_offsets(unit)
        return self.row_of_offset(max(start, end - 1))

    def unit_of_row(self, row: int) -> int:
        """Unit at the row's first character (for a blank row: the paragraph's last unit)."""
        if not len(self.row_start):
            return 0
        row = max(0, min(row, len(self.row_start) - 1))
        start = self.row_start[row]
        if self.is_blank(row):
            start -= 1
        return self.doc.unit_at_offset(start)

    def paragraph_first_row(self, row: int) -> bool:
        return row == 0 or self.is_blank(row - 1)

    def unit_spans(self, row: int) -> list[tuple[int, int, int]]:
        """``(unit, start_col, end_col)`` of each unit piece shown in the row."""
        doc = self.doc
        start, end = self.row_start[row], self.row_end[row]
        if start == end:
            return []
        ps, pe, pu = doc.piece_start, doc.piece_end, doc.piece_unit
        i = max(0, bisect_right(ps, start) - 1)
        out: list[tuple[int, int, int]] = []
        while i < len(ps) and ps[i] < end:
            a, b = max(ps[i], start), min(pe[i], end)
            if a < b:
                if out and out[-1][0] == pu[i]:  # one unit continuing after a label
                    out[-1] = (pu[i], out[-1][1], b - start)
                else:
                    out.append((pu[i], a - start, b - start))
            i += 1
        return out

    def range_columns(self, row: int, unit_start: int, unit_end: int) -> tuple[int, int] | None:
        """Columns of the row covered by units ``unit_start..unit_end`` (inclusive)."""
        doc = self.doc
        if unit_start >= doc.unit_count or unit_end < 0:
            return None
        a = doc.unit_offsets(unit_start)[0]
        b = doc.unit_offsets(unit_end)[1]
        start, end = self.row_start[row], self.row_end[row]
        lo, hi = max(a, start), min(b, end)
        if lo >= hi:
            return None
        return lo - start, hi - start

    def rows_of_range(self, unit_start: int, unit_end: int) -> tuple[int, int]:
        """First and last row of a unit range (inclusive)."""
        return self.row_of_unit(unit_start), self.last_row_of_unit(unit_end)

    def next_text_row(self, row: int, step: int) -> int:
        """The nearest non-blank row from ``row`` in direction ``step`` (clamped)."""
        n = len(self)
        if not n:
            return 0
        row = max(0, min(row, n - 1))
        r = row
        while 0 <= r < n and self.is_blank(r):
            r += step
        if not 0 <= r < n:
            r = row
            while 0 <= r < n and self.is_blank(r):
                r -= step
        return max(0, min(r, n - 1))


_ZERO_WIDTH = re.compile(r"[\u0300-\u036f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufe00-\ufe0f]")


def _has_zero_width(text: str) -> bool:
    return _ZERO_WIDTH.search(text) is not None


__all__ = ["Layout", "Row", "wrap_pattern"]

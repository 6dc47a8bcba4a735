"""Readable text from transcript units: caption lines joined into sentences and
paragraphs, word-wrapped to a width, with every character mapped back to its unit.

No Textual here. The transcript widget asks a :class:`Readable` for a :class:`Layout`
(one per width) and renders rows from it.

Offsets: all paragraphs live in one string, ``Readable.text``, joined by ``"\\n"``. A unit
is split into *pieces* where a paragraph break falls inside it (one piece otherwise); a
piece is a span of ``text``. Rows of a layout are spans of ``text`` as well, so every
lookup (unit -> row, row -> unit, unit range -> columns in a row) is a bisect.
"""

from __future__ import annotations

import re
from array import array
from itertools import accumulate
from operator import add
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterator, Sequence, overload

from rich.cells import cell_len

from .model import TranscriptUnit
from .text import strip_controls

PAUSE_BREAK_S = 2.0  # a silence longer than this starts a paragraph (timed transcripts)
MIN_WORDS = 70  # break after a sentence end once a paragraph has this many words
MAX_WORDS = 120  # text without sentence punctuation (raw captions): break at a word here
LONG_WORDS = 250  # a sentence running past this may break at a clause boundary
# A paragraph never breaks mid-sentence before LONG_WORDS; past it only at a clause
# boundary (after , ; : or a dash, or before "Yeah", "Um", "So"…); past twice that (a
# run-on with no clause boundary at all) at a word.

# A sentence ends at . ! ? or … (possibly followed by closing quotes/brackets) then a space.
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?= |$)")
# A clause boundary: the end of "," ";" ":" or a dash before a space, or the space before
# a spoken discourse marker.
_CLAUSE = re.compile(
    r"[,;:\u2013\u2014](?= )|(?<= )(?=(?:Yeah|Yes|Um|Uh|So|And so|But|Okay|OK|Well|Anyway|Right)\b)"
)
_MARKER_START = re.compile(r"(?:Yeah|Yes|Um|Uh|So|And so|But|Okay|OK|Well|Anyway|Right)\b")
# A change of speaker in captions: a cue starting with "- " or ">>" (also after a sentence
# end inside a cue: "Many knobs. - Many knobs."). The mark starts a new paragraph and is
# shown as TURN_MARK, styled like a speaker label.
_TURN_AT_START = re.compile(r"(?:-|>>+)\s*(?=\S)")
_TURN_INSIDE = re.compile(r"(?<=[.!?\u2026\"'\u201d\u2019)\]]) - (?=\S)| >>+ ?(?=\S)")
TURN_MARK = "\u2013"  # an en dash


def _turns(text: str) -> list[tuple[bool, str]]:
    """``text`` cut at speaker-change marks: ``(starts_a_turn, text)`` pieces, marks removed."""
    if "-" not in text and ">>" not in text:
        return [(False, text)]
    out: list[tuple[bool, str]] = []
    pos, turn = 0, False
    m = _TURN_AT_START.match(text)
    if m is not None and (text[:1] == ">" or text[1:2] == " "):
        pos, turn = m.end(), True
    for m in _TURN_INSIDE.finditer(text, pos):
        out.append((turn, text[pos : m.start()]))
        pos, turn = m.end(), True
    out.append((turn, text[pos:]))
    return [(t, piece) for t, piece in out if piece or t]


def _punctuated(units: Sequence[TranscriptUnit]) -> bool:
    """Does the text have sentence punctuation (at least one sentence end per 100 words
    in its first thousand units)? Raw captions often have none."""
    words = ends = 0
    for line in units[:1000]:
        words += line.text.count(" ") + 1
        ends += len(_SENTENCE_END.findall(line.text))
    return ends * 100 >= words


def clean_unit_text(text: str) -> str:
    """No escape sequences or control characters; runs of whitespace (tabs and newlines
    included) become one space."""
    if not text.isprintable():
        text = strip_controls(text)
    return " ".join(text.split())


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


class Readable:
    """Paragraphs built once from transcript units; :meth:`layout` wraps them to a width."""

    def __init__(
        self,
        units: Sequence[TranscriptUnit],
        *,
        timed: bool | None = None,
        pause_s: float = PAUSE_BREAK_S,
        min_words: int = MIN_WORDS,
        max_words: int = MAX_WORDS,
        long_words: int = LONG_WORDS,
        show_speakers: bool = True,
    ) -> None:
        self.unit_count = len(units)
        if timed is None:
            timed = any(u.start is not None for u in units[:50])
        punctuated = _punctuated(units)
        # soft: where a paragraph may break without a sentence end; hard: where it must
        soft = long_words if punctuated else max_words
        hard = long_words * 2 if punctuated else max_words
        clause = _CLAUSE.search
        pieces: list[str] = []  # text pieces; one per unit unless a paragraph breaks inside
        piece_unit: list[int] = []
        para_first: list[int] = []  # index of each paragraph's first piece
        label_pieces: list[int] = []  # pieces that are speaker labels
        words = 0  # words in the open paragraph
        last_speaker: str | None = None
        prev_end: float | None = None
        sentence_end = _SENTENCE_END.finditer
        add_piece, add_unit = pieces.append, piece_unit.append

        def close() -> None:
            # the next piece starts a paragraph
            nonlocal words
            words = 0
            n = len(pieces)
            if not para_first or para_first[-1] != n:
                para_first.append(n)

        para_first.append(0)
        for u, line in enumerate(units):
            text = line.text
            if not text.isprintable() or "  " in text or text[:1] == " " or text[-1:] == " ":
                text = clean_unit_text(text)
            speaker = line.speaker
            if timed and line.start is not None:
                if prev_end is not None and line.start - prev_end > pause_s:
                    close()
                prev_end = line.end if line.end is not None else line.start
            if speaker and speaker != last_speaker:
                last_speaker = speaker
                close()
                if show_speakers and text:
                    label_pieces.append(len(pieces))
                    add_piece(clean_unit_text(speaker) + ":")
                    add_unit(u)
            elif words >= hard:
                close()
            elif words >= soft and (
                not punctuated or pieces[-1][-1:] in ",;:\u2013\u2014" or _MARKER_START.match(text)
            ):
                close()  # a run-on sentence: break at a clause boundary between units
            for turn, text in _turns(text) if text else ((False, text),):
                if turn:
                    close()
                    if show_speakers:
                        label_pieces.append(len(pieces))
                        add_piece(TURN_MARK)
                        add_unit(u)
                if not text:
                    continue
                n = text.count(" ") + 1
                if words + n < min_words:
                    add_piece(text)
                    add_unit(u)
                    words += n
                    continue
                # The paragraph may end inside this unit: after a sentence end once it is long
                # enough, or by force when a unit runs on with no sentence end at all.
                pos = 0
                for m in sentence_end(text):
                    e = m.end()
                    if words + text.count(" ", pos, e) + 1 >= min_words:
                        add_piece(text[pos:e])
                        add_unit(u)
                        close()
                        pos = e + 1
                rest = text[pos:] if pos else text
                while rest:
                    n = rest.count(" ") + 1
                    if words + n <= soft:
                        add_piece(rest)
                        add_unit(u)
                        words += n
                        break
                    # past the soft limit inside this unit: a clause boundary there, if any
                    skip = -1
                    for _ in range(max(0, soft - words)):
                        skip = rest.find(" ", skip + 1)
                        if skip < 0:
                            break
                    end = nxt = -1
                    if punctuated and skip >= 0:
                        m = clause(rest, skip + 1)
                        if m is not None and m.end() < len(rest):
                            if m.start() == m.end():  # before a marker word: drop the space
                                end, nxt = m.start() - 1, m.start()
                            else:  # after the punctuation
                                end, nxt = m.end(), m.end() + 1
                            if words + rest.count(" ", 0, end) + 1 > hard:
                                end = nxt = -1
                    if end < 0:
                        if words + n <= hard:
                            add_piece(rest)
                            add_unit(u)
                            words += n
                            break
                        cut = -1
                        for _ in range(max(1, hard - words)):
                            cut = rest.find(" ", cut + 1)
                        end, nxt = cut, cut + 1
                    add_piece(rest[:end])
                    add_unit(u)
                    close()
                    rest = rest[nxt:]
        if para_first[-1] == len(pieces):
            para_first.pop()

        # Pieces are joined by one character each: " " inside a paragraph, "\n" between.
        lengths = list(map(len, pieces))
        piece_start = list(map(add, accumulate(lengths, initial=0), range(len(pieces))))
        piece_end = list(map(add, piece_start, lengths))
        bounds = para_first + [len(pieces)]
        self.text = "\n".join(
            " ".join(pieces[bounds[i] : bounds[i + 1]]) for i in range(len(para_first))
        )
        # arrays, not lists: nothing for the garbage collector to walk through
        self.piece_start = array("l", piece_start)
        self.piece_end = array("l", piece_end)
        self.piece_unit = array("l", piece_unit)
        self.para_start = [piece_start[i] for i in para_first]
        self.para_end = [piece_end[bounds[i + 1] - 1] for i in range(len(para_first))]
        self.label_start = [piece_start[i] for i in label_pieces]
        self.label_end = [piece_end[i] for i in label_pieces]
        # unit -> its first and last piece (a unit without text maps to the next piece)
        if piece_unit == list(range(self.unit_count)):
            first = last = piece_unit
        else:
            first = [-1] * self.unit_count
            last = [-1] * self.unit_count
            for i, u in enumerate(piece_unit):
                if first[u] < 0:
                    first[u] = i
                last[u] = i
            nxt = len(piece_unit) - 1
            for u in range(self.unit_count - 1, -1, -1):
                if first[u] < 0:
                    first[u] = last[u] = max(nxt, 0)
                else:
                    nxt = first[u]
        self.unit_first_piece = array("l", first)
        self.unit_last_piece = array("l", last)
        self._layouts: dict[int, Layout] = {}

    # --- lookups on offsets -----------------------------------------------------------

    @property
    def paragraph_count(self) -> int:
        return len(self.para_start)

    def paragraphs(self) -> list[str]:
        return [self.text[a:b] for a, b in zip(self.para_start, self.para_end)]

    def unit_offsets(self, unit: int) -> tuple[int, int]:
        """``(start, end)`` offsets in ``text`` of a unit (its pieces, labels included)."""
        if not self.piece_start:
            return (0, 0)
        unit = max(0, min(unit, self.unit_count - 1))
        return self.piece_start[self.unit_first_piece[unit]], self.piece_end[self.unit_last_piece[unit]]

    def unit_at_offset(self, offset: int) -> int:
        if not self.piece_start:
            return 0
        i = max(0, bisect_right(self.piece_start, offset) - 1)
        return self.piece_unit[i]

    def paragraph_at_offset(self, offset: int) -> int:
        return max(0, bisect_right(self.para_start, offset) - 1)

    def label_spans(self, start: int, end: int) -> list[tuple[int, int]]:
        """Speaker labels overlapping ``[start, end)``."""
        i = bisect_right(self.label_end, start)
        out = []
        while i < len(self.label_start) and self.label_start[i] < end:
            out.append((self.label_start[i], self.label_end[i]))
            i += 1
        return out

    def layout(self, width: int) -> "Layout":
        """Rows for ``width`` cells (cached per width: re-layout only on width change)."""
        width = max(1, int(width))
        lay = self._layouts.get(width)
        if lay is None:
            if len(self._layouts) > 4:
                self._layouts.clear()
            lay = self._layouts[width] = Layout(self, width)
        return lay


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
            pat = re.compile(r"\S.{0,%d}(?=\s|$)|\S{1,%d}" % (width - 1, width))
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
        for p, (a, b) in enumerate(zip(doc.para_start, doc.para_end)):
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
    def __getitem__(self, index):  # type: ignore[override]
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


__all__ = ["Readable", "Layout", "Row", "clean_unit_text"]

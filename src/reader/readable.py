"""Readable text from transcript units: caption lines joined into sentences and
paragraphs (a speaker's label, or a turn mark, starting each turn), with every character
mapped back to its unit.

No Textual here. The transcript widget asks a :class:`Readable` for a
:class:`~reader.wrapped_layout.Layout` (one per width, see :mod:`reader.wrapped_layout`)
and renders rows from it; speaker-change marks inside captions are found by
:mod:`reader.speaker_turns`.

Offsets: all paragraphs live in one string, ``Readable.text``, joined by ``"\\n"``. A unit
is split into *pieces* where a paragraph break falls inside it (one piece otherwise); a
piece is a span of ``text``. Rows of a layout are spans of ``text`` as well, so every
lookup (unit -> row, row -> unit, unit range -> columns in a row) is a bisect.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from operator import add

from .model import TranscriptUnit
from .parse.patterns import CLOSERS, END_PUNCT
from .speaker_turns import TURN_MARK, split_turns
from .text import strip_controls
from .wrapped_layout import Layout

PAUSE_BREAK_S = 2.0  # a silence longer than this starts a paragraph (timed transcripts)
MIN_WORDS = 70  # break after a sentence end once a paragraph has this many words
MAX_WORDS = 120  # text without sentence punctuation (raw captions): break at a word here
LONG_WORDS = 250  # a sentence running past this may break at a clause boundary
# A paragraph never breaks mid-sentence before LONG_WORDS; past it only at a clause
# boundary (after , ; : or a dash, or before "Yeah", "Um", "So"…); past twice that (a
# run-on with no clause boundary at all) at a word.

# A sentence ends at . ! ? or … (possibly followed by closing quotes/brackets) then a space.
_SENTENCE_END = re.compile(rf"{END_PUNCT}+{CLOSERS}(?= |$)")
# A clause boundary: the end of "," ";" ":" or a dash before a space, or the space before
# a spoken discourse marker.
_CLAUSE = re.compile(
    r"[,;:\u2013\u2014](?= )|(?<= )(?=(?:Yeah|Yes|Um|Uh|So|And so|But|Okay|OK|Well|Anyway|Right)\b)"
)
_MARKER_START = re.compile(r"(?:Yeah|Yes|Um|Uh|So|And so|But|Okay|OK|Well|Anyway|Right)\b")
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
            whole = text
            for turn, text in split_turns(whole) if whole else ((False, whole),):
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
                        cm = clause(rest, skip + 1)
                        if cm is not None and cm.end() < len(rest):
                            if cm.start() == cm.end():  # before a marker word: drop the space
                                end, nxt = cm.start() - 1, cm.start()
                            else:  # after the punctuation
                                end, nxt = cm.end(), cm.end() + 1
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
        return [self.text[a:b] for a, b in zip(self.para_start, self.para_end, strict=True)]

    def unit_offsets(self, unit: int) -> tuple[int, int]:
        """``(start, end)`` offsets in ``text`` of a unit (its pieces, labels included)."""
        if not self.piece_start:
            return (0, 0)
        unit = max(0, min(unit, self.unit_count - 1))
        first, last = self.unit_first_piece[unit], self.unit_last_piece[unit]
        return self.piece_start[first], self.piece_end[last]

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

    def layout(self, width: int) -> Layout:
        """Rows for ``width`` cells (cached per width: re-layout only on width change)."""
        width = max(1, int(width))
        lay = self._layouts.get(width)
        if lay is None:
            if len(self._layouts) > 4:
                self._layouts.clear()
            lay = self._layouts[width] = Layout(self, width)
        return lay


__all__ = ["Readable", "clean_unit_text"]

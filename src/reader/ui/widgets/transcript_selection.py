"""The transcript pane's selection and what it quotes: ``v`` anchors a selection of rows
at the cursor, ``escape`` drops it, ``y`` / ``Y`` quote it (or the cursor row) as whole
sentences, ``m`` highlights it. The text a selection stands for is the core's
(:mod:`reader.selection_span`); the quote itself is ``reader.quote``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...model import Alignment, TranscriptUnit
from ...readable import Readable
from ...selection_span import selection_span
from ..messages import HighlightRequested, QuoteRequested
from .transcript_cursor import CursorRows

if TYPE_CHECKING:
    from ...quote import Passage


class SelectedRows(CursorRows):
    """Cursor rows with a selection anchor, and the quote and highlight keys."""

    _doc: Readable | None = None
    _alignment: Alignment | None = None
    _units: Sequence[TranscriptUnit] = ()  # the transcript's units (speakers, for quotes)
    _timed = False
    _anchor: int | None = None  # selection anchor row
    _anchor_unit: int | None = None  # ... and the unit, when a jump put it there
    _sel_cache: tuple[object, tuple[int, int] | None] | None = None  # (key, span)

    @property
    def selection_rows(self) -> tuple[int, int] | None:
        if self._anchor is None:
            return None
        return min(self._anchor, self.cursor_row), max(self._anchor, self.cursor_row)

    def selection_span(self) -> tuple[int, int] | None:
        """``[start, end)`` of ``readable.text`` that ``y`` would quote: the selection (or
        the cursor row) widened to whole sentences. None if there is no text."""
        lay, doc = self._layout, self._doc
        if lay is None or doc is None or not len(lay):
            return None
        cursor = (self.cursor_row, self._unit_hint)
        anchor = (self._anchor, self._anchor_unit) if self._anchor is not None else cursor
        key = (id(lay), anchor, cursor)
        if self._sel_cache is not None and self._sel_cache[0] == key:
            return self._sel_cache[1]
        span = selection_span(lay, doc, anchor, cursor)
        self._sel_cache = (key, span)
        return span

    def selected_columns(self, row: int) -> tuple[int, int] | None:
        """The columns of ``row`` inside the (sentence-snapped) selection, if any."""
        lay = self._layout
        if self._anchor is None or lay is None:
            return None
        span = self.selection_span()
        if span is None:
            return None
        start = lay.row_start[row]
        lo, hi = max(span[0], start), min(span[1], lay.row_end[row])
        return (lo - start, hi - start) if lo < hi else None

    def quote_passage(self) -> Passage | None:
        """The whole sentences ``y`` would quote, with their time and speaker."""
        span = self.selection_span()
        if span is None or self._doc is None:
            return None
        from ...quote import passage

        return passage(
            self._doc, self._units, self._alignment, span[0], span[1], timed=self._timed
        )

    def quote_text(self) -> tuple[str, float] | None:
        """The text ``y`` would quote and the time of its first words (None if empty)."""
        found = self.quote_passage()
        return (found.text, found.seconds) if found is not None else None

    def action_toggle_selection(self) -> None:
        if self._anchor is None:
            self._bring_cursor_into_view()
            self._anchor = self.cursor_row
            self._anchor_unit = self._unit_hint
        else:
            self._anchor = None
        self.refresh()
        self.refresh_bindings()

    def action_clear_selection(self) -> None:
        self._anchor = None
        self.refresh()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_selection":
            return self._anchor is not None  # otherwise escape goes on to the screen
        return True

    def action_quote(self) -> None:
        self._quote(with_link=False)

    def action_quote_link(self) -> None:
        self._quote(with_link=True)

    def _quote(self, with_link: bool) -> None:
        found = self.quote_passage()
        if found is None:
            self.notify("Nothing to quote here", severity="warning")
            return
        self.post_message(
            QuoteRequested(
                found.text,
                found.seconds,
                with_link,
                estimated=found.estimated,
                speaker=found.speaker,
            )
        )
        self._end_selection()

    def _end_selection(self) -> None:
        if self._anchor is not None:  # copied: the selection is done (a notification confirms)
            self._anchor = None
            self.refresh()
            self.refresh_bindings()

    def action_mark(self) -> None:
        found = self.quote_passage()
        if found is None:
            self.notify("Nothing to highlight here", severity="warning")
            return
        self.post_message(HighlightRequested(found))
        self._end_selection()

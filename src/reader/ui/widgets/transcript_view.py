"""The transcript pane: a Line-API widget over :mod:`reader.readable`.

Only the visible rows are rendered; each rendered row is cached as a Strip keyed by
everything that changes how it looks (row, width, cursor/selection/claim/search state),
so moving the cursor re-renders two rows and scrolling renders only new rows.

All transcript text is data: rows are built from ``rich.text.Text`` objects with explicit
styles, never through markup.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any, Sequence

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...model import Alignment, Transcript, format_clock
from ...readable import Readable
from ...wrapped_layout import Layout
from ..messages import CursorMoved, HighlightRequested, QuoteRequested

GUTTER = 9  # "~1:02:03" + one space


def _stem(term: str) -> str:
    """A crude stem, so "agents" also finds "agent" (matching is by word prefix)."""
    t = term.lower()
    for suffix in ("ing", "ed", "es", "s"):
        if t.endswith(suffix) and len(t) - len(suffix) >= 3:
            return t[: -len(suffix)]
    return t


def search_pattern(terms: Any) -> Any:
    """What finds the search hits in a text: the search core's matcher of the words the
    query matched (``reader.search.TermMatcher``), else a case-insensitive word-prefix
    pattern for the words of ``terms``."""
    if hasattr(terms, "finditer"):
        return terms if terms else None
    words: list[str] = []
    for term in terms:
        for w in re.findall(r"\w+", term):
            s = _stem(w)
            if s and s not in words:
                words.append(s)
    if not words:
        return None
    words.sort(key=len, reverse=True)
    return re.compile(r"\b(?:%s)\w*" % "|".join(re.escape(w) for w in words), re.IGNORECASE)


@dataclass
class Pending:
    """Where the cursor goes once the transcript is laid out (its width is known) or the
    rest of a long one has arrived: the one state the view waits on."""

    unit: int | None = None  # the unit to put the cursor on
    range: tuple[int, int] | None = None  # ... and a unit range to show (a claim, a hit)
    jump: bool = False  # ... scrolled a third down, as a jump

    def restore(self, unit: int) -> None:
        """Keep the cursor on ``unit`` (a new document, a relayout): nothing to show."""
        self.unit, self.range, self.jump = unit, None, False

    def show_range(self, start: int, end: int) -> None:
        self.unit, self.range = start, (start, end)

    def jump_to(self, unit: int) -> None:
        self.unit, self.jump = unit, True

    def take(self) -> tuple[bool, tuple[int, int] | None]:
        """Laid out: (jump, range) to carry out; nothing is pending after."""
        jump, shown = self.jump, self.range
        self.unit, self.range, self.jump = None, None, False
        return jump, shown


class TranscriptView(ScrollView, can_focus=True):
    """Readable transcript with a time gutter, a cursor row, a row selection, the chosen
    claim's range and search hits."""

    BINDINGS: list[BindingType] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="transcript.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="transcript.up"),
        Binding("g,home", "cursor_top", "Top", show=False, id="transcript.top"),
        Binding("G,end", "cursor_bottom", "Bottom", show=False, id="transcript.bottom"),
        Binding("space,pagedown,ctrl+f", "page_down", "Page down", show=False, id="transcript.page_down"),
        Binding("b,pageup,ctrl+b", "page_up", "Page up", show=False, id="transcript.page_up"),
        Binding("ctrl+d", "half_page(1)", "Half a page down", show=False, id="transcript.half_down"),
        Binding("ctrl+u", "half_page(-1)", "Half a page up", show=False, id="transcript.half_up"),
        Binding("v", "toggle_selection", "Select", id="transcript.select"),
        Binding("escape", "clear_selection", "Clear selection", id="transcript.clear_selection"),
        Binding("y", "quote", "Quote", id="transcript.quote"),
        Binding("Y", "quote_link", "Quote+link", id="transcript.quote_link"),
        Binding("m", "mark", "Highlight + note", id="transcript.mark"),
        Binding("n", "next_hit", "Next hit", id="transcript.next_hit"),
        Binding("N", "prev_hit", "Prev hit", id="transcript.prev_hit"),
    ]

    COMPONENT_CLASSES = {
        "transcript-view--cursor",
        "transcript-view--claim-range",
        "transcript-view--selection",
        "transcript-view--search-hit",
        "transcript-view--gutter",
        "transcript-view--speaker",
        "transcript-view--mark",
    }

    DEFAULT_CSS = """
    TranscriptView {
        background: $surface;
        color: $foreground;
        overflow-y: scroll;
        overflow-x: hidden;
        scrollbar-gutter: stable;
        & > .transcript-view--gutter { color: $text-muted; }
        & > .transcript-view--speaker { color: $text-accent; text-style: bold; }
        & > .transcript-view--claim-range { background: $primary-muted; }
        & > .transcript-view--selection { background: $foreground 15%; }
        & > .transcript-view--mark { color: $text-success; text-style: bold; }
        & > .transcript-view--search-hit { background: $warning-muted; color: $text-warning; text-style: bold underline; }
        & > .transcript-view--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 3%;
            & > .transcript-view--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    cursor_row: reactive[int] = reactive(0, always_update=False, init=False, repaint=False)
    """The cursor's row in the current layout."""

    def __init__(
        self,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._doc: Readable | None = None
        self._alignment: Alignment | None = None
        self._layout: Layout | None = None
        self._strips: LRUCache[tuple, Strip] = LRUCache(1024)
        self._anchor: int | None = None  # selection anchor row
        self._anchor_unit: int | None = None  # ... and the unit, when a jump put it there
        self._sel_cache: tuple | None = None  # (key, snapped span)
        self._lines: Sequence = ()  # the transcript units (speakers, for quotes)
        self._timed = False
        self._marks: list[tuple[int, int]] = []  # highlights: sorted spans of Readable.text
        self._noted: set[int] = set()  # starts of the highlights that carry a note
        self._claim: tuple[int, int] | None = None  # highlighted unit range
        self._pattern: re.Pattern[str] | None = None
        self._hit_rows: list[int] | None = None
        self._posted_unit: int | None = None
        self._pending = Pending()  # where the cursor goes once laid out
        self._unit_hint: int | None = None  # the unit a jump put the cursor on
        self._generation = 0
        self._complete = True
        self._full_build: tuple | None = None
        self.hit_position: tuple[int, int, bool] | None = None  # (n, of, wrapped) of the last n / N
        self._hit_offset: int | None = None  # text offset of the search hit the cursor was put on

    # --- document -----------------------------------------------------------------------

    SYNC_UNITS = 4000
    """Transcripts longer than this show their first units at once and lay out the rest
    in a thread (the first paint of a 10-hour transcript costs what a short one does)."""

    def set_document(self, transcript: Transcript, alignment: Alignment) -> None:
        """Show a transcript; the cursor goes to its first row."""
        self._generation += 1
        lines = transcript.units
        self._complete = len(lines) <= self.SYNC_UNITS
        head = lines if self._complete else lines[: self.SYNC_UNITS]
        self._doc = Readable(head, timed=transcript.timed)
        self._alignment = alignment
        self._lines, self._timed = lines, transcript.timed
        self._marks, self._noted = [], set()
        self._layout = None
        self._anchor = None
        self._claim = None
        self._hit_rows = None
        self._posted_unit = None
        self._pending.restore(0)
        self._unit_hint = None
        self._strips.clear()
        self.set_reactive(TranscriptView.cursor_row, 0)
        self._full_build = None if self._complete else (lines, transcript.timed, self._generation)
        if self.is_mounted:
            self.scroll_to(y=0, animate=False, immediate=True)
            self.call_after_refresh(self._start_full_build)
            if self._text_width() > 0:
                self._relayout()

    @property
    def is_complete(self) -> bool:
        """False while the rest of a long transcript is still being laid out."""
        return self._complete

    def _start_full_build(self) -> None:
        if self._full_build is None:
            return
        lines, timed, generation = self._full_build
        self._full_build = None

        def build() -> None:
            doc = Readable(lines, timed=timed)
            doc.layout(max(10, self._text_width()))  # warm the cache for this width
            self.app.call_from_thread(self._install_full, doc, generation)

        self.run_worker(build, thread=True, group="transcript-layout", exit_on_error=False)

    def _install_full(self, doc: Readable, generation: int) -> None:
        if generation != self._generation:
            return  # another document was set meanwhile
        if self._pending.unit is None:
            self._pending.restore(self.cursor_unit)
        anchor_unit = (
            self._layout.unit_of_row(self._anchor)
            if self._layout is not None and self._anchor is not None
            else None
        )
        self._doc = doc
        self._complete = True
        self._layout = None
        self._anchor = None
        self._relayout()  # the rows already shown keep their indices: no scroll needed
        if anchor_unit is not None and self._layout is not None:
            self._anchor = self._layout.row_of_unit(anchor_unit)
        self.post_message(self.DocumentReady())

    def _beyond(self, unit: int) -> bool:
        """The unit is not laid out yet (the rest of a long transcript is on its way)."""
        return not self._complete and self._doc is not None and unit >= self._doc.unit_count

    @property
    def readable(self) -> Readable | None:
        return self._doc

    @property
    def layout(self) -> Layout | None:
        return self._layout

    def _text_width(self) -> int:
        return self.scrollable_content_region.width - GUTTER

    def _relayout(self) -> None:
        """Lay out for the current width, keeping the cursor on the same unit."""
        if self._doc is None:
            return
        width = max(10, self._text_width())
        if self._layout is not None and self._layout.width == width:
            return
        text_offset = None  # a search hit the cursor is on: the cursor stays on its row
        if self._pending.unit is not None:
            unit = self._pending.unit
        else:
            unit = self._cursor_unit_in(self._layout)
            old, hit = self._layout, self._hit_offset
            if old is not None and hit is not None and len(old) and old.doc is self._doc:
                row = min(self.cursor_row, len(old) - 1)
                if old.row_start[row] <= hit < old.row_end[row]:
                    text_offset = hit
        # keep the cursor at the same distance from the top of the view
        offset = self.cursor_row - round(self.scroll_y) if self._layout is not None else None
        anchor_unit = (
            self._layout.unit_of_row(self._anchor)
            if self._layout is not None and self._anchor is not None
            else None
        )
        self._layout = self._doc.layout(width)
        self._hit_rows = None
        self._strips.clear()
        self.virtual_size = Size(width + GUTTER, len(self._layout))
        if anchor_unit is not None:
            self._anchor = self._layout.row_of_unit(anchor_unit)
        if self._beyond(unit):  # wait for the rest of the transcript
            self._pending.unit = unit
            self.refresh()
            return
        jump, pending_range = self._pending.take()
        row = self._layout.row_of_unit(unit)
        if text_offset is not None:
            row = self._layout.next_text_row(self._layout.row_of_offset(text_offset), 1)
        self.set_reactive(TranscriptView.cursor_row, row)
        if pending_range is not None:
            self.show_range(*pending_range)
        elif jump:
            self._jump_to_row(self.cursor_row, unit)
        elif offset is not None:
            self.scroll_to(y=max(0, self.cursor_row - offset), animate=False, immediate=True)
        self._cursor_changed()
        self.refresh()

    def fit_width(self) -> None:
        """Lay out for the width the view has now (a pane next to it just opened or
        closed), without waiting for the resize event."""
        if self._doc is not None and self._text_width() > 0:
            self._relayout()

    def on_resize(self, event: events.Resize) -> None:
        if self._doc is not None:
            self._relayout()

    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self._start_full_build)
        if self._doc is not None and self._text_width() > 0:
            self._relayout()

    def _cursor_unit_in(self, layout: Layout | None) -> int:
        if layout is None or not len(layout):
            return 0
        hint = self._unit_hint
        if hint is not None and hint < layout.doc.unit_count and layout.row_of_unit(hint) == self.cursor_row:
            return hint  # placed on a unit that starts mid-row (a jump): keep that unit
        return layout.unit_of_row(self.cursor_row)

    # --- public API ---------------------------------------------------------------------

    @property
    def cursor_unit(self) -> int:
        if self._layout is None or self._pending.unit is not None:
            return self._pending.unit or 0
        return self._cursor_unit_in(self._layout)

    @property
    def cursor_seconds(self) -> float:
        return self._seconds(self.cursor_unit)

    def _seconds(self, unit: int) -> float:
        if self._alignment is None or not self._alignment.unit_seconds:
            return 0.0
        secs = self._alignment.unit_seconds
        return float(secs[max(0, min(unit, len(secs) - 1))])

    def show_range(self, unit_start: int, unit_end: int) -> None:
        """Tint a unit range, scroll it into view (start ~1/3 down) and put the cursor there."""
        if unit_end < unit_start:
            unit_start, unit_end = unit_end, unit_start
        self._claim = (unit_start, unit_end)
        lay = self._layout
        if lay is None or self._beyond(unit_start):
            self._pending.show_range(unit_start, unit_end)
            self.refresh()
            return
        first, last = lay.rows_of_range(unit_start, unit_end)
        height = max(1, self.scrollable_content_region.height)
        if last - first + 1 > height:
            y = first
        else:
            y = first - height // 3
        self._anchor = None
        self._scroll_to_row(y)
        self._move_cursor(first, scroll=False, unit=unit_start)
        self.refresh()

    def cursor_to_hit_in_range(self, unit_start: int, unit_end: int) -> bool:
        """Put the cursor on the first row of a unit range that shows a search term (the
        words the user searched for, not the passage start). False if none does."""
        lay, pattern = self._layout, self._pattern
        if lay is None or pattern is None or self._beyond(unit_start):
            return False
        first, last = lay.rows_of_range(min(unit_start, unit_end), max(unit_start, unit_end))
        for row in range(first, min(last, len(lay) - 1) + 1):
            m = pattern.search(lay.row_text(row)) if not lay.is_blank(row) else None
            if m is not None:
                self._hit_offset = lay.row_start[row] + m.start()
                if row != self.cursor_row:
                    top, bottom = self._visible_rows()
                    self._move_cursor(row, scroll=not top <= row <= bottom)
                return True
        return False

    def go_to_unit(self, unit: int) -> None:
        """Cursor to a unit's first row, scrolled into view (a third down if it was off)."""
        lay = self._layout
        if lay is None or self._beyond(unit):
            self._pending.jump_to(unit)
            return
        self._jump_to_row(lay.row_of_unit(unit), unit)

    def go_to_time(self, seconds: float) -> None:
        if self._alignment is None or not self._alignment.unit_seconds:
            return
        self.go_to_unit(self._alignment.unit_at(seconds))

    def set_search_terms(self, terms: Any) -> None:
        pattern = search_pattern(terms)
        old = self._pattern
        if (pattern is None and old is None) or (pattern is not None and old is not None and (pattern.pattern, pattern.flags) == (old.pattern, old.flags)):
            return  # the same highlights: nothing to repaint
        lay = self._layout
        if lay is None or not len(lay) or not self._is_mounted:
            self._pattern = pattern
            self._hit_rows = None
            self.refresh()
            return
        # Only the visible rows whose highlights change are repainted (a row's cached
        # strip is keyed by its own matches, see _row_state): a new query costs nothing
        # here when none of its words are on screen.
        top, bottom = self._visible_rows()
        rows = range(top, min(bottom, len(lay) - 1) + 1)
        before = [self._row_hits(row) for row in rows]
        self._pattern = pattern
        self._hit_rows = None
        for row, old_hits in zip(rows, before):
            if self._row_hits(row) != old_hits:
                self.refresh_lines(row)

    def next_hit(self) -> bool:
        return self._hit(+1)

    def prev_hit(self) -> bool:
        return self._hit(-1)

    @property
    def selection_rows(self) -> tuple[int, int] | None:
        if self._anchor is None:
            return None
        return min(self._anchor, self.cursor_row), max(self._anchor, self.cursor_row)

    def _end_span(self, row: int, unit: int | None) -> tuple[int, int]:
        """The text one end of a selection stands for: the unit a jump put the cursor
        on (the same at every width), else the whole row."""
        lay = self._layout
        assert lay is not None and self._doc is not None
        if unit is not None and unit < self._doc.unit_count and lay.row_of_unit(unit) == row:
            return self._doc.unit_offsets(unit)
        return lay.row_start[row], lay.row_end[row]

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
        (r0, u0), (r1, u1) = sorted((anchor, cursor), key=lambda e: e[0])
        if r0 == r1 and u0 != u1:
            u0 = u1 = None  # two ends on one row: the row
        r0, r1 = lay.next_text_row(r0, 1), lay.next_text_row(r1, -1)
        if r1 < r0 or lay.is_blank(r0):
            span = None
        else:
            a = self._end_span(r0, u0)[0]
            b = self._end_span(r1, u1)[1]
            from ...quote import snap

            span = snap(doc, a, b) if b > a else None
        self._sel_cache = (key, span)
        return span

    def quote_passage(self):  # -> reader.quote.Passage | None
        """The whole sentences ``y`` would quote, with their time and speaker."""
        span = self.selection_span()
        if span is None or self._doc is None:
            return None
        from ...quote import passage

        return passage(self._doc, self._lines, self._alignment, span[0], span[1], timed=self._timed)

    def quote_text(self) -> tuple[str, float] | None:
        """The text ``y`` would quote and the time of its first words (None if empty)."""
        found = self.quote_passage()
        return (found.text, found.seconds) if found is not None else None

    # --- highlights -----------------------------------------------------------------------

    class DocumentReady(Message):
        """The whole of a long transcript is laid out (its offsets are final)."""

    def set_marks(self, spans: Sequence[tuple[int, int]], noted: Sequence[int] = ()) -> None:
        """Highlights to mark in the gutter: spans of ``readable.text``; ``noted``: the
        starts of those that carry a note."""
        self._marks = sorted((int(a), int(b)) for a, b in spans if b > a)
        self._noted = set(noted)
        self._strips.clear()
        self.refresh()

    def _row_mark(self, row: int) -> str:
        """The gutter mark of a row: "✎" on a noted highlight's first row, "┃" on its
        other rows, "" if no highlight shows on it."""
        lay = self._layout
        if not self._marks or lay is None or lay.is_blank(row):
            return ""
        start, end = lay.row_start[row], lay.row_end[row]
        i = bisect_right(self._marks, (end, -1))
        mark = ""
        for a, b in reversed(self._marks[max(0, i - 8):i]):
            if a < end and b > start:
                if a in self._noted and a >= start:
                    return "\u270e"
                mark = "\u2503"
        return mark

    def row_of_offset(self, offset: int) -> int | None:
        return self._layout.row_of_offset(offset) if self._layout is not None else None

    def go_to_offset(self, offset: int) -> None:
        """Cursor to the row showing an offset of ``readable.text`` (a highlight)."""
        if self._layout is None or self._doc is None:
            return
        unit = self._doc.unit_at_offset(offset)
        row = self._layout.row_of_offset(offset)
        self._jump_to_row(row, unit if self._layout.row_of_unit(unit) == row else None)

    # --- cursor -------------------------------------------------------------------------

    def validate_cursor_row(self, row: int) -> int:
        lay = self._layout
        if lay is None or not len(lay):
            return 0
        return max(0, min(row, len(lay) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._cursor_changed()
        # Only the rows whose look changed: the old and new cursor rows, and with a
        # selection the rows between them (they join or leave it). A scroll repaints
        # the whole view by itself.
        if self._anchor is not None:
            self.refresh()  # the selection snaps to sentences: rows beyond old..new change
        else:
            self.refresh_lines(old)
            self.refresh_lines(new)

    def _cursor_changed(self) -> None:
        if self._layout is None or not len(self._layout):
            return
        unit = self._cursor_unit_in(self._layout)
        if unit != self._posted_unit:
            self._posted_unit = unit
            self.post_message(CursorMoved(unit, self._seconds(unit)))

    def _visible_rows(self) -> tuple[int, int]:
        top = round(self.scroll_y)
        height = max(1, self.scrollable_content_region.height)
        return top, top + height - 1

    def _scroll_to_row(self, y: int) -> None:
        lay = self._layout
        height = max(1, self.scrollable_content_region.height)
        max_y = max(0, (len(lay) if lay else 0) - height)
        self.scroll_to(y=max(0, min(y, max_y)), animate=False, immediate=True)

    def _move_cursor(
        self, row: int, step: int = 1, scroll: bool = True, unit: int | None = None
    ) -> None:
        lay = self._layout
        if lay is None or not len(lay):
            return
        row = lay.next_text_row(row, step)
        self._unit_hint = unit
        if row == self.cursor_row:
            self._cursor_changed()
        self.cursor_row = row
        if scroll:
            top, bottom = self._visible_rows()
            if row < top:
                self._scroll_to_row(row)
            elif row > bottom:
                self._scroll_to_row(row - (bottom - top))

    def _jump_to_row(self, row: int, unit: int | None = None) -> None:
        """A jump: the row a third down the view if it is not already visible."""
        lay = self._layout
        if lay is None:
            return
        row = lay.next_text_row(row, 1)
        top, bottom = self._visible_rows()
        if not top <= row <= bottom:
            self._scroll_to_row(row - (bottom - top + 1) // 3)
        self._move_cursor(row, scroll=False, unit=unit)

    def _bring_cursor_into_view(self) -> bool:
        """Pager behaviour: after a wheel scroll the next key first fetches the cursor.
        Returns True if the cursor had to move."""
        top, bottom = self._visible_rows()
        if self.cursor_row < top:
            self._move_cursor(top, +1, scroll=False)
            return True
        if self.cursor_row > bottom:
            self._move_cursor(bottom, -1, scroll=False)
            return True
        return False

    def _step(self, delta: int) -> None:
        if self._layout is None or not len(self._layout):
            return
        if self._bring_cursor_into_view():
            return
        step = 1 if delta > 0 else -1
        row = self.cursor_row + delta
        lay = self._layout
        if 0 <= row < len(lay) and lay.is_blank(row):
            row += step
        if not 0 <= row < len(lay):
            row = self.cursor_row  # already at an end
        self._move_cursor(row, step)

    def action_cursor_down(self) -> None:
        self._step(+1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_cursor_top(self) -> None:
        self._move_cursor(0, +1)

    def action_cursor_bottom(self) -> None:
        if self._layout is not None:
            self._move_cursor(len(self._layout) - 1, -1)

    def action_page_down(self) -> None:
        if self._layout is None:
            return
        height = max(1, self.scrollable_content_region.height)
        self._bring_cursor_into_view()
        self._scroll_to_row(round(self.scroll_y) + height)
        self._move_cursor(min(self.cursor_row + height, len(self._layout) - 1), +1)

    def action_page_up(self) -> None:
        if self._layout is None:
            return
        height = max(1, self.scrollable_content_region.height)
        self._bring_cursor_into_view()
        self._scroll_to_row(round(self.scroll_y) - height)
        self._move_cursor(max(self.cursor_row - height, 0), -1)

    def action_half_page(self, direction: int) -> None:
        """``ctrl+d`` / ``ctrl+u`` as in less: the view and the cursor move half a page."""
        if self._layout is None:
            return
        half = max(1, self.scrollable_content_region.height // 2)
        self._bring_cursor_into_view()
        self._scroll_to_row(round(self.scroll_y) + direction * half)
        row = max(0, min(self.cursor_row + direction * half, len(self._layout) - 1))
        self._move_cursor(row, 1 if direction > 0 else -1)

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
            QuoteRequested(found.text, found.seconds, with_link, estimated=found.estimated, speaker=found.speaker)
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

    def action_next_hit(self) -> None:
        self.step_hit(1)

    def action_prev_hit(self) -> None:
        self.step_hit(-1)

    def step_hit(self, direction: int) -> bool:
        """``n`` / ``N`` (here, or from another pane): to the next / previous search hit,
        and say where that is ("Hit 3 of 12") or why there is none."""
        if self._hit(1 if direction > 0 else -1):
            self.notify(self.hit_message(), timeout=2, markup=False)
            return True
        self._no_hits()
        return False

    def seconds_at_offset(self, offset: int) -> float:
        """The time of the unit at an offset of ``readable.text``."""
        return self._seconds(self._doc.unit_at_offset(offset)) if self._doc is not None else 0.0

    def hit_seconds(self) -> list[float]:
        """The time of each row with a search hit (for the timeline)."""
        lay = self._layout
        if lay is None or self._pattern is None:
            return []
        return [self._seconds(lay.unit_of_row(row)) for row in self._hits()]

    def hit_message(self) -> str:
        """``Hit 3 of 12``, and whether the last ``n`` / ``N`` went round the end."""
        if self.hit_position is None:
            return ""
        number, total, wrapped = self.hit_position
        where = ""
        if wrapped:
            where = " (wrapped to the first)" if number == 1 else " (wrapped to the last)"
        return f"Hit {number} of {total}{where}"

    def _no_hits(self) -> None:
        if self._pattern is None:
            self.notify("No search yet: press / to search, then n / N move between hits", markup=False)
        else:
            self.notify("No more hits in this transcript", markup=False)

    def _hit(self, direction: int) -> bool:
        lay = self._layout
        if lay is None or self._pattern is None or not len(lay):
            return False
        rows = self._hits()
        if not rows:
            return False
        cur = self.cursor_row
        wrapped = False
        if direction > 0:
            i = bisect_right(rows, cur)
            if i >= len(rows):
                i, wrapped = 0, True
        else:
            i = bisect_left(rows, cur) - 1
            if i < 0:
                i, wrapped = len(rows) - 1, True
        self.hit_position = (i + 1, len(rows), wrapped)
        self._jump_to_row(rows[i])
        return True

    def _hits(self) -> list[int]:
        if self._hit_rows is None:
            lay, pattern = self._layout, self._pattern
            rows: list[int] = []
            if lay is not None and pattern is not None and self._doc is not None:
                last = -1
                for m in pattern.finditer(self._doc.text):
                    r = lay.row_of_offset(m.start())
                    if r != last:
                        rows.append(r)
                        last = r
            self._hit_rows = rows
        return self._hit_rows

    # --- mouse --------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or self._layout is None or not len(self._layout):
            return
        row = round(self.scroll_y) + offset.y
        if row >= len(self._layout):
            return
        self._move_cursor(row, -1, scroll=False)

    # --- rendering ----------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def on_focus(self) -> None:
        self._strips.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._strips.clear()
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        # Sized for the first time (or again) and not laid out yet: lay out now, so this
        # frame shows the text rather than the one after the resize event.
        if self._doc is not None and self._text_width() > 0:
            if self._layout is None or self._layout.width != max(10, self._text_width()):
                self._relayout()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = round(self.scroll_y) + y
        lay = self._layout
        if lay is None or row >= len(lay) or row < 0:
            return Strip.blank(width, self.rich_style)
        state = self._row_state(row)
        key = (row, width, state)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(row, width, state)
            self._strips[key] = strip
        return strip.apply_offsets(0, row)

    def _row_state(self, row: int) -> tuple:
        lay = self._layout
        assert lay is not None
        cursor = row == self.cursor_row
        selected = None  # columns of the row inside the (sentence-snapped) selection
        if self._anchor is not None:
            span = self.selection_span()
            if span is not None:
                lo, hi = max(span[0], lay.row_start[row]), min(span[1], lay.row_end[row])
                if lo < hi:
                    selected = (lo - lay.row_start[row], hi - lay.row_start[row])
        claim = lay.range_columns(row, *self._claim) if self._claim is not None else None
        gutter = self._gutter_text(row)
        return (cursor, selected, claim, gutter, self._row_hits(row), self._row_mark(row))

    def _row_hits(self, row: int) -> tuple[tuple[int, int], ...]:
        """The search matches on ``row`` (column spans): part of the row's cache key, so a
        new query repaints only the rows whose highlights differ."""
        pattern, lay = self._pattern, self._layout
        if pattern is None or lay is None:
            return ()
        body = lay.row_text(row)
        return tuple(m.span() for m in pattern.finditer(body)) if body else ()

    def _gutter_text(self, row: int) -> str:
        lay = self._layout
        assert lay is not None
        if lay.is_blank(row) or self._alignment is None or not self._alignment.unit_seconds:
            return ""
        seconds = self._seconds(lay.unit_of_row(row))
        show = lay.paragraph_first_row(row)
        if not show:
            before = self._seconds(lay.unit_of_row(row - 1))
            show = int(before // 60) != int(seconds // 60)
        if not show:
            return ""
        return ("~" if self._alignment.estimated else "") + format_clock(seconds)

    def _render_row(self, row: int, width: int, state: tuple) -> Strip:
        cursor, selected, claim, gutter, hits, mark = state
        lay = self._layout
        doc = self._doc
        assert lay is not None and doc is not None
        base = self.rich_style
        get = self.get_component_rich_style
        text_width = max(0, width - GUTTER)
        body = lay.row_text(row)
        line = Text(body, style=base, no_wrap=True, end="")
        if body:
            start, end = lay.row_start[row], lay.row_end[row]
            for a, b in doc.label_spans(start, end):
                line.stylize(get("transcript-view--speaker"), max(a, start) - start, min(b, end) - start)
        pad = text_width - line.cell_len
        if pad > 0:
            line.append(" " * pad)
        if claim is not None:
            line.stylize(get("transcript-view--claim-range"), claim[0], claim[1])
        if selected:
            line.stylize(get("transcript-view--selection"), *selected)
        if cursor:
            line.stylize(get("transcript-view--cursor"))
        if hits:
            hit = get("transcript-view--search-hit")
            for start_col, end_col in hits:
                line.stylize(hit, start_col, end_col)
        gutter_style = base + get("transcript-view--gutter")
        if cursor:
            gutter_style += get("transcript-view--cursor")
        elif selected:
            gutter_style += get("transcript-view--selection")
        segments = [Segment(gutter.rjust(GUTTER - 1)[: GUTTER - 1], gutter_style)]
        # the cell between gutter and text marks the claim's rows, the cursor row included
        # (a highlight shows its mark there)
        mark_style = base + get("transcript-view--claim-range") if claim is not None else gutter_style
        if mark:
            mark_style += get("transcript-view--mark")
        segments.append(Segment(mark or " ", mark_style))
        # Rich leaves a Text without spans unstyled (its base style is the console's job):
        # put the theme's colours under every segment, or plain rows show the terminal's
        segments.extend(Segment.apply_style(line.render(self.app.console), base))
        return Strip(segments).crop_extend(0, width, base)

"""The transcript pane: a Line-API widget (ScrollView + ``render_line``) over a
:class:`~reader.readable.Readable` laid out to the pane's width.

Only the visible rows are rendered, each cached as a Strip keyed by everything that
changes how it looks (``transcript_rows``), so moving the cursor re-renders two rows and
scrolling renders only new rows. The pane is built in layers, one job each: the cursor
and its keys (``transcript_cursor``), the selection and quotes (``transcript_selection``),
search hits and ``n`` / ``N`` (``transcript_search``), and here the document, its layout
at the pane's width and the rendering; the one state the pane waits on (a cursor place
before the layout, the rest of a long transcript) is ``transcript_pending``'s. What is
not about widgets is the core's: the wrapped layout (``reader.wrapped_layout``), search
hits (``reader.transcript_hits``), the gutter (``reader.gutter``) and the text a
selection stands for (``reader.selection_span``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip

from ...gutter import highlight_mark, time_label
from ...model import Alignment, Transcript, TranscriptUnit
from ...readable import Readable
from ...transcript_hits import SearchHits
from ...wrapped_layout import Layout
from ..messages import CursorMoved
from .transcript_loading import LoadingRows
from .transcript_pending import Pending
from .transcript_rows import GUTTER, RowCache, RowState, paint_row

__all__ = ["GUTTER", "TranscriptView"]


def _binding(keys: str, action: str, description: str, id: str, show: bool = True) -> Binding:
    return Binding(keys, action, description, show=show, id=f"transcript.{id}")


class TranscriptView(LoadingRows, can_focus=True):
    """Readable transcript with a time gutter, a cursor row, a row selection, the chosen
    claim's range and search hits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        _binding("j,down", "cursor_down", "Down", "down", show=False),
        _binding("k,up", "cursor_up", "Up", "up", show=False),
        _binding("g,home", "cursor_top", "Top", "top", show=False),
        _binding("G,end", "cursor_bottom", "Bottom", "bottom", show=False),
        _binding("space,pagedown,ctrl+f", "page_down", "Page down", "page_down", show=False),
        _binding("b,pageup,ctrl+b", "page_up", "Page up", "page_up", show=False),
        _binding("ctrl+d", "half_page(1)", "Half a page down", "half_down", show=False),
        _binding("ctrl+u", "half_page(-1)", "Half a page up", "half_up", show=False),
        _binding("v", "toggle_selection", "Select", "select"),
        _binding("escape", "clear_selection", "Clear selection", "clear_selection"),
        _binding("y", "quote", "Quote", "quote"),
        _binding("Y", "quote_link", "Quote+link", "quote_link"),
        _binding("m", "mark", "Highlight + note", "mark"),
        # n / N: the main screen's bindings (every pane), which call step_hit
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
        & > .transcript-view--search-hit {
            background: $warning-muted; color: $text-warning; text-style: bold underline;
        }
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

    SYNC_UNITS = 4000
    """Transcripts longer than this show their first units at once and lay out the rest
    in a thread (the first paint of a 10-hour transcript costs what a short one does)."""

    class DocumentReady(Message):
        """The whole of a long transcript is laid out (its offsets are final)."""

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
        self._rows = RowCache()
        self._anchor: int | None = None
        self._anchor_unit: int | None = None
        self._sel_cache: tuple[object, tuple[int, int] | None] | None = None
        self._units: Sequence[TranscriptUnit] = ()
        self._timed = False
        self._marks: list[tuple[int, int]] = []  # highlights: sorted spans of Readable.text
        self._noted: set[int] = set()  # starts of the highlights that carry a note
        self._claim: tuple[int, int] | None = None  # highlighted unit range
        self._hits = SearchHits()
        self._posted_unit: int | None = None
        self._pending = Pending()  # where the cursor goes once laid out; what is on its way
        self._deferred: tuple[Sequence[TranscriptUnit], bool] | None = None
        self._whole = None
        self._sizing = False  # being laid out from _size_updated (within a layout)

    # --- document -----------------------------------------------------------------------

    def show_beginning(self, head: Transcript) -> None:
        """The beginning of a long transcript, parsed on its own while the whole is parsed
        and aligned: shown without times until :meth:`set_document` brings the whole,
        which then takes over with the reader's place kept."""
        self._pending.begin(head.units)
        no_times = Alignment([], not head.timed, 0.0, [])
        self._show(Readable(head.units, timed=head.timed), no_times, head.units, head.timed)

    def set_document(self, transcript: Transcript, alignment: Alignment) -> None:
        """Show a transcript; the cursor goes to its first row (or, when its beginning is
        shown already, stays where the reader put it)."""
        units, timed = transcript.units, transcript.timed
        if self._pending.continues(units, timed):
            self._alignment, self._units, self._timed = alignment, units, timed
            self._rows.clear()  # the times are known now
            self.refresh()
            if self.is_mounted:
                self.call_after_refresh(self._start_full_build)
            return
        head = self._pending.start(units, timed, self.SYNC_UNITS)
        if (
            self._pending.complete
            and len(head) > 2 * self.HEAD_UNITS
            and not (self.is_mounted and self._text_width() > 0)
        ):
            # not laid out yet: built at the first layout, as far as the landing needs
            self._show(None, alignment, units, timed)
            self._deferred = (head, timed)
            return
        self._show(Readable(head, timed=timed), alignment, units, timed)

    def _show(
        self,
        doc: Readable | None,
        alignment: Alignment,
        units: Sequence[TranscriptUnit],
        timed: bool,
    ) -> None:
        self._doc = doc
        self._deferred = self._whole = None
        self._alignment = alignment
        self._units, self._timed = units, timed
        self._marks, self._noted = [], set()
        self._layout = None
        self._anchor = None
        self._claim = None
        self._hits.forget_rows()
        self._posted_unit = None
        self._unit_hint = None
        self._rows.clear()
        self.set_reactive(TranscriptView.cursor_row, 0)
        if self.is_mounted:
            self.scroll_to(y=0, animate=False, immediate=True)
            self.call_after_refresh(self._start_full_build)
            if self._text_width() > 0:
                self._relayout()

    def _whole_arrived(self) -> None:
        self.post_message(self.DocumentReady())

    @property
    def readable(self) -> Readable | None:
        return self._doc

    @property
    def row_layout(self) -> Layout | None:
        """The rows at the current width (None until the pane has a width)."""
        return self._layout

    def _text_width(self) -> int:
        return self.scrollable_content_region.width - GUTTER

    def _relayout(self) -> None:
        """Lay out for the current width, keeping the cursor on the same unit."""
        width = max(10, self._text_width())
        if self._doc is None:
            if self._deferred is None:
                return
            self._doc = self._head_doc(width)
        if self._layout is not None and self._layout.width == width:
            return
        text_offset = None  # a search hit the cursor is on: the cursor stays on its row
        if self._pending.unit is not None:
            unit = self._pending.unit
        else:
            unit = self._cursor_unit_in(self._layout)
            old, hit = self._layout, self._hits.offset
            if old is not None and hit is not None and len(old) and old.doc is self._doc:
                row = min(self.cursor_row, len(old) - 1)
                if old.row_start[row] <= hit < old.row_end[row]:
                    text_offset = hit
        # keep the cursor at the same distance from the top of the view
        offset = self.cursor_row - round(self.scroll_y) if self._layout is not None else None
        anchor_unit = self._anchor_unit_now()
        lay = self._layout = self._doc.layout(width)
        self._hits.forget_rows()
        self._rows.clear()
        if self._sizing:  # during a layout: the scrollbar is updated by the caller
            self.set_reactive(TranscriptView.virtual_size, Size(width + GUTTER, len(lay)))
        else:
            self.virtual_size = Size(width + GUTTER, len(lay))
        if anchor_unit is not None:
            self._anchor = lay.row_of_unit(anchor_unit)
        if self._pending.beyond(unit):  # wait for the rest of the transcript
            self._pending.unit = unit
            self.refresh()
            return
        jump, pending_range, kept = self._pending.take()
        text_offset = kept if kept is not None else text_offset
        row = lay.row_of_unit(unit)
        if text_offset is not None:
            row = lay.next_text_row(lay.row_of_offset(text_offset), 1)
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
        if self._has_doc() and self._text_width() > 0:
            self._relayout()

    def on_resize(self, event: events.Resize) -> None:
        if self._has_doc():
            self._relayout()

    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self._start_full_build)
        if self._has_doc() and self._text_width() > 0:
            self._relayout()

    def _cursor_unit_in(self, layout: Layout | None) -> int:
        if layout is None or not len(layout):
            return 0
        hint = self._unit_hint
        if (
            hint is not None
            and hint < layout.doc.unit_count
            and layout.row_of_unit(hint) == self.cursor_row
        ):
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
        beyond = self._beyond(unit_start)
        lay = self._layout
        if lay is None or beyond:
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

    def go_to_unit(self, unit: int) -> None:
        """Cursor to a unit's first row, scrolled into view (a third down if it was off)."""
        beyond = self._beyond(unit)
        lay = self._layout
        if lay is None or beyond:
            self._pending.jump_to(unit)
            return
        self._jump_to_row(lay.row_of_unit(unit), unit)

    def go_to_time(self, seconds: float) -> None:
        if self._alignment is None or not self._alignment.unit_seconds:
            return
        self.go_to_unit(self._alignment.unit_at(seconds))

    def row_of_offset(self, offset: int) -> int | None:
        return self._layout.row_of_offset(offset) if self._layout is not None else None

    def go_to_offset(self, offset: int) -> None:
        """Cursor to the row showing an offset of ``readable.text`` (a highlight)."""
        if self._layout is None or self._doc is None:
            return
        unit = self._doc.unit_at_offset(offset)
        row = self._layout.row_of_offset(offset)
        self._jump_to_row(row, unit if self._layout.row_of_unit(unit) == row else None)

    def seconds_at_offset(self, offset: int) -> float:
        """The time of the unit at an offset of ``readable.text``."""
        return self._seconds(self._doc.unit_at_offset(offset)) if self._doc is not None else 0.0

    # --- highlights -----------------------------------------------------------------------

    def set_marks(self, spans: Sequence[tuple[int, int]], noted: Sequence[int] = ()) -> None:
        """Highlights to mark in the gutter: spans of ``readable.text``; ``noted``: the
        starts of those that carry a note."""
        self._marks = sorted((int(a), int(b)) for a, b in spans if b > a)
        self._noted = set(noted)
        self._rows.clear()
        self.refresh()

    # --- cursor -------------------------------------------------------------------------

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
        if self._pending.waiting:
            self._pending.take()  # the cursor moved since: a place waiting for the rest is moot
        unit = self._cursor_unit_in(self._layout)
        if unit != self._posted_unit:
            self._posted_unit = unit
            self.post_message(CursorMoved(unit, self._seconds(unit)))

    # --- rendering ----------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._rows.clear()

    def on_focus(self) -> None:
        self._rows.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._rows.clear()
        self.refresh()

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # Sized by a layout and not laid out at this width yet (the first frame): laid out
        # now, before the frame is drawn, so the frame's scrollbar already knows the
        # rows (laid out while drawing, the scrollbar waited for another layout).
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        width = self._text_width()
        if layout and self._has_doc() and width > 0:
            lay = self._layout
            if lay is None or lay.width != max(10, width):
                self._sizing = True
                try:
                    self._relayout()
                finally:
                    self._sizing = False
                self._scroll_update(self.virtual_size)  # the scrollbar, for those rows
        return changed

    def render_lines(self, crop: Region) -> list[Strip]:
        # Sized for the first time (or again) and not laid out yet: lay out now, so this
        # frame shows the text rather than the one after the resize event.
        if self._has_doc() and self._text_width() > 0:
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
        strip = self._rows.get(key)
        if strip is None:
            strip = self._render_row(row, width, state)
            self._rows.put(key, strip)
        return strip.apply_offsets(0, row)

    def _row_state(self, row: int) -> RowState:
        lay = self._layout
        assert lay is not None
        claim = lay.range_columns(row, *self._claim) if self._claim is not None else None
        alignment = self._alignment
        gutter = (
            time_label(lay, row, self._seconds, alignment.estimated)
            if alignment is not None and alignment.unit_seconds
            else ""
        )
        return RowState(
            row == self.cursor_row,
            self.selected_columns(row),
            claim,
            gutter,
            self._hits.on_row(lay, row),
            highlight_mark(lay, row, self._marks, self._noted),
        )

    def _render_row(self, row: int, width: int, state: RowState) -> Strip:
        lay, doc = self._layout, self._doc
        assert lay is not None and doc is not None
        get = self.get_component_rich_style

        def style(name: str) -> Style:
            return get(f"transcript-view--{name}")

        return paint_row(lay, doc, row, width, state, self.rich_style, style, self.app.console)

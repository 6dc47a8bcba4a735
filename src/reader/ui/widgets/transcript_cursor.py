"""The transcript pane's cursor: a row of the layout, moved by keys as in a pager (``j``/
``k``, pages, half pages, top and bottom, a click) and by jumps, scrolled into view.

:class:`CursorRows` is the ScrollView the pane is built on; it knows the layout's rows
and nothing of what they show. The pane (``transcript_view.TranscriptView``) sets
``_layout`` and hears of every cursor move through :meth:`CursorRows._cursor_changed`.
"""

from __future__ import annotations

from textual import events
from textual.reactive import reactive
from textual.scroll_view import ScrollView

from ...wrapped_layout import Layout


class CursorRows(ScrollView):
    """A ScrollView over the rows of a :class:`~reader.wrapped_layout.Layout` with a
    cursor row that skips the blank rows between paragraphs."""

    cursor_row: reactive[int] = reactive(0, always_update=False, init=False, repaint=False)
    """The cursor's row in the current layout."""

    _layout: Layout | None = None
    _unit_hint: int | None = None  # the unit a jump put the cursor on (it may start mid-row)

    def _cursor_changed(self) -> None:
        """The cursor moved (or stayed on its row with a new unit): for the pane."""

    def validate_cursor_row(self, row: int) -> int:
        lay = self._layout
        if lay is None or not len(lay):
            return 0
        return max(0, min(row, len(lay) - 1))

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
        lay = self._layout
        if lay is None or not len(lay):
            return
        if self._bring_cursor_into_view():
            return
        step = 1 if delta > 0 else -1
        row = self.cursor_row + delta
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

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or self._layout is None or not len(self._layout):
            return
        row = round(self.scroll_y) + offset.y
        if row >= len(self._layout):
            return
        self._move_cursor(row, -1, scroll=False)

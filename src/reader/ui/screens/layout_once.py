"""A screen that is laid out and drawn once per change, not twice: the few private parts
of Textual's ``Screen`` the main screen overrides, in one place.

Textual lays a screen out again for things that change nothing on it: the terminal's first
size arriving after the first layout at that very size, the layout its compose mount asks
for (which would run just after the first frame), the empty toast rack hidden just after
that frame, and a scrollbar that a list (the summary) finds it needs while being laid out
(a second layout after a frame instead of before it). Each of these drew every pane a
second time at start (benchmarks/README.md, "UI"). ``tests/test_textual_internals.py``
fails loudly, naming the attribute, when a Textual upgrade removes or renames one.
"""

from __future__ import annotations

from time import monotonic
from typing import Any

from textual.app import App
from textual.events import Resize, ScreenResume
from textual.messages import Layout, Update
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget

# (class, attribute) pairs used below: checked by the test (instance attributes on an
# instance, the rest on the class)
USED = (
    (Screen, "_refresh_layout"),
    (Screen, "_compositor_refresh"),
    (Screen, "_on_resize"),
    (Screen, "_screen_resized"),
    (Screen, "_layout_required"),
    (Screen, "_on_screen_resume"),
    (Screen, "_on_layout"),
    (Screen, "_on_update"),
    (Screen, "_repaint_required"),
    (Screen, "_compositor"),
    (ScreenResume, "refresh_styles"),
    (App, "_background_screens"),
)


class LayoutOnce(Screen[Any]):
    # Textual repaints the whole screen when focus moves (a full-screen update, every
    # widget's lines again: ~5 ms). The widgets whose look depends on focus restyle and
    # repaint themselves (Focus/Blur, :focus and :focus-within rules), so no more is needed.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    _laid_out_size: Any = None  # the size of the last layout (see _on_resize)
    _relayout = False
    _resumed = False  # has the screen been resumed (shown) once?
    _first_layout = False  # the first resume's layout, the screen's first, is running
    _drop_resume_repaint = False  # (see _on_screen_resume)
    _first_frame_at: float | None = None  # when its first frame was laid out (monotonic)

    def on_size_changed(self, width: int) -> None:
        """The screen's width is (or will be) ``width``: a hook for size classes."""

    def hide_empty_toasts(self) -> None:
        """Call before the first layout: Textual hides the (empty) toast rack just after
        the first frame, which lays the screen out again; hidden before, that later hide
        changes nothing (the rack shows itself again for the first notification)."""
        for rack in self.query("ToastRack"):
            rack.display = False

    async def _on_resize(self, event: Resize) -> None:
        # The terminal's first size reaches the screen after it has already been laid out
        # and painted at that very size: a second layout of every pane (and a second
        # frame) for nothing. Only a real change lays out again. (Textual calls the
        # handler of every class in the MRO: prevent_default keeps Screen's from running.)
        if self.is_current and self._laid_out_size == event.size:
            self.on_size_changed(event.size.width)
            event.prevent_default()
            event.stop()
            for screen in self.app._background_screens:
                if screen.size != event.size:
                    screen._screen_resized(event.size)

    def _on_screen_resume(self, event: ScreenResume) -> None:
        # Textual restyles every node of a screen when it resumes (its styles may be stale
        # after time under another screen). The first resume follows the mount, which has
        # just styled every node (and restyles what changed since: a class, the focus): a
        # second full restyle changes nothing and costs ~30 style applications at start.
        # (Screen's own handler runs after this one: Textual calls each class's.)
        # Its handler then lays out and draws the first frame, and asks for a repaint of
        # the whole screen after it (for a resume at an unchanged size, which draws
        # nothing): at start that second full frame redraws what was just drawn.
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False
            self._first_layout = self._laid_out_size is None  # never laid out before
            self._drop_resume_repaint = True
            self.call_next(self._resume_handled)

    def _resume_handled(self) -> None:
        self._drop_resume_repaint = self._first_layout = False

    def refresh(
        self,
        *regions: Any,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Any:
        if self._drop_resume_repaint and self._first_frame_at is not None:
            if not (regions or layout or recompose):  # the resume's repaint (above)
                self._drop_resume_repaint = False
                return self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _refresh_layout(self, size: Any = None, scroll: bool = False) -> None:
        self._relayout = False
        # A whole layout now does what every layout asked for until now: the compose
        # mount asks for one that would otherwise run just after the first frame and
        # draw the panes again. (Those asked for during this one still run.)
        self._layout_required = False
        super()._refresh_layout(size, scroll)
        self._laid_out_size = self.size

    def relayout_before_paint(self) -> None:
        """A pane's scrollbar came or went while the screen was laid out (SummaryView
        measures its claims then): lay out again before drawing, not after a frame."""
        self._relayout = True

    def _compositor_refresh(self) -> None:
        if self._relayout:
            self._relayout = False
            self._refresh_layout(self.size)  # draws, once, what it lays out
            return
        if self._first_layout and self.is_current:
            # the screen's first whole layout (at its first resume) is about to be drawn:
            # a full frame, every widget drawn
            self._first_layout = False
            self._first_frame_laid_out()
        super()._compositor_refresh()

    def _first_frame_laid_out(self) -> None:
        """The first frame is laid out, about to be drawn. Every layout asked for until
        now is done by that first whole layout (nothing was laid out before it): each
        widget asks for one when the layout gives it its size (Textual sets its virtual
        size, a reactive that lays out again), and a display changed before it asks too.
        Those requests would lay the whole screen out again, and redraw it, just after
        the first frame; they are dropped here, and so are the repaints asked for until
        now (the first frame draws every widget). (Requests made while the frame is
        drawn, or after it, still run.)"""
        self._first_frame_at = monotonic()
        self._repaint_required = False
        for widget in self.walk_children(Widget, with_self=False):  # the hidden ones too
            widget._layout_required = widget._repaint_required = False
        for widget, _ in self._compositor.layers:  # the shown ones and their scrollbars
            widget._layout_required = widget._repaint_required = False

    def _before_first_frame(self, message: Layout | Update) -> bool:
        """Was this request posted before the first frame was laid out (done by it)?"""
        first = self._first_frame_at
        return first is not None and message.time < first and self.is_current

    async def _on_layout(self, message: Layout) -> None:
        if self._before_first_frame(message):
            message.prevent_default()  # (Screen's handler, which would lay out again)
            message.stop()

    async def _on_update(self, message: Update) -> None:
        if self._before_first_frame(message):  # drawn in full by the first frame
            message.prevent_default()  # (Screen's handler, which would draw it again)
            message.stop()

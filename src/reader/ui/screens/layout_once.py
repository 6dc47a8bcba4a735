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

from typing import Any

from textual.app import App
from textual.events import Resize
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
    (App, "_background_screens"),
)


class LayoutOnce(Screen[Any]):
    # Textual repaints the whole screen when focus moves (a full-screen update, every
    # widget's lines again: ~5 ms). The widgets whose look depends on focus restyle and
    # repaint themselves (Focus/Blur, :focus and :focus-within rules), so no more is needed.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    _laid_out_size: Any = None  # the size of the last layout (see _on_resize)
    _relayout = False

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
        super()._compositor_refresh()

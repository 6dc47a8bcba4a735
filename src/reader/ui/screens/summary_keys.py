"""The summary's keys, for the main screen: its share of the width (``<`` / ``>``,
remembered in the settings), the next or previous summary (``]`` / ``[``) and section
(``}`` / ``{``).

The main screen owns one :class:`SummaryKeys` and routes the keys to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...state import load_settings, save_setting

if TYPE_CHECKING:
    from .main import MainScreen

# percent of the screen, the default share of the summary pane (>= 36 columns of text at 120)
SUMMARY_WIDTH = 42
SUMMARY_WIDTHS = (18, 70)  # the least and most the user can give it
SUMMARY_STEP = 4


class SummaryKeys:
    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        width = load_settings().get("summary_width")
        low, high = SUMMARY_WIDTHS
        ok = isinstance(width, int) and low <= width <= high
        self.width: int = width if isinstance(width, int) and ok else SUMMARY_WIDTH

    def change_width(self, delta: int) -> None:
        """``<`` / ``>``: give the summary less or more of the width (remembered)."""
        screen = self.screen
        low, high = SUMMARY_WIDTHS
        width = max(low, min(high, self.width + delta * SUMMARY_STEP))
        if width == self.width:
            way = "narrow" if delta < 0 else "wide"
            screen.notify(f"The summary is already as {way} as it goes.", markup=False)
            return
        self.width = width
        if screen.panes_ready:
            screen.summary_view.styles.width = f"{width}%"
        save_setting("summary_width", width)

    def switch(self, delta: int) -> None:
        """``]`` / ``[``: the next / previous summary of the episode."""
        screen = self.screen
        view = screen.summary_view
        if not view.summaries:
            screen.notify("This episode has no summaries.", markup=False)
            return
        if not view.switch(delta):
            screen.notify("This episode has only one summary.", markup=False)
            return
        screen.status.summary = view.label
        if screen.transcript is not None:
            view.mark_unit(screen.transcript_view.cursor_unit)
            screen.clock.update_timeline()

    def section(self, delta: int) -> None:
        """``{`` / ``}``: the previous / next section of the summary, shown in the
        transcript."""
        screen = self.screen
        view = screen.summary_view
        index = view.section_start(delta)
        if index is None:
            no_more = "No more sections this way."
            none = "This episode has no summaries."
            screen.notify(no_more if view.summary else none, markup=False)
            return
        view.select_claim(index)
        view.mark_claim(index)
        ca = view.claim_alignment(index)
        shown = ca is not None and ca.status != "unsupported" and ca.unit_start >= 0
        if ca is not None and shown and screen.transcript is not None:
            screen.transcript_view.show_range(ca.unit_start, ca.unit_end)

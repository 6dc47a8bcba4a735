"""``t``: a small prompt for a time to jump to (``12:34``, ``1:02:03``, ``754``)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from ...model import parse_clock
from .modal import OnceModal


class GotoScreen(OnceModal[float | None]):
    """Dismisses with the time in seconds, or None on Escape. A bad time is notified and
    the prompt stays open so it can be corrected."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="goto.cancel")]
    DEFAULT_CSS = """
    GotoScreen { align: center middle; }
    GotoScreen > Vertical {
        width: 40; height: auto; border: round $accent; background: $surface; padding: 0 1;
    }
    GotoScreen Static { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Go to time"
            yield Input(placeholder="12:34 or 1:02:03", id="goto-input")
            yield Static("Enter to jump · Escape to cancel", markup=False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        seconds = parse_clock(event.value)
        if seconds is None:
            shown = event.value.strip()[:40] or "(empty)"
            self.notify(
                f"Not a time: {shown!r} — try 12:34 or 1:02:03", severity="warning", markup=False
            )
            return
        self.dismiss(seconds)

    def action_cancel(self) -> None:
        self.dismiss(None)

"""Highlights in the app: ``m`` asks for an optional note (NoteScreen, a one-line input
over the bottom of the transcript); ``'`` lists the episode's highlights, filtered as
you type, and Enter jumps to one (HighlightsScreen).

Highlight text and notes are data: shown as plain text only.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...model import format_clock
from ...notes import Highlight
from ..widgets.status_line import safe_text


class NoteScreen(ModalScreen[str | None]):
    """Dismisses with the note typed (possibly ""), or None on Escape (no note)."""

    BINDINGS = [Binding("escape", "cancel", "No note", id="note.cancel")]
    DEFAULT_CSS = """
    NoteScreen { align: center bottom; background: $background 0%; }
    NoteScreen > Vertical {
        width: 100%; height: auto; border: round $success; background: $surface;
        padding: 0 1; margin: 0 0 2 0;
    }
    NoteScreen Static { color: $text-muted; }
    """

    def __init__(self, quoted: str, note: str = "", editing: bool = False) -> None:
        super().__init__()
        self.quoted = quoted
        self.note = note
        self.editing = editing

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Edit the note" if self.editing else "Highlighted"
            yield Static(safe_text(f"“{self.quoted}”", 160), markup=False, id="note-quoted")
            yield Input(value=self.note, placeholder="A note (optional)", id="note-input")
            yield Static("Enter to save the note · Escape to leave it as it is", markup=False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class HighlightsScreen(ModalScreen[str | None]):
    """The episode's highlights by time; typing filters them (text, note, speaker).
    Dismisses with the chosen highlight's id, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Close", id="highlights.cancel"),
        Binding("down", "to_list", "List", show=False),
    ]
    DEFAULT_CSS = """
    HighlightsScreen { align: center middle; }
    HighlightsScreen > Vertical {
        width: 90%; max-width: 110; height: 80%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    HighlightsScreen OptionList { height: 1fr; border: none; }
    HighlightsScreen Static { color: $text-muted; }
    """

    def __init__(self, highlights: Sequence[Highlight], title: str = "") -> None:
        super().__init__()
        self.highlights = list(highlights)
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(
                f"Highlights · {safe_text(self.title_text, 60)}"
                if self.title_text
                else "Highlights"
            )
            yield Input(placeholder="Type to filter highlights and notes", id="highlights-filter")
            yield OptionList(id="highlights-list")
            yield Static("Enter to jump · ↓ to the list · Escape to close", markup=False)

    def on_mount(self) -> None:
        self._fill("")

    @staticmethod
    def _prompt(h: Highlight) -> Table:
        """Time in a narrow column, the words (and the note below them) wrapping in their
        own column: a hanging indent."""
        when = Text(format_clock(h.seconds, h.estimated), style="dim", no_wrap=True)
        body = Text(safe_text(h.text, 400))
        if h.speaker:
            body = Text.assemble((safe_text(h.speaker, 60) + ": ", "bold"), body)
        if h.note:
            body.append("\n✎ ", style="green")
            body.append(safe_text(h.note, 400), style="italic")
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(width=9, no_wrap=True, justify="right")
        grid.add_column(ratio=1, overflow="fold")
        grid.add_row(when, body)
        return grid

    def _fill(self, words: str) -> None:
        terms = [t for t in words.lower().split() if t]
        shown = [
            h
            for h in sorted(self.highlights, key=lambda h: h.seconds)
            if all(t in f"{h.text} {h.note} {h.speaker or ''}".lower() for t in terms)
        ]
        options = [Option(self._prompt(h), id=h.id) for h in shown]
        listing = self.query_one(OptionList)
        listing.set_options(options)
        if not options:
            empty = (
                "No highlight matches."
                if self.highlights
                else "No highlights yet: press m in the transcript."
            )
            listing.add_option(Option(Content.styled(empty, "$text-muted"), disabled=True))
        else:
            listing.highlighted = 0

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        listing = self.query_one(OptionList)
        if listing.highlighted is not None:
            option = listing.get_option_at_index(listing.highlighted)
            if option.id:
                self.dismiss(option.id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.dismiss(event.option.id)

    def action_to_list(self) -> None:
        self.query_one(OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

"""``?``: every key on one screen, generated from the BINDINGS of the app, the main
screen and its panes (plus a short fixed intro), so it cannot drift from the real keys."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from .modal import OnceModal

INTRO = (
    "Summary | transcript | search, kept in sync by time. Enter on a claim shows its "
    "words in the transcript; moving in the transcript marks the claim there. Times "
    "with ~ are estimated."
)


def _groups(app: Any) -> list[tuple[str, list[Binding]]]:
    """The bindings of the app, the main screen and each pane, from their BINDINGS (so
    this screen cannot drift from what the keys do)."""
    from ..widgets.search_pane import ResultsList, SearchPane
    from ..widgets.summary_view import SummaryView
    from ..widgets.transcript_view import TranscriptView
    from .main import MainScreen

    sources = [
        ("Transcript", TranscriptView),
        ("Summary", SummaryView),
        ("Search results", ResultsList),
        ("Search", SearchPane),
        ("Everywhere", MainScreen),
        ("App", type(app)),
    ]
    groups = []
    for title, source in sources:
        bindings = [b for b in _bindings(source) if b.description]
        if bindings:
            groups.append((title, bindings))
    return groups


def _bindings(source: Any) -> list[Binding]:
    out: list[Binding] = []
    for item in getattr(source, "BINDINGS", []):
        if isinstance(item, Binding):
            out.extend(Binding.make_bindings([item]))
        else:
            out.extend(Binding.make_bindings([item]))
    # one row per action: "j / down" rather than two rows
    merged: dict[str, Binding] = {}
    keys: dict[str, list[str]] = {}
    for b in out:
        merged.setdefault(b.action, b)
        keys.setdefault(b.action, []).append(b.key)
    return [Binding(",".join(keys[a]), b.action, b.description) for a, b in merged.items()]


def help_content(app: Any) -> Content:
    parts: list = [(INTRO, "$text-muted"), "\n"]
    for title, bindings in _groups(app):
        parts += ["\n", (title, "bold $secondary"), "\n"]
        for b in bindings:
            shown = " / ".join(app.get_key_display(Binding(k, b.action)) for k in b.key.split(","))
            parts += [(f"  {shown:<17}", "bold $accent"), b.description, "\n"]
    parts += ["\n", ("Ctrl+P: command palette.  Escape, q or ? closes this.", "$text-muted")]
    return Content.assemble(*parts)


class HelpScreen(OnceModal[None]):
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close"),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Keys"
            yield Static(help_content(self.app), id="help-text")

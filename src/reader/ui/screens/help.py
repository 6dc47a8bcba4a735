"""``?``: every key on one screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Moving",
        [
            ("Tab / Shift+Tab", "next / previous pane"),
            ("j / k, ↓ / ↑", "down / up"),
            ("PgDn / PgUp", "page down / up"),
            ("g / G", "top / bottom"),
            ("t", "go to a time (12:34, 1:02:03)"),
        ],
    ),
    (
        "Summary",
        [
            ("Enter", "jump to the claim in the transcript"),
            ("[ / ]", "previous / next summary"),
            ("y / Y", "copy the claim as a quote (Y: with link)"),
        ],
    ),
    (
        "Transcript",
        [
            ("v", "start / end a selection"),
            ("y", "copy line or selection as a quote"),
            ("Y", "copy quote with a link to the moment"),
            ("n / N", "next / previous hit of the last search"),
        ],
    ),
    (
        "Search",
        [
            ("/", "search every episode"),
            ("Enter", "run the query / open the result"),
            ("Escape", "back to the transcript"),
        ],
    ),
    (
        "App",
        [
            ("e", "episodes"),
            ("Ctrl+P", "command palette"),
            ("?", "this help"),
            ("q", "quit"),
        ],
    ),
]


def help_content() -> Content:
    parts: list = []
    for n, (group, keys) in enumerate(KEYS):
        if n:
            parts.append("\n")
        parts += [(group, "bold $secondary"), "\n"]
        for key, text in keys:
            parts += [(f"  {key:<17}", "bold $accent"), text, "\n"]
    parts += ["\n", ("Press Escape, q or ? to close.", "$text-muted")]
    return Content.assemble(*parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
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
            yield Static(help_content(), id="help-text")

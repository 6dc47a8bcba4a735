"""Taking a moment out of the reader, for the main screen: a quote to the clipboard
(``y`` / ``Y``: ``reader.quote.copy_quote`` formats, links, copies and appends it to the
quote book) and the source opened at that time (``o``: ``reader.opener.open_at``). Both
run in a thread and report in one notification.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..messages import QuoteCopied, QuoteRequested
from ..services import services_of
from ..widgets.status_line import safe_text

if TYPE_CHECKING:
    from .main import MainScreen


class Sharing:
    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.last_quote: str | None = None
        self.last_opened: Any = None  # reader.opener.Opened, the last `o`

    def copy_quote(self, message: QuoteRequested) -> None:
        screen = self.screen
        episode = screen.episode
        if episode is None:
            return
        app = screen.app
        copy_text = services_of(app).copy_text

        def run() -> None:
            from ...quote import copy_quote

            def osc52(payload: str) -> None:
                app.call_from_thread(app.copy_to_clipboard, payload)

            done = copy_quote(
                episode,
                message.text,
                message.seconds,
                copy_text,
                osc52,
                with_link=message.with_link,
                estimated=message.estimated,
                speaker=message.speaker,
                summary_name=message.summary_name,
            )
            screen.post_message(QuoteCopied(done.quote, done.message, done.book_error, done.ok))

        screen.run_worker(run, thread=True, group="quote")

    def quote_copied(self, message: QuoteCopied) -> None:
        self.last_quote = message.quote
        self.screen.notify(
            safe_text(message.message, 300),
            severity="information" if message.ok else "error",
            markup=False,
        )
        if message.book_error:
            self.screen.notify(safe_text(message.book_error, 300), severity="warning", markup=False)

    def open_source(self) -> None:
        """``o``: the source at the highlighted claim's time (summary), else the cursor's."""
        screen = self.screen
        episode = screen.episode_needed()
        if episode is None:
            return
        seconds, estimated = None, False
        if screen.current_pane() == "summary":
            view = screen.summary_view
            claim_index, summary = view.highlighted_claim, view.summary
            if claim_index is not None and summary is not None:
                seconds = summary.claims[claim_index].seconds
        if seconds is None:
            if screen.transcript is None or screen.alignment is None:
                screen.notify("Nothing to open yet.", severity="warning", markup=False)
                return
            seconds, estimated = (
                screen.transcript_view.cursor_seconds,
                bool(screen.alignment.estimated),
            )
        app = screen.app

        def run() -> None:
            from ...opener import open_at

            opened = open_at(episode, seconds, estimated=estimated)

            def report() -> None:
                self.last_opened = opened
                screen.notify(
                    safe_text(opened.message, 300),
                    severity="information" if opened.ok else "warning",
                    markup=False,
                )

            app.call_from_thread(report)

        screen.run_worker(run, thread=True, group="open")

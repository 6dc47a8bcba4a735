"""The library's search index, for the main screen: updated from a thread once the first
frame is painted (progress in the status line), then handed to the search pane; an index
that cannot be built leaves search unavailable with one message, the reader still works.
A bulk update (a first build) runs in a spawned process, hits' times included
(``LibraryIndex.update_in_worker``): the app never holds a build's posting pool.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..messages import IndexOpened, IndexUpdated
from ..services import services_of
from ..widgets.status_line import safe_text

if TYPE_CHECKING:
    from .main import MainScreen


class SearchIndexKeeper:
    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.index: Any = None  # reader.search.LibraryIndex once built
        self.error: str | None = None
        self.building = False
        self.progress_note = ""  # "Indexing 3/40…" while it is built

    def build(self) -> None:
        screen = self.screen
        self.building = True
        services = services_of(screen.app)

        def run() -> None:
            searchable = False

            def progress(done: int, total: int, name: str) -> None:
                nonlocal searchable
                screen.post_message(IndexUpdated(done, total, name))
                if not searchable and getattr(index, "searchable", False):
                    searchable = True
                    screen.post_message(IndexOpened(index, partial=True))

            try:
                index = services.make_index(screen.library)
                # a first build (and any bulk update) runs in a spawned process: this
                # one never holds its posting pool; the hits' times follow it there
                update = getattr(index, "update_in_worker", index.update)
                update(progress)
            except Exception as exc:
                screen.post_message(IndexOpened(None, f"{type(exc).__name__}: {exc}"))
                return
            screen.post_message(IndexOpened(index))

        screen.run_worker(run, thread=True, exclusive=True, group="index")

    def progress(self, message: IndexUpdated) -> None:
        self.progress_note = f"Indexing {message.done}/{message.total}…"
        self.screen.update_progress()

    def ready(self, message: IndexOpened) -> None:
        screen = self.screen
        if not message.partial:  # a first build's first batch: searchable, still building
            self.building = False
            self.progress_note = ""
        self.index, self.error = message.index, message.error
        screen.update_progress()
        if message.error:
            screen.notify(
                safe_text(f"Search is unavailable: {message.error}", 300),
                severity="error",
                markup=False,
            )
        if screen.panes_ready:
            screen.search_pane.set_index(message.index, message.error)

    def give_to_pane(self) -> None:
        """The panes were just built: the search pane gets the index (or its error)."""
        if self.index is not None or not self.building:
            self.screen.search_pane.set_index(self.index, self.error)

"""The open episode's highlights and notes, for the main screen: read once the episode is
shown, found in the transcript (``reader.notes.relocate``), marked in its gutter and on
the timeline, added (``m``), edited, removed, listed (``'``) and exported.

The main screen owns one :class:`ReadingNotes` and routes the messages and keys to it;
the work on the files is the core's (``reader.notes``, ``reader.export``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...errors import ReaderError
from ..widgets.status_line import safe_text

if TYPE_CHECKING:
    from ...library import Episode
    from ...notes import Highlight, HighlightStore, Located
    from ...quote import Passage
    from .main import MainScreen


class ReadingNotes:
    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.store: HighlightStore | None = None  # the open episode's
        self.located: list[tuple[Highlight, Located]] = []  # where each is in the transcript shown
        self._marked: object = None  # the document last given marks (a new one comes unmarked)

    def _warn(self, text: str) -> None:
        self.screen.notify(safe_text(text, 300), severity="warning", markup=False)

    def load(self, episode: Episode) -> None:
        from ...notes import HighlightStore

        if self.store is not None and self.store.unsaved:
            self.save()  # one more try before the episode changes
        self.store = HighlightStore.load(episode.id)
        if self.store.problem:
            self._warn(self.store.problem)
        self.show()

    def show(self) -> None:
        """Find every highlight in the transcript shown and mark it in the gutter."""
        from ...notes import relocate

        screen = self.screen
        view = screen.transcript_view
        doc = view.readable
        if self.store is None or doc is None or screen.transcript is None:
            self.located = []
            return
        self.located = relocate(self.store, doc, screen.alignment)
        if not self.located and self._marked is not doc:
            return  # nothing to mark, nothing marked: the panes are not drawn again
        view.set_marks(
            [(w.start, w.end) for _h, w in self.located],
            [w.start for h, w in self.located if h.note],
        )
        self._marked = doc if self.located else None
        self.mark_timeline()

    def mark_timeline(self) -> None:
        view = self.screen.transcript_view
        if view.readable is None:
            return
        self.screen.timeline.set_highlights(
            view.seconds_at_offset(w.start) for _h, w in self.located
        )

    def save(self) -> bool:
        if self.store is None:
            return True
        try:
            self.store.save()
        except ReaderError as exc:
            self._warn(str(exc))
            return False
        return True

    def save_quietly(self) -> None:
        """The app is closing or the episode changing: one more try, no message."""
        if self.store is not None and self.store.unsaved:
            try:
                self.store.save()  # kept in memory since it failed
            except ReaderError:
                pass

    def at(self, start: int, end: int) -> Highlight | None:
        for h, where in self.located:
            if where.start < end and start < where.end:
                return h
        return None

    def request(self, found: Passage) -> None:
        """``m``: keep a passage as a highlight and ask for its note; on a highlight, edit
        its note."""
        from ...notes import new_highlight
        from .notes import NoteScreen

        screen = self.screen
        if screen.episode is None or self.store is None:
            return
        existing = self.at(found.start, found.end)
        if existing is not None:  # m on a highlight: edit its note
            screen.app.push_screen(
                NoteScreen(existing.text, existing.note, editing=True),
                callback=lambda note, hid=existing.id: self.noted(hid, note),
            )
            return
        doc = screen.transcript_view.readable
        if doc is None:
            return
        highlight = new_highlight(
            doc,
            found.start,
            found.end,
            found.text,
            found.seconds,
            estimated=found.estimated,
            speaker=found.speaker,
        )
        try:
            self.store.add(highlight)
        except ReaderError as exc:
            self._warn(str(exc))
        self.show()
        screen.app.push_screen(
            NoteScreen(highlight.text),
            callback=lambda note, hid=highlight.id: self.noted(hid, note),
        )

    def noted(self, highlight_id: str, note: str | None) -> None:
        if note is None or self.store is None:
            return
        try:
            self.store.update(highlight_id, note=note)
        except ReaderError as exc:
            self._warn(str(exc))
        self.show()
        self.screen.notify("Note saved." if note else "Note removed.", markup=False)

    def open_list(self) -> None:
        from .notes import HighlightsScreen

        screen = self.screen
        episode = screen.episode_needed()
        if episode is None or self.store is None:
            return  # (the highlights file is read just after the episode is shown)
        screen.app.push_screen(
            HighlightsScreen(self.store.highlights, episode.title), callback=self.jump_to
        )

    def jump_to(self, highlight_id: str | None) -> None:
        if highlight_id is None:
            return
        for h, where in self.located:
            if h.id == highlight_id:
                self.screen.transcript_view.go_to_offset(where.start)
                self.screen.focus_pane("transcript")
                return
        self._warn("That highlight is not in this transcript.")

    def remove_at_cursor(self) -> None:
        span = self.screen.transcript_view.selection_span()
        h = self.at(*span) if span is not None else None
        if h is None or self.store is None:
            self.screen.notify("No highlight under the cursor.", markup=False)
            return
        try:
            self.store.remove(h.id)
        except ReaderError as exc:
            self._warn(str(exc))
        self.show()
        self.screen.notify("Highlight removed.", markup=False)

    def export(self) -> None:
        """Write the episode's note (summary, highlights) into the data folder (a thread)."""
        screen = self.screen
        episode = screen.episode_needed()
        if episode is None:
            return
        if self.store is not None and self.store.unsaved:
            self.save()
        store, app = self.store, screen.app

        def write() -> None:
            from ...export import export_to_data_dir

            try:
                path = export_to_data_dir(episode, store)
            except ReaderError as exc:
                app.call_from_thread(
                    screen.notify, safe_text(str(exc), 300), severity="error", markup=False
                )
                return
            app.call_from_thread(screen.notify, safe_text(f"Exported to {path}", 300), markup=False)

        screen.run_worker(write, thread=True, group="export")

"""The open episode in time, for the main screen: its length as the status line shows it,
the timeline (sections, rough stretches, the position, hits and highlights), and ``t``
(go to a time; asked while another episode opens, the time waits for it).

The main screen owns one :class:`EpisodeClock` and routes the keys and messages to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .main import MainScreen


class EpisodeClock:
    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._pending: float | None = None  # t pressed while an episode was opening

    def length_args(self) -> tuple[float, bool, bool, bool]:
        """(length, times estimated, length estimated, times rough) for the status line:
        the length is the one the picker and ``reader list`` show (reader.length)."""
        from ...length import alignment_length

        screen = self.screen
        alignment = screen.alignment
        assert alignment is not None
        known = screen.episode.known_duration_s if screen.episode is not None else None
        length, estimated_length = alignment_length(alignment, known)
        return (
            length,
            alignment.estimated,
            estimated_length,
            bool(getattr(alignment, "rough", False)),
        )

    def update_timeline(self) -> None:
        """Segments from the shown summary's sections (or its claims, for a short list
        without sections); rough stretches where an estimated clock has no anchor near."""
        from ...timeline_marks import rough_stretches, segment_starts

        screen = self.screen
        alignment = screen.alignment
        if alignment is None:
            screen.timeline.clear()
            return
        length = self.length_args()[0]
        view = screen.summary_view
        rows = (
            view.alignments[view.summary_index]
            if 0 <= view.summary_index < len(view.alignments)
            else []
        )
        screen.timeline.set_episode(
            length, segment_starts(rows), rough_stretches(alignment, length)
        )
        screen.timeline.position = screen.transcript_view.cursor_seconds
        if screen.notes.located:
            screen.notes.mark_timeline()
        if screen.search_terms:
            screen.timeline.set_hits(screen.transcript_view.hit_seconds())

    # --- t: go to a time --------------------------------------------------------------
    def ask(self) -> None:
        from .goto import GotoScreen

        screen = self.screen
        if screen.episode_needed() is None or screen.transcript is None:
            return  # (no transcript: its pane says why)
        screen.app.push_screen(GotoScreen(), callback=self.go_to)

    def go_to(self, seconds: float | None) -> None:
        screen = self.screen
        if seconds is None or screen.alignment is None:
            return
        if screen.opening_id is not None and (
            screen.episode is None or screen.opening_id != screen.episode.id
        ):
            # another episode is still opening: go there in it once it is shown
            self._pending = seconds
            screen.notify(
                f"{screen.opening_note or 'Opening…'} the time is kept for it.", markup=False
            )
            return
        duration = screen.alignment.duration_s
        if duration and seconds > duration + 1:
            from ...model import format_clock

            screen.notify(
                f"The episode is only {format_clock(duration)} long; going to the end.",
                markup=False,
            )
        screen.transcript_view.go_to_time(seconds)
        screen.focus_pane("transcript")

    def episode_shown(self) -> None:
        """An episode is shown: a time asked for while it opened is gone to now."""
        if self._pending is not None and self.screen.transcript is not None:
            seconds, self._pending = self._pending, None
            self.go_to(seconds)

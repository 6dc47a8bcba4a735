"""Where the user left off, for the main screen: the place to start from (the last episode
and unit, if that episode is still in the library), and the place saved as the cursor
moves (debounced: once per quiet spell, not once per key) and before the episode changes
or the app quits. The files are the core's (``reader.state``).
"""

from __future__ import annotations

from time import monotonic
from typing import TYPE_CHECKING

from textual.css.query import NoMatches

from ...state import Place, load_place, save_place

if TYPE_CHECKING:
    from textual.timer import Timer

    from ...library import Library
    from .main import MainScreen

SAVE_DELAY_S = 0.5  # the place is saved this long after the cursor last moved


def start_place(library: Library) -> Place | None:
    """The place saved last, if its episode is still in the library."""
    place = load_place(library.root)
    if place is not None and library.get(place.episode_id) is None:
        return None
    return place


class PlaceKeeper:
    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.last_unit = 0  # the cursor's unit as last reported (the panes may be gone)
        self._timer: Timer | None = None
        self._moved_at = 0.0

    def moved(self, unit: int) -> None:
        """The cursor moved: note its time; the save comes SAVE_DELAY_S after the last move."""
        self.last_unit = unit
        self._moved_at = monotonic()
        if self._timer is None:
            self._timer = self.screen.set_timer(SAVE_DELAY_S, self._due)

    def _due(self) -> None:
        self._timer = None
        wait = self._moved_at + SAVE_DELAY_S - monotonic()
        if wait > 0.01:
            self._timer = self.screen.set_timer(wait, self._due)
        else:
            self.save_now()

    def save_now(self) -> None:
        screen = self.screen
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        screen.notes.save_quietly()
        if screen.episode is None or screen.transcript is None:
            return
        try:
            unit = screen.transcript_view.cursor_unit
        except NoMatches:  # the panes are being built or taken down: the last known place
            unit = self.last_unit
        save_place(screen.library.root, Place(screen.episode.id, unit))

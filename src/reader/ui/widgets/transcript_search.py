"""The transcript pane's search hits: the words a search matched highlighted on every
row that shows them, ``n`` / ``N`` from hit to hit ("Hit 3 of 12", and whether that went
round the end), the cursor put on the searched words when a search result opens. Which
rows hold a hit, and where, is the core's (:class:`reader.transcript_hits.SearchHits`).
"""

from __future__ import annotations

from collections.abc import Iterable

from ...transcript_hits import Matcher, SearchHits, matcher_of, same_matcher
from .transcript_selection import SelectedRows


class HitRows(SelectedRows):
    """Selected cursor rows with search hits, and the ``n`` / ``N`` keys."""

    _hits: SearchHits

    def _seconds(self, unit: int) -> float:
        """The time of a unit (the pane's alignment)."""
        raise NotImplementedError

    def _beyond(self, unit: int) -> bool:
        """The unit is not laid out yet (the rest of a long transcript is on its way)."""
        raise NotImplementedError

    def set_search_terms(self, terms: Matcher | Iterable[str] | None) -> None:
        """Highlight the search hits: the search core's matcher of the words a query
        matched (``reader.search.TermMatcher``), or words to match as the index does."""
        matcher = matcher_of(terms)
        hits = self._hits
        if same_matcher(matcher, hits.matcher):
            return  # the same highlights: nothing to repaint
        lay = self._layout
        if lay is None or not len(lay) or not self.is_mounted:
            hits.set(matcher)
            self.refresh()
            return
        # Only the visible rows whose highlights change are repainted (a row's cached
        # strip is keyed by its own matches, see _row_state): a new query costs nothing
        # here when none of its words are on screen.
        top, bottom = self._visible_rows()
        rows = range(top, min(bottom, len(lay) - 1) + 1)
        before = [hits.on_row(lay, row) for row in rows]
        hits.set(matcher)
        for row, old_hits in zip(rows, before, strict=True):
            if hits.on_row(lay, row) != old_hits:
                self.refresh_lines(row)

    def cursor_to_hit_in_range(self, unit_start: int, unit_end: int) -> bool:
        """Put the cursor on the first row of a unit range that shows a search term (the
        words the user searched for, not the passage start). False if none does."""
        beyond = self._beyond(unit_start)  # (may lay out the whole: the layout after it)
        lay = self._layout
        if lay is None or self._hits.matcher is None or beyond:
            return False
        first, last = lay.rows_of_range(min(unit_start, unit_end), max(unit_start, unit_end))
        row = self._hits.first_in(lay, first, last)
        if row is None:
            return False
        if row != self.cursor_row:
            top, bottom = self._visible_rows()
            self._move_cursor(row, scroll=not top <= row <= bottom)
        return True

    def step_hit(self, direction: int) -> bool:
        """``n`` / ``N`` (here, or from another pane): to the next / previous search hit,
        and say where that is ("Hit 3 of 12") or why there is none."""
        if self._hit(1 if direction > 0 else -1):
            self.notify(self.hit_message(), timeout=2, markup=False)
            return True
        if self._hits.matcher is None:
            self.notify(
                "No search yet: press / to search, then n / N move between hits", markup=False
            )
        else:
            self.notify("No more hits in this transcript", markup=False)
        return False

    def next_hit(self) -> bool:
        return self._hit(+1)

    def prev_hit(self) -> bool:
        return self._hit(-1)

    @property
    def hit_position(self) -> tuple[int, int, bool] | None:
        """(n, of, wrapped) of the last ``n`` / ``N``."""
        return self._hits.position

    def hits_on_row(self, row: int) -> tuple[tuple[int, int], ...]:
        """The column spans of the search hits highlighted on ``row`` of the layout."""
        lay = self._layout
        return self._hits.on_row(lay, row) if lay is not None and 0 <= row < len(lay) else ()

    def hit_seconds(self) -> list[float]:
        """The time of each row with a search hit (for the timeline)."""
        lay = self._layout
        if lay is None or self._hits.matcher is None:
            return []
        return [self._seconds(lay.unit_of_row(row)) for row in self._hits.rows(lay)]

    def hit_message(self) -> str:
        """``Hit 3 of 12``, and whether the last ``n`` / ``N`` went round the end."""
        return self._hits.message()

    def _hit(self, direction: int) -> bool:
        row = self._hits.step(self._layout, self.cursor_row, direction)
        if row is None:
            return False
        self._jump_to_row(row)
        return True

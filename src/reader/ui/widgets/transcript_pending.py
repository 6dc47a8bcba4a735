"""The transcript pane's one waiting state: where the cursor goes once the transcript is
laid out (its width known), and, for a long transcript, what is still being laid out.

Progressive loading, the one mechanism: a long transcript shows its beginning at once --
the beginning the screen parsed early (:meth:`Pending.begin`, while the whole file is
parsed and aligned) or else its first ``sync_units`` units -- and the whole is laid out
in a thread and swapped in, the rows already shown keeping their offsets and the cursor
its row. A jump to a unit not laid out yet waits here until the whole has arrived.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...model import TranscriptUnit


class Rest:
    """The whole of a long transcript, to lay out in a thread (``generation``: which
    document it belongs to, so a late one for an older document is dropped)."""

    __slots__ = ("units", "timed", "generation")

    def __init__(self, units: Sequence[TranscriptUnit], timed: bool, generation: int) -> None:
        self.units, self.timed, self.generation = units, timed, generation


class Pending:
    """Where the cursor goes once laid out or once the rest of a long transcript has
    arrived, and whether it has: the one state the view waits on. (Plain classes, not
    dataclasses: they are built on the way to the first paint.)"""

    def __init__(self) -> None:
        self.unit: int | None = None  # the unit to put the cursor on
        self.range: tuple[int, int] | None = None  # ... and a unit range to show
        self.jump = False  # ... scrolled a third down, as a jump
        self.offset: int | None = None  # ... or the text offset whose row it stays on
        self.complete = True  # the whole transcript is laid out
        self.generation = 0  # counts the documents set
        self.rest: Rest | None = None  # the whole of a long one, not yet in a thread
        self.laid_out = 0  # units in the document shown now
        self.given: Sequence[TranscriptUnit] | None = None  # a beginning before its whole

    def start(
        self, units: Sequence[TranscriptUnit], timed: bool, sync_units: int
    ) -> Sequence[TranscriptUnit]:
        """A new document: the cursor goes to its start. Returns the units to lay out now
        (all of them, or the first ``sync_units`` of a long one)."""
        self.generation += 1
        self.restore(0)
        self.given = None
        self.complete = len(units) <= sync_units
        self.rest = None if self.complete else Rest(units, timed, self.generation)
        head = units if self.complete else units[:sync_units]
        self.laid_out = len(head)
        return head

    def begin(self, head: Sequence[TranscriptUnit]) -> None:
        """A new document known only by its beginning so far: the cursor goes to its start;
        the whole comes with :meth:`continues`."""
        self.generation += 1
        self.restore(0)
        self.complete, self.rest, self.laid_out, self.given = False, None, len(head), head

    def continues(self, units: Sequence[TranscriptUnit], timed: bool) -> bool:
        """Is ``units`` the whole of the beginning shown (its first units read the same)?
        Then it is laid out in a thread (:meth:`take_rest`) and nothing is reset."""
        given, self.given = self.given, None
        if given is None or len(given) > len(units):
            return False
        same = zip(given, units[: len(given)], strict=True)
        if any(a.text != b.text or a.speaker != b.speaker for a, b in same):
            return False
        self.complete, self.rest = False, Rest(units, timed, self.generation)
        return True

    def take_rest(self) -> Rest | None:
        """The rest to lay out in a thread (once)."""
        rest, self.rest = self.rest, None
        return rest

    def arrived(self, generation: int, unit_count: int) -> bool:
        """The whole of document ``generation`` is laid out: False if it is not the one
        shown any more. Keeps a pending cursor place as it is."""
        if generation != self.generation:
            return False
        self.complete, self.laid_out = True, unit_count
        return True

    def beyond(self, unit: int) -> bool:
        """The unit is not laid out yet (the rest of a long transcript is on its way)."""
        return not self.complete and unit >= self.laid_out

    @property
    def waiting(self) -> bool:
        """A cursor place waits for a layout."""
        return self.unit is not None

    def restore(self, unit: int) -> None:
        """Keep the cursor on ``unit`` (a new document, a relayout): nothing to show."""
        self.unit, self.range, self.jump, self.offset = unit, None, False, None

    def keep_row(self, unit: int, offset: int) -> None:
        """The whole of a long transcript arrived: its rows keep their offsets, so the
        cursor stays on the row showing ``offset`` (on ``unit``'s row if that is gone)."""
        self.restore(unit)
        self.offset = offset

    def show_range(self, start: int, end: int) -> None:
        self.unit, self.range = start, (start, end)

    def jump_to(self, unit: int) -> None:
        self.unit, self.jump = unit, True

    def take(self) -> tuple[bool, tuple[int, int] | None, int | None]:
        """Laid out: (jump, range, offset) to carry out; no cursor place is pending after."""
        jump, shown, offset = self.jump, self.range, self.offset
        self.unit, self.range, self.jump, self.offset = None, None, False, None
        return jump, shown, offset

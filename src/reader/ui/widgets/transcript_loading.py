"""The transcript pane's document arriving in parts, the one mechanism for it: the
beginning of a long transcript shown at once and the whole laid out in a thread; a
transcript set before the pane had a size (the episode opening at start) laid out for
its first frame only as far as the landing place needs (:func:`head_readable`), the whole
just after that frame. Either way the whole takes over keeping the reader's place: the
rows already shown keep their offsets (:mod:`transcript_pending` holds the state).
"""

from __future__ import annotations

from collections.abc import Sequence

from ...model import TranscriptUnit
from ...readable import Readable
from .transcript_pending import Pending, Rest, head_readable
from .transcript_search import HitRows


class LoadingRows(HitRows):
    """Hit rows over a document that may arrive in parts."""

    HEAD_UNITS = 200
    """A transcript with more units than twice this, set before the pane has a size, is
    laid out for its first frame only up to this many units past the landing place (more
    if they fill less than three screens); the whole is laid out ``HEAD_DELAY`` seconds
    after that frame and takes over, keeping the reader's place."""

    HEAD_DELAY = 0.05

    _pending: Pending
    _deferred: tuple[Sequence[TranscriptUnit], bool] | None = None  # set, not built yet
    _whole: Rest | None = None  # the whole of a transcript shown by its head

    @property
    def cursor_unit(self) -> int:
        raise NotImplementedError

    def _relayout(self) -> None:
        raise NotImplementedError

    def _text_width(self) -> int:
        raise NotImplementedError

    def _whole_arrived(self) -> None:
        """The whole transcript is laid out (its offsets are final)."""
        raise NotImplementedError

    @property
    def is_complete(self) -> bool:
        """False while the rest of a long transcript is still being laid out."""
        return self._pending.complete

    def _start_full_build(self) -> None:
        rest = self._pending.take_rest()
        if rest is None:
            return

        def build() -> None:
            doc = Readable(rest.units, timed=rest.timed)
            doc.layout(max(10, self._text_width()))  # warm the cache for this width
            self.app.call_from_thread(self._install_full, doc, rest.generation)

        self.run_worker(build, thread=True, group="transcript-layout", exit_on_error=False)

    def _head_doc(self, width: int) -> Readable:
        """The document set before the pane had a size, built now: up to the landing place
        and three screens past it (the whole just after the first frame: ``_whole``)."""
        assert self._deferred is not None
        units, timed = self._deferred
        self._deferred, pending = None, self._pending
        target = max(pending.unit or 0, *(pending.range or (0,)))  # a claim range: all of it
        screens = 3 * max(1, self.scrollable_content_region.height)
        doc = head_readable(units, timed, target, width, screens, self.HEAD_UNITS)
        if doc.unit_count == len(units):
            return doc
        pending.head(doc.unit_count)
        self._whole = Rest(units, timed, pending.generation)
        generation = pending.generation
        self.call_after_refresh(
            lambda: self.set_timer(self.HEAD_DELAY, lambda: self._lay_out_whole(generation))
        )
        return doc

    def _lay_out_whole(self, generation: int | None = None) -> None:
        """The whole of a transcript shown by its head: laid out now, taking over."""
        whole = self._whole
        if whole is None or (generation is not None and whole.generation != generation):
            return
        self._whole = None
        doc = Readable(whole.units, timed=whole.timed)
        doc.layout(max(10, self._text_width()))
        self._install_full(doc, whole.generation)

    def _install_full(self, doc: Readable, generation: int) -> None:
        if not self._pending.arrived(generation, doc.unit_count):
            return  # another document was set meanwhile
        lay = self._layout
        if not self._pending.waiting and lay is not None and len(lay):
            self._pending.keep_row(self.cursor_unit, lay.row_start[self.cursor_row])
        elif not self._pending.waiting:
            self._pending.restore(self.cursor_unit)
        anchor_unit = self._anchor_unit_now()
        self._doc = doc
        self._layout = None
        self._anchor = None
        self._relayout()  # the rows already shown keep their indices: no scroll needed
        if anchor_unit is not None and self._layout is not None:
            self._anchor = self._layout.row_of_unit(anchor_unit)
        self._whole_arrived()

    def _anchor_unit_now(self) -> int | None:
        if self._layout is None or self._anchor is None:
            return None
        return self._layout.unit_of_row(self._anchor)

    def _beyond(self, unit: int) -> bool:
        """Not laid out yet (a jump there waits for it); beyond the head shown at start,
        the whole is laid out now."""
        if self._whole is not None and self._pending.beyond(unit):
            self._lay_out_whole()
        return self._pending.beyond(unit)

    def _has_doc(self) -> bool:
        return self._doc is not None or self._deferred is not None

    def action_cursor_bottom(self) -> None:
        if self._whole is not None:
            self._lay_out_whole()  # the end of a transcript shown by its head
        super().action_cursor_bottom()

"""The text a selection of transcript rows stands for: from one end to the other, widened
to whole sentences (what ``y`` quotes).

An end is ``(row, unit)``: the row, and the unit a jump put the cursor on when that unit
starts mid-row (the selection then starts at that unit, at every width), else None (the
whole row).
"""

from __future__ import annotations

from .readable import Readable
from .wrapped_layout import Layout

End = tuple[int, int | None]


def _end_offsets(layout: Layout, doc: Readable, row: int, unit: int | None) -> tuple[int, int]:
    if unit is not None and unit < doc.unit_count and layout.row_of_unit(unit) == row:
        return doc.unit_offsets(unit)
    return layout.row_start[row], layout.row_end[row]


def selection_span(
    layout: Layout, doc: Readable, anchor: End, cursor: End
) -> tuple[int, int] | None:
    """``[start, end)`` of ``doc.text`` between the two ends, snapped to sentences; None
    when the rows between them hold no text."""
    if not len(layout):
        return None
    (r0, u0), (r1, u1) = sorted((anchor, cursor), key=lambda e: e[0])
    if r0 == r1 and u0 != u1:
        u0 = u1 = None  # two ends on one row: the row
    r0, r1 = layout.next_text_row(r0, 1), layout.next_text_row(r1, -1)
    if r1 < r0 or layout.is_blank(r0):
        return None
    a = _end_offsets(layout, doc, r0, u0)[0]
    b = _end_offsets(layout, doc, r1, u1)[1]
    if b <= a:
        return None
    from .quote import snap  # not on the way to the first paint

    return snap(doc, a, b)

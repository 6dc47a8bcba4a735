"""What the gutter beside a transcript row shows: the time, on a paragraph's first row and
where the minute changes (``~`` before an estimated one), and the mark of a highlight
("┃" on its rows, "✎" on the first row of one that carries a note)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Collection, Sequence

from .model import format_clock
from .wrapped_layout import Layout

NOTE_MARK = "\u270e"
HIGHLIGHT_MARK = "\u2503"


def time_label(
    layout: Layout, row: int, seconds_of: Callable[[int], float], estimated: bool
) -> str:
    """The time to show beside ``row`` ("" for none); ``seconds_of`` maps a unit to its time."""
    if layout.is_blank(row):
        return ""
    seconds = seconds_of(layout.unit_of_row(row))
    show = layout.paragraph_first_row(row)
    if not show:
        before = seconds_of(layout.unit_of_row(row - 1))
        show = int(before // 60) != int(seconds // 60)
    if not show:
        return ""
    return format_clock(seconds, estimated)


def highlight_mark(
    layout: Layout, row: int, marks: Sequence[tuple[int, int]], noted: Collection[int]
) -> str:
    """The mark of the highlights on ``row``: ``marks`` are sorted ``(start, end)`` spans of
    the text, ``noted`` the starts of those with a note; "" if none shows on the row."""
    if not marks or layout.is_blank(row):
        return ""
    start, end = layout.row_start[row], layout.row_end[row]
    i = bisect_right(marks, (end, -1))
    mark = ""
    for a, b in reversed(marks[max(0, i - 8) : i]):
        if a < end and b > start:
            if a in noted and a >= start:
                return NOTE_MARK
            mark = HIGHLIGHT_MARK
    return mark

"""Painting the transcript pane's rows: one row of a layout, in the state it is shown in
(cursor, selection, claim, search hits, gutter time and highlight mark), as a Strip.

Each painted row is cached, keyed by its row, the width and that state, so moving the
cursor repaints two rows and scrolling paints only the rows that come into view. All
transcript text is data: rows are built from ``rich.text.Text`` with explicit styles,
never through markup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.strip import Strip

from ...readable import Readable
from ...wrapped_layout import Layout

GUTTER = 9  # "~1:02:03" + one space


class RowState(NamedTuple):
    """Everything that changes how a row looks (its cache key, with the row and width)."""

    cursor: bool
    selected: tuple[int, int] | None  # columns inside the (sentence-snapped) selection
    claim: tuple[int, int] | None  # columns inside the chosen claim's range
    gutter: str  # the time shown in the gutter
    hits: tuple[tuple[int, int], ...]  # columns of the search hits
    mark: str  # the highlight mark beside the gutter


class RowCache:
    """Painted rows, by (row, width, state); cleared when the styles or the layout change."""

    def __init__(self, size: int = 1024) -> None:
        self._strips: LRUCache[tuple[int, int, RowState], Strip] = LRUCache(size)

    def clear(self) -> None:
        self._strips.clear()

    def get(self, key: tuple[int, int, RowState]) -> Strip | None:
        return self._strips.get(key)

    def put(self, key: tuple[int, int, RowState], strip: Strip) -> None:
        self._strips[key] = strip


def paint_row(
    layout: Layout,
    doc: Readable,
    row: int,
    width: int,
    state: RowState,
    base: Style,
    style: Callable[[str], Style],
    console: Console,
) -> Strip:
    """Row ``row`` ``width`` cells wide: gutter, mark cell, text. ``base`` is the pane's
    style; ``style(name)`` a component style of the pane (``transcript-view--<name>``)."""
    cursor, selected, claim, gutter, hits, mark = state
    text_width = max(0, width - GUTTER)
    body = layout.row_text(row)
    line = Text(body, style=base, no_wrap=True, end="")
    if body:
        start, end = layout.row_start[row], layout.row_end[row]
        for a, b in doc.label_spans(start, end):
            line.stylize(style("speaker"), max(a, start) - start, min(b, end) - start)
    pad = text_width - line.cell_len
    if pad > 0:
        line.append(" " * pad)
    if claim is not None:
        line.stylize(style("claim-range"), claim[0], claim[1])
    if selected:
        line.stylize(style("selection"), *selected)
    if cursor:
        line.stylize(style("cursor"))
    if hits:
        hit = style("search-hit")
        for start_col, end_col in hits:
            line.stylize(hit, start_col, end_col)
    gutter_style = base + style("gutter")
    if cursor:
        gutter_style += style("cursor")
    elif selected:
        gutter_style += style("selection")
    segments = [Segment(gutter.rjust(GUTTER - 1)[: GUTTER - 1], gutter_style)]
    # the cell between gutter and text marks the claim's rows, the cursor row included
    # (a highlight shows its mark there)
    mark_style = base + style("claim-range") if claim is not None else gutter_style
    if mark:
        mark_style += style("mark")
    segments.append(Segment(mark or " ", mark_style))
    # Rich leaves a Text without spans unstyled (its base style is the console's job):
    # put the theme's colours under every segment, or plain rows show the terminal's
    segments.extend(Segment.apply_style(line.render(console), base))
    return Strip(segments).crop_extend(0, width, base)

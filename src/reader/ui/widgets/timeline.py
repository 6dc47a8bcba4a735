"""The episode at a glance: one line across the screen, time running left to right.

- segments: the summary's sections (or the claims of a summary without sections),
  drawn in two alternating colours, so a 3-hour episode shows its chapters;
- ``●`` the reading position; ``╵`` search hits in this transcript; ``▴`` highlights;
- where the time estimate is rough (the sync engine's per-unit uncertainty over a minute;
  for an engine that gives none, far from any anchor it trusted), the line is dotted
  (``┄``) instead of solid (``━``).

A click posts :class:`~reader.ui.messages.TimeChosen` with the time under the mouse.
Nothing here is file text: only times are drawn.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual import events
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from ..messages import TimeChosen

SOLID, ROUGH = "━", "┄"
POSITION, HIT, HIGHLIGHT = "●", "╵", "▴"


class Timeline(Widget):
    DEFAULT_CSS = """
    Timeline {
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $panel;
    }
    """

    position: reactive[float | None] = reactive(None)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.duration = 0.0
        self.segments: list[float] = []  # start time of each segment after the first
        self.rough: list[tuple[float, float]] = []
        self.hits: list[float] = []
        self.highlights: list[float] = []

    # --- data -------------------------------------------------------------------------
    def set_episode(
        self, duration: float, segments: Sequence[float], rough: Sequence[tuple[float, float]]
    ) -> None:
        self.duration = max(0.0, float(duration or 0.0))
        self.segments = sorted(s for s in segments if 0 < s < self.duration)
        self.rough = list(rough)
        self.hits, self.highlights = [], []
        self.refresh()

    def clear(self) -> None:
        self.set_episode(0.0, [], [])
        self.position = None

    def set_hits(self, seconds: Iterable[float]) -> None:
        self.hits = sorted(seconds)
        self.refresh()

    def set_highlights(self, seconds: Iterable[float]) -> None:
        highlights = sorted(seconds)
        if highlights != self.highlights:
            self.highlights = highlights
            self.refresh()

    # --- geometry ---------------------------------------------------------------------
    def column_of(self, seconds: float, width: int) -> int:
        if self.duration <= 0 or width <= 0:
            return 0
        return max(0, min(width - 1, int(seconds / self.duration * width)))

    def seconds_at(self, column: int, width: int) -> float:
        if width <= 0:
            return 0.0
        return max(0.0, min(self.duration, (column + 0.5) / width * self.duration))

    # --- drawing ----------------------------------------------------------------------
    def render(self) -> Content:
        width = self.content_region.width
        if self.duration <= 0 or width <= 0:
            return Content("")
        cells = [SOLID] * width
        styles = [""] * width
        for a, b in self.rough:
            for x in range(self.column_of(a, width), self.column_of(b, width) + 1):
                cells[x] = ROUGH
        starts = [0.0, *self.segments]
        for i, start in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else self.duration
            style = "$primary" if i % 2 == 0 else "$secondary"
            for x in range(
                self.column_of(start, width), self.column_of(end, width) + (i + 1 == len(starts))
            ):
                styles[x] = style
        for seconds in self.highlights:
            x = self.column_of(seconds, width)
            cells[x], styles[x] = HIGHLIGHT, "bold $success"
        for seconds in self.hits:
            x = self.column_of(seconds, width)
            cells[x], styles[x] = HIT, "bold $warning"
        if self.position is not None:
            x = self.column_of(self.position, width)
            cells[x], styles[x] = POSITION, "bold $accent"
        parts: list[tuple[str, str]] = []
        for cell, style in zip(cells, styles, strict=True):
            if parts and parts[-1][1] == style:
                parts[-1] = (parts[-1][0] + cell, style)
            else:
                parts.append((cell, style))
        return Content.assemble(*parts)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or self.duration <= 0:
            return
        event.stop()
        self.post_message(TimeChosen(self.seconds_at(offset.x, self.content_region.width)))

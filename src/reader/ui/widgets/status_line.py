"""One line at the bottom of the main screen: episode, transcript position, summary,
and background progress (indexing, aligning). Everything shown is plain text."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from ...model import format_clock
from ...text import display_line  # (ftfy, its slow import, loads only when used)


def safe_text(text: str, limit: int = 500) -> str:
    """File text made fit for one display slot: no control characters, no bidi
    reordering, no tabs or newlines, at most ``limit`` characters (an ellipsis marks
    the cut). (``reader.text.display_line``: the one sanitizer.)"""
    return display_line(text, limit)


class StatusLine(Widget):
    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $text;
        padding: 0 1;
    }
    """

    episode_title: reactive[str] = reactive("")
    position: reactive[str] = reactive("")
    summary: reactive[str] = reactive("")
    progress: reactive[str] = reactive("")

    def set_position(
        self,
        seconds: float | None,
        duration: float | None,
        estimated: bool,
        length_estimated: bool | None = None,
        rough: bool = False,
    ) -> None:
        """The position (``~`` when ``estimated``) and the episode's length (its own ``~``:
        a length from the metadata is known even where the times are estimated; the same
        text as the picker and ``reader list``). ``rough``: the estimated times may be
        minutes off (``Alignment.rough``); the line then says so and how to fix it."""
        from ...length import length_text

        if seconds is None:
            self.position = ""
            return
        long_rough = estimated if length_estimated is None else length_estimated
        total = f" / {length_text(duration, long_rough)}" if duration else ""
        hint = " (rough: set duration in episode.toml)" if rough and estimated else ""
        self.position = f"{format_clock(seconds, estimated)}{total}{hint}"

    def render(self) -> Content:
        parts: list[Content | tuple[str, str] | str] = []
        if self.episode_title:
            parts.append((safe_text(self.episode_title, 120), "bold"))
        else:
            parts.append(("no episode open — press e", "$text-muted"))
        if self.position:
            parts += ["  ", (self.position, "$accent")]
        if self.summary:
            parts += ["  ", (safe_text(self.summary, 120), "$text-muted")]
        if self.progress:
            parts += ["  ", (safe_text(self.progress, 120), "$warning")]
        return Content.assemble(*parts)

"""``e``: the episode picker. Episodes are few, so a DataTable of them all.

Summary and claim counts need the summaries parsed, so they are filled in by a thread
worker; the table is usable at once."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Static
from rich.text import Text

from ...library import Episode, Library
from ...model import format_clock
from ...state import load_place
from ..widgets.status_line import safe_text
from .modal import OnceModal


COUNT_DELAY_S = 0.1


def _cell(text: str, style: str = "", limit: int = 80) -> Text:
    return Text(safe_text(text, limit), style=style, no_wrap=True, overflow="ellipsis")


class PickerScreen(OnceModal[str | None]):
    """Dismisses with the chosen episode id, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Close", id="picker.close"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]
    DEFAULT_CSS = """
    PickerScreen { align: center middle; }
    PickerScreen.-solid { background: $background; }
    PickerScreen > Vertical {
        width: 100%; max-width: 110; height: auto; max-height: 100%;
        border: round $accent; background: $surface;
    }
    PickerScreen DataTable { height: auto; max-height: 30; }
    PickerScreen #picker-help { color: $text-muted; padding: 0 1; }
    """

    class Counted(Message):
        def __init__(self, episode_id: str, summaries: int, claims: int, duration: float | None) -> None:
            super().__init__()
            self.episode_id, self.summaries, self.claims, self.duration = episode_id, summaries, claims, duration

    def __init__(self, library: Library, current: str | None = None) -> None:
        # Nothing open behind the picker (the start): an opaque background, so the empty
        # main screen under it is neither shown nor rendered.
        super().__init__(classes="" if current else "-solid")
        self.library = library
        self.current = current
        self.counting = True  # the summary and claim counts are still to come

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(f"Episodes ({len(self.library.episodes)})")
            yield DataTable(cursor_type="row", zebra_stripes=True, id="picker-table")
            problems = len(self.library.problems)
            note = "Enter open · Escape close"
            if problems:
                note += f" · {problems} broken episode folder{'s' if problems != 1 else ''} skipped"
            yield Static(note, id="picker-help", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Title", key="title")
        table.add_column("Show", key="show")
        table.add_column("Length", key="duration")
        table.add_column("Summ.", key="summaries")
        table.add_column("Claims", key="claims")
        for ep in self.episodes:
            duration = ep.meta.duration_s
            table.add_row(
                _cell(ep.title, "bold", 38),
                _cell(ep.meta.show, "", 20),
                _cell(format_clock(duration) if duration else "…"),
                _cell(str(len(ep.summary_paths))),
                _cell("…"),
                key=ep.id,
            )
        if not self.library.episodes:
            self.query_one("#picker-help", Static).update("No episodes in this library. Escape to close.")
        start = self.current or self._last_read()
        if start is not None:
            try:
                table.move_cursor(row=table.get_row_index(start))
            except Exception:
                pass
        table.focus()
        # the counts need every summary parsed: after the first frame
        self.call_after_refresh(self.set_timer, COUNT_DELAY_S, self._start_count)

    @property
    def episodes(self) -> list[Episode]:
        """The library's episodes by title (case-insensitive), then id."""
        return sorted(self.library.episodes, key=lambda ep: (ep.title.casefold(), ep.id))

    def _last_read(self) -> str | None:
        place = load_place(self.library.root)
        if place is not None and self.library.get(place.episode_id) is not None:
            return place.episode_id
        return None

    def _start_count(self) -> None:
        self._count(self.episodes)

    @work(thread=True, exclusive=True, group="picker-count")
    def _count(self, episodes: list[Episode]) -> None:
        for ep in episodes:
            try:
                summaries = ep.summaries
                claims = sum(len(s.claims) for s in summaries)
                duration = ep.duration_s
            except Exception:
                summaries, claims, duration = [], 0, ep.meta.duration_s
            self.post_message(self.Counted(ep.id, len(summaries), claims, duration))
        self.post_message(self.Counted("", 0, 0, None))  # all counted

    def on_picker_screen_counted(self, message: Counted) -> None:
        if not message.episode_id:
            self.counting = False
            return
        table = self.query_one(DataTable)
        try:
            table.update_cell(message.episode_id, "summaries", _cell(str(message.summaries)))
            table.update_cell(message.episode_id, "claims", _cell(str(message.claims)))
            table.update_cell(
                message.episode_id, "duration", _cell(format_clock(message.duration) if message.duration else "--:--")
            )
        except Exception:
            pass

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.dismiss(str(event.row_key.value))

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)

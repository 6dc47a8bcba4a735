"""``e``: the episode picker. Episodes are few, so a DataTable of them all.

Keys: the shared list keys (j/k, g/G, arrows), Enter opens, ``q`` quits, Escape closes.
Any other letter starts a filter (every word must appear in the title, show, date or
folder name); while a filter is typed every letter goes to it, Backspace edits it and
Escape clears it. The columns are sized to the window: the title and show share what the
fixed columns leave. Episodes with the same title show their folder name too.

Lengths, summary and claim counts need the files parsed (and the length the sync
engine's estimate), so they are filled in by a thread worker; the table is usable at once.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Static

from ...length import length_text
from ...library import Episode, Library
from ...state import load_place
from ..widgets.status_line import safe_text
from .modal import OnceModal

COUNT_DELAY_S = 0.1
LIST_KEYS = {"j", "k", "g", "G", "q"}  # keys that act (not filter) while no filter is typed
FIXED = (("duration", "Length", 9), ("summaries", "Summ.", 5), ("claims", "Claims", 6))
CELL_PADDING = 1  # DataTable's, each side of every column


def _cell(text: str, style: str = "", limit: int = 80) -> Text:
    return Text(safe_text(text, limit), style=style, no_wrap=True, overflow="ellipsis")


def _fit(text: str, width: int) -> str:
    text = safe_text(text, 300)
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


class PickerScreen(OnceModal[str | None]):
    """Dismisses with the chosen episode id, or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Close", id="picker.close"),
        Binding("q", "quit", "Quit", id="picker.quit"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "Top", show=False),
        Binding("G", "last", "Bottom", show=False),
    ]
    DEFAULT_CSS = """
    PickerScreen { align: center middle; }
    PickerScreen.-solid { background: $background; }
    PickerScreen > Vertical {
        width: 100%; max-width: 160; height: auto; max-height: 100%;
        border: round $accent; background: $surface;
    }
    PickerScreen DataTable { height: auto; max-height: 30; }
    PickerScreen #picker-filter { color: $text-accent; padding: 0 1; }
    PickerScreen #picker-help { color: $text-muted; padding: 0 1; }
    """

    class Counted(Message):
        def __init__(
            self,
            episode_id: str,
            summaries: int,
            claims: int,
            duration: float | None,
            estimated: bool = False,
        ) -> None:
            super().__init__()
            self.episode_id, self.summaries, self.claims, self.duration = (
                episode_id,
                summaries,
                claims,
                duration,
            )
            self.estimated = estimated

    def __init__(self, library: Library, current: str | None = None) -> None:
        # Nothing open behind the picker (the start): an opaque background, so the empty
        # main screen under it is neither shown nor rendered.
        super().__init__(classes="" if current else "-solid")
        self.library = library
        self.current = current
        self.counting = True  # the summary and claim counts are still to come
        self.filter = ""
        self._counts: dict[str, tuple[str, str, str]] = {}  # id -> length, summaries, claims
        self._widths: tuple[int, int] = (0, 0)
        titles = [ep.title.casefold() for ep in library.episodes]
        self._same_title = {
            ep.id for ep in library.episodes if titles.count(ep.title.casefold()) > 1
        }

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(f"Episodes ({len(self.library.episodes)})")
            yield Static("", id="picker-filter", markup=False)
            yield DataTable(cursor_type="row", zebra_stripes=True, id="picker-table")
            problems = len(self.library.problems)
            note = "Enter open · type to filter · q quit · Escape close"
            if problems:
                note += f" · {problems} broken episode folder{'s' if problems != 1 else ''} skipped"
            yield Static(note, id="picker-help", markup=False)

    def on_mount(self) -> None:
        self.query_one("#picker-filter").display = False
        for ep in self.library.episodes:
            duration = ep.meta.duration_s
            self._counts[ep.id] = (
                length_text(duration, False) if duration else "…",
                str(len(ep.summary_paths)),
                "…",
            )
        self._fill()
        table = self.query_one(DataTable)
        if not self.library.episodes:
            self.query_one("#picker-help", Static).update(
                "No episodes in this library. Escape to close."
            )
        start = self.current or self._last_read()
        if start is not None:
            try:
                table.move_cursor(row=table.get_row_index(start))
            except Exception:
                pass
        table.focus()
        # the counts need every summary parsed: after the first frame
        self.call_after_refresh(self.set_timer, COUNT_DELAY_S, self._start_count)

    # --- the table ------------------------------------------------------------------
    def _column_widths(self) -> tuple[int, int]:
        """(title, show) widths: what the window leaves after the fixed columns."""
        room = min(self.app.size.width, 160) - 2  # the box's border
        room -= (
            sum(width for _key, _label, width in FIXED) + 2 * CELL_PADDING * (len(FIXED) + 2) + 1
        )
        want_show = max([len(safe_text(ep.meta.show, 200)) for ep in self.library.episodes] + [4])
        want_title = max([len(self._title(ep)) for ep in self.library.episodes] + [5])
        if want_title + want_show <= room:
            return want_title, want_show  # both whole
        show = min(want_show, max(8, room // 3))  # else the title gets most of the room
        title = max(10, room - show)
        return title, max(4, min(show, room - title))

    def _title(self, ep: Episode) -> str:
        title = safe_text(ep.title, 200)
        return f"{title} ({ep.id})" if ep.id in self._same_title else title

    def _fill(self) -> None:
        """(Re)build the table for the window's width and the filter; keeps the cursor."""
        table = self.query_one(DataTable)
        keep = self.highlighted_id
        widths = self._column_widths()
        self._widths = widths
        table.clear(columns=True)
        table.add_column("Title", key="title", width=widths[0])
        table.add_column("Show", key="show", width=widths[1])
        for key, label, width in FIXED:
            table.add_column(label, key=key, width=width)
        for ep in self.visible_episodes:
            length, summaries, claims = self._counts.get(ep.id, ("…", "…", "…"))
            title = Text(_fit(self._title(ep), widths[0]), style="bold", no_wrap=True)
            if ep.id in self._same_title:
                title.stylize("not bold dim", len(_fit(safe_text(ep.title, 200), widths[0])))
            table.add_row(
                title,
                _cell(_fit(ep.meta.show, widths[1])),
                _cell(length),
                _cell(summaries),
                _cell(claims),
                key=ep.id,
            )
        if keep is not None:
            try:
                table.move_cursor(row=table.get_row_index(keep))
            except Exception:
                pass

    @property
    def highlighted_id(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        try:
            return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        except Exception:
            return None

    @property
    def episodes(self) -> list[Episode]:
        """The library's episodes by title (case-insensitive), then id."""
        return sorted(self.library.episodes, key=lambda ep: (ep.title.casefold(), ep.id))

    @property
    def visible_episodes(self) -> list[Episode]:
        words = self.filter.casefold().split()
        if not words:
            return self.episodes
        out = []
        for ep in self.episodes:
            hay = " ".join((ep.title, ep.meta.show, ep.meta.date, ep.id)).casefold()
            if all(w in hay for w in words):
                out.append(ep)
        return out

    def on_resize(self, event: events.Resize) -> None:
        if self.is_mounted and self._column_widths() != self._widths:
            self._fill()

    # --- filter ---------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        if event.key == "backspace" and self.filter:
            self._set_filter(self.filter[:-1])
        elif event.key == "escape" and self.filter:
            self._set_filter("")
        else:
            char = event.character
            if not char or len(char) != 1 or not char.isprintable():
                return
            if not self.filter and (event.key in LIST_KEYS or char == " "):
                return  # a list key (or q) while nothing is typed: the bindings have it
            self._set_filter(self.filter + char)
        event.stop()
        event.prevent_default()

    def _set_filter(self, text: str) -> None:
        self.filter = text
        line = self.query_one("#picker-filter", Static)
        shown = len(self.visible_episodes)
        line.update(
            Content.assemble(
                ("Filter: ", "bold"),
                safe_text(text, 100),
                (
                    f"  {shown} of {len(self.library.episodes)} · Backspace edits · Escape clears",
                    "$text-muted",
                ),
            )
        )
        line.display = bool(text)
        self._fill()

    # --- counts ---------------------------------------------------------------------
    def _last_read(self) -> str | None:
        place = load_place(self.library.root)
        if place is not None and self.library.get(place.episode_id) is not None:
            return place.episode_id
        return None

    def _start_count(self) -> None:
        self._count(self.episodes)

    @work(thread=True, exclusive=True, group="picker-count")
    def _count(self, episodes: list[Episode]) -> None:
        # Cached facts (reader.facts): only a changed episode is parsed (and timed) again.
        from ...facts import FactsCache

        facts = FactsCache(self.library, getattr(self.app, "aligner", None))
        for ep in episodes:
            try:
                f = facts.get(ep)
                summaries, claims = len(f["summaries"]), sum(s["claims"] for s in f["summaries"])
                duration, estimated = f["duration_s"], f["duration_estimated"]
            except Exception:
                summaries, claims, duration, estimated = 0, 0, ep.meta.duration_s, False
            self.post_message(self.Counted(ep.id, summaries, claims, duration, estimated))
        facts.save()
        self.post_message(self.Counted("", 0, 0, None))  # all counted

    def on_picker_screen_counted(self, message: Counted) -> None:
        if not message.episode_id:
            self.counting = False
            return
        length = length_text(message.duration, message.estimated)
        self._counts[message.episode_id] = (length, str(message.summaries), str(message.claims))
        table = self.query_one(DataTable)
        try:
            table.update_cell(message.episode_id, "summaries", _cell(str(message.summaries)))
            table.update_cell(message.episode_id, "claims", _cell(str(message.claims)))
            table.update_cell(message.episode_id, "duration", _cell(length))
        except Exception:
            pass  # filtered out: the counts are kept for when it is shown again

    # --- choosing -------------------------------------------------------------------
    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.dismiss(str(event.row_key.value))

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()

    def action_first(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(row=0)

    def action_last(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(row=table.row_count - 1)

    def action_cancel(self) -> None:
        self.dismiss(None)

    async def action_quit(self) -> None:
        await self.app.action_quit()

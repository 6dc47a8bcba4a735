"""The main screen: summary | transcript | search, a status line and the footer.

The panes never talk to each other: they post messages (``..messages``) and this screen
decides what else changes. Anything slow (parsing, aligning, indexing, searching,
clipboard) runs in a thread worker that posts its result back as a message.

Layout: summary and transcript side by side; the search pane is shown only while it is
wanted: ``/`` opens it on the right (the class ``-show-search``), Escape or choosing a
result gives its room back. The summary's share of the width is the user's (``<`` / ``>``,
remembered in the state file). Below 100 columns the screen gets the ``-narrow`` class and
the open search pane takes the summary's slot instead.
"""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING, Any, Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.events import Resize
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget

from ...library import Episode, Library
from ...model import Alignment, Transcript
from ...state import load_settings, save_setting
from ..messages import (
    ClaimChosen,
    CursorMoved,
    EpisodeHeadParsed,
    EpisodeOpened,
    HighlightRequested,
    IndexProgress,
    IndexReady,
    Landing,
    QuoteCopied,
    QuoteRequested,
    SearchDone,
    SearchHitChosen,
)
from ..widgets.status_line import safe_text
from .episode_opening import EpisodeOpener
from .reading_notes import ReadingNotes
from .places import PlaceKeeper, start_place
from .search_index import SearchIndexKeeper
from .sharing import Sharing

if TYPE_CHECKING:  # the pane modules are imported when the panes are built

    from ..widgets.search_pane import SearchPane
    from ..widgets.status_line import StatusLine
    from ..widgets.summary_view import SummaryView
    from ..widgets.timeline import Timeline
    from ..widgets.transcript_view import TranscriptView

NARROW_WIDTH = 100
INDEX_DELAY_S = 0.15  # the index update starts this long after the first frame
PANES_DELAY_S = 0.05  # behind the start-up picker, the panes are built this long after its first frame
PANES = ("summary", "transcript", "search")
SUMMARY_WIDTH = 42  # percent of the screen, the default share of the summary pane (>= 36 columns of text at 120)
SUMMARY_WIDTHS = (18, 70)  # the least and most the user can give it
SUMMARY_STEP = 4
MAX_PROBLEM_NOTES = 4


def _when_panes_built(action: Callable[..., None]) -> Callable[..., None]:
    """A key (or palette command) that needs the panes does nothing until they are all
    built: keys arrive in bursts, before the panes are mounted or while they are."""

    @wraps(action)
    def run(self: "MainScreen", *args: Any) -> None:
        if not self.panes_ready:
            return
        try:
            action(self, *args)
        except NoMatches:
            pass  # a pane (or a pane's part) is still being mounted

    return run


class MainScreen(Screen):
    BINDINGS = [
        Binding("slash", "search", "Search", id="search"),
        Binding("less_than_sign", "summary_width(-1)", "Narrower summary", show=False, id="summary_narrower"),
        Binding("greater_than_sign", "summary_width(1)", "Wider summary", show=False, id="summary_wider"),
        Binding("left_curly_bracket", "section(-1)", "Previous section", show=False, id="previous_section"),
        Binding("right_curly_bracket", "section(1)", "Next section", show=False, id="next_section"),
        Binding("tab", "next_pane", "Next pane", id="next_pane"),
        Binding("shift+tab", "previous_pane", "Previous pane", show=False, id="previous_pane"),
        Binding("t", "goto_time", "Go to time", id="goto_time"),
        Binding("left_square_bracket", "switch_summary(-1)", "Prev summary", show=False, id="previous_summary"),
        Binding("right_square_bracket", "switch_summary(1)", "Next summary", show=False, id="next_summary"),
        Binding("n", "hit(1)", "Next hit", show=False, id="next_hit"),
        Binding("N", "hit(-1)", "Previous hit", show=False, id="previous_hit"),
        Binding("o", "open_source", "Open at source", show=False, id="open_source"),
        Binding("apostrophe", "highlights", "Highlights", show=False, id="highlights"),
    ]

    # Textual repaints the whole screen when focus moves (a full-screen update, every
    # widget's lines again: ~5 ms). The widgets whose look depends on focus restyle and
    # repaint themselves (Focus/Blur, :focus and :focus-within rules), so no more is needed.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.episode: Episode | None = None
        self.transcript: Transcript | None = None
        self.alignment: Alignment | None = None
        self.search_index = SearchIndexKeeper(self)  # the library's, built in a thread
        self.sharing = Sharing(self)  # quotes out to the clipboard, the source opened
        self.opening_note = ""  # "Opening <title>…" while an episode opens (not Widget.loading)
        self.notes = ReadingNotes(self)  # the open episode's highlights and notes
        self.opener = EpisodeOpener(self)  # opening, showing and landing in an episode
        self._opening: str | None = None
        self._pending_goto: float | None = None  # t pressed while an episode was opening
        self._laid_out_size: Any = None  # the size of the last layout (see _on_resize)
        self._terms: tuple[str, ...] = ()
        self._noted_problems: set[str] = set()
        self.places = PlaceKeeper(self)  # where the user left off, saved as the cursor moves
        # Start with the picker (no place to restore, several episodes): the picker is
        # opaque, so the panes under it are built after its first frame, not before.
        self._start_place = start_place(library)
        self.panes_ready = not (self._start_place is None and len(library.episodes) > 1)
        width = load_settings().get("summary_width")
        low, high = SUMMARY_WIDTHS
        self.summary_width = width if isinstance(width, int) and low <= width <= high else SUMMARY_WIDTH
        self._panes_building = False
        self._after_panes: list[Callable[[], Any]] = []

    # --- layout -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        self._set_narrow(self.app.size.width)  # before the panes are styled, not after
        if self.panes_ready:
            yield from self._panes()

    def _panes(self) -> list[Widget]:
        from textual.containers import Horizontal, Vertical
        from textual.widgets import Static

        from ..widgets.key_bar import KeyBar
        from ..widgets.search_pane import SearchPane
        from ..widgets.status_line import StatusLine
        from ..widgets.summary_view import SummaryView
        from ..widgets.timeline import Timeline
        from ..widgets.transcript_view import TranscriptView

        transcript_pane = Vertical(
            TranscriptView(id="transcript"),
            Static("", id="transcript-message", markup=False),
            id="transcript-pane",
        )
        summary = SummaryView(id="summary")
        summary.styles.width = f"{self.summary_width}%"
        panes = Horizontal(summary, transcript_pane, SearchPane(id="search"), id="panes")
        return [panes, Timeline(id="timeline"), StatusLine(id="status"), KeyBar(id="keys")]

    @property
    def summary_view(self) -> SummaryView:
        return self.query_one("#summary")  # type: ignore[return-value]

    @property
    def transcript_view(self) -> TranscriptView:
        return self.query_one("#transcript")  # type: ignore[return-value]

    @property
    def search_pane(self) -> SearchPane:
        return self.query_one("#search")  # type: ignore[return-value]

    @property
    def timeline(self) -> Timeline:
        return self.query_one("#timeline")  # type: ignore[return-value]

    @property
    def status(self) -> StatusLine:
        return self.query_one("#status")  # type: ignore[return-value]

    def on_mount(self) -> None:
        # Nothing slow before the first frame: the index update, parsing and aligning
        # all start once the screen has been painted.
        self.search_index.building = True
        self.call_after_refresh(self._after_first_paint)
        if self.panes_ready:
            self._init_panes()
            self._open_start_episode()
        else:
            self.action_episodes()

    def _init_panes(self) -> None:
        self.query_one("#transcript-pane").border_title = "Transcript"
        self.query_one("#transcript-message").display = False
        self.summary_view.set_message("No episode open — press e to choose one.")

    def _after_first_paint(self) -> None:
        started = getattr(self.app, "started", None)
        if started is not None:
            # (this runs after the first refresh, before the panes' first frame is drawn)
            self.call_after_refresh(started)
        self._note_library_problems()
        if not self.panes_ready:
            self.set_timer(PANES_DELAY_S, self._build_panes)
        self.set_timer(INDEX_DELAY_S, self._build_index)

    def _build_panes(self) -> None:
        if self.panes_ready or self._panes_building:
            return
        self._panes_building = True

        async def mount() -> None:
            await self.mount_all(self._panes())
            self.panes_ready = True
            self._init_panes()
            self.update_progress()
            self.search_index.give_to_pane()
            todo, self._after_panes = self._after_panes, []
            for callback in todo:
                callback()

        self.call_later(mount)

    def when_panes_ready(self, callback: Callable[[], Any]) -> None:
        """Run ``callback`` now, or once the panes are built (they are built at once if
        something needs them before their time)."""
        if self.panes_ready:
            callback()
        else:
            self._after_panes.append(callback)
            self._build_panes()

    def on_resize(self, event: Resize) -> None:
        self._set_narrow(event.size.width)

    async def _on_resize(self, event: Resize) -> None:
        # The terminal's first size reaches a screen pushed at start after that screen
        # has already been laid out and painted at that very size: a second layout of
        # every pane (and a second frame) for nothing. Only a real change lays out again.
        # (Textual calls the handler of every class in the MRO: prevent_default keeps
        # Screen's from running.)
        if self.is_current and self._laid_out_size == event.size:
            self._set_narrow(event.size.width)
            event.prevent_default()
            event.stop()
            for screen in self.app._background_screens:
                if screen.size != event.size:
                    screen._screen_resized(event.size)

    def _refresh_layout(self, size: Any = None, scroll: bool = False) -> None:
        self._relayout = False
        super()._refresh_layout(size, scroll)
        self._laid_out_size = self.size

    def relayout_before_paint(self) -> None:
        """A pane's scrollbar came or went while the screen was laid out (SummaryView
        measures its claims then): lay out again before drawing, not after a frame."""
        self._relayout = True

    def _compositor_refresh(self) -> None:
        if getattr(self, "_relayout", False):
            self._relayout = False
            self._refresh_layout(self.size)  # draws, once, what it lays out
            return
        super()._compositor_refresh()

    def _set_narrow(self, width: int) -> None:
        self.set_class(width < NARROW_WIDTH, "-narrow")

    # --- start ------------------------------------------------------------------------
    def _note_library_problems(self) -> None:
        problems = list(self.library.problems)
        for problem in problems[:MAX_PROBLEM_NOTES]:
            self.notify(safe_text(problem, 300), title="Broken episode skipped", severity="warning", markup=False)
        if len(problems) > MAX_PROBLEM_NOTES:
            more = len(problems) - MAX_PROBLEM_NOTES
            self.notify(f"…and {more} more broken episode folders (see `reader list`).", severity="warning", markup=False)

    def _open_start_episode(self) -> None:
        self.opener.open_start()

    # --- episodes (episode_opening.EpisodeOpener) ----------------------------------------
    def action_episodes(self) -> None:
        self.opener.choose()

    def open_episode(self, episode_id: str, landing: Landing, at_once: bool = False) -> None:
        """Open an episode (parsed and aligned in a worker) and land on ``landing``."""
        self.opener.open(episode_id, landing, at_once)

    def on_episode_head_parsed(self, message: EpisodeHeadParsed) -> None:
        self.opener.show_head(message)

    def on_episode_opened(self, message: EpisodeOpened) -> None:
        self.opener.show(message)

    def _land(self, landing: Landing) -> None:
        self.opener.land(landing)

    # --- panes and focus --------------------------------------------------------------
    def current_pane(self) -> str | None:
        node: Widget | None = self.focused
        while node is not None and node is not self:
            if node.id in PANES:
                return node.id
            if node.id == "transcript-pane":
                return "transcript"
            node = node.parent  # type: ignore[assignment]
        return None

    @property
    def search_open(self) -> bool:
        return self.has_class("-show-search")

    def focus_pane(self, pane: str) -> None:
        narrow = self.has_class("-narrow")
        if pane == "search":
            self.add_class("-show-search")
            self.search_pane.focus_input()
        elif pane == "summary":
            if narrow:
                self.remove_class("-show-search")
            self.summary_view.focus()
        else:
            if self.transcript_view.display:
                self.transcript_view.focus()
            else:
                if narrow:
                    self.remove_class("-show-search")
                self.summary_view.focus()

    def close_search(self) -> None:
        """The search pane gives its room back (its query and results are kept)."""
        if self.search_open:
            self.remove_class("-show-search")

    def _cycle(self, delta: int) -> None:
        current = self.current_pane() or "transcript"
        order = [p for p in PANES if p != "search" or self.search_open]
        i = order.index(current) if current in order else 0
        for _ in range(len(order)):
            i = (i + delta) % len(order)
            if order[i] == "transcript" and not self.transcript_view.display:
                continue
            break
        self.focus_pane(order[i])

    @_when_panes_built
    def action_next_pane(self) -> None:
        self._cycle(1)

    @_when_panes_built
    def action_previous_pane(self) -> None:
        self._cycle(-1)

    @_when_panes_built
    def action_search(self) -> None:
        self.focus_pane("search")
        self.search_pane.input.select_all() if self.search_pane.input.value else None

    def on_search_pane_leave(self, event: SearchPane.Leave) -> None:
        event.stop()
        self.close_search()
        self.focus_pane("transcript")

    def action_summary_width(self, delta: int) -> None:
        """``<`` / ``>``: give the summary less or more of the width (remembered)."""
        low, high = SUMMARY_WIDTHS
        width = max(low, min(high, self.summary_width + delta * SUMMARY_STEP))
        if width == self.summary_width:
            self.notify(f"The summary is already as {'narrow' if delta < 0 else 'wide'} as it goes.", markup=False)
            return
        self.summary_width = width
        if self.panes_ready:
            self.summary_view.styles.width = f"{width}%"
        save_setting("summary_width", width)

    # --- time and summaries -----------------------------------------------------------
    @_when_panes_built
    def action_goto_time(self) -> None:
        from .goto import GotoScreen

        if self.transcript is None or self.alignment is None:
            self.notify("Open an episode first (press e).", severity="warning", markup=False)
            return
        self.app.push_screen(GotoScreen(), callback=self._goto)

    def _goto(self, seconds: float | None) -> None:
        if seconds is None or self.alignment is None:
            return
        if self._opening is not None and (self.episode is None or self._opening != self.episode.id):
            # another episode is still opening: go there in it once it is shown
            self._pending_goto = seconds
            self.notify(f"{self.opening_note or 'Opening…'} the time is kept for it.", markup=False)
            return
        duration = self.alignment.duration_s
        if duration and seconds > duration + 1:
            self.notify(f"The episode is only {self._clock(duration)} long; going to the end.", markup=False)
        self.transcript_view.go_to_time(seconds)
        self.focus_pane("transcript")

    def _clock(self, seconds: float) -> str:
        from ...model import format_clock

        return format_clock(seconds)

    @_when_panes_built
    def action_switch_summary(self, delta: int) -> None:
        view = self.summary_view
        if not view.summaries:
            self.notify("This episode has no summaries.", markup=False)
            return
        if not view.switch(delta):
            self.notify("This episode has only one summary.", markup=False)
            return
        self.status.summary = view.label
        if self.transcript is not None:
            view.mark_unit(self.transcript_view.cursor_unit)
            self._update_timeline()

    def action_section(self, delta: int) -> None:
        """``{`` / ``}``: the previous / next section of the summary, shown in the transcript."""
        view = self.summary_view
        index = view.section_start(delta)
        if index is None:
            self.notify("No more sections this way." if view.summary else "This episode has no summaries.", markup=False)
            return
        view.select_claim(index)
        view.mark_claim(index)
        ca = view.claim_alignment(index)
        if ca is not None and ca.status != "unsupported" and self.transcript is not None and ca.unit_start >= 0:
            self.transcript_view.show_range(ca.unit_start, ca.unit_end)

    @_when_panes_built
    def action_hit(self, direction: int) -> None:
        """``n`` / ``N`` from another pane: the transcript's own (one wording, one place)."""
        if self.transcript_view.display:
            self.transcript_view.step_hit(direction)

    # --- messages from the panes ------------------------------------------------------
    def on_claim_chosen(self, message: ClaimChosen) -> None:
        message.stop()
        if self.transcript is None or message.unit_start < 0:
            self.notify("No transcript position for this claim.", severity="warning", markup=False)
            return
        self.transcript_view.show_range(message.unit_start, message.unit_end)
        self.summary_view.mark_claim(message.claim_index)

    def on_cursor_moved(self, message: CursorMoved) -> None:
        message.stop()
        if self.alignment is not None:
            self.status.set_position(message.seconds, *self._length_args())
        self.summary_view.mark_unit(message.unit)
        self.timeline.position = message.seconds
        self.places.moved(message.unit)

    def _length_args(self) -> tuple[float, bool, bool, bool]:
        """(length, times estimated, length estimated, times rough) for the status line:
        the length is the one the picker and ``reader list`` show (reader.length)."""
        from ...length import alignment_length

        assert self.alignment is not None
        known = self.episode.known_duration_s if self.episode is not None else None
        length, estimated_length = alignment_length(self.alignment, known)
        return length, self.alignment.estimated, estimated_length, bool(getattr(self.alignment, "rough", False))

    def on_search_done(self, message: SearchDone) -> None:
        message.stop()
        self._set_terms(message.terms)

    def _set_terms(self, terms: tuple[str, ...]) -> None:
        self._terms = terms if hasattr(terms, "finditer") else tuple(terms)  # a TermMatcher
        if self.transcript is not None:
            self.transcript_view.set_search_terms(self._terms)
            self.timeline.set_hits(self.transcript_view.hit_seconds())

    # --- the timeline -----------------------------------------------------------------
    def _update_timeline(self) -> None:
        """Segments from the shown summary's sections (or its claims, for a short list
        without sections); rough stretches where an estimated clock has no anchor near."""
        from ...timeline_marks import rough_stretches, segment_starts

        alignment = self.alignment
        if alignment is None:
            self.timeline.clear()
            return
        length = self._length_args()[0]
        view = self.summary_view
        rows = view.alignments[view.summary_index] if 0 <= view.summary_index < len(view.alignments) else []
        self.timeline.set_episode(length, segment_starts(rows), rough_stretches(alignment, length))
        self.timeline.position = self.transcript_view.cursor_seconds
        if self.notes.located:
            self.notes.mark_timeline()
        if self._terms:
            self.timeline.set_hits(self.transcript_view.hit_seconds())

    def on_timeline_jump(self, message: Timeline.Jump) -> None:
        message.stop()
        if self.transcript is None:
            return
        self.transcript_view.go_to_time(message.seconds)
        self.focus_pane("transcript")

    def on_search_hit_chosen(self, message: SearchHitChosen) -> None:
        message.stop()
        if message.kind == "summary" and message.summary_index is not None and message.claim_index is not None:
            landing = Landing(
                summary_index=message.summary_index,
                claim_index=message.claim_index,
                terms=message.terms,
                focus="transcript",
            )
        else:
            landing = Landing(
                unit_start=message.unit_start, unit_end=message.unit_end, terms=message.terms, focus="transcript"
            )
        if self.episode is not None and message.episode_id == self.episode.id and self._opening == self.episode.id:
            if self.search_open:
                # done searching: the search pane gives its room back, and the transcript
                # is laid out for its new width before the cursor goes to the words
                self.close_search()
                self.call_after_refresh(self._land, landing)
            else:
                self._land(landing)
        else:
            self.close_search()
            self.open_episode(message.episode_id, landing)

    # --- search index (search_index.SearchIndexKeeper) --------------------------------
    @property
    def index_building(self) -> bool:
        return self.search_index.building

    def _build_index(self) -> None:
        self.search_index.build()

    def on_index_progress(self, message: IndexProgress) -> None:
        self.search_index.progress(message)

    def on_index_ready(self, message: IndexReady) -> None:
        self.search_index.ready(message)

    def update_progress(self) -> None:
        """The status line's progress: opening an episode, updating the index."""
        if not self.panes_ready:
            return  # shown once the panes are built
        self.status.progress = "  ".join(p for p in (self.opening_note, self.search_index.progress_note) if p)

    # --- quotes and the source (sharing.Sharing) -----------------------------------------
    def on_quote_requested(self, message: QuoteRequested) -> None:
        message.stop()
        self.sharing.copy_quote(message)

    def on_quote_copied(self, message: QuoteCopied) -> None:
        self.sharing.quote_copied(message)

    def action_open_source(self) -> None:
        self.sharing.open_source()

    @property
    def last_quote(self) -> str | None:
        return self.sharing.last_quote

    @property
    def last_opened(self) -> Any:
        return self.sharing.last_opened

    # --- highlights and notes (reading_notes.ReadingNotes) ------------------------------
    def on_highlight_requested(self, message: HighlightRequested) -> None:
        message.stop()
        self.notes.request(message.passage)

    def on_transcript_view_document_ready(self, message: TranscriptView.DocumentReady) -> None:
        message.stop()
        self.notes.show()

    def action_highlights(self) -> None:
        self.notes.open_list()

    def jump_to_highlight(self, highlight_id: str | None) -> None:
        self.notes.jump_to(highlight_id)

    def remove_highlight_at_cursor(self) -> None:
        self.notes.remove_at_cursor()

    def action_export(self) -> None:
        """Write the episode's note (summary, highlights) into the data folder."""
        self.notes.export()

    # --- where the user left off (places.PlaceKeeper) -----------------------------------
    def save_now(self) -> None:
        """Save the place (and unsaved highlights) now: the episode changes or the app quits."""
        self.places.save_now()

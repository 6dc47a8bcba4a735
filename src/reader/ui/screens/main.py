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

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.events import Resize
from textual.widget import Widget

from ...library import Episode, Library
from ...model import Alignment, Transcript
from ..messages import (
    ClaimChosen,
    CursorMoved,
    EpisodeHeadParsed,
    EpisodeOpened,
    HighlightRequested,
    IndexOpened,
    IndexUpdated,
    Landing,
    QuoteCopied,
    QuoteRequested,
    SearchCloseRequested,
    SearchFinished,
    SearchHitChosen,
    TimeChosen,
)
from ..widgets.status_line import safe_text
from .episode_clock import EpisodeClock
from .episode_opening import EpisodeOpener
from .layout_once import LayoutOnce
from .pane_focus import PaneFocus
from .places import PlaceKeeper, start_place
from .reading_notes import ReadingNotes
from .search_index import SearchIndexKeeper
from .sharing import Sharing
from .summary_keys import SummaryKeys

if TYPE_CHECKING:  # the pane modules are imported when the panes are built
    from ..widgets.search_pane import SearchPane
    from ..widgets.status_line import StatusLine
    from ..widgets.summary_view import SummaryView
    from ..widgets.timeline import Timeline
    from ..widgets.transcript_view import TranscriptView

NARROW_WIDTH = 100
INDEX_DELAY_S = 0.15  # the index update starts this long after the first frame
# behind the start-up picker, the panes are built this long after its first frame
PANES_DELAY_S = 0.05
MAX_PROBLEM_NOTES = 4
NO_EPISODE = "Open an episode first (press e)."


def _when_panes_built(action: Callable[..., None]) -> Callable[..., None]:
    """A key (or palette command) that needs the panes does nothing until they are all
    built: keys arrive in bursts, before the panes are mounted or while they are."""

    @wraps(action)
    def run(self: MainScreen, *args: Any) -> None:
        if not self.panes_ready:
            return
        try:
            action(self, *args)
        except NoMatches:
            pass  # a pane (or a pane's part) is still being mounted

    return run


class MainScreen(LayoutOnce):
    BINDINGS = [
        Binding("slash", "search", "Search", id="search"),
        Binding(
            "less_than_sign",
            "summary_width(-1)",
            "Narrower summary",
            show=False,
            id="summary_narrower",
        ),
        Binding(
            "greater_than_sign", "summary_width(1)", "Wider summary", show=False, id="summary_wider"
        ),
        Binding(
            "left_curly_bracket",
            "section(-1)",
            "Previous section",
            show=False,
            id="previous_section",
        ),
        Binding("right_curly_bracket", "section(1)", "Next section", show=False, id="next_section"),
        Binding("tab", "next_pane", "Next pane", id="next_pane"),
        Binding("shift+tab", "previous_pane", "Previous pane", show=False, id="previous_pane"),
        Binding("t", "goto_time", "Go to time", id="goto_time"),
        Binding(
            "left_square_bracket",
            "switch_summary(-1)",
            "Prev summary",
            show=False,
            id="previous_summary",
        ),
        Binding(
            "right_square_bracket",
            "switch_summary(1)",
            "Next summary",
            show=False,
            id="next_summary",
        ),
        # n / N in every pane (the one binding of them): the transcript's hits; not in
        # the footer (it has no room for them in every pane; ? lists them)
        Binding("n", "hit(1)", "Next hit", show=False, id="next_hit"),
        Binding("N", "hit(-1)", "Previous hit", show=False, id="previous_hit"),
        Binding("o", "open_source", "Open at source", show=False, id="open_source"),
        Binding("apostrophe", "highlights", "Highlights", show=False, id="highlights"),
    ]

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
        self.clock = EpisodeClock(self)  # the length, the timeline, t (go to a time)
        self.panes = PaneFocus(self)  # which pane has the focus; Tab
        self._opening: str | None = None
        self.search_terms: tuple[str, ...] = ()  # the last search's (a TermMatcher)
        self._noted_problems: set[str] = set()
        self.places = PlaceKeeper(self)  # where the user left off, saved as the cursor moves
        # Start with the picker (no place to restore, several episodes): the picker is
        # opaque, so the panes under it are built after its first frame, not before.
        self._start_place = start_place(library)
        self.panes_ready = not (self._start_place is None and len(library.episodes) > 1)
        # The pane the start lands in has the focus from the first frame on (Textual
        # focuses AUTO_FOCUS before that frame; a later focus() restyles and draws the
        # panes again just after it).
        landing_focus = self.opener.start_landing().focus
        start_pane = "transcript" if landing_focus == "transcript" else "summary"
        self.AUTO_FOCUS = f"#{start_pane}"  # type: ignore[misc]  # (read from the instance)
        self.summary_keys = SummaryKeys(self)  # its width, the next summary and section
        self._panes_building = False
        self._after_panes: list[Callable[[], Any]] = []

    # --- layout -----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        self.on_size_changed(self.app.size.width)  # before the panes are styled, not after
        if self.panes_ready:
            yield from self._panes(focus=True)

    def _panes(self, focus: bool = False) -> list[Widget]:
        from textual.containers import Horizontal, Vertical
        from textual.widgets import Static

        from ..widgets.key_bar import KeyBar
        from ..widgets.search_pane import SearchPane
        from ..widgets.status_line import StatusLine
        from ..widgets.summary_view import SummaryView
        from ..widgets.timeline import Timeline
        from ..widgets.transcript_view import TranscriptView

        transcript_pane = Vertical(
            view := TranscriptView(id="transcript"),
            Static("", id="transcript-message", markup=False),
            id="transcript-pane",
        )
        summary = SummaryView(id="summary")
        summary.styles.width = f"{self.summary_keys.width}%"
        panes = Horizontal(summary, transcript_pane, SearchPane(id="search"), id="panes")
        if focus:
            self.panes.focus_before_styling(view if self.AUTO_FOCUS == "#transcript" else summary)
        return [panes, Timeline(id="timeline"), StatusLine(id="status"), KeyBar(id="keys")]

    # The panes, typed and checked: NoMatches until they are built (``_panes``, which
    # imports their modules: the imports here then cost a lookup).
    @property
    def summary_view(self) -> SummaryView:
        from ..widgets.summary_view import SummaryView

        return self.query_one("#summary", SummaryView)

    @property
    def transcript_view(self) -> TranscriptView:
        from ..widgets.transcript_view import TranscriptView

        return self.query_one("#transcript", TranscriptView)

    @property
    def search_pane(self) -> SearchPane:
        from ..widgets.search_pane import SearchPane

        return self.query_one("#search", SearchPane)

    @property
    def timeline(self) -> Timeline:
        from ..widgets.timeline import Timeline

        return self.query_one("#timeline", Timeline)

    @property
    def status(self) -> StatusLine:
        from ..widgets.status_line import StatusLine

        return self.query_one("#status", StatusLine)

    def on_mount(self) -> None:
        # Nothing slow before the first frame: the index update, parsing and aligning
        # all start once the screen has been painted.
        self.search_index.building = True
        self.hide_empty_toasts()
        self.call_after_refresh(self._after_first_paint)
        if self.panes_ready:
            self.panes.mounted()
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
            try:
                self._init_panes()
            except NoMatches:
                return  # the app quit (q on the picker) while the panes were mounted
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
        self.on_size_changed(event.size.width)

    def on_size_changed(self, width: int) -> None:
        self.set_class(width < NARROW_WIDTH, "-narrow")

    # --- start ------------------------------------------------------------------------
    def _note_library_problems(self) -> None:
        problems = list(self.library.problems)
        for problem in problems[:MAX_PROBLEM_NOTES]:
            self.notify(
                safe_text(problem, 300),
                title="Broken episode skipped",
                severity="warning",
                markup=False,
            )
        if len(problems) > MAX_PROBLEM_NOTES:
            more = len(problems) - MAX_PROBLEM_NOTES
            self.notify(
                f"…and {more} more broken episode folders (see `reader list`).",
                severity="warning",
                markup=False,
            )

    def _open_start_episode(self) -> None:
        self.opener.open_start()

    # --- episodes (episode_opening.EpisodeOpener) ----------------------------------------
    def action_episodes(self) -> None:
        self.opener.choose()

    def episode_needed(self) -> Episode | None:
        """The open episode, for a key that acts on it; None (and the user told to open
        one) when there is none."""
        if self.episode is None:
            self.notify(NO_EPISODE, severity="warning", markup=False)
        return self.episode

    def open_episode(self, episode_id: str, landing: Landing, at_once: bool = False) -> None:
        """Open an episode (parsed and aligned in a worker) and land on ``landing``."""
        self.opener.open(episode_id, landing, at_once)

    def on_episode_head_parsed(self, message: EpisodeHeadParsed) -> None:
        self.opener.show_head(message)

    def on_episode_opened(self, message: EpisodeOpened) -> None:
        self.opener.show(message)

    # --- panes and focus (pane_focus.PaneFocus) ----------------------------------------
    def current_pane(self) -> str | None:
        return self.panes.current()

    @property
    def search_open(self) -> bool:
        return self.panes.search_open

    def focus_pane(self, pane: str) -> None:
        self.panes.focus(pane)

    def close_search(self) -> None:
        """The search pane gives its room back (its query and results are kept)."""
        self.panes.close_search()

    @_when_panes_built
    def action_next_pane(self) -> None:
        self.panes.cycle(1)

    @_when_panes_built
    def action_previous_pane(self) -> None:
        self.panes.cycle(-1)

    @_when_panes_built
    def action_search(self) -> None:
        self.focus_pane("search")
        self.search_pane.input.select_all() if self.search_pane.input.value else None

    def on_search_close_requested(self, event: SearchCloseRequested) -> None:
        event.stop()
        self.close_search()
        self.focus_pane("transcript")

    def action_summary_width(self, delta: int) -> None:
        self.summary_keys.change_width(delta)

    # --- time (episode_clock.EpisodeClock) and summaries -------------------------------
    @_when_panes_built
    def action_goto_time(self) -> None:
        self.clock.ask()

    @_when_panes_built
    def action_switch_summary(self, delta: int) -> None:
        self.summary_keys.switch(delta)

    def action_section(self, delta: int) -> None:
        self.summary_keys.section(delta)

    @_when_panes_built
    def action_hit(self, direction: int) -> None:
        """``n`` / ``N``, whichever pane has the focus: to the transcript's next / previous
        search hit (``TranscriptView.step_hit`` says where, or why there is none)."""
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
        self.show_cursor(message.unit, message.seconds)
        self.places.moved(message.unit)

    def show_cursor(self, unit: int, seconds: float) -> None:
        """The transcript's cursor is at ``unit``: the status line, the summary's claim
        and the timeline follow."""
        if self.alignment is not None:
            self.status.set_position(seconds, *self.clock.length_args())
        self.summary_view.mark_unit(unit)
        self.timeline.position = seconds

    def on_search_finished(self, message: SearchFinished) -> None:
        message.stop()
        self.set_search_terms(message.terms)

    def set_search_terms(self, terms: tuple[str, ...]) -> None:
        """The words the last search matched, highlighted in the transcript and marked on
        the timeline (a ``reader.search`` TermMatcher, or a tuple of words)."""
        self.search_terms = terms if hasattr(terms, "finditer") else tuple(terms)
        if self.transcript is not None:
            self.transcript_view.set_search_terms(self.search_terms)
            self.timeline.set_hits(self.transcript_view.hit_seconds())

    def on_time_chosen(self, message: TimeChosen) -> None:
        message.stop()
        if self.transcript is None:
            return
        self.transcript_view.go_to_time(message.seconds)
        self.focus_pane("transcript")

    def on_search_hit_chosen(self, message: SearchHitChosen) -> None:
        message.stop()
        self.opener.land_on_hit(message)

    # --- search index (search_index.SearchIndexKeeper) --------------------------------
    @property
    def opening_id(self) -> str | None:
        """The episode being opened or shown last (None before the first)."""
        return self._opening

    @property
    def index_building(self) -> bool:
        return self.search_index.building

    def _build_index(self) -> None:
        self.search_index.build()

    def on_index_updated(self, message: IndexUpdated) -> None:
        self.search_index.progress(message)

    def on_index_opened(self, message: IndexOpened) -> None:
        self.search_index.ready(message)

    def update_progress(self) -> None:
        """The status line's progress: opening an episode, updating the index."""
        if not self.panes_ready:
            return  # shown once the panes are built
        self.status.progress = "  ".join(
            p for p in (self.opening_note, self.search_index.progress_note) if p
        )

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

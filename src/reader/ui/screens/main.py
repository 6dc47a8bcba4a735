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

from dataclasses import dataclass
from functools import wraps
from time import monotonic
from typing import TYPE_CHECKING, Any, Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.css.query import NoMatches
from textual.events import Resize
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget

from ...errors import ReaderError
from ...library import Episode, Library
from ...model import Alignment, ClaimAlignment, Summary, Transcript
from ...state import Place, load_episode_place, load_place, load_settings, save_place, save_setting
from ..messages import ClaimChosen, CursorMoved, HighlightRequested, QuoteRequested, SearchDone, SearchHitChosen
from ..widgets.status_line import safe_text

if TYPE_CHECKING:  # the pane modules are imported when the panes are built
    from textual.widgets import Static

    from ..widgets.search_pane import SearchPane
    from ..widgets.status_line import StatusLine
    from ..widgets.summary_view import SummaryView
    from ..widgets.timeline import Timeline
    from ..widgets.transcript_view import TranscriptView

NARROW_WIDTH = 100
SAVE_DELAY_S = 0.5  # the place is saved this long after the cursor last moved
INDEX_DELAY_S = 0.15  # the index update starts this long after the first frame
PANES_DELAY_S = 0.05  # behind the start-up picker, the panes are built this long after its first frame
PANES = ("summary", "transcript", "search")
SUMMARY_WIDTH = 42  # percent of the screen, the default share of the summary pane (>= 36 columns of text at 120)
SUMMARY_WIDTHS = (18, 70)  # the least and most the user can give it
SUMMARY_STEP = 4
HEAD_MIN_BYTES = 128 * 1024  # transcripts this big show their beginning before the rest is parsed
HEAD_BYTES = 48 * 1024  # ... the first this many bytes, cut at a line end
MAX_PROBLEM_NOTES = 4


@dataclass
class Landing:
    """Where to put the reader once an episode is open."""

    unit: int | None = None  # restore a place: cursor to this unit
    unit_start: int | None = None  # a transcript range to show
    unit_end: int | None = None
    summary_index: int | None = None  # a summary claim to select (and show its range)
    claim_index: int | None = None
    terms: tuple[str, ...] = ()
    focus: str = "summary"


class EpisodeReady(Message):
    def __init__(
        self,
        episode: Episode,
        transcript: Transcript | None,
        summaries: list[Summary],
        alignment: Alignment | None,
        error: str | None,
        landing: Landing,
        warnings: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.episode = episode
        self.transcript = transcript
        self.summaries = summaries
        self.alignment = alignment
        self.error = error
        self.landing = landing
        self.warnings = list(warnings or [])


class EpisodeHead(Message):
    """The beginning of a long transcript, parsed on its own: painted while the rest is
    parsed and aligned (no times yet)."""

    def __init__(self, episode: Episode, head: Transcript) -> None:
        super().__init__()
        self.episode, self.head = episode, head


def parse_head(episode: Episode) -> Transcript | None:
    """The first ``HEAD_BYTES`` of a long transcript file parsed as if they were all of
    it, or None (short file, JSON, already parsed, unreadable). Only for painting early:
    the full parse replaces it."""
    if "transcript" in vars(episode):
        return None  # parsed already: the whole thing is as quick
    path = episode.transcript_path
    try:
        if path.suffix.lower() == ".json" or path.stat().st_size < HEAD_MIN_BYTES:
            return None
        with open(path, "rb") as fh:
            data = fh.read(HEAD_BYTES)
        if data.lstrip()[:1] in (b"[", b"{"):
            return None
        # whole caption cues / paragraphs: cut at the last blank line, else a line end
        cut = data.rfind(b"\n\n")
        if cut < len(data) // 2:
            cut = data.rfind(b"\n")
        if cut <= 0:
            return None
        from ...parse.transcript import parse_transcript_text
        from ...text import decode

        text, _warning = decode(data[:cut + 1])
        head = parse_transcript_text(text, path)
    except Exception:
        return None
    return head if head.lines else None


class IndexProgress(Message):
    def __init__(self, done: int, total: int, name: str) -> None:
        super().__init__()
        self.done, self.total, self.name = done, total, name


class IndexReady(Message):
    def __init__(self, index: Any, error: str | None = None) -> None:
        super().__init__()
        self.index, self.error = index, error


class QuoteCopied(Message):
    def __init__(self, quote: str, message: str, book_error: str | None, ok: bool) -> None:
        super().__init__()
        self.quote, self.message, self.book_error, self.ok = quote, message, book_error, ok


def fallback_alignment(transcript: Transcript, summaries: list[Summary], duration_s: float | None) -> Alignment:
    """A crude alignment used only if the sync engine fails: real times where the transcript
    has them, otherwise units spread evenly; each claim lands on the unit at its time."""
    n = len(transcript.lines)
    duration = float(duration_s or transcript.last_time or max(n * 3.0, 1.0))
    seconds: list[float] = []
    last = 0.0
    for i, line in enumerate(transcript.lines):
        t = line.start if line.start is not None else (duration * i / max(n, 1))
        last = max(last, float(t))
        seconds.append(last)
    alignment = Alignment(unit_seconds=seconds, estimated=not transcript.timed, duration_s=duration, summaries=[])
    for summary in summaries:
        row = []
        for claim in summary.claims:
            unit = alignment.unit_at(claim.seconds) if seconds else 0
            row.append(ClaimAlignment(claim, unit, unit, seconds[unit] if seconds else 0.0, 0.0, "ok"))
        alignment.summaries.append(row)
    return alignment


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
        self.index: Any = None
        self._index_error: str | None = None
        self.index_building = False
        self.indexing = ""
        self.loading = ""
        self.last_quote: str | None = None
        self.highlights: Any = None  # reader.notes.HighlightStore of the open episode
        self._located: list[Any] = []  # (Highlight, Located) in the transcript shown
        self.last_opened: Any = None  # reader.opener.Opened, the last `o`
        self._opening: str | None = None
        self._pending_goto: float | None = None  # t pressed while an episode was opening
        self._laid_out_size: Any = None  # the size of the last layout (see _on_resize)
        self._terms: tuple[str, ...] = ()
        self._noted_problems: set[str] = set()
        self._save_timer: Timer | None = None
        self._moved_at = 0.0
        self._last_unit = 0
        # Start with the picker (no place to restore, several episodes): the picker is
        # opaque, so the panes under it are built after its first frame, not before.
        self._start_place = load_place(library.root)
        if self._start_place is not None and library.get(self._start_place.episode_id) is None:
            self._start_place = None
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
        self.index_building = True
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
            self._update_progress()
            if self.index is not None or not self.index_building:
                self.search_pane.set_index(self.index, self._index_error)
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
        super()._refresh_layout(size, scroll)
        self._laid_out_size = self.size

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
        episodes = self.library.episodes
        place = self._start_place
        if place is not None:
            self.open_episode(place.episode_id, Landing(unit=place.unit, focus="transcript"), at_once=True)
        elif len(episodes) == 1:
            self.open_episode(episodes[0].id, self._place_landing(episodes[0].id), at_once=True)
        elif episodes:
            self.action_episodes()
        else:
            self.notify("This library has no episodes yet (add one with `reader add`).", markup=False)

    # --- episodes ---------------------------------------------------------------------
    def action_episodes(self) -> None:
        from .picker import PickerScreen

        if isinstance(self.app.screen, PickerScreen):
            return
        current = self.episode.id if self.episode else None
        self.app.push_screen(PickerScreen(self.library, current), callback=self._picked)

    def _picked(self, episode_id: str | None) -> None:
        if not self.panes_ready:
            self.when_panes_ready(lambda: self._picked(episode_id))
            return
        if episode_id is None:
            return
        if self.episode is not None and episode_id == self.episode.id:
            return
        self.open_episode(episode_id, self._place_landing(episode_id))

    def _place_landing(self, episode_id: str) -> Landing:
        """Where an episode opened from the picker lands: where it was left, if it was read."""
        unit = load_episode_place(self.library.root, episode_id)
        return Landing(unit=unit, focus="transcript") if unit else Landing()

    def open_episode(self, episode_id: str, landing: Landing, at_once: bool = False) -> None:
        """Open an episode: parsed and aligned in a worker, "Opening…" shown meanwhile.
        ``at_once`` (the episode of the start): one unchanged since it was last opened
        comes from the episode cache before the first frame, so that frame shows it."""
        if not self.panes_ready:
            self.when_panes_ready(lambda: self.open_episode(episode_id, landing))
            return
        episode = self.library.get(episode_id)
        if episode is None:
            self.notify(f"No episode {episode_id!r} in this library.", severity="error", markup=False)
            return
        self.save_now()
        self._opening = episode_id
        if at_once and getattr(self.app, "cache_episodes", False):
            from ... import episode_cache

            hit = episode_cache.load(episode)
            if hit is not None:
                self.on_episode_ready(EpisodeReady(episode, *hit, None, landing))
                return
        self.loading = f"Opening {safe_text(episode.title, 40)}…"
        self._update_progress()
        # paint "Opening…" first; the worker parses and aligns
        self.call_after_refresh(self._load_episode, episode, landing)

    @work(thread=True, exclusive=True, group="episode")
    def _load_episode(self, episode: Episode, landing: Landing) -> None:
        warnings: list[str] = []
        cache = getattr(self.app, "cache_episodes", False)
        if cache:  # opened before and unchanged: no parsing, no aligning (reader.episode_cache)
            from ... import episode_cache

            hit = episode_cache.load(episode)
            if hit is not None:
                self.post_message(EpisodeReady(episode, *hit, None, landing))
                return
        if landing.unit in (None, 0) and landing.unit_start is None and landing.summary_index is None:
            head = parse_head(episode)  # a long transcript: its first screens at once
            if head is not None:
                self.post_message(EpisodeHead(episode, head))
        try:
            transcript = episode.transcript
        except ReaderError as exc:
            self.post_message(EpisodeReady(episode, None, self._summaries(episode), None, str(exc), landing))
            return
        except Exception as exc:  # a parser bug must not take the app down
            error = f"{episode.transcript_path}: cannot read transcript ({type(exc).__name__}: {exc})"
            self.post_message(EpisodeReady(episode, None, self._summaries(episode), None, error, landing))
            return
        summaries = self._summaries(episode)
        try:
            alignment = self.app.aligner(transcript, summaries, episode.known_duration_s)  # type: ignore[attr-defined]
        except Exception as exc:
            warnings.append(f"alignment failed ({type(exc).__name__}: {exc}); claim positions are rough")
            alignment = fallback_alignment(transcript, summaries, episode.duration_s)
        self.post_message(EpisodeReady(episode, transcript, summaries, alignment, None, landing, warnings))
        if cache and not warnings:
            from ... import episode_cache

            episode_cache.save(episode, transcript, summaries, alignment)

    @staticmethod
    def _summaries(episode: Episode) -> list[Summary]:
        try:
            return list(episode.summaries)
        except Exception:
            return []

    def on_episode_head(self, message: EpisodeHead) -> None:
        if message.episode.id != self._opening:
            return
        episode = message.episode
        self.episode, self.transcript, self.alignment = None, None, None
        self.status.episode_title = episode.title
        self.status.set_position(None, None, False)
        self.summary_view.set_message(f"Opening {safe_text(episode.title, 60)}…")
        self.query_one("#transcript-message").display = False
        view = self.transcript_view
        view.display = True
        # no times until the whole transcript is aligned: an empty alignment, no gutter
        view.set_document(message.head, Alignment([], not message.head.timed, 0.0, []))

    def on_episode_ready(self, message: EpisodeReady) -> None:
        if message.episode.id != self._opening:
            return  # a newer episode was asked for meanwhile
        episode = message.episode
        self.episode, self.transcript, self.alignment = episode, message.transcript, message.alignment
        self._last_unit = 0
        self.loading = ""
        self._update_progress()
        self.status.episode_title = episode.title
        self.search_pane.set_episode(episode.id)
        transcript_view = self.transcript_view
        note: Static = self.query_one("#transcript-message")  # type: ignore[assignment]
        if message.error or message.transcript is None or message.alignment is None:
            transcript_view.display = False
            note.update(
                Content.assemble(
                    ("This episode's transcript cannot be shown.\n\n", "bold $error"),
                    safe_text(message.error or "unknown error", 1000),
                    ("\n\nPress e to open another episode.", "$text-muted"),
                )
            )
            note.display = True
            self.summary_view.set_summaries(message.summaries, None)
            self.status.set_position(None, None, False)
            self.timeline.clear()
        else:
            note.display = False
            transcript_view.display = True
            transcript_view.set_document(message.transcript, message.alignment)
            if self._terms:
                transcript_view.set_search_terms(self._terms)
            self.summary_view.set_summaries(message.summaries, message.alignment.summaries)
            self.status.set_position(0.0, *self._length_args())
            self._update_timeline()
        self.status.summary = self.summary_view.label if message.summaries else ""
        # the highlights file is read after this frame (first paint), for this episode only
        self.call_after_refresh(lambda: self._load_highlights(episode) if self.episode is episode else None)
        for problem in [*episode.problems, *message.warnings]:
            if problem not in self._noted_problems:
                self._noted_problems.add(problem)
                self.notify(safe_text(problem, 300), severity="warning", markup=False)
        self._land(message.landing)
        if self._pending_goto is not None and self.transcript is not None:
            seconds, self._pending_goto = self._pending_goto, None
            self._goto(seconds)

    def _land(self, landing: Landing) -> None:
        view = self.transcript_view
        view.fit_width()
        has_doc = self.transcript is not None and self.alignment is not None
        if landing.terms:
            self._set_terms(landing.terms)
        if landing.summary_index is not None and landing.claim_index is not None:
            self.summary_view.show_summary(landing.summary_index)
            self.status.summary = self.summary_view.label
            self.summary_view.select_claim(landing.claim_index)
            ca = self.summary_view.claim_alignment(landing.claim_index, landing.summary_index)
            if ca is not None and has_doc:
                view.show_range(ca.unit_start, ca.unit_end)
                self.summary_view.mark_claim(landing.claim_index)
        elif landing.unit_start is not None and landing.unit_start >= 0 and has_doc:
            end = landing.unit_end if landing.unit_end is not None and landing.unit_end >= 0 else landing.unit_start
            view.show_range(landing.unit_start, end)
            if landing.terms:
                view.cursor_to_hit_in_range(landing.unit_start, end)
        elif landing.unit is not None and has_doc:
            view.go_to_unit(landing.unit)
        self.focus_pane(landing.focus if has_doc or landing.focus != "transcript" else "summary")

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
            self.notify(f"{self.loading or 'Opening…'} the time is kept for it.", markup=False)
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
        if not self._terms:
            self.notify("No search yet: press / to search.", markup=False)
            return
        view = self.transcript_view
        if not view.display:
            return
        found = view.next_hit() if direction > 0 else view.prev_hit()
        if not found:
            words = " ".join(self._terms)
            self.notify(f"No matches for {words!r} in this transcript.", markup=False)
        else:
            self.notify(view.hit_message(), timeout=2, markup=False)

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
        self._last_unit = message.unit
        self._schedule_save()

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
        self._terms = tuple(terms)
        if self.transcript is not None:
            self.transcript_view.set_search_terms(self._terms)
            self.timeline.set_hits(self.transcript_view.hit_seconds())

    # --- the timeline -----------------------------------------------------------------
    def _update_timeline(self) -> None:
        """Segments from the shown summary's sections (or its claims, for a short list
        without sections); rough stretches where an estimated clock has no anchor near."""
        from ..widgets.timeline import rough_spans, uncertain_spans

        alignment = self.alignment
        if alignment is None:
            self.timeline.clear()
            return
        length = self._length_args()[0]
        view = self.summary_view
        rows = view.alignments[view.summary_index] if 0 <= view.summary_index < len(view.alignments) else []

        def at(ca: ClaimAlignment) -> float:
            return ca.seconds if ca.status != "unsupported" else ca.claim.seconds

        sections = [ca for i, ca in enumerate(rows) if i == 0 or ca.claim.section != rows[i - 1].claim.section]
        if len(sections) < 2 and len(rows) <= 40:
            sections = rows
        rough: list[tuple[float, float]] = []
        if alignment.estimated:
            uncertainty = getattr(alignment, "unit_uncertainty", None) or []
            if len(uncertainty) == len(alignment.unit_seconds) and uncertainty:
                rough = uncertain_spans(alignment.unit_seconds, uncertainty, length)
            else:  # an engine that does not say: far from any confident anchor
                anchors = [ca.seconds for row in alignment.summaries for ca in row if ca.status == "ok"]
                rough = rough_spans(anchors, length)
        self.timeline.set_episode(length, [at(ca) for ca in sections], rough)
        self.timeline.position = self.transcript_view.cursor_seconds
        if self._located:
            self._timeline_highlights()
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

    # --- search index -----------------------------------------------------------------
    @work(thread=True, exclusive=True, group="index")
    def _build_index(self) -> None:
        self.index_building = True

        def progress(done: int, total: int, name: str) -> None:
            self.post_message(IndexProgress(done, total, name))

        try:
            index = self.app.index_factory(self.library)  # type: ignore[attr-defined]
            index.update(progress)
        except Exception as exc:
            self.post_message(IndexReady(None, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(IndexReady(index))

    def on_index_progress(self, message: IndexProgress) -> None:
        self.indexing = f"Indexing {message.done}/{message.total}…"
        self._update_progress()

    def on_index_ready(self, message: IndexReady) -> None:
        self.index_building = False
        self.index = message.index
        self._index_error = message.error
        self.indexing = ""
        self._update_progress()
        if message.error:
            self.notify(safe_text(f"Search is unavailable: {message.error}", 300), severity="error", markup=False)
        if self.panes_ready:
            self.search_pane.set_index(message.index, message.error)

    def _update_progress(self) -> None:
        if not self.panes_ready:
            return  # shown once the panes are built
        self.status.progress = "  ".join(p for p in (self.loading, self.indexing) if p)

    # --- quotes -----------------------------------------------------------------------
    def on_quote_requested(self, message: QuoteRequested) -> None:
        message.stop()
        if self.episode is None:
            return
        self._copy_quote(self.episode, message)

    @work(thread=True, group="quote")
    def _copy_quote(self, episode: Episode, message: QuoteRequested) -> None:
        from ...quote import copy_quote

        app = self.app

        def osc52(payload: str) -> None:
            app.call_from_thread(app.copy_to_clipboard, payload)

        done = copy_quote(
            episode,
            message.text,
            message.seconds,
            app.clipboard_copy,  # type: ignore[attr-defined]
            osc52,
            with_link=message.with_link,
            estimated=message.estimated,
            speaker=message.speaker,
            summary_name=message.summary_name,
        )
        self.post_message(QuoteCopied(done.quote, done.message, done.book_error, done.ok))

    def on_quote_copied(self, message: QuoteCopied) -> None:
        self.last_quote = message.quote
        self.notify(safe_text(message.message, 300), severity="information" if message.ok else "error", markup=False)
        if message.book_error:
            self.notify(safe_text(message.book_error, 300), severity="warning", markup=False)

    # --- highlights and notes ---------------------------------------------------------
    def _load_highlights(self, episode: Episode) -> None:
        from ...notes import HighlightStore

        if self.highlights is not None and self.highlights.unsaved:
            self._save_highlights()  # one more try before the episode changes
        self.highlights = HighlightStore.load(episode.id)
        if self.highlights.problem:
            self.notify(safe_text(self.highlights.problem, 300), severity="warning", markup=False)
        self._show_highlights()

    def _show_highlights(self) -> None:
        """Find every highlight in the transcript shown and mark it in the gutter."""
        from ...notes import relocate

        view = self.transcript_view
        doc = view.readable
        if self.highlights is None or doc is None or self.transcript is None:
            self._located = []
            return
        self._located = relocate(self.highlights, doc, self.alignment)
        view.set_marks(
            [(w.start, w.end) for _h, w in self._located],
            [w.start for h, w in self._located if h.note],
        )
        self._timeline_highlights()

    def _timeline_highlights(self) -> None:
        view = self.transcript_view
        doc = view.readable
        if doc is None:
            return
        self.timeline.set_highlights(view.seconds_at_offset(w.start) for _h, w in self._located)

    def on_transcript_view_document_ready(self, message: Any) -> None:
        message.stop()
        self._show_highlights()

    def _save_highlights(self) -> bool:
        try:
            self.highlights.save()
        except ReaderError as exc:
            self.notify(safe_text(str(exc), 300), severity="warning", markup=False)
            return False
        return True

    def _highlight_at(self, start: int, end: int) -> Any:
        for h, where in self._located:
            if where.start < end and start < where.end:
                return h
        return None

    def on_highlight_requested(self, message: HighlightRequested) -> None:
        message.stop()
        from ...notes import new_highlight
        from .notes import NoteScreen

        if self.episode is None or self.highlights is None:
            return
        found: Any = message.passage
        existing = self._highlight_at(found.start, found.end)
        if existing is not None:  # m on a highlight: edit its note
            self.app.push_screen(
                NoteScreen(existing.text, existing.note, editing=True),
                callback=lambda note, hid=existing.id: self._noted(hid, note),
            )
            return
        highlight = new_highlight(
            self.transcript_view.readable, found.start, found.end, found.text, found.seconds,
            estimated=found.estimated, speaker=found.speaker,
        )
        try:
            self.highlights.add(highlight)
        except ReaderError as exc:
            self.notify(safe_text(str(exc), 300), severity="warning", markup=False)
        self._show_highlights()
        self.app.push_screen(NoteScreen(highlight.text), callback=lambda note, hid=highlight.id: self._noted(hid, note))

    def _noted(self, highlight_id: str, note: str | None) -> None:
        if note is None or self.highlights is None:
            return
        try:
            self.highlights.update(highlight_id, note=note)
        except ReaderError as exc:
            self.notify(safe_text(str(exc), 300), severity="warning", markup=False)
        self._show_highlights()
        self.notify("Note saved." if note else "Note removed.", markup=False)

    def action_highlights(self) -> None:
        from .notes import HighlightsScreen

        if self.episode is None or self.highlights is None:
            self.notify("Open an episode first (press e).", severity="warning", markup=False)
            return
        self.app.push_screen(HighlightsScreen(self.highlights.highlights, self.episode.title), callback=self.jump_to_highlight)

    def jump_to_highlight(self, highlight_id: str | None) -> None:
        if highlight_id is None:
            return
        for h, where in self._located:
            if h.id == highlight_id:
                self.transcript_view.go_to_offset(where.start)
                self.focus_pane("transcript")
                return
        self.notify("That highlight is not in this transcript.", severity="warning", markup=False)

    def remove_highlight_at_cursor(self) -> None:
        view = self.transcript_view
        span = view.selection_span()
        h = self._highlight_at(*span) if span is not None else None
        if h is None or self.highlights is None:
            self.notify("No highlight under the cursor.", markup=False)
            return
        try:
            self.highlights.remove(h.id)
        except ReaderError as exc:
            self.notify(safe_text(str(exc), 300), severity="warning", markup=False)
        self._show_highlights()
        self.notify("Highlight removed.", markup=False)

    def action_export(self) -> None:
        """Write the episode's note (summary, highlights) into the data folder."""
        if self.episode is None:
            self.notify("Open an episode first (press e).", severity="warning", markup=False)
            return
        if self.highlights is not None and self.highlights.unsaved:
            self._save_highlights()
        self._export(self.episode)

    @work(thread=True, group="export")
    def _export(self, episode: Episode) -> None:
        from ...export import export_to_data_dir

        try:
            path = export_to_data_dir(episode, self.highlights)
        except ReaderError as exc:
            self.app.call_from_thread(self.notify, safe_text(str(exc), 300), severity="error", markup=False)
            return
        self.app.call_from_thread(self.notify, safe_text(f"Exported to {path}", 300), markup=False)

    # --- open at the source -----------------------------------------------------------
    def action_open_source(self) -> None:
        if self.episode is None:
            self.notify("Open an episode first (press e).", severity="warning", markup=False)
            return
        seconds, estimated = None, False
        if self.current_pane() == "summary":
            view = self.summary_view
            claim_index, summary = view.highlighted_claim, view.summary
            if claim_index is not None and summary is not None:
                seconds = summary.claims[claim_index].seconds
        if seconds is None:
            if self.transcript is None or self.alignment is None:
                self.notify("Nothing to open yet.", severity="warning", markup=False)
                return
            seconds, estimated = self.transcript_view.cursor_seconds, bool(self.alignment.estimated)
        self._open_source(self.episode, seconds, estimated)

    @work(thread=True, group="open")
    def _open_source(self, episode: Episode, seconds: float, estimated: bool) -> None:
        from ...opener import open_at

        opened = open_at(episode, seconds, estimated=estimated)

        def report() -> None:
            self.last_opened = opened
            self.notify(safe_text(opened.message, 300), severity="information" if opened.ok else "warning", markup=False)

        self.app.call_from_thread(report)

    # --- where the user left off ------------------------------------------------------
    def _schedule_save(self) -> None:
        # Debounced: saved SAVE_DELAY_S after the last move. One timer per quiet spell,
        # not one per key: a move only notes its time.
        self._moved_at = monotonic()
        if self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_DELAY_S, self._save_due)

    def _save_due(self) -> None:
        self._save_timer = None
        wait = self._moved_at + SAVE_DELAY_S - monotonic()
        if wait > 0.01:
            self._save_timer = self.set_timer(wait, self._save_due)
        else:
            self.save_now()

    def save_now(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        if self.highlights is not None and self.highlights.unsaved:
            try:
                self.highlights.save()  # one more try: kept in memory since it failed
            except ReaderError:
                pass
        if self.episode is None or self.transcript is None:
            return
        try:
            unit = self.transcript_view.cursor_unit
        except NoMatches:  # the panes are being built or taken down: the last known place
            unit = self._last_unit
        save_place(self.library.root, Place(self.episode.id, unit))

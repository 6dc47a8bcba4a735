"""The open episode, for the main screen: which episode opens at start, the picker,
opening one (``reader.opening.open_episode`` in a thread, "Opening…" meanwhile, the
beginning of a long transcript painted early), showing what opened in the panes, and
landing the reader on a place, a claim or a search hit.

The main screen owns one :class:`EpisodeOpener` and routes the messages to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from ...state import load_episode_place
from ..messages import EpisodeHeadParsed, EpisodeOpened, Landing, SearchHitChosen
from ..services import services_of
from ..widgets.status_line import safe_text

if TYPE_CHECKING:
    from textual.widgets import Static

    from ...library import Episode
    from ...model import Transcript
    from .main import MainScreen


class EpisodeOpener:
    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self._start: Landing | None = None

    def start_landing(self) -> Landing:
        """Where the start lands: the saved place, or the only episode's own place (read
        once: the screen asks before its first frame, to focus that pane)."""
        if self._start is None:
            self._start = self._start_landing()
        return self._start

    def _start_landing(self) -> Landing:
        screen = self.screen
        place = screen._start_place
        if place is not None:
            return Landing(unit=place.unit, focus="transcript")
        episodes = screen.library.episodes
        return self.place_landing(episodes[0].id) if len(episodes) == 1 else Landing()

    def open_start(self) -> None:
        screen = self.screen
        episodes = screen.library.episodes
        place = screen._start_place
        if place is not None:
            self.open(place.episode_id, self.start_landing(), at_once=True)
        elif len(episodes) == 1:
            self.open(episodes[0].id, self.start_landing(), at_once=True)
        elif episodes:
            self.choose()
        else:
            screen.notify(
                "This library has no episodes yet (add one with `reader add`).", markup=False
            )

    def choose(self) -> None:
        """``e``: the episode picker (what is picked opens where it was left)."""
        from .picker import PickerScreen

        screen = self.screen
        if isinstance(screen.app.screen, PickerScreen):
            return
        current = screen.episode.id if screen.episode else None
        screen.app.push_screen(PickerScreen(screen.library, current), callback=self.picked)

    def picked(self, episode_id: str | None) -> None:
        screen = self.screen
        if not screen.panes_ready:
            screen.when_panes_ready(lambda: self.picked(episode_id))
            return
        if episode_id is None:
            return
        if screen.episode is not None and episode_id == screen.episode.id:
            return
        self.open(episode_id, self.place_landing(episode_id))

    def place_landing(self, episode_id: str) -> Landing:
        """Where an episode opened from the picker lands: where it was left, if it was read."""
        screen = self.screen
        unit = load_episode_place(screen.library.root, episode_id)
        return Landing(unit=unit, focus="transcript") if unit else Landing()

    def open(self, episode_id: str, landing: Landing, at_once: bool = False) -> None:
        """Open an episode: parsed and aligned in a worker, "Opening…" shown meanwhile.
        ``at_once`` (the episode of the start): one unchanged since it was last opened
        comes from the episode cache before the first frame, so that frame shows it."""
        screen = self.screen
        if not screen.panes_ready:
            screen.when_panes_ready(lambda: self.open(episode_id, landing))
            return
        episode = screen.library.get(episode_id)
        if episode is None:
            screen.notify(
                f"No episode {episode_id!r} in this library.", severity="error", markup=False
            )
            return
        screen.save_now()
        screen._opening = episode_id
        if at_once and services_of(screen.app).cache_episodes:
            from ...opening import cached

            hit = cached(episode)
            if hit is not None:
                self.show(EpisodeOpened(hit, landing))
                return
        screen.opening_note = f"Opening {safe_text(episode.title, 40)}…"
        screen.update_progress()
        # paint "Opening…" first; the worker parses and aligns
        screen.call_after_refresh(self.load, episode, landing)

    def load(self, episode: Episode, landing: Landing) -> None:
        """Parse and align in a thread (a newer opening cancels this one); the result
        comes back as EpisodeHeadParsed / EpisodeOpened messages to the screen."""
        screen = self.screen
        services = services_of(screen.app)

        def head(transcript: Transcript) -> None:
            screen.post_message(EpisodeHeadParsed(episode, transcript))

        def run() -> None:
            from ...opening import open_episode, remember

            opened = open_episode(
                episode,
                services.align,
                cache=services.cache_episodes,
                on_head=head if landing.at_start else None,
            )
            screen.post_message(EpisodeOpened(opened, landing))
            if services.cache_episodes:
                remember(opened)

        screen.run_worker(run, thread=True, exclusive=True, group="episode")

    def show_head(self, message: EpisodeHeadParsed) -> None:
        screen = self.screen
        if message.episode.id != screen._opening:
            return
        episode = message.episode
        screen.episode, screen.transcript, screen.alignment = None, None, None
        screen.status.episode_title = episode.title
        screen.status.set_position(None, None, False)
        screen.summary_view.set_message(f"Opening {safe_text(episode.title, 60)}…")
        screen.query_one("#transcript-message").display = False
        view = screen.transcript_view
        view.display = True
        # no times until the whole transcript is aligned; the whole then takes over
        view.show_beginning(message.head)

    def show(self, message: EpisodeOpened) -> None:
        screen = self.screen
        opened = message.opened
        if opened.episode.id != screen._opening:
            return  # a newer episode was asked for meanwhile
        episode = opened.episode
        screen.episode, screen.transcript = episode, opened.transcript
        screen.alignment = opened.alignment
        screen.places.last_unit = 0
        screen.opening_note = ""  # "Opening <title>…" while an episode opens (not Widget.loading)
        screen.update_progress()
        screen.status.episode_title = episode.title
        screen.search_pane.set_episode(episode.id)
        transcript_view = screen.transcript_view
        note: Static = screen.query_one("#transcript-message")  # type: ignore[assignment]
        if opened.error or opened.transcript is None or opened.alignment is None:
            transcript_view.display = False
            note.update(
                Content.assemble(
                    ("This episode's transcript cannot be shown.\n\n", "bold $error"),
                    safe_text(opened.error or "unknown error", 1000),
                    ("\n\nPress e to open another episode.", "$text-muted"),
                )
            )
            note.display = True
            screen.summary_view.set_summaries(opened.summaries, None)
            screen.status.set_position(None, None, False)
            screen.timeline.clear()
        else:
            note.display = False
            transcript_view.display = True
            transcript_view.set_document(opened.transcript, opened.alignment)
            if screen.search_terms:
                transcript_view.set_search_terms(screen.search_terms)
            screen.summary_view.set_summaries(
                opened.summaries, opened.alignment.summaries, estimated=opened.alignment.estimated
            )
            screen.status.set_position(0.0, *screen.clock.length_args())
            screen.clock.update_timeline()
        screen.status.summary = screen.summary_view.label if opened.summaries else ""
        # the highlights file is read after this frame (first paint), for this episode only
        screen.call_after_refresh(
            lambda: screen.notes.load(episode) if screen.episode is episode else None
        )
        for problem in [*episode.problems, *opened.warnings]:
            if problem not in screen._noted_problems:
                screen._noted_problems.add(problem)
                screen.notify(safe_text(problem, 300), severity="warning", markup=False)
        self.land(message.landing)
        screen.clock.episode_shown()

    def land(self, landing: Landing) -> None:
        screen = self.screen
        view = screen.transcript_view
        view.fit_width()
        has_doc = screen.transcript is not None and screen.alignment is not None
        if landing.terms:
            screen.set_search_terms(landing.terms)
        if landing.summary_index is not None and landing.claim_index is not None:
            screen.summary_view.show_summary(landing.summary_index)
            screen.status.summary = screen.summary_view.label
            screen.summary_view.select_claim(landing.claim_index)
            ca = screen.summary_view.claim_alignment(landing.claim_index, landing.summary_index)
            if ca is not None and has_doc:
                view.show_range(ca.unit_start, ca.unit_end)
                screen.summary_view.mark_claim(landing.claim_index)
        elif landing.unit_start is not None and landing.unit_start >= 0 and has_doc:
            end = landing.unit_end
            if end is None or end < 0:
                end = landing.unit_start
            view.show_range(landing.unit_start, end)
            if landing.terms:
                view.cursor_to_hit_in_range(landing.unit_start, end)
        elif landing.unit is not None and has_doc:
            view.go_to_unit(landing.unit)
        if has_doc:
            # the panes follow the cursor now, not when the view reports it (at start
            # that report comes after the first frame: the summary would be drawn twice)
            screen.show_cursor(view.cursor_unit, view.cursor_seconds)
        screen.focus_pane(landing.focus if has_doc or landing.focus != "transcript" else "summary")

    def land_on_hit(self, message: SearchHitChosen) -> None:
        """A search hit was chosen: land on its claim or its words, in this episode or
        in the one it is from (opened first)."""
        screen = self.screen
        if (
            message.kind == "summary"
            and message.summary_index is not None
            and message.claim_index is not None
        ):
            landing = Landing(
                summary_index=message.summary_index,
                claim_index=message.claim_index,
                terms=message.terms,
                focus="transcript",
            )
        else:
            landing = Landing(
                unit_start=message.unit_start,
                unit_end=message.unit_end,
                terms=message.terms,
                focus="transcript",
            )
        if (
            screen.episode is not None
            and message.episode_id == screen.episode.id
            and screen._opening == screen.episode.id
        ):
            if screen.search_open:
                # done searching: the search pane gives its room back, and the transcript
                # is laid out for its new width before the cursor goes to the words
                screen.close_search()
                screen.call_after_refresh(self.land, landing)
            else:
                self.land(landing)
        else:
            screen.close_search()
            self.open(message.episode_id, landing)

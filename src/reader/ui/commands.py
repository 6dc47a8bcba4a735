"""Command palette (Ctrl+P): the app's actions and every episode by title."""

from __future__ import annotations

from functools import partial
from typing import Any, Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from .widgets.status_line import safe_text


class ReaderCommands(Provider):
    def _main(self) -> Any:
        return getattr(self.app, "main_screen", None)

    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        main = self._main()
        app: Any = self.app
        commands: list[tuple[str, Callable[[], Any], str]] = [
            ("Episodes", app.action_episodes, "Choose an episode (e)"),
            ("Help: keys", app.action_help, "Show every key (?)"),
        ]
        if main is not None:
            commands += [
                ("Search all episodes", main.action_search, "Focus the search box (/)"),
                ("Go to time", main.action_goto_time, "Jump the transcript to a time (t)"),
                ("Next summary", partial(main.action_switch_summary, 1), "Show the episode's next summary (])"),
                ("Previous summary", partial(main.action_switch_summary, -1), "Show the previous summary ([)"),
                ("Highlights: list and jump", main.action_highlights, "This episode's highlights and notes (')"),
                ("Highlights: remove the one at the cursor", main.remove_highlight_at_cursor, "Forget the highlight under the transcript cursor"),
                ("Export notes (Markdown)", main.action_export, "Summary, highlights and notes of this episode, into the data folder"),
                ("Open at source", main.action_open_source, "The video or audio at this moment (o)"),
            ]
            for episode in main.library.episodes:
                commands.append(
                    (
                        f"Open episode: {safe_text(episode.title, 80)}",
                        partial(main.open_episode, episode.id, _landing()),
                        safe_text(episode.meta.show, 80) or episode.id,
                    )
                )
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(Content(name), callback, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)
        # highlights are found by their words (text, note, speaker), not by fuzzy letters
        words = query.lower().split()
        main = self._main()
        if not words or main is None:
            return
        for name, callback, help_text, haystack in _highlight_commands(main):
            if all(w in haystack for w in words):
                yield Hit(0.9, Content(name), callback, text=name, help=help_text)


def _highlight_commands(main: Any) -> list[tuple[str, Callable[[], Any], str, str]]:
    """One command per highlight of the open episode, with the words it is found by."""
    from ..model import format_clock

    out: list[tuple[str, Callable[[], Any], str, str]] = []
    for h, _where in getattr(main, "_located", []):
        when = ("~" if h.estimated else "") + format_clock(h.seconds)
        out.append(
            (
                f"Highlight {when}: {safe_text(h.text, 70)}",
                partial(main.jump_to_highlight, h.id),
                safe_text(h.note, 80) if h.note else "Jump to this highlight",
                f"highlight {h.text} {h.note} {h.speaker or ''}".lower(),
            )
        )
    return out


def _landing() -> Any:
    from .screens.main import Landing

    return Landing()

"""Command palette (Ctrl+P): the app's actions and every episode by title."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual import work
from textual.await_complete import AwaitComplete
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.css.query import NoMatches

from ..text import display_name
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
                (
                    "Next summary",
                    partial(main.action_switch_summary, 1),
                    "Show the episode's next summary (])",
                ),
                (
                    "Previous summary",
                    partial(main.action_switch_summary, -1),
                    "Show the previous summary ([)",
                ),
                (
                    "Highlights: list and jump",
                    main.action_highlights,
                    "This episode's highlights and notes (')",
                ),
                (
                    "Highlights: remove the one at the cursor",
                    main.remove_highlight_at_cursor,
                    "Forget the highlight under the transcript cursor",
                ),
                (
                    "Export notes (Markdown)",
                    main.action_export,
                    "Summary, highlights and notes of this episode, into the data folder",
                ),
                (
                    "Open at source",
                    main.action_open_source,
                    "The video or audio at this moment (o)",
                ),
            ]
            for episode in main.library.episodes:
                commands.append(
                    (
                        f"Open episode: {safe_text(episode.title, 80)}",
                        partial(main.open_episode, episode.id, _landing()),
                        safe_text(episode.meta.show, 80) or display_name(episode.id, 80),
                    )
                )
        return commands

    # The palette parses a hit's help as markup, and Textual's ``Matcher.highlight`` its
    # text: titles are data, so the help is given as Content (taken as it is) and the
    # highlight is built here on plain Content. A "[@click=app.quit]" title must not be
    # a live link, nor a "[/]" one hide the entries after it.
    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(Content(name), callback, text=name, help=_plain(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score, offsets = _fuzzy(matcher, query, name)
            if score > 0:
                yield Hit(
                    score,
                    _highlight(matcher, name, offsets),
                    callback,
                    text=name,
                    help=_plain(help_text),
                )
        # highlights are found by their words (text, note, speaker), not by fuzzy letters
        words = query.lower().split()
        main = self._main()
        if not words or main is None:
            return
        for name, callback, help_text, haystack in _highlight_commands(main):
            if all(w in haystack for w in words):
                yield Hit(0.9, Content(name), callback, text=name, help=_plain(help_text))


class ReaderPalette(CommandPalette):
    """Textual's palette, surviving keys pressed in a burst:

    - a page key that arrives before its freshly shown list has been laid out (Textual's
      ``OptionList._move_page`` raises KeyError: the list has no lines yet) does nothing,
      as on an empty list;
    - a second Enter or Escape queued behind the first would dismiss again, and
      ``dismiss`` pops whatever screen is on top: the main screen, then "Can't pop
      screen". Once the palette is gone, dismissing it does nothing.
    """

    def _action_command_list(self, action: str) -> None:
        try:
            super()._action_command_list(action)
        except KeyError:
            pass

    def dismiss(self, result: Any = None) -> AwaitComplete:
        from .screens.modal import is_top

        if not is_top(self):
            return AwaitComplete.nothing()
        return super().dismiss(result)

    @work(exclusive=True, group=CommandPalette._GATHER_COMMANDS_GROUP)
    async def _gather_commands(self, search_value: str) -> None:
        # Textual's worker queries the palette's list: gone if the palette closed while
        # it gathered (a failed worker would take the app down).
        try:
            await CommandPalette._gather_commands.__wrapped__(self, search_value)  # type: ignore[attr-defined]
        except NoMatches:
            pass


def _plain(text: str) -> Any:
    """Help text the palette shows as it is: ``Content.from_markup`` returns Content
    unchanged (``textual.markup.escape`` would double a trailing backslash)."""
    return Content(text)


def _fuzzy(matcher: Any, query: str, text: str) -> tuple[float, list[int]]:
    """Textual's fuzzy score for ``text``, on one match found left to right: Textual's
    own ``FuzzySearch`` tries every combination of letter positions, which a title such
    as "e e e e …" turns into billions for a query like "eeeeeeeeee" (the palette hangs).
    """
    q, t = query.lower(), text.lower()
    if not q:
        return 0.0, []
    at = t.find(q)
    if at >= 0:
        offsets = list(range(at, at + len(q)))
        return matcher.fuzzy_search.score(t, offsets) * (2.0 if t == q else 1.5), offsets
    offsets, start = [], 0
    for letter in q:
        at = t.find(letter, start)
        if at < 0:
            return 0.0, []
        offsets.append(at)
        start = at + 1
    return matcher.fuzzy_search.score(t, offsets), offsets


def _highlight(matcher: Any, text: str, offsets: list[int]) -> Content:
    """``text`` as plain Content with the matched letters styled (as Textual's
    ``Matcher.highlight`` does, without parsing ``text`` as markup)."""
    content = Content(text)
    for offset in offsets:
        if offset < len(text) and not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _highlight_commands(main: Any) -> list[tuple[str, Callable[[], Any], str, str]]:
    """One command per highlight of the open episode, with the words it is found by."""
    from ..model import format_clock

    out: list[tuple[str, Callable[[], Any], str, str]] = []
    for h, _where in main.notes.located:
        when = format_clock(h.seconds, h.estimated)
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
    from .messages import Landing

    return Landing()

"""The Textual app: boots the library into the main screen. Nothing else lives here.

``ReaderApp`` holds the three services the screens use, so tests can swap them:
``aligner`` (the sync engine), ``index_factory`` (the search index) and ``clipboard_copy``
(the clipboard); the constructor takes them as ``align``, ``make_index``, ``copy_text``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from textual.app import App
from textual.binding import Binding

from ..errors import ReaderError
from ..library import Library
from ..state import load_settings, save_setting


def _reader_commands() -> Any:
    """The palette's provider, imported when the palette first opens (not at start)."""
    from .commands import ReaderCommands

    return ReaderCommands


def _default_align(transcript: Any, summaries: Any, duration_s: Any) -> Any:
    from ..sync import align_cached

    return align_cached(transcript, summaries, duration_s)


def _default_index(library: Library) -> Any:
    from ..search import LibraryIndex

    return LibraryIndex(library)


def _default_copy(text: str, osc52: Callable[[str], None] | None) -> Any:
    from ..clipboard import copy_text

    return copy_text(text, osc52)


class ReaderApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "reader"
    COMMANDS = App.COMMANDS | {_reader_commands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark,f1", "help", "Help", id="help"),
        Binding("e", "episodes", "Episodes", id="episodes"),
    ]

    def __init__(
        self,
        library: Library | Path | str,
        *,
        align: Callable[..., Any] | None = None,
        make_index: Callable[[Library], Any] | None = None,
        copy_text: Callable[[str, Callable[[str], None] | None], Any] | None = None,
    ) -> None:
        super().__init__()
        self.library = library if isinstance(library, Library) else Library.load(Path(library))
        self.aligner = align or _default_align
        # the parsed and aligned episodes are kept on disk (reader.episode_cache), unless
        # a test brings its own sync engine
        self.cache_episodes = align is None
        self.index_factory = make_index or _default_index
        self.clipboard_copy = copy_text or _default_copy
        # the theme chosen last time (palette: "Change theme"), before the first frame
        theme = load_settings().get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme

    def on_mount(self) -> None:
        from .screens.main import MainScreen

        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.push_screen(MainScreen(self.library))

    def _theme_changed(self, theme: Any) -> None:
        save_setting("theme", theme.name)

    @property
    def main_screen(self) -> Any:
        from .screens.main import MainScreen

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    def action_command_palette(self) -> None:
        """Ctrl+P: Textual's palette, with a fix for page keys pressed at once."""
        from .commands import ReaderPalette

        if self.use_command_palette and not ReaderPalette.is_open(self):
            self.push_screen(ReaderPalette(id="--command-palette"))

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_episodes(self) -> None:
        main = self.main_screen
        if main is not None:
            main.action_episodes()

    async def action_quit(self) -> None:
        main = self.main_screen
        if main is not None:
            main.save_now()
        self.exit(0)


def run_app(library_path: Path) -> int:
    """Run the reader on a library folder; returns the exit code."""
    try:
        app = ReaderApp(Path(library_path))
    except ReaderError as exc:
        import sys

        from ..text import display_line

        print(f"reader: {display_line(exc, 4000)}", file=sys.stderr)
        return 1
    # Our own loop: ``asyncio.run`` would wait for the thread workers (parsing, indexing)
    # on the way out, and quitting must not wait (see _end_now_if_busy).
    import asyncio

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    app.run(loop=loop)
    code = int(app.return_code or 0)
    _end_now_if_busy(code)
    loop.close()
    return code


def _end_now_if_busy(code: int) -> None:
    """Quitting never waits for a background parse or index update (a 30 MB transcript
    kept the process alive for over a minute after ``q``): Python would join those
    threads at exit. Both are safe to abandon: the place is saved before the app exits,
    the index survives a kill, caches are written whole (temporary file, then rename)."""
    import os
    import sys
    import threading

    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)

"""The Textual app: boots the library into the main screen. Nothing else lives here.

``ReaderApp`` holds the services the screens use (``.services``, a typed
:class:`~reader.ui.services.Services`), so tests can swap them: the sync engine, the search
index and the clipboard; the constructor takes them as ``align``, ``make_index``, ``copy_text``.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from ..library import Library
from ..model import Alignment, Summary, Transcript
from ..opening import Aligner
from ..state import load_settings, save_setting
from .services import CopyText, SearchIndex, Services

# garbage collection resumes this long after the first frame, or START_GC_DELAY_S after
# the start at the latest
GC_AFTER_FIRST_FRAME_S = 0.1
START_GC_DELAY_S = 1.0


def _reader_commands() -> Any:
    """The palette's provider, imported when the palette first opens (not at start)."""
    from .commands import ReaderCommands

    return ReaderCommands


def _default_align(
    transcript: Transcript, summaries: list[Summary], duration_s: float | None
) -> Alignment:
    from ..sync import align_cached

    return align_cached(transcript, summaries, duration_s)


def _default_index(library: Library) -> SearchIndex:
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
        align: Aligner | None = None,
        make_index: Callable[[Library], SearchIndex] | None = None,
        copy_text: CopyText | None = None,
    ) -> None:
        super().__init__()
        # No garbage collection until the first frame is on screen: starting allocates
        # tens of thousands of objects (widgets, styles, the episode from its cache) and
        # none of them is garbage, yet the collector walked them all: ~30 ms of a ~300 ms
        # start (benchmarks/README.md). Collection resumes after that frame
        # (MainScreen._after_first_paint), or after a second at the latest.
        from .start import take_paused_collection

        # (import_app may have paused it already, for the imports: then it is ours to resume)
        self._collect_after_start = take_paused_collection() or gc.isenabled()
        gc.disable()
        self.library = library if isinstance(library, Library) else Library.load(Path(library))
        # the parsed and aligned episodes are kept on disk (reader.episode_cache), unless
        # a test brings its own sync engine
        self.services = Services(
            align=align or _default_align,
            make_index=make_index or _default_index,
            copy_text=copy_text or _default_copy,
            cache_episodes=align is None,
        )
        # the theme chosen last time (palette: "Change theme"), before the first frame
        theme = load_settings().get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme

    def get_default_screen(self) -> Screen:
        """The main screen is the app's first screen (pushed over Textual's empty default
        one, that one was styled, laid out and drawn too, and the push laid the main
        screen out again just after its first frame)."""
        from .screens.main import MainScreen

        return MainScreen(self.library)

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.set_timer(START_GC_DELAY_S, self._collect_again)

    def started(self) -> None:
        """The first frame is on screen: garbage is collected again, once the frames
        that follow at once (Textual lays a pushed screen out again) are drawn too."""
        if self._collect_after_start:
            self.set_timer(GC_AFTER_FIRST_FRAME_S, self._collect_again)

    def _collect_again(self) -> None:
        if self._collect_after_start:
            self._collect_after_start = False
            gc.enable()

    def on_unmount(self) -> None:
        self._collect_again()

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

        if self.use_command_palette and not ReaderPalette.is_open(self):  # type: ignore[arg-type]
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
    """Run the reader on a library folder; returns the exit code. A library that cannot
    be read raises ReaderError: the command line reports it as every command does
    (``reader: error: …``, exit 2)."""
    app = ReaderApp(Path(library_path))
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

    if any(
        t.is_alive() and not t.daemon
        for t in threading.enumerate()
        if t is not threading.main_thread()
    ):
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)

"""Errors the core raises for bad input: each renders as one line naming the file.

Everything here reaches a terminal sooner or later, so the file's name is shown with
``text.display_name`` (escapes and invisible characters made visible) and the message
with ``text.display_line``; ``report`` is the one way the commands print a problem.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .text import display_line, display_name


class ReaderError(Exception):
    """Base class for every error meant to be shown to the user as one line."""


class InputError(ReaderError):
    """A file could not be used. ``str()`` gives ``path:line: message``."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        name = display_name(self.path)
        where = f"{name}:{line}" if line else name
        super().__init__(f"{where}: {display_line(message, 2000)}")


class Interrupted(KeyboardInterrupt):
    """ctrl+c, with what it left as it was (``nothing was added``): the command line
    reports it as ``reader: interrupted: …`` and exits 130."""


def report(kind: str, message: object) -> None:
    """``reader: KIND: message`` on stderr, as one safe line (kind: error, warning, note,
    interrupted)."""
    print(f"reader: {kind}: {display_line(message, 4000)}", file=sys.stderr)

"""Errors the core raises for bad input: each renders as one line naming the file."""

from __future__ import annotations

from pathlib import Path


class ReaderError(Exception):
    """Base class for every error meant to be shown to the user as one line."""


class InputError(ReaderError):
    """A file could not be used. ``str()`` gives ``path:line: message``."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else f"{self.path}"
        super().__init__(f"{where}: {message}")

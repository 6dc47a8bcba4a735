"""Quotes: the one-line form copied to the clipboard, and the quotes file (Markdown).

Format (time is the start of the quoted text)::

    "text" — Episode title [00:12:34]
    "text" — Episode title [00:12:34](https://youtu.be/ID?t=754)

The quotes file gets one Markdown list item per quote::

    - 2026-11-21 23:40 · "text" — Episode title [00:12:34](https://youtu.be/ID?t=754)
"""

from __future__ import annotations

import errno
import os
from datetime import datetime
from pathlib import Path

from .errors import ReaderError
from .model import format_timestamp
from .paths import data_dir

QUOTES_FILE = "quotes.md"
HEADER = "# Quotes\n\nSaved by reader: one line per quote, newest last.\n\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def format_quote(text: str, title: str, seconds: float, link: str = "") -> str:
    """``"text" — Episode title [00:12:34]``; with a link the time is a Markdown link."""
    body = _one_line(text)
    stamp = format_timestamp(seconds)
    title = _one_line(title)
    when = f"[{stamp}]({_one_line(link).replace(' ', '%20')})" if link else f"[{stamp}]"
    return f'"{body}" — {title} {when}' if title else f'"{body}" {when}'


def _append_whole(path: Path, entry: str) -> None:
    """Append ``entry`` (with the header to an empty file) whole or not at all: a write
    cut short (a full disk) is undone, so no half entry is left behind; an entry never
    starts on the same line as what came before it."""
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        size = os.fstat(fd).st_size
        if size == 0:
            entry = HEADER + entry
        elif os.pread(fd, 1, size - 1) != b"\n":
            entry = "\n" + entry  # the file ends mid-line (edited by hand, or an old cut)
        data = entry.encode("utf-8")
        try:
            while data:
                written = os.write(fd, data)
                if written <= 0:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                data = data[written:]
            os.fsync(fd)
        except BaseException:
            try:
                os.ftruncate(fd, size)
            except OSError:
                pass
            raise
    finally:
        os.close(fd)


class QuoteBook:
    """The user's quotes file (``data_dir()/quotes.md`` unless given a path)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else data_dir() / QUOTES_FILE

    def append(
        self,
        quote: str,
        episode_title: str = "",
        seconds: float | None = None,
        when: datetime | None = None,
    ) -> str:
        """Append one entry and return it. ``quote`` is a quote as :func:`format_quote`
        makes it (or bare text, then formatted with ``episode_title`` and ``seconds``).

        Raises ReaderError (one line naming the file) if the file cannot be written.
        """
        quote = _one_line(quote)
        if not quote:
            raise ReaderError("nothing to save: the quote is empty")
        if not quote.startswith('"') and seconds is not None:
            quote = format_quote(quote, episode_title, seconds)
        stamp = (when or datetime.now()).strftime("%Y-%m-%d %H:%M")
        entry = f"- {stamp} · {quote}\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _append_whole(self.path, entry)
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            raise ReaderError(f"{self.path}: cannot save the quote: {reason}") from None
        return entry.rstrip("\n")

    def entries(self) -> list[str]:
        """The saved entries (list items), oldest first; [] if there is no file yet."""
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise ReaderError(f"{self.path}: cannot read quotes: {exc.strerror}") from None
        return [line for line in text.splitlines() if line.startswith("- ")]

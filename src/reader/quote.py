"""Quotes: the one-line form copied to the clipboard, and the quotes file (Markdown).

Format (time is the start of the quoted text)::

    "text" — Episode title [00:12:34]
    "text" — Episode title [00:12:34](https://youtu.be/ID?t=754)

The quotes file gets one Markdown list item per quote::

    - 2026-11-21 23:40 · "text" — Episode title [00:12:34](https://youtu.be/ID?t=754)
"""

from __future__ import annotations

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
            new = not self.path.exists() or self.path.stat().st_size == 0
            with self.path.open("a", encoding="utf-8", newline="\n") as f:
                if new:
                    f.write(HEADER)
                f.write(entry)
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

"""Quotes: what is quoted (whole sentences of the transcript), the one-line form copied
to the clipboard, and the quotes file (Markdown), the log of everything copied.

Speaker's words (time = the time of the quote's first words; ``~`` when estimated)::

    "text" — Andrej Karpathy, Episode title [~00:12:34]
    "text" — Episode title [00:12:34](https://youtu.be/ID?t=754)

A summary claim is AI text and is never passed off as the speaker's words::

    Summary (AI, 000_abc.txt): "text" — at [00:02:22] in Episode title

The quotes file gets one Markdown list item per copy::

    - 2026-11-21 23:40 · "text" — Episode title [00:12:34](https://youtu.be/ID?t=754)

No Textual here: :func:`deliver` copies through a callable the app passes in.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .atomic import append_whole
from .errors import ReaderError
from .model import format_timestamp
from .paths import data_dir

if TYPE_CHECKING:
    from .model import Alignment, TranscriptUnit
    from .readable import Readable

QUOTES_FILE = "quotes.md"
HEADER = "# Quotes\n\nSaved by reader: one line per quote, newest last.\n\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def stamp(seconds: float, estimated: bool = False) -> str:
    """``00:12:34``, or ``~00:12:34`` for an estimated time."""
    return format_timestamp(seconds, estimated)


def _when(seconds: float, estimated: bool, link: str) -> str:
    text = stamp(seconds, estimated)
    return f"[{text}]({_one_line(link).replace(' ', '%20')})" if link else f"[{text}]"


def format_quote(
    text: str,
    title: str,
    seconds: float,
    link: str = "",
    *,
    estimated: bool = False,
    speaker: str | None = None,
) -> str:
    """``"text" — Speaker, Episode title [~00:12:34]``; with a link the time is a
    Markdown link. The speaker is named only when known."""
    body = _one_line(text)
    who = ", ".join(p for p in (_one_line(speaker or ""), _one_line(title)) if p)
    when = _when(seconds, estimated, link)
    return f'"{body}" — {who} {when}' if who else f'"{body}" {when}'


def format_claim(text: str, summary_name: str, title: str, seconds: float, link: str = "") -> str:
    """A summary claim as what it is: ``Summary (AI, NAME): "text" — at [00:02:22] in
    Title``. The time is the one the summary gives."""
    body = _one_line(text)
    name = _one_line(summary_name)
    label = f"Summary (AI, {name})" if name else "Summary (AI)"
    where = f" in {_one_line(title)}" if _one_line(title) else ""
    return f'{label}: "{body}" — at {_when(seconds, False, link)}{where}'


# --- what a selection quotes -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Passage:
    """Whole sentences of a transcript: the text a selection quotes."""

    text: str  # one line; speaker labels left out when one speaker says it all
    start: int  # offsets into Readable.text (snapped to sentence boundaries)
    end: int
    unit_start: int
    unit_end: int
    seconds: float  # time of the first words
    estimated: bool
    speaker: str | None = None


_PUNCTUATED: weakref.WeakKeyDictionary[Readable, bool] = weakref.WeakKeyDictionary()


def _punctuated(doc: Readable) -> bool:
    """Has the text sentence punctuation (one sentence end per 100 words or more)?
    Raw captions often have none: their caption units stand in for sentences."""
    known = _PUNCTUATED.get(doc)
    if known is None:
        from .parse.patterns import SENTENCE_MARKS

        sample = doc.text[:200_000]
        words = sample.count(" ") + sample.count("\n") + 1
        ends = sum(sample.count(c) for c in SENTENCE_MARKS)
        known = _PUNCTUATED[doc] = ends * 100 >= words
    return known


def sentence_starts(doc: Readable, paragraph: int) -> list[int]:
    """Offsets where sentences start in one paragraph of ``doc.text`` (sorted), the
    paragraph's start first. Unpunctuated captions: each caption unit is a "sentence".
    Speaker labels are boundaries on both sides."""
    from bisect import bisect_left

    from .parse.sentences import sentence_ends

    a, b = doc.para_start[paragraph], doc.para_end[paragraph]
    starts = {a}
    if _punctuated(doc):
        for e in sentence_ends(doc.text, a, b, loose=True):
            if e + 1 < b:
                starts.add(e + 1)
    else:
        ps = doc.piece_start
        i = bisect_left(ps, a)
        while i < len(ps) and ps[i] < b:
            starts.add(ps[i])
            i += 1
    for ls, le in doc.label_spans(a, b):
        starts.add(ls)
        if le + 1 < b:
            starts.add(le + 1)
    return sorted(s for s in starts if a <= s < b)


MAX_WIDEN = 300  # characters a quote may grow on each side to reach a sentence boundary


def snap(doc: Readable, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` of ``doc.text`` to whole sentences. Where a sentence runs on
    for more than ``MAX_WIDEN`` characters past the selection (captions without
    punctuation), the caption unit's boundary is used instead."""
    from bisect import bisect_right

    text = doc.text
    if not text:
        return 0, 0
    start = max(0, min(start, len(text) - 1))
    end = max(start + 1, min(end, len(text)))
    p = doc.paragraph_at_offset(start)
    starts = sentence_starts(doc, p)
    s = starts[max(0, bisect_right(starts, start) - 1)]
    if start - s > MAX_WIDEN:
        s = max(s, doc.unit_offsets(doc.unit_at_offset(start))[0])
    q = doc.paragraph_at_offset(end - 1)
    starts = sentence_starts(doc, q)
    i = bisect_right(starts, end - 1)
    e = starts[i] - 1 if i < len(starts) else doc.para_end[q]
    if e - end > MAX_WIDEN:
        e = min(e, _piece_end(doc, end - 1))
    while e > s and text[e - 1] in " \n":
        e -= 1
    return s, e


def _piece_end(doc: Readable, offset: int) -> int:
    from bisect import bisect_right

    i = max(0, bisect_right(doc.piece_start, offset) - 1)
    return int(doc.piece_end[i])


def unit_time(
    alignment: Alignment | None, doc: Readable, unit: int, offset: int, timed: bool
) -> float:
    secs = alignment.unit_seconds if alignment is not None else []
    if not secs:
        return 0.0
    unit = max(0, min(unit, len(secs) - 1))
    t = float(secs[unit])
    if timed:
        return t  # a real cue time: the quote starts in this cue
    # an estimate anyway: interpolate within the unit by characters
    ua, ub = doc.unit_offsets(unit)
    nxt = float(secs[unit + 1]) if unit + 1 < len(secs) else float(alignment.duration_s or t)  # type: ignore[union-attr]
    if ub > ua and nxt > t and ua < offset < ub:
        t += (nxt - t) * (offset - ua) / (ub - ua)
    return t


def passage(
    doc: Readable,
    lines: Sequence[TranscriptUnit],
    alignment: Alignment | None,
    start: int,
    end: int,
    *,
    timed: bool = False,
) -> Passage | None:
    """The whole sentences around ``[start, end)`` of ``doc.text``, with the time of their
    first words and their speaker (None when the transcript names none or several)."""
    if not doc.text.strip():
        return None
    s, e = snap(doc, start, end)
    labels = doc.label_spans(s, e)
    u0 = doc.unit_at_offset(s)
    u1 = doc.unit_at_offset(max(s, e - 1))
    speakers = (
        {lines[u].speaker for u in range(u0, min(u1, len(lines) - 1) + 1) if u < len(lines)}
        if lines
        else set()
    )
    speaker = next(iter(speakers)) if len(speakers) == 1 else None
    if speaker:
        # one speaker: the labels go, the attribution names them
        parts, pos = [], s
        for ls, le in labels:
            if ls >= e:
                break
            parts.append(doc.text[pos:max(pos, ls)])
            pos = max(pos, le)
        parts.append(doc.text[pos:e])
        body = " ".join(parts)
        # the quote's first words: after a label at its start
        first = s
        for ls, le in labels:
            if ls <= first < le + 1:
                first = min(e, le + 1)
        s_words = first
    else:
        body = doc.text[s:e]
        s_words = s
    body = _one_line(body)
    if not body:
        return None
    u_first = doc.unit_at_offset(s_words)
    seconds = unit_time(alignment, doc, u_first, s_words, timed)
    estimated = bool(alignment.estimated) if alignment is not None else not timed
    return Passage(body, s, e, u0, u1, seconds, estimated, speaker or None)


# --- the quotes file -------------------------------------------------------------------


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

        The entry goes in whole or not at all (a full disk leaves the file as it was).
        Raises ReaderError (one line naming the file) if the file cannot be written.
        """
        quote = _one_line(quote)
        if not quote:
            raise ReaderError("nothing to save: the quote is empty")
        if not quote.startswith(('"', "Summary (AI")) and seconds is not None:
            quote = format_quote(quote, episode_title, seconds)
        stamp_ = (when or datetime.now()).strftime("%Y-%m-%d %H:%M")
        entry = f"- {stamp_} · {quote}\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            append_whole(self.path, entry, header=HEADER)
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


# --- copying ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Delivered:
    quote: str
    message: str  # what the clipboard did (one line)
    ok: bool  # it reached a clipboard
    book_error: str | None = None  # the quotes file could not be written (one line)


def deliver(
    quote: str,
    copy: Callable[[str, Callable[[str], None] | None], Any],
    osc52: Callable[[str], None] | None = None,
    book: QuoteBook | None = None,
) -> Delivered:
    """Copy ``quote`` (``copy`` is :func:`reader.clipboard.copy_text` or a stand-in),
    then log it in the quotes file. The clipboard comes first: a quotes file that
    cannot be written never keeps the quote from being copied."""
    ok = True
    try:
        result = copy(quote, osc52)
        message = result.message()
        ok = bool(getattr(result, "ok", True))
    except Exception as exc:  # noqa: BLE001 - every failure becomes a message
        ok = False
        message = f"Could not copy the quote: {exc}"
    book_error = None
    try:
        (book or QuoteBook()).append(quote)
    except ReaderError as exc:
        book_error = f"{exc} (the quote was {'copied' if ok else 'not copied either'})"
    return Delivered(quote, message, ok, book_error)


def quote_of(
    episode: Any,
    text: str,
    seconds: float,
    *,
    with_link: bool = False,
    estimated: bool = False,
    speaker: str | None = None,
    summary_name: str | None = None,
) -> str:
    """The one-line quote for ``episode`` (a :class:`reader.library.Episode`): a
    speaker's words, or with ``summary_name`` a summary's claim; with ``with_link`` the
    time links to the moment (the best estimate) where the episode has a source."""
    link = episode.link_at(seconds) if with_link else ""
    if summary_name is not None:
        return format_claim(text, summary_name, episode.title, seconds, link)
    return format_quote(text, episode.title, seconds, link, estimated=estimated, speaker=speaker)


def copy_quote(
    episode: Any,
    text: str,
    seconds: float,
    copy: Callable[[str, Callable[[str], None] | None], Any],
    osc52: Callable[[str], None] | None = None,
    *,
    with_link: bool = False,
    estimated: bool = False,
    speaker: str | None = None,
    summary_name: str | None = None,
    book: QuoteBook | None = None,
) -> Delivered:
    """Format (:func:`quote_of`), copy and log one quote: what ``y``/``Y`` do."""
    quote = quote_of(
        episode,
        text,
        seconds,
        with_link=with_link,
        estimated=estimated,
        speaker=speaker,
        summary_name=summary_name,
    )
    return deliver(quote, copy, osc52, book)

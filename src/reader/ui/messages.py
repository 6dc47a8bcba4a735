"""Messages widgets post to the screen. Widgets never reach into each other: they post
one of these and the main screen decides what else changes."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class ClaimChosen(Message):
    """The user pressed Enter on a summary claim: show its range in the transcript."""

    summary_index: int
    claim_index: int
    unit_start: int
    unit_end: int


@dataclass
class CursorMoved(Message):
    """The transcript cursor moved to ``unit`` (reverse sync marks the claim there)."""

    unit: int
    seconds: float


@dataclass
class QuoteRequested(Message):
    """Copy ``text`` as a quote starting at ``seconds`` (``with_link``: add a deep link)."""

    text: str
    seconds: float
    with_link: bool = False
    estimated: bool = False  # the time is an estimate: shown as ``~00:12:34``
    speaker: str | None = None  # named in the quote when the transcript knows it
    summary_name: str | None = None  # set: ``text`` is a summary claim (AI text), not a quote


@dataclass
class HighlightRequested(Message):
    """Keep ``passage`` (a :class:`reader.quote.Passage`) as a highlight; a note may follow."""

    passage: object


@dataclass
class SearchHitChosen(Message):
    """Open ``episode_id`` at a search hit: a transcript range or a summary claim."""

    episode_id: str
    kind: str  # "transcript" | "summary"
    unit_start: int
    unit_end: int
    summary_index: int | None = None
    claim_index: int | None = None
    terms: tuple[str, ...] = ()


@dataclass
class SearchDone(Message):
    """The last query's words, for ``n``/``N`` inside the transcript."""

    terms: tuple[str, ...]

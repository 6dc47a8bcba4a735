"""Messages widgets post to the screen. Widgets never reach into each other: they post
one of these and the main screen decides what else changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from ..library import Episode
    from ..model import Transcript
    from ..opening import OpenedEpisode
    from ..quote import Passage


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

    passage: Passage


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


# --- from the screen's workers to the screen ---------------------------------------------


@dataclass
class Landing:
    """Where to put the reader once an episode is open."""

    unit: int | None = None  # restore a place: cursor to this unit
    unit_start: int | None = None  # a transcript range to show
    unit_end: int | None = None
    summary_index: int | None = None  # a summary claim to select (and show its range)
    claim_index: int | None = None
    terms: tuple[str, ...] = ()
    focus: str = "summary"

    @property
    def at_start(self) -> bool:
        """Lands on the transcript's first screen (so its beginning is worth painting early)."""
        return self.unit in (None, 0) and self.unit_start is None and self.summary_index is None


@dataclass
class EpisodeOpened(Message):
    """An episode was parsed and aligned (or could not be): show it and land."""

    opened: OpenedEpisode
    landing: Landing


@dataclass
class EpisodeHeadParsed(Message):
    """The beginning of a long transcript, parsed on its own: painted while the rest is
    parsed and aligned (no times yet)."""

    episode: Episode
    head: Transcript


@dataclass
class IndexProgress(Message):
    done: int
    total: int
    name: str


@dataclass
class IndexReady(Message):
    index: Any  # reader.search.LibraryIndex, or None with ``error``
    error: str | None = None
    partial: bool = False  # a first build's first batch is committed: search it already


@dataclass
class QuoteCopied(Message):
    quote: str
    message: str
    book_error: str | None
    ok: bool

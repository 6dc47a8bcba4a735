"""Every message of the reading UI, in one place. Widgets never reach into each other:
they post one of these and the main screen decides what else changes; the screen's (and
the search pane's) workers post their results back the same way.

One vocabulary, two kinds of name:

- an *intent* -- the user asked for something -- is ``…Requested`` (``QuoteRequested``,
  ``SearchCloseRequested``) or, for a choice among things shown, ``…Chosen``
  (``ClaimChosen``, ``SearchHitChosen``, ``TimeChosen``);
- a *fact* -- something happened -- is named in the past tense (``CursorMoved``,
  ``SearchFinished``, ``EpisodeOpened``, ``IndexUpdated``, ``QuoteCopied``).

Each is a dataclass (compared by identity, as messages are: ``eq=False`` also keeps the
import cheap): its fields are what the receiver needs, named as in the core.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from ..library import Episode
    from ..model import Transcript
    from ..opening import OpenedEpisode
    from ..quote import Passage


@dataclass(eq=False)
class ClaimChosen(Message):
    """The user pressed Enter on a summary claim: show its range in the transcript."""

    summary_index: int
    claim_index: int
    unit_start: int
    unit_end: int


@dataclass(eq=False)
class CursorMoved(Message):
    """The transcript cursor moved to ``unit`` (reverse sync marks the claim there)."""

    unit: int
    seconds: float


@dataclass(eq=False)
class QuoteRequested(Message):
    """Copy ``text`` as a quote starting at ``seconds`` (``with_link``: add a deep link)."""

    text: str
    seconds: float
    with_link: bool = False
    estimated: bool = False  # the time is an estimate: shown as ``~00:12:34``
    speaker: str | None = None  # named in the quote when the transcript knows it
    summary_name: str | None = None  # set: ``text`` is a summary claim (AI text), not a quote


@dataclass(eq=False)
class HighlightRequested(Message):
    """Keep ``passage`` (a :class:`reader.quote.Passage`) as a highlight; a note may follow."""

    passage: Passage


@dataclass(eq=False)
class SearchHitChosen(Message):
    """Open ``episode_id`` at a search hit: a transcript range or a summary claim."""

    episode_id: str
    kind: str  # "transcript" | "summary"
    unit_start: int
    unit_end: int
    summary_index: int | None = None
    claim_index: int | None = None
    terms: tuple[str, ...] = ()


@dataclass(eq=False)
class SearchFinished(Message):
    """A search found hits: the words the query matched, for the transcript's highlights
    and ``n``/``N`` (a ``reader.search`` TermMatcher, or a tuple of words)."""

    terms: tuple[str, ...]


@dataclass(eq=False)
class SearchCloseRequested(Message):
    """Escape in the search pane: give its room back and the focus to the transcript."""


@dataclass(eq=False)
class TimeChosen(Message):
    """A click on the timeline: go to ``seconds``."""

    seconds: float


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


@dataclass(eq=False)
class EpisodeOpened(Message):
    """An episode was parsed and aligned (or could not be): show it and land."""

    opened: OpenedEpisode
    landing: Landing


@dataclass(eq=False)
class EpisodeHeadParsed(Message):
    """The beginning of a long transcript, parsed on its own: painted while the rest is
    parsed and aligned (no times yet)."""

    episode: Episode
    head: Transcript


@dataclass(eq=False)
class IndexUpdated(Message):
    """The library index took in one more episode (``done`` of ``total``, ``name``)."""

    done: int
    total: int
    name: str


@dataclass(eq=False)
class IndexOpened(Message):
    """The library index can be searched (or could not be opened: ``error``)."""

    index: Any  # reader.search.LibraryIndex, or None with ``error``
    error: str | None = None
    partial: bool = False  # a first build's first batch is committed: search it already


@dataclass(eq=False)
class SearchAnswered(Message):
    """The search pane's worker ran ``query``: its results (or ``error``)."""

    query: str
    results: Any  # reader.search results, or None with ``error``
    error: str | None = None


@dataclass(eq=False)
class QuoteCopied(Message):
    """A quote went to the clipboard (``ok``) or could not (``message`` says why)."""

    quote: str
    message: str
    book_error: str | None
    ok: bool

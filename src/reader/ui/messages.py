"""Every message of the reading UI, in one place. Widgets never reach into each other:
they post one of these and the main screen decides what else changes; the screen's (and
the search pane's) workers post their results back the same way.

One vocabulary, two kinds of name:

- an *intent* -- the user asked for something -- is ``…Requested`` (``QuoteRequested``,
  ``SearchCloseRequested``) or, for a choice among things shown, ``…Chosen``
  (``ClaimChosen``, ``SearchHitChosen``, ``TimeChosen``);
- a *fact* -- something happened -- is named in the past tense (``CursorMoved``,
  ``SearchFinished``, ``EpisodeOpened``, ``IndexUpdated``, ``QuoteCopied``).

Each is declared like a dataclass (``@_message``: its annotated fields, in order, are its
constructor's arguments; compared by identity, as messages are): its fields are what the
receiver needs, named as in the core.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, dataclass_transform

from textual.message import Message

if TYPE_CHECKING:
    from ..library import Episode
    from ..model import Transcript
    from ..opening import OpenedEpisode
    from ..quote import Passage


_M = TypeVar("_M", bound=type)


@dataclass_transform(eq_default=False)
def _message(cls: _M) -> _M:
    """``@dataclass(eq=False)`` for a message, without its cost on the way to the first
    frame: a dataclass compiles an ``__init__`` and a ``__repr__`` per class (~0.5 ms each,
    15 classes); these share one of each, reading the class's annotated fields."""
    names: tuple[str, ...] = tuple(cls.__dict__.get("__annotations__", ()))
    defaults = {name: cls.__dict__[name] for name in names if name in cls.__dict__}
    post_init: Callable[[Any], None] = getattr(cls, "__post_init__", lambda self: None)

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(names):
            raise TypeError(f"{cls.__name__} takes {len(names)} arguments, not {len(args)}")
        values = dict(zip(names, args, strict=False))
        for key, value in kwargs.items():
            if key not in names or key in values:
                raise TypeError(f"{cls.__name__}: unexpected or repeated argument {key!r}")
            values[key] = value
        for name in names:
            if name in values:
                setattr(self, name, values[name])
            elif name in defaults:
                setattr(self, name, defaults[name])
            else:
                raise TypeError(f"{cls.__name__}: missing argument {name!r}")
        post_init(self)  # Message's own set-up

    def __repr__(self: Any) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{cls.__name__}({fields})"

    cls.__init__ = __init__  # type: ignore[misc]
    cls.__repr__ = __repr__  # type: ignore[assignment, method-assign]
    return cls


@_message
class ClaimChosen(Message):
    """The user pressed Enter on a summary claim: show its range in the transcript."""

    summary_index: int
    claim_index: int
    unit_start: int
    unit_end: int


@_message
class CursorMoved(Message):
    """The transcript cursor moved to ``unit`` (reverse sync marks the claim there)."""

    unit: int
    seconds: float


@_message
class QuoteRequested(Message):
    """Copy ``text`` as a quote starting at ``seconds`` (``with_link``: add a deep link)."""

    text: str
    seconds: float
    with_link: bool = False
    estimated: bool = False  # the time is an estimate: shown as ``~00:12:34``
    speaker: str | None = None  # named in the quote when the transcript knows it
    summary_name: str | None = None  # set: ``text`` is a summary claim (AI text), not a quote


@_message
class HighlightRequested(Message):
    """Keep ``passage`` (a :class:`reader.quote.Passage`) as a highlight; a note may follow."""

    passage: Passage


@_message
class SearchHitChosen(Message):
    """Open ``episode_id`` at a search hit: a transcript range or a summary claim."""

    episode_id: str
    kind: str  # "transcript" | "summary"
    unit_start: int
    unit_end: int
    summary_index: int | None = None
    claim_index: int | None = None
    terms: tuple[str, ...] = ()


@_message
class SearchFinished(Message):
    """A search found hits: the words the query matched, for the transcript's highlights
    and ``n``/``N`` (a ``reader.search`` TermMatcher, or a tuple of words)."""

    terms: tuple[str, ...]


@_message
class SearchCloseRequested(Message):
    """Escape in the search pane: give its room back and the focus to the transcript."""


@_message
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


@_message
class EpisodeOpened(Message):
    """An episode was parsed and aligned (or could not be): show it and land."""

    opened: OpenedEpisode
    landing: Landing


@_message
class EpisodeHeadParsed(Message):
    """The beginning of a long transcript, parsed on its own: painted while the rest is
    parsed and aligned (no times yet)."""

    episode: Episode
    head: Transcript


@_message
class IndexUpdated(Message):
    """The library index took in one more episode (``done`` of ``total``, ``name``)."""

    done: int
    total: int
    name: str


@_message
class IndexOpened(Message):
    """The library index can be searched (or could not be opened: ``error``)."""

    index: Any  # reader.search.LibraryIndex, or None with ``error``
    error: str | None = None
    partial: bool = False  # a first build's first batch is committed: search it already


@_message
class SearchAnswered(Message):
    """The search pane's worker ran ``query``: its results (or ``error``)."""

    query: str
    results: Any  # reader.search results, or None with ``error``
    error: str | None = None


@_message
class QuoteCopied(Message):
    """A quote went to the clipboard (``ok``) or could not (``message`` says why)."""

    quote: str
    message: str
    book_error: str | None
    ok: bool

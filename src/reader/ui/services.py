"""The services the screens use, in one typed object the app holds (tests swap them).

Screens reach them as ``services_of(self.app)``, typed, instead of untyped attributes of
the app (Posting's typed app property, the same idea).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from textual.app import App

    from ..library import Library
    from ..opening import Aligner


class SearchIndex(Protocol):
    """What the screen needs of ``reader.search.LibraryIndex``."""

    def update(self, progress: Callable[[int, int, str], None] | None = ...) -> Any: ...


CopyText = Callable[[str, Callable[[str], None] | None], Any]  # -> reader.clipboard.Copied


@dataclass(frozen=True)
class Services:
    align: Aligner  # the sync engine
    make_index: Callable[[Library], SearchIndex]  # the search index over a library
    copy_text: CopyText  # the clipboard (text, OSC 52 fallback)
    cache_episodes: bool = True  # keep parsed and aligned episodes on disk (reader.episode_cache)


def services_of(app: App[Any]) -> Services:
    """The services of the running app (a ``ReaderApp``)."""
    services = getattr(app, "services", None)
    if not isinstance(services, Services):
        raise TypeError(f"{type(app).__name__} has no reader services")
    return services

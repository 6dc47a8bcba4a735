"""When an episode's files last changed: the (name, size, mtime) stamps that caches
(the facts cache, the index's hash cache and freshness snapshot) compare instead of
re-reading the files."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .library import Episode

# a stat this recent may change again within the clock's resolution without its size or
# mtime showing it: such a file is not trusted as unchanged
FRESH_NS = 2_000_000_000


def file_stats(ep: Episode) -> list[list[Any]]:
    """[name, size, mtime_ns] of every file the episode is made of ([name, -1, 0] if gone)."""
    stats: list[list[Any]] = []
    for p in [ep.folder / "episode.toml", ep.transcript_path, *ep.summary_paths]:
        try:
            st = os.stat(p)
            stats.append([p.name, st.st_size, st.st_mtime_ns])
        except OSError:
            stats.append([p.name, -1, 0])
    return stats


def settled(stats: list[list[Any]], now_ns: int | None = None) -> bool:
    """Are all these stamps older than FRESH_NS?"""
    now = time.time_ns() if now_ns is None else now_ns
    return all(now - s[2] > FRESH_NS for s in stats)

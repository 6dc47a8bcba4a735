"""Episode content hashes, skipping the read when the files' stats are unchanged.

``hash-cache.json`` in the index folder maps episode id -> [file stats, hash]. It is a
speed-up, never the truth: an entry is used only when it is well-formed and every file's
(name, size, mtime) matches and is older than 2 s (a file modified within mtime
resolution might change again unseen). Anything else, including a file that is not JSON
at all, is recomputed from the files.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .storage import read_json, write_json

if TYPE_CHECKING:
    from ..library import Episode, Library

STAT_CACHE = "hash-cache.json"
FRESH_NS = 2_000_000_000


def file_stats(ep: Episode) -> list[list[Any]]:
    """[name, size, mtime_ns] of every file the episode is made of."""
    stats: list[list[Any]] = []
    for p in [ep.folder / "episode.toml", ep.transcript_path, *ep.summary_paths]:
        try:
            st = os.stat(p)
            stats.append([p.name, st.st_size, st.st_mtime_ns])
        except OSError:
            stats.append([p.name, -1, 0])
    return stats


def settled(stats: list[list[Any]], now_ns: int | None = None) -> bool:
    now = time.time_ns() if now_ns is None else now_ns
    return all(now - s[2] > FRESH_NS for s in stats)


def content_hashes(library: Library, index_dir: Path) -> dict[str, str]:
    """Episode id -> content hash."""
    path = index_dir / STAT_CACHE
    cache = read_json(path)
    if not isinstance(cache, dict):
        cache = {}
    out: dict[str, str] = {}
    new_cache: dict[str, Any] = {}
    now = time.time_ns()
    for ep in library.episodes:
        stats = file_stats(ep)
        entry = cache.get(ep.id)
        ok = (
            isinstance(entry, list)
            and len(entry) == 2
            and entry[0] == stats
            and isinstance(entry[1], str)
            and len(entry[1]) == 64
            and settled(stats, now)
        )
        h = entry[1] if ok else ep.content_hash()  # type: ignore[index]
        out[ep.id] = h
        new_cache[ep.id] = [stats, h]
    if new_cache != cache and index_dir.is_dir():
        write_json(path, new_cache)
    return out

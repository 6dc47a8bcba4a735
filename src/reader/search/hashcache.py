"""Episode content hashes, skipping the read when the files' stats are unchanged.

``hash-cache.json`` in the index folder maps episode id -> [file stats, hash]. It is a
speed-up, never the truth: an entry is used only when it is well-formed and every file's
(name, size, mtime) matches and is older than 2 s (a file modified within mtime
resolution might change again unseen). Anything else, including a file that is not JSON
at all, is recomputed from the files.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..file_stats import file_stats, settled
from ..json_files import read_json, write_json

if TYPE_CHECKING:
    from ..library import Library

STAT_CACHE = "hash-cache.json"


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

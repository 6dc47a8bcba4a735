"""Episode folders read before, kept beside their stats: ``Library.load`` without
re-reading every ``episode.toml``.

Loading a library of 1,000 episodes read, parsed and checked 1,000 ``episode.toml``
files and resolved every file they name (~0.13 s: most of reopening the search index
and of the picker's start). ``MetaCache`` keeps, per episode folder, what
``load_episode`` made of it (the metadata, the file names, the notes) in
``cache_dir()/library/<library key>.json``, keyed by the folder's modification time and
``episode.toml``'s size and modification time.

An entry is used only when it is well-formed, of this ``VERSION``, its stamps match and
are older than 2 s (``file_stats.FRESH_NS``), and the episode was made only of plain
files in a plain folder when it was read: replacing, adding, removing or renaming a file
in the folder changes the folder's mtime; editing ``episode.toml`` changes its own stamp;
a symbolic link anywhere (whose target may change unseen) means the folder is always read
again. Like the other caches it is a speed-up, never the truth: deleting it costs one
slow load.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import paths
from .file_stats import FRESH_NS
from .json_files import read_entries, write_json

if TYPE_CHECKING:
    from .library import Episode

VERSION = 1
_TEXT_KEYS = ("title", "show", "date", "url", "video_id")


def cache_file(root: Path) -> Path:
    return paths.cache_dir() / "library" / f"{paths.library_key(root)}.json"


def stamp(folder: Path) -> list[int] | None:
    """[folder mtime, episode.toml size, episode.toml mtime], or None when either is a
    link, missing or unreadable (such a folder is always read)."""
    try:
        fst = os.lstat(folder)
        mst = os.lstat(folder / "episode.toml")
    except OSError:
        return None
    if not stat.S_ISDIR(fst.st_mode) or not stat.S_ISREG(mst.st_mode):
        return None
    return [fst.st_mtime_ns, mst.st_size, mst.st_mtime_ns]


def _plain(ep: Episode) -> bool:
    """Every file the episode names is a regular file, not a link."""
    for p in [ep.transcript_path, *ep.summary_paths]:
        try:
            if not stat.S_ISREG(os.lstat(p).st_mode):
                return False
        except OSError:
            return False
    return True


def _encode(ep: Episode) -> dict[str, Any]:
    m = ep.meta
    return {
        "title": m.title,
        "show": m.show,
        "date": m.date,
        "duration_s": m.duration_s,
        "url": m.url,
        "video_id": m.video_id,
        "transcript": ep.transcript_path.name,
        "summaries": [p.name for p in ep.summary_paths],
        "problems": list(ep.problems),
    }


def _decode(name: str, folder: Path, d: Any) -> Episode | None:
    from .library import Episode
    from .model import EpisodeMeta

    try:
        texts = [d[k] for k in _TEXT_KEYS]
        duration = d["duration_s"]
        transcript, summaries, problems = d["transcript"], d["summaries"], d["problems"]
        if not (
            all(isinstance(t, str) for t in texts)
            and (duration is None or (isinstance(duration, float)))
            and isinstance(transcript, str)
            and transcript
            and isinstance(summaries, list)
            and all(isinstance(s, str) for s in summaries)
            and isinstance(problems, list)
            and all(isinstance(p, str) for p in problems)
        ):
            return None
    except (TypeError, KeyError):
        return None
    title, show, date, url, video_id = texts
    meta = EpisodeMeta(
        title=title, show=show, date=date, duration_s=duration, url=url, video_id=video_id
    )
    return Episode(
        id=name,
        folder=folder,
        meta=meta,
        transcript_path=folder / transcript,
        summary_paths=[folder / s for s in summaries],
        problems=list(problems),
    )


class MetaCache:
    """``get(folder)`` -> the Episode read before, or None; ``put(folder, stamp, ep)``
    after reading one; ``save(names)`` writes the cache (the folders seen) if it changed."""

    def __init__(self, root: Path) -> None:
        self.path = cache_file(root)
        self._entries: dict[str, Any] = read_entries(self.path, VERSION)
        self._changed = False
        self._now = time.time_ns()

    def get(self, folder: Path, st: list[int] | None) -> Episode | None:
        if st is None:
            return None
        entry = self._entries.get(folder.name)
        if not isinstance(entry, dict) or entry.get("stamp") != st:
            return None
        if any(self._now - t <= FRESH_NS for t in (st[0], st[2])):
            return None
        return _decode(folder.name, folder, entry.get("episode"))

    def put(self, folder: Path, st: list[int] | None, ep: Episode) -> None:
        if st is None or not _plain(ep) or stamp(folder) != st:
            self._entries.pop(folder.name, None)
            return
        entry = {"stamp": st, "episode": _encode(ep)}
        if self._entries.get(folder.name) != entry:
            self._entries[folder.name] = entry
            self._changed = True

    def save(self, names: set[str]) -> None:
        gone = [k for k in self._entries if k not in names]
        for k in gone:
            del self._entries[k]
        if not (self._changed or gone):
            return
        write_json(self.path, {"version": VERSION, "episodes": self._entries})

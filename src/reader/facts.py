"""Per-episode facts cached beside the files' stats, so listing never re-parses an
unchanged episode.

``reader list`` and the picker need each episode's transcript line count, format,
timing, summary and claim counts, duration and the parsers' warnings; getting them means
parsing every file (57 s for 1,000 one-hour episodes). ``FactsCache`` keeps them in
``cache_dir()/facts/<library key>.json``: episode id -> {stats of every file the episode is
made of, facts}. An entry is used only when it is well-formed, of this ``VERSION``, and
every file's (name, size, mtime) matches and is older than 2 s; anything else (a file that
is not JSON, an entry of the wrong shape) is recomputed from the files. The cache is only
ever a speed-up: deleting it costs one slow listing.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import paths
from .file_stats import file_stats, settled
from .json_files import read_entries

if TYPE_CHECKING:
    from .library import Episode, Library

VERSION = 3


def facts_file(root: Path) -> Path:
    return paths.cache_dir() / "facts" / f"{paths.library_key(root)}.json"


def compute(ep: Episode, align: Any = None) -> dict[str, Any]:
    """The facts of one episode, parsing its files (and aligning them, for the length of
    an episode whose metadata does not say: ``reader.length``). ``warnings``: the
    transcript's remarks ([file, remark] pairs); each summary keeps its own ``notes``;
    ``problems``: summaries that could not be read."""
    from .errors import InputError
    from .length import episode_length

    warnings: list[list[str]] = []  # [file, remark] ("" when the remark names its file)
    before = len(ep.problems)
    try:
        t = ep.transcript
        transcript: dict[str, Any] = {"lines": len(t.units), "timed": t.timed, "format": t.format}
        warnings += [[str(ep.transcript_path), w] for w in t.warnings]
    except InputError as exc:
        transcript = {"lines": 0, "timed": False, "error": str(exc)}
        warnings.append(["", str(exc)])
    summaries = []
    for s in ep.summaries:
        summaries.append({"path": str(s.path), "claims": len(s.claims), "notes": list(s.warnings)})
    problems = ep.problems[before:]
    d, estimated = episode_length(ep, align)
    facts = {
        "title": ep.title,
        "transcript": transcript,
        "summaries": summaries,
        "duration_s": round(d, 1) if d is not None else None,
        "duration_estimated": bool(estimated),
        "warnings": warnings,
        "problems": list(problems),
    }
    # Don't keep a library of parsed transcripts alive on the Episode objects.
    ep.forget_parsed()
    del ep.problems[before:]
    return facts


def _valid(facts: Any) -> bool:
    try:
        t = facts["transcript"]
        return (
            isinstance(facts["title"], str)
            and isinstance(t["lines"], int)
            and isinstance(t["timed"], bool)
            and all(
                isinstance(s["path"], str) and isinstance(s["claims"], int)
                for s in facts["summaries"]
            )
            and (facts["duration_s"] is None or isinstance(facts["duration_s"], (int, float)))
            and isinstance(facts["duration_estimated"], bool)
            and all(isinstance(n, str) for s in facts["summaries"] for n in s["notes"])
            and all(isinstance(p, str) and isinstance(w, str) for p, w in facts["warnings"])
            and all(isinstance(w, str) for w in facts["problems"])
        )
    except (TypeError, KeyError, AttributeError):
        return False


class FactsCache:
    """``get(ep)`` -> facts (from the cache when the files are unchanged); ``save()``
    writes the cache if anything was recomputed. Thread-safe."""

    def __init__(self, library: Library, align: Any = None) -> None:
        self.library = library
        self.align = align  # the sync engine to time episodes with (default: cached)
        self.path = facts_file(library.root)
        self._entries: dict[str, Any] = read_entries(self.path, VERSION)
        self._changed = False
        self._lock = threading.Lock()
        self.computed = 0  # episodes parsed by this cache (0 on a warm listing)

    def get(self, ep: Episode) -> dict[str, Any]:
        stats = file_stats(ep)
        now = time.time_ns()
        with self._lock:
            entry = self._entries.get(ep.id)
        if (
            isinstance(entry, dict)
            and entry.get("stats") == stats
            and settled(stats, now)
            and _valid(entry.get("facts"))
        ):
            cached: dict[str, Any] = entry["facts"]
            return cached
        facts = compute(ep, self.align)
        with self._lock:
            self.computed += 1
            self._entries[ep.id] = {"stats": stats, "facts": facts}
            self._changed = True
        return facts

    def save(self) -> None:
        from .json_files import write_json

        with self._lock:
            if not self._changed:
                return
            known = {ep.id for ep in self.library.episodes}
            data = {
                "version": VERSION,
                "episodes": {k: v for k, v in self._entries.items() if k in known},
            }
            self._changed = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            return
        write_json(self.path, data)

"""On-disk cache of alignments: opening an unchanged episode never re-aligns.

Key: sha256 over ENGINE_VERSION, the duration, every transcript unit (text, lines,
times) and every claim. A corrupt or unreadable entry is ignored (and rewritten);
failing to write is ignored: the cache is only an optimisation.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from reader import paths
from reader.model import Alignment, ClaimAlignment, Summary, Transcript

from . import engine


def cache_key(transcript: Transcript, summaries: list[Summary], duration_s: float | None) -> str:
    h = hashlib.sha256()
    h.update(f"engine={engine.ENGINE_VERSION}\nduration={duration_s!r}\ntimed={transcript.timed}\n".encode())
    for u in transcript.lines:
        h.update(f"U{u.source_line}|{u.source_line_end}|{u.start!r}|{u.end!r}|{u.text}\n".encode())
    for s in summaries:
        h.update(b"S\n")
        for c in s.claims:
            h.update(f"C{c.index}|{c.seconds!r}|{c.timestamp}|{c.section}|{c.text}\n".encode())
    return h.hexdigest()


def _encode(al: Alignment) -> dict:
    return {
        "unit_seconds": al.unit_seconds,
        "estimated": al.estimated,
        "duration_s": al.duration_s,
        "summaries": [
            [[ca.unit_start, ca.unit_end, ca.seconds, ca.score, ca.status] for ca in cas]
            for cas in al.summaries
        ],
    }


def _decode(data: dict, transcript: Transcript, summaries: list[Summary]) -> Alignment:
    unit_seconds = [float(x) for x in data["unit_seconds"]]
    if len(unit_seconds) != len(transcript.lines) or len(data["summaries"]) != len(summaries):
        raise ValueError("shape")
    out = []
    for s, rows in zip(summaries, data["summaries"]):
        if len(rows) != len(s.claims):
            raise ValueError("shape")
        out.append(
            [
                ClaimAlignment(c, int(a), int(b), float(sec), float(score), str(status))
                for c, (a, b, sec, score, status) in zip(s.claims, rows)
            ]
        )
    return Alignment(unit_seconds, bool(data["estimated"]), float(data["duration_s"]), out)


def align_cached(
    transcript: Transcript, summaries: list[Summary], duration_s: float | None = None
) -> Alignment:
    """``align`` with results kept under ``cache_dir()/"align"``."""
    key = cache_key(transcript, summaries, duration_s)
    folder = paths.cache_dir() / "align"
    file = folder / f"{key}.json"
    try:
        return _decode(json.loads(file.read_text(encoding="utf-8")), transcript, summaries)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        pass  # missing or corrupt: align again and rewrite
    result = engine.align(transcript, summaries, duration_s)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(_encode(result), fh)
        os.replace(tmp, file)
    except OSError:
        try:
            Path(tmp).unlink(missing_ok=True)  # type: ignore[possibly-undefined]
        except (OSError, NameError):
            pass
    return result

"""On-disk cache of alignments: opening an unchanged episode never re-aligns.

Key: sha256 over ENGINE_VERSION, the duration, every transcript unit (text, lines,
times) and every claim. A corrupt, unreadable or invalid entry (an index out of range,
a reversed range, a time that is negative, inf or nan, a status that is not one of ours,
text with control characters) is ignored and recomputed (and rewritten);
failing to write is ignored: the cache is only an optimisation.
"""

from __future__ import annotations

import hashlib
import json
from math import isfinite
from typing import Any

from reader import paths
from reader.atomic import write_atomic
from reader.model import Alignment, ClaimAlignment, Summary, Transcript

from . import engine


def cache_key(transcript: Transcript, summaries: list[Summary], duration_s: float | None) -> str:
    h = hashlib.sha256()
    h.update(
        f"engine={engine.ENGINE_VERSION}\nduration={duration_s!r}\ntimed={transcript.timed}\n".encode()
    )
    for u in transcript.units:
        h.update(f"U{u.source_line}|{u.source_line_end}|{u.start!r}|{u.end!r}|{u.text}\n".encode())
    for s in summaries:
        h.update(b"S\n")
        for c in s.claims:
            h.update(f"C{c.index}|{c.seconds!r}|{c.timestamp}|{c.section}|{c.text}\n".encode())
    return h.hexdigest()


def _encode(al: Alignment) -> dict[str, Any]:
    return {
        "unit_seconds": al.unit_seconds,
        "estimated": al.estimated,
        "duration_s": al.duration_s,
        "summaries": [
            [
                [
                    ca.unit_start,
                    ca.unit_end,
                    ca.seconds,
                    ca.score,
                    ca.status,
                    ca.uncertainty_s,
                    ca.read_seconds,
                ]
                for ca in cas
            ]
            for cas in al.summaries
        ],
        "unit_uncertainty": al.unit_uncertainty,
        "duration_source": al.duration_source,
        "duration_uncertainty_s": al.duration_uncertainty_s,
        "rough": al.rough,
        "notes": al.notes,
        "stamp_notation": al.stamp_notation,
    }


STATUSES = frozenset({"ok", "time_mismatch", "unsupported"})
SOURCES = frozenset({"given", "timed", "estimated"})
NOTATIONS = frozenset({None, "mmss00"})


def _num(x: object, lo: float = 0.0) -> float:
    """A finite number >= lo (bools are not numbers here), else ValueError."""
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not isfinite(x) or x < lo:
        raise ValueError("number")
    return float(x)


def _index(x: object, n: int) -> int:
    if isinstance(x, bool) or not isinstance(x, int) or not 0 <= x < n:
        raise ValueError("index")
    return x


def _plain(x: object) -> str:
    if not isinstance(x, str) or any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in x):
        raise ValueError("text")
    return x


def _decode(data: dict[str, Any], transcript: Transcript, summaries: list[Summary]) -> Alignment:
    """The cached alignment, validated: anything out of range, not finite, reversed, or
    not plain text raises ValueError (the entry is then recomputed)."""
    n = len(transcript.units)
    unit_seconds = [_num(x) for x in data["unit_seconds"]]
    if len(unit_seconds) != n or len(data["summaries"]) != len(summaries):
        raise ValueError("shape")
    if any(b < a for a, b in zip(unit_seconds, unit_seconds[1:], strict=False)):
        raise ValueError("order")
    unc = [_num(x) for x in data["unit_uncertainty"]]
    if len(unc) != n:
        raise ValueError("shape")
    out = []
    for s, rows in zip(summaries, data["summaries"], strict=False):
        if len(rows) != len(s.claims):
            raise ValueError("shape")
        cas = []
        for c, (a, b, sec, score, status, sd, read) in zip(s.claims, rows, strict=False):
            a, b = _index(a, max(1, n)), _index(b, max(1, n))
            if b < a or _plain(status) not in STATUSES:
                raise ValueError("claim")
            cas.append(
                ClaimAlignment(
                    c,
                    a,
                    b,
                    _num(sec),
                    _num(score),
                    status,
                    _num(sd),
                    None if read is None else _num(read),
                )
            )
        out.append(cas)
    notation = list(data["stamp_notation"])
    if len(notation) != len(summaries) or any(x not in NOTATIONS for x in notation):
        raise ValueError("notation")
    source = _plain(data["duration_source"])
    if (
        source not in SOURCES
        or not isinstance(data["rough"], bool)
        or not isinstance(data["estimated"], bool)
    ):
        raise ValueError("flags")
    return Alignment(
        unit_seconds,
        data["estimated"],
        _num(data["duration_s"]),
        out,
        unc,
        source,
        _num(data["duration_uncertainty_s"]),
        data["rough"],
        [_plain(x) for x in data["notes"]],
        notation,
    )


def align_cached(
    transcript: Transcript, summaries: list[Summary], duration_s: float | None = None
) -> Alignment:
    """``align`` with results kept under ``cache_dir()/"align"``."""
    key = cache_key(transcript, summaries, duration_s)
    folder = paths.cache_dir() / "align"
    file = folder / f"{key}.json"
    try:
        return _decode(json.loads(file.read_text(encoding="utf-8")), transcript, summaries)
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
        pass  # missing or corrupt: align again and rewrite
    result = engine.align(transcript, summaries, duration_s)
    try:
        write_atomic(file, json.dumps(_encode(result)))
    except OSError:
        pass  # an unwritable cache only costs the next run an alignment
    return result

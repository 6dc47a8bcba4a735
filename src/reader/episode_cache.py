"""On-disk cache of opened episodes: the parsed transcript and summaries and their
alignment, so that opening an unchanged episode again (the app's start, most often)
neither parses nor aligns, nor even imports the parsers and the sync engine.

One JSON file per episode under ``cache_dir()/"episodes"``, keyed by the episode's files
(path, size, modification time) and by the code that made the entry (the modification
times of the parsers, the sync engine and the model; the field names of the model's
classes): a changed file or a new version of reader simply misses. A missing, corrupt or
mismatched entry is ignored; failing to write is ignored: the cache is only a shortcut.
JSON, not pickle: reading a cache file never runs code. No Textual here.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import fields
from pathlib import Path
from typing import Any

from . import paths
from .model import Alignment, Claim, ClaimAlignment, Summary, Transcript, TranscriptUnit

FORMAT = 2
_CODE = ("model.py", "library.py", "text.py", "parse", "sync")


def _code_stamp() -> str:
    """What changes when the code that parses or aligns changes."""
    root = Path(__file__).resolve().parent
    parts = [str(FORMAT)]
    for name in _CODE:
        path = root / name
        files = sorted(path.glob("*.py")) if path.is_dir() else [path]
        for f in files:
            try:
                st = f.stat()
            except OSError:
                continue
            parts.append(f"{f.name}:{st.st_size}:{st.st_mtime_ns}")
    for cls in (Transcript, TranscriptUnit, Summary, Claim, Alignment, ClaimAlignment):
        parts.append(cls.__name__ + ":" + ",".join(f.name for f in fields(cls)))
    return "|".join(parts)


def entry_key(episode: Any) -> str | None:
    """The key of an episode's entry, or None if one of its files cannot be read."""
    h = hashlib.sha256(_code_stamp().encode())
    h.update(f"\nduration={episode.known_duration_s!r}\n".encode())
    for path in [episode.folder / "episode.toml", episode.transcript_path, *episode.summary_paths]:
        try:
            st = Path(path).stat()
        except OSError:
            return None
        h.update(f"{Path(path).resolve()}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _file(key: str) -> Path:
    return paths.cache_dir() / "episodes" / f"{key}.json"


def _plain(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def _encode(
    transcript: Transcript, summaries: list[Summary], alignment: Alignment, problems: list[str]
) -> dict[str, Any]:
    unit_fields = [f.name for f in fields(TranscriptUnit)]
    claim_fields = [f.name for f in fields(Claim)]
    ca_fields = [f.name for f in fields(ClaimAlignment) if f.name != "claim"]
    return {
        "transcript": {
            **{
                f.name: _plain(getattr(transcript, f.name))
                for f in fields(Transcript)
                if f.name != "units"
            },
            "units": [[_plain(getattr(unit, n)) for n in unit_fields] for unit in transcript.units],
        },
        "summaries": [
            {
                **{
                    f.name: _plain(getattr(s, f.name))
                    for f in fields(Summary)
                    if f.name != "claims"
                },
                "claims": [[_plain(getattr(c, n)) for n in claim_fields] for c in s.claims],
            }
            for s in summaries
        ],
        "alignment": {
            **{
                f.name: _plain(getattr(alignment, f.name))
                for f in fields(Alignment)
                if f.name != "summaries"
            },
            "summaries": [
                [[_plain(getattr(ca, n)) for n in ca_fields] for ca in row]
                for row in alignment.summaries
            ],
        },
        "problems": list(problems),
    }


def _decode(data: dict[str, Any]) -> tuple[Transcript, list[Summary], Alignment, list[str]]:
    unit_fields = [f.name for f in fields(TranscriptUnit)]
    claim_fields = [f.name for f in fields(Claim)]
    ca_fields = [f.name for f in fields(ClaimAlignment) if f.name != "claim"]
    t = dict(data["transcript"])
    # rows hold the fields in their declared order: passed by position (no dict per unit)
    rows_of_units = t.pop("units")
    if any(len(row) != len(unit_fields) for row in rows_of_units):
        raise ValueError("shape")
    units = [TranscriptUnit(*row) for row in rows_of_units]
    transcript = Transcript(units=units, **{**t, "path": Path(t["path"])})
    summaries = []
    for raw in data["summaries"]:
        s = dict(raw)
        claim_rows = s.pop("claims")
        if any(len(row) != len(claim_fields) for row in claim_rows):
            raise ValueError("shape")
        claims = [Claim(*row) for row in claim_rows]
        summaries.append(Summary(claims=claims, **{**s, "path": Path(s["path"])}))
    a = dict(data["alignment"])
    rows = a.pop("summaries")
    if len(rows) != len(summaries) or len(a["unit_seconds"]) != len(units):
        raise ValueError("shape")
    aligned = []
    for summary, row in zip(summaries, rows, strict=False):
        if len(row) != len(summary.claims):
            raise ValueError("shape")
        aligned.append(
            [
                ClaimAlignment(claim=c, **dict(zip(ca_fields, values, strict=True)))
                for c, values in zip(summary.claims, row, strict=False)
            ]
        )
    alignment = Alignment(summaries=aligned, **a)
    return transcript, summaries, alignment, list(data.get("problems", []))


def load(episode: Any) -> tuple[Transcript, list[Summary], Alignment] | None:
    """The cached transcript, summaries and alignment of ``episode`` (also set on the
    Episode, as if it had parsed them), or None."""
    key = entry_key(episode)
    if key is None:
        return None
    try:
        transcript, summaries, alignment, problems = _decode(
            json.loads(_file(key).read_text(encoding="utf-8"))
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
    episode.set_parsed(transcript, summaries)
    for problem in problems:
        if problem not in episode.problems:
            episode.problems.append(problem)
    return transcript, summaries, alignment


def save(
    episode: Any, transcript: Transcript, summaries: list[Summary], alignment: Alignment
) -> None:
    key = entry_key(episode)
    if key is None:
        return
    file = _file(key)
    tmp = None
    try:
        data = json.dumps(
            _encode(transcript, summaries, alignment, episode.problems), ensure_ascii=False
        )
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
        os.replace(tmp, file)
    except (OSError, TypeError, ValueError):
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)

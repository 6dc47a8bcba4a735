"""Small JSON files of reader's own (the index's meta and manifest, the facts and
episode.toml caches): read forgivingly, written atomically. Core only: no Whoosh, so the
library and the cold search path can use them before Whoosh is imported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .atomic import write_atomic


def read_json(path: Path) -> Any:
    """The parsed file, or None when it is missing, unreadable or not JSON (a file of
    100,000 ``[`` raises RecursionError in ``json``: also None)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None


def write_json(path: Path, data: Any) -> None:
    """Atomically (``reader.atomic.write_atomic``, no fsync: these are caches and records
    that can be made again); a failure leaves the old file."""
    try:
        write_atomic(path, json.dumps(data), fsync=False)
    except OSError:
        pass


def read_entries(path: Path, version: int) -> dict[str, Any]:
    """The ``episodes`` table of a cache file written as ``{"version": ..., "episodes":
    {...}}``; empty when the file is missing, unreadable or of another version."""
    data = read_json(path)
    ok = (
        isinstance(data, dict)
        and data.get("version") == version
        and isinstance(data.get("episodes"), dict)
    )
    return dict(data["episodes"]) if ok else {}
